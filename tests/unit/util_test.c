/* util_test.c: pure helpers: ids, dates, e-mails, access levels, cycles. */
#include "check.h"
#include "remit.h"
#include <string.h>

static int64_t parents[10]; /* parents[i] = parent of node i, 0 = root */
static int64_t parent_of(void *ctx, int64_t id) {
    (void)ctx;
    return id >= 0 && id < 10 ? parents[id] : 0;
}

int main(void) {
    int64_t v = 0;
    CHECK("id-1.1: plain id parses", parse_id("42", &v) && v == 42);
    CHECK("id-1.2: zero is not an id", !parse_id("0", &v));
    CHECK("id-1.3: leading zero rejected", !parse_id("042", &v));
    CHECK("id-1.4: sign rejected", !parse_id("-1", &v) && !parse_id("+1", &v));
    CHECK("id-1.5: junk rejected", !parse_id("1a", &v) && !parse_id("", &v) && !parse_id(NULL, &v));
    CHECK("id-1.6: too long rejected", !parse_id("1234567890123456789", &v));

    CHECK("date-1.1: real date", valid_date("2026-11-23"));
    CHECK("date-1.2: leap day 2028", valid_date("2028-02-29"));
    CHECK("date-1.3: no leap day 2027", !valid_date("2027-02-29"));
    CHECK("date-1.4: 1900 is not leap", !valid_date("1900-02-29"));
    CHECK("date-1.5: 2000 is leap", valid_date("2000-02-29"));
    CHECK("date-1.6: Feb 30 rejected", !valid_date("2026-02-30"));
    CHECK("date-1.7: month 13 rejected", !valid_date("2026-13-01"));
    CHECK("date-1.8: wrong shape rejected", !valid_date("2026-1-01") && !valid_date("26-11-23") && !valid_date("2026/11/23") && !valid_date(""));

    CHECK("email-1.1: plain address", valid_email("a.b@example.com"));
    CHECK("email-1.2: no at", !valid_email("example.com"));
    CHECK("email-1.3: two ats", !valid_email("a@b@example.com"));
    CHECK("email-1.4: no dot in domain", !valid_email("a@localhost"));
    CHECK("email-1.5: spaces and markup rejected", !valid_email("a b@example.com") && !valid_email("<a>@example.com"));
    CHECK("email-1.6: empty local part", !valid_email("@example.com"));

    CHECK("access-1.1: names round-trip", access_parse("owner") == ACCESS_OWNER && access_parse("member") == ACCESS_MEMBER &&
                                                 strcmp(access_name(ACCESS_ADMIN), "admin") == 0);
    CHECK("access-1.2: unknown is 0", access_parse("root") == 0 && access_parse(NULL) == 0 && access_parse("Owner") == 0);
    CHECK("access-1.3: levels are ordered", ACCESS_OWNER > ACCESS_ADMIN && ACCESS_ADMIN > ACCESS_MANAGER && ACCESS_MANAGER > ACCESS_MEMBER);

    /* tree: 1 <- 2 <- 3, 4 alone */
    parents[2] = 1;
    parents[3] = 2;
    CHECK("cycle-1.1: self parent is a cycle", would_cycle(4, 4, parent_of, NULL));
    CHECK("cycle-1.2: descendant as parent is a cycle", would_cycle(1, 3, parent_of, NULL));
    CHECK("cycle-1.3: unrelated parent is fine", !would_cycle(4, 3, parent_of, NULL));
    CHECK("cycle-1.4: clearing the parent is fine", !would_cycle(2, 0, parent_of, NULL));
    CHECK("cycle-1.5: moving under an ancestor is fine", !would_cycle(3, 1, parent_of, NULL));
    parents[5] = 6;
    parents[6] = 5; /* a corrupt loop not involving the node must still end */
    CHECK("cycle-1.6: a corrupt loop ends", would_cycle(4, 5, parent_of, NULL));

    Arena *a = arena_new();
    CHECK("str-1.1: trim", strcmp(str_trim(a, "  x y \n"), "x y") == 0);
    CHECK("str-1.2: lower", strcmp(str_lower(a, "MiXeD@Ex.COM"), "mixed@ex.com") == 0);
    CHECK("str-1.3: empty", str_empty("  \t") && str_empty(NULL) && !str_empty(" a "));
    CHECK("time-1.1: ISO 8601 UTC", strcmp(iso_time(a, 0), "1970-01-01T00:00:00Z") == 0 && strcmp(iso_time(a, 1795392000), "2026-11-23T00:00:00Z") == 0);
    CHECK("time-1.2: ISO 8601 by hand: leap day, last second of 9999, and a year past it falls back", strcmp(iso_time(a, 951782400), "2000-02-29T00:00:00Z") == 0 && strcmp(iso_time(a, 253402300799LL), "9999-12-31T23:59:59Z") == 0 && strncmp(iso_time(a, 253402300800LL), "10000-01-01T00:00:00Z", 21) == 0);
    char *big = arena_alloc(a, 100000);
    CHECK("arena-1.1: big allocations are zeroed", big[0] == 0 && big[99999] == 0);
    CHECK("arena-1.2: printf", strcmp(arena_printf(a, "%d-%s", 7, "x"), "7-x") == 0);
    arena_free(a);
    char bad[] = "ok \xff\xfe caf\xc3\xa9 \xe2\x82 end";
    utf8_scrub(bad);
    CHECK("utf8-1.1: scrub replaces broken bytes, keeps good ones", strcmp(bad, "ok ?? caf\xc3\xa9 ?? end") == 0 && utf8_valid(bad));
    CHECK("utf8-1.2: overlong forms, surrogates and code points past U+10FFFF are refused",
          !utf8_valid("\xe0\x80\x80") && !utf8_valid("\xc0\xaf") && !utf8_valid("\xed\xa0\x80") && !utf8_valid("\xf4\x90\x80\x80") &&
              !utf8_valid("\xf0\x80\x80\x80") && utf8_valid("\xf0\x9f\x8d\x9e") && utf8_valid("\xed\x9f\xbf"));
    char sur[] = "a\xed\xa0\x80" "b";
    utf8_scrub(sur);
    CHECK("utf8-1.3: scrub turns a surrogate into question marks", strcmp(sur, "a???b") == 0);
    CHECK_DONE();
}
