/* auth.c: the only file that includes <sodium.h>. Password hashing
 * (argon2id), random tokens, token hashes, constant-time compares, login
 * with throttling, sessions and API tokens. It decides who the caller is;
 * what the caller may do is the router's job. */
#include "remit.h"
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int auth_init(void) { return sodium_init() < 0 ? -1 : 0; }

/* Every argon2id hash or verify takes 64 MiB for its duration, so at most
 * AUTH_HASH_MAX_RUNNING run at once (a counting semaphore made of a mutex
 * and a condition); the others wait up to AUTH_HASH_WAIT_MS for a turn and
 * then give up, and the caller answers 503 with Retry-After. Twenty logins
 * at once thus cost two hashes' memory, not twenty. */
static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_cv = PTHREAD_COND_INITIALIZER;
static int hash_running;

static bool hash_enter(void) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += AUTH_HASH_WAIT_MS / 1000;
    until.tv_nsec += (long)(AUTH_HASH_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    bool ok = true;
    pthread_mutex_lock(&hash_mu);
    while (hash_running >= AUTH_HASH_MAX_RUNNING)
        if (pthread_cond_timedwait(&hash_cv, &hash_mu, &until) == ETIMEDOUT && hash_running >= AUTH_HASH_MAX_RUNNING) {
            ok = false;
            break;
        }
    if (ok) hash_running++;
    pthread_mutex_unlock(&hash_mu);
    return ok;
}

static void hash_leave(void) {
    pthread_mutex_lock(&hash_mu);
    hash_running--;
    pthread_cond_signal(&hash_cv);
    pthread_mutex_unlock(&hash_mu);
}

/* auth_password_hash: argon2id at libsodium's "interactive" limits (the
 * minimum the contract allows). out must hold crypto_pwhash_STRBYTES.
 * 0 ok, AUTH_BUSY when no turn came before the deadline, -1 otherwise. */
int auth_password_hash(const char *pw, char *out, size_t outsz) {
    if (outsz < crypto_pwhash_STRBYTES) return -1;
    if (!hash_enter()) return AUTH_BUSY;
    int rc = crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                   crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
    hash_leave();
    return rc == 0 ? 0 : -1;
}

/* auth_password_check: 1 when pw matches hash, 0 when not (or no hash),
 * AUTH_BUSY when no turn came before the deadline. */
int auth_password_check(const char *hash, const char *pw) {
    if (!hash || !*hash) return 0;
    if (!hash_enter()) return AUTH_BUSY;
    int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    hash_leave();
    return ok;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static void dummy_make(void) {
    /* made once, outside the semaphore's deadline: a failure only leaves
     * the dummy empty, which the check below treats as no hash */
    while (auth_password_hash("remit-dummy-password", dummy_hash, sizeof dummy_hash) == AUTH_BUSY) {}
}

/* auth_dummy_verify: spends what a real verify spends, so an unknown e-mail
 * answers in the same time as a wrong password. 0, or AUTH_BUSY. */
int auth_dummy_verify(const char *pw) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, dummy_make);
    if (!dummy_hash[0]) return 0;
    return auth_password_check(dummy_hash, pw) == AUTH_BUSY ? AUTH_BUSY : 0; /* the match itself is unused: only the time matters */
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

uint64_t auth_random_u64(void) {
    uint64_t v;
    randombytes_buf(&v, sizeof v);
    return v;
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

/* Throttles, over the failures of the last LOGIN_WINDOW_SECONDS:
 * - one e-mail from one address: LOGIN_MAX_PER_PAIR, then 429 until the
 *   oldest of them ages out of the window;
 * - one address for any e-mail: LOGIN_MAX_PER_IP, the same way;
 * - one e-mail from anywhere: after LOGIN_DELAY_AFTER failures each further
 *   attempt waits 2^(n - LOGIN_DELAY_AFTER) seconds (at most
 *   LOGIN_DELAY_MAX) after the latest failure. That is a delay, never a
 *   lock: once it is over, the right password from any address that has not
 *   used up its own pair budget logs in, so a stranger guessing from
 *   elsewhere cannot keep the owner out for the whole window. */
static const char SQL_FAIL_PAIR[] = "SELECT count(*), min(at) FROM login_failure WHERE email_lc = ? AND ip = ? AND at > ?";
static const char SQL_FAIL_EMAIL[] = "SELECT count(*), max(at) FROM login_failure WHERE email_lc = ? AND at > ?";
static const char SQL_FAIL_IP[] = "SELECT count(*), min(at) FROM login_failure WHERE ip = ? AND at > ?";
static const char SQL_FAIL_ADD[] = "INSERT INTO login_failure(email_lc, ip, at) VALUES (?, ?, ?)";
static const char SQL_FAIL_PRUNE[] = "DELETE FROM login_failure WHERE at <= ?";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failure WHERE email_lc = ?";
static const char SQL_LOGIN_CANDIDATES[] =
    "SELECT id, org_id, password_hash FROM person WHERE email_lc = ? AND status <> 'left' AND password_hash IS NOT NULL ORDER BY id";

/* count_and_time: the count and the min/max time of one throttle query. */
static int64_t count_and_time(Db *db, const char *sql, const char *types, const char *a, const char *b, int64_t since, int64_t *t) {
    Stmt *s = b ? db_q(db, sql, types, a, b, since) : db_q(db, sql, types, a, since);
    int64_t n = 0;
    *t = 0;
    if (db_step(s) == DB_ROW) {
        n = db_int(s, 0);
        *t = db_int(s, 1);
    }
    db_reset(s);
    return n;
}

/* login_wait: seconds the caller must wait before this attempt is heard,
 * 0 when it may go ahead now. */
static int64_t login_wait(Db *db, const char *lc, const char *ip, int64_t now) {
    int64_t since = now - LOGIN_WINDOW_SECONDS, t, wait = 0;
    if (count_and_time(db, SQL_FAIL_PAIR, "tti", lc, ip, since, &t) >= LOGIN_MAX_PER_PAIR) wait = t + LOGIN_WINDOW_SECONDS - now;
    int64_t n = count_and_time(db, SQL_FAIL_IP, "ti", ip, NULL, since, &t);
    if (n >= LOGIN_MAX_PER_IP && t + LOGIN_WINDOW_SECONDS - now > wait) wait = t + LOGIN_WINDOW_SECONDS - now;
    n = count_and_time(db, SQL_FAIL_EMAIL, "ti", lc, NULL, since, &t);
    if (n >= LOGIN_DELAY_AFTER) {
        int shift = (int)(n - LOGIN_DELAY_AFTER);
        int64_t delay = shift >= 20 ? LOGIN_DELAY_MAX : (int64_t)1 << shift;
        if (delay > LOGIN_DELAY_MAX) delay = LOGIN_DELAY_MAX;
        if (t + delay - now > wait) wait = t + delay - now;
    }
    return wait > 0 ? wait : 0;
}

static void retry_after(Req *r, int64_t seconds) {
    resp_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)(seconds > 0 ? seconds : 1)));
}

/* auth_login: checks the throttles, then the password. Returns 0 and fills
 * the tokens on success, 401 for wrong credentials (the same for an unknown
 * e-mail), 429 when throttled, 503 when the database is busy or no argon2
 * turn came in time; 429 and 503 come with a Retry-After header already
 * set. On success r->who holds the person. */
int auth_login(Req *r, const char *email, const char *password, char token_out[44], char csrf_out[44]) {
    Db *db = r->db;
    char *lc = str_lower(r->arena, email ? email : "");
    const char *ip = r->client_ip ? r->client_ip : "";
    int64_t since = r->now - LOGIN_WINDOW_SECONDS;
    int64_t wait = login_wait(db, lc, ip, r->now);
    if (wait > 0) {
        retry_after(r, wait);
        return 429;
    }

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
    bool busy = nc == 0 && auth_dummy_verify(password ? password : "") == AUTH_BUSY;
    for (int i = 0; i < nc && found < 0 && !busy; i++) {
        int ok = auth_password_check(hashes[i], password ? password : "");
        if (ok == AUTH_BUSY) busy = true;
        else if (ok == 1) found = i;
    }
    if (busy) { /* not a failure: nothing was checked */
        retry_after(r, 2);
        return 503;
    }

    if (db_begin(db) != DB_OK) {
        retry_after(r, 1);
        return 503;
    }
    db_exec(db, SQL_FAIL_PRUNE, "i", since);
    if (found < 0) {
        db_exec(db, SQL_FAIL_ADD, "tti", lc, ip, r->now);
        db_commit(db);
        return 401;
    }
    db_exec(db, SQL_FAIL_CLEAR, "t", lc);
    if (auth_session_create(db, ids[found], orgs[found], r->now, token_out, csrf_out) != DB_OK) {
        db_rollback(db);
        retry_after(r, 1);
        return 503;
    }
    audit_db(db, orgs[found], ids[found], r->now, "login", arena_printf(r->arena, "person:%lld", (long long)ids[found]), "");
    if (db_commit(db) != DB_OK) {
        retry_after(r, 1);
        return 503;
    }
    r->who.person_id = ids[found];
    r->who.org_id = orgs[found];
    return 0;
}

/* auth_end_credentials: ends every session and API token of a person (after
 * a password change or reset, or when they leave). In the caller's
 * transaction. */
int auth_end_credentials(Db *db, int64_t person_id) {
    int rc = db_exec(db, "DELETE FROM session WHERE person_id = ?", "i", person_id);
    if (rc == DB_OK) rc = db_exec(db, "DELETE FROM api_token WHERE person_id = ?", "i", person_id);
    return rc;
}

/* auth_set_cookie: the session cookie; max_age 0 deletes it. */
void auth_set_cookie(Req *r, const char *token, int max_age) {
    resp_header(r, "Set-Cookie",
                arena_printf(r->arena, "remit_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", token, max_age,
                             g_config.secure_cookies ? "; Secure" : ""));
}

/* auth_prelogin: the caller's pre-login token (the remit_prelogin cookie),
 * or a fresh one set as that cookie when it has none. The login form carries
 * it in a hidden field; a form posted from another site cannot read the
 * cookie, so it cannot fill in the field. Arena-owned. */
const char *auth_prelogin(Req *r) {
    const char *c = kv_get(&r->cookies, "remit_prelogin");
    if (c && strlen(c) == 43) return c;
    char t[44];
    auth_random_token(t);
    resp_header(r, "Set-Cookie",
                arena_printf(r->arena, "remit_prelogin=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", t, PRELOGIN_MAX_AGE,
                             g_config.secure_cookies ? "; Secure" : ""));
    return arena_strdup(r->arena, t);
}

/* auth_prelogin_ok: the posted field matches the cookie (constant time). */
bool auth_prelogin_ok(Req *r, const char *field) {
    const char *c = kv_get(&r->cookies, "remit_prelogin");
    return c && strlen(c) == 43 && auth_equal(c, field);
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
        if (found && r->now - last > 60) r->who.touch_hash = arena_strdup(r->arena, hash);
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
    if (found && r->now - last > 60) r->who.touch_hash = r->who.session_hash;
    return found ? 0 : 1;
}

/* auth_touch: records the caller's activity (at most once a minute), after
 * the handler, unless the request submitted something anonymous
 * (r->no_trace): that request must leave no time behind (anon.c). */
void auth_touch(Req *r) {
    if (!r->who.touch_hash || r->no_trace) return;
    db_exec(r->db, r->who.via_token ? SQL_TOUCH_TOKEN : SQL_TOUCH_SESSION, "it", r->now, r->who.touch_hash);
    r->who.touch_hash = NULL;
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
