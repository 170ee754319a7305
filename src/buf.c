/* buf.c: a growable byte buffer on malloc, used for response bodies that
 * outgrow no arena. The owner calls buf_free. */
#include "remit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(Buf *b, size_t need) {
    if (b->cap - b->len > need) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= need) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) { fputs("remit: out of memory\n", stderr); abort(); }
    b->data = p;
    b->cap = cap;
}

void buf_append(Buf *b, const void *p, size_t n) {
    grow(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

/* buf_puts and buf_printf translate what they write into a page's Buf
 * (b->lang set by page()): a literal written there is a msgid. */
void buf_puts(Buf *b, const char *s) {
    if (b->lang) s = lang_text(b->lang, s);
    buf_append(b, s, strlen(s));
}

void buf_putc(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    grow(b, (size_t)n + 1);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...) {
    va_list ap;
    if (b->lang) fmt = lang_text(b->lang, fmt); /* same conversions: tests/unit/i18n_test.c */
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *buf_cstr(Buf *b) {
    grow(b, 1);
    b->data[b->len] = 0;
    return b->data;
}

void buf_free(Buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
