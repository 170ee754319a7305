/* routes.c: THE route table. One line per route: method, pattern, handler,
 * the least access level it needs, and a summary. Deny by default: a route
 * is public only when it says ACCESS_NONE here. The OpenAPI document is
 * checked against the /api/ lines of this table by the test suite. */
#include "remit.h"
#include "handlers.h"

#define PUBLIC ACCESS_NONE
#define MEMBER ACCESS_MEMBER
#define MANAGER ACCESS_MANAGER
#define ADMIN ACCESS_ADMIN
#define OWNER ACCESS_OWNER

const Route g_routes[] = {
    /* system */
    {"GET", "/healthz", sys_healthz, PUBLIC, "Health check"},
    {"GET", "/assets/{file}", sys_asset, PUBLIC, "Static asset"},
    {"GET", "/api/openapi.json", sys_openapi, PUBLIC, "This API's OpenAPI document"},

    /* sessions and the caller's account (session.c) */
    {"GET", "/login", session_page_login, PUBLIC, "Login form"},
    {"POST", "/login", session_page_login_post, PUBLIC, "Log in"},
    {"POST", "/logout", session_page_logout, MEMBER, "Log out"},
    {"GET", "/account", session_page_account, MEMBER, "Your account"},
    {"POST", "/account/password", session_page_password, MEMBER, "Change your password"},
    {"POST", "/api/v1/session", session_api_create, PUBLIC, "Log in"},
    {"GET", "/api/v1/session", session_api_get, MEMBER, "Who am I"},
    {"DELETE", "/api/v1/session", session_api_delete, MEMBER, "Log out"},
    {"POST", "/api/v1/session/password", session_api_password, MEMBER, "Change your password"},

    /* home and organisation (home.c, org.c) */
    {"GET", "/", home_page, MEMBER, "Start page"},
    {"GET", "/org", org_page, MEMBER, "Organisation: purpose, values, goals"},
    {"GET", "/org/edit", org_page_edit, ADMIN, "Edit the organisation"},
    {"POST", "/org/edit", org_page_edit_post, ADMIN, "Save the organisation"},
    {"GET", "/api/v1/org", org_api_get, MEMBER, "The organisation"},
    {"PATCH", "/api/v1/org", org_api_patch, ADMIN, "Change the organisation"},

    /* goals (goals.c) */
    {"GET", "/api/v1/goals", goals_api_list, MEMBER, "List goals"},
    {"POST", "/api/v1/goals", goals_api_create, ADMIN, "Create a goal"},
    {"GET", "/api/v1/goals/{id}", goals_api_get, MEMBER, "One goal"},
    {"PATCH", "/api/v1/goals/{id}", goals_api_patch, ADMIN, "Change a goal"},
    {"DELETE", "/api/v1/goals/{id}", goals_api_delete, ADMIN, "Delete a goal"},
    {"GET", "/goals/new", goals_page_new, ADMIN, "New goal form"},
    {"POST", "/goals/new", goals_page_new_post, ADMIN, "Create a goal"},
    {"GET", "/goals/{id}", goals_page_view, MEMBER, "One goal"},
    {"GET", "/goals/{id}/edit", goals_page_edit, ADMIN, "Edit goal form"},
    {"POST", "/goals/{id}/edit", goals_page_edit_post, ADMIN, "Save a goal"},
    {"POST", "/goals/{id}/delete", goals_page_delete, ADMIN, "Delete a goal"},

    /* teams (teams.c) */
    {"GET", "/api/v1/teams", teams_api_list, MEMBER, "List teams"},
    {"POST", "/api/v1/teams", teams_api_create, ADMIN, "Create a team"},
    {"GET", "/api/v1/teams/{id}", teams_api_get, MEMBER, "One team"},
    {"PATCH", "/api/v1/teams/{id}", teams_api_patch, ADMIN, "Change a team"},
    {"DELETE", "/api/v1/teams/{id}", teams_api_delete, ADMIN, "Delete a team"},
    {"GET", "/teams", teams_page_list, MEMBER, "Teams"},
    {"GET", "/teams/new", teams_page_new, ADMIN, "New team form"},
    {"POST", "/teams/new", teams_page_new_post, ADMIN, "Create a team"},
    {"GET", "/teams/{id}", teams_page_view, MEMBER, "One team"},
    {"GET", "/teams/{id}/edit", teams_page_edit, ADMIN, "Edit team form"},
    {"POST", "/teams/{id}/edit", teams_page_edit_post, ADMIN, "Save a team"},
    {"POST", "/teams/{id}/delete", teams_page_delete, ADMIN, "Delete a team"},

    /* people (people.c, import.c) */
    {"GET", "/api/v1/people", people_api_list, MEMBER, "List people"},
    {"POST", "/api/v1/people", people_api_create, ADMIN, "Add a person"},
    {"GET", "/api/v1/people/{id}", people_api_get, MEMBER, "One person"},
    {"PATCH", "/api/v1/people/{id}", people_api_patch, MEMBER, "Change a person"},
    {"PUT", "/api/v1/people/{id}/password", people_api_set_password, ADMIN, "Set a person's password"},
    {"POST", "/api/v1/people/import", import_api_people, ADMIN, "Import people from CSV"},
    {"GET", "/people", people_page_list, MEMBER, "People directory"},
    {"GET", "/people/new", people_page_new, ADMIN, "New person form"},
    {"POST", "/people/new", people_page_new_post, ADMIN, "Add a person"},
    {"GET", "/people/import", import_page_people, ADMIN, "Import people form"},
    {"POST", "/people/import", import_page_people_post, ADMIN, "Import people from CSV"},
    {"GET", "/people/{id}", people_page_view, MEMBER, "One person"},
    {"GET", "/people/{id}/edit", people_page_edit, MEMBER, "Edit person form"},
    {"POST", "/people/{id}/edit", people_page_edit_post, MEMBER, "Save a person"},

    /* role charters (roles.c) */
    {"GET", "/api/v1/roles", roles_api_list, MEMBER, "List role charters"},
    {"POST", "/api/v1/roles", roles_api_create, ADMIN, "Create a role charter"},
    {"GET", "/api/v1/roles/{id}", roles_api_get, MEMBER, "One role charter"},
    {"PATCH", "/api/v1/roles/{id}", roles_api_patch, ADMIN, "Change a role charter"},
    {"DELETE", "/api/v1/roles/{id}", roles_api_delete, ADMIN, "Delete a role charter"},
    {"POST", "/api/v1/roles/{id}/holders", roles_api_holder_add, ADMIN, "Assign a person to a role"},
    {"DELETE", "/api/v1/roles/{id}/holders/{person_id}", roles_api_holder_remove, ADMIN, "Remove a person from a role"},
    {"POST", "/api/v1/roles/{id}/acknowledge", roles_api_acknowledge, MEMBER, "Confirm you own this charter"},
    {"GET", "/roles", roles_page_list, MEMBER, "Role charters"},
    {"GET", "/roles/new", roles_page_new, ADMIN, "New role form"},
    {"POST", "/roles/new", roles_page_new_post, ADMIN, "Create a role"},
    {"GET", "/roles/{id}", roles_page_view, MEMBER, "One role charter"},
    {"GET", "/roles/{id}/edit", roles_page_edit, ADMIN, "Edit role form"},
    {"POST", "/roles/{id}/edit", roles_page_edit_post, ADMIN, "Save a role"},
    {"POST", "/roles/{id}/delete", roles_page_delete, ADMIN, "Delete a role"},
    {"POST", "/roles/{id}/holders", roles_page_holder_add, ADMIN, "Assign a person to a role"},
    {"POST", "/roles/{id}/holders/{person_id}/remove", roles_page_holder_remove, ADMIN, "Remove a person from a role"},
    {"POST", "/roles/{id}/acknowledge", roles_page_acknowledge, MEMBER, "Confirm you own this charter"},

    /* decision domains and rights (rights.c) */
    {"GET", "/api/v1/domains", rights_api_domains, MEMBER, "List decision domains"},
    {"POST", "/api/v1/domains", rights_api_domain_create, ADMIN, "Create a decision domain"},
    {"PATCH", "/api/v1/domains/{id}", rights_api_domain_patch, ADMIN, "Change a domain's label or risk"},
    {"GET", "/api/v1/rights", rights_api_list, MEMBER, "List decision rights"},
    {"POST", "/api/v1/rights", rights_api_create, MEMBER, "Grant a decision right"},
    {"GET", "/api/v1/rights/{id}", rights_api_get, MEMBER, "One decision right"},
    {"PATCH", "/api/v1/rights/{id}", rights_api_patch, MEMBER, "Change a decision right"},
    {"DELETE", "/api/v1/rights/{id}", rights_api_delete, MEMBER, "Revoke a decision right"},
    {"GET", "/api/v1/rights/{id}/history", rights_api_history, MEMBER, "A right's history"},
    {"GET", "/domains", rights_page_domains, MEMBER, "Decision domains"},
    {"POST", "/domains", rights_page_domain_create, ADMIN, "Create a decision domain"},
    {"POST", "/domains/{id}", rights_page_domain_update, ADMIN, "Change a decision domain"},
    {"GET", "/rights", rights_page_list, MEMBER, "Decision rights"},
    {"GET", "/rights/new", rights_page_new, MEMBER, "Grant a right form"},
    {"POST", "/rights/new", rights_page_new_post, MEMBER, "Grant a right"},
    {"GET", "/rights/{id}", rights_page_view, MEMBER, "One right with its history"},
    {"GET", "/rights/{id}/edit", rights_page_edit, MEMBER, "Edit right form"},
    {"POST", "/rights/{id}/edit", rights_page_edit_post, MEMBER, "Save a right"},
    {"POST", "/rights/{id}/delete", rights_page_delete, MEMBER, "Revoke a right"},

    /* "Can I?" (canask.c) */
    {"GET", "/api/v1/can", can_api_ask, MEMBER, "Can I? The verdict for a domain and amount"},
    {"GET", "/can", can_page, MEMBER, "Can I?"},

    /* the decision log (decisions.c) */
    {"GET", "/api/v1/decisions", decisions_api_list, MEMBER, "List decisions"},
    {"POST", "/api/v1/decisions", decisions_api_create, MEMBER, "Log a decision"},
    {"GET", "/api/v1/decisions/{id}", decisions_api_get, MEMBER, "One decision"},
    {"POST", "/api/v1/decisions/{id}/advice", decisions_api_advice, MEMBER, "Give advice on a decision"},
    {"POST", "/api/v1/decisions/{id}/decide", decisions_api_decide, MEMBER, "Decide after advice"},
    {"POST", "/api/v1/decisions/{id}/approve", decisions_api_approve, MEMBER, "Approve a decision"},
    {"POST", "/api/v1/decisions/{id}/decline", decisions_api_decline, MEMBER, "Decline a decision"},
    {"POST", "/api/v1/decisions/{id}/withdraw", decisions_api_withdraw, MEMBER, "Withdraw a pending decision"},
    {"POST", "/api/v1/decisions/{id}/outcome", decisions_api_outcome, MEMBER, "Record a decision's outcome"},
    {"GET", "/api/v1/inbox", decisions_api_inbox, MEMBER, "Your inbox"},
    {"GET", "/decisions", decisions_page_list, MEMBER, "The decision log"},
    {"GET", "/decisions/new", decisions_page_new, MEMBER, "Log a decision form"},
    {"POST", "/decisions/new", decisions_page_new_post, MEMBER, "Log a decision"},
    {"GET", "/decisions/{id}", decisions_page_view, MEMBER, "One decision"},
    {"POST", "/decisions/{id}/advice", decisions_page_advice, MEMBER, "Give advice"},
    {"POST", "/decisions/{id}/decide", decisions_page_decide, MEMBER, "Decide after advice"},
    {"POST", "/decisions/{id}/approve", decisions_page_approve, MEMBER, "Approve"},
    {"POST", "/decisions/{id}/decline", decisions_page_decline, MEMBER, "Decline"},
    {"POST", "/decisions/{id}/withdraw", decisions_page_withdraw, MEMBER, "Withdraw"},
    {"POST", "/decisions/{id}/outcome", decisions_page_outcome, MEMBER, "Record the outcome"},
    {"GET", "/inbox", decisions_page_inbox, MEMBER, "Your inbox"},
    {"GET", "/learning", decisions_page_learning, MEMBER, "The learning library"},

    /* earned autonomy (autonomy.c) and evidence (insights.c) */
    {"GET", "/api/v1/autonomy/suggestions", autonomy_api_list, MEMBER, "Autonomy suggestions"},
    {"GET", "/api/v1/autonomy/suggestions/{id}", autonomy_api_get, MEMBER, "One suggestion with its evidence"},
    {"POST", "/api/v1/autonomy/suggestions/{id}/accept", autonomy_api_accept, MEMBER, "Accept a suggestion"},
    {"POST", "/api/v1/autonomy/suggestions/{id}/reject", autonomy_api_reject, MEMBER, "Reject a suggestion"},
    {"GET", "/autonomy", autonomy_page_list, MEMBER, "Autonomy suggestions"},
    {"GET", "/autonomy/{id}", autonomy_page_view, MEMBER, "One suggestion with its evidence"},
    {"POST", "/autonomy/{id}/accept", autonomy_page_accept, MEMBER, "Accept a suggestion"},
    {"POST", "/autonomy/{id}/reject", autonomy_page_reject, MEMBER, "Reject a suggestion"},
    {"GET", "/api/v1/insights/decisions", insights_api_decisions, MANAGER, "Decision insights"},
    {"GET", "/insights", insights_page, MANAGER, "Decision insights dashboard"},

    /* audit log (auditlog.c) */
    {"GET", "/api/v1/audit", auditlog_api_list, ADMIN, "The audit log"},
    {"GET", "/audit", auditlog_page, ADMIN, "The audit log"},
};
const int g_nroutes = (int)(sizeof g_routes / sizeof g_routes[0]);
