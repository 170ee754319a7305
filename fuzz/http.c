/* http.c: fuzzes the whole request path: a raw HTTP/1.1 request (request
 * line, headers, body) through rawhttp_handle, the code behind `remit http`,
 * into the router, the session and CSRF checks, the body parsers and every
 * handler. The database is the demo organisation, made once in memory, plus
 * credentials the seed requests carry (below); every input starts from that
 * state again, so a crash reproduces from its input alone.
 *
 * An input may hold up to four requests separated by the line "~~next~~"
 * (see SEP), run in order on the same database, so that what one request
 * stores another can show.
 *
 * Checked for every answer: it is a well-formed HTTP response, never a 5xx;
 * no transaction is left open; JSON answers parse; HTML pages hold no script
 * but the layout's, no link to a script URL and no event handler attribute. */
#include "fuzz.h"
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rawhttp_handle(Db *db, const char *data, size_t len, Buf *out); /* rawhttp.c */

/* Credentials the seed corpus uses (each exactly 43 characters, the length
 * of a real token): an owner's API token, a member's API token, and an
 * owner's browser session with its CSRF token. */
#define OWNER_BEARER "fuzzOwnerBearer0000000000000000000000000000"
#define MEMBER_BEARER "fuzzMemberBearer000000000000000000000000000"
#define OWNER_COOKIE "fuzzOwnerSession000000000000000000000000000"
#define OWNER_CSRF "fuzzcsrf"
#define PASSWORD "correct horse battery" /* every demo person's */

static Db *db;

/* add_token: an API token of known value for the demo person with this
 * e-mail (remit only ever stores a token's hash). */
static void add_token(const char *token, const char *email) {
    char hash[65];
    int64_t who = 0, org = 0;
    if (strlen(token) != 43) fuzz_fail("the token %s is not 43 characters", token);
    auth_token_hash(token, hash);
    if (!db_one_int(db, &who, "SELECT id FROM person WHERE email_lc = ?", "t", email) ||
        !db_one_int(db, &org, "SELECT org_id FROM person WHERE id = ?", "i", who))
        fuzz_fail("no demo person %s", email);
    if (auth_token_create(db, who, org, "fuzz", now_seconds(), (char[44]){0}) != DB_OK ||
        db_exec(db, "UPDATE api_token SET token_hash = ? WHERE id = ?", "ti", hash, db_last_id(db)) != DB_OK)
        fuzz_fail("token: %s", db_errmsg(db));
}

/* LLVMFuzzerInitialize: the demo organisation and the credentials, once;
 * the snapshot every input starts from. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (auth_init() != 0) fuzz_fail("auth_init");
    db = fuzz_db_open();
    char pw_hash[128];
    if (auth_password_hash(PASSWORD, pw_hash, sizeof pw_hash) != 0) fuzz_fail("password hash");
    fuzz_quiet();
    int rc = demo_create(db, pw_hash, NULL, false);
    fuzz_loud();
    if (rc != 0) fuzz_fail("demo_create failed");
    add_token(OWNER_BEARER, "owner@example.com");
    add_token(MEMBER_BEARER, "member@example.com");
    char hash[65];
    int64_t now = now_seconds(), owner = fuzz_db_int(db, "SELECT id FROM person WHERE email_lc = 'owner@example.com'");
    auth_token_hash(OWNER_COOKIE, hash);
    if (db_exec(db, "INSERT INTO session(token_hash, person_id, org_id, csrf, created_at, last_seen) SELECT ?, id, org_id, ?, ?, ? FROM person WHERE id = ?",
                "ttiii", hash, OWNER_CSRF, now, now, owner) != DB_OK)
        fuzz_fail("session: %s", db_errmsg(db));
    fuzz_db_snapshot();
    return 0;
}

/* the layout's one script, at its versioned address (asset_url) */
static const char LAYOUT_SCRIPT[] = "<script src=\"/assets/app.js?v=";

static void check_response(const Buf *out, const uint8_t *data, size_t size) {
    const char *o = out->data;
    FUZZ_CHECK(out->len > 12 && memcmp(o, "HTTP/1.1 ", 9) == 0, "not an HTTP response");
    int status = atoi(o + 9);
    FUZZ_CHECK(status >= 200 && status < 500, "status %d for request \"%.*s\"\n%.*s", status, (int)(size < 300 ? size : 300), (const char *)data,
               (int)(out->len < 2000 ? out->len : 2000), o);
    const char *sep = memmem(o, out->len, "\r\n\r\n", 4);
    FUZZ_CHECK(sep != NULL, "no end of headers");
    size_t hl = (size_t)(sep - o), bl = out->len - hl - 4;
    const char *body = sep + 4;
    char want[40];
    snprintf(want, sizeof want, "Content-Length: %zu\r\n", bl);
    FUZZ_CHECK(memmem(o, hl + 2, want, strlen(want)) != NULL, "Content-Length is not the body's length");
    if (memmem(o, hl, "Content-Type: application/json", 30) && bl) {
        json_error_t err;
        json_t *v = json_loadb(body, bl, 0, &err);
        FUZZ_CHECK(v != NULL, "a JSON answer that does not parse (%s): %.*s", err.text, (int)(bl < 500 ? bl : 500), body);
        json_decref(v);
    }
    if (memmem(o, hl, "Content-Type: text/html", 23)) {
        size_t scripts = fuzz_count_ci(body, bl, "<script");
        FUZZ_CHECK(scripts == 0 || (scripts == 1 && memmem(body, bl, LAYOUT_SCRIPT, sizeof LAYOUT_SCRIPT - 1)),
                   "a page with a script of its own, for request \"%.*s\"", (int)(size < 300 ? size : 300), (const char *)data);
        fuzz_check_urls(body, bl, "page");
        fuzz_check_tags(body, bl, "page");
    }
}

static const char SEP[] = "\n~~next~~\n";

/* handle_one: one raw request through remit and the checks on its answer. */
static void handle_one(const uint8_t *data, size_t size) {
    Buf out = {0};
    rawhttp_handle(db, (const char *)data, size, &out);
    FUZZ_CHECK(!db_in_tx(db), "a transaction was left open");
    if (getenv("FUZZ_HTTP_SHOW")) { /* FUZZ_HTTP_SHOW=1 build/fuzz/http FILE...: what each request gets */
        const char *eol = memchr(out.data, '\r', out.len), *rl = memchr(data, '\r', size);
        fprintf(stderr, "FUZZ_HTTP_SHOW %.*s -> %.*s\n", (int)(rl ? rl - (const char *)data : 0), (const char *)data, (int)(eol ? eol - out.data : 0), out.data);
    }
    check_response(&out, data, size);
    buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_db_restore();
    const uint8_t *p = data, *end = data + size;
    for (int k = 0; k < 4; k++) {
        const uint8_t *q = memmem(p, (size_t)(end - p), SEP, sizeof SEP - 1);
        handle_one(p, q ? (size_t)(q - p) : (size_t)(end - p));
        if (!q) break;
        p = q + sizeof SEP - 1;
    }
    return 0;
}
