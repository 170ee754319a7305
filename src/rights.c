/* rights.c: decision domains and decision rights, the enablement part of
 * the empowerment cycle. A domain is a kind of decision (refund, discount,
 * supplier-change) with a risk class that admins set. A right gives a role
 * (everyone who holds it) or one person a delegation level 1-7 for a domain,
 * with an optional money limit, advisor and expiry. JSON under
 * /api/v1/domains and /api/v1/rights, pages under /domains and /rights.
 *
 * Owns the grant rule: admins and owners grant anything; anyone else only
 * what they hold themselves (the same domain at a level and limit at least as
 * high, checked with can_grant_allowed over a CanWorld from can_load), never
 * to themselves or to a role they hold. A change must be within what the
 * granter holds both before and after it; a revocation before it. Every
 * grant, change and revocation writes a right_history row with the new state
 * and its reason, and an audit line, in the same transaction.
 *
 * Everyone in the organisation reads every right: they are the explicit rules
 * people work by. Every query filters on the caller's organisation, so a
 * right, role, person or domain of another organisation is treated exactly
 * like one that does not exist. This file never evaluates "Can I?" (can.c,
 * canask.c) and never changes roles or their holders (roles.c). */
#include "remit.h"
#include "handlers.h"
#include <string.h>

#define SLUG_MAX 40       /* bytes: [a-z0-9-] only */
#define LABEL_MAX 100     /* characters */
#define REASON_MAX 2000   /* characters */
#define REVOKED_REASON "revoked"

static const char *const RISKS[] = {N_("low"), N_("medium"), N_("high"), NULL};

/* What each delegation level means for the holder, for the pages. */
static const char *const LEVEL_MEANING[] = {
    "",
    N_("the manager decides and tells"),
    N_("the manager decides and explains why"),
    N_("the manager decides after asking"),
    N_("decided together with the manager"),
    N_("the holder decides after advice"),
    N_("the holder decides; the manager is told after"),
    N_("the holder decides"),
};

/* ---------- SQL ---------- */

static const char SQL_DOMAIN_PAGE[] = "SELECT id, slug, label, risk FROM domain WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?";
static const char SQL_DOMAIN_ALL[] = "SELECT id, slug, label, risk FROM domain WHERE org_id = ? ORDER BY label, id LIMIT 2000";
static const char SQL_DOMAIN_SLUG_TAKEN[] = "SELECT id FROM domain WHERE org_id = ? AND slug = ?";
static const char SQL_DOMAIN_INSERT[] = "INSERT INTO domain(org_id, slug, label, risk, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_DOMAIN_UPDATE[] = "UPDATE domain SET label = ?, risk = ? WHERE id = ? AND org_id = ?";

/* The columns right_row reads: the right with its role, person, domain,
 * advisor and granter, each joined within the same organisation. */
#define RIGHT_SELECT                                                                                                               \
    "SELECT r.id, r.role_id, ro.name, r.person_id, p.name, r.domain_id, d.slug, d.label, r.level, r.limit_cents, r.advisor_id, "   \
    "a.name, r.expires_on, r.reason, r.granted_by, g.name, r.created_at, r.updated_at, r.requires "                                            \
    "FROM decision_right r JOIN domain d ON d.id = r.domain_id AND d.org_id = r.org_id "                                           \
    "LEFT JOIN role ro ON ro.id = r.role_id AND ro.org_id = r.org_id "                                                             \
    "LEFT JOIN person p ON p.id = r.person_id AND p.org_id = r.org_id "                                                            \
    "LEFT JOIN person a ON a.id = r.advisor_id AND a.org_id = r.org_id "                                                           \
    "LEFT JOIN person g ON g.id = r.granted_by AND g.org_id = r.org_id "

static const char SQL_RIGHT_GET[] = RIGHT_SELECT "WHERE r.id = ? AND r.org_id = ?";
/* API list: by id, paged, with optional holder and domain filters (NULL = any). */
static const char SQL_RIGHT_LIST[] = RIGHT_SELECT
    "WHERE r.org_id = ? AND r.id > ? AND (? IS NULL OR r.role_id = ?) AND (? IS NULL OR r.person_id = ?) "
    "AND (? IS NULL OR d.slug = ?) ORDER BY r.id LIMIT ?";
/* The /rights page: grouped by domain, strongest first. */
static const char SQL_RIGHT_TABLE[] = RIGHT_SELECT
    "WHERE r.org_id = ? AND (? IS NULL OR d.slug = ?) ORDER BY d.label, d.id, r.level DESC, r.id LIMIT 2000";
/* limit_cents binds -1 for "no limit": NULLIF turns it into NULL. Ids are
 * never reused (AUTOINCREMENT in the schema), so a revoked right's history
 * and the decisions that cite it never pass to a new right. */
static const char SQL_RIGHT_INSERT[] =
    "INSERT INTO decision_right(org_id, role_id, person_id, domain_id, level, limit_cents, advisor_id, expires_on, reason, granted_by, "
    "created_at, updated_at, requires) VALUES (?, ?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_RIGHT_UPDATE[] =
    "UPDATE decision_right SET role_id = ?, person_id = ?, domain_id = ?, level = ?, limit_cents = NULLIF(?, -1), advisor_id = ?, "
    "expires_on = ?, reason = ?, granted_by = ?, updated_at = ?, requires = ? WHERE id = ? AND org_id = ?";
static const char SQL_RIGHT_DELETE[] = "DELETE FROM decision_right WHERE id = ? AND org_id = ?";
static const char SQL_HISTORY_INSERT[] =
    "INSERT INTO right_history(org_id, right_id, at, actor_id, action, state_json, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_HISTORY_LIST[] =
    "SELECT h.id, h.at, h.actor_id, p.name, h.action, h.state_json, h.reason FROM right_history h "
    "LEFT JOIN person p ON p.id = h.actor_id AND p.org_id = h.org_id WHERE h.org_id = ? AND h.right_id = ? ORDER BY h.id LIMIT 1000";
static const char SQL_HISTORY_N[] = "SELECT count(*) FROM right_history WHERE org_id = ? AND right_id = ?";

static const char SQL_ROLE_EXISTS[] = "SELECT id FROM role WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_EXISTS[] = "SELECT id FROM person WHERE id = ? AND org_id = ?";
static const char SQL_HOLDS_ROLE[] = "SELECT count(*) FROM role_holder WHERE role_id = ? AND person_id = ? AND org_id = ?";
/* Whether a person holds any right that is still active on a day (through a
 * role or personally): only they may grant anything. */
static const char SQL_HOLDS_ANY[] =
    "SELECT count(*) FROM decision_right x WHERE x.org_id = ? AND (x.expires_on IS NULL OR x.expires_on >= ?) "
    "AND (x.person_id = ? OR x.role_id IN (SELECT h.role_id FROM role_holder h WHERE h.person_id = ? AND h.org_id = ?))";
/* Domain choices of the grant form: all for admins (first parameter 1),
 * otherwise the ones the caller holds on that day, plus the current one. */
static const char SQL_DOMAIN_OPTIONS[] =
    "SELECT d.id, d.label || ' (' || d.slug || ')' FROM domain d WHERE d.org_id = ? AND (? = 1 OR d.id = ? OR EXISTS ("
    "SELECT 1 FROM decision_right x WHERE x.domain_id = d.id AND x.org_id = d.org_id AND (x.expires_on IS NULL OR x.expires_on >= ?) "
    "AND (x.person_id = ? OR x.role_id IN (SELECT h.role_id FROM role_holder h WHERE h.person_id = ? AND h.org_id = d.org_id)))) "
    "ORDER BY d.label, d.id LIMIT 2000";
static const char SQL_ROLE_OPTIONS[] = "SELECT id, name FROM role WHERE org_id = ? ORDER BY name, id LIMIT 2000";
/* People who have not left, plus the current choice whatever their status. */
static const char SQL_PEOPLE_OPTIONS[] =
    "SELECT id, name FROM person WHERE org_id = ? AND (status <> 'left' OR id = ?) ORDER BY name, id LIMIT 5000";
static const char SQL_DOMAIN_SLUGS[] = "SELECT slug, label FROM domain WHERE org_id = ? ORDER BY label, id LIMIT 2000";
static const char SQL_SKILL_EXISTS[] = "SELECT id FROM skill WHERE id = ? AND org_id = ?";
static const char SQL_TRAINING_EXISTS[] = "SELECT id FROM training WHERE id = ? AND org_id = ?";
static const char SQL_SKILL_OPTIONS[] = "SELECT id, name FROM skill WHERE org_id = ? ORDER BY name, id LIMIT 2000";
static const char SQL_TRAINING_OPTIONS[] = "SELECT id, title FROM training WHERE org_id = ? ORDER BY title, id LIMIT 2000";
#define REQUIRES_MAX 4

/* ---------- small rules ---------- */

static bool risk_valid(const char *s) {
    for (int i = 0; s && RISKS[i]; i++)
        if (strcmp(s, RISKS[i]) == 0) return true;
    return false;
}

/* slug_valid: 1-40 of [a-z0-9-], starting with a letter. */
static bool slug_valid(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > SLUG_MAX || s[0] < 'a' || s[0] > 'z') return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) return false;
    return true;
}

static bool row_exists(Req *r, const char *sql, int64_t id) {
    int64_t x;
    return id && db_one_int(r->db, &x, sql, "ii", id, r->who.org_id) == 1;
}

/* ---------- domains ---------- */

static void domain_row(Req *r, Stmt *s, Domain *d) {
    d->id = db_int(s, 0);
    d->slug = db_dup(s, 1, r->arena);
    d->label = db_dup(s, 2, r->arena);
    d->risk = db_dup(s, 3, r->arena);
}

static json_t *domain_json(const Domain *d) {
    return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)d->id, "slug", d->slug, "label", d->label, "risk", d->risk);
}

/* domain_load: the domain named by the route's {id}; -1 after sending 404. */
static int domain_load(Req *r, Domain *d) {
    if (r->nparams < 1 || !domain_by_id(r->db, r->arena, r->who.org_id, r->params[0], d))
        return resp_error(r, 404, "not_found", "There is no such decision domain.");
    return 0;
}

/* domain_save: validates and stores a new domain (cur NULL: slug, label,
 * risk) or a new label and risk for cur (the slug never changes: rights,
 * decisions and links use it). risk NULL keeps cur's, or "medium" for a new
 * one. In one transaction with its audit line. 0 ok (*id_out set); -1 with
 * the problems in e and nothing changed. */
static int domain_save(Req *r, const Domain *cur, const char *slug, const char *label, const char *risk, Errors *e, int64_t *id_out) {
    if (!cur) {
        slug = slug ? slug : "";
        if (!*slug) err_add(e, 422, "invalid", "slug", "The domain needs a short name (slug) such as refund or supplier-change.");
        else if (!slug_valid(slug))
            err_add(e, 422, "invalid", "slug", "Use 1 to 40 lowercase letters, digits and dashes, starting with a letter (such as supplier-change).");
    }
    char *l = str_trim(r->arena, label ? label : "");
    if (str_empty(l)) err_add(e, 422, "invalid", "label", "The domain needs a label people understand, such as Refunds.");
    else if (utf8_chars(l) > LABEL_MAX) err_add(e, 422, "invalid", "label", "Keep the label to 100 characters or fewer.");
    else if (has_control(l)) err_add(e, 422, "invalid", "label", "The label cannot contain line breaks or control characters.");
    if (!risk) risk = cur ? cur->risk : "medium";
    if (!risk_valid(risk)) err_add(e, 422, "invalid", "risk", "The risk must be low, medium or high.");
    if (e->n) return -1;

    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t other = 0;
    if (!cur && db_one_int(r->db, &other, SQL_DOMAIN_SLUG_TAKEN, "it", r->who.org_id, slug)) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", "slug", "Another domain already uses this slug.");
        return -1;
    }
    int rc;
    int64_t id;
    if (!cur) {
        rc = db_exec(r->db, SQL_DOMAIN_INSERT, "ittti", r->who.org_id, slug, l, risk, r->now);
        id = db_last_id(r->db);
    } else {
        rc = db_exec(r->db, SQL_DOMAIN_UPDATE, "ttii", l, risk, cur->id, r->who.org_id);
        id = cur->id;
    }
    if (rc == DB_OK) {
        const char *object = arena_printf(r->arena, "domain:%lld", (long long)id);
        if (!cur) audit(r, "domain.create", object, "slug %s label \"%s\" risk %s", slug, l, risk);
        else audit(r, "domain.update", object, "label \"%s\" (was \"%s\") risk %s (was %s)", l, cur->label, risk, cur->risk);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "slug", "Another domain already uses this slug.");
        else err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* ---------- rights: loading and JSON ---------- */

typedef struct Right {
    int64_t id, role_id, person_id, domain_id, advisor_id, granted_by; /* 0 = none */
    int level;
    int64_t limit_cents; /* -1: no limit */
    char *role_name, *person_name, *domain_slug, *domain_label, *advisor_name, *granted_by_name;
    char *expires_on;    /* NULL: never */
    char *reason;        /* why it was last granted or changed */
    int64_t created_at, updated_at;
    char *requires;      /* prerequisites as compact JSON; NULL: none */
} Right;

/* What a form or a JSON body asks a right to become. */
typedef struct RightIn {
    int64_t role_id, person_id, advisor_id; /* 0 = none */
    int64_t domain_id;                      /* forms choose by id ... */
    const char *domain;                     /* ... the API by slug (used when domain_id is 0) */
    int64_t level;                          /* 0 = not given */
    int64_t limit_cents;                    /* -1: no limit */
    const char *expires_on, *reason;
    const char *requires;                   /* canonical JSON or NULL (none) */
} RightIn;

/* right_row: the current row of a RIGHT_SELECT statement into x; strings
 * are copied to the request's arena. */
static void right_row(Req *r, Stmt *s, Right *x) {
    x->id = db_int(s, 0);
    x->role_id = db_int(s, 1);
    x->role_name = db_dup(s, 2, r->arena);
    x->person_id = db_int(s, 3);
    x->person_name = db_dup(s, 4, r->arena);
    x->domain_id = db_int(s, 5);
    x->domain_slug = db_dup(s, 6, r->arena);
    x->domain_label = db_dup(s, 7, r->arena);
    x->level = (int)db_int(s, 8);
    x->limit_cents = db_null(s, 9) ? -1 : db_int(s, 9);
    x->advisor_name = db_dup(s, 11, r->arena);
    x->advisor_id = x->advisor_name ? db_int(s, 10) : 0; /* someone outside the org is nobody */
    x->expires_on = db_dup(s, 12, r->arena);
    x->reason = arena_strdup(r->arena, db_text(s, 13));
    x->granted_by_name = db_dup(s, 15, r->arena);
    x->granted_by = x->granted_by_name ? db_int(s, 14) : 0;
    x->created_at = db_int(s, 16);
    x->updated_at = db_int(s, 17);
    x->requires = db_dup(s, 18, r->arena);
}

/* right_find: right id of the caller's organisation into x. 1 found, 0 not. */
static int right_find(Req *r, int64_t id, Right *x) {
    Stmt *s = db_q(r->db, SQL_RIGHT_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) right_row(r, s, x);
    db_reset(s);
    return found;
}

/* right_load: the right named by the route's {id}; -1 after sending 404. */
static int right_load(Req *r, Right *x) {
    if (r->nparams < 1 || !right_find(r, r->params[0], x)) return resp_error(r, 404, "not_found", "There is no such decision right.");
    return 0;
}

static bool right_expired(const Right *x, const char *today) { return x->expires_on && strcmp(x->expires_on, today) < 0; }

static json_t *ref_json(int64_t id, const char *name) {
    return id ? json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", name ? name : "") : json_null();
}

static json_t *id_or_null(int64_t id) { return id ? json_integer(id) : json_null(); }

/* right_json: the contract's shape of a right (also what the history keeps). */
static json_t *right_json(Req *r, const Right *x, const char *today) {
    char m[24];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(x->id));
    json_object_set_new(o, "role_id", id_or_null(x->role_id));
    json_object_set_new(o, "role", ref_json(x->role_id, x->role_name));
    json_object_set_new(o, "person_id", id_or_null(x->person_id));
    json_object_set_new(o, "person", ref_json(x->person_id, x->person_name));
    json_object_set_new(o, "domain", json_string(x->domain_slug));
    json_object_set_new(o, "domain_label", json_string(x->domain_label));
    json_object_set_new(o, "level", json_integer(x->level));
    json_object_set_new(o, "level_name", json_string(level_name(x->level)));
    json_object_set_new(o, "limit", x->limit_cents >= 0 ? json_string(money_format(x->limit_cents, m)) : json_null());
    json_object_set_new(o, "advisor_id", id_or_null(x->advisor_id));
    json_object_set_new(o, "advisor", ref_json(x->advisor_id, x->advisor_name));
    json_object_set_new(o, "expires_on", x->expires_on ? json_string(x->expires_on) : json_null());
    json_object_set_new(o, "expired", json_boolean(right_expired(x, today)));
    json_object_set_new(o, "reason", json_string(x->reason));
    json_object_set_new(o, "granted_by", ref_json(x->granted_by, x->granted_by_name));
    json_object_set_new(o, "created_at", json_string(iso_time(r->arena, x->created_at)));
    json_object_set_new(o, "updated_at", json_string(iso_time(r->arena, x->updated_at)));
    json_t *req = x->requires ? json_loads(x->requires, 0, NULL) : NULL;
    json_object_set_new(o, "requires", json_is_array(req) ? req : (json_decref(req), json_array()));
    return o;
}

/* right_state: right_json as compact text for right_history (arena-owned). */
static char *right_state(Req *r, const Right *x, const char *today) {
    json_t *o = right_json(r, x, today);
    char *s = json_list_encode(r->arena, o);
    json_decref(o);
    return s;
}

/* requires_check: a "requires" value (a JSON array, or null for none) into
 * canonical compact JSON [{"skill_id":N,"level":L}|{"training_id":N}], each
 * skill or training of the caller's organisation; NULL for none. Problems go
 * into e under "requires". */
static const char *requires_check(Req *r, json_t *v, Errors *e) {
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_array(v) || json_array_size(v) > REQUIRES_MAX) {
        err_add(e, 422, "invalid", "requires", "requires is a list of at most 4 prerequisites, each {\"skill_id\",\"level\"} or {\"training_id\"}.");
        return NULL;
    }
    if (json_array_size(v) == 0) return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(v, i, q) {
        json_t *sk = json_object_get(q, "skill_id"), *tr = json_object_get(q, "training_id"), *lv = json_object_get(q, "level");
        if (!json_is_object(q) || (sk != NULL) == (tr != NULL) || json_object_size(q) != (sk ? 2u : 1u)) {
            err_add(e, 422, "invalid", "requires", "Each prerequisite is {\"skill_id\",\"level\"} or {\"training_id\"}.");
            break;
        }
        if (sk) {
            if (!json_is_integer(sk) || !row_exists(r, SQL_SKILL_EXISTS, json_integer_value(sk))) {
                err_add(e, 422, "invalid", "requires", "There is no such skill.");
                break;
            }
            if (!json_is_integer(lv) || json_integer_value(lv) < 1 || json_integer_value(lv) > 4) {
                err_add(e, 422, "invalid", "requires", "A skill prerequisite needs a level from 1 (aware) to 4 (can teach).");
                break;
            }
            json_array_append_new(out, json_pack("{s:I,s:I}", "skill_id", json_integer_value(sk), "level", json_integer_value(lv)));
        } else {
            if (!json_is_integer(tr) || !row_exists(r, SQL_TRAINING_EXISTS, json_integer_value(tr))) {
                err_add(e, 422, "invalid", "requires", "There is no such training.");
                break;
            }
            json_array_append_new(out, json_pack("{s:I}", "training_id", json_integer_value(tr)));
        }
    }
    char *text = json_array_size(out) ? json_list_encode(r->arena, out) : NULL;
    json_decref(out);
    return text;
}

/* ---------- the grant rule ---------- */

/* holds_any_right: whether the caller holds at least one active right
 * (through a role or personally), i.e. could grant anything at all. */
static bool holds_any_right(Req *r, const char *today) {
    int64_t n = 0;
    if (r->who.access >= ACCESS_ADMIN) return true;
    db_one_int(r->db, &n, SQL_HOLDS_ANY, "itiii", r->who.org_id, today, r->who.person_id, r->who.person_id, r->who.org_id);
    return n > 0;
}

/* grant_problem: why the caller may not give this holder this level and
 * limit (-1: none) in domain d, or NULL when they may. Admins and owners may
 * do anything. Anyone else needs an active right for d at least as high
 * (can_grant_allowed), and the holder must not be the caller or a role the
 * caller holds: nobody grants, changes or revokes their own rights (through
 * a role that would also touch everyone else who holds it). The message is
 * arena-owned, for the person who tried. */
static const char *grant_problem(Req *r, const Domain *d, int64_t role_id, int64_t person_id, int level, int64_t limit, const char *expires_on) {
    if (r->who.access >= ACCESS_ADMIN) return NULL;
    int64_t me = r->who.person_id, n = 0;
    if (person_id && person_id == me)
        return T(r, "Nobody grants or changes their own rights; ask an admin or whoever granted yours.");
    if (role_id && db_one_int(r->db, &n, SQL_HOLDS_ROLE, "iii", role_id, me, r->who.org_id) && n > 0)
        return T(r, "You hold this role yourself, and nobody grants or changes their own rights; ask an admin.");
    CanWorld w;
    can_load(r->db, r->arena, r->who.org_id, d->id, d->label, r->now, &w);
    const CanPerson *p = can_find(&w, me);
    if (can_grant_allowed(r->who.access, p, w.today, level, limit, expires_on)) return NULL;
    const CanRight *best = p ? can_best_right(p, w.today, -1, NULL) : NULL;
    if (!best)
        return arena_printf(r->arena, T(r, "You can grant only what you hold yourself, and you hold no active right for %s."), d->label);
    char m[24];
    const char *lim = best->limit_cents < 0 ? T(r, "with no limit") : arena_printf(r->arena, T(r, "up to %s"), money_format(best->limit_cents, m));
    if (best->expires_on)
        return arena_printf(r->arena, T(r, "You can grant only what you hold yourself: for %s you hold level %d (%s) %s until %s."), d->label,
                            best->level, T(r, level_name(best->level)), lim, best->expires_on);
    return arena_printf(r->arena, T(r, "You can grant only what you hold yourself: for %s you hold level %d (%s) %s."), d->label, best->level,
                        T(r, level_name(best->level)), lim);
}

/* right_domain: the domain of a right as the rights engine sees it. */
static Domain right_domain(const Right *x) {
    Domain d = {x->domain_id, x->domain_slug, x->domain_label, NULL};
    return d;
}

/* may_change: NULL when the caller may change or revoke the right as it
 * stands; else why not. */
static const char *may_change(Req *r, const Right *x) {
    Domain d = right_domain(x);
    return grant_problem(r, &d, x->role_id, x->person_id, x->level, x->limit_cents, x->expires_on);
}

/* ---------- saving ---------- */

/* history_add: one right_history row (inside the caller's transaction). */
static int history_add(Req *r, int64_t right_id, const char *action, const char *state, const char *reason) {
    return db_exec(r->db, SQL_HISTORY_INSERT, "iiiittt", r->who.org_id, right_id, r->now, r->who.person_id, action, state, reason);
}

/* rights_record: the right's history row for a change made elsewhere (earned
 * autonomy), with its state now, inside the caller's transaction. */
int rights_record(Req *r, int64_t right_id, const char *action, const char *reason) {
    Right x;
    if (!right_find(r, right_id, &x)) return DB_ERROR;
    return history_add(r, right_id, action, right_state(r, &x, today_date(r->arena, r->now)), reason);
}

/* describe: "person 5 refund level 6 limit 500.00" for the audit log. */
static char *describe(Req *r, const Right *x) {
    char m[24];
    return arena_printf(r->arena, "%s %lld %s level %d limit %s", x->role_id ? "role" : "person", (long long)(x->role_id ? x->role_id : x->person_id),
                        x->domain_slug, x->level, x->limit_cents < 0 ? "none" : money_format(x->limit_cents, m));
}

/* right_save: validates `in` and grants a new right (cur NULL) or changes
 * cur, with its history row and audit line, in one transaction. Problems
 * found earlier (a form field that is not a number) may already be in e;
 * every field problem is collected before giving up, so a form shows them
 * all. Authority is checked inside the transaction: for a change, the old
 * state first (403 alone, nothing else said), then the new one once the
 * fields are valid. 0 ok with *id_out set; -1 with the problems in e and
 * nothing changed. */
static int right_save(Req *r, const Right *cur, RightIn in, Errors *e, int64_t *id_out) {
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    const char *why;
    if (cur && (why = may_change(r, cur))) {
        db_rollback(r->db);
        e->n = 0;
        err_add(e, 403, "forbidden", NULL, why);
        return -1;
    }
    if ((in.role_id != 0) == (in.person_id != 0))
        err_add(e, 422, "invalid", "holder", "A right belongs to a role or to one person: choose exactly one of them.");
    if (in.role_id && !row_exists(r, SQL_ROLE_EXISTS, in.role_id)) err_add(e, 422, "invalid", "role_id", "There is no such role.");
    if (in.person_id && !row_exists(r, SQL_PERSON_EXISTS, in.person_id)) err_add(e, 422, "invalid", "person_id", "There is no such person.");
    Domain d = {0};
    bool have_domain = false;
    if (in.domain_id) have_domain = domain_by_id(r->db, r->arena, r->who.org_id, in.domain_id, &d);
    else if (!str_empty(in.domain)) have_domain = domain_by_slug(r, in.domain, &d);
    if (!have_domain)
        err_add(e, 422, "invalid", "domain",
                in.domain_id || !str_empty(in.domain) ? N_("There is no such decision domain.") : N_("Choose the decision domain the right is for."));
    if (in.level < 1 || in.level > 7)
        err_add(e, 422, "invalid", "level", "Choose a level from 1 (tell) to 7 (delegate).");
    if (in.advisor_id && !row_exists(r, SQL_PERSON_EXISTS, in.advisor_id)) err_add(e, 422, "invalid", "advisor_id", "There is no such person.");
    if (in.expires_on && !*in.expires_on) in.expires_on = NULL;
    if (in.expires_on && !valid_date(in.expires_on)) err_add(e, 422, "invalid", "expires_on", "Use a real date written as YYYY-MM-DD.");
    if (in.requires && !in.requires[0]) in.requires = NULL;
    char *reason = str_trim(r->arena, in.reason ? in.reason : "");
    if (str_empty(reason)) err_add(e, 422, "invalid", "reason", "Say why: every change is kept in the right's history with its reason.");
    else if (utf8_chars(reason) > REASON_MAX) err_add(e, 422, "invalid", "reason", "Keep the reason to 2000 characters or fewer.");
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    if ((why = grant_problem(r, &d, in.role_id, in.person_id, (int)in.level, in.limit_cents, in.expires_on))) {
        db_rollback(r->db);
        err_add(e, 403, "forbidden", NULL, why);
        return -1;
    }

    int rc;
    int64_t id;
    if (!cur) {
        rc = db_exec(r->db, SQL_RIGHT_INSERT, "iIIiiiIttiiit", r->who.org_id, in.role_id, in.person_id, d.id, in.level, in.limit_cents, in.advisor_id,
                     in.expires_on, reason, r->who.person_id, r->now, r->now, in.requires);
        id = db_last_id(r->db);
    } else {
        id = cur->id;
        rc = db_exec(r->db, SQL_RIGHT_UPDATE, "IIiiiIttiitii", in.role_id, in.person_id, d.id, in.level, in.limit_cents, in.advisor_id, in.expires_on,
                     reason, r->who.person_id, r->now, in.requires, id, r->who.org_id);
    }
    Right now;
    const char *today = today_date(r->arena, r->now);
    if (rc == DB_OK && !right_find(r, id, &now)) rc = DB_ERROR;
    if (rc == DB_OK) rc = history_add(r, id, cur ? "update" : "create", right_state(r, &now, today), reason);
    if (rc == DB_OK) {
        const char *object = arena_printf(r->arena, "right:%lld", (long long)id);
        if (!cur) audit(r, "right.grant", object, "%s: %s", describe(r, &now), reason);
        else audit(r, "right.change", object, "%s (was %s): %s", describe(r, &now), describe(r, cur), reason);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_add(e, rc == DB_BUSY || rc == DB_OK ? 503 : 500, rc == DB_BUSY || rc == DB_OK ? "busy" : "internal", NULL,
                "The right could not be saved; try again.");
        return -1;
    }
    *id_out = id;
    return 0;
}

/* right_delete: revokes cur when the caller may change it (may_change), with its history row (the last state) and
 * audit line. reason NULL or blank means "revoked". 0 ok; -1 with the
 * problem in e and nothing changed. */
static int right_delete(Req *r, const Right *cur, const char *reason, Errors *e) {
    char *why_text = str_trim(r->arena, reason ? reason : "");
    if (str_empty(why_text)) why_text = REVOKED_REASON;
    if (utf8_chars(why_text) > REASON_MAX) {
        err_add(e, 422, "invalid", "reason", "Keep the reason to 2000 characters or fewer.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    const char *why = may_change(r, cur);
    if (why) {
        db_rollback(r->db);
        err_add(e, 403, "forbidden", NULL, why);
        return -1;
    }
    const char *today = today_date(r->arena, r->now);
    int rc = db_exec(r->db, SQL_RIGHT_DELETE, "ii", cur->id, r->who.org_id);
    if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_ERROR;
    if (rc == DB_OK) rc = history_add(r, cur->id, "delete", right_state(r, cur, today), why_text);
    if (rc == DB_OK) audit(r, "right.revoke", arena_printf(r->arena, "right:%lld", (long long)cur->id), "%s: %s", describe(r, cur), why_text);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_add(e, rc == DB_BUSY || rc == DB_OK ? 503 : 500, rc == DB_BUSY || rc == DB_OK ? "busy" : "internal", NULL,
                "The right could not be revoked; try again.");
        return -1;
    }
    return 0;
}

/* ---------- JSON: domains ---------- */

/* GET /api/v1/domains ?limit= ?after=: the organisation's decision domains
 * by id, paged (member). */
int rights_api_domains(Req *r) {
    int limit;
    int64_t after, last = 0;
    if (parse_limit_after(r, &limit, &after)) return -1;
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_DOMAIN_PAGE, "iii", r->who.org_id, after, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Domain d;
        domain_row(r, s, &d);
        json_array_append_new(items, domain_json(&d));
        last = d.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

static const JField DOMAIN_CREATE_FIELDS[] = {{"slug", JF_STRING, 200}, {"label", JF_STRING, 1000}, {"risk", JF_STRING, 100}, {0}};
/* The slug is immutable, so a PATCH that sends one is refused as unknown. */
static const JField DOMAIN_PATCH_FIELDS[] = {{"label", JF_STRING, 1000}, {"risk", JF_STRING, 100}, {0}};

/* POST /api/v1/domains {"slug","label","risk"}: a new decision domain
 * (admin); risk defaults to medium. 201; 409 when the slug is taken. */
int rights_api_domain_create(Req *r) {
    json_t *in = req_json_object(r, DOMAIN_CREATE_FIELDS);
    if (!in) return -1;
    Errors e = {0};
    int64_t id;
    if (domain_save(r, NULL, json_str(in, "slug"), json_str(in, "label"), json_str(in, "risk"), &e, &id)) return err_send(r, &e);
    Domain d;
    if (!domain_by_id(r->db, r->arena, r->who.org_id, id, &d)) return resp_error(r, 500, "internal", "The new domain could not be read back.");
    resp_json(r, 201, domain_json(&d));
    return 0;
}

/* PATCH /api/v1/domains/{id} {"label","risk"}: either or both (admin). The
 * slug cannot change (400 as an unknown field). */
int rights_api_domain_patch(Req *r) {
    json_t *in = req_json_object(r, DOMAIN_PATCH_FIELDS);
    if (!in) return -1;
    Domain d;
    if (domain_load(r, &d)) return -1;
    Errors e = {0};
    int64_t id;
    if (domain_save(r, &d, NULL, json_has(in, "label") ? json_str(in, "label") : d.label, json_str(in, "risk"), &e, &id)) return err_send(r, &e);
    if (!domain_by_id(r->db, r->arena, r->who.org_id, id, &d)) return resp_error(r, 500, "internal", "The domain could not be read back.");
    resp_json(r, 200, domain_json(&d));
    return 0;
}

/* ---------- JSON: rights ---------- */

/* query_id: an optional id in the query string; -1 after sending 400. */
static int query_id(Req *r, const char *name, int64_t *out) {
    const char *v = req_query(r, name);
    *out = 0;
    if (!v || !*v) return 0;
    if (!parse_id(v, out)) return resp_error(r, 400, "invalid_parameter", "%s must be an id.", name);
    return 0;
}

/* GET /api/v1/rights ?role_id= ?person_id= ?domain=SLUG ?limit= ?after=:
 * the organisation's rights by id, paged (member). person_id lists personal
 * grants; rights a person has through roles are listed by role_id. */
int rights_api_list(Req *r) {
    int limit;
    int64_t after, role_id, person_id, last = 0;
    if (parse_limit_after(r, &limit, &after) || query_id(r, "role_id", &role_id) || query_id(r, "person_id", &person_id)) return -1;
    const char *slug = req_query(r, "domain");
    if (slug && !*slug) slug = NULL;
    const char *today = today_date(r->arena, r->now);
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_RIGHT_LIST, "iiIIIIttI", r->who.org_id, after, role_id, role_id, person_id, person_id, slug, slug, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Right x;
        right_row(r, s, &x);
        json_array_append_new(items, right_json(r, &x, today));
        last = x.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

/* GET /api/v1/rights/{id}: one right (member). */
int rights_api_get(Req *r) {
    Right x;
    if (right_load(r, &x)) return -1;
    resp_json(r, 200, right_json(r, &x, today_date(r->arena, r->now)));
    return 0;
}

static const JField RIGHT_FIELDS[] = {{"role_id", JF_ID_NULL, 0},    {"person_id", JF_ID_NULL, 0},     {"domain", JF_STRING, 200},
                                      {"level", JF_INT, 0},          {"limit", JF_STRING_NULL, 100},   {"advisor_id", JF_ID_NULL, 0},
                                      {"expires_on", JF_DATE_NULL, 0}, {"reason", JF_STRING, 10000},   {"requires", JF_ANY, 0}, {0}};

/* json_level: the "level" member (already checked to be an integer) clamped
 * into an int that right_save will judge: 0 when absent, out-of-range values
 * stay out of range. */
static int64_t json_level(json_t *in, int64_t dflt) {
    json_t *v = json_object_get(in, "level");
    if (!v) return dflt;
    json_int_t l = json_integer_value(v);
    return l < 1 ? -1 : l > 7 ? 8 : (int64_t)l;
}

/* json_limit: the "limit" member into *cents (null: -1); absent keeps
 * *cents. -1 after sending 400 invalid_amount. */
static int json_limit(Req *r, json_t *in, int64_t *cents) {
    json_t *v = json_object_get(in, "limit");
    if (!v) return 0;
    if (json_is_null(v)) {
        *cents = -1;
        return 0;
    }
    if (!money_parse(json_string_value(v), cents))
        return resp_error(r, 400, "invalid_amount", "limit is a non-negative amount with at most two decimals, such as \"200\" or \"200.50\".");
    return 0;
}

/* POST /api/v1/rights {"role_id"|"person_id","domain","level","limit",
 * "advisor_id","expires_on","reason"}: grants a right (member, within what
 * the caller holds; see grant_problem). 201 with the right. */
int rights_api_create(Req *r) {
    json_t *in = req_json_object(r, RIGHT_FIELDS);
    if (!in) return -1;
    RightIn x = {json_id(in, "role_id"), json_id(in, "person_id"), json_id(in, "advisor_id"), 0, json_str(in, "domain"), json_level(in, 0), -1,
                 json_str(in, "expires_on"), json_str(in, "reason"), NULL};
    if (json_limit(r, in, &x.limit_cents)) return -1;
    Errors e = {0};
    x.requires = requires_check(r, json_object_get(in, "requires"), &e);
    if (e.n) return err_send(r, &e);
    int64_t id;
    if (right_save(r, NULL, x, &e, &id)) return err_send(r, &e);
    Right out;
    if (!right_find(r, id, &out)) return resp_error(r, 500, "internal", "The new right could not be read back.");
    resp_header(r, "Location", arena_printf(r->arena, "/api/v1/rights/%lld", (long long)id));
    resp_json(r, 201, right_json(r, &out, today_date(r->arena, r->now)));
    return 0;
}

/* PATCH /api/v1/rights/{id}: any subset of the fields plus the required
 * "reason" (member, within what the caller holds before and after); null
 * clears an optional field. */
int rights_api_patch(Req *r) {
    json_t *in = req_json_object(r, RIGHT_FIELDS);
    if (!in) return -1;
    Right cur;
    if (right_load(r, &cur)) return -1;
    RightIn x = {cur.role_id, cur.person_id, cur.advisor_id, 0, cur.domain_slug, cur.level, cur.limit_cents, cur.expires_on, json_str(in, "reason"),
                 cur.requires};
    if (json_has(in, "role_id")) x.role_id = json_id(in, "role_id");
    if (json_has(in, "person_id")) x.person_id = json_id(in, "person_id");
    if (json_has(in, "advisor_id")) x.advisor_id = json_id(in, "advisor_id");
    if (json_has(in, "domain")) x.domain = json_str(in, "domain");
    if (json_has(in, "expires_on")) x.expires_on = json_str(in, "expires_on");
    x.level = json_level(in, x.level);
    if (json_limit(r, in, &x.limit_cents)) return -1;
    Errors e = {0};
    if (json_has(in, "requires")) x.requires = requires_check(r, json_object_get(in, "requires"), &e);
    if (e.n) return err_send(r, &e);
    int64_t id;
    if (right_save(r, &cur, x, &e, &id)) return err_send(r, &e);
    if (!right_find(r, id, &cur)) return resp_error(r, 500, "internal", "The right could not be read back.");
    resp_json(r, 200, right_json(r, &cur, today_date(r->arena, r->now)));
    return 0;
}

static const JField REVOKE_FIELDS[] = {{"reason", JF_STRING_NULL, 10000}, {0}};

/* DELETE /api/v1/rights/{id} [{"reason"}]: revokes a right (member, when the
 * caller holds at least as much). Without a body the reason is "revoked".
 * 204. */
int rights_api_delete(Req *r) {
    const char *reason = NULL;
    if (r->body_len) {
        json_t *in = req_json_object(r, REVOKE_FIELDS);
        if (!in) return -1;
        reason = json_str(in, "reason");
    }
    Right cur;
    if (right_load(r, &cur)) return -1;
    Errors e = {0};
    if (right_delete(r, &cur, reason, &e)) return err_send(r, &e);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* history_exists: whether the right id exists in the caller's organisation
 * or once did (it has history there). */
static bool history_exists(Req *r, int64_t id) {
    int64_t n = 0;
    db_one_int(r->db, &n, SQL_HISTORY_N, "ii", r->who.org_id, id);
    return n > 0;
}

/* GET /api/v1/rights/{id}/history: every grant, change and revocation of
 * the right, oldest first, with the state after it and its reason (member).
 * A revoked right keeps its history. */
int rights_api_history(Req *r) {
    int64_t id = r->params[0];
    Right x;
    if (!right_find(r, id, &x) && !history_exists(r, id)) return resp_error(r, 404, "not_found", "There is no such decision right.");
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_HISTORY_LIST, "ii", r->who.org_id, id);
    while (db_step(s) == DB_ROW) {
        json_t *state = json_loads(db_text(s, 5), 0, NULL);
        json_t *actor = db_null(s, 3) ? json_null() : ref_json(db_int(s, 2), db_text(s, 3));
        json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:s,s:o,s:s}", "id", (json_int_t)db_int(s, 0), "at", iso_time(r->arena, db_int(s, 1)),
                                               "actor", actor, "action", db_text(s, 4), "state", state ? state : json_object(), "reason", db_text(s, 6)));
    }
    db_reset(s);
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* ---------- pages: shared bits ---------- */

static void risk_badge(Buf *b, const char *risk) {
    const char *words = strcmp(risk, "high") == 0 ? N_("high risk") : strcmp(risk, "low") == 0 ? N_("low risk") : N_("medium risk");
    html_printf(b, "<span class=\"badge risk-%h\">%h</span>", risk, lang_text(b->lang, words));
}

static void expired_badge(Buf *b) { buf_puts(b, " <span class=\"badge status-expired\">expired</span>"); }

/* short_time: "2026-11-23 10:00" in a <time> element. */
static void short_time(Req *r, Buf *b, int64_t t) {
    char *iso = iso_time(r->arena, t);
    html_printf(b, "<time datetime=\"%h\">%h</time>", iso, arena_printf(r->arena, "%.10s %.5s", iso, iso + 11));
}

static void limit_text(Buf *b, int64_t cents) {
    char m[48];
    if (cents < 0) buf_puts(b, "<span class=\"muted\">no limit</span>");
    else html_printf(b, "up to %h", lang_money(b->lang, cents, m));
}

/* holder_link: the role or person a right belongs to, linked. */
static void holder_link(Buf *b, const Right *x) {
    if (x->role_id) html_printf(b, "<a href=\"/roles/%D\">%h</a> <span class=\"muted\">(role)</span>", x->role_id, x->role_name ? x->role_name : "");
    else html_printf(b, "<a href=\"/people/%D\">%h</a>", x->person_id, x->person_name ? x->person_name : "");
}

/* form_problems: the summary of e's field problems, and each problem that
 * belongs to no field (such as a refused grant) in full. */
static void form_problems(Req *r, const Errors *e) {
    if (!e || !e->n) return;
    int fields = 0;
    for (int i = 0; i < e->n; i++)
        if (e->items[i].field) fields++;
    form_error_summary(r, fields);
    for (int i = 0; i < e->n; i++)
        if (!e->items[i].field) html_printf(page(r), "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[i].msg);
}

static const char *err_of(const Errors *e, const char *field) { return e ? err_for(e, field) : NULL; }

/* ---------- pages: domains ---------- */

/* domains_render: the /domains page. e (may be NULL) holds the problems of
 * the add form (row 0) or of the change form of domain `row`, shown next to
 * their fields with what was typed (slug, label, risk). */
static void domains_render(Req *r, const Errors *e, int64_t row, const char *slug, const char *label, const char *risk) {
    bool admin = r->who.access >= ACCESS_ADMIN;
    Buf *b = page(r);
    page_begin(r, "Decision domains");
    buf_puts(b, "<div class=\"title-row\"><h1>Decision domains</h1><a class=\"button secondary\" href=\"/rights\">Decision rights</a></div>"
                "<p class=\"lead\">The kinds of decision people can be given the right to make. Riskier domains need a longer record "
                "before remit suggests more autonomy.</p>");
    page_flash(r, req_query(r, "created") ? "Domain added." : req_query(r, "saved") ? "Saved." : NULL);
    if (e && row == 0) form_problems(r, e);
    if (e && row && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>The change was not saved: %h</p></div>", e->items[0].msg);

    buf_puts(b, "<section class=\"card\">");
    Stmt *s = db_q(r->db, SQL_DOMAIN_ALL, "i", r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        Domain d;
        domain_row(r, s, &d);
        if (n++ == 0)
        {
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Domain</th><th scope=\"col\">Slug</th><th scope=\"col\">Risk</th>");
            if (admin) buf_puts(b, "<th scope=\"col\">Change</th>");
            buf_puts(b, "</tr></thead><tbody>");
        }
        html_printf(b, "<tr id=\"domain-%D\"><td><a href=\"/rights?domain=%u\">%h</a></td><td><code>%h</code></td><td>", d.id, d.slug, d.label, d.slug);
        risk_badge(b, d.risk);
        buf_puts(b, "</td>");
        if (admin) {
            bool mine = e && row == d.id;
            const char *lv = mine ? label : d.label, *rv = mine ? risk : d.risk;
            const char *le = mine ? err_for(e, "label") : NULL, *re = mine ? err_for(e, "risk") : NULL;
            html_printf(b, "<td><form method=\"post\" action=\"/domains/%D\" class=\"filters\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">",
                        d.id, r->who.csrf ? r->who.csrf : "");
            html_printf(b, "<div class=\"field%s\"><label for=\"d-%D-label\">Label</label><input id=\"d-%D-label\" name=\"label\" type=\"text\" value=\"%h\"",
                        le ? " has-error" : "", d.id, d.id, lv ? lv : "");
            if (le) html_printf(b, " aria-invalid=\"true\" aria-describedby=\"d-%D-label-err\"", d.id);
            buf_puts(b, ">");
            if (le) html_printf(b, "<p class=\"error\" id=\"d-%D-label-err\">%h</p>", d.id, le);
            html_printf(b, "</div><div class=\"field%s\"><label for=\"d-%D-risk\">Risk</label><select id=\"d-%D-risk\" name=\"risk\"", re ? " has-error" : "",
                        d.id, d.id);
            if (re) html_printf(b, " aria-invalid=\"true\" aria-describedby=\"d-%D-risk-err\"", d.id);
            buf_puts(b, ">");
            for (int i = 0; RISKS[i]; i++)
                html_printf(b, "<option value=\"%h\"%s>%h</option>", RISKS[i], rv && strcmp(rv, RISKS[i]) == 0 ? " selected" : "", T(r, RISKS[i]));
            buf_puts(b, "</select>");
            if (re) html_printf(b, "<p class=\"error\" id=\"d-%D-risk-err\">%h</p>", d.id, re);
            html_printf(b, "</div><div class=\"actions\"><button type=\"submit\" class=\"secondary\" aria-label=\"Save %h\">Save</button></div></form></td>",
                        d.label);
        }
        buf_puts(b, "</tr>");
    }
    db_reset(s);
    buf_puts(b, n ? "</tbody></table>" : "<p class=\"muted empty\">No decision domains yet.</p>");
    buf_puts(b, "</section>");

    if (admin) {
        bool mine = e && row == 0;
        buf_puts(b, "<section class=\"card\"><h2>Add a domain</h2><p class=\"muted\">The slug is the short name used in links and the API "
                    "(such as refund or supplier-change); it cannot change later.</p>");
        form_begin(r, "/domains", NULL);
        form_text(r, "slug", "Slug", mine ? slug : "", mine ? err_for(e, "slug") : NULL, "text", true);
        form_text(r, "label", "Label", mine ? label : "", mine ? err_for(e, "label") : NULL, "text", true);
        form_select_str(r, "risk", "Risk", mine && risk ? risk : "medium", RISKS, mine ? err_for(e, "risk") : NULL);
        form_end(r, "Add domain");
        buf_puts(b, "</section>");
    }
    page_end(r);
}

/* GET /domains ?created=1 ?saved=1: every decision domain with its risk; for
 * admins the add form and a change form per domain (member). */
int rights_page_domains(Req *r) {
    domains_render(r, NULL, 0, NULL, NULL, NULL);
    return 0;
}

/* POST /domains (slug, label, risk): adds a domain (admin); 303 to /domains,
 * or the page again with the problems (422, 409). */
int rights_page_domain_create(Req *r) {
    const char *slug = req_form(r, "slug"), *label = req_form(r, "label"), *risk = req_form(r, "risk");
    char *s = str_trim(r->arena, slug ? slug : "");
    Errors e = {0};
    int64_t id;
    if (domain_save(r, NULL, s, label, risk && *risk ? risk : NULL, &e, &id)) {
        domains_render(r, &e, 0, slug, label, risk);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/domains?created=1#domain-%lld", (long long)id));
    return 0;
}

/* POST /domains/{id} (label, risk): changes a domain's label and risk
 * (admin); 303 to /domains, or the page again with the problems (422). */
int rights_page_domain_update(Req *r) {
    Domain d;
    if (domain_load(r, &d)) return -1;
    const char *label = req_form(r, "label"), *risk = req_form(r, "risk");
    Errors e = {0};
    int64_t id;
    if (domain_save(r, &d, NULL, label, risk && *risk ? risk : NULL, &e, &id)) {
        domains_render(r, &e, d.id, NULL, label, risk);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/domains?saved=1#domain-%lld", (long long)id));
    return 0;
}

/* ---------- pages: rights ---------- */

/* GET /rights ?domain=SLUG ?revoked=1: every right of the organisation as a
 * table, optionally for one domain (member). */
int rights_page_list(Req *r) {
    const char *slug = req_query(r, "domain");
    if (slug && !*slug) slug = NULL;
    const char *today = today_date(r->arena, r->now);
    Buf *b = page(r);
    page_begin(r, "Decision rights");
    buf_puts(b, "<div class=\"title-row\"><h1>Decision rights</h1><div class=\"actions\">");
    if (holds_any_right(r, today)) buf_puts(b, "<a class=\"button\" href=\"/rights/new\">Grant a right</a>");
    buf_puts(b, "<a class=\"button secondary\" href=\"/domains\">Domains</a></div></div>"
                "<p class=\"lead\">Who may decide what, and how far. These are the rules everyone works by, so everyone can read them.</p>");
    page_flash(r, req_query(r, "revoked") ? "Right revoked." : NULL);

    html_printf(b, "<form method=\"get\" action=\"/rights\" class=\"filters\"><div class=\"field\"><label for=\"f-domain\">Domain</label>"
                   "<select id=\"f-domain\" name=\"domain\"><option value=\"\">All domains</option>");
    Stmt *s = db_q(r->db, SQL_DOMAIN_SLUGS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        html_printf(b, "<option value=\"%h\"%s>%h</option>", db_text(s, 0), slug && strcmp(slug, db_text(s, 0)) == 0 ? " selected" : "", db_text(s, 1));
    db_reset(s);
    buf_puts(b, "</select></div><div class=\"actions\"><button type=\"submit\" class=\"secondary\">Show</button></div></form>");
    export_link(r, "/api/v1/rights");

    buf_puts(b, "<section class=\"card\">");
    s = db_q(r->db, SQL_RIGHT_TABLE, "itt", r->who.org_id, slug, slug);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        Right x;
        right_row(r, s, &x);
        if (n++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Holder</th><th scope=\"col\">Domain</th><th scope=\"col\">Level</th>"
                        "<th scope=\"col\">Limit</th><th scope=\"col\">Advisor</th><th scope=\"col\">Expires</th></tr></thead><tbody>");
        buf_puts(b, "<tr><td>");
        holder_link(b, &x);
        html_printf(b, "</td><td>%h</td><td><a href=\"/rights/%D\">%d · %h</a></td><td>", x.domain_label, x.id, x.level, T(r, level_name(x.level)));
        if (x.limit_cents >= 0) html_printf(b, "%h", fmt_money(r, x.limit_cents));
        else buf_puts(b, "<span class=\"muted\">no limit</span>");
        buf_puts(b, "</td><td>");
        if (x.advisor_id) html_printf(b, "<a href=\"/people/%D\">%h</a>", x.advisor_id, x.advisor_name);
        buf_puts(b, "</td><td>");
        if (x.expires_on) {
            html_printf(b, "<time datetime=\"%h\">%h</time>", x.expires_on, x.expires_on);
            if (right_expired(&x, today)) expired_badge(b);
        }
        buf_puts(b, "</td></tr>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table>");
    else html_printf(b, "<p class=\"muted empty\">%s</p>", slug ? N_("No rights for this domain yet.") : N_("No decision rights yet."));
    buf_puts(b, "</section>");
    page_end(r);
    return 0;
}

/* history_render: the history card of right id: every grant, change and
 * revocation, oldest first, with who, the state after it and why. */
static void history_render(Req *r, int64_t id) {
    Buf *b = page(r);
    buf_puts(b, "<section class=\"card\"><h2>History</h2>");
    Stmt *s = db_q(r->db, SQL_HISTORY_LIST, "ii", r->who.org_id, id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0)
            buf_puts(b, "<table class=\"list history\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">What</th><th scope=\"col\">By</th>"
                        "<th scope=\"col\">State</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        const char *action = db_text(s, 4);
        buf_puts(b, "<tr><td>");
        short_time(r, b, db_int(s, 1));
        html_printf(b, "</td><td>%h</td><td>", strcmp(action, "create") == 0   ? T(r, "granted")
                                       : strcmp(action, "delete") == 0 ? T(r, "revoked")
                                                                       : T(r, "changed"));
        if (db_null(s, 3)) buf_puts(b, "<span class=\"muted\">unknown</span>");
        else html_printf(b, "<a href=\"/people/%D\">%h</a>", db_int(s, 2), db_text(s, 3));
        buf_puts(b, "</td><td>");
        json_t *st = json_loads(db_text(s, 5), 0, NULL);
        if (st) {
            json_t *role = json_object_get(st, "role"), *person = json_object_get(st, "person");
            const char *holder = json_string_value(json_object_get(json_is_object(role) ? role : person, "name"));
            int level = (int)json_integer_value(json_object_get(st, "level"));
            const char *lim = json_string_value(json_object_get(st, "limit")), *exp = json_string_value(json_object_get(st, "expires_on"));
            html_printf(b, "%h%s · level %d · %h · ", holder ? holder : "", json_is_object(role) ? " (role)" : "", level, level_name(level));
            if (lim) html_printf(b, "up to %h", lim);
            else buf_puts(b, "no limit");
            if (exp) html_printf(b, " · until %h", exp);
            json_decref(st);
        }
        html_printf(b, "</td><td>%h</td></tr>", db_text(s, 6));
    }
    db_reset(s);
    buf_puts(b, n ? "</tbody></table>" : "<p class=\"muted empty\">No history recorded.</p>");
    buf_puts(b, "</section>");
}

/* right_view: the right page; e and reason (may be NULL) are the problems
 * and typed text of the revoke form. */
static void right_view(Req *r, const Right *x, const Errors *e, const char *reason) {
    const char *today = today_date(r->arena, r->now);
    bool can_change = !may_change(r, x);
    const char *title = arena_printf(r->arena, "%s: %s", x->role_id ? x->role_name : x->person_name, x->domain_label);
    Buf *b = page(r);
    page_begin(r, title);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1>", title);
    if (can_change) html_printf(b, "<a class=\"button secondary\" href=\"/rights/%D/edit\">Change</a>", x->id);
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    if (e && e->n && !err_for(e, "reason")) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[0].msg);

    buf_puts(b, "<section class=\"card\"><dl class=\"facts\"><dt>Holder</dt><dd>");
    holder_link(b, x);
    html_printf(b, "</dd><dt>Domain</dt><dd><a href=\"/rights?domain=%u\">%h</a> <code>%h</code></dd>", x->domain_slug, x->domain_label, x->domain_slug);
    html_printf(b, "<dt>Level</dt><dd>%d · %h <span class=\"muted\">(%h)</span></dd><dt>Limit</dt><dd>", x->level, T(r, level_name(x->level)),
                T(r, LEVEL_MEANING[x->level >= 1 && x->level <= 7 ? x->level : 0]));
    limit_text(b, x->limit_cents);
    buf_puts(b, "</dd><dt>Advisor</dt><dd>");
    if (x->advisor_id) html_printf(b, "<a href=\"/people/%D\">%h</a>", x->advisor_id, x->advisor_name);
    else buf_puts(b, "<span class=\"muted\">none (the manager advises)</span>");
    buf_puts(b, "</dd><dt>Expires</dt><dd>");
    if (x->expires_on) {
        html_printf(b, "<time datetime=\"%h\">%h</time>", x->expires_on, x->expires_on);
        if (right_expired(x, today)) expired_badge(b);
    } else buf_puts(b, "<span class=\"muted\">never</span>");
    buf_puts(b, "</dd><dt>Granted by</dt><dd>");
    if (x->granted_by) html_printf(b, "<a href=\"/people/%D\">%h</a>", x->granted_by, x->granted_by_name);
    else buf_puts(b, "<span class=\"muted\">unknown</span>");
    buf_puts(b, "</dd><dt>Last change</dt><dd>");
    short_time(r, b, x->updated_at);
    html_printf(b, "</dd><dt>Why</dt><dd>%h</dd>", x->reason);
    if (x->requires) {
        CanRight cr = {0};
        if (can_requires_parse(r->db, r->arena, r->who.org_id, x->requires, &cr)) {
            buf_puts(b, "<dt>Prerequisites</dt><dd><ul class=\"plain\">");
            for (int i = 0; i < cr.nrequires; i++) {
                const CanReq *q = &cr.requires[i];
                if (q->training_id)
                    html_printf(b, "<li><a href=\"/training/%D\">%h</a></li>", q->training_id, arena_printf(r->arena, T(r, "the training %s"), q->name));
                else html_printf(b, "<li>%h</li>", arena_printf(r->arena, T(r, "level %d in %s"), q->level, q->name));
            }
            buf_puts(b, "</ul></dd>");
        }
    }
    buf_puts(b, "</dl></section>");

    history_render(r, x->id);

    if (can_change) {
        buf_puts(b, "<section class=\"card\"><h2>Revoke this right</h2>");
        form_begin_confirm(r, arena_printf(r->arena, "/rights/%lld/delete", (long long)x->id), "Revoke this right?");
        form_textarea(r, "reason", "Why is it revoked?", reason ? reason : "", err_of(e, "reason"), "Kept in the right's history.");
        buf_puts(b, "<div class=\"actions\"><button type=\"submit\" class=\"danger\">Revoke right</button></div></form></section>");
    }
    page_end(r);
}

/* GET /rights/{id} ?saved=1: one right with its full history (member). A
 * revoked right still shows its history. */
int rights_page_view(Req *r) {
    Right x;
    if (right_find(r, r->params[0], &x)) {
        right_view(r, &x, NULL, NULL);
        return 0;
    }
    if (!history_exists(r, r->params[0])) return resp_error(r, 404, "not_found", "There is no such decision right.");
    page_begin(r, "Revoked decision right");
    buf_puts(page(r), "<div class=\"title-row\"><h1>Revoked decision right</h1><a class=\"button secondary\" href=\"/rights\">All rights</a></div>"
                      "<p class=\"lead\">This right no longer exists; its history is kept.</p>");
    history_render(r, r->params[0]);
    page_end(r);
    return 0;
}

/* requires_fields: the form's prerequisites: one skill with its level and
 * one training (the API takes up to four of any kind; the form shows the
 * first skill and the first training of text). */
static void requires_fields(Req *r, const char *text, const char *error) {
    int64_t skill = 0, level = 0, training = 0;
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *q;
    json_array_foreach(v, i, q) {
        if (!skill && json_object_get(q, "skill_id"))
            skill = json_integer_value(json_object_get(q, "skill_id")), level = json_integer_value(json_object_get(q, "level"));
        if (!training && json_object_get(q, "training_id")) training = json_integer_value(json_object_get(q, "training_id"));
    }
    json_decref(v);
    int nskills = 0, ntrainings = 0;
    Option *skills = options_from(r, db_q(r->db, SQL_SKILL_OPTIONS, "i", r->who.org_id), &nskills);
    Option *trainings = options_from(r, db_q(r->db, SQL_TRAINING_OPTIONS, "i", r->who.org_id), &ntrainings);
    if (!nskills && !ntrainings) return;
    Option levels[4];
    static const char *const NAMES[] = {N_("aware"), N_("practising"), N_("proficient"), N_("can teach")};
    for (int k = 0; k < 4; k++) levels[k].id = k + 1, levels[k].label = arena_printf(r->arena, "%d · %s", k + 1, T(r, NAMES[k]));
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><fieldset><legend>Prerequisites (optional)</legend>"
                   "<p class=\"hint\">Until the holder meets them, \"Can I?\" treats the right as absent and says what to complete.</p>",
                error ? " has-error" : "");
    if (nskills) {
        form_select_id(r, "req_skill_id", "Requires the skill", skill, skills, nskills, "(no skill)", NULL);
        form_select_id(r, "req_skill_level", "At level", level, levels, 4, "(choose a level)", NULL);
    }
    if (ntrainings) form_select_id(r, "req_training_id", "Requires the training", training, trainings, ntrainings, "(no training)", NULL);
    if (error) html_printf(b, "<p class=\"error\" id=\"f-requires-err\">%h</p>", error);
    buf_puts(b, "</fieldset></div>");
}

/* requires_form_read: the form's prerequisite fields, when posted, into
 * f->requires (canonical JSON, or "" for none). */
static void requires_form_read(Req *r, RightIn *f, Errors *e) {
    const char *sk = req_form(r, "req_skill_id"), *lv = req_form(r, "req_skill_level"), *tr = req_form(r, "req_training_id");
    if (!sk && !tr) return;
    int64_t skill = 0, level = 0, training = 0;
    if (sk && *sk && !parse_id(sk, &skill)) err_add(e, 422, "invalid", "requires", "Choose one from the list.");
    if (lv && *lv && (!parse_id(lv, &level) || level > 4)) err_add(e, 422, "invalid", "requires", "Choose one from the list.");
    if (tr && *tr && !parse_id(tr, &training)) err_add(e, 422, "invalid", "requires", "Choose one from the list.");
    if (e->n) return;
    if (skill && !level) {
        err_add(e, 422, "invalid", "requires", "A skill prerequisite needs a level from 1 (aware) to 4 (can teach).");
        return;
    }
    json_t *v = json_array();
    if (skill) json_array_append_new(v, json_pack("{s:I,s:I}", "skill_id", (json_int_t)skill, "level", (json_int_t)level));
    if (training) json_array_append_new(v, json_pack("{s:I}", "training_id", (json_int_t)training));
    const char *text = requires_check(r, v, e);
    json_decref(v);
    f->requires = text ? text : "";
}

/* right_form: the grant (cur NULL) or change form with the values in f,
 * the limit as typed, and the problems in e (may be NULL). */
static void right_form(Req *r, const Right *cur, const RightIn *f, const char *limit, const Errors *e) {
    const char *today = today_date(r->arena, r->now);
    bool admin = r->who.access >= ACCESS_ADMIN;
    int nroles = 0, npeople = 0, nadvisors = 0, ndomains = 0;
    Option *roles = options_from(r, db_q(r->db, SQL_ROLE_OPTIONS, "i", r->who.org_id), &nroles);
    Option *people = options_from(r, db_q(r->db, SQL_PEOPLE_OPTIONS, "ii", r->who.org_id, f->person_id), &npeople);
    Option *advisors = options_from(r, db_q(r->db, SQL_PEOPLE_OPTIONS, "ii", r->who.org_id, f->advisor_id), &nadvisors);
    Option *domains = options_from(r, db_q(r->db, SQL_DOMAIN_OPTIONS, "iiitii", r->who.org_id, (int64_t)admin, f->domain_id, today, r->who.person_id,
                                           r->who.person_id),
                                   &ndomains);
    Option levels[7];
    for (int i = 0; i < 7; i++) {
        levels[i].id = i + 1;
        levels[i].label = arena_printf(r->arena, "%d · %s: %s", i + 1, T(r, level_name(i + 1)), T(r, LEVEL_MEANING[i + 1]));
    }
    const char *title = cur ? N_("Change a decision right") : N_("Grant a decision right");
    Buf *b = page(r);
    page_begin(r, title);
    html_printf(b, "<h1>%h</h1>", T(r, title));
    if (!admin) buf_puts(b, "<p class=\"lead\">You can grant only what you hold yourself (the same domain, at a level and limit at least as high), "
                            "and never to yourself.</p>");
    form_problems(r, e);
    form_begin(r, cur ? arena_printf(r->arena, "/rights/%lld/edit", (long long)cur->id) : "/rights/new", NULL);
    const char *he = err_of(e, "holder");
    html_printf(b, "<div class=\"field%s\"><fieldset><legend>Who holds it</legend><p class=\"hint\">A role (everyone who holds it) or one person: choose one.</p>",
                he ? " has-error" : "");
    form_select_id(r, "role_id", "Role", f->role_id, roles, nroles, "(no role)", err_of(e, "role_id"));
    form_select_id(r, "person_id", "Person", f->person_id, people, npeople, "(no person)", err_of(e, "person_id"));
    if (he) html_printf(b, "<p class=\"error\" id=\"f-holder-err\">%h</p>", he);
    buf_puts(b, "</fieldset></div>");
    form_select_id(r, "domain_id", "Decision domain", f->domain_id, domains, ndomains, N_("Choose a domain"), err_of(e, "domain"));
    form_select_id(r, "level", "Level", f->level >= 1 && f->level <= 7 ? f->level : 0, levels, 7, "Choose a level", err_of(e, "level"));
    form_text(r, "limit", "Money limit (such as 200.00; empty for no limit)", limit, err_of(e, "limit"), "text", false);
    form_select_id(r, "advisor_id", "Advisor (for level 5; otherwise the manager advises)", f->advisor_id, advisors, nadvisors, "(no advisor)",
                   err_of(e, "advisor_id"));
    form_text(r, "expires_on", "Expires on (optional)", f->expires_on, err_of(e, "expires_on"), "date", false);
    requires_fields(r, f->requires, err_of(e, "requires"));
    form_textarea(r, "reason", "Why", f->reason, err_of(e, "reason"), "Kept in the right's history, so people can see why it was granted or changed.");
    form_end(r, cur ? N_("Save change") : N_("Grant right"));
    if (cur) html_printf(b, "<p><a href=\"/rights/%D\">Cancel</a></p>", cur->id);
    else buf_puts(b, "<p><a href=\"/rights\">Cancel</a></p>");
    page_end(r);
}

/* form_id: an optional id field of a form: absent keeps *v, "" clears it,
 * anything but a positive number is a problem. */
static void form_id(Req *r, const char *name, const char *field, int64_t *v, Errors *e) {
    const char *s = req_form(r, name);
    int64_t x;
    if (!s) return;
    if (!*s) *v = 0;
    else if (parse_id(s, &x)) *v = x;
    else err_add(e, 422, "invalid", field, "Choose one from the list.");
}

/* right_form_read: the posted fields over the defaults in f; *limit gets the
 * limit as typed. */
static void right_form_read(Req *r, RightIn *f, const char **limit, Errors *e) {
    const char *v;
    form_id(r, "role_id", "role_id", &f->role_id, e);
    form_id(r, "person_id", "person_id", &f->person_id, e);
    form_id(r, "advisor_id", "advisor_id", &f->advisor_id, e);
    form_id(r, "domain_id", "domain", &f->domain_id, e);
    if ((v = req_form(r, "level"))) {
        int64_t l;
        f->level = !*v ? 0 : parse_id(v, &l) && l <= 7 ? l : -1;
    }
    if ((v = req_form(r, "limit"))) {
        *limit = v;
        char *t = str_trim(r->arena, v);
        if (!*t) f->limit_cents = -1;
        else if (!money_parse(t, &f->limit_cents))
            err_add(e, 400, "invalid_amount", "limit", "Write the limit as an amount with at most two decimals, such as 200 or 200.50.");
    }
    if ((v = req_form(r, "expires_on"))) f->expires_on = str_trim(r->arena, v);
    if ((v = req_form(r, "reason"))) f->reason = v;
    requires_form_read(r, f, e);
}

/* GET /rights/new ?role_id= ?person_id= ?domain=SLUG: the grant form, with
 * the holder (and domain) preselected (member who holds an active right, or
 * admin). */
int rights_page_new(Req *r) {
    if (!holds_any_right(r, today_date(r->arena, r->now)))
        return resp_error(r, 403, "forbidden", "You can grant only rights you hold yourself, and you hold no active decision right.");
    RightIn f = {0};
    f.limit_cents = -1;
    f.reason = "";
    int64_t v;
    const char *q;
    if ((q = req_query(r, "role_id")) && parse_id(q, &v)) f.role_id = v;
    if ((q = req_query(r, "person_id")) && parse_id(q, &v)) f.person_id = v;
    Domain d;
    if ((q = req_query(r, "domain")) && domain_by_slug(r, q, &d)) f.domain_id = d.id;
    right_form(r, NULL, &f, "", NULL);
    return 0;
}

/* POST /rights/new (role_id, person_id, domain_id, level, limit, advisor_id,
 * expires_on, reason): grants a right (member, within what they hold); 303
 * to it, or the form again with the problems (400, 403, 422). */
int rights_page_new_post(Req *r) {
    RightIn f = {0};
    f.limit_cents = -1;
    const char *limit = "";
    Errors e = {0};
    right_form_read(r, &f, &limit, &e);
    int64_t id;
    if (right_save(r, NULL, f, &e, &id)) {
        right_form(r, NULL, &f, limit, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/rights/%lld?saved=1", (long long)id));
    return 0;
}

/* right_defaults: a form's starting values for changing x (the reason is
 * new each time); *limit gets the limit as text. */
static RightIn right_defaults(Req *r, const Right *x, const char **limit) {
    char m[24];
    *limit = x->limit_cents >= 0 ? arena_strdup(r->arena, money_format(x->limit_cents, m)) : "";
    RightIn f = {x->role_id, x->person_id, x->advisor_id, x->domain_id, NULL, x->level, x->limit_cents, x->expires_on, "", x->requires};
    return f;
}

/* GET /rights/{id}/edit: the change form (member who may change this right:
 * see grant_problem). */
int rights_page_edit(Req *r) {
    Right x;
    if (right_load(r, &x)) return -1;
    const char *why = may_change(r, &x);
    if (why) return resp_error(r, 403, "forbidden", "%s", why);
    const char *limit;
    RightIn f = right_defaults(r, &x, &limit);
    right_form(r, &x, &f, limit, NULL);
    return 0;
}

/* POST /rights/{id}/edit (the fields of the form): saves a change (member,
 * within what they hold before and after); 303 to the right, or the form
 * again with the problems (400, 403, 422). */
int rights_page_edit_post(Req *r) {
    Right x;
    if (right_load(r, &x)) return -1;
    const char *limit;
    RightIn f = right_defaults(r, &x, &limit);
    Errors e = {0};
    right_form_read(r, &f, &limit, &e);
    int64_t id;
    if (right_save(r, &x, f, &e, &id)) {
        if (e.status == 403 && may_change(r, &x)) return resp_error(r, 403, "forbidden", "%s", e.items[0].msg);
        right_form(r, &x, &f, limit, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/rights/%lld?saved=1", (long long)id));
    return 0;
}

/* POST /rights/{id}/delete (reason): revokes a right (member who holds at
 * least as much); the reason is required here. 303 to /rights, or the right
 * page again with the problem (403 page, 422). */
int rights_page_delete(Req *r) {
    Right x;
    if (right_load(r, &x)) return -1;
    const char *reason = req_form(r, "reason");
    Errors e = {0};
    if (str_empty(reason)) err_add(&e, 422, "invalid", "reason", "Say why the right is revoked; it is kept in the history.");
    else if (right_delete(r, &x, reason, &e) == 0) {
        resp_redirect(r, "/rights?revoked=1");
        return 0;
    }
    if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", e.items[0].msg);
    right_view(r, &x, &e, reason);
    r->resp.status = e.status ? e.status : 422;
    return 0;
}

/* ---------- "What you may decide" (home.c, people.c) ---------- */

/* The active rights person ?2 holds: personal grants and through every role
 * they hold; ?3 is today (a right is active through its expiry day). */
static const char SQL_RIGHTS_OF[] = RIGHT_SELECT
    "WHERE r.org_id = ?1 AND (r.person_id = ?2 OR r.role_id IN (SELECT h.role_id FROM role_holder h WHERE h.person_id = ?2 AND h.org_id = ?1)) "
    "AND (r.expires_on IS NULL OR r.expires_on >= ?3) ORDER BY d.label, d.id, r.level DESC, r.id LIMIT 500";

static Stmt *rights_of(Req *r, int64_t person_id, const char *today) {
    return db_q(r->db, SQL_RIGHTS_OF, "iit", r->who.org_id, person_id, today);
}

json_t *rights_json_for_person(Req *r, int64_t person_id) {
    const char *today = today_date(r->arena, r->now);
    json_t *a = json_array();
    Stmt *s = rights_of(r, person_id, today);
    while (db_step(s) == DB_ROW) {
        Right x;
        right_row(r, s, &x);
        json_array_append_new(a, right_json(r, &x, today));
    }
    db_reset(s);
    return a;
}

/* rights_render_for_person: the card of what person_id may decide: each
 * active right with its domain, level, limit, advisor, expiry and whether
 * it comes through a role or is personal. name NULL: the caller ("you"). */
void rights_render_for_person(Req *r, int64_t person_id, const char *name) {
    const char *today = today_date(r->arena, r->now);
    Buf *b = page(r);
    html_printf(b, "<section class=\"card may-decide\" aria-labelledby=\"may-h\"><h2 id=\"may-h\">%h</h2>",
                name ? arena_printf(r->arena, T(r, "What %s may decide"), name) : T(r, "What you may decide"));
    Stmt *s = rights_of(r, person_id, today);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        Right x;
        right_row(r, s, &x);
        if (n++ == 0)
            html_printf(b, "<table class=\"list\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                           "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                        T(r, "Domain"), T(r, "Level"), T(r, "Limit"), T(r, "Advisor"), T(r, "Expires"), T(r, "Through"));
        html_printf(b, "<tr><td>%h</td><td><a href=\"/rights/%D\">%d · %h</a></td><td>", x.domain_label, x.id, x.level, T(r, level_name(x.level)));
        if (x.limit_cents >= 0) html_printf(b, "%h", fmt_money(r, x.limit_cents)); /* the reader's way: 1.234,50 in German */
        else html_printf(b, "<span class=\"muted\">%h</span>", T(r, "no limit"));
        buf_puts(b, "</td><td>");
        if (x.advisor_id) html_printf(b, "<a href=\"/people/%D\">%h</a>", x.advisor_id, x.advisor_name);
        buf_puts(b, "</td><td>");
        if (x.expires_on) html_printf(b, "<time datetime=\"%h\">%h</time>", x.expires_on, fmt_date(r, x.expires_on));
        else html_printf(b, "<span class=\"muted\">%h</span>", T(r, "never"));
        buf_puts(b, "</td><td>");
        if (x.role_id) html_printf(b, "<a href=\"/roles/%D\">%h</a>", x.role_id, x.role_name);
        else html_printf(b, "%h", T(r, "personal grant"));
        buf_puts(b, "</td></tr>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table>");
    else
        html_printf(b, "<p class=\"muted empty\">%h</p>",
                    name ? T(r, "No decision rights yet: decisions go to the manager.") : T(r, "You hold no decision rights yet: ask \"Can I?\" before you decide."));
    html_printf(b, "<p><a href=\"/can\">%h</a> · <a href=\"/rights\">%h</a></p></section>", T(r, "Can I?"), T(r, "Everyone's rights"));
}
