/* skills.c: an organisation's skills, the levels each role charter needs
 * (1 aware, 2 practising, 3 proficient, 4 can teach), each person's level
 * as they assess it and as their manager confirms it (the confirmed one
 * counts, for gaps and for the prerequisites of decision rights), and the
 * matrix per team with its gaps and single points of failure. JSON under
 * /api/v1/skills, /api/v1/roles/{id}/skills, /api/v1/people/{id}/skills and
 * /api/v1/teams/{id}/skills; pages /skills, /skills/people/{id} and
 * /teams/{id}/skills.
 *
 * Who sees what: everyone reads the skills and the roles' needs (they are
 * part of the charters); a person's levels are seen by the person, their
 * managers up the chain and admins; a team's matrix by managers and admins.
 * A person sets their own self-assessment; only a manager up their chain or
 * an admin confirms a level, never for themselves. Every query filters on
 * the caller's organisation. This file never evaluates "Can I?"; training
 * completion (training.c) raises confirmed levels through skills_raise. */
#include "remit.h"
#include "handlers.h"
#include "grow.h"
#include <string.h>

#define NAME_MAX_CHARS 100
#define DESC_MAX_CHARS 2000

static const char *const LEVEL_NAMES[] = {N_("not yet"), N_("aware"), N_("practising"), N_("proficient"), N_("can teach")};

static const char SQL_SKILLS[] = "SELECT id, name, description FROM skill WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_SKILL_GET[] = "SELECT id, name, description FROM skill WHERE id = ? AND org_id = ?";
static const char SQL_SKILL_NAME_TAKEN[] = "SELECT count(*) FROM skill WHERE org_id = ? AND name = ? AND id <> ?";
static const char SQL_SKILL_INSERT[] = "INSERT INTO skill(org_id, name, description, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_SKILL_UPDATE[] = "UPDATE skill SET name = ?, description = ? WHERE id = ? AND org_id = ?";
static const char SQL_ROLE_GET[] = "SELECT name FROM role WHERE id = ? AND org_id = ?";
static const char SQL_ROLE_NEEDS[] =
    "SELECT rs.skill_id, s.name, rs.level FROM role_skill rs JOIN skill s ON s.id = rs.skill_id AND s.org_id = rs.org_id "
    "WHERE rs.org_id = ? AND rs.role_id = ? ORDER BY s.name, s.id";
static const char SQL_ALL_NEEDS[] =
    "SELECT rs.role_id, ro.name, rs.skill_id, s.name, rs.level FROM role_skill rs JOIN skill s ON s.id = rs.skill_id AND s.org_id = rs.org_id "
    "JOIN role ro ON ro.id = rs.role_id AND ro.org_id = rs.org_id WHERE rs.org_id = ? ORDER BY ro.name, ro.id, s.name LIMIT 5000";
static const char SQL_NEED_DELETE_ALL[] = "DELETE FROM role_skill WHERE org_id = ? AND role_id = ?";
static const char SQL_NEED_DELETE[] = "DELETE FROM role_skill WHERE org_id = ? AND role_id = ? AND skill_id = ?";
static const char SQL_NEED_INSERT[] = "INSERT INTO role_skill(org_id, role_id, skill_id, level) VALUES (?, ?, ?, ?)";
static const char SQL_ROLE_OPTIONS[] = "SELECT id, name FROM role WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_SKILL_OPTIONS[] = "SELECT id, name FROM skill WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_PERSON_GET[] = "SELECT name, team_id FROM person WHERE id = ? AND org_id = ?";
/* A person's skills: every skill their roles need (with the highest level
 * needed) and every skill they have a level in. */
static const char SQL_PERSON_SKILLS[] =
    "SELECT s.id, s.name, ps.self_level, ps.confirmed_level, ps.confirmed_by, c.name, ps.confirmed_at, "
    "(SELECT max(rs.level) FROM role_skill rs JOIN role_holder h ON h.role_id = rs.role_id WHERE rs.skill_id = s.id AND rs.org_id = s.org_id AND h.person_id = ?2) "
    "FROM skill s LEFT JOIN person_skill ps ON ps.skill_id = s.id AND ps.person_id = ?2 AND ps.org_id = s.org_id "
    "LEFT JOIN person c ON c.id = ps.confirmed_by AND c.org_id = s.org_id WHERE s.org_id = ?1 AND (ps.person_id IS NOT NULL OR EXISTS ("
    "SELECT 1 FROM role_skill rs JOIN role_holder h ON h.role_id = rs.role_id WHERE rs.skill_id = s.id AND rs.org_id = s.org_id AND h.person_id = ?2)) "
    "ORDER BY s.name, s.id";
static const char SQL_PSKILL_SELF[] =
    "INSERT INTO person_skill(org_id, person_id, skill_id, self_level, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(person_id, skill_id) DO UPDATE SET self_level = ?4, updated_at = ?5";
static const char SQL_PSKILL_CONFIRM[] =
    "INSERT INTO person_skill(org_id, person_id, skill_id, confirmed_level, confirmed_by, confirmed_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
    "ON CONFLICT(person_id, skill_id) DO UPDATE SET confirmed_level = ?4, confirmed_by = ?5, confirmed_at = ?6, updated_at = ?6";
/* never lowers: a completed training raises to its level */
static const char SQL_PSKILL_RAISE[] =
    "INSERT INTO person_skill(org_id, person_id, skill_id, confirmed_level, confirmed_by, confirmed_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
    "ON CONFLICT(person_id, skill_id) DO UPDATE SET confirmed_level = ?4, confirmed_by = ?5, confirmed_at = ?6, updated_at = ?6 "
    "WHERE person_skill.confirmed_level IS NULL OR person_skill.confirmed_level < ?4";
static const char SQL_TEAM_GET[] = "SELECT name, lead_id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_PEOPLE[] = "SELECT id, name FROM person WHERE org_id = ? AND team_id = ? AND status <> 'left' ORDER BY name, id LIMIT 1000";
static const char SQL_TEAM_NEEDS[] =
    "SELECT h.person_id, rs.skill_id, max(rs.level) FROM person p JOIN role_holder h ON h.person_id = p.id "
    "JOIN role_skill rs ON rs.role_id = h.role_id AND rs.org_id = p.org_id WHERE p.org_id = ? AND p.team_id = ? AND p.status <> 'left' "
    "GROUP BY h.person_id, rs.skill_id";
static const char SQL_TEAM_LEVELS[] =
    "SELECT ps.person_id, ps.skill_id, ps.self_level, ps.confirmed_level FROM person p JOIN person_skill ps ON ps.person_id = p.id AND ps.org_id = p.org_id "
    "WHERE p.org_id = ? AND p.team_id = ? AND p.status <> 'left'";
static const char SQL_TEAM_SKILLS[] =
    "SELECT DISTINCT s.id, s.name FROM person p JOIN role_holder h ON h.person_id = p.id JOIN role_skill rs ON rs.role_id = h.role_id AND rs.org_id = p.org_id "
    "JOIN skill s ON s.id = rs.skill_id WHERE p.org_id = ? AND p.team_id = ? AND p.status <> 'left' ORDER BY s.name, s.id LIMIT 200";
static const char SQL_TEAMS[] = "SELECT id, name, lead_id FROM team WHERE org_id = ? ORDER BY name, id LIMIT 500";

const char *skill_level_name(Req *r, int level) { return T(r, LEVEL_NAMES[level >= 0 && level <= 4 ? level : 0]); }

bool skills_may_confirm(Req *r, int64_t person_id) {
    if (person_id == r->who.person_id) return false;
    return r->who.access >= ACCESS_ADMIN || person_is_below(r->db, r->who.org_id, person_id, r->who.person_id);
}

/* may_see: the person themself, a manager up their chain, an admin. */
static bool may_see(Req *r, int64_t person_id) { return person_id == r->who.person_id || skills_may_confirm(r, person_id); }

/* skills_raise: a completed training's levels into person's confirmed
 * ones, never lowering (inside the caller's transaction). */
int skills_raise(Req *r, int64_t person_id, int64_t skill_id, int level) {
    return db_exec(r->db, SQL_PSKILL_RAISE, "iiiiii", r->who.org_id, person_id, skill_id, (int64_t)level, r->who.person_id, r->now);
}

/* ---------- skills ---------- */

static json_t *skill_json(Stmt *s) {
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_int(s, 0), "name", db_text(s, 1), "description", db_text(s, 2));
}

/* skill_save: a new skill (id 0) or a change, validated. 0 ok (*id_out). */
static int skill_save(Req *r, int64_t id, const char *name_in, const char *desc_in, Errors *e, int64_t *id_out) {
    char *name = str_trim(r->arena, name_in ? name_in : ""), *desc = str_trim(r->arena, desc_in ? desc_in : "");
    if (str_empty(name)) err_add(e, 422, "invalid", "name", "Give the skill a name.");
    else if (utf8_chars(name) > NAME_MAX_CHARS || has_control(name)) err_add(e, 422, "invalid", "name", "Keep the name to one line of 100 characters or fewer.");
    if (utf8_chars(desc) > DESC_MAX_CHARS) err_add(e, 422, "invalid", "description", "Keep the description to 2000 characters or fewer.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int64_t n = 0;
    db_one_int(r->db, &n, SQL_SKILL_NAME_TAKEN, "iti", r->who.org_id, name, id);
    if (n) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", "name", "There is already a skill with this name.");
        return -1;
    }
    int rc = id ? db_exec(r->db, SQL_SKILL_UPDATE, "ttii", name, desc, id, r->who.org_id)
                : db_exec(r->db, SQL_SKILL_INSERT, "itti", r->who.org_id, name, desc, r->now);
    if (!id) id = db_last_id(r->db);
    if (rc == DB_OK) audit(r, id_out ? "skill.create" : "skill.change", arena_printf(r->arena, "skill:%lld", (long long)id), "%s", name);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    if (id_out) *id_out = id;
    return 0;
}

/* GET /api/v1/skills: the organisation's skills (member). */
int skills_api_list(Req *r) {
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_SKILLS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) json_array_append_new(items, skill_json(s));
    db_reset(s);
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

static const JField SKILL_FIELDS[] = {{"name", JF_STRING, 1000}, {"description", JF_STRING, 10000}, {0}};

static int skill_reply(Req *r, int status, int64_t id) {
    Stmt *s = db_q(r->db, SQL_SKILL_GET, "ii", id, r->who.org_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return resp_error(r, 404, "not_found", "There is no such skill.");
    }
    json_t *o = skill_json(s);
    db_reset(s);
    resp_json(r, status, o);
    return 0;
}

/* POST /api/v1/skills {"name","description"}: adds a skill (admin). 201. */
int skills_api_create(Req *r) {
    json_t *in = req_json_object(r, SKILL_FIELDS);
    if (!in) return -1;
    Errors e = {0};
    int64_t id;
    if (skill_save(r, 0, json_str(in, "name"), json_str(in, "description"), &e, &id)) return err_send(r, &e);
    resp_header(r, "Location", arena_printf(r->arena, "/api/v1/skills/%lld", (long long)id));
    return skill_reply(r, 201, id);
}

/* PATCH /api/v1/skills/{id} {"name","description"}: renames or describes a
 * skill (admin). */
int skills_api_patch(Req *r) {
    json_t *in = req_json_object(r, SKILL_FIELDS);
    if (!in) return -1;
    Stmt *s = db_q(r->db, SQL_SKILL_GET, "ii", r->params[0], r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    char *name = found ? db_dup(s, 1, r->arena) : NULL, *desc = found ? db_dup(s, 2, r->arena) : NULL;
    db_reset(s);
    if (!found) return resp_error(r, 404, "not_found", "There is no such skill.");
    if (json_has(in, "name")) name = (char *)json_str(in, "name");
    if (json_has(in, "description")) desc = (char *)json_str(in, "description");
    Errors e = {0};
    if (skill_save(r, r->params[0], name, desc, &e, NULL)) return err_send(r, &e);
    return skill_reply(r, 200, r->params[0]);
}

/* ---------- what roles need ---------- */

static json_t *needs_json(Req *r, int64_t role_id) {
    json_t *a = json_array();
    Stmt *s = db_q(r->db, SQL_ROLE_NEEDS, "ii", r->who.org_id, role_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(a, json_pack("{s:I,s:s,s:I}", "skill_id", (json_int_t)db_int(s, 0), "name", db_text(s, 1), "level", (json_int_t)db_int(s, 2)));
    db_reset(s);
    return a;
}

static bool role_exists(Req *r, int64_t id) {
    Stmt *s = db_q(r->db, SQL_ROLE_GET, "ii", id, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    db_reset(s);
    return found;
}

static bool skill_exists(Req *r, int64_t id) {
    Stmt *s = db_q(r->db, SQL_SKILL_GET, "ii", id, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    db_reset(s);
    return found;
}

/* GET /api/v1/roles/{id}/skills: the skills a role needs, with levels (member). */
int skills_api_role(Req *r) {
    if (!role_exists(r, r->params[0])) return resp_error(r, 404, "not_found", "There is no such role.");
    resp_json(r, 200, json_pack("{s:I,s:o}", "role_id", (json_int_t)r->params[0], "skills", needs_json(r, r->params[0])));
    return 0;
}

static const JField NEEDS_FIELDS[] = {{"skills", JF_ANY, 0}, {0}};

/* PUT /api/v1/roles/{id}/skills {"skills":[{"skill_id","level"}]}: replaces
 * what the role needs (admin). */
int skills_api_role_put(Req *r) {
    json_t *in = req_json_object(r, NEEDS_FIELDS);
    if (!in) return -1;
    json_t *list = json_object_get(in, "skills");
    if (!json_is_array(list) || json_array_size(list) > 100)
        return resp_error(r, 422, "invalid", "skills is a list of at most 100 {\"skill_id\",\"level\"}.");
    if (!role_exists(r, r->params[0])) return resp_error(r, 404, "not_found", "There is no such role.");
    size_t i;
    json_t *q;
    json_array_foreach(list, i, q) {
        json_t *sk = json_object_get(q, "skill_id"), *lv = json_object_get(q, "level");
        if (!json_is_integer(sk) || !skill_exists(r, json_integer_value(sk))) return resp_error(r, 422, "invalid", "There is no such skill.");
        if (!json_is_integer(lv) || json_integer_value(lv) < 1 || json_integer_value(lv) > 4)
            return resp_error(r, 422, "invalid", "A level is 1 (aware), 2 (practising), 3 (proficient) or 4 (can teach).");
        for (size_t k = 0; k < i; k++)
            if (json_integer_value(json_object_get(json_array_get(list, k), "skill_id")) == json_integer_value(sk))
                return resp_error(r, 422, "invalid", "Name each skill once.");
    }
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The database is busy; try again.");
    int rc = db_exec(r->db, SQL_NEED_DELETE_ALL, "ii", r->who.org_id, r->params[0]);
    json_array_foreach(list, i, q) {
        if (rc == DB_OK)
            rc = db_exec(r->db, SQL_NEED_INSERT, "iiii", r->who.org_id, r->params[0], (int64_t)json_integer_value(json_object_get(q, "skill_id")),
                         (int64_t)json_integer_value(json_object_get(q, "level")));
    }
    if (rc == DB_OK) audit(r, "role.skills", arena_printf(r->arena, "role:%lld", (long long)r->params[0]), "%d skills", (int)json_array_size(list));
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return resp_error(r, 503, "busy", "The database is busy; try again.");
    }
    return skills_api_role(r);
}

/* ---------- a person's levels ---------- */

static int person_load(Req *r, int64_t id, char **name, int64_t *team) {
    Stmt *s = db_q(r->db, SQL_PERSON_GET, "ii", id, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        *name = db_dup(s, 0, r->arena);
        if (team) *team = db_int(s, 1);
    }
    db_reset(s);
    if (!found || !may_see(r, id)) return resp_error(r, 404, "not_found", "There is no such person.");
    return 0;
}

static json_t *opt_int(Stmt *s, int col) { return db_null(s, col) ? json_null() : json_integer(db_int(s, col)); }

/* GET /api/v1/people/{id}/skills: a person's skills: what their roles need,
 * their own assessment and the confirmed level (member: themself, their
 * managers, admins; 404 otherwise). */
int skills_api_person(Req *r) {
    char *name;
    if (person_load(r, r->params[0], &name, NULL)) return -1;
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_PERSON_SKILLS, "ii", r->who.org_id, r->params[0]);
    while (db_step(s) == DB_ROW) {
        int needed = db_null(s, 7) ? 0 : (int)db_int(s, 7), confirmed = db_null(s, 3) ? 0 : (int)db_int(s, 3);
        json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o,s:b}", "skill_id", (json_int_t)db_int(s, 0), "name", db_text(s, 1), "self_level",
                                               opt_int(s, 2), "confirmed_level", opt_int(s, 3), "confirmed_by",
                                               db_null(s, 5) ? json_null() : json_pack("{s:I,s:s}", "id", (json_int_t)db_int(s, 4), "name", db_text(s, 5)),
                                               "needed", needed ? json_integer(needed) : json_null(), "gap", needed > confirmed));
    }
    db_reset(s);
    resp_json(r, 200, json_pack("{s:I,s:s,s:o}", "person_id", (json_int_t)r->params[0], "name", name, "skills", items));
    return 0;
}

/* level_set: the person's own assessment (self) or a confirmation by
 * someone with authority. 0 ok; -1 with the problem in e. */
static int level_set(Req *r, int64_t person, int64_t skill, bool confirm, int64_t level, Errors *e) {
    if (level < 0 || level > 4) err_add(e, 422, "invalid", confirm ? "confirmed_level" : "self_level", "A level is 0 (not yet) to 4 (can teach).");
    else if (!skill_exists(r, skill)) err_add(e, 404, "not_found", "skill_id", "There is no such skill.");
    else if (confirm && !skills_may_confirm(r, person))
        err_add(e, 403, "forbidden", "confirmed_level", "Only a manager above this person or an admin confirms a level, and never their own.");
    else if (!confirm && person != r->who.person_id) err_add(e, 403, "forbidden", "self_level", "Only the person assesses their own level.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = confirm ? db_exec(r->db, SQL_PSKILL_CONFIRM, "iiiiii", r->who.org_id, person, skill, level, r->who.person_id, r->now)
                     : db_exec(r->db, SQL_PSKILL_SELF, "iiiii", r->who.org_id, person, skill, level, r->now);
    if (rc == DB_OK && confirm)
        audit(r, "skill.confirm", arena_printf(r->arena, "person:%lld", (long long)person), "skill %lld level %lld", (long long)skill, (long long)level);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static const JField LEVEL_FIELDS[] = {{"self_level", JF_INT, 0}, {"confirmed_level", JF_INT, 0}, {0}};

/* PUT /api/v1/people/{id}/skills/{skill} {"self_level"} or
 * {"confirmed_level"}: the person's own assessment (the person) or the
 * confirmed level (a manager above them or an admin). */
int skills_api_person_put(Req *r) {
    json_t *in = req_json_object(r, LEVEL_FIELDS);
    if (!in) return -1;
    bool self = json_has(in, "self_level"), confirm = json_has(in, "confirmed_level");
    if (self == confirm) return resp_error(r, 422, "invalid", "Give exactly one of self_level and confirmed_level.");
    char *name;
    if (person_load(r, r->params[0], &name, NULL)) return -1;
    Errors e = {0};
    if (level_set(r, r->params[0], r->params[1], confirm, json_integer_value(json_object_get(in, confirm ? "confirmed_level" : "self_level")), &e))
        return err_send(r, &e);
    return skills_api_person(r);
}

/* ---------- the team matrix ---------- */

typedef struct Cell { int need, self, confirmed; } Cell;
typedef struct Matrix {
    int np, ns;
    int64_t *pid, *sid;
    char **pname, **sname;
    Cell *cells; /* np x ns */
    int *holders; /* per skill: people at the team's highest needed level */
    int *top;     /* per skill: the highest level needed in the team */
} Matrix;

static int index_of(const int64_t *v, int n, int64_t id) {
    for (int i = 0; i < n; i++)
        if (v[i] == id) return i;
    return -1;
}

/* matrix_load: the team's people x the skills their roles need, with
 * gaps (below the needed level) and, per skill, how many people are at the
 * team's highest needed level (one: a single point of failure). */
static void matrix_load(Req *r, int64_t team, Matrix *m) {
    memset(m, 0, sizeof *m);
    int pcap = 16, scap = 16;
    m->pid = arena_alloc(r->arena, sizeof(int64_t) * (size_t)pcap);
    m->pname = arena_alloc(r->arena, sizeof(char *) * (size_t)pcap);
    Stmt *s = db_q(r->db, SQL_TEAM_PEOPLE, "ii", r->who.org_id, team);
    while (db_step(s) == DB_ROW) {
        if (m->np == pcap) {
            int c2 = pcap;
            m->pid = arena_grow(r->arena, m->pid, &c2, sizeof(int64_t));
            m->pname = arena_grow(r->arena, m->pname, &pcap, sizeof(char *));
        }
        m->pid[m->np] = db_int(s, 0);
        m->pname[m->np++] = db_dup(s, 1, r->arena);
    }
    db_reset(s);
    m->sid = arena_alloc(r->arena, sizeof(int64_t) * (size_t)scap);
    m->sname = arena_alloc(r->arena, sizeof(char *) * (size_t)scap);
    s = db_q(r->db, SQL_TEAM_SKILLS, "ii", r->who.org_id, team);
    while (db_step(s) == DB_ROW) {
        if (m->ns == scap) {
            int c2 = scap;
            m->sid = arena_grow(r->arena, m->sid, &c2, sizeof(int64_t));
            m->sname = arena_grow(r->arena, m->sname, &scap, sizeof(char *));
        }
        m->sid[m->ns] = db_int(s, 0);
        m->sname[m->ns++] = db_dup(s, 1, r->arena);
    }
    db_reset(s);
    m->cells = arena_alloc(r->arena, sizeof(Cell) * (size_t)(m->np * m->ns + 1));
    m->holders = arena_alloc(r->arena, sizeof(int) * (size_t)(m->ns + 1));
    m->top = arena_alloc(r->arena, sizeof(int) * (size_t)(m->ns + 1));
    s = db_q(r->db, SQL_TEAM_NEEDS, "ii", r->who.org_id, team);
    while (db_step(s) == DB_ROW) {
        int p = index_of(m->pid, m->np, db_int(s, 0)), k = index_of(m->sid, m->ns, db_int(s, 1));
        if (p < 0 || k < 0) continue;
        m->cells[p * m->ns + k].need = (int)db_int(s, 2);
        if (m->cells[p * m->ns + k].need > m->top[k]) m->top[k] = m->cells[p * m->ns + k].need;
    }
    db_reset(s);
    s = db_q(r->db, SQL_TEAM_LEVELS, "ii", r->who.org_id, team);
    while (db_step(s) == DB_ROW) {
        int p = index_of(m->pid, m->np, db_int(s, 0)), k = index_of(m->sid, m->ns, db_int(s, 1));
        if (p < 0 || k < 0) continue;
        m->cells[p * m->ns + k].self = db_null(s, 2) ? 0 : (int)db_int(s, 2);
        m->cells[p * m->ns + k].confirmed = db_null(s, 3) ? 0 : (int)db_int(s, 3);
    }
    db_reset(s);
    for (int k = 0; k < m->ns; k++)
        for (int p = 0; p < m->np; p++)
            if (m->top[k] && m->cells[p * m->ns + k].confirmed >= m->top[k]) m->holders[k]++;
}

/* team_may_see: admins every team's matrix; a manager the teams they lead
 * or whose lead is below them (people's levels are seen up the chain). */
static bool team_may_see(Req *r, int64_t lead) {
    return r->who.access >= ACCESS_ADMIN || (lead && (lead == r->who.person_id || person_is_below(r->db, r->who.org_id, lead, r->who.person_id)));
}

static int team_name(Req *r, int64_t team, char **name) {
    Stmt *s = db_q(r->db, SQL_TEAM_GET, "ii", team, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    int64_t lead = 0;
    if (found) *name = db_dup(s, 0, r->arena), lead = db_int(s, 1);
    db_reset(s);
    if (!found) return resp_error(r, 404, "not_found", "There is no such team.");
    if (!team_may_see(r, lead)) return resp_error(r, 403, "forbidden", "Only the team's lead, the managers above them and admins see its skills.");
    return 0;
}

/* GET /api/v1/teams/{id}/skills: the team's skills matrix: people x the
 * skills their roles need, gaps and single points of failure (manager). */
int skills_api_team(Req *r) {
    char *name;
    if (team_name(r, r->params[0], &name)) return -1;
    Matrix m;
    matrix_load(r, r->params[0], &m);
    json_t *skills = json_array(), *people = json_array(), *spof = json_array();
    int gaps = 0;
    for (int k = 0; k < m.ns; k++) {
        json_array_append_new(skills, json_pack("{s:I,s:s,s:i,s:i,s:b}", "id", (json_int_t)m.sid[k], "name", m.sname[k], "needed", m.top[k], "holders",
                                                m.holders[k], "single_point_of_failure", m.holders[k] == 1));
        if (m.holders[k] == 1) json_array_append_new(spof, json_integer(m.sid[k]));
    }
    for (int p = 0; p < m.np; p++) {
        json_t *cells = json_array();
        for (int k = 0; k < m.ns; k++) {
            Cell *c = &m.cells[p * m.ns + k];
            bool gap = c->need > c->confirmed;
            gaps += gap;
            json_array_append_new(cells, json_pack("{s:I,s:o,s:i,s:i,s:b}", "skill_id", (json_int_t)m.sid[k], "needed", c->need ? json_integer(c->need) : json_null(),
                                                   "self_level", c->self, "confirmed_level", c->confirmed, "gap", gap));
        }
        json_array_append_new(people, json_pack("{s:I,s:s,s:o}", "id", (json_int_t)m.pid[p], "name", m.pname[p], "cells", cells));
    }
    resp_json(r, 200, json_pack("{s:I,s:s,s:o,s:o,s:i,s:o}", "team_id", (json_int_t)r->params[0], "name", name, "skills", skills, "people", people, "gaps", gaps,
                                "single_points_of_failure", spof));
    return 0;
}

/* GET /teams/{id}/skills: the matrix as a table (manager). */
int skills_page_team(Req *r) {
    char *name;
    if (team_name(r, r->params[0], &name)) return -1;
    Matrix m;
    matrix_load(r, r->params[0], &m);
    Buf *b = page(r);
    const char *title = arena_printf(r->arena, T(r, "Skills of %s"), name);
    page_begin(r, title);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><a class=\"button secondary\" href=\"/teams/%D\">%h</a></div>", title, r->params[0], T(r, "The team"));
    html_printf(b, "<p class=\"lead\">%h</p>", T(r, "Each cell shows the confirmed level, the person's own view in brackets, and what their role needs. "
                                                    "A gap is below what the role needs; a single point of failure is a needed skill only one person has."));
    int nspof = 0;
    for (int k = 0; k < m.ns; k++) nspof += m.holders[k] == 1;
    if (nspof) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2><ul>", T(r, "Single points of failure"));
        for (int k = 0; k < m.ns; k++)
            if (m.holders[k] == 1)
                for (int p = 0; p < m.np; p++)
                    if (m.cells[p * m.ns + k].confirmed >= m.top[k])
                        html_printf(b, "<li>%h</li>", arena_printf(r->arena, T(r, "%s at level %d: only %s."), m.sname[k], m.top[k], m.pname[p]));
        buf_puts(b, "</ul></section>");
    }
    buf_puts(b, "<section class=\"card\">");
    if (!m.np || !m.ns) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No skills needed yet: add them to the team's role charters under Skills."));
    else {
        html_printf(b, "<div class=\"table-scroll\"><table class=\"list matrix\"><thead><tr><th scope=\"col\">%h</th>", T(r, "Person"));
        for (int k = 0; k < m.ns; k++) html_printf(b, "<th scope=\"col\">%h</th>", m.sname[k]);
        buf_puts(b, "</tr></thead><tbody>");
        for (int p = 0; p < m.np; p++) {
            html_printf(b, "<tr><th scope=\"row\"><a href=\"/skills/people/%D\">%h</a></th>", m.pid[p], m.pname[p]);
            for (int k = 0; k < m.ns; k++) {
                Cell *c = &m.cells[p * m.ns + k];
                bool gap = c->need > c->confirmed;
                html_printf(b, "<td class=\"%s\">%d <span class=\"muted\">(%d)</span>", gap ? "gap" : "", c->confirmed, c->self);
                if (c->need) html_printf(b, " · %h", arena_printf(r->arena, T(r, "needs %d"), c->need));
                if (gap) html_printf(b, " <span class=\"badge status-expired\">%h</span>", T(r, "gap"));
                buf_puts(b, "</td>");
            }
            buf_puts(b, "</tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    buf_puts(b, "</section>");
    page_end(r);
    return 0;
}

/* ---------- pages ---------- */

static void level_options(Req *r, Option *levels, int from) {
    for (int k = from; k <= 4; k++) levels[k - from].id = k ? k : 99, levels[k - from].label = arena_printf(r->arena, "%d · %s", k, skill_level_name(r, k));
}

/* skills_render: the /skills page with the problems of a posted form. */
static void skills_render(Req *r, const Errors *e, const char *flash) {
    bool admin = r->who.access >= ACCESS_ADMIN;
    Buf *b = page(r);
    page_begin(r, "Skills");
    html_printf(b, "<div class=\"title-row\"><h1>Skills</h1><div class=\"actions\"><a class=\"button\" href=\"/skills/people/%D\">Your skills</a>"
                   "<a class=\"button secondary\" href=\"/training\">Training</a></div></div>",
                r->who.person_id);
    html_printf(b, "<p class=\"lead\">The skills the organisation relies on, and the level each role needs: 1 aware, 2 practising, 3 proficient, 4 can teach.</p>");
    page_flash(r, flash);
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, e->items[0].msg));
    buf_puts(b, "<section class=\"card\"><h2>The skills</h2>");
    Stmt *s = db_q(r->db, SQL_SKILLS, "i", r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<dl class=\"facts\">");
        html_printf(b, "<dt id=\"skill-%D\">%h</dt><dd>%h</dd>", db_int(s, 0), db_text(s, 1), db_text(s, 2));
    }
    db_reset(s);
    buf_puts(b, n ? "</dl>" : "<p class=\"muted empty\">No skills yet.</p>");
    buf_puts(b, "</section><section class=\"card\"><h2>What roles need</h2>");
    s = db_q(r->db, SQL_ALL_NEEDS, "i", r->who.org_id);
    n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Role</th><th scope=\"col\">Skill</th><th scope=\"col\">Level</th></tr></thead><tbody>");
        int lv = (int)db_int(s, 4);
        html_printf(b, "<tr><td><a href=\"/roles/%D\">%h</a></td><td>%h</td><td>%d · %h</td></tr>", db_int(s, 0), db_text(s, 1), db_text(s, 3), lv,
                    skill_level_name(r, lv));
    }
    db_reset(s);
    buf_puts(b, n ? "</tbody></table>" : "<p class=\"muted empty\">No role needs a skill yet.</p>");
    buf_puts(b, "</section>");
    if (r->who.access >= ACCESS_MANAGER) {
        buf_puts(b, "<section class=\"card\"><h2>Team matrices</h2><ul class=\"plain\">");
        s = db_q(r->db, SQL_TEAMS, "i", r->who.org_id);
        typedef struct { int64_t id, lead; char *name; } TeamRow;
        TeamRow rows[500];
        int nt = 0;
        while (db_step(s) == DB_ROW && nt < 500) rows[nt++] = (TeamRow){db_int(s, 0), db_int(s, 2), db_dup(s, 1, r->arena)};
        db_reset(s);
        for (int i = 0; i < nt; i++)
            if (team_may_see(r, rows[i].lead)) html_printf(b, "<li><a href=\"/teams/%D/skills\">%h</a></li>", rows[i].id, rows[i].name);
        buf_puts(b, "</ul></section>");
    }
    if (admin) {
        buf_puts(b, "<section class=\"card\"><h2>Add a skill</h2>");
        form_begin(r, "/skills", NULL);
        form_text(r, "name", "Name", req_form(r, "name") && e ? req_form(r, "name") : "", e ? err_for(e, "name") : NULL, "text", true);
        form_textarea(r, "description", "Description (optional)", "", e ? err_for(e, "description") : NULL, NULL);
        form_end(r, "Add skill");
        buf_puts(b, "</section><section class=\"card\"><h2>Set what a role needs</h2>");
        int nroles = 0, nskills = 0;
        Option *roles = options_from(r, db_q(r->db, SQL_ROLE_OPTIONS, "i", r->who.org_id), &nroles);
        Option *skills = options_from(r, db_q(r->db, SQL_SKILL_OPTIONS, "i", r->who.org_id), &nskills);
        Option levels[5];
        level_options(r, levels, 0);
        levels[0].label = T(r, "0 · not needed (remove)");
        form_begin(r, "/skills/needs", NULL);
        form_select_id(r, "role_id", "Role", 0, roles, nroles, "Choose a role", NULL);
        form_select_id(r, "skill_id", "Skill", 0, skills, nskills, "Choose a skill", NULL);
        form_select_id(r, "level", "Level needed", 0, levels, 5, "Choose a level", NULL);
        form_end(r, "Save need");
        buf_puts(b, "</section>");
    }
    page_end(r);
}

/* GET /skills: the skills, what roles need, links to team matrices;
 * admins add skills and set needs (member). */
int skills_page(Req *r) {
    skills_render(r, NULL, req_query(r, "saved") ? "Saved." : NULL);
    return 0;
}

/* POST /skills (name, description): adds a skill (admin). */
int skills_page_create(Req *r) {
    Errors e = {0};
    int64_t id;
    if (skill_save(r, 0, req_form(r, "name"), req_form(r, "description"), &e, &id)) {
        skills_render(r, &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/skills?saved=1");
    return 0;
}

/* POST /skills/needs (role_id, skill_id, level 0..4): what a role needs;
 * 0 removes it (admin). */
int skills_page_need(Req *r) {
    Errors e = {0};
    int64_t role = 0, skill = 0, level = 0;
    const char *lv = req_form(r, "level");
    if (!parse_id(req_form(r, "role_id"), &role) || !role_exists(r, role)) err_add(&e, 422, "invalid", "role_id", "Choose a role.");
    else if (!parse_id(req_form(r, "skill_id"), &skill) || !skill_exists(r, skill)) err_add(&e, 422, "invalid", "skill_id", "Choose a skill.");
    else if (!parse_id(lv, &level) || (level > 4 && level != 99)) err_add(&e, 422, "invalid", "level", "Choose a level.");
    if (level == 99) level = 0;
    int rc = DB_OK;
    if (!e.n) {
        if (db_begin(r->db) != DB_OK) err_busy(&e);
        else {
            rc = db_exec(r->db, SQL_NEED_DELETE, "iii", r->who.org_id, role, skill);
            if (rc == DB_OK && level) rc = db_exec(r->db, SQL_NEED_INSERT, "iiii", r->who.org_id, role, skill, level);
            if (rc == DB_OK)
                audit(r, "role.skills", arena_printf(r->arena, "role:%lld", (long long)role), "skill %lld level %lld", (long long)skill, (long long)level);
            if (rc != DB_OK || db_commit(r->db) != DB_OK) db_rollback(r->db), err_busy(&e);
        }
    }
    if (e.n) {
        skills_render(r, &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/skills?saved=1");
    return 0;
}

/* person_render: a person's skills with the forms the caller may use. */
static void person_render(Req *r, int64_t id, const char *name, const Errors *e, const char *flash) {
    bool self = id == r->who.person_id, confirm = skills_may_confirm(r, id);
    Buf *b = page(r);
    const char *title = self ? T(r, "Your skills") : arena_printf(r->arena, T(r, "Skills of %s"), name);
    page_begin(r, title);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><a class=\"button secondary\" href=\"%h\">%h</a></div>", title,
                self ? "/training" : arena_printf(r->arena, "/training?person_id=%lld", (long long)id), T(r, "Training suggestions"));
    page_flash(r, flash);
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, e->items[0].msg));
    html_printf(b, "<p class=\"lead\">%h</p>", T(r, "The confirmed level counts (for gaps and for rights that need a skill); your own view is kept beside it."));
    buf_puts(b, "<section class=\"card\">");
    Stmt *s = db_q(r->db, SQL_PERSON_SKILLS, "ii", r->who.org_id, id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0)
            html_printf(b, "<table class=\"list\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                        T(r, "Skill"), T(r, "Role needs"), T(r, "Own view"), T(r, "Confirmed"));
        int need = db_null(s, 7) ? 0 : (int)db_int(s, 7), conf = db_null(s, 3) ? 0 : (int)db_int(s, 3);
        html_printf(b, "<tr><td>%h</td><td>", db_text(s, 1));
        if (need) html_printf(b, "%d · %h", need, skill_level_name(r, need));
        buf_puts(b, "</td><td>");
        if (!db_null(s, 2)) html_printf(b, "%d · %h", (int)db_int(s, 2), skill_level_name(r, (int)db_int(s, 2)));
        buf_puts(b, "</td><td>");
        if (!db_null(s, 3)) html_printf(b, "%d · %h", conf, skill_level_name(r, conf));
        if (!db_null(s, 5)) html_printf(b, " <span class=\"muted\">%h</span>", arena_printf(r->arena, T(r, "by %s"), db_text(s, 5)));
        if (need > conf) html_printf(b, " <span class=\"badge status-expired\">%h</span>", T(r, "gap"));
        buf_puts(b, "</td></tr>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table>");
    else html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No skills recorded yet."));
    buf_puts(b, "</section>");
    if (self || confirm) {
        int nskills = 0;
        Option *skills = options_from(r, db_q(r->db, SQL_SKILL_OPTIONS, "i", r->who.org_id), &nskills);
        Option levels[5];
        level_options(r, levels, 0);
        html_printf(b, "<section class=\"card\"><h2>%h</h2>", self ? T(r, "Assess yourself") : T(r, "Confirm a level"));
        form_begin(r, arena_printf(r->arena, "/skills/people/%lld", (long long)id), NULL);
        html_printf(b, "<input type=\"hidden\" name=\"which\" value=\"%s\">", self ? "self" : "confirmed");
        form_select_id(r, "skill_id", "Skill", 0, skills, nskills, "Choose a skill", e ? err_for(e, "skill_id") : NULL);
        form_select_id(r, "level", "Level", 0, levels, 5, "Choose a level", e ? err_for(e, "level") : NULL);
        form_end(r, self ? N_("Save my view") : N_("Confirm level"));
        buf_puts(b, "</section>");
    }
    page_end(r);
}

/* GET /skills/people/{id}: a person's skills (member: themself, their
 * managers, admins; 404 otherwise). */
int skills_page_person(Req *r) {
    char *name;
    if (person_load(r, r->params[0], &name, NULL)) return -1;
    person_render(r, r->params[0], name, NULL, req_query(r, "saved") ? "Saved." : NULL);
    return 0;
}

/* POST /skills/people/{id} (which self|confirmed, skill_id, level): the
 * person's own view or a confirmation (member, as the API). */
int skills_page_person_post(Req *r) {
    char *name;
    if (person_load(r, r->params[0], &name, NULL)) return -1;
    Errors e = {0};
    int64_t skill = 0, level = 0;
    const char *which = req_form(r, "which");
    bool confirm = which && strcmp(which, "confirmed") == 0;
    if (!parse_id(req_form(r, "skill_id"), &skill)) err_add(&e, 422, "invalid", "skill_id", "Choose a skill.");
    else if (!parse_id(req_form(r, "level"), &level) || (level > 4 && level != 99)) err_add(&e, 422, "invalid", "level", "Choose a level.");
    if (level == 99) level = 0;
    if (!e.n) level_set(r, r->params[0], skill, confirm, level, &e);
    if (e.n) {
        if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", T(r, e.items[0].msg));
        person_render(r, r->params[0], name, &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/skills/people/%lld?saved=1", (long long)r->params[0]));
    return 0;
}
