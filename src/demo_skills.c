/* demo_skills.c: skills, training and the fairness audit in the demo: the
 * bakery's skills, what each role charter needs, everyone's levels (own
 * view and confirmed), a training catalogue, plans proposed, approved,
 * rejected, completed and dismissed (unevenly approved between the teams,
 * so that the audit has something true to say), self-described attributes
 * for part of the people, start days where nobody set them, and Lea's
 * refund right up to 200.00 that needs the complaint training she has not
 * done, so that "Can I?" shows what is missing. Works over whatever people
 * and roles exist, so the large demo gets the same in proportion.
 * Deterministic (a fixed seed). */
#include "cli.h"
#include "handlers.h"
#include <stdio.h>
#include <string.h>

#define DAY 86400

static const struct { const char *name, *description; } SKILLS[] = {
    {"Complaint handling", "Turning an unhappy guest into one who comes back: listen, apologise, put it right."},
    {"Allergen safety", "The fourteen allergens, our recipes' labels, and keeping a guest safe."},
    {"Latte art", "Milk texture and pouring a heart, a tulip and a rosetta."},
    {"Sourdough", "Feeding the starter, shaping and a bake that rises to the plan."},
    {"Till and cash-up", "Taking payment, refunds at the till and a cash-up that balances."},
    {"Rota planning", "A fair rota that covers every shift and every skill."},
    {"Food hygiene", "Clean, cook, chill and separate, as the inspector expects."},
};
/* role -> skill at level */
static const struct { const char *role, *skill; int level; } NEEDS[] = {
    {"Customer Care Agent", "Complaint handling", 3}, {"Customer Care Agent", "Till and cash-up", 2},
    {"Customer Care Lead", "Complaint handling", 4},  {"Customer Care Lead", "Rota planning", 2},
    {"Barista", "Latte art", 3},                      {"Barista", "Allergen safety", 2},
    {"Barista", "Till and cash-up", 2},               {"Shift Lead", "Rota planning", 3},
    {"Shift Lead", "Allergen safety", 3},             {"Shift Lead", "Till and cash-up", 3},
    {"Shift Lead", "Complaint handling", 3},          {"Head Baker", "Sourdough", 4},
    {"Head Baker", "Food hygiene", 4},                {"Baker", "Sourdough", 3},
    {"Baker", "Food hygiene", 3},                     {"Baker", "Allergen safety", 2},
    {"Café Manager", "Rota planning", 4},             {"Café Manager", "Complaint handling", 3},
};
static const struct { const char *kind, *title, *description, *url, *skill; int level; } TRAININGS[] = {
    {"session", "Complaint handling", "Two hours with Sam: the LAST method (listen, apologise, solve, thank) and role play at the counter.", NULL,
     "Complaint handling", 3},
    {"course", "Difficult conversations", "An online course on calm, fair conversations with upset guests and colleagues.",
     "https://www.example.org/courses/difficult-conversations", "Complaint handling", 4},
    {"session", "Allergen training", "The allergen matrix, labels and what to do when a guest asks.", NULL, "Allergen safety", 3},
    {"shadowing", "Shadow a shift lead", "Two shifts beside a shift lead: opening, the rota and the cash-up.", NULL, "Rota planning", 2},
    {"session", "Latte art workshop", "Milk, jugs and an hour of practice with the head barista.", NULL, "Latte art", 3},
    {"course", "Sourdough masterclass", "A weekend course at the baking school.", "https://www.example.org/baking/sourdough", "Sourdough", 4},
    {"course", "Food hygiene level 2", "The certificate course every food handler should hold.", "https://www.example.org/food-hygiene-2", "Food hygiene", 3},
};
static const char *const GENDERS[] = {"woman", "man", "woman", "man", "non-binary", "another"};
static const char *const AGES[] = {"under 25", "25-34", "25-34", "35-44", "45-54", "55+"};

static int64_t id_of(Db *db, const char *sql, int64_t org, const char *key) {
    int64_t id = 0;
    Stmt *s = db_q(db, sql, "it", org, key);
    if (db_step(s) == DB_ROW) id = db_int(s, 0);
    db_reset(s);
    return id;
}

static int rnd(uint64_t *seed, int n) { return (int)rng_between(seed, 0, n - 1); }

int demo_skills(Db *db, int64_t org, int64_t now, bool large) {
    (void)large; /* everything below scales with the people and roles there are */
    uint64_t seed = 0x5ca1ab1e;
    int rc = DB_OK;
    int64_t owner = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "owner@example.com");
    int64_t skill[sizeof SKILLS / sizeof SKILLS[0]];
    for (size_t i = 0; rc == DB_OK && i < sizeof SKILLS / sizeof SKILLS[0]; i++) {
        rc = db_exec(db, "INSERT INTO skill(org_id, name, description, created_at) VALUES (?, ?, ?, ?)", "itti", org, SKILLS[i].name, SKILLS[i].description,
                     now - 200 * DAY);
        skill[i] = db_last_id(db);
    }
    for (size_t i = 0; rc == DB_OK && i < sizeof NEEDS / sizeof NEEDS[0]; i++)
        rc = db_exec(db,
                     "INSERT INTO role_skill(org_id, role_id, skill_id, level) SELECT ?1, r.id, s.id, ?4 FROM role r JOIN skill s ON s.org_id = r.org_id "
                     "WHERE r.org_id = ?1 AND r.name = ?2 AND s.name = ?3",
                     "itti", org, NEEDS[i].role, NEEDS[i].skill, (int64_t)NEEDS[i].level);
    int64_t training[sizeof TRAININGS / sizeof TRAININGS[0]];
    for (size_t i = 0; rc == DB_OK && i < sizeof TRAININGS / sizeof TRAININGS[0]; i++) {
        rc = db_exec(db, "INSERT INTO training(org_id, kind, title, description, url, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ittttii", org,
                     TRAININGS[i].kind, TRAININGS[i].title, TRAININGS[i].description, TRAININGS[i].url, owner, now - 180 * DAY);
        training[i] = db_last_id(db);
        if (rc == DB_OK)
            rc = db_exec(db,
                         "INSERT INTO training_skill(org_id, training_id, skill_id, level) SELECT ?, ?, id, ? FROM skill WHERE org_id = ? AND name = ?", "iiiit",
                         org, training[i], (int64_t)TRAININGS[i].level, org, TRAININGS[i].skill);
    }
    /* everyone's levels for what their roles need: mostly there, some a
     * level short, a few two; the confirmation by their manager */
    Stmt *s = db_q(db,
                   "SELECT p.id, rs.skill_id, max(rs.level), p.manager_id FROM person p JOIN role_holder h ON h.person_id = p.id "
                   "JOIN role_skill rs ON rs.role_id = h.role_id WHERE p.org_id = ? AND p.status <> 'left' GROUP BY p.id, rs.skill_id, p.manager_id ORDER BY p.id, rs.skill_id",
                   "i", org);
    typedef struct { int64_t person, skill, manager; int need; } Need;
    int cap = 256, n = 0;
    Arena *a = arena_new();
    Need *v = arena_alloc(a, sizeof(Need) * (size_t)cap);
    while (db_step(s) == DB_ROW) {
        if (n == cap) v = arena_grow(a, v, &cap, sizeof *v);
        v[n++] = (Need){db_int(s, 0), db_int(s, 1), db_int(s, 3), (int)db_int(s, 2)};
    }
    db_reset(s);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int roll = rnd(&seed, 100);
        int conf = v[i].need - (roll < 55 ? 0 : roll < 88 ? 1 : 2);
        if (conf < 1) conf = 1;
        /* the single points of failure: the top level of a role (4) is held by its first holder alone */
        if (v[i].need == 4 && roll < 55) conf = 4;
        else if (v[i].need == 4) conf = 3;
        int self = conf + (rnd(&seed, 3) == 0 ? 1 : 0);
        if (self > 4) self = 4;
        rc = db_exec(db,
                     "INSERT INTO person_skill(org_id, person_id, skill_id, self_level, confirmed_level, confirmed_by, confirmed_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     "iiiiiIii", org, v[i].person, v[i].skill, (int64_t)self, (int64_t)conf, v[i].manager ? v[i].manager : owner, now - (30 + rnd(&seed, 150)) * DAY,
                     now - 20 * DAY);
    }
    /* Lea (the member login): complaint handling at 2 where her role needs 3,
     * and a personal refund right up to 200.00 that needs the complaint
     * training, which she has not done: "Can I?" says what is missing */
    int64_t lea = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "member@example.com");
    int64_t sam = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "sam.carter@example.com");
    int64_t refund = id_of(db, "SELECT id FROM domain WHERE org_id = ? AND slug = ?", org, "refund");
    if (rc == DB_OK && lea)
        rc = db_exec(db, "UPDATE person_skill SET confirmed_level = 2, self_level = 3 WHERE person_id = ? AND skill_id = ?", "ii", lea, skill[0]);
    if (rc == DB_OK && lea && refund) {
        char req[64];
        snprintf(req, sizeof req, "[{\"training_id\":%lld}]", (long long)training[0]);
        rc = db_exec(db,
                     "INSERT INTO decision_right(org_id, person_id, domain_id, level, limit_cents, reason, granted_by, created_at, updated_at, requires) "
                     "VALUES (?, ?, ?, 7, 20000, ?, ?, ?, ?, ?)",
                     "iiitIiit", org, lea, refund, "Larger refunds at first contact, once the complaint training is done.", sam, now - 10 * DAY, now - 10 * DAY, req);
        int64_t rid = db_last_id(db);
        if (rc == DB_OK)
            rc = db_exec(db,
                         "INSERT INTO right_history(org_id, right_id, at, actor_id, action, state_json, reason) VALUES (?, ?, ?, ?, 'create', '{}', ?)", "iiiit",
                         org, rid, now - 10 * DAY, sam, "Larger refunds at first contact, once the complaint training is done.");
    }
    /* plans: about a third of the people have one; approvals are uneven
     * between kitchens and counters (kitchens are approved less often) */
    s = db_q(db,
             "SELECT p.id, p.manager_id, coalesce(t.name, '') FROM person p LEFT JOIN team t ON t.id = p.team_id WHERE p.org_id = ? AND p.status <> 'left' "
             "AND p.manager_id IS NOT NULL ORDER BY p.id",
             "i", org);
    typedef struct { int64_t id, manager; bool kitchen; } Planner;
    int wcap = 256, nw = 0;
    Planner *w = arena_alloc(a, sizeof(Planner) * (size_t)wcap);
    while (db_step(s) == DB_ROW) {
        if (nw == wcap) w = arena_grow(a, w, &wcap, sizeof *w);
        const char *t = db_text(s, 2);
        w[nw++] = (Planner){db_int(s, 0), db_int(s, 1), strstr(t, "Kitchen") != NULL || strcmp(t, "Bakery") == 0};
    }
    db_reset(s);
    for (int i = 0, again = 0; rc == DB_OK && i < nw; i += again ? 0 : 1, again = again ? 0 : rnd(&seed, 2)) {
        if (w[i].id == lea || rnd(&seed, 4) == 0) continue;
        int t = rnd(&seed, (int)(sizeof TRAININGS / sizeof TRAININGS[0]));
        int64_t at = now - (20 + rnd(&seed, 300)) * DAY;
        int roll = rnd(&seed, 100);
        bool approved = roll < (w[i].kitchen ? 45 : 85);
        const char *status = !approved ? "rejected" : rnd(&seed, 3) ? "completed" : "approved";
        if (rnd(&seed, 10) == 0) status = "dismissed";
        bool decided = strcmp(status, "proposed") != 0;
        rc = db_exec(db,
                     "INSERT INTO training_plan(org_id, person_id, training_id, status, evidence, proposed_by, proposed_at, decided_by, decided_at, completed_by, "
                     "completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iiittiiIIII", org, w[i].id, training[t], status, strcmp(status, "dismissed") == 0 ? "Suggested from the role's needs." : "",
                     rnd(&seed, 2) ? w[i].id : w[i].manager, at, decided ? w[i].manager : 0, decided ? at + 3 * DAY : 0,
                     strcmp(status, "completed") == 0 ? w[i].manager : 0, strcmp(status, "completed") == 0 ? at + 30 * DAY : 0);
        if (rc == DB_OK && strcmp(status, "completed") == 0)
            rc = db_exec(db,
                         "UPDATE person_skill SET confirmed_level = (SELECT level FROM training_skill WHERE training_id = ?1) WHERE person_id = ?2 AND skill_id = "
                         "(SELECT skill_id FROM training_skill WHERE training_id = ?1) AND confirmed_level < (SELECT level FROM training_skill WHERE training_id = ?1)",
                         "ii", training[t], w[i].id);
    }
    /* the bakery's single point of failure: only the head baker bakes sourdough at 4 */
    if (rc == DB_OK) {
        int64_t hb = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "manager@example.com");
        rc = db_exec(db, "UPDATE person_skill SET confirmed_level = 4, self_level = 4 WHERE person_id = ? AND skill_id = ?", "ii", hb, skill[3]);
    }
    /* a proposed plan waiting for the head baker, and Sam's approved one */
    int64_t kofi = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "kofi.mensah@example.com");
    int64_t manager = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "manager@example.com");
    if (rc == DB_OK && kofi && manager)
        rc = db_exec(db, "INSERT INTO training_plan(org_id, person_id, training_id, status, evidence, proposed_by, proposed_at) VALUES (?, ?, ?, 'proposed', ?, ?, ?)",
                     "iiitii", org, kofi, training[5], "Kofi's role Baker needs Sourdough at level 3 and Kofi is at 2; the training 'Sourdough masterclass' builds it.",
                     kofi, now - 2 * DAY);
    /* self-described attributes for about six in ten people */
    s = db_q(db, "SELECT id FROM person WHERE org_id = ? AND status <> 'left' ORDER BY id", "i", org);
    int pcap = 256, np = 0;
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)pcap);
    while (db_step(s) == DB_ROW) {
        if (np == pcap) ids = arena_grow(a, ids, &pcap, sizeof *ids);
        ids[np++] = db_int(s, 0);
    }
    db_reset(s);
    for (int i = 0; rc == DB_OK && i < np; i++) {
        if (rnd(&seed, 10) >= 6) continue;
        const char *g = rnd(&seed, 5) ? GENDERS[rnd(&seed, 6)] : NULL, *ag = rnd(&seed, 4) ? AGES[rnd(&seed, 6)] : NULL;
        if (!g && !ag) continue;
        rc = db_exec(db, "INSERT INTO self_attribute(org_id, person_id, gender, age_band) VALUES (?, ?, ?, ?)", "iitt", org, ids[i], g, ag);
    }
    /* start days where nobody set them (another part may have): spread over eight years */
    for (int i = 0; rc == DB_OK && i < np; i++) {
        char *day = today_date(a, now - (int64_t)(30 + rnd(&seed, 8 * 365)) * DAY);
        rc = db_exec(db, "UPDATE person SET started_on = ? WHERE id = ? AND started_on IS NULL", "ti", day, ids[i]);
    }
    arena_free(a);
    if (rc != DB_OK) fprintf(stderr, "remit: skills demo: %s\n", db_errmsg(db));
    return rc == DB_OK ? 0 : -1;
}
