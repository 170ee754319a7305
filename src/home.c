/* home.c: the start page: who you are in the organisation (team, manager,
 * reports), what it is for, and where to go next. Later features add their
 * own panels here ("Can I?", decisions waiting for you). */
#include "remit.h"
#include "handlers.h"

static const char SQL_HOME_ME[] =
    "SELECT o.name, o.purpose, p.title, t.id, t.name, m.id, m.name FROM person p JOIN org o ON o.id = p.org_id "
    "LEFT JOIN team t ON t.id = p.team_id AND t.org_id = p.org_id LEFT JOIN person m ON m.id = p.manager_id AND m.org_id = p.org_id "
    "WHERE p.id = ? AND p.org_id = ?";
static const char SQL_HOME_REPORTS[] =
    "SELECT id, name, title FROM person WHERE manager_id = ? AND org_id = ? AND status <> 'left' ORDER BY name LIMIT 50";
static const char SQL_HOME_COUNTS[] =
    "SELECT (SELECT count(*) FROM person WHERE org_id = ? AND status <> 'left'), (SELECT count(*) FROM team WHERE org_id = ?), "
    "(SELECT count(*) FROM goal WHERE org_id = ? AND status = 'active')";

/* GET /: the start page (member). */
int home_page(Req *r) {
    Stmt *s = db_q(r->db, SQL_HOME_ME, "ii", r->who.person_id, r->who.org_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return resp_error(r, 404, "not_found", "Your person record is missing.");
    }
    char *org = db_dup(s, 0, r->arena), *purpose = db_dup(s, 1, r->arena), *title = db_dup(s, 2, r->arena);
    int64_t team_id = db_int(s, 3), mgr_id = db_int(s, 5);
    char *team = db_dup(s, 4, r->arena), *mgr = db_dup(s, 6, r->arena);
    db_reset(s);

    page_begin(r, "Home");
    Buf *b = page(r);
    html_printf(b, "<h1>Hello, %h</h1><p class=\"lead\">%h</p>", r->who.name,
                title && *title ? arena_printf(r->arena, T(r, "%s at %s"), title, org ? org : "") : org); /* TRANSLATORS: title at organisation */
    can_box(r, NULL, NULL, NULL);
    /* actions assigned to me, overdue first (actions.c; the home registry will take this over) */
    HomeItem items[5];
    int nitems = actions_home_items(r, items, 5);
    if (nitems) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2><ul class=\"plain\">", T(r, "Your actions"));
        for (int i = 0; i < nitems; i++) {
            html_printf(b, "<li><a href=\"%h\">%h</a>", items[i].link, items[i].title);
            if (items[i].note) html_printf(b, " <span class=\"%s\">%h</span>", items[i].urgent ? "badge" : "muted", items[i].note);
            buf_puts(b, "</li>");
        }
        html_printf(b, "</ul><p><a href=\"/actions\">%h</a></p></section>", T(r, "All your actions"));
    }
    buf_puts(b, "<div class=\"grid\"><section class=\"card\"><h2>Why we are here</h2>");
    if (purpose && *purpose) html_markdown(b, purpose);
    else buf_puts(b, "<p class=\"muted\">The purpose has not been written yet.</p>");
    buf_puts(b, "<p><a href=\"/org\">Purpose, values and goals</a></p></section>");

    buf_puts(b, "<section class=\"card\"><h2>Your place</h2><dl class=\"facts\">");
    if (team_id) html_printf(b, "<dt>Team</dt><dd><a href=\"/teams/%D\">%h</a></dd>", team_id, team);
    else buf_puts(b, "<dt>Team</dt><dd class=\"muted\">none</dd>");
    if (mgr_id) html_printf(b, "<dt>Manager</dt><dd><a href=\"/people/%D\">%h</a></dd>", mgr_id, mgr);
    else buf_puts(b, "<dt>Manager</dt><dd class=\"muted\">none</dd>");
    html_printf(b, "<dt>Access</dt><dd>%h</dd></dl>", T(r, access_name(r->who.access)));
    s = db_q(r->db, SQL_HOME_REPORTS, "ii", r->who.person_id, r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<h3>Your reports</h3><ul class=\"plain\">");
        html_printf(b, "<li><a href=\"/people/%D\">%h</a> <span class=\"muted\">%h</span></li>", db_int(s, 0), db_text(s, 1), db_text(s, 2));
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    buf_puts(b, "</section>");

    s = db_q(r->db, SQL_HOME_COUNTS, "iii", r->who.org_id, r->who.org_id, r->who.org_id);
    if (db_step(s) == DB_ROW)
        html_printf(b,
                    "<section class=\"card\"><h2>The organisation</h2><ul class=\"stats\"><li><a href=\"/people\"><strong>%D</strong> people</a></li>"
                    "<li><a href=\"/teams\"><strong>%D</strong> teams</a></li><li><a href=\"/org\"><strong>%D</strong> active goals</a></li></ul></section>",
                    db_int(s, 0), db_int(s, 1), db_int(s, 2));
    db_reset(s);
    buf_puts(b, "</div>");
    if (r->who.access >= ACCESS_ADMIN)
        buf_puts(b, "<section class=\"card\"><h2>Administration</h2><ul class=\"plain\"><li><a href=\"/people/new\">Add a person</a></li>"
                    "<li><a href=\"/people/import\">Import people from a CSV file</a></li><li><a href=\"/teams/new\">Add a team</a></li>"
                    "<li><a href=\"/goals/new\">Add a goal</a></li><li><a href=\"/hooks\">Chat channels</a></li>"
                    "<li><a href=\"/outbox\">E-mail and chat deliveries</a></li><li><a href=\"/audit\">Audit log</a></li></ul></section>");
    page_end(r);
    return 0;
}
