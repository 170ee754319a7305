/* culpability_test.c: Reason's decision tree, every path, table-driven;
 * "don't know" always the less culpable branch; working days; names
 * replaced by roles. */
#include "check.h"
#include "reports.h"
#include <string.h>

typedef struct Case { const char *name, *answers; int category, behaviour; bool mitigated; const char *path; } Case;
/* answers: one character per question (y n d -), in CQ_* order:
 *   act result impaired cause violation procedures substitution training history self */
static const Case CASES[] = {
    {"culp-1.1: intended act and harm is sabotage", "yy-------y", CC_SABOTAGE, CB_RECKLESS, true, "0,1,9"},
    {"culp-1.2: sabotage, not self-reported", "yy-------n", CC_SABOTAGE, CB_RECKLESS, false, "0,1,9"},
    {"culp-2.1: impaired without cause", "nny n-----y", CC_IMPAIRED, CB_RECKLESS, true, "0,2,3,9"},
    {"culp-2.2: impaired with a reasonable cause", "n-yy-----n", CC_IMPAIRED_MITIGATED, CB_HUMAN_ERROR, false, "0,2,3,9"},
    {"culp-2.3: impaired, cause unknown: with a cause", "n-yd-----n", CC_IMPAIRED_MITIGATED, CB_HUMAN_ERROR, false, "0,2,3,9"},
    {"culp-2.4: intended act, unintended result, impaired", "ynyn-----n", CC_IMPAIRED, CB_RECKLESS, false, "0,1,2,3,9"},
    {"culp-3.1: knowing violation of good procedures", "n-n-yy---n", CC_RECKLESS_VIOLATION, CB_RECKLESS, false, "0,2,4,5,9"},
    {"culp-3.2: violation of unworkable procedures", "n-n-yn---y", CC_SYSTEM_VIOLATION, CB_AT_RISK, true, "0,2,4,5,9"},
    {"culp-3.3: violation, procedures unknown: system-induced", "n-n-yd---n", CC_SYSTEM_VIOLATION, CB_AT_RISK, false, "0,2,4,5,9"},
    {"culp-4.1: fails substitution, no training gap", "n-n-n-nn-n", CC_NEGLIGENT_ERROR, CB_AT_RISK, false, "0,2,4,6,7,9"},
    {"culp-4.2: fails substitution, training gap", "n-n-n-ny-y", CC_SYSTEM_ERROR, CB_HUMAN_ERROR, true, "0,2,4,6,7,9"},
    {"culp-4.3: fails substitution, training unknown", "n-n-n-nd-n", CC_SYSTEM_ERROR, CB_HUMAN_ERROR, false, "0,2,4,6,7,9"},
    {"culp-5.1: passes substitution with a history", "n-n-n-y-yn", CC_BLAMELESS_HISTORY, CB_HUMAN_ERROR, false, "0,2,4,6,8,9"},
    {"culp-5.2: blameless error", "n-n-n-y-nn", CC_BLAMELESS, CB_HUMAN_ERROR, false, "0,2,4,6,8,9"},
    {"culp-5.3: substitution unknown: blameless", "n-n-n-d-nn", CC_BLAMELESS, CB_HUMAN_ERROR, false, "0,2,4,6,8,9"},
    {"culp-5.4: history unknown: blameless", "n-n-n-y-dn", CC_BLAMELESS, CB_HUMAN_ERROR, false, "0,2,4,6,8,9"},
    {"culp-5.5: self-report unknown counts as self-reported", "n-n-n-y-nd", CC_BLAMELESS, CB_HUMAN_ERROR, true, "0,2,4,6,8,9"},
    {"culp-6.1: act unknown: unintended", "d-d-d-d-dd", CC_BLAMELESS, CB_HUMAN_ERROR, true, "0,2,4,6,8,9"},
    {"culp-6.2: result unknown: unintended", "yddddddddd", CC_BLAMELESS, CB_HUMAN_ERROR, true, "0,1,2,4,6,8,9"},
};

static void path_str(const CulpResult *r, char *out) {
    out[0] = 0;
    for (int i = 0; i < r->npath; i++) sprintf(out + strlen(out), i ? ",%d" : "%d", r->path[i]);
}

int main(void) {
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const Case *c = &CASES[i];
        char ans[16] = {0};
        for (const char *p = c->answers; *p && strlen(ans) < CQ_N; p++)
            if (*p != ' ') ans[strlen(ans)] = *p;
        CulpAnswers a;
        bool ok = culp_parse(ans, &a);
        CulpResult r;
        int next = ok ? culp_walk(&a, &r) : 0;
        char path[64];
        if (next < 0) path_str(&r, path);
        CHECK(c->name, ok && next == -1 && r.category == c->category && r.behaviour == c->behaviour && r.mitigated == c->mitigated &&
                           strcmp(path, c->path) == 0);
    }
    /* every path of the tree ends in one of the nine categories, and every
     * category is reached by some answers */
    int seen[CC_N] = {0}, bad = 0, dk_worse = 0, skipped_matters = 0;
    int total = 1;
    for (int i = 0; i < CQ_N; i++) total *= 3;
    for (int code = 0; code < total; code++) {
        CulpAnswers a = {0};
        for (int i = 0, x = code; i < CQ_N; i++, x /= 3) a.a[i] = 1 + x % 3;
        CulpResult r;
        if (culp_walk(&a, &r) != -1 || r.category < 0 || r.category >= CC_N) {
            bad++;
            continue;
        }
        seen[r.category]++;
        /* "don't know" takes the less culpable branch: replacing any don't
         * know by the answer with the LESS culpable result gives the same
         * category, and by the other never a less culpable one */
        for (int q = 0; q < CQ_N; q++) {
            if (a.a[q] != CA_DONT_KNOW) continue;
            CulpAnswers y = a, n = a;
            y.a[q] = CA_YES, n.a[q] = CA_NO;
            CulpResult ry, rn;
            culp_walk(&y, &ry), culp_walk(&n, &rn);
            int lenient = ry.category > rn.category ? ry.category : rn.category; /* higher = less culpable */
            if (r.category != lenient) dk_worse++;
            if (q == CQ_SELF_REPORTED && !r.mitigated) dk_worse++;
        }
        /* questions off the path do not matter */
        bool on[CQ_N] = {0};
        for (int i = 0; i < r.npath; i++) on[r.path[i]] = true;
        for (int q = 0; q < CQ_N; q++) {
            if (on[q]) continue;
            CulpAnswers u = a;
            u.a[q] = CA_UNSET;
            CulpResult ru;
            if (culp_walk(&u, &ru) != -1 || ru.category != r.category) skipped_matters++;
        }
    }
    CHECK("culp-7.1: every combination of answers ends in a category", bad == 0);
    int reached = 0;
    for (int c = 0; c < CC_N; c++) reached += seen[c] > 0;
    CHECK("culp-7.2: every category is reachable", reached == CC_N);
    CHECK("culp-7.3: don't know never takes the more culpable branch", dk_worse == 0);
    CHECK("culp-7.4: questions off the path never change the result", skipped_matters == 0);
    /* the guided page asks one question at a time: the next question */
    CulpAnswers a = {0};
    CHECK("culp-8.1: an empty assessment asks whether the act was intended", culp_walk(&a, NULL) == CQ_INTENDED_ACT);
    culp_parse("n", &a);
    CHECK("culp-8.2: an unintended act goes on to impairment", culp_walk(&a, NULL) == CQ_IMPAIRED);
    culp_parse("y", &a);
    CHECK("culp-8.3: an intended act asks about its consequences", culp_walk(&a, NULL) == CQ_INTENDED_RESULT);
    CHECK("culp-8.4: bad answer strings are refused", !culp_parse("nx", &a) && !culp_parse("nnnnnnnnnnn", &a));
    char out[CQ_N + 1];
    culp_parse("n-n-n-y-nd", &a);
    culp_format(&a, out);
    CHECK("culp-8.5: answers round-trip", strcmp(out, "n-n-n-y-nd") == 0);
    /* Marx's responses */
    CHECK("culp-9.1: each behaviour has a response", *culp_behaviour_response(CB_HUMAN_ERROR) && *culp_behaviour_response(CB_AT_RISK) &&
                                                         *culp_behaviour_response(CB_RECKLESS));
    CHECK("culp-9.2: category codes parse back", culp_category_parse("blameless_error") == CC_BLAMELESS && culp_category_parse("x") == -1);
    /* the tree has no harm input: the same answers give the same result
     * whatever harm the report recorded (the HTTP test drives the server
     * through all four harm levels too) */
    static const char *const HARMS[] = {"none", "minor", "moderate", "severe"};
    int differ = 0;
    CulpResult first;
    culp_parse("n-n-yn---y", &a);
    culp_walk(&a, &first);
    for (int h = 0; h < 4; h++) {
        CulpAnswers copy = a;
        CulpResult rr;
        (void)HARMS[h];
        culp_walk(&copy, &rr);
        differ += rr.category != first.category || rr.behaviour != first.behaviour;
    }
    CHECK("culp-9.3: same answers, same result across harm levels", differ == 0);

    /* working days: 2026-12-03 is a Thursday */
    int64_t thu = 1796256000; /* 2026-12-03 00:00 UTC */
    CHECK("days-1.1: two working days after Thursday is Monday", workdays_after(thu, 2) == thu + 4 * 86400);
    CHECK("days-1.2: one working day after Thursday is Friday", workdays_after(thu, 1) == thu + 86400);
    CHECK("days-1.3: one working day after Saturday is Monday", workdays_after(thu + 2 * 86400, 1) == thu + 4 * 86400);
    CHECK("days-1.4: five working days is a week", workdays_after(thu, 5) == thu + 7 * 86400);

    /* names replaced by roles */
    Arena *ar = arena_new();
    const char *names[] = {"Ana", "Ana Lopez", "Ben Ode"}, *roles[] = {"the barista", "the shift lead", "the driver"};
    char *t = redact_names(ar, "Ana Lopez told Ben Ode; Anastasia and Ana saw it.", names, roles, 3);
    CHECK("redact-1.1: full names first, whole words only", strcmp(t, "the shift lead told the driver; Anastasia and the barista saw it.") == 0);
    CHECK("redact-1.2: text without names is unchanged", strcmp(redact_names(ar, "Nothing here", names, roles, 3), "Nothing here") == 0);
    arena_free(ar);
    CHECK_DONE();
}
