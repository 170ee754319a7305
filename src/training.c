/* training.c: the training catalogue (internal sessions, shadowing,
 * courses with an http(s) link), each with the skills and the level it
 * builds; suggestions that explain themselves (growcalc.c's skills_suggest
 * over the person's roles' needs, confirmed levels, the catalogue and the
 * prerequisites of the rights they hold on paper); and plans: a person or
 * their manager proposes one (from a suggestion, keeping its evidence, or
 * not), a manager above the person or an admin approves or rejects it, and
 * the manager confirms completion, which raises the person's confirmed
 * levels to what the training builds (never lowers) and so may open a right
 * that needed it. A suggestion turned down is kept as a 'dismissed' plan
 * with who did it, so every suggestion has its evidence and its decider.
 * JSON under /api/v1/trainings and /api/v1/training-plans; pages /training
 * and /training/{id}. Everyone reads the catalogue; plans are seen by the
 * person, their managers up the chain and admins. */
#include "remit.h"
#include "handlers.h"
#include "grow.h"
#include "notify.h"
#include <string.h>

#define TITLE_MAX_CHARS 200
#define TEXT_MAX_CHARS 4000
#define URL_MAX 1000
#define MAX_SUGGESTIONS 12


static const char *const KINDS[] = {N_("session"), N_("shadowing"), N_("course"), NULL};
static const char *const STATUSES[] = {N_("proposed"), N_("approved"), N_("rejected"), N_("completed"), N_("dismissed"), NULL};

static const char SQL_TRAININGS[] = "SELECT id, kind, title, description, url FROM training WHERE org_id = ? ORDER BY title, id LIMIT 2000";
static const char SQL_TRAINING_GET[] = "SELECT id, kind, title, description, url FROM training WHERE id = ? AND org_id = ?";
static const char SQL_TRAINING_INSERT[] = "INSERT INTO training(org_id, kind, title, description, url, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_BUILDS_INSERT[] = "INSERT INTO training_skill(org_id, training_id, skill_id, level) VALUES (?, ?, ?, ?)";
static const char SQL_BUILDS[] =
    "SELECT ts.skill_id, s.name, ts.level FROM training_skill ts JOIN skill s ON s.id = ts.skill_id AND s.org_id = ts.org_id "
    "WHERE ts.org_id = ? AND ts.training_id = ? ORDER BY s.name";
static const char SQL_ALL_BUILDS[] = "SELECT training_id, skill_id, level FROM training_skill WHERE org_id = ? ORDER BY training_id";
static const char SQL_SKILL_EXISTS[] = "SELECT count(*) FROM skill WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_NAME[] = "SELECT name FROM person WHERE id = ? AND org_id = ?";
static const char SQL_NEEDS_OF[] =
    "SELECT rs.skill_id, max(rs.level), s.name, min(ro.name) FROM role_holder h JOIN role_skill rs ON rs.role_id = h.role_id "
    "JOIN skill s ON s.id = rs.skill_id AND s.org_id = rs.org_id JOIN role ro ON ro.id = rs.role_id "
    "WHERE h.person_id = ? AND rs.org_id = ? GROUP BY rs.skill_id, s.name ORDER BY s.name";
static const char SQL_LEVELS_OF[] = "SELECT skill_id, confirmed_level FROM person_skill WHERE person_id = ? AND org_id = ? AND confirmed_level IS NOT NULL";
static const char SQL_PLANS_TAKEN[] = "SELECT training_id, status FROM training_plan WHERE person_id = ? AND org_id = ?";
/* rights the person holds (personally or through a role) that have prerequisites */
static const char SQL_RIGHTS_REQ[] =
    "SELECT r.requires, d.label, r.limit_cents FROM decision_right r JOIN domain d ON d.id = r.domain_id AND d.org_id = r.org_id "
    "WHERE r.org_id = ?1 AND r.requires IS NOT NULL AND (r.expires_on IS NULL OR r.expires_on >= ?3) AND (r.person_id = ?2 OR r.role_id IN "
    "(SELECT h.role_id FROM role_holder h WHERE h.person_id = ?2 AND h.org_id = ?1)) ORDER BY r.id LIMIT 50";
#define PLAN_SELECT                                                                                                                     \
    "SELECT p.id, p.person_id, pe.name, p.training_id, t.title, p.status, p.evidence, p.proposed_by, pb.name, p.proposed_at, "       \
    "p.decided_by, db.name, p.decided_at, p.completed_by, cb.name, p.completed_at, p.note FROM training_plan p "                    \
    "JOIN person pe ON pe.id = p.person_id AND pe.org_id = p.org_id JOIN training t ON t.id = p.training_id AND t.org_id = p.org_id " \
    "LEFT JOIN person pb ON pb.id = p.proposed_by LEFT JOIN person db ON db.id = p.decided_by LEFT JOIN person cb ON cb.id = p.completed_by "
static const char SQL_PLAN_GET[] = PLAN_SELECT "WHERE p.id = ? AND p.org_id = ?";
static const char SQL_PLANS_OF[] = PLAN_SELECT "WHERE p.org_id = ? AND p.person_id = ? ORDER BY p.id DESC LIMIT 200";
static const char SQL_PLANS_ALL[] = PLAN_SELECT "WHERE p.org_id = ? ORDER BY p.id DESC LIMIT 500";
/* open plans of the people below the caller (managers), or of anyone (admins, first parameter 1) */
static const char SQL_PLANS_WAITING[] = PLAN_SELECT "WHERE p.org_id = ?1 AND p.status IN ('proposed', 'approved') AND p.person_id <> ?2 AND (?3 = 1 OR p.person_id IN ("
    "WITH RECURSIVE below(id) AS (SELECT id FROM person WHERE manager_id = ?2 AND org_id = ?1 UNION SELECT x.id FROM person x JOIN below ON x.manager_id = below.id "
    "WHERE x.org_id = ?1) SELECT id FROM below)) ORDER BY p.id LIMIT 200";
static const char SQL_WAITING_N[] = "SELECT count(*) FROM training_plan p WHERE p.org_id = ?1 AND p.status IN ('proposed', 'approved') "
    "AND p.person_id <> ?2 AND (?3 = 1 OR p.person_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM person WHERE manager_id = ?2 AND org_id = ?1 "
    "UNION SELECT x.id FROM person x JOIN below ON x.manager_id = below.id WHERE x.org_id = ?1) SELECT id FROM below))";
static const char SQL_PLAN_OPEN[] =
    "SELECT count(*) FROM training_plan WHERE org_id = ? AND person_id = ? AND training_id = ? AND status IN ('proposed', 'approved')";
static const char SQL_PLAN_INSERT[] =
    "INSERT INTO training_plan(org_id, person_id, training_id, status, evidence, proposed_by, proposed_at, decided_by, decided_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PLAN_DECIDE[] = "UPDATE training_plan SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND org_id = ? AND status = 'proposed'";
static const char SQL_PLAN_COMPLETE[] =
    "UPDATE training_plan SET status = 'completed', completed_by = ?, completed_at = ?, note = CASE WHEN ? = '' THEN note ELSE ? END "
    "WHERE id = ? AND org_id = ? AND status = 'approved'";

/* ---------- the catalogue ---------- */

static bool url_ok(const char *u) {
    return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0) && strlen(u) > 8 && strlen(u) <= URL_MAX && !has_control(u) &&
           !strpbrk(u, " \"'<>\\");
}

static bool kind_ok(const char *k) {
    for (int i = 0; k && KINDS[i]; i++)
        if (strcmp(k, KINDS[i]) == 0) return true;
    return false;
}

static json_t *builds_json(Req *r, int64_t id) {
    json_t *a = json_array();
    Stmt *s = db_q(r->db, SQL_BUILDS, "ii", r->who.org_id, id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(a, json_pack("{s:I,s:s,s:I}", "skill_id", (json_int_t)db_int(s, 0), "name", db_text(s, 1), "level", (json_int_t)db_int(s, 2)));
    db_reset(s);
    return a;
}

typedef struct Build { int64_t skill; int64_t level; } Build;

/* training_save: a new training with what it builds. 0 ok (*id_out). */
static int training_save(Req *r, const char *kind, const char *title_in, const char *desc_in, const char *url_in, const Build *b, int nb, Errors *e,
                         int64_t *id_out) {
    char *title = str_trim(r->arena, title_in ? title_in : ""), *desc = str_trim(r->arena, desc_in ? desc_in : "");
    char *url = url_in ? str_trim(r->arena, url_in) : NULL;
    if (url && !*url) url = NULL;
    if (!kind_ok(kind)) err_add(e, 422, "invalid", "kind", "Choose a kind: session, shadowing or course.");
    if (str_empty(title)) err_add(e, 422, "invalid", "title", "Give the training a title.");
    else if (utf8_chars(title) > TITLE_MAX_CHARS || has_control(title)) err_add(e, 422, "invalid", "title", "Keep the title to one line of 200 characters or fewer.");
    if (utf8_chars(desc) > TEXT_MAX_CHARS) err_add(e, 422, "invalid", "description", "Keep the description to 4000 characters or fewer.");
    if (url && !url_ok(url)) err_add(e, 422, "invalid", "url", "A link starts with http:// or https:// and has no spaces or quotes.");
    for (int i = 0; i < nb; i++) {
        int64_t n = 0;
        if (!db_one_int(r->db, &n, SQL_SKILL_EXISTS, "ii", b[i].skill, r->who.org_id) || !n) {
            err_add(e, 422, "invalid", "builds", "There is no such skill.");
            break;
        }
        if (b[i].level < 1 || b[i].level > 4) {
            err_add(e, 422, "invalid", "builds", "A level is 1 (aware), 2 (practising), 3 (proficient) or 4 (can teach).");
            break;
        }
        for (int k = 0; k < i; k++)
            if (b[k].skill == b[i].skill) err_add(e, 422, "invalid", "builds", "Name each skill once.");
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = db_exec(r->db, SQL_TRAINING_INSERT, "ittttii", r->who.org_id, kind, title, desc, url, r->who.person_id, r->now);
    int64_t id = db_last_id(r->db);
    for (int i = 0; rc == DB_OK && i < nb; i++) rc = db_exec(r->db, SQL_BUILDS_INSERT, "iiii", r->who.org_id, id, b[i].skill, b[i].level);
    if (rc == DB_OK) audit(r, "training.create", arena_printf(r->arena, "training:%lld", (long long)id), "%s", title);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* GET /api/v1/trainings: the catalogue with what each builds (member). */
int training_api_list(Req *r) {
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_TRAININGS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        int64_t id = db_int(s, 0);
        json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)id, "kind", db_text(s, 1), "title", db_text(s, 2), "description", db_text(s, 3),
                              "url", db_null(s, 4) ? json_null() : json_string(db_text(s, 4)));
        json_array_append_new(items, o);
    }
    db_reset(s);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) json_object_set_new(o, "builds", builds_json(r, json_integer_value(json_object_get(o, "id"))));
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

static int training_reply(Req *r, int status, int64_t id) {
    Stmt *s = db_q(r->db, SQL_TRAINING_GET, "ii", id, r->who.org_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return resp_error(r, 404, "not_found", "There is no such training.");
    }
    int64_t tid = db_int(s, 0);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)tid, "kind", db_text(s, 1), "title", db_text(s, 2), "description", db_text(s, 3), "url",
                          db_null(s, 4) ? json_null() : json_string(db_text(s, 4)));
    db_reset(s);
    json_object_set_new(o, "builds", builds_json(r, tid));
    resp_json(r, status, o);
    return 0;
}

/* GET /api/v1/trainings/{id}: one training (member). */
int training_api_get(Req *r) { return training_reply(r, 200, r->params[0]); }

static const JField TRAINING_FIELDS[] = {{"kind", JF_STRING, 40}, {"title", JF_STRING, 1000}, {"description", JF_STRING, 20000},
                                         {"url", JF_STRING_NULL, 2000}, {"builds", JF_ANY, 0}, {0}};

/* POST /api/v1/trainings {"kind","title","description","url","builds":[{"skill_id","level"}]}:
 * adds a training to the catalogue (manager). 201. */
int training_api_create(Req *r) {
    json_t *in = req_json_object(r, TRAINING_FIELDS);
    if (!in) return -1;
    json_t *bl = json_object_get(in, "builds");
    if (bl && (!json_is_array(bl) || json_array_size(bl) > 20)) return resp_error(r, 422, "invalid", "builds is a list of at most 20 {\"skill_id\",\"level\"}.");
    int nb = bl ? (int)json_array_size(bl) : 0;
    Build *b = arena_alloc(r->arena, sizeof(Build) * (size_t)(nb + 1));
    for (int i = 0; i < nb; i++) {
        json_t *q = json_array_get(bl, (size_t)i);
        b[i].skill = json_integer_value(json_object_get(q, "skill_id"));
        b[i].level = json_integer_value(json_object_get(q, "level"));
    }
    Errors e = {0};
    int64_t id;
    if (training_save(r, json_str(in, "kind"), json_str(in, "title"), json_str(in, "description"), json_str(in, "url"), b, nb, &e, &id)) return err_send(r, &e);
    resp_header(r, "Location", arena_printf(r->arena, "/api/v1/trainings/%lld", (long long)id));
    return training_reply(r, 201, id);
}

/* ---------- suggestions ---------- */

typedef struct Suggest {
    SkSuggestion v[MAX_SUGGESTIONS];
    char text[MAX_SUGGESTIONS][400];
    int n;
} Suggest;

/* suggest_for: loads everything skills_suggest needs for person and runs it. */
static void suggest_for(Req *r, int64_t person, const char *name, Suggest *out) {
    SkNeed needs[64];
    SkLevel levels[128];
    int nneeds = 0, nlevels = 0;
    Stmt *s = db_q(r->db, SQL_NEEDS_OF, "ii", person, r->who.org_id);
    while (db_step(s) == DB_ROW && nneeds < 64)
        needs[nneeds++] = (SkNeed){db_int(s, 0), (int)db_int(s, 1), db_dup(s, 2, r->arena), db_dup(s, 3, r->arena)};
    db_reset(s);
    s = db_q(r->db, SQL_LEVELS_OF, "ii", person, r->who.org_id);
    while (db_step(s) == DB_ROW && nlevels < 128) levels[nlevels++] = (SkLevel){db_int(s, 0), (int)db_int(s, 1)};
    db_reset(s);
    int cap = 16, nt = 0;
    SkTraining *cat = arena_alloc(r->arena, sizeof(SkTraining) * (size_t)cap);
    s = db_q(r->db, SQL_TRAININGS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (nt == cap) cat = arena_grow(r->arena, cat, &cap, sizeof *cat);
        cat[nt++] = (SkTraining){db_int(s, 0), db_dup(s, 2, r->arena), NULL, 0};
    }
    db_reset(s);
    s = db_q(r->db, SQL_ALL_BUILDS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        int64_t tid = db_int(s, 0);
        for (int i = 0; i < nt; i++)
            if (cat[i].id == tid) {
                SkLevel *v = arena_alloc(r->arena, sizeof(SkLevel) * (size_t)(cat[i].nbuilds + 1));
                if (cat[i].nbuilds) memcpy(v, cat[i].builds, sizeof(SkLevel) * (size_t)cat[i].nbuilds);
                v[cat[i].nbuilds] = (SkLevel){db_int(s, 1), (int)db_int(s, 2)};
                cat[i].builds = v;
                cat[i].nbuilds++;
            }
    }
    db_reset(s);
    int64_t completed[256], taken[256];
    int ncompleted = 0, ntaken = 0;
    s = db_q(r->db, SQL_PLANS_TAKEN, "ii", person, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (ntaken < 256) taken[ntaken++] = db_int(s, 0);
        if (strcmp(db_text(s, 1), "completed") == 0 && ncompleted < 256) completed[ncompleted++] = db_int(s, 0);
    }
    db_reset(s);
    SkRight rights[32];
    int nrights = 0;
    s = db_q(r->db, SQL_RIGHTS_REQ, "iit", r->who.org_id, person, today_date(r->arena, r->now));
    while (db_step(s) == DB_ROW) {
        CanRight cr = {0};
        char *label = db_dup(s, 1, r->arena);
        int64_t lim = db_null(s, 2) ? -1 : db_int(s, 2);
        if (!can_requires_parse(r->db, r->arena, r->who.org_id, db_text(s, 0), &cr)) continue;
        for (int i = 0; i < cr.nrequires && nrights < 32; i++)
            rights[nrights++] = (SkRight){label, lim, cr.requires[i].training_id, cr.requires[i].skill_id, cr.requires[i].level, cr.requires[i].name};
    }
    db_reset(s);
    SkInput in = {needs, nneeds, levels, nlevels, cat, nt, rights, nrights, completed, ncompleted, taken, ntaken};
    out->n = skills_suggest(&in, out->v, MAX_SUGGESTIONS);
    for (int i = 0; i < out->n; i++) skills_suggestion_text(r->lang, name, &out->v[i], out->text[i], sizeof out->text[i]);
}

static bool may_see(Req *r, int64_t person) { return person == r->who.person_id || skills_may_confirm(r, person); }

/* person_arg: the person_id query parameter (default: the caller), who
 * must be visible; 404/400 sent otherwise. */
static int person_arg(Req *r, const char *v, int64_t *person, char **name) {
    *person = r->who.person_id;
    if (v && *v && !parse_id(v, person)) return resp_error(r, 400, "invalid_parameter", "person_id must be an id.");
    Stmt *s = db_q(r->db, SQL_PERSON_NAME, "ii", *person, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    if (found) *name = db_dup(s, 0, r->arena);
    db_reset(s);
    if (!found || !may_see(r, *person)) return resp_error(r, 404, "not_found", "There is no such person.");
    return 0;
}

static const char *kind_name(int k) { return k == SK_RIGHT_TRAINING ? "right_training" : k == SK_RIGHT_SKILL ? "right_skill" : "role_need"; }

/* GET /api/v1/training-suggestions?person_id=: suggestions for a person
 * (default: the caller), each with its evidence sentence (member: themself,
 * their managers, admins). Dismissed and planned ones are in the plans. */
int training_api_suggestions(Req *r) {
    int64_t person;
    char *name;
    if (person_arg(r, req_query(r, "person_id"), &person, &name)) return -1;
    Suggest sg;
    suggest_for(r, person, name, &sg);
    json_t *items = json_array();
    for (int i = 0; i < sg.n; i++) {
        SkSuggestion *x = &sg.v[i];
        json_array_append_new(items, json_pack("{s:s,s:I,s:s,s:o,s:o,s:i,s:i,s:s}", "kind", kind_name(x->kind), "training_id", (json_int_t)x->training_id,
                                               "training", x->training, "skill_id", x->skill_id ? json_integer(x->skill_id) : json_null(), "skill",
                                               json_text(x->skill), "from", x->from, "to", x->to, "evidence", sg.text[i]));
    }
    resp_json(r, 200, json_pack("{s:I,s:o}", "person_id", (json_int_t)person, "items", items));
    return 0;
}

/* ---------- plans ---------- */

typedef struct Plan {
    int64_t id, person_id, training_id, proposed_by, decided_by, completed_by, proposed_at, decided_at, completed_at;
    char *person, *training, *status, *evidence, *proposer, *decider, *completer, *note;
} Plan;

static void plan_row(Req *r, Stmt *s, Plan *p) {
    p->id = db_int(s, 0);
    p->person_id = db_int(s, 1);
    p->person = db_dup(s, 2, r->arena);
    p->training_id = db_int(s, 3);
    p->training = db_dup(s, 4, r->arena);
    p->status = db_dup(s, 5, r->arena);
    p->evidence = db_dup(s, 6, r->arena);
    p->proposed_by = db_int(s, 7);
    p->proposer = db_dup(s, 8, r->arena);
    p->proposed_at = db_int(s, 9);
    p->decided_by = db_int(s, 10);
    p->decider = db_dup(s, 11, r->arena);
    p->decided_at = db_int(s, 12);
    p->completed_by = db_int(s, 13);
    p->completer = db_dup(s, 14, r->arena);
    p->completed_at = db_int(s, 15);
    p->note = db_dup(s, 16, r->arena);
}

static int plan_find(Req *r, int64_t id, Plan *p) {
    Stmt *s = db_q(r->db, SQL_PLAN_GET, "ii", id, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    if (found) plan_row(r, s, p);
    db_reset(s);
    return found && may_see(r, p->person_id);
}

static json_t *plan_json(Req *r, const Plan *p) {
    return json_pack("{s:I,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "id", (json_int_t)p->id, "person", json_ref(p->person_id, p->person), "training",
                     json_ref(p->training_id, p->training), "status", p->status, "evidence", p->evidence ? p->evidence : "", "proposed_by",
                     json_ref(p->proposed_by, p->proposer), "proposed_at", json_time(r->arena, p->proposed_at), "decided_by", json_ref(p->decided_by, p->decider),
                     "decided_at", json_time(r->arena, p->decided_at), "completed_by", json_ref(p->completed_by, p->completer), "completed_at",
                     json_time(r->arena, p->completed_at), "note", p->note ? p->note : "");
}

/* plan_propose: a plan (or a dismissal) for person and training, by the
 * person or someone who may confirm for them. 0 ok (*id_out). */
static int plan_propose(Req *r, int64_t person, int64_t training, const char *evidence_in, bool dismiss, Errors *e, int64_t *id_out) {
    char *evidence = str_trim(r->arena, evidence_in ? evidence_in : "");
    int64_t n = 0;
    if (utf8_chars(evidence) > TEXT_MAX_CHARS) err_add(e, 422, "invalid", "evidence", "Keep the evidence to 4000 characters or fewer.");
    if (e->n) return -1;
    Stmt *s = db_q(r->db, SQL_PERSON_NAME, "ii", person, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    db_reset(s);
    if (!found || !may_see(r, person)) err_add(e, 422, "invalid", "person_id", "There is no such person.");
    else {
        s = db_q(r->db, SQL_TRAINING_GET, "ii", training, r->who.org_id);
        found = db_step(s) == DB_ROW;
        db_reset(s);
        if (!found) err_add(e, 422, "invalid", "training_id", "There is no such training.");
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    if (!dismiss && db_one_int(r->db, &n, SQL_PLAN_OPEN, "iii", r->who.org_id, person, training) && n) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", "training_id", "This training is already planned for this person.");
        return -1;
    }
    int rc = db_exec(r->db, SQL_PLAN_INSERT, "iiittiiII", r->who.org_id, person, training, dismiss ? "dismissed" : "proposed",
                     evidence, r->who.person_id, r->now, dismiss ? r->who.person_id : 0, dismiss ? r->now : 0);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK)
        audit(r, dismiss ? "training.dismiss" : "training.propose", arena_printf(r->arena, "training_plan:%lld", (long long)id), "person %lld training %lld",
              (long long)person, (long long)training);
    if (rc == DB_OK && !dismiss && person == r->who.person_id) {
        int64_t mgr = 0;
        if (db_one_int(r->db, &mgr, "SELECT manager_id FROM person WHERE id = ? AND org_id = ?", "ii", person, r->who.org_id) && mgr)
            notify(r->db, r->who.org_id, mgr, r->now, "training.plan", TP(i18n_person_lang(r->db, mgr), "A training plan waits for your approval."), "/training");
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

enum { ACT_APPROVE, ACT_REJECT, ACT_COMPLETE };

/* plan_act: approve, reject or confirm completion (a manager above the
 * person or an admin; never for oneself). Completion raises the person's
 * confirmed levels to what the training builds, never lowering them. */
static int plan_act(Req *r, const Plan *p, int act, const char *note_in, Errors *e) {
    char *note = str_trim(r->arena, note_in ? note_in : "");
    if (utf8_chars(note) > TEXT_MAX_CHARS) err_add(e, 422, "invalid", "note", "Keep the note to 4000 characters or fewer.");
    else if (!skills_may_confirm(r, p->person_id))
        err_add(e, 403, "forbidden", NULL, "Only a manager above this person or an admin decides their training plan, and never their own.");
    else if (act != ACT_COMPLETE && strcmp(p->status, "proposed") != 0) err_add(e, 409, "conflict", "status", "Only a proposed plan is approved or rejected.");
    else if (act == ACT_COMPLETE && strcmp(p->status, "approved") != 0) err_add(e, 409, "conflict", "status", "Only an approved plan is completed.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc;
    if (act == ACT_COMPLETE) {
        rc = db_exec(r->db, SQL_PLAN_COMPLETE, "iittii", r->who.person_id, r->now, note, note, p->id, r->who.org_id);
        if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_CONSTRAINT;
        Stmt *s = db_q(r->db, SQL_ALL_BUILDS, "i", r->who.org_id);
        Build b[32];
        int nb = 0;
        while (db_step(s) == DB_ROW)
            if (db_int(s, 0) == p->training_id && nb < 32) b[nb++] = (Build){db_int(s, 1), db_int(s, 2)};
        db_reset(s);
        for (int i = 0; rc == DB_OK && i < nb; i++) rc = skills_raise(r, p->person_id, b[i].skill, (int)b[i].level);
    } else {
        rc = db_exec(r->db, SQL_PLAN_DECIDE, "tiitii", act == ACT_APPROVE ? "approved" : "rejected", r->who.person_id, r->now, note, p->id, r->who.org_id);
        if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_CONSTRAINT;
    }
    static const char *const ACTS[] = {"training.approve", "training.reject", "training.complete"};
    if (rc == DB_OK) {
        audit(r, ACTS[act], arena_printf(r->arena, "training_plan:%lld", (long long)p->id), "person %lld training %lld", (long long)p->person_id,
              (long long)p->training_id);
        const Lang *l = i18n_person_lang(r->db, p->person_id);
        static const char *const TEXTS[] = {N_("Your training plan was approved: %s."), N_("Your training plan was not approved: %s."),
                                            N_("Your training is confirmed as completed: %s.")};
        notify(r->db, r->who.org_id, p->person_id, r->now, "training.plan", arena_printf(r->arena, TP(l, TEXTS[act]), p->training), "/training");
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "status", "The plan changed meanwhile; reload it.");
        else err_busy(e);
        return -1;
    }
    return 0;
}

/* GET /api/v1/training-plans?person_id=: a person's plans, newest first
 * (member: themself, their managers, admins; without person_id: the
 * caller's own, or everyone's for admins with ?all=1). */
int training_api_plans(Req *r) {
    Stmt *s;
    const char *all = req_query(r, "all");
    if (all && strcmp(all, "1") == 0 && r->who.access >= ACCESS_ADMIN) s = db_q(r->db, SQL_PLANS_ALL, "i", r->who.org_id);
    else {
        int64_t person;
        char *name;
        if (person_arg(r, req_query(r, "person_id"), &person, &name)) return -1;
        s = db_q(r->db, SQL_PLANS_OF, "ii", r->who.org_id, person);
    }
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        Plan p;
        plan_row(r, s, &p);
        json_array_append_new(items, plan_json(r, &p));
    }
    db_reset(s);
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

static const JField PLAN_FIELDS[] = {{"person_id", JF_ID_NULL, 0}, {"training_id", JF_INT, 0}, {"evidence", JF_STRING_NULL, 10000}, {"dismiss", JF_BOOL, 0}, {0}};

static int plan_reply(Req *r, int status, int64_t id) {
    Plan p;
    if (!plan_find(r, id, &p)) return resp_error(r, 404, "not_found", "There is no such training plan.");
    resp_json(r, status, plan_json(r, &p));
    return 0;
}

/* POST /api/v1/training-plans {"person_id","training_id","evidence","dismiss"}:
 * proposes a plan (or, with dismiss, records a suggestion turned down) for
 * the caller or someone below them (member). 201. */
int training_api_plan_create(Req *r) {
    json_t *in = req_json_object(r, PLAN_FIELDS);
    if (!in) return -1;
    if (!json_has(in, "training_id")) return resp_error(r, 422, "invalid", "training_id is required.");
    int64_t person = json_id(in, "person_id");
    if (!person) person = r->who.person_id;
    Errors e = {0};
    int64_t id;
    if (plan_propose(r, person, json_integer_value(json_object_get(in, "training_id")), json_str(in, "evidence"), json_is_true(json_object_get(in, "dismiss")), &e,
                     &id))
        return err_send(r, &e);
    return plan_reply(r, 201, id);
}

static const JField NOTE_FIELDS[] = {{"note", JF_STRING_NULL, 10000}, {0}};

static int api_act(Req *r, int act) {
    const char *note = NULL;
    if (r->body_len) {
        json_t *in = req_json_object(r, NOTE_FIELDS);
        if (!in) return -1;
        note = json_str(in, "note");
    }
    Plan p;
    if (!plan_find(r, r->params[0], &p)) return resp_error(r, 404, "not_found", "There is no such training plan.");
    Errors e = {0};
    if (plan_act(r, &p, act, note, &e)) return err_send(r, &e);
    return plan_reply(r, 200, p.id);
}

/* POST /api/v1/training-plans/{id}/approve [{"note"}]: approves a proposed plan (member with authority). */
int training_api_approve(Req *r) { return api_act(r, ACT_APPROVE); }
/* POST /api/v1/training-plans/{id}/reject [{"note"}]: rejects a proposed plan (member with authority). */
int training_api_reject(Req *r) { return api_act(r, ACT_REJECT); }
/* POST /api/v1/training-plans/{id}/complete [{"note"}]: confirms completion, raising levels (member with authority). */
int training_api_complete(Req *r) { return api_act(r, ACT_COMPLETE); }

/* ---------- pages ---------- */

static const char *status_text(Req *r, const char *s) {
    for (int i = 0; STATUSES[i]; i++)
        if (strcmp(s, STATUSES[i]) == 0) return T(r, STATUSES[i]);
    return s;
}

static const char *kind_text(Req *r, const char *s) {
    for (int i = 0; KINDS[i]; i++)
        if (strcmp(s, KINDS[i]) == 0) return T(r, KINDS[i]);
    return s;
}

/* plans_table: plans from s with who proposed, decided and completed them,
 * and the buttons the caller may use. */
static void plans_table(Req *r, Stmt *s, bool with_person) {
    Buf *b = page(r);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        Plan p;
        plan_row(r, s, &p);
        if (n++ == 0)
            html_printf(b, "<ul class=\"plain plans\">");
        html_printf(b, "<li class=\"card\" id=\"plan-%D\" data-plan=\"%D\"><p><strong>", p.id, p.id);
        if (with_person) html_printf(b, "%h: ", p.person);
        html_printf(b, "<a href=\"/training/%D\">%h</a></strong> <span class=\"badge\">%h</span></p>", p.training_id, p.training, status_text(r, p.status));
        if (p.evidence && *p.evidence) html_printf(b, "<p class=\"muted\">%h</p>", p.evidence);
        html_printf(b, "<p class=\"muted\">%h", arena_printf(r->arena, T(r, "Proposed by %s on %s."), p.proposer ? p.proposer : "?", fmt_time(r, p.proposed_at)));
        if (p.decider) html_printf(b, " %h", arena_printf(r->arena, T(r, "Decided by %s on %s."), p.decider, fmt_time(r, p.decided_at)));
        if (p.completer) html_printf(b, " %h", arena_printf(r->arena, T(r, "Completion confirmed by %s on %s."), p.completer, fmt_time(r, p.completed_at)));
        buf_puts(b, "</p>");
        bool open_p = strcmp(p.status, "proposed") == 0, open_a = strcmp(p.status, "approved") == 0;
        if ((open_p || open_a) && skills_may_confirm(r, p.person_id)) {
            form_begin(r, arena_printf(r->arena, "/training/plans/%lld", (long long)p.id), NULL);
            buf_puts(b, "<div class=\"actions\">");
            if (open_p)
                html_printf(b, "<button type=\"submit\" name=\"action\" value=\"approve\">%h</button><button type=\"submit\" name=\"action\" value=\"reject\" class=\"secondary\">%h</button>",
                            T(r, "Approve"), T(r, "Reject"));
            else html_printf(b, "<button type=\"submit\" name=\"action\" value=\"complete\">%h</button>", T(r, "Confirm completed"));
            buf_puts(b, "</div></form>");
        }
        buf_puts(b, "</li>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    else html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "None."));
}

/* training_render: the /training page for person (the caller or someone
 * below them). */
static void training_render(Req *r, int64_t person, const char *name, const Errors *e, const char *flash) {
    bool self = person == r->who.person_id;
    Buf *b = page(r);
    page_begin(r, "Training");
    html_printf(b, "<div class=\"title-row\"><h1>Training</h1><div class=\"actions\"><a class=\"button secondary\" href=\"/skills/people/%D\">%h</a></div></div>",
                person, self ? T(r, "Your skills") : arena_printf(r->arena, T(r, "Skills of %s"), name));
    page_flash(r, flash);
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, e->items[0].msg));

    Suggest sg;
    suggest_for(r, person, name, &sg);
    html_printf(b, "<section class=\"card\"><h2>%h</h2>", self ? T(r, "Suggested for you") : arena_printf(r->arena, T(r, "Suggested for %s"), name));
    if (!sg.n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No suggestions: no gaps to a role's needs or a right's prerequisites that a training closes."));
    for (int i = 0; i < sg.n; i++) {
        html_printf(b, "<div class=\"suggestion\" data-suggestion=\"%D\"><p>%h</p>", sg.v[i].training_id, sg.text[i]);
        form_begin(r, "/training/plans", NULL);
        html_printf(b, "<input type=\"hidden\" name=\"person_id\" value=\"%D\"><input type=\"hidden\" name=\"training_id\" value=\"%D\">"
                       "<input type=\"hidden\" name=\"evidence\" value=\"%h\"><div class=\"actions\"><button type=\"submit\">%h</button>"
                       "<button type=\"submit\" name=\"dismiss\" value=\"1\" class=\"secondary\">%h</button></div></form></div>",
                    person, sg.v[i].training_id, sg.text[i], T(r, "Propose this plan"), T(r, "Not now"));
    }
    buf_puts(b, "</section>");

    html_printf(b, "<section class=\"card\"><h2>%h</h2>", self ? T(r, "Your plans") : arena_printf(r->arena, T(r, "Plans of %s"), name));
    plans_table(r, db_q(r->db, SQL_PLANS_OF, "ii", r->who.org_id, person), false);
    buf_puts(b, "</section>");

    if (self && r->who.access >= ACCESS_MANAGER) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "Waiting for you"));
        plans_table(r, db_q(r->db, SQL_PLANS_WAITING, "iii", r->who.org_id, r->who.person_id, (int64_t)(r->who.access >= ACCESS_ADMIN)), true);
        buf_puts(b, "</section>");
    }

    html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "The catalogue"));
    Stmt *s = db_q(r->db, SQL_TRAININGS, "i", r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
        html_printf(b, "<li><a href=\"/training/%D\">%h</a> <span class=\"badge\">%h</span></li>", db_int(s, 0), db_text(s, 2), kind_text(r, db_text(s, 1)));
    }
    db_reset(s);
    buf_puts(b, n ? "</ul>" : "");
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No trainings yet."));
    if (r->who.access >= ACCESS_MANAGER) {
        html_printf(b, "<h3>%h</h3>", T(r, "Add a training"));
        form_begin(r, "/training", NULL);
        form_select_str(r, "kind", "Kind", "session", KINDS, e ? err_for(e, "kind") : NULL);
        form_text(r, "title", "Title", "", e ? err_for(e, "title") : NULL, "text", true);
        form_textarea(r, "description", "Description (optional)", "", e ? err_for(e, "description") : NULL, NULL);
        form_text(r, "url", "Link (optional, http or https)", "", e ? err_for(e, "url") : NULL, "url", false);
        int nskills = 0;
        Option *skills = options_from(r, db_q(r->db, "SELECT id, name FROM skill WHERE org_id = ? ORDER BY name, id LIMIT 2000", "i", r->who.org_id), &nskills);
        Option levels[4];
        for (int k = 0; k < 4; k++) levels[k].id = k + 1, levels[k].label = arena_printf(r->arena, "%d · %s", k + 1, skill_level_name(r, k + 1));
        form_select_id(r, "skill_id", "Builds the skill", 0, skills, nskills, "(none)", e ? err_for(e, "builds") : NULL);
        form_select_id(r, "level", "Up to level", 0, levels, 4, "(choose a level)", NULL);
        form_end(r, "Add training");
    }
    buf_puts(b, "</section>");
    page_end(r);
}

/* GET /training ?person_id=: suggestions, plans and the catalogue, for the
 * caller or someone below them (member). */
int training_page(Req *r) {
    int64_t person;
    char *name;
    if (person_arg(r, req_query(r, "person_id"), &person, &name)) return -1;
    training_render(r, person, name, NULL, req_query(r, "saved") ? "Saved." : NULL);
    return 0;
}

/* POST /training (kind, title, description, url, skill_id, level): adds a
 * training (manager). */
int training_page_create(Req *r) {
    Errors e = {0};
    Build b[1];
    int nb = 0;
    int64_t skill = 0, level = 0;
    const char *sk = req_form(r, "skill_id"), *lv = req_form(r, "level");
    if (sk && *sk) {
        if (!parse_id(sk, &skill) || !lv || !parse_id(lv, &level)) err_add(&e, 422, "invalid", "builds", "Choose the skill and the level it builds.");
        else b[nb++] = (Build){skill, level};
    }
    int64_t id;
    if (e.n || training_save(r, req_form(r, "kind"), req_form(r, "title"), req_form(r, "description"), req_form(r, "url"), b, nb, &e, &id)) {
        char *name = (char *)r->who.name;
        training_render(r, r->who.person_id, name ? name : "", &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/training/%lld", (long long)id));
    return 0;
}

/* POST /training/plans (person_id, training_id, evidence, dismiss): proposes
 * a plan or turns a suggestion down (member, for themself or below). */
int training_page_plan(Req *r) {
    int64_t person = r->who.person_id, training = 0;
    const char *pv = req_form(r, "person_id");
    Errors e = {0};
    if (pv && *pv && !parse_id(pv, &person)) err_add(&e, 422, "invalid", "person_id", "There is no such person.");
    if (!parse_id(req_form(r, "training_id"), &training)) err_add(&e, 422, "invalid", "training_id", "There is no such training.");
    const char *dm = req_form(r, "dismiss");
    int64_t id;
    if (e.n || plan_propose(r, person, training, req_form(r, "evidence"), dm && strcmp(dm, "1") == 0, &e, &id)) {
        char *name = (char *)(r->who.name ? r->who.name : "");
        if (e.status == 422 && err_for(&e, "person_id")) return resp_error(r, 404, "not_found", "There is no such person.");
        training_render(r, r->who.person_id, name, &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, person == r->who.person_id ? "/training?saved=1" : arena_printf(r->arena, "/training?person_id=%lld&saved=1", (long long)person));
    return 0;
}

/* POST /training/plans/{id} (action approve|reject|complete, note): decides
 * or completes a plan (member with authority). */
int training_page_plan_act(Req *r) {
    Plan p;
    if (!plan_find(r, r->params[0], &p)) return resp_error(r, 404, "not_found", "There is no such training plan.");
    const char *a = req_form(r, "action");
    int act = a && strcmp(a, "approve") == 0 ? ACT_APPROVE : a && strcmp(a, "reject") == 0 ? ACT_REJECT : a && strcmp(a, "complete") == 0 ? ACT_COMPLETE : -1;
    Errors e = {0};
    if (act < 0) err_add(&e, 422, "invalid", "action", "Choose approve, reject or complete.");
    if (e.n || plan_act(r, &p, act, req_form(r, "note"), &e)) {
        if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", T(r, e.items[0].msg));
        training_render(r, r->who.person_id, r->who.name ? r->who.name : "", &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/training?saved=1");
    return 0;
}

/* GET /training/{id}: one training: what it builds, its link, who completed
 * it (member). */
int training_page_view(Req *r) {
    Stmt *s = db_q(r->db, SQL_TRAINING_GET, "ii", r->params[0], r->who.org_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return resp_error(r, 404, "not_found", "There is no such training.");
    }
    char *kind = db_dup(s, 1, r->arena), *title = db_dup(s, 2, r->arena), *desc = db_dup(s, 3, r->arena), *url = db_dup(s, 4, r->arena);
    db_reset(s);
    Buf *b = page(r);
    page_begin(r, title);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><a class=\"button secondary\" href=\"/training\">%h</a></div>", title, T(r, "Training"));
    html_printf(b, "<section class=\"card\"><dl class=\"facts\"><dt>%h</dt><dd>%h</dd>", T(r, "Kind"), kind_text(r, kind));
    if (desc && *desc) html_printf(b, "<dt>%h</dt><dd>%h</dd>", T(r, "Description"), desc);
    if (url && url_ok(url)) html_printf(b, "<dt>%h</dt><dd><a href=\"%h\" rel=\"noopener noreferrer\">%h</a></dd>", T(r, "Link"), url, url);
    html_printf(b, "<dt>%h</dt><dd><ul class=\"plain\">", T(r, "Builds"));
    s = db_q(r->db, SQL_BUILDS, "ii", r->who.org_id, r->params[0]);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        n++;
        int lv = (int)db_int(s, 2);
        html_printf(b, "<li>%h</li>", arena_printf(r->arena, T(r, "%s up to level %d (%s)"), db_text(s, 1), lv, skill_level_name(r, lv)));
    }
    db_reset(s);
    if (!n) html_printf(b, "<li class=\"muted\">%h</li>", T(r, "no skill named"));
    buf_puts(b, "</ul></dd></dl></section>");
    form_begin(r, "/training/plans", NULL);
    html_printf(b, "<input type=\"hidden\" name=\"training_id\" value=\"%D\">", r->params[0]);
    form_end(r, "Propose this plan for me");
    page_end(r);
    return 0;
}

/* training_home_items: for managers and up, the training plans of people
 * below them (everyone's, for admins) waiting for an approval or a
 * confirmed completion. */
void training_home_items(Req *r, Home *h) {
    if (r->who.access < ACCESS_MANAGER) return;
    int64_t n = 0;
    db_one_int(r->db, &n, SQL_WAITING_N, "iii", r->who.org_id, r->who.person_id, (int64_t)(r->who.access >= ACCESS_ADMIN));
    home_item(h, "training_plans", TN(r, "training plan waiting for you", "training plans waiting for you", n), n, "/training", URGENCY_WAITING);
}
