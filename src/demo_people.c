/* demo_people.c: the Grow part of the demo (issue 14 part A): a year of
 * recognition across the organisation's values, deliberately uneven (the
 * Bakery and Café Riverside are thanked far more than Customer Care and
 * Café Old Town, and a few people collect much of it, so that a fairness
 * audit has something true to say); feedback and requests between
 * colleagues; one-to-ones for the head baker's team with agendas, private
 * notes and actions; and a completed 360 round for a shift lead (Emma
 * Larsen). The large demo gets recognition in proportion to its people.
 * Written inside the demo's transaction; deterministic (a fixed seed),
 * times relative to `now`. */
#include "cli.h"
#include "handlers.h"
#include "notify.h"
#include "surveys.h" /* date_add */
#include <stdio.h>
#include <string.h>

#define DAY 86400

static int64_t person_id(Db *db, int64_t org, const char *email) {
    int64_t id = 0;
    db_one_int(db, &id, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, email);
    return id;
}

/* the organisation's values, as the demo wrote them (demo.c's VALUES) */
static const char *const VALUES[] = {"Craft before speed", "Decide where the work is", "Say it early, say it kindly", "Waste nothing", "Every guest leaves happier"};
/* how often each value is tagged: uneven on purpose */
static const int VALUE_WEIGHT[] = {30, 12, 8, 35, 15};

static const char *const MESSAGES[][4] = {
    {"Took the time to shape every loaf by hand when the divider broke. They looked better than usual.",
     "Re-did the croissant lamination instead of sending out a rushed batch. That's what we stand for.",
     "Taught the apprentices how to read the dough, not just the clock.",
     "The sourdough for the market was the best we've had all year."},
    {"Refunded the birthday cake on the spot and sorted out a new one, without waiting for anyone.",
     "Changed the delivery route when the bridge was closed and told us after. Saved the morning.",
     "Rearranged the rota with the team instead of asking me to. It worked better than my plan would have.",
     "Decided to close the terrace in the storm and kept everyone safe."},
    {"Told me early that the flour order looked wrong. It was, and we fixed it in time.",
     "Raised the oven temperature problem kindly and clearly in the team meeting.",
     "Gave the new barista honest, gentle feedback on milk texture. You could see her improve by the afternoon.",
     "Spoke up about the allergen label before it went out."},
    {"Turned yesterday's bread into croutons for the soup: nothing went in the bin this week.",
     "Set up the evening surprise bags and sold out on the first night.",
     "Weighed the waste every day for a month so we could see where it comes from.",
     "Froze the extra dough instead of throwing it away: 40 loaves saved."},
    {"Remembered the regular's name and order, and her dog's. She told three friends.",
     "Stayed calm and warm through the Saturday queue and kept everyone smiling.",
     "Found a gluten-free option for the wedding guest at five minutes' notice.",
     "Walked the lost child back to her parents and gave her a cookie on the way."},
};

/* pick: an index into weights (n of them) by their weight */
static int pick(uint64_t *rng, const int *weights, int n) {
    int total = 0;
    for (int i = 0; i < n; i++) total += weights[i];
    int64_t x = rng_between(rng, 0, total - 1);
    for (int i = 0; i < n; i++)
        if ((x -= weights[i]) < 0) return i;
    return n - 1;
}

typedef struct DPerson { int64_t id, team, manager; int weight; } DPerson;

/* people: everyone active with a weight for how often they are
 * recognised: by team (the bakery and Riverside far more), and a few
 * people much more than their colleagues. */
static DPerson *people(Db *db, Arena *a, int64_t org, int *n) {
    int cap = 64;
    DPerson *v = arena_alloc(a, sizeof *v * (size_t)cap);
    *n = 0;
    Stmt *s = db_q(db,
                   "SELECT p.id, coalesce(p.team_id, 0), coalesce(p.manager_id, 0), coalesce(t.name, ''), p.email_lc FROM person p "
                   "LEFT JOIN team t ON t.id = p.team_id WHERE p.org_id = ? AND p.status <> 'left' ORDER BY p.id",
                   "i", org);
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(a, v, &cap, sizeof *v);
        const char *team = db_text(s, 3), *email = db_text(s, 4);
        int w = 4;
        if (strcmp(team, "Bakery") == 0) w = 12;
        else if (strcmp(team, "Café Riverside") == 0) w = 10;
        else if (strcmp(team, "Café Old Town") == 0) w = 2;
        else if (strcmp(team, "Customer Care & Catering") == 0) w = 1;
        else if (strcmp(team, "Leadership") == 0) w = 3;
        else w = 1 + (int)(db_int(s, 1) % 7); /* the large demo's teams: some thanked more than others */
        if (strcmp(email, "kofi.mensah@example.com") == 0 || strcmp(email, "emma.larsen@example.com") == 0) w *= 4;
        if (strcmp(email, "member@example.com") == 0) w = 2;
        v[*n] = (DPerson){db_int(s, 0), db_int(s, 1), db_int(s, 2), w};
        (*n)++;
    }
    db_reset(s);
    return v;
}

static int demo_recognition(Db *db, Arena *a, int64_t org, int64_t now, bool large) {
    uint64_t rng = 0x5eed14a;
    int n;
    DPerson *p = people(db, a, org, &n);
    if (n < 3) return 0;
    int *w = arena_alloc(a, sizeof *w * (size_t)n), *flat = arena_alloc(a, sizeof *flat * (size_t)n);
    for (int i = 0; i < n; i++) w[i] = p[i].weight, flat[i] = 1;
    int total = large ? n * 6 : 160; /* a year */
    int64_t bakery = 0;
    db_one_int(db, &bakery, "SELECT id FROM team WHERE org_id = ? AND name = 'Bakery'", "i", org);
    int64_t decision = 0, idea = 0;
    db_one_int(db, &decision, "SELECT id FROM decision WHERE org_id = ? ORDER BY id LIMIT 1", "i", org);
    db_one_int(db, &idea, "SELECT id FROM idea WHERE org_id = ? AND stage = 'implemented' ORDER BY id LIMIT 1", "i", org);
    int rc = DB_OK;
    for (int k = 0; rc == DB_OK && k < total; k++) {
        int64_t at = now - (int64_t)(365 - (k * 365 / total)) * DAY + rng_between(&rng, 6 * 3600, 18 * 3600);
        if (at > now) at = now - 3600;
        int to = pick(&rng, w, n), giver = pick(&rng, flat, n);
        if (p[giver].id == p[to].id) giver = (giver + 1) % n;
        int v = pick(&rng, VALUE_WEIGHT, 5);
        bool private_ = rng_between(&rng, 0, 9) < 2;
        bool team = !large && bakery && k % 37 == 5;
        const char *cites = "[]";
        if (k % 29 == 3 && decision) cites = arena_printf(a, "[{\"kind\":\"decision\",\"id\":%lld}]", (long long)decision);
        else if (k % 31 == 7 && idea) cites = arena_printf(a, "[{\"kind\":\"idea\",\"id\":%lld}]", (long long)idea);
        rc = db_exec(db, "INSERT INTO recognition(org_id, giver_id, team_id, body, visibility, values_json, cites_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     "iiIttttI", org, p[giver].id, team ? bakery : 0, MESSAGES[v][rng_between(&rng, 0, 3)], private_ ? "private" : "public",
                     arena_printf(a, "[\"%s\"]", VALUES[v]), cites, at);
        int64_t id = db_last_id(db);
        if (rc == DB_OK) rc = db_exec(db, "INSERT INTO recognition_value(recognition_id, org_id, value) VALUES (?, ?, ?)", "iit", id, org, VALUES[v]);
        if (team) {
            if (rc == DB_OK)
                rc = db_exec(db,
                             "INSERT OR IGNORE INTO recognition_recipient(recognition_id, person_id, org_id, created_at) SELECT ?, id, org_id, ? FROM person "
                             "WHERE org_id = ? AND team_id = ? AND status <> 'left' AND id <> ?",
                             "iiiii", id, at, org, bakery, p[giver].id);
        } else {
            if (rc == DB_OK) rc = db_exec(db, "INSERT INTO recognition_recipient(recognition_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)", "iiii", id, p[to].id, org, at);
            /* now and then a second colleague from the same team */
            if (rc == DB_OK && k % 5 == 0)
                for (int j = 0; j < n; j++)
                    if (j != to && j != giver && p[j].team == p[to].team) {
                        rc = db_exec(db, "INSERT INTO recognition_recipient(recognition_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)", "iiii", id, p[j].id, org, at);
                        break;
                    }
        }
        /* +1s from a few others (public ones) */
        int plus = private_ ? 0 : (int)rng_between(&rng, 0, 4);
        for (int j = 0; rc == DB_OK && j < plus; j++) {
            int x = pick(&rng, flat, n);
            if (x == giver || x == to) continue;
            rc = db_exec(db, "INSERT OR IGNORE INTO recognition_plus(recognition_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)", "iiii", id, p[x].id, org, at + 3600);
        }
    }
    return rc;
}

static int demo_feedback(Db *db, int64_t org, int64_t now) {
    int64_t member = person_id(db, org, "member@example.com"), sam = person_id(db, org, "sam.carter@example.com"),
            tom = person_id(db, org, "tom.brennan@example.com"), tomas = person_id(db, org, "manager@example.com"),
            ines = person_id(db, org, "ines.moreau@example.com"), kofi = person_id(db, org, "kofi.mensah@example.com"),
            amara = person_id(db, org, "amara.nwosu@example.com"), adam = person_id(db, org, "admin@example.com");
    static const char *const ADD = "INSERT INTO feedback(org_id, giver_id, recipient_id, request_id, about, body, shared_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    int rc = db_exec(db, "INSERT INTO feedback_request(org_id, asker_id, asked_id, about, status, created_at) VALUES (?, ?, ?, ?, 'answered', ?)", "iiiti", org, member, sam,
                     "How I handled the catering complaint on Friday", now - 20 * DAY);
    int64_t req = db_last_id(db);
    if (rc == DB_OK)
        rc = db_exec(db, ADD, "iiiIttIi", org, sam, member, req, "How I handled the catering complaint on Friday",
                     "You listened to the whole story before offering anything, and the customer calmed down. Next time, offer the refund "
                     "before they have to ask for it: you are allowed to, up to your limit.",
                     now - 18 * DAY, now - 19 * DAY);
    if (rc == DB_OK)
        rc = db_exec(db, ADD, "iiiIttIi", org, tom, member, 0, "The new order form",
                     "The form you made saves me ten minutes a day. Could you add the delivery window as a field?", 0, now - 9 * DAY);
    if (rc == DB_OK)
        rc = db_exec(db, ADD, "iiiIttIi", org, member, amara, 0, "The wedding tasting",
                     "The tasting menu was lovely. The guests waited a while for the second course; a quick word to them would have helped.", 0, now - 5 * DAY);
    if (rc == DB_OK)
        rc = db_exec(db, ADD, "iiiIttIi", org, ines, tomas, 0, "The Monday planning meeting",
                     "The meeting runs long because we go through every order. Could we only discuss the exceptions?", 0, now - 12 * DAY);
    if (rc == DB_OK)
        rc = db_exec(db, ADD, "iiiIttIi", org, tomas, kofi, 0, "Training Aisha", "You explain the dough by letting her feel it. Keep doing that.", 0, now - 30 * DAY);
    int64_t olivia = person_id(db, org, "owner@example.com");
    if (rc == DB_OK)
        rc = db_exec(db, ADD, "iiiIttIi", org, adam, olivia, 0, "The all-hands in March",
                     "People loved hearing the numbers straight from you. The Q&A was rushed; leave twice the time for it.", 0, now - 40 * DAY);
    /* open requests: the member and the head baker each have one waiting */
    if (rc == DB_OK)
        rc = db_exec(db, "INSERT INTO feedback_request(org_id, asker_id, asked_id, about, created_at) VALUES (?, ?, ?, ?, ?)", "iiiti", org, amara, member,
                     "My first catering event as coordinator", now - 2 * DAY);
    if (rc == DB_OK)
        rc = db_exec(db, "INSERT INTO feedback_request(org_id, asker_id, asked_id, about, created_at) VALUES (?, ?, ?, ?, ?)", "iiiti", org, ines, tomas,
                     "The new pastry display", now - 1 * DAY);
    if (rc == DB_OK)
        rc = db_exec(db, "INSERT INTO feedback_request(org_id, asker_id, asked_id, about, created_at) VALUES (?, ?, ?, ?, ?)", "iiiti", org, tomas, adam,
                     "How I ran the oven replacement", now - 3 * DAY);
    return rc;
}

static int demo_one_to_ones(Db *db, Arena *a, int64_t org, int64_t now, const char *manager_email) {
    int64_t tomas = person_id(db, org, manager_email);
    int64_t reports[20];
    int n = 0;
    Stmt *s = db_q(db, "SELECT id FROM person WHERE org_id = ? AND manager_id = ? AND status <> 'left' ORDER BY id LIMIT 20", "ii", org, tomas);
    while (n < 20 && db_step(s) == DB_ROW) reports[n++] = db_int(s, 0);
    db_reset(s);
    char *today = today_date(a, now);
    static const char *const AGENDA[][2] = {
        {"How the early shift is going", "Swapping Saturdays with Luca"},
        {"The new oven's temperature curve", "Training for the allergen course"},
        {"Holiday plans for August", "Ideas for the rye range"},
    };
    static const char *const NOTES_MGR[] = {"Seems keen to take on the dough trials; offer it next time.", "Mentioned being tired after the double shifts. Check the rota.",
                                            "Ready for more responsibility with the apprentices."};
    static const char *const NOTES_REP[] = {"Ask about the pastry course budget.", "Bring up the broken mixer again.", "Say thanks for the flexible hours."};
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        const char *rhythm = i % 3 == 2 ? "monthly" : i % 3 == 1 ? "weekly" : "biweekly";
        rc = db_exec(db, "INSERT INTO one_to_one(org_id, manager_id, report_id, rhythm, next_on, created_at) VALUES (?, ?, ?, ?, ?, ?)", "iiitti", org, tomas, reports[i],
                     rhythm, date_add(a, today, 1 + i % 12), now - 120 * DAY);
        int64_t id = db_last_id(db);
        for (int k = 0; rc == DB_OK && k < 2; k++)
            rc = db_exec(db, "INSERT INTO one_to_one_item(one_to_one_id, org_id, author_id, text, done_at, created_at) VALUES (?, ?, ?, ?, ?, ?)", "iiitIi", id, org,
                         k ? reports[i] : tomas, AGENDA[i % 3][k], k == 0 && i % 2 ? now - 14 * DAY : 0, now - 20 * DAY);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO one_to_one_note(one_to_one_id, org_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)", "iiiti", id, org, tomas,
                         NOTES_MGR[i % 3], now - 14 * DAY);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO one_to_one_note(one_to_one_id, org_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)", "iiiti", id, org, reports[i],
                         NOTES_REP[i % 3], now - 15 * DAY);
        if (rc == DB_OK && i < 3 &&
            !actions_create(db, a, org, i == 0 ? "Book the allergen course" : i == 1 ? "Write down the oven's temperature curve" : "Try the new rye recipe on Tuesday",
                            i == 1 ? tomas : reports[i], date_add(a, today, 10 + i), "one_to_one", id, tomas, now - 14 * DAY))
            rc = DB_ERROR;
    }
    return rc;
}

int demo_people(Db *db, int64_t org, int64_t now, bool large) {
    Arena *a = arena_new();
    int rc = demo_recognition(db, a, org, now, large);
    if (rc == DB_OK) rc = demo_feedback(db, org, now);
    if (rc == DB_OK) rc = demo_one_to_ones(db, a, org, now, "manager@example.com"); /* the head baker's team */
    if (rc == DB_OK) rc = demo_one_to_ones(db, a, org, now, "owner@example.com");   /* the founder's leads */
    if (rc == DB_OK) rc = demo_review360(db, a, org, now);                           /* Emma Larsen, shift lead (review360.c) */
    arena_free(a);
    return rc == DB_OK ? 0 : -1;
}
