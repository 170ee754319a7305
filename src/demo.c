/* demo.c: `remit demo`: a believable bakery-cafe group to explore, with
 * purpose, values, goals, five teams and about forty people, including one
 * login per access level. Later features add their own demo data here. All
 * of it is written in one transaction: a demo is complete or absent. */
#include "cli.h"
#include "handlers.h"
#include "notify.h"
#include <stdio.h>
#include <string.h>

typedef struct DemoTeam { const char *name, *parent; } DemoTeam;
typedef struct DemoPerson {
    const char *name, *email, *team, *manager_email, *title, *access, *status;
} DemoPerson;

static const DemoTeam TEAMS[] = {
    {"Leadership", NULL},
    {"Bakery", "Leadership"},
    {"Café Riverside", "Leadership"},
    {"Café Old Town", "Leadership"},
    {"Customer Care & Catering", "Leadership"},
};

/* The first row is the owner; managers come before their reports. */
static const DemoPerson PEOPLE[] = {
    {"Olivia Baker", "owner@example.com", "Leadership", NULL, "Founder & Managing Director", "owner", "active"},
    {"Adam Price", "admin@example.com", "Leadership", "owner@example.com", "Operations & People Lead", "admin", "active"},
    {"Priya Shah", "priya.shah@example.com", "Leadership", "owner@example.com", "Finance Lead", "manager", "active"},
    {"Tomás Novak", "manager@example.com", "Bakery", "admin@example.com", "Head Baker", "manager", "active"},
    {"Maria Lopez", "maria.lopez@example.com", "Café Riverside", "admin@example.com", "Café Manager, Riverside", "manager", "active"},
    {"Jonas Weber", "jonas.weber@example.com", "Café Old Town", "admin@example.com", "Café Manager, Old Town", "manager", "active"},
    {"Sam Carter", "sam.carter@example.com", "Customer Care & Catering", "admin@example.com", "Customer Care Lead", "manager", "active"},
    {"Ines Moreau", "ines.moreau@example.com", "Bakery", "manager@example.com", "Pastry Chef", "member", "active"},
    {"Kofi Mensah", "kofi.mensah@example.com", "Bakery", "manager@example.com", "Baker (early shift)", "member", "active"},
    {"Hana Sato", "hana.sato@example.com", "Bakery", "manager@example.com", "Baker (early shift)", "member", "active"},
    {"Luca Romano", "luca.romano@example.com", "Bakery", "manager@example.com", "Baker (late shift)", "member", "active"},
    {"Aisha Khan", "aisha.khan@example.com", "Bakery", "manager@example.com", "Apprentice Baker", "member", "active"},
    {"Piotr Zielinski", "piotr.zielinski@example.com", "Bakery", "manager@example.com", "Baker (late shift)", "member", "away"},
    {"Grace Okafor", "grace.okafor@example.com", "Bakery", "manager@example.com", "Dough Specialist", "member", "active"},
    {"Ben Hughes", "ben.hughes@example.com", "Bakery", "manager@example.com", "Delivery Driver", "member", "active"},
    {"Emma Larsen", "emma.larsen@example.com", "Café Riverside", "maria.lopez@example.com", "Shift Lead", "member", "active"},
    {"Noah Fischer", "noah.fischer@example.com", "Café Riverside", "maria.lopez@example.com", "Barista", "member", "active"},
    {"Zoe Martin", "zoe.martin@example.com", "Café Riverside", "maria.lopez@example.com", "Barista", "member", "active"},
    {"Omar Haddad", "omar.haddad@example.com", "Café Riverside", "maria.lopez@example.com", "Counter Service", "member", "active"},
    {"Chloe Dubois", "chloe.dubois@example.com", "Café Riverside", "maria.lopez@example.com", "Counter Service", "member", "active"},
    {"Ravi Patel", "ravi.patel@example.com", "Café Riverside", "maria.lopez@example.com", "Kitchen Assistant", "member", "active"},
    {"Sofia Rossi", "sofia.rossi@example.com", "Café Riverside", "maria.lopez@example.com", "Barista (weekends)", "member", "left"},
    {"Lena Vogel", "lena.vogel@example.com", "Café Old Town", "jonas.weber@example.com", "Shift Lead", "member", "active"},
    {"Mateo Garcia", "mateo.garcia@example.com", "Café Old Town", "jonas.weber@example.com", "Barista", "member", "active"},
    {"Yuki Tanaka", "yuki.tanaka@example.com", "Café Old Town", "jonas.weber@example.com", "Barista", "member", "active"},
    {"Fatima Ali", "fatima.ali@example.com", "Café Old Town", "jonas.weber@example.com", "Counter Service", "member", "active"},
    {"Jack Wilson", "jack.wilson@example.com", "Café Old Town", "jonas.weber@example.com", "Counter Service", "member", "active"},
    {"Nina Petrova", "nina.petrova@example.com", "Café Old Town", "jonas.weber@example.com", "Kitchen Assistant", "member", "active"},
    {"Daniel Kim", "daniel.kim@example.com", "Café Old Town", "jonas.weber@example.com", "Barista", "member", "away"},
    {"Lea Fischer", "member@example.com", "Customer Care & Catering", "sam.carter@example.com", "Customer Care Agent", "member", "active"},
    {"Tom Brennan", "tom.brennan@example.com", "Customer Care & Catering", "sam.carter@example.com", "Customer Care Agent", "member", "active"},
    {"Amara Nwosu", "amara.nwosu@example.com", "Customer Care & Catering", "sam.carter@example.com", "Catering Coordinator", "member", "active"},
    {"Erik Johansson", "erik.johansson@example.com", "Customer Care & Catering", "sam.carter@example.com", "Catering Chef", "member", "active"},
    {"Mei Chen", "mei.chen@example.com", "Customer Care & Catering", "sam.carter@example.com", "Online Orders", "member", "active"},
    {"Carlos Silva", "carlos.silva@example.com", "Customer Care & Catering", "sam.carter@example.com", "Catering Assistant", "member", "active"},
    {"Julia Novak", "julia.novak@example.com", "Leadership", "priya.shah@example.com", "Bookkeeper", "member", "active"},
    {"Oscar Lindqvist", "oscar.lindqvist@example.com", "Leadership", "admin@example.com", "Purchasing & Suppliers", "member", "active"},
    {"Rosa Mendes", "rosa.mendes@example.com", "Bakery", "manager@example.com", "Baker (weekends)", "member", "active"},
    {"Felix Braun", "felix.braun@example.com", "Café Riverside", "maria.lopez@example.com", "Apprentice Barista", "member", "active"},
    {"Sara Ahmed", "sara.ahmed@example.com", "Café Old Town", "jonas.weber@example.com", "Apprentice Barista", "member", "active"},
};

typedef struct DemoGoal { const char *key, *parent, *title, *metric, *target, *due, *team, *status; } DemoGoal;
static const DemoGoal GOALS[] = {
    {"fav", NULL, "Be the neighbourhood's favourite bakery", "Net Promoter Score across both cafés", "60 or more", "2027-12-31", "Leadership", "active"},
    {"waste", "fav", "Cut food waste by 20% this year", "Unsold bread and pastry, kg per week", "20% below the 2025 average (from 140 kg to 112 kg)", "2027-06-30", "Bakery", "active"},
    {"bag", "waste", "Sell day-old bread in an evening surprise bag", "Bags sold per week", "150", "2027-03-31", "Café Riverside", "active"},
    {"forecast", "waste", "Bake to a forecast, not a habit", "Forecast error per product", "under 10%", "2027-04-30", "Bakery", "proposed"},
    {"nps", "fav", "Answer every complaint within one day", "Share of complaints answered within 24 hours", "95%", "2027-02-28", "Customer Care & Catering", "active"},
    {"refunds", "nps", "Let front-line staff settle small complaints on the spot", "Complaints settled at first contact", "80%", "2027-05-31", "Customer Care & Catering", "active"},
    {"third", NULL, "Open a third café by autumn 2027", "Signed lease and a trained team", "Opening day in September 2027", "2027-09-30", "Leadership", "active"},
    {"catering", "third", "Grow catering to fund the new café", "Catering revenue per month", "EUR 25,000", "2027-06-30", "Customer Care & Catering", "active"},
    {"oven", NULL, "Replace the old deck oven", "New oven installed", "Installed with no lost baking day", "2026-10-31", "Bakery", "achieved"},
};

static const char *PURPOSE =
    "We bake **honest bread** and serve it with a warm welcome, so that our neighbourhoods have a place to start the day well.\n\n"
    "Everyone at Crumb & Co. owns their craft: the people closest to the oven and the counter make the everyday calls, "
    "and we learn together from how they turn out.";
static const char *VISION =
    "By 2028, three cafés that people walk past other bakeries to reach, a bakery that throws away almost nothing, "
    "and a team where nobody has to wait for the boss to do the right thing for a customer.";
static const char *VALUES =
    "[\"Craft before speed\",\"Decide where the work is\",\"Say it early, say it kindly\",\"Waste nothing\",\"Every guest leaves happier\"]";

static int64_t lookup(Db *db, const char *sql, int64_t org, const char *key) {
    int64_t id = 0;
    db_one_int(db, &id, sql, "it", org, key);
    return id;
}

/* demo_create: writes the demo into an empty, migrated database and prints
 * the logins. password_shown is printed when the password was generated.
 * large adds demo_large's hundreds of people and years of history. */
/* demo_notify: notification preferences and open, overdue and finished
 * action items, so that /actions, the home page and /account/notifications
 * have something to show (e-mail may be off: nothing needs it). */
static int demo_notify(Db *db, int64_t org, int64_t now) {
    Arena *a = arena_new();
    int64_t member = lookup(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "member@example.com");
    int64_t manager = lookup(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "manager@example.com");
    int64_t owner = lookup(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "owner@example.com");
    int rc = DB_OK;
    static const struct { const char *title; int owner, due_days; const char *status; } ACTIONS[] = {
        {"Call the flour mill back about the rye delivery", 0, -4, "open"},
        {"Restock the napkins at Riverside", 0, 3, "open"},
        {"Put the allergen cards on the new cakes", 0, -20, "done"},
        {"Write the sourdough recipe card for the cafés", 1, -2, "open"},
        {"Try the new oven schedule for a week", 1, 10, "open"},
    };
    for (size_t i = 0; rc == DB_OK && i < sizeof ACTIONS / sizeof ACTIONS[0]; i++) {
        int64_t who = ACTIONS[i].owner ? manager : member;
        int64_t id = actions_create(db, a, org, ACTIONS[i].title, who, today_date(a, now + (int64_t)ACTIONS[i].due_days * 86400), NULL, 0, owner, now);
        if (!id) rc = DB_ERROR;
        else if (strcmp(ACTIONS[i].status, "open") != 0) rc = db_exec(db, "UPDATE action_item SET status = ? WHERE id = ?", "ti", ACTIONS[i].status, id);
    }
    /* preferences after the actions: the demo queues no e-mail */
    static const struct { const char *who, *kind, *mode; } PREFS[] = {
        {"member", "idea", "daily"}, {"member", "action", "email"}, {"manager", "decision", "email"}, {"manager", "idea", "weekly"}};
    for (size_t i = 0; rc == DB_OK && i < sizeof PREFS / sizeof PREFS[0]; i++)
        rc = db_exec(db, "INSERT INTO notify_pref(person_id, org_id, kind, mode) VALUES (?, ?, ?, ?)", "iitt",
                     strcmp(PREFS[i].who, "member") == 0 ? member : manager, org, PREFS[i].kind, PREFS[i].mode);
    arena_free(a);
    return rc;
}

int demo_create(Db *db, const char *pw_hash, const char *password_shown, bool large) {
    int64_t now = now_seconds();
    int n_people = (int)(sizeof PEOPLE / sizeof PEOPLE[0]);
    if (db_begin(db) != DB_OK) {
        fprintf(stderr, "remit: database is busy\n");
        return -1;
    }
    int rc = db_exec(db, "INSERT INTO org(name, purpose, vision, values_json, created_at) VALUES (?, ?, ?, ?, ?)", "tttti",
                     "Crumb & Co. Bakery Cafés", PURPOSE, VISION, VALUES, now);
    int64_t org = db_last_id(db);
    for (size_t i = 0; rc == DB_OK && i < sizeof TEAMS / sizeof TEAMS[0]; i++) {
        int64_t parent = TEAMS[i].parent ? lookup(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, TEAMS[i].parent) : 0;
        rc = db_exec(db, "INSERT INTO team(org_id, name, parent_id, created_at) VALUES (?, ?, ?, ?)", "itIi", org, TEAMS[i].name, parent, now);
    }
    for (int i = 0; rc == DB_OK && i < n_people; i++) {
        const DemoPerson *p = &PEOPLE[i];
        int64_t team = lookup(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, p->team);
        int64_t mgr = p->manager_email ? lookup(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, p->manager_email) : 0;
        rc = db_exec(db,
                     "INSERT INTO person(org_id, name, email, email_lc, team_id, manager_id, title, access, status, password_hash, password_changed_at, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "itttIIttttii", org, p->name, p->email, p->email, team, mgr, p->title, p->access, p->status, pw_hash, now, now);
    }
    /* team leads: the manager of each team (the owner leads Leadership) */
    static const char *const LEADS[][2] = {{"Leadership", "owner@example.com"}, {"Bakery", "manager@example.com"},
                                           {"Café Riverside", "maria.lopez@example.com"}, {"Café Old Town", "jonas.weber@example.com"},
                                           {"Customer Care & Catering", "sam.carter@example.com"}};
    for (size_t i = 0; rc == DB_OK && i < sizeof LEADS / sizeof LEADS[0]; i++) {
        int64_t lead = lookup(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, LEADS[i][1]);
        rc = db_exec(db, "UPDATE team SET lead_id = ? WHERE org_id = ? AND name = ?", "iit", lead, org, LEADS[i][0]);
    }
    for (size_t i = 0; rc == DB_OK && i < sizeof GOALS / sizeof GOALS[0]; i++) {
        const DemoGoal *g = &GOALS[i];
        int64_t parent = 0;
        if (g->parent)
            for (size_t j = 0; j < i; j++)
                if (strcmp(GOALS[j].key, g->parent) == 0) parent = lookup(db, "SELECT id FROM goal WHERE org_id = ? AND title = ?", org, GOALS[j].title);
        int64_t team = lookup(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, g->team);
        rc = db_exec(db, "INSERT INTO goal(org_id, parent_id, title, metric, target, due_on, owner_team_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iIttttIti", org, parent, g->title, g->metric, g->target, g->due, team, g->status, now);
    }
    if (rc == DB_OK && demo_cycle(db, org, now) != 0) rc = DB_ERROR;
    if (rc == DB_OK && demo_ideas(db, org, now) != 0) rc = DB_ERROR;
    if (rc == DB_OK && demo_notify(db, org, now) != DB_OK) rc = DB_ERROR;
    if (rc == DB_OK && large && demo_large(db, org, now, pw_hash) != 0) rc = DB_ERROR;
    /* a few German speakers (the four demo logins keep their browser's language) */
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE person SET language = 'de' WHERE org_id = ? AND (email_lc IN ('jonas.weber@example.com', 'lena.vogel@example.com', "
                     "'noah.fischer@example.com', 'julia.novak@example.com') OR (id % 10 = 3 AND id > 40))",
                     "i", org);
    if (rc == DB_OK && demo_surveys(db, org, now, large) != 0) rc = DB_ERROR;
    if (rc == DB_OK && demo_reports(db, org, now, large) != 0) rc = DB_ERROR;
    if (rc == DB_OK && demo_skills(db, org, now, large) != 0) rc = DB_ERROR;
    if (rc == DB_OK && demo_people(db, org, now, large) != 0) rc = DB_ERROR;
    if (rc == DB_OK && demo_evidence(db, org, now, large) != 0) rc = DB_ERROR;
    if (rc == DB_OK) {
        int64_t owner = lookup(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "owner@example.com");
        audit_db(db, org, owner, now, "demo.create", "org", "demo organisation created");
        rc = db_commit(db);
    } else {
        fprintf(stderr, "remit: could not create the demo: %s\n", db_errmsg(db));
        db_rollback(db);
        return -1;
    }
    if (rc != DB_OK) return -1;
    int64_t people = 0, teams = 0, decisions = 0, challenges = 0, ideas = 0;
    db_one_int(db, &people, "SELECT count(*) FROM person WHERE org_id = ?", "i", org);
    db_one_int(db, &teams, "SELECT count(*) FROM team WHERE org_id = ?", "i", org);
    db_one_int(db, &decisions, "SELECT count(*) FROM decision WHERE org_id = ?", "i", org);
    db_one_int(db, &challenges, "SELECT count(*) FROM challenge WHERE org_id = ?", "i", org);
    db_one_int(db, &ideas, "SELECT count(*) FROM idea WHERE org_id = ?", "i", org);
    printf("Created the demo organisation \"Crumb & Co. Bakery Cafés\": %lld people in %lld teams, %d goals, %lld decisions, "
           "%lld challenges with %lld ideas.\n", (long long)people, (long long)teams, (int)(sizeof GOALS / sizeof GOALS[0]),
           (long long)decisions, (long long)challenges, (long long)ideas);
    printf("Logins (every demo person can log in with the same password):\n");
    printf("  owner    owner@example.com    (Olivia Baker, Founder)\n");
    printf("  admin    admin@example.com    (Adam Price, Operations & People)\n");
    printf("  manager  manager@example.com  (Tomás Novak, Head Baker)\n");
    printf("  member   member@example.com   (Lea Fischer, Customer Care Agent)\n");
    if (password_shown) printf("  password %s   (generated; shown only now)\n", password_shown);
    else printf("  password the value of REMIT_PASSWORD\n");
    return 0;
}
