/* can.c: the rights engine ("Can I?") and the other pure decisions of the
 * empowerment cycle: money parsing, which right wins, who a request is
 * routed to, whether a grant is allowed, and the Wilson bound behind earned
 * autonomy. No I/O and no allocation: callers load a CanWorld (canload.c)
 * and these functions answer over it, so they are unit-tested without a
 * server and fast enough to run a million times a second. */
#include "remit.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const VERDICTS[] = {N_("none"), N_("approve"), N_("decide"), N_("inform"), N_("advise"), N_("agree"), N_("propose")};

const char *verdict_name(int v) { return v >= 0 && v <= V_PROPOSE ? VERDICTS[v] : "none"; }

int verdict_parse(const char *s) {
    for (int i = 0; s && i <= V_PROPOSE; i++)
        if (strcmp(s, VERDICTS[i]) == 0) return i;
    return -1;
}

static const char *const LEVELS[] = {"", N_("tell"), N_("sell"), N_("consult"), N_("agree"), N_("advise"), N_("inquire"), N_("delegate")};
const char *level_name(int level) { return level >= 1 && level <= 7 ? LEVELS[level] : "?"; }

/* money_parse: a non-negative decimal with at most two decimals ("120",
 * "120.5", "120.50") into cents. No sign, exponent, spaces or thousands
 * separators; false when it would not fit in int64 cents. */
bool money_parse(const char *s, int64_t *cents) {
    if (!s || !*s) return false;
    int64_t whole = 0;
    const char *p = s;
    if (*p < '0' || *p > '9') return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (whole > (INT64_MAX - (*p - '0')) / 10) return false;
        whole = whole * 10 + (*p - '0');
    }
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return false;
        frac = (*p++ - '0') * 10;
        if (*p >= '0' && *p <= '9') frac += *p++ - '0';
    }
    if (*p || whole > (INT64_MAX - frac) / 100) return false;
    *cents = whole * 100 + frac;
    return true;
}

/* money_format: cents as "1234.50" into out (at least 24 bytes). */
char *money_format(int64_t cents, char out[24]) {
    /* by hand: this runs for every "Can I?" verdict */
    char digits[24];
    int n = 0;
    uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < 3);
    char *p = out;
    if (cents < 0) *p++ = '-';
    while (n > 2) *p++ = digits[--n];
    *p++ = '.';
    *p++ = digits[1];
    *p++ = digits[0];
    *p = 0;
    return out;
}

bool right_active(const CanRight *r, const char *today) {
    return !r->expires_on || !*r->expires_on || !today || strcmp(r->expires_on, today) >= 0;
}

bool right_covers(const CanRight *r, int64_t amount) { return r->limit_cents < 0 || amount < 0 || amount <= r->limit_cents; }

/* more_permissive: a beats b on level, then on limit (no limit is the most). */
static bool more_permissive(const CanRight *a, const CanRight *b) {
    if (!b) return true;
    if (a->level != b->level) return a->level > b->level;
    if (b->limit_cents < 0) return false;
    return a->limit_cents < 0 || a->limit_cents > b->limit_cents;
}

static bool held(const CanHeld *v, int n, int64_t id, int *level) {
    int lo = 0, hi = n - 1; /* sorted by id */
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid].id == id) {
            if (level) *level = v[mid].level;
            return true;
        }
        if (v[mid].id < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return false;
}

/* req_met: whether p meets one prerequisite: a confirmed level at least the
 * one asked for, or the training completed. */
static bool req_met(const CanPerson *p, const CanReq *q) {
    int level = 0;
    if (q->training_id) return held(p->trainings, p->ntrainings, q->training_id, NULL);
    return held(p->skills, p->nskills, q->skill_id, &level) && level >= q->level;
}

/* can_right_missing: the prerequisites of r that p does not meet, copied
 * into out (up to max); returns how many there are in all. */
int can_right_missing(const CanPerson *p, const CanRight *r, CanReq *out, int max) {
    int n = 0;
    for (int i = 0; i < r->nrequires; i++)
        if (!req_met(p, &r->requires[i])) {
            if (out && n < max) out[n] = r->requires[i];
            n++;
        }
    return n;
}

bool can_right_met(const CanPerson *p, const CanRight *r) { return r->nrequires == 0 || can_right_missing(p, r, NULL, 0) == 0; }

/* can_best_right: the most permissive active right of p that covers the
 * amount; when none covers, *over gets the most permissive active one (the
 * amount is above its limit). NULL when p has no active right. A right
 * whose prerequisites p does not meet counts as absent. */
const CanRight *can_best_right(const CanPerson *p, const char *today, int64_t amount, const CanRight **over) {
    const CanRight *best = NULL, *any = NULL;
    for (int i = 0; i < p->nrights; i++) {
        const CanRight *r = &p->rights[i];
        if (!right_active(r, today) || !can_right_met(p, r)) continue;
        if (more_permissive(r, any)) any = r;
        if (right_covers(r, amount) && more_permissive(r, best)) best = r;
    }
    if (over) *over = best ? NULL : any;
    return best;
}

const CanPerson *can_find(const CanWorld *w, int64_t id) {
    int lo = 0, hi = w->n - 1; /* people are sorted by id */
    while (id && lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int64_t at = w->people[mid].id;
        if (at == id) return &w->people[mid];
        if (at < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

static bool available(const CanPerson *p, int64_t asker) { return p && p->id != asker && p->status == PERSON_ACTIVE; }

/* an owner who is not the asker and is active: the last resort. */
static const CanPerson *any_owner(const CanWorld *w, int64_t asker) {
    for (int i = 0; i < w->n; i++)
        if (w->people[i].access == ACCESS_OWNER && available(&w->people[i], asker)) return &w->people[i];
    return NULL;
}

/* can_manager: the nearest available manager up the chain from `from`
 * (skipping people who are away or left, and never the asker), else an
 * owner. Loops in corrupt data end after w->n steps. */
const CanPerson *can_manager(const CanWorld *w, int64_t from, int64_t asker) {
    const CanPerson *p = can_find(w, from);
    for (int steps = 0; p && p->manager_id && steps <= w->n; steps++) {
        p = can_find(w, p->manager_id);
        if (available(p, asker)) return p;
    }
    return any_owner(w, asker);
}

/* can_decider: the nearest person up the chain from `from` who may decide
 * this domain and amount on their own (level 5-7 covering it), else an
 * owner. */
const CanPerson *can_decider(const CanWorld *w, int64_t from, int64_t asker, int64_t amount) {
    const CanPerson *p = can_find(w, from);
    for (int steps = 0; p && p->manager_id && steps <= w->n; steps++) {
        p = can_find(w, p->manager_id);
        if (!available(p, asker)) continue;
        const CanRight *r = can_best_right(p, w->today, amount, NULL);
        if (r && r->level >= 5) return p;
    }
    return any_owner(w, asker);
}

/* Txt: the explanation, written with plain copies (snprintf would cost more
 * than the verdict itself); cut short rather than overflow. */
typedef struct Txt { char *p, *end; } Txt;

static void put(Txt *t, const char *s) {
    while (s && *s && t->p < t->end) *t->p++ = *s++;
    *t->p = 0;
}

static void put_money(Txt *t, int64_t cents) {
    char m[24];
    put(t, money_format(cents, m));
}

static void put_limit(Txt *t, const CanRight *r) {
    if (r->limit_cents < 0) put(t, "with no limit");
    else put(t, "up to "), put_money(t, r->limit_cents);
}

static void put_via(Txt *t, const CanRight *r) {
    if (r->via && *r->via) put(t, " as "), put(t, r->via);
    else put(t, " (a personal right)");
}

static const char *name_or(const CanPerson *p, const char *fallback) { return p ? p->name : fallback; }

/* withheld: the right p holds on paper but lacks the prerequisites for,
 * when it would do better than `got` (the right that counts, or the one the
 * amount is over): covering the amount where got does not, or more
 * permissive. NULL when none. */
static const CanRight *withheld(const CanPerson *p, const char *today, int64_t amount, const CanRight *got) {
    const CanRight *best = NULL;
    bool got_covers = got && right_covers(got, amount);
    for (int i = 0; i < p->nrights; i++) {
        const CanRight *r = &p->rights[i];
        if (!r->nrequires || !right_active(r, today) || can_right_met(p, r)) continue;
        bool covers = right_covers(r, amount);
        if (got && got_covers && !covers) continue;
        if (got && (covers == got_covers) && !more_permissive(r, got)) continue;
        if (!best || (covers && !right_covers(best, amount)) || more_permissive(r, best)) best = r;
    }
    return best;
}

void can_evaluate(const CanWorld *w, int64_t person, int64_t amount, CanResult *out) {
    out->verdict = V_NONE;
    out->level = 0;
    out->limit_cents = -1;
    out->right_id = 0;
    out->route_to = 0;
    out->route_name = NULL;
    out->nmissing = 0;
    out->missing_right_id = 0;
    Txt t = {out->explanation, out->explanation + sizeof out->explanation - 1};
    const char *label = w->domain_label ? w->domain_label : "this";
    const CanPerson *me = can_find(w, person);
    const CanRight *over = NULL;
    const CanRight *r = me ? can_best_right(me, w->today, amount, &over) : NULL;
    const CanRight *pending = me ? withheld(me, w->today, amount, r ? r : over) : NULL;
    if (pending) {
        out->missing_right_id = pending->id;
        int n = can_right_missing(me, pending, out->missing, 4);
        out->nmissing = n < 4 ? n : 4;
        /* "Not yet: complete the training Complaint handling; until then: ..." */
        put(&t, "Not yet: ");
        for (int i = 0; i < out->nmissing; i++) {
            const CanReq *q = &out->missing[i];
            if (i) put(&t, "; ");
            if (q->training_id) put(&t, "complete the training "), put(&t, q->name ? q->name : "?");
            else {
                char lv[2] = {(char)('0' + (q->level >= 1 && q->level <= 4 ? q->level : 0)), 0};
                put(&t, "reach level "), put(&t, lv), put(&t, " in "), put(&t, q->name ? q->name : "?");
            }
        }
        put(&t, "; until then: ");
    }
    const CanPerson *to = NULL;
    if (!r) {
        const CanRight *shown = over;
        to = can_decider(w, person, person, amount);
        out->verdict = shown ? V_APPROVE : V_NONE;
        if (shown) {
            out->level = shown->level;
            out->limit_cents = shown->limit_cents;
            out->right_id = shown->id;
            /* "You may decide L up to X on your own as R; A is above that, so ask N to approve it." */
            put(&t, "You may decide "), put(&t, label), put(&t, " "), put_limit(&t, shown), put(&t, " on your own"), put_via(&t, shown);
            put(&t, "; "), put_money(&t, amount), put(&t, " is above that, so ");
            if (to) put(&t, "ask "), put(&t, to->name), put(&t, " to approve it.");
            else put(&t, "an owner must grant a higher limit.");
        } else {
            put(&t, "You hold no decision right for "), put(&t, label), put(&t, ", so ");
            if (to) put(&t, "ask "), put(&t, to->name), put(&t, ", who can decide it.");
            else put(&t, "an owner must first grant one.");
        }
    } else {
        out->level = r->level;
        out->limit_cents = r->limit_cents;
        out->right_id = r->id;
        if (r->level == 7) {
            out->verdict = V_DECIDE;
            put(&t, "You may decide "), put(&t, label), put(&t, " "), put_limit(&t, r), put(&t, " on your own"), put_via(&t, r), put(&t, ".");
        } else if (r->level == 6) {
            out->verdict = V_INFORM;
            to = can_manager(w, person, person);
            put(&t, "You may decide "), put(&t, label), put(&t, " "), put_limit(&t, r), put_via(&t, r);
            put(&t, "; tell "), put(&t, name_or(to, "an owner")), put(&t, " afterwards.");
        } else if (r->level == 5) {
            out->verdict = V_ADVISE;
            const CanPerson *adv = can_find(w, r->advisor_id);
            to = available(adv, person) ? adv : can_manager(w, person, person);
            put(&t, "You may decide "), put(&t, label), put(&t, " "), put_limit(&t, r), put_via(&t, r);
            put(&t, " after asking "), put(&t, name_or(to, "an owner")), put(&t, " for advice.");
        } else if (r->level == 4) {
            out->verdict = V_AGREE;
            to = can_manager(w, person, person);
            put(&t, "You decide "), put(&t, label), put(&t, " together with "), put(&t, name_or(to, "an owner")), put_via(&t, r);
            put(&t, ": agree it with them first.");
        } else {
            out->verdict = V_PROPOSE;
            to = can_manager(w, person, person);
            put(&t, name_or(to, "An owner")), put(&t, " decides "), put(&t, label), put(&t, " (you "), put(&t, level_name(r->level)), put_via(&t, r);
            put(&t, "); bring them your proposal.");
        }
    }
    if (to && to->id != person) {
        out->route_to = to->id;
        out->route_name = to->name;
    }
}

bool can_grant_allowed(int grantor_access, const CanPerson *grantor, const char *today, int level, int64_t limit_cents, const char *expires_on) {
    if (grantor_access >= ACCESS_ADMIN) return true;
    for (int i = 0; grantor && i < grantor->nrights; i++) {
        const CanRight *r = &grantor->rights[i];
        if (!right_active(r, today) || r->level < level || !can_right_met(grantor, r)) continue;
        if (r->expires_on && *r->expires_on && (!expires_on || !*expires_on || strcmp(expires_on, r->expires_on) > 0)) continue;
        if (r->limit_cents < 0 || (limit_cents >= 0 && limit_cents <= r->limit_cents)) return true;
    }
    return false;
}

/* wilson_lower: the lower bound of the 95% Wilson score interval for `good`
 * successes (halves allowed) out of n. 0 when n is 0. */
double wilson_lower(double good, int n) {
    if (n <= 0) return 0;
    const double z = 1.96;
    double p = good / n, z2 = z * z;
    double centre = p + z2 / (2.0 * n);
    double margin = z * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return (centre - margin) / (1 + z2 / n);
}
