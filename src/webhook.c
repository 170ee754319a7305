/* webhook.c: chat posts (Slack and Microsoft Teams incoming webhooks, and a
 * generic JSON hook signed with HMAC-SHA256), and the curl handle setup the
 * e-mail side shares (net_handle). Hook URLs are secrets: only
 * webhook_mask's shortened form is ever shown. Plain http is refused except
 * to 127.0.0.1 when REMIT_ALLOW_HTTP_WEBHOOKS=1 (tests). It never queues or
 * retries (outbox.c does). */
#include "remit.h"
#include "notify.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void net_global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* net_handle: a fresh easy handle: no signals (threads), short timeouts, no
 * redirects, no proxies from the environment. The caller cleans it up. */
void *net_handle(void) {
    CURL *c = curl_easy_init();
    if (!c) return NULL;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    return c;
}

static bool test_http(void) {
    const char *e = getenv("REMIT_ALLOW_HTTP_WEBHOOKS");
    return e && strcmp(e, "1") == 0;
}

bool webhook_url_allowed(const char *url) {
    if (!url || strlen(url) > 1000 || has_control(url) || strchr(url, ' ')) return false;
    if (strncmp(url, "https://", 8) == 0) return url[8] && url[8] != '/' && !strchr(url, '\\');
    return test_http() && strncmp(url, "http://127.0.0.1:", 17) == 0 && !strchr(url, '@'); /* no user@host trick */
}

char *webhook_mask(Arena *a, const char *url) {
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    const char *slash = strchr(host, '/');
    size_t hl = slash ? (size_t)(slash - host) : strlen(host);
    size_t n = strlen(url);
    const char *tail = n > 4 ? url + n - 4 : "";
    return arena_printf(a, "%.*s%.*s/\u2026/%s", (int)(host - url), url, (int)hl, host, tail);
}

char *webhook_body(const char *kind, const char *event, const char *text, const char *link) {
    json_t *o;
    if (strcmp(kind, "slack") == 0) o = json_pack("{s:s}", "text", "");
    else if (strcmp(kind, "teams") == 0) o = json_pack("{s:s}", "text", "");
    else o = json_pack("{s:s,s:s,s:s}", "event", event, "text", text, "link", link);
    if (strcmp(kind, "json") != 0) {
        /* Slack's <url|label> and Teams' markdown [label](url) links */
        char *t = NULL;
        if (strcmp(kind, "slack") == 0) {
            size_t n = strlen(text) + strlen(link) + 16;
            t = malloc(n);
            if (!t) abort();
            snprintf(t, n, "%s <%s|Open>", text, link);
        } else {
            size_t n = strlen(text) + strlen(link) + 16;
            t = malloc(n);
            if (!t) abort();
            snprintf(t, n, "%s [Open](%s)", text, link);
        }
        json_object_set_new(o, "text", json_string(t));
        free(t);
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s) abort();
    return s;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx) {
    (void)p;
    (void)ctx;
    return size * n;
}

int webhook_post(const char *url, const char *body, const char *secret, char *err, size_t errlen) {
    if (!webhook_url_allowed(url)) {
        snprintf(err, errlen, "the hook's address is not allowed");
        return -1;
    }
    CURL *c = net_handle();
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, "User-Agent: remit/" REMIT_VERSION);
    if (secret && *secret) {
        char mac[65], line[100];
        auth_hmac_sha256_hex(secret, body, strlen(body), mac);
        snprintf(line, sizeof line, "X-Remit-Signature: sha256=%s", mac);
        h = curl_slist_append(h, line);
    }
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, test_http() ? "http,https" : "https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    int ok = rc == CURLE_OK && status >= 200 && status < 300 ? 0 : -1;
    if (rc != CURLE_OK) snprintf(err, errlen, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
    else if (ok) snprintf(err, errlen, "the hook answered %ld", status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return ok;
}
