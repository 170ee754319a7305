/* http.c: the only file that includes <microhttpd.h>. Turns a connection
 * into a Req, runs the router, and sends the Resp. Owns the body-size limit
 * (413), slow-client timeouts and graceful shutdown: stop accepting, let
 * requests in flight finish, then close. */
#include "remit.h"
#include "notify.h"
#include "handlers.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct Conn {
    Req *r;
    Buf body;
    bool too_large;
    bool bad_target; /* seen in the raw target, before libmicrohttpd decodes it */
} Conn;

static atomic_int in_flight;
static atomic_bool stopping;

/* uri_seen: libmicrohttpd's first look at a request, with the target still
 * percent-encoded: the only place a %00 in the path can be seen (decoded, it
 * ends the C string). The Conn made here is the request's context from now
 * on; on_completed frees it. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    (void)c;
    Conn *cn = calloc(1, sizeof *cn);
    if (!cn) return NULL;
    atomic_fetch_add(&in_flight, 1);
    cn->bad_target = uri && url_path_has_control(uri);
    return cn;
}

/* maintenance: background upkeep while serving, every half second: the
 * decision log's search index in batches (src/search.c). */
static void *maintenance(void *arg) {
    (void)arg;
    for (unsigned tick = 1; !atomic_load(&stopping); tick++) {
        struct timespec ts = {0, 500 * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (atomic_load(&stopping)) break;
        search_catch_up(db_thread(), 2000);
        anon_release_due(db_thread(), (int64_t)time(NULL)); /* yesterday's anonymous items, all at once */
        surveys_tick(db_thread(), (int64_t)time(NULL));      /* survey rounds opened, reminded, closed */
        if (tick % 20 == 0) malloc_trim(0); /* every 10 s: freed memory goes back to the system */
    }
    return NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    Req *r = cls;
    char *k = str_lower(r->arena, key);
    kv_add(r->arena, &r->headers, k, arena_strdup(r->arena, value ? value : ""), value ? strlen(value) : 0);
    return MHD_YES;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    Req *r = cls;
    if (key && *key) kv_add(r->arena, &r->query, arena_strdup(r->arena, key), arena_strdup(r->arena, value ? value : ""), value ? strlen(value) : 0);
    return MHD_YES;
}

/* Streamed answers: the handler's first piece, then the stream's pieces,
 * gzip-compressed on the way when the client accepts it. */
typedef struct Pump {
    RespStream st;
    Buf pending;   /* bytes ready to send */
    size_t off;
    Gz *gz;        /* NULL: sent as produced */
    bool ended;
} Pump;

static ssize_t pump_read(void *cls, uint64_t pos, char *out, size_t max) {
    (void)pos;
    Pump *p = cls;
    while (p->off == p->pending.len) {
        if (p->ended) return MHD_CONTENT_READER_END_OF_STREAM;
        p->pending.len = 0;
        p->off = 0;
        Buf piece = {0};
        int rc = p->st.fill(p->st.ctx, &piece);
        if (rc < 0) {
            buf_free(&piece);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        p->ended = rc == 0;
        if (p->gz) gz_feed(p->gz, piece.data, piece.len, p->ended, &p->pending);
        else if (piece.len) buf_append(&p->pending, piece.data, piece.len);
        buf_free(&piece);
    }
    size_t n = p->pending.len - p->off;
    if (n > max) n = max;
    memcpy(out, p->pending.data + p->off, n);
    p->off += n;
    return (ssize_t)n;
}

static void pump_free(void *cls) {
    Pump *p = cls;
    if (p->st.done) p->st.done(p->st.ctx);
    gz_free(p->gz);
    buf_free(&p->pending);
    free(p);
}

/* Bodies below this are sent as they are: gzip's header and the client's
 * work cost more than the bytes saved. */
#define GZIP_MIN_BYTES 1024

static enum MHD_Result send_resp(struct MHD_Connection *c, Req *r) {
    Resp *rs = &r->resp;
    bool worth = gzip_worth(rs->content_type) && !kv_get(&rs->headers, "Content-Encoding");
    bool gz = worth && gzip_accepted(req_header(r, "accept-encoding"));
    struct MHD_Response *m;
    if (rs->stream.fill) {
        Pump *p = calloc(1, sizeof *p);
        if (!p) abort();
        p->st = rs->stream;
        rs->stream = (RespStream){0};
        p->gz = gz ? gz_new() : NULL;
        if (p->gz) gz_feed(p->gz, rs->body.data, rs->body.len, false, &p->pending);
        else p->pending = rs->body;
        if (p->gz) buf_free(&rs->body);
        rs->body = (Buf){0};
        m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, pump_read, p, pump_free);
        if (!m) {
            pump_free(p);
            return MHD_NO;
        }
    } else {
        if (gz && rs->body.len < GZIP_MIN_BYTES) gz = false;
        if (gz) gzip_body(&rs->body);
        /* the body's buffer is handed over to MHD (freed by it), not copied */
        m = rs->body.data ? MHD_create_response_from_buffer(rs->body.len, rs->body.data, MHD_RESPMEM_MUST_FREE)
                          : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!m) return MHD_NO;
        rs->body = (Buf){0};
    }
    for (int i = 0; i < rs->headers.n; i++) MHD_add_response_header(m, rs->headers.items[i].name, rs->headers.items[i].value);
    if (rs->content_type) MHD_add_response_header(m, "Content-Type", rs->content_type);
    /* whether this answer is compressed depends on the request's
     * Accept-Encoding, and caches must know it */
    if (worth) MHD_add_response_header(m, "Vary", "Accept-Encoding");
    if (gz) MHD_add_response_header(m, "Content-Encoding", "gzip");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, m);
    MHD_destroy_response(m);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
    (void)cls;
    (void)version;
    Conn *cn = *con_cls;
    if (!cn || !cn->r) {
        if (!cn) { /* uri_seen could not allocate */
            cn = calloc(1, sizeof *cn);
            if (!cn) return MHD_NO;
            atomic_fetch_add(&in_flight, 1);
        }
        cn->r = req_new();
        Req *r = cn->r;
        r->bad_target = cn->bad_target;
        r->method = arena_strdup(r->arena, method);
        r->path = arena_strdup(r->arena, url);
        MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, r);
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, r);
        req_parse_cookies(r->arena, &r->cookies, req_header(r, "cookie"));
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        char ip[INET6_ADDRSTRLEN] = "";
        if (ci && ci->client_addr) {
            if (ci->client_addr->sa_family == AF_INET) inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
            else if (ci->client_addr->sa_family == AF_INET6) inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, sizeof ip);
        }
        r->client_ip = arena_strdup(r->arena, ip);
        const char *cl = req_header(r, "content-length");
        if (cl && strtoull(cl, NULL, 10) > REMIT_MAX_BODY) cn->too_large = true;
        *con_cls = cn;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cn->too_large) {
            if (cn->body.len + *upload_size > REMIT_MAX_BODY) {
                cn->too_large = true;
                buf_free(&cn->body);
            } else buf_append(&cn->body, upload_data, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    Req *r = cn->r;
    if (cn->too_large) {
        r->is_api = strncmp(r->path, "/api/", 5) == 0;
        resp_error(r, 413, "too_large", "The request body is larger than 1 MiB.");
        resp_header(r, "Connection", "close");
    } else {
        r->body = cn->body.data ? cn->body.data : "";
        r->body_len = cn->body.len;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        router_handle(r);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        /* the time spent in remit itself, for benchmarks and browser tools:
         * a duration reveals nothing a client could not time on its own */
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        resp_header(r, "Server-Timing", arena_printf(r->arena, "app;dur=%.2f", ms));
    }
    return send_resp(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)c;
    (void)toe;
    Conn *cn = *con_cls;
    if (!cn) return;
    if (cn->r) req_free(cn->r);
    buf_free(&cn->body);
    free(cn);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa) {
    const char *colon = strrchr(listen, ':');
    if (!colon) return -1;
    char host[64];
    size_t hl = (size_t)(colon - listen);
    if (hl == 0 || hl >= sizeof host) return -1;
    memcpy(host, listen, hl);
    host[hl] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == 0) return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) return -1;
    return 0;
}

/* http_serve: serves until SIGINT or SIGTERM. Returns 0 after a clean stop,
 * 1 when the address cannot be used, 2 when it is malformed. */
int http_serve(const char *listen, int threads, int timeout);
int http_serve(const char *listen, int threads, int timeout) {
    struct sockaddr_in sa;
    if (parse_listen(listen, &sa) != 0) {
        fprintf(stderr, "remit: --listen wants HOST:PORT with an IPv4 address, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit this */
    /* A steady footprint: big buffers (pages of hundreds of KiB) always get
     * their own mapping and go back to the system when freed, instead of
     * glibc raising the threshold and fragmenting the heap; and a few malloc
     * arenas rather than eight per core. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_ARENA_MAX, 4);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)256,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_URI_LOG_CALLBACK, uri_seen, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "remit: cannot listen on %s (in use, or not allowed)\n", listen);
        return 1;
    }
    pthread_t upkeep;
    bool upkeep_running = pthread_create(&upkeep, NULL, maintenance, NULL) == 0;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    /* before the "serving" line, which tells whoever waits that we are up */
    if (g_config.public_url) fprintf(stderr, "remit: public URL %s\n", g_config.public_url);
    fprintf(stderr, "remit: cookies: %s\n",
            g_config.secure_cookies ? "Secure (behind HTTPS)" : "not Secure (plain HTTP; use --public-url https://... behind a TLS proxy)");
    /* links in e-mail and chat point to --public-url, else to where we serve
     * (public_url itself stays unset: it also decides which origins may log in) */
    static char own_url[64];
    snprintf(own_url, sizeof own_url, "http://%s:%u", inet_ntoa(sa.sin_addr), di ? di->port : ntohs(sa.sin_port));
    g_config.link_url = g_config.public_url ? g_config.public_url : own_url;
    outbox_start(); /* e-mail and chat deliveries, digests, reminders (outbox.c) */
    fprintf(stderr, "remit: serving %s on http://%s:%u/\n", g_config.db_path, inet_ntoa(sa.sin_addr), di ? di->port : ntohs(sa.sin_port));
    fflush(stderr);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "remit: %s received; finishing requests in flight\n", sig == SIGINT ? N_("SIGINT") : N_("SIGTERM"));
    MHD_quiesce_daemon(d);
    for (int i = 0; i < 100 && atomic_load(&in_flight) > 0; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    atomic_store(&stopping, true);
    if (upkeep_running) pthread_join(upkeep, NULL);
    outbox_stop();
    if (getenv("REMIT_SQL_TRACE")) malloc_stats(); /* with db_close_all's SQLite figures: where memory went */
    db_close_all();
    fprintf(stderr, "remit: stopped cleanly\n");
    return 0;
}
