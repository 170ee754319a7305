/* review360.c: 360 reviews on the empowerment meta-skills. A person, or
 * their manager, starts a round for the person: self, the manager, three or
 * more peers and (for people who lead others) three or more reports are
 * invited and told. Each rates observable behaviours (the organisation's
 * copy of the set, else DEFAULT_SET below, which admins may edit) on a
 * frequency scale, and may add a comment.
 *
 * Peers and reports are anonymous the way surveys are (src/anon.c): a
 * ballot has a random id and the rater's relation, no person and no time;
 * who has answered is kept apart (review360_invite) for counts and
 * reminders; the answering request leaves no activity trace (no_trace).
 * Results exist only once the round is closed (so that no one watches them
 * change after one answer), and only through review360calc.c's groups of
 * at least three (folded into "others", or refused). The manager's rating
 * is attributed. The report is the person's: their manager sees it only
 * when the person shares it; admins and owners do not see it. The person
 * turns it into a development plan: a goal and actions (actions_create,
 * source kind "review360"). This file owns /reviews360 and
 * /api/v1/reviews360. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include "review360.h"
#include "surveys.h" /* date_add */
#include <stdlib.h>
#include <string.h>

#define R_MAX_BEHAVIOURS 60
#define R_MAX_RATERS 30
#define R_COMMENT_MAX 2000

/* The built-in set, in our own words: the six meta-skills, then empathy's
 * behavioural indicators; each skill two or three observable behaviours. */
static const struct { const char *skill, *text; } DEFAULT_SET[] = {
    {N_("Future focus"), N_("Talks about where the team should be in a year, not only about this week.")},
    {N_("Future focus"), N_("Prepares for changes before they arrive (new products, seasons, rules).")},
    {N_("Future focus"), N_("Links today's choices to our goals when explaining them.")},
    {N_("Proactive"), N_("Fixes a problem they notice without waiting to be asked.")},
    {N_("Proactive"), N_("Proposes improvements to how we work.")},
    {N_("Proactive"), N_("Follows through on what they took on.")},
    {N_("Risk-sensitive"), N_("Spots what could go wrong before acting, and says so.")},
    {N_("Risk-sensitive"), N_("Takes sensible risks within their rights, and asks when a risk is beyond them.")},
    {N_("Risk-sensitive"), N_("Reports near-misses and mistakes openly.")},
    {N_("Curious and creative"), N_("Asks why things are done the way they are.")},
    {N_("Curious and creative"), N_("Tries new ways of doing a task and shares what happened.")},
    {N_("Curious and creative"), N_("Looks at how others (other teams, other businesses) solve a problem.")},
    {N_("Resourceful"), N_("Gets things done with what is at hand when plans fall through.")},
    {N_("Resourceful"), N_("Finds the right person or information quickly.")},
    {N_("Resourceful"), N_("Makes good use of time, materials and money.")},
    {N_("Desire for learning"), N_("Asks for feedback and acts on it.")},
    {N_("Desire for learning"), N_("Learns new skills, on their own initiative.")},
    {N_("Desire for learning"), N_("Reflects on what went well and what did not.")},
    {N_("Seeks others' input"), N_("Asks colleagues for their view before deciding.")},
    {N_("Seeks others' input"), N_("Includes quieter people in discussions.")},
    {N_("Gives constructive feedback with compassion"), N_("Gives feedback that is specific and kind.")},
    {N_("Gives constructive feedback with compassion"), N_("Raises problems early, in private, respectfully.")},
    {N_("Resolves conflicts fairly"), N_("Hears both sides before taking a view.")},
    {N_("Resolves conflicts fairly"), N_("Looks for a solution both sides can accept.")},
    {N_("Listens actively"), N_("Lets others finish and asks questions to understand.")},
    {N_("Listens actively"), N_("Sums up what they heard to check they understood.")},
};
#define NDEFAULT (int)(sizeof DEFAULT_SET / sizeof DEFAULT_SET[0])
static const char *const SCALE[] = {N_("never"), N_("rarely"), N_("sometimes"), N_("often"), N_("always")};
static const char *const RELATIONS[] = {"self", "manager", "peer", "report", NULL}; /* R360_SELF.. order */

static const char SQL_R_GET[] =
    "SELECT v.id, v.subject_id, sp.name, v.started_by, v.status, v.behaviours, v.closes_on, v.shared, v.goal, sp.manager_id, v.created_at FROM review360 v "
    "JOIN person sp ON sp.id = v.subject_id WHERE v.id = ? AND v.org_id = ?";
static const char SQL_R_MINE[] =
    "SELECT v.id FROM review360 v WHERE v.org_id = ? AND (v.subject_id = ? OR v.started_by = ? OR EXISTS (SELECT 1 FROM review360_invite i WHERE "
    "i.review_id = v.id AND i.person_id = ?) OR (v.shared = 1 AND v.subject_id IN (SELECT id FROM person WHERE manager_id = ?))) ORDER BY v.id DESC LIMIT ?";
static const char SQL_INVITE_OF[] = "SELECT relation, answered FROM review360_invite WHERE review_id = ? AND person_id = ?";
static const char SQL_INVITE_ADD[] = "INSERT OR IGNORE INTO review360_invite(review_id, person_id, relation) VALUES (?, ?, ?)";
static const char SQL_COUNTS[] = "SELECT relation, count(*), sum(answered) FROM review360_invite WHERE review_id = ? GROUP BY relation";
static const char SQL_ID_TAKEN[] = "SELECT (SELECT count(*) FROM review360_ballot WHERE id = ?) + (SELECT count(*) FROM review360_comment WHERE id = ?)";
static const char SQL_BEHAVIOURS[] = "SELECT skill, text FROM review360_behaviour WHERE org_id = ? ORDER BY position, id LIMIT 60";
static const char SQL_PERSON_OK[] = "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'";

typedef struct Review {
    int64_t id, subject_id, started_by, manager_id, created_at;
    char *subject_name, *status, *behaviours, *closes_on, *goal;
    bool shared;
} Review;

static int r_find(Req *r, int64_t id, Review *v) {
    Stmt *s = db_q(r->db, SQL_R_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        v->id = db_int(s, 0);
        v->subject_id = db_int(s, 1);
        v->subject_name = db_dup(s, 2, r->arena);
        v->started_by = db_int(s, 3);
        v->status = db_dup(s, 4, r->arena);
        v->behaviours = db_dup(s, 5, r->arena);
        v->closes_on = db_dup(s, 6, r->arena);
        v->shared = db_int(s, 7) != 0;
        v->goal = db_dup(s, 8, r->arena);
        v->manager_id = db_int(s, 9);
        v->created_at = db_int(s, 10);
    }
    db_reset(s);
    return found;
}

/* my_relation: the caller's invitation (relation index, answered); -1 when not invited. */
static int my_relation(Req *r, const Review *v, bool *answered) {
    int rel = -1;
    Stmt *s = db_q(r->db, SQL_INVITE_OF, "ii", v->id, r->who.person_id);
    if (db_step(s) == DB_ROW) {
        for (int i = 0; RELATIONS[i]; i++)
            if (strcmp(db_text(s, 0), RELATIONS[i]) == 0) rel = i;
        if (answered) *answered = db_int(s, 1) != 0;
    }
    db_reset(s);
    return rel;
}

/* who may see the round (its status): the subject, who started it, the invited, the manager */
static bool r_visible(Req *r, const Review *v) {
    bool a;
    return v->subject_id == r->who.person_id || v->started_by == r->who.person_id || v->manager_id == r->who.person_id || my_relation(r, v, &a) >= 0;
}

/* may_report: the subject; the manager once it is shared. */
static bool may_report(Req *r, const Review *v) {
    return v->subject_id == r->who.person_id || (v->shared && v->manager_id == r->who.person_id && v->manager_id);
}

static int r_load(Req *r, Review *v) {
    if (r->nparams < 1 || !r_find(r, r->params[0], v) || !r_visible(r, v)) return resp_error(r, 404, "not_found", "There is no such 360 review.");
    return 0;
}

/* review360_may_see: the "review360" source of action items: whoever may see its report. */
bool review360_may_see(Req *r, int64_t id) {
    Review v;
    return r_find(r, id, &v) && may_report(r, &v);
}

/* the behaviours a new round asks: the organisation's copy, else the built-in set */
static json_t *current_set(Req *r) {
    json_t *a = json_array();
    Stmt *s = db_q(r->db, SQL_BEHAVIOURS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) json_array_append_new(a, json_pack("{s:s,s:s}", "skill", db_text(s, 0), "text", db_text(s, 1)));
    db_reset(s);
    if (!json_array_size(a))
        for (int i = 0; i < NDEFAULT; i++) json_array_append_new(a, json_pack("{s:s,s:s}", "skill", DEFAULT_SET[i].skill, "text", DEFAULT_SET[i].text));
    req_defer_json(r, a);
    return a;
}

/* ---------- the rules ---------- */

typedef struct StartIn { int64_t subject; int64_t *peers, *reports; int npeers, nreports; const char *closes_on; } StartIn;

static void check_people(Req *r, const int64_t *ids, int n, int64_t subject, const char *field, Errors *e) {
    int64_t x;
    for (int i = 0; i < n && !err_for(e, field); i++) {
        if (ids[i] == subject) err_add(e, 422, "invalid", field, "The person reviewed is invited as themselves already.");
        else if (ids[i] <= 0 || !db_one_int(r->db, &x, SQL_PERSON_OK, "ii", ids[i], r->who.org_id)) err_add(e, 422, "invalid", field, "Invite current colleagues only.");
        for (int j = 0; j < i && !err_for(e, field); j++)
            if (ids[j] == ids[i]) err_add(e, 422, "invalid", field, "Invite each person once.");
    }
}

/* r_start: a round for in->subject (the caller or a direct report of the
 * caller), inviting self, the manager, the peers (3+) and the reports
 * (none, or 3+); everyone invited is told. */
static int r_start(Req *r, const StartIn *in, Errors *e, int64_t *id_out) {
    int64_t subject = in->subject ? in->subject : r->who.person_id, mgr = 0, x;
    if (subject != r->who.person_id &&
        !db_one_int(r->db, &x, "SELECT id FROM person WHERE id = ? AND org_id = ? AND manager_id = ? AND status <> 'left'", "iii", subject, r->who.org_id, r->who.person_id))
        err_add(e, 422, "invalid", "subject_id", "Start a 360 for yourself or for someone who reports to you.");
    db_one_int(r->db, &mgr, "SELECT coalesce(manager_id, 0) FROM person WHERE id = ? AND org_id = ?", "ii", subject, r->who.org_id);
    if (in->npeers < R360_MIN_GROUP) err_add(e, 422, "invalid", "peer_ids", "Invite three or more peers.");
    else if (in->npeers > R_MAX_RATERS) err_add(e, 422, "invalid", "peer_ids", "Invite at most 30 peers.");
    if (in->nreports > 0 && in->nreports < R360_MIN_GROUP) err_add(e, 422, "invalid", "report_ids", "Invite three or more reports, or none.");
    else if (in->nreports > R_MAX_RATERS) err_add(e, 422, "invalid", "report_ids", "Invite at most 30 reports.");
    check_people(r, in->peers, in->npeers, subject, "peer_ids", e);
    check_people(r, in->reports, in->nreports, subject, "report_ids", e);
    for (int i = 0; i < in->npeers && !e->n; i++) {
        if (in->peers[i] == mgr) err_add(e, 422, "invalid", "peer_ids", "The manager is invited as the manager.");
        for (int j = 0; j < in->nreports && !e->n; j++)
            if (in->reports[j] == in->peers[i]) err_add(e, 422, "invalid", "report_ids", "Invite each person once.");
    }
    for (int j = 0; j < in->nreports && !e->n; j++)
        if (in->reports[j] == mgr) err_add(e, 422, "invalid", "report_ids", "The manager is invited as the manager.");
    char *today = today_date(r->arena, r->now);
    const char *closes = in->closes_on && *in->closes_on ? in->closes_on : date_add(r->arena, today, 14);
    if (!valid_date(closes) || strcmp(closes, today) < 0) err_add(e, 422, "invalid", "closes_on", "Give a closing date from today on, as YYYY-MM-DD.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = db_exec(r->db, "INSERT INTO review360(org_id, subject_id, started_by, behaviours, closes_on, created_at) VALUES (?, ?, ?, ?, ?, ?)", "iiitti", r->who.org_id,
                     subject, r->who.person_id, json_list_encode(r->arena, current_set(r)), closes, r->now);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK) rc = db_exec(r->db, SQL_INVITE_ADD, "iit", id, subject, "self");
    if (rc == DB_OK && mgr) rc = db_exec(r->db, SQL_INVITE_ADD, "iit", id, mgr, "manager");
    for (int i = 0; rc == DB_OK && i < in->npeers; i++) rc = db_exec(r->db, SQL_INVITE_ADD, "iit", id, in->peers[i], "peer");
    for (int i = 0; rc == DB_OK && i < in->nreports; i++) rc = db_exec(r->db, SQL_INVITE_ADD, "iit", id, in->reports[i], "report");
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    char *name = NULL;
    Stmt *s = db_q(r->db, "SELECT name FROM person WHERE id = ?", "i", subject);
    if (db_step(s) == DB_ROW) name = db_dup(s, 0, r->arena);
    db_reset(s);
    const char *link = arena_printf(r->arena, "/reviews360/%lld", (long long)id);
    s = db_q(r->db, "SELECT person_id FROM review360_invite WHERE review_id = ? ORDER BY person_id", "i", id);
    int64_t to[2 * R_MAX_RATERS + 2];
    int nto = 0;
    while (nto < (int)(sizeof to / sizeof to[0]) && db_step(s) == DB_ROW) to[nto++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < nto; i++) {
        const Lang *l = i18n_person_lang(r->db, to[i]);
        notify(r->db, r->who.org_id, to[i], r->now, "review360.invite",
               to[i] == subject ? arena_printf(r->arena, TP(l, "Your 360 review has started; rate yourself by %s."), closes)
                                : arena_printf(r->arena, TP(l, "You are asked for 360 feedback on %s, by %s."), name ? name : "", closes),
               link);
    }
    audit(r, "review360.start", arena_printf(r->arena, "review360:%lld", (long long)id), "person:%lld", (long long)subject);
    if (db_commit(r->db) != DB_OK) return err_busy(e), -1;
    *id_out = id;
    return 0;
}

/* r_answer: the caller's ratings (one 1..5 per behaviour) and comment.
 * Peers and reports leave no trace: a random-id ballot with their relation,
 * the invitation marked answered, no audit line, no activity time. */
static int r_answer(Req *r, const Review *v, const int *ratings, int n, const char *comment, Errors *e) {
    bool answered = false;
    int rel = my_relation(r, v, &answered);
    if (rel < 0) {
        err_add(e, 403, "forbidden", NULL, "You are not invited to this 360 review.");
        return -1;
    }
    if (strcmp(v->status, "open")) {
        err_add(e, 409, "conflict", NULL, "This 360 review is closed.");
        return -1;
    }
    if (answered) {
        err_add(e, 409, "conflict", NULL, "You have answered already.");
        return -1;
    }
    json_t *set = json_list_decode(v->behaviours);
    int nb = (int)json_array_size(set);
    json_decref(set);
    if (n != nb) err_add(e, 422, "invalid", "ratings", "Rate every behaviour.");
    for (int i = 0; i < n && !e->n; i++)
        if (ratings[i] < 1 || ratings[i] > R360_SCALE_MAX) err_add(e, 422, "invalid", "ratings", "Each rating is from 1 (never) to 5 (always).");
    const char *c = str_trim(r->arena, comment ? comment : "");
    if (utf8_chars(c) > R_COMMENT_MAX) err_add(e, 422, "invalid", "comment", "Keep the comment to 2000 characters or fewer.");
    if (e->n) return -1;
    json_t *list = json_array();
    req_defer_json(r, list);
    for (int i = 0; i < n; i++) json_array_append_new(list, json_integer(ratings[i]));
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int64_t bid = anon_new_id(r->db, SQL_ID_TAKEN);
    int rc = bid ? db_exec(r->db, "INSERT INTO review360_ballot(id, review_id, relation, ratings) VALUES (?, ?, ?, ?)", "iitt", bid, v->id, RELATIONS[rel],
                           json_list_encode(r->arena, list))
                 : DB_BUSY;
    if (rc == DB_OK && *c) {
        int64_t cid = anon_new_id(r->db, SQL_ID_TAKEN);
        rc = cid ? db_exec(r->db, "INSERT INTO review360_comment(id, review_id, relation, body) VALUES (?, ?, ?, ?)", "iitt", cid, v->id, RELATIONS[rel], c) : DB_BUSY;
    }
    if (rc == DB_OK) rc = db_exec(r->db, "UPDATE review360_invite SET answered = 1 WHERE review_id = ? AND person_id = ? AND answered = 0", "ii", v->id, r->who.person_id);
    if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_CONSTRAINT;
    if (rc != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", NULL, "You have answered already.");
        else err_busy(e);
        return -1;
    }
    if (rel == R360_PEER || rel == R360_REPORT) r->no_trace = true;
    if (db_commit(r->db) != DB_OK) return err_busy(e), -1;
    return 0;
}

static int r_simple(Req *r, const Review *v, const char *sql, bool subject_only, Errors *e) {
    if (subject_only ? v->subject_id != r->who.person_id : (v->subject_id != r->who.person_id && v->started_by != r->who.person_id)) {
        err_add(e, 403, "forbidden", NULL, subject_only ? "Only the person reviewed may do this." : "Only the person reviewed or who started it may close it.");
        return -1;
    }
    if (!subject_only && strcmp(v->status, "open")) {
        err_add(e, 409, "conflict", NULL, "This 360 review is closed.");
        return -1;
    }
    if (subject_only && strcmp(v->status, "closed")) {
        err_add(e, 409, "conflict", NULL, "The report exists once the review is closed.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    if (db_exec(r->db, sql, "ii", v->id, r->who.org_id) != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- the report ---------- */

typedef struct Report {
    int nskills, nbehaviours, shown[2], counts[4];
    const char **skills;
    R360Score *score;
    json_t *comments; /* {"self":[..],"manager":[..],"peer":[..],"report":[..],"others":[..]} as shown */
} Report;

static int rel_index(const char *s) {
    for (int i = 0; RELATIONS[i]; i++)
        if (strcmp(s, RELATIONS[i]) == 0) return i;
    return -1;
}

/* report_build: the closed round's scores through review360calc.c. */
static void report_build(Req *r, const Review *v, Report *rp) {
    memset(rp, 0, sizeof *rp);
    json_t *set = json_list_decode(v->behaviours);
    req_defer_json(r, set);
    rp->nbehaviours = (int)json_array_size(set);
    int *skill_of = arena_alloc(r->arena, sizeof(int) * (size_t)(rp->nbehaviours + 1));
    rp->skills = arena_alloc(r->arena, sizeof(char *) * (size_t)(rp->nbehaviours + 1));
    for (int i = 0; i < rp->nbehaviours; i++) {
        const char *sk = json_str(json_array_get(set, (size_t)i), "skill");
        int k = 0;
        while (k < rp->nskills && strcmp(rp->skills[k], sk)) k++;
        if (k == rp->nskills) rp->skills[rp->nskills++] = sk;
        skill_of[i] = k;
    }
    int cap = 16, nb = 0;
    R360Ballot *b = arena_alloc(r->arena, sizeof *b * (size_t)cap);
    Stmt *s = db_q(r->db, "SELECT relation, ratings FROM review360_ballot WHERE review_id = ? ORDER BY id", "i", v->id);
    while (db_step(s) == DB_ROW) {
        int rel = rel_index(db_text(s, 0));
        json_t *a = json_list_decode(db_text(s, 1));
        int *rt = arena_alloc(r->arena, sizeof(int) * (size_t)(rp->nbehaviours + 1));
        for (int i = 0; i < rp->nbehaviours; i++) rt[i] = (int)json_integer_value(json_array_get(a, (size_t)i));
        json_decref(a);
        if (rel < 0) continue;
        if (nb == cap) b = arena_grow(r->arena, b, &cap, sizeof *b);
        b[nb++] = (R360Ballot){rel, rt};
        rp->counts[rel]++;
    }
    db_reset(s);
    r360_fold(rp->counts[R360_PEER], rp->counts[R360_REPORT], rp->shown);
    rp->score = arena_alloc(r->arena, sizeof(R360Score) * (size_t)(rp->nskills + 1));
    r360_score(b, nb, rp->nbehaviours, skill_of, rp->nskills, rp->shown, rp->score);
    rp->comments = json_pack("{s:[],s:[],s:[],s:[],s:[]}", "self", "manager", "peer", "report", "others");
    req_defer_json(r, rp->comments);
    s = db_q(r->db, "SELECT relation, body FROM review360_comment WHERE review_id = ? ORDER BY id", "i", v->id);
    while (db_step(s) == DB_ROW) {
        int rel = rel_index(db_text(s, 0));
        const char *key = rel == R360_SELF ? "self" : rel == R360_MANAGER ? "manager" : NULL;
        if (rel == R360_PEER || rel == R360_REPORT) {
            int g = rp->shown[rel == R360_PEER ? 0 : 1];
            key = g == R360_PEER ? "peer" : g == R360_REPORT ? "report" : g == R360_OTHERS ? "others" : NULL;
        }
        if (key) json_array_append_new(json_object_get(rp->comments, key), json_string(db_text(s, 1)));
    }
    db_reset(s);
}

static const char *shown_name(int g) {
    return g == R360_PEER ? "peer" : g == R360_REPORT ? "report" : g == R360_OTHERS ? "others" : g == R360_REFUSED ? "refused" : "absent";
}

static json_t *mean_json(double m) { return m < 0 ? json_null() : json_real((double)(int)(m * 100 + 0.5) / 100); }

static json_t *report_json(Req *r, const Review *v, const Report *rp) {
    (void)r;
    json_t *skills = json_array(), *strengths = json_array(), *blind = json_array();
    for (int k = 0; k < rp->nskills; k++) {
        const R360Score *x = &rp->score[k];
        json_array_append_new(skills, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b}", "skill", rp->skills[k], "self", mean_json(x->mean[R360_SELF]), "manager",
                                                mean_json(x->mean[R360_MANAGER]), "peers", mean_json(x->mean[R360_PEER]), "reports", mean_json(x->mean[R360_REPORT]),
                                                "others_group", mean_json(x->mean[R360_OTHERS]), "everyone_else", mean_json(x->others), "strength", x->strength,
                                                "blind_spot", x->blind_spot));
        if (x->strength) json_array_append_new(strengths, json_string(rp->skills[k]));
        if (x->blind_spot) json_array_append_new(blind, json_string(rp->skills[k]));
    }
    return json_pack("{s:I,s:o,s:{s:s,s:s},s:o,s:o,s:o,s:O,s:o}", "id", (json_int_t)v->id, "subject", json_ref(v->subject_id, v->subject_name), "groups", "peers",
                     shown_name(rp->shown[0]), "reports", shown_name(rp->shown[1]), "skills", skills, "strengths", strengths, "blind_spots", blind, "comments",
                     rp->comments, "goal", json_text(v->goal));
}

/* ---------- JSON ---------- */

static json_t *r_json(Req *r, const Review *v) {
    json_t *counts = json_object();
    Stmt *s = db_q(r->db, SQL_COUNTS, "i", v->id);
    while (db_step(s) == DB_ROW)
        json_object_set_new(counts, db_text(s, 0), json_pack("{s:I,s:I}", "invited", (json_int_t)db_int(s, 1), "answered", (json_int_t)db_int(s, 2)));
    db_reset(s);
    bool answered = false;
    int rel = my_relation(r, v, &answered);
    return json_pack("{s:I,s:o,s:s,s:s,s:b,s:o,s:o,s:b,s:o}", "id", (json_int_t)v->id, "subject", json_ref(v->subject_id, v->subject_name), "status", v->status,
                     "closes_on", v->closes_on, "shared", v->shared, "counts", counts, "my_relation", rel >= 0 ? json_string(RELATIONS[rel]) : json_null(),
                     "answered", answered, "behaviours", json_list_decode(v->behaviours));
}

static int64_t *ids_of(Req *r, json_t *a, int *n, bool *bad) {
    *n = 0;
    if (!a || json_is_null(a)) return NULL;
    if (!json_is_array(a) || json_array_size(a) > 100) return *bad = true, NULL;
    int64_t *v = arena_alloc(r->arena, sizeof *v * (json_array_size(a) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        if (!json_is_integer(x)) return *bad = true, NULL;
        v[(*n)++] = json_integer_value(x);
    }
    return v;
}

static const JField START_FIELDS[] = {{"subject_id", JF_ID_NULL, 0}, {"peer_ids", JF_ANY, 0}, {"report_ids", JF_ANY, 0}, {"closes_on", JF_DATE_NULL, 0}, {0}};
static const JField ANSWER_FIELDS[] = {{"ratings", JF_ANY, 0}, {"comment", JF_STRING_NULL, 20000}, {0}};
static const JField PLAN_FIELDS[] = {{"goal", JF_STRING, 2000}, {"actions", JF_ANY, 0}, {0}};
static const JField SET_FIELDS[] = {{"behaviours", JF_ANY, 0}, {0}};

/* GET /api/v1/reviews360: the rounds the caller is reviewed in, started,
 * is invited to, or that a report shared with them; newest first (member). */
int review360_api_list(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    int64_t me = r->who.person_id, ids[500];
    int n = 0;
    Stmt *s = db_q(r->db, SQL_R_MINE, "iiiiii", r->who.org_id, me, me, me, me, (int64_t)limit);
    while (n < 500 && db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
    db_reset(s);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        Review v;
        if (r_find(r, ids[i], &v)) json_array_append_new(items, r_json(r, &v));
    }
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

/* POST /api/v1/reviews360 {"subject_id","peer_ids","report_ids","closes_on"}:
 * starts a round for the caller or a direct report (member); 201. */
int review360_api_create(Req *r) {
    json_t *o = req_json_object(r, START_FIELDS);
    if (!o) return -1;
    StartIn in = {.subject = json_id(o, "subject_id"), .closes_on = json_str(o, "closes_on")};
    bool bad = false;
    in.peers = ids_of(r, json_object_get(o, "peer_ids"), &in.npeers, &bad);
    in.reports = ids_of(r, json_object_get(o, "report_ids"), &in.nreports, &bad);
    if (bad) return resp_error(r, 400, "invalid_field", "peer_ids and report_ids are lists of ids.");
    Errors e = {0};
    int64_t id;
    if (r_start(r, &in, &e, &id)) return err_send(r, &e);
    Review v;
    r_find(r, id, &v);
    resp_json(r, 201, r_json(r, &v));
    return 0;
}

/* GET /api/v1/reviews360/{id}: the round: status, behaviours, counts, the caller's invitation. */
int review360_api_get(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    resp_json(r, 200, r_json(r, &v));
    return 0;
}

/* PUT /api/v1/reviews360/{id}/answer {"ratings":[1..5 per behaviour],"comment"}: the caller's answer, once (invited; 409 after). */
int review360_api_answer(Req *r) {
    json_t *o = req_json_object(r, ANSWER_FIELDS);
    if (!o) return -1;
    Review v;
    if (r_load(r, &v)) return -1;
    json_t *a = json_object_get(o, "ratings");
    if (!json_is_array(a) || json_array_size(a) > R_MAX_BEHAVIOURS) return resp_error(r, 400, "invalid_field", "ratings is a list of numbers from 1 to 5.");
    int n = (int)json_array_size(a), *rt = arena_alloc(r->arena, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        json_t *x = json_array_get(a, (size_t)i);
        if (!json_is_integer(x)) return resp_error(r, 400, "invalid_field", "ratings is a list of numbers from 1 to 5.");
        rt[i] = (int)json_integer_value(x);
    }
    Errors e = {0};
    if (r_answer(r, &v, rt, n, json_str(o, "comment"), &e)) return err_send(r, &e);
    r_find(r, v.id, &v);
    resp_json(r, 200, r_json(r, &v));
    return 0;
}

/* POST /api/v1/reviews360/{id}/close: the subject or who started it closes the round (409 when closed). */
int review360_api_close(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    Errors e = {0};
    if (r_simple(r, &v, "UPDATE review360 SET status = 'closed' WHERE id = ? AND org_id = ?", false, &e)) return err_send(r, &e);
    r_find(r, v.id, &v);
    resp_json(r, 200, r_json(r, &v));
    return 0;
}

/* GET /api/v1/reviews360/{id}/report: the closed round's report (the
 * subject; the manager once shared; 404 for everyone else, admins too;
 * 409 while open). */
int review360_api_report(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    if (!may_report(r, &v)) return resp_error(r, 404, "not_found", "There is no such 360 report.");
    if (strcmp(v.status, "closed")) return resp_error(r, 409, "conflict", "The report exists once the review is closed.");
    Report rp;
    report_build(r, &v, &rp);
    resp_json(r, 200, report_json(r, &v, &rp));
    return 0;
}

/* PUT /api/v1/reviews360/{id}/share: the subject shares the report with their manager. */
int review360_api_share(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    Errors e = {0};
    if (r_simple(r, &v, "UPDATE review360 SET shared = 1 WHERE id = ? AND org_id = ?", true, &e)) return err_send(r, &e);
    r_find(r, v.id, &v);
    resp_json(r, 200, r_json(r, &v));
    return 0;
}

/* r_plan: the subject's development plan: a goal, and actions for themselves. */
static int r_plan(Req *r, const Review *v, const char *goal_in, const char **titles, const char **dues, int n, Errors *e) {
    if (v->subject_id != r->who.person_id) {
        err_add(e, 403, "forbidden", NULL, "Only the person reviewed may do this.");
        return -1;
    }
    if (strcmp(v->status, "closed")) {
        err_add(e, 409, "conflict", NULL, "The report exists once the review is closed.");
        return -1;
    }
    const char *goal = str_trim(r->arena, goal_in ? goal_in : "");
    if (str_empty(goal)) err_add(e, 422, "invalid", "goal", "Say what you want to get better at.");
    else if (utf8_chars(goal) > 500) err_add(e, 422, "invalid", "goal", "Keep the goal to 500 characters or fewer.");
    if (n > 10) err_add(e, 422, "invalid", "actions", "At most 10 actions.");
    for (int i = 0; i < n && !e->n; i++) {
        titles[i] = str_trim(r->arena, titles[i] ? titles[i] : "");
        if (str_empty(titles[i]) || utf8_chars(titles[i]) > 200 || has_control(titles[i])) err_add(e, 422, "invalid", "actions", "Each action needs a one-line title of up to 200 characters.");
        else if (dues[i] && *dues[i] && !valid_date(dues[i])) err_add(e, 422, "invalid", "actions", "Give due dates as YYYY-MM-DD.");
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = db_exec(r->db, "UPDATE review360 SET goal = ? WHERE id = ? AND org_id = ?", "tii", goal, v->id, r->who.org_id);
    for (int i = 0; rc == DB_OK && i < n; i++)
        if (!actions_create(r->db, r->arena, r->who.org_id, titles[i], r->who.person_id, dues[i] && *dues[i] ? dues[i] : NULL, "review360", v->id, r->who.person_id, r->now))
            rc = DB_ERROR;
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* POST /api/v1/reviews360/{id}/plan {"goal","actions":[{"title","due_on"}]}:
 * the subject turns the report into a development plan (its actions go to
 * the action items, source kind "review360"). 200 with the report. */
int review360_api_plan(Req *r) {
    json_t *o = req_json_object(r, PLAN_FIELDS);
    if (!o) return -1;
    Review v;
    if (r_load(r, &v)) return -1;
    json_t *a = json_object_get(o, "actions");
    if (a && !json_is_null(a) && (!json_is_array(a) || json_array_size(a) > 100)) return resp_error(r, 400, "invalid_field", "actions is a list of {\"title\",\"due_on\"}.");
    int n = a && json_is_array(a) ? (int)json_array_size(a) : 0;
    const char **t = arena_alloc(r->arena, sizeof(char *) * (size_t)(n + 1)), **d = arena_alloc(r->arena, sizeof(char *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        json_t *x = json_array_get(a, (size_t)i);
        if (!json_is_object(x) || !json_is_string(json_object_get(x, "title"))) return resp_error(r, 400, "invalid_field", "actions is a list of {\"title\",\"due_on\"}.");
        t[i] = json_str(x, "title");
        d[i] = json_str(x, "due_on");
    }
    Errors e = {0};
    if (r_plan(r, &v, json_str(o, "goal"), t, d, n, &e)) return err_send(r, &e);
    r_find(r, v.id, &v);
    Report rp;
    report_build(r, &v, &rp);
    resp_json(r, 200, report_json(r, &v, &rp));
    return 0;
}

/* GET /api/v1/review360-behaviours: the behaviours new rounds ask (the organisation's copy, else the built-in set). */
int review360_api_behaviours(Req *r) {
    resp_json(r, 200, json_pack("{s:O}", "behaviours", current_set(r)));
    return 0;
}

static int set_save(Req *r, const char **skills, const char **texts, int n, Errors *e) {
    if (n < 1 || n > R_MAX_BEHAVIOURS) err_add(e, 422, "invalid", "behaviours", "Between 1 and 60 behaviours.");
    for (int i = 0; i < n && !e->n; i++) {
        skills[i] = str_trim(r->arena, skills[i] ? skills[i] : "");
        texts[i] = str_trim(r->arena, texts[i] ? texts[i] : "");
        if (str_empty(skills[i]) || str_empty(texts[i]) || utf8_chars(skills[i]) > 100 || utf8_chars(texts[i]) > 300 || has_control(skills[i]) || has_control(texts[i]))
            err_add(e, 422, "invalid", "behaviours", "Each behaviour needs a skill (up to 100 characters) and a one-line text (up to 300).");
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = db_exec(r->db, "DELETE FROM review360_behaviour WHERE org_id = ?", "i", r->who.org_id);
    for (int i = 0; rc == DB_OK && i < n; i++)
        rc = db_exec(r->db, "INSERT INTO review360_behaviour(org_id, position, skill, text) VALUES (?, ?, ?, ?)", "iitt", r->who.org_id, (int64_t)i, skills[i], texts[i]);
    if (rc == DB_OK) audit(r, "review360.behaviours", "org", "%d behaviours", n);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* PUT /api/v1/review360-behaviours {"behaviours":[{"skill","text"}]}: the
 * organisation's own set for new rounds (admin). Running rounds keep theirs. */
int review360_api_set_behaviours(Req *r) {
    json_t *o = req_json_object(r, SET_FIELDS);
    if (!o) return -1;
    json_t *a = json_object_get(o, "behaviours");
    if (!json_is_array(a) || json_array_size(a) > 1000) return resp_error(r, 400, "invalid_field", "behaviours is a list of {\"skill\",\"text\"}.");
    int n = (int)json_array_size(a);
    const char **sk = arena_alloc(r->arena, sizeof(char *) * (size_t)(n + 1)), **tx = arena_alloc(r->arena, sizeof(char *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        json_t *x = json_array_get(a, (size_t)i);
        if (!json_is_object(x) || !json_is_string(json_object_get(x, "skill")) || !json_is_string(json_object_get(x, "text")))
            return resp_error(r, 400, "invalid_field", "behaviours is a list of {\"skill\",\"text\"}.");
        sk[i] = json_str(x, "skill");
        tx[i] = json_str(x, "text");
    }
    Errors e = {0};
    if (set_save(r, sk, tx, n, &e)) return err_send(r, &e);
    return review360_api_behaviours(r);
}

/* ---------- pages ---------- */

static const OptionList *people_list(Req *r) {
    return options_cached(r, "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000");
}

static void people_select(Req *r, const char *name, const char *label, const char *error) {
    Buf *b = page(r);
    const OptionList *l = people_list(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\" multiple size=\"6\">", error ? " has-error" : "", name, T(r, label),
                name, name);
    buf_append(b, l->html, l->len);
    buf_puts(b, "</select>");
    if (error) html_printf(b, "<p class=\"error\">%h</p>", T(r, error));
    buf_puts(b, "</div>");
}

static void list_render(Req *r, const Errors *e) {
    page_begin(r, "360 reviews");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "360 reviews"),
                T(r, "Feedback on the empowerment meta-skills from yourself, your manager, your peers and your reports. Peers and reports stay anonymous: "
                     "their ratings show only as groups of three or more. The report is yours; your manager sees it only if you share it."));
    if (req_query(r, "done")) page_flash(r, T(r, "Saved."));
    if (e && e->n) form_error_summary(r, e->n);
    int64_t me = r->who.person_id, ids[200];
    int n = 0;
    Stmt *s = db_q(r->db, SQL_R_MINE, "iiiiii", r->who.org_id, me, me, me, me, (int64_t)200);
    while (n < 200 && db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
    db_reset(s);
    html_printf(b, "<section class=\"card\" aria-labelledby=\"rounds-h\"><h2 id=\"rounds-h\">%h</h2>", T(r, "Your rounds"));
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "None yet."));
    else buf_puts(b, "<ul class=\"plain\">");
    for (int i = 0; i < n; i++) {
        Review v;
        if (!r_find(r, ids[i], &v)) continue;
        bool answered = false;
        int rel = my_relation(r, &v, &answered);
        html_printf(b, "<li><a href=\"/reviews360/%D\">%h</a> · %h", v.id, v.subject_name, strcmp(v.status, "open") ? T(r, "closed") : T(r, "open"));
        if (rel >= 0 && !answered && !strcmp(v.status, "open")) html_printf(b, " · <a href=\"/reviews360/%D/answer\">%h</a>", v.id, T(r, "Answer now"));
        buf_puts(b, "</li>");
    }
    if (n) buf_puts(b, "</ul>");
    buf_puts(b, "</section>");
    html_printf(b, "<section class=\"card\" aria-labelledby=\"start-h\"><h2 id=\"start-h\">%h</h2>", T(r, "Start a 360 review"));
    form_begin(r, "/reviews360", NULL);
    Option *who = arena_alloc(r->arena, sizeof(Option) * 501);
    int nw = 0;
    who[nw++] = (Option){me, T(r, "Myself")};
    s = db_q(r->db, "SELECT id, name FROM person WHERE org_id = ? AND manager_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 500", "ii", r->who.org_id, me);
    while (nw < 501 && db_step(s) == DB_ROW) who[nw++] = (Option){db_int(s, 0), db_dup(s, 1, r->arena)};
    db_reset(s);
    form_select_id(r, "subject_id", "For", me, who, nw, NULL, e ? err_for(e, "subject_id") : NULL);
    people_select(r, "peer_ids", N_("Peers (three or more)"), e ? err_for(e, "peer_ids") : NULL);
    people_select(r, "report_ids", N_("Reports (three or more, or none)"), e ? err_for(e, "report_ids") : NULL);
    form_text(r, "closes_on", "Closes on", date_add(r->arena, today_date(r->arena, r->now), 14), e ? err_for(e, "closes_on") : NULL, "date", true);
    form_end(r, "Start and invite");
    buf_puts(b, "</section>");
    if (r->who.access >= ACCESS_ADMIN) html_printf(b, "<p><a href=\"/reviews360/behaviours\">%h</a></p>", T(r, "Edit the behaviours"));
    page_end(r);
}

/* GET /reviews360?done=: the caller's rounds and the form to start one (member). */
int review360_page_list(Req *r) {
    list_render(r, NULL);
    return 0;
}

/* POST /reviews360 (subject_id, peer_ids*, report_ids*, closes_on): starts a round (member). */
int review360_page_create(Req *r) {
    StartIn in = {0};
    const char *sj = req_form(r, "subject_id");
    if (sj && *sj && !parse_id(sj, &in.subject)) in.subject = -1;
    in.peers = req_form_ids(r, "peer_ids", &in.npeers);
    in.reports = req_form_ids(r, "report_ids", &in.nreports);
    in.closes_on = req_form(r, "closes_on");
    Errors e = {0};
    int64_t id;
    if (r_start(r, &in, &e, &id)) {
        if (e.status == 503) return resp_error(r, 503, e.code, "%s", e.items[0].msg);
        list_render(r, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/reviews360/%lld?done=1", (long long)id));
    return 0;
}

static void fmt_mean(Req *r, Buf *b, double m) {
    if (m < 0) html_printf(b, "<td class=\"num\">–</td>");
    else {
        char *s = arena_printf(r->arena, "%.1f", m);
        if (strcmp(lang_code(r->lang), "de") == 0)
            for (char *p = s; *p; p++)
                if (*p == '.') *p = ',';
        html_printf(b, "<td class=\"num\">%h</td>", s);
    }
}

static void report_render(Req *r, const Review *v) {
    Buf *b = page(r);
    Report rp;
    report_build(r, v, &rp);
    html_printf(b, "<section class=\"card\" id=\"report\" aria-labelledby=\"report-h\"><h2 id=\"report-h\">%h</h2>", T(r, "The report"));
    static const struct { int g; const char *what; } GROUPS[] = {{R360_REFUSED, N_("Too few peers and reports answered to show their ratings, even together: they are left out.")},
                                                                 {R360_OTHERS, N_("Peers and reports are shown together as \"others\": one of the groups was smaller than three.")}};
    for (int i = 0; i < 2; i++)
        if (rp.shown[0] == GROUPS[i].g || rp.shown[1] == GROUPS[i].g) html_printf(b, "<p class=\"notice\">%h</p>", T(r, GROUPS[i].what));
    html_printf(b, "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                   "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th></tr></thead><tbody>",
                T(r, "Skill"), T(r, "Self"), T(r, "Manager"), T(r, "Peers"), T(r, "Reports"), T(r, "Others"), T(r, "All but you"));
    for (int k = 0; k < rp.nskills; k++) {
        const R360Score *x = &rp.score[k];
        html_printf(b, "<tr><th scope=\"row\">%h", T(r, rp.skills[k]));
        if (x->strength) html_printf(b, " <span class=\"badge\">%h</span>", T(r, "strength"));
        if (x->blind_spot) html_printf(b, " <span class=\"badge status-pending\">%h</span>", T(r, "blind spot"));
        buf_puts(b, "</th>");
        fmt_mean(r, b, x->mean[R360_SELF]);
        fmt_mean(r, b, x->mean[R360_MANAGER]);
        fmt_mean(r, b, x->mean[R360_PEER]);
        fmt_mean(r, b, x->mean[R360_REPORT]);
        fmt_mean(r, b, x->mean[R360_OTHERS]);
        fmt_mean(r, b, x->others);
        buf_puts(b, "</tr>");
    }
    html_printf(b, "</tbody></table></div><p class=\"hint\">%h</p>", T(r, "1 never · 2 rarely · 3 sometimes · 4 often · 5 always. A strength: the others' mean is 4 or more. A blind spot: you rate yourself at least one point above them."));
    static const struct { const char *key, *label; } CG[] = {{"manager", N_("From your manager")}, {"peer", N_("From peers")}, {"report", N_("From reports")},
                                                             {"others", N_("From others")}, {"self", N_("Your own")}};
    for (int i = 0; i < 5; i++) {
        json_t *a = json_object_get(rp.comments, CG[i].key);
        if (!json_array_size(a)) continue;
        html_printf(b, "<h3>%h</h3><ul class=\"plain comments\">", T(r, CG[i].label));
        size_t j;
        json_t *c;
        json_array_foreach(a, j, c) {
            buf_puts(b, "<li>");
            html_markdown(b, json_string_value(c));
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section>");
}

static void view_render(Req *r, const Review *v, const Errors *e) {
    page_begin(r, "360 review");
    Buf *b = page(r);
    bool open = strcmp(v->status, "open") == 0, answered = false;
    int rel = my_relation(r, v, &answered);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h · %h <time datetime=\"%h\">%h</time></p>", arena_printf(r->arena, T(r, "360 review for %s"), v->subject_name),
                open ? T(r, "open") : T(r, "closed"), T(r, "closes on"), v->closes_on, fmt_date(r, v->closes_on));
    if (req_query(r, "done")) page_flash(r, T(r, "Saved."));
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, e->items[0].msg));
    static const char *const REL[] = {N_("self"), N_("manager"), N_("peers"), N_("reports")};
    html_printf(b, "<section class=\"card\"><h2>%h</h2><ul class=\"plain\">", T(r, "Answers so far"));
    Stmt *s = db_q(r->db, SQL_COUNTS, "i", v->id);
    while (db_step(s) == DB_ROW) {
        int k = rel_index(db_text(s, 0));
        html_printf(b, "<li>%h: %D / %D</li>", k >= 0 ? T(r, REL[k]) : db_text(s, 0), db_int(s, 2), db_int(s, 1));
    }
    db_reset(s);
    buf_puts(b, "</ul>");
    if (rel >= 0 && !answered && open) html_printf(b, "<p><a class=\"button\" href=\"/reviews360/%D/answer\">%h</a></p>", v->id, T(r, "Answer now"));
    if (open && (v->subject_id == r->who.person_id || v->started_by == r->who.person_id))
        html_printf(b, "<form method=\"post\" action=\"/reviews360/%D/close\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\"><button type=\"submit\" class=\"secondary\">%h</button></form>",
                    v->id, r->who.csrf ? r->who.csrf : "", T(r, "Close the round and see the report"));
    buf_puts(b, "</section>");
    if (!open && may_report(r, v)) {
        report_render(r, v);
        if (v->subject_id == r->who.person_id) {
            html_printf(b, "<section class=\"card\" id=\"plan\" aria-labelledby=\"plan-h\"><h2 id=\"plan-h\">%h</h2>", T(r, "Your development plan"));
            if (v->goal) html_printf(b, "<p><strong>%h</strong> %h</p>", T(r, "Goal:"), v->goal);
            form_begin(r, arena_printf(r->arena, "/reviews360/%lld/plan", (long long)v->id), NULL);
            form_text(r, "goal", "What you want to get better at", v->goal, e ? err_for(e, "goal") : NULL, "text", true);
            form_text(r, "action", "A first action (optional)", NULL, e ? err_for(e, "actions") : NULL, "text", false);
            form_text(r, "due_on", "Due (optional)", NULL, NULL, "date", false);
            form_end(r, "Save the plan");
            if (!v->shared && v->manager_id)
                html_printf(b, "<form method=\"post\" action=\"/reviews360/%D/share\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\"><button type=\"submit\" class=\"secondary\">%h</button></form>",
                            v->id, r->who.csrf ? r->who.csrf : "", T(r, "Share the report with your manager"));
            else if (v->shared) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "Shared with your manager."));
            buf_puts(b, "</section>");
        }
    } else if (!open) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "The report is the reviewed person's; you see it when they share it with you."));
    html_printf(b, "<p><a href=\"/reviews360\">%h</a></p>", T(r, "All 360 reviews"));
    page_end(r);
}

/* GET /reviews360/{id}?done=: the round's status, the report once closed
 * (the subject; the manager when shared) and the plan (member who may see it). */
int review360_page_view(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    view_render(r, &v, NULL);
    return 0;
}

static void answer_render(Req *r, const Review *v, const Errors *e) {
    page_begin(r, "Answer a 360 review");
    Buf *b = page(r);
    bool answered = false;
    int rel = my_relation(r, v, &answered);
    html_printf(b, "<h1>%h</h1>", arena_printf(r->arena, T(r, "360 review for %s"), v->subject_name));
    if (rel == R360_PEER || rel == R360_REPORT)
        html_printf(b, "<p class=\"lead\">%h</p>", T(r, "Your answer is anonymous: remit stores your ratings without your name or the time, and shows them only together with at least two others'."));
    else if (rel == R360_MANAGER) html_printf(b, "<p class=\"lead\">%h</p>", T(r, "As the manager, your ratings and comment are shown with your role."));
    else html_printf(b, "<p class=\"lead\">%h</p>", T(r, "Rate yourself as honestly as you can: the report compares it with how others see you."));
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, e->items[0].msg));
    if (rel < 0 || answered || strcmp(v->status, "open")) {
        html_printf(b, "<p class=\"muted\">%h</p>", T(r, "There is nothing for you to answer here."));
        page_end(r);
        return;
    }
    form_begin(r, arena_printf(r->arena, "/reviews360/%lld/answer", (long long)v->id), NULL);
    json_t *set = json_list_decode(v->behaviours);
    req_defer_json(r, set);
    const char *last = "";
    size_t i;
    json_t *x;
    json_array_foreach(set, i, x) {
        const char *skill = json_str(x, "skill");
        if (strcmp(skill, last)) html_printf(b, "%s<h2>%h</h2>", *last ? "" : "", T(r, skill));
        last = skill;
        const char *typed = req_form(r, arena_printf(r->arena, "b%zu", i));
        html_printf(b, "<fieldset class=\"field rating\"><legend>%h</legend>", T(r, json_str(x, "text")));
        for (int k = 0; k < 5; k++) {
            char val[2] = {(char)('1' + k), 0};
            html_printf(b, "<label class=\"check\"><input type=\"radio\" name=\"b%D\" value=\"%s\"%s required> %h</label> ", (int64_t)i, val,
                        typed && strcmp(typed, val) == 0 ? " checked" : "", T(r, SCALE[k]));
        }
        buf_puts(b, "</fieldset>");
    }
    form_textarea(r, "comment", "Comments (optional)", req_form(r, "comment"), NULL, "What should they keep doing, and what could they try?");
    form_end(r, "Send my answer");
    page_end(r);
}

/* GET /reviews360/{id}/answer: the rating form for an invited person (member). */
int review360_page_answer(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    answer_render(r, &v, NULL);
    return 0;
}

/* POST /reviews360/{id}/answer (b0..bN 1-5, comment): the caller's answer. */
int review360_page_answer_post(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    json_t *set = json_list_decode(v.behaviours);
    int n = (int)json_array_size(set);
    json_decref(set);
    int *rt = arena_alloc(r->arena, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        const char *x = req_form(r, arena_printf(r->arena, "b%d", i));
        rt[i] = x && strlen(x) == 1 ? x[0] - '0' : 0;
    }
    Errors e = {0};
    if (r_answer(r, &v, rt, n, req_form(r, "comment"), &e)) {
        if (e.status == 503) return resp_error(r, 503, e.code, "%s", e.items[0].msg);
        answer_render(r, &v, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/reviews360/%lld?done=1", (long long)v.id));
    return 0;
}

static int page_simple(Req *r, const char *sql, bool subject_only) {
    Review v;
    if (r_load(r, &v)) return -1;
    Errors e = {0};
    if (r_simple(r, &v, sql, subject_only, &e)) {
        if (e.status == 503) return resp_error(r, 503, e.code, "%s", e.items[0].msg);
        view_render(r, &v, &e);
        r->resp.status = e.status;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/reviews360/%lld?done=1#report", (long long)v.id));
    return 0;
}

/* POST /reviews360/{id}/close: closes the round (the subject or who started it). */
int review360_page_close(Req *r) { return page_simple(r, "UPDATE review360 SET status = 'closed' WHERE id = ? AND org_id = ?", false); }

/* POST /reviews360/{id}/share: the subject shares the report with their manager. */
int review360_page_share(Req *r) { return page_simple(r, "UPDATE review360 SET shared = 1 WHERE id = ? AND org_id = ?", true); }

/* POST /reviews360/{id}/plan (goal, action, due_on): the development plan (the subject). */
int review360_page_plan(Req *r) {
    Review v;
    if (r_load(r, &v)) return -1;
    const char *t[1] = {req_form(r, "action")}, *d[1] = {req_form(r, "due_on")};
    int n = t[0] && *str_trim(r->arena, t[0]) ? 1 : 0;
    Errors e = {0};
    if (r_plan(r, &v, req_form(r, "goal"), t, d, n, &e)) {
        if (e.status == 503) return resp_error(r, 503, e.code, "%s", e.items[0].msg);
        view_render(r, &v, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/reviews360/%lld?done=1#plan", (long long)v.id));
    return 0;
}

static void behaviours_render(Req *r, const char *typed, const Errors *e) {
    page_begin(r, "360 behaviours");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "360 behaviours"),
                T(r, "The observable behaviours new 360 rounds ask about, one per line as \"Skill | behaviour\". Rounds already running keep theirs."));
    if (req_query(r, "done")) page_flash(r, T(r, "Saved."));
    Buf cur = {0};
    if (!typed) {
        json_t *set = current_set(r);
        size_t i;
        json_t *x;
        json_array_foreach(set, i, x) buf_printf(&cur, "%s | %s\n", T(r, json_str(x, "skill")), T(r, json_str(x, "text")));
    }
    form_begin(r, "/reviews360/behaviours", NULL);
    form_textarea(r, "behaviours", "Behaviours", typed ? typed : buf_cstr(&cur), e ? err_for(e, "behaviours") : NULL, "One per line: Skill | behaviour.");
    form_end(r, "Save");
    buf_free(&cur);
    page_end(r);
}

/* GET /reviews360/behaviours: the organisation's set, to edit (admin). */
int review360_page_behaviours(Req *r) {
    behaviours_render(r, NULL, NULL);
    return 0;
}

/* POST /reviews360/behaviours (behaviours: lines "Skill | behaviour"): saves the set (admin). */
int review360_page_behaviours_post(Req *r) {
    const char *text = req_form(r, "behaviours");
    const char *sk[R_MAX_BEHAVIOURS + 1], *tx[R_MAX_BEHAVIOURS + 1];
    int n = 0;
    Errors e = {0};
    char *copy = arena_strdup(r->arena, text ? text : ""), *save = NULL;
    for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (str_empty(str_trim(r->arena, line))) continue;
        char *bar = strchr(line, '|');
        if (n == R_MAX_BEHAVIOURS) {
            n++;
            break;
        }
        if (!bar) {
            err_add(&e, 422, "invalid", "behaviours", "Each line is \"Skill | behaviour\".");
            break;
        }
        *bar = 0;
        sk[n] = line;
        tx[n++] = bar + 1;
    }
    if (e.n || set_save(r, sk, tx, n, &e)) {
        if (e.status == 503) return resp_error(r, 503, e.code, "%s", e.items[0].msg);
        behaviours_render(r, text, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/reviews360/behaviours?done=1");
    return 0;
}

/* review360_home_items: rounds waiting for the caller's answer. */
void review360_home_items(Req *r, Home *h) {
    int64_t n = 0;
    db_one_int(r->db, &n,
               "SELECT count(*) FROM review360_invite i JOIN review360 v ON v.id = i.review_id WHERE i.person_id = ? AND i.answered = 0 AND v.status = 'open' AND v.org_id = ?",
               "ii", r->who.person_id, r->who.org_id);
    home_item(h, "reviews360", TN(r, "360 review waiting for your answer", "360 reviews waiting for your answer", n), n, "/reviews360", URGENCY_WAITING);
}

/* review360_tick: the day before a round closes, reminds those invited
 * who have not answered (once); after its closing day, closes it (the
 * report then exists). Returns how many were told or closed, -1 when busy. */
int review360_tick(Db *db, int64_t now) {
    Arena *a = arena_new();
    char *today = today_date(a, now), *tomorrow = date_add(a, today, 1);
    int64_t ids[100], orgs[100];
    int n = 0, done = 0;
    Stmt *s = db_q(db, "SELECT id, org_id FROM review360 WHERE status = 'open' AND (closes_on < ? OR (closes_on <= ? AND reminded = 0)) ORDER BY id LIMIT 100", "tt", today,
                   tomorrow);
    while (n < 100 && db_step(s) == DB_ROW) ids[n] = db_int(s, 0), orgs[n] = db_int(s, 1), n++;
    db_reset(s);
    for (int i = 0; i < n; i++) {
        if (db_begin(db) != DB_OK) {
            arena_free(a);
            return -1;
        }
        char *closes = NULL;
        s = db_q(db, "SELECT closes_on FROM review360 WHERE id = ?", "i", ids[i]);
        if (db_step(s) == DB_ROW) closes = db_dup(s, 0, a);
        db_reset(s);
        int rc = DB_OK;
        if (closes && strcmp(closes, today) < 0) rc = db_exec(db, "UPDATE review360 SET status = 'closed', reminded = 1 WHERE id = ?", "i", ids[i]), done++;
        else {
            int64_t to[2 * R_MAX_RATERS + 2];
            int nto = 0;
            s = db_q(db, "SELECT person_id FROM review360_invite WHERE review_id = ? AND answered = 0 ORDER BY person_id", "i", ids[i]);
            while (nto < (int)(sizeof to / sizeof to[0]) && db_step(s) == DB_ROW) to[nto++] = db_int(s, 0);
            db_reset(s);
            for (int k = 0; k < nto; k++) {
                const Lang *l = i18n_person_lang(db, to[k]);
                notify(db, orgs[i], to[k], now, "review360.reminder", TP(l, "A 360 review you were asked to answer closes tomorrow."),
                       arena_printf(a, "/reviews360/%lld", (long long)ids[i]));
                done++;
            }
            rc = db_exec(db, "UPDATE review360 SET reminded = 1 WHERE id = ?", "i", ids[i]);
        }
        if (rc != DB_OK || db_commit(db) != DB_OK) {
            db_rollback(db);
            arena_free(a);
            return -1;
        }
    }
    arena_free(a);
    return done;
}

/* demo_round: one demo round for subject (e-mail), started by starter,
 * with the peers and reports named; closed ones have every ballot (random
 * ids, no rater, no time) with a blind spot on listening and a strength on
 * being proactive; an open one has the self answer missing. */
static int demo_round(Db *db, Arena *a, int64_t org, int64_t now, const char *subject_e, const char *starter_e, const char *const *peers_e,
                      const char *const *reports_e, bool closed, const char *goal, uint64_t *rng) {
    int64_t subject = 0, starter = 0, mgr = 0;
    db_one_int(db, &subject, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, subject_e);
    db_one_int(db, &starter, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, starter_e);
    db_one_int(db, &mgr, "SELECT coalesce(manager_id, 0) FROM person WHERE id = ?", "i", subject);
    if (!subject || !starter) return DB_OK;
    json_t *set = json_array();
    for (int i = 0; i < NDEFAULT; i++) json_array_append_new(set, json_pack("{s:s,s:s}", "skill", DEFAULT_SET[i].skill, "text", DEFAULT_SET[i].text));
    char *behaviours = json_list_encode(a, set);
    json_decref(set);
    char *today = today_date(a, now);
    int rc = db_exec(db, "INSERT INTO review360(org_id, subject_id, started_by, status, behaviours, closes_on, shared, goal, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iiitttiti", org, subject, starter, closed ? "closed" : "open", behaviours, date_add(a, today, closed ? -20 : 9), (int64_t)(closed ? 1 : 0), goal,
                     now - (closed ? 40 : 5) * 86400);
    int64_t id = db_last_id(db);
    typedef struct { int64_t who; const char *rel; } Rater;
    Rater v[24];
    int n = 0;
    v[n++] = (Rater){subject, "self"};
    if (mgr) v[n++] = (Rater){mgr, "manager"};
    for (int k = 0; peers_e[k] && n < 24; k++) {
        int64_t x = 0;
        if (db_one_int(db, &x, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, peers_e[k]) && x) v[n++] = (Rater){x, "peer"};
    }
    for (int k = 0; reports_e && reports_e[k] && n < 24; k++) {
        int64_t x = 0;
        if (db_one_int(db, &x, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, reports_e[k]) && x) v[n++] = (Rater){x, "report"};
    }
    static const char *const COMMENTS[] = {"Always steps in when it gets busy, and it shows.", "Could ask the quieter people for their ideas more often.",
                                           "Spots problems early; sometimes decides before hearing everyone out.", "Explains the why behind a change, which helps."};
    for (int k = 0; rc == DB_OK && k < n; k++) {
        bool self = strcmp(v[k].rel, "self") == 0, answers = closed || (!self && k % 2 == 1);
        rc = db_exec(db, "INSERT INTO review360_invite(review_id, person_id, relation, answered) VALUES (?, ?, ?, ?)", "iiti", id, v[k].who, v[k].rel, (int64_t)answers);
        if (rc != DB_OK || !answers) continue;
        Buf rt = {0};
        buf_putc(&rt, '[');
        for (int i = 0; i < NDEFAULT; i++) {
            int base = self ? 4 : 3;
            if (i >= 18 && i < 20) base = self ? 5 : 2;          /* seeks others' input: a blind spot */
            if (i >= 24) base = self ? 5 : 3;                     /* listens actively */
            if (i >= 3 && i < 6) base = self ? 4 : 5;             /* proactive: a strength */
            int x = base - (int)(!self && i % 3 == 0 ? rng_between(rng, 0, 1) : 0);
            buf_printf(&rt, "%s%d", i ? "," : "", x < 1 ? 1 : x);
        }
        buf_putc(&rt, ']');
        int64_t bid = anon_new_id(db, SQL_ID_TAKEN);
        rc = bid ? db_exec(db, "INSERT INTO review360_ballot(id, review_id, relation, ratings) VALUES (?, ?, ?, ?)", "iitt", bid, id, v[k].rel, buf_cstr(&rt)) : DB_ERROR;
        buf_free(&rt);
        if (rc == DB_OK && !self) {
            int64_t cid = anon_new_id(db, SQL_ID_TAKEN);
            rc = cid ? db_exec(db, "INSERT INTO review360_comment(id, review_id, relation, body) VALUES (?, ?, ?, ?)", "iitt", cid, id, v[k].rel, COMMENTS[k % 4]) : DB_ERROR;
        }
    }
    if (rc == DB_OK && closed && goal &&
        !actions_create(db, a, org, "Ask two colleagues for their view before each decision on the floor", subject, date_add(a, today, 21), "review360", id, subject,
                        now - 19 * 86400))
        rc = DB_ERROR;
    return rc;
}

/* demo_review360 (demo_people.c): a completed round for a shift lead (Emma
 * Larsen, shared with her manager), one for the operations lead shared with
 * the founder (so the owner login has a report), and an open one for the
 * member login (Lea Fischer) waiting for her own answer. */
int demo_review360(Db *db, Arena *a, int64_t org, int64_t now) {
    uint64_t rng = 0x360;
    static const char *const EMMA_PEERS[] = {"noah.fischer@example.com", "zoe.martin@example.com", "omar.haddad@example.com", "chloe.dubois@example.com", "ravi.patel@example.com", NULL};
    static const char *const ADAM_PEERS[] = {"priya.shah@example.com", "oscar.lindqvist@example.com", "julia.novak@example.com", NULL};
    static const char *const ADAM_REPORTS[] = {"manager@example.com", "maria.lopez@example.com", "jonas.weber@example.com", "sam.carter@example.com", NULL};
    static const char *const LEA_PEERS[] = {"tom.brennan@example.com", "amara.nwosu@example.com", "mei.chen@example.com", "carlos.silva@example.com", NULL};
    int rc = demo_round(db, a, org, now, "emma.larsen@example.com", "maria.lopez@example.com", EMMA_PEERS, NULL, true,
                        "Let the team decide more on the floor, and listen before I answer.", &rng);
    if (rc == DB_OK)
        rc = demo_round(db, a, org, now, "admin@example.com", "admin@example.com", ADAM_PEERS, ADAM_REPORTS, true, "Ask the café managers before changing their rotas.", &rng);
    if (rc == DB_OK) rc = demo_round(db, a, org, now, "member@example.com", "sam.carter@example.com", LEA_PEERS, NULL, false, NULL, &rng);
    return rc;
}
