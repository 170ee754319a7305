/* people.c: the people of an organisation: the directory, one person's page,
 * adding and editing people (JSON /api/v1/people and the /people pages), and
 * an admin setting someone's password. It owns the rules about who may change
 * whom: owners and admins manage people, nobody gives more access than they
 * hold, an admin cannot touch an owner's access, status, e-mail or password,
 * and everyone else may change only their own name and title. It never
 * exposes password hashes. CSV import lives in import.c. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

typedef struct Person {
    int64_t id, team_id, manager_id;
    char *name, *email, *team, *manager, *title, *access, *status, *language;
    char *started_on, *left_on, *leave_reason; /* people history (migration 0013); NULL: unknown */
} Person;

#define PERSON_COLS "p.id, p.name, p.email, p.team_id, t.name, p.manager_id, m.name, p.title, p.access, p.status, p.language, p.started_on, p.left_on, p.leave_reason"
#define PERSON_FROM                                                                     \
    " FROM person p LEFT JOIN team t ON t.id = p.team_id AND t.org_id = p.org_id" \
    " LEFT JOIN person m ON m.id = p.manager_id AND m.org_id = p.org_id"
/* The filters of the list and the directory: ?team_id=, ?status=, ?q= (a
 * substring of the name or e-mail; the pattern comes lower-cased). */
#define PERSON_FILTER                                                                                                     \
    " WHERE p.org_id = ? AND p.id > ? AND (? IS NULL OR p.team_id = ?) AND (? IS NULL OR p.status = ?)" \
    " AND (? IS NULL OR lower(p.name) LIKE ? ESCAPE '\\' OR p.email_lc LIKE ? ESCAPE '\\')"

static const char SQL_PERSON_GET[] = "SELECT " PERSON_COLS PERSON_FROM " WHERE p.id = ? AND p.org_id = ?";
static const char SQL_PERSON_LIST[] = "SELECT " PERSON_COLS PERSON_FROM PERSON_FILTER " ORDER BY p.id LIMIT ?";
static const char SQL_PERSON_DIR[] = "SELECT " PERSON_COLS PERSON_FROM PERSON_FILTER " ORDER BY lower(p.name), p.id LIMIT ?";
static const char SQL_PERSON_REPORTS[] =
    "SELECT id, name, title, status FROM person WHERE manager_id = ? AND org_id = ? ORDER BY lower(name), id LIMIT 500";
static const char SQL_PERSON_EXISTS[] = "SELECT id FROM person WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_EXISTS[] = "SELECT id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_EMAIL_TAKEN[] = "SELECT id FROM person WHERE org_id = ? AND email_lc = ? AND id <> ?";
static const char SQL_MANAGER_OF[] = "SELECT manager_id FROM person WHERE id = ? AND org_id = ?";
static const char SQL_OTHER_OWNERS[] =
    "SELECT count(*) FROM person WHERE org_id = ? AND access = 'owner' AND status <> 'left' AND id <> ?";
static const char SQL_PERSON_INSERT[] =
    "INSERT INTO person(org_id, name, email, email_lc, team_id, manager_id, title, access, status, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PERSON_UPDATE[] =
    "UPDATE person SET name = ?, email = ?, email_lc = ?, team_id = ?, manager_id = ?, title = ?, access = ?, status = ? "
    "WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_HISTORY[] = "UPDATE person SET started_on = ?, left_on = ?, leave_reason = ? WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_SET_PASSWORD[] = "UPDATE person SET password_hash = ?, password_changed_at = ? WHERE id = ? AND org_id = ?";
static const char SQL_SESSIONS_END[] = "DELETE FROM session WHERE person_id = ?";
static const char SQL_TOKENS_END[] = "DELETE FROM api_token WHERE person_id = ?";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 2000";
static const char SQL_PEOPLE_OPTIONS[] =
    "SELECT id, name || ' (' || email || ')' FROM person WHERE org_id = ? AND id <> ? AND (status <> 'left' OR id = ?) ORDER BY lower(name), id LIMIT 10000";

static const char *const STATUSES[] = {N_("active"), N_("away"), N_("left"), NULL};
/* Why people leave (migration 0013): the first four are voluntary, the next
 * three involuntary (turnover splits on it, kpicalc.c), "other" neither. */
static const char *const LEAVE_REASONS[] = {N_("resigned"), N_("retired"), N_("relocated"), N_("career"), N_("dismissed"),
                                            N_("redundancy"), N_("contract_end"), N_("other"), NULL};
static const char *const ACCESS_LEVELS[] = {N_("member"), N_("manager"), N_("admin"), N_("owner"), NULL};

static bool one_of(const char *s, const char *const *list) {
    for (int i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static void person_read(Stmt *s, Arena *a, Person *p) {
    p->id = db_int(s, 0);
    p->name = db_dup(s, 1, a);
    p->email = db_dup(s, 2, a);
    p->team_id = db_int(s, 3);
    p->team = db_dup(s, 4, a);
    p->manager_id = db_int(s, 5);
    p->manager = db_dup(s, 6, a);
    p->title = db_dup(s, 7, a);
    p->access = db_dup(s, 8, a);
    p->status = db_dup(s, 9, a);
    p->language = db_dup(s, 10, a);
    p->started_on = db_dup(s, 11, a);
    p->left_on = db_dup(s, 12, a);
    p->leave_reason = db_dup(s, 13, a);
    if (!p->team) p->team_id = 0;      /* a team of another org never shows */
    if (!p->manager) p->manager_id = 0;
}

/* person_load: the person with this id in the caller's organisation; 0, or
 * -1 after sending 404 (also for ids of other organisations). */
static int person_load(Req *r, int64_t id, Person *p) {
    Stmt *s = db_q(r->db, SQL_PERSON_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) person_read(s, r->arena, p);
    db_reset(s);
    return found ? 0 : resp_error(r, 404, "not_found", "There is no such person.");
}

/* jstr: a JSON string; "" if the text is not valid UTF-8 (never NULL, so
 * an answer can always be encoded). */
static json_t *jstr(const char *s) {
    json_t *v = json_string(s ? s : "");
    return v ? v : json_string("");
}

static json_t *ref_json(int64_t id, const char *name) {
    if (!id) return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "name", jstr(name));
    return o;
}

/* person_json: the public shape of a person; never the password hash. The
 * people history (start, leaving day and reason: HR data) only for admins
 * and the person themself. */
static json_t *person_json(Req *r, const Person *p) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "name", jstr(p->name));
    json_object_set_new(o, "email", jstr(p->email));
    json_object_set_new(o, "team_id", p->team_id ? json_integer(p->team_id) : json_null());
    json_object_set_new(o, "team", ref_json(p->team_id, p->team));
    json_object_set_new(o, "manager_id", p->manager_id ? json_integer(p->manager_id) : json_null());
    json_object_set_new(o, "manager", ref_json(p->manager_id, p->manager));
    json_object_set_new(o, "title", jstr(p->title));
    json_object_set_new(o, "access", jstr(p->access));
    json_object_set_new(o, "status", jstr(p->status));
    json_object_set_new(o, "language", json_text(p->language));
    if (r->who.access >= ACCESS_ADMIN || p->id == r->who.person_id) {
        json_object_set_new(o, "started_on", json_text(p->started_on));
        json_object_set_new(o, "left_on", json_text(p->left_on));
        json_object_set_new(o, "leave_reason", json_text(p->leave_reason));
    }
    return o;
}

/* What a request asks to change. NULL strings and has_* false mean "keep"
 * (for a new person: the default). team_id/manager_id 0 mean none; -1 marks
 * a form value that is not an id, which then fails as "no such ...". */
typedef struct PersonIn {
    const char *name, *email, *title, *access, *status, *password;
    bool has_team, has_manager;
    int64_t team_id, manager_id;
    /* people history: has_* false keeps; a NULL value with has_* true clears */
    bool has_started, has_left, has_reason;
    const char *started_on, *left_on, *leave_reason;
} PersonIn;

typedef struct CycleCtx { Req *r; } CycleCtx;

static int64_t manager_of(void *ctx, int64_t id) {
    Req *r = ((CycleCtx *)ctx)->r;
    int64_t m = 0;
    db_one_int(r->db, &m, SQL_MANAGER_OF, "ii", id, r->who.org_id);
    return m;
}

static bool differs(const char *want, const char *have) { return strcmp(want ? want : "", have ? have : "") != 0; }

/* people_save: checks the caller's right to make the change, validates it
 * and stores it with its audit entry in one transaction. cur is NULL for a
 * new person. Setting status "left" or a password ends the person's
 * sessions. 0 ok (*id_out set); -1 with problems in e: 403 for a change the
 * caller may not make, 409 for a taken e-mail, a manager loop or the last
 * owner leaving, 422 for invalid values, 503 when busy. */
static int people_save(Req *r, const Person *cur, const PersonIn *in, Errors *e, int64_t *id_out) {
    Arena *a = r->arena;
    int me = r->who.access;
    bool admin = me >= ACCESS_ADMIN;
    char *name = str_trim(a, in->name ? in->name : cur ? cur->name : "");
    char *email = str_trim(a, in->email ? in->email : cur ? cur->email : "");
    char *title = str_trim(a, in->title ? in->title : cur ? cur->title : "");
    const char *access = in->access ? in->access : cur ? cur->access : "member";
    const char *status = in->status ? in->status : cur ? cur->status : "active";
    int64_t team = in->has_team ? in->team_id : cur ? cur->team_id : 0;
    int64_t mgr = in->has_manager ? in->manager_id : cur ? cur->manager_id : 0;
    const char *password = in->password && *in->password ? in->password : NULL;
    const char *started = in->has_started ? in->started_on : cur ? cur->started_on : NULL;
    const char *left_on = in->has_left ? in->left_on : cur ? cur->left_on : NULL;
    const char *reason = in->has_reason ? in->leave_reason : cur ? cur->leave_reason : NULL;
    if (started && !*started) started = NULL;
    if (left_on && !*left_on) left_on = NULL;
    if (reason && !*reason) reason = NULL;
    if (!left_on && in->has_left && !in->has_reason) reason = NULL; /* clearing the day clears its reason */
    /* A leaving day that has come makes the person "left", so the rule that
     * leaving ends sessions and tokens applies to it as to the status; a
     * person set to "left" without a day left today. */
    char *today = today_date(a, r->now);
    bool ch_history = differs(started, cur ? cur->started_on : NULL) || differs(left_on, cur ? cur->left_on : NULL) ||
                      differs(reason, cur ? cur->leave_reason : NULL);
    if (in->has_left && left_on && valid_date(left_on) && strcmp(left_on, today) <= 0) status = "left";
    if (cur && !in->has_left && !left_on && strcmp(status, "left") == 0 && strcmp(cur->status, "left") != 0) left_on = today, ch_history = true;
    if (!cur && !left_on && strcmp(status, "left") == 0) left_on = today, ch_history = true;

    bool ch_email = !cur || differs(email, cur->email), ch_access = !cur || differs(access, cur->access);
    bool ch_status = !cur || differs(status, cur->status), ch_team = !cur || team != cur->team_id, ch_mgr = !cur || mgr != cur->manager_id;

    /* Who may change what: checked before the values, so a refusal says
     * nothing about whether the values would have been accepted. */
    if (!admin) {
        if (!cur || cur->id != r->who.person_id || ch_email || ch_access || ch_status || ch_team || ch_mgr || password || ch_history) {
            err_add(e, 403, "forbidden", NULL, "You can change only your own name and title; ask an admin for anything else.");
            return -1;
        }
    } else {
        int level = access_parse(access);
        if (level > me && ch_access) {
            err_add(e, 403, "forbidden", "access", "You cannot give anyone more access than you have.");
            return -1;
        }
        if (cur && access_parse(cur->access) > me && (ch_access || ch_status || ch_email || password || (ch_history && left_on))) {
            err_add(e, 403, "forbidden", NULL, "Only an owner can change an owner's access, status, e-mail or password.");
            return -1;
        }
    }

    if (str_empty(name)) err_add(e, 422, "invalid", "name", "A name is required.");
    else if (utf8_chars(name) > 200) err_add(e, 422, "invalid", "name", "Keep the name under 200 characters.");
    else if (!utf8_valid(name)) err_add(e, 422, "invalid", "name", "The name contains characters that are not text.");
    if (!valid_email(email) || !utf8_valid(email)) err_add(e, 422, "invalid", "email", "Enter an e-mail address such as name@example.org.");
    if (utf8_chars(title) > 200) err_add(e, 422, "invalid", "title", "Keep the title under 200 characters.");
    else if (!utf8_valid(title)) err_add(e, 422, "invalid", "title", "The title contains characters that are not text.");
    if (!access_parse(access)) err_add(e, 422, "invalid", "access", "Access must be owner, admin, manager or member.");
    if (!one_of(status, STATUSES)) err_add(e, 422, "invalid", "status", "Status must be active, away or left.");
    const char *weak = password ? auth_password_problem(password) : NULL;
    if (weak) err_add(e, 422, "weak_password", "password", weak);
    if (started && !valid_date(started)) err_add(e, 422, "invalid", "started_on", "Enter the starting day as YYYY-MM-DD.");
    if (left_on && !valid_date(left_on)) err_add(e, 422, "invalid", "left_on", "Enter the leaving day as YYYY-MM-DD.");
    else if (left_on && started && valid_date(started) && strcmp(left_on, started) < 0)
        err_add(e, 422, "invalid", "left_on", "The leaving day cannot be before the starting day.");
    if (reason && !one_of(reason, LEAVE_REASONS))
        err_add(e, 422, "invalid", "leave_reason", "The reason must be resigned, retired, relocated, career, dismissed, redundancy, contract_end or other.");
    else if (reason && !left_on) err_add(e, 422, "invalid", "leave_reason", "A leaving reason needs a leaving day.");
    if (e->n) return -1;

    char hash[160] = "";
    if (password && auth_password_hash(password, hash, sizeof hash) != 0) {
        err_busy(e);
        return -1;
    }
    /* The checks against other rows run inside the write transaction, so two
     * concurrent changes cannot together build a loop or a duplicate. */
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t self = cur ? cur->id : 0, found;
    char *email_lc = str_lower(a, email);
    if (ch_email && db_one_int(r->db, &found, SQL_EMAIL_TAKEN, "iti", r->who.org_id, email_lc, self))
        err_add(e, 409, "conflict", "email", "Someone in this organisation already has this e-mail address.");
    if (ch_team && team && !db_one_int(r->db, &found, SQL_TEAM_EXISTS, "ii", team, r->who.org_id))
        err_add(e, 422, "invalid", "team_id", "There is no such team.");
    if (ch_mgr && mgr) {
        CycleCtx cx = {r};
        if (!db_one_int(r->db, &found, SQL_PERSON_EXISTS, "ii", mgr, r->who.org_id))
            err_add(e, 422, "invalid", "manager_id", "There is no such person.");
        else if (mgr == self) err_add(e, 409, "conflict", "manager_id", "Nobody can be their own manager.");
        else if (cur && would_cycle(cur->id, mgr, manager_of, &cx))
            err_add(e, 409, "conflict", "manager_id", "That would make a loop: this person is already above the chosen manager.");
    }
    if (cur && strcmp(cur->access, "owner") == 0 && strcmp(cur->status, "left") != 0 &&
        (strcmp(access, "owner") != 0 || strcmp(status, "left") == 0)) {
        int64_t others = 0;
        db_one_int(r->db, &others, SQL_OTHER_OWNERS, "ii", r->who.org_id, cur->id);
        if (!others) err_add(e, 409, "conflict", ch_access ? "access" : "status", "The organisation needs at least one owner; make someone else an owner first.");
    }
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }

    int rc;
    int64_t id = self;
    Buf detail = {0};
    if (!cur) {
        rc = db_exec(r->db, SQL_PERSON_INSERT, "itttIIttti", r->who.org_id, name, email, email_lc, team, mgr, title, access, status, r->now);
        id = db_last_id(r->db);
        buf_printf(&detail, "created with access %s", access);
        if (password) buf_puts(&detail, ", password set");
    } else {
        rc = db_exec(r->db, SQL_PERSON_UPDATE, "tttIItttii", name, email, email_lc, team, mgr, title, access, status, id, r->who.org_id);
        buf_puts(&detail, "changed:");
        if (differs(name, cur->name)) buf_puts(&detail, " name");
        if (ch_email) buf_puts(&detail, " email");
        if (differs(title, cur->title)) buf_puts(&detail, " title");
        if (ch_team) buf_printf(&detail, " team %lld->%lld", (long long)cur->team_id, (long long)team);
        if (ch_mgr) buf_printf(&detail, " manager %lld->%lld", (long long)cur->manager_id, (long long)mgr);
        if (ch_access) buf_printf(&detail, " access %s->%s", cur->access, access);
        if (ch_status) buf_printf(&detail, " status %s->%s", cur->status, status);
        if (password) buf_puts(&detail, " password");
        if (ch_history) buf_puts(&detail, " history");
        if (detail.len == strlen("changed:")) buf_puts(&detail, " nothing");
    }
    if (rc == DB_OK && ch_history) {
        rc = db_exec(r->db, SQL_PERSON_HISTORY, "tttii", started, left_on, reason, id, r->who.org_id);
    }
    if (rc == DB_OK && password) rc = db_exec(r->db, SQL_PERSON_SET_PASSWORD, "tiii", hash, r->now, id, r->who.org_id);
    if (rc == DB_OK && cur && (password || (ch_status && strcmp(status, "left") == 0))) {
        rc = db_exec(r->db, SQL_SESSIONS_END, "i", id);
        buf_puts(&detail, "; sessions ended");
    }
    /* Someone who leaves keeps no way in: their API tokens go too, so that
     * setting them back to active later does not revive old tokens. A new
     * password ends them as well: a token made by whoever knew the old
     * password must not outlive it. */
    if (rc == DB_OK && cur && (password || (ch_status && strcmp(status, "left") == 0))) {
        rc = db_exec(r->db, SQL_TOKENS_END, "i", id);
        buf_puts(&detail, "; API tokens revoked");
    }
    /* Someone away or gone cannot answer: what waits for them moves up. */
    if (rc == DB_OK && cur && ch_status && (strcmp(status, "away") == 0 || strcmp(status, "left") == 0))
        decisions_reroute_person(r->db, r->arena, r->who.org_id, id, r->now);
    if (rc == DB_OK) audit(r, cur ? "person.update" : "person.create", arena_printf(a, "person:%lld", (long long)id), "%s", buf_cstr(&detail));
    buf_free(&detail);
    if (rc == DB_CONSTRAINT) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", "email", "Someone in this organisation already has this e-mail address.");
        return -1;
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* ---------- JSON API ---------- */

/* list_query: the lower-cased LIKE pattern for ?q= (wildcards escaped), or
 * NULL when there is no search. */
static char *like_pattern(Req *r, const char *q) {
    char *t = str_trim(r->arena, q);
    if (str_empty(t)) return NULL;
    Buf b = {0};
    buf_putc(&b, '%');
    for (const char *p = t; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    char *out = str_lower(r->arena, buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* GET /api/v1/people?limit=&after=&team_id=&status=&q=: people of the
 * organisation ordered by id, a page at a time (member). */
int people_api_list(Req *r) {
    int limit;
    int64_t after, team = 0;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *t = req_query(r, "team_id"), *status = req_query(r, "status"), *q = req_query(r, "q");
    if (t && *t && !parse_id(t, &team)) return resp_error(r, 400, "invalid_parameter", "team_id must be an id.");
    if (status && !*status) status = NULL;
    if (status && !one_of(status, STATUSES)) return resp_error(r, 400, "invalid_parameter", "status must be active, away or left.");
    if (q && utf8_chars(q) > 200) return resp_error(r, 400, "invalid_parameter", "q must be at most 200 characters.");
    char *pat = like_pattern(r, q);
    json_t *items = json_array();
    int64_t last = 0;
    Stmt *s = db_q(r->db, SQL_PERSON_LIST, "iiIIttttti", r->who.org_id, after, team, team, status, status, pat, pat, pat, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Person p;
        person_read(s, r->arena, &p);
        json_array_append_new(items, person_json(r, &p));
        last = p.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

static const JField PERSON_FIELDS[] = {
    {"name", JF_STRING, 200},     {"email", JF_STRING, 254},  {"team_id", JF_ID_NULL},     {"manager_id", JF_ID_NULL},
    {"title", JF_STRING_NULL, 200}, {"access", JF_STRING, 20}, {"status", JF_STRING, 20}, {"password", JF_STRING, 200},
    {"language", JF_STRING_NULL, 10}, {"started_on", JF_DATE_NULL}, {"left_on", JF_DATE_NULL}, {"leave_reason", JF_STRING_NULL, 20}, {0}};

static void person_in_json(json_t *o, PersonIn *in) {
    in->name = json_str(o, "name");
    in->email = json_str(o, "email");
    in->title = json_has(o, "title") ? (json_str(o, "title") ? json_str(o, "title") : "") : NULL;
    in->access = json_str(o, "access");
    in->status = json_str(o, "status");
    in->password = json_str(o, "password");
    in->has_team = json_has(o, "team_id");
    in->team_id = json_id(o, "team_id");
    in->has_manager = json_has(o, "manager_id");
    in->manager_id = json_id(o, "manager_id");
    in->has_started = json_has(o, "started_on");
    in->started_on = json_str(o, "started_on");
    in->has_left = json_has(o, "left_on");
    in->left_on = json_str(o, "left_on");
    in->has_reason = json_has(o, "leave_reason");
    in->leave_reason = json_str(o, "leave_reason");
}

/* person_language: checks a requested language (NULL: the organisation's
 * default) for who may set it: the person themself or an admin. 0 ok, or
 * -1 with the problem in e. */
static int person_language_check(Req *r, int64_t target, const char *lang, Errors *e) {
    if (target && target != r->who.person_id && r->who.access < ACCESS_ADMIN) {
        err_add(e, 403, "forbidden", "language", "You can choose only your own language.");
        return -1;
    }
    return language_ok(lang, e) ? 0 : -1;
}

static void person_language_set(Req *r, int64_t id, const char *lang) {
    db_exec(r->db, "UPDATE person SET language = ? WHERE id = ? AND org_id = ?", "tii", lang, id, r->who.org_id);
}

/* POST /api/v1/people {"name","email","team_id","manager_id","title",
 * "access","status","password"}: adds a person (admin). Without a password
 * they cannot log in until an admin sets one. 201 with the person. */
int people_api_create(Req *r) {
    json_t *o = req_json_object(r, PERSON_FIELDS);
    if (!o) return -1;
    PersonIn in = {0};
    person_in_json(o, &in);
    Errors e = {0};
    int64_t id;
    const char *lang = json_str(o, "language");
    if (person_language_check(r, 0, lang, &e)) return err_send(r, &e);
    if (people_save(r, NULL, &in, &e, &id)) return err_send(r, &e);
    if (lang) person_language_set(r, id, lang);
    Person p;
    if (person_load(r, id, &p)) return -1;
    resp_json(r, 201, person_json(r, &p));
    return 0;
}

/* GET /api/v1/people/{id}: one person (member). */
int people_api_get(Req *r) {
    Person p;
    if (person_load(r, r->params[0], &p)) return -1;
    resp_json(r, 200, person_json(r, &p));
    return 0;
}

static const JField PATCH_FIELDS[] = {
    {"name", JF_STRING, 200},       {"email", JF_STRING, 254}, {"team_id", JF_ID_NULL}, {"manager_id", JF_ID_NULL},
    {"title", JF_STRING_NULL, 200}, {"access", JF_STRING, 20}, {"status", JF_STRING, 20}, {"language", JF_STRING_NULL, 10},
    {"started_on", JF_DATE_NULL}, {"left_on", JF_DATE_NULL}, {"leave_reason", JF_STRING_NULL, 20}, {0}};

/* PATCH /api/v1/people/{id}: any subset of the fields of POST except the
 * password (member: admins and owners change anyone within their level;
 * everyone else only their own name and title, else 403). */
int people_api_patch(Req *r) {
    json_t *o = req_json_object(r, PATCH_FIELDS);
    if (!o) return -1;
    Person cur;
    if (person_load(r, r->params[0], &cur)) return -1;
    PersonIn in = {0};
    person_in_json(o, &in);
    Errors e = {0};
    int64_t id;
    const char *lang = json_str(o, "language");
    if (json_has(o, "language") && person_language_check(r, cur.id, lang, &e)) return err_send(r, &e);
    if (people_save(r, &cur, &in, &e, &id)) return err_send(r, &e);
    if (json_has(o, "language")) person_language_set(r, cur.id, lang);
    Person p;
    if (person_load(r, id, &p)) return -1;
    resp_json(r, 200, person_json(r, &p));
    return 0;
}

static const JField PASSWORD_FIELDS[] = {{"password", JF_STRING, 200}, {0}};

/* PUT /api/v1/people/{id}/password {"password"}: sets a person's password
 * and ends all their sessions (admin; an owner's only by an owner). 204. */
int people_api_set_password(Req *r) {
    json_t *o = req_json_object(r, PASSWORD_FIELDS);
    if (!o) return -1;
    if (!json_str(o, "password")) return resp_error(r, 422, "missing_field", "\"password\" is required.");
    Person cur;
    if (person_load(r, r->params[0], &cur)) return -1;
    if (access_parse(cur.access) > r->who.access) return resp_error(r, 403, "forbidden", "Only an owner can set an owner's password.");
    const char *problem = auth_password_problem(json_str(o, "password"));
    if (problem) {
        Errors e = {0};
        err_add(&e, 422, "weak_password", "password", problem);
        return err_send(r, &e);
    }
    char hash[160];
    if (auth_password_hash(json_str(o, "password"), hash, sizeof hash) != 0 || db_begin(r->db) != DB_OK) {
        resp_header(r, "Retry-After", "2");
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    int rc = db_exec(r->db, SQL_PERSON_SET_PASSWORD, "tiii", hash, r->now, cur.id, r->who.org_id);
    if (rc == DB_OK) rc = auth_end_credentials(r->db, cur.id);
    if (rc == DB_OK) audit(r, "person.password", arena_printf(r->arena, "person:%lld", (long long)cur.id), "password set; sessions and API tokens ended");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    r->resp.status = 204;
    r->resp.content_type = NULL;
    r->resp.sent = true;
    return 0;
}

/* ---------- pages ---------- */

/* team_options / people_options: choices for the selects, arena-owned. */
static Option *team_options(Req *r, int *n) { return options_from(r, db_q(r->db, SQL_TEAM_OPTIONS, "i", r->who.org_id), n); }

/* people_options: everyone but `self` who has not left, plus `keep` (the
 * current manager) even if they have. Labelled "Name (email)". */
static Option *people_options(Req *r, int64_t self, int64_t keep, int *n) {
    return options_from(r, db_q(r->db, SQL_PEOPLE_OPTIONS, "iii", r->who.org_id, self, keep), n);
}

static void status_select(Req *r, const char *selected) {
    buf_puts(page(r), "<div class=\"field\"><label for=\"f-status\">Status</label><select id=\"f-status\" name=\"status\">");
    html_printf(page(r), "<option value=\"\">Any status</option>");
    for (int i = 0; STATUSES[i]; i++)
        html_printf(page(r), "<option value=\"%h\"%s>%h</option>", STATUSES[i], selected && strcmp(selected, STATUSES[i]) == 0 ? " selected" : "",
                    T(r, STATUSES[i]));
    buf_puts(page(r), "</select></div>");
}

/* GET /people?q=&team_id=&status=&imported=: the directory, with a search
 * that works without JavaScript (member). Admins get the add and import
 * buttons. */
int people_page_list(Req *r) {
    const char *q = req_query(r, "q"), *t = req_query(r, "team_id"), *status = req_query(r, "status"), *imp = req_query(r, "imported");
    int64_t team = 0, nimp = 0;
    if (t && *t && !parse_id(t, &team)) team = -1; /* matches nothing, like an unknown team */
    if (status && !one_of(status, STATUSES)) status = NULL;
    if (q && strlen(q) > 200) q = arena_strndup(r->arena, q, 200);
    char *pat = like_pattern(r, q);

    page_begin(r, "People");
    Buf *b = page(r);
    buf_puts(b, "<div class=\"title-row\"><h1>People</h1>");
    if (r->who.access >= ACCESS_ADMIN)
        buf_puts(b, "<div><a class=\"button secondary\" href=\"/people/import\">Import from CSV</a> "
                    "<a class=\"button\" href=\"/people/new\">Add a person</a></div>");
    buf_puts(b, "</div>");
    if (imp && (parse_id(imp, &nimp) || strcmp(imp, "0") == 0))
        page_flash(r, arena_printf(r->arena, "Imported %lld %s.", (long long)nimp, nimp == 1 ? "person" : "people"));

    html_printf(b, "<form method=\"get\" action=\"/people\" class=\"card filters\" role=\"search\">"
                   "<div class=\"field\"><label for=\"f-q\">Search by name or e-mail</label>"
                   "<input id=\"f-q\" name=\"q\" type=\"search\" value=\"%h\"></div>",
                q ? q : "");
    int nteams;
    Option *teams = team_options(r, &nteams);
    form_select_id(r, "team_id", "Team", team, teams, nteams, "All teams", NULL);
    status_select(r, status);
    buf_puts(b, "<div class=\"actions\"><button type=\"submit\">Search</button>");
    if ((q && *q) || team || status) buf_puts(b, " <a href=\"/people\">Show everyone</a>");
    buf_puts(b, "</div></form>");
    export_link(r, "/api/v1/people");

    enum { MAX_SHOWN = 500 };
    Stmt *s = db_q(r->db, SQL_PERSON_DIR, "iiIIttttti", r->who.org_id, (int64_t)0, team, team, status, status, pat, pat, pat, (int64_t)MAX_SHOWN + 1);
    int n = 0;
    while (db_step(s) == DB_ROW && n < MAX_SHOWN) {
        Person p;
        person_read(s, r->arena, &p);
        if (n++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Title</th>"
                        "<th scope=\"col\">Team</th><th scope=\"col\">Status</th></tr></thead><tbody>");
        html_printf(b, "<tr><td><a href=\"/people/%D\">%h</a></td><td>%h</td><td>", p.id, p.name, p.title);
        if (p.team_id) html_printf(b, "<a href=\"/teams/%D\">%h</a>", p.team_id, p.team);
        else buf_puts(b, "<span class=\"muted\">none</span>");
        html_printf(b, "</td><td><span class=\"badge status-%h\">%h</span></td></tr>", p.status, T(r, p.status));
    }
    bool more = n == MAX_SHOWN && db_step(s) == DB_ROW;
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table>");
    else buf_puts(b, "<p class=\"muted\">Nobody matches.</p>");
    if (more) html_printf(b, "<p class=\"muted\">Showing the first %d; narrow the search to see the rest.</p>", (int)MAX_SHOWN);
    page_end(r);
    return 0;
}

/* GET /people/{id}?saved=: one person: team, manager, title, access,
 * status and direct reports (member). */
int people_page_view(Req *r) {
    Person p;
    if (person_load(r, r->params[0], &p)) return -1;
    page_begin(r, p.name);
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1>", p.name);
    if (r->who.access >= ACCESS_ADMIN || p.id == r->who.person_id)
        html_printf(b, "<a class=\"button secondary\" href=\"/people/%D/edit\">Edit</a>", p.id);
    if (r->who.access >= ACCESS_ADMIN && p.id != r->who.person_id)
        html_printf(b, "<form method=\"post\" action=\"/people/%D/invite\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<button type=\"submit\" class=\"secondary\">%h</button></form>",
                    p.id, r->who.csrf ? r->who.csrf : "", T(r, "Send an invitation"));
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    buf_puts(b, "<section class=\"card\"><dl class=\"facts\">");
    html_printf(b, "<dt>Title</dt><dd>%h</dd>", *p.title ? p.title : "none");
    html_printf(b, "<dt>E-mail</dt><dd><a href=\"mailto:%h\">%h</a></dd>", p.email, p.email);
    if (p.team_id) html_printf(b, "<dt>Team</dt><dd><a href=\"/teams/%D\">%h</a></dd>", p.team_id, p.team);
    else buf_puts(b, "<dt>Team</dt><dd class=\"muted\">none</dd>");
    if (p.manager_id) html_printf(b, "<dt>Manager</dt><dd><a href=\"/people/%D\">%h</a></dd>", p.manager_id, p.manager);
    else buf_puts(b, "<dt>Manager</dt><dd class=\"muted\">none</dd>");
    html_printf(b, "<dt>Access</dt><dd>%h</dd><dt>Status</dt><dd><span class=\"badge status-%h\">%h</span></dd>", T(r, p.access), p.status, T(r, p.status));
    bool history = r->who.access >= ACCESS_ADMIN || p.id == r->who.person_id; /* HR data: admins and the person */
    if (history && p.started_on) html_printf(b, "<dt>Started</dt><dd>%h</dd>", fmt_date(r, p.started_on));
    if (history && p.left_on) {
        html_printf(b, "<dt>Left</dt><dd>%h", fmt_date(r, p.left_on));
        if (p.leave_reason) html_printf(b, " (%h)", T(r, p.leave_reason));
        buf_puts(b, "</dd>");
    }
    buf_puts(b, "</dl></section>");

    buf_puts(b, "<section class=\"card\"><h2>Direct reports</h2>");
    Stmt *s = db_q(r->db, SQL_PERSON_REPORTS, "ii", p.id, r->who.org_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<ul class=\"plain\">");
        html_printf(b, "<li><a href=\"/people/%D\">%h</a> <span class=\"muted\">%h", db_int(s, 0), db_text(s, 1), db_text(s, 2));
        if (strcmp(db_text(s, 3), "active") != 0) html_printf(b, " (%h)", db_text(s, 3));
        buf_puts(b, "</span></li>");
    }
    db_reset(s);
    buf_puts(b, n ? "</ul>" : "<p class=\"muted\">No direct reports.</p>");
    buf_puts(b, "</section>");
    roles_render_for_person(r, p.id);
    rights_render_for_person(r, p.id, p.id == r->who.person_id ? NULL : p.name);
    buf_puts(b, "<p><a href=\"/people\">All people</a></p>");
    page_end(r);
    return 0;
}

/* reason_select: the leaving reason, with a "none" choice (voluntary and
 * involuntary reasons grouped, as turnover counts them). */
static void reason_select(Req *r, const char *selected, const char *error) {
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-leave_reason\">%h</label><select id=\"f-leave_reason\" name=\"leave_reason\"", error ? " has-error" : "",
                T(r, "Why they left"));
    if (error) buf_puts(b, " aria-invalid=\"true\" aria-describedby=\"f-leave_reason-err\"");
    html_printf(b, "><option value=\"\">%h</option>", T(r, "Not left, or not known"));
    for (int i = 0; LEAVE_REASONS[i]; i++) {
        if (i == 0) html_printf(b, "<optgroup label=\"%h\">", T(r, "Voluntary"));
        if (i == 4) html_printf(b, "</optgroup><optgroup label=\"%h\">", T(r, "Involuntary"));
        if (i == 7) buf_puts(b, "</optgroup>");
        html_printf(b, "<option value=\"%h\"%s>%h</option>", LEAVE_REASONS[i], selected && strcmp(selected, LEAVE_REASONS[i]) == 0 ? " selected" : "",
                    T(r, LEAVE_REASONS[i]));
    }
    buf_puts(b, "</select>");
    if (error) html_printf(b, "<p class=\"error\" id=\"f-leave_reason-err\">%h</p>", T(r, error));
    buf_puts(b, "</div>");
}

/* person_form: the add/edit form. target is NULL for a new person; v holds
 * the values to show (typed or stored). Admins see every field they may
 * change; a member editing themself sees only name and title. */
static void person_form(Req *r, const Person *target, const Person *v, const Errors *e) {
    bool full = r->who.access >= ACCESS_ADMIN;
    bool locked = target && access_parse(target->access) > r->who.access; /* an owner, seen by an admin */
    page_begin(r, target ? N_("Edit a person") : N_("Add a person"));
    if (target) html_printf(page(r), "<h1>Edit %h</h1>", target->name);
    else buf_puts(page(r), "<h1>Add a person</h1>");
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, target ? arena_printf(r->arena, "/people/%lld/edit", (long long)target->id) : "/people/new", NULL);
    form_text(r, "name", "Name", v->name, e ? err_for(e, "name") : NULL, "text", true);
    if (full && !locked) form_text(r, "email", "E-mail", v->email, e ? err_for(e, "email") : NULL, "email", true);
    form_text(r, "title", "Title", v->title, e ? err_for(e, "title") : NULL, "text", false);
    if (full) {
        int nteams, npeople;
        Option *teams = team_options(r, &nteams);
        Option *people = people_options(r, target ? target->id : 0, v->manager_id, &npeople);
        form_select_id(r, "team_id", "Team", v->team_id, teams, nteams, "No team", e ? err_for(e, "team_id") : NULL);
        form_select_id(r, "manager_id", "Manager", v->manager_id, people, npeople, "No manager", e ? err_for(e, "manager_id") : NULL);
        if (!locked) {
            /* only the levels up to the caller's own */
            const char **levels = arena_alloc(r->arena, sizeof *levels * 5);
            for (int i = 0; i < r->who.access && ACCESS_LEVELS[i]; i++) levels[i] = ACCESS_LEVELS[i];
            form_select_str(r, "access", "Access", v->access, levels, e ? err_for(e, "access") : NULL);
            if (target) form_select_str(r, "status", "Status", v->status, STATUSES, e ? err_for(e, "status") : NULL);
            form_text(r, "started_on", "Started on", v->started_on ? v->started_on : "", e ? err_for(e, "started_on") : NULL, "date", false);
            form_text(r, "left_on", "Left on (a day that has come makes them \"left\")", v->left_on ? v->left_on : "", e ? err_for(e, "left_on") : NULL, "date", false);
            reason_select(r, v->leave_reason, e ? err_for(e, "leave_reason") : NULL);
            form_text(r, "password", target ? N_("Set a new password (optional; it logs them out everywhere)") : N_("Password (optional; without one they cannot log in)"), "",
                      e ? err_for(e, "password") : NULL, "password", false);
        } else {
            html_printf(page(r), "<dl class=\"facts\"><dt>E-mail</dt><dd>%h</dd><dt>Access</dt><dd>%h</dd><dt>Status</dt><dd>%h</dd></dl>"
                                 "<p class=\"muted\">Only an owner can change an owner's e-mail, access, status or password.</p>",
                        target->email, target->access, target->status);
        }
    }
    if (full || (target && target->id == r->who.person_id))
        form_language(r, "Language", v->language, N_("The organisation's default"), e ? err_for(e, "language") : NULL);
    form_end(r, target ? N_("Save") : N_("Add the person"));
    if (target) html_printf(page(r), "<p><a href=\"/people/%D\">Cancel</a></p>", target->id);
    else buf_puts(page(r), "<p><a href=\"/people\">Cancel</a></p>");
    page_end(r);
}

/* form_id: an id select's value: absent keeps (has false), "" is none, an
 * id is itself, anything else is -1 (no such row). */
static void form_id(Req *r, const char *name, bool *has, int64_t *id) {
    const char *v = req_form(r, name);
    *has = v != NULL;
    *id = 0;
    if (v && *v && !parse_id(v, id)) *id = -1;
}

static void person_in_form(Req *r, PersonIn *in) {
    in->name = req_form(r, "name");
    in->email = req_form(r, "email");
    in->title = req_form(r, "title");
    in->access = req_form(r, "access");
    in->status = req_form(r, "status");
    in->password = req_form(r, "password");
    form_id(r, "team_id", &in->has_team, &in->team_id);
    form_id(r, "manager_id", &in->has_manager, &in->manager_id);
    in->started_on = req_form(r, "started_on");
    in->has_started = in->started_on != NULL;
    in->left_on = req_form(r, "left_on");
    in->has_left = in->left_on != NULL;
    in->leave_reason = req_form(r, "leave_reason");
    in->has_reason = in->leave_reason != NULL;
}

/* typed: the values to show again after a failed save: what was typed,
 * else what is stored. */
static Person typed(const Person *cur, const PersonIn *in) {
    Person v = cur ? *cur : (Person){.name = "", .email = "", .title = "", .access = "member", .status = "active"};
    if (in->name) v.name = (char *)in->name;
    if (in->email) v.email = (char *)in->email;
    if (in->title) v.title = (char *)in->title;
    if (in->access) v.access = (char *)in->access;
    if (in->status) v.status = (char *)in->status;
    if (in->has_team) v.team_id = in->team_id;
    if (in->has_manager) v.manager_id = in->manager_id;
    if (in->has_started) v.started_on = (char *)in->started_on;
    if (in->has_left) v.left_on = (char *)in->left_on;
    if (in->has_reason) v.leave_reason = (char *)in->leave_reason;
    return v;
}

/* GET /people/new: the add form (admin). */
int people_page_new(Req *r) {
    Person v = {.name = "", .email = "", .title = "", .access = "member", .status = "active"};
    person_form(r, NULL, &v, NULL);
    return 0;
}

/* POST /people/new (name, email, title, team_id, manager_id, access,
 * password): adds a person and shows their page (admin). */
int people_page_new_post(Req *r) {
    PersonIn in = {0};
    person_in_form(r, &in);
    if (!in.name) in.name = "";
    if (!in.email) in.email = "";
    Errors e = {0};
    int64_t id;
    const char *lang = req_form(r, "language");
    if (lang && !*lang) lang = NULL;
    if (person_language_check(r, 0, lang, &e) || people_save(r, NULL, &in, &e, &id)) {
        if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", e.items[0].msg);
        Person v = typed(NULL, &in);
        v.language = (char *)lang;
        person_form(r, NULL, &v, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    if (lang) person_language_set(r, id, lang);
    resp_redirect(r, arena_printf(r->arena, "/people/%lld?saved=1", (long long)id));
    return 0;
}

static bool may_edit(Req *r, const Person *p) { return r->who.access >= ACCESS_ADMIN || p->id == r->who.person_id; }

/* GET /people/{id}/edit: the edit form (admin for anyone; a member for
 * themself, name and title only; else 403). */
int people_page_edit(Req *r) {
    Person p;
    if (person_load(r, r->params[0], &p)) return -1;
    if (!may_edit(r, &p)) return resp_error(r, 403, "forbidden", "You can edit only your own details.");
    person_form(r, &p, &p, NULL);
    return 0;
}

/* POST /people/{id}/edit (the fields of the form; password blank keeps it):
 * saves and shows the person (same access as the form). */
int people_page_edit_post(Req *r) {
    Person cur;
    if (person_load(r, r->params[0], &cur)) return -1;
    if (!may_edit(r, &cur)) return resp_error(r, 403, "forbidden", "You can edit only your own details.");
    PersonIn in = {0};
    person_in_form(r, &in);
    Errors e = {0};
    int64_t id;
    const char *lang = req_form(r, "language");
    if (lang && !*lang) lang = NULL;
    if ((req_form(r, "language") && person_language_check(r, cur.id, lang, &e)) || people_save(r, &cur, &in, &e, &id)) {
        if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", e.items[0].msg);
        Person v = typed(&cur, &in);
        if (req_form(r, "language")) v.language = (char *)lang;
        person_form(r, &cur, &v, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    if (req_form(r, "language")) person_language_set(r, cur.id, lang);
    resp_redirect(r, arena_printf(r->arena, "/people/%lld?saved=1", (long long)id));
    return 0;
}
