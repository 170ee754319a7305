/* decisions.c: the decision log (accountability). A person logs a decision
 * (/api/v1/decisions, /decisions/new); remit evaluates "Can I?" for them at
 * that moment and stores the verdict with it, so the log shows what the
 * person was allowed to do, not what they claim. The verdict decides the
 * life of the entry: decide and inform are decided at once; advise waits for
 * the advisor's advice and then the author's decision; agree, approve,
 * propose and none wait for the routed person (or a qualified superior) to
 * approve or decline. The author may withdraw a pending entry and records
 * the outcome and the lesson afterwards, which feeds earned autonomy
 * (autonomy_recompute) and the learning library (/learning). This file also
 * owns the inbox (/inbox, /api/v1/inbox), which shows the in-app notifications
 * (written by notify.c), and
 * passing pending items on when a routed person is away or leaves
 * (decisions_reroute_person).
 *
 * Visibility is one SQL condition (VIS_COND) used by every read: authors
 * see their own, people see what is routed to them or what they advised on or
 * answered, managers see their team subtree and everyone below them in the
 * management chain, admins and owners see everything. A decision the caller
 * may not see answers 404, exactly like one that does not exist. Every query
 * filters on the caller's organisation. This file never changes rights,
 * people or suggestions; it only asks autonomy.c to look again. */
#include "remit.h"
#include "handlers.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEC_TITLE_MAX 200  /* characters */
#define DEC_TEXT_MAX 5000  /* characters, for every markdown text */
#define DEC_JSON_TEXT 40000 /* bytes: the parser's guard against absurd bodies */
#define DEC_PAGE_ROWS 50   /* rows of the /decisions table */
#define INBOX_ROWS 200     /* decisions per inbox section (API) */
#define INBOX_PAGE_ROWS 50 /* ... and on the page, oldest first: answering them brings the next */
#define INBOX_NOTES 50     /* notifications shown */
#define LEARN_ROWS 50      /* lessons per search */

typedef struct Decision {
    int64_t id, author_id, domain_id;
    char *author_name, *domain, *domain_label;
    char *title, *context, *options, *rationale;
    int64_t amount;          /* cents; -1 none */
    int risk, reward;
    char *review_on;         /* NULL or YYYY-MM-DD */
    char *verdict;           /* as evaluated when logged */
    int level;               /* 0: no right */
    int64_t limit_cents;     /* -1: none or no limit */
    int64_t right_id;
    char *explanation, *status;
    int64_t route_to;        /* 0: nobody */
    char *route_name;
    int64_t requested_at;
    char *advice;            /* NULL until given */
    int64_t advised_by, advised_at;
    char *advised_name;
    int64_t answered_by, answered_at;
    char *answered_name, *answer_note;
    char *outcome, *account, *learning; /* NULL until recorded */
    int64_t outcome_at;
} Decision;

/* ---------- SQL ---------- */

/* me: the caller (organisation, person, admin 0/1, manager 0/1); myteam: the
 * caller's own team and the teams they lead, with every sub-team (managers
 * only); below: everyone under the caller in the management chain. UNION
 * (not UNION ALL) ends the recursion even when corrupt data holds a loop. */
#define VIS_WITH                                                                                                                    \
    "WITH RECURSIVE me(org, pid, admin, mgr) AS (SELECT ?, ?, ?, ?), "                                                              \
    "myteam(id) AS (SELECT t.id FROM team t JOIN me ON t.org_id = me.org WHERE me.mgr = 1 AND (t.lead_id = me.pid OR t.id = "       \
    "(SELECT p.team_id FROM person p WHERE p.id = me.pid AND p.org_id = me.org)) "                                                  \
    "UNION SELECT t.id FROM team t JOIN myteam s ON t.parent_id = s.id JOIN me ON t.org_id = me.org), "                             \
    "below(id) AS (SELECT p.id FROM person p JOIN me ON p.org_id = me.org WHERE p.manager_id = me.pid "                             \
    "UNION SELECT p.id FROM person p JOIN below b ON p.manager_id = b.id JOIN me ON p.org_id = me.org) "
#define VIS_COND                                                                                                                    \
    "(me.admin = 1 OR d.author_id = me.pid OR d.route_to_id = me.pid OR d.advised_by = me.pid OR d.answered_by = me.pid "         \
    "OR d.author_id IN (SELECT id FROM below) OR au.team_id IN (SELECT id FROM myteam))"
/* For reads already restricted to the caller (the inbox): only me.org. */
#define ME_WITH "WITH me(org) AS (SELECT ?) "

/* The columns decision_row reads. */
#define DEC_COLS                                                                                                                    \
    "SELECT d.id, d.author_id, au.name, d.domain_id, dm.slug, dm.label, d.title, d.amount_cents, d.context, d.options, "           \
    "d.rationale, d.risk, d.reward, d.review_on, d.verdict, d.level, d.limit_cents, d.right_id, d.explanation, d.status, "         \
    "d.route_to_id, rt.name, d.requested_at, d.advice, d.advised_by, ad.name, d.advised_at, d.answered_at, d.answered_by, "        \
    "an.name, d.answer_note, d.outcome, d.account, d.learning, d.outcome_at "
/* The same columns for tables of decisions (the log): the long texts and the
 * names of who advised or answered are left out (NULL). */
#define DEC_COLS_LIGHT                                                                                                              \
    "SELECT d.id, d.author_id, au.name, d.domain_id, dm.slug, dm.label, d.title, d.amount_cents, NULL, NULL, "                     \
    "NULL, d.risk, d.reward, d.review_on, d.verdict, d.level, d.limit_cents, d.right_id, NULL, d.status, "                         \
    "d.route_to_id, NULL, d.requested_at, NULL, d.advised_by, NULL, d.advised_at, d.answered_at, d.answered_by, "                  \
    "NULL, NULL, d.outcome, NULL, NULL, d.outcome_at "
#define DEC_FROM                                                                                                                    \
    "FROM decision d JOIN me ON d.org_id = me.org JOIN person au ON au.id = d.author_id AND au.org_id = d.org_id "                 \
    "JOIN domain dm ON dm.id = d.domain_id AND dm.org_id = d.org_id "                                                               \
    "LEFT JOIN person rt ON rt.id = d.route_to_id AND rt.org_id = d.org_id "                                                        \
    "LEFT JOIN person ad ON ad.id = d.advised_by AND ad.org_id = d.org_id "                                                         \
    "LEFT JOIN person an ON an.id = d.answered_by AND an.org_id = d.org_id "

static const char SQL_DEC_GET[] = VIS_WITH DEC_COLS DEC_FROM "WHERE d.id = ? AND " VIS_COND;

/* Lists read many rows, so they are written for the indexes rather than as
 * VIS_COND over every decision. Admins read the organisation's decisions
 * directly; anyone else reads the candidates they may see (cand: the
 * decisions of vis, the authors they see, plus what was routed to them or
 * that they advised on or answered), the same rule as VIS_COND. Parameters
 * are numbered: ?1 organisation, ?2 caller, ?3 manager (0/1); each list
 * numbers the rest. */
#define CAND_CTES                                                                                                                   \
    "myteam(id) AS (SELECT t.id FROM team t WHERE ?3 = 1 AND t.org_id = ?1 AND (t.lead_id = ?2 OR t.id = "                         \
    "(SELECT p.team_id FROM person p WHERE p.id = ?2 AND p.org_id = ?1)) "                                                          \
    "UNION SELECT t.id FROM team t JOIN myteam s ON t.parent_id = s.id WHERE t.org_id = ?1), "                                      \
    "below(id) AS (SELECT p.id FROM person p WHERE p.org_id = ?1 AND p.manager_id = ?2 "                                            \
    "UNION SELECT p.id FROM person p JOIN below b ON p.manager_id = b.id WHERE p.org_id = ?1), "                                    \
    "vis(id) AS (SELECT ?2 UNION SELECT id FROM below UNION SELECT p.id FROM myteam t CROSS JOIN person p WHERE p.team_id = t.id AND p.org_id = ?1), " \
    "cand(id) AS (SELECT d.id FROM vis JOIN decision d ON d.author_id = vis.id UNION SELECT id FROM decision WHERE route_to_id = ?2 "  \
    "UNION SELECT id FROM decision WHERE advised_by = ?2 UNION SELECT id FROM decision WHERE answered_by = ?2)"
/* CROSS JOIN: SQLite keeps d as the outer loop (read in id order through
 * the index that suits the filters) instead of looping over domains or
 * people first; the join conditions are in DEC_JOINED. */
#define DEC_JOINS_LIGHT "CROSS JOIN person au CROSS JOIN domain dm "
#define DEC_JOINS                                                                                                                   \
    DEC_JOINS_LIGHT                                                                                                                 \
    "LEFT JOIN person rt ON rt.id = d.route_to_id AND rt.org_id = d.org_id "                                                        \
    "LEFT JOIN person ad ON ad.id = d.advised_by AND ad.org_id = d.org_id "                                                         \
    "LEFT JOIN person an ON an.id = d.answered_by AND an.org_id = d.org_id "
#define DEC_JOINED "au.id = d.author_id AND au.org_id = d.org_id AND dm.id = d.domain_id AND dm.org_id = d.org_id "
/* the log's team filter (?5) with its sub-teams */
#define FTEAM_CTE                                                                                                                   \
    "fteam(id) AS (SELECT t.id FROM team t WHERE t.id = ?5 AND t.org_id = ?1 "                                                      \
    "UNION SELECT t.id FROM team t JOIN fteam f ON t.parent_id = f.id WHERE t.org_id = ?1) "

static const char SQL_INBOX_APPROVALS[] = ME_WITH DEC_COLS DEC_FROM
    "WHERE d.route_to_id = ? AND d.status = 'pending' AND d.verdict IN ('agree','approve','propose','none') ORDER BY d.id LIMIT ?";
static const char SQL_INBOX_ADVICE[] = ME_WITH DEC_COLS DEC_FROM
    "WHERE d.route_to_id = ? AND d.status = 'pending' AND d.verdict = 'advise' AND d.advice IS NULL ORDER BY d.id LIMIT ?";
static const char SQL_INBOX_DECIDE[] = ME_WITH DEC_COLS DEC_FROM
    "WHERE d.author_id = ? AND d.status = 'pending' AND d.verdict = 'advise' AND d.advice IS NOT NULL ORDER BY d.id LIMIT ?";
static const char SQL_INBOX_REVIEWS[] = ME_WITH DEC_COLS DEC_FROM
    "WHERE d.author_id = ? AND d.status IN ('decided','approved') AND d.outcome IS NULL AND d.review_on IS NOT NULL "
    "AND d.review_on <= ? ORDER BY d.review_on, d.id LIMIT ?";
static const char SQL_DEC_INSERT[] =
    "INSERT INTO decision(org_id, author_id, domain_id, title, amount_cents, context, options, rationale, risk, reward, review_on, "
    "verdict, level, limit_cents, right_id, explanation, status, route_to_id, requested_at, created_at) "
    "VALUES (?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?, ?, ?, ?)";
/* Every state change names the state it starts from, so that two people
 * acting at once cannot both succeed: the second changes no row (409). */
static const char SQL_DEC_ADVICE[] =
    "UPDATE decision SET advice = ?, advised_by = ?, advised_at = ? WHERE id = ? AND org_id = ? AND status = 'pending' "
    "AND verdict = 'advise' AND advice IS NULL AND route_to_id = ?";
static const char SQL_DEC_DECIDE[] =
    "UPDATE decision SET status = 'decided', answered_at = ?, answered_by = ?, answer_note = ? WHERE id = ? AND org_id = ? "
    "AND status = 'pending' AND verdict = 'advise' AND advice IS NOT NULL AND author_id = ?";
static const char SQL_DEC_ANSWER[] =
    "UPDATE decision SET status = ?, answered_at = ?, answered_by = ?, answer_note = ? WHERE id = ? AND org_id = ? "
    "AND status = 'pending' AND verdict IN ('agree','approve','propose','none')";
static const char SQL_DEC_WITHDRAW[] =
    "UPDATE decision SET status = 'withdrawn', answered_at = ?, answered_by = ?, answer_note = ? WHERE id = ? AND org_id = ? "
    "AND status = 'pending' AND author_id = ?";
static const char SQL_DEC_OUTCOME[] =
    "UPDATE decision SET outcome = ?, account = ?, learning = ?, outcome_at = ? WHERE id = ? AND org_id = ? "
    "AND status IN ('decided','approved') AND outcome IS NULL AND author_id = ?";
static const char SQL_REROUTE_PENDING[] =
    "SELECT id, author_id, domain_id, verdict, amount_cents, title FROM decision WHERE org_id = ? AND route_to_id = ? "
    "AND status = 'pending' AND NOT (verdict = 'advise' AND advice IS NOT NULL) ORDER BY domain_id, id";
static const char SQL_REROUTE_SET[] = "UPDATE decision SET route_to_id = ? WHERE id = ? AND org_id = ? AND status = 'pending'";
static const char SQL_NOTES[] = "SELECT id, at, kind, text, link, read_at FROM notification WHERE org_id = ? AND person_id = ? ORDER BY id DESC LIMIT ?";
static const char SQL_NOTES_READ[] = "UPDATE notification SET read_at = ? WHERE org_id = ? AND person_id = ? AND read_at IS NULL";
static const char SQL_DOMAIN_OPTIONS[] = "SELECT slug, label FROM domain WHERE org_id = ? ORDER BY label, id LIMIT 1000";
static const char SQL_PEOPLE_OPTIONS[] = "SELECT id, name FROM person WHERE org_id = ? ORDER BY lower(name), id LIMIT 5000";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 2000";

static const char *const DEC_STATUSES[] = {N_("decided"), N_("pending"), N_("approved"), N_("declined"), N_("withdrawn"), NULL};
static const char *const OUTCOMES[] = {N_("good"), N_("mixed"), N_("bad"), NULL};

/* ---------- small helpers ---------- */

static bool one_of(const char *s, const char *const *list) {
    for (int i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static bool eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static bool approval_verdict(const char *v) { return eq(v, "agree") || eq(v, "approve") || eq(v, "propose") || eq(v, "none"); }

static int vis_admin(Req *r) { return r->who.access >= ACCESS_ADMIN; }
static int vis_mgr(Req *r) { return r->who.access >= ACCESS_MANAGER; }

/* day_start: unix seconds at 00:00 UTC of a valid YYYY-MM-DD. */
static int64_t day_start(const char *date) {
    struct tm tm = {0};
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8);
    return (int64_t)timegm(&tm);
}

/* when: "23 Nov 2026 10:00" (UTC) for pages, in the reader's language;
 * arena-owned. */
static const char *when(Req *r, int64_t t) {
    char *s = iso_time(r->arena, t);
    s[16] = 0;
    return arena_printf(r->arena, "%s %s", fmt_date(r, s), s + 11);
}

static const char *money(Req *r, int64_t cents) { return cents < 0 ? NULL : fmt_money(r, cents); }

/* ---------- loading ---------- */

/* decision_row: the current row of a DEC_COLS statement into d; strings are
 * copied to the arena. */
static void decision_row(Stmt *s, Arena *a, Decision *d) {
    d->id = db_int(s, 0);
    d->author_id = db_int(s, 1);
    d->author_name = db_dup(s, 2, a);
    d->domain_id = db_int(s, 3);
    d->domain = db_dup(s, 4, a);
    d->domain_label = db_dup(s, 5, a);
    d->title = db_dup(s, 6, a);
    d->amount = db_null(s, 7) ? -1 : db_int(s, 7);
    d->context = arena_strdup(a, db_text(s, 8));
    d->options = arena_strdup(a, db_text(s, 9));
    d->rationale = arena_strdup(a, db_text(s, 10));
    d->risk = (int)db_int(s, 11);
    d->reward = (int)db_int(s, 12);
    d->review_on = db_dup(s, 13, a);
    d->verdict = db_dup(s, 14, a);
    d->level = (int)db_int(s, 15);
    d->limit_cents = db_null(s, 16) ? -1 : db_int(s, 16);
    d->right_id = db_int(s, 17);
    d->explanation = arena_strdup(a, db_text(s, 18));
    d->status = db_dup(s, 19, a);
    d->route_name = db_dup(s, 21, a);
    d->route_to = d->route_name ? db_int(s, 20) : 0; /* someone outside the org is nobody */
    d->requested_at = db_int(s, 22);
    d->advice = db_dup(s, 23, a);
    d->advised_by = db_int(s, 24);
    d->advised_name = db_dup(s, 25, a);
    d->advised_at = db_int(s, 26);
    d->answered_at = db_int(s, 27);
    d->answered_by = db_int(s, 28);
    d->answered_name = db_dup(s, 29, a);
    d->answer_note = db_dup(s, 30, a);
    d->outcome = db_dup(s, 31, a);
    d->account = db_dup(s, 32, a);
    d->learning = db_dup(s, 33, a);
    d->outcome_at = db_int(s, 34);
}

/* decision_rows: every row of s (bound, fresh) as an arena-owned array. */
static Decision *decision_rows(Req *r, Stmt *s, int *n) {
    int cap = 16;
    Decision *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        decision_row(s, r->arena, &v[(*n)++]);
    }
    db_reset(s);
    return v;
}

/* decision_find: decision id if the caller may see it. 1 found, 0 not. */
static int decision_find(Req *r, int64_t id, Decision *d) {
    Stmt *s = db_q(r->db, SQL_DEC_GET, "iiiii", r->who.org_id, r->who.person_id, (int64_t)vis_admin(r), (int64_t)vis_mgr(r), id);
    int found = db_step(s) == DB_ROW;
    if (found) decision_row(s, r->arena, d);
    db_reset(s);
    return found;
}

/* decisions_may_see: whether the caller may see decision id (recognition cites). */
bool decisions_may_see(Req *r, int64_t id) { Decision d; return decision_find(r, id, &d) != 0; }

/* decision_load: the decision of the route's {id}; -1 after sending 404
 * (also when the caller may not see it). */
static int decision_load(Req *r, Decision *d) {
    if (r->nparams < 1 || !decision_find(r, r->params[0], d)) return resp_error(r, 404, "not_found", "There is no such decision.");
    return 0;
}

static json_t *decision_json(Req *r, const Decision *d) {
    char m[24];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "author", json_ref(d->author_id, d->author_name));
    json_object_set_new(o, "domain", json_text(d->domain));
    json_object_set_new(o, "domain_label", json_text(d->domain_label));
    json_object_set_new(o, "title", json_text(d->title));
    json_object_set_new(o, "amount", d->amount >= 0 ? json_string(money_format(d->amount, m)) : json_null());
    json_object_set_new(o, "context", json_text(d->context));
    json_object_set_new(o, "options", json_text(d->options));
    json_object_set_new(o, "rationale", json_text(d->rationale));
    json_object_set_new(o, "risk", json_integer(d->risk));
    json_object_set_new(o, "reward", json_integer(d->reward));
    json_object_set_new(o, "review_on", json_text(d->review_on));
    json_object_set_new(o, "verdict", json_text(d->verdict));
    json_object_set_new(o, "level", d->level ? json_integer(d->level) : json_null());
    json_object_set_new(o, "limit", d->limit_cents >= 0 ? json_string(money_format(d->limit_cents, m)) : json_null());
    json_object_set_new(o, "explanation", json_text(d->explanation));
    json_object_set_new(o, "status", json_text(d->status));
    json_object_set_new(o, "route_to", json_ref(d->route_to, d->route_name));
    json_object_set_new(o, "requested_at", json_time(r->arena, d->requested_at));
    json_object_set_new(o, "advice", json_text(d->advice));
    json_object_set_new(o, "advised_by", json_ref(d->advised_by, d->advised_name));
    json_object_set_new(o, "advised_at", json_time(r->arena, d->advised_at));
    json_object_set_new(o, "answered_at", json_time(r->arena, d->answered_at));
    json_object_set_new(o, "answered_by", json_ref(d->answered_by, d->answered_name));
    json_object_set_new(o, "answer_note", json_text(d->answer_note));
    json_object_set_new(o, "outcome", json_text(d->outcome));
    json_object_set_new(o, "account", json_text(d->account));
    json_object_set_new(o, "learning", json_text(d->learning));
    json_object_set_new(o, "outcome_at", json_time(r->arena, d->outcome_at));
    return o;
}

static json_t *decisions_json(Req *r, const Decision *v, int n) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, decision_json(r, &v[i]));
    return a;
}

/* ---------- notifications ---------- */

static char *dec_link(Arena *a, int64_t id) { return arena_printf(a, "/decisions/%lld", (long long)id); }

/* ---------- who may do what ---------- */

enum { ACT_ADVICE, ACT_DECIDE, ACT_APPROVE, ACT_DECLINE, ACT_WITHDRAW, ACT_OUTCOME };
/* per action: the ?done= word of the page it returns to, and its audit action */
static const char *const ACT_DONE[] = {"advice", "decided", "approved", "declined", "withdrawn", "outcome"};
static const char *const ACT_AUDIT[] = {"decision.advice", "decision.decide", "decision.approve", "decision.decline", "decision.withdraw", "decision.outcome"};

/* may_answer: whether the caller may approve or decline d: never its
 * author; the routed person; anyone above the routed person in the
 * management chain who may decide this domain and amount on their own
 * (level 5-7 covering it); and, when nobody is routed, admins and owners. */
static bool may_answer(Req *r, const Decision *d) {
    int64_t me = r->who.person_id;
    if (d->author_id == me) return false;
    if (d->route_to == me) return true;
    if (!d->route_to) return r->who.access >= ACCESS_ADMIN;
    if (!person_is_below(r->db, r->who.org_id, d->route_to, me)) return false;
    CanWorld w;
    can_load(r->db, r->arena, r->who.org_id, d->domain_id, d->domain_label, r->now, &w);
    const CanPerson *p = can_find(&w, me);
    const CanRight *best = p ? can_best_right(p, w.today, d->amount, NULL) : NULL;
    return best && best->level >= 5;
}

static bool act_allowed(Req *r, const Decision *d, int act) {
    int64_t me = r->who.person_id;
    switch (act) {
    case ACT_ADVICE: return d->route_to == me && d->author_id != me;
    case ACT_APPROVE:
    case ACT_DECLINE: return may_answer(r, d);
    default: return d->author_id == me;
    }
}

static const char *act_forbidden(Req *r, const Decision *d, int act) {
    switch (act) {
    case ACT_ADVICE: return "Only the person asked for advice can give it.";
    case ACT_APPROVE:
    case ACT_DECLINE:
        if (d->author_id == r->who.person_id) return "Nobody can approve or decline their own decision.";
        return d->route_to ? arena_printf(r->arena, "Only %s, or someone above them who may decide this, can answer it.", d->route_name)
                           : "Only an admin or owner can answer this decision.";
    case ACT_DECIDE: return "Only the author decides after advice.";
    case ACT_WITHDRAW: return "Only the author can withdraw a decision.";
    default: return "Only the author records the outcome of a decision.";
    }
}

/* act_conflict: why d is not in the state the action needs, or NULL. */
static const char *act_conflict(const Decision *d, int act) {
    bool pending = eq(d->status, "pending");
    switch (act) {
    case ACT_ADVICE:
        if (!pending || !eq(d->verdict, "advise")) return "This decision is not waiting for advice.";
        return d->advice ? "Advice has already been given on this decision." : NULL;
    case ACT_DECIDE:
        if (!pending || !eq(d->verdict, "advise")) return "This decision is not waiting for you to decide it.";
        return d->advice ? NULL : "Wait for the advice before you decide.";
    case ACT_APPROVE:
    case ACT_DECLINE: return pending && approval_verdict(d->verdict) ? NULL : "This decision is not waiting for approval.";
    case ACT_WITHDRAW: return pending ? NULL : "Only a pending decision can be withdrawn.";
    default:
        if (!eq(d->status, "decided") && !eq(d->status, "approved"))
            return "An outcome can be recorded only for a decision that was decided or approved.";
        return d->outcome ? "The outcome of this decision has already been recorded." : NULL;
    }
}

/* What an action brings: advice or a note, and for the outcome its fields. */
typedef struct ActIn {
    const char *text, *outcome, *account, *learning;
} ActIn;

/* text_check: trims *v (NULL stays NULL) and checks its length. */
static void text_check(Req *r, const char **v, const char *field, const char *label, Errors *e) {
    if (!*v) return;
    *v = str_trim(r->arena, *v);
    if (utf8_chars(*v) > DEC_TEXT_MAX)
        err_add(e, 422, "invalid", field, arena_printf(r->arena, "Keep the %s to %d characters or fewer.", label, DEC_TEXT_MAX));
}

/* decision_act: takes one action on d for the caller: checks who (403),
 * the state (409) and the input (422), then changes the row, notifies,
 * audits and, for an outcome, asks autonomy.c to look again, all in one
 * transaction. 0 ok; -1 with the problem in e and nothing changed. */
static int decision_act(Req *r, const Decision *d, int act, const ActIn *in, Errors *e) {
    if (!act_allowed(r, d, act)) {
        err_add(e, 403, "forbidden", NULL, act_forbidden(r, d, act));
        return -1;
    }
    const char *conflict = act_conflict(d, act);
    if (conflict) {
        err_add(e, 409, "conflict", NULL, conflict);
        return -1;
    }
    ActIn v = *in;
    const char *field = act == ACT_ADVICE ? "advice" : "note";
    if (act != ACT_OUTCOME) text_check(r, &v.text, field, act == ACT_ADVICE ? "advice" : "note", e);
    if (act == ACT_ADVICE && str_empty(v.text)) err_add(e, 422, "invalid", "advice", "Write your advice.");
    if (v.text && !*v.text) v.text = NULL;
    if (act == ACT_OUTCOME) {
        if (!one_of(v.outcome, OUTCOMES)) err_add(e, 422, "invalid", "outcome", "Say how it turned out: good, mixed or bad.");
        text_check(r, &v.account, "account", "account", e);
        text_check(r, &v.learning, "learning", "lesson", e);
        if (v.account && !*v.account) v.account = NULL;
        if (v.learning && !*v.learning) v.learning = NULL;
    }
    if (e->n) return -1;

    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t me = r->who.person_id, org = r->who.org_id;
    int rc;
    switch (act) {
    case ACT_ADVICE: rc = db_exec(r->db, SQL_DEC_ADVICE, "tiiiii", v.text, me, r->now, d->id, org, me); break;
    case ACT_DECIDE: rc = db_exec(r->db, SQL_DEC_DECIDE, "iitiii", r->now, me, v.text, d->id, org, me); break;
    case ACT_APPROVE:
    case ACT_DECLINE:
        rc = db_exec(r->db, SQL_DEC_ANSWER, "tiitii", act == ACT_APPROVE ? "approved" : "declined", r->now, me, v.text, d->id, org);
        break;
    case ACT_WITHDRAW: rc = db_exec(r->db, SQL_DEC_WITHDRAW, "iitiii", r->now, me, v.text, d->id, org, me); break;
    default: rc = db_exec(r->db, SQL_DEC_OUTCOME, "tttiiii", v.outcome, v.account, v.learning, r->now, d->id, org, me); break;
    }
    if (rc == DB_OK && db_changes(r->db) != 1) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", NULL, "The decision changed in the meantime; reload it to see where it stands.");
        return -1;
    }
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    Arena *a = r->arena;
    const char *link = dec_link(a, d->id), *who = r->who.name;
    switch (act) {
    case ACT_ADVICE:
        notify(r->db, org, d->author_id, r->now, "advice_given", arena_printf(a, "%s gave advice on your decision \"%s\"; decide it now.", who, d->title), link);
        break;
    case ACT_DECIDE:
        if (d->advised_by && d->advised_by != me)
            notify(r->db, org, d->advised_by, r->now, "decision_decided", arena_printf(a, "%s decided \"%s\" after your advice.", who, d->title), link);
        break;
    case ACT_APPROVE:
    case ACT_DECLINE:
        notify(r->db, org, d->author_id, r->now, act == ACT_APPROVE ? "decision_approved" : "decision_declined",
               arena_printf(a, "%s %s your decision \"%s\".", who, act == ACT_APPROVE ? "approved" : "declined", d->title), link);
        break;
    case ACT_WITHDRAW:
        if (d->route_to && !(eq(d->verdict, "advise") && d->advice))
            notify(r->db, org, d->route_to, r->now, "decision_withdrawn", arena_printf(a, "%s withdrew \"%s\"; nothing more is needed from you.", who, d->title), link);
        break;
    default: break;
    }
    audit(r, ACT_AUDIT[act], arena_printf(a, "decision:%lld", (long long)d->id), "%s", act == ACT_OUTCOME ? v.outcome : d->title);
    if (act == ACT_OUTCOME) autonomy_recompute(r->db, a, org, d->author_id, d->domain_id, r->now);
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- logging a decision ---------- */

/* What a new decision asks for; risk and reward are 0 when missing and -1
 * when not a whole number from 1 to 5. */
typedef struct DecisionIn {
    const char *domain, *title, *amount, *context, *options, *rationale, *review_on;
    int risk, reward;
} DecisionIn;

static int score(int64_t v) { return v >= 1 && v <= 5 ? (int)v : -1; }

/* decision_create: validates in, evaluates "Can I?" for the caller and
 * stores the decision with its verdict, notifying whoever it is routed to,
 * in one transaction. Every problem is collected first, so a form shows them
 * all; a bad amount comes first (the API answers 400 invalid_amount). 0 ok
 * with *id_out set; -1 with problems in e and nothing stored. */
static int decision_create(Req *r, const DecisionIn *in, Errors *e, int64_t *id_out) {
    Arena *a = r->arena;
    int64_t amount = -1;
    if (in->amount && *in->amount && !money_parse(in->amount, &amount))
        err_add(e, 400, "invalid_amount", "amount", "Amounts are non-negative numbers with at most two decimals, such as 120 or 120.50.");
    Domain dom = {0};
    if (str_empty(in->domain)) err_add(e, 422, "invalid", "domain", "Choose what the decision is about.");
    else if (!domain_by_slug(r, in->domain, &dom)) err_add(e, 422, "unknown_domain", "domain", "There is no such decision domain.");
    const char *title = str_trim(a, in->title ? in->title : "");
    if (str_empty(title)) err_add(e, 422, "invalid", "title", "Give the decision a short title.");
    else if (utf8_chars(title) > DEC_TITLE_MAX) err_add(e, 422, "invalid", "title", "Keep the title to 200 characters or fewer.");
    else if (has_control(title)) err_add(e, 422, "invalid", "title", "The title cannot contain line breaks or control characters.");
    const char *context = in->context ? in->context : "", *options = in->options ? in->options : "", *rationale = in->rationale ? in->rationale : "";
    text_check(r, &context, "context", "context", e);
    text_check(r, &options, "options", "options", e);
    text_check(r, &rationale, "rationale", "rationale", e);
    if (in->risk <= 0) err_add(e, 422, "invalid", "risk", "Rate the risk from 1 (small) to 5 (large).");
    if (in->reward <= 0) err_add(e, 422, "invalid", "reward", "Rate the reward from 1 (small) to 5 (large).");
    const char *review_on = in->review_on && *in->review_on ? in->review_on : NULL;
    if (review_on && !valid_date(review_on)) err_add(e, 422, "invalid", "review_on", "Use a real date written as YYYY-MM-DD.");
    if (e->n) return -1;

    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    /* "Can I?" inside the transaction: the verdict stored is the one that
     * held when the decision was written. */
    CanWorld w;
    CanResult c;
    can_load_cached(r->db, r->who.org_id, dom.id, dom.label, r->now, &w);
    can_evaluate(&w, r->who.person_id, amount, &c);
    const char *status = "pending";
    if (c.verdict == V_DECIDE || c.verdict == V_INFORM || (c.verdict == V_ADVISE && !c.route_to)) status = "decided";
    int rc = db_exec(r->db, SQL_DEC_INSERT, "iiititttiittIiIttIii", r->who.org_id, r->who.person_id, dom.id,
                     title, amount, context, options, rationale, (int64_t)in->risk, (int64_t)in->reward, review_on, verdict_name(c.verdict),
                     (int64_t)c.level, c.limit_cents, c.right_id, c.explanation, status, c.route_to, r->now, r->now);
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    int64_t id = db_last_id(r->db);
    const char *link = dec_link(a, id), *who = r->who.name;
    char m[24];
    const char *about = amount >= 0 ? arena_printf(a, "%s, %s", dom.label, money_format(amount, m)) : dom.label;
    if (c.route_to) {
        if (c.verdict == V_INFORM)
            notify(r->db, r->who.org_id, c.route_to, r->now, "decision_informed",
                   arena_printf(a, "%s decided \"%s\" (%s) and lets you know.", who, title, about), link);
        else if (c.verdict == V_ADVISE)
            notify(r->db, r->who.org_id, c.route_to, r->now, "advice_requested",
                   arena_printf(a, "%s asks for your advice on \"%s\" (%s).", who, title, about), link);
        else
            notify(r->db, r->who.org_id, c.route_to, r->now, "approval_requested",
                   arena_printf(a, "%s asks you to %s \"%s\" (%s).", who, c.verdict == V_AGREE ? "agree to" : "approve", title, about), link);
    }
    audit(r, "decision.create", arena_printf(a, "decision:%lld", (long long)id), "verdict %s, status %s, route_to %lld, amount %s", verdict_name(c.verdict),
          status, (long long)c.route_to, amount >= 0 ? money_format(amount, m) : "none");
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* ---------- passing pending items on ---------- */

typedef struct Pending {
    int64_t id, author_id, domain_id, amount;
    char *verdict, *title;
} Pending;

/* decisions_reroute_person: every pending decision routed to person (who
 * has just become away or left; the caller's transaction already holds the
 * new status) goes to the next one up: advice to the author's nearest
 * available manager, approvals to the nearest decider above the person,
 * else an owner. Decisions that already have their advice wait for their
 * author, not for the advisor, and stay. When nobody is left to take one it
 * stays where it is. The new person and the author are notified. */
void decisions_reroute_person(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t now) {
    int n = 0, cap = 16;
    Pending *v = arena_alloc(a, sizeof *v * (size_t)cap);
    Stmt *s = db_q(db, SQL_REROUTE_PENDING, "ii", org_id, person_id);
    while (db_step(s) == DB_ROW) {
        if (n == cap) v = arena_grow(a, v, &cap, sizeof *v);
        Pending *p = &v[n++];
        p->id = db_int(s, 0);
        p->author_id = db_int(s, 1);
        p->domain_id = db_int(s, 2);
        p->verdict = db_dup(s, 3, a);
        p->amount = db_null(s, 4) ? -1 : db_int(s, 4);
        p->title = db_dup(s, 5, a);
    }
    db_reset(s);

    CanWorld w = {0};
    int64_t loaded = 0; /* the domain w was loaded for (rows come by domain) */
    for (int i = 0; i < n; i++) {
        Pending *p = &v[i];
        if (p->domain_id != loaded) {
            Domain d;
            if (!domain_by_id(db, a, org_id, p->domain_id, &d)) continue;
            can_load(db, a, org_id, d.id, d.label, now, &w);
            loaded = p->domain_id;
        }
        const CanPerson *to = eq(p->verdict, "advise") ? can_manager(&w, p->author_id, p->author_id)
                                                        : can_decider(&w, person_id, p->author_id, p->amount);
        if (!to || to->id == person_id || to->id == p->author_id) continue;
        if (db_exec(db, SQL_REROUTE_SET, "iii", to->id, p->id, org_id) != DB_OK) continue;
        const CanPerson *gone = can_find(&w, person_id), *author = can_find(&w, p->author_id);
        const char *gname = gone ? gone->name : "the person it was waiting for";
        const char *why = gone && gone->status == PERSON_LEFT ? "has left" : "is away";
        const char *link = dec_link(a, p->id);
        notify(db, org_id, to->id, now, "decision_rerouted",
               arena_printf(a, "%s's decision \"%s\" now waits for you, because %s %s.", author ? author->name : "Someone", p->title, gname, why), link);
        notify(db, org_id, p->author_id, now, "decision_rerouted",
               arena_printf(a, "Your decision \"%s\" now waits for %s, because %s %s.", p->title, to->name, gname, why), link);
        audit_db(db, org_id, 0, now, "decision.reroute", arena_printf(a, "decision:%lld", (long long)p->id),
                 arena_printf(a, "route_to %lld->%lld (%s)", (long long)person_id, (long long)to->id, why));
    }
}

/* ---------- JSON API ---------- */

/* The parser's limits are guards against absurd bodies; the real limits
 * (200 characters of title, 5000 of text) are 422s from decision_create. */
static const JField CREATE_FIELDS[] = {
    {"domain", JF_STRING, 200},           {"title", JF_STRING, 2000},          {"amount", JF_STRING_NULL, 40},
    {"context", JF_STRING_NULL, DEC_JSON_TEXT}, {"options", JF_STRING_NULL, DEC_JSON_TEXT}, {"rationale", JF_STRING_NULL, DEC_JSON_TEXT},
    {"risk", JF_INT, 0},                  {"reward", JF_INT, 0},               {"review_on", JF_DATE_NULL, 0},
    {0}};

/* POST /api/v1/decisions {"domain","title","amount","context","options",
 * "rationale","risk","reward","review_on"}: logs a decision; remit
 * evaluates "Can I?" for the caller and routes it (member). 201 with
 * {"id","status","verdict","route_to","explanation"}; 400 invalid_amount;
 * 422 for a missing title, an unknown domain or risk/reward outside 1-5. */
int decisions_api_create(Req *r) {
    json_t *o = req_json_object(r, CREATE_FIELDS);
    if (!o) return -1;
    DecisionIn in = {json_str(o, "domain"), json_str(o, "title"), json_str(o, "amount"), json_str(o, "context"), json_str(o, "options"),
                     json_str(o, "rationale"), json_str(o, "review_on"), 0, 0};
    if (json_has(o, "risk")) in.risk = score(json_integer_value(json_object_get(o, "risk")));
    if (json_has(o, "reward")) in.reward = score(json_integer_value(json_object_get(o, "reward")));
    Errors e = {0};
    int64_t id;
    if (decision_create(r, &in, &e, &id)) return err_send(r, &e);
    Decision d;
    if (!decision_find(r, id, &d)) return resp_error(r, 500, "internal", "The new decision could not be read back.");
    resp_json(r, 201, json_pack("{s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)d.id, "status", d.status, "verdict", d.verdict, "route_to",
                                json_ref(d.route_to, d.route_name), "explanation", json_text(d.explanation)));
    return 0;
}

/* GET /api/v1/decisions/{id}: one decision the caller may see (member;
 * 404 otherwise). */
int decisions_api_get(Req *r) {
    Decision d;
    if (decision_load(r, &d)) return -1;
    resp_json(r, 200, decision_json(r, &d));
    return 0;
}

/* The filters of the log. Dates become [from, to) in unix seconds. */
typedef struct Filter {
    const char *status, *domain, *from_s, *to_s;
    int64_t person, team, from, to;
} Filter;

/* filter_read: the query's filters. strict (the API): a bad value is a 400
 * (-1 after sending it). Otherwise (the page) a bad value is dropped, or
 * for ids made to match nothing, as for an unknown team. */
static int filter_read(Req *r, Filter *f, bool strict) {
    memset(f, 0, sizeof *f);
    const char *v;
    if ((v = req_query(r, "status")) && *v) {
        if (one_of(v, DEC_STATUSES)) f->status = v;
        else if (strict) return resp_error(r, 400, "invalid_parameter", "status must be decided, pending, approved, declined or withdrawn.");
    }
    if ((v = req_query(r, "person_id")) && *v && !parse_id(v, &f->person)) {
        if (strict) return resp_error(r, 400, "invalid_parameter", "person_id must be an id.");
        f->person = -1;
    }
    if ((v = req_query(r, "team_id")) && *v && !parse_id(v, &f->team)) {
        if (strict) return resp_error(r, 400, "invalid_parameter", "team_id must be an id.");
        f->team = -1;
    }
    if ((v = req_query(r, "domain")) && *v) {
        if (utf8_chars(v) <= 100) f->domain = v;
        else if (strict) return resp_error(r, 400, "invalid_parameter", "domain is at most 100 characters.");
    }
    if ((v = req_query(r, "from")) && *v) {
        if (valid_date(v)) f->from_s = v, f->from = day_start(v);
        else if (strict) return resp_error(r, 400, "invalid_parameter", "from must be a date (YYYY-MM-DD).");
    }
    if ((v = req_query(r, "to")) && *v) {
        if (valid_date(v)) f->to_s = v, f->to = day_start(v) + 86400;
        else if (strict) return resp_error(r, 400, "invalid_parameter", "to must be a date (YYYY-MM-DD).");
    }
    return 0;
}

/* dec_select: "[WITH ...] SELECT columns FROM ... WHERE d.org_id = ?1 " for
 * the caller (see CAND_CTES), with fteam when the team filter is on,
 * `first` (NULL for none), a table read before the decisions, and only
 * DEC_COLS_LIGHT when light. */
static void dec_select(Req *r, Buf *b, bool fteam, const char *first, bool light) {
    bool adm = vis_admin(r);
    if (!adm || fteam) buf_puts(b, "WITH RECURSIVE ");
    if (!adm) buf_puts(b, CAND_CTES);
    if (!adm && fteam) buf_puts(b, ", ");
    if (fteam) buf_puts(b, FTEAM_CTE);
    buf_puts(b, light ? " " DEC_COLS_LIGHT : " " DEC_COLS);
    buf_puts(b, "FROM ");
    if (first) buf_puts(b, first), buf_puts(b, " CROSS JOIN ");
    buf_puts(b, light ? "decision d " DEC_JOINS_LIGHT : "decision d " DEC_JOINS);
    /* d.id IN (...): SQLite reads just the candidates, by id, in id order */
    buf_puts(b, adm ? " WHERE " DEC_JOINED "AND d.org_id = ?1 " : " WHERE " DEC_JOINED "AND d.id IN (SELECT id FROM cand) AND d.org_id = ?1 ");
}

/* list_query: the log's statement for f, ids below after (0: newest). Only
 * the filters in use become conditions, so each combination gets the plan
 * that suits it (and its own cached statement). */
static Stmt *list_query(Req *r, const Filter *f, int64_t after, int limit, bool light) {
    Buf b = {0};
    dec_select(r, &b, f->team != 0, NULL, light);
    /* the log is in the order decisions were logged (requested_at, newest
     * first; ids break ties), so after=N means "older than decision N" */
    if (after) buf_puts(&b, "AND (d.requested_at, d.id) < ((SELECT x.requested_at FROM decision x WHERE x.id = ?4 AND x.org_id = ?1), ?4) ");
    if (f->status) buf_puts(&b, "AND d.status = ?6 ");
    /* the author filters name the decisions by id: SQLite then reads just
     * those, through decision_author, however few they are */
    if (f->person) buf_puts(&b, "AND d.id IN (SELECT id FROM decision WHERE author_id = ?7) ");
    if (f->team) {
        /* a small team: its decisions by id; a large part of the
         * organisation: the log in id order, keeping the team's */
        int64_t in_team = 0, all = 1;
        db_one_int(r->db, &in_team, "WITH RECURSIVE " FTEAM_CTE "SELECT count(*) FROM person p WHERE p.team_id IN (SELECT id FROM fteam)", "iiiii", r->who.org_id, (int64_t)0, (int64_t)0, (int64_t)0, f->team);
        db_one_int(r->db, &all, "SELECT count(*) FROM person WHERE org_id = ?", "i", r->who.org_id);
        buf_puts(&b, in_team * 4 < all ? "AND d.id IN (SELECT x.id FROM fteam t JOIN person p ON p.team_id = t.id JOIN decision x ON x.author_id = p.id) "
                                       : "AND au.team_id IN (SELECT id FROM fteam) ");
    }
    /* the domain by id, so that decision_org_domain can serve the filter */
    Domain dom = {.id = -1};
    if (f->domain) domain_by_slug(r, f->domain, &dom), buf_puts(&b, "AND d.domain_id = ?8 ");
    /* Newest first, the log reaches a date window after skipping what is
     * newer: fine for up to a few thousand, else (for admins, who read the
     * whole organisation) the window's decisions are named through
     * decision_org_requested. Anyone else reads just their candidates. */
    int64_t newer = 0;
    if (f->to_s && vis_admin(r))
        db_one_int(r->db, &newer, "SELECT count(*) FROM (SELECT 1 FROM decision WHERE org_id = ? AND requested_at >= ? LIMIT 5000)", "ii",
                   r->who.org_id, f->to);
    if (newer >= 5000)
        buf_puts(&b, f->from_s ? "AND d.id IN (SELECT id FROM decision WHERE org_id = ?1 AND requested_at >= ?9 AND requested_at < ?10) "
                               : "AND d.id IN (SELECT id FROM decision WHERE org_id = ?1 AND requested_at < ?10) ");
    else {
        if (f->from_s) buf_puts(&b, "AND d.requested_at >= ?9 ");
        if (f->to_s) buf_puts(&b, "AND d.requested_at < ?10 ");
    }
    buf_puts(&b, "ORDER BY d.requested_at DESC, d.id DESC LIMIT ?11");
    Stmt *s = db_q(r->db, buf_cstr(&b), "iiiiitiiiii", r->who.org_id, r->who.person_id, (int64_t)vis_mgr(r), after, f->team, f->status, f->person,
                   dom.id, f->from, f->to, (int64_t)limit);
    buf_free(&b);
    return s;
}

/* GET /api/v1/decisions?status=&person_id=&team_id=&domain=&from=&to=
 * &limit=&after=: the decisions the caller may see, newest first (member).
 * person_id is the author; team_id the author's team or any of its
 * sub-teams; from/to are dates of the request, both inclusive. Paging keeps
 * the ?after= contract of every list, read in this list's order: newest
 * logged (requested_at) first, so after=N returns the decisions logged
 * before decision N (ids break ties), and next_after is the id of the
 * oldest one returned. */
int decisions_api_list(Req *r) {
    int limit;
    int64_t after;
    Filter f;
    if (parse_limit_after(r, &limit, &after) || filter_read(r, &f, true)) return -1;
    int n;
    Decision *v = decision_rows(r, list_query(r, &f, after, limit, false), &n);
    resp_json(r, 200, json_page(decisions_json(r, v, n), limit, n ? v[n - 1].id : 0));
    return 0;
}

/* body_or_empty: the JSON body checked against fields, or an empty object
 * when there is no body at all (actions whose fields are all optional). */
static json_t *body_or_empty(Req *r, const JField *fields) {
    if (r->body_len == 0) {
        json_t *o = json_object();
        req_defer_json(r, o);
        return o;
    }
    return req_json_object(r, fields);
}

static const JField ADVICE_FIELDS[] = {{"advice", JF_STRING, DEC_JSON_TEXT}, {0}};
static const JField NOTE_FIELDS[] = {{"note", JF_STRING_NULL, DEC_JSON_TEXT}, {0}};
static const JField OUTCOME_FIELDS[] = {
    {"outcome", JF_STRING, 20}, {"account", JF_STRING_NULL, DEC_JSON_TEXT}, {"learning", JF_STRING_NULL, DEC_JSON_TEXT}, {0}};

/* api_act: one action through the API: 200 with the decision after it. */
static int api_act(Req *r, int act) {
    const JField *fields = act == ACT_ADVICE ? ADVICE_FIELDS : act == ACT_OUTCOME ? OUTCOME_FIELDS : NOTE_FIELDS;
    json_t *o = act == ACT_ADVICE || act == ACT_OUTCOME ? req_json_object(r, fields) : body_or_empty(r, fields);
    if (!o) return -1;
    Decision d;
    if (decision_load(r, &d)) return -1;
    ActIn in = {json_str(o, act == ACT_ADVICE ? "advice" : "note"), json_str(o, "outcome"), json_str(o, "account"), json_str(o, "learning")};
    Errors e = {0};
    if (decision_act(r, &d, act, &in, &e)) return err_send(r, &e);
    if (!decision_find(r, d.id, &d)) return resp_error(r, 500, "internal", "The decision could not be read back.");
    resp_json(r, 200, decision_json(r, &d));
    return 0;
}

/* POST /api/v1/decisions/{id}/advice {"advice"}: the advisor's advice on a
 * pending `advise` decision (member: the person it is routed to; 403 for
 * others, 409 when not waiting for advice). 200 with the decision. */
int decisions_api_advice(Req *r) { return api_act(r, ACT_ADVICE); }

/* POST /api/v1/decisions/{id}/decide {"note"?}: the author decides after
 * the advice (member: the author; 409 before advice). */
int decisions_api_decide(Req *r) { return api_act(r, ACT_DECIDE); }

/* POST /api/v1/decisions/{id}/approve {"note"?}: approves a pending
 * decision (member: the routed person or a superior who may decide it;
 * never the author: 403). */
int decisions_api_approve(Req *r) { return api_act(r, ACT_APPROVE); }

/* POST /api/v1/decisions/{id}/decline {"note"?}: declines it (as approve). */
int decisions_api_decline(Req *r) { return api_act(r, ACT_DECLINE); }

/* POST /api/v1/decisions/{id}/withdraw {"note"?}: the author withdraws a
 * pending decision (member: the author). */
int decisions_api_withdraw(Req *r) { return api_act(r, ACT_WITHDRAW); }

/* POST /api/v1/decisions/{id}/outcome {"outcome":"good"|"mixed"|"bad",
 * "account","learning"}: the author records how it went, once, for a
 * decided or approved decision (member: the author; 409 otherwise). */
int decisions_api_outcome(Req *r) { return api_act(r, ACT_OUTCOME); }

/* The four lists of the inbox, for the caller. */
typedef struct Inbox {
    Decision *approvals, *advice, *to_decide, *reviews;
    int napprovals, nadvice, nto_decide, nreviews;
} Inbox;

static void inbox_load(Req *r, Inbox *in, int64_t lim) {
    int64_t org = r->who.org_id, me = r->who.person_id;
    in->approvals = decision_rows(r, db_q(r->db, SQL_INBOX_APPROVALS, "iii", org, me, lim), &in->napprovals);
    in->advice = decision_rows(r, db_q(r->db, SQL_INBOX_ADVICE, "iii", org, me, lim), &in->nadvice);
    in->to_decide = decision_rows(r, db_q(r->db, SQL_INBOX_DECIDE, "iii", org, me, lim), &in->nto_decide);
    in->reviews = decision_rows(r, db_q(r->db, SQL_INBOX_REVIEWS, "iiti", org, me, today_date(r->arena, r->now), lim), &in->nreviews);
}

/* GET /api/v1/inbox: what waits for the caller: approvals and advice asked
 * of them, their advised decisions ready to decide, their reviews due, and
 * the newest 50 notifications (member). Reading does not mark them read. */
int decisions_api_inbox(Req *r) {
    Inbox in;
    inbox_load(r, &in, INBOX_ROWS);
    json_t *notes = json_array();
    Stmt *s = db_q(r->db, SQL_NOTES, "iii", r->who.org_id, r->who.person_id, (int64_t)INBOX_NOTES);
    while (db_step(s) == DB_ROW)
        json_array_append_new(notes, json_pack("{s:I,s:s,s:o,s:o,s:o,s:b}", "id", (json_int_t)db_int(s, 0), "at", iso_time(r->arena, db_int(s, 1)),
                                               "kind", json_text(db_text(s, 2)), "text", json_text(db_text(s, 3)), "link", json_text(db_text(s, 4)), "read",
                                               !db_null(s, 5)));
    db_reset(s);
    json_t *o = json_object();
    json_object_set_new(o, "approvals", decisions_json(r, in.approvals, in.napprovals));
    json_object_set_new(o, "advice", decisions_json(r, in.advice, in.nadvice));
    json_object_set_new(o, "to_decide", decisions_json(r, in.to_decide, in.nto_decide));
    json_object_set_new(o, "reviews_due", decisions_json(r, in.reviews, in.nreviews));
    json_object_set_new(o, "notifications", notes);
    resp_json(r, 200, o);
    return 0;
}

/* ---------- pages: shared pieces ---------- */

static const char *status_words(const char *s) { return eq(s, "pending") ? N_("waiting") : s ? s : ""; }

static void status_badge(Buf *b, const char *status) {
    html_printf(b, "<span class=\"badge status-%h\">%h</span>", status, lang_text(b->lang, status_words(status)));
}

static void outcome_badge(Buf *b, const char *outcome) {
    html_printf(b, "<span class=\"badge outcome-%h\">%h</span>", outcome, lang_text(b->lang, outcome));
}

/* where_it_stands: one sentence about the state of d. */
static void where_it_stands(Req *r, Buf *b, const Decision *d) {
    const char *to = d->route_to ? d->route_name : NULL;
    if (eq(d->status, "pending")) {
        if (eq(d->verdict, "advise") && d->advice && d->author_id == r->who.person_id) buf_puts(b, "Advice given; waiting for you to decide.");
        else if (eq(d->verdict, "advise") && d->advice) html_printf(b, "Advice given; waiting for %h to decide.", d->author_name);
        else if (eq(d->verdict, "advise")) html_printf(b, "Waiting for advice from %h.", to ? to : T(r, "an admin or owner"));
        else if (to && eq(d->verdict, "agree")) html_printf(b, "Waiting for %h to agree.", to);
        else if (to) html_printf(b, "Waiting for %h to approve or decline it.", to);
        else buf_puts(b, "Waiting for an admin or owner to answer.");
    } else if (eq(d->status, "decided")) {
        if (eq(d->verdict, "inform") && to) html_printf(b, "Decided; %h was told.", to);
        else if (d->advice) html_printf(b, "Decided after advice from %h.", d->advised_name ? d->advised_name : T(r, "someone"));
        else buf_puts(b, "Decided.");
    } else if (eq(d->status, "approved") || eq(d->status, "declined")) {
        const char *who = d->answered_name ? d->answered_name : T(r, "someone");
        if (eq(d->status, "approved")) html_printf(b, "Approved by %h.", who);
        else html_printf(b, "Declined by %h.", who);
    } else {
        buf_puts(b, "Withdrawn by the author.");
    }
}

/* decision_table: decisions as a table: when, title, author, domain,
 * amount, status. */
static void decision_table(Req *r, const Decision *v, int n, bool show_author) {
    Buf *b = page(r);
    buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Decision</th><th scope=\"col\">Logged</th>");
    if (show_author) buf_puts(b, "<th scope=\"col\">By</th>");
    buf_puts(b, "<th scope=\"col\">About</th><th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\">Status</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        const Decision *d = &v[i];
        char *at = iso_time(r->arena, d->requested_at);
        html_printf(b, "<tr><td><a href=\"/decisions/%D\">%h</a></td><td data-label=\"Logged\"><time datetime=\"%h\">%h</time></td>", d->id, d->title, at,
                    when(r, d->requested_at));
        if (show_author) html_printf(b, "<td data-label=\"By\"><a href=\"/people/%D\">%h</a></td>", d->author_id, d->author_name);
        html_printf(b, "<td data-label=\"About\">%h</td><td class=\"num\" data-label=\"Amount\">%h</td><td>", d->domain_label,
                    d->amount >= 0 ? money(r, d->amount) : "");
        status_badge(b, d->status);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table>");
}

/* domain_select: the domains by label, valued by slug. any_label, when set,
 * is the first (empty) choice. */
static void domain_select(Req *r, const char *selected, const char *label, const char *any_label, const char *error) {
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-domain\">%h</label><select id=\"f-domain\" name=\"domain\"", error ? " has-error" : "", T(r, label));
    if (error) buf_puts(b, " aria-invalid=\"true\" aria-describedby=\"f-domain-err\"");
    buf_puts(b, ">");
    if (any_label) html_printf(b, "<option value=\"\">%h</option>", T(r, any_label));
    Stmt *s = db_q(r->db, SQL_DOMAIN_OPTIONS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        html_printf(b, "<option value=\"%h\"%s>%h</option>", db_text(s, 0), eq(selected, db_text(s, 0)) ? " selected" : "", db_text(s, 1));
    db_reset(s);
    buf_puts(b, "</select>");
    if (error) html_printf(b, "<p class=\"error\" id=\"f-domain-err\">%h</p>", T(r, error));
    buf_puts(b, "</div>");
}

/* score_select: risk or reward, 1 (small) to 5 (large); 0 selects nothing. */
static void score_select(Req *r, const char *name, const char *label, int selected, const char *error) {
    static const char *const words[] = {"", N_("1: very small"), N_("2: small"), N_("3: moderate"), N_("4: large"), N_("5: very large")};
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\"", error ? " has-error" : "", name, T(r, label), name, name);
    if (error) html_printf(b, " aria-invalid=\"true\" aria-describedby=\"f-%h-err\"", name);
    html_printf(b, "><option value=\"\"%s>Choose</option>", selected > 0 ? "" : " selected");
    for (int i = 1; i <= 5; i++) html_printf(b, "<option value=\"%d\"%s>%h</option>", i, i == selected ? " selected" : "", T(r, words[i]));
    buf_puts(b, "</select>");
    if (error) html_printf(b, "<p class=\"error\" id=\"f-%h-err\">%h</p>", name, error);
    buf_puts(b, "</div>");
}

/* filter_params: the filters as "&amp;name=value" pairs for links. */
static void filter_params(Buf *b, const Filter *f) {
    if (f->status) html_printf(b, "&amp;status=%u", f->status);
    if (f->domain) html_printf(b, "&amp;domain=%u", f->domain);
    if (f->person > 0) html_printf(b, "&amp;person_id=%D", f->person);
    if (f->team > 0) html_printf(b, "&amp;team_id=%D", f->team);
    if (f->from_s) html_printf(b, "&amp;from=%u", f->from_s);
    if (f->to_s) html_printf(b, "&amp;to=%u", f->to_s);
}

/* ---------- pages: the log ---------- */

/* GET /decisions?status=&domain=&person_id=&team_id=&from=&to=&after=: the
 * decision log the caller may see, newest first, 50 a page, with a filter
 * form that works without JavaScript (member). */
int decisions_page_list(Req *r) {
    Filter f;
    filter_read(r, &f, false);
    int64_t after = 0;
    const char *a = req_query(r, "after");
    if (a && *a && strcmp(a, "0") != 0 && !parse_id(a, &after)) return resp_error(r, 400, "invalid_parameter", "after must be a decision id.");

    page_begin(r, "Decisions");
    Buf *b = page(r);
    buf_puts(b, "<div class=\"title-row\"><h1>Decisions</h1><div><a class=\"button secondary\" href=\"/learning\">Learning library</a> "
                "<a class=\"button\" href=\"/decisions/new\">Log a decision</a></div></div>"
                "<p class=\"lead\">Who decided what, with what right, and how it turned out.</p>");
    buf_puts(b, "<form method=\"get\" action=\"/decisions\" class=\"card filters\" role=\"search\">");
    buf_puts(b, "<div class=\"field\"><label for=\"f-status\">Status</label><select id=\"f-status\" name=\"status\"><option value=\"\">Any status</option>");
    for (int i = 0; DEC_STATUSES[i]; i++)
        html_printf(b, "<option value=\"%h\"%s>%h</option>", DEC_STATUSES[i], eq(f.status, DEC_STATUSES[i]) ? " selected" : "", T(r, status_words(DEC_STATUSES[i])));
    buf_puts(b, "</select></div>");
    domain_select(r, f.domain, N_("About"), N_("Any domain"), NULL);
    form_select_list(r, "person_id", "By", f.person, options_cached(r, SQL_PEOPLE_OPTIONS), "Anyone", NULL);
    form_select_list(r, "team_id", "Team", f.team, options_cached(r, SQL_TEAM_OPTIONS), "All teams", NULL);
    form_text(r, "from", "From", f.from_s, NULL, "date", false);
    form_text(r, "to", "To", f.to_s, NULL, "date", false);
    buf_puts(b, "<div class=\"actions\"><button type=\"submit\">Filter</button>");
    bool filtered = f.status || f.domain || f.person || f.team || f.from_s || f.to_s;
    if (filtered) buf_puts(b, " <a href=\"/decisions\">Show all</a>");
    buf_puts(b, "</div></form>");
    export_link(r, "/api/v1/decisions");

    int n;
    Decision *v = decision_rows(r, list_query(r, &f, after, DEC_PAGE_ROWS + 1, true), &n);
    bool more = n > DEC_PAGE_ROWS;
    if (more) n = DEC_PAGE_ROWS;
    if (n) decision_table(r, v, n, true);
    else if (filtered || after) buf_puts(b, "<p class=\"muted empty\">No decisions match.</p>");
    else buf_puts(b, "<p class=\"muted empty\">No decisions logged yet. <a href=\"/decisions/new\">Log the first one</a>.</p>");
    if (more || after) {
        buf_puts(b, "<nav class=\"pager\" aria-label=\"Decision log pages\"><ul class=\"plain\">");
        if (after) {
            buf_puts(b, "<li><a href=\"/decisions?after=0");
            filter_params(b, &f);
            html_printf(b, "\">%h</a></li>", T(r, "Newest"));
        }
        if (more) {
            html_printf(b, "<li><a href=\"/decisions?after=%D", v[n - 1].id);
            filter_params(b, &f);
            html_printf(b, "\">%h</a></li>", T(r, "Older"));
        }
        buf_puts(b, "</ul></nav>");
    }
    page_end(r);
    return 0;
}

/* ---------- pages: logging a decision ---------- */

/* decision_form: the new decision form under the "Can I?" box, with what
 * was typed (in) and the problems (e, may be NULL). The box answers at once
 * when the domain (and amount) are known and valid. */
static void decision_form(Req *r, const DecisionIn *in, const Errors *e) {
    CanResult c;
    const CanResult *answer = NULL;
    Domain dom;
    int64_t amount = -1;
    if (!str_empty(in->domain) && domain_by_slug(r, in->domain, &dom) &&
        (str_empty(in->amount) || money_parse(str_trim(r->arena, in->amount), &amount))) {
        CanWorld w;
        can_load(r->db, r->arena, r->who.org_id, dom.id, dom.label, r->now, &w);
        can_evaluate(&w, r->who.person_id, amount, &c);
        answer = &c;
    }
    page_begin(r, "Log a decision");
    Buf *b = page(r);
    buf_puts(b, "<h1>Log a decision</h1><p class=\"lead\">Check first what you may decide. Then write down what you decide and why, "
                "so that others can learn from it.</p>");
    can_box(r, in->domain, in->amount, answer);
    if (answer) protocols_render_for_domain(r, dom.id);
    form_error_summary(r, e ? e->n : 0);
    if (e && e->n && !e->items[0].field) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", e->items[0].msg);
    form_begin(r, "/decisions/new", NULL);
    domain_select(r, in->domain, N_("What is it about?"), N_("Choose a domain"), e ? err_for(e, "domain") : NULL);
    form_text(r, "title", "Title", in->title, e ? err_for(e, "title") : NULL, "text", true);
    form_text(r, "amount", "Amount (optional, such as 120.50)", in->amount, e ? err_for(e, "amount") : NULL, "text", false);
    form_textarea(r, "context", "Context", in->context, e ? err_for(e, "context") : NULL, "What is the situation? Markdown works.");
    form_textarea(r, "options", "Options", in->options, e ? err_for(e, "options") : NULL, "Which options did you consider?");
    form_textarea(r, "rationale", "Rationale", in->rationale, e ? err_for(e, "rationale") : NULL, "Why this option?");
    score_select(r, "risk", N_("Risk"), in->risk > 0 ? in->risk : 0, e ? err_for(e, "risk") : NULL);
    score_select(r, "reward", N_("Reward"), in->reward > 0 ? in->reward : 0, e ? err_for(e, "reward") : NULL);
    form_text(r, "review_on", "Review on (optional: when to look back at how it went)", in->review_on, e ? err_for(e, "review_on") : NULL, "date", false);
    form_end(r, "Log the decision");
    buf_puts(b, "<p><a href=\"/decisions\">Cancel</a></p>");
    page_end(r);
}

/* GET /decisions/new?domain=&amount=: the new decision form with the "Can
 * I?" box above it (member). */
int decisions_page_new(Req *r) {
    DecisionIn in = {req_query(r, "domain"), "", req_query(r, "amount"), "", "", "", "", 0, 0};
    if (in.domain && strlen(in.domain) > 100) in.domain = NULL;
    if (in.amount && strlen(in.amount) > 40) in.amount = NULL;
    decision_form(r, &in, NULL);
    return 0;
}

static int form_score(Req *r, const char *name) {
    const char *v = req_form(r, name);
    int64_t x;
    if (str_empty(v)) return 0;
    return parse_id(v, &x) ? score(x) : -1;
}

/* POST /decisions/new (domain, title, amount, context, options, rationale,
 * risk, reward, review_on): logs the decision and shows it with a word on
 * what happens next; the form again with the problems otherwise (member). */
int decisions_page_new_post(Req *r) {
    DecisionIn in = {req_form(r, "domain"), req_form(r, "title"), req_form(r, "amount"), req_form(r, "context"), req_form(r, "options"),
                     req_form(r, "rationale"), req_form(r, "review_on"), form_score(r, "risk"), form_score(r, "reward")};
    /* a form may carry stray spaces; the API takes exactly what it is sent */
    if (in.review_on) in.review_on = str_trim(r->arena, in.review_on);
    if (in.amount) in.amount = str_trim(r->arena, in.amount);
    Errors e = {0};
    int64_t id;
    if (decision_create(r, &in, &e, &id)) {
        decision_form(r, &in, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/decisions/%lld?done=created", (long long)id));
    return 0;
}

/* ---------- pages: one decision ---------- */

/* done_flash: the word after an action (?done=...), from the stored state. */
static const char *done_flash(Req *r, const Decision *d, const char *done) {
    Arena *a = r->arena;
    const char *to = d->route_to ? d->route_name : NULL;
    if (!done) return NULL;
    if (eq(done, "created")) {
        if (eq(d->status, "decided")) {
            if (eq(d->verdict, "inform") && to) return arena_printf(a, "Logged and decided. %s has been told.", to);
            if (eq(d->verdict, "advise")) return "Logged and decided: there was nobody to ask for advice.";
            return "Logged and decided.";
        }
        if (!to) return "Logged. It waits for an admin or owner to answer.";
        if (eq(d->verdict, "advise")) return arena_printf(a, "Sent to %s for advice.", to);
        if (eq(d->verdict, "agree")) return arena_printf(a, "Sent to %s to agree.", to);
        return arena_printf(a, "Sent to %s for approval.", to);
    }
    if (eq(done, "advice")) return arena_printf(a, "Your advice has been sent to %s.", d->author_name);
    if (eq(done, "decided")) return "Decided. Remember to record how it turns out.";
    if (eq(done, "approved")) return arena_printf(a, "Approved. %s has been told.", d->author_name);
    if (eq(done, "declined")) return arena_printf(a, "Declined. %s has been told.", d->author_name);
    if (eq(done, "withdrawn")) return "Withdrawn.";
    if (eq(done, "outcome")) return "Outcome recorded. Thank you: others can learn from it now.";
    return NULL;
}

static void text_card(Buf *b, const char *heading, const char *md) {
    if (!md || !*md) return;
    html_printf(b, "<section class=\"card\"><h2>%h</h2>", lang_text(b->lang, heading));
    html_markdown(b, md);
    buf_puts(b, "</section>");
}

/* decision_view: the decision page with the forms the caller may use now.
 * e (may be NULL) holds the problem of a failed action, typed what was
 * typed into its form. */
static void decision_view(Req *r, const Decision *d, const Errors *e, const ActIn *typed) {
    Arena *a = r->arena;
    int64_t me = r->who.person_id;
    bool author = d->author_id == me, pending = eq(d->status, "pending");
    page_begin(r, d->title);
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><div>", d->title);
    status_badge(b, d->status);
    buf_puts(b, "</div></div>");
    page_flash(r, done_flash(r, d, req_query(r, "done")));
    if (e && e->n) {
        html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[0].field ? "Please correct the field marked below." : e->items[0].msg);
    }

    buf_puts(b, "<section class=\"card\"><p class=\"lead\">");
    where_it_stands(r, b, d);
    buf_puts(b, "</p><dl class=\"facts\">");
    html_printf(b, "<dt>Logged by</dt><dd><a href=\"/people/%D\">%h</a>, <time datetime=\"%h\">%h</time></dd>", d->author_id, d->author_name,
                iso_time(a, d->requested_at), when(r, d->requested_at));
    html_printf(b, "<dt>About</dt><dd>%h</dd>", d->domain_label);
    if (d->amount >= 0) html_printf(b, "<dt>Amount</dt><dd>%h</dd>", money(r, d->amount));
    html_printf(b, "<dt>Risk</dt><dd>%d of 5</dd><dt>Reward</dt><dd>%d of 5</dd>", d->risk, d->reward);
    if (d->review_on) html_printf(b, "<dt>Review on</dt><dd><time datetime=\"%h\">%h</time></dd>", d->review_on, d->review_on);
    if (d->route_to)
        html_printf(b, "<dt>%h</dt><dd><a href=\"/people/%D\">%h</a></dd>",
                    T(r, eq(d->verdict, "inform") ? N_("Told") : eq(d->verdict, "advise") ? N_("Advisor") : N_("Answer from")), d->route_to, d->route_name);
    buf_puts(b, "</dl></section>");

    html_printf(b, "<section class=\"card\"><h2>What \"Can I?\" said</h2><p class=\"verdict verdict-%h\"><strong>%h</strong></p><p>%h</p>", d->verdict,
                T(r, verdict_headline(verdict_parse(d->verdict))), d->explanation);
    if (d->level) {
        html_printf(b, "<p class=\"muted\">Delegation level %d (%h)", d->level, T(r, level_name(d->level)));
        if (d->limit_cents >= 0) html_printf(b, ", limit %h", money(r, d->limit_cents));
        buf_puts(b, ".</p>");
    }
    buf_puts(b, "</section>");
    text_card(b, N_("Context"), d->context);
    text_card(b, N_("Options considered"), d->options);
    text_card(b, N_("Rationale"), d->rationale);
    if (d->advice) {
        html_printf(b, "<section class=\"card\"><h2>Advice</h2><p class=\"muted\">From %h, <time datetime=\"%h\">%h</time></p>",
                    d->advised_name ? d->advised_name : "someone", iso_time(a, d->advised_at), when(r, d->advised_at));
        html_markdown(b, d->advice);
        buf_puts(b, "</section>");
    }
    if (d->answered_at && !pending) {
        const char *what = eq(d->status, "approved") ? "Approved" : eq(d->status, "declined") ? "Declined" : eq(d->status, "withdrawn") ? N_("Withdrawn") : N_("Decided");
        html_printf(b, "<section class=\"card\"><h2>%h</h2><p class=\"muted\">By %h, <time datetime=\"%h\">%h</time></p>", what,
                    d->answered_name ? d->answered_name : "someone", iso_time(a, d->answered_at), when(r, d->answered_at));
        html_markdown(b, d->answer_note);
        buf_puts(b, "</section>");
    }
    if (d->outcome) {
        buf_puts(b, "<section class=\"card\"><h2>Outcome</h2><p>");
        outcome_badge(b, d->outcome);
        html_printf(b, " <span class=\"muted\">recorded <time datetime=\"%h\">%h</time></span></p>", iso_time(a, d->outcome_at), when(r, d->outcome_at));
        if (d->account && *d->account) {
            buf_puts(b, "<h3>What happened</h3>");
            html_markdown(b, d->account);
        }
        if (d->learning && *d->learning) {
            buf_puts(b, "<h3>What we learned</h3>");
            html_markdown(b, d->learning);
        }
        buf_puts(b, "</section>");
    }

    /* The forms the caller may use right now. */
    const char *base = arena_printf(a, "/decisions/%lld", (long long)d->id);
    const char *text = typed ? typed->text : NULL;
    if (!act_conflict(d, ACT_ADVICE) && act_allowed(r, d, ACT_ADVICE)) {
        buf_puts(b, "<section class=\"card\"><h2>Your advice</h2>");
        form_begin(r, arena_printf(a, "%s/advice", base), NULL);
        form_textarea(r, "advice", "Advice", text, e ? err_for(e, "advice") : NULL, "What should they consider? They decide afterwards.");
        form_end(r, "Send advice");
        buf_puts(b, "</section>");
    }
    if (author && !act_conflict(d, ACT_DECIDE)) {
        buf_puts(b, "<section class=\"card\"><h2>Decide</h2><p>You have the advice; the decision is yours.</p>");
        form_begin(r, arena_printf(a, "%s/decide", base), NULL);
        form_textarea(r, "note", "Note (optional)", text, e ? err_for(e, "note") : NULL, "What did you decide, given the advice?");
        form_end(r, "Decide");
        buf_puts(b, "</section>");
    }
    if (!author && !act_conflict(d, ACT_APPROVE) && may_answer(r, d)) {
        buf_puts(b, "<section class=\"card\"><h2>Your answer</h2>");
        form_begin(r, arena_printf(a, "%s/approve", base), NULL);
        form_textarea(r, "note", "Note (optional)", text, e ? err_for(e, "note") : NULL, "A word for the author: why, or what to watch.");
        html_printf(b, "<div class=\"actions\"><button type=\"submit\">Approve</button> "
                       "<button type=\"submit\" class=\"danger\" formaction=\"%h/decline\">Decline</button></div></form></section>",
                    base);
    }
    if (author && pending) {
        buf_puts(b, "<section class=\"card\"><h2>Withdraw</h2><p class=\"muted\">Changed your mind? Withdrawing ends the request.</p>");
        form_begin_confirm(r, arena_printf(a, "%s/withdraw", base), "Withdraw this decision?");
        buf_puts(b, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">Withdraw</button></div></form></section>");
    }
    if (author && !act_conflict(d, ACT_OUTCOME)) {
        static const char *const choices[] = {"", "good", "mixed", "bad", NULL};
        buf_puts(b, "<section class=\"card\"><h2>How did it turn out?</h2>");
        form_begin(r, arena_printf(a, "%s/outcome", base), NULL);
        form_select_str(r, "outcome", "Outcome", typed ? typed->outcome : "", choices, e ? err_for(e, "outcome") : NULL);
        form_textarea(r, "account", "What happened", typed ? typed->account : NULL, e ? err_for(e, "account") : NULL, NULL);
        form_textarea(r, "learning", "What did you learn?", typed ? typed->learning : NULL, e ? err_for(e, "learning") : NULL,
                      "The lesson goes into the learning library for everyone who may see this decision.");
        form_end(r, "Record the outcome");
        buf_puts(b, "</section>");
    }
    buf_puts(b, "<p><a href=\"/decisions\">All decisions</a> · <a href=\"/inbox\">Your inbox</a></p>");
    page_end(r);
}

/* GET /decisions/{id}?done=: one decision with the forms the caller may
 * use (member; 404 when the caller may not see it). */
int decisions_page_view(Req *r) {
    Decision d;
    if (decision_load(r, &d)) return -1;
    decision_view(r, &d, NULL, NULL);
    return 0;
}

/* page_act: one action from a form; back to the decision (or, with
 * next=inbox, the inbox) with a word on what happened, or the page again
 * with the problem and its status. 403/404 are error pages. */
static int page_act(Req *r, int act) {
    Decision d;
    if (decision_load(r, &d)) return -1;
    ActIn in = {req_form(r, act == ACT_ADVICE ? "advice" : "note"), req_form(r, "outcome"), req_form(r, "account"), req_form(r, "learning")};
    if (in.outcome && !*in.outcome) in.outcome = NULL;
    Errors e = {0};
    if (decision_act(r, &d, act, &in, &e)) {
        if (e.status == 403 || e.status == 503) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
        if (!decision_find(r, d.id, &d)) return resp_error(r, 404, "not_found", "There is no such decision.");
        decision_view(r, &d, &e, &in);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    if (eq(req_form(r, "next"), "inbox")) resp_redirect(r, arena_printf(r->arena, "/inbox?done=%s", ACT_DONE[act]));
    else resp_redirect(r, arena_printf(r->arena, "/decisions/%lld?done=%s", (long long)d.id, ACT_DONE[act]));
    return 0;
}

/* POST /decisions/{id}/advice (advice): the advisor's advice (member). */
int decisions_page_advice(Req *r) { return page_act(r, ACT_ADVICE); }
/* POST /decisions/{id}/decide (note): the author decides after advice (member). */
int decisions_page_decide(Req *r) { return page_act(r, ACT_DECIDE); }
/* POST /decisions/{id}/approve (note, next): approve (member: the routed person or a qualified superior). */
int decisions_page_approve(Req *r) { return page_act(r, ACT_APPROVE); }
/* POST /decisions/{id}/decline (note, next): decline (as approve). */
int decisions_page_decline(Req *r) { return page_act(r, ACT_DECLINE); }
/* POST /decisions/{id}/withdraw: the author withdraws a pending decision (member). */
int decisions_page_withdraw(Req *r) { return page_act(r, ACT_WITHDRAW); }
/* POST /decisions/{id}/outcome (outcome, account, learning): the author records the outcome (member). */
int decisions_page_outcome(Req *r) { return page_act(r, ACT_OUTCOME); }

/* ---------- pages: inbox and learning library ---------- */

/* inbox_item: one decision in an inbox list: title, who, what, when. */
static void inbox_item(Req *r, const Decision *d) {
    Buf *b = page(r);
    html_printf(b, "<li><a href=\"/decisions/%D\">%h</a> <span class=\"muted\">%h · %h", d->id, d->title, d->author_name, d->domain_label);
    if (d->amount >= 0) html_printf(b, " · %h", money(r, d->amount));
    html_printf(b, " · <time datetime=\"%h\">%h</time></span>", iso_time(r->arena, d->requested_at), when(r, d->requested_at));
}

static void inbox_section(Req *r, const char *id, const char *heading, const char *empty, const Decision *v, int n, const char *cta) {
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" id=\"%h\"><h2>%h</h2>", id, heading);
    if (!n) {
        html_printf(b, "<p class=\"muted empty\">%h</p></section>", empty);
        return;
    }
    buf_puts(b, "<ul class=\"plain\">");
    for (int i = 0; i < n && i < INBOX_PAGE_ROWS; i++) {
        inbox_item(r, &v[i]);
        if (cta) html_printf(b, " <a href=\"/decisions/%D\">%h</a>", v[i].id, cta);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
    if (n > INBOX_PAGE_ROWS) html_printf(b, "<p class=\"muted\">The first %d are shown; dealing with them brings the next.</p>", INBOX_PAGE_ROWS);
    buf_puts(b, "</section>");
}

/* GET /inbox?done=: what waits for the caller, with approve and decline
 * right there, and their notifications, which opening the page marks read
 * (member). */
int decisions_page_inbox(Req *r) {
    Inbox in;
    inbox_load(r, &in, INBOX_PAGE_ROWS + 1);
    page_begin(r, "Inbox");
    Buf *b = page(r);
    buf_puts(b, "<h1>Inbox</h1>");
    const char *done = req_query(r, "done");
    page_flash(r, eq(done, "approved") ? "Approved; the author has been told." : eq(done, "declined") ? "Declined; the author has been told." : NULL);

    buf_puts(b, "<section class=\"card\" id=\"approvals\"><h2>Waiting for your answer</h2>");
    bool more_approvals = in.napprovals > INBOX_PAGE_ROWS;
    if (more_approvals) in.napprovals = INBOX_PAGE_ROWS;
    if (!in.napprovals) buf_puts(b, "<p class=\"muted empty\">Nothing waits for your approval.</p>");
    else buf_puts(b, "<ul class=\"plain\">");
    for (int i = 0; i < in.napprovals; i++) {
        const Decision *d = &in.approvals[i];
        inbox_item(r, d);
        html_printf(b, "<p class=\"muted\">%h was told: %h</p>", d->author_name, d->explanation);
        html_printf(b, "<form method=\"post\" action=\"/decisions/%D/approve\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"next\" value=\"inbox\"><div class=\"field\"><label for=\"note-%D\">Note (optional)</label>"
                       "<input id=\"note-%D\" name=\"note\" type=\"text\"></div><div class=\"actions\"><button type=\"submit\">Approve</button> "
                       "<button type=\"submit\" class=\"danger\" formaction=\"/decisions/%D/decline\">Decline</button></div></form></li>",
                    d->id, r->who.csrf ? r->who.csrf : "", d->id, d->id, d->id);
    }
    if (in.napprovals) buf_puts(b, "</ul>");
    if (more_approvals) html_printf(b, "<p class=\"muted\">The oldest %d are shown; answering them brings the next.</p>", INBOX_PAGE_ROWS);
    buf_puts(b, "</section>");
    inbox_section(r, "advice", T(r, "Asked for your advice"), T(r, "Nobody is waiting for your advice."), in.advice, in.nadvice, T(r, "Give advice"));
    inbox_section(r, "to-decide", T(r, "Ready for you to decide"), T(r, "None of your decisions is waiting for you."), in.to_decide, in.nto_decide,
                  T(r, "Decide"));
    inbox_section(r, "reviews", T(r, "Reviews due"), T(r, "No reviews are due."), in.reviews, in.nreviews, T(r, "Record the outcome"));

    buf_puts(b, "<section class=\"card\" id=\"notifications\"><h2>Notifications</h2>");
    Stmt *s = db_q(r->db, SQL_NOTES, "iii", r->who.org_id, r->who.person_id, (int64_t)INBOX_NOTES);
    int n = 0, unread = 0;
    while (db_step(s) == DB_ROW) {
        if (n++ == 0) buf_puts(b, "<ul class=\"plain notifications\">");
        bool is_new = db_null(s, 5);
        unread += is_new;
        char *at = iso_time(r->arena, db_int(s, 1));
        html_printf(b, "<li%s><time datetime=\"%h\">%h</time> ", is_new ? " class=\"unread\"" : "", at, when(r, db_int(s, 1)));
        if (is_new) buf_puts(b, "<span class=\"badge\">new</span> ");
        const char *link = db_text(s, 4);
        /* only our own pages are linked: a stored link is never an open redirect */
        if (link[0] == '/' && link[1] != '/') html_printf(b, "<a href=\"%h\">%h</a></li>", link, db_text(s, 3));
        else html_printf(b, "%h</li>", db_text(s, 3));
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    else buf_puts(b, "<p class=\"muted empty\">No notifications.</p>");
    buf_puts(b, "</section>");
    page_end(r);
    /* Seen now. Best effort: a busy database leaves them unread, no harm. */
    if (unread && db_begin(r->db) == DB_OK) {
        if (db_exec(r->db, SQL_NOTES_READ, "iii", r->now, r->who.org_id, r->who.person_id) == DB_OK) db_commit(r->db);
        else db_rollback(r->db);
    }
    return 0;
}

/* fts_query: the search words as FTS5 prefix phrases ("word"*), quotes
 * doubled, so that nothing typed can be FTS syntax; at most 16 words. NULL
 * when there are none. Arena-owned. */
static char *fts_query(Arena *a, const char *q) {
    Buf b = {0};
    int words = 0;
    for (const char *p = q ? q : ""; *p && words < 16;) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (!*p) break;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p)) p++;
        buf_puts(&b, words++ ? " \"" : "\"");
        for (const char *c = start; c < p; c++) {
            if (*c == '"') buf_putc(&b, '"');
            buf_putc(&b, *c);
        }
        buf_puts(&b, "\"*");
    }
    char *out = words ? arena_strdup(a, buf_cstr(&b)) : NULL;
    buf_free(&b);
    return out;
}

/* GET /learning?q=: the learning library: lessons from decisions with a
 * recorded outcome that the caller may see, searched by words in their
 * title, context, rationale or lesson; without q the latest (member). */
int decisions_page_learning(Req *r) {
    const char *q = req_query(r, "q");
    if (q && strlen(q) > 200) q = arena_strndup(r->arena, q, 200);
    char *match = fts_query(r->arena, q);
    int n = 0;
    Decision *v;
    /* the lessons the caller may see: the latest, or the newest decisions
     * holding all the words (newest rather than by relevance: ranking every
     * match of a common word costs tens of milliseconds in a large
     * organisation, and every match holds all the words anyway) */
    if (match) search_catch_up(r->db, 0); /* the newest decisions are searchable at once */
    Buf sql = {0};
    /* a search reads the matches newest first straight from the full-text
     * index and stops when the page is full */
    bool stream = match && vis_admin(r);
    dec_select(r, &sql, false, stream ? "(SELECT rowid AS fid FROM decision_fts WHERE decision_fts MATCH ?5) f" : NULL, false);
    if (stream) buf_puts(&sql, "AND d.id = f.fid AND d.outcome IS NOT NULL ORDER BY f.fid DESC LIMIT ?4");
    /* anyone else: their candidates (usually few) checked against the matches */
    else if (match) buf_puts(&sql, "AND d.id IN (SELECT rowid FROM decision_fts WHERE decision_fts MATCH ?5) AND d.outcome IS NOT NULL ORDER BY d.id DESC LIMIT ?4");
    else buf_puts(&sql, "AND d.outcome IS NOT NULL ORDER BY d.outcome_at DESC, d.id DESC LIMIT ?4");
    v = decision_rows(r, db_q(r->db, buf_cstr(&sql), match ? "iiiit" : "iiii", r->who.org_id, r->who.person_id, (int64_t)vis_mgr(r), (int64_t)LEARN_ROWS, match), &n);
    buf_free(&sql);

    page_begin(r, "Learning library");
    Buf *b = page(r);
    buf_puts(b, "<h1>Learning library</h1><p class=\"lead\">What people learned from their decisions: search before you decide.</p>");
    html_printf(b, "<form method=\"get\" action=\"/learning\" class=\"card filters\" role=\"search\"><div class=\"field\"><label for=\"f-q\">Search lessons</label>"
                   "<input id=\"f-q\" name=\"q\" type=\"search\" value=\"%h\"></div><div class=\"actions\"><button type=\"submit\">Search</button>%s</div></form>",
                q ? q : "", match ? " <a href=\"/learning\">Latest lessons</a>" : "");
    if (!n) {
        if (match) html_printf(b, "<p class=\"muted empty\">No lessons match \"%h\".</p>", q);
        else buf_puts(b, "<p class=\"muted empty\">No lessons yet. They appear here when people record how their decisions turned out.</p>");
    } else if (match) html_printf(b, "<p class=\"muted\">%d %s for \"%h\".</p>", n, n == 1 ? "lesson" : "lessons", q);
    for (int i = 0; i < n; i++) {
        const Decision *d = &v[i];
        html_printf(b, "<article class=\"card lesson\"><h2><a href=\"/decisions/%D\">%h</a></h2><p class=\"muted\">", d->id, d->title);
        outcome_badge(b, d->outcome);
        html_printf(b, " %h · %h · <time datetime=\"%h\">%h</time></p>", d->domain_label, d->author_name, iso_time(r->arena, d->outcome_at),
                    when(r, d->outcome_at));
        if (d->learning && *d->learning) html_markdown(b, d->learning);
        else if (d->account && *d->account) html_markdown(b, d->account);
        else buf_puts(b, "<p class=\"muted\">No lesson written down.</p>");
        buf_puts(b, "</article>");
    }
    reports_render_lessons(r, match); /* the same search over the shared lessons of blameless reviews (reportreview.c) */
    surveys_render_lessons(r, match ? q : NULL); /* and the "we did" of survey action plans */
    page_end(r);
    return 0;
}

/* ---------- the home page's "needs me now" (shell.c's registry) ---------- */

#define HOME_WAIT_OVERDUE (3 * 86400) /* a request older than this has waited too long */
static const char SQL_HOME_ROUTED[] =
    "SELECT count(*), min(requested_at) FROM decision WHERE route_to_id = ?2 AND org_id = ?1 AND status = 'pending' "
    "AND ((?3 = 0 AND verdict IN ('agree','approve','propose','none')) OR (?3 = 1 AND verdict = 'advise' AND advice IS NULL))";
static const char SQL_HOME_MINE[] =
    "SELECT sum(status = 'pending' AND verdict = 'advise' AND advice IS NOT NULL), "
    "sum(status IN ('decided','approved') AND outcome IS NULL AND review_on IS NOT NULL AND review_on < ?3), "
    "sum(status IN ('decided','approved') AND outcome IS NULL AND review_on = ?3) "
    "FROM decision WHERE author_id = ?2 AND org_id = ?1 AND (status = 'pending' OR (outcome IS NULL AND review_on <= ?3))";
static const char SQL_HOME_UNREAD[] = "SELECT count(*) FROM notification WHERE person_id = ? AND org_id = ? AND read_at IS NULL";

/* decisions_home_items: approvals and advice routed to the caller (overdue
 * when the oldest has waited over three days), advised decisions for the
 * caller to take, outcomes overdue and due today, unread notifications. */
void decisions_home_items(Req *r, Home *h) {
    for (int advice = 0; advice <= 1; advice++) {
        Stmt *s = db_q(r->db, SQL_HOME_ROUTED, "iii", r->who.org_id, r->who.person_id, (int64_t)advice);
        if (db_step(s) == DB_ROW && db_int(s, 0) > 0) {
            int64_t n = db_int(s, 0);
            int u = r->now - db_int(s, 1) > HOME_WAIT_OVERDUE ? URGENCY_OVERDUE : URGENCY_WAITING;
            if (advice) home_item(h, "advice", TN(r, "request for your advice", "requests for your advice", n), n, "/inbox#advice", u);
            else home_item(h, "approvals", TN(r, "decision waiting for your answer", "decisions waiting for your answer", n), n, "/inbox#approvals", u);
        }
        db_reset(s);
    }
    Stmt *s = db_q(r->db, SQL_HOME_MINE, "iit", r->who.org_id, r->who.person_id, today_date(r->arena, r->now));
    if (db_step(s) == DB_ROW) {
        int64_t decide = db_int(s, 0), overdue = db_int(s, 1), due = db_int(s, 2);
        home_item(h, "to_decide", TN(r, "advised decision for you to take", "advised decisions for you to take", decide), decide, "/inbox#to-decide",
                  URGENCY_WAITING);
        home_item(h, "outcomes_overdue", TN(r, "outcome to record, overdue", "outcomes to record, overdue", overdue), overdue, "/inbox#reviews",
                  URGENCY_OVERDUE);
        home_item(h, "outcomes_due", TN(r, "outcome to record today", "outcomes to record today", due), due, "/inbox#reviews", URGENCY_DUE);
    }
    db_reset(s);
    int64_t unread = 0;
    db_one_int(r->db, &unread, SQL_HOME_UNREAD, "ii", r->who.person_id, r->who.org_id);
    home_item(h, "notifications", TN(r, "unread notification", "unread notifications", unread), unread, "/inbox#notifications", URGENCY_INFO);
}
