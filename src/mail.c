/* mail.c: e-mail. Renders a message (multipart/alternative with a plain
 * text and an HTML part, base64 bodies, RFC 2047 headers for non-ASCII,
 * List-Unsubscribe with one-click POST) and hands it to an SMTP server
 * through libcurl: smtp:// (STARTTLS when offered) or smtps://, user and
 * password from REMIT_SMTP_USER / REMIT_SMTP_PASSWORD. The only file that
 * knows libcurl's SMTP side. It never queues or retries (outbox.c does) and
 * adds nothing that tracks the reader: no pixels, no rewritten links. */
#include "remit.h"
#include "notify.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* b64: appends s as base64, broken into lines of 76 when wrap. */
static void b64(Buf *b, const char *s, size_t n, bool wrap) {
    const unsigned char *p = (const unsigned char *)s;
    int col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {B64[v >> 18 & 63], B64[v >> 12 & 63], i + 1 < n ? B64[v >> 6 & 63] : '=', i + 2 < n ? B64[v & 63] : '='};
        buf_append(b, q, 4);
        col += 4;
        if (wrap && col >= 76 && i + 3 < n) {
            buf_puts(b, "\r\n");
            col = 0;
        }
    }
}

static bool ascii_plain(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 127 || (unsigned char)*s < 32) return false;
    return true;
}

/* header_text: a header value with control characters (CR, LF: header
 * injection) turned into spaces, RFC 2047 B-encoded when not plain ASCII,
 * in encoded words of at most 45 input bytes that never split a character. */
static void header_text(Buf *b, const char *s) {
    char *t = strdup(s ? s : "");
    if (!t) abort();
    for (char *c = t; *c; c++)
        if ((unsigned char)*c < 32 || *c == 127) *c = ' ';
    if (ascii_plain(t)) {
        buf_puts(b, t);
        free(t);
        return;
    }
    size_t n = strlen(t), i = 0;
    bool first = true;
    while (i < n) {
        size_t take = n - i > 45 ? 45 : n - i;
        while (i + take < n && ((unsigned char)t[i + take] & 0xC0) == 0x80) take--; /* not inside a character */
        if (!first) buf_puts(b, "\r\n ");
        buf_puts(b, "=?UTF-8?B?");
        b64(b, t + i, take, false);
        buf_puts(b, "?=");
        i += take;
        first = false;
    }
    free(t);
}

static void address(Buf *b, const char *name, const char *email) {
    if (name && *name) {
        if (ascii_plain(name) && !strpbrk(name, "\"\\()<>,;:@[]")) buf_printf(b, "\"%s\"", name);
        else header_text(b, name);
        buf_printf(b, " <%s>", email);
    } else buf_puts(b, email);
}

char *mail_render(const char *from, const char *to, const char *to_name, const char *subject, const char *text, const char *html,
                  const char *unsub_url, int64_t id, int64_t now) {
    Buf b = {0};
    char date[64];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const char *at = strchr(from, '@');
    char boundary[64];
    snprintf(boundary, sizeof boundary, "remit-%lld-%lld", (long long)id, (long long)now);
    buf_printf(&b, "Date: %s\r\nFrom: ", date);
    address(&b, "remit", from);
    buf_puts(&b, "\r\nTo: ");
    address(&b, to_name, to);
    buf_puts(&b, "\r\nSubject: ");
    header_text(&b, subject);
    buf_printf(&b, "\r\nMessage-ID: <outbox-%lld-%lld%s>\r\n", (long long)id, (long long)now, at ? at : "@remit.invalid");
    if (unsub_url) buf_printf(&b, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", unsub_url);
    buf_printf(&b, "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
    buf_printf(&b, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary);
    b64(&b, text ? text : "", strlen(text ? text : ""), true);
    buf_printf(&b, "\r\n--%s\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary);
    b64(&b, html ? html : "", strlen(html ? html : ""), true);
    buf_printf(&b, "\r\n--%s--\r\n", boundary);
    buf_cstr(&b);
    return b.data;
}

typedef struct Upload { const char *p; size_t left; } Upload;

static size_t read_message(char *dst, size_t size, size_t n, void *ctx) {
    Upload *u = ctx;
    size_t want = size * n, take = u->left < want ? u->left : want;
    memcpy(dst, u->p, take);
    u->p += take;
    u->left -= take;
    return take;
}

int mail_send(const char *to, const char *message, char *err, size_t errlen) {
    if (!g_config.smtp_url) {
        snprintf(err, errlen, "e-mail is off");
        return -1;
    }
    CURL *c = net_handle();
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    Upload u = {message, strlen(message)};
    char from[320];
    snprintf(from, sizeof from, "<%s>", g_config.smtp_from ? g_config.smtp_from : "remit@localhost");
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, g_config.smtp_url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    const char *user = getenv("REMIT_SMTP_USER"), *pw = getenv("REMIT_SMTP_PASSWORD");
    if (user && *user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, pw ? pw : "");
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) snprintf(err, errlen, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : -1;
}
