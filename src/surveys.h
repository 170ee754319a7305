/* surveys.h: what the survey files share (surveys.c: storage, answering,
 * closing and the API; surveyresults.c: results with the anonymity rules;
 * surveypages.c: the pages; demo_surveys.c). Not for other features: they
 * call surveys_may_see and surveys_tick, declared in handlers.h. */
#ifndef SURVEYS_H
#define SURVEYS_H
#include "remit.h"
#include "survey.h"

typedef struct Survey {
    int64_t id, org_id, owner_id, outcome_qid;
    char *title, *template_key, *recurrence;
    int k, kc; /* minimum group for results and for comments */
} Survey;

typedef struct Question {
    int64_t id;
    int position, kind, noptions;
    char *text, *text_de, *factor;
    char **options;
    bool reverse, optional;
} Question;

typedef struct Round {
    int64_t id, survey_id, org_id;
    int number, reminders;
    char *opens_on, *closes_on, *status, *secret;
} Round;

/* The team tree of an organisation as it was when a round closed (or as it
 * is, for an open one): parallel arrays; index 0 is the organisation
 * itself (id 0, parent -1). */
typedef struct Tree {
    int n;
    int64_t *id;
    int *parent;      /* index of the parent, -1 for the organisation */
    char **name;
} Tree;
int tree_find(const Tree *t, int64_t team_id);            /* index, or -1 */
bool tree_below(const Tree *t, int node, int root);        /* node is root or under it */
void tree_load_live(Db *db, Arena *a, int64_t org_id, Tree *t);
void tree_load_closed(Db *db, Arena *a, int64_t org_id, int64_t round_id, Tree *t);

int survey_find(Db *db, Arena *a, int64_t org_id, int64_t id, Survey *s);        /* 1 found */
Question *survey_questions(Db *db, Arena *a, int64_t survey_id, int *n);
int round_find(Db *db, Arena *a, int64_t survey_id, int64_t round_id, Round *rd); /* 1 found */
char *date_add(Arena *a, const char *ymd, int days);

/* Who may see which team's results: the organisation (team 0) for everyone;
 * admins and owners every team; a manager the subtrees of the teams they
 * lead; everyone their own team. */
bool survey_may_see_team(Req *r, const Tree *t, int node);
int64_t person_team(Db *db, int64_t org_id, int64_t person_id);

/* Creating and answering, for the API, the pages and the demo. */
int64_t survey_create_template(Db *db, Arena *a, int64_t org_id, int64_t owner_id, const char *title, const char *template_key,
                               const char *opens_on, const char *closes_on, const char *recurrence, int k, int64_t now);
int64_t round_add(Db *db, int64_t survey_id, int64_t org_id, int number, const char *opens_on, const char *closes_on);
int round_open(Db *db, Arena *a, int64_t round_id, int64_t now);
int round_close(Db *db, Arena *a, int64_t round_id, int64_t now);
/* An answer set: values[i] for questions[i]; has[i] false when unanswered;
 * multi answers as a bit mask in values; text in texts[i]. */
typedef struct Answers {
    int n;
    bool *has;
    int *values;
    char **texts;
} Answers;
int ballot_store(Db *db, Arena *a, const Survey *s, const Round *rd, const Question *q, const Answers *ans, int64_t team_id, const char *reply_token);
bool survey_audience_has(Db *db, int64_t survey_id, const Tree *t, int64_t team_id);

/* Results of one group of a closed round (surveyresults.c). */
json_t *survey_results_json(Db *db, Arena *a, const Survey *s, const Round *rd, const Question *q, int nq, const Tree *t, int node, bool breakdown,
                            Req *viewer);
void survey_store_factor_scores(Db *db, Arena *a, const Survey *s, const Round *rd, const Question *q, int nq, const Tree *t);
void survey_visibility(Db *db, Arena *a, int64_t round_id, int k, const Tree *t, int *count, bool *hidden);
json_t *survey_comments_json(Db *db, Arena *a, const Survey *s, const Round *rd, const Tree *t, int node, bool *shown);
bool survey_is_german(Req *r);
#endif
