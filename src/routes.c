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

    /* audit log (auditlog.c) */
    {"GET", "/api/v1/audit", auditlog_api_list, ADMIN, "The audit log"},
    {"GET", "/audit", auditlog_page, ADMIN, "The audit log"},
};
const int g_nroutes = (int)(sizeof g_routes / sizeof g_routes[0]);
