/* notify.c: the notifications service. Every feature tells people things
 * through notify(kind, recipient, text, link): the in-app row (the inbox),
 * and, by the person's preference for the kind's group, an e-mail at once
 * or a line in a daily or weekly digest, all in the caller's transaction
 * (the outbox delivers later). notify_chat posts to the chat hooks of the
 * organisation or a team. This file alone decides channels and digests, and
 * alone refuses to say anything about an anonymous author (notify_anon).
 * It also owns the preferences (/account/notifications and the API) and the
 * signed no-login unsubscribe links. It never delivers anything itself. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Group { const char *name, *label; } Group;
/* the notification groups a person chooses a channel for; a kind's group
 * is its text before the first '.' or '_' ("idea.stage" -> idea) */
static const Group GROUPS[] = {
    {"decision", N_("Decisions: asked of you, answered, passed on")},
    {"idea", N_("Ideas you shared or voted for")},
    {"autonomy", N_("Earned autonomy suggestions")},
    {"action", N_("Action items: assigned to you, due, overdue")},
    {"other", N_("Everything else")},
    {NULL, NULL},
};
static const char *const MODES[] = {"app", "email", "daily", "weekly", NULL};

static const char SQL_PREF[] = "SELECT mode FROM notify_pref WHERE person_id = ? AND kind = ?";
static const char SQL_PREF_SET[] =
    "INSERT INTO notify_pref(person_id, org_id, kind, mode) VALUES (?, ?, ?, ?) ON CONFLICT(person_id, kind) DO UPDATE SET mode = excluded.mode";
static const char SQL_NOTE_ADD[] = "INSERT INTO notification(org_id, person_id, at, kind, text, link, mail_state) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PERSON_MAIL[] = "SELECT email, name FROM person WHERE id = ? AND org_id = ? AND status <> 'left'";
static const char SQL_HOOKS_FOR[] = "SELECT id FROM chat_hook WHERE org_id = ? AND ((? = 0 AND team_id IS NULL) OR team_id = ?) ORDER BY id";
static const char SQL_SECRET[] = "SELECT value FROM secret WHERE name = ?";
static const char SQL_SECRET_ADD[] = "INSERT INTO secret(name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING";
static const char SQL_DIGEST_PEOPLE[] =
    "SELECT person_id, min(at) FROM notification WHERE mail_state = ? GROUP BY person_id ORDER BY person_id LIMIT 2000";
static const char SQL_DIGEST_LAST[] = "SELECT at FROM digest_sent WHERE person_id = ? AND period = ?";
static const char SQL_DIGEST_ROWS[] =
    "SELECT id, org_id, text, link FROM notification WHERE person_id = ? AND mail_state = ? ORDER BY id LIMIT 200";
static const char SQL_DIGEST_DONE[] = "UPDATE notification SET mail_state = 3 WHERE person_id = ? AND mail_state = ? AND id <= ?";
static const char SQL_DIGEST_MARK[] =
    "INSERT INTO digest_sent(person_id, period, at) VALUES (?, ?, ?) ON CONFLICT(person_id, period) DO UPDATE SET at = excluded.at";

bool notify_email_on(void) { return g_config.smtp_url != NULL; }

char *notify_url(Arena *a, const char *path) {
    const char *base = g_config.link_url ? g_config.link_url : g_config.public_url ? g_config.public_url : "http://127.0.0.1:8080";
    size_t n = strlen(base);
    return arena_printf(a, "%.*s%s", (int)(n && base[n - 1] == '/' ? n - 1 : n), base, path);
}

/* kinds whose first word is not their group's name */
static const char *const ALIASES[][2] = {{"approval", "decision"}, {"advice", "decision"}};

const char *notify_group_of(Arena *a, const char *kind) {
    size_t n = strcspn(kind ? kind : "", "._");
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
        if (strlen(ALIASES[i][0]) == n && strncmp(ALIASES[i][0], kind, n) == 0) return ALIASES[i][1];
    for (const Group *g = GROUPS; g->name; g++)
        if (strlen(g->name) == n && strncmp(g->name, kind, n) == 0) return g->name;
    (void)a;
    return "other";
}

static bool group_known(const char *k) {
    for (const Group *g = GROUPS; g->name; g++)
        if (k && strcmp(g->name, k) == 0) return true;
    return false;
}

static bool mode_known(const char *m) {
    for (int i = 0; MODES[i]; i++)
        if (m && strcmp(MODES[i], m) == 0) return true;
    return false;
}

static const char *pref_of(Db *db, Arena *a, int64_t person, const char *group) {
    Stmt *s = db_q(db, SQL_PREF, "it", person, group);
    char *m = db_step(s) == DB_ROW ? db_dup(s, 0, a) : NULL;
    db_reset(s);
    return m ? m : "app";
}

char *notify_secret(Db *db, Arena *a) {
    for (int i = 0; i < 2; i++) {
        Stmt *s = db_q(db, SQL_SECRET, "t", "unsubscribe");
        char *v = db_step(s) == DB_ROW ? db_dup(s, 0, a) : NULL;
        db_reset(s);
        if (v) return v;
        char key[44];
        auth_random_token(key);
        db_exec(db, SQL_SECRET_ADD, "tt", "unsubscribe", key);
    }
    return NULL;
}

static void unsub_sig(Db *db, Arena *a, int64_t person, const char *group, char out[65]) {
    char *secret = notify_secret(db, a);
    char *msg = arena_printf(a, "unsubscribe:%lld:%s", (long long)person, group);
    auth_hmac_sha256_hex(secret ? secret : "", msg, strlen(msg), out);
}

char *notify_unsub_url(Db *db, Arena *a, int64_t person_id, const char *group) {
    char sig[65];
    unsub_sig(db, a, person_id, group, sig);
    return notify_url(a, arena_printf(a, "/unsubscribe?p=%lld&k=%s&s=%s", (long long)person_id, group, sig));
}

/* mail_footer: why this mail came and how to stop it, in both parts. */
static void mail_footer(Arena *a, Buf *text, Buf *html, const char *unsub, const Lang *l) {
    const char *prefs = notify_url(a, "/account/notifications");
    buf_printf(text, "\n\n-- \n%s %s\n%s %s\n", TP(l, "Choose what remit e-mails you:"), prefs, TP(l, "Stop these e-mails:"), unsub);
    html_printf(html, "<hr><p style=\"color:#555;font-size:90%%\">%h <a href=\"%h\">%h</a> &middot; <a href=\"%h\">%h</a></p>",
                TP(l, "You get this e-mail from remit."), prefs, TP(l, "Choose what remit e-mails you"), unsub, TP(l, "Stop these e-mails"));
}

static char *subject_of(Arena *a, const char *text) {
    size_t n = strlen(text);
    if (n <= 110) return arena_strdup(a, text);
    size_t k = 107;
    while (k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80) k--;
    return arena_printf(a, "%.*s...", (int)k, text);
}

/* notify_write: see notify and notify_anon. */
static int notify_write(Db *db, int64_t org, int64_t person, int64_t now, const char *kind, const char *text, const char *link, bool anon) {
    if (!person) return 0;
    Arena *a = arena_new();
    const char *group = notify_group_of(a, kind), *mode = pref_of(db, a, person, group);
    bool at_once = strcmp(mode, "email") == 0 && !anon;
    int state = strcmp(mode, "daily") == 0 || (anon && strcmp(mode, "email") == 0) ? 1 : strcmp(mode, "weekly") == 0 ? 2 : at_once ? 3 : 0;
    int64_t at = anon ? now - now % 86400 : now;
    int rc = db_exec(db, SQL_NOTE_ADD, "iiittti", org, person, at, kind, text ? text : "", link ? link : "", (int64_t)state);
    if (rc == DB_OK && at_once) {
        Stmt *s = db_q(db, SQL_PERSON_MAIL, "ii", person, org);
        char *email = NULL, *name = NULL;
        if (db_step(s) == DB_ROW) email = db_dup(s, 0, a), name = db_dup(s, 1, a);
        db_reset(s);
        if (email) {
            Buf t = {0}, h = {0};
            const char *url = link && link[0] == '/' ? notify_url(a, link) : NULL;
            char *unsub = notify_unsub_url(db, a, person, group);
            buf_printf(&t, "%s\n", text);
            html_printf(&h, "<!DOCTYPE html><html><body><p>%h</p>", text);
            const Lang *l = i18n_person_lang(db, person);
            if (url) buf_printf(&t, "\n%s\n", url), html_printf(&h, "<p><a href=\"%h\">%h</a></p>", url, TP(l, "Open in remit"));
            mail_footer(a, &t, &h, unsub, l);
            buf_puts(&h, "</body></html>");
            rc = outbox_email(db, org, now, email, name, subject_of(a, text), buf_cstr(&t), buf_cstr(&h), unsub);
            buf_free(&t);
            buf_free(&h);
        }
    }
    arena_free(a);
    return rc;
}

void notify(Db *db, int64_t org_id, int64_t person_id, int64_t now, const char *kind, const char *text, const char *link) {
    notify_write(db, org_id, person_id, now, kind, text, link, false);
}

int notify_anon(Db *db, int64_t org_id, int64_t person_id, int64_t now, const char *kind, const char *text, const char *link, int64_t author_id) {
    if (author_id) return -1; /* anonymous content has no author to tell */
    if (link && *link && (link[0] != '/' || link[1] == '/' || strchr(link, '?') || strstr(link, "follow"))) return -1;
    if (text && (strstr(text, "/follow") || strstr(text, "token="))) return -1;
    return notify_write(db, org_id, person_id, now, kind, text, link, true) == DB_OK ? 0 : -1;
}

void notify_chat(Db *db, int64_t org_id, int64_t team_id, int64_t now, const char *kind, const char *text, const char *link) {
    Arena *a = arena_new();
    int64_t ids[32];
    int n = 0;
    Stmt *s = db_q(db, SQL_HOOKS_FOR, "iii", org_id, team_id, team_id);
    while (n < 32 && db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
    db_reset(s);
    if (n) {
        json_t *p = json_pack("{s:s,s:s,s:s}", "kind", kind, "text", text, "link", notify_url(a, link ? link : "/"));
        char *body = p ? json_dumps(p, JSON_COMPACT) : NULL;
        json_decref(p);
        for (int i = 0; body && i < n; i++) outbox_webhook(db, org_id, now, ids[i], body);
        free(body);
    }
    arena_free(a);
}

/* digest_one: one person's waiting lines of one period as one e-mail, in
 * its own transaction. 1 queued, 0 nothing, -1 busy. */
static int digest_one(Db *db, int64_t person, int state, const char *period, int64_t now) {
    Arena *a = arena_new();
    int rc = 0;
    if (db_begin(db) != DB_OK) {
        arena_free(a);
        return -1;
    }
    Buf t = {0}, h = {0};
    int64_t org = 0, last = 0;
    int n = 0;
    const Lang *l = i18n_person_lang(db, person); /* one e-mail in the person's language */
    html_printf(&h, "<!DOCTYPE html><html><body><h1>%h</h1><ul>",
                strcmp(period, "daily") == 0 ? TP(l, "What waited for you today") : TP(l, "What waited for you this week"));
    Stmt *s = db_q(db, SQL_DIGEST_ROWS, "ii", person, (int64_t)state);
    while (db_step(s) == DB_ROW) {
        last = db_int(s, 0);
        org = db_int(s, 1);
        const char *text = db_text(s, 2), *link = db_text(s, 3);
        char *url = link[0] == '/' && link[1] != '/' ? notify_url(a, link) : NULL;
        buf_printf(&t, "- %s%s%s\n", text, url ? "\n  " : "", url ? url : "");
        if (url) html_printf(&h, "<li><a href=\"%h\">%h</a></li>", url, text);
        else html_printf(&h, "<li>%h</li>", text);
        n++;
    }
    db_reset(s);
    buf_puts(&h, "</ul>");
    char *email = NULL, *name = NULL;
    if (n) {
        s = db_q(db, SQL_PERSON_MAIL, "ii", person, org);
        if (db_step(s) == DB_ROW) email = db_dup(s, 0, a), name = db_dup(s, 1, a);
        db_reset(s);
    }
    int ok = DB_OK;
    if (n && email) {
        /* one link that stops every digest line: it turns all groups to in-app */
        char *unsub = notify_unsub_url(db, a, person, "all");
        mail_footer(a, &t, &h, unsub, l);
        buf_puts(&h, "</body></html>");
        const char *subject = arena_printf(a, TPN(l, "remit: %d thing waited for you", "remit: %d things waited for you", n), n);
        ok = outbox_email(db, org, now, email, name, subject, buf_cstr(&t), buf_cstr(&h), unsub);
        rc = 1;
    }
    if (ok == DB_OK && n) ok = db_exec(db, SQL_DIGEST_DONE, "iii", person, (int64_t)state, last);
    if (ok == DB_OK) ok = db_exec(db, SQL_DIGEST_MARK, "iti", person, period, now);
    if (ok != DB_OK || db_commit(db) != DB_OK) {
        db_rollback(db);
        rc = -1;
    }
    buf_free(&t);
    buf_free(&h);
    arena_free(a);
    return rc;
}

int notify_digests(Db *db, int64_t now, const char *period) {
    int queued = 0;
    for (int state = 1; state <= 2; state++) {
        const char *name = state == 1 ? "daily" : "weekly";
        int64_t len = state == 1 ? 86400 : 7 * 86400;
        if (period && strcmp(period, name) != 0) continue;
        int64_t people[2000], first[2000];
        int n = 0;
        Stmt *s = db_q(db, SQL_DIGEST_PEOPLE, "i", (int64_t)state);
        while (n < 2000 && db_step(s) == DB_ROW) people[n] = db_int(s, 0), first[n] = db_int(s, 1), n++;
        db_reset(s);
        for (int i = 0; i < n; i++) {
            int64_t last = 0;
            if (!db_one_int(db, &last, SQL_DIGEST_LAST, "it", people[i], name)) last = first[i];
            if (!period && now - last < len) continue;
            int rc = digest_one(db, people[i], state, name, now);
            if (rc < 0) return -1;
            queued += rc;
        }
    }
    return queued;
}

/* ---------- unsubscribe links (no login) ---------- */

/* unsub_check: the signed p, k, s of the query; 1 when genuine. */
static int unsub_check(Req *r, int64_t *person, const char **group) {
    const char *p = req_query(r, "p"), *k = req_query(r, "k"), *sig = req_query(r, "s");
    if (!parse_id(p, person) || !k || !sig || (!group_known(k) && strcmp(k, "all") != 0)) return 0;
    char want[65];
    unsub_sig(r->db, r->arena, *person, k, want);
    *group = k;
    return strlen(sig) == 64 && auth_equal(sig, want);
}

/* GET /unsubscribe?p=&k=&s=: asks to confirm turning that e-mail off
 * (public, signed link; a GET never changes anything, so link scanners do
 * no harm). */
int notify_page_unsubscribe(Req *r) {
    int64_t person;
    const char *group;
    if (!unsub_check(r, &person, &group)) return resp_error(r, 404, "not_found", "%s", T(r, "This unsubscribe link is not valid."));
    page_begin(r, T(r, "Stop these e-mails"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p>%h</p>", T(r, "Stop these e-mails"),
                T(r, "remit will keep these notifications in your inbox in the app, and stop e-mailing them."));
    html_printf(b, "<form method=\"post\" action=\"/unsubscribe?p=%D&amp;k=%u&amp;s=%u\"><div class=\"actions\"><button type=\"submit\">%h</button></div></form>",
                person, group, req_query(r, "s"), T(r, "Stop the e-mails"));
    page_end(r);
    return 0;
}

/* POST /unsubscribe?p=&k=&s= (also RFC 8058 one-click, body
 * List-Unsubscribe=One-Click): that group's notifications (or all, k=all)
 * become in-app only (public, signed link). */
int notify_page_unsubscribe_post(Req *r) {
    int64_t person, org = 0;
    const char *group;
    if (!unsub_check(r, &person, &group)) return resp_error(r, 404, "not_found", "%s", T(r, "This unsubscribe link is not valid."));
    if (!db_one_int(r->db, &org, "SELECT org_id FROM person WHERE id = ?", "i", person))
        return resp_error(r, 404, "not_found", "%s", T(r, "This unsubscribe link is not valid."));
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "%s", T(r, "The server is busy; try again in a moment."));
    int rc = DB_OK;
    for (const Group *g = GROUPS; g->name && rc == DB_OK; g++)
        if (strcmp(group, "all") == 0 || strcmp(group, g->name) == 0) rc = db_exec(r->db, SQL_PREF_SET, "iitt", person, org, g->name, "app");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return resp_error(r, 503, "busy", "%s", T(r, "The server is busy; try again in a moment."));
    }
    page_begin(r, T(r, "E-mails stopped"));
    html_printf(page(r), "<h1>%h</h1><p>%h</p>", T(r, "E-mails stopped"), T(r, "You will find these notifications in your inbox in remit."));
    page_end(r);
    return 0;
}

/* ---------- preferences ---------- */

static json_t *prefs_json(Req *r) {
    json_t *items = json_array();
    for (const Group *g = GROUPS; g->name; g++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "kind", g->name, "label", T(r, g->label), "mode",
                                               pref_of(r->db, r->arena, r->who.person_id, g->name)));
    return json_pack("{s:b,s:o}", "email_enabled", notify_email_on(), "items", items);
}

/* GET /api/v1/account/notifications: the caller's channel per kind of
 * notification, and whether this server sends e-mail (member). */
int notify_api_prefs(Req *r) {
    resp_json(r, 200, prefs_json(r));
    return 0;
}

/* prefs_save: every (group, mode) in get(name); 0 ok, -1 with e filled. */
static int prefs_save(Req *r, json_t *o, Errors *e) {
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    for (const Group *g = GROUPS; g->name; g++) {
        json_t *v = json_object_get(o, g->name);
        if (!v) continue;
        const char *m = json_string_value(v);
        if (!mode_known(m)) {
            err_add(e, 422, "invalid", g->name, T(r, "Choose app, email, daily or weekly."));
            continue;
        }
        if (db_exec(r->db, SQL_PREF_SET, "iitt", r->who.person_id, r->who.org_id, g->name, m) != DB_OK) err_busy(e);
    }
    if (e->n || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (!e->n) err_busy(e);
        return -1;
    }
    return 0;
}

/* PUT /api/v1/account/notifications {"idea":"daily",...}: sets the
 * caller's channel for the kinds given (member). Unknown kinds: 400. */
int notify_api_prefs_put(Req *r) {
    static JField fields[8];
    if (!fields[0].name)
        for (int i = 0; GROUPS[i].name; i++) fields[i] = (JField){GROUPS[i].name, JF_STRING, 10};
    json_t *o = req_json_object(r, fields);
    if (!o) return -1;
    Errors e = {0};
    if (prefs_save(r, o, &e)) return err_send(r, &e);
    resp_json(r, 200, prefs_json(r));
    return 0;
}

static void prefs_page(Req *r, const Errors *e, const char *flash) {
    page_begin(r, T(r, "Notifications"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Notifications"));
    page_flash(r, flash);
    if (!notify_email_on())
        html_printf(b, "<p class=\"notice\">%h</p>", T(r, "E-mail is off on this server: everything stays in your inbox in the app."));
    html_printf(b, "<p>%h</p>", T(r, "For each kind, choose how remit tells you: only in the app, an e-mail at once, or one digest e-mail a day or a week."));
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/account/notifications", NULL);
    static const char *const LABELS[] = {N_("In the app only"), N_("E-mail at once"), N_("Daily digest"), N_("Weekly digest")};
    for (const Group *g = GROUPS; g->name; g++) {
        const char *mode = pref_of(r->db, r->arena, r->who.person_id, g->name);
        html_printf(b, "<fieldset class=\"field\"><legend>%h</legend>", T(r, g->label));
        for (int i = 0; MODES[i]; i++)
            html_printf(b, "<label class=\"choice\"><input type=\"radio\" name=\"%h\" value=\"%h\"%s> %h</label> ", g->name, MODES[i],
                        strcmp(mode, MODES[i]) == 0 ? " checked" : "", T(r, LABELS[i]));
        if (e && err_for(e, g->name)) html_printf(b, "<p class=\"error\">%h</p>", err_for(e, g->name));
        buf_puts(b, "</fieldset>");
    }
    form_end(r, T(r, "Save"));
    page_end(r);
}

/* GET /account/notifications: the preferences form (member). */
int notify_page_prefs(Req *r) {
    prefs_page(r, NULL, req_query(r, "done") ? T(r, "Saved.") : NULL);
    return 0;
}

/* POST /account/notifications (one radio group per kind) (member). */
int notify_page_prefs_post(Req *r) {
    json_t *o = json_object();
    req_defer_json(r, o);
    for (const Group *g = GROUPS; g->name; g++)
        if (req_form(r, g->name)) json_object_set_new(o, g->name, json_string(req_form(r, g->name)));
    Errors e = {0};
    if (prefs_save(r, o, &e)) {
        prefs_page(r, &e, NULL);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/account/notifications?done=1");
    return 0;
}
