/* auth.c: the only file that includes <sodium.h>. Password hashing
 * (argon2id), random tokens, token hashes, constant-time compares, login
 * with throttling, sessions and API tokens. It decides who the caller is;
 * what the caller may do is the router's job. */
#include "remit.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int auth_init(void) { return sodium_init() < 0 ? -1 : 0; }

/* auth_password_hash: argon2id at libsodium's "interactive" limits (the
 * minimum the contract allows). out must hold crypto_pwhash_STRBYTES. */
int auth_password_hash(const char *pw, char *out, size_t outsz) {
    if (outsz < crypto_pwhash_STRBYTES) return -1;
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

bool auth_password_verify(const char *hash, const char *pw) {
    if (!hash || !*hash) return false;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* auth_dummy_verify: spends what a real verify spends, so an unknown e-mail
 * answers in the same time as a wrong password. */
void auth_dummy_verify(const char *pw) {
    static char dummy[crypto_pwhash_STRBYTES];
    static int ready;
    if (!ready) {
        auth_password_hash("remit-dummy-password", dummy, sizeof dummy);
        ready = 1;
    }
    if (crypto_pwhash_str_verify(dummy, pw, strlen(pw)) == 0) return; /* result unused: only the time matters */
}

const char *auth_password_problem(const char *pw) {
    if (!pw || strlen(pw) < 10) return "Passwords need at least 10 characters.";
    if (strlen(pw) > 200) return "Passwords may have at most 200 characters.";
    return NULL;
}

void auth_random_token(char out[44]) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 44, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_hash(const char *token, char out[65]) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

bool auth_equal(const char *a, const char *b) {
    if (!a || !b) return false;
    size_t n = strlen(a);
    if (n != strlen(b) || n == 0) return false;
    return sodium_memcmp(a, b, n) == 0;
}

static const char SQL_SESSION_PRUNE[] =
    "DELETE FROM session WHERE person_id = ? AND (created_at < ? OR last_seen < ?)";
static const char SQL_SESSION_INSERT[] =
    "INSERT INTO session(token_hash, person_id, org_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)";

/* auth_session_create: a new session for the person; the token (to send as
 * the cookie) and the CSRF token are written to the out buffers. */
int auth_session_create(Db *db, int64_t person_id, int64_t org_id, int64_t now, char token_out[44], char csrf_out[44]) {
    char hash[65];
    auth_random_token(token_out);
    auth_random_token(csrf_out);
    auth_token_hash(token_out, hash);
    db_exec(db, SQL_SESSION_PRUNE, "iii", person_id, now - SESSION_MAX_SECONDS, now - SESSION_IDLE_SECONDS);
    return db_exec(db, SQL_SESSION_INSERT, "tiitii", hash, person_id, org_id, csrf_out, now, now);
}

int auth_token_create(Db *db, int64_t person_id, int64_t org_id, const char *label, int64_t now, char token_out[44]) {
    char hash[65];
    auth_random_token(token_out);
    auth_token_hash(token_out, hash);
    return db_exec(db, "INSERT INTO api_token(token_hash, person_id, org_id, label, created_at) VALUES (?, ?, ?, ?, ?)",
                   "tiiti", hash, person_id, org_id, label ? label : "", now);
}

static const char SQL_FAIL_EMAIL[] = "SELECT count(*) FROM login_failure WHERE email_lc = ? AND at > ?";
static const char SQL_FAIL_IP[] = "SELECT count(*) FROM login_failure WHERE ip = ? AND at > ?";
static const char SQL_FAIL_ADD[] = "INSERT INTO login_failure(email_lc, ip, at) VALUES (?, ?, ?)";
static const char SQL_FAIL_PRUNE[] = "DELETE FROM login_failure WHERE at <= ?";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failure WHERE email_lc = ?";
static const char SQL_LOGIN_CANDIDATES[] =
    "SELECT id, org_id, password_hash FROM person WHERE email_lc = ? AND status <> 'left' AND password_hash IS NOT NULL ORDER BY id";

/* auth_login: checks the throttles, then the password. Returns 0 and fills
 * the tokens on success, 401 for wrong credentials (the same for an unknown
 * e-mail), 429 when throttled, 503 when the database is busy. On success
 * r->who holds the person. */
int auth_login(Req *r, const char *email, const char *password, char token_out[44], char csrf_out[44]) {
    Db *db = r->db;
    char *lc = str_lower(r->arena, email ? email : "");
    const char *ip = r->client_ip ? r->client_ip : "";
    int64_t since = r->now - LOGIN_WINDOW_SECONDS, n = 0;
    if (db_one_int(db, &n, SQL_FAIL_EMAIL, "ti", lc, since) && n >= LOGIN_MAX_PER_EMAIL) return 429;
    if (db_one_int(db, &n, SQL_FAIL_IP, "ti", ip, since) && n >= LOGIN_MAX_PER_IP) return 429;

    /* One e-mail may have accounts in several organisations: the first whose
     * password matches wins. Hashes are copied out before the slow verify. */
    int64_t ids[8], orgs[8];
    char *hashes[8];
    int nc = 0;
    Stmt *s = db_q(db, SQL_LOGIN_CANDIDATES, "t", lc);
    while (nc < 8 && db_step(s) == DB_ROW) {
        ids[nc] = db_int(s, 0);
        orgs[nc] = db_int(s, 1);
        hashes[nc] = db_dup(s, 2, r->arena);
        nc++;
    }
    db_reset(s);
    int found = -1;
    if (nc == 0) auth_dummy_verify(password ? password : "");
    for (int i = 0; i < nc && found < 0; i++)
        if (auth_password_verify(hashes[i], password ? password : "")) found = i;

    if (db_begin(db) != DB_OK) return 503;
    db_exec(db, SQL_FAIL_PRUNE, "i", since);
    if (found < 0) {
        db_exec(db, SQL_FAIL_ADD, "tti", lc, ip, r->now);
        db_commit(db);
        return 401;
    }
    db_exec(db, SQL_FAIL_CLEAR, "t", lc);
    if (auth_session_create(db, ids[found], orgs[found], r->now, token_out, csrf_out) != DB_OK) {
        db_rollback(db);
        return 503;
    }
    audit_db(db, orgs[found], ids[found], r->now, "login", arena_printf(r->arena, "person:%lld", (long long)ids[found]), "");
    if (db_commit(db) != DB_OK) return 503;
    r->who.person_id = ids[found];
    r->who.org_id = orgs[found];
    return 0;
}

/* auth_set_cookie: the session cookie; max_age 0 deletes it. */
void auth_set_cookie(Req *r, const char *token, int max_age) {
    resp_header(r, "Set-Cookie",
                arena_printf(r->arena, "remit_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", token, max_age,
                             g_config.secure_cookies ? "; Secure" : ""));
}

static const char SQL_WHO_SESSION[] =
    "SELECT p.id, p.org_id, p.access, p.name, p.email, s.csrf, s.last_seen FROM session s JOIN person p ON p.id = s.person_id "
    "WHERE s.token_hash = ? AND s.created_at > ? AND s.last_seen > ? AND p.status <> 'left' AND p.org_id = s.org_id";
static const char SQL_TOUCH_SESSION[] = "UPDATE session SET last_seen = ? WHERE token_hash = ?";
static const char SQL_WHO_TOKEN[] =
    "SELECT p.id, p.org_id, p.access, p.name, p.email, t.last_used FROM api_token t JOIN person p ON p.id = t.person_id "
    "WHERE t.token_hash = ? AND p.status <> 'left' AND p.org_id = t.org_id";
static const char SQL_TOUCH_TOKEN[] = "UPDATE api_token SET last_used = ? WHERE token_hash = ?";

/* auth_resolve: who is calling, from `Authorization: Bearer` or the session
 * cookie. 0 when authenticated (r->who filled), 1 when anonymous. Activity is
 * recorded at most once a minute to keep reads free of writes. */
int auth_resolve(Req *r) {
    const char *authz = req_header(r, "authorization");
    char hash[65];
    if (authz && strncmp(authz, "Bearer ", 7) == 0) {
        const char *tok = authz + 7;
        if (strlen(tok) != 43) return 1;
        auth_token_hash(tok, hash);
        Stmt *s = db_q(r->db, SQL_WHO_TOKEN, "t", hash);
        int found = 0;
        int64_t last = 0;
        if (db_step(s) == DB_ROW) {
            r->who.person_id = db_int(s, 0);
            r->who.org_id = db_int(s, 1);
            r->who.access = access_parse(db_text(s, 2));
            r->who.name = db_dup(s, 3, r->arena);
            r->who.email = db_dup(s, 4, r->arena);
            last = db_int(s, 5);
            r->who.via_token = true;
            found = 1;
        }
        db_reset(s);
        if (found && r->now - last > 60) db_exec(r->db, SQL_TOUCH_TOKEN, "it", r->now, hash);
        return found ? 0 : 1;
    }
    const char *cookie = kv_get(&r->cookies, "remit_session");
    if (!cookie || strlen(cookie) != 43) return 1;
    auth_token_hash(cookie, hash);
    Stmt *s = db_q(r->db, SQL_WHO_SESSION, "tii", hash, r->now - SESSION_MAX_SECONDS, r->now - SESSION_IDLE_SECONDS);
    int found = 0;
    int64_t last = 0;
    if (db_step(s) == DB_ROW) {
        r->who.person_id = db_int(s, 0);
        r->who.org_id = db_int(s, 1);
        r->who.access = access_parse(db_text(s, 2));
        r->who.name = db_dup(s, 3, r->arena);
        r->who.email = db_dup(s, 4, r->arena);
        r->who.csrf = db_dup(s, 5, r->arena);
        last = db_int(s, 6);
        r->who.via_cookie = true;
        r->who.session_hash = arena_strdup(r->arena, hash);
        found = 1;
    }
    db_reset(s);
    if (found && r->now - last > 60) db_exec(r->db, SQL_TOUCH_SESSION, "it", r->now, hash);
    return found ? 0 : 1;
}

/* auth_hmac_sha256_hex: HMAC-SHA256 of msg under key (any length), as 64
 * lowercase hex digits: the signature of webhook bodies and unsubscribe
 * links (notify.c, outbox.c). */
void auth_hmac_sha256_hex(const char *key, const void *msg, size_t len, char out[65]) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha256_update(&st, msg, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}
