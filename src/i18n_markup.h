/* i18n_markup.h: what counts as text in a msgid that may hold markup, for
 * src/i18n.c (the pseudo-language marks it) and tools/potfilter.c (msgids
 * without text leave po/remit.pot). Pure functions on strings, no state;
 * included by exactly those two files. */
#ifndef I18N_MARKUP_H
#define I18N_MARKUP_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* skip_spec: the length of the conversion at p ('%'), flags to letter. */
static size_t skip_spec(const char *p) {
    if (p[1] == 'h' || p[1] == 'u' || p[1] == 'D') return 2; /* html_printf's own */
    size_t i = 1;
    while (p[i] && strchr("-+ #0123456789.*lhzjt", p[i])) i++;
    return p[i] ? i + 1 : i;
}

static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* run_has_text: a letter in s[0..n) that is not part of a conversion, an
 * entity or a path ("/login?next=%u" is not text). */
static bool run_has_text(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    if (i < n && (s[i] == '/' || s[i] == '#' || s[i] == '?') && !memchr(s + i, ' ', n - i)) return false;
    if (memchr(s + i, '=', n - i) && !memchr(s + i, ' ', n - i)) return false; /* "&amp;status=%u": a query piece */
    for (; i < n; i++) {
        if (s[i] == '%') i += skip_spec(s + i) - 1;
        else if (s[i] == '&') {
            size_t j = i + 1;
            while (j < n && (is_alpha((unsigned char)s[j]) || (s[j] >= '0' && s[j] <= '9') || s[j] == '#')) j++;
            if (j < n && s[j] == ';') i = j;
            else return true; /* a bare & is text ("Q&A") */
        } else if (is_alpha((unsigned char)s[i]) || (unsigned char)s[i] == 0xc3) return true;
    }
    return false;
}

static bool marked_attr(const char *name, size_t n) {
    static const char *const names[] = {"title", "aria-label", "placeholder", "alt", "data-confirm"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0) return true;
    return false;
}

/* starts_in_tag: a fragment such as ` aria-invalid="true"` or `">%h</a>`
 * continues a tag opened by an earlier call. */
static bool starts_in_tag(const char *s) {
    const char *lt = strchr(s, '<'), *gt = strchr(s, '>'), *eq = strstr(s, "=\"");
    if (gt && (!lt || gt < lt)) return true;
    return !lt && !gt && eq;
}

/* markup_walk: calls out(ctx, piece, n, kind) for each piece of s in order,
 * kind 0 for markup and 1 for text (or a text attribute's value). Returns
 * whether any piece was text. out may be NULL. */
static bool markup_walk(const char *s, void (*out)(void *, const char *, size_t, int), void *ctx) {
    bool any = false, in_tag = starts_in_tag(s);
    const char *p = s;
    while (*p) {
        if (!in_tag) {
            const char *e = strchr(p, '<');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            bool t = run_has_text(p, n);
            any |= t;
            if (out) out(ctx, p, n, t);
            p += n;
            if (*p) in_tag = true;
            continue;
        }
        /* inside a tag: up to '>', with quoted values judged by name */
        const char *q = p;
        while (*q && *q != '>' && *q != '"') q++;
        if (*q == '"') {
            const char *ne = q - 1, *nb; /* attribute name before ="  */
            if (ne >= p && *ne == '=') ne--;
            nb = ne;
            while (nb >= p && *nb != ' ' && *nb != '<') nb--;
            bool named = ne >= p && q > p && q[-1] == '=' && marked_attr(nb + 1, (size_t)(ne - nb));
            const char *ve = strchr(q + 1, '"');
            size_t vn = ve ? (size_t)(ve - q - 1) : strlen(q + 1);
            if (out) out(ctx, p, (size_t)(q + 1 - p), 0);
            bool t = named && run_has_text(q + 1, vn);
            any |= t;
            if (out) out(ctx, q + 1, vn, t);
            p = q + 1 + vn;
            if (*p == '"') {
                if (out) out(ctx, p, 1, 0);
                p++;
            }
            continue;
        }
        if (out) out(ctx, p, (size_t)(q - p) + (*q ? 1 : 0), 0);
        p = *q ? q + 1 : q;
        in_tag = false;
    }
    return any;
}

#endif
