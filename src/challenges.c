/* challenges.c: challenges: leaders ask a question tied to a goal, at
 * organisation or team level, and everyone who can see it answers with
 * ideas (ideas.c). Owns who may see a challenge and who may manage it, the
 * challenge's own fields and phase, its reviewers, the JSON under
 * /api/v1/challenges and the pages under /challenges (the challenge page
 * embeds the pieces ideas.c and pairwise.c render). It writes only
 * challenge, challenge_reviewer and their audit lines; ideas, votes and
 * reviews belong to ideas.c and pairwise.c.
 *
 * Visibility and management are one set of team ids per person, computed in
 * SQL (the VIS_CTE below) so that a single challenge, the list and the
 * reviewer choices can never disagree:
 *  - up:   the person's own team and every team above it. A team challenge
 *          for one of these is for "people in that subtree", so they see it.
 *  - down: the teams the person leads, and (for managers) their own team,
 *          with everything below. A lead sees the work of the teams under
 *          them; a manager publishes and manages challenges in this subtree.
 * Organisation challenges are visible to everyone in the organisation;
 * admins see and manage everything. Anyone else gets 404, exactly as for a
 * challenge of another organisation. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"
#include <stdlib.h>
#include <string.h>

#define CHALLENGE_TITLE_MAX 200 /* characters */
#define CHALLENGE_BODY_MAX 5000 /* characters */

static const char *const PHASES[] = {N_("open"), N_("review"), N_("closed"), NULL};
static const char *const SCOPES[] = {"org", "team", NULL};

#define CHALLENGE_COLS                                                                                                       \
    "SELECT c.id, c.team_id, c.goal_id, c.owner_id, c.title, c.body, c.scope, c.phase, c.opens_on, c.closes_on, t.name, g.title, " \
    "o.name, c.created_at, c.updated_at "
#define CHALLENGE_FROM                                                                                                        \
    "FROM challenge c LEFT JOIN team t ON t.id = c.team_id AND t.org_id = c.org_id "                                          \
    "LEFT JOIN goal g ON g.id = c.goal_id AND g.org_id = c.org_id LEFT JOIN person o ON o.id = c.owner_id AND o.org_id = c.org_id "
/* ?1 person, ?2 org, ?3 whether the person is a manager (their own team's
 * subtree counts as theirs). UNION (not UNION ALL) drops repeats, so even a
 * corrupt parent cycle ends. */
#define VIS_CTE                                                                                                               \
    "WITH RECURSIVE up(id) AS (SELECT team_id FROM person WHERE id = ?1 AND org_id = ?2 AND team_id IS NOT NULL "             \
    "UNION SELECT t.parent_id FROM up JOIN team t ON t.id = up.id AND t.org_id = ?2 WHERE t.parent_id IS NOT NULL), "         \
    "down(id) AS (SELECT id FROM team WHERE org_id = ?2 AND lead_id = ?1 "                                                    \
    "UNION SELECT team_id FROM person WHERE id = ?1 AND org_id = ?2 AND team_id IS NOT NULL AND ?3 "                          \
    "UNION SELECT t.id FROM down JOIN team t ON t.parent_id = down.id AND t.org_id = ?2) "
#define VISIBLE_WHERE "(?4 OR c.scope = 'org' OR c.team_id IN (SELECT id FROM up) OR c.team_id IN (SELECT id FROM down))"

/* challenge_seen_cte: the start of a statement that may then use seen(id),
 * the ids of the organisation's challenges the caller may see, so that
 * another module (ideainsights.c) can count across them in SQL by the same
 * rule as everything here. Parameters ?1 person, ?2 organisation, ?3
 * whether the person is a manager or above, ?4 whether an admin or above;
 * the caller's own parameters start at ?5. A static string. */
const char *challenge_seen_cte(void) {
    return VIS_CTE ", seen(id) AS (SELECT c.id FROM challenge c WHERE c.org_id = ?2 AND " VISIBLE_WHERE ") ";
}

static const char SQL_CHALLENGE_GET[] = CHALLENGE_COLS CHALLENGE_FROM "WHERE c.id = ? AND c.org_id = ?";
/* ?4 sees everything (admin), ?5 after, ?6 phase or NULL, ?7 limit */
static const char SQL_CHALLENGE_PAGE[] = VIS_CTE CHALLENGE_COLS CHALLENGE_FROM "WHERE c.org_id = ?2 AND " VISIBLE_WHERE
                                         " AND c.id > ?5 AND (?6 IS NULL OR c.phase = ?6) ORDER BY c.id LIMIT ?7";
/* The /challenges page: open first, then review, then closed; soonest
 * closing date first, challenges without one last. */
static const char SQL_CHALLENGE_ALL[] = VIS_CTE CHALLENGE_COLS CHALLENGE_FROM "WHERE c.org_id = ?2 AND " VISIBLE_WHERE
                                        " AND (?5 IS NULL OR c.phase = ?5) ORDER BY CASE c.phase WHEN 'open' THEN 0 WHEN 'review' THEN 1 "
                                        "ELSE 2 END, c.closes_on IS NULL, c.closes_on, c.id LIMIT 1000";
static const char SQL_TEAM_VISIBLE[] = VIS_CTE "SELECT ?4 IN (SELECT id FROM up) OR ?4 IN (SELECT id FROM down)";
static const char SQL_TEAM_MANAGED[] = VIS_CTE "SELECT ?4 IN (SELECT id FROM down)";
static const char SQL_TEAMS_MANAGED[] = VIS_CTE "SELECT id FROM down LIMIT 5000";
static const char SQL_TEAM_PARENT[] = "SELECT parent_id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_EXISTS[] = "SELECT id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_GOAL_EXISTS[] = "SELECT id FROM goal WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_GOAL_OPTIONS[] = "SELECT id, title FROM goal WHERE org_id = ? ORDER BY title, id LIMIT 2000";
static const char SQL_CHALLENGE_INSERT[] =
    "INSERT INTO challenge(org_id, title, body, scope, team_id, goal_id, opens_on, closes_on, phase, owner_id, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_CHALLENGE_UPDATE[] =
    "UPDATE challenge SET title = ?, body = ?, scope = ?, team_id = ?, goal_id = ?, opens_on = ?, closes_on = ?, phase = ?, updated_at = ? "
    "WHERE id = ? AND org_id = ?";
/* Merged ideas live on inside the idea they were merged into. */
static const char SQL_IDEA_COUNT[] = "SELECT count(*) FROM idea WHERE challenge_id = ? AND org_id = ? AND stage <> 'merged'";
static const char SQL_REVIEWERS[] =
    "SELECT p.id, p.name FROM challenge_reviewer cr JOIN person p ON p.id = cr.person_id AND p.org_id = cr.org_id "
    "WHERE cr.challenge_id = ? AND cr.org_id = ? ORDER BY p.name, p.id LIMIT 1000";
static const char SQL_REVIEWER_IS[] = "SELECT 1 FROM challenge_reviewer WHERE challenge_id = ? AND person_id = ? AND org_id = ?";
static const char SQL_REVIEWER_INSERT[] = "INSERT INTO challenge_reviewer(challenge_id, person_id, org_id) VALUES (?, ?, ?)";
static const char SQL_REVIEWER_DELETE[] = "DELETE FROM challenge_reviewer WHERE challenge_id = ? AND person_id = ? AND org_id = ?";
/* access level and whether the person left, within the organisation only */
static const char SQL_PERSON_STATE[] =
    "SELECT CASE access WHEN 'owner' THEN 4 WHEN 'admin' THEN 3 WHEN 'manager' THEN 2 ELSE 1 END, status = 'left', name "
    "FROM person WHERE id = ? AND org_id = ?";
/* Reviewer choices: people who have not left, are not reviewers yet, and
 * can see the challenge: the inverse of VIS_CTE for one team (?3): people
 * whose team is in its subtree (sub), leads of it or a team above it, and
 * managers whose own team is it or above it (anc). ?4 is the scope. */
static const char SQL_REVIEWER_OPTIONS[] =
    "WITH RECURSIVE sub(id) AS (SELECT ?3 UNION SELECT t.id FROM sub JOIN team t ON t.parent_id = sub.id AND t.org_id = ?2), "
    "anc(id) AS (SELECT ?3 UNION SELECT t.parent_id FROM anc JOIN team t ON t.id = anc.id AND t.org_id = ?2 WHERE t.parent_id IS NOT NULL) "
    "SELECT p.id, p.name FROM person p WHERE p.org_id = ?2 AND p.status <> 'left' "
    "AND p.id NOT IN (SELECT person_id FROM challenge_reviewer WHERE challenge_id = ?1 AND org_id = ?2) "
    "AND (?4 = 'org' OR p.access IN ('owner', 'admin') OR p.team_id IN (SELECT id FROM sub) "
    "OR p.id IN (SELECT lead_id FROM team WHERE org_id = ?2 AND lead_id IS NOT NULL AND id IN (SELECT id FROM anc)) "
    "OR (p.access = 'manager' AND p.team_id IN (SELECT id FROM anc))) "
    "ORDER BY p.name, p.id LIMIT 5000";

/* ---------- who sees and who manages ---------- */

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

/* person_sees_team: whether a team challenge for team is visible to person
 * (of access level access) by the rules of the file comment. */
static bool person_sees_team(Db *db, int64_t org_id, int64_t person, int access, int64_t team) {
    if (access >= ACCESS_ADMIN) return true;
    int64_t yes = 0;
    return db_one_int(db, &yes, SQL_TEAM_VISIBLE, "iiii", person, org_id, (int64_t)(access >= ACCESS_MANAGER), team) && yes;
}

static bool is_one_of(const char *s, const char *const *values) {
    for (int i = 0; s && values[i]; i++)
        if (strcmp(s, values[i]) == 0) return true;
    return false;
}

/* challenge_row: one row of CHALLENGE_COLS into c, strings in the arena. */
static void challenge_row(Req *r, Stmt *s, Challenge *c) {
    c->id = db_int(s, 0);
    c->team_id = db_int(s, 1);
    c->goal_id = db_int(s, 2);
    c->owner_id = db_int(s, 3);
    c->title = db_dup(s, 4, r->arena);
    c->body = arena_strdup(r->arena, db_text(s, 5));
    c->scope = db_dup(s, 6, r->arena);
    c->phase = db_dup(s, 7, r->arena);
    c->opens_on = db_dup(s, 8, r->arena);
    c->closes_on = db_dup(s, 9, r->arena);
    c->team_name = db_dup(s, 10, r->arena);
    c->goal_title = db_dup(s, 11, r->arena);
    c->owner_name = db_dup(s, 12, r->arena);
    c->created_at = db_int(s, 13);
    c->updated_at = db_int(s, 14);
    if (!c->goal_title) c->goal_id = 0; /* a goal outside the organisation is no goal */
    if (!c->owner_name) c->owner_id = 0;
}

int challenge_find(Req *r, int64_t id, Challenge *c) {
    Stmt *s = db_q(r->db, SQL_CHALLENGE_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) challenge_row(r, s, c);
    db_reset(s);
    if (!found) return 0;
    if (strcmp(c->scope, "team") == 0 && !person_sees_team(r->db, r->who.org_id, r->who.person_id, r->who.access, c->team_id)) return 0;
    return 1;
}

int challenge_load(Req *r, int64_t id, Challenge *c) {
    return challenge_find(r, id, c) ? 0 : resp_error(r, 404, "not_found", "There is no such challenge.");
}

bool challenge_can_manage(Req *r, const Challenge *c) {
    if (r->who.access >= ACCESS_ADMIN) return true;
    if (r->who.access < ACCESS_MANAGER || strcmp(c->scope, "team") != 0 || !c->team_id) return false;
    int64_t yes = 0;
    return db_one_int(r->db, &yes, SQL_TEAM_MANAGED, "iiii", r->who.person_id, r->who.org_id, (int64_t)1, c->team_id) && yes;
}

/* can_assign: the challenge's owner or anyone who manages it assigns
 * reviewers. */
static bool can_assign(Req *r, const Challenge *c) {
    return (c->owner_id && c->owner_id == r->who.person_id) || challenge_can_manage(r, c);
}

/* ---------- JSON ---------- */


json_t *challenge_json(Req *r, const Challenge *c) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "title", json_string(c->title));
    json_object_set_new(o, "body", json_string(c->body ? c->body : ""));
    json_object_set_new(o, "scope", json_string(c->scope));
    json_object_set_new(o, "team_id", c->team_id ? json_integer(c->team_id) : json_null());
    json_object_set_new(o, "team", c->team_id ? json_pack("{s:I,s:s}", "id", (json_int_t)c->team_id, "name", c->team_name ? c->team_name : "") : json_null());
    json_object_set_new(o, "goal_id", c->goal_id ? json_integer(c->goal_id) : json_null());
    json_object_set_new(o, "goal", c->goal_id ? json_pack("{s:I,s:s}", "id", (json_int_t)c->goal_id, "title", c->goal_title ? c->goal_title : "") : json_null());
    json_object_set_new(o, "opens_on", json_text(c->opens_on));
    json_object_set_new(o, "closes_on", json_text(c->closes_on));
    json_object_set_new(o, "phase", json_string(c->phase));
    json_object_set_new(o, "owner", c->owner_id ? json_pack("{s:I,s:s}", "id", (json_int_t)c->owner_id, "name", c->owner_name ? c->owner_name : "") : json_null());
    json_object_set_new(o, "created_at", json_string(iso_time(r->arena, c->created_at)));
    json_object_set_new(o, "updated_at", json_string(iso_time(r->arena, c->updated_at)));
    return o;
}

static int64_t idea_count(Req *r, const Challenge *c) {
    int64_t n = 0;
    db_one_int(r->db, &n, SQL_IDEA_COUNT, "ii", c->id, r->who.org_id);
    return n;
}

/* reviewers_json: [{"id","name"}] in name order. */
static json_t *reviewers_json(Req *r, const Challenge *c) {
    json_t *a = json_array();
    Stmt *s = db_q(r->db, SQL_REVIEWERS, "ii", c->id, r->who.org_id);
    while (db_step(s) == DB_ROW) json_array_append_new(a, json_pack("{s:I,s:s}", "id", (json_int_t)db_int(s, 0), "name", db_text(s, 1)));
    db_reset(s);
    return a;
}

/* challenge_full_json: the API's answer: challenge_json with idea_count
 * and reviewers. Runs its own queries: never call it while stepping. */
static json_t *challenge_full_json(Req *r, const Challenge *c) {
    json_t *o = challenge_json(r, c);
    json_object_set_new(o, "idea_count", json_integer(idea_count(r, c)));
    json_object_set_new(o, "reviewers", reviewers_json(r, c));
    return o;
}

/* ---------- writes shared by the API and the pages ---------- */

/* What a form or a JSON body asks for. NULL strings mean "none" (title,
 * scope and phase: "not given"); ids are 0 for none. */
typedef struct ChallengeIn {
    const char *title, *body, *scope, *phase, *opens_on, *closes_on;
    int64_t team_id, goal_id;
} ChallengeIn;

static bool row_exists(Req *r, const char *sql, int64_t id) {
    int64_t x;
    return db_one_int(r->db, &x, sql, "ii", id, r->who.org_id) == 1;
}

static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

static void changed(Buf *b, const char *what) {
    buf_puts(b, b->len ? ", " : " ");
    buf_puts(b, what);
}

/* date_field: "" and NULL are no date; anything else must be a real date. */
static const char *date_field(Req *r, const char *v, const char *field, Errors *e) {
    if (!v) return NULL;
    v = str_trim(r->arena, v);
    if (!*v) return NULL;
    if (!valid_date(v)) err_add(e, 422, "invalid", field, "Use a real date written as YYYY-MM-DD.");
    return v;
}

/* forbid: replaces the problems in e by a 403 for field, keeping the
 * others after it: not being allowed is the answer that matters. */
static void forbid(Errors *e, const char *field, const char *msg) {
    Errors f = {0};
    err_add(&f, 403, "forbidden", field, msg);
    for (int i = 0; i < e->n; i++)
        if (!e->items[i].field || strcmp(e->items[i].field, field) != 0) err_add(&f, 422, "invalid", e->items[i].field, e->items[i].msg);
    *e = f;
}

/* challenge_save: validates in and publishes a challenge (cur NULL) or
 * changes cur, in one BEGIN IMMEDIATE transaction with its audit lines
 * (challenge.create; challenge.update for fields, challenge.phase for a
 * phase change), so that the team and goal cannot vanish between the check
 * and the write. Managers may only place a challenge in their own subtree
 * (403), and only admins reopen a closed challenge (403). Every problem is
 * collected so a form can show them all; the first decides the status.
 * 0 ok with *id_out set; -1 with the problems in e and nothing changed. */
static int challenge_save(Req *r, const Challenge *cur, ChallengeIn in, Errors *e, int64_t *id_out) {
    char *title = str_trim(r->arena, in.title ? in.title : "");
    if (str_empty(title)) err_add(e, 422, "invalid", "title", "The challenge needs a title.");
    else if (!utf8_valid(title) || has_control(title)) err_add(e, 422, "invalid", "title", "The title is one line of text, without control characters.");
    else if (utf8_chars(title) > CHALLENGE_TITLE_MAX) err_add(e, 422, "invalid", "title", "Keep the title to 200 characters or fewer.");
    char *body = str_trim(r->arena, in.body ? in.body : "");
    if (!utf8_valid(body)) err_add(e, 422, "invalid", "body", "The text is not valid UTF-8.");
    else if (utf8_chars(body) > CHALLENGE_BODY_MAX) err_add(e, 422, "invalid", "body", "Keep the description to 5000 characters or fewer.");

    const char *scope = in.scope ? in.scope : in.team_id ? "team" : "org";
    bool scope_ok = is_one_of(scope, SCOPES);
    if (!scope_ok) err_add(e, 422, "invalid", "scope", "The scope must be org (the whole organisation) or team.");
    else if (strcmp(scope, "team") == 0 && !in.team_id) {
        err_add(e, 422, "invalid", "team_id", "A team challenge needs a team.");
        scope_ok = false;
    } else if (strcmp(scope, "org") == 0 && in.team_id) {
        err_add(e, 422, "invalid", "team_id", "An organisation challenge has no team: clear the team or choose the team scope.");
        scope_ok = false;
    }
    const char *opens = date_field(r, in.opens_on, "opens_on", e), *closes = date_field(r, in.closes_on, "closes_on", e);
    if (opens && closes && valid_date(opens) && valid_date(closes) && strcmp(closes, opens) < 0)
        err_add(e, 422, "invalid", "closes_on", "The closing date cannot come before the opening date.");
    const char *phase = in.phase ? in.phase : "open";
    bool phase_ok = is_one_of(phase, PHASES);
    if (!phase_ok) err_add(e, 422, "invalid", "phase", "The phase must be open, review or closed.");

    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    Challenge now;
    if (cur && !challenge_find(r, cur->id, &now)) { /* gone meanwhile */
        db_rollback(r->db);
        e->n = 0;
        err_add(e, 404, "not_found", NULL, "There is no such challenge.");
        return -1;
    }
    bool team_ok = true;
    if (in.team_id && !row_exists(r, SQL_TEAM_EXISTS, in.team_id)) {
        err_add(e, 422, "invalid", "team_id", "Choose a team from this organisation.");
        team_ok = false;
    }
    if (in.goal_id && !row_exists(r, SQL_GOAL_EXISTS, in.goal_id)) err_add(e, 422, "invalid", "goal_id", "Choose a goal from this organisation.");
    if (scope_ok && team_ok) {
        Challenge would = {.scope = (char *)scope, .team_id = in.team_id};
        if (!challenge_can_manage(r, &would))
            forbid(e, strcmp(scope, "org") == 0 ? "scope" : "team_id",
                   strcmp(scope, "org") == 0 ? "Only an admin can publish a challenge for the whole organisation."
                                             : "You can publish challenges only for the teams you lead or belong to, and the teams below them.");
    }
    if (cur && phase_ok && strcmp(now.phase, "closed") == 0 && strcmp(phase, "closed") != 0 && r->who.access < ACCESS_ADMIN)
        forbid(e, "phase", "Only an admin can reopen a closed challenge.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }

    int rc;
    int64_t id;
    const char *obj;
    if (!cur) {
        rc = db_exec(r->db, SQL_CHALLENGE_INSERT, "itttIItttiii", r->who.org_id, title, body, scope, in.team_id, in.goal_id, opens, closes, phase,
                     r->who.person_id, r->now, r->now);
        id = db_last_id(r->db);
        obj = arena_printf(r->arena, "challenge:%lld", (long long)id);
        if (rc == DB_OK)
            audit(r, "challenge.create", obj, "title \"%s\", scope %s%s, phase %s", title, scope,
                  in.team_id ? arena_printf(r->arena, " (team %lld)", (long long)in.team_id) : "", phase);
        /* the chat of its audience hears of it: the organisation's for an
         * organisation challenge, only the team's for a team challenge */
        if (rc == DB_OK)
            notify_chat(r->db, r->who.org_id, strcmp(scope, "team") == 0 ? in.team_id : 0, r->now, "challenge.new",
                        arena_printf(r->arena, T(r, "New challenge from %s: %s"), r->who.name, title), arena_printf(r->arena, "/challenges/%lld", (long long)id));
    } else {
        id = now.id;
        obj = arena_printf(r->arena, "challenge:%lld", (long long)id);
        rc = db_exec(r->db, SQL_CHALLENGE_UPDATE, "tttIItttiii", title, body, scope, in.team_id, in.goal_id, opens, closes, phase, r->now, id,
                     r->who.org_id);
        Buf c = {0};
        if (!same(title, now.title)) changed(&c, arena_printf(r->arena, "title (was \"%s\")", now.title));
        if (!same(body, now.body)) changed(&c, "body");
        if (!same(scope, now.scope) || in.team_id != now.team_id)
            changed(&c, arena_printf(r->arena, "scope %s/%lld->%s/%lld", now.scope, (long long)now.team_id, scope, (long long)in.team_id));
        if (in.goal_id != now.goal_id) changed(&c, arena_printf(r->arena, "goal %lld->%lld", (long long)now.goal_id, (long long)in.goal_id));
        if (!same(opens, now.opens_on)) changed(&c, arena_printf(r->arena, "opens_on %s->%s", now.opens_on ? now.opens_on : "none", opens ? opens : "none"));
        if (!same(closes, now.closes_on))
            changed(&c, arena_printf(r->arena, "closes_on %s->%s", now.closes_on ? now.closes_on : "none", closes ? closes : "none"));
        if (rc == DB_OK && (c.len || strcmp(phase, now.phase) == 0)) audit(r, "challenge.update", obj, "changed:%s", c.len ? buf_cstr(&c) : " nothing");
        if (rc == DB_OK && strcmp(phase, now.phase) != 0) audit(r, "challenge.phase", obj, "%s -> %s", now.phase, phase);
        buf_free(&c);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        e->n = 0;
        if (rc == DB_CONSTRAINT) err_add(e, 422, "invalid", NULL, "The challenge does not fit the rules for its scope and team.");
        else err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* person_may_review: whether person can be a reviewer of c: someone of the
 * organisation who has not left and can see the challenge. 0 yes; else the
 * problem goes to e (422). */
static int person_may_review(Req *r, const Challenge *c, int64_t person, Errors *e) {
    Stmt *s = db_q(r->db, SQL_PERSON_STATE, "ii", person, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    int access = found ? (int)db_int(s, 0) : 0;
    bool left = found && db_int(s, 1);
    db_reset(s);
    if (!found) err_add(e, 422, "invalid", "person_id", "Choose a person from this organisation.");
    else if (left) err_add(e, 422, "invalid", "person_id", "This person has left the organisation.");
    else if (strcmp(c->scope, "team") == 0 && !person_sees_team(r->db, r->who.org_id, person, access, c->team_id))
        err_add(e, 422, "invalid", "person_id", "This person cannot see the challenge: choose someone in its team or above it.");
    return e->n ? -1 : 0;
}

/* reviewer_add: person starts reviewing c (the owner or a manager of c:
 * 403 for others). 422 for someone who may not review it, 409 when they
 * already do. 0 ok; -1 with the problem in e. */
static int reviewer_add(Req *r, const Challenge *c, int64_t person, Errors *e) {
    if (!can_assign(r, c)) {
        err_add(e, 403, "forbidden", NULL, "Only the challenge's owner or a manager of its scope assigns reviewers.");
        return -1;
    }
    if (!person) {
        err_add(e, 422, "invalid", "person_id", "Choose a person to assign.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t x = 0;
    if (!person_may_review(r, c, person, e) && db_one_int(r->db, &x, SQL_REVIEWER_IS, "iii", c->id, person, r->who.org_id))
        err_add(e, 409, "conflict", "person_id", "This person already reviews the challenge.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    int rc = db_exec(r->db, SQL_REVIEWER_INSERT, "iii", c->id, person, r->who.org_id);
    if (rc == DB_OK) audit(r, "challenge.reviewer_add", arena_printf(r->arena, "challenge:%lld", (long long)c->id), "person %lld", (long long)person);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "person_id", "This person already reviews the challenge.");
        else err_busy(e);
        return -1;
    }
    return 0;
}

/* reviewer_remove: person stops reviewing c (owner or manager; 403). 404
 * when they were not a reviewer. Their submitted scorecards stay. */
static int reviewer_remove(Req *r, const Challenge *c, int64_t person, Errors *e) {
    if (!can_assign(r, c)) {
        err_add(e, 403, "forbidden", NULL, "Only the challenge's owner or a manager of its scope removes reviewers.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_REVIEWER_DELETE, "iii", c->id, person, r->who.org_id);
    if (rc == DB_OK && db_changes(r->db) == 0) {
        db_rollback(r->db);
        err_add(e, 404, "not_found", "person_id", "This person is not a reviewer of the challenge.");
        return -1;
    }
    if (rc == DB_OK) audit(r, "challenge.reviewer_remove", arena_printf(r->arena, "challenge:%lld", (long long)c->id), "person %lld", (long long)person);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- API ---------- */

/* Byte limits only guard against absurd bodies; challenge_save counts
 * characters and answers 422 with the field. */
static const JField CHALLENGE_FIELDS[] = {{"title", JF_STRING, 2000},     {"body", JF_STRING_NULL, 40000}, {"scope", JF_STRING, 20},
                                          {"team_id", JF_ID_NULL, 0},     {"goal_id", JF_ID_NULL, 0},      {"opens_on", JF_DATE_NULL, 0},
                                          {"closes_on", JF_DATE_NULL, 0}, {"phase", JF_STRING, 20},        {0}};
static const JField REVIEWER_FIELDS[] = {{"person_id", JF_ID_NULL, 0}, {0}};

/* load_rows: the challenges a statement of CHALLENGE_COLS rows yields, in
 * the arena; the statement is run to the end (at most max rows) and reset. */
static int load_rows(Req *r, Stmt *s, int max, Challenge **out) {
    int cap = 16, n = 0;
    Challenge *c = arena_alloc(r->arena, sizeof *c * (size_t)cap);
    while (n < max && db_step(s) == DB_ROW) {
        if (n == cap) c = arena_grow(r->arena, c, &cap, sizeof *c);
        challenge_row(r, s, &c[n++]);
    }
    db_reset(s);
    *out = c;
    return n;
}

/* GET /api/v1/challenges ?limit= ?after= ?phase=: the challenges the caller
 * may see, by id, paged; phase keeps one phase (member). */
int challenges_api_list(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *phase = req_query(r, "phase");
    if (phase && !*phase) phase = NULL;
    if (phase && !is_one_of(phase, PHASES)) return resp_error(r, 400, "invalid_parameter", "phase must be open, review or closed.");
    Challenge *c;
    int n = load_rows(r,
                      db_q(r->db, SQL_CHALLENGE_PAGE, "iiiiiti", r->who.person_id, r->who.org_id, (int64_t)(r->who.access >= ACCESS_MANAGER),
                           (int64_t)(r->who.access >= ACCESS_ADMIN), after, phase, (int64_t)limit),
                      limit, &c);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, challenge_full_json(r, &c[i]));
    resp_json(r, 200, json_page(items, limit, n ? c[n - 1].id : 0));
    return 0;
}

/* POST /api/v1/challenges {"title","body","scope","team_id","goal_id",
 * "opens_on","closes_on","phase"}: publishes a challenge: admins for any
 * scope, managers for a team in their subtree (403 otherwise). 201 with
 * the challenge. */
int challenges_api_create(Req *r) {
    json_t *in = req_json_object(r, CHALLENGE_FIELDS);
    if (!in) return -1;
    ChallengeIn ci = {json_str(in, "title"),    json_str(in, "body"),      json_str(in, "scope"), json_str(in, "phase"),
                      json_str(in, "opens_on"), json_str(in, "closes_on"), json_id(in, "team_id"), json_id(in, "goal_id")};
    Errors e = {0};
    int64_t id;
    if (challenge_save(r, NULL, ci, &e, &id)) return err_send(r, &e);
    Challenge c;
    if (!challenge_find(r, id, &c)) return resp_error(r, 500, "internal", "The new challenge could not be read back.");
    resp_header(r, "Location", arena_printf(r->arena, "/api/v1/challenges/%lld", (long long)id));
    resp_json(r, 201, challenge_full_json(r, &c));
    return 0;
}

/* GET /api/v1/challenges/{id}: one challenge with its idea count and
 * reviewers (member; 404 when the caller may not see it). */
int challenges_api_get(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    resp_json(r, 200, challenge_full_json(r, &c));
    return 0;
}

/* PATCH /api/v1/challenges/{id}: any subset of the fields (managers of the
 * challenge; 403 for others); null clears team_id, goal_id, body and the
 * dates. Setting scope "org" without a team_id drops the team. Phases move
 * freely between open, review and closed, but only an admin reopens a
 * closed challenge (403). */
int challenges_api_patch(Req *r) {
    json_t *in = req_json_object(r, CHALLENGE_FIELDS);
    if (!in) return -1;
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    if (!challenge_can_manage(r, &c)) return resp_error(r, 403, "forbidden", "Only a manager of this challenge's scope can change it.");
    ChallengeIn ci = {c.title, c.body, c.scope, c.phase, c.opens_on, c.closes_on, c.team_id, c.goal_id};
    if (json_has(in, "title")) ci.title = json_str(in, "title");
    if (json_has(in, "body")) ci.body = json_str(in, "body");
    if (json_has(in, "scope")) {
        ci.scope = json_str(in, "scope");
        if (strcmp(ci.scope, "org") == 0 && !json_has(in, "team_id")) ci.team_id = 0;
    }
    if (json_has(in, "phase")) ci.phase = json_str(in, "phase");
    if (json_has(in, "opens_on")) ci.opens_on = json_str(in, "opens_on");
    if (json_has(in, "closes_on")) ci.closes_on = json_str(in, "closes_on");
    if (json_has(in, "team_id")) ci.team_id = json_id(in, "team_id");
    if (json_has(in, "goal_id")) ci.goal_id = json_id(in, "goal_id");
    Errors e = {0};
    int64_t id;
    if (challenge_save(r, &c, ci, &e, &id)) return err_send(r, &e);
    if (!challenge_find(r, id, &c)) return resp_error(r, 500, "internal", "The challenge could not be read back.");
    resp_json(r, 200, challenge_full_json(r, &c));
    return 0;
}

/* POST /api/v1/challenges/{id}/reviewers {"person_id"}: assigns a reviewer
 * (the challenge's owner or a manager of it; 403 for others). The person
 * must be of the organisation, not have left and be able to see the
 * challenge (422); 409 when they already review it. 201 with the
 * challenge, whose "reviewers" lists them. */
int challenges_api_reviewer_add(Req *r) {
    json_t *in = req_json_object(r, REVIEWER_FIELDS);
    if (!in) return -1;
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    Errors e = {0};
    if (reviewer_add(r, &c, json_id(in, "person_id"), &e)) return err_send(r, &e);
    resp_json(r, 201, challenge_full_json(r, &c));
    return 0;
}

/* DELETE /api/v1/challenges/{id}/reviewers/{person_id}: the person no
 * longer reviews the challenge (owner or manager). 204; 404 when they did
 * not. */
int challenges_api_reviewer_remove(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    Errors e = {0};
    if (r->nparams < 2 || reviewer_remove(r, &c, r->params[1], &e))
        return e.n ? err_send(r, &e) : resp_error(r, 404, "not_found", "No such reviewer.");
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* ---------- pages ---------- */

/* day_number: days since 1970-01-01 of a valid YYYY-MM-DD date (Howard
 * Hinnant's days_from_civil). */
static int64_t day_number(const char *ymd) {
    int64_t y = strtol(ymd, NULL, 10), m = strtol(ymd + 5, NULL, 10), d = strtol(ymd + 8, NULL, 10);
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* closing_text: how the challenge's deadline reads today: "closes in 5
 * days", "closes today", "in review", "closed". Arena-owned. */
static const char *closing_text(Req *r, const Challenge *c) {
    if (strcmp(c->phase, "closed") == 0) return T(r, "closed");
    if (strcmp(c->phase, "review") == 0) return T(r, "in review: ideas are closed");
    if (!c->closes_on || !valid_date(c->closes_on)) return T(r, "no closing date");
    int64_t days = day_number(c->closes_on) - day_number(today_date(r->arena, r->now));
    if (days > 1) return arena_printf(r->arena, TN(r, "closes in %lld day", "closes in %lld days", days), (long long)days);
    if (days == 1) return T(r, "closes tomorrow");
    if (days == 0) return T(r, "closes today");
    return T(r, "closing date passed");
}

static const char *phase_class(const char *phase) {
    return strcmp(phase, "open") == 0 ? "status-active" : strcmp(phase, "review") == 0 ? "status-pending" : "status-withdrawn";
}

static void phase_badge(Buf *b, const char *phase) {
    html_printf(b, "<span class=\"badge phase-%h %s\">%h</span>", phase, phase_class(phase), lang_text(b->lang, phase));
}

/* scope_badge: "whole organisation" or the team, as a badge. */
static void scope_badge(Buf *b, const Challenge *c) {
    if (strcmp(c->scope, "team") == 0) html_printf(b, "<span class=\"badge scope-team\">team: %h</span>", c->team_name ? c->team_name : "?");
    else buf_puts(b, "<span class=\"badge scope-org\">whole organisation</span>");
}

/* GET /challenges ?phase= ?saved=: the challenges the caller may see, open
 * ones first with their closing dates, goals, scope and idea counts; a
 * "Publish a challenge" button for managers and admins (member). */
int challenges_page_list(Req *r) {
    const char *phase = req_query(r, "phase");
    if (phase && !is_one_of(phase, PHASES)) phase = NULL;
    bool can_publish = r->who.access >= ACCESS_MANAGER;
    Challenge *c;
    int n = load_rows(r,
                      db_q(r->db, SQL_CHALLENGE_ALL, "iiiit", r->who.person_id, r->who.org_id, (int64_t)(r->who.access >= ACCESS_MANAGER),
                           (int64_t)(r->who.access >= ACCESS_ADMIN), phase),
                      1000, &c);

    page_begin(r, "Challenges");
    Buf *b = page(r);
    buf_puts(b, "<div class=\"title-row\"><h1>Challenges</h1>");
    if (can_publish) buf_puts(b, "<a class=\"button\" href=\"/challenges/new\">Publish a challenge</a>");
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    buf_puts(b, "<p class=\"muted\">Leaders ask; everyone answers with ideas. Every idea gets a visible answer.</p>");
    html_printf(b, "<p class=\"filters\"><a href=\"/challenges\"%s>All</a>", phase ? "" : " aria-current=\"page\"");
    for (int i = 0; PHASES[i]; i++)
        html_printf(b, " · <a href=\"/challenges?phase=%h\"%s>%h</a>", PHASES[i], phase && strcmp(phase, PHASES[i]) == 0 ? " aria-current=\"page\"" : "", T(r, PHASES[i]));
    buf_puts(b, " · <a href=\"/ideas/mine\">My ideas</a>");
    if (r->who.access >= ACCESS_MANAGER) buf_puts(b, " · <a href=\"/insights/ideas\">Idea insights</a>");
    buf_puts(b, "</p>");
    if (n == 0) {
        buf_puts(b, "<section class=\"card\"><p class=\"muted empty\">No challenges here yet.");
        if (can_publish) buf_puts(b, " <a href=\"/challenges/new\">Publish the first one</a>.");
        buf_puts(b, "</p></section>");
        page_end(r);
        return 0;
    }
    buf_puts(b, "<section class=\"card\"><table class=\"list\"><thead><tr><th scope=\"col\">Challenge</th>"
                "<th scope=\"col\">Serves</th><th scope=\"col\">Phase</th><th scope=\"col\">Closes</th><th scope=\"col\" class=\"num\">Ideas</th>"
                "</tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td><a href=\"/challenges/%D\">%h</a> ", c[i].id, c[i].title);
        scope_badge(b, &c[i]);
        buf_puts(b, "</td><td>");
        if (c[i].goal_id) html_printf(b, "<a href=\"/goals/%D\">%h</a>", c[i].goal_id, c[i].goal_title);
        else buf_puts(b, "<span class=\"muted\">no goal</span>");
        buf_puts(b, "</td><td>");
        phase_badge(b, c[i].phase);
        html_printf(b, "</td><td>%h", closing_text(r, &c[i]));
        if (c[i].closes_on) html_printf(b, " <span class=\"muted\"><time datetime=\"%h\">%h</time></span>", c[i].closes_on, c[i].closes_on);
        html_printf(b, "</td><td class=\"num\">%D</td></tr>", idea_count(r, &c[i]));
    }
    buf_puts(b, "</tbody></table></section>");
    page_end(r);
    return 0;
}

/* team_options: the teams the caller may publish for: every team for an
 * admin; for a manager, their subtree. Arena-owned. */
static Option *team_options(Req *r, int *n) {
    Option *all = options_from(r, db_q(r->db, SQL_TEAM_OPTIONS, "i", r->who.org_id), n);
    if (r->who.access >= ACCESS_ADMIN) return all;
    int nm = 0;
    Option *mine = options_from(r, db_q(r->db, SQL_TEAMS_MANAGED, "iii", r->who.person_id, r->who.org_id, (int64_t)1), &nm);
    int k = 0;
    for (int i = 0; i < *n; i++) {
        bool ok = false;
        for (int j = 0; j < nm && !ok; j++) ok = mine[j].id == all[i].id;
        if (ok) all[k++] = all[i];
    }
    *n = k;
    return all;
}

/* select_labelled: a select of string values with their own labels,
 * marked up like the form helpers' fields. */
static void select_labelled(Req *r, const char *name, const char *label, const char *selected, const char *const *values,
                            const char *const *labels, const char *error) {
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\"", error ? " has-error" : "", name, T(r, label), name, name);
    if (error) html_printf(b, " aria-invalid=\"true\" aria-describedby=\"f-%h-err\"", name);
    buf_puts(b, ">");
    for (int i = 0; values[i]; i++)
        html_printf(b, "<option value=\"%h\"%s>%h</option>", values[i], selected && strcmp(selected, values[i]) == 0 ? " selected" : "", T(r, labels[i]));
    buf_puts(b, "</select>");
    if (error) html_printf(b, "<p class=\"error\" id=\"f-%h-err\">%h</p>", name, error);
    buf_puts(b, "</div>");
}

/* challenge_form: the publish (cur NULL) or edit form with the values in f
 * and the problems in e (may be NULL), each next to its field. Managers
 * are offered the team scope and their own teams only. */
static void challenge_form(Req *r, const Challenge *cur, const ChallengeIn *f, const Errors *e) {
    static const char *const scope_labels[] = {N_("The whole organisation"), N_("A team and the teams below it"), NULL};
    static const char *const team_scope[] = {"team", NULL};
    static const char *const team_scope_label[] = {N_("A team and the teams below it"), NULL};
    static const char *const phase_labels[] = {N_("Open: ideas and votes welcome"), N_("Review: votes closed, ideas evaluated"), N_("Closed"), NULL};
    bool admin = r->who.access >= ACCESS_ADMIN;
    int nt = 0, ng = 0;
    Option *teams = team_options(r, &nt);
    Option *goals = options_from(r, db_q(r->db, SQL_GOAL_OPTIONS, "i", r->who.org_id), &ng);
    const char *title = cur ? arena_printf(r->arena, T(r, "Edit challenge: %s"), cur->title) : T(r, "Publish a challenge");
    page_begin(r, title);
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", title);
    form_error_summary(r, e ? e->n : 0);
    if (e && e->n && !e->items[0].field) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", e->items[0].msg);
    if (!cur)
        buf_puts(b, "<p class=\"muted\">Ask a question tied to a goal, for instance \"How could we cut food waste by a fifth this quarter?\". "
                    "Everyone who can see the challenge can answer with ideas.</p>");
    form_begin(r, cur ? arena_printf(r->arena, "/challenges/%lld/edit", (long long)cur->id) : "/challenges/new", NULL);
    form_text(r, "title", "Question", f->title, e ? err_for(e, "title") : NULL, "text", true);
    form_textarea(r, "body", "Details", f->body, e ? err_for(e, "body") : NULL, "The background, what a good answer looks like, any limits. Markdown works.");
    if (admin) select_labelled(r, "scope", N_("Who is asked"), f->scope, SCOPES, scope_labels, e ? err_for(e, "scope") : NULL);
    else select_labelled(r, "scope", N_("Who is asked"), "team", team_scope, team_scope_label, e ? err_for(e, "scope") : NULL);
    form_select_id(r, "team_id", "Team", f->team_id, teams, nt, admin ? N_("No team (organisation challenge)") : N_("Choose a team"),
                   e ? err_for(e, "team_id") : NULL);
    form_select_id(r, "goal_id", "Serves the goal", f->goal_id, goals, ng, "No goal", e ? err_for(e, "goal_id") : NULL);
    form_text(r, "opens_on", "Opens on", f->opens_on, e ? err_for(e, "opens_on") : NULL, "date", false);
    form_text(r, "closes_on", "Closes on", f->closes_on, e ? err_for(e, "closes_on") : NULL, "date", false);
    select_labelled(r, "phase", N_("Phase"), f->phase ? f->phase : "open", PHASES, phase_labels, e ? err_for(e, "phase") : NULL);
    form_end(r, cur ? N_("Save") : N_("Publish challenge"));
    if (cur) html_printf(b, "<p><a href=\"/challenges/%D\">Cancel</a></p>", cur->id);
    else buf_puts(b, "<p><a href=\"/challenges\">Cancel</a></p>");
    page_end(r);
}

/* challenge_form_post: saves the posted form as a new challenge (cur NULL)
 * or onto cur; 303 to the challenge, or the form again with the problems
 * (422, or 403 when the scope or team is not the caller's to choose). */
static int challenge_form_post(Req *r, const Challenge *cur, ChallengeIn f) {
    Errors e = {0};
    const char *v;
    if ((v = req_form(r, "title"))) f.title = v;
    if ((v = req_form(r, "body"))) f.body = v;
    if ((v = req_form(r, "scope"))) f.scope = v;
    if ((v = req_form(r, "phase"))) f.phase = v;
    if ((v = req_form(r, "opens_on"))) f.opens_on = v;
    if ((v = req_form(r, "closes_on"))) f.closes_on = v;
    form_id_field(r, "team_id", &f.team_id, &e, "Choose a team from the list.");
    form_id_field(r, "goal_id", &f.goal_id, &e, "Choose a goal from the list.");
    int64_t id;
    if (challenge_save(r, cur, f, &e, &id)) {
        if (e.status == 404) return resp_error(r, 404, "not_found", "There is no such challenge.");
        challenge_form(r, cur, &f, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/challenges/%lld?saved=1", (long long)id));
    return 0;
}

/* form_defaults: a new challenge: organisation-wide for admins, team for
 * managers, open; ?team_id= and ?goal_id= preselect. */
static ChallengeIn form_defaults(Req *r) {
    ChallengeIn f = {"", "", r->who.access >= ACCESS_ADMIN ? "org" : "team", "open", "", "", 0, 0};
    int64_t x;
    const char *q;
    if ((q = req_query(r, "team_id")) && parse_id(q, &x)) f.team_id = x;
    if ((q = req_query(r, "goal_id")) && parse_id(q, &x)) f.goal_id = x;
    return f;
}

/* GET /challenges/new ?team_id= ?goal_id=: the publish form (manager). */
int challenges_page_new(Req *r) {
    ChallengeIn f = form_defaults(r);
    challenge_form(r, NULL, &f, NULL);
    return 0;
}

/* POST /challenges/new (title, body, scope, team_id, goal_id, opens_on,
 * closes_on, phase): publishes a challenge (admins any scope, managers
 * their teams); 303 to it. */
int challenges_page_new_post(Req *r) {
    ChallengeIn f = {"", "", NULL, "open", "", "", 0, 0};
    return challenge_form_post(r, NULL, f);
}

/* load_managed: the challenge of the route if the caller manages it; else
 * -1 after 404 (cannot see it) or 403 (sees but does not manage it). */
static int load_managed(Req *r, Challenge *c) {
    if (challenge_load(r, r->params[0], c)) return -1;
    if (!challenge_can_manage(r, c)) return resp_error(r, 403, "forbidden", "Only a manager of this challenge's scope can change it.");
    return 0;
}

static ChallengeIn challenge_in(const Challenge *c) {
    ChallengeIn f = {c->title, c->body, c->scope, c->phase, c->opens_on, c->closes_on, c->team_id, c->goal_id};
    return f;
}

/* GET /challenges/{id}/edit: the edit form (a manager of the challenge). */
int challenges_page_edit(Req *r) {
    Challenge c;
    if (load_managed(r, &c)) return -1;
    ChallengeIn f = challenge_in(&c);
    challenge_form(r, &c, &f, NULL);
    return 0;
}

/* POST /challenges/{id}/edit (the fields of the form): saves (a manager of
 * the challenge); 303 to it, or the form again with the problems. */
int challenges_page_edit_post(Req *r) {
    Challenge c;
    if (load_managed(r, &c)) return -1;
    return challenge_form_post(r, &c, challenge_in(&c));
}

/* render_reviewers: the reviewers card for the owner and managers: the
 * reviewers with a remove button each, and a form to assign someone who
 * can see the challenge. error, when set, says why a change failed. */
typedef struct ReviewerWanted { const Challenge *c; int64_t org_id; } ReviewerWanted;

static void *reviewer_options_load(Db *db, Arena *a, void *ctx) {
    const ReviewerWanted *q = ctx;
    return option_list_from(a, db_q(db, SQL_REVIEWER_OPTIONS, "iiit", q->c->id, q->org_id, q->c->team_id, q->c->scope));
}

static void render_reviewers(Req *r, const Challenge *c, const Errors *error) {
    Buf *b = page(r);
    buf_puts(b, "<section class=\"card\" id=\"reviewers\"><h2>Reviewers</h2><p class=\"muted\">Reviewers score ideas on risk, reward and "
                "effort; their scorecards feed the matrix above.</p>");
    if (error && error->n && (!error->items[0].field || !err_for(error, "person_id")))
        html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", error->items[0].msg);
    Stmt *s = db_q(r->db, SQL_REVIEWERS, "ii", c->id, r->who.org_id);
    int n = 0;
    uint64_t key = 1469598103934665603ULL ^ (uint64_t)c->team_id ^ ((uint64_t)(c->scope && c->scope[0] == 't') << 62);
    while (db_step(s) == DB_ROW) {
        key = (key ^ (uint64_t)db_int(s, 0)) * 1099511628211ULL; /* FNV-1a over the reviewers */
        if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
        html_printf(b, "<li><a href=\"/people/%D\">%h</a> ", db_int(s, 0), db_text(s, 1));
        form_begin_confirm(r, arena_printf(r->arena, "/challenges/%lld/reviewers", (long long)c->id),
                           arena_printf(r->arena, "Remove %s as a reviewer?", db_text(s, 1)));
        html_printf(b, "<input type=\"hidden\" name=\"remove\" value=\"%D\"><button type=\"submit\" class=\"secondary\">Remove "
                       "<span class=\"muted\">%h</span></button></form></li>",
                    db_int(s, 0), db_text(s, 1));
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    else buf_puts(b, "<p class=\"muted empty\">No reviewers yet.</p>");
    /* who may still be assigned: kept per connection, keyed by the
     * challenge, its scope and its reviewers (people and teams: dir_version) */
    ReviewerWanted q = {c, r->who.org_id};
    const OptionList *people = conn_cache_get(r->db, SQL_REVIEWER_OPTIONS, r->who.org_id, c->id, (int64_t)key, reviewer_options_load, &q);
    if (people->n == 0 && !(error && err_for(error, "person_id"))) buf_puts(b, "<p class=\"muted\">Everyone who can see this challenge already reviews it.</p>");
    else {
        form_begin(r, arena_printf(r->arena, "/challenges/%lld/reviewers", (long long)c->id), NULL);
        form_select_list(r, "person_id", "Assign a reviewer", 0, people, "Choose a person", error ? err_for(error, "person_id") : NULL);
        form_end(r, "Assign");
    }
    buf_puts(b, "</section>");
}

/* challenge_view: the challenge page; flash on top, reviewer_error says
 * why a reviewer change failed. */
static void challenge_view(Req *r, const Challenge *c, const char *flash, const Errors *reviewer_error) {
    bool manage = challenge_can_manage(r, c), open = strcmp(c->phase, "open") == 0;
    page_begin(r, c->title);
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1>", c->title);
    if (manage) html_printf(b, "<a class=\"button secondary\" href=\"/challenges/%D/edit\">Edit</a>", c->id);
    buf_puts(b, "</div>");
    page_flash(r, flash);

    buf_puts(b, "<section class=\"card\"><dl class=\"facts\"><dt>Phase</dt><dd>");
    phase_badge(b, c->phase);
    html_printf(b, " <span class=\"muted\">%h</span></dd><dt>Who is asked</dt><dd>", closing_text(r, c));
    if (strcmp(c->scope, "team") == 0)
        html_printf(b, "<a href=\"/teams/%D\">%h</a> <span class=\"muted\">and the teams below it</span>", c->team_id, c->team_name ? c->team_name : "?");
    else buf_puts(b, "the whole organisation");
    buf_puts(b, "</dd><dt>Serves</dt>");
    if (c->goal_id) html_printf(b, "<dd><a href=\"/goals/%D\">%h</a></dd>", c->goal_id, c->goal_title);
    else buf_puts(b, "<dd class=\"muted\">no goal</dd>");
    buf_puts(b, "<dt>Opens</dt><dd>");
    if (c->opens_on) html_printf(b, "<time datetime=\"%h\">%h</time>", c->opens_on, c->opens_on);
    else buf_puts(b, "<span class=\"muted\">not set</span>");
    buf_puts(b, "</dd><dt>Closes</dt><dd>");
    if (c->closes_on) html_printf(b, "<time datetime=\"%h\">%h</time>", c->closes_on, c->closes_on);
    else buf_puts(b, "<span class=\"muted\">no closing date</span>");
    buf_puts(b, "</dd>");
    if (c->owner_id) html_printf(b, "<dt>Published by</dt><dd><a href=\"/people/%D\">%h</a></dd>", c->owner_id, c->owner_name);
    buf_puts(b, "</dl>");
    if (c->body && *c->body) {
        buf_puts(b, "<div class=\"purpose-text\">");
        html_markdown(b, c->body);
        buf_puts(b, "</div>");
    }
    if (open)
        html_printf(b, "<p class=\"actions\"><a class=\"button\" href=\"#share-h\">%h</a> <a class=\"button secondary\" href=\"/challenges/%D/pair\">%h</a></p>",
                    T(r, "Share an idea"), c->id, T(r, "Which is better? Compare ideas two at a time"));
    else if (strcmp(c->phase, "review") == 0) buf_puts(b, "<p class=\"muted\">Ideas and votes are closed while the ideas are evaluated.</p>");
    else buf_puts(b, "<p class=\"muted\">This challenge is closed.</p>");
    buf_puts(b, "</section>");

    /* the ideas first (on a phone the form would push them two screens
     * down), the form for a new one after them, reached from the link above */
    ideas_render_list(r, c, req_query(r, "sort"));
    export_link(r, arena_printf(r->arena, "/api/v1/challenges/%lld/ideas", (long long)c->id));
    if (open) ideas_render_submit(r, c);
    reviews_render_matrix(r, c);
    if (can_assign(r, c)) render_reviewers(r, c, reviewer_error);
    else {
        int64_t x = 0;
        if (db_one_int(r->db, &x, SQL_REVIEWER_IS, "iii", c->id, r->who.person_id, r->who.org_id))
            buf_puts(b, "<p class=\"muted\">You are a reviewer of this challenge: open an idea to score it.</p>");
    }
    buf_puts(b, "<p><a href=\"/challenges\">All challenges</a></p>");
    page_end(r);
}

/* GET /challenges/{id} ?sort= ?saved= ?reviewers=: the challenge page: its
 * question, phase, goal, team and dates, the idea form while open, the
 * ideas in the chosen order, the risk/reward matrix, and for the owner and
 * managers the reviewers (member; 404 when the caller may not see it). */
int challenges_page_view(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    const char *flash = req_query(r, "saved") ? "Saved." : req_query(r, "reviewers") ? "Reviewers updated." : NULL;
    challenge_view(r, &c, flash, NULL);
    return 0;
}

/* POST /challenges/{id}/reviewers (person_id, or remove=person_id): assigns
 * or removes a reviewer (the owner or a manager of the challenge); 303 back
 * to the reviewers, or the page with the problem next to the choice. */
int challenges_page_reviewer_add(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    Errors e = {0};
    int64_t person = 0, remove = 0;
    form_id_field(r, "remove", &remove, &e, "Choose a reviewer to remove.");
    if (!e.n && !remove) form_id_field(r, "person_id", &person, &e, "Choose a person from the list.");
    if (e.n || (remove ? reviewer_remove(r, &c, remove, &e) : reviewer_add(r, &c, person, &e))) {
        if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", e.items[0].msg);
        challenge_view(r, &c, NULL, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/challenges/%lld?reviewers=1#reviewers", (long long)c.id));
    return 0;
}
