/* surveytemplates.c: the instruments remit ships, as data, in English and
 * German. The wording is remit's own throughout: the published scales are
 * paraphrased item by item (their constructs and scoring kept), so no
 * licence stands in the way; each source is cited beside its table. Data
 * only: no logic beyond finding a template by its key. */
#include "survey.h"
#include <string.h>

/* The culture audit's factors, in the order the heatmap shows them. */
const char *const SURVEY_FACTORS[] = {"autonomy", "openness", "trust", "clarity", "support", "recognition", "safety", NULL};

/* Culture audit: remit's own baseline of the empowerment programme, three
 * items per factor on a five-point agree scale (1 strongly disagree .. 5
 * strongly agree); two items are reversed so that the scale is not answered
 * by habit. */
static const SurveyItem CULTURE_AUDIT[] = {
    {Q_AGREE5, "autonomy", false, "I can decide how to do my work without asking first.",
     "Ich kann selbst entscheiden, wie ich meine Arbeit mache, ohne vorher zu fragen."},
    {Q_AGREE5, "autonomy", false, "I know which decisions are mine to take.", "Ich weiß, welche Entscheidungen ich selbst treffen darf."},
    {Q_AGREE5, "autonomy", true, "Small decisions here wait for a manager's approval.",
     "Kleine Entscheidungen warten bei uns auf die Freigabe einer Führungskraft."},
    {Q_AGREE5, "openness", false, "I hear about changes that affect my work before they happen.",
     "Ich erfahre von Änderungen, die meine Arbeit betreffen, bevor sie passieren."},
    {Q_AGREE5, "openness", false, "Information I need for my work is easy to get.", "Informationen, die ich für meine Arbeit brauche, bekomme ich leicht."},
    {Q_AGREE5, "openness", false, "Managers here explain the reasons behind their decisions.",
     "Führungskräfte erklären bei uns die Gründe für ihre Entscheidungen."},
    {Q_AGREE5, "trust", false, "My manager trusts me to get things right.", "Meine Führungskraft traut mir zu, die Dinge richtig zu machen."},
    {Q_AGREE5, "trust", false, "I trust the people I work with to do what they say.", "Ich vertraue darauf, dass meine Kolleginnen und Kollegen tun, was sie sagen."},
    {Q_AGREE5, "trust", true, "People here check up on each other more than they need to.",
     "Bei uns kontrollieren sich die Leute gegenseitig mehr als nötig."},
    {Q_AGREE5, "clarity", false, "I understand what our organisation is trying to achieve.", "Ich verstehe, was unsere Organisation erreichen will."},
    {Q_AGREE5, "clarity", false, "I can see how my work contributes to our goals.", "Ich sehe, wie meine Arbeit zu unseren Zielen beiträgt."},
    {Q_AGREE5, "clarity", false, "I know what is expected of me in my role.", "Ich weiß, was in meiner Rolle von mir erwartet wird."},
    {Q_AGREE5, "support", false, "I have the tools and resources to do my job well.", "Ich habe die Werkzeuge und Mittel, um meine Arbeit gut zu machen."},
    {Q_AGREE5, "support", false, "When I get stuck, I know where to get help.", "Wenn ich nicht weiterkomme, weiß ich, wo ich Hilfe bekomme."},
    {Q_AGREE5, "support", false, "I get the training I need to take on more responsibility.",
     "Ich bekomme die Schulung, die ich brauche, um mehr Verantwortung zu übernehmen."},
    {Q_AGREE5, "recognition", false, "Good work is noticed here.", "Gute Arbeit wird bei uns bemerkt."},
    {Q_AGREE5, "recognition", false, "In the last month someone thanked me for something I did.",
     "Im letzten Monat hat sich jemand bei mir für etwas bedankt, das ich getan habe."},
    {Q_AGREE5, "recognition", false, "People who take sensible initiative are appreciated here.",
     "Wer hier vernünftig die Initiative ergreift, wird geschätzt."},
    {Q_AGREE5, "safety", false, "I can admit a mistake here without fear.", "Ich kann hier einen Fehler zugeben, ohne Angst zu haben."},
    {Q_AGREE5, "safety", false, "I can disagree with my manager without it counting against me.",
     "Ich kann meiner Führungskraft widersprechen, ohne dass es mir schadet."},
    {Q_AGREE5, "safety", false, "New ideas are welcome here, even when they challenge how we work.",
     "Neue Ideen sind bei uns willkommen, auch wenn sie unsere Arbeitsweise infrage stellen."},
};

/* Team psychological safety: Edmondson, A. (1999), "Psychological Safety
 * and Learning Behavior in Work Teams", Administrative Science Quarterly
 * 44(2): seven items on a seven-point agree scale, items 1, 3 and 5
 * reverse-scored (8 - x). Paraphrased. */
static const SurveyItem PSYCH_SAFETY[] = {
    {Q_AGREE7, "safety", true, "When someone in this team makes a mistake, it is often held against them.",
     "Wenn in diesem Team jemand einen Fehler macht, wird es ihm oft vorgehalten."},
    {Q_AGREE7, "safety", false, "People in this team can raise problems and difficult issues.",
     "In diesem Team kann man Probleme und schwierige Themen ansprechen."},
    {Q_AGREE7, "safety", true, "People in this team sometimes push others away for being different.",
     "In diesem Team werden andere manchmal ausgegrenzt, weil sie anders sind."},
    {Q_AGREE7, "safety", false, "It is safe to take a risk in this team.", "In diesem Team kann man gefahrlos ein Risiko eingehen."},
    {Q_AGREE7, "safety", true, "It is hard to ask others in this team for help.", "Es ist schwer, andere in diesem Team um Hilfe zu bitten."},
    {Q_AGREE7, "safety", false, "Nobody in this team would deliberately undermine my efforts.",
     "Niemand in diesem Team würde meine Arbeit absichtlich untergraben."},
    {Q_AGREE7, "safety", false, "In this team my particular skills and talents are valued and used.",
     "In diesem Team werden meine besonderen Fähigkeiten und Talente geschätzt und genutzt."},
};

/* Psychological empowerment: Spreitzer, G. M. (1995), "Psychological
 * Empowerment in the Workplace: Dimensions, Measurement, and Validation",
 * Academy of Management Journal 38(5): twelve items in four dimensions of
 * three (meaning, competence, self-determination, impact), seven-point
 * agree scale. Paraphrased. */
static const SurveyItem EMPOWERMENT[] = {
    {Q_AGREE7, "meaning", false, "The work I do is very important to me.", "Die Arbeit, die ich mache, ist mir sehr wichtig."},
    {Q_AGREE7, "meaning", false, "What I do at work means something to me personally.", "Was ich bei der Arbeit tue, bedeutet mir persönlich etwas."},
    {Q_AGREE7, "meaning", false, "My work is meaningful to me.", "Meine Arbeit ist für mich sinnvoll."},
    {Q_AGREE7, "competence", false, "I am confident I can do my job well.", "Ich bin sicher, dass ich meine Arbeit gut machen kann."},
    {Q_AGREE7, "competence", false, "I trust my abilities to do what my work asks of me.",
     "Ich vertraue auf meine Fähigkeiten, das zu leisten, was meine Arbeit verlangt."},
    {Q_AGREE7, "competence", false, "I have the skills my job needs.", "Ich habe die Fähigkeiten, die meine Arbeit braucht."},
    {Q_AGREE7, "self-determination", false, "I have real freedom in deciding how I do my job.",
     "Ich habe echte Freiheit bei der Entscheidung, wie ich meine Arbeit mache."},
    {Q_AGREE7, "self-determination", false, "I can decide for myself how to go about my work.", "Ich kann selbst entscheiden, wie ich meine Arbeit angehe."},
    {Q_AGREE7, "self-determination", false, "I have plenty of room for independence in how I work.",
     "Ich habe viel Raum für Selbstständigkeit in meiner Arbeitsweise."},
    {Q_AGREE7, "impact", false, "I make a big difference to what happens in my team.", "Ich bewirke viel für das, was in meinem Team passiert."},
    {Q_AGREE7, "impact", false, "I have a lot of control over what happens in my team.", "Ich habe viel Einfluss darauf, was in meinem Team passiert."},
    {Q_AGREE7, "impact", false, "I have real influence over what happens in my team.", "Ich habe echten Einfluss darauf, was in meinem Team geschieht."},
};

/* Employee Net Promoter Score: the customer NPS question (Reichheld, 2003,
 * "The One Number You Need to Grow", Harvard Business Review) asked about
 * the workplace: 0-10; eNPS = % promoters (9-10) - % detractors (0-6). */
static const SurveyItem ENPS[] = {
    {Q_SCALE10, "enps", false, "How likely are you to recommend %s as a place to work?",
     "Wie wahrscheinlich ist es, dass du %s als Arbeitsplatz weiterempfiehlst?"},
};

/* Pulse: six items drawn from the instruments above, for a monthly check. */
static const SurveyItem PULSE[] = {
    {Q_AGREE5, "autonomy", false, "I can decide how to do my work without asking first.",
     "Ich kann selbst entscheiden, wie ich meine Arbeit mache, ohne vorher zu fragen."},
    {Q_AGREE5, "recognition", false, "Good work is noticed here.", "Gute Arbeit wird bei uns bemerkt."},
    {Q_AGREE5, "clarity", false, "I can see how my work contributes to our goals.", "Ich sehe, wie meine Arbeit zu unseren Zielen beiträgt."},
    {Q_AGREE7, "safety", true, "When someone in this team makes a mistake, it is often held against them.",
     "Wenn in diesem Team jemand einen Fehler macht, wird es ihm oft vorgehalten."},
    {Q_AGREE7, "safety", false, "It is safe to take a risk in this team.", "In diesem Team kann man gefahrlos ein Risiko eingehen."},
    {Q_SCALE10, "enps", false, "How likely are you to recommend %s as a place to work?",
     "Wie wahrscheinlich ist es, dass du %s als Arbeitsplatz weiterempfiehlst?"},
};

#define N(a) (int)(sizeof a / sizeof a[0])
static const SurveyTemplate TEMPLATES[] = {
    {"culture-audit", "Culture audit", "Kulturaudit", "remit's own baseline of autonomy, openness, trust, clarity, support, recognition and safety",
     CULTURE_AUDIT, N(CULTURE_AUDIT)},
    {"psych-safety", "Psychological safety", "Psychologische Sicherheit", "Edmondson (1999), Administrative Science Quarterly 44(2), paraphrased",
     PSYCH_SAFETY, N(PSYCH_SAFETY)},
    {"empowerment", "Psychological empowerment", "Psychologisches Empowerment", "Spreitzer (1995), Academy of Management Journal 38(5), paraphrased",
     EMPOWERMENT, N(EMPOWERMENT)},
    {"enps", "Employee Net Promoter Score", "Employee Net Promoter Score", "Reichheld (2003), asked about the workplace", ENPS, N(ENPS)},
    {"pulse", "Pulse", "Stimmungsbild", "six items from the culture audit, Edmondson (1999) and the eNPS", PULSE, N(PULSE)},
};

const SurveyTemplate *survey_template(const char *key) {
    for (int i = 0; key && i < N(TEMPLATES); i++)
        if (strcmp(TEMPLATES[i].key, key) == 0) return &TEMPLATES[i];
    return NULL;
}
