/* goals.c: the organisation's goals, a tree under its purpose. Each goal has
 * a title, an optional parent goal, a metric, a target, a due date, an owner
 * team and a status. JSON under /api/v1/goals, pages under /goals, and the
 * goal tree shown on /org (goals_render_tree). Everyone in the organisation
 * reads; admins write. Every query filters on the caller's organisation, so a
 * goal or team of another organisation looks exactly like one that does not
 * exist. This file writes only goals and their audit lines. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

typedef struct Goal {
    int64_t id, parent_id, owner_team_id; /* 0 = none */
    char *title, *metric, *target, *status;
    char *due_on;    /* NULL = no due date */
    char *team_name; /* NULL when there is no owner team */
} Goal;

/* The values a form or a JSON body asks for; NULL strings mean "none". */
typedef struct GoalIn {
    const char *title, *metric, *target, *due_on, *status;
    int64_t parent_id, owner_team_id;
} GoalIn;

static const char *const GOAL_STATUSES[] = {N_("proposed"), N_("active"), N_("achieved"), N_("missed"), N_("dropped"), NULL};
#define GOAL_TEXT_MAX 200 /* characters, for title, metric and target */

#define GOAL_COLS "SELECT g.id, g.parent_id, g.title, g.metric, g.target, g.due_on, g.owner_team_id, t.name, g.status "
#define GOAL_FROM "FROM goal g LEFT JOIN team t ON t.id = g.owner_team_id AND t.org_id = g.org_id "
static const char SQL_GOAL_GET[] = GOAL_COLS GOAL_FROM "WHERE g.id = ? AND g.org_id = ?";
static const char SQL_GOAL_ALL[] = GOAL_COLS GOAL_FROM "WHERE g.org_id = ? ORDER BY g.id";
/* parent filter mode: 0 any, 1 top-level goals only, 2 children of the id */
static const char SQL_GOAL_LIST[] = GOAL_COLS GOAL_FROM
    "WHERE g.org_id = ? AND g.id > ? AND (? = 0 OR (? = 1 AND g.parent_id IS NULL) OR (? = 2 AND g.parent_id = ?)) "
    "AND (? IS NULL OR g.status = ?) ORDER BY g.id LIMIT ?";
static const char SQL_GOAL_PARENT[] = "SELECT parent_id FROM goal WHERE id = ? AND org_id = ?";
static const char SQL_GOAL_EXISTS[] = "SELECT id FROM goal WHERE id = ? AND org_id = ?";
static const char SQL_GOAL_CHILDREN[] = "SELECT count(*) FROM goal WHERE parent_id = ? AND org_id = ?";
static const char SQL_GOAL_INSERT[] =
    "INSERT INTO goal(org_id, parent_id, title, metric, target, due_on, owner_team_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_GOAL_UPDATE[] =
    "UPDATE goal SET parent_id = ?, title = ?, metric = ?, target = ?, due_on = ?, owner_team_id = ?, status = ? WHERE id = ? AND org_id = ?";
static const char SQL_GOAL_DELETE[] = "DELETE FROM goal WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_EXISTS[] = "SELECT id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_ORG_PURPOSE[] = "SELECT purpose FROM org WHERE id = ?";

/* ---------- loading ---------- */

static bool status_valid(const char *s) {
    for (int i = 0; s && GOAL_STATUSES[i]; i++)
        if (strcmp(s, GOAL_STATUSES[i]) == 0) return true;
    return false;
}

/* goal_row: one row of GOAL_COLS into g; strings are copied to the arena. */
static void goal_row(Stmt *s, Arena *a, Goal *g) {
    g->id = db_int(s, 0);
    g->parent_id = db_int(s, 1);
    g->title = db_dup(s, 2, a);
    g->metric = arena_strdup(a, db_text(s, 3));
    g->target = arena_strdup(a, db_text(s, 4));
    g->due_on = db_dup(s, 5, a);
    g->team_name = db_dup(s, 7, a);
    g->owner_team_id = g->team_name ? db_int(s, 6) : 0; /* a team outside the org is no team */
    g->status = db_dup(s, 8, a);
}

/* goal_find: loads goal id of the caller's org into g. 1 found, 0 not. */
static int goal_find(Req *r, int64_t id, Goal *g) {
    Stmt *s = db_q(r->db, SQL_GOAL_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) goal_row(s, r->arena, g);
    db_reset(s);
    return found;
}

/* goal_load: like goal_find, but sends 404 (and returns -1) when missing. */
static int goal_load(Req *r, int64_t id, Goal *g) {
    if (goal_find(r, id, g)) return 0;
    return resp_error(r, 404, "not_found", "There is no goal %lld.", (long long)id);
}

/* The whole goal tree of one organisation, loaded by one query and linked
 * in memory: first_child/next_sibling are indexes into g (-1 = none), with
 * siblings in id order. A goal whose parent is missing counts as a root. */
typedef struct GoalSet {
    Goal *g;
    int n;
    int *first_child, *next_sibling;
    int roots; /* first top-level goal, -1 when there are none */
} GoalSet;

/* goalset_find: the index of goal id, or -1 (binary search: g is sorted by id). */
static int goalset_find(const GoalSet *gs, int64_t id) {
    int lo = 0, hi = gs->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (gs->g[mid].id == id) return mid;
        if (gs->g[mid].id < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* goalset_load: every goal of the caller's org, in the request's arena. */
static void goalset_load(Req *r, GoalSet *gs) {
    int cap = 32;
    gs->n = 0;
    gs->g = arena_alloc(r->arena, (size_t)cap * sizeof *gs->g);
    Stmt *s = db_q(r->db, SQL_GOAL_ALL, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (gs->n == cap) gs->g = arena_grow(r->arena, gs->g, &cap, sizeof *gs->g);
        goal_row(s, r->arena, &gs->g[gs->n++]);
    }
    db_reset(s);
    size_t sz = (size_t)(gs->n ? gs->n : 1) * sizeof(int);
    gs->first_child = arena_alloc(r->arena, sz);
    gs->next_sibling = arena_alloc(r->arena, sz);
    gs->roots = -1;
    for (int i = 0; i < gs->n; i++) gs->first_child[i] = -1;
    /* Backwards, so that prepending leaves each sibling list in id order. */
    for (int i = gs->n - 1; i >= 0; i--) {
        int p = gs->g[i].parent_id ? goalset_find(gs, gs->g[i].parent_id) : -1;
        int *head = p >= 0 && p != i ? &gs->first_child[p] : &gs->roots;
        gs->next_sibling[i] = *head;
        *head = i;
    }
}

/* goalset_walk: the goals of the sibling chain `first` and all their
 * descendants in pre-order, with depths (0 for the chain itself). The arrays
 * live in the arena; returns their length. The walk never emits more than
 * gs->n entries, so a corrupt parent cycle cannot loop. */
static int goalset_walk(Req *r, const GoalSet *gs, int first, int **order_out, int **depth_out) {
    size_t sz = (size_t)(gs->n ? gs->n : 1) * sizeof(int);
    int *order = arena_alloc(r->arena, sz), *depth = arena_alloc(r->arena, sz), *stack = arena_alloc(r->arena, sz + sizeof(int));
    int n = 0, d = 0, cur = first;
    while (n < gs->n) {
        if (cur >= 0) {
            order[n] = cur;
            depth[n++] = d;
            if (gs->first_child[cur] >= 0 && d < gs->n) {
                stack[d++] = cur;
                cur = gs->first_child[cur];
            } else cur = gs->next_sibling[cur];
        } else {
            if (d == 0) break;
            cur = gs->next_sibling[stack[--d]];
        }
    }
    *order_out = order;
    *depth_out = depth;
    return n;
}

/* ---------- JSON ---------- */

static json_t *goal_json(const Goal *g) {
    json_t *team = g->owner_team_id ? json_pack("{s:I,s:s}", "id", (json_int_t)g->owner_team_id, "name", g->team_name) : json_null();
    return json_pack("{s:I,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:s}", "id", (json_int_t)g->id, "title", g->title, "parent_id",
                     g->parent_id ? json_integer(g->parent_id) : json_null(), "metric", g->metric, "target", g->target, "due_on",
                     g->due_on ? json_string(g->due_on) : json_null(), "owner_team_id",
                     g->owner_team_id ? json_integer(g->owner_team_id) : json_null(), "owner_team", team, "status", g->status);
}

/* ---------- saving ---------- */

/* parent_of: would_cycle's view of the stored tree (0 at a root). */
static int64_t parent_of(void *ctx, int64_t id) {
    Req *r = ctx;
    int64_t p = 0;
    if (!db_one_int(r->db, &p, SQL_GOAL_PARENT, "ii", id, r->who.org_id)) return 0;
    return p;
}

static bool row_exists(Req *r, const char *sql, int64_t id) {
    int64_t x;
    return db_one_int(r->db, &x, sql, "ii", id, r->who.org_id) == 1;
}

/* text_field: trims *v (NULL becomes "") and checks its length. */
static void text_field(Req *r, const char **v, const char *field, const char *label, Errors *e) {
    *v = str_trim(r->arena, *v ? *v : "");
    if (utf8_chars(*v) > GOAL_TEXT_MAX)
        err_add(e, 422, "invalid", field, arena_printf(r->arena, "Keep the %s to %d characters or fewer.", label, GOAL_TEXT_MAX));
}

static void changed(Buf *b, const char *field) {
    buf_puts(b, b->len ? ", " : " ");
    buf_puts(b, field);
}

static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* goal_save: validates `in` and creates a goal (cur NULL) or changes cur,
 * in one transaction with its audit line. Problems found earlier (such as
 * a form field that is not a number) may already be in e; every problem is
 * collected before giving up, so a form can show them all. The parent and
 * the team are checked inside the transaction, so nothing can move between
 * the check and the write. 0 ok with *id_out set; -1 with problems in e. */
static int goal_save(Req *r, const Goal *cur, GoalIn in, Errors *e, int64_t *id_out) {
    in.title = str_trim(r->arena, in.title ? in.title : "");
    if (str_empty(in.title)) err_add(e, 422, "invalid", "title", "The goal needs a title.");
    else if (utf8_chars(in.title) > GOAL_TEXT_MAX) err_add(e, 422, "invalid", "title", "Keep the title to 200 characters or fewer.");
    text_field(r, &in.metric, "metric", "metric", e);
    text_field(r, &in.target, "target", "target", e);
    if (in.due_on && !*in.due_on) in.due_on = NULL;
    if (in.due_on && !valid_date(in.due_on)) err_add(e, 422, "invalid", "due_on", "Use a real date written as YYYY-MM-DD.");
    if (!in.status) in.status = "active";
    if (!status_valid(in.status))
        err_add(e, 422, "invalid", "status", "The status must be one of proposed, active, achieved, missed or dropped.");

    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    if (in.parent_id) {
        if (!row_exists(r, SQL_GOAL_EXISTS, in.parent_id)) err_add(e, 422, "invalid", "parent_id", "There is no such goal.");
        else if (cur && would_cycle(cur->id, in.parent_id, parent_of, r))
            err_add(e, 409, "cycle", "parent_id", "A goal cannot sit under itself or under one of its own sub-goals.");
    }
    if (in.owner_team_id && !row_exists(r, SQL_TEAM_EXISTS, in.owner_team_id))
        err_add(e, 422, "invalid", "owner_team_id", "There is no such team.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }

    int rc;
    int64_t id;
    if (!cur) {
        rc = db_exec(r->db, SQL_GOAL_INSERT, "iIttttIti", r->who.org_id, in.parent_id, in.title, in.metric, in.target, in.due_on, in.owner_team_id,
                     in.status, r->now);
        id = db_last_id(r->db);
        if (rc == DB_OK) audit(r, "goal.create", arena_printf(r->arena, "goal:%lld", (long long)id), "title: %s", in.title);
    } else {
        id = cur->id;
        rc = db_exec(r->db, SQL_GOAL_UPDATE, "IttttItii", in.parent_id, in.title, in.metric, in.target, in.due_on, in.owner_team_id, in.status, id,
                     r->who.org_id);
        Buf c = {0};
        if (!same(in.title, cur->title)) changed(&c, "title");
        if (in.parent_id != cur->parent_id) changed(&c, "parent");
        if (!same(in.metric, cur->metric)) changed(&c, "metric");
        if (!same(in.target, cur->target)) changed(&c, "target");
        if (!same(in.due_on, cur->due_on)) changed(&c, "due date");
        if (in.owner_team_id != cur->owner_team_id) changed(&c, "owner team");
        if (!same(in.status, cur->status)) changed(&c, arena_printf(r->arena, "status (%s -> %s)", cur->status, in.status));
        if (rc == DB_OK) audit(r, "goal.update", arena_printf(r->arena, "goal:%lld", (long long)id), "changed:%s", c.len ? buf_cstr(&c) : " nothing");
        buf_free(&c);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_add(e, rc == DB_BUSY || rc == DB_OK ? 503 : 500, rc == DB_BUSY || rc == DB_OK ? "busy" : "internal", NULL,
                "The goal could not be saved; try again.");
        return -1;
    }
    *id_out = id;
    return 0;
}

/* goal_delete: removes goal id when it has no sub-goals, with its audit
 * line. 0 ok (*parent_out = its former parent, 0 at the top); -1 with the
 * problem in e (404, 409). */
static int goal_delete(Req *r, int64_t id, Errors *e, int64_t *parent_out) {
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    Goal g;
    int64_t kids = 0;
    if (!goal_find(r, id, &g)) err_add(e, 404, "not_found", NULL, "There is no such goal.");
    else if (db_one_int(r->db, &kids, SQL_GOAL_CHILDREN, "ii", id, r->who.org_id) && kids > 0)
        err_add(e, 409, "has_subgoals", NULL,
                kids == 1 ? N_("This goal has a sub-goal; delete or move it first.") : N_("This goal has sub-goals; delete or move them first."));
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    int rc = db_exec(r->db, SQL_GOAL_DELETE, "ii", id, r->who.org_id);
    if (rc == DB_OK) audit(r, "goal.delete", arena_printf(r->arena, "goal:%lld", (long long)id), "title: %s", g.title);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "in_use", NULL, "Something else still refers to this goal.");
        else err_add(e, 503, "busy", NULL, "The goal could not be deleted; try again.");
        return -1;
    }
    *parent_out = g.parent_id;
    return 0;
}

/* ---------- API ---------- */

/* Byte limits are generous; goal_save counts characters (200) and answers
 * 422 with the field, which is what a person typing needs. */
static const JField GOAL_FIELDS[] = {{"title", JF_STRING, 1000},          {"parent_id", JF_ID_NULL, 0},    {"metric", JF_STRING_NULL, 1000},
                                     {"target", JF_STRING_NULL, 1000},    {"due_on", JF_DATE_NULL, 0},     {"owner_team_id", JF_ID_NULL, 0},
                                     {"status", JF_STRING, 100},          {0}};

/* GET /api/v1/goals?limit=&after=&parent_id=&status=: the goals of the
 * organisation by id, paged (member). parent_id=N lists the sub-goals of N,
 * parent_id=0 (or null) the top-level goals; status filters by one status. */
int goals_api_list(Req *r) {
    int limit;
    int64_t after, pid = 0, mode = 0;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *p = req_query(r, "parent_id"), *st = req_query(r, "status");
    if (p && *p) {
        if (strcmp(p, "0") == 0 || strcmp(p, "null") == 0) mode = 1;
        else if (parse_id(p, &pid)) mode = 2;
        else return resp_error(r, 400, "invalid_parameter", "parent_id must be a goal id, or 0 for the top-level goals.");
    }
    if (st && !*st) st = NULL;
    if (st && !status_valid(st))
        return resp_error(r, 400, "invalid_parameter", "status must be one of proposed, active, achieved, missed or dropped.");
    json_t *items = json_array();
    int64_t last = 0;
    Stmt *s = db_q(r->db, SQL_GOAL_LIST, "iiiiiitti", r->who.org_id, after, mode, mode, mode, pid, st, st, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Goal g;
        goal_row(s, r->arena, &g);
        json_array_append_new(items, goal_json(&g));
        last = g.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

/* POST /api/v1/goals {"title","parent_id","metric","target","due_on",
 * "owner_team_id","status"}: creates a goal (admin). 201 with the goal. */
int goals_api_create(Req *r) {
    json_t *in = req_json_object(r, GOAL_FIELDS);
    if (!in) return -1;
    GoalIn g = {json_str(in, "title"), json_str(in, "metric"), json_str(in, "target"), json_str(in, "due_on"), json_str(in, "status"),
                json_id(in, "parent_id"), json_id(in, "owner_team_id")};
    Errors e = {0};
    int64_t id;
    if (goal_save(r, NULL, g, &e, &id)) return err_send(r, &e);
    Goal out;
    if (goal_load(r, id, &out)) return -1;
    resp_header(r, "Location", arena_printf(r->arena, "/api/v1/goals/%lld", (long long)id));
    resp_json(r, 201, goal_json(&out));
    return 0;
}

/* GET /api/v1/goals/{id}: one goal (member). */
int goals_api_get(Req *r) {
    Goal g;
    if (goal_load(r, r->params[0], &g)) return -1;
    resp_json(r, 200, goal_json(&g));
    return 0;
}

/* PATCH /api/v1/goals/{id}: any subset of the goal's fields (admin); null
 * clears an optional field. 409 when the new parent is the goal itself or
 * one of its sub-goals. */
int goals_api_patch(Req *r) {
    json_t *in = req_json_object(r, GOAL_FIELDS);
    if (!in) return -1;
    Goal cur;
    if (goal_load(r, r->params[0], &cur)) return -1;
    GoalIn g = {cur.title, cur.metric, cur.target, cur.due_on, cur.status, cur.parent_id, cur.owner_team_id};
    if (json_has(in, "title")) g.title = json_str(in, "title");
    if (json_has(in, "metric")) g.metric = json_str(in, "metric");
    if (json_has(in, "target")) g.target = json_str(in, "target");
    if (json_has(in, "due_on")) g.due_on = json_str(in, "due_on");
    if (json_has(in, "status")) g.status = json_str(in, "status");
    if (json_has(in, "parent_id")) g.parent_id = json_id(in, "parent_id");
    if (json_has(in, "owner_team_id")) g.owner_team_id = json_id(in, "owner_team_id");
    Errors e = {0};
    int64_t id;
    if (goal_save(r, &cur, g, &e, &id)) return err_send(r, &e);
    if (goal_load(r, id, &cur)) return -1;
    resp_json(r, 200, goal_json(&cur));
    return 0;
}

/* DELETE /api/v1/goals/{id}: deletes a goal without sub-goals (admin). 204;
 * 409 while it has sub-goals. */
int goals_api_delete(Req *r) {
    Errors e = {0};
    int64_t parent;
    if (goal_delete(r, r->params[0], &e, &parent)) return err_send(r, &e);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* ---------- HTML ---------- */

static void status_badge(Buf *b, const char *status) {
    html_printf(b, "<span class=\"badge status-%h\">%h</span>", status, lang_text(b->lang, status));
}

/* measure: "metric → target", or whichever of the two is set. */
static void measure(Buf *b, const Goal *g) {
    if (*g->metric && *g->target) html_printf(b, "%h &rarr; %h", g->metric, g->target);
    else if (*g->metric) html_printf(b, "%h", g->metric);
    else if (*g->target) html_printf(b, "target: %h", g->target);
}

/* tree_item: one goal in a tree list: title link, status, measure, due date. */
static void tree_item(Buf *b, const Goal *g) {
    html_printf(b, "<a href=\"/goals/%D\">%h</a> ", g->id, g->title);
    status_badge(b, g->status);
    if (*g->metric || *g->target) {
        buf_puts(b, " <span class=\"muted\">");
        measure(b, g);
        buf_puts(b, "</span>");
    }
    if (g->due_on) html_printf(b, " <span class=\"muted\">due <time datetime=\"%h\">%h</time></span>", g->due_on, g->due_on);
}

/* render_tree: the goals of sibling chain `first` and their descendants as
 * nested ul.tree lists. Nothing when the chain is empty. */
static void render_tree(Req *r, const GoalSet *gs, int first) {
    int *order, *depth;
    int n = goalset_walk(r, gs, first, &order, &depth);
    Buf *b = page(r);
    int prev = -1;
    for (int i = 0; i < n; i++) {
        int d = depth[i];
        if (d > prev) buf_puts(b, "<ul class=\"tree\"><li>");
        else {
            buf_puts(b, "</li>");
            for (int k = prev; k > d; k--) buf_puts(b, "</ul></li>");
            buf_puts(b, "<li>");
        }
        tree_item(b, &gs->g[order[i]]);
        prev = d;
    }
    if (n) {
        buf_puts(b, "</li>");
        for (int k = prev; k > 0; k--) buf_puts(b, "</ul></li>");
        buf_puts(b, "</ul>");
    }
}

/* goals_render_tree: the "Goals" card of /org: every goal of the
 * organisation as a tree under the purpose. One query for the whole tree. */
void goals_render_tree(Req *r) {
    GoalSet gs;
    goalset_load(r, &gs);
    Buf *b = page(r);
    bool admin = r->who.access >= ACCESS_ADMIN;
    buf_puts(b, "<section class=\"card\" id=\"goals\"><div class=\"title-row\"><h2>Goals</h2>");
    if (admin) buf_puts(b, "<a class=\"button secondary\" href=\"/goals/new\">Add a goal</a>");
    buf_puts(b, "</div>");
    if (gs.n == 0) {
        buf_puts(b, "<p class=\"muted empty\">No goals yet. Goals show how everyday work serves the purpose above.");
        if (admin) buf_puts(b, " <a href=\"/goals/new\">Add the first goal</a>.");
        buf_puts(b, "</p>");
    } else render_tree(r, &gs, gs.roots);
    buf_puts(b, "</section>");
}

/* goal_form: the new or edit form (id 0 = new) with the values in f and the
 * problems in e (may be NULL). The parent list is the goal tree in order,
 * indented, without the goal itself and its sub-goals (they would make a
 * cycle). */
static void goal_form(Req *r, int64_t id, const GoalIn *f, const Errors *e) {
    GoalSet gs;
    goalset_load(r, &gs);
    int *order, *depth;
    int n = goalset_walk(r, &gs, gs.roots, &order, &depth);
    Option *parents = arena_alloc(r->arena, (size_t)(n ? n : 1) * sizeof *parents);
    int np = 0, skip_below = -1;
    for (int i = 0; i < n; i++) {
        const Goal *g = &gs.g[order[i]];
        if (skip_below >= 0 && depth[i] > skip_below) continue;
        skip_below = -1;
        if (id && g->id == id) {
            skip_below = depth[i];
            continue;
        }
        Buf ind = {0};
        for (int k = 0; k < depth[i] && k < 8; k++) buf_puts(&ind, "\xe2\x80\x94 "); /* em dash */
        parents[np].id = g->id;
        parents[np++].label = arena_printf(r->arena, "%s%s", ind.len ? buf_cstr(&ind) : "", g->title);
        buf_free(&ind);
    }
    int nt = 0;
    Option *teams = options_from(r, db_q(r->db, SQL_TEAM_OPTIONS, "i", r->who.org_id), &nt);

    const char *title = id ? N_("Edit goal") : N_("New goal");
    page_begin(r, title);
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, title));
    form_error_summary(r, e ? e->n : 0);
    if (e && e->n && !e->items[0].field) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", e->items[0].msg);
    form_begin(r, id ? arena_printf(r->arena, "/goals/%lld/edit", (long long)id) : "/goals/new", NULL);
    form_text(r, "title", "Title", f->title, e ? err_for(e, "title") : NULL, "text", true);
    form_select_id(r, "parent_id", "Serves", f->parent_id, parents, np, "The organisation's purpose (a top-level goal)", e ? err_for(e, "parent_id") : NULL);
    form_text(r, "metric", "Metric", f->metric, e ? err_for(e, "metric") : NULL, "text", false);
    form_text(r, "target", "Target", f->target, e ? err_for(e, "target") : NULL, "text", false);
    form_text(r, "due_on", "Due on", f->due_on, e ? err_for(e, "due_on") : NULL, "date", false);
    form_select_id(r, "owner_team_id", "Owner team", f->owner_team_id, teams, nt, "No owner team", e ? err_for(e, "owner_team_id") : NULL);
    form_select_str(r, "status", "Status", f->status ? f->status : "active", GOAL_STATUSES, e ? err_for(e, "status") : NULL);
    form_end(r, id ? N_("Save") : N_("Create goal"));
    if (id) html_printf(b, "<p><a href=\"/goals/%D\">Cancel</a></p>", id);
    else buf_puts(b, "<p><a href=\"/org\">Cancel</a></p>");
    if (id) {
        int gi = goalset_find(&gs, id);
        buf_puts(b, "<section class=\"card\"><h2>Delete this goal</h2>");
        if (gi >= 0 && gs.first_child[gi] >= 0)
            buf_puts(b, "<p class=\"muted\">This goal has sub-goals. Delete them or move them under another goal first.</p>");
        else {
            html_printf(b,
                        "<form method=\"post\" action=\"/goals/%D/delete\" data-confirm=\"Delete this goal?\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                        "<p class=\"muted\">Deleting cannot be undone; the audit log keeps a record.</p>"
                        "<button type=\"submit\" class=\"danger\">Delete goal</button></form>",
                        id, r->who.csrf ? r->who.csrf : "");
        }
        buf_puts(b, "</section>");
    }
    page_end(r);
}

/* goal_form_read: the posted fields over the defaults in f; absent fields
 * keep their default. */
static void goal_form_read(Req *r, GoalIn *f, Errors *e) {
    const char *v;
    if ((v = req_form(r, "title"))) f->title = v;
    if ((v = req_form(r, "metric"))) f->metric = v;
    if ((v = req_form(r, "target"))) f->target = v;
    if ((v = req_form(r, "due_on"))) f->due_on = str_trim(r->arena, v);
    if ((v = req_form(r, "status"))) f->status = v;
    form_id_field(r, "parent_id", &f->parent_id, e, "Choose a goal from the list.");
    form_id_field(r, "owner_team_id", &f->owner_team_id, e, "Choose a team from the list.");
}

/* GET /goals/new?parent_id=: the new goal form (admin); parent_id
 * preselects the goal the new one serves. */
int goals_page_new(Req *r) {
    GoalIn f = {"", "", "", "", "active", 0, 0};
    int64_t p;
    const char *q = req_query(r, "parent_id");
    if (q && parse_id(q, &p)) f.parent_id = p;
    goal_form(r, 0, &f, NULL);
    return 0;
}

/* POST /goals/new (title, parent_id, metric, target, due_on, owner_team_id,
 * status): creates a goal (admin); 303 to it, or the form again with the
 * problems (422, 409). */
int goals_page_new_post(Req *r) {
    GoalIn f = {"", "", "", "", "active", 0, 0};
    Errors e = {0};
    goal_form_read(r, &f, &e);
    int64_t id;
    if (goal_save(r, NULL, f, &e, &id)) {
        goal_form(r, 0, &f, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/goals/%lld?saved=1", (long long)id));
    return 0;
}

/* GET /goals/{id}: one goal (member): its status, measure, due date and
 * owner team, its line of sight up to the organisation's purpose, and its
 * sub-goals. */
int goals_page_view(Req *r) {
    GoalSet gs;
    goalset_load(r, &gs);
    int gi = goalset_find(&gs, r->params[0]);
    if (gi < 0) return resp_error(r, 404, "not_found", "There is no such goal.");
    const Goal *g = &gs.g[gi];
    bool admin = r->who.access >= ACCESS_ADMIN;
    char *purpose = NULL;
    Stmt *s = db_q(r->db, SQL_ORG_PURPOSE, "i", r->who.org_id);
    if (db_step(s) == DB_ROW) purpose = db_dup(s, 0, r->arena);
    db_reset(s);

    page_begin(r, g->title);
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1>", g->title);
    if (admin) html_printf(b, "<a class=\"button secondary\" href=\"/goals/%D/edit\">Edit</a>", g->id);
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : req_query(r, "deleted") ? "Deleted." : NULL);

    buf_puts(b, "<section class=\"card\"><dl class=\"facts\"><dt>Status</dt><dd>");
    status_badge(b, g->status);
    buf_puts(b, "</dd><dt>Metric &rarr; target</dt><dd>");
    if (*g->metric || *g->target) measure(b, g);
    else buf_puts(b, "<span class=\"muted\">not set</span>");
    buf_puts(b, "</dd><dt>Due</dt><dd>");
    if (g->due_on) html_printf(b, "<time datetime=\"%h\">%h</time>", g->due_on, g->due_on);
    else buf_puts(b, "<span class=\"muted\">no due date</span>");
    buf_puts(b, "</dd><dt>Owner team</dt><dd>");
    if (g->owner_team_id) html_printf(b, "<a href=\"/teams/%D\">%h</a>", g->owner_team_id, g->team_name);
    else buf_puts(b, "<span class=\"muted\">none</span>");
    buf_puts(b, "</dd></dl></section>");

    /* Line of sight: this goal, each goal it serves, then the purpose. */
    buf_puts(b, "<section class=\"card\"><h2>Line of sight</h2><p class=\"muted\">How this goal serves the organisation's purpose.</p>"
                "<ol class=\"line-of-sight\">");
    html_printf(b, "<li aria-current=\"page\"><strong>%h</strong></li>", g->title);
    int cur = gi;
    for (int steps = 0; steps < gs.n && gs.g[cur].parent_id; steps++) {
        int p = goalset_find(&gs, gs.g[cur].parent_id);
        if (p < 0 || p == gi) break;
        html_printf(b, "<li><a href=\"/goals/%D\">%h</a></li>", gs.g[p].id, gs.g[p].title);
        cur = p;
    }
    buf_puts(b, "<li class=\"purpose\"><a href=\"/org\">The organisation's purpose</a>");
    if (purpose && *purpose) {
        buf_puts(b, "<div class=\"purpose-text\">");
        html_markdown(b, purpose);
        buf_puts(b, "</div>");
    } else buf_puts(b, " <span class=\"muted\">(not written yet)</span>");
    buf_puts(b, "</li></ol></section>");

    buf_puts(b, "<section class=\"card\"><div class=\"title-row\"><h2>Sub-goals</h2>");
    if (admin) html_printf(b, "<a class=\"button secondary\" href=\"/goals/new?parent_id=%D\">Add a sub-goal</a>", g->id);
    buf_puts(b, "</div>");
    if (gs.first_child[gi] >= 0) render_tree(r, &gs, gs.first_child[gi]);
    else buf_puts(b, "<p class=\"muted empty\">No sub-goals yet.</p>");
    buf_puts(b, "</section>");
    page_end(r);
    return 0;
}

/* GET /goals/{id}/edit: the edit form, with delete (admin). */
int goals_page_edit(Req *r) {
    Goal cur;
    if (goal_load(r, r->params[0], &cur)) return -1;
    GoalIn f = {cur.title, cur.metric, cur.target, cur.due_on, cur.status, cur.parent_id, cur.owner_team_id};
    goal_form(r, cur.id, &f, NULL);
    return 0;
}

/* POST /goals/{id}/edit (the fields of the form): saves (admin); 303 to the
 * goal, or the form again with the problems (422, 409). */
int goals_page_edit_post(Req *r) {
    Goal cur;
    if (goal_load(r, r->params[0], &cur)) return -1;
    GoalIn f = {cur.title, cur.metric, cur.target, cur.due_on, cur.status, cur.parent_id, cur.owner_team_id};
    Errors e = {0};
    goal_form_read(r, &f, &e);
    int64_t id;
    if (goal_save(r, &cur, f, &e, &id)) {
        goal_form(r, cur.id, &f, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/goals/%lld?saved=1", (long long)id));
    return 0;
}

/* POST /goals/{id}/delete: deletes a goal without sub-goals (admin); 303 to
 * its parent goal (or /org), 409 while it has sub-goals. */
int goals_page_delete(Req *r) {
    Errors e = {0};
    int64_t parent;
    if (goal_delete(r, r->params[0], &e, &parent)) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
    if (parent) resp_redirect(r, arena_printf(r->arena, "/goals/%lld?deleted=1", (long long)parent));
    else resp_redirect(r, "/org?saved=1");
    return 0;
}
