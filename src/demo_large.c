/* demo_large.c: `remit demo --size large`: the demo bakery group grown to
 * the size of remit's largest intended customer, for benchmarks and for
 * checking that every page stays fast: fifteen more cafés (a café team
 * with its kitchen and counter: 50 teams in all), 500 people, two years of
 * decisions (about 50,000, each evaluated by the real rights engine), and
 * 200 challenges with about 5,000 ideas, their votes, comments and stages.
 * Runs inside demo_create's transaction, after the small demo. Generated
 * from a fixed seed: two large demos made on the same day are equal. */
#include "cli.h"
#include "handlers.h"
#include <stdio.h>
#include <string.h>

#define DAY 86400
#define HOUR 3600
enum { SITES = 15, NEW_PEOPLE = 460, HISTORY_DAYS = 730, PER_DAY = 80, NEW_CHALLENGES = 197, MAX_PEOPLE = 600 };

static const char *const PLACES[SITES] = {"Harbour", "Station", "Market Square", "University", "Riverside North", "Old Mill", "Park Gate",
                                          "Cathedral", "Canal Street", "West End", "Hillside", "Airport", "Town Hall", "Museum Quarter",
                                          "Seafront"};
static const char *const FIRST[] = {"Alex", "Anna", "Ben", "Carla", "David", "Elif", "Finn", "Greta", "Hugo", "Ida", "Jakob", "Kira",
                                    "Leon", "Mila", "Nils", "Olga", "Paul", "Rita", "Simon", "Tara", "Uwe", "Vera", "Wim", "Yara",
                                    "Zeno", "Amir", "Bea", "Cem", "Dana", "Emil", "Fleur", "Gil"};
static const char *const LAST[] = {"Ahn", "Berg", "Costa", "Dahl", "Eriksen", "Fox", "Gomez", "Hart", "Ivanova", "Jensen", "Kowalski",
                                   "Lund", "Moreno", "Nash", "Ortiz", "Park", "Quinn", "Reyes", "Stone", "Thorne", "Ueda", "Varga",
                                   "Wolff", "Young", "Zhou", "Abbas", "Brandt", "Cruz", "Doyle", "Engel", "Frost", "Gruber"};
static const char *const THEMES[] = {
    "cut waste at closing time", "make the morning rush faster", "welcome new regulars", "reduce queueing at lunch",
    "sell more to offices nearby", "make Saturdays calmer for the team", "use less packaging", "save energy in the kitchen",
    "improve our online reviews", "make catering orders easier", "keep good staff longer", "train new starters faster",
};
static const char *const IDEA_TITLES[] = {
    "Half-price bags of day-old bread after 6 pm", "A second till during the lunch peak", "Pre-order app pick-up shelf",
    "Loyalty card stamped for every tenth coffee", "Bake smaller batches in the afternoon", "Reusable cup discount",
    "Sunday brunch box for families", "Weekly tasting of new recipes with regulars", "Shared rota swap board",
    "Buddy system for new starters", "Switch the display fridge off overnight", "Compost collection with the city farm",
    "Office breakfast subscription", "Quiet hour for remote workers", "Bike delivery for nearby offices", "Thank-you note in catering boxes",
    "Seasonal menu planned with the bakery", "Order screen for the kitchen", "Open kitchen Saturday for children",
    "Standing order discount for cafés nearby", "Sell our granola in jars", "Refill station for water bottles",
    "Late opening on market days", "Gluten-free shelf with clear labels", "Cross-train baristas in the bakery",
    "Text customers when catering leaves", "Donate unsold bread to the food bank", "Monthly team breakfast with the owner",
    "Digital stock count on a tablet", "Rotate the counter display every two hours",
};
static const char *const IDEA_BODIES[] = {
    "We tried something similar at my last job and guests loved it. It costs little to start.",
    "I see this every week on my shift: we could fix it with a small change and measure it for a month.",
    "Guests ask for it at the counter. Let's pilot it in one café first.",
    "It would save the team time every day and cut what we throw away.",
};
static const char *const COMMENTS[] = {
    "Love it. Could we try it for two weeks?", "Worth a try, but who would own it on weekends?",
    "We did this at Old Town last year; happy to share what we learnt.", "+1, guests ask for this a lot.",
    "Let's check the cost with finance first.",
};
static const char *const DECLINE_REASONS[] = {
    "Not now: the kitchen has no room for it until the refit.", "Too costly for what it brings; thank you for the detail.",
    "The landlord does not allow it at this site.",
};
static const char *const STAGES[] = {"new", "reviewing", "accepted", "piloting", "implemented", "declined"};
static const int STAGE_WEIGHT[] = {40, 15, 10, 5, 12, 18};

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void) { return rng_next(&rng_state); }
static int64_t between(int64_t lo, int64_t hi) { return rng_between(&rng_state, lo, hi); }
#define PICK(arr) (arr[rnd() % (sizeof arr / sizeof *arr)])

typedef struct Site { int64_t team, kitchen, counter, manager; int64_t people[40]; int n; } Site;
typedef struct World {
    int64_t org, now, owner, admin;
    Site sites[SITES];
    int64_t everyone[MAX_PEOPLE]; /* every person who has not left */
    int neveryone;
    DemoAuthor authors[NEW_PEOPLE];
    int nauthors;
} World;

static int64_t id_of(Db *db, const char *sql, const char *types, int64_t org, const char *key) {
    int64_t id = 0;
    db_one_int(db, &id, sql, types, org, key);
    return id;
}

static int add_team(Db *db, World *w, const char *name, int64_t parent, int64_t *id) {
    int rc = db_exec(db, "INSERT INTO team(org_id, name, parent_id, created_at) VALUES (?, ?, ?, ?)", "itIi", w->org, name, parent,
                     w->now - 400 * (int64_t)DAY);
    *id = db_last_id(db);
    return rc;
}

/* add_person: one new colleague; role is the charter they hold (may be
 * NULL), domains what they log in the history. */
static int add_person(Db *db, Arena *a, World *w, Site *s, int64_t team, int64_t manager, const char *access, const char *title,
                      const char *role, const char *d0, const char *d1, const char *pw_hash, int64_t *id) {
    int k = w->nauthors;
    const char *first = FIRST[(size_t)k % (sizeof FIRST / sizeof *FIRST)];
    const char *last = LAST[((size_t)k / (sizeof FIRST / sizeof *FIRST) + (size_t)k * 7) % (sizeof LAST / sizeof *LAST)];
    char *name = arena_printf(a, "%s %s", first, last);
    char *email = arena_printf(a, "%s.%s.%d@example.com", first, last, k + 1);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    int roll = (int)(rnd() % 100);
    const char *status = roll < 3 ? "away" : roll < 5 ? "left" : "active";
    int rc = db_exec(db,
                     "INSERT INTO person(org_id, name, email, email_lc, team_id, manager_id, title, access, status, password_hash, "
                     "password_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "itttiittttii", w->org, name, email, email, team, manager, title, access, status, pw_hash, w->now, w->now - 400 * (int64_t)DAY);
    *id = db_last_id(db);
    if (rc == DB_OK && role) {
        int64_t role_id = id_of(db, "SELECT id FROM role WHERE org_id = ? AND name = ?", "it", w->org, role);
        rc = db_exec(db, "INSERT INTO role_holder(role_id, person_id, org_id, since, acknowledged_version, acknowledged_at) VALUES (?, ?, ?, ?, 1, ?)",
                     "iiiii", role_id, *id, w->org, w->now - 300 * (int64_t)DAY, w->now - 299 * (int64_t)DAY);
    }
    DemoAuthor *au = &w->authors[w->nauthors++];
    au->id = *id;
    au->domains[0] = d0;
    au->domains[1] = d1;
    au->domains[2] = NULL;
    if (strcmp(status, "left") != 0) {
        w->everyone[w->neveryone++] = *id;
        if (s->n < 40) s->people[s->n++] = *id;
    }
    return rc;
}

/* people_and_teams: each café with its kitchen and counter, a manager, two
 * shift leads who lead kitchen and counter, bakers and baristas. */
static int people_and_teams(Db *db, Arena *a, World *w, const char *pw_hash) {
    int64_t leadership = id_of(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", "it", w->org, "Leadership");
    Stmt *st = db_q(db, "SELECT id FROM person WHERE org_id = ? AND status != 'left' ORDER BY id", "i", w->org);
    while (w->neveryone < MAX_PEOPLE && db_step(st) == DB_ROW) w->everyone[w->neveryone++] = db_int(st, 0);
    db_reset(st);
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < SITES; i++) {
        Site *s = &w->sites[i];
        const char *place = PLACES[i];
        rc = add_team(db, w, arena_printf(a, "Café %s", place), leadership, &s->team);
        if (rc == DB_OK) rc = add_team(db, w, arena_printf(a, "%s Kitchen", place), s->team, &s->kitchen);
        if (rc == DB_OK) rc = add_team(db, w, arena_printf(a, "%s Counter", place), s->team, &s->counter);
        int size = NEW_PEOPLE / SITES + (i < NEW_PEOPLE % SITES ? 1 : 0);
        int64_t lead_k = 0, lead_c = 0, id = 0;
        if (rc == DB_OK)
            rc = add_person(db, a, w, s, s->team, w->admin, "manager", arena_printf(a, "Café Manager, %s", place), "Café Manager", "supplier-change",
                            "equipment", pw_hash, &s->manager);
        if (rc == DB_OK)
            rc = add_person(db, a, w, s, s->kitchen, s->manager, "member", "Shift Lead, kitchen", "Shift Lead", "rota-swap", "discount", pw_hash, &lead_k);
        if (rc == DB_OK)
            rc = add_person(db, a, w, s, s->counter, s->manager, "member", "Shift Lead, counter", "Shift Lead", "refund", "discount", pw_hash, &lead_c);
        for (int k = 3; rc == DB_OK && k < size; k++) {
            bool kitchen = k < 11;
            rc = kitchen ? add_person(db, a, w, s, s->kitchen, lead_k, "member", "Baker", "Baker", "recipe-change", "rota-swap", pw_hash, &id)
                         : add_person(db, a, w, s, s->counter, lead_c, "member", "Barista", "Barista", "refund", "rota-swap", pw_hash, &id);
        }
        if (rc == DB_OK) rc = db_exec(db, "UPDATE team SET lead_id = ? WHERE id = ?", "ii", s->manager, s->team);
        if (rc == DB_OK) rc = db_exec(db, "UPDATE team SET lead_id = ? WHERE id = ?", "ii", lead_k, s->kitchen);
        if (rc == DB_OK) rc = db_exec(db, "UPDATE team SET lead_id = ? WHERE id = ?", "ii", lead_c, s->counter);
    }
    return rc;
}

/* one_idea: an idea in challenge ch (opened..closed, team scope when site
 * is not NULL) with its stages, comments and votes. */
static int one_idea(Db *db, Arena *a, World *w, int64_t ch, int64_t owner, int64_t opened, int64_t closed, const Site *site) {
    const int64_t *pool = site ? site->people : w->everyone;
    int npool = site ? site->n : w->neveryone;
    bool anon = rnd() % 20 == 0;
    int64_t author = pool[rnd() % (uint64_t)npool];
    int64_t created = opened + between(HOUR, (closed - opened) * 2 / 3);
    char hash[65] = "";
    if (anon) {
        created -= created % DAY;
        snprintf(hash, sizeof hash, "%016llx%016llx%016llx%016llx", (unsigned long long)rnd(), (unsigned long long)rnd(), (unsigned long long)rnd(),
                 (unsigned long long)rnd());
    }
    /* where it stands: ideas in open challenges are mostly new */
    const char *stage = "new";
    if (closed < w->now || rnd() % 3 == 0) {
        int roll = (int)(rnd() % 100);
        for (size_t i = 0; i < sizeof STAGES / sizeof *STAGES; i++) {
            if (roll < STAGE_WEIGHT[i]) { stage = STAGES[i]; break; }
            roll -= STAGE_WEIGHT[i];
        }
    }
    const char *path[4];
    int nsteps = demo_path_of(stage, path);
    int64_t steps[4], t = created;
    for (int k = 0; k < nsteps; k++) {
        t += between(HOUR, 9 * DAY);
        if (t > w->now - HOUR) t = w->now - HOUR * (nsteps - k + 1);
        steps[k] = t;
    }
    const char *reason = strcmp(stage, "declined") == 0 ? PICK(DECLINE_REASONS) : NULL;
    int64_t idea_owner = 0;
    const char *due = NULL;
    if (strcmp(stage, "piloting") == 0 || strcmp(stage, "implemented") == 0) {
        idea_owner = author ? author : owner;
        due = strcmp(stage, "piloting") == 0 ? today_date(a, w->now + between(7, 40) * DAY) : today_date(a, steps[nsteps - 1]);
    }
    const char *title = arena_printf(a, "%s", PICK(IDEA_TITLES));
    int ncomments = (int)(rnd() % 3);
    int64_t comment_at[2], first = nsteps ? steps[0] : 0, last = nsteps ? steps[nsteps - 1] : created;
    for (int k = 0; k < ncomments; k++) {
        comment_at[k] = created + between(HOUR, 10 * DAY);
        if (comment_at[k] > w->now - HOUR) comment_at[k] = w->now - HOUR;
        if (!first || comment_at[k] < first) first = comment_at[k];
        if (comment_at[k] > last) last = comment_at[k];
    }
    int rc = db_exec(db,
                     "INSERT INTO idea(id, org_id, challenge_id, title, body, author_id, anonymous, follow_hash, created_at, stage, stage_reason, "
                     "owner_id, due_on, first_response_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iiittIitittItIi", ideas_new_id(db), w->org, ch, title, PICK(IDEA_BODIES), anon ? 0 : author, (int64_t)anon, anon ? hash : NULL, created, stage, reason,
                     idea_owner, due, first, last);
    int64_t idea = db_last_id(db);
    const char *from = "new";
    for (int k = 0; rc == DB_OK && k < nsteps; k++) {
        const char *why = strcmp(path[k], "declined") == 0 ? reason : strcmp(path[k], "piloting") == 0 ? arena_printf(a, "Pilot until %s.", due) : "";
        rc = db_exec(db, "INSERT INTO idea_stage(org_id, idea_id, at, actor_id, from_stage, to_stage, reason) VALUES (?, ?, ?, ?, ?, ?, ?)", "iiiittt",
                     w->org, idea, steps[k], owner, from, path[k], why);
        from = path[k];
    }
    for (int k = 0; rc == DB_OK && k < ncomments; k++)
        rc = db_exec(db, "INSERT INTO comment(org_id, idea_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)", "iiiti", w->org, idea,
                     pool[rnd() % (uint64_t)npool], PICK(COMMENTS), comment_at[k]);
    /* votes: a few ideas catch on, most get a handful */
    int nvotes = rnd() % 8 == 0 ? (int)between(20, 60) : (int)between(0, 14);
    int64_t vote_end = closed < w->now ? closed : w->now - HOUR;
    for (int k = 0; rc == DB_OK && k < nvotes && created < vote_end; k++) {
        int64_t p = pool[rnd() % (uint64_t)npool];
        if (p == author) continue;
        rc = db_exec(db, "INSERT OR IGNORE INTO vote(idea_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)", "iiii", idea, p, w->org,
                     created + between(60, vote_end - created));
    }
    return rc;
}

/* challenges: one every few days over two years; the newest are open or
 * in review, the rest closed. A third belong to one café. */
static int challenges(Db *db, Arena *a, World *w) {
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < NEW_CHALLENGES; i++) {
        int64_t opened = w->now - (int64_t)(HISTORY_DAYS - 10) * DAY + (int64_t)i * ((HISTORY_DAYS - 20) * DAY / NEW_CHALLENGES);
        opened -= opened % DAY;
        int64_t closes = opened + 30 * DAY;
        const char *phase = closes > w->now ? "open" : closes > w->now - 20 * DAY ? "review" : "closed";
        const Site *site = i % 3 == 2 ? &w->sites[(size_t)i % SITES] : NULL;
        const char *theme = THEMES[(size_t)i % (sizeof THEMES / sizeof *THEMES)];
        const char *title = site ? arena_printf(a, "How could %s %s? (%s)", PLACES[(size_t)i % SITES], theme, today_date(a, opened))
                                 : arena_printf(a, "How could we %s? (%s)", theme, today_date(a, opened));
        int64_t owner = site ? site->manager : w->owner;
        rc = db_exec(db, "INSERT INTO challenge(org_id, title, body, scope, team_id, opens_on, closes_on, phase, owner_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "itttItttiii", w->org, title,
                     "Tell us what you see on your shifts: small, concrete ideas are the best ones.", site ? "team" : "org", site ? site->team : 0,
                     today_date(a, opened), today_date(a, closes), phase, owner, opened - DAY, closes < w->now ? closes : opened);
        int64_t ch = db_last_id(db);
        if (rc == DB_OK) rc = db_exec(db, "INSERT INTO challenge_reviewer(challenge_id, person_id, org_id) VALUES (?, ?, ?)", "iii", ch, owner, w->org);
        if (rc == DB_OK && owner != w->admin)
            rc = db_exec(db, "INSERT INTO challenge_reviewer(challenge_id, person_id, org_id) VALUES (?, ?, ?)", "iii", ch, w->admin, w->org);
        int nideas = (int)between(17, 34);
        for (int k = 0; rc == DB_OK && k < nideas; k++) rc = one_idea(db, a, w, ch, owner, opened, closes, site);
    }
    return rc;
}

int demo_large(Db *db, int64_t org, int64_t now, const char *pw_hash) {
    static World w; /* large: kept off the stack */
    memset(&w, 0, sizeof w);
    w.org = org;
    w.now = now;
    w.owner = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, "owner@example.com");
    w.admin = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, "admin@example.com");
    Arena *a = arena_new();
    int rc = people_and_teams(db, a, &w, pw_hash);
    if (rc == DB_OK && demo_cycle_history(db, org, now, w.authors, w.nauthors, HISTORY_DAYS, PER_DAY) != 0) rc = DB_ERROR;
    if (rc == DB_OK) rc = challenges(db, a, &w);
    arena_free(a);
    if (rc != DB_OK) fprintf(stderr, "remit: large demo: %s\n", db_errmsg(db));
    return rc == DB_OK ? 0 : -1;
}
