/* shell.c: the two tables every feature plugs into. The top navigation
 * (which link sits in which group of the empowerment cycle) and the home
 * page's providers (who adds "needs me now" items and health tiles). A
 * feature adds a link or a provider with one line here; the code that
 * renders them (html.c's page_begin, home.c) never changes for it. This
 * file holds data and one lookup; it renders nothing and reads no
 * database. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <string.h>

/* The groups, in the order people meet them: why we are here, what I may
 * decide, where I speak up, how I grow, what shows it works. */
const char *const g_nav_groups[NAV_NGROUPS] = {N_("Purpose"), N_("Decide"), N_("Speak up"), N_("Grow"), N_("Evidence")};

/* One line per link. Who sees it comes from the GET route in routes.c. */
const NavLink g_nav_links[] = {
    {NAV_PURPOSE, "/org", N_("Organisation")},
    {NAV_PURPOSE, "/org#goals", N_("Goals")},
    {NAV_PURPOSE, "/teams", N_("Teams")},
    {NAV_PURPOSE, "/people", N_("People")},
    {NAV_PURPOSE, "/roles", N_("Roles")},
    {NAV_DECIDE, "/can", N_("Can I?")},
    {NAV_DECIDE, "/rights", N_("Rights")},
    {NAV_DECIDE, "/decisions", N_("Decisions")},
    {NAV_DECIDE, "/learning", N_("Learning")},
    {NAV_DECIDE, "/autonomy", N_("Autonomy")},
    {NAV_SPEAK, "/challenges", N_("Challenges and ideas")},
    {NAV_SPEAK, "/ideas/mine", N_("Your ideas")},
    {NAV_SPEAK, "/surveys", N_("Surveys")},
    {NAV_SPEAK, "/suggestions", N_("Suggestion box")},
    {NAV_SPEAK, "/reports", N_("Report")},
    {NAV_DECIDE, "/protocols", N_("Protocols")},
    {NAV_EVIDENCE, "/reports/insights", N_("Report evidence")},
    {NAV_GROW, "/skills", N_("Skills")},
    {NAV_GROW, "/training", N_("Training")},
    {NAV_GROW, "/recognitions", N_("Recognition")},
    {NAV_GROW, "/feedback", N_("Feedback")},
    {NAV_GROW, "/one-to-ones", N_("One-to-ones")},
    {NAV_GROW, "/reviews360", N_("360 reviews")},
    {NAV_EVIDENCE, "/kpis", N_("Key figures")},
    {NAV_EVIDENCE, "/programme", N_("Empowerment programme")},
    {NAV_EVIDENCE, "/insights", N_("Decision insights")},
    {NAV_EVIDENCE, "/insights/ideas", N_("Idea insights")},
    {NAV_EVIDENCE, "/fairness", N_("Fairness audit")},
    {NAV_EVIDENCE, "/audit", N_("Audit log")},
};
const int g_nnav_links = (int)(sizeof g_nav_links / sizeof g_nav_links[0]);

/* The home page's providers, in the order their items show when their
 * urgency is equal. items run for everyone, tiles for managers and up. */
const HomeProvider g_home_providers[] = {
    {"decisions", decisions_home_items, insights_home_tiles},
    {"autonomy", autonomy_home_items, autonomy_home_tiles},
    {"ideas", NULL, ideainsights_home_tiles},
    {"actions", actions_home_items, NULL},
    {"suggestions", suggest_home_items, NULL},
    {"reports", reports_home_items, NULL},
    {"training", training_home_items, NULL},
    {"recognition", recognition_home_items, NULL},
    {"feedback", feedback_home_items, NULL},
    {"one_to_ones", oneonone_home_items, NULL},
    {"reviews360", review360_home_items, NULL},
    {"kpis", NULL, kpis_home_tiles},
};
const int g_nhome_providers = (int)(sizeof g_home_providers / sizeof g_home_providers[0]);

/* nav_link_need: the access level the GET route for href (its path, the
 * fragment cut off) needs, or -1 when no route answers it (a broken link is
 * then never shown). */
int nav_link_need(const char *href) {
    char path[128];
    size_t n = strcspn(href, "#?");
    if (n >= sizeof path) return -1;
    memcpy(path, href, n);
    path[n] = 0;
    int64_t params[4];
    int np;
    for (int i = 0; i < g_nroutes; i++)
        if (strcmp(g_routes[i].method, "GET") == 0 && router_match(g_routes[i].pattern, path, params, &np)) return g_routes[i].needs;
    return -1;
}
