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
    "SELECT r.id, h.person_id, r.level, r.limit_cents, r.advisor_id, r.expires_on, ro.name FROM decision_right r "
    "JOIN role ro ON ro.id = r.role_id AND ro.org_id = r.org_id JOIN role_holder h ON h.role_id = r.role_id "
    "WHERE r.org_id = ? AND r.domain_id = ? "
    "UNION ALL SELECT r.id, r.person_id, r.level, r.limit_cents, r.advisor_id, r.expires_on, NULL FROM decision_right r "
    "WHERE r.org_id = ? AND r.domain_id = ? AND r.person_id IS NOT NULL ORDER BY 2, 1";

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
    }
    db_reset(s);
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
