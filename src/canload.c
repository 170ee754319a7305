/* canload.c: builds the rights engine's CanWorld from the database, and
 * looks up decision domains. Everything is scoped to one organisation and
 * lives in the caller's arena. The engine itself (can.c) stays pure. */
#include "remit.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_DOMAIN_SLUG[] = "SELECT id, slug, label, risk FROM domain WHERE org_id = ? AND slug = ?";
static const char SQL_DOMAIN_ID[] = "SELECT id, slug, label, risk FROM domain WHERE org_id = ? AND id = ?";
static const char SQL_CAN_PEOPLE[] = "SELECT id, manager_id, name, status, access FROM person WHERE org_id = ? ORDER BY id";
/* A person's rights for a domain: through each role they hold, and their
 * personal grants. */
static const char SQL_CAN_RIGHTS[] =
    "SELECT r.id, h.person_id, r.level, r.limit_cents, r.advisor_id, r.expires_on, ro.name, r.requires FROM decision_right r "
    "JOIN role ro ON ro.id = r.role_id AND ro.org_id = r.org_id JOIN role_holder h ON h.role_id = r.role_id "
    "WHERE r.org_id = ? AND r.domain_id = ? "
    "UNION ALL SELECT r.id, r.person_id, r.level, r.limit_cents, r.advisor_id, r.expires_on, NULL, r.requires FROM decision_right r "
    "WHERE r.org_id = ? AND r.domain_id = ? AND r.person_id IS NOT NULL ORDER BY 2, 1";

/* Prerequisites' inputs (migration 0017), read only when a right of the
 * domain has some: confirmed levels and completed trainings, by person. */
static const char SQL_CAN_SKILLS[] =
    "SELECT person_id, skill_id, confirmed_level FROM person_skill WHERE org_id = ? AND confirmed_level IS NOT NULL ORDER BY person_id, skill_id";
static const char SQL_CAN_TRAININGS[] =
    "SELECT DISTINCT person_id, training_id FROM training_plan WHERE org_id = ? AND status = 'completed' ORDER BY person_id, training_id";
static const char SQL_SKILL_NAME[] = "SELECT name FROM skill WHERE id = ? AND org_id = ?";
static const char SQL_TRAINING_NAME[] = "SELECT title FROM training WHERE id = ? AND org_id = ?";

static int read_domain(Stmt *s, Arena *a, Domain *d) {
    int found = db_step(s) == DB_ROW;
    if (found) {
        d->id = db_int(s, 0);
        d->slug = db_dup(s, 1, a);
        d->label = db_dup(s, 2, a);
        d->risk = db_dup(s, 3, a);
    }
    db_reset(s);
    return found;
}

int domain_by_slug(Req *r, const char *slug, Domain *d) {
    return slug ? read_domain(db_q(r->db, SQL_DOMAIN_SLUG, "it", r->who.org_id, slug), r->arena, d) : 0;
}

int domain_by_id(Db *db, Arena *a, int64_t org_id, int64_t id, Domain *d) {
    return read_domain(db_q(db, SQL_DOMAIN_ID, "ii", org_id, id), a, d);
}

char *today_date(Arena *a, int64_t now) {
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int status_code(const char *s) { return strcmp(s, "away") == 0 ? PERSON_AWAY : strcmp(s, "left") == 0 ? PERSON_LEFT : PERSON_ACTIVE; }

static int cmp_person(const void *a, const void *b) {
    int64_t x = ((const CanPerson *)a)->id, y = ((const CanPerson *)b)->id;
    return x < y ? -1 : x > y;
}

/* can_requires_parse: a right's "requires" text (compact JSON, as
 * rights.c stores it) into r->requires, with each skill's or training's
 * name (an unknown one keeps "?" and still counts as unmet). True when there
 * is at least one. */
bool can_requires_parse(Db *db, Arena *a, int64_t org_id, const char *text, CanRight *r) {
    json_t *v = json_loads(text, 0, NULL);
    r->requires = NULL;
    r->nrequires = 0;
    if (!json_is_array(v) || json_array_size(v) == 0) {
        json_decref(v);
        return false;
    }
    size_t n = json_array_size(v);
    CanReq *q = arena_alloc(a, sizeof(CanReq) * n);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        CanReq x = {0};
        x.training_id = json_integer_value(json_object_get(e, "training_id"));
        x.skill_id = x.training_id ? 0 : json_integer_value(json_object_get(e, "skill_id"));
        x.level = (int)json_integer_value(json_object_get(e, "level"));
        if (!x.training_id && !x.skill_id) continue;
        Stmt *s = x.training_id ? db_q(db, SQL_TRAINING_NAME, "ii", x.training_id, org_id) : db_q(db, SQL_SKILL_NAME, "ii", x.skill_id, org_id);
        x.name = db_step(s) == DB_ROW ? db_dup(s, 0, a) : "?";
        db_reset(s);
        q[k++] = x;
    }
    json_decref(v);
    r->requires = q;
    r->nrequires = k;
    return k > 0;
}

/* load_held: rows (person_id, id[, level]) ordered by person into each
 * person's skills (or trainings) slice. */
static void load_held(Db *db, Arena *a, CanWorld *w, const char *sql, int64_t org_id, bool trainings) {
    Stmt *s = db_q(db, sql, "i", org_id);
    CanPerson key = {0}, *cur = NULL;
    CanHeld *v = NULL;
    int cap = 0, n = 0;
    for (;;) {
        bool row = db_step(s) == DB_ROW;
        int64_t pid = row ? db_int(s, 0) : 0;
        if (cur && (!row || pid != cur->id)) {
            if (trainings) cur->trainings = v, cur->ntrainings = n;
            else cur->skills = v, cur->nskills = n;
            cur = NULL;
        }
        if (!row) break;
        if (!cur) {
            key.id = pid;
            cur = bsearch(&key, w->people, (size_t)w->n, sizeof(CanPerson), cmp_person);
            if (!cur) continue;
            cap = 4, n = 0;
            v = arena_alloc(a, sizeof(CanHeld) * (size_t)cap);
        }
        if (n == cap) v = arena_grow(a, v, &cap, sizeof *v);
        v[n].id = db_int(s, 1);
        v[n].level = trainings ? 0 : (int)db_int(s, 2);
        n++;
    }
    db_reset(s);
}

void can_load(Db *db, Arena *a, int64_t org_id, int64_t domain_id, const char *domain_label, int64_t now, CanWorld *w) {
    memset(w, 0, sizeof *w);
    w->today = today_date(a, now);
    w->domain_label = domain_label;
    int cap = 64;
    w->people = arena_alloc(a, sizeof(CanPerson) * (size_t)cap);
    Stmt *s = db_q(db, SQL_CAN_PEOPLE, "i", org_id);
    while (db_step(s) == DB_ROW) {
        if (w->n == cap) w->people = arena_grow(a, w->people, &cap, sizeof *w->people);
        CanPerson *p = &w->people[w->n++];
        p->id = db_int(s, 0);
        p->manager_id = db_int(s, 1);
        p->name = db_dup(s, 2, a);
        p->status = status_code(db_text(s, 3));
        p->access = access_parse(db_text(s, 4));
    }
    db_reset(s);
    /* rights arrive ordered by person: give each person a slice */
    s = db_q(db, SQL_CAN_RIGHTS, "iiii", org_id, domain_id, org_id, domain_id);
    CanPerson key = {0}, *cur = NULL;
    int rcap = 0;
    bool any_req = false;
    while (db_step(s) == DB_ROW) {
        key.id = db_int(s, 1);
        if (!cur || cur->id != key.id) {
            cur = bsearch(&key, w->people, (size_t)w->n, sizeof(CanPerson), cmp_person);
            rcap = 0;
            if (!cur) continue;
        }
        if (cur->nrights == rcap) {
            int ncap = rcap ? rcap * 2 : 4;
            CanRight *more = arena_alloc(a, sizeof(CanRight) * (size_t)ncap);
            if (cur->nrights) memcpy(more, cur->rights, sizeof(CanRight) * (size_t)cur->nrights);
            cur->rights = more;
            rcap = ncap;
        }
        CanRight *r = &cur->rights[cur->nrights++];
        r->id = db_int(s, 0);
        r->level = (int)db_int(s, 2);
        r->limit_cents = db_null(s, 3) ? -1 : db_int(s, 3);
        r->advisor_id = db_int(s, 4);
        r->expires_on = db_dup(s, 5, a);
        r->via = db_dup(s, 6, a);
        if (!db_null(s, 7) && can_requires_parse(db, a, org_id, db_text(s, 7), r)) any_req = true;
    }
    db_reset(s);
    if (any_req) {
        load_held(db, a, w, SQL_CAN_SKILLS, org_id, false);
        load_held(db, a, w, SQL_CAN_TRAININGS, org_id, true);
    }
}

/* ---------- worlds kept per connection (conncache.c) ---------- */
typedef struct WorldWanted { int64_t org_id, domain_id, now; } WorldWanted;
static const char WORLD[] = "can world"; /* the cache's kind, by address */

static void *world_load(Db *db, Arena *a, void *ctx) {
    const WorldWanted *q = ctx;
    CanWorld *w = arena_alloc(a, sizeof *w);
    can_load(db, a, q->org_id, q->domain_id, NULL, q->now, w);
    return w;
}

void can_load_cached(Db *db, int64_t org_id, int64_t domain_id, const char *domain_label, int64_t now, CanWorld *w) {
    WorldWanted q = {org_id, domain_id, now};
    *w = *(const CanWorld *)conn_cache_get(db, WORLD, org_id, domain_id, now / 86400, world_load, &q);
    w->domain_label = domain_label;
}
