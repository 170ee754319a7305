/* survey.h: the pure parts of listening (issue 12): question kinds and their
 * scoring, the statistics of a group's answers (distribution, mean,
 * favourability, eNPS, factor scores, trends, drivers), the shipped
 * instruments, and the explainable sentiment scorer with keyword themes.
 * No I/O, no database, no request: numbers and text in, numbers out,
 * unit-tested in tests/unit/survey_test.c and sentiment_test.c. Which groups
 * may be shown at all is anon.c's business (anon_suppress). */
#ifndef SURVEY_H
#define SURVEY_H
#include <stdbool.h>
#include <stdint.h>

/* ---------- question kinds (surveycalc.c) ---------- */
enum { Q_AGREE5, Q_AGREE7, Q_SCALE10, Q_CHOICE, Q_MULTI, Q_TEXT, Q_NKINDS };
int survey_kind_parse(const char *s);      /* -1 when unknown */
const char *survey_kind_name(int kind);    /* "agree5" ... "text" */
bool survey_kind_scaled(int kind);         /* agree5, agree7, scale10: numbers with a mean */
/* survey_value_ok: whether v is an answer the kind takes: 1..5, 1..7, 0..10,
 * or an option index 0..noptions-1 for choice and multi. */
bool survey_value_ok(int kind, int v, int noptions);
/* survey_scored: the value as scored: reverse items turn round (6 - v on five
 * points, 8 - v on seven, 10 - v on 0-10); others unchanged. */
int survey_scored(int kind, bool reverse, int v);
/* survey_is_favourable: top 2 of 5, top 3 of 7, 9-10 of 0-10 (scored). */
bool survey_is_favourable(int kind, int scored);

/* The statistics of one question over a group's answers. dist counts the
 * raw answers by value (index = value; options for choice/multi), before
 * reversing; mean and favourable are over the scored values. */
#define SURVEY_DIST_MAX 32
typedef struct QStats {
    int n;                      /* answers counted */
    double mean;                /* scored mean; 0 when n == 0 */
    double favourable;          /* percent 0..100 of scored answers that are favourable */
    int dist[SURVEY_DIST_MAX];
    int ndist;                  /* entries of dist in use */
} QStats;
/* survey_qstats: the statistics of values[0..n) for a question of `kind`
 * (reverse for reversed items; noptions for choice/multi). Values out of
 * range are skipped and not counted. */
void survey_qstats(int kind, bool reverse, int noptions, const int *values, int n, QStats *out);

/* eNPS: promoters answer 9-10, passives 7-8, detractors 0-6; the score is
 * the percent of promoters minus the percent of detractors (-100..100). */
typedef struct Enps { int n, promoters, passives, detractors; double score; } Enps;
void survey_enps(const int *values, int n, Enps *out);

/* survey_factor: the mean favourability (percent) of a factor's items that
 * have answers; -1 when none has. */
double survey_factor(const QStats *items, int n);

/* Trends: a two-proportion z-test on favourability between two rounds
 * (pooled standard error; significant when |z| >= 1.96, 95% two-sided). */
typedef struct Trend {
    double change;              /* percentage points, round 2 minus round 1 */
    double z, p;                /* p two-sided; z = 0, p = 1 when undefined */
    bool significant;
} Trend;
void survey_trend(int fav1, int n1, int fav2, int n2, Trend *out);

/* survey_correlation: Pearson's r of x and y over n pairs; NAN when n < 3 or
 * either side does not vary. */
double survey_correlation(const double *x, const double *y, int n);
#define SURVEY_DRIVER_MIN_N 30   /* drivers are shown only from this many answers */

/* ---------- instruments (surveytemplates.c) ---------- */
typedef struct SurveyItem {
    int kind;                   /* Q_* */
    const char *factor;         /* "autonomy", "trust", ...; NULL when none */
    bool reverse;
    const char *text_en, *text_de; /* "%s" in eNPS items stands for the organisation */
} SurveyItem;
typedef struct SurveyTemplate {
    const char *key;            /* "culture-audit", "psych-safety", "empowerment", "enps", "pulse" */
    const char *title_en, *title_de;
    const char *source;         /* where the instrument comes from */
    const SurveyItem *items;
    int n;
} SurveyTemplate;
const SurveyTemplate *survey_template(const char *key);  /* NULL when unknown */
extern const char *const SURVEY_FACTORS[];               /* the culture audit's factors, NULL-terminated */

/* ---------- sentiment and themes (sentiment.c) ---------- */
enum { SENT_NEGATIVE = -1, SENT_NEUTRAL = 0, SENT_POSITIVE = 1 };
#define SENT_WORDS_MAX 8
typedef struct Sentiment {
    int label;                  /* SENT_* */
    double compound;            /* -1..1, VADER's normalisation of the summed valence */
    int nwords;
    char words[SENT_WORDS_MAX][32]; /* the words that decided it, strongest first, as written */
} Sentiment;
/* sentiment_score: the sentiment of a comment in English or German, in the
 * manner of VADER (Hutto and Gilbert, 2014): a valence lexicon, negation
 * ("not", "nicht", "kein" up to three words before), intensifiers and
 * dampeners, "but"/"aber" shifting the weight to what follows, exclamation
 * marks and words in capitals. The compound is s / sqrt(s^2 + 15);
 * positive from 0.05, negative from -0.05. */
void sentiment_score(const char *text, Sentiment *out);
const char *sentiment_name(int label);   /* "positive", "neutral", "negative" */
int sentiment_parse(const char *s);      /* SENT_*, or -2 when unknown */

/* Themes by keywords (English and German stems); bit i of the answer is
 * SURVEY_THEMES[i]. */
extern const char *const SURVEY_THEMES[];   /* NULL-terminated */
unsigned sentiment_themes(const char *text);
/* sentiment_has_word: whether text holds word (case-insensitive, whole
 * words or stems ending in '*'), for an organisation's own themes. */
bool sentiment_has_word(const char *text, const char *word);
#endif
