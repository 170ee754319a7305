/* can_test.c: the rights engine: every row of the verdict table, every
 * routing rule, the grant rule, money and the Wilson bound. The world: an
 * owner Olivia (1) <- admin Adam (2) <- Maria (3, refunds level 7 up to
 * 1000.00) <- Sam (4, Customer Care Lead, refunds level 7 up to 200.00) <-
 * Lea (5, whose rights each case sets). Ivo (6) is an advisor; Otto (7) a
 * second owner. */
#include "check.h"
#include "remit.h"
#include <math.h>
#include <string.h>

static CanRight maria_r[] = {{31, 7, 100000, 0, "Café Manager", NULL}};
static CanRight sam_r[] = {{41, 7, 20000, 0, "Customer Care Lead", NULL}};
static CanRight lea_r[4];
static CanPerson people[] = {
    {1, 0, "Olivia Baker", PERSON_ACTIVE, ACCESS_OWNER, NULL, 0},
    {2, 1, "Adam Price", PERSON_ACTIVE, ACCESS_ADMIN, NULL, 0},
    {3, 2, "Maria Lopez", PERSON_ACTIVE, ACCESS_MANAGER, maria_r, 1},
    {4, 3, "Sam Carter", PERSON_ACTIVE, ACCESS_MANAGER, sam_r, 1},
    {5, 4, "Lea Fischer", PERSON_ACTIVE, ACCESS_MEMBER, lea_r, 0},
    {6, 3, "Ivo Advisor", PERSON_ACTIVE, ACCESS_MEMBER, NULL, 0},
    {7, 0, "Otto Owner", PERSON_ACTIVE, ACCESS_OWNER, NULL, 0},
};
static CanWorld world = {people, 7, "2026-11-23", "refunds"};

static void lea(int n, ...) {
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) lea_r[i] = va_arg(ap, CanRight);
    va_end(ap);
    people[4].nrights = n;
}

static CanResult ask(int64_t who, int64_t amount) {
    CanResult c;
    can_evaluate(&world, who, amount, &c);
    return c;
}

static bool says(const CanResult *c, const char *text) { return strstr(c->explanation, text) != NULL; }

int main(void) {
    CanResult c;
    /* table row: no right */
    lea(0);
    c = ask(5, 5000);
    CHECK("verdict-1.1: no right -> none", c.verdict == V_NONE && c.level == 0 && c.right_id == 0);
    CHECK("verdict-1.2: none routes to the nearest decider (Sam covers 50.00)", c.route_to == 4);
    c = ask(5, 50000);
    CHECK("verdict-1.3: none routes past a decider whose limit is too low (Maria)", c.route_to == 3 && says(&c, "Maria Lopez"));
    c = ask(5, 500000);
    CHECK("verdict-1.4: nobody in the chain covers it -> an owner", c.route_to == 1);

    /* table row: amount above the limit */
    lea(1, (CanRight){51, 7, 10000, 0, "Barista", NULL});
    c = ask(5, 15000);
    CHECK("verdict-2.1: over the limit -> approve", c.verdict == V_APPROVE && c.limit_cents == 10000 && c.right_id == 51);
    CHECK("verdict-2.2: approve routes to the nearest decider covering it", c.route_to == 4);
    CHECK("verdict-2.3: the explanation names the limit, the role and the person",
          says(&c, "100.00") && says(&c, "Barista") && says(&c, "Sam Carter") && says(&c, "150.00"));

    /* levels */
    c = ask(5, 5000);
    CHECK("verdict-3.1: level 7 within the limit -> decide, nobody to ask", c.verdict == V_DECIDE && c.route_to == 0 && c.level == 7);
    CHECK("verdict-3.2: decide explains the limit", says(&c, "up to 100.00") && says(&c, "on your own"));
    c = ask(5, -1);
    CHECK("verdict-3.3: no amount is covered by any limit", c.verdict == V_DECIDE);
    lea(1, (CanRight){52, 6, -1, 0, NULL, NULL});
    c = ask(5, 999999);
    CHECK("verdict-4.1: level 6 -> inform the manager", c.verdict == V_INFORM && c.route_to == 4 && c.limit_cents == -1);
    CHECK("verdict-4.2: a personal right says so", says(&c, "personal") && says(&c, "with no limit"));
    lea(1, (CanRight){53, 5, -1, 6, NULL, NULL});
    c = ask(5, 100);
    CHECK("verdict-5.1: level 5 -> advise, asking the right's advisor", c.verdict == V_ADVISE && c.route_to == 6);
    lea(1, (CanRight){54, 5, -1, 0, NULL, NULL});
    c = ask(5, 100);
    CHECK("verdict-5.2: level 5 without an advisor -> the manager", c.verdict == V_ADVISE && c.route_to == 4);
    people[5].status = PERSON_AWAY;
    lea(1, (CanRight){53, 5, -1, 6, NULL, NULL});
    c = ask(5, 100);
    CHECK("verdict-5.3: an away advisor is replaced by the manager", c.route_to == 4);
    people[5].status = PERSON_ACTIVE;
    lea(1, (CanRight){55, 4, -1, 0, NULL, NULL});
    c = ask(5, 100);
    CHECK("verdict-6.1: level 4 -> agree with the manager", c.verdict == V_AGREE && c.route_to == 4);
    for (int level = 1; level <= 3; level++) {
        lea(1, (CanRight){56, level, -1, 0, NULL, NULL});
        c = ask(5, 100);
        CHECK(level == 1 ? "verdict-7.1: level 1 -> propose" : level == 2 ? "verdict-7.2: level 2 -> propose" : "verdict-7.3: level 3 -> propose",
              c.verdict == V_PROPOSE && c.route_to == 4 && c.level == level);
    }

    /* most permissive right that covers the amount wins */
    lea(2, (CanRight){57, 5, 50000, 0, "Shift Lead", NULL}, (CanRight){58, 7, 10000, 0, NULL, NULL});
    CHECK("rule-1.1: both cover -> the higher level wins", ask(5, 5000).verdict == V_DECIDE && ask(5, 5000).right_id == 58);
    CHECK("rule-1.2: only the level 5 right covers -> advise", ask(5, 30000).verdict == V_ADVISE && ask(5, 30000).right_id == 57);
    c = ask(5, 60000);
    CHECK("rule-1.3: none covers -> approve, showing the most permissive", c.verdict == V_APPROVE && c.right_id == 58);
    lea(2, (CanRight){59, 7, 10000, 0, NULL, NULL}, (CanRight){60, 7, 30000, 0, NULL, NULL});
    CHECK("rule-1.4: same level -> the higher limit wins", ask(5, 5000).right_id == 60);
    lea(2, (CanRight){61, 7, 30000, 0, NULL, NULL}, (CanRight){62, 7, -1, 0, NULL, NULL});
    CHECK("rule-1.5: no limit beats any limit", ask(5, 5000).right_id == 62);

    /* expiry */
    lea(1, (CanRight){63, 7, -1, 0, NULL, "2026-11-22"});
    CHECK("rule-2.1: an expired right counts as absent", ask(5, 100).verdict == V_NONE);
    lea(1, (CanRight){64, 7, -1, 0, NULL, "2026-11-23"});
    CHECK("rule-2.2: a right expiring today still counts", ask(5, 100).verdict == V_DECIDE);
    lea(2, (CanRight){65, 7, -1, 0, NULL, "2025-01-01"}, (CanRight){66, 4, -1, 0, NULL, NULL});
    CHECK("rule-2.3: an expired stronger right does not win", ask(5, 100).verdict == V_AGREE);

    /* away and left people are skipped; the chain goes on upward */
    lea(1, (CanRight){67, 6, -1, 0, NULL, NULL});
    people[3].status = PERSON_AWAY;
    CHECK("rule-3.1: an away manager is skipped (inform goes to Maria)", ask(5, 100).route_to == 3);
    people[3].status = PERSON_LEFT;
    lea(0);
    CHECK("rule-3.2: a decider who left is skipped (Maria decides)", ask(5, 5000).route_to == 3);
    people[3].status = PERSON_ACTIVE;
    people[2].status = PERSON_AWAY;
    people[3].rights = NULL;
    people[3].nrights = 0;
    c = ask(5, 5000);
    CHECK("rule-3.3: no available decider in the chain -> an owner", c.route_to == 1);
    people[3].rights = sam_r;
    people[3].nrights = 1;
    people[2].status = PERSON_ACTIVE;
    /* a non-decider (level 4) in the chain is passed over */
    CanRight sam_low[] = {{42, 4, -1, 0, NULL, NULL}};
    people[3].rights = sam_low;
    CHECK("rule-3.4: a manager who may only agree is not a decider", ask(5, 5000).route_to == 3);
    people[3].rights = sam_r;

    /* nobody is routed to themselves */
    c = ask(4, 50000); /* Sam over his limit: Maria */
    CHECK("rule-4.1: over one's own limit goes up, not to oneself", c.verdict == V_APPROVE && c.route_to == 3);
    c = ask(1, 100); /* the owner without a right: the other owner */
    CHECK("rule-4.2: an owner without a right is sent to another owner", c.verdict == V_NONE && c.route_to == 7);
    people[6].status = PERSON_LEFT;
    c = ask(1, 100);
    CHECK("rule-4.3: no one else to ask -> no route, and the sentence says what to do", c.route_to == 0 && says(&c, "owner must"));
    people[6].status = PERSON_ACTIVE;
    lea(1, (CanRight){68, 5, -1, 5, NULL, NULL}); /* Lea named as her own advisor */
    CHECK("rule-4.4: one's own name as advisor falls back to the manager", ask(5, 100).route_to == 4);

    /* the grant rule: nobody gives away what they don't have */
    CanPerson holder = {9, 0, "Gina", PERSON_ACTIVE, ACCESS_MEMBER, (CanRight[]){{90, 6, 50000, 0, NULL, NULL}}, 1};
    CHECK("grant-1.1: admins may grant anything", can_grant_allowed(ACCESS_ADMIN, NULL, "2026-11-23", 7, -1, NULL));
    CHECK("grant-1.2: lower level and limit is fine", can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 5, 30000, NULL));
    CHECK("grant-1.3: equal level and limit is fine", can_grant_allowed(ACCESS_MEMBER, &holder, "2026-11-23", 6, 50000, NULL));
    CHECK("grant-1.4: a higher level is refused", !can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 7, 100, NULL));
    CHECK("grant-1.5: a higher limit is refused", !can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 5, 60000, NULL));
    CHECK("grant-1.6: no limit needs no limit", !can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 5, -1, NULL));
    holder.rights[0].expires_on = "2026-01-01";
    CHECK("grant-1.7: an expired right grants nothing", !can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 1, 0, NULL));
    holder.rights[0].expires_on = NULL;
    holder.rights[0].limit_cents = -1;
    CHECK("grant-1.8: a holder without a limit may grant without one", can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 6, -1, NULL));
    CHECK("grant-1.9: no rights, no grants", !can_grant_allowed(ACCESS_MEMBER, NULL, "2026-11-23", 1, 0, NULL));
    holder.rights[0].expires_on = "2027-01-31";
    CHECK("grant-2.1: a right that expires cannot grant one that never does", !can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 5, 100, NULL));
    CHECK("grant-2.2: nor one that outlives it", !can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 5, 100, "2027-02-01"));
    CHECK("grant-2.3: but one that ends with it or before is fine", can_grant_allowed(ACCESS_MANAGER, &holder, "2026-11-23", 5, 100, "2027-01-31"));

    /* money */
    int64_t m = 0;
    CHECK("money-1.1: whole", money_parse("120", &m) && m == 12000);
    CHECK("money-1.2: one decimal", money_parse("120.5", &m) && m == 12050);
    CHECK("money-1.3: two decimals", money_parse("120.50", &m) && m == 12050);
    CHECK("money-1.4: zero", money_parse("0", &m) && m == 0 && money_parse("0.01", &m) && m == 1);
    CHECK("money-1.5: negative, exponent, three decimals refused", !money_parse("-5", &m) && !money_parse("1e3", &m) && !money_parse("12.345", &m));
    CHECK("money-1.6: junk refused", !money_parse("", &m) && !money_parse(".5", &m) && !money_parse("5.", &m) && !money_parse(" 5", &m) &&
                                         !money_parse("5 ", &m) && !money_parse("1,000", &m) && !money_parse(NULL, &m) && !money_parse("+5", &m));
    CHECK("money-1.7: too large for 64-bit cents refused", !money_parse("99999999999999999999", &m) && !money_parse("92233720368547758.08", &m));
    CHECK("money-1.8: the largest that fits", money_parse("92233720368547757", &m) && m == 9223372036854775700LL);
    char buf[24];
    CHECK("money-2.1: format", strcmp(money_format(12050, buf), "120.50") == 0 && strcmp(money_format(7, buf), "0.07") == 0);

    /* the Wilson bound (95%) */
    CHECK("wilson-1.1: 20 good of 20 -> 0.839", fabs(wilson_lower(20, 20) - 0.839) < 0.0005);
    CHECK("wilson-1.2: 45 good of 50 -> 0.786", fabs(wilson_lower(45, 50) - 0.786) < 0.0005);
    CHECK("wilson-1.3: no evidence -> 0", wilson_lower(0, 0) == 0);
    CHECK("wilson-1.4: halves count", wilson_lower(9.5, 10) > wilson_lower(9, 10) && wilson_lower(9.5, 10) < wilson_lower(10, 10));

    /* prerequisites (issue 14): a right that requires a skill level or a
     * completed training counts as absent until the holder meets them */
    {
        static const CanReq complaint_training[] = {{0, 9, 0, "Complaint handling"}};
        static const CanReq complaint_skill[] = {{3, 0, 3, "complaint handling"}};
        static const CanReq both[] = {{3, 0, 3, "complaint handling"}, {0, 9, 0, "Complaint handling"}};
        CanHeld at2[] = {{3, 2}}, at3[] = {{3, 3}}, done9[] = {{9, 0}};
        lea(1, (CanRight){52, 7, 20000, 0, "Barista", NULL, complaint_training, 1});
        c = ask(5, 5000);
        CHECK("prereq-1.1: a right whose training is not done counts as absent -> none", c.verdict == V_NONE && c.right_id == 0);
        CHECK("prereq-1.2: ... and the answer says what is missing, in words and ids",
              c.nmissing == 1 && c.missing[0].training_id == 9 && c.missing_right_id == 52 && says(&c, "Not yet: complete the training Complaint handling"));
        CHECK("prereq-1.3: ... and whom to ask until then (Sam decides 50.00)", c.route_to == 4 && says(&c, "until then") && says(&c, "Sam Carter"));
        people[4].trainings = done9, people[4].ntrainings = 1;
        c = ask(5, 5000);
        CHECK("prereq-1.4: once the training is completed the right counts -> decide", c.verdict == V_DECIDE && c.right_id == 52 && c.nmissing == 0);
        CHECK("prereq-1.5: ... and nothing is said to be missing", !says(&c, "Not yet"));
        people[4].trainings = NULL, people[4].ntrainings = 0;

        lea(1, (CanRight){53, 7, 20000, 0, NULL, NULL, complaint_skill, 1});
        people[4].skills = at2, people[4].nskills = 1;
        c = ask(5, 5000);
        CHECK("prereq-2.1: a confirmed level below the required one -> absent", c.verdict == V_NONE && c.nmissing == 1 && c.missing[0].skill_id == 3 &&
                                                                                    c.missing[0].level == 3 && says(&c, "reach level 3 in complaint handling"));
        people[4].skills = at3;
        c = ask(5, 5000);
        CHECK("prereq-2.2: the level reached -> the right counts", c.verdict == V_DECIDE && c.right_id == 53);

        lea(1, (CanRight){54, 7, 20000, 0, NULL, NULL, both, 2});
        c = ask(5, 5000);
        CHECK("prereq-3.1: every prerequisite must be met (skill yes, training no)", c.verdict == V_NONE && c.nmissing == 1 && c.missing[0].training_id == 9);
        people[4].skills = at2;
        c = ask(5, 5000);
        CHECK("prereq-3.2: both missing are both listed", c.nmissing == 2);

        /* a weaker right without prerequisites still counts; the stronger one is reported */
        lea(2, (CanRight){55, 3, -1, 0, "Barista", NULL, NULL, 0}, (CanRight){56, 7, 20000, 0, NULL, NULL, complaint_training, 1});
        c = ask(5, 5000);
        CHECK("prereq-4.1: the right without prerequisites decides the verdict (propose)", c.verdict == V_PROPOSE && c.right_id == 55);
        CHECK("prereq-4.2: ... and the stronger withheld one is named with what it needs", c.missing_right_id == 56 && c.nmissing == 1);
        c = ask(5, 50000);
        CHECK("prereq-4.3: a withheld right that would not cover the amount is not offered", c.verdict == V_PROPOSE && c.nmissing == 0);

        /* an expired right with prerequisites is not "missing" anything */
        lea(1, (CanRight){57, 7, 20000, 0, NULL, "2026-01-01", complaint_training, 1});
        c = ask(5, 5000);
        CHECK("prereq-5.1: an expired right is not offered as missing", c.verdict == V_NONE && c.nmissing == 0);

        /* nobody grants with a right they do not yet meet */
        CanRight g[] = {{58, 7, -1, 0, NULL, NULL, complaint_training, 1}};
        CanPerson granter = {8, 0, "G", PERSON_ACTIVE, ACCESS_MANAGER, g, 1};
        CHECK("prereq-6.1: a right withheld for its prerequisites grants nothing", !can_grant_allowed(ACCESS_MANAGER, &granter, "2026-11-23", 3, 100, NULL));
        granter.trainings = done9, granter.ntrainings = 1;
        CHECK("prereq-6.2: met, it grants as before", can_grant_allowed(ACCESS_MANAGER, &granter, "2026-11-23", 3, 100, NULL));
        people[4].skills = NULL, people[4].nskills = 0;
        lea(0);
    }

    CHECK("names-1.1: verdict names round-trip", verdict_parse("advise") == V_ADVISE && strcmp(verdict_name(V_PROPOSE), "propose") == 0 && verdict_parse("x") == -1);
    CHECK("names-1.2: level names", strcmp(level_name(7), "delegate") == 0 && strcmp(level_name(1), "tell") == 0);
    CHECK_DONE();
}
