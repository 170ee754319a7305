/* arena.c: request-scoped allocator. Everything a request allocates lives
 * here and dies with it in one arena_free; non-memory resources (jansson
 * values, statements) register a cleanup with arena_defer. Not thread-safe:
 * one arena belongs to one request on one thread. */
#include "remit.h"
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
        c = xmalloc(sizeof *c + cap);
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
        free(c);
        c = n;
    }
    free(a);
}
