/* session.c: logging in and out (HTML form and JSON API), the caller's own
 * account page and password change. Throttling and token handling live in
 * auth.c; this file turns them into pages and answers. */
#include "remit.h"
#include "handlers.h"
#include "grow.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* local_path: a path on this site: one leading '/', not followed by another
 * '/' or a backslash, and no control character or backslash anywhere
 * (browsers drop tabs and line breaks and read '\' as '/', so "/\t/host"
 * and "/\\host" lead off-site). */
static bool local_path(const char *p) {
    if (!p || p[0] != '/' || p[1] == '/') return false;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '\\') return false;
    return true;
}

/* safe_next: where to go after login: next when it is a local path both as
 * given (already percent-decoded once) and after one more decoding (so that
 * "/%2F%2Fhost" and "/%5Chost" are refused too), else "/". */
static const char *safe_next(Req *r, const char *next) {
    if (!local_path(next)) return "/";
    char *again = url_decode(r->arena, next, strlen(next), false);
    if (strstr(next, "%00") || !again || !local_path(again)) return "/";
    return next;
}

/* login_cross_site: the login request came from another site: a browser
 * said so (Sec-Fetch-Site: cross-site), or it sent an Origin that is not
 * ours (--public-url's origin, or this Host under http or https). API
 * clients that send neither header are not browsers and pass. */
static bool login_cross_site(Req *r) {
    const char *sfs = req_header(r, "sec-fetch-site");
    if (sfs && strcasecmp(sfs, "cross-site") == 0) return true;
    const char *origin = req_header(r, "origin");
    if (!origin) return false;
    if (g_config.public_url) {
        const char *hs = strstr(g_config.public_url, "://");
        const char *pe = hs ? strchr(hs + 3, '/') : NULL;
        size_t n = pe ? (size_t)(pe - g_config.public_url) : strlen(g_config.public_url);
        if (strlen(origin) == n && strncasecmp(origin, g_config.public_url, n) == 0) return false;
    }
    const char *host = req_header(r, "host");
    const char *rest = strncasecmp(origin, "http://", 7) == 0 ? origin + 7 : strncasecmp(origin, "https://", 8) == 0 ? origin + 8 : NULL;
    return !host || !*host || !rest || strcasecmp(rest, host) != 0;
}

static void login_form(Req *r, const char *email, const char *next, const char *error) {
    const char *token = auth_prelogin(r);
    page_begin(r, "Log in");
    buf_puts(page(r), "<div class=\"narrow\"><h1>Log in to remit</h1>");
    if (error) html_printf(page(r), "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    else if (req_query(r, "password")) page_flash(r, T(r, "Your password is set. Log in with it."));
    html_printf(page(r),
                "<form method=\"post\" action=\"/login\" novalidate><input type=\"hidden\" name=\"next\" value=\"%h\">"
                "<input type=\"hidden\" name=\"login_token\" value=\"%h\">",
                safe_next(r, next), token);
    html_printf(page(r),
                "<div class=\"field\"><label for=\"f-email\">E-mail</label><input id=\"f-email\" name=\"email\" type=\"email\" "
                "autocomplete=\"username\" required value=\"%h\"></div>"
                "<div class=\"field\"><label for=\"f-password\">Password</label><input id=\"f-password\" name=\"password\" "
                "type=\"password\" autocomplete=\"current-password\" required></div>"
                "<div class=\"actions\"><button type=\"submit\">Log in</button></div></form>"
                "<p><a href=\"/password/forgot\">Forgot your password?</a></p></div>",
                email ? email : "");
    page_end(r);
}

/* GET /login?next=PATH: the login form (public); a caller already logged
 * in goes straight to next (when it is a local path, else to /). Sets the
 * remit_prelogin cookie the form's login_token is checked against. */
int session_page_login(Req *r) {
    if (r->who.person_id) {
        resp_redirect(r, safe_next(r, req_query(r, "next")));
        return 0;
    }
    login_form(r, NULL, req_query(r, "next"), NULL);
    return 0;
}

/* POST /login (email, password, next, login_token): logs in and redirects
 * to next (public). 403 without a login_token matching the remit_prelogin
 * cookie or from another site (login CSRF), 401, 429 and 503 otherwise. */
int session_page_login_post(Req *r) {
    const char *email = req_form(r, "email"), *pw = req_form(r, "password"), *next = safe_next(r, req_form(r, "next"));
    if (login_cross_site(r) || !auth_prelogin_ok(r, req_form(r, "login_token"))) {
        login_form(r, email, next, T(r, "This login form has expired or was sent from another site. Check the address and log in again."));
        r->resp.status = 403;
        return 0;
    }
    char token[44], csrf[44];
    int rc = auth_login(r, email, pw, token, csrf);
    if (rc == 0) {
        auth_set_cookie(r, token, SESSION_MAX_SECONDS);
        resp_redirect(r, next);
        return 0;
    }
    const char *msg = rc == 401 ? T(r, "Wrong e-mail or password.") : T(r, "The server is busy; try again in a moment.");
    if (rc == 429) {
        /* people see no headers: the wait in words, from the Retry-After auth_login set */
        const char *ra = kv_get(&r->resp.headers, "Retry-After");
        int secs = ra ? atoi(ra) : 60, mins = (secs + 59) / 60;
        msg = secs < 120 ? arena_printf(r->arena, TN(r, "Too many failed attempts. Try again in %d second.", "Too many failed attempts. Try again in %d seconds.", secs), secs)
                         : arena_printf(r->arena, TN(r, "Too many failed attempts. Try again in %d minute.", "Too many failed attempts. Try again in %d minutes.", mins), mins);
    }
    login_form(r, email, next, msg);
    r->resp.status = rc == 401 || rc == 429 ? rc : 503;
    return 0;
}

static void end_session(Req *r) {
    if (r->who.session_hash) db_exec(r->db, "DELETE FROM session WHERE token_hash = ?", "t", r->who.session_hash);
    auth_set_cookie(r, "", 0);
}

/* POST /logout: ends the session (member). */
int session_page_logout(Req *r) {
    end_session(r);
    resp_redirect(r, "/login");
    return 0;
}

static json_t *me_json(Req *r) {
    return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)r->who.person_id, "name", r->who.name, "email", r->who.email, "access",
                     access_name(r->who.access));
}

static const JField LOGIN_FIELDS[] = {{"email", JF_STRING, 254}, {"password", JF_STRING, 200}, {0}};

/* POST /api/v1/session {"email","password"}: logs in (public). 200 with the
 * person and CSRF token; 401 wrong credentials; 429 throttled. */
int session_api_create(Req *r) {
    json_t *in = req_json_object(r, LOGIN_FIELDS);
    if (!in) return -1;
    const char *email = json_str(in, "email"), *pw = json_str(in, "password");
    if (!email || !pw) return resp_error(r, 422, "missing_field", "Both \"email\" and \"password\" are required.");
    if (login_cross_site(r))
        return resp_error(r, 403, "cross_site", "%s", T(r, "A login from another site's page is refused; log in on remit's own page."));
    char token[44], csrf[44];
    int rc = auth_login(r, email, pw, token, csrf);
    if (rc == 429) return resp_error(r, 429, "too_many_attempts", "%s", T(r, "Too many failed attempts; wait for the Retry-After time and try again."));
    if (rc == 401) return resp_error(r, 401, "invalid_credentials", "%s", T(r, "Wrong e-mail or password."));
    if (rc) return resp_error(r, 503, "busy", "%s", T(r, "The server is busy; try again after the Retry-After time."));
    /* load the person the login found */
    Stmt *s = db_q(r->db, "SELECT name, email, access FROM person WHERE id = ?", "i", r->who.person_id);
    if (db_step(s) == DB_ROW) {
        r->who.name = db_dup(s, 0, r->arena);
        r->who.email = db_dup(s, 1, r->arena);
        r->who.access = access_parse(db_text(s, 2));
    }
    db_reset(s);
    auth_set_cookie(r, token, SESSION_MAX_SECONDS);
    resp_json(r, 200, json_pack("{s:o,s:s}", "person", me_json(r), "csrf_token", csrf));
    return 0;
}

/* GET /api/v1/session: who the caller is (member). csrf_token is null for
 * API tokens. */
int session_api_get(Req *r) {
    resp_json(r, 200, json_pack("{s:o,s:s?}", "person", me_json(r), "csrf_token", r->who.csrf));
    return 0;
}

/* DELETE /api/v1/session: ends the cookie session (member). 204. */
int session_api_delete(Req *r) {
    end_session(r);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* change_password: checks the current password and the new one, stores the
 * new hash, ends every session and API token of the person (a stolen token
 * must not outlive the password it was made under) and opens a fresh
 * session for this caller when it came with a cookie. 0 ok; errors go to e. */
static int change_password(Req *r, const char *current, const char *next, Errors *e, char token[44], char csrf[44]) {
    char *hash = NULL;
    Stmt *s = db_q(r->db, "SELECT password_hash FROM person WHERE id = ? AND org_id = ?", "ii", r->who.person_id, r->who.org_id);
    if (db_step(s) == DB_ROW) hash = db_dup(s, 0, r->arena);
    db_reset(s);
    int ok = current ? auth_password_check(hash, current) : 0;
    if (ok == AUTH_BUSY) {
        err_add(e, 503, "busy", NULL, T(r, "The server is busy; try again in a moment."));
        resp_header(r, "Retry-After", "2");
        return -1;
    }
    if (!ok) err_add(e, 422, "wrong_password", "current_password", "This is not your current password.");
    const char *problem = auth_password_problem(next);
    if (problem) err_add(e, 422, "weak_password", "new_password", problem);
    if (e->n) return -1;
    char nh[160];
    if (auth_password_hash(next, nh, sizeof nh) != 0) {
        err_add(e, 503, "busy", NULL, "Could not hash the password; try again.");
        resp_header(r, "Retry-After", "2");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    db_exec(r->db, "UPDATE person SET password_hash = ?, password_changed_at = ? WHERE id = ?", "tii", nh, r->now, r->who.person_id);
    auth_end_credentials(r->db, r->who.person_id);
    token[0] = csrf[0] = 0;
    if (r->who.via_cookie) auth_session_create(r->db, r->who.person_id, r->who.org_id, r->now, token, csrf);
    audit(r, "password.change", arena_printf(r->arena, "person:%lld", (long long)r->who.person_id), "all sessions and API tokens ended");
    if (db_commit(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    if (token[0]) {
        auth_set_cookie(r, token, SESSION_MAX_SECONDS);
        r->who.csrf = arena_strdup(r->arena, csrf);
    }
    return 0;
}

static const JField PASSWORD_FIELDS[] = {{"current_password", JF_STRING, 200}, {"new_password", JF_STRING, 200}, {0}};

/* POST /api/v1/session/password {"current_password","new_password"}:
 * changes the caller's password and ends all their sessions and API tokens,
 * the one this call came with included (member). */
int session_api_password(Req *r) {
    json_t *in = req_json_object(r, PASSWORD_FIELDS);
    if (!in) return -1;
    Errors e = {0};
    char token[44], csrf[44];
    if (change_password(r, json_str(in, "current_password"), json_str(in, "new_password"), &e, token, csrf)) return err_send(r, &e);
    resp_json(r, 200, json_pack("{s:o,s:s?}", "person", me_json(r), "csrf_token", token[0] ? csrf : NULL));
    return 0;
}

static void account_page(Req *r, const Errors *e, const char *flash) {
    page_begin(r, "Your account");
    html_printf(page(r), "<h1>Your account</h1>");
    page_flash(r, flash);
    html_printf(page(r), "<dl class=\"facts\"><dt>Name</dt><dd><a href=\"/people/%D\">%h</a></dd><dt>E-mail</dt><dd>%h</dd><dt>Access</dt><dd>%h</dd></dl>",
                r->who.person_id, r->who.name, r->who.email, T(r, access_name(r->who.access)));
    html_printf(page(r), "<p><a href=\"/people/%D/edit\">Your name, title and language</a></p>", r->who.person_id);
    html_printf(page(r), "<p><a href=\"/account/notifications\">%h</a></p>", T(r, "How remit tells you things: notifications and e-mail"));
    html_printf(page(r), "<h2>%h</h2><p>%h</p>", T(r, "Change your password"),
                T(r, "Changing it logs you out everywhere else and ends all your API tokens: scripts that use one need a new token."));
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/account/password", NULL);
    form_text(r, "current_password", "Current password", "", e ? err_for(e, "current_password") : NULL, "password", true);
    form_text(r, "new_password", "New password (at least 10 characters)", "", e ? err_for(e, "new_password") : NULL, "password", true);
    form_end(r, "Change password");
    fairness_account_card(r);
    page_end(r);
}

/* GET /account: the caller's account (member). */
int session_page_account(Req *r) {
    account_page(r, NULL, req_query(r, "done") ? "Your password has been changed." : req_query(r, "saved") ? "Saved." : NULL);
    return 0;
}

/* POST /account/password (current_password, new_password) (member). */
int session_page_password(Req *r) {
    Errors e = {0};
    char token[44], csrf[44];
    if (change_password(r, req_form(r, "current_password"), req_form(r, "new_password"), &e, token, csrf)) {
        account_page(r, &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/account?done=1");
    return 0;
}
