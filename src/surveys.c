/* surveys.c: surveys people can trust to be anonymous (issue 12): storing
 * surveys, their questions and rounds; taking answers (drafts, final
 * ballots, comments with a private reply link); opening, reminding and
 * closing rounds (the maintenance tick); and the JSON API. Results are in
 * surveyresults.c, pages in surveypages.c.
 *
 * What this file must never do (the anonymity contract, migrations/0012):
 * write a person id or any time next to an answer, write an audit line,
 * log line or notification about an individual answer, or keep a
 * per-person row of a closed round. What anonymity means in general is
 * src/anon.c's (random ids, k): this file calls it. */
#include "surveys.h"
#include "handlers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const RECURRENCES[] = {"none", "weekly", "biweekly", "monthly", "quarterly", NULL};
#define TITLE_MAX 200
#define QTEXT_MAX 500
#define COMMENT_MAX 4000
#define QUESTIONS_MAX 100
#define TEXTS_MAX 20 /* free-text questions per survey: the reply link's slots */

/* ---------- dates ---------- */

static int64_t ymd_days(const char *ymd) {
    struct tm tm = {0};
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) / 86400;
}

/* date_add: ymd plus days, "YYYY-MM-DD", arena-owned. */
char *date_add(Arena *a, const char *ymd, int days) { return anon_date(a, (ymd_days(ymd) + days) * 86400); }

/* next_opening: the day the next occurrence opens. Months are calendar
 * months (timegm normalises the 31st into the next month's first days). */
static char *next_opening(Arena *a, const char *ymd, const char *recurrence) {
    if (strcmp(recurrence, "weekly") == 0) return date_add(a, ymd, 7);
    if (strcmp(recurrence, "biweekly") == 0) return date_add(a, ymd, 14);
    struct tm tm = {0};
    if (sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return NULL;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1 - (strcmp(recurrence, "quarterly") == 0 ? 3 : 1);
    return anon_date(a, (int64_t)timegm(&tm));
}

static bool one_of(const char *s, const char *const *v) {
    for (int i = 0; s && v[i]; i++)
        if (strcmp(s, v[i]) == 0) return true;
    return false;
}

/* ---------- the team tree ---------- */

int tree_find(const Tree *t, int64_t team_id) {
    for (int i = 0; i < t->n; i++)
        if (t->id[i] == team_id) return i;
    return -1;
}

bool tree_below(const Tree *t, int node, int root) {
    for (int hops = 0; node >= 0 && hops <= t->n; hops++, node = t->parent[node])
        if (node == root) return true;
    return false;
}

/* tree_fill: rows (id, parent_id, name) into t after the organisation's
 * slot; parents outside the list become the organisation. */
static void tree_fill(Arena *a, Stmt *s, Tree *t) {
    int cap = 64;
    int64_t *pid = arena_alloc(a, sizeof *pid * (size_t)cap);
    t->id = arena_alloc(a, sizeof *t->id * (size_t)cap);
    t->name = arena_alloc(a, sizeof *t->name * (size_t)cap);
    t->n = 1;
    t->id[0] = 0;
    t->name[0] = "";
    pid[0] = -1;
    while (db_step(s) == DB_ROW) {
        if (t->n == cap) {
            int c1 = cap, c2 = cap;
            t->id = arena_grow(a, t->id, &c1, sizeof *t->id);
            t->name = arena_grow(a, t->name, &c2, sizeof *t->name);
            pid = arena_grow(a, pid, &cap, sizeof *pid);
        }
        t->id[t->n] = db_int(s, 0);
        pid[t->n] = db_int(s, 1);
        t->name[t->n++] = db_dup(s, 2, a);
    }
    db_reset(s);
    t->parent = arena_alloc(a, sizeof *t->parent * (size_t)t->n);
    t->parent[0] = -1;
    for (int i = 1; i < t->n; i++) {
        int p = pid[i] ? tree_find(t, pid[i]) : 0;
        t->parent[i] = p < 0 || p == i ? 0 : p;
    }
    /* a stored cycle would make a team its own ancestor: cut it at the organisation */
    for (int i = 1; i < t->n; i++) {
        int node = t->parent[i], hops = 0;
        while (node > 0 && node != i && hops++ < t->n) node = t->parent[node];
        if (node == i || hops >= t->n) t->parent[i] = 0;
    }
}

void tree_load_live(Db *db, Arena *a, int64_t org_id, Tree *t) {
    tree_fill(a, db_q(db, "SELECT id, coalesce(parent_id, 0), name FROM team WHERE org_id = ? ORDER BY id", "i", org_id), t);
}

/* tree_load_closed: the tree as the round's close recorded it. */
void tree_load_closed(Db *db, Arena *a, int64_t org_id, int64_t round_id, Tree *t) {
    tree_fill(a,
              db_q(db,
                   "SELECT c.team_id, c.parent_id, coalesce(t.name, '(removed team)') FROM survey_round_count c "
                   "LEFT JOIN team t ON t.id = c.team_id AND t.org_id = ? WHERE c.round_id = ? AND c.team_id <> 0 ORDER BY c.team_id",
                   "ii", org_id, round_id),
              t);
}

int64_t person_team(Db *db, int64_t org_id, int64_t person_id) {
    int64_t t = 0;
    db_one_int(db, &t, "SELECT coalesce(team_id, 0) FROM person WHERE id = ? AND org_id = ?", "ii", person_id, org_id);
    return t;
}

bool survey_may_see_team(Req *r, const Tree *t, int node) {
    if (node <= 0) return node == 0;
    if (r->who.access >= ACCESS_ADMIN) return true;
    int own = tree_find(t, person_team(r->db, r->who.org_id, r->who.person_id));
    if (own == node) return true;
    if (r->who.access < ACCESS_MANAGER) return false;
    Stmt *s = db_q(r->db, "SELECT id FROM team WHERE org_id = ? AND lead_id = ?", "ii", r->who.org_id, r->who.person_id);
    bool ok = false;
    while (!ok && db_step(s) == DB_ROW) {
        int led = tree_find(t, db_int(s, 0));
        if (led >= 0 && tree_below(t, node, led)) ok = true;
    }
    db_reset(s);
    return ok;
}

/* ---------- loading ---------- */

int survey_find(Db *db, Arena *a, int64_t org_id, int64_t id, Survey *sv) {
    Stmt *s = db_q(db, "SELECT id, org_id, coalesce(owner_id, 0), coalesce(outcome_question_id, 0), title, template, recurrence, min_group, min_comments "
                       "FROM survey WHERE id = ? AND org_id = ?",
                   "ii", id, org_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        sv->id = db_int(s, 0);
        sv->org_id = db_int(s, 1);
        sv->owner_id = db_int(s, 2);
        sv->outcome_qid = db_int(s, 3);
        sv->title = db_dup(s, 4, a);
        sv->template_key = db_dup(s, 5, a);
        sv->recurrence = db_dup(s, 6, a);
        sv->k = anon_k((int)db_int(s, 7));
        sv->kc = anon_k((int)db_int(s, 8));
    }
    db_reset(s);
    return found;
}

Question *survey_questions(Db *db, Arena *a, int64_t survey_id, int *n) {
    int cap = 16;
    Question *q = arena_alloc(a, sizeof *q * (size_t)cap);
    *n = 0;
    Stmt *s = db_q(db, "SELECT id, position, kind, text, text_de, factor, reverse, options, optional FROM survey_question WHERE survey_id = ? ORDER BY position, id",
                   "i", survey_id);
    while (db_step(s) == DB_ROW) {
        if (*n == cap) q = arena_grow(a, q, &cap, sizeof *q);
        Question *x = &q[(*n)++];
        x->id = db_int(s, 0);
        x->position = (int)db_int(s, 1);
        x->kind = survey_kind_parse(db_text(s, 2));
        x->text = db_dup(s, 3, a);
        x->text_de = db_dup(s, 4, a);
        x->factor = db_dup(s, 5, a);
        x->reverse = db_int(s, 6) != 0;
        json_t *o = json_list_decode(db_text(s, 7));
        x->noptions = (int)json_array_size(o);
        x->options = arena_alloc(a, sizeof *x->options * (size_t)(x->noptions + 1));
        for (int i = 0; i < x->noptions; i++) x->options[i] = arena_strdup(a, json_string_value(json_array_get(o, (size_t)i)));
        json_decref(o);
        x->optional = db_int(s, 8) != 0;
    }
    db_reset(s);
    return q;
}

int round_find(Db *db, Arena *a, int64_t survey_id, int64_t round_id, Round *rd) {
    Stmt *s = db_q(db, "SELECT id, survey_id, org_id, number, opens_on, closes_on, status, reminders, draft_secret FROM survey_round WHERE id = ? AND survey_id = ?",
                   "ii", round_id, survey_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        rd->id = db_int(s, 0);
        rd->survey_id = db_int(s, 1);
        rd->org_id = db_int(s, 2);
        rd->number = (int)db_int(s, 3);
        rd->opens_on = db_dup(s, 4, a);
        rd->closes_on = db_dup(s, 5, a);
        rd->status = db_dup(s, 6, a);
        rd->reminders = (int)db_int(s, 7);
        rd->secret = db_dup(s, 8, a);
    }
    db_reset(s);
    return found;
}

/* round_by_id: a round whatever its survey (the tick). */
static int round_by_id(Db *db, Arena *a, int64_t round_id, Round *rd) {
    int64_t sid = 0;
    if (!db_one_int(db, &sid, "SELECT survey_id FROM survey_round WHERE id = ?", "i", round_id)) return 0;
    return round_find(db, a, sid, round_id, rd);
}

/* survey_audience_has: whether someone in team_id (0: none) is in the
 * survey's audience: the whole organisation when it lists no teams, else
 * the listed teams' subtrees. */
bool survey_audience_has(Db *db, int64_t survey_id, const Tree *t, int64_t team_id) {
    int64_t n = 0;
    db_one_int(db, &n, "SELECT count(*) FROM survey_team WHERE survey_id = ?", "i", survey_id);
    if (n == 0) return true;
    int node = tree_find(t, team_id);
    if (node <= 0) return false;
    Stmt *s = db_q(db, "SELECT team_id FROM survey_team WHERE survey_id = ?", "i", survey_id);
    bool in = false;
    while (!in && db_step(s) == DB_ROW) {
        int root = tree_find(t, db_int(s, 0));
        if (root > 0 && tree_below(t, node, root)) in = true;
    }
    db_reset(s);
    return in;
}

/* ---------- creating ---------- */

static const char SQL_SURVEY_INSERT[] =
    "INSERT INTO survey(org_id, title, template, owner_id, recurrence, min_group, min_comments, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_QUESTION_INSERT[] =
    "INSERT INTO survey_question(survey_id, position, kind, text, text_de, factor, reverse, options, optional) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* with_org: an instrument's text with "%s" standing for the organisation. */
static char *with_org(Arena *a, const char *text, const char *org) {
    const char *p = strstr(text, "%s");
    if (!p) return arena_strdup(a, text);
    return arena_printf(a, "%.*s%s%s", (int)(p - text), text, org, p + 2);
}

int64_t round_add(Db *db, int64_t survey_id, int64_t org_id, int number, const char *opens_on, const char *closes_on) {
    if (db_exec(db, "INSERT INTO survey_round(survey_id, org_id, number, opens_on, closes_on) VALUES (?, ?, ?, ?, ?)", "iiitt", survey_id, org_id,
                (int64_t)number, opens_on, closes_on) != DB_OK)
        return 0;
    return db_last_id(db);
}

/* survey_create_template: a survey from a shipped instrument with its first
 * round, inside the caller's transaction (the demo's and the API's). */
int64_t survey_create_template(Db *db, Arena *a, int64_t org_id, int64_t owner_id, const char *title, const char *template_key,
                               const char *opens_on, const char *closes_on, const char *recurrence, int k, int64_t now) {
    const SurveyTemplate *tp = survey_template(template_key);
    if (!tp) return 0;
    Stmt *s = db_q(db, "SELECT name FROM org WHERE id = ?", "i", org_id);
    char *org = db_step(s) == DB_ROW ? db_dup(s, 0, a) : arena_strdup(a, "us");
    db_reset(s);
    if (db_exec(db, SQL_SURVEY_INSERT, "ittItiii", org_id, title ? title : tp->title_en, tp->key, owner_id, recurrence, (int64_t)anon_k(k),
                (int64_t)ANON_K_DEFAULT, now) != DB_OK)
        return 0;
    int64_t id = db_last_id(db);
    for (int i = 0; i < tp->n; i++) {
        const SurveyItem *it = &tp->items[i];
        if (db_exec(db, SQL_QUESTION_INSERT, "iittttiti", id, (int64_t)(i + 1), survey_kind_name(it->kind), with_org(a, it->text_en, org),
                    with_org(a, it->text_de ? it->text_de : "", org), it->factor, (int64_t)it->reverse, "[]", (int64_t)0) != DB_OK)
            return 0;
    }
    if (!round_add(db, id, org_id, 1, opens_on, closes_on)) return 0;
    return id;
}

/* ---------- opening, reminding, closing ---------- */

/* remind: a notification to every audience member of the round who has not
 * answered, and only to them. Says nothing about anyone's answer. */
static void remind(Db *db, Arena *a, const Round *rd, const char *why, int64_t now) {
    Survey sv;
    if (!survey_find(db, a, rd->org_id, rd->survey_id, &sv)) return;
    Tree t;
    tree_load_live(db, a, rd->org_id, &t);
    char *text = arena_printf(a, "%s: %s \"%s\" (open until %s).", why, "the survey", sv.title, rd->closes_on);
    char *link = arena_printf(a, "/surveys/%lld/rounds/%lld", (long long)sv.id, (long long)rd->id);
    Stmt *s = db_q(db,
                   "SELECT p.id, coalesce(p.team_id, 0) FROM person p WHERE p.org_id = ? AND p.status = 'active' AND NOT EXISTS "
                   "(SELECT 1 FROM survey_participant sp WHERE sp.round_id = ? AND sp.person_id = p.id) ORDER BY p.id",
                   "ii", rd->org_id, rd->id);
    int cap = 64, n = 0;
    int64_t *who = arena_alloc(a, sizeof *who * (size_t)cap), *team = arena_alloc(a, sizeof *team * (size_t)cap);
    while (db_step(s) == DB_ROW) {
        if (n == cap) {
            int c = cap;
            who = arena_grow(a, who, &c, sizeof *who);
            team = arena_grow(a, team, &cap, sizeof *team);
        }
        who[n] = db_int(s, 0);
        team[n++] = db_int(s, 1);
    }
    db_reset(s);
    for (int i = 0; i < n; i++)
        if (survey_audience_has(db, sv.id, &t, team[i])) notify(db, rd->org_id, who[i], now, "survey", text, link);
}

/* round_open: opens a scheduled round (closing an earlier one still open),
 * gives it a fresh draft secret, schedules the next occurrence of a
 * recurring survey and sends the opening reminder. In the caller's
 * transaction; 0 ok. */
int round_open(Db *db, Arena *a, int64_t round_id, int64_t now) {
    Round rd;
    if (!round_by_id(db, a, round_id, &rd) || strcmp(rd.status, "scheduled") != 0) return 0;
    Stmt *s = db_q(db, "SELECT id FROM survey_round WHERE survey_id = ? AND status = 'open' AND number < ?", "ii", rd.survey_id, (int64_t)rd.number);
    int64_t earlier[8];
    int ne = 0;
    while (ne < 8 && db_step(s) == DB_ROW) earlier[ne++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < ne; i++)
        if (round_close(db, a, earlier[i], now) != 0) return -1;
    char secret[44];
    auth_random_token(secret);
    if (db_exec(db, "UPDATE survey_round SET status = 'open', draft_secret = ?, reminders = 1 WHERE id = ?", "ti", secret, rd.id) != DB_OK) return -1;
    Survey sv;
    if (survey_find(db, a, rd.org_id, rd.survey_id, &sv) && strcmp(sv.recurrence, "none") != 0) {
        int64_t have = 0;
        db_one_int(db, &have, "SELECT count(*) FROM survey_round WHERE survey_id = ? AND number = ?", "ii", sv.id, (int64_t)rd.number + 1);
        char *next = next_opening(a, rd.opens_on, sv.recurrence);
        if (!have && next) {
            int len = (int)(ymd_days(rd.closes_on) - ymd_days(rd.opens_on));
            if (!round_add(db, sv.id, sv.org_id, rd.number + 1, next, date_add(a, next, len))) return -1;
        }
    }
    remind(db, a, &rd, "Your voice counts, anonymously", now);
    return 0;
}

/* regroup: moves the round's ballots (ballots true) or comments whose team
 * holds fewer than k of them up to the parent, deepest teams first, until no
 * stored group below the organisation is smaller than k. Comments follow
 * every move of the ballots, then are regrouped again by their own minimum. */
static int regroup(Db *db, Arena *a, const Tree *t, int64_t round_id, int k, bool ballots) {
    int *cnt = arena_alloc(a, sizeof *cnt * (size_t)t->n), *depth = arena_alloc(a, sizeof *depth * (size_t)t->n);
    Stmt *s = db_q(db, ballots ? "SELECT coalesce(team_id, 0), count(*) FROM survey_ballot WHERE round_id = ? GROUP BY 1"
                               : "SELECT coalesce(team_id, 0), count(*) FROM survey_comment WHERE round_id = ? GROUP BY 1",
                   "i", round_id);
    int64_t stray = 0;
    while (db_step(s) == DB_ROW) {
        int i = tree_find(t, db_int(s, 0));
        if (i >= 0) cnt[i] += (int)db_int(s, 1);
        else stray += db_int(s, 1);
    }
    db_reset(s);
    for (int i = 0; i < t->n; i++) {
        int d = 0;
        for (int x = i; x > 0 && d <= t->n; x = t->parent[x]) d++;
        depth[i] = d;
    }
    /* a team that no longer exists: its rows go to the organisation */
    if (stray) {
        const char *sql = ballots ? "UPDATE survey_ballot SET team_id = NULL WHERE round_id = ? AND team_id IS NOT NULL AND team_id NOT IN (SELECT team_id FROM survey_round_count WHERE round_id = ?)"
                                  : "UPDATE survey_comment SET team_id = NULL WHERE round_id = ? AND team_id IS NOT NULL AND team_id NOT IN (SELECT team_id FROM survey_round_count WHERE round_id = ?)";
        if (db_exec(db, sql, "ii", round_id, round_id) != DB_OK) return -1;
        cnt[0] += (int)stray;
    }
    for (;;) {
        int pick = -1;
        for (int i = 1; i < t->n; i++)
            if (cnt[i] > 0 && cnt[i] < k && (pick < 0 || depth[i] > depth[pick])) pick = i;
        if (pick < 0) return 0;
        int to = t->parent[pick];
        int64_t from_id = t->id[pick], to_id = t->id[to];
        if (ballots && db_exec(db, "UPDATE survey_ballot SET team_id = ? WHERE round_id = ? AND team_id = ?", "Iii", to_id, round_id, from_id) != DB_OK) return -1;
        if (db_exec(db, "UPDATE survey_comment SET team_id = ? WHERE round_id = ? AND team_id = ?", "Iii", to_id, round_id, from_id) != DB_OK) return -1;
        cnt[to] += cnt[pick];
        cnt[pick] = 0;
    }
}

/* round_close: closes an open round for good, in the caller's transaction:
 * records the team tree and the invited/answered counts per team, regroups
 * ballots and comments so that no stored group below the organisation is
 * smaller than k (comments: their own minimum), deletes every draft, wipes
 * the draft secret, the per-person participant rows and the round's
 * reminders (sent only to those who had not answered, they would tell who
 * had), and stores the factor scores. Results are read from what this leaves, so they never
 * change afterwards. 0 ok, -1 on a database error. */
int round_close(Db *db, Arena *a, int64_t round_id, int64_t now) {
    (void)now;
    Round rd;
    if (!round_by_id(db, a, round_id, &rd) || strcmp(rd.status, "open") != 0) return 0;
    Survey sv;
    if (!survey_find(db, a, rd.org_id, rd.survey_id, &sv)) return -1;
    Tree t;
    tree_load_live(db, a, rd.org_id, &t);
    int *invited = arena_alloc(a, sizeof(int) * (size_t)t.n), *answered = arena_alloc(a, sizeof(int) * (size_t)t.n);
    Stmt *s = db_q(db,
                   "SELECT coalesce(p.team_id, 0), EXISTS (SELECT 1 FROM survey_participant sp WHERE sp.round_id = ? AND sp.person_id = p.id) "
                   "FROM person p WHERE p.org_id = ? AND (p.status = 'active' OR EXISTS (SELECT 1 FROM survey_participant sp WHERE sp.round_id = ? AND sp.person_id = p.id))",
                   "iii", rd.id, rd.org_id, rd.id);
    while (db_step(s) == DB_ROW) {
        int i = tree_find(&t, db_int(s, 0));
        if (i < 0) i = 0;
        bool did = db_int(s, 1) != 0;
        if (!did && !survey_audience_has(db, sv.id, &t, t.id[i])) continue;
        invited[i]++;
        answered[i] += did;
    }
    db_reset(s);
    for (int i = 0; i < t.n; i++)
        if (db_exec(db, "INSERT INTO survey_round_count(round_id, team_id, parent_id, invited, answered) VALUES (?, ?, ?, ?, ?)", "iiiii", rd.id, t.id[i],
                    i ? t.id[t.parent[i]] : (int64_t)0, (int64_t)invited[i], (int64_t)answered[i]) != DB_OK)
            return -1;
    if (regroup(db, a, &t, rd.id, sv.k, true) != 0 || regroup(db, a, &t, rd.id, sv.kc, false) != 0) return -1;
    if (db_exec(db, "DELETE FROM survey_draft WHERE round_id = ?", "i", rd.id) != DB_OK ||
        db_exec(db, "DELETE FROM survey_participant WHERE round_id = ?", "i", rd.id) != DB_OK ||
        /* the reminders went only to those who had not answered: kept, they would say who had */
        db_exec(db, "DELETE FROM notification WHERE org_id = ? AND kind = 'survey' AND link = ?", "it", rd.org_id,
                arena_printf(a, "/surveys/%lld/rounds/%lld", (long long)sv.id, (long long)rd.id)) != DB_OK ||
        db_exec(db, "UPDATE survey_round SET status = 'closed', draft_secret = NULL WHERE id = ?", "i", rd.id) != DB_OK)
        return -1;
    int nq;
    Question *q = survey_questions(db, a, sv.id, &nq);
    Tree ct;
    tree_load_closed(db, a, rd.org_id, rd.id, &ct);
    rd.status = "closed";
    survey_store_factor_scores(db, a, &sv, &rd, q, nq, &ct);
    return 0;
}

/* surveys_tick: the maintenance tick's share (src/http.c): opens scheduled
 * rounds whose day has come, closes open rounds whose last day is over, and
 * sends the reminders three days after opening and on the day before
 * closing, each once. Each round in its own transaction; the number of
 * changes, or -1 when the database was busy (asked again next tick). */
int surveys_tick(Db *db, int64_t now) {
    Arena *a = arena_new();
    char *today = anon_date(a, now), *tomorrow = date_add(a, today, 1), *three_ago = date_add(a, today, -3);
    int done = 0, busy = 0;
    for (int pass = 0; pass < 3; pass++) {
        static const char *const SQL[] = {
            "SELECT id FROM survey_round WHERE status = 'scheduled' AND opens_on <= ? ORDER BY number LIMIT 20",
            "SELECT id FROM survey_round WHERE status = 'open' AND closes_on < ? LIMIT 20",
            "SELECT id FROM survey_round WHERE status = 'open' AND ((reminders & 2) = 0 AND opens_on <= ? OR (reminders & 4) = 0 AND closes_on <= ?) LIMIT 20",
        };
        int64_t ids[20];
        int n = 0;
        Stmt *s = pass == 2 ? db_q(db, SQL[2], "tt", three_ago, tomorrow) : db_q(db, SQL[pass], "t", today);
        while (n < 20 && db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
        db_reset(s);
        for (int i = 0; i < n; i++) {
            if (db_begin(db) != DB_OK) {
                busy = 1;
                continue;
            }
            int rc = 0;
            if (pass == 0) rc = round_open(db, a, ids[i], now);
            else if (pass == 1) rc = round_close(db, a, ids[i], now);
            else {
                Round rd;
                if (round_by_id(db, a, ids[i], &rd)) {
                    int bit = (rd.reminders & 2) == 0 && strcmp(rd.opens_on, three_ago) <= 0 ? 2 : 4;
                    /* the day-before reminder also marks the three-day one done when both fall due at once */
                    int mark = bit == 4 ? 6 : 2;
                    if (bit == 2 && strcmp(rd.closes_on, tomorrow) <= 0) mark = 6;
                    remind(db, a, &rd, mark == 6 ? "Last day tomorrow" : "A reminder", now);
                    rc = db_exec(db, "UPDATE survey_round SET reminders = reminders | ? WHERE id = ?", "ii", (int64_t)mark, rd.id) == DB_OK ? 0 : -1;
                }
            }
            if (rc == 0 && db_commit(db) == DB_OK) done++;
            else {
                db_rollback(db);
                busy = 1;
            }
        }
    }
    arena_free(a);
    return busy ? -1 : done;
}

/* ---------- answering ---------- */

/* draft_key: the draft's key: a hash of the person and the round's secret,
 * which the close wipes, so that no draft can be joined back afterwards. */
static void draft_key(Arena *a, int64_t person_id, const char *secret, char out[65]) {
    auth_token_hash(arena_printf(a, "%lld:%s", (long long)person_id, secret ? secret : ""), out);
}

/* reply_slot_hash: the stored hash of the writer's reply token for their
 * n-th comment of an answer set; comments of one writer share no value. */
static void reply_slot_hash(Arena *a, const char *token, int n, char out[65]) { auth_token_hash(arena_printf(a, "%s:%d", token, n), out); }

/* answers_json: an answer set as stored in a draft (texts included) or a
 * ballot (texts left out: they live apart, as comments). */
static json_t *answers_json(const Question *q, const Answers *ans, bool with_text) {
    json_t *o = json_object();
    for (int i = 0; i < ans->n; i++) {
        if (!ans->has[i]) continue;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)q[i].id);
        if (q[i].kind == Q_TEXT) {
            if (with_text) json_object_set_new(o, key, json_text(ans->texts[i]));
        } else if (q[i].kind == Q_MULTI) {
            json_t *l = json_array();
            for (int b = 0; b < q[i].noptions && b < 31; b++)
                if (ans->values[i] & (1 << b)) json_array_append_new(l, json_integer(b));
            json_object_set_new(o, key, l);
        } else json_object_set_new(o, key, json_integer(ans->values[i]));
    }
    return o;
}

static char *dump(Arena *a, json_t *o) {
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s) abort();
    char *c = arena_strdup(a, s);
    free(s);
    return c;
}

static Answers answers_new(Arena *a, int n) {
    Answers x = {n, arena_alloc(a, sizeof(bool) * (size_t)(n + 1)), arena_alloc(a, sizeof(int) * (size_t)(n + 1)),
                 arena_alloc(a, sizeof(char *) * (size_t)(n + 1))};
    return x;
}

/* answer_set: checks value v (JSON) for question q into slot i; the
 * problem as a sentence, or NULL. */
static const char *answer_set(Arena *a, const Question *q, json_t *v, Answers *ans, int i) {
    if (json_is_null(v)) {
        ans->has[i] = false;
        return NULL;
    }
    if (q->kind == Q_TEXT) {
        if (!json_is_string(v)) return "A free-text answer must be a string.";
        const char *t = str_trim(a, json_string_value(v));
        if (utf8_chars(t) > COMMENT_MAX) return "Keep a comment to 4000 characters or fewer.";
        ans->has[i] = *t != 0;
        ans->texts[i] = (char *)t;
        return NULL;
    }
    if (q->kind == Q_MULTI) {
        if (!json_is_array(v)) return "A multiple-choice answer must be a list of option numbers.";
        int mask = 0;
        size_t j;
        json_t *e;
        json_array_foreach(v, j, e) {
            if (!json_is_integer(e) || !survey_value_ok(Q_MULTI, (int)json_integer_value(e), q->noptions) || json_integer_value(e) > 30)
                return "An option number is out of range.";
            mask |= 1 << json_integer_value(e);
        }
        ans->has[i] = true;
        ans->values[i] = mask;
        return NULL;
    }
    if (!json_is_integer(v) || json_integer_value(v) < -1000 || json_integer_value(v) > 1000 || !survey_value_ok(q->kind, (int)json_integer_value(v), q->noptions))
        return q->kind == Q_AGREE5 ? "This answer must be a whole number from 1 to 5."
               : q->kind == Q_AGREE7 ? "This answer must be a whole number from 1 to 7."
               : q->kind == Q_SCALE10 ? "This answer must be a whole number from 0 to 10."
                                      : "This answer must be one of the option numbers.";
    ans->has[i] = true;
    ans->values[i] = (int)json_integer_value(v);
    return NULL;
}

/* answers_from_stored: a draft's JSON into ans (unknown questions ignored). */
static void answers_from_stored(Arena *a, const Question *q, int nq, const char *text, Answers *ans) {
    json_t *o = json_loads(text ? text : "{}", 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    for (int i = 0; i < nq; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)q[i].id);
        json_t *v = json_object_get(o, key);
        if (v) answer_set(a, &q[i], v, ans, i);
    }
    json_decref(o);
}

/* ballot_store: the final answer set: a ballot with a random id (no person,
 * no time) and each free text as a comment with its sentiment and the hash
 * of its reply slot. In the caller's transaction; 0 ok. */
int ballot_store(Db *db, Arena *a, const Survey *sv, const Round *rd, const Question *q, const Answers *ans, int64_t team_id, const char *reply_token) {
    int64_t id = anon_new_id(db, "SELECT count(*) FROM survey_ballot WHERE id = ? OR id = ?");
    if (!id) return -1;
    if (db_exec(db, "INSERT INTO survey_ballot(id, round_id, team_id, answers) VALUES (?, ?, ?, ?)", "iiIt", id, rd->id, team_id,
                dump(a, answers_json(q, ans, false))) != DB_OK)
        return -1;
    int slot = 0;
    for (int i = 0; i < ans->n; i++) {
        if (q[i].kind != Q_TEXT || !ans->has[i] || slot >= TEXTS_MAX) continue;
        Sentiment st;
        sentiment_score(ans->texts[i], &st);
        json_t *words = json_array(), *themes = json_array();
        for (int w = 0; w < st.nwords; w++) json_array_append_new(words, json_text(st.words[w]));
        unsigned th = sentiment_themes(ans->texts[i]);
        for (int b = 0; SURVEY_THEMES[b]; b++)
            if (th & (1u << b)) json_array_append_new(themes, json_string(SURVEY_THEMES[b]));
        char h[65], cmp[16];
        reply_slot_hash(a, reply_token, slot++, h);
        snprintf(cmp, sizeof cmp, "%.2f", st.compound); /* bound as text: db_q has no real type */
        int64_t cid = anon_new_id(db, "SELECT count(*) FROM survey_comment WHERE id = ? OR id = ?");
        if (!cid || db_exec(db,
                            "INSERT INTO survey_comment(id, org_id, round_id, question_id, team_id, body, sentiment, compound, words, themes, reply_hash) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS REAL), ?, ?, ?)",
                            "iiiiItitttt", cid, sv->org_id, rd->id, q[i].id, team_id, ans->texts[i], (int64_t)st.label, cmp, dump(a, words),
                            dump(a, themes), h) != DB_OK)
            return -1;
    }
    return 0;
}

/* Outcome of survey_answer. */
typedef struct AnswerOut {
    char reply_token[44]; /* set when a final answer held a comment */
    bool has_token;
} AnswerOut;

/* survey_answer: the caller's answers for a round: a part-saved draft, or
 * (final) the ballot, comments and participant row, the draft deleted. The
 * checks, in order: the round is open (409), the caller is in its audience
 * (403), has not answered already (409), every answer names a question of
 * this survey (422) and fits its kind (422), and a final set answers every
 * required question (422). Nothing is written unless everything passes.
 * in: the values given (JSON list of {question_id, value}) or NULL. */
static int survey_answer(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, json_t *list, const Answers *form, bool final, AnswerOut *out,
                         Errors *e) {
    Arena *a = r->arena;
    if (strcmp(rd->status, "open") != 0) {
        err_add(e, 409, "round_closed", NULL, strcmp(rd->status, "closed") == 0 ? "This round is closed: answers are no longer taken." : "This round has not opened yet.");
        return -1;
    }
    Tree t;
    tree_load_live(r->db, a, r->who.org_id, &t);
    int64_t team = person_team(r->db, r->who.org_id, r->who.person_id);
    if (!survey_audience_has(r->db, sv->id, &t, team)) {
        err_add(e, 403, "not_in_audience", NULL, "This survey is not for your team.");
        return -1;
    }
    Answers ans = answers_new(a, nq);
    Answers given = answers_new(a, nq);
    bool *named = arena_alloc(a, sizeof(bool) * (size_t)(nq + 1));
    if (list) {
        size_t j;
        json_t *it;
        json_array_foreach(list, j, it) {
            json_t *qid = json_object_get(it, "question_id"), *v = json_object_get(it, "value");
            if (!json_is_object(it) || !json_is_integer(qid) || !v || json_object_size(it) != 2) {
                err_add(e, 400, "bad_request", "answers", "Each answer is an object {\"question_id\": id, \"value\": ...}.");
                return -1;
            }
            int at = -1;
            for (int i = 0; i < nq; i++)
                if (q[i].id == json_integer_value(qid)) at = i;
            if (at < 0) {
                err_add(e, 422, "unknown_question", "answers", arena_printf(a, "Question %lld is not part of this survey.", (long long)json_integer_value(qid)));
                return -1;
            }
            if (named[at]) {
                err_add(e, 422, "invalid", "answers", arena_printf(a, "Question %lld is answered twice.", (long long)q[at].id));
                return -1;
            }
            named[at] = true;
            const char *p = answer_set(a, &q[at], v, &given, at);
            if (p) {
                err_add(e, 422, "invalid", arena_printf(a, "q%lld", (long long)q[at].id), p);
                return -1;
            }
        }
    } else if (form) {
        given = *form;
        for (int i = 0; i < nq; i++) named[i] = true;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t done = 0;
    db_one_int(r->db, &done, "SELECT count(*) FROM survey_participant WHERE round_id = ? AND person_id = ?", "ii", rd->id, r->who.person_id);
    /* the round may have closed since it was read */
    int64_t open = 0;
    db_one_int(r->db, &open, "SELECT count(*) FROM survey_round WHERE id = ? AND status = 'open'", "i", rd->id);
    if (done || !open) {
        db_rollback(r->db);
        err_add(e, 409, done ? "already_answered" : "round_closed", NULL, done ? "You have already answered this round." : "This round is closed: answers are no longer taken.");
        return -1;
    }
    char key[65];
    Stmt *s = db_q(r->db, "SELECT draft_secret FROM survey_round WHERE id = ?", "i", rd->id);
    char *secret = db_step(s) == DB_ROW ? db_dup(s, 0, a) : NULL;
    db_reset(s);
    draft_key(a, r->who.person_id, secret, key);
    s = db_q(r->db, "SELECT answers FROM survey_draft WHERE key_hash = ?", "t", key);
    char *draft = db_step(s) == DB_ROW ? db_dup(s, 0, a) : NULL;
    db_reset(s);
    if (draft) answers_from_stored(a, q, nq, draft, &ans);
    for (int i = 0; i < nq; i++)
        if (named[i]) {
            ans.has[i] = given.has[i];
            ans.values[i] = given.values[i];
            ans.texts[i] = given.texts[i];
        }
    int rc = DB_OK;
    if (!final) {
        rc = db_exec(r->db, "INSERT INTO survey_draft(key_hash, round_id, answers) VALUES (?, ?, ?) ON CONFLICT(key_hash) DO UPDATE SET answers = excluded.answers",
                     "tit", key, rd->id, dump(a, answers_json(q, &ans, true)));
    } else {
        for (int i = 0; i < nq; i++)
            if (!q[i].optional && !ans.has[i]) {
                db_rollback(r->db);
                err_add(e, 422, "missing_answer", arena_printf(a, "q%lld", (long long)q[i].id), "Please answer this question (or save and finish later).");
                return -1;
            }
        bool texts = false;
        for (int i = 0; i < nq; i++) texts |= q[i].kind == Q_TEXT && ans.has[i];
        auth_random_token(out->reply_token);
        out->has_token = texts;
        if (ballot_store(r->db, a, sv, rd, q, &ans, team, out->reply_token) != 0) rc = DB_ERROR;
        if (rc == DB_OK) rc = db_exec(r->db, "INSERT INTO survey_participant(round_id, person_id) VALUES (?, ?)", "ii", rd->id, r->who.person_id);
        if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM survey_draft WHERE key_hash = ?", "t", key);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "already_answered", NULL, "You have already answered this round.");
        else err_busy(e);
        return -1;
    }
    /* no audit line, log or notification: any of them would date an answer */
    r->no_trace = true;
    return 0;
}

/* survey_draft_load: the caller's part-saved answers for an open round. */
static void survey_draft_load(Req *r, const Round *rd, const Question *q, int nq, Answers *ans) {
    if (!rd->secret) return;
    char key[65];
    draft_key(r->arena, r->who.person_id, rd->secret, key);
    Stmt *s = db_q(r->db, "SELECT answers FROM survey_draft WHERE key_hash = ? AND round_id = ?", "ti", key, rd->id);
    char *d = db_step(s) == DB_ROW ? db_dup(s, 0, r->arena) : NULL;
    db_reset(s);
    if (d) answers_from_stored(r->arena, q, nq, d, ans);
}

/* ---------- JSON ---------- */

static json_t *question_json(const Question *q) {
    json_t *opts = json_array();
    for (int i = 0; i < q->noptions; i++) json_array_append_new(opts, json_text(q->options[i]));
    return json_pack("{s:I,s:i,s:s,s:o,s:o,s:o,s:b,s:o,s:b}", "id", (json_int_t)q->id, "position", q->position, "kind", survey_kind_name(q->kind), "text",
                     json_text(q->text), "text_de", json_text(q->text_de), "factor", json_text(q->factor), "reverse", q->reverse, "options", opts,
                     "optional", q->optional);
}

static json_t *round_json(Req *r, const Round *rd) {
    json_t *o = json_pack("{s:I,s:i,s:s,s:s,s:s}", "id", (json_int_t)rd->id, "number", rd->number, "opens_on", rd->opens_on, "closes_on", rd->closes_on,
                          "status", rd->status);
    if (strcmp(rd->status, "open") == 0) {
        int64_t mine = 0, drafted = 0;
        db_one_int(r->db, &mine, "SELECT count(*) FROM survey_participant WHERE round_id = ? AND person_id = ?", "ii", rd->id, r->who.person_id);
        if (!mine && rd->secret) {
            char key[65];
            draft_key(r->arena, r->who.person_id, rd->secret, key);
            db_one_int(r->db, &drafted, "SELECT count(*) FROM survey_draft WHERE key_hash = ?", "t", key);
        }
        json_object_set_new(o, "answered", json_boolean(mine));
        json_object_set_new(o, "draft_saved", json_boolean(drafted));
    }
    return o;
}

static Round *rounds_of(Db *db, Arena *a, int64_t survey_id, int *n) {
    int cap = 16;
    Round *v = arena_alloc(a, sizeof *v * (size_t)cap);
    *n = 0;
    Stmt *s = db_q(db, "SELECT id FROM survey_round WHERE survey_id = ? ORDER BY number DESC LIMIT 200", "i", survey_id);
    int64_t ids[200];
    int k = 0;
    while (k < 200 && db_step(s) == DB_ROW) ids[k++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < k; i++) {
        if (*n == cap) v = arena_grow(a, v, &cap, sizeof *v);
        if (round_find(db, a, survey_id, ids[i], &v[*n])) (*n)++;
    }
    return v;
}

static json_t *survey_json(Req *r, const Survey *sv, bool full) {
    json_t *teams = json_array();
    Stmt *s = db_q(r->db, "SELECT team_id FROM survey_team WHERE survey_id = ? ORDER BY team_id", "i", sv->id);
    while (db_step(s) == DB_ROW) json_array_append_new(teams, json_integer(db_int(s, 0)));
    db_reset(s);
    json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:s,s:i,s:i,s:o}", "id", (json_int_t)sv->id, "title", json_text(sv->title), "template", json_text(sv->template_key),
                          "team_ids", json_array_size(teams) ? teams : json_null(), "recurrence", sv->recurrence, "min_group", sv->k, "min_comments", sv->kc,
                          "owner_id", sv->owner_id ? json_integer(sv->owner_id) : json_null());
    if (!json_array_size(teams)) json_decref(teams);
    json_object_set_new(o, "outcome_question_id", sv->outcome_qid ? json_integer(sv->outcome_qid) : json_null());
    int n;
    Round *rd = rounds_of(r->db, r->arena, sv->id, &n);
    /* the current round: the open one, else the latest closed, else the next scheduled */
    int cur = -1;
    for (int i = 0; i < n && cur < 0; i++)
        if (strcmp(rd[i].status, "open") == 0) cur = i;
    for (int i = 0; i < n && cur < 0; i++)
        if (strcmp(rd[i].status, "closed") == 0) cur = i;
    if (cur < 0 && n) cur = n - 1;
    json_object_set_new(o, "current_round", cur >= 0 ? round_json(r, &rd[cur]) : json_null());
    if (full) {
        int nq;
        Question *q = survey_questions(r->db, r->arena, sv->id, &nq);
        json_t *qs = json_array();
        for (int i = 0; i < nq; i++) json_array_append_new(qs, question_json(&q[i]));
        json_object_set_new(o, "questions", qs);
    }
    return o;
}

/* body_object: the request body as a JSON object whose keys are all in
 * allowed (NULL-terminated); NULL after sending 400. */
static json_t *body_object(Req *r, const char *const *allowed) {
    json_t *o = req_json_body(r); /* 415, 400 as for every JSON route */
    if (!o) return NULL;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) if (!one_of(key, allowed)) {
        resp_error(r, 400, "unknown_field", "Unknown field \"%.60s\".", key);
        return NULL;
    }
    return o;
}

static int load_survey_or_404(Req *r, Survey *sv) {
    if (survey_find(r->db, r->arena, r->who.org_id, r->params[0], sv)) return 0;
    return resp_error(r, 404, "not_found", "There is no survey %lld.", (long long)r->params[0]);
}

static int load_round_or_404(Req *r, const Survey *sv, Round *rd) {
    if (round_find(r->db, r->arena, sv->id, r->params[1], rd)) return 0;
    return resp_error(r, 404, "not_found", "This survey has no round %lld.", (long long)r->params[1]);
}

/* surveys_may_see (the action items' "survey" source) is in surveyplan.c. */

/* may_manage: admins and owners, or the survey's owner. */
static bool may_manage(Req *r, const Survey *sv) { return r->who.access >= ACCESS_ADMIN || sv->owner_id == r->who.person_id; }

/* GET /api/v1/surveys (member): the organisation's surveys, newest first. */
int surveys_api_list(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after) != 0) return -1;
    Stmt *s = db_q(r->db, "SELECT id FROM survey WHERE org_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?", "iiii", r->who.org_id, after, after,
                   (int64_t)limit);
    int64_t ids[500];
    int n = 0;
    while (n < 500 && db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
    db_reset(s);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        Survey sv;
        if (survey_find(r->db, r->arena, r->who.org_id, ids[i], &sv)) json_array_append_new(items, survey_json(r, &sv, false));
    }
    resp_json(r, 200, json_page(items, limit, n ? ids[n - 1] : 0));
    return 0;
}

/* questions_check: a custom question list into its parts; a problem or NULL. */
static const char *question_check(Arena *a, json_t *q, int *kind) {
    static const char *const QKEYS[] = {"kind", "text", "text_de", "factor", "reverse", "options", "optional", NULL};
    if (!json_is_object(q)) return "Each question is an object.";
    const char *key;
    json_t *v;
    json_object_foreach(q, key, v) if (!one_of(key, QKEYS)) return arena_printf(a, "Unknown question field \"%.40s\".", key);
    *kind = survey_kind_parse(json_string_value(json_object_get(q, "kind")));
    if (*kind < 0) return "A question's kind must be agree5, agree7, scale10, choice, multi or text.";
    const char *text = json_string_value(json_object_get(q, "text"));
    if (!text || str_empty(text) || utf8_chars(text) > QTEXT_MAX || has_control(text)) return "Each question needs a text of 1 to 500 characters.";
    json_t *de = json_object_get(q, "text_de"), *f = json_object_get(q, "factor");
    if (de && !json_is_null(de) && (!json_is_string(de) || utf8_chars(json_string_value(de)) > QTEXT_MAX)) return "text_de must be a text of at most 500 characters.";
    if (f && !json_is_null(f) && (!json_is_string(f) || utf8_chars(json_string_value(f)) > 40)) return "factor must be a word of at most 40 characters.";
    json_t *rev = json_object_get(q, "reverse"), *opt = json_object_get(q, "optional"), *os = json_object_get(q, "options");
    if ((rev && !json_is_boolean(rev)) || (opt && !json_is_boolean(opt))) return "reverse and optional are true or false.";
    if (json_is_true(rev) && !survey_kind_scaled(*kind)) return "Only agree5, agree7 and scale10 questions can be reverse-scored.";
    bool choice = *kind == Q_CHOICE || *kind == Q_MULTI;
    if (choice) {
        if (!json_is_array(os) || json_array_size(os) < 2 || json_array_size(os) > 20) return "choice and multi questions need 2 to 20 options.";
        size_t i;
        json_t *e;
        json_array_foreach(os, i, e) if (!json_is_string(e) || str_empty(json_string_value(e)) || utf8_chars(json_string_value(e)) > 200) return "Each option is a text of 1 to 200 characters.";
    } else if (os && !json_is_null(os) && !(json_is_array(os) && json_array_size(os) == 0))
        return "Only choice and multi questions have options.";
    return NULL;
}

/* team_ids_check: the audience list; each team of the caller's
 * organisation, and for a manager who is not an admin, inside a subtree
 * they lead. NULL or a problem. */
static const char *team_ids_check(Req *r, json_t *ids, Tree *t) {
    if (!ids || json_is_null(ids)) return r->who.access >= ACCESS_ADMIN ? NULL : "A manager's survey is for the teams they lead: give team_ids.";
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 100) return "team_ids is null (the organisation) or a list of team ids.";
    size_t i;
    json_t *e;
    json_array_foreach(ids, i, e) {
        if (!json_is_integer(e)) return "team_ids is a list of team ids.";
        int node = tree_find(t, json_integer_value(e));
        if (node <= 0) return arena_printf(r->arena, "There is no team %lld.", (long long)json_integer_value(e));
        if (r->who.access < ACCESS_ADMIN && !survey_may_see_team(r, t, node)) return "A manager may survey only the teams they lead.";
    }
    return NULL;
}

/* POST /api/v1/surveys (manager): a survey from a template or custom
 * questions, with its first round (opened at once when it opens today). */
int64_t surveys_create(Req *r, json_t *o, Errors *ep);
int64_t surveys_create(Req *r, json_t *o, Errors *ep) {
    Errors e = {0};
    Arena *a = r->arena;
    const char *title = json_string_value(json_object_get(o, "title"));
    const char *tkey = json_string_value(json_object_get(o, "template"));
    json_t *qs = json_object_get(o, "questions"), *tv = json_object_get(o, "template");
    const SurveyTemplate *tp = tkey ? survey_template(tkey) : NULL;
    if (json_object_get(o, "title") && (!title || utf8_chars(title) > TITLE_MAX || str_empty(title) || has_control(title)))
        err_add(&e, 422, "invalid", "title", "The title is a text of 1 to 200 characters.");
    if (tv && !json_is_null(tv) && !tp) err_add(&e, 422, "invalid", "template", "template is one of culture-audit, psych-safety, empowerment, enps, pulse.");
    bool have_q = qs && !json_is_null(qs);
    if (!tp && !have_q && e.n == 0) err_add(&e, 422, "invalid", "questions", "Give a template or a list of questions.");
    if (tp && have_q) err_add(&e, 422, "invalid", "questions", "Give a template or questions, not both.");
    if (!tp && !title && e.n == 0) err_add(&e, 422, "invalid", "title", "A survey with custom questions needs a title.");
    int nt = 0;
    if (have_q) {
        if (!json_is_array(qs) || json_array_size(qs) == 0 || json_array_size(qs) > QUESTIONS_MAX)
            err_add(&e, 422, "invalid", "questions", "questions is a list of 1 to 100 questions.");
        else {
            size_t i;
            json_t *q;
            json_array_foreach(qs, i, q) {
                int kind = -1;
                const char *p = question_check(a, q, &kind);
                if (p) {
                    err_add(&e, 422, "invalid", "questions", arena_printf(a, "Question %d: %s", (int)i + 1, p));
                    break;
                }
                nt += kind == Q_TEXT;
            }
            if (nt > TEXTS_MAX) err_add(&e, 422, "invalid", "questions", "At most 20 free-text questions.");
        }
    }
    Tree t;
    tree_load_live(r->db, a, r->who.org_id, &t);
    const char *tp_err = team_ids_check(r, json_object_get(o, "team_ids"), &t);
    if (tp_err) err_add(&e, 422, "invalid", "team_ids", tp_err);
    char *today = anon_date(a, r->now);
    json_t *ov = json_object_get(o, "opens_on"), *cv = json_object_get(o, "closes_on"), *rv = json_object_get(o, "recurrence");
    const char *opens = ov && !json_is_null(ov) ? json_string_value(ov) : today;
    if (!opens || !valid_date(opens) || strcmp(opens, today) < 0) err_add(&e, 422, "invalid", "opens_on", "opens_on is a date (YYYY-MM-DD), today or later.");
    const char *closes = cv && !json_is_null(cv) ? json_string_value(cv) : (opens && valid_date(opens) ? date_add(a, opens, 13) : NULL);
    if (!closes || !valid_date(closes) || (opens && strcmp(closes, opens) < 0))
        err_add(&e, 422, "invalid", "closes_on", "closes_on is a date (YYYY-MM-DD) on or after opens_on.");
    else if (opens && valid_date(opens) && ymd_days(closes) - ymd_days(opens) > 92) err_add(&e, 422, "invalid", "closes_on", "A round is open for at most 93 days.");
    const char *rec = rv && !json_is_null(rv) ? json_string_value(rv) : "none";
    if (!one_of(rec, RECURRENCES)) err_add(&e, 422, "invalid", "recurrence", "recurrence is none, weekly, biweekly, monthly or quarterly.");
    json_t *kv = json_object_get(o, "min_group"), *kcv = json_object_get(o, "min_comments");
    if ((kv && !json_is_null(kv) && !json_is_integer(kv)) || (kcv && !json_is_null(kcv) && !json_is_integer(kcv)))
        err_add(&e, 422, "invalid", "min_group", "min_group and min_comments are whole numbers (3 to 10).");
    if (e.n) {
        *ep = e;
        return 0;
    }
    int k = anon_k(json_is_integer(kv) ? (int)(json_integer_value(kv) > 100 ? 100 : json_integer_value(kv) < -1 ? -1 : json_integer_value(kv)) : 0);
    int kc = anon_k(json_is_integer(kcv) ? (int)(json_integer_value(kcv) > 100 ? 100 : json_integer_value(kcv) < -1 ? -1 : json_integer_value(kcv)) : 0);
    if (json_is_integer(kv) && json_integer_value(kv) <= 0) k = 3; /* asked for none: the least there is */

    if (db_begin(r->db) != DB_OK) {
        err_busy(ep);
        return 0;
    }
    int64_t id = 0;
    int rc = DB_OK;
    if (tp) {
        id = survey_create_template(r->db, a, r->who.org_id, r->who.person_id, title, tp->key, opens, closes, rec, k, r->now);
        if (!id) rc = DB_ERROR;
    } else {
        rc = db_exec(r->db, SQL_SURVEY_INSERT, "itnitiii", r->who.org_id, title, r->who.person_id, rec, (int64_t)k, (int64_t)kc, r->now);
        id = db_last_id(r->db);
        size_t i;
        json_t *q;
        json_array_foreach(qs, i, q) {
            if (rc != DB_OK) break;
            json_t *os = json_object_get(q, "options");
            const char *f = json_string_value(json_object_get(q, "factor"));
            const char *de = json_string_value(json_object_get(q, "text_de"));
            rc = db_exec(r->db, SQL_QUESTION_INSERT, "iittttiti", id, (int64_t)(i + 1), json_string_value(json_object_get(q, "kind")),
                         str_trim(a, json_string_value(json_object_get(q, "text"))), de ? str_trim(a, de) : "", f && *f ? f : NULL,
                         (int64_t)json_is_true(json_object_get(q, "reverse")), json_is_array(os) ? json_list_encode(a, os) : "[]",
                         (int64_t)json_is_true(json_object_get(q, "optional")));
        }
        if (rc == DB_OK && !round_add(r->db, id, r->who.org_id, 1, opens, closes)) rc = DB_ERROR;
    }
    if (rc == DB_OK) rc = db_exec(r->db, "UPDATE survey SET min_comments = ? WHERE id = ?", "ii", (int64_t)kc, id);
    json_t *ids = json_object_get(o, "team_ids");
    size_t i;
    json_t *tid;
    if (json_is_array(ids)) json_array_foreach(ids, i, tid) if (rc == DB_OK) rc = db_exec(r->db, "INSERT OR IGNORE INTO survey_team(survey_id, team_id) VALUES (?, ?)", "ii", id,
                                                                                       (int64_t)json_integer_value(tid));
    int64_t first = 0;
    db_one_int(r->db, &first, "SELECT id FROM survey_round WHERE survey_id = ? AND number = 1", "i", id);
    if (rc == DB_OK && strcmp(opens, today) <= 0 && round_open(r->db, a, first, r->now) != 0) rc = DB_ERROR;
    if (rc == DB_OK) audit(r, "survey.create", arena_printf(a, "survey:%lld", (long long)id), "%s", title ? title : tp->title_en);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(ep);
        return 0;
    }
    return id;
}

int surveys_api_create(Req *r) {
    static const char *const KEYS[] = {"title", "template", "questions", "team_ids", "opens_on", "closes_on", "recurrence", "min_group", "min_comments", NULL};
    json_t *o = body_object(r, KEYS);
    if (!o) return -1;
    Errors e = {0};
    int64_t id = surveys_create(r, o, &e);
    if (!id) return err_send(r, &e);
    Survey sv;
    survey_find(r->db, r->arena, r->who.org_id, id, &sv);
    resp_json(r, 201, survey_json(r, &sv, true));
    return 0;
}

/* GET /api/v1/surveys/{id} (member): one survey with its questions. */
int surveys_api_get(Req *r) {
    Survey sv;
    if (load_survey_or_404(r, &sv)) return -1;
    resp_json(r, 200, survey_json(r, &sv, true));
    return 0;
}

/* PATCH /api/v1/surveys/{id} (admin or the survey's owner): title,
 * recurrence, the drivers' outcome item; min_group and min_comments only
 * while no round has closed (closed results never change). */
int surveys_api_patch(Req *r) {
    static const char *const KEYS[] = {"title", "recurrence", "min_group", "min_comments", "outcome_question_id", NULL};
    json_t *o = body_object(r, KEYS); /* the body's form first (415/400), like every route */
    if (!o) return -1;
    Survey sv;
    if (load_survey_or_404(r, &sv)) return -1;
    if (!may_manage(r, &sv)) return resp_error(r, 403, "forbidden", "Only admins and the survey's owner may change it.");
    Errors e = {0};
    json_t *tv = json_object_get(o, "title"), *rv = json_object_get(o, "recurrence"), *kv = json_object_get(o, "min_group"),
           *kcv = json_object_get(o, "min_comments"), *qv = json_object_get(o, "outcome_question_id");
    if (tv && (!json_is_string(tv) || str_empty(json_string_value(tv)) || utf8_chars(json_string_value(tv)) > TITLE_MAX || has_control(json_string_value(tv))))
        err_add(&e, 422, "invalid", "title", "The title is a text of 1 to 200 characters.");
    if (rv && !one_of(json_string_value(rv), RECURRENCES)) err_add(&e, 422, "invalid", "recurrence", "recurrence is none, weekly, biweekly, monthly or quarterly.");
    if ((kv && !json_is_integer(kv)) || (kcv && !json_is_integer(kcv))) err_add(&e, 422, "invalid", "min_group", "min_group and min_comments are whole numbers (3 to 10).");
    int64_t closed = 0;
    db_one_int(r->db, &closed, "SELECT count(*) FROM survey_round WHERE survey_id = ? AND status = 'closed'", "i", sv.id);
    if ((kv || kcv) && closed && e.n == 0) err_add(&e, 409, "results_fixed", "min_group", "A round has closed: its groups were formed with this minimum, which can no longer change.");
    if (qv && !json_is_null(qv)) {
        int nq, ok = 0;
        Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
        for (int i = 0; i < nq; i++) ok |= json_is_integer(qv) && q[i].id == json_integer_value(qv) && survey_kind_scaled(q[i].kind);
        if (!ok) err_add(&e, 422, "invalid", "outcome_question_id", "The outcome is one of this survey's agree or 0-10 questions.");
    }
    if (e.n) return err_send(r, &e);
    if (db_begin(r->db) != DB_OK) {
        err_busy(&e);
        return err_send(r, &e);
    }
    int rc = DB_OK;
    if (tv) rc = db_exec(r->db, "UPDATE survey SET title = ? WHERE id = ?", "ti", str_trim(r->arena, json_string_value(tv)), sv.id);
    if (rc == DB_OK && rv) rc = db_exec(r->db, "UPDATE survey SET recurrence = ? WHERE id = ?", "ti", json_string_value(rv), sv.id);
    if (rc == DB_OK && kv) rc = db_exec(r->db, "UPDATE survey SET min_group = ? WHERE id = ?", "ii", (int64_t)anon_k(json_integer_value(kv) <= 0 ? 3 : (int)(json_integer_value(kv) > 100 ? 100 : json_integer_value(kv))), sv.id);
    if (rc == DB_OK && kcv) rc = db_exec(r->db, "UPDATE survey SET min_comments = ? WHERE id = ?", "ii", (int64_t)anon_k(json_integer_value(kcv) <= 0 ? 3 : (int)(json_integer_value(kcv) > 100 ? 100 : json_integer_value(kcv))), sv.id);
    if (rc == DB_OK && qv) rc = db_exec(r->db, "UPDATE survey SET outcome_question_id = ? WHERE id = ?", "Ii", json_is_integer(qv) ? (int64_t)json_integer_value(qv) : 0, sv.id);
    if (rc == DB_OK) audit(r, "survey.update", arena_printf(r->arena, "survey:%lld", (long long)sv.id), "changed");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(&e);
        return err_send(r, &e);
    }
    survey_find(r->db, r->arena, r->who.org_id, sv.id, &sv);
    resp_json(r, 200, survey_json(r, &sv, true));
    return 0;
}

/* GET /api/v1/surveys/{id}/rounds (member): every round, newest first. */
int surveys_api_rounds(Req *r) {
    Survey sv;
    if (load_survey_or_404(r, &sv)) return -1;
    int n;
    Round *rd = rounds_of(r->db, r->arena, sv.id, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, round_json(r, &rd[i]));
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* PUT /api/v1/surveys/{id}/rounds/{round}/response (member): the caller's
 * answers {"answers":[{"question_id","value"}],"final":bool}. Answers 200
 * with {"final", "reply_url"}: the private link to replies, shown once. */
int surveys_api_respond(Req *r) {
    static const char *const KEYS[] = {"answers", "final", NULL};
    json_t *o = body_object(r, KEYS); /* the body's form first (415/400), like every route */
    if (!o) return -1;
    Survey sv;
    Round rd;
    if (load_survey_or_404(r, &sv) || load_round_or_404(r, &sv, &rd)) return -1;
    json_t *list = json_object_get(o, "answers"), *fin = json_object_get(o, "final");
    if (!json_is_array(list) || json_array_size(list) > QUESTIONS_MAX) return resp_error(r, 400, "bad_request", "answers is a list of {\"question_id\", \"value\"}.");
    if (fin && !json_is_boolean(fin)) return resp_error(r, 400, "bad_request", "final is true or false.");
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    Errors e = {0};
    AnswerOut out = {0};
    if (survey_answer(r, &sv, &rd, q, nq, list, NULL, json_is_true(fin), &out, &e) != 0) return err_send(r, &e);
    json_t *res = json_pack("{s:b}", "final", json_is_true(fin));
    json_object_set_new(res, "reply_url", out.has_token ? json_string(arena_printf(r->arena, "/survey-reply?token=%s", out.reply_token)) : json_null());
    resp_json(r, 200, res);
    return 0;
}

/* GET /api/v1/surveys/{id}/rounds/{round}/response (member): the caller's
 * part-saved answers of an open round (none once final). */
int surveys_api_draft(Req *r) {
    Survey sv;
    Round rd;
    if (load_survey_or_404(r, &sv) || load_round_or_404(r, &sv, &rd)) return -1;
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    Answers ans = answers_new(r->arena, nq);
    if (strcmp(rd.status, "open") == 0) survey_draft_load(r, &rd, q, nq, &ans);
    json_t *list = json_array();
    json_t *stored = answers_json(q, &ans, true);
    const char *key;
    json_t *v;
    json_object_foreach(stored, key, v) json_array_append_new(list, json_pack("{s:I,s:O}", "question_id", (json_int_t)strtoll(key, NULL, 10), "value", v));
    json_decref(stored);
    int64_t mine = 0;
    db_one_int(r->db, &mine, "SELECT count(*) FROM survey_participant WHERE round_id = ? AND person_id = ?", "ii", rd.id, r->who.person_id);
    resp_json(r, 200, json_pack("{s:o,s:b}", "answers", list, "final", mine > 0));
    return 0;
}

/* POST /api/v1/surveys/{id}/rounds/{round}/close (member; admins or the
 * survey's owner): closes an open round before its date. */
int surveys_api_close(Req *r) {
    Survey sv;
    Round rd;
    if (load_survey_or_404(r, &sv) || load_round_or_404(r, &sv, &rd)) return -1;
    if (!may_manage(r, &sv)) return resp_error(r, 403, "forbidden", "Only admins and the survey's owner may close a round.");
    if (strcmp(rd.status, "open") != 0) return resp_error(r, 409, "not_open", "Only an open round can be closed (this one is %s).", rd.status);
    Errors e = {0};
    if (db_begin(r->db) != DB_OK) {
        err_busy(&e);
        return err_send(r, &e);
    }
    int rc = round_close(r->db, r->arena, rd.id, r->now);
    if (rc == 0) audit(r, "survey.close", arena_printf(r->arena, "survey:%lld", (long long)sv.id), "round %d closed early", rd.number);
    if (rc != 0 || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(&e);
        return err_send(r, &e);
    }
    round_find(r->db, r->arena, sv.id, rd.id, &rd);
    resp_json(r, 200, round_json(r, &rd));
    return 0;
}

/* results_group: ?team_id= as a node of the round's tree, checked against
 * what the caller may see; -1 after sending the error. */
static int results_group(Req *r, const Tree *t) {
    const char *ts = req_query(r, "team_id");
    int64_t tid = 0;
    if (ts && *ts && strcmp(ts, "0") != 0 && !parse_id(ts, &tid)) return resp_error(r, 400, "invalid_parameter", "team_id must be a team's id.");
    int node = tid ? tree_find(t, tid) : 0;
    if (node < 0) return resp_error(r, 404, "not_found", "This round has no team %lld.", (long long)tid);
    if (!survey_may_see_team(r, t, node)) return resp_error(r, 403, "forbidden", "You may see the organisation's results, your own team's and those of the teams you lead.");
    return node;
}

/* breakdown_check: only ?breakdown=team exists; any other attribute (tenure,
 * day, role ...) is refused: it would cut groups below k. */
static int breakdown_check(Req *r, bool *teams) {
    const char *b = req_query(r, "breakdown");
    *teams = false;
    if (!b || !*b) return 0;
    if (strcmp(b, "team") == 0) {
        if (r->who.access < ACCESS_MANAGER) return resp_error(r, 403, "forbidden", "The team breakdown is for managers and admins.");
        *teams = true;
        return 0;
    }
    return resp_error(r, 400, "breakdown_refused", "Results are broken down by team only: a second attribute (such as tenure or day) could single people out.");
}

/* GET /api/v1/surveys/{id}/rounds/{round}/results?team_id=&breakdown=team
 * (member): a closed round's results for a group; hidden below k. */
int surveys_api_results(Req *r) {
    Survey sv;
    Round rd;
    if (load_survey_or_404(r, &sv) || load_round_or_404(r, &sv, &rd)) return -1;
    bool teams;
    if (breakdown_check(r, &teams) != 0) return -1;
    if (strcmp(rd.status, "closed") != 0) return resp_error(r, 409, "not_closed", "Results appear when the round closes (%s), and never change afterwards.", rd.closes_on);
    Tree t;
    tree_load_closed(r->db, r->arena, sv.org_id, rd.id, &t);
    int node = results_group(r, &t);
    if (node < 0) return -1;
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    resp_json(r, 200, survey_results_json(r->db, r->arena, &sv, &rd, q, nq, &t, node, teams, r));
    return 0;
}

/* ---------- comments and the anonymous conversation ---------- */

/* GET /api/v1/surveys/{id}/rounds/{round}/comments?team_id= (manager): the
 * free-text answers of a group the caller may see, when it has at least
 * min_comments of them and its results are shown. */
int surveys_api_comments(Req *r) {
    Survey sv;
    Round rd;
    if (load_survey_or_404(r, &sv) || load_round_or_404(r, &sv, &rd)) return -1;
    if (strcmp(rd.status, "closed") != 0) return resp_error(r, 409, "not_closed", "Comments appear when the round closes.");
    Tree t;
    tree_load_closed(r->db, r->arena, sv.org_id, rd.id, &t);
    int node = results_group(r, &t);
    if (node < 0) return -1;
    if (r->who.access < ACCESS_ADMIN && node == 0) return resp_error(r, 403, "forbidden", "The organisation's comments are for admins; pick a team you lead.");
    bool shown;
    json_t *items = survey_comments_json(r->db, r->arena, &sv, &rd, &t, node, &shown);
    resp_json(r, 200, json_pack("{s:b,s:i,s:o}", "hidden", !shown, "min_comments", sv.kc, "items", items));
    return 0;
}

/* comment_may_reply: an admin, or a manager whose led subtree holds the
 * comment's group (as stored after close) and shows its comments. */
static bool comment_may_reply(Req *r, int64_t comment_id, int64_t *round_out) {
    Stmt *s = db_q(r->db,
                   "SELECT c.round_id, coalesce(c.team_id, 0), rd.survey_id FROM survey_comment c JOIN survey_round rd ON rd.id = c.round_id "
                   "WHERE c.id = ? AND c.org_id = ? AND rd.status = 'closed'",
                   "ii", comment_id, r->who.org_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return false;
    }
    int64_t round = db_int(s, 0), team = db_int(s, 1), sid = db_int(s, 2);
    db_reset(s);
    *round_out = round;
    Survey sv;
    Round rd;
    if (!survey_find(r->db, r->arena, r->who.org_id, sid, &sv) || !round_find(r->db, r->arena, sid, round, &rd)) return false;
    Tree t;
    tree_load_closed(r->db, r->arena, sv.org_id, rd.id, &t);
    int at = tree_find(&t, team);
    if (at < 0) at = 0;
    for (int node = at; node >= 0; node = t.parent[node]) {
        if (!(r->who.access >= ACCESS_ADMIN || (node > 0 && r->who.access >= ACCESS_MANAGER && survey_may_see_team(r, &t, node)))) continue;
        bool shown;
        json_decref(survey_comments_json(r->db, r->arena, &sv, &rd, &t, node, &shown));
        if (shown) return true;
    }
    return false;
}

static int add_reply(Db *db, Arena *a, int64_t comment_id, int64_t author_id, const char *text, int64_t now) {
    int64_t seq = 0;
    db_one_int(db, &seq, "SELECT coalesce(max(seq), 0) + 1 FROM survey_reply WHERE comment_id = ?", "i", comment_id);
    int64_t id = anon_new_id(db, "SELECT count(*) FROM survey_reply WHERE id = ? OR id = ?");
    if (!id) return DB_BUSY;
    return db_exec(db, "INSERT INTO survey_reply(id, comment_id, seq, author_id, body, day) VALUES (?, ?, ?, ?, ?, ?)", "iiiItt", id, comment_id, seq, author_id,
                   text, anon_date(a, now));
}

int surveys_reply_named(Req *r, int64_t comment_id, const char *text, Errors *e);
/* surveys_reply_named: a manager's or admin's reply to a comment, named. */
int surveys_reply_named(Req *r, int64_t comment_id, const char *text, Errors *e) {
    int64_t round = 0;
    if (!comment_may_reply(r, comment_id, &round)) {
        err_add(e, 404, "not_found", NULL, "There is no comment here that you may answer.");
        return -1;
    }
    text = text ? str_trim(r->arena, text) : NULL;
    if (!text || !*text || utf8_chars(text) > COMMENT_MAX) {
        err_add(e, 422, "invalid", "text", "A reply is a text of 1 to 4000 characters.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = add_reply(r->db, r->arena, comment_id, r->who.person_id, text, r->now);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* POST /api/v1/survey-comments/{id}/replies (manager) {"text"}: a named
 * reply, which the comment's writer reads through their private link. */
int surveys_api_reply(Req *r) {
    static const char *const KEYS[] = {"text", NULL};
    json_t *o = body_object(r, KEYS);
    if (!o) return -1;
    Errors e = {0};
    if (surveys_reply_named(r, r->params[0], json_string_value(json_object_get(o, "text")), &e) != 0) return err_send(r, &e);
    resp_json(r, 201, json_pack("{s:b}", "ok", 1));
    return 0;
}

/* surveys_comment_sentiment: an admin's correction of a comment's computed
 * sentiment, kept beside it (label SENT_*, or -3 to remove it); 0 ok, -1
 * with e. */
int surveys_comment_sentiment(Req *r, int64_t id, int label, Errors *e);
int surveys_comment_sentiment(Req *r, int64_t id, int label, Errors *e) {
    int64_t n = 0;
    db_one_int(r->db, &n, "SELECT count(*) FROM survey_comment WHERE id = ? AND org_id = ?", "ii", id, r->who.org_id);
    if (!n) {
        err_add(e, 404, "not_found", NULL, "There is no such comment.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = label == -3 ? db_exec(r->db, "UPDATE survey_comment SET sentiment_override = NULL WHERE id = ? AND org_id = ?", "ii", id, r->who.org_id)
                         : db_exec(r->db, "UPDATE survey_comment SET sentiment_override = ? WHERE id = ? AND org_id = ?", "iii", (int64_t)label, id, r->who.org_id);
    if (rc == DB_OK) audit(r, "survey.comment.sentiment", arena_printf(r->arena, "survey_comment:%lld", (long long)id), "override %s", label == -3 ? "removed" : sentiment_name(label));
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* PATCH /api/v1/survey-comments/{id} (admin) {"sentiment"}: an admin's
 * correction of the computed sentiment, kept beside it; null removes it. */
int surveys_api_comment_patch(Req *r) {
    static const char *const KEYS[] = {"sentiment", NULL};
    json_t *o = body_object(r, KEYS);
    if (!o) return -1;
    json_t *v = json_object_get(o, "sentiment");
    int label = json_is_null(v) ? -3 : sentiment_parse(json_string_value(v));
    if (!v || label == -2) return resp_error(r, 422, "invalid", "sentiment is positive, neutral, negative or null.");
    Errors e = {0};
    if (surveys_comment_sentiment(r, r->params[0], label, &e) != 0) return err_send(r, &e);
    resp_json(r, 200, json_pack("{s:o}", "sentiment_override", label == -3 ? json_null() : json_string(sentiment_name(label))));
    return 0;
}

/* token_comments: the ids of the comments whose reply slots the token opens. */
int surveys_token_comments(Db *db, Arena *a, const char *token, int64_t *ids, int max);
int surveys_token_comments(Db *db, Arena *a, const char *token, int64_t *ids, int max) {
    if (!token || strlen(token) != 43) return 0;
    int n = 0;
    for (int slot = 0; slot < TEXTS_MAX && n < max; slot++) {
        char h[65];
        reply_slot_hash(a, token, slot, h);
        int64_t id = 0;
        if (db_one_int(db, &id, "SELECT id FROM survey_comment WHERE reply_hash = ?", "t", h)) ids[n++] = id;
        else break;
    }
    return n;
}

/* surveys_conversation_json: one comment and its replies, for its writer:
 * managers' replies are named, the writer's own say "you". */
json_t *surveys_conversation_json(Db *db, Arena *a, int64_t comment_id);
json_t *surveys_conversation_json(Db *db, Arena *a, int64_t comment_id) {
    Stmt *s = db_q(db, "SELECT c.body, q.text, sv.title FROM survey_comment c JOIN survey_question q ON q.id = c.question_id JOIN survey sv ON sv.id = q.survey_id WHERE c.id = ?",
                   "i", comment_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return json_null();
    }
    json_t *o = json_pack("{s:I,s:o,s:o,s:o}", "id", (json_int_t)comment_id, "text", json_text(db_text(s, 0)), "question", json_text(db_text(s, 1)), "survey",
                          json_text(db_text(s, 2)));
    db_reset(s);
    json_t *rs = json_array();
    s = db_q(db, "SELECT r.author_id, p.name, r.body, r.day FROM survey_reply r LEFT JOIN person p ON p.id = r.author_id WHERE r.comment_id = ? ORDER BY r.seq", "i",
             comment_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(rs, json_pack("{s:o,s:o,s:o}", "from", db_null(s, 0) ? json_null() : json_text(db_text(s, 1)), "text", json_text(db_text(s, 2)),
                                            "day", json_text(db_text(s, 3))));
    db_reset(s);
    (void)a;
    json_object_set_new(o, "replies", rs);
    return o;
}

/* GET /api/v1/survey-replies?token= (public): the comments of the private
 * link's writer with their replies. */
int surveys_api_replies(Req *r) {
    int64_t ids[TEXTS_MAX];
    int n = surveys_token_comments(r->db, r->arena, req_query(r, "token"), ids, TEXTS_MAX);
    if (!n) return resp_error(r, 404, "not_found", "There are no comments at this link.");
    r->no_trace = true;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, surveys_conversation_json(r->db, r->arena, ids[i]));
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

int surveys_reply_anonymous(Req *r, const char *token, int64_t comment_id, const char *text, Errors *e);
/* surveys_reply_anonymous: the writer answers through their link: no
 * author, the day only, no trace in their session. */
int surveys_reply_anonymous(Req *r, const char *token, int64_t comment_id, const char *text, Errors *e) {
    int64_t ids[TEXTS_MAX];
    int n = surveys_token_comments(r->db, r->arena, token, ids, TEXTS_MAX), ok = 0;
    for (int i = 0; i < n; i++) ok |= ids[i] == comment_id;
    if (!ok) {
        err_add(e, 404, "not_found", NULL, "There is no comment at this link.");
        return -1;
    }
    text = text ? str_trim(r->arena, text) : NULL;
    if (!text || !*text || utf8_chars(text) > COMMENT_MAX) {
        err_add(e, 422, "invalid", "text", "A reply is a text of 1 to 4000 characters.");
        return -1;
    }
    r->no_trace = true;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = add_reply(r->db, r->arena, comment_id, 0, text, r->now);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* POST /api/v1/survey-replies (public) {"token","comment_id","text"}. */
int surveys_api_reply_anonymous(Req *r) {
    static const char *const KEYS[] = {"token", "comment_id", "text", NULL};
    json_t *o = body_object(r, KEYS);
    if (!o) return -1;
    Errors e = {0};
    if (surveys_reply_anonymous(r, json_string_value(json_object_get(o, "token")), json_id(o, "comment_id"), json_string_value(json_object_get(o, "text")), &e) != 0)
        return err_send(r, &e);
    resp_json(r, 201, json_pack("{s:b}", "ok", 1));
    return 0;
}

/* ---------- for the pages ---------- */

int surveys_answer_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, const Answers *ans, bool final, char token_out[44], Errors *e);
int surveys_answer_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, const Answers *ans, bool final, char token_out[44], Errors *e) {
    AnswerOut out = {0};
    int rc = survey_answer(r, sv, rd, q, nq, NULL, ans, final, &out, e);
    token_out[0] = 0;
    if (rc == 0 && out.has_token) memcpy(token_out, out.reply_token, 44);
    return rc;
}
void surveys_draft_for(Req *r, const Round *rd, const Question *q, int nq, Answers *ans);
void surveys_draft_for(Req *r, const Round *rd, const Question *q, int nq, Answers *ans) { survey_draft_load(r, rd, q, nq, ans); }
Answers surveys_answers_new(Arena *a, int n);
Answers surveys_answers_new(Arena *a, int n) { return answers_new(a, n); }
Round *surveys_rounds(Db *db, Arena *a, int64_t survey_id, int *n);
Round *surveys_rounds(Db *db, Arena *a, int64_t survey_id, int *n) { return rounds_of(db, a, survey_id, n); }
bool surveys_may_manage(Req *r, const Survey *sv);
bool surveys_may_manage(Req *r, const Survey *sv) { return may_manage(r, sv); }
