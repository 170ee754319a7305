/* sentiment_test.c: the comment scorer (src/sentiment.c): its rules one by
 * one, then its agreement with a labelled set of workplace comments in
 * English and German, labelled by hand before the scorer was run on them.
 * The agreement is printed; the check asks for at least 80%. */
#include "survey.h"
#include "check.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static double c(const char *s) {
    Sentiment x;
    sentiment_score(s, &x);
    return x.compound;
}

static bool has(const Sentiment *x, const char *w) {
    for (int i = 0; i < x->nwords; i++)
        if (strcmp(x->words[i], w) == 0) return true;
    return false;
}

typedef struct { const char *text; int label; } Labelled;
static const Labelled SET[] = {
    {"The new rota is great, thank you!", 1},
    {"I love working with this team.", 1},
    {"My manager always listens and supports me.", 1},
    {"Thanks for trusting us with the refunds.", 1},
    {"Good communication this month, much clearer than before.", 1},
    {"I feel valued and respected here.", 1},
    {"The training helped me a lot, really useful and fun.", 1},
    {"Not bad at all, things have improved.", 1},
    {"The pay is low but the team is fantastic.", 1},
    {"Proud of what we achieved in the café this quarter.", 1},
    {"I am happy with the freedom to decide on small things.", 1},
    {"Everyone was friendly and welcoming when I started.", 1},
    {"No problem asking for help here.", 1},
    {"The new oven makes the morning shift so much easier.", 1},
    {"We finally have clear goals, excellent work.", 1},
    {"I am exhausted, the workload is too high.", -1},
    {"Nobody tells us about changes until it is too late.", -1},
    {"The till is broken again and nobody fixes it.", -1},
    {"I feel blamed for every mistake.", -1},
    {"Too much overtime and not enough staff.", -1},
    {"Meetings are a waste of time.", -1},
    {"The new system is confusing and slow.", -1},
    {"Management does not listen to us.", -1},
    {"I am afraid to speak up in team meetings.", -1},
    {"The schedule is chaotic and unfair.", -1},
    {"Great coffee, but the stress is terrible.", -1},
    {"I am not happy with how decisions are made.", -1},
    {"We are understaffed every weekend.", -1},
    {"This is the WORST rota we ever had!!!", -1},
    {"It is not good enough.", -1},
    {"The delivery was late again.", -1},
    {"We open at seven.", 0},
    {"Please move the team meeting to Tuesday.", 0},
    {"I work in the kitchen on weekdays.", 0},
    {"Could we get a second fridge?", 0},
    {"The café closes at six in winter.", 0},
    {"Das neue Team ist super, danke!", 1},
    {"Ich arbeite gerne hier.", 1},
    {"Meine Chefin hört zu und unterstützt mich.", 1},
    {"Die Schulung war wirklich hilfreich.", 1},
    {"Ich fühle mich wertgeschätzt.", 1},
    {"Die Kommunikation ist viel besser geworden.", 1},
    {"Kein Problem, hier um Hilfe zu bitten.", 1},
    {"Tolle Kolleginnen und Kollegen, ich bin sehr zufrieden.", 1},
    {"Das Gehalt ist niedrig, aber das Team ist großartig.", 1},
    {"Wir sind stolz auf unsere Arbeit.", 1},
    {"Die neuen Abläufe sind klar und angenehm.", 1},
    {"Es macht Spaß, neue Ideen auszuprobieren.", 1},
    {"Ich bin total gestresst.", -1},
    {"Zu viele Überstunden und zu wenig Personal.", -1},
    {"Die Kasse ist schon wieder kaputt.", -1},
    {"Niemand sagt uns Bescheid, das ist frustrierend.", -1},
    {"Die Stimmung ist schlecht.", -1},
    {"Ich habe Angst, Fehler zuzugeben.", -1},
    {"Der Dienstplan ist chaotisch und ungerecht.", -1},
    {"Das ist nicht gut.", -1},
    {"Ich bin nicht zufrieden mit der Führung.", -1},
    {"Die Besprechungen sind langweilig und nutzlos.", -1},
    {"Wir sind am Wochenende immer unterbesetzt.", -1},
    {"Der Kaffee ist gut, aber der Druck ist schlimm.", -1},
    {"Ich bin enttäuscht von der Entscheidung.", -1},
    {"Wir öffnen um sieben Uhr.", 0},
    {"Bitte das Treffen auf Dienstag verschieben.", 0},
    {"Ich arbeite meistens in der Backstube.", 0},
    {"Können wir einen zweiten Kühlschrank bekommen?", 0},
    {"Das Café schließt im Winter um sechs.", 0},
};

int main(void) {
    Sentiment x;
    sentiment_score("The team is good.", &x);
    CHECK("sent-1.1: a lexicon word decides, and is listed", x.label == SENT_POSITIVE && has(&x, "good"));
    sentiment_score("The team is not good.", &x);
    CHECK("sent-1.2: negation turns it (and the words say so)", x.label == SENT_NEGATIVE && has(&x, "not good"));
    sentiment_score("Das ist nicht gut.", &x);
    CHECK("sent-1.3: German negation too", x.label == SENT_NEGATIVE && has(&x, "nicht gut"));
    CHECK("sent-1.4: a booster strengthens", c("The team is very good.") > c("The team is good."));
    CHECK("sent-1.5: a dampener weakens", c("The team is slightly good.") < c("The team is good.") && c("The team is slightly good.") > 0);
    CHECK("sent-1.6: capitals strengthen in mixed-case text", c("The team is GOOD.") > c("The team is good."));
    CHECK("sent-1.7: exclamation marks strengthen, up to four", c("Good!!") > c("Good") && fabs(c("Good!!!!!!") - c("Good!!!!")) < 1e-9);
    sentiment_score("The pay is bad but the team is great.", &x);
    CHECK("sent-1.8: 'but' weighs what follows", x.label == SENT_POSITIVE && has(&x, "great"));
    sentiment_score("The team is great but the pay is bad.", &x);
    CHECK("sent-1.9: ... in both directions", x.label == SENT_NEGATIVE && has(&x, "bad"));
    sentiment_score("Wir öffnen um sieben.", &x);
    CHECK("sent-1.10: no opinion words: neutral, no words", x.label == SENT_NEUTRAL && x.nwords == 0 && x.compound == 0);
    CHECK("sent-1.11: German stems take endings", c("Eine gute Idee") > 0 && c("schlechte Laune") < 0);
    CHECK("sent-1.12: compound stays within -1..1", fabs(c("great great great great great great great great!!!!")) < 1 && c("") == 0);
    sentiment_score(NULL, &x);
    CHECK("sent-1.13: no text is neutral", x.label == SENT_NEUTRAL);
    CHECK("sent-1.14: labels print and parse", strcmp(sentiment_name(SENT_NEGATIVE), "negative") == 0 && sentiment_parse("neutral") == SENT_NEUTRAL &&
                                                   sentiment_parse("meh") == -2);
    /* themes */
    unsigned th = sentiment_themes("Too much overtime, and my manager never says thanks");
    CHECK("sent-2.1: themes by keywords: workload, management, recognition", (th & 1u) && (th & 8u) && (th & 2u) && !(th & 32u));
    th = sentiment_themes("Das Gehalt ist zu niedrig und die Kasse ist kaputt");
    CHECK("sent-2.2: German keywords: pay and tools", (th & 32u) && (th & 16u));
    CHECK("sent-2.3: an organisation's own theme word, whole or as a stem", sentiment_has_word("The Sourdough starter died", "sourdough") &&
                                                                                 sentiment_has_word("Sauerteige sind schwer", "sauerteig*") &&
                                                                                 !sentiment_has_word("dough", "sourdough"));
    /* agreement with the labelled set */
    int n = (int)(sizeof SET / sizeof SET[0]), agree = 0;
    for (int i = 0; i < n; i++) {
        sentiment_score(SET[i].text, &x);
        if (x.label == SET[i].label) agree++;
        else printf("# disagrees (%s, labelled %s, compound %.3f): %s\n", sentiment_name(x.label), sentiment_name(SET[i].label), x.compound, SET[i].text);
    }
    printf("# sentiment agreement with the labelled set: %d of %d (%.0f%%)\n", agree, n, 100.0 * agree / n);
    CHECK("sent-3.1: agreement with the hand-labelled set is at least 80%", agree * 100 >= 80 * n);
    CHECK_DONE();
}
