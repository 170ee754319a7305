/* session.c: logging in and out (HTML form and JSON API), the caller's own
 * account page and password change. Throttling and token handling live in
 * auth.c; this file turns them into pages and answers. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

/* safe_next: only same-site absolute paths are followed after login. */
static const char *safe_next(const char *next) {
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strchr(next, '\r') || strchr(next, '\n')) return "/";
    return next;
}

static void login_form(Req *r, const char *email, const char *next, const char *error) {
    page_begin(r, "Log in");
    buf_puts(page(r), "<div class=\"narrow\"><h1>Log in to remit</h1>");
    if (error) html_printf(page(r), "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    else if (req_query(r, "password")) page_flash(r, T(r, "Your password is set. Log in with it."));
    html_printf(page(r), "<form method=\"post\" action=\"/login\" novalidate><input type=\"hidden\" name=\"next\" value=\"%h\">", next ? next : "/");
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

/* GET /login?next=PATH: the login form (public). */
int session_page_login(Req *r) {
    if (r->who.person_id) {
        resp_redirect(r, safe_next(req_query(r, "next")));
        return 0;
    }
    login_form(r, NULL, req_query(r, "next"), NULL);
    return 0;
}

/* POST /login (email, password, next): logs in and redirects to next (public). */
int session_page_login_post(Req *r) {
    const char *email = req_form(r, "email"), *pw = req_form(r, "password"), *next = safe_next(req_form(r, "next"));
    char token[44], csrf[44];
    int rc = auth_login(r, email, pw, token, csrf);
    if (rc == 0) {
        auth_set_cookie(r, token, SESSION_MAX_SECONDS);
        resp_redirect(r, next);
        return 0;
    }
    login_form(r, email, next,
               rc == 429 ? "Too many failed attempts. Wait 15 minutes and try again."
               : rc == 401 ? "Wrong e-mail or password."
                           : "The server is busy; try again in a moment.");
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
    if (!email || !pw) return resp_error(r, 400, "missing_field", "Both \"email\" and \"password\" are required.");
    char token[44], csrf[44];
    int rc = auth_login(r, email, pw, token, csrf);
    if (rc == 429) return resp_error(r, 429, "too_many_attempts", "Too many failed attempts; wait 15 minutes and try again.");
    if (rc == 401) return resp_error(r, 401, "invalid_credentials", "Wrong e-mail or password.");
    if (rc) return resp_error(r, 503, "busy", "The server is busy; try again.");
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
 * new hash, ends every session of the person and opens a fresh one for this
 * caller when it came with a cookie. 0 ok; errors go to e. */
static int change_password(Req *r, const char *current, const char *next, Errors *e, char token[44], char csrf[44]) {
    char *hash = NULL;
    Stmt *s = db_q(r->db, "SELECT password_hash FROM person WHERE id = ? AND org_id = ?", "ii", r->who.person_id, r->who.org_id);
    if (db_step(s) == DB_ROW) hash = db_dup(s, 0, r->arena);
    db_reset(s);
    if (!current || !auth_password_verify(hash, current)) err_add(e, 422, "wrong_password", "current_password", "This is not your current password.");
    const char *problem = auth_password_problem(next);
    if (problem) err_add(e, 422, "weak_password", "new_password", problem);
    if (e->n) return -1;
    char nh[160];
    if (auth_password_hash(next, nh, sizeof nh) != 0) {
        err_add(e, 503, "busy", NULL, "Could not hash the password; try again.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    db_exec(r->db, "UPDATE person SET password_hash = ?, password_changed_at = ? WHERE id = ?", "tii", nh, r->now, r->who.person_id);
    db_exec(r->db, "DELETE FROM session WHERE person_id = ?", "i", r->who.person_id);
    token[0] = csrf[0] = 0;
    if (r->who.via_cookie) auth_session_create(r->db, r->who.person_id, r->who.org_id, r->now, token, csrf);
    audit(r, "password.change", arena_printf(r->arena, "person:%lld", (long long)r->who.person_id), "all sessions ended");
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
 * changes the caller's password and ends all their sessions (member). */
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
                r->who.person_id, r->who.name, r->who.email, access_name(r->who.access));
    html_printf(page(r), "<p><a href=\"/account/notifications\">%h</a></p>", T(r, "How remit tells you things: notifications and e-mail"));
    html_printf(page(r), "<h2>Change your password</h2><p>Changing it logs you out everywhere else.</p>");
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/account/password", NULL);
    form_text(r, "current_password", "Current password", "", e ? err_for(e, "current_password") : NULL, "password", true);
    form_text(r, "new_password", "New password (at least 10 characters)", "", e ? err_for(e, "new_password") : NULL, "password", true);
    form_end(r, "Change password");
    page_end(r);
}

/* GET /account: the caller's account (member). */
int session_page_account(Req *r) {
    account_page(r, NULL, req_query(r, "done") ? "Your password has been changed." : NULL);
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
