/* i18n.c: remit speaks the reader's language. The message catalogues are GNU
 * gettext .mo files compiled from po/XX.po at build time and embedded in the
 * binary; this file reads them itself instead of using gettext(3), because a
 * threaded server answers each request in its own language and glibc can
 * only switch languages per thread through uselocale(), which needs the
 * system's locales installed. English is the msgids, so it has no catalogue.
 *
 * The .mo bytes are treated as untrusted binary input: every offset and
 * length is checked before use, the strings must be NUL-terminated inside
 * the file and the originals sorted (the lookup is a binary search).
 *
 * The pseudo-language "qps" is the catalogue of every msgid (msgen of
 * po/remit.pot) with each text run marked ⟦like this⟧, so a test can tell
 * text that went through the catalogue from text that did not. The marking
 * knows HTML: html_printf format strings are msgids too (the page's Buf knows
 * its language), and only their text and their title/aria-label/placeholder/
 * alt/data-confirm attribute values are marked, never the markup. */
#include "remit.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct Lang {
    const char *code;      /* "en", "de", "qps" */
    const char *asset;     /* embedded .mo, NULL for English */
    MoTable mo;
    char **pseudo;         /* qps: the marked translation of each entry */
    size_t *pseudo_len;
};

static Lang g_langs[] = {
    {.code = "en"},
    {.code = "de", .asset = "po/de.mo"},
    {.code = "qps", .asset = "po/qps.mo"},
};
#define NLANGS (int)(sizeof g_langs / sizeof g_langs[0])

/* ---------- the .mo format ---------- */

static uint32_t rd32(const unsigned char *p, bool swap) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    if (swap) v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
    return v;
}

/* mo_string: entry i of the table at tab (original or translation), checked:
 * inside the file and NUL-terminated there. NULL when not. */
static const char *mo_string(const MoTable *t, uint32_t tab, uint32_t i, uint32_t *len) {
    uint64_t at = (uint64_t)tab + (uint64_t)i * 8;
    if (at + 8 > t->len) return NULL;
    uint32_t n = rd32(t->data + at, t->swap), off = rd32(t->data + at + 4, t->swap);
    if ((uint64_t)off + n + 1 > t->len || t->data[off + n] != 0) return NULL;
    if (len) *len = n;
    return (const char *)t->data + off;
}

/* mo_parse: see remit.h. */
int mo_parse(const unsigned char *data, size_t len, MoTable *t) {
    memset(t, 0, sizeof *t);
    if (!data || len < 28) return -1;
    uint32_t magic = rd32(data, false);
    bool swap;
    if (magic == 0x950412deu) swap = false;
    else if (magic == 0xde120495u) swap = true;
    else return -1;
    if (rd32(data + 4, swap) >> 16 != 0) return -1; /* major revision 0 only */
    t->data = data;
    t->len = len;
    t->swap = swap;
    t->n = rd32(data + 8, swap);
    t->orig = rd32(data + 12, swap);
    t->trans = rd32(data + 16, swap);
    if (t->n > (1u << 24)) return -1;
    if ((uint64_t)t->orig + (uint64_t)t->n * 8 > len || (uint64_t)t->trans + (uint64_t)t->n * 8 > len) return -1;
    const char *prev = NULL;
    for (uint32_t i = 0; i < t->n; i++) {
        const char *o = mo_string(t, t->orig, i, NULL), *s = mo_string(t, t->trans, i, NULL);
        if (!o || !s) return -1;
        if (prev && strcmp(prev, o) >= 0) return -1; /* the binary search needs them sorted */
        prev = o;
    }
    return 0;
}

/* mo_find: the index of msgid s (the singular, for plural entries), or -1. */
static int64_t mo_find(const MoTable *t, const char *s) {
    uint32_t lo = 0, hi = t->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s, mo_string(t, t->orig, mid, NULL));
        if (c == 0) return mid;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return -1;
}

/* form_of: form k of a translation whose forms are NUL-separated within len
 * bytes; NULL when it has fewer forms or form k is empty. */
static const char *form_of(const char *s, size_t len, int k) {
    const char *p = s, *end = s + len;
    while (k-- > 0) {
        p += strlen(p) + 1;
        if (p > end) return NULL;
    }
    return *p ? p : NULL;
}

/* mo_lookup: see remit.h. */
const char *mo_lookup(const MoTable *t, const char *msgid, int form) {
    if (!t || !t->n || !msgid) return NULL;
    int64_t i = mo_find(t, msgid);
    if (i < 0) return NULL;
    uint32_t len;
    const char *s = mo_string(t, t->trans, (uint32_t)i, &len);
    return form_of(s, len, form);
}

#include "i18n_markup.h"

bool i18n_has_text(const char *s) { return s && markup_walk(s, NULL, NULL); }

/* pseudo_piece: copies markup as is and wraps text in ⟦ ⟧, with the
 * run's outer spaces outside the marks. */
static void pseudo_piece(void *ctx, const char *s, size_t n, int text) {
    Buf *b = ctx;
    if (!text) {
        buf_append(b, s, n);
        return;
    }
    size_t a = 0, z = n;
    while (a < z && (s[a] == ' ' || s[a] == '\n')) a++;
    while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\n')) z--;
    buf_append(b, s, a);
    buf_puts(b, "\xe2\x9f\xa6");
    buf_append(b, s + a, z - a);
    buf_puts(b, "\xe2\x9f\xa7");
    buf_append(b, s + z, n - z);
}

/* i18n_pseudo: s marked, malloc'ed (the caller frees). Whole strings that
 * hold no markup at all are marked as one, so that even "%d" alone is seen
 * to come from the catalogue. */
char *i18n_pseudo(const char *s) {
    Buf b = {0};
    if (!strchr(s, '<') && !strchr(s, '>') && !starts_in_tag(s)) pseudo_piece(&b, s, strlen(s), 1);
    else markup_walk(s, pseudo_piece, &b);
    buf_putc(&b, 0);
    return b.data;
}

/* ---------- languages ---------- */

static void lang_load(Lang *l) {
    const Asset *a = l->asset ? asset_find(l->asset) : NULL;
    if (!a) return;
    MoTable t;
    if (mo_parse(a->data, a->len, &t) != 0) return; /* a broken catalogue: English */
    l->mo = t;
    if (strcmp(l->code, "qps") != 0) return;
    l->pseudo = calloc(t.n, sizeof *l->pseudo);
    l->pseudo_len = calloc(t.n, sizeof *l->pseudo_len);
    if (!l->pseudo || !l->pseudo_len) abort();
    for (uint32_t i = 0; i < t.n; i++) {
        uint32_t len;
        const char *s = mo_string(&t, t.trans, i, &len);
        Buf b = {0};
        for (const char *f = s; f <= s + len; f += strlen(f) + 1) {
            char *m = i18n_pseudo(f);
            buf_append(&b, m, strlen(m) + 1);
            free(m);
        }
        l->pseudo[i] = b.data;
        l->pseudo_len[i] = b.len ? b.len - 1 : 0;
    }
}

static void load_all(void) {
    for (int i = 0; i < NLANGS; i++) lang_load(&g_langs[i]);
}

/* i18n_init: loads the catalogues once, whichever worker thread asks first. */
void i18n_init(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load_all);
}

const Lang *lang_find(const char *code) {
    if (!code || !*code) return NULL;
    i18n_init();
    for (int i = 0; i < NLANGS; i++) {
        size_t n = strlen(g_langs[i].code);
        /* "de", "de-AT", "de_CH" all mean German */
        if (strncasecmp(code, g_langs[i].code, n) == 0 && (code[n] == 0 || code[n] == '-' || code[n] == '_')) return &g_langs[i];
    }
    if (strcasecmp(code, "x-pseudo") == 0) return &g_langs[2];
    return NULL;
}

bool lang_valid(const char *code) {
    return code && (strcmp(code, "en") == 0 || strcmp(code, "de") == 0);
}

const char *lang_code(const Lang *l) { return l ? l->code : "en"; }

/* lang_text: s in language l, or s itself when it has no translation. */
const char *lang_text(const Lang *l, const char *s) {
    return lang_plural(l, s, s, 1);
}

const char *lang_plural(const Lang *l, const char *one, const char *many, int64_t n) {
    int form = n != 1; /* English and German: n != 1 */
    const char *fallback = form ? many : one;
    if (!l || !l->mo.n || !one || !*one) return fallback;
    if (l->pseudo) {
        int64_t i = mo_find(&l->mo, one);
        if (i < 0) return fallback;
        const char *s = form_of(l->pseudo[i], l->pseudo_len[i], form);
        return s ? s : fallback;
    }
    const char *s = mo_lookup(&l->mo, one, form);
    return s ? s : fallback;
}

/* accept_language: the best supported language of an Accept-Language
 * header by q-value (RFC 9110 12.5.4); NULL when none is acceptable. */
const Lang *accept_language(const char *h) {
    const Lang *best = NULL;
    int bestq = 0;
    while (h && *h) {
        while (*h == ' ' || *h == ',') h++;
        const char *e = h;
        while (*e && *e != ',' && *e != ';' && *e != ' ') e++;
        char tag[16];
        size_t n = (size_t)(e - h);
        int q = 1000;
        const char *p = e;
        while (*p && *p != ',') {
            if (strncmp(p, ";q=", 3) == 0 || strncmp(p, "; q=", 4) == 0) {
                p = strchr(p, '=') + 1;
                q = 0;
                int digits = 0;
                if (*p == '1') q = 1000;
                else if (*p == '0') {
                    p++;
                    if (*p == '.') {
                        p++;
                        for (int scale = 100; digits < 3 && *p >= '0' && *p <= '9'; digits++, scale /= 10) q += (*p++ - '0') * scale;
                    }
                }
                continue;
            }
            p++;
        }
        if (n > 0 && n < sizeof tag && q > bestq) {
            memcpy(tag, h, n);
            tag[n] = 0;
            const Lang *l = lang_find(tag);
            if (l && l != &g_langs[2]) {
                best = l;
                bestq = q;
            } else if (strcmp(tag, "*") == 0 && !best) {
                best = &g_langs[0];
                bestq = q;
            }
        }
        h = *p ? p + 1 : p;
    }
    return best;
}

/* i18n_person_lang: the language a person reads what remit sends them in
 * (e-mails, digests, notifications written outside their own request): their
 * own, else their organisation's default, else English. */
const Lang *i18n_person_lang(Db *db, int64_t person_id) {
    const Lang *l = NULL;
    Stmt *s = db_q(db, "SELECT coalesce(p.language, o.language) FROM person p JOIN org o ON o.id = p.org_id WHERE p.id = ?", "i", person_id);
    if (db_step(s) == DB_ROW && !db_null(s, 0)) l = lang_find(db_text(s, 0));
    db_reset(s);
    return l ? l : &g_langs[0];
}

/* i18n_lang: the request's language, chosen once per caller: ?lang=, then
 * the person's own, then their organisation's default, then the browser's
 * Accept-Language, then English. */
const Lang *i18n_lang(Req *r) {
    if (!r) return &g_langs[0];
    if (r->lang && r->lang_who == r->who.person_id) return r->lang;
    const Lang *l = lang_find(req_query(r, "lang"));
    if (!l && r->who.person_id && r->db) {
        Stmt *s = db_q(r->db,
                       "SELECT coalesce(p.language, o.language) FROM person p JOIN org o ON o.id = p.org_id "
                       "WHERE p.id = ? AND p.org_id = ?",
                       "ii", r->who.person_id, r->who.org_id);
        if (db_step(s) == DB_ROW) l = lang_find(db_text(s, 0));
        db_reset(s);
    }
    if (!l) l = accept_language(req_header(r, "accept-language"));
    if (!l) l = &g_langs[0];
    r->lang = l;
    r->lang_who = r->who.person_id;
    return l;
}

const char *i18n_text(Req *r, const char *s) { return lang_text(i18n_lang(r), s); }
const char *i18n_plural(Req *r, const char *one, const char *many, int64_t n) { return lang_plural(i18n_lang(r), one, many, n); }

/* ---------- numbers, money and dates the reader's way ---------- */

/* fmt_money: cents with grouped thousands and two decimals, as the language
 * writes them ("1,234.50", "1.234,50"); arena-owned. */
char *lang_money(const Lang *l, int64_t cents, char out[48]) {
    bool de = l == &g_langs[1];
    char group = de ? '.' : ',', point = de ? ',' : '.';
    uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char d[40];
    int n = 0;
    d[n++] = (char)('0' + v % 10);
    v /= 10;
    d[n++] = (char)('0' + v % 10);
    v /= 10;
    d[n++] = point;
    int k = 0;
    do {
        if (k && k % 3 == 0) d[n++] = group;
        d[n++] = (char)('0' + v % 10);
        v /= 10;
        k++;
    } while (v);
    if (cents < 0) d[n++] = '-';
    char *p = out;
    if (l && l->pseudo) p += sprintf(p, "\xe2\x9f\xa6"); /* formatted by the language, not data */
    for (int i = 0; i < n; i++) *p++ = d[n - 1 - i];
    if (l && l->pseudo) p += sprintf(p, "\xe2\x9f\xa7");
    *p = 0;
    return out;
}

const char *fmt_money(Req *r, int64_t cents) {
    char m[48];
    return arena_strdup(r->arena, lang_money(i18n_lang(r), cents, m));
}

static const char *const month_abbr[12] = {N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
                                           N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")};

/* fmt_date: a date written YYYY-MM-DD (anything after the day is ignored)
 * as "3 Dec 2026" or "3. Dez. 2026"; what is not a date comes back as is. */
const char *fmt_date(Req *r, const char *ymd) {
    if (!ymd || strlen(ymd) < 10 || ymd[4] != '-' || ymd[7] != '-') return ymd ? ymd : "";
    int y = atoi(ymd), m = atoi(ymd + 5), d = atoi(ymd + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31) return ymd;
    /* TRANSLATORS: day, month abbreviation, year: "3 Dec 2026" */
    return arena_printf(r->arena, T(r, "%d %s %d"), d, T(r, month_abbr[m - 1]), y);
}

const char *fmt_time(Req *r, int64_t t) { return fmt_date(r, today_date(r->arena, t)); }

/* ---------- choosing a language ---------- */

bool language_ok(const char *code, Errors *e) {
    if (!code || lang_valid(code)) return true;
    err_add(e, 422, "invalid", "language", "The language must be en (English) or de (Deutsch), or empty.");
    return false;
}

/* form_language: a select of the languages a person or organisation may
 * choose, each named in itself; "" is none_label. */
void form_language(Req *r, const char *label, const char *selected, const char *none_label, const char *error) {
    static const char *const codes[] = {"en", "de"}, *const names[] = {N_("English"), N_("Deutsch")}; /* endonyms: translations keep them */
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-language\">%h</label><select id=\"f-language\" name=\"language\">", error ? " has-error" : "",
                T(r, label));
    html_printf(b, "<option value=\"\">%h</option>", T(r, none_label));
    for (int i = 0; i < 2; i++)
        html_printf(b, "<option value=\"%h\" lang=\"%h\"%s>%h</option>", codes[i], codes[i], selected && strcmp(selected, codes[i]) == 0 ? " selected" : "",
                    T(r, names[i]));
    buf_append(b, "</select>", 9);
    if (error) html_printf(b, "<p class=\"error\">%h</p>", T(r, error));
    buf_append(b, "</div>", 6);
}
