/* notify_test.c: the notifications service's rules that need no server:
 * anonymous content is never announced with anything that points at its
 * author, preferences decide digests, the e-mail is well-formed. */
#include "remit.h"
#include "notify.h"
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char path[] = "/tmp/remit-notify-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    Db *db = db_open(path, NULL);
    CHECK("notify-0: a database opens", db != NULL);
    if (!db) return 1;
    db_exec(db, "INSERT INTO org(id, name, created_at) VALUES (1, 'A', 0)", "");
    db_exec(db, "INSERT INTO person(id, org_id, name, email, email_lc, created_at) VALUES (1, 1, 'Ann', 'ann@a.test', 'ann@a.test', 0), "
                "(2, 1, 'Bea', 'bea@a.test', 'bea@a.test', 0)", "");
    int64_t n = 0, now = 1700000000 + 4321;

    CHECK("notify-1.1: anonymous content has no author to tell", notify_anon(db, 1, 2, now, "idea.stage", "moved", "/ideas/1", 1) == -1);
    CHECK("notify-1.2: anonymous content is never linked by its follow link",
          notify_anon(db, 1, 2, now, "idea.stage", "moved", "/follow?token=abc", 0) == -1);
    CHECK("notify-1.3: nor by any link with a query", notify_anon(db, 1, 2, now, "idea.stage", "moved", "/ideas/1?x=1", 0) == -1);
    CHECK("notify-1.4: nor by a text that carries a follow link", notify_anon(db, 1, 2, now, "idea.stage", "see /follow?token=abc", "/ideas/1", 0) == -1);
    db_one_int(db, &n, "SELECT count(*) FROM notification", "");
    CHECK("notify-1.5: refused calls write nothing", n == 0);
    db_exec(db, "INSERT INTO notify_pref(person_id, org_id, kind, mode) VALUES (2, 1, 'idea', 'email')", "");
    CHECK("notify-1.6: a clean anonymous notification is written", notify_anon(db, 1, 2, now, "idea.stage", "moved", "/ideas/1", 0) == 0);
    int64_t at = 0, state = -1, mails = -1;
    db_one_int(db, &at, "SELECT at FROM notification", "");
    db_one_int(db, &state, "SELECT mail_state FROM notification", "");
    db_one_int(db, &mails, "SELECT count(*) FROM outbox", "");
    CHECK("notify-1.7: its time is kept to the day", at == now - now % 86400);
    CHECK("notify-1.8: 'e-mail at once' becomes the daily digest for anonymous content", state == 1 && mails == 0);

    notify(db, 1, 2, now, "idea.stage", "Ünïcode moved your idea", "/ideas/2");
    db_one_int(db, &mails, "SELECT count(*) FROM outbox WHERE channel = 'email' AND target = 'bea@a.test'", "");
    CHECK("notify-2.1: e-mail at once queues one e-mail in the outbox", mails == 1);
    notify(db, 1, 1, now, "decision.inform", "told", "/decisions/1");
    db_one_int(db, &mails, "SELECT count(*) FROM outbox", "");
    int64_t rows = 0;
    db_one_int(db, &rows, "SELECT count(*) FROM notification WHERE person_id = 1 AND kind = 'decision.inform' AND mail_state = 0", "");
    CHECK("notify-2.2: the default is in-app only: the row, no e-mail", mails == 1 && rows == 1);
    db_exec(db, "INSERT INTO notify_pref(person_id, org_id, kind, mode) VALUES (1, 1, 'decision', 'weekly')", "");
    notify(db, 1, 1, now, "decision.inform", "told again", "/decisions/1");
    CHECK("notify-2.3: no digest is due a minute later", notify_digests(db, now + 60, NULL) == 0);
    CHECK("notify-2.4: ... and is after a week", notify_digests(db, now + 8 * 86400, NULL) == 2);
    db_one_int(db, &mails, "SELECT count(*) FROM outbox", "");
    CHECK("notify-2.5: one digest e-mail per person and period", mails == 3);
    CHECK("notify-2.6: nothing waits any more", notify_digests(db, now + 30 * 86400, "weekly") == 0 && notify_digests(db, now + 30 * 86400, "daily") == 0);

    CHECK("notify-3.1: kinds fall into their groups", strcmp(notify_group_of(NULL, "approval_requested"), "decision") == 0 &&
                                                        strcmp(notify_group_of(NULL, "advice_given"), "decision") == 0 &&
                                                        strcmp(notify_group_of(NULL, "decision_rerouted"), "decision") == 0 &&
                                                        strcmp(notify_group_of(NULL, "idea.merge"), "idea") == 0 &&
                                                        strcmp(notify_group_of(NULL, "action.due"), "action") == 0 &&
                                                        strcmp(notify_group_of(NULL, "surprise"), "other") == 0);
    char *m = mail_render("remit@a.test", "bea@a.test", "Bea Ünïcode", "Grüße\r\nBcc: evil@x.test", "plain", "<p>html</p>", "https://x.test/unsubscribe?p=1", 7, now);
    CHECK("mail-1.1: non-ASCII subjects are RFC 2047 encoded", strstr(m, "Subject: =?UTF-8?B?") != NULL);
    CHECK("mail-1.2: no header can be injected through the subject", strstr(m, "\r\nBcc:") == NULL);
    CHECK("mail-1.3: multipart/alternative with both parts in base64",
          strstr(m, "multipart/alternative") && strstr(m, "text/plain; charset=UTF-8") && strstr(m, "text/html; charset=UTF-8") &&
              strstr(m, "Content-Transfer-Encoding: base64"));
    CHECK("mail-1.4: List-Unsubscribe with one-click POST",
          strstr(m, "List-Unsubscribe: <https://x.test/unsubscribe?p=1>\r\n") && strstr(m, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    free(m);
    Arena *a = arena_new();
    CHECK("hook-1.1: a hook's address is shown shortened", strcmp(webhook_mask(a, "https://hooks.slack.com/services/T0/B0/abcdXyZ1"), "https://hooks.slack.com/\u2026/XyZ1") == 0);
    unsetenv("REMIT_ALLOW_HTTP_WEBHOOKS");
    CHECK("hook-1.2: only https hooks", webhook_url_allowed("https://example.com/x") && !webhook_url_allowed("http://example.com/x") &&
                                            !webhook_url_allowed("http://127.0.0.1:9/x") && !webhook_url_allowed("ftp://x"));
    setenv("REMIT_ALLOW_HTTP_WEBHOOKS", "1", 1);
    CHECK("hook-1.3: the test switch allows plain http to 127.0.0.1 only",
          webhook_url_allowed("http://127.0.0.1:9/x") && !webhook_url_allowed("http://10.0.0.1:9/x") && !webhook_url_allowed("http://127.0.0.1.evil.test/x") &&
              !webhook_url_allowed("http://127.0.0.1:80@evil.test/x"));
    arena_free(a);
    db_close(db);
    char p2[80];
    unlink(path);
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
    CHECK_DONE();
}
