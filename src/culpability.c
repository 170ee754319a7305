/* culpability.c: the pure logic of the just-culture part, with no I/O:
 * Reason's culpability decision tree (1997) mapped to Marx's three
 * behaviours, working days for the acknowledgement deadline, and the
 * replacement of people's names by their roles in a shared review. Unit
 * tests cover every path (tests/unit/culpability_test.c). The harm a report
 * records is deliberately not an input anywhere here: an assessment judges
 * the choice, not the outcome. */
#include "reports.h"
#include <string.h>
#include <ctype.h>

static const char *const QUESTIONS[CQ_N] = {
    N_("Were the actions as intended?"),
    N_("Were the consequences as intended?"),
    N_("Was the person impaired (alcohol, drugs, exhaustion)?"),
    N_("Was there a reasonable cause for the impairment (a medical condition, prescribed medicine)?"),
    N_("Was a safe procedure knowingly broken?"),
    N_("Were the procedures available, workable, intelligible and correct?"),
    N_("Substitution test: would three peers with the same experience, in the same situation, probably have done the same?"),
    N_("Were there deficiencies in training, selection or experience?"),
    N_("Is there a history of unsafe acts?"),
    N_("Did the person report it themselves?"),
};
static const char *const HINTS[CQ_N] = {
    N_("Did the person do what they meant to do? A slip or a lapse is not intended."),
    N_("Did they mean the harm that followed? Almost never: only sabotage is."),
    N_("Impaired at work, whatever the reason."),
    N_("A condition they could not help, or medicine taken as prescribed."),
    N_("Did they know the rule and choose to work around it?"),
    N_("Answer no if the rule was missing, could not be followed in practice, was unclear or wrong."),
    N_("Ask: would colleagues like them have acted the same way? If yes, the system invited it."),
    N_("Was the person missing training, chosen for a task beyond them, or new to it?"),
    N_("Earlier unsafe acts of the same kind, already talked about."),
    N_("A self-report counts in the person's favour."),
};
static const struct { const char *code, *label; int behaviour; } CATS[CC_N] = {
    {"sabotage", N_("Sabotage or intended harm"), CB_RECKLESS},
    {"impairment", N_("Impairment without a reasonable cause"), CB_RECKLESS},
    {"impairment_mitigated", N_("Impairment with a reasonable cause"), CB_HUMAN_ERROR},
    {"reckless_violation", N_("Possible reckless violation"), CB_RECKLESS},
    {"system_violation", N_("System-induced violation"), CB_AT_RISK},
    {"negligent_error", N_("Possible negligent error"), CB_AT_RISK},
    {"system_error", N_("System-induced error"), CB_HUMAN_ERROR},
    {"blameless_error_history", N_("Blameless error, with corrective training indicated"), CB_HUMAN_ERROR},
    {"blameless_error", N_("Blameless error"), CB_HUMAN_ERROR},
};
static const char *const BEH_CODE[] = {"human_error", "at_risk", "reckless"};
static const char *const BEH_LABEL[] = {N_("Human error"), N_("At-risk behaviour"), N_("Reckless behaviour")};
static const char *const BEH_RESPONSE[] = {
    N_("Console the person and fix the system that made the error possible."),
    N_("Coach the person and remove what invited the drift: the incentive, the shortcut, the missing tool."),
    N_("This goes to the HR process, outside remit. Still look for what the system can learn."),
};

const char *culp_question(int q) { return q >= 0 && q < CQ_N ? QUESTIONS[q] : ""; }
const char *culp_question_hint(int q) { return q >= 0 && q < CQ_N ? HINTS[q] : ""; }
const char *culp_category_code(int c) { return c >= 0 && c < CC_N ? CATS[c].code : ""; }
const char *culp_category_label(int c) { return c >= 0 && c < CC_N ? CATS[c].label : ""; }
const char *culp_behaviour_code(int b) { return b >= 0 && b <= CB_RECKLESS ? BEH_CODE[b] : ""; }
const char *culp_behaviour_label(int b) { return b >= 0 && b <= CB_RECKLESS ? BEH_LABEL[b] : ""; }
const char *culp_behaviour_response(int b) { return b >= 0 && b <= CB_RECKLESS ? BEH_RESPONSE[b] : ""; }

int culp_category_parse(const char *code) {
    for (int i = 0; code && i < CC_N; i++)
        if (strcmp(code, CATS[i].code) == 0) return i;
    return -1;
}

/* culp_walk: one step per question on the path. Each question names its
 * more culpable answer; anything else (no, or don't know) takes the other
 * branch, so "don't know" never makes anyone more culpable. */
int culp_walk(const CulpAnswers *in, CulpResult *out) {
    CulpResult r = {0};
    int q = CQ_INTENDED_ACT, cat = -1;
#define ASK(question)                                  \
    do {                                               \
        r.path[r.npath++] = (question);                \
        if (in->a[(question)] == CA_UNSET) return (question); \
    } while (0)
#define YES(question) (in->a[(question)] == CA_YES)
#define NO(question) (in->a[(question)] == CA_NO)
    ASK(q);
    if (YES(CQ_INTENDED_ACT)) {
        ASK(CQ_INTENDED_RESULT);
        if (YES(CQ_INTENDED_RESULT)) cat = CC_SABOTAGE;
    }
    if (cat < 0) {
        ASK(CQ_IMPAIRED);
        if (YES(CQ_IMPAIRED)) {
            ASK(CQ_REASONABLE_CAUSE);
            cat = NO(CQ_REASONABLE_CAUSE) ? CC_IMPAIRED : CC_IMPAIRED_MITIGATED; /* don't know: with a cause */
        }
    }
    if (cat < 0) {
        ASK(CQ_VIOLATION);
        if (YES(CQ_VIOLATION)) {
            ASK(CQ_PROCEDURES_OK);
            cat = YES(CQ_PROCEDURES_OK) ? CC_RECKLESS_VIOLATION : CC_SYSTEM_VIOLATION;
        }
    }
    if (cat < 0) {
        ASK(CQ_SUBSTITUTION);
        if (NO(CQ_SUBSTITUTION)) { /* peers would not have: look at training */
            ASK(CQ_TRAINING_GAP);
            cat = NO(CQ_TRAINING_GAP) ? CC_NEGLIGENT_ERROR : CC_SYSTEM_ERROR;
        } else {
            ASK(CQ_HISTORY);
            cat = YES(CQ_HISTORY) ? CC_BLAMELESS_HISTORY : CC_BLAMELESS;
        }
    }
    ASK(CQ_SELF_REPORTED);
    r.mitigated = !NO(CQ_SELF_REPORTED);
    r.category = cat;
    r.behaviour = CATS[cat].behaviour;
#undef ASK
#undef YES
#undef NO
    if (out) *out = r;
    return -1;
}

bool culp_parse(const char *s, CulpAnswers *out) {
    memset(out, 0, sizeof *out);
    if (!s || strlen(s) > CQ_N) return false;
    for (int i = 0; s[i]; i++) {
        switch (s[i]) {
        case 'y': out->a[i] = CA_YES; break;
        case 'n': out->a[i] = CA_NO; break;
        case 'd': out->a[i] = CA_DONT_KNOW; break;
        case '-': out->a[i] = CA_UNSET; break;
        default: return false;
        }
    }
    return true;
}

void culp_format(const CulpAnswers *in, char out[CQ_N + 1]) {
    static const char C[] = "-ynd";
    for (int i = 0; i < CQ_N; i++) out[i] = C[in->a[i] >= 0 && in->a[i] <= 3 ? in->a[i] : 0];
    out[CQ_N] = 0;
}

/* workdays_after: the start of the day n working days (Monday to Friday)
 * after day (itself a day's start, UTC). 1970-01-01 was a Thursday. */
int64_t workdays_after(int64_t day, int n) {
    int64_t d = day;
    while (n > 0) {
        d += 86400;
        int64_t days = d / 86400;
        int wd = (int)(((days % 7) + 7 + 4) % 7); /* 0 Sunday .. 6 Saturday */
        if (wd != 0 && wd != 6) n--;
    }
    return d;
}

static bool word_char(unsigned char c) { return isalnum(c) || c >= 0x80 || c == '_'; }

/* redact_names: replaces whole-word occurrences, the longest names first
 * (so that "Ana Lopez" goes before "Ana"), scanning the text once. */
char *redact_names(Arena *a, const char *text, const char *const *names, const char *const *roles, int n) {
    if (!text) return NULL;
    int *order = arena_alloc(a, sizeof *order * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = 1; i < n; i++) /* insertion sort by length, longest first */
        for (int j = i; j > 0 && strlen(names[order[j]]) > strlen(names[order[j - 1]]); j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    Buf b = {0};
    const char *p = text;
    while (*p) {
        bool hit = false;
        if (p == text || !word_char((unsigned char)p[-1])) {
            for (int k = 0; k < n && !hit; k++) {
                const char *nm = names[order[k]];
                size_t len = strlen(nm);
                if (len < 2 || strncmp(p, nm, len) != 0 || word_char((unsigned char)p[len])) continue;
                buf_puts(&b, roles[order[k]]);
                p += len;
                hit = true;
            }
        }
        if (!hit) buf_putc(&b, *p++);
    }
    char *out = arena_strdup(a, b.len ? buf_cstr(&b) : "");
    buf_free(&b);
    return out;
}
