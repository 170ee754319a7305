/* query.c: fuzzes req_parse_query and url_decode, which see every query
 * string and urlencoded form body. Checks url_decode against a plain
 * reference decoder, that decoding inverts percent-encoding, and that the
 * parsed pairs are well formed. */
#include "fuzz.h"
#include <stdlib.h>
#include <string.h>

static int hex(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* ref_decode: the documented behaviour, written the obvious way: a valid
 * %XX escape decodes, anything else is kept, NUL bytes are dropped. */
static size_t ref_decode(const uint8_t *s, size_t n, bool plus, char *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int c = s[i];
        if (c == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            c = hex(s[i + 1]) * 16 + hex(s[i + 2]);
            i += 2;
        } else if (c == '+' && plus) c = ' ';
        if (c) out[k++] = (char)c;
    }
    out[k] = 0;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *s = (const char *)data;
    Arena *a = arena_new();
    char *ref = malloc(size * 3 + 1);
    if (!ref) abort();

    for (int plus = 0; plus < 2; plus++) {
        char *got = url_decode(a, s, size, plus);
        size_t n = ref_decode(data, size, plus, ref);
        FUZZ_CHECK(strlen(got) == n && memcmp(got, ref, n) == 0, "url_decode(plus=%d) differs from the reference: %s vs %s", plus, got, ref);
    }

    /* percent-encode every byte but the unreserved ones, then decode: the
     * input comes back, without its NUL bytes */
    static const char hexd[] = "0123456789ABCDEF";
    char *enc = malloc(size * 3 + 1);
    if (!enc) abort();
    size_t en = 0, plain = 0;
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') enc[en++] = (char)c;
        else {
            enc[en++] = '%';
            enc[en++] = hexd[c >> 4];
            enc[en++] = hexd[c & 15];
        }
        if (c) ref[plain++] = (char)c;
    }
    char *back = url_decode(a, enc, en, true);
    FUZZ_CHECK(strlen(back) == plain && memcmp(back, ref, plain) == 0, "url_decode does not invert percent-encoding");

    KVList q = {0};
    req_parse_query(a, &q, s, size);
    size_t amps = 0;
    for (size_t i = 0; i < size; i++) amps += data[i] == '&';
    FUZZ_CHECK((size_t)q.n <= amps + 1, "%d pairs from %zu separators", q.n, amps);
    for (int i = 0; i < q.n; i++) {
        const KV *kv = &q.items[i];
        FUZZ_CHECK(kv->name && *kv->name && kv->value, "pair %d has an empty name or no value", i);
        FUZZ_CHECK(kv->value_len == strlen(kv->value) && kv->value_len <= size, "pair %d: value_len %zu is wrong", i, kv->value_len);
        FUZZ_CHECK(kv_get(&q, kv->name) != NULL, "pair %d cannot be found by name", i);
    }
    free(enc);
    free(ref);
    arena_free(a);
    return 0;
}
