/* outbox.c: durable delivery of e-mail and chat posts. A feature writes an
 * outbox row in the same transaction as the change that causes it (through
 * notify.c or invite.c); the sender thread started by `remit serve` delivers
 * due rows, marks them sent in a transaction after the other side accepted
 * them, and retries failures with exponential backoff (REMIT_OUTBOX_BACKOFF_MS,
 * default 30 s, doubling, at most an hour apart) until the row is 24 hours old,
 * then marks it failed for admins to see (/outbox). The guarantee is
 * at-least-once: a row is sent again only if remit dies between the other
 * side's acceptance and the commit that marks it sent. The thread also runs
 * the periodic jobs of the notifications service: digests and action
 * reminders. It never decides who is told what (notify.c does). */
#include "remit.h"
#include "notify.h"
#include "handlers.h" /* people_remind */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUTBOX_BATCH 20
#define OUTBOX_GIVE_UP_SECONDS (24 * 3600)
#define OUTBOX_MAX_DELAY_MS (3600 * 1000LL)
#define OUTBOX_KEEP_SECONDS (30 * 24 * 3600) /* sent rows are pruned after this */

static const char SQL_OUTBOX_ADD[] =
    "INSERT INTO outbox(org_id, channel, target, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_OUTBOX_DUE[] =
    "SELECT id, channel, target, payload, attempts, created_at FROM outbox WHERE status = 'queued' AND next_at <= ? "
    "AND (channel <> 'email' OR ? = 1) ORDER BY next_at, id LIMIT ?";
static const char SQL_OUTBOX_SENT[] = "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?";
static const char SQL_OUTBOX_RETRY[] = "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?";
static const char SQL_OUTBOX_FAILED[] = "UPDATE outbox SET attempts = attempts + 1, status = 'failed', last_error = ? WHERE id = ?";
static const char SQL_OUTBOX_PRUNE[] = "DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?";
static const char SQL_HOOK_GET[] = "SELECT kind, url, secret FROM chat_hook WHERE id = ?";

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t backoff_ms(void) {
    const char *e = getenv("REMIT_OUTBOX_BACKOFF_MS");
    long long v = e ? atoll(e) : 0;
    return v > 0 ? v : 30000;
}

int outbox_email(Db *db, int64_t org_id, int64_t now, const char *to, const char *to_name, const char *subject, const char *text,
                 const char *html, const char *unsub_url) {
    json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "to", to, "to_name", to_name ? to_name : "", "subject", subject, "text", text, "html",
                          html, "unsub", unsub_url);
    char *s = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    if (!s) return DB_ERROR;
    int rc = db_exec(db, SQL_OUTBOX_ADD, "itttii", org_id, "email", to, s, now, now * 1000);
    free(s);
    return rc;
}

int outbox_webhook(Db *db, int64_t org_id, int64_t now, int64_t hook_id, const char *payload_json) {
    char target[24];
    snprintf(target, sizeof target, "%lld", (long long)hook_id);
    return db_exec(db, SQL_OUTBOX_ADD, "itttii", org_id, "webhook", target, payload_json, now, now * 1000);
}

/* deliver: one row to the outside world. 0 accepted, -1 with err; *fatal
 * when retrying cannot help (the hook is gone, the payload is broken). */
static int deliver(Db *db, int64_t id, const char *channel, const char *target, const char *payload, int64_t now, char *err, size_t errlen,
                   bool *fatal) {
    json_error_t je;
    json_t *p = json_loads(payload, 0, &je);
    if (!p) {
        snprintf(err, errlen, "unreadable payload");
        *fatal = true;
        return -1;
    }
    int rc = -1;
    if (strcmp(channel, "email") == 0) {
        const char *unsub = json_string_value(json_object_get(p, "unsub"));
        char *msg = mail_render(g_config.smtp_from ? g_config.smtp_from : "remit@localhost", target, json_string_value(json_object_get(p, "to_name")),
                                json_string_value(json_object_get(p, "subject")), json_string_value(json_object_get(p, "text")),
                                json_string_value(json_object_get(p, "html")), unsub, id, now);
        rc = mail_send(target, msg, err, errlen);
        free(msg);
    } else {
        int64_t hook = atoll(target);
        Stmt *s = db_q(db, SQL_HOOK_GET, "i", hook);
        char *kind = NULL, *url = NULL, *secret = NULL;
        if (db_step(s) == DB_ROW) {
            kind = strdup(db_text(s, 0));
            url = strdup(db_text(s, 1));
            secret = strdup(db_text(s, 2));
        }
        db_reset(s);
        if (!kind || !url || !secret) {
            snprintf(err, errlen, "the chat hook was removed");
            *fatal = true;
        } else {
            char *body = webhook_body(kind, json_string_value(json_object_get(p, "kind")) ? json_string_value(json_object_get(p, "kind")) : "",
                                      json_string_value(json_object_get(p, "text")) ? json_string_value(json_object_get(p, "text")) : "",
                                      json_string_value(json_object_get(p, "link")) ? json_string_value(json_object_get(p, "link")) : "");
            rc = webhook_post(url, body, strcmp(kind, "json") == 0 ? secret : NULL, err, errlen);
            free(body);
        }
        free(kind);
        free(url);
        free(secret);
    }
    json_decref(p);
    return rc;
}

typedef struct Due { int64_t id, attempts, created_at; char *channel, *target, *payload; } Due;

int outbox_run(Db *db, int64_t tnow_ms) {
    Due due[OUTBOX_BATCH];
    int n = 0, sent = 0;
    Stmt *s = db_q(db, SQL_OUTBOX_DUE, "iii", tnow_ms, (int64_t)(g_config.smtp_url != NULL), (int64_t)OUTBOX_BATCH);
    while (n < OUTBOX_BATCH && db_step(s) == DB_ROW) {
        due[n] = (Due){db_int(s, 0), db_int(s, 4), db_int(s, 5), strdup(db_text(s, 1)), strdup(db_text(s, 2)), strdup(db_text(s, 3))};
        if (!due[n].channel || !due[n].target || !due[n].payload) abort();
        n++;
    }
    db_reset(s);
    for (int i = 0; i < n; i++) {
        Due *d = &due[i];
        char err[300] = "";
        bool fatal = false;
        int64_t now = tnow_ms / 1000;
        int ok = deliver(db, d->id, d->channel, d->target, d->payload, now, err, sizeof err, &fatal) == 0;
        /* Marking must not be lost to a busy database: retry the commit a
         * few times; if it still fails, the row is sent again later
         * (at-least-once). */
        for (int tries = 0; tries < 20; tries++) {
            if (db_begin(db) != DB_OK) continue;
            int rc;
            if (ok) rc = db_exec(db, SQL_OUTBOX_SENT, "ii", now, d->id);
            else if (fatal || now - d->created_at >= OUTBOX_GIVE_UP_SECONDS) rc = db_exec(db, SQL_OUTBOX_FAILED, "ti", err, d->id);
            else {
                int64_t delay = backoff_ms();
                for (int64_t k = 0; k < d->attempts && delay < OUTBOX_MAX_DELAY_MS; k++) delay *= 2;
                if (delay > OUTBOX_MAX_DELAY_MS) delay = OUTBOX_MAX_DELAY_MS;
                rc = db_exec(db, SQL_OUTBOX_RETRY, "iti", tnow_ms + delay, err, d->id);
            }
            if (rc == DB_OK && db_commit(db) == DB_OK) break;
            db_rollback(db);
        }
        if (ok) sent++;
        else fprintf(stderr, "remit: outbox %lld (%s) not delivered: %s\n", (long long)d->id, d->channel, err);
        free(d->channel);
        free(d->target);
        free(d->payload);
    }
    return sent;
}

static atomic_bool sender_stop;
static pthread_t sender;
static bool sender_running;

/* sender_main: the outbox every quarter second (or the backoff step, if
 * shorter), digests and action reminders every 30 seconds. */
static void *sender_main(void *arg) {
    (void)arg;
    Db *db = db_thread();
    int64_t step = backoff_ms() < 250 ? backoff_ms() : 250;
    int64_t last_jobs = 0;
    while (!atomic_load(&sender_stop)) {
        int64_t t = now_ms();
        outbox_run(db, t);
        if (t - last_jobs >= 30000) {
            last_jobs = t;
            actions_remind(db, t / 1000);
            people_remind(db, t / 1000); /* recognition prompts, one-to-one reminders */
            notify_digests(db, t / 1000, NULL);
            db_exec(db, SQL_OUTBOX_PRUNE, "i", t / 1000 - OUTBOX_KEEP_SECONDS);
        }
        struct timespec ts = {(time_t)(step / 1000), (long)(step % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

void outbox_start(void) {
    net_global_init();
    atomic_store(&sender_stop, false);
    sender_running = pthread_create(&sender, NULL, sender_main, NULL) == 0;
}

void outbox_stop(void) {
    atomic_store(&sender_stop, true);
    if (sender_running) pthread_join(sender, NULL);
    sender_running = false;
}
