/* arena.c: request-scoped allocator. Everything a request allocates lives
 * here and dies with it in one arena_free; non-memory resources (jansson
 * values, statements) register a cleanup with arena_defer. Not thread-safe:
 * one arena belongs to one request on one thread. */
#include "remit.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 8192

typedef struct Chunk { struct Chunk *next; size_t used, cap; _Alignas(16) unsigned char data[]; } Chunk;
typedef struct Defer { struct Defer *next; void (*fn)(void *); void *p; } Defer;
struct Arena { Chunk *head; Defer *defers; };

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) { fputs("remit: out of memory\n", stderr); abort(); }
    return p;
}

/* Each thread keeps up to POOL_MAX freed standard chunks for its next
 * arenas: a request's chunks come back to it instead of going through
 * malloc, which would scatter them between long-lived blocks (a heap that
 * grows with fragments over hours). Freed when the thread ends. */
#define POOL_MAX 64
typedef struct Pool { Chunk *free; int n; } Pool;
static _Thread_local Pool pool;
static pthread_key_t pool_key;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void pool_drain(void *unused) {
    (void)unused;
    while (pool.free) {
        Chunk *n = pool.free->next;
        free(pool.free);
        pool.free = n;
    }
    pool.n = 0;
}
static void pool_key_make(void) { pthread_key_create(&pool_key, pool_drain); }

static Chunk *chunk_take(void) {
    Chunk *c = pool.free;
    if (!c) return xmalloc(sizeof *c + CHUNK);
    pool.free = c->next;
    pool.n--;
    return c;
}

static void chunk_give(Chunk *c) {
    if (c->cap != CHUNK || pool.n >= POOL_MAX) {
        free(c);
        return;
    }
    if (pool.n == 0) { /* so that the thread's end drains the pool */
        pthread_once(&pool_once, pool_key_make);
        pthread_setspecific(pool_key, &pool);
    }
    c->next = pool.free;
    pool.free = c;
    pool.n++;
}

/* arena_grow: a growing array's next step: a block twice the size of v's
 * *cap elements of elem bytes, holding v's elements; *cap doubles. */
void *arena_grow(Arena *a, const void *v, int *cap, size_t elem) {
    void *more = arena_alloc(a, elem * (size_t)*cap * 2);
    if (*cap) memcpy(more, v, elem * (size_t)*cap);
    *cap *= 2;
    return more;
}

/* arena_release_pool: frees this thread's pooled chunks now (the main
 * thread at exit, so that leak checkers see nothing held). */
void arena_release_pool(void) { pool_drain(NULL); }

/* arena_new: an empty arena; aborts on out-of-memory. */
Arena *arena_new(void) {
    Arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    a->defers = NULL;
    return a;
}

/* arena_alloc: n zeroed bytes, 16-byte aligned, owned by the arena. */
void *arena_alloc(Arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    Chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK / 2 ? n : CHUNK;
        c = cap == CHUNK ? chunk_take() : xmalloc(sizeof *c + cap);
        c->used = 0;
        c->cap = cap;
        if (n > CHUNK / 2 && a->head) { /* big block: keep the current chunk on top */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    if (!s) return NULL;
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s) {
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void arena_defer(Arena *a, void (*fn)(void *), void *p) {
    Defer *d = arena_alloc(a, sizeof *d);
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
}

/* arena_free: runs cleanups newest first, then frees every chunk. */
void arena_free(Arena *a) {
    if (!a) return;
    for (Defer *d = a->defers; d; d = d->next) d->fn(d->p);
    Chunk *c = a->head;
    while (c) {
        Chunk *n = c->next;
        chunk_give(c);
        c = n;
    }
    free(a);
}
