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

static const char *const VERDICTS[] = {"none", "approve", "decide", "inform", "advise", "agree", "propose"};

const char *verdict_name(int v) { return v >= 0 && v <= V_PROPOSE ? VERDICTS[v] : "none"; }

int verdict_parse(const char *s) {
    for (int i = 0; s && i <= V_PROPOSE; i++)
        if (strcmp(s, VERDICTS[i]) == 0) return i;
    return -1;
}

static const char *const LEVELS[] = {"", "tell", "sell", "consult", "agree", "advise", "inquire", "delegate"};
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
    snprintf(out, 24, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
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

/* can_best_right: the most permissive active right of p that covers the
 * amount; when none covers, *over gets the most permissive active one (the
 * amount is above its limit). NULL when p has no active right. */
const CanRight *can_best_right(const CanPerson *p, const char *today, int64_t amount, const CanRight **over) {
    const CanRight *best = NULL, *any = NULL;
    for (int i = 0; i < p->nrights; i++) {
        const CanRight *r = &p->rights[i];
        if (!right_active(r, today)) continue;
        if (more_permissive(r, any)) any = r;
        if (right_covers(r, amount) && more_permissive(r, best)) best = r;
    }
    if (over) *over = best ? NULL : any;
    return best;
}

const CanPerson *can_find(const CanWorld *w, int64_t id) {
    for (int i = 0; id && i < w->n; i++)
        if (w->people[i].id == id) return &w->people[i];
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

static void limit_text(const CanRight *r, char *out, size_t n) {
    char m[24];
    if (r->limit_cents < 0) snprintf(out, n, "with no limit");
    else snprintf(out, n, "up to %s", money_format(r->limit_cents, m));
}

static void via_text(const CanRight *r, char *out, size_t n) {
    if (r->via && *r->via) snprintf(out, n, " as %s", r->via);
    else snprintf(out, n, " (a personal right)");
}

/* can_evaluate: the verdict for person asking about the world's domain and
 * an amount in cents (-1: no amount). See DESIGN.md for the table. The
 * result's route and explanation point into w (names) and out. */
void can_evaluate(const CanWorld *w, int64_t person, int64_t amount, CanResult *out) {
    memset(out, 0, sizeof *out);
    out->limit_cents = -1;
    const char *label = w->domain_label ? w->domain_label : "this";
    const CanPerson *me = can_find(w, person);
    const CanRight *over = NULL;
    const CanRight *r = me ? can_best_right(me, w->today, amount, &over) : NULL;
    const CanPerson *to = NULL;
    char lim[48], via[160], m[24];
    if (!r) {
        const CanRight *shown = over;
        to = can_decider(w, person, person, amount);
        out->verdict = shown ? V_APPROVE : V_NONE;
        if (shown) {
            out->level = shown->level;
            out->limit_cents = shown->limit_cents;
            out->right_id = shown->id;
            limit_text(shown, lim, sizeof lim);
            via_text(shown, via, sizeof via);
            snprintf(out->explanation, sizeof out->explanation, "You may decide %s %s on your own%s; %s is above that, so %s%s%s.", label, lim, via,
                     money_format(amount, m), to ? "ask " : "an owner must grant a higher limit", to ? to->name : "", to ? " to approve it" : "");
        } else {
            snprintf(out->explanation, sizeof out->explanation, "You hold no decision right for %s, so %s%s%s.", label,
                     to ? "ask " : "an owner must first grant one", to ? to->name : "", to ? ", who can decide it" : "");
        }
    } else {
        out->level = r->level;
        out->limit_cents = r->limit_cents;
        out->right_id = r->id;
        limit_text(r, lim, sizeof lim);
        via_text(r, via, sizeof via);
        if (r->level == 7) {
            out->verdict = V_DECIDE;
            snprintf(out->explanation, sizeof out->explanation, "You may decide %s %s on your own%s.", label, lim, via);
        } else if (r->level == 6) {
            out->verdict = V_INFORM;
            to = can_manager(w, person, person);
            snprintf(out->explanation, sizeof out->explanation, "You may decide %s %s%s; tell %s afterwards.", label, lim, via,
                     to ? to->name : "an owner");
        } else if (r->level == 5) {
            out->verdict = V_ADVISE;
            const CanPerson *adv = can_find(w, r->advisor_id);
            to = available(adv, person) ? adv : can_manager(w, person, person);
            snprintf(out->explanation, sizeof out->explanation, "You may decide %s %s%s after asking %s for advice.", label, lim, via,
                     to ? to->name : "an owner");
        } else if (r->level == 4) {
            out->verdict = V_AGREE;
            to = can_manager(w, person, person);
            snprintf(out->explanation, sizeof out->explanation, "You decide %s together with %s%s: agree it with them first.", label,
                     to ? to->name : "an owner", via);
        } else {
            out->verdict = V_PROPOSE;
            to = can_manager(w, person, person);
            snprintf(out->explanation, sizeof out->explanation, "%s decides %s (you %s%s); bring them your proposal.", to ? to->name : "An owner",
                     label, level_name(r->level), via);
        }
    }
    if (to && to->id != person) {
        out->route_to = to->id;
        out->route_name = to->name;
    }
}

/* can_grant_allowed: nobody grants what they don't hold. Admins and owners
 * may grant anything; anyone else needs an active right for the domain at
 * least as high in level and limit (no limit covers any limit; a grant
 * without a limit needs a right without one) that lasts at least as long as
 * the new right (expires_on NULL: never; only a right that never expires
 * can grant one that never does). */
bool can_grant_allowed(int grantor_access, const CanPerson *grantor, const char *today, int level, int64_t limit_cents, const char *expires_on) {
    if (grantor_access >= ACCESS_ADMIN) return true;
    for (int i = 0; grantor && i < grantor->nrights; i++) {
        const CanRight *r = &grantor->rights[i];
        if (!right_active(r, today) || r->level < level) continue;
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
