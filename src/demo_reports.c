/* demo_reports.c: a year of reports in the demo bakery (issue 13): an
 * allergen near-miss, an oven burn, a delivery mix-up, a customer's data on
 * a printed order, some anonymous ones, three blameless reviews with
 * corrective actions, two agreed culpability assessments, who reviews
 * which team, and protocols linked to the refund and food-safety domains.
 * The large demo adds reports in proportion across its many teams. Written
 * inside demo_create's transaction; English only, like all demo data. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include "reports.h"
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static int64_t pid(Db *db, int64_t org, const char *email) {
    int64_t id = 0;
    db_one_int(db, &id, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, email);
    return id;
}
static int64_t tid(Db *db, int64_t org, const char *name) {
    int64_t id = 0;
    if (name) db_one_int(db, &id, "SELECT id FROM team WHERE org_id = ? AND name = ?", "it", org, name);
    return id;
}

typedef struct DReport {
    int days_ago;
    const char *kind, *team, *harm, *category, *identity, *author; /* author: e-mail, NULL when anonymous */
    bool self;
    const char *body, *action, *severity;
    int review; /* index into REVIEWS + 1, 0: none */
    const char *answer;
} DReport;

static const DReport REPORTS[] = {
    {330, "near_miss", "Bakery", "none", "food safety", "named", "kofi.mensah@example.com", true,
     "I nearly put **sesame** seeds on the rye loaves for the nut- and seed-free order of the kindergarten. The two seed tubs look the same and sit side by side.",
     "I stopped before baking and made the batch again.", "high", 1, "Thank you, Kofi. We are looking at how the tubs are stored and labelled."},
    {300, "incident", "Bakery", "minor", "equipment", "confidential", "aisha.khan@example.com", true,
     "I burnt my forearm on the deck oven's door while pulling the baguettes. The long peel was in the wash, so I used the short one.",
     "Cooled it under water for 20 minutes; first aid kit used.", "medium", 2, "Sorry you were hurt. We will make sure a long peel is always at the oven."},
    {270, "incident", "Customer Care & Catering", "moderate", "customer", "named", "amara.nwosu@example.com", false,
     "Two catering orders were swapped on the van: the law firm got the children's birthday platters and the birthday got 40 croissants. Both labels only said \"Order 14:00\".",
     "Ben Hughes drove back and swapped them; both customers got a refund of the delivery fee.", "medium", 3, NULL},
    {240, "incident", "Café Riverside", "minor", "data", "named", "omar.haddad@example.com", false,
     "A customer's printed online order, with her name, phone number and address, was left on the counter and another guest picked it up by mistake.",
     "Got it back within minutes and apologised to the customer.", "high", 0, "We now print orders without the phone number and keep them behind the counter."},
    {210, "concern", "Café Old Town", "none", "people", "anonymous", NULL, false,
     "On Saturdays we are two on the counter for the whole morning rush; breaks get skipped and mistakes happen.", "", "medium", 0,
     "Thank you for raising this. From next month Saturdays have a third person from 8 to 12."},
    {180, "near_miss", "Café Riverside", "none", "food safety", "anonymous", NULL, false,
     "The fridge thermometer showed 9 °C in the morning and nobody noted it; the milk was used anyway.", "", "high", 0, NULL},
    {150, "near_miss", "Bakery", "none", "equipment", "named", "hana.sato@example.com", false,
     "The mixer's guard switch can be bypassed with a folded cloth; I saw it done on the early shift.", "Removed the cloth and told the shift.", "high", 0, NULL},
    {120, "concern", "Customer Care & Catering", "none", "customer", "confidential", "tom.brennan@example.com", false,
     "Refund requests over the phone are not written down anywhere, so we cannot tell whether a guest was already refunded.", "", "low", 0, NULL},
    {90, "near_miss", "Café Old Town", "none", "food safety", "named", "lena.vogel@example.com", false,
     "A guest asked whether the carrot cake has nuts; the allergen sheet at the till was an old version.", "Checked the current recipe with the bakery.", "medium", 0, NULL},
    {60, "incident", "Bakery", "minor", "equipment", "anonymous", NULL, false, "A tray slipped from the rack trolley because a wheel is broken; nobody was hurt but the bread was lost.", "", NULL, 0, NULL},
    {30, "near_miss", "Café Riverside", "none", "customer", "named", "emma.larsen@example.com", true,
     "I almost gave a guest a card refund twice because the till does not show refunds already made on the same order.", "", NULL, 0, NULL},
    {8, "near_miss", "Bakery", "none", "food safety", "named", "grace.okafor@example.com", false, "Flour sacks were stored on the floor next to the cleaning products after the delivery.", "Moved them.", NULL, 0, NULL},
    {3, "concern", "Café Old Town", "none", "equipment", "anonymous", NULL, false, "The step down to the cellar store is hard to see; someone will fall.", "", NULL, 0, NULL},
};

typedef struct DReview {
    const char *timeline, *process, *tools, *training, *staffing, *communication, *whys[5], *went_well, *learned;
    bool led_to_change, recognise;
    const char *actions[2][3]; /* title, owner e-mail, due in days from the report (NULL: none) */
} DReview;

static const DReview REVIEWS[] = {
    {"06:10 seeded rye batch started. 06:25 Kofi Mensah reached for the seed tub. 06:26 noticed the label and stopped.",
     "Seed-free orders are not marked on the production sheet.",
     "Sesame and sunflower tubs are identical and stand side by side.", NULL, "Early shift was one baker short.", NULL,
     {"Why was sesame nearly used? The tubs look the same.", "Why do they look the same? We buy one kind of tub for everything.",
      "Why does that matter? Nothing but a small label tells them apart.", "Why is a label not enough? At 6 am with a full oven you read the shape, not the label.",
      "Why is the seed-free order not flagged? The production sheet has no allergen column."},
     "Kofi stopped and reported at once, and said it was him.",
     "Allergen-free orders now get a red card on the production sheet, and seed tubs are colour-coded and stored apart.", true, true,
     {{"Colour-code the seed and nut tubs and store them apart", "manager@example.com", "14"}, {"Add an allergen column to the production sheet", "ines.moreau@example.com", "21"}}},
    {"Late shift, 19:40: the long peel was in the dishwasher. Aisha Khan used the short peel for the deck oven and touched the door.",
     "One long peel for two ovens.", "The short peel is too short for the deck oven.", "Apprentices were not shown which peel goes with which oven.", NULL, NULL,
     {"Why the short peel? The long one was being washed.", "Why only one long peel? We never bought a second.", NULL, NULL, NULL},
     "First aid was quick and the burn was cooled properly.", "Every oven now has its own long peel, and the short ones are gone from the deck oven.", true, false,
     {{"Buy a second long peel for the deck oven", "oscar.lindqvist@example.com", "7"}, {NULL, NULL, NULL}}},
    {"Both vans loaded at 13:20 from the same shelf; labels read \"Order 14:00\". Ben Hughes delivered the first stop at 13:55.",
     "Labels show the time only, not the customer.", NULL, NULL, "Two 14:00 orders on a day with one driver.", "Orders were confirmed by phone without a written summary.",
     {"Why were the orders swapped? The labels were the same.", "Why the same? The label template prints the time only.", NULL, NULL, NULL},
     "Ben Hughes drove back straight away; both customers were told within the hour.", "Delivery labels now carry the customer's name and the order number.", true, false,
     {{"Change the label template to customer name and order number", "mei.chen@example.com", "10"}, {NULL, NULL, NULL}}},
};

typedef struct DProto { const char *title, *owner, *domain, *review_in, *body, *body2, *note2; } DProto;
static const DProto PROTOS[] = {
    {"Complaints and refunds", "sam.carter@example.com", "refund", "60",
     "# Complaints and refunds\n\n1. Listen first and say sorry for the experience.\n2. Settle it on the spot within your refund right (see *Can I?*).\n3. Write down every "
     "refund with the order number, so nobody refunds twice.\n4. Above your limit: call the shift lead, do not make the guest wait for an e-mail.",
     NULL, NULL},
    {"Allergen handling", "manager@example.com", "food-safety", "30",
     "# Allergen handling\n\n- Every allergen-free order gets a red card on the production sheet.\n- Nuts, sesame and seeds are stored in colour-coded tubs, apart.\n- "
     "When a guest asks about allergens, check the current sheet; when unsure, say so and ask the bakery.",
     "# Allergen handling\n\n- Every allergen-free order gets a red card on the production sheet.\n- Nuts, sesame and seeds are stored in colour-coded tubs, apart, on "
     "the bottom shelf.\n- The allergen sheet at every till is replaced the day a recipe changes.\n- When a guest asks about allergens, check the current sheet; when "
     "unsure, say so and ask the bakery.",
     "Tills get the new allergen sheet the day a recipe changes (near-miss in Old Town)."},
    {"Oven and hot work", "manager@example.com", "equipment", "90",
     "# Oven and hot work\n\n- Use the long peel at the deck oven, always.\n- Gloves to the elbow for trays above shoulder height.\n- Burns: cool under running water for 20 minutes, then tell your lead.",
     NULL, NULL},
};

static int step(Db *db, int64_t org, int64_t report, int64_t at, int64_t actor, const char *what, const char *note) {
    return db_exec(db, "INSERT INTO report_step(org_id, report_id, at, actor_id, what, note) VALUES (?, ?, ?, ?, ?, ?)", "iiiItt", org, report, at, actor, what, note ? note : "");
}

/* one report with its steps; reviewer acknowledges and triages it */
static int add_report(Db *db, Arena *a, int64_t org, int64_t now, const DReport *d, int64_t team, int64_t author, int64_t reviewer, int64_t *id_out) {
    int64_t day = anon_day(now - (int64_t)d->days_ago * DAY), id = reports_new_id(db);
    bool anon = strcmp(d->identity, "anonymous") == 0;
    char token[44], hash[65];
    auth_random_token(token);
    auth_token_hash(token, hash);
    int64_t received = anon ? day + DAY : day + 8 * 3600; /* anonymous ones reached the reviewers the next day */
    bool acked = d->days_ago > 4 || d->severity;
    const char *status = d->review ? (d->days_ago > 60 ? "closed" : "reviewing") : d->answer && d->days_ago > 30 ? "closed" : d->severity ? "triaged" : acked ? "acknowledged" : "new";
    int64_t ack_at = received + (d->days_ago % 3 + 1) * 6 * 3600;
    int rc = db_exec(db,
                     "INSERT INTO report(id, org_id, kind, body, team_id, happened_on, harm, category, immediate_action, self_report, identity, author_id, follow_hash, "
                     "received_on, ack_due, acknowledged_at, acknowledged_by, severity, review_needed, answer, status, closed_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iittIttttitItitIItIttI", id, org, d->kind, d->body, team, anon_date(a, day), d->harm, d->category, d->action, (int64_t)d->self, d->identity,
                     anon ? 0 : author, anon ? hash : NULL, day, anon_date(a, workdays_after(anon ? day + DAY : day, 2)), acked ? ack_at : 0, acked ? reviewer : 0,
                     d->severity, d->severity ? (int64_t)(d->review ? 1 : 0) : 0, d->answer, status, strcmp(status, "closed") == 0 ? received + 40 * DAY : 0);
    if (rc == DB_OK && d->severity && !d->review) rc = db_exec(db, "UPDATE report SET review_needed = 0 WHERE id = ?", "i", id);
    if (rc == DB_OK && !d->severity) rc = db_exec(db, "UPDATE report SET review_needed = NULL WHERE id = ?", "i", id);
    if (rc == DB_OK) rc = step(db, org, id, anon ? day : received, 0, "received", NULL);
    if (rc == DB_OK && acked) rc = step(db, org, id, ack_at, reviewer, "acknowledged", NULL);
    if (rc == DB_OK && d->severity) rc = step(db, org, id, ack_at + 3600, reviewer, "triaged", d->severity);
    if (rc == DB_OK && d->answer) rc = step(db, org, id, ack_at + 2 * DAY, reviewer, "answered", d->answer);
    *id_out = id;
    return rc;
}

static int add_review(Db *db, Arena *a, int64_t org, int64_t report, int64_t reviewer, int64_t received, const DReview *v, bool closed) {
    json_t *factors = json_array(), *whys = json_array();
    const char *F[5][2] = {{"process", v->process}, {"tools_equipment", v->tools}, {"training", v->training}, {"staffing_workload", v->staffing}, {"communication", v->communication}};
    for (int i = 0; i < 5; i++)
        if (F[i][1]) json_array_append_new(factors, json_string(arena_printf(a, "%s:%s", F[i][0], F[i][1])));
    for (int i = 0; i < 5; i++)
        if (v->whys[i]) json_array_append_new(whys, json_string(v->whys[i]));
    char *fj = json_list_encode(a, factors), *wj = json_list_encode(a, whys);
    json_decref(factors);
    json_decref(whys);
    /* the shared lesson: names replaced by roles, as the review page does */
    Stmt *s = db_q(db, "SELECT p.name, coalesce((SELECT ro.name FROM role_holder h JOIN role ro ON ro.id = h.role_id WHERE h.person_id = p.id ORDER BY ro.name LIMIT 1), "
                       "p.title) FROM person p WHERE p.org_id = ? LIMIT 5000", "i", org);
    const char *names[5000], *roles[5000];
    int n = 0;
    while (n < 5000 && db_step(s) == DB_ROW) names[n] = db_dup(s, 0, a), roles[n] = arena_printf(a, "[%s]", db_text(s, 1)), n++;
    db_reset(s);
    char *title = NULL, *kind = NULL, *cat = NULL;
    s = db_q(db, "SELECT kind, category FROM report WHERE id = ?", "i", report);
    if (db_step(s) == DB_ROW) kind = db_dup(s, 0, a), cat = db_dup(s, 1, a);
    db_reset(s);
    title = arena_printf(a, "%s: %s", strcmp(kind, "near_miss") == 0 ? "Near-miss" : strcmp(kind, "incident") == 0 ? "Incident" : "Concern", cat);
    int64_t at = received + 5 * DAY;
    int rc = db_exec(db,
                     "INSERT INTO report_review(org_id, report_id, timeline, factors_json, whys_json, went_well, learned, shared, lesson_shared, shared_title, shared_at, "
                     "recognise_reporter, recognition_note, led_to_change, status, created_by, created_at, updated_at, closed_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iitttttttiititiiiI", org, report, v->timeline, fj, wj, v->went_well, v->learned, redact_names(a, v->learned, names, roles, n), title, at + 2 * DAY,
                     (int64_t)v->recognise, v->recognise ? "This near-miss led to colour-coded tubs and a new allergen column." : NULL, (int64_t)v->led_to_change,
                     closed ? "closed" : "open", reviewer, at, at, closed ? at + 30 * DAY : 0);
    if (rc == DB_OK) rc = step(db, org, report, at, reviewer, "review", NULL);
    if (rc == DB_OK) rc = step(db, org, report, at + 2 * DAY, reviewer, "shared", NULL);
    for (int i = 0; rc == DB_OK && i < 2 && v->actions[i][0]; i++) {
        int64_t owner = pid(db, org, v->actions[i][1]);
        int64_t due = received + atoll(v->actions[i][2]) * DAY;
        int64_t aid = actions_create(db, a, org, v->actions[i][0], owner, anon_date(a, due), "report", report, reviewer, at);
        if (!aid) return DB_ERROR;
        if (closed) rc = db_exec(db, "UPDATE action_item SET status = 'done', updated_at = ?, due_told = 1, overdue_told = 1 WHERE id = ?", "ii", due - (i + 1) * DAY, aid);
        if (rc == DB_OK) rc = step(db, org, report, at, reviewer, "action", v->actions[i][0]);
    }
    if (rc == DB_OK && closed) rc = step(db, org, report, at + 30 * DAY, reviewer, "closed", NULL);
    return rc;
}

static int add_assessment(Db *db, int64_t org, int64_t report, int64_t person, int64_t a1, int64_t a2, const char *act, const char *answers, const char *why, const char *why2,
                          int64_t at) {
    CulpAnswers in;
    CulpResult res;
    culp_parse(answers, &in);
    if (culp_walk(&in, &res) != -1) return DB_ERROR;
    return db_exec(db,
                   "INSERT INTO report_assessment(org_id, report_id, act, person_id, answers, outcome, behaviour, rationale, assessor_id, second_id, second_note, status, "
                   "created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'agreed', ?, ?)",
                   "iitittttiitii", org, report, act, person, answers, culp_category_code(res.category), culp_behaviour_code(res.behaviour), why, a1, a2, why2, at, at + DAY);
}

/* demo_reports: everything above, inside the demo's transaction. */
int demo_reports(Db *db, int64_t org, int64_t now, bool large) {
    Arena *a = arena_new();
    int rc = db_exec(db, "INSERT INTO domain(org_id, slug, label, risk, created_at) VALUES (?, 'food-safety', 'food safety', 'high', ?)", "ii", org, now - 200 * DAY);
    /* who reviews which team */
    static const char *const REV[][2] = {{"Head Baker", "Bakery"}, {"Café Manager", "Café Riverside"}, {"Café Manager", "Café Old Town"},
                                         {"Customer Care Lead", "Customer Care & Catering"}};
    for (size_t i = 0; rc == DB_OK && i < sizeof REV / sizeof REV[0]; i++) {
        int64_t role = 0;
        db_one_int(db, &role, "SELECT id FROM role WHERE org_id = ? AND name = ?", "it", org, REV[i][0]);
        if (role) rc = db_exec(db, "INSERT INTO report_reviewer(org_id, role_id, team_id) VALUES (?, ?, ?)", "iii", org, role, tid(db, org, REV[i][1]));
    }
    if (rc == DB_OK) rc = db_exec(db, "INSERT INTO report_settings(org_id, ack_days, categories_json) VALUES (?, 2, '[\"food safety\",\"customer\",\"equipment\",\"people\",\"data\",\"other\"]')", "i", org);
    int64_t report_ids[sizeof REPORTS / sizeof REPORTS[0]];
    for (size_t i = 0; rc == DB_OK && i < sizeof REPORTS / sizeof REPORTS[0]; i++) {
        const DReport *d = &REPORTS[i];
        int64_t team = tid(db, org, d->team), *rev;
        int nr = reports_reviewers(db, a, org, team, &rev);
        int64_t reviewer = nr ? rev[0] : pid(db, org, "admin@example.com");
        rc = add_report(db, a, org, now, d, team, d->author ? pid(db, org, d->author) : 0, reviewer, &report_ids[i]);
        if (rc == DB_OK && d->review) {
            int64_t received = anon_day(now - (int64_t)d->days_ago * DAY) + 8 * 3600;
            rc = add_review(db, a, org, report_ids[i], reviewer, received, &REVIEWS[d->review - 1], d->days_ago > 60);
        }
    }
    /* two assessments, agreed by two reviewers: the blameless seed mix-up and the at-risk short peel */
    int64_t tomas = pid(db, org, "manager@example.com"), adam = pid(db, org, "admin@example.com");
    if (rc == DB_OK)
        rc = add_assessment(db, org, report_ids[0], pid(db, org, "kofi.mensah@example.com"), tomas, adam, "Reached for the sesame tub for a seed-free order", "n-n-n-y-ny",
                            "Any baker on a short-staffed early shift could have done the same with identical tubs. Blameless: fix the tubs and the sheet.",
                            "Agreed: the substitution test is clear.", now - 320 * DAY);
    if (rc == DB_OK)
        rc = add_assessment(db, org, report_ids[1], pid(db, org, "aisha.khan@example.com"), tomas, adam, "Used the short peel at the deck oven", "n-n-yn---y",
                            "She knew the long peel is the rule, but the rule could not be followed with one long peel for two ovens: a system-induced violation. "
                            "Coach on waiting for the right tool; buy the second peel.",
                            "Agreed, and the self-report counts for her.", now - 290 * DAY);
    /* protocols, linked to refunds, food safety and equipment */
    for (size_t i = 0; rc == DB_OK && i < sizeof PROTOS / sizeof PROTOS[0]; i++) {
        const DProto *p = &PROTOS[i];
        int64_t owner = pid(db, org, p->owner), dom = 0;
        const char *review_on = anon_date(a, anon_day(now) + atoll(p->review_in) * DAY);
        rc = db_exec(db, "INSERT INTO protocol(org_id, title, owner_id, review_on, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "itItiii", org, p->title, owner,
                     review_on, (int64_t)(p->body2 ? 2 : 1), now - 250 * DAY, now - (p->body2 ? 80 : 250) * DAY);
        int64_t id = db_last_id(db);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO protocol_version(protocol_id, version, org_id, body, note, created_by, created_at) VALUES (?, 1, ?, ?, 'First version', ?, ?)", "iitii",
                         id, org, p->body, owner, now - 250 * DAY);
        if (rc == DB_OK && p->body2) {
            rc = db_exec(db, "INSERT INTO protocol_version(protocol_id, version, org_id, body, note, created_by, created_at) VALUES (?, 2, ?, ?, ?, ?, ?)", "iittii", id, org, p->body2,
                         p->note2, owner, now - 80 * DAY);
            if (rc == DB_OK)
                rc = db_exec(db, "INSERT INTO protocol_change(org_id, protocol_id, report_id, body, note, proposed_by, proposed_at, status, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', ?)",
                             "iiittiii", org, id, report_ids[8], p->body2, p->note2, pid(db, org, "jonas.weber@example.com"), now - 85 * DAY, now - 80 * DAY);
        }
        db_one_int(db, &dom, "SELECT id FROM domain WHERE org_id = ? AND slug = ?", "it", org, p->domain);
        if (rc == DB_OK && dom) rc = db_exec(db, "INSERT INTO protocol_domain(protocol_id, domain_id, org_id) VALUES (?, ?, ?)", "iii", id, dom, org);
        if (rc == DB_OK) {
            int64_t act = actions_create(db, a, org, arena_printf(a, "Review the protocol: %s", p->title), owner, review_on, "protocol", id, owner, now - 80 * DAY);
            rc = act ? db_exec(db, "UPDATE protocol SET review_action_id = ? WHERE id = ?", "ii", act, id) : DB_ERROR;
        }
        /* the baristas asked to confirm the allergen protocol's new version; some did */
        if (rc == DB_OK && p->body2) {
            int64_t role = 0;
            db_one_int(db, &role, "SELECT id FROM role WHERE org_id = ? AND name = 'Barista'", "i", org);
            if (role) rc = db_exec(db, "INSERT INTO protocol_ask(protocol_id, role_id, org_id, version, asked_at) VALUES (?, ?, ?, 2, ?)", "iiii", id, role, org, now - 80 * DAY);
            if (rc == DB_OK)
                rc = db_exec(db, "INSERT INTO protocol_read(protocol_id, person_id, org_id, version, read_at) SELECT ?, h.person_id, ?, 2, ? FROM role_holder h "
                                 "WHERE h.role_id = ? AND h.person_id % 2 = 0", "iiii", id, org, now - 70 * DAY, role);
        }
    }
    /* the large demo: reports in proportion, across its many teams */
    if (rc == DB_OK && large) {
        uint64_t seed = 13;
        int64_t teams[400];
        int nt = 0;
        Stmt *s = db_q(db, "SELECT id FROM team WHERE org_id = ? ORDER BY id LIMIT 400", "i", org);
        while (nt < 400 && db_step(s) == DB_ROW) teams[nt++] = db_int(s, 0);
        db_reset(s);
        int64_t *people = arena_alloc(a, sizeof *people * 5000);
        int np = 0;
        s = db_q(db, "SELECT id FROM person WHERE org_id = ? AND status = 'active' ORDER BY id LIMIT 5000", "i", org);
        while (np < 5000 && db_step(s) == DB_ROW) people[np++] = db_int(s, 0);
        db_reset(s);
        int extra = np / 2; /* about one report a year for every two people */
        for (int i = 0; rc == DB_OK && i < extra && nt && np; i++) {
            DReport d = REPORTS[rng_between(&seed, 0, (int64_t)(sizeof REPORTS / sizeof REPORTS[0]) - 1)];
            d.days_ago = (int)rng_between(&seed, 1, 364);
            d.review = 0;
            int pick = (int)rng_between(&seed, 0, 9);
            d.identity = pick < 6 ? "named" : pick < 8 ? "confidential" : "anonymous";
            d.severity = d.days_ago > 5 ? d.severity : NULL;
            int64_t team = teams[rng_between(&seed, 0, nt - 1)], *rev, id;
            int nr = reports_reviewers(db, a, org, team, &rev);
            rc = add_report(db, a, org, now, &d, team, people[rng_between(&seed, 0, np - 1)], nr ? rev[0] : adam, &id);
        }
    }
    arena_free(a);
    return rc;
}
