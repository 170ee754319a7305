/* home.c: the start page and its registry. Every person's home starts
 * with "What needs you now": the items the features of shell.c's
 * g_home_providers add (approvals, advice, outcomes due ...), overdue
 * first; managers and up then see the health tiles of their part of the
 * organisation (the whole of it for admins and owners), then "What you may
 * decide" (rights.c) and who they are in the organisation. GET
 * /api/v1/home answers the same items and tiles. This file knows no
 * feature's tables: it only collects, orders and renders what the
 * providers hand it, so a new feature adds a provider, not code here. */
#include "remit.h"
#include "handlers.h"
#include <stdlib.h>
#include <string.h>

struct Home {
    Req *r;
    Arena *arena;
    HomeItem *items;
    int nitems, icap;
    HomeTile *tiles;
    int ntiles, tcap;
    int order;               /* registration order, to keep sorting stable */
    int *seq;
};

void home_item(Home *h, const char *key, const char *label, int64_t count, const char *href, int urgency) {
    if (count <= 0) return;
    if (h->nitems == h->icap) {
        int cap = h->icap;
        h->items = arena_grow(h->arena, h->items, &h->icap, sizeof *h->items);
        h->seq = arena_grow(h->arena, h->seq, &cap, sizeof *h->seq);
    }
    h->seq[h->nitems] = h->order++;
    h->items[h->nitems++] = (HomeItem){key, label, count, href, urgency < URGENCY_OVERDUE || urgency > URGENCY_INFO ? URGENCY_INFO : urgency};
}

void home_tile(Home *h, const char *key, const char *label, const char *text, json_t *value, const char *href) {
    if (!value) value = json_null();
    req_defer_json(h->r, value);
    if (h->ntiles == h->tcap) h->tiles = arena_grow(h->arena, h->tiles, &h->tcap, sizeof *h->tiles);
    h->tiles[h->ntiles++] = (HomeTile){key, label, text, value, href};
}

/* home_collect: runs every provider for the caller and sorts the items by
 * urgency (overdue first), then in registration order. Arena-owned. */
static void home_collect(Req *r, Home *h) {
    memset(h, 0, sizeof *h);
    h->r = r;
    h->arena = r->arena;
    h->icap = h->tcap = 8;
    h->items = arena_alloc(r->arena, sizeof *h->items * (size_t)h->icap);
    h->seq = arena_alloc(r->arena, sizeof *h->seq * (size_t)h->icap);
    h->tiles = arena_alloc(r->arena, sizeof *h->tiles * (size_t)h->tcap);
    for (int i = 0; i < g_nhome_providers; i++) {
        if (g_home_providers[i].items) g_home_providers[i].items(r, h);
        if (g_home_providers[i].tiles && r->who.access >= ACCESS_MANAGER) g_home_providers[i].tiles(r, h);
    }
    /* insertion sort: a handful of items */
    for (int i = 1; i < h->nitems; i++) {
        HomeItem it = h->items[i];
        int sq = h->seq[i], j = i - 1;
        while (j >= 0 && (h->items[j].urgency > it.urgency || (h->items[j].urgency == it.urgency && h->seq[j] > sq))) {
            h->items[j + 1] = h->items[j];
            h->seq[j + 1] = h->seq[j];
            j--;
        }
        h->items[j + 1] = it;
        h->seq[j + 1] = sq;
    }
}

static const char *const URGENCY_NAMES[] = {"overdue", "waiting", "due", "info"};

static const char *scope_name(Req *r) { return r->who.access >= ACCESS_ADMIN ? "organisation" : "yours"; }

/* home_render_needs: "What needs you now", or the empty state. */
static void home_render_needs(Req *r, const Home *h) {
    Buf *b = page(r);
    html_printf(b, "<section class=\"card needs\" aria-labelledby=\"needs-h\"><h2 id=\"needs-h\">%h</h2>", T(r, "What needs you now"));
    if (!h->nitems) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "Nothing is waiting for you. Well done."));
    else {
        buf_puts(b, "<ul class=\"needs-list\">");
        for (int i = 0; i < h->nitems; i++) {
            const HomeItem *it = &h->items[i];
            html_printf(b, "<li class=\"urgency-%s\"><a href=\"%h\"><strong class=\"n\">%D</strong> %h</a>", URGENCY_NAMES[it->urgency], it->href,
                        it->count, it->label);
            if (it->urgency == URGENCY_OVERDUE) html_printf(b, " <span class=\"badge status-overdue\">%h</span>", T(r, "overdue"));
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section>");
}

/* home_render_tiles: the health of the caller's part (managers and up). */
static void home_render_tiles(Req *r, const Home *h) {
    if (r->who.access < ACCESS_MANAGER || !h->ntiles) return;
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" aria-labelledby=\"health-h\"><h2 id=\"health-h\">%h</h2><ul class=\"stats tiles\">",
                r->who.access >= ACCESS_ADMIN ? T(r, "How the organisation is doing") : T(r, "How your part of the organisation is doing"));
    for (int i = 0; i < h->ntiles; i++)
        html_printf(b, "<li><a href=\"%h\"><strong>%h</strong> %h</a></li>", h->tiles[i].href, h->tiles[i].text, h->tiles[i].label);
    buf_puts(b, "</ul></section>");
}

/* GET /api/v1/home: what needs the caller now (ordered, overdue first),
 * the health tiles (managers and up; [] for members) and the rights the
 * caller may decide with (member). */
int home_api(Req *r) {
    Home h;
    home_collect(r, &h);
    json_t *items = json_array(), *tiles = json_array();
    for (int i = 0; i < h.nitems; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:s,s:s}", "key", h.items[i].key, "label", h.items[i].label, "count",
                                               (json_int_t)h.items[i].count, "href", h.items[i].href, "urgency", URGENCY_NAMES[h.items[i].urgency]));
    for (int i = 0; i < h.ntiles; i++)
        json_array_append_new(tiles, json_pack("{s:s,s:s,s:O,s:s,s:s}", "key", h.tiles[i].key, "label", h.tiles[i].label, "value", h.tiles[i].value,
                                               "text", h.tiles[i].text, "href", h.tiles[i].href));
    json_t *o = json_pack("{s:o,s:o,s:o,s:o}", "items", items, "tiles", tiles, "scope",
                          r->who.access >= ACCESS_MANAGER ? json_string(scope_name(r)) : json_null(), "may_decide", rights_json_for_person(r, r->who.person_id));
    resp_json(r, 200, o);
    return 0;
}

static const char SQL_HOME_ME[] =
    "SELECT o.name, o.purpose, p.title, t.id, t.name, m.id, m.name FROM person p JOIN org o ON o.id = p.org_id "
    "LEFT JOIN team t ON t.id = p.team_id AND t.org_id = p.org_id LEFT JOIN person m ON m.id = p.manager_id AND m.org_id = p.org_id "
    "WHERE p.id = ? AND p.org_id = ?";
static const char SQL_HOME_REPORTS[] =
    "SELECT id, name, title FROM person WHERE manager_id = ? AND org_id = ? AND status <> 'left' ORDER BY name LIMIT 50";
static const char SQL_HOME_COUNTS[] =
    "SELECT (SELECT count(*) FROM person WHERE org_id = ? AND status <> 'left'), (SELECT count(*) FROM team WHERE org_id = ?), "
    "(SELECT count(*) FROM goal WHERE org_id = ? AND status = 'active')";

/* GET /: the start page: what needs you now, the health of your part
 * (managers and up), what you may decide, "Can I?", your place (member). */
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

    Home h;
    home_collect(r, &h);
    page_begin(r, T(r, "Home"));
    Buf *b = page(r);
    html_printf(b, "<h1>Hello, %h</h1><p class=\"lead\">%h</p>", r->who.name,
                title && *title ? arena_printf(r->arena, T(r, "%s at %s"), title, org ? org : "") : org); /* TRANSLATORS: title at organisation */
    home_render_needs(r, &h);
    home_render_tiles(r, &h);
    rights_render_for_person(r, r->who.person_id, NULL);
    can_box(r, NULL, NULL, NULL);
    /* the titles of my open actions, overdue first (their counts are in "what needs you now") */
    ActionBrief items[5];
    int nitems = actions_home_list(r, items, 5);
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
