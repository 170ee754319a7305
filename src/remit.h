/* remit.h: the core types every module shares (Arena, Buf, Req, Resp, Route)
 * and the small interfaces of the core modules. Library headers stay in their
 * owning module; the one exception is jansson's json_t, which feature files
 * use directly to build answers (wrapping it would only rename it). */
#ifndef REMIT_H
#define REMIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define REMIT_VERSION "0.1.0"
#define REMIT_MAX_BODY (1024 * 1024)


/* ---------- arena.c: request-scoped memory ---------- */
typedef struct Arena Arena;
Arena *arena_new(void);
void *arena_alloc(Arena *a, size_t n);            /* zeroed; aborts on OOM */
char *arena_strdup(Arena *a, const char *s);       /* NULL stays NULL */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_defer(Arena *a, void (*fn)(void *), void *p); /* run at arena_free, LIFO */
void arena_free(Arena *a);
void *arena_grow(Arena *a, const void *v, int *cap, size_t elem); /* doubled copy; *cap doubles */
void arena_release_pool(void);  /* this thread's pooled chunks, freed now */

/* ---------- buf.c: growable byte buffer (malloc-backed) ---------- */
typedef struct Lang Lang;
typedef struct Buf {
    char *data;
    size_t len, cap;
    const Lang *lang; /* html_printf translates its format strings (the page's body) */
} Buf;
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
const char *buf_cstr(Buf *b); /* NUL-terminated view, owned by b */
void buf_free(Buf *b);

/* ---------- access levels ---------- */
enum { ACCESS_NONE = 0, ACCESS_MEMBER = 1, ACCESS_MANAGER = 2, ACCESS_ADMIN = 3, ACCESS_OWNER = 4 };
int access_parse(const char *s); /* 0 when unknown */
const char *access_name(int level);

/* ---------- requests and responses ---------- */
typedef struct KV {
    const char *name, *value;
    size_t value_len; /* for uploaded file contents */
    const char *filename; /* multipart file parts only */
} KV;

typedef struct KVList {
    KV *items;
    int n, cap;
} KVList;
void kv_add(Arena *a, KVList *l, const char *name, const char *value, size_t len);
const char *kv_get(const KVList *l, const char *name);
const KV *kv_find(const KVList *l, const char *name);

/* RespStream: an answer produced piece by piece after the handler returned
 * (CSV exports of long lists). fill appends the next piece to out and
 * returns 1 while there is more, 0 at the end, -1 on failure (the
 * connection is then closed). done frees ctx; it owns everything the stream
 * needs, because the request's arena may be gone before the last piece. */
typedef struct RespStream {
    int (*fill)(void *ctx, Buf *out);
    void (*done)(void *ctx);
    void *ctx;
} RespStream;

typedef struct Resp {
    int status;
    const char *content_type;
    Buf body;
    KVList headers;
    RespStream stream; /* fill set: the body is streamed, body is its first piece */
    bool sent; /* a handler (or helper) has produced the answer */
} Resp;

typedef struct Db Db;
typedef struct Route Route;

/* The authenticated caller, filled by the router. */
typedef struct Who {
    int64_t person_id, org_id;
    int access;
    const char *name, *email;
    const char *csrf;        /* session CSRF token (cookie sessions only) */
    const char *session_hash;
    bool via_cookie, via_token;
    const char *touch_hash;  /* session or token hash whose last-used time is a minute old */
} Who;

typedef struct Config {
    const char *db_path;
    bool secure_cookies;
    const char *public_url;  /* --public-url, without a trailing slash; NULL when not given */
    const char *link_url;    /* the base of links in e-mail and chat: public_url, else where the server listens */
    const char *smtp_url;    /* smtp://host:port or smtps://...; NULL: e-mail is off */
    const char *smtp_from;   /* the From address of every e-mail */
} Config;
extern Config g_config;

typedef struct Req {
    Arena *arena;
    const char *method;
    const char *path;        /* percent-decoded, without the query */
    bool bad_target;         /* the raw path held a control character, %00 included: 400 */
    const char *query_raw;
    KVList query, headers, cookies, form;
    const char *body;
    size_t body_len;
    const char *client_ip;
    int64_t now;             /* unix seconds at arrival */
    int64_t params[4];       /* {id} values of the matched pattern */
    int nparams;
    const Route *route;
    bool is_api;
    Who who;
    bool no_trace;           /* an anonymous submission: leave no activity time (anon.c) */
    Db *db;
    json_t *json;            /* parsed body (API), owned via the arena */
    Resp resp;
    const Lang *lang;        /* i18n_lang's choice, for the caller lang_who */
    int64_t lang_who;
} Req;

Req *req_new(void);
void req_free(Req *r);
const char *req_header(Req *r, const char *lname);
const char *req_query(Req *r, const char *name);
const char *req_form(Req *r, const char *name);
int64_t *req_form_ids(Req *r, const char *name, int *n); /* a repeated field as ids (0: not an id) */
void req_parse_query(Arena *a, KVList *out, const char *s, size_t len); /* urlencoded */
void req_parse_cookies(Arena *a, KVList *out, const char *s);
int req_parse_multipart(Req *r, const char *content_type); /* 0 ok, -1 malformed */
char *url_decode(Arena *a, const char *s, size_t len, bool plus_is_space);
bool url_path_has_control(const char *target); /* raw or %XX-encoded control character before any '?' */

void resp_header(Req *r, const char *name, const char *value);
void resp_text(Req *r, int status, const char *ctype, const char *text);
void resp_redirect(Req *r, const char *location);   /* 303 See Other */
void resp_json(Req *r, int status, json_t *v);       /* steals v */
/* The one error envelope: JSON {"error":{code,message}} for the API, an HTML
 * page for browsers. Always returns -1 so handlers can `return resp_error(...)`. */
int resp_error(Req *r, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---------- compress.c: gzip (zlib) ---------- */
typedef struct Gz Gz;
bool gzip_accepted(const char *accept_encoding); /* q-values; NULL: no */
bool gzip_worth(const char *ctype);              /* text, JSON, JS, SVG */
void gzip_body(Buf *body);                       /* in place */
Gz *gz_new(void);
void gz_feed(Gz *g, const void *in, size_t n, bool last, Buf *out);
void gz_free(Gz *g);
void resp_stream_drain(Req *r);  /* req.c: a streamed body read into resp.body (remit http) */

/* ---------- export.c: CSV (RFC 4180) for every list ---------- */
void csv_field(Buf *b, const char *s, bool first); /* one cell, quoted and neutralised as needed */
void csv_end_row(Buf *b);                           /* CRLF */
bool export_wanted(Req *r);       /* ?format=csv on a list that exports */
int export_list(Req *r);          /* answers the route's list as CSV (streamed) */
/* export_link: a "Download CSV" link to api_path with the page's query
 * (minus paging), for the page being written. */
void export_link(Req *r, const char *api_path);

/* ---------- router.c / routes.c ---------- */
typedef int (*Handler)(Req *r);
struct Route {
    const char *method;
    const char *pattern;     /* "/api/v1/teams/{id}" */
    Handler handler;
    int needs;               /* ACCESS_NONE = public */
    const char *summary;     /* one line, used by the OpenAPI check and docs */
};
extern const Route g_routes[];
extern const int g_nroutes;
void router_handle(Req *r);  /* runs the whole pipeline; always fills r->resp */
int router_match(const char *pattern, const char *path, int64_t *params, int *nparams);


/* ---------- shell.c: the navigation and home registries ---------- */
/* The top navigation: groups in the order of the empowerment cycle, and
 * one line per link in shell.c's table. A link is shown to whoever may GET
 * its path (the route's needs in routes.c); a group without a link the
 * caller may use is not shown at all. */
enum { NAV_PURPOSE, NAV_DECIDE, NAV_SPEAK, NAV_GROW, NAV_EVIDENCE, NAV_NGROUPS };
typedef struct NavLink { int group; const char *href, *label; } NavLink; /* label: N_("...") */
extern const char *const g_nav_groups[NAV_NGROUPS];
extern const NavLink g_nav_links[];
extern const int g_nnav_links;
int nav_link_need(const char *href);   /* the least access its GET route needs; -1: no such route */

/* The home page's registry: each feature adds what waits for the caller
 * ("What needs you now") and, for managers and up, health tiles, from a
 * provider in its own file listed in shell.c's table. */
enum { URGENCY_OVERDUE = 0, URGENCY_WAITING = 1, URGENCY_DUE = 2, URGENCY_INFO = 3 }; /* lower first */
typedef struct HomeItem {
    const char *key;         /* stable machine name: "approvals" */
    const char *label;       /* translated, for people */
    int64_t count;
    const char *href;
    int urgency;             /* URGENCY_* */
} HomeItem;
typedef struct HomeTile {
    const char *key, *label; /* machine name; translated label */
    const char *text;        /* the figure as shown: "72%", "3.5 h", "none" */
    json_t *value;           /* the figure for the API (owned by the tile until sent) */
    const char *href;        /* the page that explains it */
} HomeTile;
typedef struct Home Home;
/* home_item / home_tile: called by providers; strings must outlive the
 * request (literals or arena). Items with a count of 0 are dropped. */
void home_item(Home *h, const char *key, const char *label, int64_t count, const char *href, int urgency);
void home_tile(Home *h, const char *key, const char *label, const char *text, json_t *value, const char *href);
typedef struct HomeProvider {
    const char *name;
    void (*items)(Req *r, Home *h);  /* NULL: adds none; runs for everyone */
    void (*tiles)(Req *r, Home *h);  /* NULL: adds none; runs for managers and up */
} HomeProvider;
extern const HomeProvider g_home_providers[];
extern const int g_nhome_providers;

/* ---------- db.c: SQLite, the only file that includes sqlite3.h ---------- */
typedef struct Stmt Stmt;
enum { DB_OK = 0, DB_ROW = 1, DB_DONE = 0, DB_CONSTRAINT = -2, DB_BUSY = -3, DB_ERROR = -1 };
int db_global_init(const char *path, bool create);  /* opens, migrates; 0 ok */
Db *db_open(const char *path, char **err);          /* new connection; migrations applied */
void db_close(Db *db);
Db *db_thread(void);                 /* this thread's connection (opened lazily) */
void db_close_all(void);             /* at shutdown */
Stmt *db_prepare(Db *db, const char *sql);  /* cached per connection; aborts on bad SQL */
void db_request_start(Db *db);       /* before a request: keeps the statement cache from filling */
Stmt *db_q(Db *db, const char *sql, const char *types, ...); /* prepare + bind: i=int64, I=int64 id (0 binds NULL), t=text (NULL binds NULL), n=NULL (takes no argument) */
int db_step(Stmt *s);                /* DB_ROW, DB_DONE, or a negative error */
int db_exec(Db *db, const char *sql, const char *types, ...); /* run to the end: DB_OK or error */
void db_reset(Stmt *s);
int64_t db_int(Stmt *s, int col);
bool db_null(Stmt *s, int col);
const char *db_text(Stmt *s, int col);           /* "" for NULL; valid until next step */
char *db_dup(Stmt *s, int col, Arena *a);        /* NULL for NULL */
int64_t db_last_id(Db *db);
int db_changes(Db *db);
int db_begin(Db *db);                /* BEGIN IMMEDIATE */
int db_commit(Db *db);
void db_rollback(Db *db);
bool db_in_tx(Db *db);
const char *db_errmsg(Db *db);
int db_backup(const char *from, const char *to, char **err);
int db_exec_script(Db *db, const char *sql, char **err);
int db_analyze(Db *db);              /* planner statistics (bounded work) */
/* ---------- search.c: the decision log's full-text index, in batches ---------- */
int64_t search_backlog(Db *db);          /* decisions waiting to be indexed */
int search_catch_up(Db *db, int batch);  /* index up to batch (0: all); count, or -1 busy */
extern const char SEARCH_CATCH_UP_SQL[];  /* all of it, as a script (backups) */
/* One-row helpers: 1 found (value stored), 0 none. */
int db_one_int(Db *db, int64_t *out, const char *sql, const char *types, ...);

/* ---------- auth.c: libsodium ---------- */
int auth_init(void);
/* argon2id runs at most AUTH_HASH_MAX_RUNNING at once (64 MiB each); a call
 * that gets no turn within AUTH_HASH_WAIT_MS returns AUTH_BUSY (answer 503). */
#define AUTH_HASH_MAX_RUNNING 2
#define AUTH_HASH_WAIT_MS 4000
#define AUTH_BUSY (-2)
int auth_password_hash(const char *pw, char *out, size_t outsz);  /* 0 ok, AUTH_BUSY, -1 */
int auth_password_check(const char *hash, const char *pw);        /* 1 match, 0 no, AUTH_BUSY */
int auth_dummy_verify(const char *pw);    /* same cost as a check, for unknown emails; 0 or AUTH_BUSY */
void auth_random_token(char out[44]);     /* 256-bit, base64url, NUL-terminated */
void auth_token_hash(const char *token, char out[65]); /* hex BLAKE2b-256 */
bool auth_equal(const char *a, const char *b);         /* constant time for equal lengths */
const char *auth_password_problem(const char *pw);     /* NULL when acceptable */
void auth_hmac_sha256_hex(const char *key, const void *msg, size_t len, char out[65]); /* hex HMAC-SHA256 */
/* Session lifecycle */
#define SESSION_IDLE_SECONDS (8 * 3600)
#define SESSION_MAX_SECONDS (7 * 24 * 3600)
#define LOGIN_WINDOW_SECONDS (15 * 60)
#define LOGIN_MAX_PER_PAIR 5      /* one e-mail from one address, then 429 */
#define LOGIN_MAX_PER_IP 30       /* one address, any e-mail, then 429 */
#define LOGIN_DELAY_AFTER 10      /* one e-mail from anywhere: then growing delays */
#define LOGIN_DELAY_MAX (15 * 60) /* the longest of those delays, in seconds */
#define PRELOGIN_MAX_AGE (12 * 3600)
int auth_session_create(Db *db, int64_t person_id, int64_t org_id, int64_t now, char token_out[44], char csrf_out[44]);
int auth_login(Req *r, const char *email, const char *password, char token_out[44], char csrf_out[44]);
void auth_set_cookie(Req *r, const char *token, int max_age);
int auth_end_credentials(Db *db, int64_t person_id);   /* every session and API token */
const char *auth_prelogin(Req *r);                     /* the login form's token (sets the cookie) */
bool auth_prelogin_ok(Req *r, const char *field);
int auth_resolve(Req *r);   /* fills r->who from cookie or bearer; 0 ok, 1 anonymous */
void auth_touch(Req *r);    /* records the caller's activity (after the handler) unless r->no_trace */
uint64_t auth_random_u64(void);
int auth_token_create(Db *db, int64_t person_id, int64_t org_id, const char *label, int64_t now, char token_out[44]);

/* ---------- anon.c: what anonymity means, in one place ---------- */
int64_t anon_day(int64_t t);            /* 00:00 UTC of t's day */
char *anon_date(Arena *a, int64_t t);   /* "YYYY-MM-DD" */
int64_t anon_release_on(int64_t t);     /* the day an item sent at t appears to others */
int64_t anon_new_id(Db *db, const char *taken); /* random id; taken: count query with ?, ? for the id; 0 busy */
int anon_release_due(Db *db, int64_t now);      /* holds-back released; count or -1 busy */
int anon_release_batch(Db *db, int64_t today, const char *due_sql, const char *release_sql, const char *drop_sql); /* one hold-back table's day batch */
#define ANON_K_DEFAULT 5                        /* the minimum group size unless a survey sets 3..10 */
int anon_k(int asked);                          /* clamps a survey's k to 3..10 (0: the default) */
void anon_suppress(const int *counts, int n, int k, bool parent_shown, bool *hidden); /* complementary suppression */

/* ---------- json.c: request bodies and the field contract ---------- */
enum { JF_STRING = 1, JF_STRING_NULL, JF_INT, JF_ID_NULL, JF_STRING_LIST, JF_BOOL, JF_DATE_NULL, JF_ANY /* checked by the handler */ };
typedef struct JField {
    const char *name;
    int type;
    int maxlen; /* strings: maximum length in bytes (0 = 10000) */
} JField;
void req_defer_json(Req *r, json_t *v);
json_t *req_json_object(Req *r, const JField *fields); /* parsed, checked; NULL after sending 400 */
json_t *req_json_body(Req *r);   /* the body as an object (415/400 sent otherwise); fields unchecked */
bool json_has(json_t *o, const char *name);
const char *json_str(json_t *o, const char *name);    /* NULL if absent or null */
int64_t json_id(json_t *o, const char *name);          /* 0 if absent or null */
char *json_list_encode(Arena *a, json_t *list);       /* list of strings -> compact JSON text */
json_t *json_list_decode(const char *text);            /* never NULL: [] on bad input */
char *iso_time(Arena *a, int64_t t);                  /* 2026-11-23T10:00:00Z */
bool valid_date(const char *s);                       /* YYYY-MM-DD, real calendar date */
bool valid_email(const char *s);
int parse_limit_after(Req *r, int *limit, int64_t *after); /* paging; -1 after 400 sent */
json_t *json_page(json_t *items, int limit, int64_t last_id); /* {"items":[..],"next_after":..} */
json_t *json_text(const char *s);                 /* string, or null for NULL */
json_t *json_ref(int64_t id, const char *name);   /* {"id","name"}, or null for 0 */
json_t *json_time(Arena *a, int64_t t);           /* ISO 8601, or null for 0 */

/* ---------- html.c: escaping by default ---------- */
/* html_printf: %h escapes text/attribute, %u URL-encodes, %s raw (string
 * literals only), %d int, %D int64, %% percent. */
void html_printf(Buf *b, const char *fmt, ...);
void html_escape(Buf *b, const char *s);
void html_markdown(Buf *b, const char *md);
void page_begin(Req *r, const char *title);
void page_end(Req *r);
Buf *page(Req *r);  /* the body being written */
/* Form helpers: errors are shown next to the field; value keeps what was typed. */
void form_begin(Req *r, const char *action, const char *enctype);
void form_begin_confirm(Req *r, const char *action, const char *question);
void form_end(Req *r, const char *button);
void form_text(Req *r, const char *name, const char *label, const char *value, const char *error, const char *type, bool required);
void form_textarea(Req *r, const char *name, const char *label, const char *value, const char *error, const char *hint);
typedef struct Option { int64_t id; const char *label; } Option;
Option *options_from(Req *r, Stmt *s, int *n); /* rows (id, label) -> choices */
/* OptionList: choices kept per connection with their HTML ready, for the
 * long lists of people and teams; valid until the next options_cached call
 * with another list. */
typedef struct OptionList {
    Option *v;
    int n;
    char *html;     /* every <option>, none selected */
    size_t *mark;   /* where " selected" goes in html for option i */
    size_t len;
} OptionList;
/* options_cached: the rows (id, label) of sql, whose only parameter is the
 * caller's organisation, from the connection's cache while the
 * organisation's dir_version is unchanged (so only for people, teams, roles
 * and rights, which bump it). */
const OptionList *options_cached(Req *r, const char *sql);
/* option_list_from: the rows (id, label) of s (run to the end and reset) as
 * an OptionList in a, for callers that keep lists by their own key. */
OptionList *option_list_from(Arena *a, Stmt *s);
void form_select_list(Req *r, const char *name, const char *label, int64_t selected, const OptionList *l, const char *none_label, const char *error);
/* ---------- conncache.c: objects kept per connection between requests ---------- */
typedef struct ConnCache ConnCache;
/* conn_cache_get: the object stored under (what, org_id, k1, k2) while the
 * organisation's dir_version is unchanged, else load(db, arena, ctx) builds
 * it anew in a fresh arena. Valid until the next conn_cache_get on the same
 * connection may replace it: use it at once. */
void *conn_cache_get(Db *db, const void *what, int64_t org_id, int64_t k1, int64_t k2, void *(*load)(Db *db, Arena *a, void *ctx), void *ctx);
void conn_cache_free(ConnCache *c);   /* called by db_close */
ConnCache **db_conn_cache(Db *db);    /* db.c: the cache's place in the connection */
void form_select_id(Req *r, const char *name, const char *label, int64_t selected, const Option *opts, int n, const char *none_label, const char *error);
void form_select_str(Req *r, const char *name, const char *label, const char *selected, const char *const *values, const char *error);
void form_error_summary(Req *r, int nerrors);
void page_flash(Req *r, const char *msg);

/* ---------- errors.c: field errors shared by pages and the API ---------- */
typedef struct FieldErr { const char *field, *msg; } FieldErr;
typedef struct Errors {
    FieldErr items[16];
    int n;
    int status;       /* the HTTP status of the first error (400, 404, 409, 422) */
    const char *code; /* its machine-readable code */
} Errors;
/* err_add: records a problem with a field (NULL for the whole object). The
 * first error decides the status and code the API answers with. */
void err_add(Errors *e, int status, const char *code, const char *field, const char *msg);
void err_busy(Errors *e);  /* 503 busy: the database stayed locked */
const char *err_for(const Errors *e, const char *field);
int err_send(Req *r, const Errors *e); /* API: the envelope with "field"; returns -1 */

void form_id_field(Req *r, const char *name, int64_t *v, Errors *e, const char *msg); /* html.c */

/* ---------- audit.c ---------- */
void audit(Req *r, const char *action, const char *object, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void audit_db(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *action, const char *object, const char *detail);

/* ---------- util ---------- */
int64_t now_seconds(void);
bool parse_id(const char *s, int64_t *out);   /* positive decimal integer */
char *str_trim(Arena *a, const char *s);
char *str_lower(Arena *a, const char *s);
bool str_empty(const char *s);
bool utf8_valid(const char *s);
void utf8_scrub(char *s);
uint64_t rng_next(uint64_t *state);                         /* demo data only */
int64_t rng_between(uint64_t *state, int64_t lo, int64_t hi); /* lo..hi inclusive */
size_t utf8_chars(const char *s);
bool has_control(const char *s);
bool would_cycle(int64_t node, int64_t new_parent, int64_t (*parent_of)(void *ctx, int64_t id), void *ctx);

/* ---------- can.c: the rights engine and other pure logic ---------- */
enum { V_NONE, V_APPROVE, V_DECIDE, V_INFORM, V_ADVISE, V_AGREE, V_PROPOSE };
enum { PERSON_ACTIVE = 0, PERSON_AWAY = 1, PERSON_LEFT = 2 };
/* A right's prerequisite (migration 0017): a confirmed skill level
 * (skill_id, level) or a completed training (training_id); name is the
 * skill's or the training's, for "missing". */
typedef struct CanReq {
    int64_t skill_id, training_id; /* exactly one is set */
    int level;                     /* skills: 1..4 */
    const char *name;
} CanReq;
typedef struct CanHeld { int64_t id; int level; } CanHeld; /* a confirmed skill level, or a completed training (level 0) */
typedef struct CanRight {
    int64_t id;
    int level;               /* 1..7 */
    int64_t limit_cents;     /* -1: no limit */
    int64_t advisor_id;      /* 0: none */
    const char *via;         /* the role's name, or NULL for a personal grant */
    const char *expires_on;  /* NULL or YYYY-MM-DD (still active on that day) */
    const CanReq *requires;  /* prerequisites: until met, the right counts as absent */
    int nrequires;
} CanRight;
typedef struct CanPerson {
    int64_t id, manager_id;
    const char *name;
    int status;              /* PERSON_* */
    int access;              /* ACCESS_* */
    CanRight *rights;        /* this person's rights for the domain in question */
    int nrights;
    const CanHeld *skills;   /* confirmed skill levels, sorted by id (only when some right has prerequisites) */
    int nskills;
    const CanHeld *trainings; /* completed trainings, sorted by id */
    int ntrainings;
} CanPerson;
typedef struct CanWorld {
    CanPerson *people;       /* everyone who may matter: the asker, the chain, advisors, owners */
    int n;
    const char *today;       /* YYYY-MM-DD */
    const char *domain_label;
} CanWorld;
typedef struct CanResult {
    int verdict;             /* V_* */
    int level;               /* 0 when no right */
    int64_t limit_cents;     /* -1: none or no limit */
    int64_t right_id;        /* 0: none */
    int64_t route_to;        /* 0: nobody */
    const char *route_name;
    char explanation[480];
    CanReq missing[4];       /* what the asker lacks for a better right they hold on paper */
    int nmissing;
    int64_t missing_right_id; /* that right; 0: nothing missing */
} CanResult;
const char *verdict_name(int v);
int verdict_parse(const char *s);           /* -1 when unknown */
const char *level_name(int level);          /* "tell" ... "delegate" */
bool money_parse(const char *s, int64_t *cents);
char *money_format(int64_t cents, char out[24]);
bool right_active(const CanRight *r, const char *today);
bool right_covers(const CanRight *r, int64_t amount);
const CanRight *can_best_right(const CanPerson *p, const char *today, int64_t amount, const CanRight **over);
const CanPerson *can_find(const CanWorld *w, int64_t id);
const CanPerson *can_manager(const CanWorld *w, int64_t from, int64_t asker);
const CanPerson *can_decider(const CanWorld *w, int64_t from, int64_t asker, int64_t amount);
void can_evaluate(const CanWorld *w, int64_t person, int64_t amount, CanResult *out);
bool can_grant_allowed(int grantor_access, const CanPerson *grantor, const char *today, int level, int64_t limit_cents, const char *expires_on);
double wilson_lower(double good, int n);
bool can_right_met(const CanPerson *p, const CanRight *r);                   /* every prerequisite met */
int can_right_missing(const CanPerson *p, const CanRight *r, CanReq *out, int max); /* the unmet ones, up to max; their count */

/* ---------- canload.c: a CanWorld from the database ---------- */
typedef struct Domain { int64_t id; const char *slug, *label, *risk; } Domain;
int domain_by_slug(Req *r, const char *slug, Domain *d);     /* 1 found (same org), 0 not */
int domain_by_id(Db *db, Arena *a, int64_t org_id, int64_t id, Domain *d);
/* can_load: everyone in the organisation with their active-or-not rights
 * for the domain, ready for can_evaluate. Arena-owned. */
void can_load(Db *db, Arena *a, int64_t org_id, int64_t domain_id, const char *domain_label, int64_t now, CanWorld *w);
/* can_load_cached: the same world from a per-connection cache, reloaded when
 * the organisation's dir_version (bumped by triggers on every change to
 * people, roles, holders and rights) or the day has changed. The world and
 * the names in its results are valid until the next can_load_cached on the
 * same connection: use it at once. */
void can_load_cached(Db *db, int64_t org_id, int64_t domain_id, const char *domain_label, int64_t now, CanWorld *w);

char *today_date(Arena *a, int64_t now);    /* YYYY-MM-DD (UTC) */
bool can_requires_parse(Db *db, Arena *a, int64_t org_id, const char *text, CanRight *r); /* a right's prerequisites, with names */

/* ---------- i18n.c: the message catalogues (GNU .mo, embedded) ---------- */
/* T(r, "text"): text in the request's language (const, never freed).
 * TN(r, "one", "many", n): the plural form for n. N_("text") marks a static
 * table entry for xgettext; translate it where it is used, with T(r, entry).
 * html_printf translates its format string itself when the Buf is a page's
 * (page(r)), and so do resp_error, err_send, page_begin and the form
 * helpers with their messages, titles and labels. */
#define T(r, s) i18n_text((r), (s))
#define TN(r, s, p, n) i18n_plural((r), (s), (p), (n))
#define N_(s) (s)
typedef struct MoTable {
    const unsigned char *data;
    size_t len;
    uint32_t n, orig, trans;
    bool swap;
} MoTable;
int mo_parse(const unsigned char *data, size_t len, MoTable *t);   /* 0 ok, -1 not a valid .mo */
const char *mo_lookup(const MoTable *t, const char *msgid, int form); /* NULL: none */
void i18n_init(void);
const Lang *lang_find(const char *code);      /* "de", "de-AT", "qps"; NULL when unknown */
bool lang_valid(const char *code);            /* a language a person or org may choose */
const char *lang_code(const Lang *l);
const char *lang_text(const Lang *l, const char *s);
const char *lang_plural(const Lang *l, const char *one, const char *many, int64_t n);
const Lang *accept_language(const char *header); /* NULL when nothing supported */
const Lang *i18n_lang(Req *r);
const Lang *i18n_person_lang(Db *db, int64_t person_id); /* theirs, else the org's, else English */
#define TP(l, s) lang_text((l), (s))                      /* text in a person's language (mail, digests) */
#define TPN(l, s, p, n) lang_plural((l), (s), (p), (n))
const char *i18n_text(Req *r, const char *s);
const char *i18n_plural(Req *r, const char *one, const char *many, int64_t n);
bool language_ok(const char *code, Errors *e); /* NULL or a choosable code; else a 422 for "language" */
void form_language(Req *r, const char *label, const char *selected, const char *none_label, const char *error);
bool i18n_has_text(const char *s);            /* a msgid with text outside its markup */
char *i18n_pseudo(const char *s);             /* marked ⟦ ⟧, malloc'ed */
/* Dates and money the language's way, for pages and e-mails (the API keeps
 * ISO 8601 and plain decimals). */
const char *fmt_money(Req *r, int64_t cents);       /* 1,234.50 / 1.234,50 */
char *lang_money(const Lang *l, int64_t cents, char out[48]); /* the same into out, for a Buf's language */
const char *fmt_date(Req *r, const char *ymd);      /* "3 Dec 2026" / "3. Dez. 2026"; ymd: YYYY-MM-DD... */
const char *fmt_time(Req *r, int64_t t);            /* the date of a unix time */

/* ---------- assets (generated) ---------- */
typedef struct Asset { const char *name; const unsigned char *data; size_t len; } Asset;
extern const Asset g_assets[];
extern const int g_nassets;
const Asset *asset_find(const char *name);
/* asset_url: "/assets/app.css?v=HASH", the versioned address every page
 * uses, so that an asset can be cached for a year and still change with
 * the binary. The hash is of the embedded bytes (computed once). */
const char *asset_url(const char *name);
const char *asset_etag(const Asset *a); /* "\"HASH\"" */


#endif
