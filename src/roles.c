/* roles.c: role charters, the "ownership" step of the empowerment cycle. A
 * role has a name, an optional team, a purpose (markdown), the goal it
 * serves, its accountabilities and its resources, and the people who hold
 * it. JSON under /api/v1/roles, pages under /roles, and the "Roles" card of
 * a person's page (roles_render_for_person). Everyone in the organisation
 * reads; admins write charters and assign holders; only a holder confirms
 * "I own this charter". The charter's version goes up whenever its text
 * (name, purpose, goal, accountabilities, resources) changes, so a holder
 * who confirmed an older version is asked again. This file writes only
 * role, role_holder and their audit lines: decision rights belong to
 * rights.c and are only read here, for the charter page. Every query
 * filters on the caller's organisation: a role, team, goal or person of
 * another organisation looks exactly like one that does not exist. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

#define ROLE_NAME_MAX 100     /* characters */
#define ROLE_PURPOSE_MAX 2000 /* characters */
#define ROLE_ITEM_MAX 300     /* characters per accountability or resource */
#define ROLE_ITEMS_MAX 50     /* items per list */

typedef struct Role {
    int64_t id, team_id, goal_id, version; /* team_id, goal_id: 0 = none */
    char *name, *purpose, *team_name, *goal_title;
    char *accountabilities_json, *resources_json;
} Role;

typedef struct Holder {
    int64_t id, since, ack_version, ack_at; /* ack_*: 0 = never */
    char *name, *status;
    bool acknowledged; /* confirmed the current version */
} Holder;

/* What a form or a JSON body asks for. The lists are borrowed arrays of
 * strings; NULL strings mean empty. */
typedef struct RoleIn {
    const char *name, *purpose;
    int64_t team_id, goal_id;
    json_t *accountabilities, *resources;
} RoleIn;

#define ROLE_SELECT                                                                                                    \
    "SELECT r.id, r.name, r.team_id, t.name, r.purpose, r.goal_id, g.title, r.accountabilities_json, r.resources_json, " \
    "r.version FROM role r LEFT JOIN team t ON t.id = r.team_id AND t.org_id = r.org_id "                              \
    "LEFT JOIN goal g ON g.id = r.goal_id AND g.org_id = r.org_id "
static const char SQL_ROLE_GET[] = ROLE_SELECT "WHERE r.id = ? AND r.org_id = ?";
/* ?team_id= and ?person_id= filters: 0 means "any". */
static const char SQL_ROLE_PAGE[] = ROLE_SELECT
    "WHERE r.org_id = ? AND r.id > ? AND (? = 0 OR r.team_id = ?) "
    "AND (? = 0 OR EXISTS (SELECT 1 FROM role_holder h WHERE h.role_id = r.id AND h.org_id = r.org_id AND h.person_id = ?)) "
    "ORDER BY r.id LIMIT ?";
/* The /roles page: grouped by team in name order, roles without a team last. */
static const char SQL_ROLE_ALL[] = ROLE_SELECT "WHERE r.org_id = ? ORDER BY t.name IS NULL, t.name, r.name, r.id LIMIT 2000";
static const char SQL_ROLE_BY_NAME[] = "SELECT id FROM role WHERE org_id = ? AND name = ?";
static const char SQL_ROLE_INSERT[] =
    "INSERT INTO role(org_id, team_id, name, purpose, goal_id, accountabilities_json, resources_json, version, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
static const char SQL_ROLE_UPDATE[] =
    "UPDATE role SET team_id = ?, name = ?, purpose = ?, goal_id = ?, accountabilities_json = ?, resources_json = ?, "
    "version = version + ?, updated_at = ? WHERE id = ? AND org_id = ?";
static const char SQL_ROLE_DELETE[] = "DELETE FROM role WHERE id = ? AND org_id = ?";
static const char SQL_ROLE_VERSION[] = "SELECT version FROM role WHERE id = ? AND org_id = ?";
static const char SQL_ROLE_HOLDERS_N[] = "SELECT count(*) FROM role_holder WHERE role_id = ? AND org_id = ?";
static const char SQL_ROLE_RIGHTS_N[] = "SELECT count(*) FROM decision_right WHERE role_id = ? AND org_id = ?";
static const char SQL_TEAM_EXISTS[] = "SELECT id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_GOAL_EXISTS[] = "SELECT id FROM goal WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_GOAL_OPTIONS[] = "SELECT id, title FROM goal WHERE org_id = ? ORDER BY title, id LIMIT 2000";
static const char SQL_GOAL_STEP[] = "SELECT id, title, parent_id FROM goal WHERE id = ? AND org_id = ?";
static const char SQL_ORG_PURPOSE[] = "SELECT purpose FROM org WHERE id = ?";

static const char SQL_HOLDERS[] =
    "SELECT p.id, p.name, p.status, h.since, coalesce(h.acknowledged_version, 0), coalesce(h.acknowledged_at, 0) "
    "FROM role_holder h JOIN person p ON p.id = h.person_id AND p.org_id = h.org_id "
    "WHERE h.role_id = ? AND h.org_id = ? ORDER BY p.name, p.id LIMIT 1000";
/* 0 active, 1 away, 2 left (found only within the organisation). */
static const char SQL_PERSON_STATE[] =
    "SELECT CASE status WHEN 'left' THEN 2 WHEN 'away' THEN 1 ELSE 0 END FROM person WHERE id = ? AND org_id = ?";
static const char SQL_HOLDER_ACK[] =
    "SELECT coalesce(acknowledged_version, 0) FROM role_holder WHERE role_id = ? AND person_id = ? AND org_id = ?";
static const char SQL_HOLDER_INSERT[] = "INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (?, ?, ?, ?)";
static const char SQL_HOLDER_DELETE[] = "DELETE FROM role_holder WHERE role_id = ? AND person_id = ? AND org_id = ?";
static const char SQL_HOLDER_SET_ACK[] =
    "UPDATE role_holder SET acknowledged_version = ?, acknowledged_at = ? WHERE role_id = ? AND person_id = ? AND org_id = ?";
/* Choices for "assign a person": everyone who has not left and does not
 * hold the role yet; people who are away are marked. */
static const char SQL_ASSIGN_OPTIONS[] =
    "SELECT id, name || CASE WHEN status = 'away' THEN ? ELSE '' END FROM person "
    "WHERE org_id = ? AND status <> 'left' AND id NOT IN (SELECT person_id FROM role_holder WHERE role_id = ? AND org_id = ?) "
    "ORDER BY name, id LIMIT 5000";
/* The decision rights attached to a role, for "everything the holder may
 * decide" (read only: rights.c owns them). */
static const char SQL_ROLE_RIGHTS[] =
    "SELECT r.id, d.label, d.slug, r.level, r.limit_cents IS NULL, r.limit_cents, r.advisor_id, a.name, r.expires_on "
    "FROM decision_right r JOIN domain d ON d.id = r.domain_id AND d.org_id = r.org_id "
    "LEFT JOIN person a ON a.id = r.advisor_id AND a.org_id = r.org_id "
    "WHERE r.role_id = ? AND r.org_id = ? ORDER BY d.label, r.id LIMIT 500";
static const char SQL_PERSON_ROLES[] =
    "SELECT r.id, r.name, t.name, r.version, coalesce(h.acknowledged_version, 0) "
    "FROM role_holder h JOIN role r ON r.id = h.role_id AND r.org_id = h.org_id "
    "LEFT JOIN team t ON t.id = r.team_id AND t.org_id = r.org_id "
    "WHERE h.person_id = ? AND h.org_id = ? ORDER BY r.name, r.id LIMIT 500";

/* ---------- small text rules ---------- */

static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* lines_to_list: a textarea's text as a list of its non-blank lines (one
 * item per line), owned by the request. Items are trimmed later, by
 * list_clean. */
static json_t *lines_to_list(Req *r, const char *text) {
    json_t *list = json_array();
    req_defer_json(r, list);
    const char *p = text ? text : "";
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *line = str_trim(r->arena, arena_strndup(r->arena, p, n));
        if (!str_empty(line)) json_array_append_new(list, json_string(line));
        p += n;
        if (*p) p++;
    }
    return list;
}

/* list_to_lines: a stored list as textarea text, one item per line. */
static char *list_to_lines(Req *r, const char *list_json) {
    json_t *list = json_list_decode(list_json);
    Buf b = {0};
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v)) continue;
        if (b.len) buf_putc(&b, '\n');
        buf_puts(&b, json_string_value(v));
    }
    char *out = arena_strdup(r->arena, b.len ? buf_cstr(&b) : "");
    buf_free(&b);
    json_decref(list);
    return out;
}

/* list_clean: the items of list (NULL = empty) trimmed and checked: not
 * blank, one line each, ROLE_ITEM_MAX characters, ROLE_ITEMS_MAX items.
 * Returns a new list owned by the request; problems go to e under field. */
static json_t *list_clean(Req *r, json_t *list, const char *field, const char *what, Errors *e) {
    json_t *out = json_array();
    req_defer_json(r, out);
    size_t i;
    json_t *v;
    const char *problem = NULL;
    if (list && json_array_size(list) > ROLE_ITEMS_MAX)
        problem = arena_printf(r->arena, "Keep the %s to %d items or fewer.", what, ROLE_ITEMS_MAX);
    json_array_foreach(list, i, v) {
        char *s = str_trim(r->arena, json_is_string(v) ? json_string_value(v) : "");
        if (problem) break;
        if (str_empty(s)) problem = arena_printf(r->arena, "An item of the %s is blank.", what);
        else if (has_control(s)) problem = arena_printf(r->arena, "Each item of the %s is one line, without control characters.", what);
        else if (utf8_chars(s) > ROLE_ITEM_MAX)
            problem = arena_printf(r->arena, "Keep each item of the %s to %d characters or fewer.", what, ROLE_ITEM_MAX);
        else json_array_append_new(out, json_string(s));
    }
    if (problem) err_add(e, 422, "invalid", field, problem);
    return out;
}

/* ---------- loading ---------- */

/* role_row: one row of ROLE_SELECT into ro; strings are arena-owned. A team
 * or goal outside the organisation (which the writes never allow) counts as
 * none. */
static void role_row(Req *r, Stmt *s, Role *ro) {
    ro->id = db_int(s, 0);
    ro->name = db_dup(s, 1, r->arena);
    ro->team_name = db_dup(s, 3, r->arena);
    ro->team_id = ro->team_name ? db_int(s, 2) : 0;
    ro->purpose = arena_strdup(r->arena, db_text(s, 4));
    ro->goal_title = db_dup(s, 6, r->arena);
    ro->goal_id = ro->goal_title ? db_int(s, 5) : 0;
    ro->accountabilities_json = arena_strdup(r->arena, db_text(s, 7));
    ro->resources_json = arena_strdup(r->arena, db_text(s, 8));
    ro->version = db_int(s, 9);
}

/* role_find: role id of the caller's organisation into ro. 1 found, 0 not. */
static int role_find(Req *r, int64_t id, Role *ro) {
    Stmt *s = db_q(r->db, SQL_ROLE_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) role_row(r, s, ro);
    db_reset(s);
    return found;
}

/* role_load: the role named by the route's first {id}; -1 after sending 404. */
static int role_load(Req *r, Role *ro) {
    if (r->nparams < 1 || !role_find(r, r->params[0], ro)) return resp_error(r, 404, "not_found", "There is no such role.");
    return 0;
}

/* holders_load: the holders of ro in name order, arena-owned; returns how
 * many. */
static int holders_load(Req *r, const Role *ro, Holder **out) {
    int cap = 8, n = 0;
    Holder *h = arena_alloc(r->arena, sizeof *h * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_HOLDERS, "ii", ro->id, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (n == cap) h = arena_grow(r->arena, h, &cap, sizeof *h);
        Holder *x = &h[n++];
        x->id = db_int(s, 0);
        x->name = db_dup(s, 1, r->arena);
        x->status = db_dup(s, 2, r->arena);
        x->since = db_int(s, 3);
        x->ack_version = db_int(s, 4);
        x->ack_at = db_int(s, 5);
        x->acknowledged = x->ack_version == ro->version;
    }
    db_reset(s);
    *out = h;
    return n;
}

static json_t *role_json(Req *r, const Role *ro) {
    Holder *h;
    int n = holders_load(r, ro, &h);
    json_t *holders = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(holders, json_pack("{s:I,s:s,s:s,s:b,s:o}", "id", (json_int_t)h[i].id, "name", h[i].name, "since",
                                                 iso_time(r->arena, h[i].since), "acknowledged", h[i].acknowledged, "acknowledged_at",
                                                 h[i].ack_at ? json_string(iso_time(r->arena, h[i].ack_at)) : json_null()));
    json_t *team = ro->team_id ? json_pack("{s:I,s:s}", "id", (json_int_t)ro->team_id, "name", ro->team_name) : json_null();
    json_t *goal = ro->goal_id ? json_pack("{s:I,s:s}", "id", (json_int_t)ro->goal_id, "title", ro->goal_title) : json_null();
    return json_pack("{s:I,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:I,s:o}", "id", (json_int_t)ro->id, "name", ro->name, "team_id",
                     ro->team_id ? json_integer(ro->team_id) : json_null(), "team", team, "purpose", ro->purpose, "goal_id",
                     ro->goal_id ? json_integer(ro->goal_id) : json_null(), "goal", goal, "accountabilities",
                     json_list_decode(ro->accountabilities_json), "resources", json_list_decode(ro->resources_json), "version",
                     (json_int_t)ro->version, "holders", holders);
}

/* ---------- writes shared by the API and the pages ---------- */

static bool row_exists(Req *r, const char *sql, int64_t id) {
    int64_t x;
    return db_one_int(r->db, &x, sql, "ii", id, r->who.org_id) == 1;
}

/* list_same: whether stored list text and a list hold the same items. */
static bool list_same(Req *r, const char *stored, json_t *list) {
    json_t *old = json_list_decode(stored);
    req_defer_json(r, old);
    return json_equal(old, list);
}

static void changed(Buf *b, const char *what) {
    buf_puts(b, b->len ? ", " : " ");
    buf_puts(b, what);
}

/* role_save: validates in and creates a role (id 0) or changes role id, in
 * one BEGIN IMMEDIATE transaction with its audit line, so that no other
 * write can take the name or remove the team or goal between the check and
 * the write. Problems already in e (a form field that is not a number) fail
 * the save after every field has been checked, so a form shows them all.
 * The version goes up when the charter text changes (not the team). 0 ok
 * with *id_out set; -1 with the problems in e and nothing changed. */
static int role_save(Req *r, int64_t id, RoleIn in, Errors *e, int64_t *id_out) {
    char *name = str_trim(r->arena, in.name ? in.name : "");
    bool name_ok = false;
    if (str_empty(name)) err_add(e, 422, "invalid", "name", "The role needs a name.");
    else if (utf8_chars(name) > ROLE_NAME_MAX) err_add(e, 422, "invalid", "name", "Keep the name to 100 characters or fewer.");
    else if (has_control(name)) err_add(e, 422, "invalid", "name", "The name cannot contain line breaks or control characters.");
    else name_ok = true;
    char *purpose = str_trim(r->arena, in.purpose ? in.purpose : "");
    if (utf8_chars(purpose) > ROLE_PURPOSE_MAX) err_add(e, 422, "invalid", "purpose", "Keep the purpose to 2000 characters or fewer.");
    json_t *acc = list_clean(r, in.accountabilities, "accountabilities", "accountabilities", e);
    json_t *res = list_clean(r, in.resources, "resources", "resources", e);

    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    Role cur;
    if (id && !role_find(r, id, &cur)) { /* deleted meanwhile */
        db_rollback(r->db);
        e->n = 0;
        err_add(e, 404, "not_found", NULL, "There is no such role.");
        return -1;
    }
    int64_t other = 0;
    if (name_ok && db_one_int(r->db, &other, SQL_ROLE_BY_NAME, "it", r->who.org_id, name) && other != id)
        err_add(e, 409, "conflict", "name", "Another role already has this name.");
    if (in.team_id && !row_exists(r, SQL_TEAM_EXISTS, in.team_id)) err_add(e, 422, "invalid", "team_id", "Choose a team from this organisation.");
    if (in.goal_id && !row_exists(r, SQL_GOAL_EXISTS, in.goal_id)) err_add(e, 422, "invalid", "goal_id", "Choose a goal from this organisation.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }

    const char *acc_s = json_list_encode(r->arena, acc), *res_s = json_list_encode(r->arena, res);
    int rc;
    if (!id) {
        rc = db_exec(r->db, SQL_ROLE_INSERT, "iIttIttii", r->who.org_id, in.team_id, name, purpose, in.goal_id, acc_s, res_s, r->now, r->now);
        id = db_last_id(r->db);
        if (rc == DB_OK) audit(r, "role.create", arena_printf(r->arena, "role:%lld", (long long)id), "name \"%s\"", name);
    } else {
        Buf c = {0};
        if (!same(name, cur.name)) changed(&c, arena_printf(r->arena, "name (was \"%s\")", cur.name));
        if (!same(purpose, cur.purpose)) changed(&c, "purpose");
        if (in.goal_id != cur.goal_id) changed(&c, arena_printf(r->arena, "goal %lld->%lld", (long long)cur.goal_id, (long long)in.goal_id));
        if (!list_same(r, cur.accountabilities_json, acc)) changed(&c, "accountabilities");
        if (!list_same(r, cur.resources_json, res)) changed(&c, "resources");
        bool bump = c.len > 0; /* everything above is charter text */
        if (in.team_id != cur.team_id) changed(&c, arena_printf(r->arena, "team %lld->%lld", (long long)cur.team_id, (long long)in.team_id));
        rc = db_exec(r->db, SQL_ROLE_UPDATE, "IttIttiiii", in.team_id, name, purpose, in.goal_id, acc_s, res_s, (int64_t)(bump ? 1 : 0), r->now, id,
                     r->who.org_id);
        if (rc == DB_OK)
            audit(r, "role.update", arena_printf(r->arena, "role:%lld", (long long)id), "changed:%s%s", c.len ? buf_cstr(&c) : " nothing",
                  bump ? arena_printf(r->arena, "; version %lld->%lld", (long long)cur.version, (long long)cur.version + 1) : "");
        buf_free(&c);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "name", "Another role already has this name.");
        else err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* role_delete: deletes ro unless people hold it or decision rights are
 * attached to it. 0 ok; -1 with the reason in e and nothing changed. */
static int role_delete(Req *r, const Role *ro, Errors *e) {
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t holders = 0, rights = 0;
    db_one_int(r->db, &holders, SQL_ROLE_HOLDERS_N, "ii", ro->id, r->who.org_id);
    db_one_int(r->db, &rights, SQL_ROLE_RIGHTS_N, "ii", ro->id, r->who.org_id);
    if (holders)
        err_add(e, 409, "conflict", NULL,
                holders == 1 ? "One person still holds this role; remove them first."
                             : arena_printf(r->arena, "%lld people still hold this role; remove them first.", (long long)holders));
    if (rights)
        err_add(e, 409, "conflict", NULL,
                rights == 1 ? "A decision right is attached to this role; revoke it first."
                            : arena_printf(r->arena, "%lld decision rights are attached to this role; revoke them first.", (long long)rights));
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    int rc = db_exec(r->db, SQL_ROLE_DELETE, "ii", ro->id, r->who.org_id);
    if (rc == DB_OK) audit(r, "role.delete", arena_printf(r->arena, "role:%lld", (long long)ro->id), "name \"%s\"", ro->name);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        /* A reference we did not count (another module's table): still in use. */
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", NULL, "The role is still in use elsewhere and cannot be deleted.");
        else err_busy(e);
        return -1;
    }
    return 0;
}

/* holder_add: person_id starts holding ro. The person must belong to the
 * organisation and not have left (422), and not hold it already (409).
 * 0 ok; -1 with the problem in e. */
static int holder_add(Req *r, const Role *ro, int64_t person_id, Errors *e) {
    if (!person_id) {
        err_add(e, 422, "invalid", "person_id", "Choose a person to assign.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t state = 0, ack = 0, v = 0;
    if (!db_one_int(r->db, &v, SQL_ROLE_VERSION, "ii", ro->id, r->who.org_id)) err_add(e, 404, "not_found", NULL, "There is no such role.");
    else if (!db_one_int(r->db, &state, SQL_PERSON_STATE, "ii", person_id, r->who.org_id))
        err_add(e, 422, "invalid", "person_id", "Choose a person from this organisation.");
    else if (state == 2) err_add(e, 422, "invalid", "person_id", "This person has left the organisation and cannot hold a role.");
    else if (db_one_int(r->db, &ack, SQL_HOLDER_ACK, "iii", ro->id, person_id, r->who.org_id))
        err_add(e, 409, "conflict", "person_id", "This person already holds the role.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    int rc = db_exec(r->db, SQL_HOLDER_INSERT, "iiii", ro->id, person_id, r->who.org_id, r->now);
    if (rc == DB_OK) audit(r, "role.assign", arena_printf(r->arena, "role:%lld", (long long)ro->id), "person %lld", (long long)person_id);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "person_id", "This person already holds the role.");
        else err_busy(e);
        return -1;
    }
    return 0;
}

/* holder_remove: person_id stops holding ro. 0 ok; -1 with the problem in e
 * (404 when they do not hold it). */
static int holder_remove(Req *r, const Role *ro, int64_t person_id, Errors *e) {
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_HOLDER_DELETE, "iii", ro->id, person_id, r->who.org_id);
    if (rc == DB_OK && db_changes(r->db) == 0) {
        db_rollback(r->db);
        err_add(e, 404, "not_found", "person_id", "This person does not hold the role.");
        return -1;
    }
    if (rc == DB_OK) audit(r, "role.unassign", arena_printf(r->arena, "role:%lld", (long long)ro->id), "person %lld", (long long)person_id);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* role_acknowledge: the caller confirms they own the current version of
 * ro's charter. Only a holder may (403). Confirming a version already
 * confirmed changes nothing. 0 ok; -1 with the problem in e. */
static int role_acknowledge(Req *r, const Role *ro, Errors *e) {
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t version = 0, ack = 0;
    if (!db_one_int(r->db, &version, SQL_ROLE_VERSION, "ii", ro->id, r->who.org_id)) err_add(e, 404, "not_found", NULL, "There is no such role.");
    else if (!db_one_int(r->db, &ack, SQL_HOLDER_ACK, "iii", ro->id, r->who.person_id, r->who.org_id))
        err_add(e, 403, "forbidden", NULL, "Only a holder of this role can confirm its charter.");
    if (e->n || ack == version) {
        db_rollback(r->db);
        return e->n ? -1 : 0;
    }
    int rc = db_exec(r->db, SQL_HOLDER_SET_ACK, "iiiii", version, r->now, ro->id, r->who.person_id, r->who.org_id);
    if (rc == DB_OK) audit(r, "role.acknowledge", arena_printf(r->arena, "role:%lld", (long long)ro->id), "version %lld", (long long)version);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- JSON ---------- */

/* Byte limits are only a guard against absurd bodies: role_save counts
 * characters and answers 422 with the field. */
static const JField ROLE_FIELDS[] = {{"name", JF_STRING, 1000},
                                     {"team_id", JF_ID_NULL, 0},
                                     {"purpose", JF_STRING_NULL, 10000},
                                     {"goal_id", JF_ID_NULL, 0},
                                     {"accountabilities", JF_STRING_LIST, 2000},
                                     {"resources", JF_STRING_LIST, 2000},
                                     {0}};
static const JField HOLDER_FIELDS[] = {{"person_id", JF_ID_NULL, 0}, {0}};

/* query_id: an optional id in the query string: 0 when absent; -1 after
 * sending 400 when it is not an id. */
static int query_id(Req *r, const char *name, int64_t *out) {
    const char *v = req_query(r, name);
    *out = 0;
    if (!v) return 0;
    if (!parse_id(v, out)) return resp_error(r, 400, "invalid_parameter", "%s must be an id.", name);
    return 0;
}

/* GET /api/v1/roles ?limit= ?after= ?team_id= ?person_id=: the
 * organisation's role charters by id, paged; team_id keeps one team's roles,
 * person_id the roles a person holds (member). */
int roles_api_list(Req *r) {
    int limit;
    int64_t after, team_id, person_id, last = 0;
    if (parse_limit_after(r, &limit, &after) || query_id(r, "team_id", &team_id) || query_id(r, "person_id", &person_id)) return -1;
    Role *page_roles = arena_alloc(r->arena, sizeof *page_roles * (size_t)limit);
    int n = 0;
    Stmt *s = db_q(r->db, SQL_ROLE_PAGE, "iiiiiii", r->who.org_id, after, team_id, team_id, person_id, person_id, (int64_t)limit);
    while (n < limit && db_step(s) == DB_ROW) role_row(r, s, &page_roles[n++]);
    db_reset(s);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) { /* after the reset: role_json runs its own query */
        json_array_append_new(items, role_json(r, &page_roles[i]));
        last = page_roles[i].id;
    }
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

/* GET /api/v1/roles/{id}: one role charter with its holders (member). */
int roles_api_get(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    resp_json(r, 200, role_json(r, &ro));
    return 0;
}

/* POST /api/v1/roles {"name","team_id","purpose","goal_id",
 * "accountabilities","resources"}: a new role charter at version 1; name is
 * required (admin). 201 with the role. */
int roles_api_create(Req *r) {
    json_t *in = req_json_object(r, ROLE_FIELDS);
    if (!in) return -1;
    RoleIn ri = {json_str(in, "name"), json_str(in, "purpose"), json_id(in, "team_id"), json_id(in, "goal_id"),
                 json_object_get(in, "accountabilities"), json_object_get(in, "resources")};
    Errors e = {0};
    int64_t id;
    if (role_save(r, 0, ri, &e, &id)) return err_send(r, &e);
    Role ro;
    if (!role_find(r, id, &ro)) return resp_error(r, 500, "internal", "The new role could not be read back.");
    resp_header(r, "Location", arena_printf(r->arena, "/api/v1/roles/%lld", (long long)id));
    resp_json(r, 201, role_json(r, &ro));
    return 0;
}

/* PATCH /api/v1/roles/{id}: any subset of the fields (admin); null clears
 * team_id, goal_id or purpose. A change to the charter text raises the
 * version, so holders are asked to confirm it again. */
int roles_api_patch(Req *r) {
    json_t *in = req_json_object(r, ROLE_FIELDS);
    if (!in) return -1;
    Role ro;
    if (role_load(r, &ro)) return -1;
    json_t *acc = json_list_decode(ro.accountabilities_json), *res = json_list_decode(ro.resources_json);
    req_defer_json(r, acc);
    req_defer_json(r, res);
    RoleIn ri = {ro.name, ro.purpose, ro.team_id, ro.goal_id, acc, res};
    if (json_has(in, "name")) ri.name = json_str(in, "name");
    if (json_has(in, "purpose")) ri.purpose = json_str(in, "purpose");
    if (json_has(in, "team_id")) ri.team_id = json_id(in, "team_id");
    if (json_has(in, "goal_id")) ri.goal_id = json_id(in, "goal_id");
    if (json_has(in, "accountabilities")) ri.accountabilities = json_object_get(in, "accountabilities");
    if (json_has(in, "resources")) ri.resources = json_object_get(in, "resources");
    Errors e = {0};
    int64_t id;
    if (role_save(r, ro.id, ri, &e, &id)) return err_send(r, &e);
    if (!role_find(r, id, &ro)) return resp_error(r, 500, "internal", "The role could not be read back.");
    resp_json(r, 200, role_json(r, &ro));
    return 0;
}

/* DELETE /api/v1/roles/{id}: deletes a role nobody holds and no right is
 * attached to (admin). 204; 409 otherwise. */
int roles_api_delete(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (role_delete(r, &ro, &e)) return err_send(r, &e);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* POST /api/v1/roles/{id}/holders {"person_id"}: assigns a person of the
 * organisation who has not left (admin). 201 with the role; 409 when they
 * already hold it; 422 for a person who left or is not in the organisation. */
int roles_api_holder_add(Req *r) {
    json_t *in = req_json_object(r, HOLDER_FIELDS);
    if (!in) return -1;
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (holder_add(r, &ro, json_id(in, "person_id"), &e)) return err_send(r, &e);
    resp_json(r, 201, role_json(r, &ro));
    return 0;
}

/* DELETE /api/v1/roles/{id}/holders/{person_id}: the person no longer holds
 * the role (admin). 204; 404 when they did not hold it. */
int roles_api_holder_remove(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (r->nparams < 2 || holder_remove(r, &ro, r->params[1], &e)) return e.n ? err_send(r, &e) : resp_error(r, 404, "not_found", "No such holder.");
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* POST /api/v1/roles/{id}/acknowledge: the caller, a holder, confirms "I own
 * this charter" for its current version (member; 403 for anyone who does
 * not hold the role). 200 with the role. */
int roles_api_acknowledge(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (role_acknowledge(r, &ro, &e)) return err_send(r, &e);
    resp_json(r, 200, role_json(r, &ro));
    return 0;
}

/* ---------- pages ---------- */

static void ack_badge(Buf *b, bool acknowledged) {
    if (acknowledged) buf_puts(b, "<span class=\"badge status-active\">acknowledged</span>");
    else buf_puts(b, "<span class=\"badge status-away\">needs acknowledgement</span>");
}

/* date_of: the UTC date of a unix time, YYYY-MM-DD. */
static const char *date_of(Req *r, int64_t t) { return fmt_time(r, t); }

/* render_list: a stored list as <ul>, or the empty message. */
static void render_list(Req *r, const char *list_json, const char *empty) {
    Buf *b = page(r);
    json_t *list = json_list_decode(list_json);
    size_t i;
    json_t *v;
    if (json_array_size(list) == 0) html_printf(b, "<p class=\"muted empty\">%h</p>", empty);
    else {
        buf_puts(b, "<ul>");
        json_array_foreach(list, i, v) if (json_is_string(v)) html_printf(b, "<li>%h</li>", json_string_value(v));
        buf_puts(b, "</ul>");
    }
    json_decref(list);
}

/* GET /roles ?deleted=1: every role charter grouped by team, with its
 * holders and whether each has confirmed the current charter (member). */
int roles_page_list(Req *r) {
    bool admin = r->who.access >= ACCESS_ADMIN;
    int cap = 32, n = 0;
    Role *roles = arena_alloc(r->arena, sizeof *roles * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_ROLE_ALL, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (n == cap) roles = arena_grow(r->arena, roles, &cap, sizeof *roles);
        role_row(r, s, &roles[n++]);
    }
    db_reset(s);

    page_begin(r, "Role charters");
    Buf *b = page(r);
    buf_puts(b, "<div class=\"title-row\"><h1>Role charters</h1>");
    if (admin) buf_puts(b, "<a class=\"button secondary\" href=\"/roles/new\">Add a role</a>");
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "deleted") ? "Role deleted." : NULL);
    buf_puts(b, "<p class=\"muted\">A role charter says what someone owns: its purpose, the goal it serves, what it answers for and what it may "
                "use. Holders confirm that they own it.</p>");
    if (n == 0) {
        buf_puts(b, "<section class=\"card\"><p class=\"muted empty\">No role charters yet.");
        if (admin) buf_puts(b, " <a href=\"/roles/new\">Write the first one</a>.");
        buf_puts(b, "</p></section>");
    }
    for (int i = 0; i < n; i++) {
        const Role *ro = &roles[i];
        if (i == 0 || ro->team_id != roles[i - 1].team_id) {
            if (i) buf_puts(b, "</tbody></table></section>");
            if (ro->team_id) html_printf(b, "<section class=\"card\"><h2><a href=\"/teams/%D\">%h</a></h2>", ro->team_id, ro->team_name);
            else buf_puts(b, "<section class=\"card\"><h2>Roles outside a team</h2>");
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Role</th><th scope=\"col\">Serves</th>"
                        "<th scope=\"col\">Holders</th></tr></thead><tbody>");
        }
        html_printf(b, "<tr><td><a href=\"/roles/%D\">%h</a></td><td>", ro->id, ro->name);
        if (ro->goal_id) html_printf(b, "<a href=\"/goals/%D\">%h</a>", ro->goal_id, ro->goal_title);
        else buf_puts(b, "<span class=\"muted\">no goal yet</span>");
        buf_puts(b, "</td><td>");
        Holder *h;
        int nh = holders_load(r, ro, &h);
        if (nh == 0) buf_puts(b, "<span class=\"muted\">nobody yet</span>");
        else {
            buf_puts(b, "<ul class=\"plain\">");
            for (int k = 0; k < nh; k++) {
                html_printf(b, "<li><a href=\"/people/%D\">%h</a> ", h[k].id, h[k].name);
                ack_badge(b, h[k].acknowledged);
                buf_puts(b, "</li>");
            }
            buf_puts(b, "</ul>");
        }
        buf_puts(b, "</td></tr>");
    }
    if (n) buf_puts(b, "</tbody></table></section>");
    page_end(r);
    return 0;
}

/* render_line_of_sight: role purpose -> the goal it serves -> that goal's
 * parents up to the root -> the organisation's purpose, as ol.line-of-sight.
 * The walk stops after 100 steps or at a repeated goal, so corrupt data
 * cannot loop. */
static void render_line_of_sight(Req *r, const Role *ro) {
    Buf *b = page(r);
    buf_puts(b, "<section class=\"card\" id=\"line-of-sight\"><h2>Line of sight</h2><p class=\"muted\">How this role serves the "
                "organisation's purpose.</p><ol class=\"line-of-sight\">");
    html_printf(b, "<li aria-current=\"page\"><strong>%h</strong>", ro->name);
    if (*ro->purpose) {
        buf_puts(b, "<div class=\"purpose-text\">");
        html_markdown(b, ro->purpose);
        buf_puts(b, "</div>");
    } else buf_puts(b, " <span class=\"muted\">(no purpose written yet)</span>");
    buf_puts(b, "</li>");
    if (!ro->goal_id) buf_puts(b, "<li><span class=\"muted\">Serves no goal yet.</span></li>");
    int64_t seen[100], next = ro->goal_id;
    int nseen = 0;
    while (next && nseen < 100) {
        bool again = false;
        for (int i = 0; i < nseen; i++) again = again || seen[i] == next;
        if (again) break;
        seen[nseen++] = next;
        Stmt *s = db_q(r->db, SQL_GOAL_STEP, "ii", next, r->who.org_id);
        next = 0;
        if (db_step(s) == DB_ROW) {
            html_printf(b, "<li><a href=\"/goals/%D\">%h</a></li>", db_int(s, 0), db_text(s, 1));
            next = db_int(s, 2);
        }
        db_reset(s);
    }
    char *purpose = NULL;
    Stmt *s = db_q(r->db, SQL_ORG_PURPOSE, "i", r->who.org_id);
    if (db_step(s) == DB_ROW) purpose = db_dup(s, 0, r->arena);
    db_reset(s);
    buf_puts(b, "<li class=\"purpose\"><a href=\"/org\">The organisation's purpose</a>");
    if (purpose && *purpose) {
        buf_puts(b, "<div class=\"purpose-text\">");
        html_markdown(b, purpose);
        buf_puts(b, "</div>");
    } else buf_puts(b, " <span class=\"muted\">(not written yet)</span>");
    buf_puts(b, "</li></ol></section>");
}

/* render_rights: "Everything the holder may decide": the decision rights
 * attached to the role, with level, limit, advisor and expiry. */
static void render_rights(Req *r, const Role *ro) {
    Buf *b = page(r);
    const char *today = today_date(r->arena, r->now);
    buf_puts(b, "<section class=\"card\" id=\"rights\"><div class=\"title-row\"><h2>Everything the holder may decide</h2>");
    if (r->who.access >= ACCESS_ADMIN)
        html_printf(b, "<a class=\"button secondary\" href=\"/rights/new?role_id=%D\">Grant a right to this role</a>", ro->id);
    buf_puts(b, "</div>");
    Stmt *s = db_q(r->db, SQL_ROLE_RIGHTS, "ii", ro->id, r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Domain</th><th scope=\"col\">Level</th><th scope=\"col\">Limit</th>"
                        "<th scope=\"col\">Advisor</th><th scope=\"col\">Expires</th></tr></thead><tbody>");
        int level = (int)db_int(s, 3);
        html_printf(b, "<tr><td><a href=\"/rights/%D\">%h</a> <span class=\"muted\">%h</span></td><td>%d · %h</td><td>", db_int(s, 0), db_text(s, 1),
                    db_text(s, 2), level, T(r, level_name(level)));
        if (db_int(s, 4)) buf_puts(b, "no limit");
        else {
            html_printf(b, "%h", fmt_money(r, db_int(s, 5)));
        }
        buf_puts(b, "</td><td>");
        if (!db_null(s, 7)) html_printf(b, "<a href=\"/people/%D\">%h</a>", db_int(s, 6), db_text(s, 7));
        else buf_puts(b, "<span class=\"muted\">none</span>");
        buf_puts(b, "</td><td>");
        const char *exp = db_text(s, 8);
        if (!*exp) buf_puts(b, "never");
        else {
            html_printf(b, "<time datetime=\"%h\">%h</time>", exp, exp);
            if (strcmp(exp, today) < 0) buf_puts(b, " <span class=\"badge status-missed\">expired</span>");
        }
        buf_puts(b, "</td></tr>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table>");
    else buf_puts(b, "<p class=\"muted empty\">No decision rights are attached to this role yet.</p>");
    buf_puts(b, "</section>");
}

/* render_holders: the holders with their confirmation state; for admins a
 * remove button per holder and a form to assign someone. error, when set,
 * says why an assignment failed. */
static void render_holders(Req *r, const Role *ro, const Holder *h, int nh, const Errors *error) {
    Buf *b = page(r);
    bool admin = r->who.access >= ACCESS_ADMIN;
    buf_puts(b, "<section class=\"card\" id=\"holders\"><h2>Holders</h2>");
    if (nh == 0) buf_puts(b, "<p class=\"muted empty\">Nobody holds this role yet.</p>");
    else {
        buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Since</th><th scope=\"col\">Charter</th>");
        if (admin) buf_puts(b, "<th scope=\"col\">Remove</th>");
        buf_puts(b, "</tr></thead><tbody>");
        for (int i = 0; i < nh; i++) {
            html_printf(b, "<tr><td><a href=\"/people/%D\">%h</a>", h[i].id, h[i].name);
            if (h[i].status && strcmp(h[i].status, "active") != 0) html_printf(b, " <span class=\"badge status-%h\">%h</span>", h[i].status, h[i].status);
            html_printf(b, "</td><td><time datetime=\"%h\">%h</time></td><td>", iso_time(r->arena, h[i].since), date_of(r, h[i].since));
            ack_badge(b, h[i].acknowledged);
            if (h[i].acknowledged) html_printf(b, " <span class=\"muted\">on %h</span>", date_of(r, h[i].ack_at));
            else if (h[i].ack_version) html_printf(b, " <span class=\"muted\">confirmed version %D; the charter has changed since</span>", h[i].ack_version);
            buf_puts(b, "</td>");
            if (admin) {
                buf_puts(b, "<td>");
                form_begin_confirm(r, arena_printf(r->arena, "/roles/%lld/holders/%lld/remove", (long long)ro->id, (long long)h[i].id),
                                   arena_printf(r->arena, T(r, "Remove %s from this role?"), h[i].name));
                html_printf(b, "<button type=\"submit\" class=\"secondary\">Remove <span class=\"muted\">%h</span></button></form></td>", h[i].name);
            }
            buf_puts(b, "</tr>");
        }
        buf_puts(b, "</tbody></table>");
    }
    if (admin) {
        int np = 0;
        Option *people = options_from(r, db_q(r->db, SQL_ASSIGN_OPTIONS, "tiii", arena_printf(r->arena, " %s", T(r, "(away)")), r->who.org_id, ro->id,
                                                      r->who.org_id), &np);
        buf_puts(b, "<h3>Assign a person</h3>");
        if (error && error->n && !error->items[0].field) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", error->items[0].msg);
        if (np == 0 && !(error && error->n)) buf_puts(b, "<p class=\"muted\">Everyone who could hold this role already does.</p>");
        else {
            form_begin(r, arena_printf(r->arena, "/roles/%lld/holders", (long long)ro->id), NULL);
            form_select_id(r, "person_id", "Person", 0, people, np, "Choose a person", error ? err_for(error, "person_id") : NULL);
            form_end(r, "Assign");
        }
    }
    buf_puts(b, "</section>");
}

/* role_view: the charter page. flash is shown on top; delete_error, when
 * set, says why a delete failed; holder_error why an assignment failed. */
static void role_view(Req *r, const Role *ro, const char *flash, const char *delete_error, const Errors *holder_error) {
    bool admin = r->who.access >= ACCESS_ADMIN;
    Holder *h;
    int nh = holders_load(r, ro, &h);
    const Holder *me = NULL;
    for (int i = 0; i < nh; i++)
        if (h[i].id == r->who.person_id) me = &h[i];

    page_begin(r, ro->name);
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1>", ro->name);
    if (admin) html_printf(b, "<a class=\"button secondary\" href=\"/roles/%D/edit\">Edit</a>", ro->id);
    buf_puts(b, "</div>");
    page_flash(r, flash);
    if (delete_error) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", delete_error);

    if (me && !me->acknowledged) {
        buf_puts(b, "<section class=\"card\" id=\"acknowledge\"><h2>This is your role</h2>");
        if (me->ack_version)
            html_printf(b, "<p>The charter has changed since you confirmed version %D. Read it again; when it describes what you own, say so.</p>",
                        me->ack_version);
        else buf_puts(b, "<p>Read the charter below. When it describes what you own, say so: the people you work with can then rely on it.</p>");
        form_begin(r, arena_printf(r->arena, "/roles/%lld/acknowledge", (long long)ro->id), NULL);
        form_end(r, "I own this charter");
        buf_puts(b, "</section>");
    }

    buf_puts(b, "<section class=\"card\"><dl class=\"facts\"><dt>Team</dt>");
    if (ro->team_id) html_printf(b, "<dd><a href=\"/teams/%D\">%h</a></dd>", ro->team_id, ro->team_name);
    else buf_puts(b, "<dd class=\"muted\">none</dd>");
    buf_puts(b, "<dt>Serves</dt>");
    if (ro->goal_id) html_printf(b, "<dd><a href=\"/goals/%D\">%h</a></dd>", ro->goal_id, ro->goal_title);
    else buf_puts(b, "<dd class=\"muted\">no goal yet</dd>");
    html_printf(b, "<dt>Charter version</dt><dd>%D</dd>", ro->version);
    if (me && me->acknowledged) html_printf(b, "<dt>You</dt><dd>confirmed you own this charter on %h</dd>", date_of(r, me->ack_at));
    buf_puts(b, "</dl></section>");

    render_line_of_sight(r, ro);
    buf_puts(b, "<div class=\"grid\"><section class=\"card\" id=\"accountabilities\"><h2>Accountabilities</h2>");
    render_list(r, ro->accountabilities_json, "No accountabilities written yet.");
    buf_puts(b, "</section><section class=\"card\" id=\"resources\"><h2>Resources</h2>");
    render_list(r, ro->resources_json, "No resources listed yet.");
    buf_puts(b, "</section></div>");
    render_holders(r, ro, h, nh, holder_error);
    render_rights(r, ro);

    if (admin) {
        buf_puts(b, "<section class=\"card\"><h2>Delete this role</h2>"
                    "<p class=\"muted\">Only a role that nobody holds and that carries no decision rights can be deleted.</p>");
        form_begin_confirm(r, arena_printf(r->arena, "/roles/%lld/delete", (long long)ro->id), "Delete this role?");
        buf_puts(b, "<div class=\"actions\"><button type=\"submit\" class=\"danger\">Delete role</button></div></form></section>");
    }
    buf_puts(b, "<p><a href=\"/roles\">All role charters</a></p>");
    page_end(r);
}

/* GET /roles/{id} ?saved= ?assigned= ?removed= ?acknowledged=: the charter
 * page: line of sight, accountabilities, resources, holders, and the rights
 * that come with the role (member). */
int roles_page_view(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    const char *flash = req_query(r, "saved")          ? "Saved."
                        : req_query(r, "assigned")     ? "Assigned."
                        : req_query(r, "removed")      ? "Removed from the role."
                        : req_query(r, "acknowledged") ? "Thank you: you own this charter."
                                                       : NULL;
    role_view(r, &ro, flash, NULL, NULL);
    return 0;
}

/* The role form's values as typed; the lists are one item per line. */
typedef struct RoleForm {
    const char *name, *purpose, *accountabilities, *resources;
    int64_t team_id, goal_id;
} RoleForm;

/* role_form: the new (cur NULL) or edit form with the values in f and the
 * problems in e (may be NULL), each next to its field. */
static void role_form(Req *r, const Role *cur, const RoleForm *f, const Errors *e) {
    int nt = 0, ng = 0;
    Option *teams = options_from(r, db_q(r->db, SQL_TEAM_OPTIONS, "i", r->who.org_id), &nt);
    Option *goals = options_from(r, db_q(r->db, SQL_GOAL_OPTIONS, "i", r->who.org_id), &ng);
    const char *title = cur ? arena_printf(r->arena, T(r, "Edit role: %s"), cur->name) : N_("New role");
    page_begin(r, title);
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, title));
    form_error_summary(r, e ? e->n : 0);
    if (e && e->n && !e->items[0].field) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", e->items[0].msg);
    if (cur)
        buf_puts(b, "<p class=\"muted\">Changing the name, purpose, goal, accountabilities or resources makes a new version of the charter; "
                    "its holders are asked to confirm it again.</p>");
    form_begin(r, cur ? arena_printf(r->arena, "/roles/%lld/edit", (long long)cur->id) : "/roles/new", NULL);
    form_text(r, "name", "Name", f->name, e ? err_for(e, "name") : NULL, "text", true);
    form_select_id(r, "team_id", "Team", f->team_id, teams, nt, "No team", e ? err_for(e, "team_id") : NULL);
    form_select_id(r, "goal_id", "Serves the goal", f->goal_id, goals, ng, "No goal yet", e ? err_for(e, "goal_id") : NULL);
    form_textarea(r, "purpose", "Purpose", f->purpose, e ? err_for(e, "purpose") : NULL, "Why this role exists, in a few sentences. Markdown works.");
    form_textarea(r, "accountabilities", "Accountabilities", f->accountabilities, e ? err_for(e, "accountabilities") : NULL,
                  "One per line: what this role answers for.");
    form_textarea(r, "resources", "Resources", f->resources, e ? err_for(e, "resources") : NULL,
                  "One per line: the budget, tools and data this role may use.");
    form_end(r, cur ? N_("Save") : N_("Create role"));
    if (cur) html_printf(b, "<p><a href=\"/roles/%D\">Cancel</a></p>", cur->id);
    else buf_puts(b, "<p><a href=\"/roles\">Cancel</a></p>");
    page_end(r);
}

/* role_form_post: saves the posted form as a new role (cur NULL) or onto
 * cur; 303 to the charter, or the form again with the problems. */
static int role_form_post(Req *r, const Role *cur, RoleForm f) {
    Errors e = {0};
    const char *v;
    if ((v = req_form(r, "name"))) f.name = v;
    if ((v = req_form(r, "purpose"))) f.purpose = v;
    if ((v = req_form(r, "accountabilities"))) f.accountabilities = v;
    if ((v = req_form(r, "resources"))) f.resources = v;
    form_id_field(r, "team_id", &f.team_id, &e, "Choose a team from the list.");
    form_id_field(r, "goal_id", &f.goal_id, &e, "Choose a goal from the list.");
    RoleIn in = {f.name, f.purpose, f.team_id, f.goal_id, lines_to_list(r, f.accountabilities), lines_to_list(r, f.resources)};
    int64_t id;
    if (role_save(r, cur ? cur->id : 0, in, &e, &id)) {
        if (e.status == 404) return resp_error(r, 404, "not_found", "There is no such role.");
        role_form(r, cur, &f, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/roles/%lld?saved=1", (long long)id));
    return 0;
}

/* GET /roles/new ?team_id= ?goal_id=: the new role form (admin); the
 * parameters preselect the team and the goal. */
int roles_page_new(Req *r) {
    RoleForm f = {"", "", "", "", 0, 0};
    int64_t x;
    const char *q;
    if ((q = req_query(r, "team_id")) && parse_id(q, &x)) f.team_id = x;
    if ((q = req_query(r, "goal_id")) && parse_id(q, &x)) f.goal_id = x;
    role_form(r, NULL, &f, NULL);
    return 0;
}

/* POST /roles/new (name, team_id, goal_id, purpose, accountabilities,
 * resources): creates a role (admin); 303 to its charter. */
int roles_page_new_post(Req *r) {
    RoleForm f = {"", "", "", "", 0, 0};
    return role_form_post(r, NULL, f);
}

/* GET /roles/{id}/edit: the edit form (admin). */
int roles_page_edit(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    RoleForm f = {ro.name, ro.purpose, list_to_lines(r, ro.accountabilities_json), list_to_lines(r, ro.resources_json), ro.team_id, ro.goal_id};
    role_form(r, &ro, &f, NULL);
    return 0;
}

/* POST /roles/{id}/edit (the fields of the form): saves a role (admin); 303
 * to its charter, or the form again with the problems (422, 409). */
int roles_page_edit_post(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    RoleForm f = {ro.name, ro.purpose, list_to_lines(r, ro.accountabilities_json), list_to_lines(r, ro.resources_json), ro.team_id, ro.goal_id};
    return role_form_post(r, &ro, f);
}

/* POST /roles/{id}/delete: deletes a role and goes to /roles; while people
 * hold it or rights are attached, shows the charter with the reason and
 * status 409 (admin). */
int roles_page_delete(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (role_delete(r, &ro, &e)) {
        Buf why = {0};
        for (int i = 0; i < e.n; i++) buf_printf(&why, "%s%s", i ? " " : "", e.items[i].msg);
        role_view(r, &ro, NULL, arena_strdup(r->arena, buf_cstr(&why)), NULL);
        buf_free(&why);
        r->resp.status = e.status ? e.status : 409;
        return 0;
    }
    resp_redirect(r, "/roles?deleted=1");
    return 0;
}

/* POST /roles/{id}/holders (person_id): assigns a person (admin); 303 back
 * to the charter, or the charter with the problem next to the choice. */
int roles_page_holder_add(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    int64_t person_id = 0;
    form_id_field(r, "person_id", &person_id, &e, "Choose a person from the list.");
    if (e.n || holder_add(r, &ro, person_id, &e)) {
        if (e.status == 404) return resp_error(r, 404, "not_found", "There is no such role.");
        role_view(r, &ro, NULL, NULL, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/roles/%lld?assigned=1#holders", (long long)ro.id));
    return 0;
}

/* POST /roles/{id}/holders/{person_id}/remove: the person no longer holds
 * the role (admin); 303 back to the charter, 404 when they did not. */
int roles_page_holder_remove(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (r->nparams < 2 || holder_remove(r, &ro, r->params[1], &e))
        return resp_error(r, e.n ? e.status : 404, e.n ? e.code : "not_found", "%s", e.n ? e.items[0].msg : "No such holder.");
    resp_redirect(r, arena_printf(r->arena, "/roles/%lld?removed=1#holders", (long long)ro.id));
    return 0;
}

/* POST /roles/{id}/acknowledge: the caller, a holder, confirms "I own this
 * charter" (member; 403 for anyone else); 303 back with a thank-you. */
int roles_page_acknowledge(Req *r) {
    Role ro;
    if (role_load(r, &ro)) return -1;
    Errors e = {0};
    if (role_acknowledge(r, &ro, &e)) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
    resp_redirect(r, arena_printf(r->arena, "/roles/%lld?acknowledged=1", (long long)ro.id));
    return 0;
}

/* roles_render_for_person: the "Roles" card of a person's page: the roles
 * they hold, with links and whether they confirmed each current charter.
 * For the person themself, an unconfirmed charter links to where they can
 * confirm it. */
void roles_render_for_person(Req *r, int64_t person_id) {
    Buf *b = page(r);
    bool self = person_id == r->who.person_id;
    buf_puts(b, "<section class=\"card\" id=\"roles\"><h2>Roles</h2>");
    Stmt *s = db_q(r->db, SQL_PERSON_ROLES, "ii", person_id, r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
        bool ack = db_int(s, 4) == db_int(s, 3);
        html_printf(b, "<li><a href=\"/roles/%D\">%h</a> ", db_int(s, 0), db_text(s, 1));
        if (!db_null(s, 2)) html_printf(b, "<span class=\"muted\">%h</span> ", db_text(s, 2));
        ack_badge(b, ack);
        if (self && !ack) html_printf(b, " <a href=\"/roles/%D#acknowledge\">Read and confirm</a>", db_int(s, 0));
        buf_puts(b, "</li>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    else buf_puts(b, "<p class=\"muted empty\">No roles.</p>");
    buf_puts(b, "</section>");
}
