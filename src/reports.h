/* reports.h: the just-culture part's own interface (issue 13), shared by
 * src/reports*.c, src/protocols.c, src/culpability.c, src/demo_reports.c
 * and the unit tests. Other features see only the hooks in handlers.h. */
#ifndef REPORTS_H
#define REPORTS_H
#include "remit.h"

/* ---------- culpability.c: Reason's decision tree (1997), pure ---------- */
/* The questions, in the order the tree asks them. */
enum {
    CQ_INTENDED_ACT,     /* Were the actions as intended? */
    CQ_INTENDED_RESULT,  /* Were the consequences as intended? */
    CQ_IMPAIRED,         /* Was the person impaired (alcohol, drugs, fatigue ...)? */
    CQ_REASONABLE_CAUSE, /* ... with a reasonable cause (a medical condition, prescribed medicine)? */
    CQ_VIOLATION,        /* Was a safe procedure knowingly broken? */
    CQ_PROCEDURES_OK,    /* Were the procedures available, workable, intelligible and correct? */
    CQ_SUBSTITUTION,     /* Would three peers with the same experience have done the same? */
    CQ_TRAINING_GAP,     /* Were there deficiencies in training, selection or experience? */
    CQ_HISTORY,          /* Is there a history of unsafe acts? */
    CQ_SELF_REPORTED,    /* Did the person report it themselves? */
    CQ_N
};
enum { CA_UNSET = 0, CA_YES, CA_NO, CA_DONT_KNOW };
/* Reason's finer categories, most culpable first. */
enum {
    CC_SABOTAGE,            /* intended act, intended harm */
    CC_IMPAIRED,            /* impairment without a reasonable cause */
    CC_IMPAIRED_MITIGATED,  /* impairment with a reasonable cause */
    CC_RECKLESS_VIOLATION,  /* knowing violation of workable procedures */
    CC_SYSTEM_VIOLATION,    /* violation the system invited (procedures unworkable, wrong, missing) */
    CC_NEGLIGENT_ERROR,     /* fails the substitution test, no training gap */
    CC_SYSTEM_ERROR,        /* fails the substitution test because of training or selection */
    CC_BLAMELESS_HISTORY,   /* blameless, but a history: corrective training or counselling */
    CC_BLAMELESS,           /* blameless error */
    CC_N
};
/* Marx's three behaviours. */
enum { CB_HUMAN_ERROR, CB_AT_RISK, CB_RECKLESS };
typedef struct CulpAnswers { int a[CQ_N]; } CulpAnswers; /* CA_* per question */
typedef struct CulpResult {
    int category;      /* CC_* */
    int behaviour;     /* CB_* */
    bool mitigated;    /* self-reported (or don't know): counts in the person's favour */
    int path[CQ_N];    /* the questions asked, in order */
    int npath;
} CulpResult;
/* culp_walk: follows the tree over the answers given. Returns the next
 * question to ask (CQ_*) when one on the path is unanswered, else -1 with
 * *out filled. "Don't know" takes the less culpable branch. The harm done
 * is not an input: the tree judges the choice, not the outcome. */
int culp_walk(const CulpAnswers *in, CulpResult *out);
const char *culp_question(int q);          /* English text, N_() */
const char *culp_question_hint(int q);     /* English text, N_() */
const char *culp_category_code(int c);     /* "blameless_error" */
const char *culp_category_label(int c);    /* N_() */
const char *culp_behaviour_code(int b);    /* "human_error" */
const char *culp_behaviour_label(int b);   /* N_() */
const char *culp_behaviour_response(int b);/* N_(): console and fix the system ... */
/* culp_parse / culp_format: answers as one character per question (y, n,
 * d, -). parse: false on a bad character or length. */
bool culp_parse(const char *s, CulpAnswers *out);
void culp_format(const CulpAnswers *in, char out[CQ_N + 1]);
int culp_category_parse(const char *code);  /* -1 unknown */

/* working days (Mon-Fri): the start of the day n working days after day */
int64_t workdays_after(int64_t day, int n);
/* redact_names: text with every whole-word occurrence of names[i] replaced
 * by roles[i] (longest names first). Arena-owned. */
char *redact_names(Arena *a, const char *text, const char *const *names, const char *const *roles, int n);

/* ---------- reports.c ---------- */
/* One report as the caller sees it; strings arena-owned. */
typedef struct Report {
    int64_t id, org_id, team_id, author_id, received_on, acknowledged_at, acknowledged_by, closed_at;
    char *kind, *body, *team_name, *happened_on, *harm, *category, *immediate_action, *identity, *author_name, *ack_due, *severity, *answer,
        *status, *ack_name;
    bool self_report, pending;
    int review_needed; /* -1 not triaged */
    bool reviewer, author, owner; /* the caller's relation to it */
} Report;
int reports_find(Req *r, int64_t id, Report *x);          /* 1 when the caller may see it */
int reports_reviewers(Db *db, Arena *a, int64_t org, int64_t team, int64_t **out);
int reports_step(Req *r, int64_t report_id, int64_t author_id, const char *what, const char *note); /* in the caller's tx */
const char *reports_kind_label(Req *r, const char *kind);
const char *reports_category_label(Req *r, const char *c);
/* reportreview.c */
json_t *reports_review_json(Req *r, int64_t report_id, bool full);
json_t *reports_assessments_json(Req *r, int64_t report_id);
void reports_render_review(Req *r, int64_t report_id, bool full, bool editable);
void reports_render_assessments(Req *r, int64_t report_id, bool reviewer, bool anonymous);
bool reports_is_reviewer(Req *r, int64_t team_id);   /* of a report in team_id (0: none) */
int64_t reports_new_id(Db *db);
int reports_default_categories(const char *const **out);
/* protocols.c: the protocols linked to a domain, as JSON and as a card */
json_t *protocols_json_for_domain(Req *r, int64_t domain_id);
void protocols_render_for_domain(Req *r, int64_t domain_id);
void protocols_home_items(Req *r, Home *h); /* the reports provider's second half */
int protocols_propose(Req *r, int64_t protocol_id, int64_t report_id, const char *body, const char *note); /* in the caller's tx; 0 ok */
#endif
