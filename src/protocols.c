/* protocols.c: a small knowledge base of protocols and guidelines (issue
 * 13): markdown, every version kept, an owner, a review date (its reminder
 * is the owner's action item, source kind "protocol", which the actions
 * service reminds when due and overdue), links to decision domains (so
 * that "Can I?" and the new-decision form show the protocols that apply),
 * changes proposed by blameless reviews that the owner accepts (a new
 * version) or declines, and the holders of a role asked to confirm they
 * read the new version, as with role charters. Every member reads every
 * protocol of the organisation; the owner and admins change them. Owns
 * /api/v1/protocols and /protocols. */
#include "remit.h"
#include "handlers.h"
#include "reports.h"
#include <string.h>

#define PROTO_BODY_MAX 50000

typedef struct Proto {
    int64_t id, owner_id, version, created_at, updated_at, review_action;
    char *title, *owner, *review_on, *body;
} Proto;

#define PROTO_COLS \
    "SELECT p.id, p.title, p.owner_id, o.name, p.review_on, p.version, p.created_at, p.updated_at, v.body, p.review_action_id FROM protocol p " \
    "JOIN person o ON o.id = p.owner_id JOIN protocol_version v ON v.protocol_id = p.id AND v.version = p.version "

static void proto_row(Stmt *s, Arena *a, Proto *x) {
    *x = (Proto){.id = db_int(s, 0), .title = db_dup(s, 1, a), .owner_id = db_int(s, 2), .owner = db_dup(s, 3, a), .review_on = db_dup(s, 4, a),
                 .version = db_int(s, 5), .created_at = db_int(s, 6), .updated_at = db_int(s, 7), .body = db_dup(s, 8, a), .review_action = db_int(s, 9)};
}

static int proto_find(Req *r, int64_t id, Proto *x) {
    Stmt *s = db_q(r->db, PROTO_COLS "WHERE p.id = ? AND p.org_id = ?", "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) proto_row(s, r->arena, x);
    db_reset(s);
    return found;
}

bool protocols_may_see(Req *r, int64_t id);
bool protocols_may_see(Req *r, int64_t id) {
    int64_t x;
    return db_one_int(r->db, &x, "SELECT id FROM protocol WHERE id = ? AND org_id = ?", "ii", id, r->who.org_id) == 1;
}

static bool may_change(Req *r, const Proto *x) { return x->owner_id == r->who.person_id || r->who.access >= ACCESS_ADMIN; }

static json_t *domains_json(Req *r, int64_t id) {
    json_t *a = json_array();
    Stmt *s = db_q(r->db, "SELECT d.slug FROM protocol_domain pd JOIN domain d ON d.id = pd.domain_id WHERE pd.protocol_id = ? AND pd.org_id = ? ORDER BY d.slug", "ii", id,
                   r->who.org_id);
    while (db_step(s) == DB_ROW) json_array_append_new(a, json_string(db_text(s, 0)));
    db_reset(s);
    return a;
}

static int64_t read_version(Req *r, int64_t id) {
    int64_t v = 0;
    db_one_int(r->db, &v, "SELECT version FROM protocol_read WHERE protocol_id = ? AND person_id = ?", "ii", id, r->who.person_id);
    return v;
}

static json_t *proto_json(Req *r, const Proto *x, bool detail) {
    json_t *o = json_pack("{s:I,s:s,s:o,s:o,s:I,s:o,s:o}", "id", (json_int_t)x->id, "title", x->title, "owner", json_ref(x->owner_id, x->owner), "review_on",
                          json_text(x->review_on), "version", (json_int_t)x->version, "domains", domains_json(r, x->id), "updated_at", json_time(r->arena, x->updated_at));
    if (!detail) return o;
    json_object_set_new(o, "body", json_string(x->body));
    json_object_set_new(o, "read_version", read_version(r, x->id) ? json_integer(read_version(r, x->id)) : json_null());
    json_t *vs = json_array();
    Stmt *s = db_q(r->db, "SELECT v.version, v.note, v.created_at, p.name FROM protocol_version v LEFT JOIN person p ON p.id = v.created_by WHERE v.protocol_id = ? "
                          "AND v.org_id = ? ORDER BY v.version DESC LIMIT 200", "ii", x->id, r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(vs, json_pack("{s:I,s:s,s:o,s:o}", "version", (json_int_t)db_int(s, 0), "note", db_text(s, 1), "created_at",
                                            json_time(r->arena, db_int(s, 2)), "by", json_text(db_null(s, 3) ? NULL : db_text(s, 3))));
    db_reset(s);
    json_object_set_new(o, "versions", vs);
    json_t *cs = json_array();
    s = db_q(r->db, "SELECT id, report_id, body, note, status, reason, proposed_at FROM protocol_change WHERE protocol_id = ? AND org_id = ? ORDER BY id DESC LIMIT 100", "ii",
             x->id, r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(cs, json_pack("{s:I,s:o,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)db_int(s, 0), "report_id", db_null(s, 1) ? json_null() : json_integer(db_int(s, 1)),
                                            "body", db_text(s, 2), "note", db_text(s, 3), "status", db_text(s, 4), "reason", json_text(db_null(s, 5) ? NULL : db_text(s, 5)),
                                            "proposed_at", json_time(r->arena, db_int(s, 6))));
    db_reset(s);
    json_object_set_new(o, "changes", cs);
    return o;
}

/* ---------- the shared pieces for Can I? and the decision form ---------- */

static const char SQL_FOR_DOMAIN[] =
    "SELECT p.id, p.title, p.version FROM protocol_domain pd JOIN protocol p ON p.id = pd.protocol_id WHERE pd.domain_id = ? AND pd.org_id = ? ORDER BY lower(p.title) LIMIT 20";

json_t *protocols_json_for_domain(Req *r, int64_t domain_id) {
    json_t *a = json_array();
    Stmt *s = db_q(r->db, SQL_FOR_DOMAIN, "ii", domain_id, r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(a, json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)db_int(s, 0), "title", db_text(s, 1), "version", (json_int_t)db_int(s, 2), "url",
                                           arena_printf(r->arena, "/protocols/%lld", (long long)db_int(s, 0))));
    db_reset(s);
    return a;
}

void protocols_render_for_domain(Req *r, int64_t domain_id) {
    Stmt *s = db_q(r->db, SQL_FOR_DOMAIN, "ii", domain_id, r->who.org_id);
    Buf *b = page(r);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++) html_printf(b, "<section class=\"card protocols-apply\" aria-labelledby=\"proto-h\"><h2 id=\"proto-h\">%h</h2><ul>", T(r, "Protocols that apply"));
        html_printf(b, "<li><a href=\"/protocols/%D\">%h</a></li>", db_int(s, 0), db_text(s, 1));
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul></section>");
}

/* ---------- changes ---------- */

typedef struct ProtoIn {
    const char *title, *body, *note, *review_on;
    int64_t owner_id;
    json_t *domains; /* list of slugs, NULL: unchanged */
    bool has_review;
} ProtoIn;

static int set_domains(Req *r, int64_t id, json_t *domains) {
    int rc = db_exec(r->db, "DELETE FROM protocol_domain WHERE protocol_id = ? AND org_id = ?", "ii", id, r->who.org_id);
    size_t i;
    json_t *v;
    json_array_foreach(domains, i, v) {
        if (rc != DB_OK) break;
        Domain d;
        if (!domain_by_slug(r, json_string_value(v), &d)) continue;
        int64_t dup = 0;
        db_one_int(r->db, &dup, "SELECT count(*) FROM protocol_domain WHERE protocol_id = ? AND domain_id = ?", "ii", id, d.id);
        if (!dup) rc = db_exec(r->db, "INSERT INTO protocol_domain(protocol_id, domain_id, org_id) VALUES (?, ?, ?)", "iii", id, d.id, r->who.org_id);
    }
    return rc;
}

/* review_reminder: the owner's action item for the review date: a new one,
 * or the open one moved (with fresh reminders). */
static int review_reminder(Req *r, int64_t id, const char *title, int64_t owner, const char *review_on, int64_t action) {
    int64_t open = 0;
    if (action) db_one_int(r->db, &open, "SELECT count(*) FROM action_item WHERE id = ? AND org_id = ? AND status = 'open'", "ii", action, r->who.org_id);
    if (!review_on) {
        if (open) return db_exec(r->db, "UPDATE action_item SET status = 'dropped', reason = 'no review date', updated_at = ? WHERE id = ? AND org_id = ?", "iii", r->now, action, r->who.org_id);
        return DB_OK;
    }
    if (open)
        return db_exec(r->db, "UPDATE action_item SET due_on = ?, owner_id = ?, due_told = 0, overdue_told = 0, updated_at = ? WHERE id = ? AND org_id = ?", "tiiii", review_on,
                       owner, r->now, action, r->who.org_id);
    const Lang *l = i18n_person_lang(r->db, owner);
    int64_t a = actions_create(r->db, r->arena, r->who.org_id, arena_printf(r->arena, TP(l, "Review the protocol: %s"), title), owner, review_on, "protocol", id,
                               r->who.person_id, r->now);
    if (!a) return DB_ERROR;
    return db_exec(r->db, "UPDATE protocol SET review_action_id = ? WHERE id = ? AND org_id = ?", "iii", a, id, r->who.org_id);
}

static void proto_check(Req *r, ProtoIn *in, bool creating, Errors *e) {
    if (in->title || creating) {
        in->title = in->title ? str_trim(r->arena, in->title) : "";
        if (str_empty(in->title) || utf8_chars(in->title) > 200 || has_control(in->title)) err_add(e, 422, "invalid", "title", "Give the protocol a title of 1 to 200 characters on one line.");
    }
    if (in->body || creating) {
        in->body = in->body ? str_trim(r->arena, in->body) : "";
        if (str_empty(in->body) || utf8_chars(in->body) > PROTO_BODY_MAX || !utf8_valid(in->body)) err_add(e, 422, "invalid", "body", "Write the protocol (markdown, up to 50,000 characters).");
    }
    if (in->note && utf8_chars(in->note) > 2000) err_add(e, 422, "invalid", "note", "The note is too long.");
    if (in->review_on && *in->review_on && !valid_date(in->review_on)) err_add(e, 422, "invalid", "review_on", "Give the review date as YYYY-MM-DD.");
    if (in->review_on && !*in->review_on) in->review_on = NULL;
    int64_t x;
    if ((in->owner_id || creating) && (!in->owner_id || !db_one_int(r->db, &x, "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'", "ii", in->owner_id, r->who.org_id)))
        err_add(e, 422, "invalid", "owner_id", "The owner must be a current person of the organisation.");
    if (in->domains) {
        size_t i;
        json_t *v;
        json_array_foreach(in->domains, i, v) {
            Domain d;
            if (!domain_by_slug(r, json_string_value(v), &d)) err_add(e, 422, "invalid", "domains", "There is no such decision domain.");
        }
    }
    if (!e->n && in->title) {
        int64_t dup = 0;
        db_one_int(r->db, &dup, "SELECT count(*) FROM protocol WHERE org_id = ? AND title = ?", "it", r->who.org_id, in->title);
        if (dup && creating) err_add(e, 409, "conflict", "title", "A protocol with this title exists already.");
    }
}

static int proto_create(Req *r, ProtoIn *in, Errors *e, int64_t *id_out) {
    proto_check(r, in, true, e);
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "INSERT INTO protocol(org_id, title, owner_id, review_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", "itItii", r->who.org_id, in->title,
                     in->owner_id, in->review_on, r->now, r->now);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK)
        rc = db_exec(r->db, "INSERT INTO protocol_version(protocol_id, version, org_id, body, note, created_by, created_at) VALUES (?, 1, ?, ?, ?, ?, ?)", "iittii", id,
                     r->who.org_id, in->body, in->note ? in->note : "", r->who.person_id, r->now);
    if (rc == DB_OK && in->domains) rc = set_domains(r, id, in->domains);
    if (rc == DB_OK && in->review_on) rc = review_reminder(r, id, in->title, in->owner_id, in->review_on, 0);
    if (rc == DB_OK) audit(r, "protocol.create", arena_printf(r->arena, "protocol:%lld", (long long)id), "%s", in->title);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* new_version: a new version with body (inside the caller's transaction);
 * the roles asked to confirm reading are asked again. */
static int new_version(Req *r, const Proto *x, const char *body, const char *note) {
    int64_t v = x->version + 1;
    int rc = db_exec(r->db, "INSERT INTO protocol_version(protocol_id, version, org_id, body, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "iiittii", x->id, v,
                     r->who.org_id, body, note ? note : "", r->who.person_id, r->now);
    if (rc == DB_OK) rc = db_exec(r->db, "UPDATE protocol SET version = ?, updated_at = ? WHERE id = ? AND org_id = ?", "iiii", v, r->now, x->id, r->who.org_id);
    if (rc == DB_OK) rc = db_exec(r->db, "UPDATE protocol_ask SET version = ?, asked_at = ? WHERE protocol_id = ? AND org_id = ?", "iiii", v, r->now, x->id, r->who.org_id);
    /* the holders asked before are told there is a new version to read */
    Stmt *s = db_q(r->db, "SELECT DISTINCT h.person_id FROM protocol_ask a JOIN role_holder h ON h.role_id = a.role_id WHERE a.protocol_id = ? AND a.org_id = ? LIMIT 1000",
                   "ii", x->id, r->who.org_id);
    int64_t people[1000];
    int n = 0;
    while (n < 1000 && db_step(s) == DB_ROW) people[n++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        const Lang *l = i18n_person_lang(r->db, people[i]);
        notify(r->db, r->who.org_id, people[i], r->now, "protocol.read", arena_printf(r->arena, TP(l, "Please read the new version of the protocol: %s"), x->title),
               arena_printf(r->arena, "/protocols/%lld", (long long)x->id));
    }
    return rc;
}

static int proto_update(Req *r, Proto *x, ProtoIn *in, Errors *e) {
    if (!may_change(r, x)) {
        err_add(e, 403, "forbidden", NULL, "Only the protocol's owner and admins change it.");
        return -1;
    }
    proto_check(r, in, false, e);
    if (!e->n && in->title && strcmp(in->title, x->title) != 0) {
        int64_t dup = 0;
        db_one_int(r->db, &dup, "SELECT count(*) FROM protocol WHERE org_id = ? AND title = ? AND id <> ?", "iti", r->who.org_id, in->title, x->id);
        if (dup) err_add(e, 409, "conflict", "title", "A protocol with this title exists already.");
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = DB_OK;
    if (in->body && strcmp(in->body, x->body) != 0) rc = new_version(r, x, in->body, in->note);
    const char *title = in->title ? in->title : x->title;
    int64_t owner = in->owner_id ? in->owner_id : x->owner_id;
    const char *review = in->has_review ? in->review_on : x->review_on;
    if (rc == DB_OK)
        rc = db_exec(r->db, "UPDATE protocol SET title = ?, owner_id = ?, review_on = ?, updated_at = ? WHERE id = ? AND org_id = ?", "titiii", title, owner, review, r->now, x->id,
                     r->who.org_id);
    if (rc == DB_OK && in->domains) rc = set_domains(r, x->id, in->domains);
    bool review_changed = in->has_review && ((review == NULL) != (x->review_on == NULL) || (review && strcmp(review, x->review_on) != 0));
    if (rc == DB_OK && (review_changed || owner != x->owner_id)) rc = review_reminder(r, x->id, title, owner, review, x->review_action);
    if (rc == DB_OK) audit(r, "protocol.update", arena_printf(r->arena, "protocol:%lld", (long long)x->id), "%s", title);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* protocols_propose: a change proposed by a review (inside the caller's
 * transaction); the owner is told. 0 ok. */
int protocols_propose(Req *r, int64_t protocol_id, int64_t report_id, const char *body, const char *note) {
    Proto x;
    if (!proto_find(r, protocol_id, &x)) return -1;
    int rc = db_exec(r->db, "INSERT INTO protocol_change(org_id, protocol_id, report_id, body, note, proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "iiIttii",
                     r->who.org_id, protocol_id, report_id, str_trim(r->arena, body), note ? str_trim(r->arena, note) : "", r->who.person_id, r->now);
    if (rc == DB_OK && x.owner_id != r->who.person_id) {
        const Lang *l = i18n_person_lang(r->db, x.owner_id);
        notify(r->db, r->who.org_id, x.owner_id, r->now, "protocol.change", arena_printf(r->arena, TP(l, "A review proposes a change to your protocol: %s"), x.title),
               arena_printf(r->arena, "/protocols/%lld#changes", (long long)x.id));
    }
    return rc == DB_OK ? 0 : -1;
}

static int change_decide(Req *r, Proto *x, int64_t cid, bool accept, const char *reason, Errors *e) {
    if (!may_change(r, x)) {
        err_add(e, 403, "forbidden", NULL, "Only the protocol's owner and admins accept or decline a change.");
        return -1;
    }
    Stmt *s = db_q(r->db, "SELECT body, status, note FROM protocol_change WHERE id = ? AND protocol_id = ? AND org_id = ?", "iii", cid, x->id, r->who.org_id);
    char *body = NULL, *status = NULL, *note = NULL;
    if (db_step(s) == DB_ROW) body = db_dup(s, 0, r->arena), status = db_dup(s, 1, r->arena), note = db_dup(s, 2, r->arena);
    db_reset(s);
    if (!body) {
        err_add(e, 404, "not_found", NULL, "There is no such proposed change.");
        return -1;
    }
    if (strcmp(status, "proposed") != 0) {
        err_add(e, 409, "conflict", NULL, "This change was decided already.");
        return -1;
    }
    reason = reason ? str_trim(r->arena, reason) : "";
    if (!accept && str_empty(reason)) err_add(e, 422, "invalid", "reason", "Say why you decline the change.");
    if (utf8_chars(reason) > 2000) err_add(e, 422, "invalid", "reason", "The reason is too long.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "UPDATE protocol_change SET status = ?, reason = ?, decided_at = ? WHERE id = ? AND org_id = ?", "ttiii", accept ? "accepted" : "declined", reason,
                     r->now, cid, r->who.org_id);
    if (rc == DB_OK && accept) rc = new_version(r, x, body, note);
    if (rc == DB_OK) audit(r, accept ? "protocol.accept" : "protocol.decline", arena_printf(r->arena, "protocol:%lld", (long long)x->id), "change %lld", (long long)cid);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static int mark_read(Req *r, Proto *x, Errors *e) {
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "DELETE FROM protocol_read WHERE protocol_id = ? AND person_id = ?", "ii", x->id, r->who.person_id);
    if (rc == DB_OK)
        rc = db_exec(r->db, "INSERT INTO protocol_read(protocol_id, person_id, org_id, version, read_at) VALUES (?, ?, ?, ?, ?)", "iiiii", x->id, r->who.person_id, r->who.org_id,
                     x->version, r->now);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static int ask_role(Req *r, Proto *x, int64_t role, Errors *e) {
    if (!may_change(r, x)) {
        err_add(e, 403, "forbidden", NULL, "Only the protocol's owner and admins ask a role to confirm.");
        return -1;
    }
    int64_t ok = 0;
    if (!role || !db_one_int(r->db, &ok, "SELECT id FROM role WHERE id = ? AND org_id = ?", "ii", role, r->who.org_id)) {
        err_add(e, 422, "invalid", "role_id", "There is no such role.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "DELETE FROM protocol_ask WHERE protocol_id = ? AND role_id = ?", "ii", x->id, role);
    if (rc == DB_OK)
        rc = db_exec(r->db, "INSERT INTO protocol_ask(protocol_id, role_id, org_id, version, asked_at) VALUES (?, ?, ?, ?, ?)", "iiiii", x->id, role, r->who.org_id, x->version, r->now);
    Stmt *s = db_q(r->db, "SELECT person_id FROM role_holder WHERE role_id = ? AND org_id = ? LIMIT 1000", "ii", role, r->who.org_id);
    int64_t people[1000];
    int n = 0;
    while (n < 1000 && db_step(s) == DB_ROW) people[n++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        const Lang *l = i18n_person_lang(r->db, people[i]);
        notify(r->db, r->who.org_id, people[i], r->now, "protocol.read", arena_printf(r->arena, TP(l, "Please read the new version of the protocol: %s"), x->title),
               arena_printf(r->arena, "/protocols/%lld", (long long)x->id));
    }
    if (rc == DB_OK) audit(r, "protocol.ask", arena_printf(r->arena, "protocol:%lld", (long long)x->id), "role:%lld", (long long)role);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* protocols_home_items: protocols the caller's roles were asked to confirm
 * reading, whose current version the caller has not confirmed. */
void protocols_home_items(Req *r, Home *h) {
    int64_t n = 0;
    db_one_int(r->db, &n,
               "SELECT count(DISTINCT a.protocol_id) FROM protocol_ask a JOIN role_holder h ON h.role_id = a.role_id AND h.person_id = ? "
               "LEFT JOIN protocol_read d ON d.protocol_id = a.protocol_id AND d.person_id = h.person_id WHERE a.org_id = ? AND (d.version IS NULL OR d.version < a.version)",
               "ii", r->who.person_id, r->who.org_id);
    home_item(h, "protocols_to_read", TN(r, "protocol to read and confirm", "protocols to read and confirm", n), n, "/protocols", URGENCY_DUE);
}

/* ---------- JSON API ---------- */

static const JField FIELDS[] = {{"title", JF_STRING, 1000}, {"body", JF_STRING, 200000}, {"note", JF_STRING_NULL, 5000}, {"owner_id", JF_INT, 0},
                                {"review_on", JF_DATE_NULL, 0}, {"domains", JF_STRING_LIST, 200}, {0}};

/* GET /api/v1/protocols?domain=: the protocols (member), by title. */
int protocols_api_list(Req *r) {
    const char *slug = req_query(r, "domain");
    Domain d = {0};
    if (slug && !domain_by_slug(r, slug, &d)) return resp_error(r, 404, "not_found", "There is no such decision domain.");
    Stmt *s = slug ? db_q(r->db, PROTO_COLS "JOIN protocol_domain pd ON pd.protocol_id = p.id AND pd.domain_id = ? WHERE p.org_id = ? ORDER BY lower(p.title), p.id LIMIT 500", "ii", d.id,
                          r->who.org_id)
                   : db_q(r->db, PROTO_COLS "WHERE p.org_id = ? ORDER BY lower(p.title), p.id LIMIT 500", "i", r->who.org_id);
    Proto v[500];
    int n = 0;
    while (n < 500 && db_step(s) == DB_ROW) proto_row(s, r->arena, &v[n++]);
    db_reset(s);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, proto_json(r, &v[i], false));
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

static ProtoIn proto_in_json(json_t *o) {
    return (ProtoIn){json_str(o, "title"), json_str(o, "body"), json_str(o, "note"), json_str(o, "review_on"), json_integer_value(json_object_get(o, "owner_id")),
                     json_object_get(o, "domains"), json_has(o, "review_on")};
}

/* POST /api/v1/protocols {"title","body","owner_id","review_on","domains"} (manager). */
int protocols_api_create(Req *r) {
    json_t *o = req_json_object(r, FIELDS);
    if (!o) return -1;
    ProtoIn in = proto_in_json(o);
    if (!in.owner_id) in.owner_id = r->who.person_id;
    Errors e = {0};
    int64_t id;
    if (proto_create(r, &in, &e, &id)) return err_send(r, &e);
    Proto x;
    proto_find(r, id, &x);
    resp_json(r, 201, proto_json(r, &x, true));
    return 0;
}

static int proto_load(Req *r, Proto *x) {
    if (!proto_find(r, r->params[0], x)) return resp_error(r, 404, "not_found", "There is no such protocol.");
    return 0;
}

/* GET /api/v1/protocols/{id}?version=: the current version (or the one
 * asked for: every version is kept), every version's note, the proposed
 * changes, and which version the caller confirmed (member). */
int protocols_api_get(Req *r) {
    Proto x;
    if (proto_load(r, &x)) return -1;
    const char *vs = req_query(r, "version");
    int64_t v = 0;
    if (vs && !parse_id(vs, &v)) return resp_error(r, 400, "bad_request", "version must be a number.");
    json_t *o = proto_json(r, &x, true);
    if (v && v != x.version) {
        Stmt *s = db_q(r->db, "SELECT body FROM protocol_version WHERE protocol_id = ? AND version = ? AND org_id = ?", "iii", x.id, v, r->who.org_id);
        bool found = db_step(s) == DB_ROW;
        if (found) json_object_set_new(o, "body", json_string(db_text(s, 0))), json_object_set_new(o, "body_version", json_integer(v));
        db_reset(s);
        if (!found) {
            json_decref(o);
            return resp_error(r, 404, "not_found", "There is no such version.");
        }
    }
    resp_json(r, 200, o);
    return 0;
}

/* PATCH /api/v1/protocols/{id} {"title","body","note","owner_id","review_on","domains"}:
 * a changed body is a new version (owner, admins). */
int protocols_api_patch(Req *r) {
    json_t *o = req_json_object(r, FIELDS);
    if (!o) return -1;
    Proto x;
    if (proto_load(r, &x)) return -1;
    ProtoIn in = proto_in_json(o);
    Errors e = {0};
    if (proto_update(r, &x, &in, &e)) return err_send(r, &e);
    proto_find(r, x.id, &x);
    resp_json(r, 200, proto_json(r, &x, true));
    return 0;
}

/* POST /api/v1/protocols/{id}/read: the caller confirms reading the current version (member). */
int protocols_api_read(Req *r) {
    if (r->body_len && !req_json_body(r)) return -1;
    Proto x;
    if (proto_load(r, &x)) return -1;
    Errors e = {0};
    if (mark_read(r, &x, &e)) return err_send(r, &e);
    resp_json(r, 200, proto_json(r, &x, true));
    return 0;
}

static const JField ASK_FIELDS[] = {{"role_id", JF_INT, 0}, {0}};

/* POST /api/v1/protocols/{id}/ask {"role_id"}: the role's holders are asked to confirm they read it (owner, admins). */
int protocols_api_ask(Req *r) {
    json_t *o = req_json_object(r, ASK_FIELDS);
    if (!o) return -1;
    Proto x;
    if (proto_load(r, &x)) return -1;
    Errors e = {0};
    if (ask_role(r, &x, json_integer_value(json_object_get(o, "role_id")), &e)) return err_send(r, &e);
    resp_json(r, 200, proto_json(r, &x, true));
    return 0;
}

static const JField DECIDE_FIELDS[] = {{"accept", JF_BOOL, 0}, {"reason", JF_STRING_NULL, 5000}, {0}};

/* POST /api/v1/protocols/{id}/changes/{cid} {"accept","reason"}: the owner
 * accepts a proposed change (a new version) or declines it with a reason. */
int protocols_api_decide(Req *r) {
    json_t *o = req_json_object(r, DECIDE_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    if (!json_is_boolean(json_object_get(o, "accept"))) {
        err_add(&e, 422, "invalid", "accept", "Say whether you accept the change (true or false).");
        return err_send(r, &e);
    }
    Proto x;
    if (proto_load(r, &x)) return -1;
    if (change_decide(r, &x, r->params[1], json_is_true(json_object_get(o, "accept")), json_str(o, "reason"), &e)) return err_send(r, &e);
    proto_find(r, x.id, &x);
    resp_json(r, 200, proto_json(r, &x, true));
    return 0;
}

/* ---------- pages ---------- */

static int page_err(Req *r, const Errors *e) {
    return resp_error(r, e->status ? e->status : 422, e->code ? e->code : "invalid", "%s", T(r, e->items[0].msg));
}

static void proto_form(Req *r, const char *action, const Proto *x, bool creating) {
    Buf *b = page(r);
    form_begin(r, action, NULL);
    form_text(r, "title", "Title", x ? x->title : NULL, NULL, "text", true);
    form_textarea(r, "body", "The protocol", x ? x->body : NULL, NULL, "Markdown works. Saving a changed text keeps the old version.");
    if (!creating) form_text(r, "note", "What changed", NULL, NULL, "text", false);
    const OptionList *people = options_cached(r, "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000");
    form_select_list(r, "owner_id", "Owner", x ? x->owner_id : r->who.person_id, people, NULL, NULL);
    form_text(r, "review_on", "Review on", x ? x->review_on : NULL, NULL, "date", false);
    html_printf(b, "<fieldset><legend>%h</legend>", T(r, "Decision domains it applies to"));
    Stmt *s = db_q(r->db, "SELECT d.id, d.slug, d.label, (SELECT count(*) FROM protocol_domain pd WHERE pd.domain_id = d.id AND pd.protocol_id = ?) FROM domain d "
                          "WHERE d.org_id = ? ORDER BY d.label LIMIT 200", "ii", x ? x->id : 0, r->who.org_id);
    while (db_step(s) == DB_ROW)
        html_printf(b, "<div class=\"choice\"><input type=\"checkbox\" id=\"dom-%D\" name=\"domain\" value=\"%h\"%s> <label for=\"dom-%D\">%h</label></div>", db_int(s, 0), db_text(s, 1),
                    db_int(s, 3) ? " checked" : "", db_int(s, 0), db_text(s, 2));
    db_reset(s);
    buf_puts(b, "</fieldset>");
    form_end(r, creating ? "Create the protocol" : "Save");
}

/* GET /protocols: every protocol, and a form for a new one (member; managers create). */
int protocols_page_list(Req *r) {
    page_begin(r, T(r, "Protocols"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Protocols"),
                T(r, "The protocols and guidelines within which you act on your own. Each one has an owner and a review date."));
    Stmt *s = db_q(r->db, PROTO_COLS "WHERE p.org_id = ? ORDER BY lower(p.title), p.id LIMIT 500", "i", r->who.org_id);
    int n = 0;
    buf_puts(b, "<ul class=\"plain\">");
    while (db_step(s) == DB_ROW) {
        Proto x;
        proto_row(s, r->arena, &x);
        html_printf(b, "<li><a href=\"/protocols/%D\">%h</a> <span class=\"muted\">%h · %h</span></li>", x.id, x.title,
                    arena_printf(r->arena, T(r, "version %lld"), (long long)x.version), x.owner);
        n++;
    }
    db_reset(s);
    buf_puts(b, "</ul>");
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No protocols yet."));
    if (r->who.access >= ACCESS_MANAGER) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "New protocol"));
        proto_form(r, "/protocols", NULL, true);
        buf_puts(b, "</section>");
    }
    page_end(r);
    return 0;
}

static json_t *form_domains(Req *r) {
    json_t *a = json_array();
    req_defer_json(r, a);
    for (int i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].name, "domain") == 0) json_array_append_new(a, json_string(r->form.items[i].value));
    return a;
}

/* POST /protocols: creates a protocol (manager). */
int protocols_page_create(Req *r) {
    ProtoIn in = {req_form(r, "title"), req_form(r, "body"), NULL, req_form(r, "review_on"), 0, form_domains(r), true};
    Errors e = {0};
    form_id_field(r, "owner_id", &in.owner_id, &e, "The owner must be a current person of the organisation.");
    if (!in.owner_id) in.owner_id = r->who.person_id;
    int64_t id;
    if (e.n || proto_create(r, &in, &e, &id)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/protocols/%lld?done=1", (long long)id));
    return 0;
}

/* GET /protocols/{id}?version=: a protocol (member): its text (or an older
 * version's), its versions, the changes proposed, and the forms. */
int protocols_page_view(Req *r) {
    Proto x;
    if (!proto_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such protocol.");
    int64_t ver = x.version;
    const char *vs = req_query(r, "version");
    if (vs && !parse_id(vs, &ver)) return resp_error(r, 400, "bad_request", "version must be a number.");
    char *body = x.body;
    if (ver != x.version) {
        Stmt *s = db_q(r->db, "SELECT body FROM protocol_version WHERE protocol_id = ? AND version = ? AND org_id = ?", "iii", x.id, ver, r->who.org_id);
        body = db_step(s) == DB_ROW ? db_dup(s, 0, r->arena) : NULL;
        db_reset(s);
        if (!body) return resp_error(r, 404, "not_found", "There is no such version.");
    }
    page_begin(r, x.title);
    Buf *b = page(r);
    if (req_query(r, "done")) page_flash(r, "Saved.");
    html_printf(b, "<h1>%h</h1><p class=\"muted\">%h · %h %h", x.title, arena_printf(r->arena, T(r, "version %lld"), (long long)ver), T(r, "owner"), x.owner);
    if (x.review_on) html_printf(b, " · %h %h", T(r, "review on"), fmt_date(r, x.review_on));
    buf_puts(b, "</p>");
    if (ver != x.version) html_printf(b, "<p class=\"notice\">%h <a href=\"/protocols/%D\">%h</a></p>", T(r, "An older version."), x.id, T(r, "The current version"));
    html_printf(b, "<section class=\"card protocol\">");
    html_markdown(b, body);
    buf_puts(b, "</section>");
    int64_t read = read_version(r, x.id);
    if (read >= x.version) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "You confirmed you read this version."));
    else {
        form_begin(r, arena_printf(r->arena, "/protocols/%lld/read", (long long)x.id), NULL);
        form_end(r, "I have read this version");
    }
    html_printf(b, "<section class=\"card\"><h2>%h</h2><ul>", T(r, "Versions"));
    Stmt *s = db_q(r->db, "SELECT version, note, created_at FROM protocol_version WHERE protocol_id = ? AND org_id = ? ORDER BY version DESC LIMIT 200", "ii", x.id, r->who.org_id);
    while (db_step(s) == DB_ROW)
        html_printf(b, "<li><a href=\"/protocols/%D?version=%D\">%h</a> <span class=\"muted\">%h %h</span></li>", x.id, db_int(s, 0),
                    arena_printf(r->arena, T(r, "version %lld"), (long long)db_int(s, 0)), fmt_time(r, db_int(s, 2)), db_text(s, 1));
    db_reset(s);
    buf_puts(b, "</ul></section>");
    html_printf(b, "<section class=\"card\" id=\"changes\"><h2>%h</h2>", T(r, "Proposed changes"));
    s = db_q(r->db, "SELECT id, body, note, status, reason, report_id FROM protocol_change WHERE protocol_id = ? AND org_id = ? ORDER BY id DESC LIMIT 50", "ii", x.id, r->who.org_id);
    typedef struct { int64_t id, report; char *body, *note, *status, *reason; } C;
    C cs[50];
    int nc = 0;
    while (nc < 50 && db_step(s) == DB_ROW)
        cs[nc++] = (C){db_int(s, 0), db_int(s, 5), db_dup(s, 1, r->arena), db_dup(s, 2, r->arena), db_dup(s, 3, r->arena), db_dup(s, 4, r->arena)};
    db_reset(s);
    if (!nc) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "None."));
    for (int i = 0; i < nc; i++) {
        html_printf(b, "<article class=\"change\"><p><strong>%h</strong> %h</p>",
                    strcmp(cs[i].status, "proposed") == 0 ? T(r, "Proposed") : strcmp(cs[i].status, "accepted") == 0 ? T(r, "Accepted") : T(r, "Declined"), cs[i].note);
        html_markdown(b, cs[i].body);
        if (cs[i].reason && *cs[i].reason) html_printf(b, "<p class=\"muted\">%h</p>", cs[i].reason);
        if (strcmp(cs[i].status, "proposed") == 0 && may_change(r, &x)) {
            form_begin(r, arena_printf(r->arena, "/protocols/%lld/changes/%lld", (long long)x.id, (long long)cs[i].id), NULL);
            form_text(r, arena_printf(r->arena, "reason"), "Reason (to decline)", NULL, NULL, "text", false);
            html_printf(b, "<div class=\"actions\"><button type=\"submit\" name=\"accept\" value=\"1\">%h</button> <button type=\"submit\" name=\"accept\" value=\"0\" class=\"secondary\">%h</button></div></form>",
                        T(r, "Accept: a new version"), T(r, "Decline"));
        }
        buf_puts(b, "</article>");
    }
    buf_puts(b, "</section>");
    if (may_change(r, &x)) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "Ask a role to confirm they read it"));
        form_begin(r, arena_printf(r->arena, "/protocols/%lld/ask", (long long)x.id), NULL);
        const OptionList *roles = options_cached(r, "SELECT id, name FROM role WHERE org_id = ? ORDER BY lower(name), id LIMIT 5000");
        form_select_list(r, "role_id", "Role", 0, roles, NULL, NULL);
        form_end(r, "Ask the holders");
        html_printf(b, "</section><section class=\"card\"><h2>%h</h2>", T(r, "Edit"));
        proto_form(r, arena_printf(r->arena, "/protocols/%lld/edit", (long long)x.id), &x, false);
        buf_puts(b, "</section>");
    }
    page_end(r);
    return 0;
}

/* POST /protocols/{id}/edit (owner, admins). */
int protocols_page_edit(Req *r) {
    Proto x;
    if (!proto_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such protocol.");
    ProtoIn in = {req_form(r, "title"), req_form(r, "body"), req_form(r, "note"), req_form(r, "review_on"), 0, form_domains(r), req_form(r, "review_on") != NULL};
    Errors e = {0};
    form_id_field(r, "owner_id", &in.owner_id, &e, "The owner must be a current person of the organisation.");
    if (e.n || proto_update(r, &x, &in, &e)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/protocols/%lld?done=1", (long long)x.id));
    return 0;
}

/* POST /protocols/{id}/read (member). */
int protocols_page_read(Req *r) {
    Proto x;
    if (!proto_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such protocol.");
    Errors e = {0};
    if (mark_read(r, &x, &e)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/protocols/%lld?done=1", (long long)x.id));
    return 0;
}

/* POST /protocols/{id}/ask (role_id) (owner, admins). */
int protocols_page_ask(Req *r) {
    Proto x;
    if (!proto_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such protocol.");
    Errors e = {0};
    int64_t role = 0;
    form_id_field(r, "role_id", &role, &e, "There is no such role.");
    if (e.n || ask_role(r, &x, role, &e)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/protocols/%lld?done=1", (long long)x.id));
    return 0;
}

/* POST /protocols/{id}/changes/{cid} (accept, reason) (owner, admins). */
int protocols_page_decide(Req *r) {
    Proto x;
    if (!proto_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such protocol.");
    Errors e = {0};
    const char *ac = req_form(r, "accept");
    if (change_decide(r, &x, r->params[1], ac && strcmp(ac, "1") == 0, req_form(r, "reason"), &e)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/protocols/%lld?done=1#changes", (long long)x.id));
    return 0;
}
