/* challenges.c: challenges: leaders ask a question tied to a goal, at
 * organisation or team level, and everyone who can see it answers with
 * ideas (ideas.c). Owns who may see a challenge (org: everyone; team: the
 * team's subtree, its lead and admins; anyone else gets 404) and who may
 * manage it (admins; managers within their team subtree). */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"
#include <string.h>

static const char SQL_CHALLENGE_GET[] =
    "SELECT c.id, c.team_id, c.goal_id, c.owner_id, c.title, c.body, c.scope, c.phase, c.opens_on, c.closes_on, t.name, g.title, o.name, "
    "c.created_at, c.updated_at FROM challenge c LEFT JOIN team t ON t.id = c.team_id AND t.org_id = c.org_id "
    "LEFT JOIN goal g ON g.id = c.goal_id AND g.org_id = c.org_id LEFT JOIN person o ON o.id = c.owner_id AND o.org_id = c.org_id "
    "WHERE c.id = ? AND c.org_id = ?";
static const char SQL_TEAM_PARENT[] = "SELECT parent_id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_TEAM[] = "SELECT team_id FROM person WHERE id = ? AND org_id = ?";
static const char SQL_LEADS_TEAM[] = "SELECT id FROM team WHERE org_id = ? AND lead_id = ? ORDER BY id";

bool team_in_subtree(Db *db, int64_t org_id, int64_t team, int64_t root) {
    int64_t cur = team;
    for (int steps = 0; cur && steps < 1000; steps++) {
        if (cur == root) return true;
        int64_t parent = 0;
        if (!db_one_int(db, &parent, SQL_TEAM_PARENT, "ii", cur, org_id)) return false;
        cur = parent;
    }
    return false;
}

/* in_team_scope: the caller belongs to the team's subtree or leads a team
 * that contains it (a lead of a parent team sees its children's work). */
static bool in_team_scope(Req *r, int64_t team) {
    int64_t mine = 0;
    if (db_one_int(r->db, &mine, SQL_PERSON_TEAM, "ii", r->who.person_id, r->who.org_id) && mine && team_in_subtree(r->db, r->who.org_id, mine, team))
        return true;
    Stmt *s = db_q(r->db, SQL_LEADS_TEAM, "ii", r->who.org_id, r->who.person_id);
    int64_t led[32];
    int n = 0;
    while (n < 32 && db_step(s) == DB_ROW) led[n++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < n; i++)
        if (team_in_subtree(r->db, r->who.org_id, team, led[i])) return true;
    return false;
}

int challenge_find(Req *r, int64_t id, Challenge *c) {
    Stmt *s = db_q(r->db, SQL_CHALLENGE_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        c->id = db_int(s, 0);
        c->team_id = db_int(s, 1);
        c->goal_id = db_int(s, 2);
        c->owner_id = db_int(s, 3);
        c->title = db_dup(s, 4, r->arena);
        c->body = db_dup(s, 5, r->arena);
        c->scope = db_dup(s, 6, r->arena);
        c->phase = db_dup(s, 7, r->arena);
        c->opens_on = db_dup(s, 8, r->arena);
        c->closes_on = db_dup(s, 9, r->arena);
        c->team_name = db_dup(s, 10, r->arena);
        c->goal_title = db_dup(s, 11, r->arena);
        c->owner_name = db_dup(s, 12, r->arena);
        c->created_at = db_int(s, 13);
        c->updated_at = db_int(s, 14);
    }
    db_reset(s);
    if (!found) return 0;
    if (strcmp(c->scope, "team") == 0 && r->who.access < ACCESS_ADMIN && !in_team_scope(r, c->team_id)) return 0;
    return 1;
}

int challenge_load(Req *r, int64_t id, Challenge *c) {
    return challenge_find(r, id, c) ? 0 : resp_error(r, 404, "not_found", "There is no such challenge.");
}

bool challenge_can_manage(Req *r, const Challenge *c) {
    if (r->who.access >= ACCESS_ADMIN) return true;
    if (r->who.access < ACCESS_MANAGER || strcmp(c->scope, "team") != 0) return false;
    return in_team_scope(r, c->team_id);
}

static json_t *jstr_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *challenge_json(Req *r, const Challenge *c) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "title", json_string(c->title));
    json_object_set_new(o, "body", json_string(c->body));
    json_object_set_new(o, "scope", json_string(c->scope));
    json_object_set_new(o, "team_id", c->team_id ? json_integer(c->team_id) : json_null());
    json_object_set_new(o, "team", c->team_id ? json_pack("{s:I,s:s}", "id", (json_int_t)c->team_id, "name", c->team_name ? c->team_name : "") : json_null());
    json_object_set_new(o, "goal_id", c->goal_id ? json_integer(c->goal_id) : json_null());
    json_object_set_new(o, "goal", c->goal_id ? json_pack("{s:I,s:s}", "id", (json_int_t)c->goal_id, "title", c->goal_title ? c->goal_title : "") : json_null());
    json_object_set_new(o, "opens_on", jstr_or_null(c->opens_on));
    json_object_set_new(o, "closes_on", jstr_or_null(c->closes_on));
    json_object_set_new(o, "phase", json_string(c->phase));
    json_object_set_new(o, "owner", c->owner_id ? json_pack("{s:I,s:s}", "id", (json_int_t)c->owner_id, "name", c->owner_name ? c->owner_name : "") : json_null());
    json_object_set_new(o, "created_at", json_string(iso_time(r->arena, c->created_at)));
    json_object_set_new(o, "updated_at", json_string(iso_time(r->arena, c->updated_at)));
    return o;
}

/* ---------- handlers (being written) ---------- */
int challenges_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_api_patch(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_api_reviewer_add(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_api_reviewer_remove(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_new(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_new_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_edit(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_edit_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int challenges_page_reviewer_add(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
