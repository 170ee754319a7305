/* hooks.c: connecting chat: an admin connects the organisation, a manager a
 * team they lead or belong to, to a Slack or Microsoft Teams incoming
 * webhook, or to a generic JSON hook whose posts are signed (HMAC-SHA256
 * with a per-hook secret shown once). Hook URLs are secrets: stored, never
 * shown back in full. New challenges are posted there (notify_chat). This
 * file owns /hooks and /api/v1/hooks and the outbox view for admins
 * (/outbox, /api/v1/outbox); the posting itself is webhook.c's. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <string.h>

static const char *const KINDS[] = {"slack", "teams", "json", NULL};
static const char SQL_HOOK_ADD[] = "INSERT INTO chat_hook(org_id, team_id, kind, url, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_HOOKS[] =
    "SELECT h.id, h.team_id, t.name, h.kind, h.url, h.created_at FROM chat_hook h LEFT JOIN team t ON t.id = h.team_id AND t.org_id = h.org_id "
    "WHERE h.org_id = ? ORDER BY h.team_id IS NOT NULL, t.name, h.id LIMIT 500";
static const char SQL_HOOK_ONE[] = "SELECT team_id FROM chat_hook WHERE id = ? AND org_id = ?";
static const char SQL_HOOK_DEL[] = "DELETE FROM chat_hook WHERE id = ? AND org_id = ?";
static const char SQL_MY_TEAM[] =
    "SELECT count(*) FROM team t WHERE t.id = ? AND t.org_id = ? AND (t.lead_id = ? OR t.id = (SELECT team_id FROM person WHERE id = ? AND org_id = ?))";
static const char SQL_OUTBOX_LIST[] =
    "SELECT id, channel, target, status, attempts, created_at, sent_at, last_error FROM outbox WHERE org_id = ? AND (? IS NULL OR status = ?) "
    "AND id > ? ORDER BY id LIMIT ?";

static bool is_kind(const char *k) {
    for (int i = 0; KINDS[i]; i++)
        if (k && strcmp(k, KINDS[i]) == 0) return true;
    return false;
}

/* may_manage: admins any hook; managers the hooks of a team they lead or belong to. */
static bool may_manage(Req *r, int64_t team_id) {
    if (r->who.access >= ACCESS_ADMIN) return true;
    int64_t n = 0;
    return team_id && db_one_int(r->db, &n, SQL_MY_TEAM, "iiiii", team_id, r->who.org_id, r->who.person_id, r->who.person_id, r->who.org_id) && n > 0;
}

/* hook_add: checks and stores; 0 ok with *id and *secret (json hooks), -1 with e. */
static int hook_add(Req *r, const char *kind, const char *url, int64_t team_id, Errors *e, int64_t *id, char **secret) {
    int64_t x;
    if (!is_kind(kind)) err_add(e, 422, "invalid", "kind", T(r, "The kind is slack, teams or json."));
    if (!webhook_url_allowed(url)) err_add(e, 422, "invalid", "url", T(r, "The hook's address must be an https:// URL."));
    if (team_id && !db_one_int(r->db, &x, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", team_id, r->who.org_id))
        err_add(e, 422, "invalid", "team_id", T(r, "There is no such team."));
    if (e->n) return -1;
    if (!may_manage(r, team_id)) {
        err_add(e, 403, "forbidden", "team_id",
                team_id ? T(r, "Managers connect the teams they lead or belong to.") : T(r, "Only admins connect the whole organisation."));
        return -1;
    }
    *secret = NULL;
    if (strcmp(kind, "json") == 0) {
        char s[44];
        auth_random_token(s);
        *secret = arena_strdup(r->arena, s);
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_HOOK_ADD, "iItttii", r->who.org_id, team_id, kind, url, *secret ? *secret : "", r->who.person_id, r->now);
    *id = db_last_id(r->db);
    if (rc == DB_OK) audit(r, "hook.create", arena_printf(r->arena, "hook:%lld", (long long)*id), "%s %s", kind, webhook_mask(r->arena, url));
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static int hook_delete(Req *r, int64_t id, Errors *e) {
    int64_t team = 0;
    Stmt *s = db_q(r->db, SQL_HOOK_ONE, "ii", id, r->who.org_id);
    bool found = db_step(s) == DB_ROW;
    if (found) team = db_int(s, 0);
    db_reset(s);
    if (!found) {
        err_add(e, 404, "not_found", NULL, T(r, "There is no such hook."));
        return -1;
    }
    if (!may_manage(r, team)) {
        err_add(e, 403, "forbidden", NULL, T(r, "Only admins and the team's managers remove this hook."));
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    /* posts still queued for it have nowhere to go */
    int rc = db_exec(r->db, "UPDATE outbox SET status = 'failed', last_error = 'the chat hook was removed' WHERE channel = 'webhook' AND target = ? AND status = 'queued' AND org_id = ?",
                     "ti", arena_printf(r->arena, "%lld", (long long)id), r->who.org_id);
    if (rc == DB_OK) rc = db_exec(r->db, SQL_HOOK_DEL, "ii", id, r->who.org_id);
    if (rc == DB_OK) audit(r, "hook.delete", arena_printf(r->arena, "hook:%lld", (long long)id), "%s", "disconnected");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* GET /api/v1/hooks: the chat hooks (manager), addresses shortened. */
int hooks_api_list(Req *r) {
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_HOOKS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I,s:o,s:s,s:s,s:o}", "id", (json_int_t)db_int(s, 0), "team",
                                               json_ref(db_int(s, 1), db_null(s, 2) ? NULL : db_text(s, 2)), "kind", db_text(s, 3), "url",
                                               webhook_mask(r->arena, db_text(s, 4)), "created_at", json_time(r->arena, db_int(s, 5))));
    db_reset(s);
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

static const JField HOOK_FIELDS[] = {{"kind", JF_STRING, 10}, {"url", JF_STRING, 1000}, {"team_id", JF_ID_NULL, 0}, {0}};

/* POST /api/v1/hooks {"kind","url","team_id"}: connects chat (admins: the
 * organisation or any team; managers: their teams). 201; a json hook's
 * signing secret is in the answer, this once. */
int hooks_api_create(Req *r) {
    json_t *o = req_json_object(r, HOOK_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    int64_t id;
    char *secret;
    const char *url = json_str(o, "url");
    if (hook_add(r, json_str(o, "kind"), url, json_id(o, "team_id"), &e, &id, &secret)) return err_send(r, &e);
    resp_json(r, 201, json_pack("{s:I,s:s,s:s,s:s?}", "id", (json_int_t)id, "kind", json_str(o, "kind"), "url", webhook_mask(r->arena, url), "secret", secret));
    return 0;
}

/* DELETE /api/v1/hooks/{id}: disconnects it (its admins and managers). 204. */
int hooks_api_delete(Req *r) {
    Errors e = {0};
    if (hook_delete(r, r->params[0], &e)) return err_send(r, &e);
    resp_text(r, 204, NULL, "");
    return 0;
}

static void hooks_page_render(Req *r, const Errors *e, const char *flash, const char *secret) {
    page_begin(r, T(r, "Chat"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p>%h</p>", T(r, "Chat"), T(r, "New challenges are posted to the chat channels connected here."));
    page_flash(r, flash);
    if (secret)
        html_printf(b, "<p class=\"notice\">%h <code>%h</code></p>", T(r, "The signing secret of this hook, shown this once (X-Remit-Signature: sha256=HMAC of the body):"),
                    secret);
    Stmt *s = db_q(r->db, SQL_HOOKS, "i", r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
        const char *kind = db_text(s, 3);
        html_printf(b, "<li>%h &middot; %h &middot; <code>%h</code>", db_null(s, 2) ? T(r, "the whole organisation") : db_text(s, 2),
                    T(r, strcmp(kind, "slack") == 0 ? N_("Slack") : strcmp(kind, "teams") == 0 ? N_("Microsoft Teams") : N_("JSON webhook")),
                    webhook_mask(r->arena, db_text(s, 4)));
        html_printf(b, " <form method=\"post\" action=\"/hooks/%D/delete\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<button type=\"submit\" class=\"danger\">%h</button></form></li>",
                    db_int(s, 0), r->who.csrf ? r->who.csrf : "", T(r, "Disconnect"));
    }
    db_reset(s);
    buf_puts(b, n ? "</ul>" : "");
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No chat is connected."));
    html_printf(b, "<h2>%h</h2>", T(r, "Connect a channel"));
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/hooks", NULL);
    static const char *const kinds[] = {N_("slack"), N_("teams"), N_("json"), NULL}; /* shown as they are: product names */
    form_select_str(r, "kind", T(r, "Kind"), req_form(r, "kind"), kinds, e ? err_for(e, "kind") : NULL);
    form_text(r, "url", T(r, "Incoming webhook address (https://...)"), "", e ? err_for(e, "url") : NULL, "url", true);
    const OptionList *teams = options_cached(r, "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 2000");
    form_select_list(r, "team_id", T(r, "Team"), 0, teams, T(r, "The whole organisation"), e ? err_for(e, "team_id") : NULL);
    form_end(r, T(r, "Connect"));
    page_end(r);
}

/* GET /hooks: connected chat channels and the form (manager). */
int hooks_page(Req *r) {
    hooks_page_render(r, NULL, req_query(r, "done") ? T(r, "Saved.") : NULL, NULL);
    return 0;
}

/* POST /hooks (kind, url, team_id) (manager). */
int hooks_page_create(Req *r) {
    Errors e = {0};
    int64_t team = 0, id;
    char *secret;
    form_id_field(r, "team_id", &team, &e, T(r, "Choose a team from the list."));
    if (!e.n && !hook_add(r, req_form(r, "kind"), req_form(r, "url"), team, &e, &id, &secret)) {
        if (!secret) {
            resp_redirect(r, "/hooks?done=1");
            return 0;
        }
        hooks_page_render(r, NULL, T(r, "Connected."), secret);
        return 0;
    }
    hooks_page_render(r, &e, NULL, NULL);
    r->resp.status = e.status ? e.status : 422;
    return 0;
}

/* POST /hooks/{id}/delete (manager). */
int hooks_page_delete(Req *r) {
    Errors e = {0};
    if (hook_delete(r, r->params[0], &e)) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
    resp_redirect(r, "/hooks?done=1");
    return 0;
}

/* ---------- the outbox, for admins ---------- */

static json_t *outbox_row(Req *r, Stmt *s) {
    const char *channel = db_text(s, 1);
    /* an e-mail's address is shown; a hook by its id only (its URL is a secret) */
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:o,s:o,s:o}", "id", (json_int_t)db_int(s, 0), "channel", channel, "target",
                     strcmp(channel, "email") == 0 ? db_text(s, 2) : arena_printf(r->arena, "hook:%s", db_text(s, 2)), "status", db_text(s, 3), "attempts",
                     (json_int_t)db_int(s, 4), "created_at", json_time(r->arena, db_int(s, 5)), "sent_at", json_time(r->arena, db_int(s, 6)), "last_error",
                     json_text(db_null(s, 7) ? NULL : db_text(s, 7)));
}

/* GET /api/v1/outbox?status=queued|sent|failed: e-mail and chat posts and
 * how their delivery went (admin). */
int hooks_api_outbox(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *st = req_query(r, "status");
    if (st && strcmp(st, "queued") && strcmp(st, "sent") && strcmp(st, "failed")) return resp_error(r, 400, "bad_request", "status is queued, sent or failed.");
    json_t *items = json_array();
    int64_t last = 0;
    int n = 0;
    Stmt *s = db_q(r->db, SQL_OUTBOX_LIST, "ittii", r->who.org_id, st, st, after, (int64_t)limit + 1);
    while (db_step(s) == DB_ROW) {
        if (n++ == limit) break;
        json_array_append_new(items, outbox_row(r, s));
        last = db_int(s, 0);
    }
    db_reset(s);
    resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_after", n > limit ? json_integer(last) : json_null()));
    return 0;
}

/* GET /outbox: what waits, what failed (admin). */
int hooks_page_outbox(Req *r) {
    page_begin(r, T(r, "Outbox"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Outbox"));
    if (!notify_email_on()) html_printf(b, "<p class=\"notice\">%h</p>", T(r, "E-mail is off on this server (start it with --smtp): e-mails wait here."));
    static const char *const ST[] = {"failed", "queued", "sent"};
    static const char *const HEAD[] = {N_("Failed"), N_("Waiting"), N_("Sent (newest 50)")};
    for (int k = 0; k < 3; k++) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, HEAD[k]));
        Stmt *s = db_q(r->db, k == 2 ? "SELECT id, channel, target, status, attempts, created_at, sent_at, last_error FROM outbox WHERE org_id = ? AND status = ? ORDER BY id DESC LIMIT 50"
                                     : "SELECT id, channel, target, status, attempts, created_at, sent_at, last_error FROM outbox WHERE org_id = ? AND status = ? ORDER BY id LIMIT 200",
                       "it", r->who.org_id, ST[k]);
        int n = 0;
        while (db_step(s) == DB_ROW) {
            if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
            bool mail = strcmp(db_text(s, 1), "email") == 0;
            html_printf(b, "<li>%h <span>%h</span> · %h %D", mail ? T(r, "E-mail to") : T(r, "Chat hook"), mail ? db_text(s, 2) : db_text(s, 2), T(r, "attempts:"),
                        db_int(s, 4));
            if (!db_null(s, 7)) html_printf(b, " &middot; <span class=\"muted\">%h</span>", db_text(s, 7));
            buf_puts(b, "</li>");
        }
        db_reset(s);
        if (n) buf_puts(b, "</ul>");
        else html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "None."));
        buf_puts(b, "</section>");
    }
    page_end(r);
    return 0;
}
