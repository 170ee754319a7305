/* notify.h: the shared services every feature calls to tell people things
 * and to hand out follow-up work: notify (in-app, e-mail, digests, chat),
 * the outbox that delivers e-mail and chat posts, invitations and password
 * resets, and action items. Features call these; none copies them. */
#ifndef NOTIFY_H
#define NOTIFY_H
#include "remit.h"

/* ---------- notify.c ---------- */
/* notify: tells person (0: nobody) about something: the in-app row and, in
 * the same transaction (the caller's), the e-mail the person's preference
 * for this kind asks for (at once, or later in a digest). kind is
 * "group.detail" ("idea.stage"); preferences are per group. Errors are
 * ignored: a notification is not worth failing the change it is about. */
void notify(Db *db, int64_t org_id, int64_t person_id, int64_t now, const char *kind, const char *text, const char *link);
/* notify_anon: the same about anonymous content. author_id must be 0 (it
 * has no author to tell); the link must be a plain path of ours (no query,
 * never a follow link) and the text must not mention one; the time is kept
 * to the day and no e-mail goes out at once (only in digests), so that
 * timing cannot point at the author. -1 when refused (nothing written). */
int notify_anon(Db *db, int64_t org_id, int64_t person_id, int64_t now, const char *kind, const char *text, const char *link, int64_t author_id);
/* notify_chat: a post to the chat hooks of the organisation (team_id 0) or
 * of one team, through the outbox, inside the caller's transaction. */
void notify_chat(Db *db, int64_t org_id, int64_t team_id, int64_t now, const char *kind, const char *text, const char *link);
/* notify_url: public_url + path (arena-owned). */
char *notify_url(Arena *a, const char *path);
bool notify_email_on(void);
/* notify_digests: queues the daily and weekly digests that are due (period
 * NULL), or every waiting digest of one period now ("daily", "weekly").
 * Returns the number of e-mails queued, -1 when the database was busy. */
int notify_digests(Db *db, int64_t now, const char *period);
/* notify_unsub_url: the signed no-login link that turns kind's e-mail off. */
char *notify_unsub_url(Db *db, Arena *a, int64_t person_id, const char *group);
const char *notify_group_of(Arena *a, const char *kind);
char *notify_secret(Db *db, Arena *a);     /* the server's signing key */

/* ---------- outbox.c ---------- */
/* outbox_email: queues one e-mail (plain text and HTML parts) inside the
 * caller's transaction. unsub_url NULL for mail that is not a notification
 * (invitations, resets). DB_OK or an error. */
int outbox_email(Db *db, int64_t org_id, int64_t now, const char *to, const char *to_name, const char *subject, const char *text,
                 const char *html, const char *unsub_url);
int outbox_webhook(Db *db, int64_t org_id, int64_t now, int64_t hook_id, const char *payload_json);
/* outbox_run: one pass of the sender: delivers what is due (now_ms), with
 * backoff. Returns how many were delivered. */
int outbox_run(Db *db, int64_t now_ms);
void outbox_start(void);   /* the sender thread (serve) */
void outbox_stop(void);

/* ---------- mail.c: the only file that knows libcurl's SMTP side ---------- */
/* mail_render: the whole RFC 5322 message (CRLF lines): multipart/alternative
 * with base64 text and HTML parts, RFC 2047 encoded headers, and
 * List-Unsubscribe(-Post) when unsub_url is given. malloc'd. */
char *mail_render(const char *from, const char *to, const char *to_name, const char *subject, const char *text, const char *html,
                  const char *unsub_url, int64_t id, int64_t now);
/* mail_send: hands message to the SMTP server of g_config.smtp_url. 0 when
 * the server accepted it; -1 with err filled. */
int mail_send(const char *to, const char *message, char *err, size_t errlen);

/* ---------- webhook.c: chat posts and the shared curl handle setup ---------- */
void *net_handle(void);                      /* a CURL* with remit's timeouts and limits */
void net_global_init(void);
bool webhook_url_allowed(const char *url);   /* https, or http://127.0.0.1 in test mode */
char *webhook_mask(Arena *a, const char *url); /* "https://hooks.slack.com/…/XyZ1" */
/* webhook_post: POSTs body (JSON) to url; a json hook also gets
 * X-Remit-Signature: sha256=HEX. 0 on a 2xx answer, -1 with err filled. */
int webhook_post(const char *url, const char *body, const char *secret, char *err, size_t errlen);
/* webhook_body: the post for a hook kind (slack, teams, json). malloc'd. */
char *webhook_body(const char *kind, const char *event, const char *text, const char *link);

/* ---------- invite.c ---------- */
/* invite_create: a one-time link for person (purpose "invite": 7 days,
 * "reset": 1 hour) and its e-mail in the outbox, inside the caller's
 * transaction. Returns the link (arena-owned) or NULL. */
char *invite_create(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t actor_id, int64_t now, const char *purpose);

/* ---------- actions.c ---------- */
/* actions_create: an open action item owned by owner_id, inside the caller's
 * transaction; the owner is told unless they made it. 0 on failure. */
int64_t actions_create(Db *db, Arena *a, int64_t org_id, const char *title, int64_t owner_id, const char *due_on, const char *source_kind,
                       int64_t source_id, int64_t created_by, int64_t now);
/* actions_remind: tells owners once when an open action is due today and
 * once when it is overdue. Returns how many were told, -1 when busy. */
int actions_remind(Db *db, int64_t now);
/* One of the caller's open actions, as the home page lists them. */
typedef struct ActionBrief {
    const char *title, *link, *note; /* note: "due 2026-12-01", "overdue since ..." */
    bool urgent;
} ActionBrief;
/* actions_home_list: the caller's open actions, overdue first, then by due
 * date; at most max. Arena-owned. */
int actions_home_list(Req *r, ActionBrief *out, int max);
/* actions_home_items: the home registry's provider (shell.c): open actions
 * assigned to the caller, overdue, due today and the rest, with counts. */
void actions_home_items(Req *r, Home *h);

#endif
