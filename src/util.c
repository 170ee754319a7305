/* util.c: small pure helpers shared by every module: access levels, ids,
 * strings, dates and e-mail syntax. No I/O, no allocation outside arenas. */
#include "remit.h"
#include <ctype.h>
#include <string.h>
#include <time.h>

Config g_config;

/* would_cycle: true when making new_parent the parent of node would put node
 * among its own ancestors (also when new_parent == node). parent_of returns 0
 * at a root. The walk stops after 10,000 steps and then answers true, so a
 * corrupt chain can never hang a request. */
bool would_cycle(int64_t node, int64_t new_parent, int64_t (*parent_of)(void *ctx, int64_t id), void *ctx) {
    int64_t cur = new_parent;
    for (int steps = 0; cur; steps++) {
        if (cur == node || steps > 10000) return true;
        cur = parent_of(ctx, cur);
    }
    return false;
}

/* utf8_seq: the length of the well-formed UTF-8 sequence at p (RFC 3629:
 * no overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static int utf8_seq(const unsigned char *p) {
    if (p[0] < 0x80) return 1;
    if (p[0] < 0xC2) return 0;
    if (p[0] < 0xE0) return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] < 0xF0) {
        unsigned lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (p[0] < 0xF5) {
        unsigned lo = p[0] == 0xF0 ? 0x90 : 0x80, hi = p[0] == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* utf8_valid: well-formed UTF-8 and no NUL. JSON needs it, so the router
 * refuses form and query text that fails it before any handler can store
 * it. */
bool utf8_valid(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        int n = utf8_seq(p);
        if (!n) return false;
        p += n;
    }
    return true;
}

/* utf8_scrub: replaces every byte that does not belong to well-formed UTF-8
 * with '?', in place, so text quoted back in an error is always valid. */
void utf8_scrub(char *s) {
    unsigned char *p = (unsigned char *)s;
    while (p && *p) {
        int n = utf8_seq(p);
        if (!n) *p++ = '?';
        else p += n;
    }
}

/* rng_next: xorshift64, for deterministic demo data (never for secrets:
 * tokens come from libsodium). The state must not be 0. */
uint64_t rng_next(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

int64_t rng_between(uint64_t *state, int64_t lo, int64_t hi) {
    return hi <= lo ? lo : lo + (int64_t)(rng_next(state) % (uint64_t)(hi - lo + 1));
}

/* utf8_chars: characters (code points) in well-formed UTF-8; limits that
 * people read ("at most 100 characters") count these, not bytes. */
size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* has_control: any control character (line breaks and tabs included), which
 * one-line fields such as names refuse. */
bool has_control(const char *s) {
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    return false;
}

static const char *const ACCESS_NAMES[] = {"", N_("member"), N_("manager"), N_("admin"), N_("owner")};

int access_parse(const char *s) {
    if (!s) return 0;
    for (int i = 1; i <= ACCESS_OWNER; i++)
        if (strcmp(s, ACCESS_NAMES[i]) == 0) return i;
    return 0;
}

const char *access_name(int level) {
    return level >= ACCESS_MEMBER && level <= ACCESS_OWNER ? ACCESS_NAMES[level] : "none";
}

int64_t now_seconds(void) { return (int64_t)time(NULL); }

/* parse_id: a positive decimal integer without sign, spaces or leading
 * zeros, that fits in int64. */
bool parse_id(const char *s, int64_t *out) {
    if (!s || !*s || *s == '0' || strlen(s) > 18) return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

char *str_trim(Arena *a, const char *s) {
    if (!s) return NULL;
    while (*s && isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return arena_strndup(a, s, n);
}

char *str_lower(Arena *a, const char *s) {
    char *p = arena_strdup(a, s);
    for (char *q = p; q && *q; q++) *q = (char)tolower((unsigned char)*q);
    return p;
}

bool str_empty(const char *s) {
    if (!s) return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s)) return false;
    return true;
}

/* valid_date: YYYY-MM-DD naming a real day between years 1900 and 9999. */
bool valid_date(const char *s) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
    return d <= max;
}

/* valid_email: a pragmatic check: one @, a non-empty local part, a dotted
 * domain, no spaces or control characters, at most 254 bytes. */
bool valid_email(const char *s) {
    if (!s) return false;
    size_t n = strlen(s);
    if (n < 3 || n > 254) return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@')) return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == 0) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',' || *p == ';' || *p == 127) return false;
    return true;
}

char *iso_time(Arena *a, int64_t t) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    /* by hand: tables of decisions format two of these per row */
    int y = tm.tm_year + 1900;
    if (y < 0 || y > 9999) {
        char s[40];
        strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return arena_strdup(a, s);
    }
    char *s = arena_alloc(a, 21);
    int v[] = {y / 100, y % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
    static const char sep[7] = {0, '-', '-', 'T', ':', ':', 'Z'};
    for (int i = 0, o = 0; i < 7; i++) {
        s[o++] = (char)('0' + v[i] / 10);
        s[o++] = (char)('0' + v[i] % 10);
        if (sep[i]) s[o++] = sep[i];
    }
    s[20] = 0;
    return s;
}
