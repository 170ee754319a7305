/* sentiment.c: an explainable sentiment scorer for survey comments in
 * English and German, and keyword themes. Pure functions (survey.h).
 *
 * The method follows VADER (Hutto, C. J. and Gilbert, E. (2014), "VADER: A
 * Parsimonious Rule-based Model for Sentiment Analysis of Social Media
 * Text", ICWSM): every word found in a valence lexicon (-4..4) counts, a
 * booster or dampener in the three words before it moves it by 0.293 (less
 * with distance), a word in capitals in mixed-case text by 0.733, a negation
 * in the three words before it turns it by -0.74, "but" (and "aber",
 * "however", "jedoch") halves what comes before and adds half to what comes
 * after, and up to four exclamation marks add 0.292 each in the direction of
 * the sum. The sum s becomes compound = s / sqrt(s^2 + 15). Those constants
 * are VADER's. The lexicon is not VADER's: it is remit's own, written for
 * workplace language (about 200 words in each language; German stems match
 * their inflections), so that every result can be explained by the words it
 * lists. An admin may override a comment's label; the override is stored by
 * the survey module, not here. */
#include "survey.h"
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Lex { const char *w; double v; } Lex; /* "stem*" matches any word it begins */

static const Lex LEXICON[] = {
    /* English, positive */
    {"good", 1.9}, {"great", 3.1}, {"excellent", 3.2}, {"amazing", 2.8}, {"awesome", 3.1}, {"fantastic", 2.6}, {"love", 3.2},
    {"loved", 2.9}, {"happy", 2.7}, {"glad", 2.0}, {"helpful", 1.8}, {"supportive", 1.9}, {"appreciate", 2.0}, {"appreciated", 2.0},
    {"thanks", 1.9}, {"thank", 1.5}, {"proud", 2.1}, {"enjoy", 2.2}, {"enjoyed", 2.2}, {"fun", 2.3}, {"fair", 1.3}, {"clear", 1.2},
    {"easy", 1.5}, {"easier", 1.6}, {"better", 1.9}, {"best", 3.2}, {"improved", 1.8}, {"improvement", 1.5}, {"nice", 1.8},
    {"friendly", 2.2}, {"respect", 2.1}, {"respected", 2.1}, {"trust", 2.3}, {"trusted", 2.1}, {"safe", 1.9}, {"calm", 1.3},
    {"motivated", 2.0}, {"motivating", 2.0}, {"valued", 1.9}, {"recognised", 1.6}, {"recognized", 1.6}, {"flexible", 1.4},
    {"efficient", 1.6}, {"smooth", 1.1}, {"welcome", 2.0}, {"welcoming", 2.1}, {"empowered", 2.2}, {"encouraging", 2.0},
    {"positive", 2.3}, {"brilliant", 2.8}, {"perfect", 2.7}, {"wonderful", 2.7}, {"pleased", 1.9}, {"satisfied", 1.8},
    {"exciting", 2.2}, {"excited", 2.0}, {"listen", 1.0}, {"listens", 1.2}, {"listened", 1.3}, {"freedom", 1.8},
    {"autonomy", 1.2}, {"progress", 1.4}, {"success", 2.7}, {"successful", 2.6}, {"solved", 1.6}, {"fixed", 1.0}, {"reliable", 1.9},
    {"honest", 2.0}, {"transparent", 1.5}, {"grateful", 2.4}, {"praise", 2.2}, {"praised", 2.1}, {"team-spirit", 2.0},
    /* English, negative */
    {"bad", -2.5}, {"terrible", -2.1}, {"awful", -2.0}, {"horrible", -2.5}, {"worst", -3.1}, {"worse", -2.1}, {"poor", -2.1},
    {"hate", -2.7}, {"angry", -2.3}, {"annoyed", -1.6}, {"annoying", -1.7}, {"frustrated", -2.0}, {"frustrating", -1.9},
    {"frustration", -2.1}, {"stress", -1.8}, {"stressed", -1.4}, {"stressful", -1.9}, {"overworked", -2.0}, {"exhausted", -1.5},
    {"exhausting", -1.5}, {"tired", -1.9}, {"burnout", -2.4}, {"unfair", -2.1}, {"unclear", -1.2}, {"confusing", -1.3},
    {"confused", -1.3}, {"chaos", -2.0}, {"chaotic", -1.9}, {"ignored", -1.4}, {"blame", -1.4}, {"blamed", -2.1}, {"afraid", -2.2},
    {"fear", -2.2}, {"scared", -2.2}, {"worried", -1.2}, {"worry", -1.9}, {"problem", -1.7}, {"problems", -1.7}, {"broken", -1.9},
    {"useless", -1.8}, {"waste", -1.8}, {"wasted", -2.2}, {"disappointed", -1.9}, {"disappointing", -2.2}, {"sad", -2.1},
    {"upset", -1.6}, {"rude", -2.0}, {"toxic", -2.4}, {"micromanage*", -1.8}, {"understaffed", -1.8}, {"overtime", -0.9},
    {"pressure", -1.2}, {"boring", -1.3}, {"bored", -1.1}, {"lonely", -1.5}, {"unsafe", -2.2}, {"dangerous", -2.1},
    {"harassment", -2.8}, {"bullying", -2.8}, {"lack", -1.1}, {"lacking", -1.3}, {"missing", -1.2}, {"delay", -1.0}, {"delays", -1.2},
    {"stuck", -1.4}, {"mess", -1.6}, {"messy", -1.5}, {"crap", -2.5}, {"slow", -0.8}, {"late", -0.6}, {"difficult", -0.8},
    {"ignore", -1.3}, {"complain", -1.5}, {"complaints", -1.4}, {"conflict", -1.3}, {"shouting", -1.9}, {"yelled", -2.0},
    {"unpaid", -1.6}, {"underpaid", -2.0}, {"demotivated", -2.0}, {"demotivating", -2.1}, {"hopeless", -2.3}, {"impossible", -1.4},
    {"worn", -1.0}, {"fail", -2.0}, {"failed", -2.1}, {"failure", -2.2}, {"wrong", -2.1}, {"rushed", -1.2},
    /* German, positive (stems take their endings: gut, gute, guten ...) */
    {"gut", 1.9}, {"gute*", 1.9}, {"super", 2.9}, {"toll*", 2.7}, {"klasse", 2.4}, {"prima", 2.3}, {"großartig*", 3.0},
    {"hervorragend*", 3.1}, {"ausgezeichnet*", 3.1}, {"wunderbar*", 2.8}, {"schön*", 2.0}, {"freundlich*", 2.0},
    {"hilfsbereit*", 2.0}, {"hilfreich*", 1.8}, {"dankbar*", 2.0}, {"danke", 1.9}, {"froh", 2.0}, {"glücklich*", 2.7},
    {"zufrieden*", 1.8}, {"fair*", 1.3}, {"klar*", 1.0}, {"besser*", 1.9}, {"beste*", 3.1}, {"motiviert*", 2.0},
    {"wertgeschätzt*", 2.0}, {"geschätzt*", 1.6}, {"respekt*", 2.0}, {"vertrauen", 2.1}, {"sicher", 1.6}, {"angenehm*", 1.8},
    {"spaß", 2.3}, {"gern", 1.4}, {"gerne", 1.4}, {"lob", 1.8}, {"gelobt", 1.8}, {"stolz*", 2.1}, {"flexibel*", 1.4},
    {"entspannt*", 1.5}, {"unterstützt", 1.8}, {"unterstützung", 1.5}, {"ehrlich*", 2.0}, {"zuverlässig*", 1.9},
    {"erfolglos*", -2.0}, {"erfolg*", 2.5}, {"gelöst", 1.6}, {"freiheit", 1.8}, {"freue", 2.0}, {"freut", 2.0}, {"perfekt*", 2.7}, {"einfacher", 1.5},
    {"verbessert*", 1.8}, {"anerkennung", 1.8}, {"transparent*", 1.5}, {"nett*", 1.8}, {"herzlich*", 2.2},
    /* German, negative */
    {"schlecht*", -2.5}, {"schrecklich*", -2.5}, {"furchtbar*", -2.5}, {"mies*", -2.2}, {"ärgerlich*", -1.7}, {"ärgert", -1.7},
    {"ärger", -1.8}, {"wütend*", -2.3}, {"frustriert*", -2.0}, {"frustrierend*", -1.9}, {"frust", -2.0}, {"stress", -1.8},
    {"gestresst*", -1.6}, {"stressig*", -1.7}, {"überlastet*", -2.0}, {"überstunden", -1.0}, {"müde", -1.4}, {"erschöpft*", -1.8},
    {"unfair*", -2.1}, {"ungerecht*", -2.1}, {"unklar*", -1.2}, {"chaos", -2.0}, {"chaotisch*", -1.9}, {"ignoriert*", -1.5},
    {"angst", -2.2}, {"sorge", -1.4}, {"sorgen", -1.4}, {"problem", -1.7}, {"probleme*", -1.7}, {"kaputt*", -1.9},
    {"langsam*", -0.8}, {"nutzlos*", -1.8}, {"enttäuscht*", -1.9}, {"enttäuschend*", -2.1}, {"traurig*", -2.1},
    {"unhöflich*", -2.0}, {"toxisch*", -2.4}, {"mangel", -1.2}, {"fehlt", -1.1}, {"fehlen", -1.1}, {"druck", -1.2},
    {"langweilig*", -1.3}, {"gefährlich*", -2.1}, {"unsicher*", -1.4}, {"schuld", -1.5}, {"vorwürfe", -1.8}, {"mobbing", -2.8},
    {"belastung", -1.6}, {"belastend*", -1.7}, {"anstrengend*", -1.2}, {"hektisch*", -1.3}, {"unterbesetzt*", -1.8},
    {"schlimm*", -2.2}, {"schlimmer", -2.3}, {"schlimmste*", -3.0}, {"falsch*", -1.9}, {"fehler", -1.3}, {"demotiviert*", -2.0},
    {"unzufrieden*", -1.9}, {"genervt*", -1.7}, {"nervig*", -1.7}, {"unterbezahlt*", -2.0}, {"überfordert*", -1.9},
    {"kontrolliert", -0.9}, {"angeschrien", -2.1}, {"hoffnungslos*", -2.3}, {"verschwendet*", -2.0}, {"verspätet*", -1.0},
};

/* Words that make the next opinion word stronger (+) or weaker (-). */
static const Lex BOOSTERS[] = {
    {"very", 0.293}, {"really", 0.293}, {"extremely", 0.293}, {"so", 0.293}, {"totally", 0.293}, {"completely", 0.293},
    {"absolutely", 0.293}, {"incredibly", 0.293}, {"hugely", 0.293}, {"truly", 0.293}, {"super", 0.293}, {"too", 0.2},
    {"sehr", 0.293}, {"wirklich", 0.293}, {"total", 0.293}, {"extrem", 0.293}, {"echt", 0.293}, {"äußerst", 0.293},
    {"absolut", 0.293}, {"besonders", 0.293}, {"richtig", 0.2}, {"zu", 0.2}, {"voll", 0.2},
    {"slightly", -0.293}, {"somewhat", -0.293}, {"barely", -0.293}, {"hardly", -0.293}, {"bit", -0.293}, {"little", -0.2},
    {"fairly", -0.2}, {"etwas", -0.293}, {"kaum", -0.293}, {"bisschen", -0.293}, {"eher", -0.2}, {"ziemlich", -0.1},
};

static const char *const NEGATIONS[] = {"not", "no", "never", "nothing", "none", "neither", "nor", "without", "cannot", "nobody",
                                        "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
                                        "nichts", "ohne", "weder", NULL};
static const char *const BUTS[] = {"but", "however", "aber", "jedoch", "allerdings", NULL};

const char *const SURVEY_THEMES[] = {"workload", "recognition", "communication", "management", "tools", "pay", "safety", NULL};
static const char *const THEME_WORDS[][24] = {
    {"workload", "overtime", "overwork*", "busy", "stress*", "understaff*", "hours", "burnout", "exhaust*", "shifts", "rota",
     "arbeitslast", "überstunden", "überlast*", "gestresst*", "stressig*", "unterbesetzt*", "personalmangel", "zeitdruck", "schicht*",
     "belastung", "hektisch*", NULL},
    {"recogni*", "thank*", "appreciat*", "praise*", "credit", "valued", "noticed", "anerkennung", "lob", "gelobt", "dank*",
     "wertschätz*", "wertgeschätzt*", "gewürdigt", NULL},
    {"communicat*", "inform*", "meeting*", "email*", "e-mail*", "told", "unclear", "kommunikation", "information*", "besprechung*",
     "unklar*", "bescheid", "erfahren", NULL},
    {"manager*", "management", "boss*", "leader*", "supervisor*", "micromanag*", "führung*", "chef*", "vorgesetzt*", "leitung",
     "kontrolliert", NULL},
    {"tool*", "system*", "software", "equipment", "computer*", "laptop*", "machine*", "oven*", "till*", "app", "werkzeug*",
     "gerät*", "maschine*", "ofen*", "kasse*", "kaputt*", "broken", NULL},
    {"pay", "paid", "salary", "salaries", "wage*", "bonus*", "money", "raise", "underpaid", "unpaid", "gehalt*", "lohn*", "bezahl*",
     "geld", "prämie*", "unterbezahlt*", NULL},
    {"safety", "unsafe", "injur*", "accident*", "hazard*", "danger*", "burn*", "allergen*", "sicherheit*", "unfall*", "verletz*",
     "gefahr*", "gefährlich*", "verbrenn*", NULL},
};

/* ---------- tokens ---------- */
#define TOK_MAX 512
typedef struct Tok {
    const char *at;   /* as written */
    int len;
    char lc[32];      /* lower case, cut at 31 bytes */
    bool caps;        /* two or more letters, all capitals (ASCII) */
} Tok;

static bool word_byte(unsigned char c) { return isalnum(c) || c >= 0x80 || c == '\'' || c == '-'; }

/* lower: ASCII and the German capitals with umlauts (Ä Ö Ü, UTF-8). */
static void lower(const char *s, int len, char out[32]) {
    int j = 0;
    for (int i = 0; i < len && j < 31; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < len && j < 30) {
            unsigned char d = (unsigned char)s[i + 1];
            if (d == 0x84 || d == 0x96 || d == 0x9C) d = (unsigned char)(d + 0x20);
            out[j++] = (char)c;
            out[j++] = (char)d;
            i++;
            continue;
        }
        out[j++] = (char)tolower(c);
    }
    out[j] = 0;
    /* a trailing apostrophe or dash is punctuation, not part of the word */
    while (j > 0 && (out[j - 1] == '\'' || out[j - 1] == '-')) out[--j] = 0;
}

static int tokenize(const char *text, Tok *t, int max) {
    int n = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p && n < max) {
        while (*p && !word_byte(*p)) p++;
        const unsigned char *b = p;
        while (*p && word_byte(*p)) p++;
        if (p == b) continue;
        Tok *k = &t[n];
        k->at = (const char *)b;
        k->len = (int)(p - b);
        lower(k->at, k->len, k->lc);
        int letters = 0, upper = 0;
        for (int i = 0; i < k->len; i++)
            if (isalpha(b[i])) letters++, upper += isupper(b[i]) != 0;
        k->caps = letters >= 2 && upper == letters;
        if (k->lc[0]) n++;
    }
    return n;
}

/* match: a lexicon entry against a lower-case word: whole, or as a stem
 * ("stem*"). */
static bool match(const char *entry, const char *w) {
    size_t n = strlen(entry);
    if (n && entry[n - 1] == '*') return strncmp(entry, w, n - 1) == 0;
    return strcmp(entry, w) == 0;
}

static double lookup(const Lex *lex, size_t n, const char *w) {
    for (size_t i = 0; i < n; i++)
        if (match(lex[i].w, w)) return lex[i].v;
    return 0;
}

static bool in_list(const char *const *list, const char *w) {
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], w) == 0) return true;
    return false;
}

static bool negation(const char *w) {
    size_t n = strlen(w);
    return in_list(NEGATIONS, w) || (n > 3 && strcmp(w + n - 3, "n't") == 0);
}

#define NLEX (sizeof LEXICON / sizeof LEXICON[0])
#define NBOOST (sizeof BOOSTERS / sizeof BOOSTERS[0])

void sentiment_score(const char *text, Sentiment *out) {
    memset(out, 0, sizeof *out);
    if (!text) return;
    static _Thread_local Tok t[TOK_MAX];
    int n = tokenize(text, t, TOK_MAX);
    bool mixed = false, any_lower = false;
    for (const char *p = text; *p; p++)
        if (islower((unsigned char)*p)) any_lower = true;
    mixed = any_lower;
    double v[TOK_MAX];
    int neg_at[TOK_MAX];
    int but = -1;
    for (int i = 0; i < n; i++) {
        v[i] = 0;
        neg_at[i] = -1;
        if (in_list(BUTS, t[i].lc)) but = i;
        double s = lookup(LEXICON, NLEX, t[i].lc);
        /* "super" is a word of its own in German and a booster before another word */
        if (s != 0 && i + 1 < n && lookup(BOOSTERS, NBOOST, t[i].lc) != 0 && lookup(LEXICON, NLEX, t[i + 1].lc) != 0) s = 0;
        if (s == 0) continue;
        double sign = s > 0 ? 1 : -1;
        if (t[i].caps && mixed) s += sign * 0.733;
        for (int j = 1; j <= 3 && i - j >= 0; j++) {
            double b = lookup(BOOSTERS, NBOOST, t[i - j].lc);
            if (b != 0 && lookup(LEXICON, NLEX, t[i - j].lc) == 0) s += sign * b * (j == 1 ? 1 : j == 2 ? 0.95 : 0.9);
            else if (b != 0 && j == 1) s += sign * b;
            if (negation(t[i - j].lc) && neg_at[i] < 0) neg_at[i] = i - j;
        }
        if (neg_at[i] >= 0) s *= -0.74;
        v[i] = s;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (but >= 0) v[i] *= i < but ? 0.5 : i > but ? 1.5 : 1;
        sum += v[i];
    }
    int bangs = 0;
    for (const char *p = text; *p && bangs < 4; p++) bangs += *p == '!';
    if (sum > 0) sum += 0.292 * bangs;
    else if (sum < 0) sum -= 0.292 * bangs;
    out->compound = sum / sqrt(sum * sum + 15.0);
    out->label = out->compound >= 0.05 ? SENT_POSITIVE : out->compound <= -0.05 ? SENT_NEGATIVE : SENT_NEUTRAL;
    /* the words that decided it: those pulling the label's way, strongest first */
    for (int k = 0; k < SENT_WORDS_MAX; k++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (v[i] == 0 || (out->label != SENT_NEUTRAL && (v[i] > 0) != (out->label > 0))) continue;
            if (best < 0 || fabs(v[i]) > fabs(v[best])) best = i;
        }
        if (best < 0) break;
        char *w = out->words[out->nwords++];
        if (neg_at[best] >= 0) {
            const Tok *g = &t[neg_at[best]];
            int gl = g->len > 12 ? 12 : g->len, wl = t[best].len > 31 - gl - 1 ? 31 - gl - 1 : t[best].len;
            memcpy(w, g->at, (size_t)gl);
            w[gl] = ' ';
            memcpy(w + gl + 1, t[best].at, (size_t)wl);
            w[gl + 1 + wl] = 0;
        } else {
            int wl = t[best].len > 31 ? 31 : t[best].len;
            memcpy(w, t[best].at, (size_t)wl);
            w[wl] = 0;
        }
        v[best] = 0;
    }
}

const char *sentiment_name(int label) { return label > 0 ? "positive" : label < 0 ? "negative" : "neutral"; }

int sentiment_parse(const char *s) {
    if (!s) return -2;
    if (strcmp(s, "positive") == 0) return SENT_POSITIVE;
    if (strcmp(s, "negative") == 0) return SENT_NEGATIVE;
    if (strcmp(s, "neutral") == 0) return SENT_NEUTRAL;
    return -2;
}

bool sentiment_has_word(const char *text, const char *word) {
    if (!text || !word || !*word) return false;
    static _Thread_local Tok t[TOK_MAX];
    char lw[32];
    lower(word, (int)strlen(word), lw);
    int nt = tokenize(text, t, TOK_MAX);
    for (int i = 0; i < nt; i++)
        if (match(lw, t[i].lc)) return true;
    return false;
}

unsigned sentiment_themes(const char *text) {
    unsigned bits = 0;
    if (!text) return 0;
    static _Thread_local Tok t[TOK_MAX];
    int n = tokenize(text, t, TOK_MAX);
    for (int th = 0; SURVEY_THEMES[th]; th++)
        for (int i = 0; i < n && !(bits & (1u << th)); i++)
            for (int k = 0; THEME_WORDS[th][k]; k++)
                if (match(THEME_WORDS[th][k], t[i].lc)) {
                    bits |= 1u << th;
                    break;
                }
    return bits;
}
