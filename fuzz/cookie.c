/* cookie.c: fuzzes req_parse_cookies, which reads the Cookie header of
 * every request. The pairs must be substrings of the header, hold no ';',
 * have a non-empty name, and never start with the spaces that separate
 * them. */
#include "fuzz.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_cstr(data, size);
    Arena *a = arena_new();
    KVList c = {0};
    req_parse_cookies(a, &c, s);
    size_t eqs = 0;
    for (const char *p = s; *p; p++) eqs += *p == '=';
    FUZZ_CHECK((size_t)c.n <= eqs, "%d cookies from %zu '=' signs", c.n, eqs);
    for (int i = 0; i < c.n; i++) {
        const KV *kv = &c.items[i];
        FUZZ_CHECK(kv->name && *kv->name && kv->value, "cookie %d: empty name or no value", i);
        FUZZ_CHECK(!strchr(kv->name, ';') && !strchr(kv->value, ';'), "cookie %d holds a ';'", i);
        FUZZ_CHECK(kv->name[0] != ' ', "cookie %d: name starts with a space", i);
        FUZZ_CHECK(kv->value_len == strlen(kv->value), "cookie %d: value_len is wrong", i);
        FUZZ_CHECK(strstr(s, kv->value) != NULL && strstr(s, kv->name) != NULL, "cookie %d is not part of the header", i);
    }
    req_parse_cookies(a, &c, NULL); /* no header at all */
    arena_free(a);
    free(s);
    return 0;
}
