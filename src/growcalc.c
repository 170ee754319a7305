/* growcalc.c: the pure decisions of skills, training and the fairness
 * audit: which trainings to suggest to a person and the one sentence that
 * explains each (with its evidence), the four-fifths rule and Fisher's exact
 * test. No I/O and no allocation: skills.c, training.c and fairness.c load
 * plain structs and call these; tests/unit/grow_test.c checks them against
 * hand-computed values. */
#include "remit.h"
#include "grow.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const SkLevel *level_of(const SkLevel *v, int n, int64_t skill) {
    for (int i = 0; i < n; i++)
        if (v[i].skill_id == skill) return &v[i];
    return NULL;
}

static int have(const SkLevel *v, int n, int64_t skill) {
    const SkLevel *l = level_of(v, n, skill);
    return l ? l->level : 0;
}

static bool done(const int64_t *v, int n, int64_t id) {
    for (int i = 0; i < n; i++)
        if (v[i] == id) return true;
    return false;
}

/* builder: the training that brings skill up to at least `level`: the one
 * that builds the lowest sufficient level, then the lowest id; skips
 * trainings already completed or planned. NULL when none. */
static const SkTraining *builder(const SkInput *in, int64_t skill, int level) {
    const SkTraining *best = NULL;
    int best_level = 0;
    for (int i = 0; i < in->ntrainings; i++) {
        const SkTraining *t = &in->trainings[i];
        if (done(in->taken, in->ntaken, t->id)) continue;
        int l = have(t->builds, t->nbuilds, skill);
        if (l < level) continue;
        if (!best || l < best_level || (l == best_level && t->id < best->id)) best = t, best_level = l;
    }
    return best;
}

static bool already(const SkSuggestion *out, int n, int64_t training) {
    for (int i = 0; i < n; i++)
        if (out[i].training_id == training) return true;
    return false;
}

int skills_suggest(const SkInput *in, SkSuggestion *out, int max) {
    int n = 0;
    /* 1. rights the person holds on paper but not yet in fact: those first,
     * because they open authority */
    for (int i = 0; i < in->nrights && n < max; i++) {
        const SkRight *r = &in->rights[i];
        const SkTraining *t = NULL;
        int from = 0;
        if (r->training_id) {
            if (done(in->completed, in->ncompleted, r->training_id)) continue;
            for (int k = 0; k < in->ntrainings; k++)
                if (in->trainings[k].id == r->training_id) t = &in->trainings[k];
            if (t && done(in->taken, in->ntaken, t->id)) continue;
        } else {
            from = have(in->levels, in->nlevels, r->skill_id);
            if (from >= r->level) continue;
            t = builder(in, r->skill_id, r->level);
        }
        if (!t || already(out, n, t->id)) continue;
        SkSuggestion *s = &out[n++];
        memset(s, 0, sizeof *s);
        s->kind = r->training_id ? SK_RIGHT_TRAINING : SK_RIGHT_SKILL;
        s->training_id = t->id;
        s->training = t->title;
        s->skill_id = r->skill_id;
        s->skill = r->skill;
        s->from = from;
        s->to = r->level;
        s->domain = r->domain;
        s->limit_cents = r->limit_cents;
    }
    /* 2. the role's needs the person is below */
    for (int i = 0; i < in->nneeds && n < max; i++) {
        const SkNeed *need = &in->needs[i];
        int from = have(in->levels, in->nlevels, need->skill_id);
        if (from >= need->level) continue;
        const SkTraining *t = builder(in, need->skill_id, need->level);
        if (!t || already(out, n, t->id)) continue;
        SkSuggestion *s = &out[n++];
        memset(s, 0, sizeof *s);
        s->kind = SK_ROLE_NEED;
        s->training_id = t->id;
        s->training = t->title;
        s->skill_id = need->skill_id;
        s->skill = need->skill;
        s->role = need->role;
        s->from = from;
        s->to = need->level;
        s->limit_cents = -1;
    }
    return n;
}

void skills_suggestion_text(const Lang *l, const char *person, const SkSuggestion *s, char *out, size_t size) {
    char m[24];
    const char *lim = s->limit_cents >= 0 ? money_format(s->limit_cents, m) : NULL;
    switch (s->kind) {
    case SK_RIGHT_TRAINING:
        if (lim) snprintf(out, size, TP(l, "%s holds %s up to %s once the training '%s' is completed; it is the right's prerequisite."), person, s->domain, lim, s->training);
        else snprintf(out, size, TP(l, "%s holds %s once the training '%s' is completed; it is the right's prerequisite."), person, s->domain, s->training);
        break;
    case SK_RIGHT_SKILL:
        if (lim) snprintf(out, size, TP(l, "%s holds %s up to %s once at level %d in %s and is at %d; the training '%s' builds it."), person, s->domain, lim, s->to, s->skill, s->from, s->training);
        else snprintf(out, size, TP(l, "%s holds %s once at level %d in %s and is at %d; the training '%s' builds it."), person, s->domain, s->to, s->skill, s->from, s->training);
        break;
    default:
        snprintf(out, size, TP(l, "%s's role %s needs %s at level %d and %s is at %d; the training '%s' builds it."), person, s->role, s->skill, s->to, person, s->from, s->training);
    }
}

/* ---------- fairness statistics ---------- */

bool fair_four_fifths(double rate, double best) { return best > 0 && rate < 0.8 * best - 1e-12; } /* exactly four fifths is not below */

static double log_fact(int n) { return lgamma((double)n + 1.0); }

/* log of the hypergeometric probability of the table with a in the top-left
 * cell, margins fixed. */
static double log_p(int a, int r1, int r2, int c1, int n) {
    int b = r1 - a, c = c1 - a, d = r2 - c;
    return log_fact(r1) + log_fact(r2) + log_fact(c1) + log_fact(n - c1) - log_fact(n) - log_fact(a) - log_fact(b) - log_fact(c) - log_fact(d);
}

double fair_fisher(int a, int b, int c, int d) {
    if (a < 0 || b < 0 || c < 0 || d < 0) return 1;
    int r1 = a + b, r2 = c + d, c1 = a + c, n = r1 + r2;
    if (n == 0) return 1;
    int lo = c1 - r2 > 0 ? c1 - r2 : 0, hi = c1 < r1 ? c1 : r1;
    double observed = log_p(a, r1, r2, c1, n), p = 0;
    for (int x = lo; x <= hi; x++) {
        double lp = log_p(x, r1, r2, c1, n);
        if (lp <= observed + 1e-7) p += exp(lp); /* as likely or less: relative tolerance for rounding */
    }
    return p > 1 ? 1 : p;
}

const char *fair_tenure_band(const char *started_on, const char *today) {
    if (!started_on || strlen(started_on) < 10 || !today) return "unknown";
    int y0, m0, d0, y1, m1, d1;
    if (sscanf(started_on, "%4d-%2d-%2d", &y0, &m0, &d0) != 3 || sscanf(today, "%4d-%2d-%2d", &y1, &m1, &d1) != 3) return "unknown";
    int years = y1 - y0 - ((m1 < m0 || (m1 == m0 && d1 < d0)) ? 1 : 0);
    return years < 1 ? "<1y" : years < 3 ? "1-3y" : "3y+";
}
