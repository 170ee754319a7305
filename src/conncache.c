/* conncache.c: what a connection keeps in memory between requests (each
 * worker thread has its own connection, so no locks): up to CONN_CACHE_SIZE
 * entries, each found by a key (what kind, organisation, the
 * organisation's dir_version, and two more numbers of the caller's), each
 * holding one object built by the caller's loader in the entry's own arena.
 * The least recently used entry makes room. Owners: canload.c ("Can I?"
 * worlds) and html.c (people and team lists). */
#include "remit.h"
#include <stdlib.h>

enum { CONN_CACHE_SIZE = 16 };
typedef struct Entry {
    const void *what;
    int64_t org_id, version, k1, k2;
    uint64_t used;
    Arena *arena; /* owns data; NULL when the entry is free */
    void *data;
} Entry;
struct ConnCache { Entry e[CONN_CACHE_SIZE]; uint64_t tick; };

void conn_cache_free(ConnCache *c) {
    if (!c) return;
    for (int i = 0; i < CONN_CACHE_SIZE; i++)
        if (c->e[i].arena) arena_free(c->e[i].arena);
    free(c);
}

void *conn_cache_get(Db *db, const void *what, int64_t org_id, int64_t k1, int64_t k2, void *(*load)(Db *db, Arena *a, void *ctx), void *ctx) {
    ConnCache **slot = db_conn_cache(db);
    if (!*slot && !(*slot = calloc(1, sizeof **slot))) abort();
    ConnCache *c = *slot;
    int64_t version = -1;
    db_one_int(db, &version, "SELECT dir_version FROM org WHERE id = ?", "i", org_id);
    Entry *hit = NULL, *victim = &c->e[0];
    for (int i = 0; i < CONN_CACHE_SIZE && !hit; i++) {
        Entry *e = &c->e[i];
        if (e->arena && e->what == what && e->org_id == org_id && e->version == version && e->k1 == k1 && e->k2 == k2) hit = e;
        else if (!e->arena || (victim->arena && e->used < victim->used)) victim = e;
    }
    if (!hit) {
        hit = victim;
        if (hit->arena) arena_free(hit->arena);
        hit->arena = arena_new();
        hit->data = load(db, hit->arena, ctx);
        hit->what = what, hit->org_id = org_id, hit->version = version, hit->k1 = k1, hit->k2 = k2;
    }
    hit->used = ++c->tick;
    return hit->data;
}
