/* i18n_test.c: the .mo reader (valid, truncated, corrupt, plural), the
 * placeholder check of every shipped translation, Accept-Language, the
 * pseudo-language's marking and the language's number and date formats. */
#include "check.h"
#include "remit.h"
#include <stdlib.h>
#include <string.h>

/* mo_build: a little-endian .mo of n sorted (msgid, msgstr) pairs; lengths
 * of plural entries include their inner NULs (given as lens). */
static unsigned char *mo_build(int n, const char *const *ids, const size_t *idlen, const char *const *strs, const size_t *strlen_, size_t *out_len) {
    size_t head = 28, tabs = (size_t)n * 16, data = 0;
    for (int i = 0; i < n; i++) data += idlen[i] + 1 + strlen_[i] + 1;
    size_t len = head + tabs + data;
    unsigned char *m = calloc(1, len);
    uint32_t *w = (uint32_t *)m; /* the test machine is little-endian (x86-64) */
    w[0] = 0x950412de;
    w[1] = 0;
    w[2] = (uint32_t)n;
    w[3] = 28;
    w[4] = 28 + (uint32_t)n * 8;
    size_t at = head + tabs;
    for (int i = 0; i < n; i++) {
        uint32_t *o = (uint32_t *)(m + 28 + (size_t)i * 8), *t = (uint32_t *)(m + 28 + (size_t)n * 8 + (size_t)i * 8);
        o[0] = (uint32_t)idlen[i];
        o[1] = (uint32_t)at;
        memcpy(m + at, ids[i], idlen[i]);
        at += idlen[i] + 1;
        t[0] = (uint32_t)strlen_[i];
        t[1] = (uint32_t)at;
        memcpy(m + at, strs[i], strlen_[i]);
        at += strlen_[i] + 1;
    }
    *out_len = len;
    return m;
}

/* specs: the conversions of a format (printf's and html_printf's %h %u %D),
 * in order, as one string: "%s|%d|%.60s|". */
static void specs(const char *s, char *out, size_t cap) {
    size_t n = 0;
    out[0] = 0;
    for (const char *p = s; *p; p++) {
        if (*p != '%') continue;
        const char *q = p + 1;
        if (*q != 'h' && *q != 'u' && *q != 'D') /* html_printf's own are one letter */
            while (*q && strchr("-+ #0123456789.*lhzjt", *q)) q++;
        if (!*q) break;
        size_t k = (size_t)(q - p + 1);
        if (n + k + 2 < cap) {
            memcpy(out + n, p, k);
            n += k;
            out[n++] = '|';
            out[n] = 0;
        }
        p = q;
    }
}

int main(void) {
    /* ---------- the reader ---------- */
    const char *ids[] = {"", "%d idea\0%d ideas", "Apple", "Teams"};
    size_t idl[] = {0, 16, 5, 5};
    const char *strs[] = {"Content-Type: text/plain; charset=UTF-8\n", "%d Idee\0%d Ideen", "Apfel", "Teams"};
    size_t stl[] = {strlen(strs[0]), 16, 5, 5};
    size_t len;
    unsigned char *mo = mo_build(4, ids, idl, strs, stl, &len);
    MoTable t;
    CHECK("mo-1.1: a valid catalogue parses", mo_parse(mo, len, &t) == 0 && t.n == 4);
    CHECK("mo-1.2: lookup finds a translation", mo_lookup(&t, "Apple", 0) && strcmp(mo_lookup(&t, "Apple", 0), "Apfel") == 0);
    CHECK("mo-1.3: an unknown msgid is NULL", mo_lookup(&t, "Pear", 0) == NULL && mo_lookup(&t, "Appl", 0) == NULL);
    CHECK("mo-1.4: plural form 0 by the singular", strcmp(mo_lookup(&t, "%d idea", 0), "%d Idee") == 0);
    CHECK("mo-1.5: plural form 1", strcmp(mo_lookup(&t, "%d idea", 1), "%d Ideen") == 0);
    CHECK("mo-1.6: a missing plural form is NULL", mo_lookup(&t, "%d idea", 2) == NULL && mo_lookup(&t, "Apple", 1) == NULL);

    bool all_truncated_fail = true;
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *c = malloc(cut ? cut : 1); /* exactly cut bytes, so ASan sees any read past them */
        memcpy(c, mo, cut);
        if (mo_parse(c, cut, &t) == 0) all_truncated_fail = false;
        free(c);
    }
    CHECK("mo-2.1: every truncation is refused", all_truncated_fail);

    unsigned char *bad = malloc(len);
    memcpy(bad, mo, len);
    bad[0] ^= 1;
    CHECK("mo-2.2: a wrong magic is refused", mo_parse(bad, len, &t) != 0);
    memcpy(bad, mo, len);
    ((uint32_t *)bad)[2] = 0x40000000; /* count far beyond the file */
    CHECK("mo-2.3: a count beyond the file is refused", mo_parse(bad, len, &t) != 0);
    memcpy(bad, mo, len);
    ((uint32_t *)(bad + 28 + 16))[1] = (uint32_t)len - 2; /* "Apple" starts 2 bytes before the end */
    CHECK("mo-2.4: a string running past the end is refused", mo_parse(bad, len, &t) != 0);
    memcpy(bad, mo, len);
    ((uint32_t *)(bad + 28 + 32 + 24))[1] = 0xfffffff0u; /* the translation of "Teams": offset overflows */
    CHECK("mo-2.5: an overflowing offset is refused", mo_parse(bad, len, &t) != 0);
    memcpy(bad, mo, len);
    ((uint32_t *)(bad + 28 + 16))[0] = 6; /* "Apple" one longer: its NUL is no longer there */
    CHECK("mo-2.6: a string without its NUL is refused", mo_parse(bad, len, &t) != 0);
    memcpy(bad, mo, len);
    ((uint32_t *)bad)[1] = 0x00010000; /* major revision 1 */
    CHECK("mo-2.7: an unknown revision is refused", mo_parse(bad, len, &t) != 0);
    const char *uids[] = {"Teams", "Apple"};
    size_t uidl[] = {5, 5}, ustl[] = {5, 5};
    size_t ulen;
    unsigned char *unsorted = mo_build(2, uids, uidl, uids, ustl, &ulen);
    CHECK("mo-2.8: unsorted msgids are refused (the search needs them sorted)", mo_parse(unsorted, ulen, &t) != 0);
    CHECK("mo-2.9: NULL and tiny inputs are refused", mo_parse(NULL, 0, &t) != 0 && mo_parse(mo, 27, &t) != 0);
    free(unsorted);
    free(bad);
    free(mo);

    /* ---------- the shipped catalogues ---------- */
    const Asset *de = asset_find("po/de.mo");
    CHECK("cat-1.1: the German catalogue is embedded and valid", de && mo_parse(de->data, de->len, &t) == 0 && t.n > 100);
    int mismatches = 0, checked = 0;
    if (de && mo_parse(de->data, de->len, &t) == 0) {
        for (uint32_t i = 0; i < t.n; i++) {
            uint32_t ol = ((const uint32_t *)(t.data + t.orig))[i * 2], oo = ((const uint32_t *)(t.data + t.orig))[i * 2 + 1];
            uint32_t tl = ((const uint32_t *)(t.data + t.trans))[i * 2], to = ((const uint32_t *)(t.data + t.trans))[i * 2 + 1];
            const char *id = (const char *)t.data + oo, *str = (const char *)t.data + to;
            if (!*id) continue; /* the header */
            /* every form against the msgid (singular) or msgid_plural */
            const char *plural = strlen(id) < ol ? id + strlen(id) + 1 : NULL;
            int form = 0;
            for (const char *f = str; f <= str + tl; f += strlen(f) + 1, form++) {
                char a[256], b[256];
                specs(form && plural ? plural : id, a, sizeof a);
                specs(f, b, sizeof b);
                /* a singular may leave out the number ("ein Eintrag" for %d): only plural forms may differ in count, never in kind */
                bool ok = strcmp(a, b) == 0 || (plural && form == 0 && b[0] == 0);
                if (!ok) {
                    printf("# placeholders differ: \"%s\" -> \"%s\" (%s vs %s)\n", form && plural ? plural : id, f, a, b);
                    mismatches++;
                }
                checked++;
            }
        }
    }
    printf("# %d translations checked\n", checked);
    CHECK("cat-1.2: every translation keeps its msgid's placeholders (%h %u %D %s %d ...)", checked > 100 && mismatches == 0);
    const Asset *qps = asset_find("po/qps.mo");
    CHECK("cat-1.3: the pseudo catalogue is embedded and valid", qps && mo_parse(qps->data, qps->len, &t) == 0 && t.n > 100);

    /* ---------- languages ---------- */
    CHECK("lang-1.1: codes with regions", lang_find("de-AT") && strcmp(lang_code(lang_find("de-AT")), "de") == 0 && lang_find("EN_gb") &&
                                              !lang_find("fr") && !lang_find("d") && !lang_find(""));
    CHECK("lang-1.2: Accept-Language by q-value", strcmp(lang_code(accept_language("fr;q=0.9, de;q=0.5, en;q=0.4")), "de") == 0);
    CHECK("lang-1.3: the higher q wins over order", strcmp(lang_code(accept_language("en;q=0.3, de-CH;q=0.8")), "de") == 0);
    CHECK("lang-1.4: q=0 is never chosen", accept_language("de;q=0") == NULL && accept_language("fr, it") == NULL);
    CHECK("lang-1.5: a bare tag is q=1", strcmp(lang_code(accept_language("en, de;q=0.9")), "en") == 0);
    CHECK("lang-1.6: the pseudo-language is not negotiated", accept_language("qps") == NULL && lang_find("x-pseudo") != NULL);
    CHECK("lang-1.7: garbage does not crash", accept_language(";;;q=,,,;q=0.") == NULL && accept_language(NULL) == NULL);
    CHECK("lang-2.1: German text", strcmp(lang_text(lang_find("de"), "Teams"), "Teams") == 0 && strcmp(lang_text(lang_find("de"), "Log in"), "Anmelden") == 0);
    CHECK("lang-2.2: English is the msgid", strcmp(lang_text(lang_find("en"), "Log in"), "Log in") == 0);
    CHECK("lang-2.3: an unknown msgid stays itself", strcmp(lang_text(lang_find("de"), "No such msgid here"), "No such msgid here") == 0);
    CHECK("lang-2.4: the empty msgid is not the header", strcmp(lang_text(lang_find("de"), ""), "") == 0);
    CHECK("lang-2.5: plural n != 1", strcmp(lang_plural(lang_find("de"), "%lld person", "%lld people", 1), "%lld Person") == 0 &&
                                       strcmp(lang_plural(lang_find("de"), "%lld person", "%lld people", 0), "%lld Personen") == 0 &&
                                       strcmp(lang_plural(lang_find("en"), "%lld person", "%lld people", 2), "%lld people") == 0);
    CHECK("lang-2.6: pseudo marks catalogue text only", strcmp(lang_text(lang_find("qps"), "Log in"), "\xe2\x9f\xa6Log in\xe2\x9f\xa7") == 0 &&
                                                        strcmp(lang_text(lang_find("qps"), "No such msgid here"), "No such msgid here") == 0);

    /* ---------- the pseudo marking knows markup ---------- */
    char *m = i18n_pseudo("<p class=\"x\" title=\"Hello\">Hi %h <b>there</b></p>");
    CHECK("pseudo-1.1: text and text attributes marked, markup kept",
          strcmp(m, "<p class=\"x\" title=\"\xe2\x9f\xa6Hello\xe2\x9f\xa7\">\xe2\x9f\xa6Hi %h\xe2\x9f\xa7 <b>\xe2\x9f\xa6there\xe2\x9f\xa7</b></p>") == 0);
    free(m);
    m = i18n_pseudo(" aria-describedby=\"f-%h-err\"");
    CHECK("pseudo-1.2: an attribute fragment stays as it is", strcmp(m, " aria-describedby=\"f-%h-err\"") == 0);
    free(m);
    CHECK("pseudo-1.3: markup alone and paths have no text",
          !i18n_has_text("<td>%h</td><td class=\"num\">%D</td>") && !i18n_has_text("/login?next=%u") && !i18n_has_text("&middot; %d") &&
              i18n_has_text("<li>Newest</li>") && i18n_has_text("Q&A"));

    /* ---------- numbers and dates ---------- */
    Req *r = req_new();
    kv_add(r->arena, &r->query, "lang", "de", 2);
    CHECK("fmt-1.1: German money", strcmp(fmt_money(r, 123450), "1.234,50") == 0 && strcmp(fmt_money(r, 5), "0,05") == 0 &&
                                       strcmp(fmt_money(r, 100000000), "1.000.000,00") == 0 && strcmp(fmt_money(r, -123450), "-1.234,50") == 0);
    CHECK("fmt-1.2: German date", strcmp(fmt_date(r, "2026-12-03"), "3. Dez. 2026") == 0 && strcmp(fmt_date(r, "2026-05-31T10:00:00Z"), "31. Mai 2026") == 0);
    CHECK("fmt-1.3: not a date stays itself", strcmp(fmt_date(r, "soon"), "soon") == 0 && strcmp(fmt_date(r, "2026-13-01"), "2026-13-01") == 0);
    req_free(r);
    r = req_new();
    CHECK("fmt-2.1: English money", strcmp(fmt_money(r, 123450), "1,234.50") == 0 && strcmp(fmt_money(r, 99), "0.99") == 0);
    CHECK("fmt-2.2: English date", strcmp(fmt_date(r, "2026-12-03"), "3 Dec 2026") == 0);
    req_free(r);
    CHECK_DONE();
}
