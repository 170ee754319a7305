/* autonomy.c: earned autonomy. After an outcome is recorded, decisions.c
 * calls autonomy_recompute, which weighs one person's reviewed outcomes in
 * one domain (good = 1, mixed = 1/2, bad = 0) with the Wilson bound and, when
 * the evidence passes the domain's bar, opens a *suggestion*: a higher limit
 * (or level) when the record is strong, a coaching conversation when it is
 * weak. A suggestion never changes anything by itself: a person allowed to
 * grant the right accepts or rejects it with a note (JSON under
 * /api/v1/autonomy/suggestions, pages under /autonomy), and only then does
 * the person's right change, with its history, an audit line and a
 * notification. This file writes suggestions and, on acceptance, the one
 * right it names; it never touches decisions. Every query filters on the
 * caller's organisation, and a suggestion the caller may not see is a 404. */
#include "remit.h"
#include "handlers.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------- the pure rules (unit-tested in tests/unit/autonomy_test.c,
 * which re-declares these prototypes) ---------- */
enum { AUTO_NONE = 0, AUTO_RAISE = 1, AUTO_COACH = 2 };
int autonomy_bar(const char *risk);
int autonomy_kind(int n, int good_halves, int bar, int over_half, bool has_limit, bool recent_change, double *bound);
bool autonomy_raise(int cur_level, int64_t cur_limit, int cap_level, int64_t cap_limit, int *level, int64_t *limit);

#define RAISE_BOUND 0.80     /* the Wilson bound a raise needs */
#define COACH_BOUND 0.50     /* below this, with enough outcomes: a conversation */
#define OVER_HALF_MIN 3      /* decisions that used more than half the limit */
#define QUIET_SECONDS (60 * 86400) /* no right change (or decided suggestion) this recently */
#define NOTE_MAX 2000        /* characters */
#define EVIDENCE_MAX 500     /* decisions shown behind one suggestion */

/* autonomy_bar: how many reviewed outcomes a domain's risk class asks for
 * before the evidence counts: 10 (low), 20 (medium), 40 (high; also for an
 * unknown class, to err on the careful side). */
int autonomy_bar(const char *risk) {
    if (risk && strcmp(risk, "low") == 0) return 10;
    if (risk && strcmp(risk, "medium") == 0) return 20;
    return 40;
}

/* autonomy_kind: what the evidence suggests. n reviewed outcomes with
 * good_halves (good = 2, mixed = 1), the bar for the domain, how many of the
 * decisions used more than half of the current limit, whether the current
 * right has a limit at all (a right without one is raised by level, so the
 * "more than half" rule does not apply), and whether the person's right
 * changed recently. *bound gets the Wilson lower bound (95%). A raise needs
 * n >= bar, bound >= 0.80, three decisions over half the limit and no
 * recent change; a coaching conversation needs n >= bar and bound < 0.50. */
int autonomy_kind(int n, int good_halves, int bar, int over_half, bool has_limit, bool recent_change, double *bound) {
    double b = wilson_lower(good_halves / 2.0, n);
    if (bound) *bound = b;
    if (n <= 0 || n < bar) return AUTO_NONE;
    if (b >= RAISE_BOUND) return (!has_limit || over_half >= OVER_HALF_MIN) && !recent_change ? AUTO_RAISE : AUTO_NONE;
    if (b < COACH_BOUND) return AUTO_COACH;
    return AUTO_NONE;
}

/* autonomy_raise: the raised right for a current one (cur_limit -1: no
 * limit): the limit doubled, or, without a limit, the level one higher (at
 * most 7). Never beyond what the approver holds: cap_level 0 means the
 * approver may grant anything (an admin or owner); otherwise the result is
 * capped at cap_level and cap_limit (-1: the approver's right has no limit),
 * and an approver with a limit cannot grant a right without one. false when
 * no real raise is possible (level 7 without a limit, a limit of 0, an
 * approver who holds no more than the person). */
bool autonomy_raise(int cur_level, int64_t cur_limit, int cap_level, int64_t cap_limit, int *level, int64_t *limit) {
    if (cur_level < 1 || cur_level > 7) return false;
    int l = cur_level;
    int64_t m = cur_limit;
    if (cur_limit >= 0) {
        m = cur_limit > INT64_MAX / 2 ? INT64_MAX : cur_limit * 2;
        if (cap_level) {
            if (cap_level < cur_level) return false;
            if (cap_limit >= 0 && m > cap_limit) m = cap_limit;
        }
        if (m <= cur_limit) return false;
    } else {
        l = cur_level < 7 ? cur_level + 1 : 7;
        if (cap_level) {
            if (cap_limit >= 0) return false;
            if (l > cap_level) l = cap_level;
        }
        if (l <= cur_level) return false;
    }
    *level = l;
    *limit = m;
    return true;
}

/* ---------- SQL ---------- */

/* The people below the caller in the management chain (managers and up
 * only; UNION ends cycles in corrupt data). Parameters: ?1 org, ?2 caller,
 * ?3 caller's access level. */
#define BELOW_CTE                                                                                                              \
    "WITH RECURSIVE below(id) AS (SELECT id FROM person WHERE org_id = ?1 AND manager_id = ?2 AND ?3 >= 2 "                    \
    "UNION SELECT p.id FROM person p JOIN below b ON p.manager_id = b.id WHERE p.org_id = ?1) "
#define SUGG_SELECT                                                                                                            \
    "SELECT s.id, s.person_id, p.name, s.domain_id, d.slug, d.label, d.risk, s.kind, s.right_id, s.current_level, "           \
    "s.current_limit_cents, s.suggested_level, s.suggested_limit_cents, s.n, s.good_halves, s.status, s.decided_by, dp.name, " \
    "s.decided_at, s.note, s.created_at FROM autonomy_suggestion s "                                                           \
    "JOIN person p ON p.id = s.person_id AND p.org_id = s.org_id JOIN domain d ON d.id = s.domain_id AND d.org_id = s.org_id " \
    "LEFT JOIN person dp ON dp.id = s.decided_by AND dp.org_id = s.org_id "
/* Admins see every suggestion, anyone sees those about themselves, managers
 * those about people below them. */
#define SUGG_VISIBLE "WHERE s.org_id = ?1 AND (?3 >= 3 OR s.person_id = ?2 OR s.person_id IN below) "

static const char SQL_SUGG_GET[] = BELOW_CTE SUGG_SELECT SUGG_VISIBLE "AND s.id = ?4";
static const char SQL_SUGG_LIST[] = BELOW_CTE SUGG_SELECT SUGG_VISIBLE
    "AND s.id > ?4 AND (?5 IS NULL OR s.status = ?5) AND (?6 = 0 OR s.person_id = ?6) ORDER BY s.id LIMIT ?7";
static const char SQL_SUGG_PAGE[] = BELOW_CTE SUGG_SELECT SUGG_VISIBLE
    "ORDER BY s.status = 'open' DESC, coalesce(s.decided_at, s.created_at) DESC, s.id DESC LIMIT 300";
/* The evidence: the person's reviewed decisions in the domain, as they
 * stood when the suggestion was made. */
static const char SQL_EVIDENCE[] =
    "SELECT id, title, amount_cents, outcome, learning, requested_at FROM decision WHERE org_id = ? AND author_id = ? AND domain_id = ? "
    "AND outcome IS NOT NULL AND coalesce(outcome_at, 0) <= ? ORDER BY requested_at, id LIMIT 500";

static const char SQL_PERSON_STATUS[] = "SELECT status = 'left' FROM person WHERE id = ? AND org_id = ?";
static const char SQL_OUTCOMES[] =
    "SELECT outcome, amount_cents FROM decision WHERE org_id = ? AND author_id = ? AND domain_id = ? AND outcome IS NOT NULL";
/* Any change to a right the person holds for the domain since ?4: a
 * personal or role right created or changed (its row or its history), or a
 * role with a right for the domain given to the person. */
static const char SQL_RECENT_CHANGE[] =
    "SELECT (SELECT count(*) FROM decision_right r WHERE r.org_id = ?1 AND r.domain_id = ?2 AND max(r.created_at, r.updated_at) > ?4 "
    "AND (r.person_id = ?3 OR r.role_id IN (SELECT role_id FROM role_holder WHERE person_id = ?3 AND org_id = ?1))) "
    "+ (SELECT count(*) FROM right_history h JOIN decision_right r ON r.id = h.right_id AND r.org_id = h.org_id "
    "WHERE h.org_id = ?1 AND r.domain_id = ?2 AND h.at > ?4 "
    "AND (r.person_id = ?3 OR r.role_id IN (SELECT role_id FROM role_holder WHERE person_id = ?3 AND org_id = ?1))) "
    "+ (SELECT count(*) FROM role_holder h JOIN decision_right r ON r.role_id = h.role_id AND r.org_id = h.org_id "
    "WHERE h.org_id = ?1 AND h.person_id = ?3 AND r.domain_id = ?2 AND h.since > ?4)";
/* An open suggestion for the person and domain, or one of the same kind
 * decided recently: either way, no new one (a rejection is not re-asked on
 * every new outcome). */
static const char SQL_SUGG_BLOCKING[] =
    "SELECT count(*) FROM autonomy_suggestion WHERE org_id = ?1 AND person_id = ?2 AND domain_id = ?3 "
    "AND (status = 'open' OR (kind = ?4 AND decided_at > ?5))";
static const char SQL_SUGG_INSERT[] =
    "INSERT INTO autonomy_suggestion(org_id, person_id, domain_id, kind, right_id, current_level, current_limit_cents, suggested_level, "
    "suggested_limit_cents, n, good_halves, lower_bound, status, created_at) "
    "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, -1), NULLIF(?, 0), NULLIF(?, -1), ?, ?, ?, 'open', ?)";
static const char SQL_SUGG_DECIDE[] =
    "UPDATE autonomy_suggestion SET status = ?, decided_by = ?, decided_at = ?, note = ?, right_id = coalesce(?, right_id) "
    "WHERE id = ? AND org_id = ? AND status = 'open'";
static const char SQL_RIGHT_UPDATE[] =
    "UPDATE decision_right SET level = ?, limit_cents = NULLIF(?, -1), reason = ?, granted_by = ?, updated_at = ? "
    "WHERE id = ? AND org_id = ? AND person_id = ?";
/* a new personal right (ids are never reused: AUTOINCREMENT) */
static const char SQL_RIGHT_INSERT[] =
    "INSERT INTO decision_right(org_id, person_id, domain_id, level, limit_cents, advisor_id, expires_on, reason, granted_by, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?, ?, ?, ?)";

/* ---------- one suggestion ---------- */

typedef struct Sugg {
    int64_t id, person_id, domain_id, right_id, decided_by, decided_at, created_at;
    char *person_name, *slug, *label, *risk, *kind, *status, *note, *decided_name;
    int current_level, suggested_level;       /* 0: none */
    int64_t current_limit, suggested_limit;   /* -1: none (no limit) */
    int n, good_halves;
    double bound;                              /* recomputed from n and good_halves */
} Sugg;

/* sugg_row: the current row of a SUGG_SELECT statement; strings in the arena. */
static void sugg_row(Stmt *st, Arena *a, Sugg *s) {
    s->id = db_int(st, 0);
    s->person_id = db_int(st, 1);
    s->person_name = db_dup(st, 2, a);
    s->domain_id = db_int(st, 3);
    s->slug = db_dup(st, 4, a);
    s->label = db_dup(st, 5, a);
    s->risk = db_dup(st, 6, a);
    s->kind = db_dup(st, 7, a);
    s->right_id = db_int(st, 8);
    s->current_level = (int)db_int(st, 9);
    s->current_limit = db_null(st, 10) ? -1 : db_int(st, 10);
    s->suggested_level = (int)db_int(st, 11);
    s->suggested_limit = db_null(st, 12) ? -1 : db_int(st, 12);
    s->n = (int)db_int(st, 13);
    s->good_halves = (int)db_int(st, 14);
    s->status = db_dup(st, 15, a);
    s->decided_by = db_int(st, 16);
    s->decided_name = db_dup(st, 17, a);
    s->decided_at = db_int(st, 18);
    s->note = db_dup(st, 19, a);
    s->created_at = db_int(st, 20);
    s->bound = wilson_lower(s->good_halves / 2.0, s->n);
}

/* sugg_find: suggestion id if the caller may see it. 1 found, 0 not. */
static int sugg_find(Req *r, int64_t id, Sugg *s) {
    Stmt *st = db_q(r->db, SQL_SUGG_GET, "iiii", r->who.org_id, r->who.person_id, (int64_t)r->who.access, id);
    int found = db_step(st) == DB_ROW;
    if (found) sugg_row(st, r->arena, s);
    db_reset(st);
    return found;
}

/* sugg_load: the suggestion named by the route; -1 after sending 404. */
static int sugg_load(Req *r, Sugg *s) {
    if (r->nparams < 1 || !sugg_find(r, r->params[0], s)) return resp_error(r, 404, "not_found", "There is no such suggestion.");
    return 0;
}

static bool is_raise(const Sugg *s) { return strcmp(s->kind, "raise") == 0; }
static bool is_open(const Sugg *s) { return strcmp(s->status, "open") == 0; }

/* right_text: "level 7 (delegate), up to 200.00" in the arena. */
static char *right_text(Arena *a, int level, int64_t limit) {
    char m[24];
    if (level < 1) return "no right";
    if (limit < 0) return arena_printf(a, "level %d (%s), no limit", level, level_name(level));
    return arena_printf(a, "level %d (%s), up to %s", level, level_name(level), money_format(limit, m));
}

/* right_page_text: right_text in the reader's language, for pages (the
 * audit log and notices keep right_text's English). */
static const char *right_page_text(Req *r, int level, int64_t limit) {
    char m[24];
    if (level < 1) return T(r, "no right");
    if (limit < 0) return arena_printf(r->arena, T(r, "level %d (%s), no limit"), level, T(r, level_name(level)));
    return arena_printf(r->arena, T(r, "level %d (%s), up to %s"), level, T(r, level_name(level)), money_format(limit, m));
}

/* limit_json: cents as a decimal string, or null. */
static json_t *limit_json(int64_t cents) {
    char m[24];
    return cents >= 0 ? json_string(money_format(cents, m)) : json_null();
}

static json_t *round_json(double v, double scale) { return json_real(round(v * scale) / scale); }

/* sugg_json: the suggestion as the API shows it; with evidence when asked
 * (one query). */
static json_t *sugg_json(Req *r, const Sugg *s, bool evidence) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(s->id));
    json_object_set_new(o, "person", json_pack("{s:I,s:s}", "id", (json_int_t)s->person_id, "name", s->person_name));
    json_object_set_new(o, "domain", json_string(s->slug));
    json_object_set_new(o, "domain_label", json_string(s->label));
    json_object_set_new(o, "risk", json_string(s->risk));
    json_object_set_new(o, "bar", json_integer(autonomy_bar(s->risk)));
    json_object_set_new(o, "kind", json_string(s->kind));
    json_object_set_new(o, "current_level", s->current_level ? json_integer(s->current_level) : json_null());
    json_object_set_new(o, "current_limit", limit_json(s->current_limit));
    json_object_set_new(o, "suggested_level", s->suggested_level ? json_integer(s->suggested_level) : json_null());
    json_object_set_new(o, "suggested_limit", limit_json(s->suggested_limit));
    json_object_set_new(o, "n", json_integer(s->n));
    json_object_set_new(o, "good", s->good_halves % 2 ? json_real(s->good_halves / 2.0) : json_integer(s->good_halves / 2));
    json_object_set_new(o, "lower_bound", round_json(s->bound, 1000));
    json_object_set_new(o, "status", json_string(s->status));
    json_object_set_new(o, "decided_by",
                        s->decided_by ? json_pack("{s:I,s:s}", "id", (json_int_t)s->decided_by, "name", s->decided_name ? s->decided_name : "")
                                      : json_null());
    json_object_set_new(o, "decided_at", s->decided_at ? json_string(iso_time(r->arena, s->decided_at)) : json_null());
    json_object_set_new(o, "note", s->note ? json_string(s->note) : json_null());
    json_object_set_new(o, "created_at", json_string(iso_time(r->arena, s->created_at)));
    if (evidence) {
        json_t *items = json_array();
        Stmt *st = db_q(r->db, SQL_EVIDENCE, "iiii", r->who.org_id, s->person_id, s->domain_id, s->created_at);
        while (db_step(st) == DB_ROW)
            json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:s,s:o,s:s}", "id", (json_int_t)db_int(st, 0), "title", db_text(st, 1), "amount",
                                                   limit_json(db_null(st, 2) ? -1 : db_int(st, 2)), "outcome", db_text(st, 3), "learning",
                                                   db_null(st, 4) ? json_null() : json_string(db_text(st, 4)), "requested_at",
                                                   iso_time(r->arena, db_int(st, 5))));
        db_reset(st);
        json_object_set_new(o, "evidence", items);
    }
    return o;
}

/* ---------- recomputing the evidence ---------- */

/* approver_cap: what the person who would approve a raise holds: the
 * nearest decider up the chain for the current limit, else an owner (see
 * can_decider). *cap_level 0 when that approver may grant anything (admin,
 * owner, or nobody found: the accept step checks again for whoever
 * accepts). Returns the approver or NULL. */
static const CanPerson *approver_cap(const CanWorld *w, int64_t person, const CanRight *cur, int *cap_level, int64_t *cap_limit) {
    const CanPerson *ap = can_decider(w, person, person, cur->limit_cents);
    *cap_level = 0;
    *cap_limit = -1;
    if (!ap || ap->access >= ACCESS_ADMIN) return ap;
    const CanRight *best = can_best_right(ap, w->today, -1, NULL);
    if (!best) return ap; /* NEVER: can_decider returns only people with a right, or owners */
    *cap_level = best->level;
    *cap_limit = best->limit_cents;
    return ap;
}

/* autonomy_recompute: see handlers.h. Runs inside the caller's transaction
 * when there is one (decisions.c records the outcome and this in one), else
 * in its own. Problems are not the caller's: a failed write is rolled back
 * (own transaction) or left to the caller's commit to report. */
void autonomy_recompute(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t domain_id, int64_t now) {
    Domain d;
    int64_t left = 0, x = 0;
    if (!domain_by_id(db, a, org_id, domain_id, &d)) return;
    if (!db_one_int(db, &left, SQL_PERSON_STATUS, "ii", person_id, org_id) || left) return;
    bool own = !db_in_tx(db);
    if (own && db_begin(db) != DB_OK) return;

    CanWorld w;
    can_load(db, a, org_id, d.id, d.label, now, &w);
    const CanPerson *me = can_find(&w, person_id);
    const CanRight *cur = me ? can_best_right(me, w.today, -1, NULL) : NULL;
    int64_t cur_limit = cur ? cur->limit_cents : -1;

    int n = 0, good_halves = 0, over_half = 0;
    Stmt *st = db_q(db, SQL_OUTCOMES, "iii", org_id, person_id, d.id);
    while (db_step(st) == DB_ROW) {
        const char *o = db_text(st, 0);
        n++;
        good_halves += strcmp(o, "good") == 0 ? 2 : strcmp(o, "mixed") == 0 ? 1 : 0;
        if (cur_limit >= 0 && !db_null(st, 1) && db_int(st, 1) > cur_limit / 2.0) over_half++;
    }
    db_reset(st);

    int64_t since = now - QUIET_SECONDS, recent = 0;
    db_one_int(db, &recent, SQL_RECENT_CHANGE, "iiii", org_id, d.id, person_id, since);
    double bound;
    int kind = autonomy_kind(n, good_halves, autonomy_bar(d.risk), over_half, cur_limit >= 0, recent > 0, &bound);
    int level = 0, cap_level = 0;
    int64_t limit = -1, cap_limit = -1;
    /* a right the person holds on paper but lacks the prerequisites for
     * (a skill level, a training) is never raised: the audit line says what
     * is missing, and the training suggestions (training.c) offer it */
    const char *withheld = NULL;
    for (int i = 0; kind == AUTO_RAISE && me && i < me->nrights; i++) {
        CanReq miss[4];
        int nm = right_active(&me->rights[i], w.today) ? can_right_missing(me, &me->rights[i], miss, 4) : 0;
        for (int k = 0; k < nm && k < 4; k++)
            withheld = arena_printf(a, "%s%s%s", withheld ? withheld : "", withheld ? "; " : "",
                                    miss[k].training_id ? arena_printf(a, "complete the training %s", miss[k].name)
                                                        : arena_printf(a, "reach level %d in %s", miss[k].level, miss[k].name));
    }
    if (withheld) kind = AUTO_NONE;
    if (kind == AUTO_RAISE) {
        const CanPerson *ap = cur ? approver_cap(&w, person_id, cur, &cap_level, &cap_limit) : NULL;
        if (!cur || !autonomy_raise(cur->level, cur->limit_cents, cap_level, cap_limit, &level, &limit) ||
            (cap_level && !can_grant_allowed(ap->access, ap, w.today, level, limit, NULL)))
            kind = AUTO_NONE;
    }
    const char *kname = kind == AUTO_RAISE ? "raise" : "coach";
    if (kind == AUTO_NONE || (db_one_int(db, &x, SQL_SUGG_BLOCKING, "iiiti", org_id, person_id, d.id, kname, since) && x > 0)) {
        if (own) db_rollback(db);
        if (withheld) /* in the caller's transaction, or on its own */
            audit_db(db, org_id, 0, now, "autonomy.withheld", arena_printf(a, "person:%lld", (long long)person_id),
                     arena_printf(a, "raise in %s withheld: prerequisites missing: %s", d.slug, withheld));
        return;
    }
    /* A raise of a personal right changes that right; a raise of a role's
     * right becomes a new personal right (the role stays as it is). */
    int64_t right_id = cur && !cur->via ? cur->id : 0;
    char bound_text[32];
    snprintf(bound_text, sizeof bound_text, "%.17g", bound);
    int rc = db_exec(db, SQL_SUGG_INSERT, "iiitIiiiiiiti", org_id, person_id, d.id, kname, right_id, (int64_t)(cur ? cur->level : 0), cur_limit,
                     (int64_t)level, limit, (int64_t)n, (int64_t)good_halves, bound_text, now);
    if (rc != DB_OK) {
        if (own) db_rollback(db);
        return;
    }
    int64_t id = db_last_id(db);
    char *object = arena_printf(a, "autonomy_suggestion:%lld", (long long)id);
    char *detail = arena_printf(a, "%s for person %lld in %s: n %d, good %.1f, bound %.3f%s%s", kname, (long long)person_id, d.slug, n,
                                good_halves / 2.0, bound, kind == AUTO_RAISE ? ", suggests " : "", kind == AUTO_RAISE ? right_text(a, level, limit) : "");
    audit_db(db, org_id, 0, now, "autonomy.suggest", object, detail);
    /* tell the nearest manager: a human decides */
    const CanPerson *boss = can_manager(&w, person_id, person_id);
    if (boss && me) {
        char *text = kind == AUTO_RAISE ? arena_printf(a, "%s's record in %s suggests more autonomy: %s.", me->name, d.label, right_text(a, level, limit))
                                        : arena_printf(a, "%s's recent outcomes in %s suggest a coaching conversation.", me->name, d.label);
        notify(db, org_id, boss->id, now, "autonomy", text, arena_printf(a, "/autonomy/%lld", (long long)id));
    }
    if (own && db_commit(db) != DB_OK) db_rollback(db);
}

/* ---------- deciding a suggestion ---------- */

/* may_decide: whether the caller may accept or reject s, given the domain's
 * world: never the person themself; admins and owners always; otherwise a
 * manager up the person's chain, who for a raise must hold a right that
 * covers the suggested level and limit. why gets the reason when not. */
static bool may_decide(Req *r, const Sugg *s, const CanWorld *w, const char **why) {
    if (s->person_id == r->who.person_id) {
        *why = "A suggestion about yourself is decided by someone else.";
        return false;
    }
    if (r->who.access >= ACCESS_ADMIN) return true;
    if (r->who.access < ACCESS_MANAGER || !person_is_below(r->db, r->who.org_id, s->person_id, r->who.person_id)) {
        *why = "Only an admin, an owner or a manager above this person may decide this suggestion.";
        return false;
    }
    if (!is_raise(s)) return true;
    if (!can_grant_allowed(r->who.access, can_find(w, r->who.person_id), w->today, s->suggested_level, s->suggested_limit, NULL)) {
        *why = "You may grant only what you hold yourself, and your own right for this domain does not cover the suggested level and limit.";
        return false;
    }
    return true;
}

static int busy(Req *r, Errors *e) {
    if (db_in_tx(r->db)) db_rollback(r->db);
    err_add(e, 503, "busy", NULL, "The server is busy; try again.");
    return -1;
}

/* apply_raise: inside sugg_decide's transaction, gives the person the
 * suggested right: their personal right is changed, or (when the current
 * right comes from a role) a personal one is added. Refuses (409) when the
 * person's right is no longer what the suggestion was made against. 0 ok
 * with *right_out; -1 with the problem in e (the caller rolls back). */
static int apply_raise(Req *r, const Sugg *s, const CanWorld *w, const char *note, Errors *e, int64_t *right_out) {
    const CanPerson *p = can_find(w, s->person_id);
    const CanRight *cur = p ? can_best_right(p, w->today, -1, NULL) : NULL;
    if (!cur || cur->level != s->current_level || cur->limit_cents != s->current_limit) {
        err_add(e, 409, "stale", NULL, "This person's right has changed since the suggestion was made; reject it, and the evidence will speak again.");
        return -1;
    }
    char *reason = arena_printf(r->arena, "Earned autonomy: suggestion %lld. %s", (long long)s->id, note);
    int64_t id;
    const char *action;
    int rc;
    if (!cur->via) {
        id = cur->id;
        action = "update";
        rc = db_exec(r->db, SQL_RIGHT_UPDATE, "iitiiiii", (int64_t)s->suggested_level, s->suggested_limit, reason, r->who.person_id, r->now, id,
                     r->who.org_id, s->person_id);
        if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_ERROR;
    } else {
        action = "create";
        rc = db_exec(r->db, SQL_RIGHT_INSERT, "iiiiiIttiii", r->who.org_id, s->person_id, s->domain_id, (int64_t)s->suggested_level, s->suggested_limit,
                     cur->advisor_id, cur->expires_on, reason, r->who.person_id, r->now, r->now);
        id = db_last_id(r->db);
    }
    if (rc == DB_OK) rc = rights_record(r, id, action, reason);
    if (rc != DB_OK) {
        err_add(e, rc == DB_BUSY ? 503 : 500, rc == DB_BUSY ? "busy" : "internal", NULL, "The right could not be changed; try again.");
        return -1;
    }
    *right_out = id;
    return 0;
}

/* sugg_decide: accepts or rejects suggestion id with a note, in one
 * transaction: checks (in this order) that the caller may see it (404),
 * may decide it (403), that it is still open (409) and that the note is
 * there (422); an accepted raise changes the right (apply_raise). Records
 * who, when and why, audits, and notifies the person. 0 ok with *out as it
 * now stands; -1 with the problem in e and nothing changed. */
static int sugg_decide(Req *r, int64_t id, bool accept, const char *note_in, Errors *e, Sugg *out) {
    if (db_begin(r->db) != DB_OK) return busy(r, e);
    Sugg s;
    if (!sugg_find(r, id, &s)) {
        db_rollback(r->db);
        err_add(e, 404, "not_found", NULL, "There is no such suggestion.");
        return -1;
    }
    CanWorld w;
    can_load(r->db, r->arena, r->who.org_id, s.domain_id, s.label, r->now, &w);
    const char *why = NULL;
    char *note = str_trim(r->arena, note_in ? note_in : "");
    if (!may_decide(r, &s, &w, &why)) err_add(e, 403, "forbidden", NULL, why);
    else if (!is_open(&s)) err_add(e, 409, "conflict", NULL, arena_printf(r->arena, "This suggestion was already %s.", s.status));
    else if (str_empty(note)) err_add(e, 422, "invalid", "note", "Write a short note: why you accept or reject it. The person will read it.");
    else if (utf8_chars(note) > NOTE_MAX) err_add(e, 422, "invalid", "note", "Keep the note to 2000 characters or fewer.");
    int64_t right_id = 0;
    if (!e->n && accept && is_raise(&s)) apply_raise(r, &s, &w, note, e, &right_id);
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    const char *status = accept ? "accepted" : "rejected";
    int rc = db_exec(r->db, SQL_SUGG_DECIDE, "tiitIii", status, r->who.person_id, r->now, note, right_id, s.id, r->who.org_id);
    if (rc != DB_OK) return busy(r, e);
    if (db_changes(r->db) != 1) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", NULL, "This suggestion was decided a moment ago.");
        return -1;
    }
    char *object = arena_printf(r->arena, "autonomy_suggestion:%lld", (long long)s.id);
    char *text;
    if (accept && is_raise(&s)) {
        audit(r, "autonomy.accept", object, "person %lld, %s: %s -> %s (right %lld); note: %s", (long long)s.person_id, s.slug,
              right_text(r->arena, s.current_level, s.current_limit), right_text(r->arena, s.suggested_level, s.suggested_limit), (long long)right_id, note);
        text = arena_printf(r->arena, "%s raised your right for %s: now %s. \"%s\"", r->who.name, s.label,
                            right_text(r->arena, s.suggested_level, s.suggested_limit), note);
    } else if (accept) {
        audit(r, "autonomy.accept", object, "person %lld, %s: coaching conversation agreed; note: %s", (long long)s.person_id, s.slug, note);
        text = arena_printf(r->arena, "%s would like a coaching conversation with you about %s. \"%s\"", r->who.name, s.label, note);
    } else {
        audit(r, "autonomy.reject", object, "person %lld, %s, %s; note: %s", (long long)s.person_id, s.slug, s.kind, note);
        text = arena_printf(r->arena, "%s did not take up the %s suggestion for %s. \"%s\"", r->who.name, is_raise(&s) ? "autonomy" : "coaching",
                            s.label, note);
    }
    notify(r->db, r->who.org_id, s.person_id, r->now, "autonomy", text, arena_printf(r->arena, "/autonomy/%lld", (long long)s.id));
    if (db_commit(r->db) != DB_OK) return busy(r, e);
    if (!sugg_find(r, id, out)) *out = s;
    return 0;
}

/* ---------- API ---------- */

/* GET /api/v1/autonomy/suggestions ?status=open|accepted|rejected
 * ?person_id= ?limit= ?after=: the suggestions the caller may see, by id,
 * paged (member: about themselves; managers: also about the people below
 * them; admins: all). */
int autonomy_api_list(Req *r) {
    int limit;
    int64_t after, person = 0, last = 0;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *st = req_query(r, "status"), *p = req_query(r, "person_id");
    if (st && !*st) st = NULL;
    if (st && strcmp(st, "open") && strcmp(st, "accepted") && strcmp(st, "rejected"))
        return resp_error(r, 400, "invalid_parameter", "status must be open, accepted or rejected.");
    if (p && *p && !parse_id(p, &person)) return resp_error(r, 400, "invalid_parameter", "person_id must be an id.");
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_SUGG_LIST, "iiiitii", r->who.org_id, r->who.person_id, (int64_t)r->who.access, after, st, person, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Sugg g;
        sugg_row(s, r->arena, &g);
        json_array_append_new(items, sugg_json(r, &g, false));
        last = g.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

/* GET /api/v1/autonomy/suggestions/{id}: one suggestion with the decisions
 * behind it (member; same visibility as the list, 404 otherwise). */
int autonomy_api_get(Req *r) {
    Sugg s;
    if (sugg_load(r, &s)) return -1;
    resp_json(r, 200, sugg_json(r, &s, true));
    return 0;
}

static const JField NOTE_FIELDS[] = {{"note", JF_STRING_NULL, 10000}, {0}};

static int api_decide(Req *r, bool accept) {
    json_t *in = req_json_object(r, NOTE_FIELDS);
    if (!in) return -1;
    Errors e = {0};
    Sugg s;
    if (sugg_decide(r, r->params[0], accept, json_str(in, "note"), &e, &s)) return err_send(r, &e);
    resp_json(r, 200, sugg_json(r, &s, false));
    return 0;
}

/* POST /api/v1/autonomy/suggestions/{id}/accept {"note"}: accepts (member
 * with the authority: see may_decide). A raise changes the person's right.
 * 200 with the suggestion; 403, 404, 409 (decided, or the right changed),
 * 422 (no note). */
int autonomy_api_accept(Req *r) { return api_decide(r, true); }

/* POST /api/v1/autonomy/suggestions/{id}/reject {"note"}: rejects; as for
 * accept, but nothing else changes. */
int autonomy_api_reject(Req *r) { return api_decide(r, false); }

/* ---------- pages ---------- */

static void status_badge(Buf *b, const char *status) {
    const char *cls = strcmp(status, "open") == 0 ? "status-proposed" : strcmp(status, "accepted") == 0 ? "status-active" : "status-left";
    html_printf(b, "<span class=\"badge suggestion-%h %s\">%h</span>", status, cls, lang_text(b->lang, status));
}

static void outcome_badge(Buf *b, const char *outcome) {
    const char *cls = strcmp(outcome, "good") == 0 ? "status-active" : strcmp(outcome, "mixed") == 0 ? "status-away" : "status-missed";
    html_printf(b, "<span class=\"badge outcome-%h %s\">%h</span>", outcome, cls, lang_text(b->lang, outcome));
}

/* what_text: the suggestion in a few words, for lists. */
static const char *what_text(Req *r, const Sugg *s) {
    char m1[24], m2[24];
    if (!is_raise(s)) return T(r, "A coaching conversation");
    if (s->suggested_limit >= 0 && s->current_limit >= 0)
        return arena_printf(r->arena, T(r, "Limit %s \xe2\x86\x92 %s"), money_format(s->current_limit, m1), money_format(s->suggested_limit, m2));
    return arena_printf(r->arena, T(r, "Level %d (%s) \xe2\x86\x92 %d (%s)"), s->current_level, T(r, level_name(s->current_level)),
                        s->suggested_level, T(r, level_name(s->suggested_level)));
}

static void fmt_good(char *out, size_t n, int good_halves) {
    if (good_halves % 2) snprintf(out, n, "%d.5", good_halves / 2);
    else snprintf(out, n, "%d", good_halves / 2);
}

/* GET /autonomy: the open suggestions the caller may see, then the decided
 * ones, newest first (member). */
int autonomy_page_list(Req *r) {
    page_begin(r, "Earned autonomy");
    Buf *b = page(r);
    buf_puts(b, "<h1>Earned autonomy</h1><p class=\"lead\">When a record of good outcomes passes the bar for a domain, remit suggests more "
                "room to decide; when outcomes go badly, it suggests a coaching conversation. Nothing changes until a person with the "
                "authority accepts.</p>");
    Stmt *st = db_q(r->db, SQL_SUGG_PAGE, "iii", r->who.org_id, r->who.person_id, (int64_t)r->who.access);
    int nopen = 0, ndone = 0;
    char good[16];
    while (db_step(st) == DB_ROW) {
        Sugg s;
        sugg_row(st, r->arena, &s);
        bool open = is_open(&s);
        if (open && nopen++ == 0)
            buf_puts(b, "<section class=\"card\"><h2>Open</h2><table class=\"list\"><thead><tr><th scope=\"col\">Person</th>"
                        "<th scope=\"col\">Domain</th><th scope=\"col\">Suggestion</th><th scope=\"col\">Evidence</th>"
                        "<th scope=\"col\">Since</th></tr></thead><tbody>");
        if (!open && ndone++ == 0) {
            if (nopen) buf_puts(b, "</tbody></table></section>");
            else buf_puts(b, "<section class=\"card\"><h2>Open</h2><p class=\"muted empty\">No open suggestions.</p></section>");
            buf_puts(b, "<section class=\"card\"><h2>Decided</h2><table class=\"list\"><thead><tr><th scope=\"col\">Person</th>"
                        "<th scope=\"col\">Domain</th><th scope=\"col\">Suggestion</th><th scope=\"col\">Decision</th>"
                        "<th scope=\"col\">Decided</th></tr></thead><tbody>");
        }
        html_printf(b, "<tr><td><a href=\"/autonomy/%D\">%h</a></td><td>%h</td><td>%h</td>", s.id, s.person_name, s.label, what_text(r, &s));
        fmt_good(good, sizeof good, s.good_halves);
        if (open)
            html_printf(b, "<td>%h good of %d, bound %h</td><td>%h</td></tr>", good, s.n, arena_printf(r->arena, "%.3f", s.bound),
                        today_date(r->arena, s.created_at));
        else {
            buf_puts(b, "<td>");
            status_badge(b, s.status);
            html_printf(b, " <span class=\"muted\">by %h</span></td><td>%h</td></tr>", s.decided_name ? s.decided_name : "someone",
                        today_date(r->arena, s.decided_at));
        }
    }
    db_reset(st);
    if (ndone) buf_puts(b, "</tbody></table></section>");
    else if (nopen) buf_puts(b, "</tbody></table></section>");
    else buf_puts(b, "<section class=\"card\"><p class=\"muted empty\">No suggestions yet. They appear as outcomes are recorded.</p></section>");
    page_end(r);
    return 0;
}

/* sugg_view: the suggestion page: what it suggests, the numbers, the
 * decisions behind it, and the accept/reject form for those who may decide.
 * e (may be NULL) holds the problem of a failed post, note what was typed. */
static void sugg_view(Req *r, const Sugg *s, const Errors *e, const char *note) {
    CanWorld w;
    can_load(r->db, r->arena, r->who.org_id, s->domain_id, s->label, r->now, &w);
    const char *why = NULL;
    bool may = may_decide(r, s, &w, &why);
    char good[16], bound[16];
    fmt_good(good, sizeof good, s->good_halves);
    snprintf(bound, sizeof bound, "%.3f", s->bound);
    int bar = autonomy_bar(s->risk);

    const char *title = arena_printf(r->arena, "%s: %s", s->person_name, s->label);
    page_begin(r, title);
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1></div>", title);
    const char *done = req_query(r, "done");
    page_flash(r, done && strcmp(done, "accepted") == 0 ? "Accepted." : done && strcmp(done, "rejected") == 0 ? "Rejected." : NULL);
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[0].msg);

    buf_puts(b, "<section class=\"card\"><h2>What the evidence suggests</h2>");
    char m1[24], m2[24];
    if (is_raise(s) && s->current_limit >= 0 && s->suggested_limit >= 0)
        html_printf(b, "<p class=\"lead\">More room to decide %h for %h: the limit rises from %h to %h (level %d, %h).</p>", s->label, s->person_name,
                    money_format(s->current_limit, m1), money_format(s->suggested_limit, m2), s->suggested_level, level_name(s->suggested_level));
    else if (is_raise(s))
        html_printf(b, "<p class=\"lead\">More room to decide %h for %h: from level %d (%h) to level %d (%h).</p>", s->label, s->person_name,
                    s->current_level, level_name(s->current_level), s->suggested_level, level_name(s->suggested_level));
    else
        html_printf(b, "<p class=\"lead\">A coaching conversation with %h about %h: the recent outcomes have been weak. "
                       "This is a conversation, never an automatic cut; the right stays as it is.</p>",
                    s->person_name, s->label);
    buf_puts(b, "<dl class=\"facts\"><dt>Status</dt><dd>");
    status_badge(b, s->status);
    html_printf(b, "</dd><dt>Current right</dt><dd>%h</dd>", right_page_text(r, s->current_level, s->current_limit));
    if (is_raise(s)) html_printf(b, "<dt>Suggested right</dt><dd>%h</dd>", right_page_text(r, s->suggested_level, s->suggested_limit));
    html_printf(b, "<dt>Reviewed outcomes</dt><dd>%d</dd><dt>Good</dt><dd>%h <span class=\"muted\">(a mixed outcome counts as half)</span></dd>"
                   "<dt>Wilson lower bound (95%%)</dt><dd>%h</dd>",
                s->n, good, bound);
    if (is_raise(s))
        html_printf(b, "<dt>The bar</dt><dd>%h risk: at least %d reviewed outcomes and a bound of at least 0.80, with 3 decisions above half "
                       "the limit and no change to the right in 60 days</dd>",
                    s->risk, bar);
    else
        html_printf(b, "<dt>The bar</dt><dd>%h risk: at least %d reviewed outcomes; a bound below 0.50 asks for a conversation</dd>", s->risk, bar);
    html_printf(b, "<dt>Suggested on</dt><dd>%h</dd>", today_date(r->arena, s->created_at));
    if (!is_open(s))
        html_printf(b, "<dt>Decided</dt><dd>%h by %h</dd><dt>Note</dt><dd>%h</dd>", today_date(r->arena, s->decided_at),
                    s->decided_name ? s->decided_name : "someone", s->note ? s->note : "");
    buf_puts(b, "</dl></section>");

    buf_puts(b, "<section class=\"card\"><h2>The decisions behind it</h2>");
    Stmt *st = db_q(r->db, SQL_EVIDENCE, "iiii", r->who.org_id, s->person_id, s->domain_id, s->created_at);
    int n = 0;
    char m[24];
    while (db_step(st) == DB_ROW) {
        if (n++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Requested</th><th scope=\"col\">Decision</th>"
                        "<th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\">Outcome</th><th scope=\"col\">Lesson</th></tr></thead><tbody>");
        html_printf(b, "<tr><td>%h</td><td><a href=\"/decisions/%D\">%h</a></td><td class=\"num\">%h</td><td>", today_date(r->arena, db_int(st, 5)),
                    db_int(st, 0), db_text(st, 1), db_null(st, 2) ? "" : money_format(db_int(st, 2), m));
        outcome_badge(b, db_text(st, 3));
        html_printf(b, "</td><td>%h</td></tr>", db_text(st, 4));
    }
    db_reset(st);
    buf_puts(b, n ? "</tbody></table>" : "<p class=\"muted empty\">The decisions are no longer on record.</p>");
    buf_puts(b, "</section>");

    if (is_open(s) && may) {
        buf_puts(b, "<section class=\"card\"><h2>Your decision</h2>");
        form_begin(r, arena_printf(r->arena, "/autonomy/%lld/accept", (long long)s->id), NULL);
        form_textarea(r, "note", "Note", note ? note : "", e ? err_for(e, "note") : NULL, "Why you accept or reject it; the person will read it.");
        html_printf(b, "<div class=\"actions\"><button type=\"submit\">%h</button>"
                       "<button type=\"submit\" class=\"secondary\" formaction=\"/autonomy/%D/reject\">Reject</button></div></form></section>",
                    T(r, is_raise(s) ? N_("Accept: grant the suggested right") : N_("Accept: agree to the conversation")), s->id);
    } else if (is_open(s)) {
        html_printf(b, "<section class=\"card\"><p class=\"muted\">%h</p></section>", why);
    }
    buf_puts(b, "<p><a href=\"/autonomy\">All suggestions</a></p>");
    page_end(r);
}

/* GET /autonomy/{id} ?done=accepted|rejected: one suggestion with its
 * evidence (member; same visibility as the API). */
int autonomy_page_view(Req *r) {
    Sugg s;
    if (sugg_load(r, &s)) return -1;
    sugg_view(r, &s, NULL, NULL);
    return 0;
}

/* page_decide: the form post behind accept and reject: redirects to the
 * suggestion with a flash, shows the page again with the problem (409, 422),
 * or an error page (403, 404). */
static int page_decide(Req *r, bool accept) {
    Errors e = {0};
    Sugg s;
    const char *note = req_form(r, "note");
    if (sugg_decide(r, r->params[0], accept, note, &e, &s)) {
        if (e.status != 409 && e.status != 422) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
        if (!sugg_find(r, r->params[0], &s)) return resp_error(r, 404, "not_found", "There is no such suggestion.");
        sugg_view(r, &s, &e, note);
        r->resp.status = e.status;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/autonomy/%lld?done=%s", (long long)s.id, accept ? "accepted" : "rejected"));
    return 0;
}

/* POST /autonomy/{id}/accept (note): accepts (see the API). */
int autonomy_page_accept(Req *r) { return page_decide(r, true); }

/* POST /autonomy/{id}/reject (note): rejects (see the API). */
int autonomy_page_reject(Req *r) { return page_decide(r, false); }

/* ---------- the home page (shell.c's registry) ---------- */

/* The open suggestions about others the caller may see (SUGG_VISIBLE
 * without their own): the people below a manager, everyone for admins. */
static const char SQL_HOME_OPEN[] = BELOW_CTE
    "SELECT count(*) FROM autonomy_suggestion s WHERE s.org_id = ?1 AND s.status = 'open' AND s.person_id <> ?2 "
    "AND (?3 >= 3 OR s.person_id IN below)";

static int64_t open_for_others(Req *r) {
    int64_t n = 0;
    if (r->who.access < ACCESS_MANAGER) return 0;
    db_one_int(r->db, &n, SQL_HOME_OPEN, "iii", r->who.org_id, r->who.person_id, (int64_t)r->who.access);
    return n;
}

/* autonomy_home_items: open suggestions about people in the caller's part
 * of the organisation, waiting for someone with authority to answer. */
void autonomy_home_items(Req *r, Home *h) {
    int64_t n = open_for_others(r);
    home_item(h, "autonomy", TN(r, "autonomy suggestion to answer", "autonomy suggestions to answer", n), n, "/autonomy", URGENCY_WAITING);
}

/* autonomy_home_tiles: the same count as a health figure (managers). */
void autonomy_home_tiles(Req *r, Home *h) {
    int64_t n = open_for_others(r);
    home_tile(h, "pending_autonomy", T(r, "pending autonomy suggestions"), arena_printf(r->arena, "%lld", (long long)n), json_integer(n), "/autonomy");
}
