/* money.c: fuzzes money_parse, the one reader of amounts (the API's
 * "amount", forms, "Can I?" queries). Its answer must equal a reference
 * parser's (digits, then optionally a dot and one or two digits; fits in
 * int64 cents), and money_format must print what money_parse reads back. */
#include "fuzz.h"
#include <stdlib.h>
#include <string.h>

/* ref_parse: the grammar of remit.h's contract, with 128-bit arithmetic. */
static bool ref_parse(const char *s, int64_t *out) {
    const char *p = s;
    __int128 v = 0;
    if (*p < '0' || *p > '9') return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > (__int128)INT64_MAX) return false;
    }
    v *= 100;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return false;
        v += (*p++ - '0') * 10;
        if (*p >= '0' && *p <= '9') v += *p++ - '0';
    }
    if (*p || v > (__int128)INT64_MAX) return false;
    *out = (int64_t)v;
    return true;
}

static void roundtrip(int64_t cents) {
    char out[24], again[24];
    int64_t back = -1;
    money_format(cents, out);
    FUZZ_CHECK(money_parse(out, &back) && back == cents, "money_format(%lld) = \"%s\" does not parse back", (long long)cents, out);
    FUZZ_CHECK(strcmp(money_format(back, again), out) == 0, "money_format is not stable for %lld", (long long)cents);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_cstr(data, size);
    int64_t got = -1, want = -1;
    bool ok = money_parse(s, &got), ref = ref_parse(s, &want);
    FUZZ_CHECK(ok == ref, "money_parse(\"%s\") says %s, the reference %s", s, ok ? "yes" : "no", ref ? "yes" : "no");
    if (ok) {
        FUZZ_CHECK(got == want && got >= 0, "money_parse(\"%s\") = %lld, the reference %lld", s, (long long)got, (long long)want);
        roundtrip(got);
    }
    if (size >= 8) { /* the first 8 bytes as cents: any amount prints and reads back */
        int64_t c;
        memcpy(&c, data, 8);
        if (c < 0) c = c == INT64_MIN ? 0 : -c;
        roundtrip(c);
    }
    FUZZ_CHECK(!money_parse(NULL, &got) && !money_parse("", &got), "NULL or \"\" accepted");
    free(s);
    return 0;
}
