/* invite.c: one-time account links: invitations (an admin invites a person,
 * one at a time or every person of a CSV import; 7 days) and password resets
 * ("Forgot your password?"; 1 hour). A link carries a 256-bit token of which
 * only the hash is stored; it works once. Choosing a password through it
 * ends every session and API token of the person. Requests for a reset
 * answer the same (202) whether or not the address exists, after the same
 * work, and are throttled like logins (per address and per e-mail). The
 * e-mails go through the outbox. This file does not log anyone in; the
 * person logs in afterwards as usual (session.c). */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <string.h>

#define INVITE_SECONDS (7 * 24 * 3600)
#define RESET_SECONDS 3600

static const char SQL_TOKEN_ADD[] =
    "INSERT INTO account_token(token_hash, org_id, person_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_TOKEN_GET[] =
    "SELECT t.id, t.person_id, t.org_id, t.purpose, p.name, p.email, o.name FROM account_token t JOIN person p ON p.id = t.person_id AND p.org_id = t.org_id "
    "JOIN org o ON o.id = t.org_id WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND p.status <> 'left'";
static const char SQL_TOKEN_USE[] = "UPDATE account_token SET used_at = ? WHERE id = ? AND used_at IS NULL";
static const char SQL_TOKENS_END[] = "UPDATE account_token SET used_at = ? WHERE person_id = ? AND used_at IS NULL";
static const char SQL_PERSON_FOR[] =
    "SELECT p.name, p.email, o.name FROM person p JOIN org o ON o.id = p.org_id WHERE p.id = ? AND p.org_id = ? AND p.status <> 'left'";
static const char SQL_SET_PASSWORD[] = "UPDATE person SET password_hash = ?, password_changed_at = ? WHERE id = ? AND org_id = ?";
static const char SQL_END_SESSIONS[] = "DELETE FROM session WHERE person_id = ?";
static const char SQL_END_TOKENS[] = "DELETE FROM api_token WHERE person_id = ?";
static const char SQL_RESET_BY_EMAIL[] = "SELECT count(*) FROM reset_request WHERE email_lc = ? AND at > ?";
static const char SQL_RESET_BY_IP[] = "SELECT count(*) FROM reset_request WHERE ip = ? AND at > ?";
static const char SQL_RESET_ADD[] = "INSERT INTO reset_request(email_lc, ip, at) VALUES (?, ?, ?)";
static const char SQL_RESET_PRUNE[] = "DELETE FROM reset_request WHERE at <= ?";
static const char SQL_RESET_PEOPLE[] = "SELECT id, org_id FROM person WHERE email_lc = ? AND status <> 'left' ORDER BY id LIMIT 8";

char *invite_create(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t actor_id, int64_t now, const char *purpose) {
    bool invite = strcmp(purpose, "invite") == 0;
    Stmt *s = db_q(db, SQL_PERSON_FOR, "ii", person_id, org_id);
    char *name = NULL, *email = NULL, *org = NULL;
    if (db_step(s) == DB_ROW) name = db_dup(s, 0, a), email = db_dup(s, 1, a), org = db_dup(s, 2, a);
    db_reset(s);
    if (!email) return NULL;
    char token[44], hash[65];
    auth_random_token(token);
    auth_token_hash(token, hash);
    if (db_exec(db, SQL_TOKEN_ADD, "tiitii", hash, org_id, person_id, purpose, now, now + (invite ? INVITE_SECONDS : RESET_SECONDS)) != DB_OK) return NULL;
    char *link = notify_url(a, arena_printf(a, "/password/set?token=%s", token));
    Buf t = {0}, h = {0};
    const char *subject;
    const Lang *l = i18n_person_lang(db, person_id); /* the mail in the person's language */
    if (invite) {
        subject = arena_printf(a, TP(l, "You are invited to %s on remit"), org);
        buf_printf(&t, TP(l, "Hello %s,\n\nYou have been invited to %s on remit. Choose your password here (the link works once, for 7 days):\n\n%s\n"), name, org, link);
        html_printf(&h, "<!DOCTYPE html><html><body><p>%h</p><p>%h</p><p><a href=\"%h\">%h</a></p>", arena_printf(a, TP(l, "Hello %s,"), name),
                    arena_printf(a, TP(l, "You have been invited to %s on remit. Choose your password (the link works once, for 7 days):"), org), link,
                    TP(l, "Choose your password"));
    } else {
        subject = TP(l, "Reset your remit password");
        buf_printf(&t, TP(l, "Hello %s,\n\nSomeone asked to reset your password for %s on remit. Choose a new one here (the link works once, for one hour):\n\n%s\n\nIf it was not you, ignore this e-mail: your password stays as it is.\n"), name, org, link);
        html_printf(&h, "<!DOCTYPE html><html><body><p>%h</p><p>%h</p><p><a href=\"%h\">%h</a></p><p>%h</p>", arena_printf(a, TP(l, "Hello %s,"), name),
                    arena_printf(a, TP(l, "Someone asked to reset your password for %s on remit. Choose a new one (the link works once, for one hour):"), org),
                    link, TP(l, "Choose a new password"), TP(l, "If it was not you, ignore this e-mail: your password stays as it is."));
    }
    buf_puts(&h, "</body></html>");
    int rc = outbox_email(db, org_id, now, email, name, subject, buf_cstr(&t), buf_cstr(&h), NULL);
    buf_free(&t);
    buf_free(&h);
    if (rc != DB_OK) return NULL;
    audit_db(db, org_id, actor_id, now, invite ? "person.invite" : "person.reset_requested", arena_printf(a, "person:%lld", (long long)person_id), "");
    return link;
}

/* invite_person: an invitation for the route's person in one transaction;
 * 0 ok (*link set), or the HTTP status of the problem. */
static int invite_person(Req *r, int64_t person, char **link) {
    int64_t x;
    if (!db_one_int(r->db, &x, "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'", "ii", person, r->who.org_id)) return 404;
    if (db_begin(r->db) != DB_OK) return 503;
    *link = invite_create(r->db, r->arena, r->who.org_id, person, r->who.person_id, r->now, "invite");
    if (!*link || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return 503;
    }
    return 0;
}

/* POST /api/v1/people/{id}/invite: e-mails the person a link to choose
 * their password (admin). 202; with e-mail off the answer carries the link
 * for the admin to pass on. */
int invite_api_person(Req *r) {
    char *link = NULL;
    int rc = invite_person(r, r->params[0], &link);
    if (rc == 404) return resp_error(r, 404, "not_found", "There is no such person.");
    if (rc) return resp_error(r, 503, "busy", "The database is busy; try again.");
    resp_json(r, 202, json_pack("{s:b,s:s?}", "email_enabled", notify_email_on(), "link", notify_email_on() ? NULL : link));
    return 0;
}

/* POST /people/{id}/invite: the same from the person's page (admin). */
int invite_page_person(Req *r) {
    char *link = NULL;
    int rc = invite_person(r, r->params[0], &link);
    if (rc == 404) return resp_error(r, 404, "not_found", "There is no such person.");
    if (rc) return resp_error(r, 503, "busy", "The database is busy; try again.");
    page_begin(r, T(r, "Invitation"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Invitation"));
    if (notify_email_on()) html_printf(b, "<p class=\"flash\" role=\"status\">%h</p>", T(r, "The invitation is on its way by e-mail."));
    else
        html_printf(b, "<p>%h</p><p><code>%h</code></p>", T(r, "E-mail is off on this server. Give this one-time link (valid for 7 days) to the person yourself:"),
                    link);
    html_printf(b, "<p><a href=\"/people/%D\">%h</a></p>", r->params[0], T(r, "Back to the person"));
    page_end(r);
    return 0;
}

/* reset_request: the same work whether or not the address exists: throttle
 * check, a request row, and a link for each account with that e-mail. 0,
 * 429 throttled, 503 busy. */
static int reset_request(Req *r, const char *email) {
    char *lc = str_lower(r->arena, email ? email : "");
    const char *ip = r->client_ip ? r->client_ip : "";
    int64_t since = r->now - LOGIN_WINDOW_SECONDS, n = 0;
    /* per e-mail from anywhere: a cap on mail sent to one person (a flood
     * would otherwise fill their mailbox), above the logins' per-pair limit */
    if (db_one_int(r->db, &n, SQL_RESET_BY_EMAIL, "ti", lc, since) && n >= 2 * LOGIN_MAX_PER_PAIR) return 429;
    if (db_one_int(r->db, &n, SQL_RESET_BY_IP, "ti", ip, since) && n >= LOGIN_MAX_PER_IP) return 429;
    int64_t ids[8], orgs[8];
    int np = 0;
    Stmt *s = db_q(r->db, SQL_RESET_PEOPLE, "t", lc);
    while (np < 8 && db_step(s) == DB_ROW) ids[np] = db_int(s, 0), orgs[np] = db_int(s, 1), np++;
    db_reset(s);
    if (db_begin(r->db) != DB_OK) return 503;
    int rc = db_exec(r->db, SQL_RESET_PRUNE, "i", since);
    if (rc == DB_OK) rc = db_exec(r->db, SQL_RESET_ADD, "tti", lc, ip, r->now);
    for (int i = 0; rc == DB_OK && i < np; i++)
        if (!invite_create(r->db, r->arena, orgs[i], ids[i], 0, r->now, "reset")) rc = DB_ERROR;
    if (np == 0) { /* the work a link would have cost, so that timing says nothing */
        char token[44], hash[65];
        auth_random_token(token);
        auth_token_hash(token, hash);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return 503;
    }
    return 0;
}

static const JField RESET_FIELDS[] = {{"email", JF_STRING, 320}, {0}};
static const char RESET_SENT[] = N_("If the address belongs to an account, an e-mail with a link to choose a new password is on its way. The link works for one hour.");

/* POST /api/v1/password-reset {"email"}: e-mails a one-hour link to choose a
 * new password (public). Always 202 with the same body; 429 when throttled. */
int invite_api_reset(Req *r) {
    json_t *o = req_json_object(r, RESET_FIELDS);
    if (!o) return -1;
    int rc = reset_request(r, json_str(o, "email"));
    if (rc == 429) return resp_error(r, 429, "throttled", "Too many requests; wait 15 minutes and try again.");
    if (rc) return resp_error(r, 503, "busy", "The server is busy; try again in a moment.");
    resp_json(r, 202, json_pack("{s:s,s:s}", "status", "accepted", "message", T(r, RESET_SENT)));
    return 0;
}

static void forgot_form(Req *r, const char *email, const char *flash) {
    page_begin(r, T(r, "Forgot your password?"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Forgot your password?"));
    page_flash(r, flash);
    if (!notify_email_on()) html_printf(b, "<p class=\"notice\">%h</p>", T(r, "E-mail is off on this server: ask an admin to set your password."));
    html_printf(b, "<p>%h</p>", T(r, "Give your e-mail address; remit sends you a link to choose a new password."));
    form_begin(r, "/password/forgot", NULL);
    form_text(r, "email", T(r, "E-mail"), email ? email : "", NULL, "email", true);
    form_end(r, T(r, "Send the link"));
    html_printf(b, "<p><a href=\"/login\">%h</a></p>", T(r, "Back to the login"));
    page_end(r);
}

/* GET /password/forgot: the form (public). */
int invite_page_forgot(Req *r) {
    forgot_form(r, NULL, NULL);
    return 0;
}

/* POST /password/forgot (email): the same as the API, as a page (public). */
int invite_page_forgot_post(Req *r) {
    int rc = reset_request(r, req_form(r, "email"));
    forgot_form(r, req_form(r, "email"),
                rc == 429 ? T(r, "Too many requests; wait 15 minutes and try again.") : rc ? T(r, "The server is busy; try again in a moment.") : T(r, RESET_SENT));
    r->resp.status = rc == 429 ? 429 : rc ? 503 : 200;
    return 0;
}

typedef struct Grant { int64_t id, person_id, org_id; char *purpose, *name, *email, *org; } Grant;

static int grant_find(Req *r, const char *token, Grant *g) {
    if (!token || strlen(token) != 43) return 0;
    char hash[65];
    auth_token_hash(token, hash);
    Stmt *s = db_q(r->db, SQL_TOKEN_GET, "ti", hash, r->now);
    int found = db_step(s) == DB_ROW;
    if (found)
        *g = (Grant){db_int(s, 0), db_int(s, 1), db_int(s, 2), db_dup(s, 3, r->arena), db_dup(s, 4, r->arena), db_dup(s, 5, r->arena), db_dup(s, 6, r->arena)};
    db_reset(s);
    return found;
}

/* grant_use: sets the password, spends the link (and every other open one of
 * the person), ends every session and API token. 0 ok, -1 with e. */
static int grant_use(Req *r, const char *token, const char *password, Errors *e) {
    Grant g;
    if (!grant_find(r, token, &g)) {
        err_add(e, 404, "not_found", "token", T(r, "This link is not valid any more: it was used, it expired, or it never existed. Ask for a new one."));
        return -1;
    }
    const char *problem = auth_password_problem(password ? password : "");
    if (problem) {
        err_add(e, 422, "invalid", "new_password", problem);
        return -1;
    }
    char hash[256];
    if (auth_password_hash(password, hash, sizeof hash) != 0) {
        err_busy(e);
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_TOKEN_USE, "ii", r->now, g.id);
    if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_CONSTRAINT; /* spent by a request just before */
    if (rc == DB_OK) rc = db_exec(r->db, SQL_TOKENS_END, "ii", r->now, g.person_id);
    if (rc == DB_OK) rc = db_exec(r->db, SQL_SET_PASSWORD, "tiii", hash, r->now, g.person_id, g.org_id);
    if (rc == DB_OK) rc = db_exec(r->db, SQL_END_SESSIONS, "i", g.person_id);
    if (rc == DB_OK) rc = db_exec(r->db, SQL_END_TOKENS, "i", g.person_id);
    if (rc == DB_OK)
        audit_db(r->db, g.org_id, g.person_id, r->now, strcmp(g.purpose, "invite") == 0 ? "person.invite_accepted" : "person.password_reset",
                 arena_printf(r->arena, "person:%lld", (long long)g.person_id), "");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 404, "not_found", "token", T(r, "This link has just been used."));
        else err_busy(e);
        return -1;
    }
    return 0;
}

static const JField COMPLETE_FIELDS[] = {{"token", JF_STRING, 100}, {"new_password", JF_STRING, 200}, {0}};

/* POST /api/v1/password-reset/complete {"token","new_password"}: sets the
 * password with an invitation or reset link (public). 200; 404 for a used,
 * expired or unknown link; 422 for a weak password. */
int invite_api_complete(Req *r) {
    json_t *o = req_json_object(r, COMPLETE_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    if (grant_use(r, json_str(o, "token"), json_str(o, "new_password"), &e)) return err_send(r, &e);
    resp_json(r, 200, json_pack("{s:s}", "status", "password_set"));
    return 0;
}

static void set_form(Req *r, const Grant *g, const char *token, const Errors *e) {
    bool invite = strcmp(g->purpose, "invite") == 0;
    page_begin(r, invite ? T(r, "Welcome") : T(r, "Choose a new password"));
    Buf *b = page(r);
    if (invite) html_printf(b, "<h1>%h</h1><p>%h</p>", arena_printf(r->arena, T(r, "Welcome to %s, %s"), g->org, g->name), T(r, "Choose your password to start."));
    else html_printf(b, "<h1>%h</h1><p>%h</p>", T(r, "Choose a new password"), g->email);
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/password/set", NULL);
    html_printf(b, "<input type=\"hidden\" name=\"token\" value=\"%h\">", token);
    form_text(r, "new_password", T(r, "New password (at least 10 characters)"), "", e ? err_for(e, "new_password") : NULL, "password", true);
    form_end(r, T(r, "Set the password"));
    page_end(r);
}

/* GET /password/set?token=: the form behind an invitation or reset link (public). */
int invite_page_set(Req *r) {
    Grant g;
    const char *token = req_query(r, "token");
    if (!grant_find(r, token, &g))
        return resp_error(r, 404, "not_found", "%s", T(r, "This link is not valid any more: it was used, it expired, or it never existed. Ask for a new one."));
    set_form(r, &g, token, NULL);
    return 0;
}

/* POST /password/set (token, new_password): sets it; then the login (public). */
int invite_page_set_post(Req *r) {
    const char *token = req_form(r, "token");
    Errors e = {0};
    Grant g;
    bool valid = grant_find(r, token, &g);
    if (grant_use(r, token, req_form(r, "new_password"), &e)) {
        if (!valid || e.status == 404) return resp_error(r, 404, "not_found", "%s", e.items[0].msg);
        set_form(r, &g, token, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/login?password=set");
    return 0;
}
