/* teams.c: the organisation's teams: name, parent team and lead, as JSON
 * (/api/v1/teams) and as pages (/teams, shown as a tree). Everyone in the
 * organisation reads; admins create, change and delete. Owns the rules that
 * a team never becomes its own ancestor, that names are unique within an
 * organisation, and that a team still holding people, sub-teams or goals is
 * not deleted. People join teams through people.c, never here. Every query
 * filters on the caller's organisation: a team, parent or lead of another
 * organisation is treated exactly like one that does not exist. */
#include "remit.h"
#include "handlers.h"
#include <stdlib.h>
#include <string.h>

#define TEAM_NAME_MAX 100 /* characters, not bytes */
#define TEAMS_MAX 5000    /* teams loaded for the tree and the parent choice */

typedef struct Team {
    int64_t id, parent_id, lead_id, members;
    char *name, *parent_name, *lead_name;
} Team;

/* The columns team_row reads, from team t with its lead l and parent pt, all
 * joined within the same organisation. members counts people who have not
 * left. */
#define TEAM_SELECT                                                                                                          \
    "SELECT t.id, t.name, t.parent_id, t.lead_id, l.name, pt.name, "                                                         \
    "(SELECT count(*) FROM person m WHERE m.team_id = t.id AND m.org_id = t.org_id AND m.status <> 'left') "                 \
    "FROM team t LEFT JOIN person l ON l.id = t.lead_id AND l.org_id = t.org_id "                                            \
    "LEFT JOIN team pt ON pt.id = t.parent_id AND pt.org_id = t.org_id "

static const char SQL_TEAM_GET[] = TEAM_SELECT "WHERE t.id = ? AND t.org_id = ?";
static const char SQL_TEAM_PAGE[] = TEAM_SELECT "WHERE t.org_id = ? AND t.id > ? ORDER BY t.id LIMIT ?";
static const char SQL_TEAM_ALL[] = TEAM_SELECT "WHERE t.org_id = ? ORDER BY t.name, t.id LIMIT 5000";
static const char SQL_TEAM_PARENT_OF[] = "SELECT parent_id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_EXISTS[] = "SELECT id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_BY_NAME[] = "SELECT id FROM team WHERE org_id = ? AND name = ?";
static const char SQL_PERSON_EXISTS[] = "SELECT id FROM person WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_INSERT[] = "INSERT INTO team(org_id, name, parent_id, lead_id, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_TEAM_UPDATE[] = "UPDATE team SET name = ?, parent_id = ?, lead_id = ? WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_DELETE[] = "DELETE FROM team WHERE id = ? AND org_id = ?";
/* Anyone who still points at the team, left or not: the foreign key would
 * refuse the delete anyway, and a person who left keeps their history. */
static const char SQL_TEAM_PEOPLE_N[] = "SELECT count(*) FROM person WHERE team_id = ? AND org_id = ?";
static const char SQL_TEAM_CHILDREN_N[] = "SELECT count(*) FROM team WHERE parent_id = ? AND org_id = ?";
static const char SQL_TEAM_GOALS_N[] = "SELECT count(*) FROM goal WHERE owner_team_id = ? AND org_id = ?";
static const char SQL_TEAM_CHILDREN[] = "SELECT id, name FROM team WHERE parent_id = ? AND org_id = ? ORDER BY name, id LIMIT 1000";
static const char SQL_TEAM_MEMBERS[] =
    "SELECT id, name, title, status FROM person WHERE team_id = ? AND org_id = ? AND status <> 'left' ORDER BY name, id LIMIT 1000";
/* Lead choices: people who have not left, plus the current lead whatever
 * their status, so that saving a form never clears the lead by surprise. */
static const char SQL_LEAD_OPTIONS[] =
    "SELECT id, name FROM person WHERE org_id = ? AND (status <> 'left' OR id = ?) ORDER BY name, id LIMIT 5000";

/* team_row: copies the current row of a TEAM_SELECT statement into t; the
 * strings are owned by the request's arena. */
static void team_row(Req *r, Stmt *s, Team *t) {
    t->id = db_int(s, 0);
    t->name = db_dup(s, 1, r->arena);
    t->parent_id = db_int(s, 2);
    t->lead_id = db_int(s, 3);
    t->lead_name = db_dup(s, 4, r->arena);
    t->parent_name = db_dup(s, 5, r->arena);
    t->members = db_int(s, 6);
}

/* team_find: the team with this id in the caller's organisation. 1 found, 0
 * not (nothing sent). */
static int team_find(Req *r, int64_t id, Team *t) {
    Stmt *s = db_q(r->db, SQL_TEAM_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) team_row(r, s, t);
    db_reset(s);
    return found;
}

/* team_load: the team named by the route's {id}; -1 after sending 404. */
static int team_load(Req *r, Team *t) {
    if (r->nparams < 1 || !team_find(r, r->params[0], t)) return resp_error(r, 404, "not_found", "There is no such team.");
    return 0;
}

static json_t *team_json(const Team *t) {
    json_t *lead = t->lead_id ? json_pack("{s:I,s:s}", "id", (json_int_t)t->lead_id, "name", t->lead_name ? t->lead_name : "") : json_null();
    return json_pack("{s:I,s:s,s:o,s:o,s:o,s:I}", "id", (json_int_t)t->id, "name", t->name, "parent_id",
                     t->parent_id ? json_integer(t->parent_id) : json_null(), "lead_id", t->lead_id ? json_integer(t->lead_id) : json_null(),
                     "lead", lead, "member_count", (json_int_t)t->members);
}

/* ---------- every team of the organisation, for the tree and the forms ---------- */

typedef struct TeamSet {
    Team *items;  /* in name order */
    int n;
    int *byid;    /* indexes into items, in id order, for team_index */
} TeamSet;

static int cmp_team_id(const void *a, const void *b, void *ctx) {
    const Team *items = ctx;
    int64_t x = items[*(const int *)a].id, y = items[*(const int *)b].id;
    return x < y ? -1 : x > y;
}

/* teams_load_all: up to TEAMS_MAX teams of the caller's organisation, owned
 * by the request's arena. */
static void teams_load_all(Req *r, TeamSet *ts) {
    int cap = 64;
    ts->n = 0;
    ts->items = arena_alloc(r->arena, sizeof(Team) * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_TEAM_ALL, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (ts->n == cap) ts->items = arena_grow(r->arena, ts->items, &cap, sizeof *ts->items);
        team_row(r, s, &ts->items[ts->n++]);
    }
    db_reset(s);
    ts->byid = arena_alloc(r->arena, sizeof(int) * (size_t)(ts->n + 1));
    for (int i = 0; i < ts->n; i++) ts->byid[i] = i;
    qsort_r(ts->byid, (size_t)ts->n, sizeof(int), cmp_team_id, ts->items);
}

/* team_index: the index in ts->items of the team with this id, or -1. */
static int team_index(const TeamSet *ts, int64_t id) {
    int lo = 0, hi = ts->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int64_t v = ts->items[ts->byid[mid]].id;
        if (v == id) return ts->byid[mid];
        if (v < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* parent_in_set: would_cycle's parent_of over a loaded TeamSet. */
static int64_t parent_in_set(void *ctx, int64_t id) {
    const TeamSet *ts = ctx;
    int i = team_index(ts, id);
    return i < 0 ? 0 : ts->items[i].parent_id;
}

/* parent_in_db: would_cycle's parent_of over the database (ctx is the Req),
 * used inside the saving transaction so that the answer is current. */
static int64_t parent_in_db(void *ctx, int64_t id) {
    Req *r = ctx;
    int64_t p = 0;
    if (!db_one_int(r->db, &p, SQL_TEAM_PARENT_OF, "ii", id, r->who.org_id)) return 0;
    return p;
}

/* ---------- rules shared by the API and the pages ---------- */

/* team_save: validates and stores a new team (cur NULL) or the new state of
 * cur. parent_id and lead_id are 0 for none. Problems already in e (from
 * parsing a form) fail the save after every field has been checked, so a
 * form shows all of its errors at once. On success *id_out is the team's id.
 * 0 ok; -1 with problems in e and nothing changed. */
static int team_save(Req *r, const Team *cur, const char *name, int64_t parent_id, int64_t lead_id, Errors *e, int64_t *id_out) {
    char *n = str_trim(r->arena, name ? name : "");
    bool name_ok = false;
    if (str_empty(n)) err_add(e, 422, "invalid", "name", "The team needs a name.");
    else if (utf8_chars(n) > TEAM_NAME_MAX) err_add(e, 422, "invalid", "name", "Keep the name to 100 characters or fewer.");
    else if (has_control(n)) err_add(e, 422, "invalid", "name", "The name cannot contain line breaks or control characters.");
    else name_ok = true;

    /* Checks and write in one BEGIN IMMEDIATE transaction: nobody can add the
     * same name or close a cycle between the check and the write. */
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    int64_t other = 0;
    if (name_ok && db_one_int(r->db, &other, SQL_TEAM_BY_NAME, "it", r->who.org_id, n) && (!cur || other != cur->id))
        err_add(e, 409, "conflict", "name", "Another team already has this name.");
    int64_t found = 0;
    if (parent_id) {
        if (!db_one_int(r->db, &found, SQL_TEAM_EXISTS, "ii", parent_id, r->who.org_id))
            err_add(e, 422, "invalid", "parent_id", "Choose a parent team from this organisation.");
        else if (cur && parent_id == cur->id)
            err_add(e, 409, "conflict", "parent_id", "A team cannot be its own parent.");
        else if (cur && would_cycle(cur->id, parent_id, parent_in_db, r))
            err_add(e, 409, "conflict", "parent_id", "That team is part of this one; a team cannot be its own ancestor.");
    }
    if (lead_id && !db_one_int(r->db, &found, SQL_PERSON_EXISTS, "ii", lead_id, r->who.org_id))
        err_add(e, 422, "invalid", "lead_id", "Choose a lead from this organisation.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }

    int rc;
    int64_t id;
    if (!cur) {
        rc = db_exec(r->db, SQL_TEAM_INSERT, "itIIi", r->who.org_id, n, parent_id, lead_id, r->now);
        id = db_last_id(r->db);
    } else {
        rc = db_exec(r->db, SQL_TEAM_UPDATE, "tIIii", n, parent_id, lead_id, cur->id, r->who.org_id);
        id = cur->id;
    }
    if (rc != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "name", "Another team already has this name.");
        else err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    const char *object = arena_printf(r->arena, "team:%lld", (long long)id);
    if (!cur) {
        audit(r, "team.create", object, "name \"%s\" parent %lld lead %lld", n, (long long)parent_id, (long long)lead_id);
    } else {
        Buf changed = {0};
        if (strcmp(n, cur->name)) buf_printf(&changed, " name (was \"%s\")", cur->name);
        if (parent_id != cur->parent_id) buf_printf(&changed, " parent %lld->%lld", (long long)cur->parent_id, (long long)parent_id);
        if (lead_id != cur->lead_id) buf_printf(&changed, " lead %lld->%lld", (long long)cur->lead_id, (long long)lead_id);
        audit(r, "team.update", object, "changed:%s", changed.len ? buf_cstr(&changed) : " nothing");
        buf_free(&changed);
    }
    if (db_commit(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    *id_out = id;
    return 0;
}

/* team_delete: deletes t unless people, sub-teams or goals still belong to
 * it. 0 ok; -1 with the reason in e and nothing changed. */
static int team_delete(Req *r, const Team *t, Errors *e) {
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    int64_t people = 0, children = 0, goals = 0;
    db_one_int(r->db, &people, SQL_TEAM_PEOPLE_N, "ii", t->id, r->who.org_id);
    db_one_int(r->db, &children, SQL_TEAM_CHILDREN_N, "ii", t->id, r->who.org_id);
    db_one_int(r->db, &goals, SQL_TEAM_GOALS_N, "ii", t->id, r->who.org_id);
    if (people)
        err_add(e, 409, "conflict", NULL,
                people == 1 ? "One person still belongs to this team; move them to another team first."
                            : arena_printf(r->arena, "%lld people still belong to this team; move them to another team first.", (long long)people));
    if (children)
        err_add(e, 409, "conflict", NULL,
                children == 1 ? "The team has a sub-team; move or delete it first."
                              : arena_printf(r->arena, "The team has %lld sub-teams; move or delete them first.", (long long)children));
    if (goals)
        err_add(e, 409, "conflict", NULL,
                goals == 1 ? "The team owns a goal; give it to another team first."
                           : arena_printf(r->arena, "The team owns %lld goals; give them to another team first.", (long long)goals));
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    int rc = db_exec(r->db, SQL_TEAM_DELETE, "ii", t->id, r->who.org_id);
    if (rc != DB_OK) {
        db_rollback(r->db);
        /* A reference we did not count (another module's table): still in use. */
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", NULL, "The team is still in use elsewhere and cannot be deleted.");
        else err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    audit(r, "team.delete", arena_printf(r->arena, "team:%lld", (long long)t->id), "name \"%s\"", t->name);
    if (db_commit(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    return 0;
}

/* ---------- JSON ---------- */

/* GET /api/v1/teams ?limit= ?after=: the organisation's teams by id,
 * paged (member). */
int teams_api_list(Req *r) {
    int limit;
    int64_t after, last = 0;
    if (parse_limit_after(r, &limit, &after)) return -1;
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_TEAM_PAGE, "iii", r->who.org_id, after, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Team t;
        team_row(r, s, &t);
        json_array_append_new(items, team_json(&t));
        last = t.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

/* GET /api/v1/teams/{id}: one team (member). */
int teams_api_get(Req *r) {
    Team t;
    if (team_load(r, &t)) return -1;
    resp_json(r, 200, team_json(&t));
    return 0;
}

/* name is checked for length in team_save (422), so the parser's limit is
 * only a guard against absurd bodies. */
static const JField TEAM_FIELDS[] = {{"name", JF_STRING, 1000}, {"parent_id", JF_ID_NULL, 0}, {"lead_id", JF_ID_NULL, 0}, {0}};

/* POST /api/v1/teams {"name","parent_id","lead_id"}: a new team; name is
 * required (admin). 201 with the team. */
int teams_api_create(Req *r) {
    json_t *in = req_json_object(r, TEAM_FIELDS);
    if (!in) return -1;
    Errors e = {0};
    int64_t id;
    if (team_save(r, NULL, json_str(in, "name"), json_id(in, "parent_id"), json_id(in, "lead_id"), &e, &id)) return err_send(r, &e);
    Team t;
    if (!team_find(r, id, &t)) return resp_error(r, 500, "internal", "The new team could not be read back.");
    resp_json(r, 201, team_json(&t));
    return 0;
}

/* PATCH /api/v1/teams/{id} {"name","parent_id","lead_id"}: any subset; null
 * clears parent_id or lead_id (admin). */
int teams_api_patch(Req *r) {
    json_t *in = req_json_object(r, TEAM_FIELDS);
    if (!in) return -1;
    Team t;
    if (team_load(r, &t)) return -1;
    Errors e = {0};
    int64_t id;
    if (team_save(r, &t, json_has(in, "name") ? json_str(in, "name") : t.name, json_has(in, "parent_id") ? json_id(in, "parent_id") : t.parent_id,
                  json_has(in, "lead_id") ? json_id(in, "lead_id") : t.lead_id, &e, &id))
        return err_send(r, &e);
    if (!team_find(r, id, &t)) return resp_error(r, 500, "internal", "The team could not be read back.");
    resp_json(r, 200, team_json(&t));
    return 0;
}

/* DELETE /api/v1/teams/{id}: deletes an empty team (admin). 204; 409 while
 * people, sub-teams or goals belong to it. */
int teams_api_delete(Req *r) {
    Team t;
    if (team_load(r, &t)) return -1;
    Errors e = {0};
    if (team_delete(r, &t, &e)) return err_send(r, &e);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* ---------- pages ---------- */

/* tree_item: one team in the tree: link, lead, head count. */
static void tree_item(Req *r, const Team *t) {
    Buf *b = page(r);
    html_printf(b, "<li><a href=\"/teams/%D\">%h</a> <span class=\"muted\">", t->id, t->name);
    if (t->lead_id) html_printf(b, "lead <a href=\"/people/%D\">%h</a> · ", t->lead_id, t->lead_name ? t->lead_name : "");
    html_printf(b, "%s</span>", arena_printf(r->arena, TN(r, "%lld person", "%lld people", t->members), (long long)t->members));
}

/* tree_walk: renders the subtree at start (and, when siblings is set, the
 * subtrees of start's later siblings) as nested lists, iteratively so that a
 * deep chain cannot exhaust the stack. seen guards against corrupt data: a
 * team is shown once and a cycle cannot loop. */
static void tree_walk(Req *r, const TeamSet *ts, const int *child, const int *next, int start, bool siblings, char *seen, int *stack) {
    Buf *b = page(r);
    int sp = 0, cur = start;
    for (;;) {
        if (cur >= 0) {
            if (seen[cur]) {
                cur = sp || siblings ? next[cur] : -1;
                continue;
            }
            seen[cur] = 1;
            tree_item(r, &ts->items[cur]);
            if (child[cur] >= 0) {
                buf_puts(b, "<ul>");
                stack[sp++] = cur;
                cur = child[cur];
                continue;
            }
            buf_puts(b, "</li>");
            cur = sp || siblings ? next[cur] : -1;
            continue;
        }
        if (sp == 0) break;
        int p = stack[--sp];
        buf_puts(b, "</ul></li>");
        cur = sp || siblings ? next[p] : -1;
    }
}

/* teams_render_tree: every team as a tree by parent, each level in name
 * order. Teams whose parent is missing are shown at the top. */
static void teams_render_tree(Req *r, const TeamSet *ts) {
    int n = ts->n;
    size_t sz = sizeof(int) * (size_t)(n + 1);
    int *child = arena_alloc(r->arena, sz), *last = arena_alloc(r->arena, sz), *next = arena_alloc(r->arena, sz), *stack = arena_alloc(r->arena, sz);
    char *seen = arena_alloc(r->arena, (size_t)n + 1);
    int root = -1, root_last = -1;
    for (int i = 0; i < n; i++) child[i] = last[i] = next[i] = -1;
    for (int i = 0; i < n; i++) { /* in name order, so each level is too */
        int p = ts->items[i].parent_id ? team_index(ts, ts->items[i].parent_id) : -1;
        int *head = p >= 0 ? &child[p] : &root, *tail = p >= 0 ? &last[p] : &root_last;
        if (*tail >= 0) next[*tail] = i;
        else *head = i;
        *tail = i;
    }
    buf_puts(page(r), "<ul class=\"tree\">");
    tree_walk(r, ts, child, next, root, true, seen, stack);
    for (int i = 0; i < n; i++) /* only reachable when the data holds a cycle */
        if (!seen[i]) tree_walk(r, ts, child, next, i, false, seen, stack);
    buf_puts(page(r), "</ul>");
}

/* GET /teams ?deleted=1: every team as a tree, with lead and head count
 * (member). */
int teams_page_list(Req *r) {
    TeamSet ts;
    teams_load_all(r, &ts);
    page_begin(r, "Teams");
    buf_puts(page(r), "<div class=\"title-row\"><h1>Teams</h1>");
    if (r->who.access >= ACCESS_ADMIN) buf_puts(page(r), "<a class=\"button secondary\" href=\"/teams/new\">Add a team</a>");
    buf_puts(page(r), "</div>");
    page_flash(r, req_query(r, "deleted") ? "Team deleted." : NULL);
    export_link(r, "/api/v1/teams");
    buf_puts(page(r), "<section class=\"card\">");
    if (ts.n) teams_render_tree(r, &ts);
    else buf_puts(page(r), "<p class=\"muted\">No teams yet.</p>");
    buf_puts(page(r), "</section>");
    page_end(r);
    return 0;
}

/* team_view: the team page; error, when set, says why a delete failed. */
static void team_view(Req *r, const Team *t, const char *error) {
    Buf *b = page(r);
    page_begin(r, t->name);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1>", t->name);
    if (r->who.access >= ACCESS_ADMIN) html_printf(b, "<a class=\"button secondary\" href=\"/teams/%D/edit\">Edit</a>", t->id);
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    if (error) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);

    buf_puts(b, "<section class=\"card\"><dl class=\"facts\">");
    if (t->parent_id) html_printf(b, "<dt>Part of</dt><dd><a href=\"/teams/%D\">%h</a></dd>", t->parent_id, t->parent_name ? t->parent_name : "");
    else buf_puts(b, "<dt>Part of</dt><dd class=\"muted\">none</dd>");
    if (t->lead_id) html_printf(b, "<dt>Lead</dt><dd><a href=\"/people/%D\">%h</a></dd>", t->lead_id, t->lead_name ? t->lead_name : "");
    else buf_puts(b, "<dt>Lead</dt><dd class=\"muted\">none</dd>");
    html_printf(b, "<dt>Head count</dt><dd>%D</dd></dl></section>", t->members);

    buf_puts(b, "<section class=\"card\"><h2>Sub-teams</h2>");
    Stmt *s = db_q(r->db, SQL_TEAM_CHILDREN, "ii", t->id, r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
        html_printf(b, "<li><a href=\"/teams/%D\">%h</a></li>", db_int(s, 0), db_text(s, 1));
    }
    db_reset(s);
    buf_puts(b, n ? "</ul>" : "<p class=\"muted\">No sub-teams.</p>");
    buf_puts(b, "</section>");

    buf_puts(b, "<section class=\"card\"><h2>Members</h2>");
    s = db_q(r->db, SQL_TEAM_MEMBERS, "ii", t->id, r->who.org_id);
    n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Title</th></tr></thead><tbody>");
        html_printf(b, "<tr><td><a href=\"/people/%D\">%h</a>", db_int(s, 0), db_text(s, 1));
        if (strcmp(db_text(s, 3), "away") == 0) buf_puts(b, " <span class=\"muted\">(away)</span>");
        html_printf(b, "</td><td>%h</td></tr>", db_text(s, 2));
    }
    db_reset(s);
    buf_puts(b, n ? "</tbody></table>" : "<p class=\"muted\">Nobody is in this team yet.</p>");
    buf_puts(b, "</section>");

    if (r->who.access >= ACCESS_ADMIN) {
        buf_puts(b, "<section class=\"card\"><h2>Delete this team</h2>"
                    "<p class=\"muted\">Only a team without people, sub-teams or goals can be deleted.</p>");
        form_begin_confirm(r, arena_printf(r->arena, "/teams/%lld/delete", (long long)t->id), "Delete this team?");
        buf_puts(b, "<div class=\"actions\"><button type=\"submit\" class=\"danger\">Delete team</button></div></form></section>");
    }
    page_end(r);
}

/* GET /teams/{id} ?saved=1: name, parent, lead, sub-teams and members
 * (member). */
int teams_page_view(Req *r) {
    Team t;
    if (team_load(r, &t)) return -1;
    team_view(r, &t, NULL);
    return 0;
}

/* team_form: the new (cur NULL) or edit form with what was typed and the
 * errors next to their fields. The parent choice leaves out the team itself
 * and everything under it. */
static void team_form(Req *r, const Team *cur, const char *name, int64_t parent_id, int64_t lead_id, const Errors *e) {
    TeamSet ts;
    teams_load_all(r, &ts);
    Option *teams = arena_alloc(r->arena, sizeof(Option) * (size_t)(ts.n + 1));
    int nteams = 0;
    for (int i = 0; i < ts.n; i++) {
        if (cur && would_cycle(cur->id, ts.items[i].id, parent_in_set, &ts)) continue;
        teams[nteams].id = ts.items[i].id;
        teams[nteams++].label = ts.items[i].name;
    }
    int npeople = 0;
    Option *people = options_from(r, db_q(r->db, SQL_LEAD_OPTIONS, "ii", r->who.org_id, cur ? cur->lead_id : (int64_t)0), &npeople);

    const char *title = cur ? arena_printf(r->arena, T(r, "Edit team: %s"), cur->name) : N_("New team");
    page_begin(r, title);
    html_printf(page(r), "<h1>%h</h1>", T(r, title));
    form_error_summary(r, e ? e->n : 0);
    if (e && e->n && !e->items[0].field) html_printf(page(r), "<p class=\"error\">%h</p>", e->items[0].msg);
    form_begin(r, cur ? arena_printf(r->arena, "/teams/%lld/edit", (long long)cur->id) : "/teams/new", NULL);
    form_text(r, "name", "Name", name, e ? err_for(e, "name") : NULL, "text", true);
    form_select_id(r, "parent_id", "Part of", parent_id, teams, nteams, "(none: a top-level team)", e ? err_for(e, "parent_id") : NULL);
    form_select_id(r, "lead_id", "Lead", lead_id, people, npeople, "(no lead)", e ? err_for(e, "lead_id") : NULL);
    form_end(r, cur ? N_("Save") : N_("Add team"));
    if (cur) html_printf(page(r), "<p><a href=\"/teams/%D\">Cancel</a></p>", cur->id);
    else buf_puts(page(r), "<p><a href=\"/teams\">Cancel</a></p>");
    page_end(r);
}

/* form_team_id: an optional id field of a form: 0 when empty; a value that is
 * not an id is recorded in e. */
static int64_t form_team_id(Req *r, const char *field, const char *msg, Errors *e) {
    const char *v = req_form(r, field);
    int64_t id = 0;
    if (str_empty(v)) return 0;
    if (!parse_id(v, &id)) {
        err_add(e, 422, "invalid", field, msg);
        return 0;
    }
    return id;
}

/* team_form_post: saves the posted form (name, parent_id, lead_id) as a new
 * team (cur NULL) or onto cur; redirects to the team page, or shows the form
 * again with the errors. */
static int team_form_post(Req *r, const Team *cur) {
    Errors e = {0};
    const char *name = req_form(r, "name");
    int64_t parent_id = form_team_id(r, "parent_id", "Choose a parent team from the list.", &e);
    int64_t lead_id = form_team_id(r, "lead_id", "Choose a lead from the list.", &e);
    int64_t id;
    if (team_save(r, cur, name, parent_id, lead_id, &e, &id)) {
        team_form(r, cur, name, parent_id, lead_id, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/teams/%lld?saved=1", (long long)id));
    return 0;
}

/* GET /teams/new: the new team form (admin). */
int teams_page_new(Req *r) {
    team_form(r, NULL, "", 0, 0, NULL);
    return 0;
}

/* POST /teams/new (name, parent_id, lead_id): adds a team (admin). */
int teams_page_new_post(Req *r) { return team_form_post(r, NULL); }

/* GET /teams/{id}/edit: the edit form (admin). */
int teams_page_edit(Req *r) {
    Team t;
    if (team_load(r, &t)) return -1;
    team_form(r, &t, t.name, t.parent_id, t.lead_id, NULL);
    return 0;
}

/* POST /teams/{id}/edit (name, parent_id, lead_id): saves a team (admin). */
int teams_page_edit_post(Req *r) {
    Team t;
    if (team_load(r, &t)) return -1;
    return team_form_post(r, &t);
}

/* POST /teams/{id}/delete: deletes an empty team and goes to /teams; while
 * people, sub-teams or goals belong to it, shows the team page with the
 * reason and status 409 (admin). */
int teams_page_delete(Req *r) {
    Team t;
    if (team_load(r, &t)) return -1;
    Errors e = {0};
    if (team_delete(r, &t, &e)) {
        Buf why = {0};
        for (int i = 0; i < e.n; i++) buf_printf(&why, "%s%s", i ? " " : "", e.items[i].msg);
        team_view(r, &t, arena_strdup(r->arena, buf_cstr(&why)));
        buf_free(&why);
        r->resp.status = e.status ? e.status : 409;
        return 0;
    }
    resp_redirect(r, "/teams?deleted=1");
    return 0;
}
