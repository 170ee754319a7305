/* surveypages.c: the survey pages, server-rendered and usable without
 * JavaScript on a phone: the list, a new survey from a template, a survey
 * and its rounds, the answer form (save part-way, finish later, in German
 * when the browser asks for it), the results with the team heatmap,
 * trends, drivers and comments, and the writer's private reply page. The
 * rules live in surveys.c and surveyresults.c; this file only renders and
 * reads forms. */
#include "surveys.h"
#include "handlers.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* functions of surveys.c the pages use */
int64_t surveys_create(Req *r, json_t *o, Errors *ep);
int surveys_answer_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, const Answers *ans, bool final, char token_out[44], Errors *e);
void surveys_draft_for(Req *r, const Round *rd, const Question *q, int nq, Answers *ans);
Answers surveys_answers_new(Arena *a, int n);
Round *surveys_rounds(Db *db, Arena *a, int64_t survey_id, int *n);
bool surveys_may_manage(Req *r, const Survey *sv);
int surveys_reply_named(Req *r, int64_t comment_id, const char *text, Errors *e);
int surveys_reply_anonymous(Req *r, const char *token, int64_t comment_id, const char *text, Errors *e);
int surveys_token_comments(Db *db, Arena *a, const char *token, int64_t *ids, int max);
json_t *surveys_conversation_json(Db *db, Arena *a, int64_t comment_id);
/* surveyplan.c */
bool surveys_plan_may_add(Req *r, const Survey *sv, const Tree *t, int node);
void surveys_page_plan_section(Req *r, const Survey *sv, const char *(*factor_name)(Req *, const char *));
void surveys_page_you_said(Req *r, const Survey *sv, const Round *rd, const char *(*factor_name)(Req *, const char *));
void surveys_page_plan_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, int64_t team_id, const Errors *e,
                            const char *(*factor_name)(Req *, const char *));
void surveys_page_plan_items(Req *r, const Survey *sv, const Round *rd, int64_t team_id, const char *(*factor_name)(Req *, const char *));
int surveys_page_plan_post(Req *r, const char *(*factor_name)(Req *, const char *));
int surveys_comment_sentiment(Req *r, int64_t id, int label, Errors *e);

/* survey_is_german: the request's language (i18n.c: ?lang, the person's,
 * the organisation's, Accept-Language) is German, so questions show their
 * German wording. */
bool survey_is_german(Req *r) { return strcmp(lang_code(i18n_lang(r)), "de") == 0; }

static const char *qtext(Req *r, const Question *q) { return survey_is_german(r) && q->text_de && *q->text_de ? q->text_de : q->text; }

/* fmtd: a figure with the given decimals, the reader's way ("81.1",
 * "81,1"); arena-owned. */
static char *fmtd(Req *r, double x, int decimals) {
    char *s = arena_printf(r->arena, "%.*f", decimals, x);
    if (survey_is_german(r))
        for (char *p = s; *p; p++)
            if (*p == '.') *p = ',';
    return s;
}

static char *fmt1(Req *r, double x) { return fmtd(r, x, 1); }

/* factor_label: the shipped templates' factor codes as msgids; a custom
 * survey's own factor names are shown as they were given. */
static const char *factor_label(Req *r, const char *f) {
    static const char *const FACTORS[] = {N_("autonomy"), N_("clarity"),  N_("competence"), N_("impact"),  N_("meaning"), N_("openness"),
                                          N_("recognition"), N_("safety"), N_("self-determination"), N_("support"), N_("trust"), N_("enps")};
    for (size_t i = 0; i < sizeof FACTORS / sizeof *FACTORS; i++)
        if (strcmp(f, FACTORS[i]) == 0) return T(r, FACTORS[i]);
    return f;
}

static int load(Req *r, Survey *sv, Round *rd) {
    if (!survey_find(r->db, r->arena, r->who.org_id, r->params[0], sv)) return resp_error(r, 404, "not_found", "There is no survey %lld.", (long long)r->params[0]);
    if (rd && !round_find(r->db, r->arena, sv->id, r->params[1], rd)) return resp_error(r, 404, "not_found", "This survey has no such round.");
    return 0;
}

/* GET /surveys (member): the organisation's surveys and their rounds. */
int surveys_page_list(Req *r) {
    page_begin(r, T(r, "Surveys"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Surveys"),
                T(r, "Answers are anonymous: results show only for groups of at least five people, and only after a round closes."));
    if (r->who.access >= ACCESS_MANAGER) html_printf(b, "<p><a class=\"button\" href=\"/surveys/new\">%h</a></p>", T(r, "New survey"));
    Stmt *s = db_q(r->db, "SELECT id FROM survey WHERE org_id = ? ORDER BY id DESC LIMIT 100", "i", r->who.org_id);
    int64_t ids[100];
    int n = 0;
    while (n < 100 && db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
    db_reset(s);
    if (!n) {
        html_printf(b, "<p>%h</p>", T(r, "No surveys yet."));
        page_end(r);
        return 0;
    }
    html_printf(b, "<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Survey"), T(r, "Current round"), T(r, "Latest results"));
    for (int i = 0; i < n; i++) {
        Survey sv;
        if (!survey_find(r->db, r->arena, r->who.org_id, ids[i], &sv)) continue;
        int64_t open = 0, closed = 0;
        db_one_int(r->db, &open, "SELECT id FROM survey_round WHERE survey_id = ? AND status = 'open' ORDER BY number DESC LIMIT 1", "i", sv.id);
        db_one_int(r->db, &closed, "SELECT id FROM survey_round WHERE survey_id = ? AND status = 'closed' ORDER BY number DESC LIMIT 1", "i", sv.id);
        html_printf(b, "<tr><td><a href=\"/surveys/%D\">%h</a></td><td>", sv.id, sv.title);
        if (open) {
            Round rd;
            round_find(r->db, r->arena, sv.id, open, &rd);
            html_printf(b, "<a href=\"/surveys/%D/rounds/%D\">%h</a> (%h %h)", sv.id, open, T(r, "Answer"), T(r, "until"), fmt_date(r, rd.closes_on));
        } else html_printf(b, "%h", T(r, "none open"));
        buf_puts(b, "</td><td>");
        if (closed) html_printf(b, "<a href=\"/surveys/%D/rounds/%D/results\">%h</a>", sv.id, closed, T(r, "Results"));
        else html_printf(b, "%h", T(r, "not yet"));
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
    page_end(r);
    return 0;
}

/* round_status_label: a round's status code as a msgid. */
static const char *round_status_label(const char *st) {
    if (strcmp(st, "open") == 0) return N_("open");
    if (strcmp(st, "closed") == 0) return N_("closed");
    if (strcmp(st, "scheduled") == 0) return N_("scheduled");
    return st;
}

/* sentiment_label: a comment's sentiment code as a msgid. */
static const char *sentiment_label(const char *st) {
    if (!st) return "";
    if (strcmp(st, "positive") == 0) return N_("positive");
    if (strcmp(st, "negative") == 0) return N_("negative");
    if (strcmp(st, "neutral") == 0) return N_("neutral");
    return st;
}

/* the choices are codes, shown through the catalogue by form_select_str */
static const char *const TEMPLATE_KEYS[] = {N_("pulse"), N_("culture-audit"), N_("psych-safety"), N_("empowerment"), N_("enps"), N_("custom"), NULL};
static const char *const RECURRENCE_KEYS[] = {N_("none"), N_("weekly"), N_("biweekly"), N_("monthly"), N_("quarterly"), NULL};
/* the question kinds (codes) and how the form names them */
static const char *const KIND_KEYS[] = {"agree5", "agree7", "scale10", "choice", "multi", "text", NULL};
static const char *const KIND_LABELS[] = {N_("Agree or disagree, 5 points"), N_("Agree or disagree, 7 points"), N_("0 to 10"), N_("One choice"),
                                          N_("Several choices"), N_("Free text")};
#define ROWS_DEFAULT 3
#define ROWS_MAX 30

/* rows_wanted: how many question rows the form shows (the "more rows"
 * button adds three). */
static int rows_wanted(Req *r) {
    int64_t n = ROWS_DEFAULT;
    const char *v = req_form(r, "rows");
    if (v && (!parse_id(v, &n) || n < 1)) n = ROWS_DEFAULT;
    if (req_form(r, "more")) n += 3;
    return n > ROWS_MAX ? ROWS_MAX : (int)n;
}

static const char *rowf(Req *r, int i, const char *what) { return req_form(r, arena_printf(r->arena, "q%d_%s", i, what)); }

/* question_row: one custom question's fields, with what was typed and its
 * own errors. */
static void question_row(Req *r, int i, const Errors *e) {
    Buf *b = page(r);
    char *n_text = arena_printf(r->arena, "q%d_text", i), *n_kind = arena_printf(r->arena, "q%d_kind", i), *n_opts = arena_printf(r->arena, "q%d_options", i),
         *n_fac = arena_printf(r->arena, "q%d_factor", i), *n_rev = arena_printf(r->arena, "q%d_reverse", i), *n_optl = arena_printf(r->arena, "q%d_optional", i);
    html_printf(b, "<fieldset class=\"question-row\" id=\"row-%d\"><legend>%h</legend>", i, arena_printf(r->arena, T(r, "Question %d"), i));
    form_text(r, n_text, N_("Question"), rowf(r, i, "text"), e ? err_for(e, n_text) : NULL, "text", false);
    const char *kind = rowf(r, i, "kind");
    const char *kerr = e ? err_for(e, n_kind) : NULL;
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\">", kerr ? " has-error" : "", n_kind, T(r, "Kind of answer"), n_kind, n_kind);
    for (int k = 0; KIND_KEYS[k]; k++)
        html_printf(b, "<option value=\"%h\"%s>%h</option>", KIND_KEYS[k], kind && strcmp(kind, KIND_KEYS[k]) == 0 ? " selected" : "", T(r, KIND_LABELS[k]));
    buf_puts(b, "</select>");
    if (kerr) html_printf(b, "<p class=\"error\">%h</p>", kerr);
    buf_puts(b, "</div>");
    form_textarea(r, n_opts, N_("Options (one per line; for one or several choices)"), rowf(r, i, "options"), e ? err_for(e, n_opts) : NULL, NULL);
    form_text(r, n_fac, N_("Factor (optional, e.g. trust)"), rowf(r, i, "factor"), e ? err_for(e, n_fac) : NULL, "text", false);
    const char *rerr = e ? err_for(e, n_rev) : NULL;
    html_printf(b, "<div class=\"field%s\"><label><input type=\"checkbox\" name=\"%h\" value=\"1\"%s> %h</label>", rerr ? " has-error" : "", n_rev,
                rowf(r, i, "reverse") ? " checked" : "", T(r, "Reverse-scored (agreeing is unfavourable)"));
    if (rerr) html_printf(b, "<p class=\"error\">%h</p>", rerr);
    html_printf(b, "</div><div class=\"field\"><label><input type=\"checkbox\" name=\"%h\" value=\"1\"%s> %h</label></div></fieldset>", n_optl,
                rowf(r, i, "optional") ? " checked" : "", T(r, "Optional"));
}

static void new_form(Req *r, const Errors *e) {
    Buf *b = page(r);
    form_error_summary(r, e ? e->n : 0);
    if (e && e->n) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", e->items[0].msg);
    form_begin(r, "/surveys/new", NULL);
    form_text(r, "title", N_("Title (leave empty for the template's)"), req_form(r, "title"), e ? err_for(e, "title") : NULL, "text", false);
    form_select_str(r, "template", N_("Template"), req_form(r, "template") ? req_form(r, "template") : "pulse", TEMPLATE_KEYS, e ? err_for(e, "template") : NULL);
    form_text(r, "opens_on", N_("Opens on"), req_form(r, "opens_on") ? req_form(r, "opens_on") : anon_date(r->arena, r->now), e ? err_for(e, "opens_on") : NULL, "date", true);
    form_text(r, "closes_on", N_("Closes after"), req_form(r, "closes_on") ? req_form(r, "closes_on") : date_add(r->arena, anon_date(r->arena, r->now), 13),
              e ? err_for(e, "closes_on") : NULL, "date", true);
    form_select_str(r, "recurrence", N_("Repeats"), req_form(r, "recurrence") ? req_form(r, "recurrence") : "none", RECURRENCE_KEYS, e ? err_for(e, "recurrence") : NULL);
    form_text(r, "min_group", N_("Smallest group shown (3 to 10)"), req_form(r, "min_group") ? req_form(r, "min_group") : "5", e ? err_for(e, "min_group") : NULL, "number", false);
    const OptionList *teams = options_cached(r, "SELECT id, name FROM team WHERE org_id = ? ORDER BY name, id LIMIT 2000");
    int64_t team = 0;
    if (req_form(r, "team_id")) parse_id(req_form(r, "team_id"), &team);
    form_select_list(r, "team_id", N_("Audience"), team, teams, N_("The whole organisation"), e ? err_for(e, "team_ids") : NULL);
    int rows = rows_wanted(r);
    html_printf(b, "<h2>%h</h2><p class=\"hint\">%h</p><input type=\"hidden\" name=\"rows\" value=\"%d\">", T(r, "Custom questions"),
                T(r, "With the template \"custom\": fill in as many rows as you need; empty rows are left out."), rows);
    for (int i = 1; i <= rows; i++) question_row(r, i, e);
    if (rows < ROWS_MAX) html_printf(b, "<div class=\"actions\"><button type=\"submit\" name=\"more\" value=\"1\" class=\"secondary\">%h</button></div>", T(r, "More rows"));
    form_end(r, N_("Create the survey"));
}

/* GET /surveys/new (manager): a survey from a shipped template or with
 * custom questions. */
int surveys_page_new(Req *r) {
    page_begin(r, T(r, "New survey"));
    html_printf(page(r), "<h1>%h</h1><p>%h</p>", T(r, "New survey"), T(r, "Pick a template, or \"custom\" and write your own questions below."));
    new_form(r, NULL);
    page_end(r);
    return 0;
}

/* custom_questions: the form's rows as the API's question list; each
 * row's problems are added to e under its own field. */
static json_t *custom_questions(Req *r, Errors *e) {
    json_t *qs = json_array();
    int rows = rows_wanted(r);
    for (int i = 1; i <= rows; i++) {
        const char *text = rowf(r, i, "text"), *kind = rowf(r, i, "kind"), *opts = rowf(r, i, "options"), *factor = rowf(r, i, "factor");
        text = text ? str_trim(r->arena, text) : "";
        if (!*text) continue; /* a blank row */
        int k = survey_kind_parse(kind);
        if (utf8_chars(text) > 500 || has_control(text)) err_add(e, 422, "invalid", arena_printf(r->arena, "q%d_text", i), T(r, "A question is one line of at most 500 characters."));
        if (k < 0) {
            err_add(e, 422, "invalid", arena_printf(r->arena, "q%d_kind", i), T(r, "Pick a kind of answer."));
            continue;
        }
        json_t *options = json_array();
        for (const char *p = opts ? opts : ""; *p;) {
            size_t n = strcspn(p, "\r\n");
            char *line = str_trim(r->arena, arena_printf(r->arena, "%.*s", (int)n, p));
            if (*line) json_array_append_new(options, json_string(line));
            p += n;
            while (*p == '\r' || *p == '\n') p++;
        }
        bool choice = k == Q_CHOICE || k == Q_MULTI;
        size_t no = json_array_size(options);
        bool long_opt = false;
        size_t j;
        json_t *x;
        json_array_foreach(options, j, x) long_opt |= utf8_chars(json_string_value(x)) > 200;
        if (choice && (no < 2 || no > 20 || long_opt))
            err_add(e, 422, "invalid", arena_printf(r->arena, "q%d_options", i), T(r, "Give 2 to 20 options, one per line, each at most 200 characters."));
        if (!choice && no) err_add(e, 422, "invalid", arena_printf(r->arena, "q%d_options", i), T(r, "Only questions with one or several choices have options."));
        factor = factor ? str_trim(r->arena, factor) : "";
        if (utf8_chars(factor) > 40 || has_control(factor)) err_add(e, 422, "invalid", arena_printf(r->arena, "q%d_factor", i), T(r, "A factor is a word of at most 40 characters."));
        bool rev = rowf(r, i, "reverse") != NULL;
        if (rev && !survey_kind_scaled(k))
            err_add(e, 422, "invalid", arena_printf(r->arena, "q%d_reverse", i), T(r, "Only agree and 0 to 10 questions can be reverse-scored."));
        json_t *q = json_pack("{s:s,s:s,s:b,s:b}", "kind", KIND_KEYS[k], "text", text, "reverse", rev, "optional", rowf(r, i, "optional") != NULL);
        if (*factor) json_object_set_new(q, "factor", json_string(factor));
        if (choice) json_object_set_new(q, "options", options);
        else json_decref(options);
        json_array_append_new(qs, q);
    }
    if (!json_array_size(qs) && !e->n) err_add(e, 422, "invalid", "q1_text", T(r, "Write at least one question."));
    return qs;
}

/* POST /surveys/new (manager): creates the survey, or with "more" shows
 * the form again with three more question rows, keeping what was typed. */
int surveys_page_new_post(Req *r) {
    if (req_form(r, "more")) {
        page_begin(r, T(r, "New survey"));
        html_printf(page(r), "<h1>%h</h1>", T(r, "New survey"));
        new_form(r, NULL);
        page_end(r);
        return 0;
    }
    json_t *o = json_object();
    req_defer_json(r, o);
    Errors e = {0};
    const char *title = req_form(r, "title");
    if (title && !str_empty(title)) json_object_set_new(o, "title", json_text(title));
    const char *tpl = req_form(r, "template") ? req_form(r, "template") : "";
    if (strcmp(tpl, "custom") == 0) {
        json_object_set_new(o, "questions", custom_questions(r, &e));
        if (!title || str_empty(title)) err_add(&e, 422, "invalid", "title", T(r, "A survey with custom questions needs a title."));
    } else json_object_set_new(o, "template", json_text(tpl));
    json_object_set_new(o, "opens_on", json_text(req_form(r, "opens_on")));
    json_object_set_new(o, "closes_on", json_text(req_form(r, "closes_on")));
    json_object_set_new(o, "recurrence", json_text(req_form(r, "recurrence")));
    int64_t k = 0, team = 0;
    if (req_form(r, "min_group") && parse_id(req_form(r, "min_group"), &k)) json_object_set_new(o, "min_group", json_integer(k > 100 ? 100 : k));
    if (req_form(r, "team_id") && parse_id(req_form(r, "team_id"), &team)) json_object_set_new(o, "team_ids", json_pack("[I]", (json_int_t)team));
    int64_t id = e.n ? 0 : surveys_create(r, o, &e);
    if (!id) {
        page_begin(r, T(r, "New survey"));
        html_printf(page(r), "<h1>%h</h1>", T(r, "New survey"));
        new_form(r, &e);
        page_end(r);
        r->resp.status = e.status ? e.status : 422;
        return -1;
    }
    resp_redirect(r, arena_printf(r->arena, "/surveys/%lld", (long long)id));
    return 0;
}

/* GET /surveys/{id} (member): a survey, its questions and rounds. */
int surveys_page_view(Req *r) {
    Survey sv;
    if (load(r, &sv, NULL)) return -1;
    page_begin(r, sv.title);
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p>%h</p>", sv.title,
                arena_printf(r->arena, T(r, "Results show for groups of at least %d people; comments need at least %d."), sv.k, sv.kc));
    int n;
    Round *rd = surveys_rounds(r->db, r->arena, sv.id, &n);
    html_printf(b, "<h2>%h</h2><div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Rounds"), T(r, "Round"), T(r, "Dates"), T(r, "Status"), T(r, "What you can do"));
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%d</td><td>%h – %h</td><td>%h</td><td>", rd[i].number, fmt_date(r, rd[i].opens_on), fmt_date(r, rd[i].closes_on), T(r, round_status_label(rd[i].status)));
        if (strcmp(rd[i].status, "open") == 0) {
            html_printf(b, "<a href=\"/surveys/%D/rounds/%D\">%h</a>", sv.id, rd[i].id, T(r, "Answer"));
            if (surveys_may_manage(r, &sv)) {
                form_begin_confirm(r, arena_printf(r->arena, "/surveys/%lld/rounds/%lld/close", (long long)sv.id, (long long)rd[i].id), T(r, "Close this round now?"));
                html_printf(b, "<button type=\"submit\" class=\"link\">%h</button></form>", T(r, "Close now"));
            }
        } else if (strcmp(rd[i].status, "closed") == 0)
            html_printf(b, "<a href=\"/surveys/%D/rounds/%D/results\">%h</a>", sv.id, rd[i].id, T(r, "Results"));
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    html_printf(b, "<h2>%h</h2><ol>", T(r, "Questions"));
    for (int i = 0; i < nq; i++) html_printf(b, "<li>%h</li>", qtext(r, &q[i]));
    buf_puts(b, "</ol>");
    surveys_page_plan_section(r, &sv, factor_label);
    page_end(r);
    return 0;
}

static const char *const AGREE5[] = {N_("Strongly disagree"), N_("Disagree"), N_("Neither"), N_("Agree"), N_("Strongly agree")};
static const char *const AGREE7[] = {N_("Strongly disagree"), N_("Disagree"), N_("Somewhat disagree"), N_("Neither"), N_("Somewhat agree"), N_("Agree"), N_("Strongly agree")};

/* answer_form: the whole survey on one page, with what is already saved. */
static void answer_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, const Answers *ans, const Errors *e) {
    Buf *b = page(r);
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[0].msg);
    form_begin(r, arena_printf(r->arena, "/surveys/%lld/rounds/%lld%s", (long long)sv->id, (long long)rd->id, survey_is_german(r) && req_query(r, "lang") ? "?lang=de" : ""), NULL);
    for (int i = 0; i < nq; i++) {
        const Question *x = &q[i];
        const char *err = e ? err_for(e, arena_printf(r->arena, "q%lld", (long long)x->id)) : NULL;
        html_printf(b, "<fieldset class=\"question%s\" id=\"q%D\"><legend>%d. %h%s</legend>", err ? " has-error" : "", x->id, i + 1, qtext(r, x),
                    x->optional ? "" : " <span aria-hidden=\"true\">*</span>");
        if (err) html_printf(b, "<p class=\"error\">%h</p>", err);
        if (x->kind == Q_TEXT) {
            html_printf(b, "<label for=\"f-q%D\" class=\"visually-hidden\">%h</label><textarea id=\"f-q%D\" name=\"q%D\" rows=\"4\">%h</textarea>", x->id,
                        T(r, "Your comment"), x->id, x->id, ans->has[i] ? ans->texts[i] : "");
        } else {
            int lo = x->kind == Q_SCALE10 || x->kind == Q_CHOICE || x->kind == Q_MULTI ? 0 : 1;
            int hi = x->kind == Q_AGREE5 ? 5 : x->kind == Q_AGREE7 ? 7 : x->kind == Q_SCALE10 ? 10 : x->noptions - 1;
            buf_puts(b, "<div class=\"choices\">");
            for (int v = lo; v <= hi; v++) {
                const char *label = x->kind == Q_AGREE5 ? T(r, AGREE5[v - 1]) : x->kind == Q_AGREE7 ? T(r, AGREE7[v - 1])
                                    : x->kind == Q_SCALE10 ? arena_printf(r->arena, "%d", v) : x->options[v];
                bool on = ans->has[i] && (x->kind == Q_MULTI ? (ans->values[i] >> v) & 1 : ans->values[i] == v);
                html_printf(b, "<label><input type=\"%s\" name=\"q%D\" value=\"%d\"%s> %h</label>", x->kind == Q_MULTI ? "checkbox" : "radio", x->id, v,
                            on ? " checked" : "", label);
            }
            buf_puts(b, "</div>");
        }
        buf_puts(b, "</fieldset>");
    }
    html_printf(b,
                "<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"finish\">%h</button> "
                "<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">%h</button></div></form>",
                T(r, "Finish and send"), T(r, "Save and finish later"));
}

/* GET /surveys/{id}/rounds/{round} (member): the answer form. */
int surveys_page_answer(Req *r) {
    Survey sv;
    Round rd;
    if (load(r, &sv, &rd)) return -1;
    page_begin(r, sv.title);
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", sv.title);
    if (req_query(r, "saved")) page_flash(r, T(r, "Saved. Come back to finish before the round closes."));
    int64_t mine = 0;
    db_one_int(r->db, &mine, "SELECT count(*) FROM survey_participant WHERE round_id = ? AND person_id = ?", "ii", rd.id, r->who.person_id);
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    if (strcmp(rd.status, "open") == 0) surveys_page_you_said(r, &sv, &rd, factor_label);
    if (strcmp(rd.status, "open") != 0) {
        html_printf(b, "<p>%h</p>", strcmp(rd.status, "closed") == 0 ? T(r, "This round is closed.") : T(r, "This round has not opened yet."));
        if (strcmp(rd.status, "closed") == 0) html_printf(b, "<p><a href=\"/surveys/%D/rounds/%D/results\">%h</a></p>", sv.id, rd.id, T(r, "See the results"));
    } else if (mine) {
        html_printf(b, "<p>%h</p>", T(r, "Thank you: you have answered this round."));
    } else if (!survey_audience_has(r->db, sv.id, &t, person_team(r->db, r->who.org_id, r->who.person_id))) {
        html_printf(b, "<p>%h</p>", T(r, "This survey is not for your team."));
    } else {
        html_printf(b, "<p class=\"lead\">%h %h. %h</p>", T(r, "Open until"), fmt_date(r, rd.closes_on),
                    T(r, "Your answers are stored without your name and without any time; your team's results show only when enough people have answered."));
        int nq;
        Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
        Answers ans = surveys_answers_new(r->arena, nq);
        surveys_draft_for(r, &rd, q, nq, &ans);
        answer_form(r, &sv, &rd, q, nq, &ans, NULL);
    }
    page_end(r);
    return 0;
}

/* POST /surveys/{id}/rounds/{round} (member): action=save keeps a draft,
 * action=finish sends the answers and shows the private reply link once. */
int surveys_page_answer_post(Req *r) {
    Survey sv;
    Round rd;
    if (load(r, &sv, &rd)) return -1;
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    Answers ans = surveys_answers_new(r->arena, nq);
    Errors e = {0};
    for (int i = 0; i < nq; i++) {
        char *name = arena_printf(r->arena, "q%lld", (long long)q[i].id);
        for (int f = 0; f < r->form.n; f++) {
            if (strcmp(r->form.items[f].name, name) != 0) continue;
            const char *v = r->form.items[f].value;
            if (q[i].kind == Q_TEXT) {
                char *t = str_trim(r->arena, v);
                if (utf8_chars(t) > 4000) err_add(&e, 422, "invalid", name, T(r, "Keep a comment to 4000 characters or fewer."));
                ans.has[i] = *t != 0;
                ans.texts[i] = t;
                continue;
            }
            int64_t x = -1;
            if (strcmp(v, "0") == 0) x = 0;
            else if (!parse_id(v, &x) || x > 1000) x = -1;
            if (x < 0 || !survey_value_ok(q[i].kind, (int)x, q[i].noptions) || (q[i].kind == Q_MULTI && x > 30)) {
                err_add(&e, 422, "invalid", name, T(r, "Pick one of the answers shown."));
                continue;
            }
            ans.has[i] = true;
            if (q[i].kind == Q_MULTI) ans.values[i] |= 1 << x;
            else ans.values[i] = (int)x;
        }
    }
    const char *action = req_form(r, "action");
    bool final = action && strcmp(action, "finish") == 0;
    char token[44];
    if (e.n == 0 && surveys_answer_form(r, &sv, &rd, q, nq, &ans, final, token, &e) == 0) {
        if (!final) {
            resp_redirect(r, arena_printf(r->arena, "/surveys/%lld/rounds/%lld?saved=1", (long long)sv.id, (long long)rd.id));
            return 0;
        }
        page_begin(r, sv.title);
        Buf *b = page(r);
        html_printf(b, "<h1>%h</h1><p class=\"flash\" role=\"status\">%h</p>", sv.title, T(r, "Thank you: your answers are in."));
        if (token[0])
            html_printf(b,
                        "<div class=\"card\"><h2>%h</h2><p>%h</p><p><a href=\"/survey-reply?token=%h\">%h</a></p><p><code>%h/survey-reply?token=%h</code></p></div>",
                        T(r, "Your private link"),
                        T(r, "Keep this link: it is the only way to read replies to your comment, and it is shown only now. Nobody else can see who holds it."),
                        token, T(r, "Read replies to your comment here"), "", token);
        page_end(r);
        return 0;
    }
    int status = e.status ? e.status : 422;
    page_begin(r, sv.title);
    html_printf(page(r), "<h1>%h</h1>", sv.title);
    if (status == 409 || status == 403) html_printf(page(r), "<p class=\"error\" role=\"alert\">%h</p>", e.items[0].msg);
    else answer_form(r, &sv, &rd, q, nq, &ans, &e);
    page_end(r);
    r->resp.status = status;
    return -1;
}

/* POST /surveys/{id}/rounds/{round}/close (admins or the survey's owner). */
int surveys_page_close(Req *r) {
    Survey sv;
    Round rd;
    if (load(r, &sv, &rd)) return -1;
    if (!surveys_may_manage(r, &sv)) return resp_error(r, 403, "forbidden", "Only admins and the survey's owner may close a round.");
    if (strcmp(rd.status, "open") != 0) return resp_error(r, 409, "not_open", "Only an open round can be closed.");
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    int rc = round_close(r->db, r->arena, rd.id, r->now);
    if (rc == 0) audit(r, "survey.close", arena_printf(r->arena, "survey:%lld", (long long)sv.id), "round %d closed early", rd.number);
    if (rc != 0 || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    resp_redirect(r, arena_printf(r->arena, "/surveys/%lld/rounds/%lld/results", (long long)sv.id, (long long)rd.id));
    return 0;
}

static const char *qtext_by_id(Req *r, const Question *q, int nq, int64_t id) {
    for (int i = 0; i < nq; i++)
        if (q[i].id == id) return qtext(r, &q[i]);
    return "";
}

static void num_cell(Req *r, json_t *v, const char *suffix) {
    if (json_is_number(v)) html_printf(page(r), "<td>%h%s</td>", fmt1(r, json_number_value(v)), suffix);
    else html_printf(page(r), "<td>%h</td>", T(r, "no data"));
}

/* heatmap: teams by factor beside the organisation's figure; a hidden cell
 * says so, distinct from "no data". */
static void heatmap(Req *r, json_t *res, json_t *org_factors, const Survey *sv, const Round *rd) {
    Buf *b = page(r);
    json_t *rows = json_object_get(res, "teams");
    if (!json_is_array(rows) || !json_array_size(rows) || !json_is_object(org_factors)) return;
    html_printf(b, "<h2>%h</h2><p>%h</p><div class=\"table-wrap\" tabindex=\"0\"><table class=\"heatmap\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
                T(r, "Teams by factor"), T(r, "Favourable answers in percent. A hidden cell means fewer people than the minimum answered, or showing it would let someone subtract their way to a small group."),
                T(r, "Team"), T(r, "Responses"));
    const char *f;
    json_t *v;
    json_object_foreach(org_factors, f, v) html_printf(b, "<th scope=\"col\">%h</th>", factor_label(r, f));
    html_printf(b, "</tr></thead><tbody><tr><th scope=\"row\">%h</th><td>%D</td>", T(r, "Organisation"), (int64_t)json_integer_value(json_object_get(res, "responses")));
    json_object_foreach(org_factors, f, v) num_cell(r, v, "");
    buf_puts(b, "</tr>");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        int64_t tid = json_integer_value(json_object_get(row, "team_id"));
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/surveys/%D/rounds/%D/results?team_id=%D\">%h</a></th>", sv->id, rd->id, tid, json_string_value(json_object_get(row, "name")));
        bool hid = json_is_true(json_object_get(row, "hidden")), none = json_is_true(json_object_get(row, "no_data"));
        if (hid || none) {
            const char *label = hid ? arena_printf(r->arena, T(r, "hidden (fewer than %d)"), sv->k) : T(r, "no data");
            html_printf(b, "<td class=\"%s\">%h</td>", hid ? "hidden" : "nodata", hid ? T(r, "hidden") : "0");
            json_object_foreach(org_factors, f, v) html_printf(b, "<td class=\"%s\">%h</td>", hid ? "hidden" : "nodata", label);
        } else {
            html_printf(b, "<td>%D</td>", (int64_t)json_integer_value(json_object_get(row, "responses")));
            json_t *tf = json_object_get(row, "factors");
            json_object_foreach(org_factors, f, v) num_cell(r, json_object_get(tf, f), "");
        }
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* sentiment_form: an admin's correction of a comment's sentiment (kept as
 * an override beside the computed one, which stays shown). */
static void sentiment_form(Req *r, json_t *c, const Survey *sv, const Round *rd, int64_t team_id) {
    Buf *b = page(r);
    int64_t cid = json_integer_value(json_object_get(c, "id"));
    json_t *ov = json_object_get(c, "override");
    const char *cur = json_is_string(ov) ? json_string_value(ov) : "";
    form_begin(r, arena_printf(r->arena, "/survey-comments/%lld/sentiment", (long long)cid), NULL);
    html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"/surveys/%D/rounds/%D/results?team_id=%D\">", sv->id, rd->id, team_id);
    html_printf(b, "<div class=\"field inline\"><label for=\"sent-%D\">%h</label> <select id=\"sent-%D\" name=\"sentiment\">", cid,
                arena_printf(r->arena, T(r, "Correct the sentiment (computed: %s)"), T(r, sentiment_label(json_string_value(json_object_get(c, "computed_sentiment"))))), cid);
    static const char *const CHOICES[] = {"", N_("positive"), N_("neutral"), N_("negative")};
    for (int i = 0; i < 4; i++)
        html_printf(b, "<option value=\"%h\"%s>%h</option>", CHOICES[i][0] ? CHOICES[i] : "computed", strcmp(cur, CHOICES[i]) == 0 ? " selected" : "",
                    CHOICES[i][0] ? T(r, CHOICES[i]) : T(r, "as computed"));
    html_printf(b, "</select> <button type=\"submit\" class=\"secondary\">%h</button></div></form>", T(r, "Save the sentiment"));
}

/* GET /surveys/{id}/rounds/{round}/results?team_id= (member): a closed
 * round's results for a group the caller may see. */
int surveys_page_results(Req *r) {
    Survey sv;
    Round rd;
    if (load(r, &sv, &rd)) return -1;
    if (strcmp(rd.status, "closed") != 0) return resp_error(r, 409, "not_closed", "Results appear when the round closes (%s).", rd.closes_on);
    Tree t;
    tree_load_closed(r->db, r->arena, sv.org_id, rd.id, &t);
    const char *ts = req_query(r, "team_id");
    int64_t tid = 0;
    if (ts && *ts && !parse_id(ts, &tid)) return resp_error(r, 400, "invalid_parameter", "team_id must be a team's id.");
    int node = tid ? tree_find(&t, tid) : 0;
    if (node < 0) return resp_error(r, 404, "not_found", "This round has no such team.");
    if (!survey_may_see_team(r, &t, node)) return resp_error(r, 403, "forbidden", "You may see the organisation's results, your own team's and those of the teams you lead.");
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    json_t *res = survey_results_json(r->db, r->arena, &sv, &rd, q, nq, &t, node, r->who.access >= ACCESS_MANAGER && node == 0, r);
    req_defer_json(r, res);
    page_begin(r, sv.title);
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h %d (%h – %h)%s%h</p>", sv.title, T(r, "Results of round"), rd.number, fmt_date(r, rd.opens_on), fmt_date(r, rd.closes_on), node ? ": " : "",
                node ? t.name[node] : "");
    /* the groups the caller may pick */
    html_printf(b, "<nav aria-label=\"%h\"><ul class=\"inline\"><li><a href=\"/surveys/%D/rounds/%D/results\">%h</a></li>", T(r, "Groups"), sv.id, rd.id, T(r, "Organisation"));
    for (int i = 1; i < t.n; i++)
        if (survey_may_see_team(r, &t, i) && r->who.access >= ACCESS_MANAGER) html_printf(b, "<li><a href=\"/surveys/%D/rounds/%D/results?team_id=%D\">%h</a></li>", sv.id, rd.id, t.id[i], t.name[i]);
    int64_t own = person_team(r->db, r->who.org_id, r->who.person_id);
    if (r->who.access < ACCESS_MANAGER && own && tree_find(&t, own) > 0)
        html_printf(b, "<li><a href=\"/surveys/%D/rounds/%D/results?team_id=%D\">%h</a></li>", sv.id, rd.id, own, T(r, "Your team"));
    buf_puts(b, "</ul></nav>");
    if (json_is_true(json_object_get(res, "hidden"))) {
        html_printf(b, "<p class=\"card\" role=\"status\">%h</p>",
                    arena_printf(r->arena, T(r, "Hidden: fewer than %d people answered in this group, or showing it would give a smaller group away. No figures are shown."), sv.k));
        page_end(r);
        return 0;
    }
    json_t *rate = json_object_get(res, "response_rate");
    html_printf(b, "<p>%h: <strong>%D</strong>", T(r, "Responses"), (int64_t)json_integer_value(json_object_get(res, "responses")));
    if (json_is_number(rate)) html_printf(b, " · %h: <strong>%h%%</strong>", T(r, "response rate"), fmt1(r, json_number_value(rate)));
    buf_puts(b, "</p>");
    json_t *en = json_object_get(res, "enps");
    if (json_is_object(en))
        html_printf(b, "<div class=\"card\"><h2>eNPS: %h</h2><p>%h %h%% · %h %h%% · %h %h%%</p></div>", fmt1(r, json_number_value(json_object_get(en, "score"))),
                    T(r, "promoters"), fmt1(r, json_number_value(json_object_get(en, "promoters"))), T(r, "passives"),
                    fmt1(r, json_number_value(json_object_get(en, "passives"))), T(r, "detractors"), fmt1(r, json_number_value(json_object_get(en, "detractors"))));
    json_t *fs = json_object_get(res, "factors");
    if (json_object_size(fs)) {
        html_printf(b, "<h2>%h</h2><div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>", T(r, "Factors"),
                    T(r, "Factor"), T(r, "Favourable (mean of its items, %)"));
        const char *f;
        json_t *v;
        json_object_foreach(fs, f, v) {
            html_printf(b, "<tr><th scope=\"row\">%h</th>", factor_label(r, f));
            num_cell(r, v, "");
            buf_puts(b, "</tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    html_printf(b, "<h2>%h</h2><div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">n</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Questions"), T(r, "Question"), T(r, "Mean"), T(r, "Favourable %"), T(r, "Answers by value"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(res, "questions"), i, x) {
        html_printf(b, "<tr><th scope=\"row\">%h</th><td>%D</td>", qtext_by_id(r, q, nq, json_integer_value(json_object_get(x, "question_id"))),
                    (int64_t)json_integer_value(json_object_get(x, "n")));
        num_cell(r, json_object_get(x, "mean"), "");
        num_cell(r, json_object_get(x, "favourable"), "");
        buf_puts(b, "<td>");
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(x, "distribution"), j, c) html_printf(b, "%s%D", j ? " · " : "", (int64_t)json_integer_value(c));
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
    json_t *tr = json_object_get(res, "trend");
    if (json_is_object(tr)) {
        html_printf(b, "<h2>%h</h2><p>%h %D; %h</p><div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                    T(r, "Trend"), T(r, "Compared with round"), (int64_t)json_integer_value(json_object_get(tr, "previous_number")),
                    T(r, "a change counts as larger than chance by a two-proportion z-test on favourability at 95%."), T(r, "Question"), T(r, "Before %"), T(r, "Now %"),
                    T(r, "Change (points)"), T(r, "Larger than chance?"));
        json_array_foreach(json_object_get(tr, "items"), i, x) {
            html_printf(b, "<tr><th scope=\"row\">%h</th>", qtext_by_id(r, q, nq, json_integer_value(json_object_get(x, "question_id"))));
            num_cell(r, json_object_get(x, "before"), "");
            num_cell(r, json_object_get(x, "after"), "");
            num_cell(r, json_object_get(x, "change"), "");
            html_printf(b, "<td>%h</td></tr>", json_is_true(json_object_get(x, "significant")) ? T(r, "yes") : T(r, "no"));
        }
        buf_puts(b, "</tbody></table></div>");
    }
    json_t *dr = json_object_get(res, "drivers");
    if (json_is_object(dr)) {
        html_printf(b, "<h2>%h</h2><p>%h</p>", T(r, "What moves with the outcome"), T(r, json_string_value(json_object_get(dr, "explanation"))));
        if (!json_is_true(json_object_get(dr, "shown"))) html_printf(b, "<p>%h</p>", T(r, "Too few answers in this group to show correlations (fewer than 30)."));
        else {
            html_printf(b, "<ul>");
            json_array_foreach(json_object_get(dr, "items"), i, x) {
                json_t *rv = json_object_get(x, "r");
                html_printf(b, "<li>%h: r = %h</li>", qtext_by_id(r, q, nq, json_integer_value(json_object_get(x, "question_id"))),
                            json_is_number(rv) ? fmtd(r, json_number_value(rv), 2) : "–");
            }
            buf_puts(b, "</ul>");
        }
    }
    heatmap(r, res, fs, &sv, &rd);
    surveys_page_plan_items(r, &sv, &rd, t.id[node], factor_label);
    if (req_query(r, "planned")) page_flash(r, T(r, "The action is in the plan."));
    if (surveys_plan_may_add(r, &sv, &t, node)) surveys_page_plan_form(r, &sv, &rd, q, nq, t.id[node], NULL, factor_label);
    html_printf(b, "<p class=\"hint\">%h</p>", T(r, "There is no breakdown by day or by a second attribute such as tenure: either could single people out."));
    /* comments, for those who may answer them */
    if (r->who.access >= ACCESS_MANAGER && (node > 0 || r->who.access >= ACCESS_ADMIN)) {
        bool shown;
        json_t *cs = survey_comments_json(r->db, r->arena, &sv, &rd, &t, node, &shown);
        req_defer_json(r, cs);
        html_printf(b, "<h2>%h</h2>", T(r, "Comments"));
        if (!shown) html_printf(b, "<p>%h</p>", arena_printf(r->arena, T(r, "Comments show when a group has at least %d of them."), sv.kc));
        json_array_foreach(cs, i, x) {
            html_printf(b, "<article class=\"card comment\"><p class=\"meta\">%h · <span class=\"badge\">%h</span>", json_string_value(json_object_get(x, "question")),
                        T(r, sentiment_label(json_string_value(json_object_get(x, "sentiment")))));
            json_t *w = json_object_get(x, "words");
            if (json_array_size(w)) {
                html_printf(b, " %h", T(r, "because of"));
                size_t j;
                json_t *wd;
                json_array_foreach(w, j, wd) html_printf(b, "%s “%h”", j ? "," : "", json_string_value(wd));
            }
            json_t *th = json_object_get(x, "themes");
            if (json_array_size(th)) {
                html_printf(b, " · %h:", T(r, "themes"));
                size_t j;
                json_t *wd;
                json_array_foreach(th, j, wd) html_printf(b, " %h", json_string_value(wd));
            }
            html_printf(b, "</p><blockquote>%h</blockquote>", json_string_value(json_object_get(x, "text")));
            if (r->who.access >= ACCESS_ADMIN) sentiment_form(r, x, &sv, &rd, t.id[node]);
            size_t j;
            json_t *rp;
            json_array_foreach(json_object_get(x, "replies"), j, rp) html_printf(b, "<p class=\"reply\"><strong>%h</strong> (%h): %h</p>", json_string_value(json_object_get(rp, "from")),
                                                                                 json_string_value(json_object_get(rp, "day")), json_string_value(json_object_get(rp, "text")));
            int64_t cid = json_integer_value(json_object_get(x, "id"));
            form_begin(r, arena_printf(r->arena, "/survey-comments/%lld/replies", (long long)cid), NULL);
            html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"/surveys/%D/rounds/%D/results?team_id=%D\">", sv.id, rd.id, t.id[node]);
            html_printf(b, "<div class=\"field\"><label for=\"reply-%D\">%h</label><textarea id=\"reply-%D\" name=\"text\" rows=\"2\"></textarea></div>", cid,
                        T(r, "Reply (with your name; only the writer reads it)"), cid);
            html_printf(b, "<div class=\"actions\"><button type=\"submit\">%h</button></div></form></article>", T(r, "Send reply"));
        }
    }
    page_end(r);
    return 0;
}

/* POST /survey-comments/{id}/replies (manager): text, back. */
int surveys_page_reply(Req *r) {
    Errors e = {0};
    if (surveys_reply_named(r, r->params[0], req_form(r, "text"), &e) != 0) return resp_error(r, e.status ? e.status : 422, e.code ? e.code : "invalid", "%s", e.items[0].msg);
    const char *back = req_form(r, "back");
    resp_redirect(r, back && strncmp(back, "/surveys/", 9) == 0 && !strstr(back, "//") ? back : "/surveys");
    return 0;
}

/* private_page: the writer's comments with their replies, by the link. */
static int private_page(Req *r, const char *token, const Errors *e) {
    int64_t ids[20];
    int n = surveys_token_comments(r->db, r->arena, token, ids, 20);
    r->no_trace = true;
    if (!n) return resp_error(r, 404, "not_found", "There are no comments at this link.");
    page_begin(r, T(r, "Replies to your comment"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Replies to your comment"),
                T(r, "Only you can open this page: nobody knows who holds the link. Your answers here stay anonymous and show only the day."));
    if (e && e->n) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[0].msg);
    for (int i = 0; i < n; i++) {
        json_t *c = surveys_conversation_json(r->db, r->arena, ids[i]);
        req_defer_json(r, c);
        html_printf(b, "<article class=\"card\"><p class=\"meta\">%h · %h</p><blockquote>%h</blockquote>", json_string_value(json_object_get(c, "survey")),
                    json_string_value(json_object_get(c, "question")), json_string_value(json_object_get(c, "text")));
        size_t j;
        json_t *rp;
        json_array_foreach(json_object_get(c, "replies"), j, rp) {
            json_t *from = json_object_get(rp, "from");
            html_printf(b, "<p class=\"reply\"><strong>%h</strong> (%h): %h</p>", json_is_string(from) ? json_string_value(from) : T(r, "You"),
                        json_string_value(json_object_get(rp, "day")), json_string_value(json_object_get(rp, "text")));
        }
        if (!json_array_size(json_object_get(c, "replies"))) html_printf(b, "<p>%h</p>", T(r, "No reply yet."));
        html_printf(b,
                    "<form method=\"post\" action=\"/survey-reply\"><input type=\"hidden\" name=\"token\" value=\"%h\"><input type=\"hidden\" name=\"comment_id\" value=\"%D\">"
                    "<div class=\"field\"><label for=\"answer-%D\">%h</label><textarea id=\"answer-%D\" name=\"text\" rows=\"3\"></textarea></div>"
                    "<div class=\"actions\"><button type=\"submit\">%h</button></div></form></article>",
                    token, ids[i], ids[i], T(r, "Answer anonymously"), ids[i], T(r, "Send"));
    }
    page_end(r);
    return 0;
}

/* GET /survey-reply?token= (public). */
int surveys_page_private(Req *r) { return private_page(r, req_query(r, "token"), NULL); }

/* POST /survey-reply (public): token, comment_id, text. */
int surveys_page_private_post(Req *r) {
    const char *token = req_form(r, "token");
    int64_t cid = 0;
    parse_id(req_form(r, "comment_id") ? req_form(r, "comment_id") : "", &cid);
    Errors e = {0};
    if (surveys_reply_anonymous(r, token, cid, req_form(r, "text"), &e) != 0) {
        if (e.status == 404) return resp_error(r, 404, "not_found", "There are no comments at this link.");
        int rc = private_page(r, token, &e);
        r->resp.status = e.status ? e.status : 422;
        return rc ? rc : -1;
    }
    Buf u = {0};
    html_printf(&u, "/survey-reply?token=%u", token);
    resp_redirect(r, buf_cstr(&u));
    buf_free(&u);
    return 0;
}

/* POST /surveys/{id}/rounds/{round}/actions (manager): an action from a
 * result (surveyplan.c). */
int surveys_page_plan_add(Req *r) { return surveys_page_plan_post(r, factor_label); }

/* POST /survey-comments/{id}/sentiment (admin): sentiment (positive,
 * neutral, negative, or "computed" to remove the correction), back. */
int surveys_page_sentiment(Req *r) {
    const char *v = req_form(r, "sentiment");
    int label = v && strcmp(v, "computed") == 0 ? -3 : sentiment_parse(v);
    if (label == -2) return resp_error(r, 422, "invalid", "%s", T(r, "Pick positive, neutral, negative or as computed."));
    Errors e = {0};
    if (surveys_comment_sentiment(r, r->params[0], label, &e) != 0) return resp_error(r, e.status ? e.status : 422, e.code ? e.code : "invalid", "%s", e.items[0].msg);
    const char *back = req_form(r, "back");
    resp_redirect(r, back && strncmp(back, "/surveys/", 9) == 0 && !strstr(back, "//") ? back : "/surveys");
    return 0;
}

/* surveys_render_lessons: the learning library's "we did" lessons: actions
 * of survey action plans that are done, each with what the result said,
 * only those the caller may see (surveys_may_see: the result it came from).
 * q: the search words (NULL: the latest), matched in the action's and the
 * survey's titles. */
void surveys_render_lessons(Req *r, const char *q) {
    char *like = q && *q ? arena_printf(r->arena, "%%%s%%", q) : NULL;
    Stmt *s = db_q(r->db,
                   "SELECT p.id, s.title, p.factor, qq.text, p.favourable, a.title, a.updated_at FROM survey_plan p JOIN survey s ON s.id = p.survey_id "
                   "JOIN action_item a ON a.id = p.action_id AND a.org_id = p.org_id LEFT JOIN survey_question qq ON qq.id = p.question_id "
                   "WHERE p.org_id = ? AND a.status = 'done' AND (? IS NULL OR lower(a.title) LIKE lower(?) OR lower(s.title) LIKE lower(?)) "
                   "ORDER BY a.updated_at DESC, p.id DESC LIMIT 60",
                   "ittt", r->who.org_id, like, like, like);
    Buf *b = page(r);
    int n = 0, max = like ? 20 : 10;
    while (n < max && db_step(s) == DB_ROW) {
        if (!surveys_may_see(r, db_int(s, 0))) continue;
        if (!n++) html_printf(b, "<section class=\"lessons-surveys\" aria-labelledby=\"survey-lessons\"><h2 id=\"survey-lessons\">%h</h2><ul class=\"plain\">",
                              T(r, "You said, we did: actions from surveys"));
        const char *what = db_null(s, 2) ? db_text(s, 3) : factor_label(r, db_text(s, 2));
        html_printf(b, "<li class=\"card lesson\"><p><strong>%h</strong> %h", T(r, "You said:"), what ? what : "");
        if (!db_null(s, 4)) html_printf(b, " <span class=\"muted\">(%h)</span>", arena_printf(r->arena, T(r, "%s%% favourable"), arena_printf(r->arena, "%.0f", strtod(db_text(s, 4), NULL))));
        html_printf(b, "</p><p><strong>%h</strong> %h <span class=\"muted\">· %h · <time datetime=\"%h\">%h</time></span></p></li>", T(r, "We did:"), db_text(s, 5),
                    db_text(s, 1), anon_date(r->arena, db_int(s, 6)), fmt_date(r, anon_date(r->arena, db_int(s, 6))));
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul></section>");
}
