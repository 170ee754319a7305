/* demo_ideas.c: challenges and ideas in the demo: three challenges (an open
 * organisation challenge on food waste, a Bakery team challenge in review,
 * a closed organisation challenge about Saturdays) with sixty ideas, some
 * anonymous, and what happened to them: votes, comments, the stage history
 * up to implemented, declined with reasons, one merge (its votes moved),
 * review scorecards, pairwise choices, and a few ideas that never got an
 * answer, so that the idea insights have a black hole to show. Written
 * inside the demo's transaction (no BEGIN or COMMIT here); deterministic:
 * its own fixed-seed pseudo-random numbers, times relative to `now`. */
#include "cli.h"
#include "handlers.h"
#include "ideas.h"
#include <stdio.h>
#include <string.h>


#define DAY 86400
#define HOUR 3600

typedef struct DChallenge {
    const char *key, *title, *body, *team, *goal, *phase, *owner;
    int opened_ago;          /* days */
    int closes_in;           /* days from now; negative: closed that long ago */
    const char *reviewers[4];
} DChallenge;

static const DChallenge CHALLENGES[] = {
    {"waste", "How could we cut food waste by 20% this quarter?",
     "Food waste is our biggest cost we can control after wages, and it goes against one of our values: **waste nothing**. "
     "Last year we threw away about 140 kg of bread and pastry a week.\n\n"
     "What would you change, at the oven, at the counter or in the kitchen, to bring that down by a fifth? "
     "Small, practical ideas are as welcome as big ones.",
     NULL, "Cut food waste by 20% this year", "open", "admin@example.com", 42, 19, {NULL}},
    {"early", "How could the early bake run smoother?",
     "The early bake starts at 3:30 and the first van leaves at 6:15. Too many mornings end in a rush, and mistakes happen when we are tired.\n\n"
     "What would make the early shift calmer, safer and more predictable? Only the bakery team sees this challenge.",
     "Bakery", NULL, "review", "manager@example.com", 70, -16, {"manager@example.com", "ines.moreau@example.com", "grace.okafor@example.com"}},
    {"saturday", "What would make Saturdays less hectic?",
     "Saturday mornings bring a third of the week's café sales and most of our complaints: long queues, sold-out shelves and tired teams.\n\n"
     "What would make Saturdays calmer, for our guests and for us?",
     NULL, "Be the neighbourhood's favourite bakery", "closed", "owner@example.com", 115, -62, {NULL}},
};

typedef struct DIdea {
    const char *ch;           /* challenge key */
    const char *title, *body;
    const char *author;       /* e-mail; NULL: anonymous */
    int days_ago;             /* when it was submitted */
    const char *stage;        /* where it stands now */
    int appeal;               /* 0-10: how many vote for it, how it fares in pairs */
    const char *reply;        /* a first answer from the challenge's owner (a comment), or NULL */
    const char *reason;       /* declined: why; merged: the title of the idea it went into */
    const char *owner;        /* piloting and implemented: who carries it */
    int risk, reward, effort; /* the reviewers' rough view (review-phase challenge only) */
} DIdea;

static const DIdea IDEAS[] = {
    /* ---- food waste (open, organisation) ---- */
    {"waste", "Evening surprise bags for unsold bread",
     "At 18:00 we pack what is left into surprise bags at a fixed price and sell them through an app and at the counter. "
     "Guests love a bargain and we stop binning good bread.",
     "emma.larsen@example.com", 41, "piloting", 10, "Love this. Maria will run a four-week pilot at Riverside; we will count the bags and weigh the bin.",
     NULL, "maria.lopez@example.com"},
    {"waste", "Bake the afternoon croissants to the 11:00 count",
     "Bake a smaller first batch and top up from the freezer depending on what has sold by 11. "
     "The bakery could send shaped, frozen croissants to both cafés.",
     "kofi.mensah@example.com", 39, "reviewing", 8},
    {"waste", "Turn day-old bread into croutons and bread pudding",
     "The kitchen at Riverside can use yesterday's sourdough for croutons in the salads and a bread-and-butter pudding on the lunch menu.",
     "ravi.patel@example.com", 38, "accepted", 7},
    {"waste", "Send each café's closing count to the bakery every night",
     "A two-minute message at closing: what is left of each product. The bakery plans tomorrow's bake with real numbers instead of habit.",
     "manager@example.com", 37, "implemented", 9, "Simple and cheap: let's start on Monday.", NULL, "manager@example.com"},
    {"waste", "Give Monday's leftovers to the food bank",
     "The food bank on Mill Street collects on Monday evenings. What we cannot sell could feed people instead of the bin.",
     "amara.nwosu@example.com", 36, "reviewing", 7, "We are checking the food-safety rules for donated bakes with the food bank."},
    {"waste", "Smaller loaves on weekdays",
     "Single guests and couples often leave half a loaf. A 400 g loaf next to the 800 g one would sell better from Monday to Thursday.",
     "lena.vogel@example.com", 35, "new", 5, "Good point: Tomás will check which loaves come back most often."},
    {"waste", "Stop baking the full range after 16:00",
     "After four we could offer a short list of what is left instead of baking fresh trays of everything.",
     "luca.romano@example.com", 34, "declined", 3, NULL,
     "We promise guests the full range until 17:00 in both cafés. Let's look again once the closing counts show where the waste really is."},
    {"waste", "Freeze shaped dough instead of baking everything",
     "Shaped, frozen dough bakes in twenty minutes in the café ovens. We would bake to demand in the afternoon.",
     "grace.okafor@example.com", 33, "reviewing", 6},
    {"waste", "Weigh the waste bin every evening",
     "We cannot cut what we do not measure: a kitchen scale by the bin and one line in the closing checklist.",
     "member@example.com", 33, "implemented", 8, "Yes: scales for both cafés are on their way.", NULL, "maria.lopez@example.com"},
    {"waste", "Label pastries with a 'baked at' time",
     "A small card with the baking time lets us sell the older trays first, and tells guests how fresh things are.",
     "fatima.ali@example.com", 33, "new", 4},
    {"waste", "Pre-orders for lunch sandwiches the day before",
     "Regulars could order tomorrow's sandwich at the counter today. We would make fewer on spec and bin fewer at three o'clock.",
     "chloe.dubois@example.com", 27, "new", 5},
    {"waste", "Twice-baked almond croissants from yesterday's croissants",
     "Every good French bakery does it: soak day-old croissants in syrup, fill them with frangipane and bake them again. They sell for more than fresh ones.",
     "ines.moreau@example.com", 31, "implemented", 9, NULL, NULL, "ines.moreau@example.com"},
    {"waste", "A half-price hour before closing", "Everything half price from 17:00. Simple to explain, and it clears the shelves.", NULL, 30,
     "declined", 4, NULL, "Regulars would learn to wait for the discount, and the surprise bags meet the same need without cutting the day's prices."},
    {"waste", "Compost what we really cannot sell",
     "Some waste will always be left. The community garden behind Old Town would take our compost.",
     "nina.petrova@example.com", 29, "new", 3, "Thanks, Nina: we will ask the garden what they can take, and count the compost in the waste number."},
    {"waste", "Let the cafés order tomorrow's bread themselves",
     "The shift lead at each café knows best what sells. Let them order from the bakery by 14:00 instead of getting a standard delivery.",
     "mateo.garcia@example.com", 28, "reviewing", 8},
    {"waste", "A staff take-home box at closing",
     "Whatever is left after the surprise bags could go home with the team instead of into the bin, with a simple sign-out list.", NULL, 26,
     "accepted", 7},
    {"waste", "Track waste per product on the till",
     "A 'waste' button on the till, so each binned item is recorded per product. We would see which products to bake less of.",
     "noah.fischer@example.com", 25, "merged", 5, NULL, "Send each café's closing count to the bakery every night"},
    {"waste", "Bake baguettes in two rounds at Old Town",
     "Old Town sells most baguettes before nine and after four. Two smaller rounds would stop the midday tray going stale.",
     "yuki.tanaka@example.com", 24, "new", 5, "Jonas and Tomás will look at the oven schedule together this week."},
    {"waste", "First in, first out labels in the fridges",
     "Dated labels on every container in the café fridges, oldest at the front. We throw away fillings we simply forgot.", NULL, 24, "new", 4},
    {"waste", "Fewer sandwich varieties after 14:00, made to order",
     "From two o'clock, keep three sandwiches in the display and make the rest to order. Fewer wrapped sandwiches would end up in the bin.",
     "omar.haddad@example.com", 22, "reviewing", 6},
    {"waste", "Smaller cake slices as a taster",
     "A half slice at a lower price would sell the last cakes of the day and let guests try something new.",
     "zoe.martin@example.com", 21, "new", 4},
    {"waste", "Show the weekly waste number on the staff board",
     "If we all see the number every Monday, we will all think about it. A simple chart on the board by the lockers.",
     "tom.brennan@example.com", 19, "accepted", 6},
    {"waste", "Jam and smoothies from overripe fruit",
     "The fruit for the tarts goes soft quickly. The café kitchen could turn it into jam for breakfast and into smoothies.",
     "erik.johansson@example.com", 17, "reviewing", 5},
    {"waste", "Catering leftovers to the staff room, not the bin",
     "After a catering job we often bring back untouched platters. They could feed the next shift.", NULL, 9, "new", 5},
    {"waste", "Ask regulars to reserve their loaf",
     "Many regulars buy the same loaf every day. A reservation list, or a simple online form, would tell us how many to bake.",
     "mei.chen@example.com", 6, "new", 6},
    {"waste", "Sell breadcrumbs in paper bags",
     "Grind what is left of the plain white bread into breadcrumbs and sell them in small paper bags next to the till.",
     "carlos.silva@example.com", 4, "new", 3},

    /* ---- the early bake (review, Bakery team) ---- */
    {"early", "Weigh out the dry ingredients the evening before",
     "The late shift could scale flour, salt and seeds into labelled tubs. The early shift would start mixing at 3:30 instead of 3:55.",
     "luca.romano@example.com", 68, "accepted", 8, NULL, NULL, NULL, 1, 4, 2},
    {"early", "A second spiral mixer",
     "With one mixer every dough waits in line. A second, smaller mixer would let the rye and wheat doughs run at the same time.",
     "kofi.mensah@example.com", 66, "reviewing", 7, NULL, NULL, NULL, 3, 4, 5},
    {"early", "The proving schedule on a whiteboard by the oven",
     "Write each dough's mixing time, proving time and oven slot on a whiteboard, so nobody has to keep it all in their head at four in the morning.",
     "hana.sato@example.com", 65, "implemented", 8, "Whiteboard ordered: it arrives on Thursday.", NULL, "hana.sato@example.com", 1, 3, 1},
    {"early", "Start the rye sourdough on the late shift",
     "The rye needs the longest. If the late shift mixes the leaven at 20:00, the early shift can shape it straight away.",
     "rosa.mendes@example.com", 62, "accepted", 6, NULL, NULL, NULL, 2, 4, 2},
    {"early", "A loading checklist for the delivery van",
     "Every few days something is left behind and I drive back. A checklist per café, ticked while loading, would stop that.",
     "ben.hughes@example.com", 60, "piloting", 7, NULL, NULL, "ben.hughes@example.com", 1, 3, 1},
    {"early", "Rotate who starts at 3:30",
     "The same three people always take the earliest start. A fair rotation would spread the load.", NULL, 58, "reviewing", 9,
     "Thank you for raising this. We will draft a rotation together at the next team meeting.", NULL, NULL, 2, 4, 2},
    {"early", "Brighter lights in the flour store",
     "It is hard to read the labels in there before sunrise; we mixed up rye and spelt twice this month.",
     "aisha.khan@example.com", 55, "accepted", 5, NULL, NULL, NULL, 1, 2, 1},
    {"early", "Shape the rolls the night before and retard them in the fridge",
     "Rolls shaped at 21:00 and kept cold overnight bake straight from the fridge. It saves an hour in the morning and the flavour improves.",
     "grace.okafor@example.com", 52, "piloting", 8, NULL, NULL, "grace.okafor@example.com", 3, 5, 3},
    {"early", "No radio in the first hour", "Some of us would like a quiet first hour to concentrate on the doughs.", NULL, 49, "declined", 2, NULL,
     "Most of the team asked to keep the radio on. We agreed on a lower volume before five instead.", NULL, 1, 1, 1},
    {"early", "A proper breakfast for the early shift",
     "There is fresh bread everywhere, but nothing else. Some yoghurt, fruit and coffee at six would keep us going to the end of the shift.",
     "piotr.zielinski@example.com", 46, "reviewing", 8, NULL, NULL, NULL, 1, 3, 2},
    {"early", "Label the dough tubs with the time they went in",
     "A strip of tape with the time on every tub. Then nobody has to guess which dough is ready.", "aisha.khan@example.com", 40, "new", 6},
    {"early", "Fix the sticking door of the walk-in fridge",
     "The door sticks and is left ajar at least once a week. A new seal costs little; a warm fridge costs a lot.",
     "ines.moreau@example.com", 38, "implemented", 7, "Agreed: the technician comes on Tuesday.", NULL, "manager@example.com", 1, 3, 1},
    {"early", "Ask the mill to deliver on Tuesdays",
     "Monday deliveries land in the middle of the busiest bake. Tuesday mornings are quieter.", "luca.romano@example.com", 30, "declined", 4,
     NULL, "The mill cannot change its route before spring. Oscar has asked them again for March.", NULL, 2, 2, 1},
    {"early", "Teach the apprentice the deck oven",
     "Only two of us can run the deck oven. If Aisha learns it, a sick day no longer means a late bake.", "kofi.mensah@example.com", 22,
     "reviewing", 7, NULL, NULL, NULL, 2, 4, 3},

    /* ---- Saturdays (closed, organisation) ---- */
    {"saturday", "A second till at Riverside on Saturday mornings",
     "From nine to twelve the queue reaches the door. A second till on the back counter would halve it.", "noah.fischer@example.com", 113,
     "implemented", 10, NULL, NULL, "maria.lopez@example.com"},
    {"saturday", "Pre-packed breakfast bags for the rush",
     "A croissant, a roll and butter in a bag, ready at eight. Most Saturday guests order exactly that.", "zoe.martin@example.com", 112,
     "implemented", 8, NULL, NULL, "zoe.martin@example.com"},
    {"saturday", "A pick-up shelf for online orders",
     "Guests who ordered online queue with everyone else. A shelf by the door with named bags would let them grab and go.",
     "mei.chen@example.com", 110, "implemented", 9, NULL, NULL, "mei.chen@example.com"},
    {"saturday", "Stagger Saturday shift starts",
     "If everyone starts at seven, the first hour is crowded and the afternoon is thin. Starts at 7:00, 7:30 and 8:00 would match the rush.",
     "lena.vogel@example.com", 108, "implemented", 7, NULL, NULL, "jonas.weber@example.com"},
    {"saturday", "Numbered tickets for the queue", "A ticket machine, so guests know their turn and can sit down while they wait.", NULL, 106,
     "declined", 3, NULL, "Guests told us tickets feel impersonal, and the second till has already shortened the queue."},
    {"saturday", "Close Old Town's seating until noon", "Takeaway only until twelve on Saturdays, so we can keep up at the counter.",
     "jack.wilson@example.com", 104, "declined", 2, NULL, "The seating is why many guests come on Saturday mornings; we would lose them."},
    {"saturday", "Bake the Saturday croissants on Friday evening", "Bake them the evening before and warm them up in the morning.",
     "fatima.ali@example.com", 101, "declined", 3, NULL, "We tried it on two Saturdays and the croissants were clearly worse. Craft before speed."},
    {"saturday", "A runner who only clears tables",
     "One person on Saturdays whose only job is clearing and wiping tables, so the baristas can stay at the machine.",
     "felix.braun@example.com", 99, "piloting", 8, NULL, NULL, "emma.larsen@example.com"},
    {"saturday", "A shorter Saturday menu", "Twelve items instead of twenty on Saturday mornings: faster to serve, less to prepare.",
     "omar.haddad@example.com", 97, "accepted", 6},
    {"saturday", "Text guests when their cake order is ready",
     "Guests collecting a cake wait at the counter. A text message when it is boxed lets them come back later.", "amara.nwosu@example.com", 95,
     "implemented", 7, NULL, NULL, "amara.nwosu@example.com"},
    {"saturday", "A water station so guests can help themselves",
     "A jug of water and glasses on the side counter. Nobody would have to queue for a glass of water.", "chloe.dubois@example.com", 94,
     "accepted", 5},
    {"saturday", "Prepare the sandwich fillings on Friday",
     "Fillings prepared and dated on Friday afternoon would save us an hour on Saturday morning.", "ravi.patel@example.com", 92, "implemented",
     6, NULL, NULL, "ravi.patel@example.com"},
    {"saturday", "Card payment only on Saturdays", "Cash slows the queue down: counting change, and the float running out.", NULL, 90,
     "declined", 3, NULL, "Some of our most loyal regulars pay only in cash; we will not turn them away."},
    {"saturday", "Turn the music down during the rush", "It is hard to hear orders between nine and eleven.", "yuki.tanaka@example.com", 88,
     "accepted", 5},
    {"saturday", "A board of what is sold out",
     "A small chalkboard by the door with what is sold out saves us answering the same question a hundred times.",
     "mateo.garcia@example.com", 86, "implemented", 7, NULL, NULL, "mateo.garcia@example.com"},
    {"saturday", "Let baristas swap Saturday shifts without asking",
     "Two trained baristas could agree a swap between them and note it in the rota, with no need to ask the manager.",
     "sara.ahmed@example.com", 84, "implemented", 9, NULL, NULL, "jonas.weber@example.com"},
    {"saturday", "Deliveries to the cafés at 6:00, not 7:00",
     "The van arrives as we open. An hour earlier would let us fill the shelves before the first guests.", "ben.hughes@example.com", 80,
     "accepted", 6},
    {"saturday", "Extra oat milk in stock on Saturdays", "We run out by eleven almost every Saturday.", NULL, 75, "accepted", 4},
    {"saturday", "Fewer catering orders on Saturdays", "Catering pick-ups on Saturday mornings clash with the café rush.",
     "erik.johansson@example.com", 72, "declined", 3, NULL,
     "Saturday catering brings a third of the week's catering revenue and helps fund the third café. Pick-ups will move to the side door instead."},
    {"saturday", "A Saturday loyalty stamp", "Regulars who come every Saturday could get every tenth coffee free.", "nina.petrova@example.com",
     70, "new", 4},
};

/* what colleagues say under an idea, per challenge */
static const char *const CHAT_WASTE[] = {
    "Yes please: I bin a full tray of rolls most Sundays.",
    "We did something like this at my last job and it worked well.",
    "Could we try it at one café first and compare?",
    "Happy to help set this up.",
    "How would we know it works? The evening bin weight would be my measure.",
    "Guests ask about this more often than you would think.",
};
static const char *const CHAT_EARLY[] = {
    "This would make my mornings a lot calmer.",
    "Let's try it for two weeks and see.",
    "I can time how long this takes us now, so we can compare.",
    "The late shift needs to be on board too.",
};
static const char *const CHAT_SATURDAY[] = {
    "The ten o'clock rush at Riverside would love this.",
    "Old Town has exactly the same problem.",
    "Simple and cheap: let's do it.",
    "Guests mention this in their reviews.",
};
static const char *const REVIEW_NOTES[] = {
    "Cheap and quick; worth trying next week.",
    "Good idea, but the late shift has to agree.",
    "Costs money up front: let's check the budget with Priya.",
    "Small effort, real difference at four in the morning.",
    "I would pilot it for two weeks before deciding.",
    "Not sure it solves the real problem.",
};

/* people who read along but never vote, comment or compare: a demo where
 * everyone takes part would not be believable */
static const char *const QUIET[] = {"julia.novak@example.com", "priya.shah@example.com", "jack.wilson@example.com", "felix.braun@example.com",
                                    "oscar.lindqvist@example.com"};

static uint64_t rng_state = 0xD1B54A32D192ED03ULL;
static uint64_t rnd(void) { return rng_next(&rng_state); }
static int64_t between(int64_t lo, int64_t hi) { return rng_between(&rng_state, lo, hi); }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
/* jitter: one reviewer's score near the idea's rough value, within 1-5 */
static int64_t jitter(int v) {
    int x = v + (int)(rnd() % 3) - 1;
    return x < 1 ? 1 : x > 5 ? 5 : x;
}

static int64_t pid(Db *db, int64_t org, const char *email) {
    int64_t id = 0;
    if (email) db_one_int(db, &id, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, email);
    return id;
}

/* Ch: a challenge as written, with who may take part in it. */
typedef struct Ch {
    const DChallenge *d;
    int64_t id, actor, votes_end;
    int64_t people[64];      /* who can see it, has not left and is not quiet */
    int npeople;
    const char *const *chat;
    int nchat;
} Ch;

static const char SQL_IDEA_INSERT[] =
    "INSERT INTO idea(id, org_id, challenge_id, title, body, author_id, anonymous, follow_hash, created_at, stage, stage_reason, owner_id, due_on, "
    "merged_into_id, first_response_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_STAGE_INSERT[] =
    "INSERT INTO idea_stage(org_id, idea_id, at, actor_id, from_stage, to_stage, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_COMMENT_INSERT[] = "INSERT INTO comment(org_id, idea_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_VOTE_INSERT[] = "INSERT OR IGNORE INTO vote(idea_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)";

/* demo_path_of: the stages an idea went through to reach `stage`, in order. */
int demo_path_of(const char *stage, const char *path[4]) {
    static const char *const ALL[] = {"reviewing", "accepted", "piloting", "implemented"};
    if (strcmp(stage, "merged") == 0) return path[0] = "merged", 1;
    if (strcmp(stage, "declined") == 0) return path[0] = "reviewing", path[1] = "declined", 2;
    int n = 0;
    for (int i = 0; i < 4; i++) {
        if (strcmp(stage, "new") == 0) break;
        path[n++] = ALL[i];
        if (strcmp(stage, ALL[i]) == 0) break;
    }
    return n;
}

/* one_idea: writes one idea as it would have gone: submitted days_ago
 * (anonymous: at midnight, with a made-up follow hash), the owner's reply,
 * each stage change a few days apart (all before now), colleagues'
 * comments, first_response_at as the earliest of those, votes until the
 * challenge closed, and reviewers' scorecards. A DB_ code. */
static int one_idea(Db *db, Arena *a, int64_t org, int64_t now, Ch *c, const DIdea *d) {
    int64_t deadline = now - 2 * HOUR;
    int64_t author = pid(db, org, d->author);
    int64_t created = now - (int64_t)d->days_ago * DAY;
    created = author ? created - created % DAY + between(6, 19) * HOUR + between(0, 59) * 60 : created - created % DAY; /* anonymous: the day only */
    if (created > deadline) created = deadline - HOUR;
    char hash[65] = "";
    if (!author) snprintf(hash, sizeof hash, "%016llx%016llx%016llx%016llx", (unsigned long long)rnd(), (unsigned long long)rnd(),
                          (unsigned long long)rnd(), (unsigned long long)rnd());

    /* the timeline: a reply, the stage changes, colleagues' comments */
    const char *path[4];
    int nsteps = demo_path_of(d->stage, path);
    bool answered = nsteps > 0 || d->reply;
    int64_t t = created + between(1, 6) * DAY + between(1, 10) * HOUR;
    if (t > deadline) t = created + (deadline - created) / 3;
    int64_t reply_at = d->reply ? t : 0, steps[4] = {0};
    if (d->reply) t += between(1, 3) * DAY;
    for (int k = 0; k < nsteps; k++) {
        if (t > deadline - HOUR) t = deadline - HOUR * (nsteps - k);
        steps[k] = t;
        int64_t room = (deadline - t) / (nsteps - k + 1);
        t += min64(between(3, 12) * DAY + between(0, 8) * HOUR, room);
    }
    int nchat = answered ? (int)between(0, 2) : 0;
    int64_t chat_at[2], chat_by[2];
    int64_t first = reply_at ? reply_at : 0, last = created;
    if (nsteps && (!first || steps[0] < first)) first = steps[0];
    for (int k = 0; k < nchat; k++) {
        chat_at[k] = created + between(2 * HOUR, min64(20 * DAY, deadline - created));
        do chat_by[k] = c->people[rnd() % (uint64_t)c->npeople];
        while (chat_by[k] == author);
        if (!first || chat_at[k] < first) first = chat_at[k];
        if (chat_at[k] > last) last = chat_at[k];
    }
    if (reply_at > last) last = reply_at;
    if (nsteps && steps[nsteps - 1] > last) last = steps[nsteps - 1];

    /* where it stands now */
    int64_t owner = 0, into = 0;
    const char *due = NULL, *reason = NULL;
    if (strcmp(d->stage, "piloting") == 0 || strcmp(d->stage, "implemented") == 0) {
        owner = pid(db, org, d->owner);
        /* a pilot still running ends in the coming weeks; a finished one ended when it was declared implemented */
        due = strcmp(d->stage, "piloting") == 0 ? today_date(a, now + between(10, 30) * DAY) : today_date(a, steps[3]);
    }
    if (strcmp(d->stage, "declined") == 0) reason = d->reason;
    if (strcmp(d->stage, "merged") == 0) {
        db_one_int(db, &into, "SELECT id FROM idea WHERE org_id = ? AND challenge_id = ? AND title = ?", "iit", org, c->id, d->reason);
        reason = arena_printf(a, "The same idea as \xe2\x80\x9c%s\xe2\x80\x9d: votes and followers moved there.", d->reason);
    }
    int rc = db_exec(db, SQL_IDEA_INSERT, "iiittIitittItIIi", ideas_new_id(db), org, c->id, d->title, d->body, author, (int64_t)(author ? 0 : 1), author ? NULL : hash,
                     created, d->stage, reason, owner, due, into, first, last);
    int64_t idea = db_last_id(db);

    const char *from = "new";
    for (int k = 0; rc == DB_OK && k < nsteps; k++) {
        const char *why = "";
        if (strcmp(path[k], "declined") == 0 || strcmp(path[k], "merged") == 0) why = reason;
        else if (strcmp(path[k], "piloting") == 0) why = arena_printf(a, "Pilot until %s.", due);
        rc = db_exec(db, SQL_STAGE_INSERT, "iiiIttt", org, idea, steps[k], c->actor, from, path[k], why);
        from = path[k];
    }
    if (rc == DB_OK && d->reply) rc = db_exec(db, SQL_COMMENT_INSERT, "iiiti", org, idea, c->actor, d->reply, reply_at);
    for (int k = 0; rc == DB_OK && k < nchat; k++)
        rc = db_exec(db, SQL_COMMENT_INSERT, "iiiti", org, idea, chat_by[k], c->chat[rnd() % (uint64_t)c->nchat], chat_at[k]);

    /* votes: a merged idea's voters count for the idea it went into */
    int64_t vote_on = into ? into : idea, vote_author = author;
    if (into) db_one_int(db, &vote_author, "SELECT coalesce(author_id, 0) FROM idea WHERE id = ?", "i", into);
    int64_t vote_end = min64(c->votes_end, deadline);
    int pct = c->npeople > 20 ? 5 : 8; /* percent per point of appeal: a large crowd votes more selectively */
    for (int i = 0; rc == DB_OK && i < c->npeople && created < vote_end; i++) {
        int64_t p = c->people[i];
        if (p == author || p == vote_author || (int)(rnd() % 100) >= d->appeal * pct) continue;
        rc = db_exec(db, SQL_VOTE_INSERT, "iiii", vote_on, p, org, created + between(HOUR, vote_end - created));
    }

    /* scorecards by the challenge's reviewers, once the idea is in review */
    for (int i = 0; rc == DB_OK && nsteps && d->reward && i < 4 && c->d->reviewers[i]; i++) {
        int64_t rev = pid(db, org, c->d->reviewers[i]);
        if (rev == author || (i > 0 && rnd() % 5 == 0)) continue;
        int64_t risk = jitter(d->risk), reward = jitter(d->reward), effort = jitter(d->effort);
        int64_t at = steps[0] + between(HOUR, min64(3 * DAY, deadline - steps[0]));
        rc = db_exec(db, "INSERT INTO idea_review(idea_id, reviewer_id, org_id, risk, reward, effort, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     "iiiiiiti", idea, rev, org, risk, reward, effort, REVIEW_NOTES[rnd() % (sizeof REVIEW_NOTES / sizeof *REVIEW_NOTES)], at);
    }
    return rc;
}

/* pair_choices: people who compared ideas of the open challenge two at a
 * time, preferring the more appealing idea (Bradley-Terry odds). */
static int pair_choices(Db *db, int64_t org, int64_t now, const Ch *c) {
    int64_t ids[64], created[64];
    int appeal[64], n = 0;
    Stmt *s = db_q(db, "SELECT id, title, created_at, coalesce(author_id, 0) FROM idea WHERE org_id = ? AND challenge_id = ? "
                       "AND stage NOT IN ('merged', 'declined') ORDER BY id", "ii", org, c->id);
    int64_t authors[64];
    while (n < 64 && db_step(s) == DB_ROW) {
        ids[n] = db_int(s, 0);
        created[n] = db_int(s, 2);
        authors[n] = db_int(s, 3);
        appeal[n] = 5;
        for (size_t i = 0; i < sizeof IDEAS / sizeof *IDEAS; i++)
            if (strcmp(IDEAS[i].title, db_text(s, 1)) == 0) appeal[n] = IDEAS[i].appeal;
        n++;
    }
    db_reset(s);
    int rc = DB_OK;
    for (int j = 0; rc == DB_OK && n >= 2 && j < 16; j++) {
        int64_t who = c->people[rnd() % (uint64_t)c->npeople];
        int choices = (int)between(3, 9);
        for (int k = 0; rc == DB_OK && k < choices; k++) {
            int x = (int)(rnd() % (uint64_t)n), y = (int)(rnd() % (uint64_t)n);
            if (x == y || authors[x] == who || authors[y] == who) continue;
            if (ids[x] > ids[y]) { int t = x; x = y; y = t; }
            int wx = appeal[x] + 1, wy = appeal[y] + 1;
            int64_t winner = (int)(rnd() % (uint64_t)(wx + wy)) < wx ? ids[x] : ids[y];
            int64_t after = (created[x] > created[y] ? created[x] : created[y]) + HOUR;
            rc = db_exec(db, "INSERT OR IGNORE INTO pair_choice(org_id, challenge_id, person_id, idea_a, idea_b, winner_id, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", "iiiiiii", org, c->id, who, ids[x], ids[y], winner, after + between(0, now - 2 * HOUR - after));
        }
    }
    return rc;
}

/* demo_ideas: everything above, inside the demo's transaction. 0 ok, -1
 * after a message. */
int demo_ideas(Db *db, int64_t org, int64_t now) {
    Arena *a = arena_new();
    int rc = DB_OK;
    enum { NCH = sizeof CHALLENGES / sizeof *CHALLENGES };
    Ch chs[NCH];
    memset(chs, 0, sizeof chs);
    for (int i = 0; rc == DB_OK && i < NCH; i++) {
        const DChallenge *d = &CHALLENGES[i];
        Ch *c = &chs[i];
        c->d = d;
        int64_t team = 0, goal = 0, opened = now - (int64_t)d->opened_ago * DAY, closes = now + (int64_t)d->closes_in * DAY;
        if (d->team) db_one_int(db, &team, "SELECT id FROM team WHERE org_id = ? AND name = ?", "it", org, d->team);
        if (d->goal) db_one_int(db, &goal, "SELECT id FROM goal WHERE org_id = ? AND title = ?", "it", org, d->goal);
        c->actor = pid(db, org, d->owner);
        c->votes_end = strcmp(d->phase, "open") == 0 ? now : closes;
        rc = db_exec(db, "INSERT INTO challenge(org_id, title, body, scope, team_id, goal_id, opens_on, closes_on, phase, owner_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "itttIItttiii", org, d->title, d->body, team ? "team" : "org", team, goal,
                     today_date(a, opened), today_date(a, closes), d->phase, c->actor, opened - DAY, closes < now ? closes : opened);
        c->id = db_last_id(db);
        for (int k = 0; rc == DB_OK && k < 4 && d->reviewers[k]; k++)
            rc = db_exec(db, "INSERT INTO challenge_reviewer(challenge_id, person_id, org_id) VALUES (?, ?, ?)", "iii", c->id, pid(db, org, d->reviewers[k]), org);
        /* who can see it (challenges.c's rule) and is still with us */
        Stmt *s = db_q(db, "SELECT id, coalesce(team_id, 0), access, email_lc FROM person WHERE org_id = ? AND status != 'left' ORDER BY id", "i", org);
        int64_t rows[64][2];
        bool adm[64];
        int n = 0;
        while (n < 64 && db_step(s) == DB_ROW) {
            bool quiet = false;
            for (size_t q = 0; q < sizeof QUIET / sizeof *QUIET; q++) quiet |= strcmp(db_text(s, 3), QUIET[q]) == 0;
            if (quiet) continue;
            rows[n][0] = db_int(s, 0);
            rows[n][1] = db_int(s, 1);
            adm[n++] = strcmp(db_text(s, 2), "owner") == 0 || strcmp(db_text(s, 2), "admin") == 0;
        }
        db_reset(s);
        for (int k = 0; k < n; k++)
            if (!team || adm[k] || (rows[k][1] && team_in_subtree(db, org, rows[k][1], team))) c->people[c->npeople++] = rows[k][0];
        c->chat = strcmp(d->key, "waste") == 0 ? CHAT_WASTE : strcmp(d->key, "early") == 0 ? CHAT_EARLY : CHAT_SATURDAY;
        c->nchat = strcmp(d->key, "waste") == 0 ? (int)(sizeof CHAT_WASTE / sizeof *CHAT_WASTE)
                   : strcmp(d->key, "early") == 0 ? (int)(sizeof CHAT_EARLY / sizeof *CHAT_EARLY) : (int)(sizeof CHAT_SATURDAY / sizeof *CHAT_SATURDAY);
        if (c->npeople < 2) rc = DB_ERROR; /* NEVER with the demo's people */
    }
    for (size_t i = 0; rc == DB_OK && i < sizeof IDEAS / sizeof *IDEAS; i++) {
        Ch *c = NULL;
        for (int k = 0; k < NCH; k++)
            if (strcmp(chs[k].d->key, IDEAS[i].ch) == 0) c = &chs[k];
        rc = c ? one_idea(db, a, org, now, c, &IDEAS[i]) : DB_ERROR;
    }
    for (int k = 0; rc == DB_OK && k < NCH; k++)
        if (strcmp(chs[k].d->phase, "open") == 0) rc = pair_choices(db, org, now, &chs[k]);
    arena_free(a);
    if (rc != DB_OK) fprintf(stderr, "remit: demo ideas: %s\n", db_errmsg(db));
    return rc == DB_OK ? 0 : -1;
}
