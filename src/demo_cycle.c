/* demo_cycle.c: the empowerment cycle in the demo: decision domains, role
 * charters with holders, realistic rights, and about six months of logged
 * decisions with approvals, advice, outcomes and lessons, evaluated by the
 * real rights engine, so that the inbox, the log, the learning library, the
 * insights dashboard and earned-autonomy suggestions all have content.
 * Deterministic: the same demo every time (a fixed pseudo-random seed). */
#include "cli.h"
#include "handlers.h"
#include <stdio.h>
#include <string.h>

typedef struct DDomain { const char *slug, *label, *risk; } DDomain;
static const DDomain DOMAINS[] = {
    {"refund", "refunds", "low"},
    {"discount", "discounts", "low"},
    {"rota-swap", "rota swaps", "low"},
    {"supplier-change", "supplier changes", "medium"},
    {"recipe-change", "recipe changes", "medium"},
    {"equipment", "equipment purchases", "high"},
};

typedef struct DRole {
    const char *name, *team, *goal, *purpose, *accountabilities, *resources;
    const char *holders[7];
} DRole;
static const DRole ROLES[] = {
    {"Customer Care Agent", "Customer Care & Catering", "Let front-line staff settle small complaints on the spot",
     "Turn every complaint into a guest who comes back.",
     "[\"Answer every complaint within one working day\",\"Settle small complaints at first contact\",\"Log what went wrong so the bakery can fix it\"]",
     "[\"Refund budget per case\",\"The order system\",\"The complaints inbox\"]",
     {"member@example.com", "tom.brennan@example.com", "mei.chen@example.com"}},
    {"Customer Care Lead", "Customer Care & Catering", "Answer every complaint within one day",
     "Make sure no guest waits for an answer, and that agents can act without waiting for us.",
     "[\"Coach agents on settling complaints\",\"Handle escalations\",\"Report complaint trends monthly\"]", "[\"Refund and goodwill budget\",\"Complaint reports\"]",
     {"sam.carter@example.com"}},
    {"Café Manager", NULL, "Be the neighbourhood's favourite bakery", "Run a café that guests walk past other bakeries to reach.",
     "[\"Staff the rota\",\"Keep the café profitable\",\"Grow the team's skills\",\"Keep the place spotless and safe\"]",
     "[\"Café budget\",\"Rota tool\",\"Till and stock reports\"]", {"maria.lopez@example.com", "jonas.weber@example.com"}},
    {"Shift Lead", NULL, "Answer every complaint within one day", "Keep the shift running smoothly so the team can look after guests.",
     "[\"Open and close the café\",\"Swap shifts when someone is ill\",\"Settle issues at the counter\"]", "[\"Till float\",\"Rota tool\"]",
     {"emma.larsen@example.com", "lena.vogel@example.com"}},
    {"Barista", NULL, "Be the neighbourhood's favourite bakery", "Make every guest's coffee and welcome the best part of their morning.",
     "[\"Serve guests\",\"Keep the coffee station clean\",\"Put things right at the counter\"]", "[\"Small goodwill budget\",\"Coffee and milk stock\"]",
     {"noah.fischer@example.com", "zoe.martin@example.com", "mateo.garcia@example.com", "yuki.tanaka@example.com", "felix.braun@example.com",
      "sara.ahmed@example.com"}},
    {"Head Baker", "Bakery", "Cut food waste by 20% this year", "Bake honest bread every day, with as little waste as possible.",
     "[\"Plan the daily bake\",\"Own recipes and quality\",\"Train apprentices\",\"Choose flour and ingredient suppliers\"]",
     "[\"Bakery budget\",\"Ovens and equipment\",\"Waste and sales data\"]", {"manager@example.com"}},
    {"Baker", "Bakery", "Bake to a forecast, not a habit", "Bake the day's bread and pastries to our standard.",
     "[\"Bake to the plan\",\"Suggest recipe improvements\",\"Record waste\"]", "[\"Ovens\",\"Ingredient stock\"]",
     {"kofi.mensah@example.com", "hana.sato@example.com", "luca.romano@example.com", "ines.moreau@example.com", "grace.okafor@example.com",
      "rosa.mendes@example.com"}},
    {"Purchasing & Suppliers", "Leadership", "Cut food waste by 20% this year", "Buy well: good ingredients at fair prices from reliable suppliers.",
     "[\"Negotiate with suppliers\",\"Keep stock lean\"]", "[\"Purchasing budget\",\"Supplier contracts\"]", {"oscar.lindqvist@example.com"}},
};

/* rights: role name (or NULL + person e-mail), domain, level, limit in
 * cents (-1 none), advisor e-mail */
typedef struct DRight { const char *role, *person, *domain; int level; int64_t limit; const char *advisor; const char *reason; } DRight;
static const DRight RIGHTS[] = {
    {"Customer Care Agent", NULL, "refund", 7, 5000, NULL, "Settle small complaints on the spot."},
    {"Customer Care Agent", NULL, "discount", 6, 2000, NULL, "Goodwill at first contact; tell your lead."},
    {"Customer Care Lead", NULL, "refund", 7, 20000, NULL, "Escalations stay in the team."},
    {"Customer Care Lead", NULL, "discount", 7, 10000, NULL, "Escalations stay in the team."},
    {"Café Manager", NULL, "refund", 7, 100000, NULL, "Runs the café."},
    {"Café Manager", NULL, "discount", 7, 50000, NULL, "Runs the café."},
    {"Café Manager", NULL, "rota-swap", 7, -1, NULL, "Owns the rota."},
    {"Café Manager", NULL, "equipment", 6, 200000, NULL, "Small equipment without waiting."},
    {"Café Manager", NULL, "supplier-change", 5, 500000, "oscar.lindqvist@example.com", "Local suppliers, with purchasing's advice."},
    {"Shift Lead", NULL, "rota-swap", 7, -1, NULL, "Cover illness on the day."},
    {"Shift Lead", NULL, "refund", 7, 10000, NULL, "Settle issues at the counter."},
    {"Shift Lead", NULL, "discount", 6, 5000, NULL, "Settle issues at the counter."},
    {"Barista", NULL, "rota-swap", 6, -1, NULL, "Swap with a colleague and tell the shift lead."},
    {"Barista", NULL, "refund", 7, 1500, NULL, "A remade drink or a refund at the counter."},
    {"Head Baker", NULL, "recipe-change", 7, -1, NULL, "Owns recipes and quality."},
    {"Head Baker", NULL, "supplier-change", 6, 300000, NULL, "Flour and ingredients."},
    {"Head Baker", NULL, "equipment", 5, 500000, "priya.shah@example.com", "Bakery equipment, with finance's advice."},
    {"Head Baker", NULL, "rota-swap", 7, -1, NULL, "Bakery rota."},
    {"Baker", NULL, "recipe-change", 3, -1, NULL, "Propose changes; the head baker decides."},
    {"Baker", NULL, "rota-swap", 6, -1, NULL, "Swap and tell the head baker."},
    {"Purchasing & Suppliers", NULL, "supplier-change", 7, 1000000, NULL, "Owns supplier contracts."},
    {NULL, "owner@example.com", "equipment", 7, -1, NULL, "Founder."},
    {NULL, "owner@example.com", "supplier-change", 7, -1, NULL, "Founder."},
    {NULL, "owner@example.com", "refund", 7, -1, NULL, "Founder."},
    {NULL, "owner@example.com", "discount", 7, -1, NULL, "Founder."},
    {NULL, "owner@example.com", "recipe-change", 7, -1, NULL, "Founder."},
    {NULL, "admin@example.com", "equipment", 7, 1000000, NULL, "Operations."},
    {NULL, "admin@example.com", "refund", 7, 500000, NULL, "Operations."},
    {NULL, "admin@example.com", "supplier-change", 7, 2000000, NULL, "Operations."},
    {NULL, "priya.shah@example.com", "equipment", 5, 1000000, "admin@example.com", "Finance view on large purchases."},
};

/* decision templates per domain: a title, a context, and amount range */
typedef struct DTemplate { const char *domain, *title, *context; int64_t min, max; } DTemplate;
static const DTemplate TEMPLATES[] = {
    {"refund", "Refund a birthday cake that arrived damaged", "The cake was crushed in delivery; the guest sent photos.", 2500, 4800},
    {"refund", "Refund a late catering order", "The order arrived 40 minutes late for a company breakfast.", 3000, 30000},
    {"refund", "Refund a stale loaf", "The guest brought back yesterday's sourdough sold as fresh.", 450, 900},
    {"refund", "Refund a double card charge", "The card terminal charged twice.", 800, 4500},
    {"discount", "Give a regular 10% off after a long wait", "A regular waited 20 minutes during the Saturday rush.", 300, 1500},
    {"discount", "Discount a large office order", "A new office ordered pastries for 60 people every Friday.", 5000, 25000},
    {"rota-swap", "Swap Saturday and Monday shifts", "A family event on Saturday; a colleague takes it.", -1, -1},
    {"rota-swap", "Cover a sick colleague's early shift", "Illness at 5 am; a baker from the late shift comes in.", -1, -1},
    {"supplier-change", "Switch to a local organic flour mill", "The mill is 20 km away and 8% dearer, but fresher and with less packaging.", 150000, 450000},
    {"supplier-change", "Change the milk supplier after two late deliveries", "Two late deliveries in a week left us without milk at opening.", 40000, 120000},
    {"recipe-change", "Longer proof for the rye loaf", "A 14-hour cold proof gives better crumb and keeps a day longer.", -1, -1},
    {"recipe-change", "Use day-old croissants for almond croissants", "Turns unsold croissants into a best-seller.", -1, -1},
    {"equipment", "Buy a second proving cabinet", "The current one is full at 4 am and slows the bake.", 180000, 420000},
    {"equipment", "Replace the café dishwasher", "Repairs on the old one cost more than a new one this year.", 90000, 250000},
};

/* lessons per domain and outcome, so that the learning library reads like
 * what happened: a refund's lesson is about the guest, a rota swap's about
 * the team (one text a line: domain, outcome, lesson) */
typedef struct DLesson { const char *domain, *outcome, *text; } DLesson;
static const DLesson LESSONS[] = {
    {"refund", "good", "Settling it on the spot kept a regular: she ordered again the next week."},
    {"refund", "good", "Refunding at once cost less than the bad review we would have had."},
    {"refund", "good", "Asking the guest what would put it right was cheaper than we expected."},
    {"refund", "mixed", "The guest was happy, but we did not note the cause: log what went wrong, not only the refund."},
    {"refund", "mixed", "Refunded fairly, slower than it should have been: the card machine needs a refund code at every till."},
    {"refund", "bad", "The refund did not fix the real problem: the delivery route was wrong."},
    {"refund", "bad", "We refunded without checking the order: it was another café's. Check the receipt first."},
    {"discount", "good", "A small gesture after the wait turned a complaint into a thank-you."},
    {"discount", "good", "The office order discount paid for itself: they now order every Friday."},
    {"discount", "mixed", "The discount pleased the guest, but the team did not know the standard gesture: write it down."},
    {"discount", "mixed", "The office came back, with fewer people than promised: tie the discount to the volume."},
    {"discount", "bad", "Too generous: the same guest asked again the next week. Agree a standard gesture."},
    {"discount", "bad", "The discount went to a one-off order: it bought no loyalty."},
    {"rota-swap", "good", "Swapping early meant nobody had to cover a double shift."},
    {"rota-swap", "good", "Calling the late shift at 5 am kept the morning bake on time."},
    {"rota-swap", "mixed", "The swap worked, but the rota board was not updated: the shift lead found out at opening."},
    {"rota-swap", "mixed", "Cover was found, by someone without the oven training: swap within the same skills."},
    {"rota-swap", "bad", "Two swaps in one week left the Saturday team short: check the whole week before agreeing."},
    {"supplier-change", "good", "The fresher flour cut waste: fewer loaves went stale by the afternoon."},
    {"supplier-change", "good", "The new milk supplier has been on time every morning since."},
    {"supplier-change", "mixed", "Better quality, higher cost than quoted: confirm the delivery charges in writing."},
    {"supplier-change", "mixed", "Good result, slower than hoped: confirm delivery times in writing."},
    {"supplier-change", "bad", "The new mill could not deliver at Christmas: keep a second supplier for the peaks."},
    {"recipe-change", "good", "The longer proof gave a better crumb and the loaf keeps a day longer."},
    {"recipe-change", "good", "Using up day-old stock turned waste into sales."},
    {"recipe-change", "mixed", "Guests liked it, the bakers found it hard to time: write the new steps on the recipe card."},
    {"recipe-change", "mixed", "It sold well, but only in two cafés: try a recipe where it is asked for first."},
    {"recipe-change", "bad", "We changed too much at once; change one thing and taste."},
    {"equipment", "good", "The second proving cabinet ended the 4 am queue at the ovens."},
    {"equipment", "good", "The new dishwasher paid for itself in repairs we no longer need."},
    {"equipment", "mixed", "The machine works well; the installation took a day longer than promised and closed the kitchen."},
    {"equipment", "mixed", "Right machine, wrong size: measure the door before ordering."},
    {"equipment", "bad", "We bought before comparing quotes: the same cabinet was cheaper elsewhere. Ask for two quotes."},
};

/* lesson_for: a lesson that fits the domain and the outcome (the roll picks
 * among them); a generic one when the domain has none. */
static const char *lesson_for(const char *domain, const char *outcome, uint64_t roll) {
    int n = 0;
    for (size_t i = 0; i < sizeof LESSONS / sizeof *LESSONS; i++) n += strcmp(LESSONS[i].domain, domain) == 0 && strcmp(LESSONS[i].outcome, outcome) == 0;
    if (!n) return strcmp(outcome, "good") == 0 ? "It worked: do it again." : "Talk it through with the team before the next one.";
    int k = (int)(roll % (uint64_t)n);
    for (size_t i = 0; i < sizeof LESSONS / sizeof *LESSONS; i++)
        if (strcmp(LESSONS[i].domain, domain) == 0 && strcmp(LESSONS[i].outcome, outcome) == 0 && k-- == 0) return LESSONS[i].text;
    return NULL; /* NEVER */
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) { return rng_next(&rng_state); }
static int64_t between(int64_t lo, int64_t hi) { return rng_between(&rng_state, lo, hi); }

static int64_t pid(Db *db, int64_t org, const char *email) {
    int64_t id = 0;
    db_one_int(db, &id, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, email);
    return id;
}

/* who makes which decisions: an e-mail and the domains they log */
typedef struct Author { const char *email; const char *domains[3]; int weight; } Author;
static const Author AUTHORS[] = {
    {"member@example.com", {"discount"}, 3}, /* Lea's refunds are her scripted record below */   {"tom.brennan@example.com", {"refund", "discount"}, 3},
    {"mei.chen@example.com", {"refund"}, 2},              {"sam.carter@example.com", {"refund", "discount"}, 2},
    {"emma.larsen@example.com", {"rota-swap", "refund"}, 2}, {"lena.vogel@example.com", {"rota-swap", "discount"}, 2},
    {"noah.fischer@example.com", {"refund", "rota-swap"}, 2}, {"zoe.martin@example.com", {"rota-swap", "refund"}, 1},
    {"kofi.mensah@example.com", {"recipe-change", "rota-swap"}, 2}, {"hana.sato@example.com", {"recipe-change"}, 1},
    {"manager@example.com", {"supplier-change", "equipment", "recipe-change"}, 2},
    {"maria.lopez@example.com", {"supplier-change", "equipment", "discount"}, 2},
    {"jonas.weber@example.com", {"equipment", "supplier-change"}, 1},
};

static const char SQL_DEC_INSERT[] =
    "INSERT INTO decision(org_id, author_id, domain_id, title, amount_cents, context, options, rationale, risk, reward, review_on, verdict, level, "
    "limit_cents, right_id, explanation, status, route_to_id, requested_at, advice, advised_by, advised_at, answered_at, answered_by, answer_note, "
    "outcome, account, learning, outcome_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* one_decision: logs one decision as it would have gone on `day` (a unix
 * time), with what happened after, and an outcome when old enough. */
static int one_decision(Db *db, Arena *a, int64_t org, int64_t now, const CanWorld *w, int64_t domain_id, const DTemplate *t, int64_t author,
                        int64_t when, int force_good) {
    int64_t amount = t->min < 0 ? -1 : between(t->min, t->max) / 50 * 50;
    CanResult c;
    can_evaluate(w, author, amount, &c);
    const char *status = "decided";
    int64_t answered = 0, answered_by = 0, advised_at = 0, advised_by = 0;
    const char *advice = NULL, *note = NULL;
    int64_t age_days = (now - when) / 86400;
    if (c.verdict == V_ADVISE && c.route_to) {
        if (age_days > 4) {
            advised_by = c.route_to;
            advised_at = when + between(3600, 30 * 3600);
            advice = "Go ahead, and keep the receipts for the quarter's review.";
            answered = advised_at + between(600, 7200);
            answered_by = author;
        } else status = "pending";
    } else if (c.verdict != V_DECIDE && c.verdict != V_INFORM) {
        if (!c.route_to || age_days <= 6) status = "pending"; /* the last week still waits: the inbox has work */
        else {
            int64_t wait = between(1800, (int64_t)(c.verdict == V_NONE ? 96 : 48) * 3600);
            answered = when + wait;
            answered_by = c.route_to;
            bool yes = rnd() % 10 < 8;
            status = yes ? "approved" : "declined";
            note = yes ? "Makes sense, go ahead." : "Not now: let's look at it together at the Monday meeting.";
        }
    }
    const char *outcome = NULL, *learning = NULL, *account = NULL;
    int64_t outcome_at = 0;
    bool done = strcmp(status, "decided") == 0 || strcmp(status, "approved") == 0;
    if (done && age_days > 14 && (force_good || rnd() % 10 < 7)) {
        int roll = force_good > 0 ? 0 : force_good < 0 ? (int)(rnd() % 10) + 5 : (int)(rnd() % 10);
        outcome = roll < 7 ? "good" : roll < 9 ? "mixed" : "bad";
        if (force_good < 0) outcome = roll < 8 ? "mixed" : roll < 11 ? "bad" : "good";
        learning = lesson_for(t->domain, outcome, rnd());
        account = strcmp(outcome, "good") == 0 ? "It went as planned." : strcmp(outcome, "mixed") == 0 ? "Partly as planned: see the lesson."
                                                                                                  : "It did not go as planned.";
        outcome_at = when + between(7, 14) * 86400;
    }
    char *review = NULL;
    if (done && !outcome) review = today_date(a, when + 14 * 86400);
    int rc = db_exec(db, SQL_DEC_INSERT, "iiitItttiittIIIttIitIIIIttttIi", org, author, domain_id, t->title, amount < 0 ? 0 : amount, t->context, "", "", (int64_t)between(1, 3),
                     (int64_t)between(2, 5), review, verdict_name(c.verdict), (int64_t)c.level, c.limit_cents > 0 ? c.limit_cents : 0, c.right_id,
                     c.explanation, status, c.route_to, when, advice, advised_by, advised_at, answered, answered_by, note, outcome, account, learning,
                     outcome_at, when);
    if (rc == DB_OK && c.verdict == V_INFORM && c.route_to && age_days < 14)
        notify(db, org, c.route_to, when, "decision.inform", arena_printf(a, "Decided and telling you: %s", t->title),
               arena_printf(a, "/decisions/%lld", (long long)db_last_id(db)));
    return rc;
}

/* pick_domain: one of an author's (up to 3) domains at random, with its
 * decision templates (cands, nc) and its index in DOMAINS (di). false when
 * there is none to pick. */
static bool pick_domain(const char *const domains[3], const DTemplate *cands[8], int *nc, size_t *di) {
    int nd = 0;
    while (nd < 3 && domains[nd]) nd++;
    if (!nd) return false;
    const char *slug = domains[rnd() % (uint64_t)nd];
    *nc = 0;
    for (size_t i = 0; i < sizeof TEMPLATES / sizeof *TEMPLATES && *nc < 8; i++)
        if (strcmp(TEMPLATES[i].domain, slug) == 0) cands[(*nc)++] = &TEMPLATES[i];
    for (*di = 0; *di < sizeof DOMAINS / sizeof *DOMAINS; ++*di)
        if (strcmp(DOMAINS[*di].slug, slug) == 0) return *nc > 0;
    return false;
}

/* demo_cycle: everything above, inside the demo's transaction. */
int demo_cycle(Db *db, int64_t org, int64_t now) {
    Arena *a = arena_new();
    int rc = DB_OK;
    int64_t long_ago = now - 200 * 86400, owner = pid(db, org, "owner@example.com");
    for (size_t i = 0; rc == DB_OK && i < sizeof DOMAINS / sizeof *DOMAINS; i++)
        rc = db_exec(db, "INSERT INTO domain(org_id, slug, label, risk, created_at) VALUES (?, ?, ?, ?, ?)", "itttI", org, DOMAINS[i].slug,
                     DOMAINS[i].label, DOMAINS[i].risk, long_ago);
    for (size_t i = 0; rc == DB_OK && i < sizeof ROLES / sizeof *ROLES; i++) {
        const DRole *ro = &ROLES[i];
        int64_t team = 0, goal = 0;
        if (ro->team) db_one_int(db, &team, "SELECT id FROM team WHERE org_id = ? AND name = ?", "it", org, ro->team);
        db_one_int(db, &goal, "SELECT id FROM goal WHERE org_id = ? AND title = ?", "it", org, ro->goal);
        rc = db_exec(db, "INSERT INTO role(org_id, team_id, name, purpose, goal_id, accountabilities_json, resources_json, version, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", "iIttIttii", org, team, ro->name, ro->purpose, goal, ro->accountabilities, ro->resources,
                     long_ago, long_ago);
        int64_t role = db_last_id(db);
        for (int h = 0; rc == DB_OK && h < 7 && ro->holders[h]; h++) {
            bool ack = (h + (int)i) % 3 != 2; /* most holders have confirmed their charter */
            rc = db_exec(db, "INSERT INTO role_holder(role_id, person_id, org_id, since, acknowledged_version, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?)",
                         "iiiiII", role, pid(db, org, ro->holders[h]), org, long_ago, (int64_t)(ack ? 1 : 0), ack ? long_ago + 86400 : 0);
        }
    }
    for (size_t i = 0; rc == DB_OK && i < sizeof RIGHTS / sizeof *RIGHTS; i++) {
        const DRight *d = &RIGHTS[i];
        int64_t role = 0, dom = 0;
        if (d->role) db_one_int(db, &role, "SELECT id FROM role WHERE org_id = ? AND name = ?", "it", org, d->role);
        db_one_int(db, &dom, "SELECT id FROM domain WHERE org_id = ? AND slug = ?", "it", org, d->domain);
        if (d->limit >= 0)
            rc = db_exec(db, "INSERT INTO decision_right(org_id, role_id, person_id, domain_id, level, limit_cents, advisor_id, reason, granted_by, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "iIIiiiItiii", org, role,
                         d->person ? pid(db, org, d->person) : 0, dom, (int64_t)d->level, d->limit, d->advisor ? pid(db, org, d->advisor) : 0, d->reason,
                         owner, long_ago, long_ago);
        else
            rc = db_exec(db, "INSERT INTO decision_right(org_id, role_id, person_id, domain_id, level, limit_cents, advisor_id, reason, granted_by, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "iIIiinItiii", org, role,
                         d->person ? pid(db, org, d->person) : 0, dom, (int64_t)d->level, d->advisor ? pid(db, org, d->advisor) : 0, d->reason, owner,
                         long_ago, long_ago);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO right_history(org_id, right_id, at, actor_id, action, state_json, reason) VALUES (?, ?, ?, ?, 'create', '{}', ?)",
                         "iiiit", org, db_last_id(db), long_ago, owner, d->reason);
    }
    /* one world per domain: rights do not change while the past is written */
    CanWorld worlds[sizeof DOMAINS / sizeof *DOMAINS];
    int64_t dom_ids[sizeof DOMAINS / sizeof *DOMAINS];
    for (size_t i = 0; i < sizeof DOMAINS / sizeof *DOMAINS; i++) {
        db_one_int(db, &dom_ids[i], "SELECT id FROM domain WHERE org_id = ? AND slug = ?", "it", org, DOMAINS[i].slug);
        can_load(db, a, org, dom_ids[i], DOMAINS[i].label, now, &worlds[i]);
    }
    int total_weight = 0;
    for (size_t i = 0; i < sizeof AUTHORS / sizeof *AUTHORS; i++) total_weight += AUTHORS[i].weight;
    int made = 0;
    /* about six months: a handful of decisions a day, fewer at weekends */
    for (int day = 182; rc == DB_OK && day >= 0; day--) {
        int n = (int)between(0, 2);
        for (int k = 0; rc == DB_OK && k < n; k++) {
            int pick = (int)(rnd() % (uint64_t)total_weight);
            const Author *au = &AUTHORS[0];
            for (size_t i = 0; i < sizeof AUTHORS / sizeof *AUTHORS; i++) {
                if (pick < AUTHORS[i].weight) { au = &AUTHORS[i]; break; }
                pick -= AUTHORS[i].weight;
            }
            const DTemplate *cands[8];
            int nc = 0;
            size_t di = 0;
            if (!pick_domain(au->domains, cands, &nc, &di)) continue;
            int64_t when = now - (int64_t)day * 86400 - between(2, 10) * 3600;
            rc = one_decision(db, a, org, now, &worlds[di], dom_ids[di], cands[rnd() % (uint64_t)nc], pid(db, org, au->email), when, 0);
            made++;
        }
    }
    /* Lea's track record on refunds (all good, several near her limit) earns
     * a suggestion; Noah's mixed record on refunds asks for coaching. */
    static const DTemplate lea_t = {"refund", "Refund a catering tray that arrived incomplete", "Two of six sandwich platters were missing.", 2600, 4900};
    static const DTemplate noah_t = {"refund", "Refund a cold flat white", "The guest said the coffee was cold; remade and refunded.", 400, 1400};
    for (int i = 0; rc == DB_OK && i < 18; i++)
        rc = one_decision(db, a, org, now, &worlds[0], dom_ids[0], &lea_t, pid(db, org, "member@example.com"), now - (int64_t)(170 - i * 8) * 86400, 1);
    for (int i = 0; rc == DB_OK && i < 11; i++)
        rc = one_decision(db, a, org, now, &worlds[0], dom_ids[0], &noah_t, pid(db, org, "noah.fischer@example.com"), now - (int64_t)(160 - i * 9) * 86400, -1);
    /* fresh proposals from the bakers wait in the head baker's inbox */
    static const DTemplate rye = {"recipe-change", "Add a seeded rye to the weekend range", "Guests keep asking for it; we have the flour already.", -1, -1};
    static const DTemplate seeds = {"recipe-change", "Swap sesame for poppy seeds on the bagels", "Sesame is an allergen guests ask about every day.", -1, -1};
    size_t ri = 0;
    while (strcmp(DOMAINS[ri].slug, "recipe-change") != 0) ri++;
    if (rc == DB_OK) rc = one_decision(db, a, org, now, &worlds[ri], dom_ids[ri], &rye, pid(db, org, "kofi.mensah@example.com"), now - 26 * 3600, 0);
    if (rc == DB_OK) rc = one_decision(db, a, org, now, &worlds[ri], dom_ids[ri], &seeds, pid(db, org, "hana.sato@example.com"), now - 3 * 3600, 0);
    /* every demo login finds something under "What needs you now": Lea a
     * reminder next to her outcomes due, the owner a proposal routed up */
    if (rc == DB_OK)
        notify(db, org, pid(db, org, "member@example.com"), now - 2 * 3600, "decision.review",
               "Some of your refunds are ready for their outcome: how did they go?", "/inbox#reviews");
    static const DTemplate mill = {"supplier-change", "Sign a two-year contract with the organic mill", "A lower price for a longer commitment.", 1200000, 1500000};
    size_t si = 0;
    while (strcmp(DOMAINS[si].slug, "supplier-change") != 0) si++;
    if (rc == DB_OK) rc = one_decision(db, a, org, now, &worlds[si], dom_ids[si], &mill, pid(db, org, "maria.lopez@example.com"), now - 5 * 3600, 0);
    if (rc == DB_OK) {
        /* ask the earned-autonomy engine about every person and domain with outcomes */
        Stmt *s = db_q(db, "SELECT DISTINCT author_id, domain_id FROM decision WHERE org_id = ? AND outcome IS NOT NULL ORDER BY 1, 2", "i", org);
        int64_t pairs[256][2];
        int np = 0;
        while (np < 256 && db_step(s) == DB_ROW) {
            pairs[np][0] = db_int(s, 0);
            pairs[np++][1] = db_int(s, 1);
        }
        db_reset(s);
        for (int i = 0; i < np; i++) autonomy_recompute(db, a, org, pairs[i][0], pairs[i][1], now);
    }
    arena_free(a);
    if (rc != DB_OK) fprintf(stderr, "remit: demo decisions: %s\n", db_errmsg(db));
    return rc == DB_OK ? 0 : -1;
}

/* demo_cycle_history: the large demo's past: about per_day decisions a day
 * (fewer at weekends) over `days` days, each by one of the given authors in
 * one of their domains, evaluated by the real engine against today's rights
 * (every author must already hold their roles). 0 ok, -1 after a message. */
int demo_cycle_history(Db *db, int64_t org, int64_t now, const DemoAuthor *authors, int nauthors, int days, int per_day) {
    Arena *a = arena_new();
    enum { ND = sizeof DOMAINS / sizeof *DOMAINS };
    CanWorld worlds[ND];
    int64_t dom_ids[ND];
    for (size_t i = 0; i < ND; i++) {
        db_one_int(db, &dom_ids[i], "SELECT id FROM domain WHERE org_id = ? AND slug = ?", "it", org, DOMAINS[i].slug);
        can_load(db, a, org, dom_ids[i], DOMAINS[i].label, now, &worlds[i]);
    }
    int rc = DB_OK;
    for (int day = days; rc == DB_OK && day >= 1 && nauthors > 0; day--) {
        int64_t midnight = now - now % 86400 - (int64_t)day * 86400;
        int weekday = (int)((midnight / 86400 + 4) % 7); /* 0 = Sunday */
        int n = (int)between(per_day * 8 / 10, per_day * 12 / 10);
        if (weekday == 0 || weekday == 6) n /= 2;
        for (int k = 0; rc == DB_OK && k < n; k++) {
            const DemoAuthor *au = &authors[rnd() % (uint64_t)nauthors];
            const DTemplate *cands[8];
            int nc = 0;
            size_t di = 0;
            if (!pick_domain(au->domains, cands, &nc, &di)) continue;
            int64_t when = midnight + between(6 * 3600, 20 * 3600);
            rc = one_decision(db, a, org, now, &worlds[di], dom_ids[di], cands[rnd() % (uint64_t)nc], au->id, when, 0);
        }
    }
    arena_free(a);
    if (rc != DB_OK) fprintf(stderr, "remit: demo history: %s\n", db_errmsg(db));
    return rc == DB_OK ? 0 : -1;
}
