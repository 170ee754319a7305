/* demo_surveys.c: the demo's surveys (issue 12), called once at the end of
 * demo_create inside its transaction. Small: a culture audit six months ago
 * and a monthly pulse since, answered by most people with believable
 * variation (Café Old Town low on psychological safety, rising after the
 * third month), comments in English and German, and an anonymous
 * conversation (a manager's named reply and the writer's anonymous
 * answer), two action plans (the organisation's on recognition after the
 * audit; Café Old Town's on safety after the third pulse, which is when its
 * safety rises), and the suggestion box with answered suggestions in
 * English and German; the current month's pulse is open. Large: the same pulse for
 * twelve months over everyone. Answers go through the real paths
 * (ballot_store, round_close), so the demo's rows keep the contract. */
#include "surveys.h"
#include "handlers.h"
#include "cli.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const COMMENTS[][2] = {
    /* text, team hint ("" any) */
    {"The new rota is great, thank you for listening.", ""},
    {"Too many shifts in a row, the workload is heavy.", ""},
    {"Die Kommunikation im Team ist wirklich gut.", ""},
    {"Ich wünsche mir mehr Anerkennung für die Frühschicht.", ""},
    {"The oven keeps breaking and nobody fixes it.", ""},
    {"I love that I can decide small refunds myself!", ""},
    {"Pay is not fair compared to other bakeries.", ""},
    {"Mistakes are still held against people here.", "Café Old Town"},
    {"Wir haben zu wenig Personal am Wochenende.", ""},
    {"Management listens more than a year ago.", ""},
    {"The till software is slow and frustrating.", ""},
    {"Es ist okay.", ""},
    {"Since the team talk it feels safer to speak up.", "Café Old Town"},
};
#define NCOMMENTS (int)(sizeof COMMENTS / sizeof COMMENTS[0])

typedef struct Person { int64_t id, team; bool low, top; } Person;

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* answer_of: a believable answer: the item's base, the person's own
 * leaning, the team's safety level for safety items, and noise. */
static int answer_of(uint64_t *rng, const Question *q, double lean, double safety) {
    double noise = (double)rng_between(rng, -100, 100) / 100.0;
    if (q->kind == Q_SCALE10) return clampi((int)lround(7.2 + 1.6 * lean + 1.4 * noise), 0, 10);
    bool safe = q->factor && strcmp(q->factor, "safety") == 0;
    double top = q->kind == Q_AGREE7 ? 7 : 5, mid = q->kind == Q_AGREE7 ? 4.9 : 3.6;
    double scored = (safe ? mid + safety * (top - 1) / 6 : mid) + lean + 0.9 * noise;
    int s = clampi((int)lround(scored), 1, (int)top);
    return survey_scored(q->kind, q->reverse, s); /* raw = reverse of scored, the same transformation */
}

/* answer_round: most of the people answer round rd; then it is closed
 * (unless keep_open). safety(team low, month) shapes the low team. */
static int answer_round(Db *db, Arena *a, uint64_t *rng, const Survey *sv, Round *rd, const Question *q, int nq, const Person *p, int np, double low_safety,
                        bool keep_open, int share, int64_t now) {
    if (!keep_open && db_exec(db, "UPDATE survey_round SET status = 'open', draft_secret = 'demo' WHERE id = ?", "i", rd->id) != DB_OK) return -1;
    rd->status = "open";
    Answers ans = {nq, arena_alloc(a, sizeof(bool) * (size_t)(nq + 1)), arena_alloc(a, sizeof(int) * (size_t)(nq + 1)), arena_alloc(a, sizeof(char *) * (size_t)(nq + 1))};
    for (int i = 0; i < np; i++) {
        if (!p[i].top && rng_between(rng, 1, 100) > share) continue; /* the leaders answer every time: their small team would hide another */
        double lean = (double)rng_between(rng, -60, 60) / 100.0;
        for (int j = 0; j < nq; j++) {
            ans.has[j] = true;
            if (q[j].kind == Q_TEXT) {
                ans.has[j] = rng_between(rng, 1, 100) <= 30;
                int c = (int)rng_between(rng, 0, NCOMMENTS - 1);
                if (COMMENTS[c][1][0] && !p[i].low) c = 0;
                ans.texts[j] = (char *)COMMENTS[c][0];
            } else ans.values[j] = answer_of(rng, &q[j], lean, p[i].low ? low_safety : 0.6);
        }
        char token[44];
        auth_random_token(token);
        if (ballot_store(db, a, sv, rd, q, &ans, p[i].team, token) != 0) return -1;
        if (db_exec(db, "INSERT INTO survey_participant(round_id, person_id) VALUES (?, ?)", "ii", rd->id, p[i].id) != DB_OK) return -1;
    }
    if (keep_open) return 0;
    return round_close(db, a, rd->id, now);
}

/* add_text_question: the open question every demo survey ends with. */
static int add_text_question(Db *db, int64_t survey_id) {
    return db_exec(db,
                   "INSERT INTO survey_question(survey_id, position, kind, text, text_de, factor, reverse, options, optional) "
                   "VALUES (?, 100, 'text', 'Anything you want to tell us?', 'Möchtest du uns noch etwas sagen?', NULL, 0, '[]', 1)",
                   "i", survey_id);
}

/* conversation: a named reply by the team's lead (or the owner) to one
 * comment of the round, and the writer's anonymous answer. */
static int conversation(Db *db, Arena *a, int64_t org, int64_t round_id, int64_t now) {
    Stmt *s = db_q(db, "SELECT c.id, coalesce(t.lead_id, 0) FROM survey_comment c LEFT JOIN team t ON t.id = c.team_id WHERE c.round_id = ? AND c.sentiment < 0 ORDER BY c.id LIMIT 1",
                   "i", round_id);
    int64_t cid = 0, lead = 0;
    if (db_step(s) == DB_ROW) cid = db_int(s, 0), lead = db_int(s, 1);
    db_reset(s);
    if (!cid) return 0;
    if (!lead) db_one_int(db, &lead, "SELECT id FROM person WHERE org_id = ? AND email_lc = 'owner@example.com'", "i", org);
    const char *text[2] = {"Thank you for saying this. What would help most: fewer shifts in a row, or a longer break between them?",
                           "Fewer in a row. Three closes and then an early start is what wears us down."};
    for (int i = 0; i < 2; i++) {
        int64_t id = anon_new_id(db, "SELECT count(*) FROM survey_reply WHERE id = ? OR id = ?");
        if (!id || db_exec(db, "INSERT INTO survey_reply(id, comment_id, seq, author_id, body, day) VALUES (?, ?, ?, ?, ?, ?)", "iiiItt", id, cid, (int64_t)(i + 1),
                           i == 0 ? lead : (int64_t)0, text[i], anon_date(a, now - (int64_t)(10 - i * 3) * 86400)) != DB_OK)
            return -1;
    }
    return 0;
}

/* plan_add: one action of an action plan, made from a closed round's
 * result for a group (team 0: the organisation) and factor, through the
 * action-items service like the page does; its figure is the stored factor
 * score (none when that group was hidden). status "done" or "open". */
static int plan_add(Db *db, Arena *a, int64_t org, int64_t survey, int64_t round, int64_t team, const char *factor, const char *title, int64_t owner,
                    int64_t maker, const char *due, const char *status, int64_t now) {
    Stmt *s = db_q(db, "SELECT CAST(score AS TEXT) FROM survey_factor_score WHERE round_id = ? AND team_id = ? AND factor = ?", "iit", round, team, factor);
    char *fav = db_step(s) == DB_ROW ? db_dup(s, 0, a) : NULL;
    db_reset(s);
    if (db_exec(db, "INSERT INTO survey_plan(org_id, survey_id, round_id, team_id, factor, favourable) VALUES (?, ?, ?, ?, ?, CAST(? AS REAL))", "iiiitt", org, survey,
                round, team, factor, fav) != DB_OK)
        return -1;
    int64_t plan = db_last_id(db);
    int64_t action = actions_create(db, a, org, title, owner, due, "survey", plan, maker, now);
    if (!action || db_exec(db, "UPDATE survey_plan SET action_id = ? WHERE id = ?", "ii", action, plan) != DB_OK) return -1;
    return db_exec(db, "UPDATE action_item SET status = ? WHERE id = ?", "ti", status, action) == DB_OK ? 0 : -1;
}

/* suggestions: the suggestion box of the organisation and of the bakery,
 * with answered suggestions in English and German and one still new,
 * stored as the releaser leaves them (random ids, the day only). */
static int suggestions(Db *db, Arena *a, int64_t org, int64_t owner, int64_t now) {
    int64_t bakery = 0, baker = 0;
    db_one_int(db, &bakery, "SELECT id FROM team WHERE org_id = ? AND name = 'Bakery'", "i", org);
    db_one_int(db, &baker, "SELECT coalesce(lead_id, 0) FROM team WHERE id = ?", "i", bakery);
    static const struct { int team; const char *text, *answer; int days, answered; } S[] = {
        {0, "Could we have a water dispenser in the back room? Bottles run out every Saturday.",
         "Yes: one is ordered and will stand next to the staff lockers from next month.", 40, 35},
        {0, "Bitte den Dienstplan zwei Wochen im Voraus, nicht erst am Freitag davor.",
         "Ab sofort hängt der Plan spätestens zwei Wochen vorher aus. Danke für den Hinweis!", 30, 27},
        {0, "The staff discount should also cover family members.", "We looked at the numbers: from January, one family member is included.", 21, 14},
        {1, "Der neue Ofen ist super, aber die Einweisung war zu kurz.", "Stimmt. Am Dienstag gibt es eine zweite Einweisung mit dem Techniker.", 12, 10},
        {0, "I would like to learn latte art. Is there a course we could join?", NULL, 3, 0},
    };
    int64_t box[2] = {0, 0};
    for (int b = 0; b < 2; b++) {
        if (b == 1 && !bakery) break;
        if (db_exec(db, "INSERT INTO suggest_box(org_id, team_id, open) VALUES (?, ?, 1)", "ii", org, b ? bakery : (int64_t)0) != DB_OK) return -1;
        box[b] = db_last_id(db);
    }
    for (size_t i = 0; i < sizeof S / sizeof S[0]; i++) {
        if (!box[S[i].team]) continue;
        Sentiment st;
        sentiment_score(S[i].text, &st);
        char token[44], hash[65];
        auth_random_token(token);
        auth_token_hash(token, hash);
        int64_t id = anon_new_id(db, "SELECT (SELECT count(*) FROM suggestion_pending WHERE id = ?) + (SELECT count(*) FROM suggestion WHERE id = ?)");
        int64_t by = S[i].team ? (baker ? baker : owner) : owner;
        if (!id || db_exec(db,
                           "INSERT INTO suggestion(id, org_id, box_id, body, sentiment, words, follow_hash, day, status, answer, answered_by, answered_on) "
                           "VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?)",
                           "iiititittIt", id, org, box[S[i].team], S[i].text, (int64_t)st.label, hash, anon_day(now - (int64_t)S[i].days * 86400),
                           S[i].answer ? "answered" : "new", S[i].answer, S[i].answer ? by : (int64_t)0,
                           S[i].answer ? anon_date(a, now - (int64_t)S[i].answered * 86400) : NULL) != DB_OK)
            return -1;
    }
    return 0;
}

int demo_surveys(Db *db, int64_t org, int64_t now, bool large) {
    Arena *a = arena_new();
    uint64_t rng = 0x5eed5e11u;
    int cap = 64, np = 0;
    Person *p = arena_alloc(a, sizeof *p * (size_t)cap);
    int64_t low_team = 0, owner = 0;
    db_one_int(db, &low_team, "SELECT id FROM team WHERE org_id = ? AND name = 'Café Old Town'", "i", org);
    db_one_int(db, &owner, "SELECT id FROM person WHERE org_id = ? AND email_lc = 'owner@example.com'", "i", org);
    Stmt *s = db_q(db, "SELECT p.id, coalesce(p.team_id, 0), t.parent_id IS NULL FROM person p LEFT JOIN team t ON t.id = p.team_id WHERE p.org_id = ? AND p.status = 'active' ORDER BY p.id", "i", org);
    while (db_step(s) == DB_ROW) {
        if (np == cap) p = arena_grow(a, p, &cap, sizeof *p);
        p[np].id = db_int(s, 0);
        p[np].team = db_int(s, 1);
        p[np].low = low_team && p[np].team == low_team;
        p[np].top = db_int(s, 2) != 0;
        np++;
    }
    db_reset(s);
    char *today = anon_date(a, now);
    int months = large ? 12 : 6, rc = 0;
    /* the culture audit, six months ago (small demo only: the baseline) */
    if (!large) {
        char *opens = date_add(a, today, -186), *closes = date_add(a, opens, 13);
        int64_t id = survey_create_template(db, a, org, owner, "Culture audit", "culture-audit", opens, closes, "none", 5, now);
        if (!id || add_text_question(db, id) != DB_OK) rc = -1;
        Survey sv;
        Round rd;
        int64_t rid = 0;
        db_one_int(db, &rid, "SELECT id FROM survey_round WHERE survey_id = ?", "i", id);
        int nq = 0;
        Question *q = rc ? NULL : survey_questions(db, a, id, &nq);
        if (!rc && survey_find(db, a, org, id, &sv) && round_find(db, a, id, rid, &rd)) rc = answer_round(db, a, &rng, &sv, &rd, q, nq, p, np, -0.9, false, 88, now);
        /* the first action plan: the organisation's, on recognition */
        if (!rc) rc = plan_add(db, a, org, id, rid, 0, "recognition", "A thank-you round at every monthly team meeting", owner, owner, date_add(a, today, -150), "done", now);
        if (!rc) rc = plan_add(db, a, org, id, rid, 0, "recognition", "Name the best idea of the month on the staff board", owner, owner, date_add(a, today, 20), "open", now);
    }
    /* the monthly pulse since, its current round open */
    int64_t pid = 0;
    if (!rc) {
        char *opens = date_add(a, today, -30 * (months - 1) - 3);
        pid = survey_create_template(db, a, org, owner, "Monthly pulse", "pulse", opens, date_add(a, opens, 9), "monthly", 5, now);
        if (!pid || add_text_question(db, pid) != DB_OK) rc = -1;
    }
    int64_t last_closed = 0;
    for (int m = 0; !rc && m < months; m++) {
        Survey sv;
        Round rd;
        int64_t rid = 0;
        char *opens = date_add(a, today, -30 * (months - 1 - m) - 3);
        if (m > 0) rid = round_add(db, pid, org, m + 1, opens, date_add(a, opens, 9));
        else db_one_int(db, &rid, "SELECT id FROM survey_round WHERE survey_id = ? AND number = 1", "i", pid);
        int nq = 0;
        Question *q = survey_questions(db, a, pid, &nq);
        if (!rid || !survey_find(db, a, org, pid, &sv) || !round_find(db, a, pid, rid, &rd)) {
            rc = -1;
            break;
        }
        /* the low team's safety rises after the third month's action */
        double low = m < 3 ? -0.9 + 0.1 * m : 0.1 + 0.3 * (m - 3);
        bool current = m == months - 1;
        if (current) {
            if (round_open(db, a, rid, now) != 0 || !round_find(db, a, pid, rid, &rd)) rc = -1;
            else rc = answer_round(db, a, &rng, &sv, &rd, q, nq, p, np, low, true, 35, now);
        } else {
            rc = answer_round(db, a, &rng, &sv, &rd, q, nq, p, np, low, false, large ? 80 : 85, now);
            last_closed = rid;
            /* the organisation's plan on recognition after the second month (in both sizes) */
            if (!rc && m == 1)
                rc = plan_add(db, a, org, pid, rid, 0, "recognition", "Say thank you by name at the start of every shift briefing", owner, owner,
                              date_add(a, opens, 30), "done", now);
            /* the second action plan: the low team's, on psychological safety, after the third month */
            if (!rc && m == 2 && low_team) {
                int64_t lead = 0;
                db_one_int(db, &lead, "SELECT coalesce(lead_id, 0) FROM team WHERE id = ?", "i", low_team);
                if (!lead) lead = owner;
                rc = plan_add(db, a, org, pid, rid, low_team, "safety", "Team talk: how we handle mistakes, and a no-blame rule for the briefing", lead, lead,
                              date_add(a, opens, 40), "done", now);
                if (!rc) rc = plan_add(db, a, org, pid, rid, low_team, "safety", "The lead tells one of their own mistakes at each weekly briefing", lead, lead, NULL, "done", now);
            }
        }
    }
    if (!rc && last_closed) rc = conversation(db, a, org, last_closed, now);
    if (!rc) rc = suggestions(db, a, org, owner, now);
    arena_free(a);
    if (rc) fprintf(stderr, "remit: demo surveys: %s\n", db_errmsg(db));
    return rc ? -1 : 0;
}
