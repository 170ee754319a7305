/* handlers.h: every route handler, one per line of routes.c. A handler
 * answers through r->resp and returns 0, or -1 after sending an error. */
#ifndef HANDLERS_H
#define HANDLERS_H
#include "remit.h"

int sys_healthz(Req *r);
int sys_asset(Req *r);
int sys_openapi(Req *r);
int session_page_login(Req *r);
int session_page_login_post(Req *r);
int session_page_logout(Req *r);
int session_page_account(Req *r);
int session_page_password(Req *r);
int session_api_create(Req *r);
int session_api_get(Req *r);
int session_api_delete(Req *r);
int session_api_password(Req *r);
int home_page(Req *r);
int home_api(Req *r);
int org_page(Req *r);
int org_page_edit(Req *r);
int org_page_edit_post(Req *r);
int org_api_get(Req *r);
int org_api_patch(Req *r);
int goals_api_list(Req *r);
int goals_api_create(Req *r);
int goals_api_get(Req *r);
int goals_api_patch(Req *r);
int goals_api_delete(Req *r);
int goals_page_new(Req *r);
int goals_page_new_post(Req *r);
int goals_page_view(Req *r);
int goals_page_edit(Req *r);
int goals_page_edit_post(Req *r);
int goals_page_delete(Req *r);
int teams_api_list(Req *r);
int teams_api_create(Req *r);
int teams_api_get(Req *r);
int teams_api_patch(Req *r);
int teams_api_delete(Req *r);
int teams_page_list(Req *r);
int teams_page_new(Req *r);
int teams_page_new_post(Req *r);
int teams_page_view(Req *r);
int teams_page_edit(Req *r);
int teams_page_edit_post(Req *r);
int teams_page_delete(Req *r);
int people_api_list(Req *r);
int people_api_create(Req *r);
int people_api_get(Req *r);
int people_api_patch(Req *r);
int people_api_set_password(Req *r);
int import_api_people(Req *r);
int people_page_list(Req *r);
int people_page_new(Req *r);
int people_page_new_post(Req *r);
int import_page_people(Req *r);
int import_page_people_post(Req *r);
int people_page_view(Req *r);
int people_page_edit(Req *r);
int people_page_edit_post(Req *r);
int auditlog_api_list(Req *r);
int auditlog_page(Req *r);
int roles_api_list(Req *r);
int roles_api_create(Req *r);
int roles_api_get(Req *r);
int roles_api_patch(Req *r);
int roles_api_delete(Req *r);
int roles_api_holder_add(Req *r);
int roles_api_holder_remove(Req *r);
int roles_api_acknowledge(Req *r);
int roles_page_list(Req *r);
int roles_page_new(Req *r);
int roles_page_new_post(Req *r);
int roles_page_view(Req *r);
int roles_page_edit(Req *r);
int roles_page_edit_post(Req *r);
int roles_page_delete(Req *r);
int roles_page_holder_add(Req *r);
int roles_page_holder_remove(Req *r);
int roles_page_acknowledge(Req *r);
int rights_api_domains(Req *r);
int rights_api_domain_create(Req *r);
int rights_api_domain_patch(Req *r);
int rights_api_list(Req *r);
int rights_api_create(Req *r);
int rights_api_get(Req *r);
int rights_api_patch(Req *r);
int rights_api_delete(Req *r);
int rights_api_history(Req *r);
int rights_page_domains(Req *r);
int rights_page_domain_create(Req *r);
int rights_page_domain_update(Req *r);
int rights_page_list(Req *r);
int rights_page_new(Req *r);
int rights_page_new_post(Req *r);
int rights_page_view(Req *r);
int rights_page_edit(Req *r);
int rights_page_edit_post(Req *r);
int rights_page_delete(Req *r);
int can_api_ask(Req *r);
int can_page(Req *r);
int decisions_api_list(Req *r);
int decisions_api_create(Req *r);
int decisions_api_get(Req *r);
int decisions_api_advice(Req *r);
int decisions_api_decide(Req *r);
int decisions_api_approve(Req *r);
int decisions_api_decline(Req *r);
int decisions_api_withdraw(Req *r);
int decisions_api_outcome(Req *r);
int decisions_api_inbox(Req *r);
int decisions_page_list(Req *r);
int decisions_page_new(Req *r);
int decisions_page_new_post(Req *r);
int decisions_page_view(Req *r);
int decisions_page_advice(Req *r);
int decisions_page_decide(Req *r);
int decisions_page_approve(Req *r);
int decisions_page_decline(Req *r);
int decisions_page_withdraw(Req *r);
int decisions_page_outcome(Req *r);
int decisions_page_inbox(Req *r);
int decisions_page_learning(Req *r);
int autonomy_api_list(Req *r);
int autonomy_api_get(Req *r);
int autonomy_api_accept(Req *r);
int autonomy_api_reject(Req *r);
int autonomy_page_list(Req *r);
int autonomy_page_view(Req *r);
int autonomy_page_accept(Req *r);
int autonomy_page_reject(Req *r);
int insights_api_decisions(Req *r);
int insights_page(Req *r);
int challenges_api_list(Req *r);
int challenges_api_create(Req *r);
int challenges_api_get(Req *r);
int challenges_api_patch(Req *r);
int challenges_api_reviewer_add(Req *r);
int challenges_api_reviewer_remove(Req *r);
int ideas_api_list(Req *r);
int ideas_api_create(Req *r);
int ideas_release_pending(Db *db, int64_t today); /* anon.c's releaser for ideas */
int64_t ideas_new_id(Db *db);                     /* random, free; 0 busy */
int ideas_api_similar(Req *r);
int pairwise_api_get(Req *r);
int pairwise_api_choose(Req *r);
int ideas_api_mine(Req *r);
int ideas_api_get(Req *r);
int ideas_api_vote(Req *r);
int ideas_api_unvote(Req *r);
int ideas_api_comments(Req *r);
int ideas_api_comment(Req *r);
int ideas_api_stage(Req *r);
int pairwise_api_reviews(Req *r);
int pairwise_api_review(Req *r);
int ideas_api_follow(Req *r);
int ideainsights_api(Req *r);
int challenges_page_list(Req *r);
int challenges_page_new(Req *r);
int challenges_page_new_post(Req *r);
int challenges_page_view(Req *r);
int challenges_page_edit(Req *r);
int challenges_page_edit_post(Req *r);
int challenges_page_reviewer_add(Req *r);
int ideas_page_create(Req *r);
int pairwise_page(Req *r);
int pairwise_page_choose(Req *r);
int ideas_page_mine(Req *r);
int ideas_page_view(Req *r);
int ideas_page_vote(Req *r);
int ideas_page_comment(Req *r);
int ideas_page_stage(Req *r);
int pairwise_page_review(Req *r);
int ideas_page_follow(Req *r);
int ideainsights_page(Req *r);
int notify_page_unsubscribe(Req *r);
int notify_page_unsubscribe_post(Req *r);
int notify_api_prefs(Req *r);
int notify_api_prefs_put(Req *r);
int notify_page_prefs(Req *r);
int notify_page_prefs_post(Req *r);
int hooks_api_list(Req *r);
int hooks_api_create(Req *r);
int hooks_api_delete(Req *r);
int hooks_page(Req *r);
int hooks_page_create(Req *r);
int hooks_page_delete(Req *r);
int hooks_api_outbox(Req *r);
int hooks_page_outbox(Req *r);
int invite_api_person(Req *r);
int invite_page_person(Req *r);
int invite_api_reset(Req *r);
int invite_api_complete(Req *r);
int invite_page_forgot(Req *r);
int invite_page_forgot_post(Req *r);
int invite_page_set(Req *r);
int invite_page_set_post(Req *r);
int actions_api_list(Req *r);
int actions_api_create(Req *r);
int actions_api_patch(Req *r);
int actions_page(Req *r);
int actions_page_update(Req *r);

int surveys_api_list(Req *r);
int surveys_api_create(Req *r);
int surveys_api_get(Req *r);
int surveys_api_patch(Req *r);
int surveys_api_rounds(Req *r);
int surveys_api_respond(Req *r);
int surveys_api_draft(Req *r);
int surveys_api_close(Req *r);
int surveys_api_results(Req *r);
int surveys_api_comments(Req *r);
int surveys_api_reply(Req *r);
int surveys_api_comment_patch(Req *r);
int surveys_api_replies(Req *r);
int surveys_api_reply_anonymous(Req *r);
int surveys_page_list(Req *r);
int surveys_page_new(Req *r);
int surveys_page_new_post(Req *r);
int surveys_page_view(Req *r);
int surveys_page_answer(Req *r);
int surveys_page_answer_post(Req *r);
int surveys_page_close(Req *r);
int surveys_page_results(Req *r);
int surveys_page_reply(Req *r);
int surveys_page_private(Req *r);
int surveys_page_private_post(Req *r);
/* surveys.c: the maintenance tick's share (opening, reminding, closing
 * rounds), and whether the caller may see a survey (the action items'
 * "survey" source kind). */
int surveys_tick(Db *db, int64_t now);
/* surveyplan.c: action plans from results; surveys_may_see answers for a
 * plan item (survey_plan id), the action items' "survey" source. */
bool surveys_may_see(Req *r, int64_t plan_id);
void surveys_render_lessons(Req *r, const char *q); /* the learning library's "we did" lessons (surveypages.c) */
int surveys_api_plan(Req *r);
int surveys_api_plan_add(Req *r);
int surveys_page_plan_add(Req *r);
int surveys_page_sentiment(Req *r);
/* suggest.c: the suggestion box; its releaser is in anon.c's table */
int suggestions_release_pending(Db *db, int64_t today);
int suggest_api_boxes(Req *r);
int suggest_api_box_put(Req *r);
int suggest_api_write(Req *r);
int suggest_api_list(Req *r);
int suggest_api_answer(Req *r);
int suggest_api_decline(Req *r);
int suggest_api_follow(Req *r);
int suggest_page(Req *r);
int suggest_page_write(Req *r);
int suggest_page_box(Req *r);
int suggest_page_answer(Req *r);
int suggest_page_decline(Req *r);
int suggest_page_follow(Req *r);
void suggest_home_items(Req *r, Home *h);

/* shared between features */
void goals_render_tree(Req *r); /* the goal tree under the purpose, for /org */
int people_import_csv(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *csv, size_t len, Buf *problems, int *imported);
/* roles.c: the "Roles" card on a person's page */
void roles_render_for_person(Req *r, int64_t person_id);
/* insights.c: the p-th percentile (0-100) of v, which it sorts; NAN when
 * n is 0. Shared by the decision and idea insights. */
double percentile(double *v, int n, double p);
int insights_period(Req *r, int64_t *from_day, int64_t *to_day); /* ?from= ?to=; 400 sent on bad dates */
/* rights.c: a right_history row with the right's state now, for changes
 * made elsewhere (earned autonomy); inside the caller's transaction. */
int rights_record(Req *r, int64_t right_id, const char *action, const char *reason);
/* canask.c */
bool person_is_below(Db *db, int64_t org_id, int64_t person, int64_t boss);
int can_ask(Req *r, const char *person_s, const char *slug, const char *amount_s, CanResult *out, Domain *d, int64_t *amount);
json_t *can_json(const CanResult *c);
const char *verdict_headline(int v);
void can_box(Req *r, const char *slug, const char *amount, const CanResult *answer);
int can_cli(Db *db, int64_t org_id, const char *email, const char *slug, const char *amount_s);
/* decisions.c: a person who becomes away or left passes their pending
 * items up the chain (called inside the caller's transaction). */
void decisions_reroute_person(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t now);
/* notify.c: notify() and the other shared services are declared in notify.h */
#include "notify.h"
/* ideas.c: whether the caller may see idea id (the action items' source check) */
bool ideas_may_see(Req *r, int64_t id);
int people_import_csv_invite(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *csv, size_t len, Buf *problems, int *imported, bool invite);
/* autonomy.c: re-checks the evidence for one person and domain after an
 * outcome is recorded, and opens a suggestion when it passes the bar. */
void autonomy_recompute(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t domain_id, int64_t now);

/* home providers (shell.c's g_home_providers), each in its feature file */
void decisions_home_items(Req *r, Home *h);
void autonomy_home_items(Req *r, Home *h);
void autonomy_home_tiles(Req *r, Home *h);
void insights_home_tiles(Req *r, Home *h);
void ideainsights_home_tiles(Req *r, Home *h);
/* evidence (kpis.c) */
void kpis_home_tiles(Req *r, Home *h);
int kpis_api_list(Req *r);
int kpis_api_create(Req *r);
int kpis_api_patch(Req *r);
int kpis_api_series(Req *r);
int kpis_api_values(Req *r);
int kpis_page_dashboard(Req *r);
int kpis_page_view(Req *r);
int kpis_page_star(Req *r);
int kpis_page_target(Req *r);
int kpis_page_values(Req *r);
int kpis_page_new(Req *r);
int kpis_page_new_post(Req *r);
int kpis_page_report(Req *r);
/* evidence: the programme (programme.c) and the ROI table (roi.c) */
bool programme_may_see(Req *r, int64_t id);
void programme_home_tile(Req *r, Home *h);
int programme_api_get(Req *r);
int programme_api_put(Req *r);
int programme_api_action(Req *r);
int programme_api_comparison(Req *r);
int programme_page(Req *r);
int programme_page_post(Req *r);
int programme_page_action(Req *r);
int programme_page_comparison(Req *r);
int roi_api_get(Req *r);
int roi_api_put(Req *r);
int roi_api_idea_value(Req *r);
int roi_page(Req *r);
int roi_page_post(Req *r);
int roi_page_idea_value(Req *r);
void roi_render_idea_value(Req *r, int64_t idea_id, bool may);
/* rights.c: "What you may decide": the active rights a person holds through
 * their roles and personally, as a card (name NULL: the caller, "you") and
 * as JSON (a new array). */
void rights_render_for_person(Req *r, int64_t person_id, const char *name);
json_t *rights_json_for_person(Req *r, int64_t person_id);

/* just culture (issue 13): reports.c, reportreview.c, protocols.c, culpability.c, demo_reports.c */
int reports_api_list(Req *r);
int reports_api_create(Req *r);
int reports_api_get(Req *r);
int reports_api_patch(Req *r);
int reports_api_acknowledge(Req *r);
int reports_api_assess(Req *r);
int reports_api_assess_confirm(Req *r);
int reports_api_review_get(Req *r);
int reports_api_review_post(Req *r);
int reports_api_follow(Req *r);
int reports_api_settings(Req *r);
int reports_api_settings_put(Req *r);
int reports_api_insights(Req *r);
int reports_page_list(Req *r);
int reports_page_new(Req *r);
int reports_page_new_post(Req *r);
int reports_page_insights(Req *r);
int reports_page_settings(Req *r);
int reports_page_settings_post(Req *r);
int reports_page_view(Req *r);
int reports_page_acknowledge(Req *r);
int reports_page_triage(Req *r);
int reports_page_assess(Req *r);
int reports_page_assess_post(Req *r);
int reports_page_assess_confirm(Req *r);
int reports_page_review(Req *r);
int reports_page_review_post(Req *r);
int reports_page_follow(Req *r);
int protocols_api_list(Req *r);
int protocols_api_create(Req *r);
int protocols_api_get(Req *r);
int protocols_api_patch(Req *r);
int protocols_api_read(Req *r);
int protocols_api_ask(Req *r);
int protocols_api_decide(Req *r);
int protocols_page_list(Req *r);
int protocols_page_create(Req *r);
int protocols_page_view(Req *r);
int protocols_page_edit(Req *r);
int protocols_page_read(Req *r);
int protocols_page_ask(Req *r);
int protocols_page_decide(Req *r);
bool reports_may_see(Req *r, int64_t id);            /* the action items' "report" source */
bool protocols_may_see(Req *r, int64_t id);          /* the action items' "protocol" source (its review date) */
int reports_release_pending(Db *db, int64_t today);  /* anon.c's releaser for reports */
void reports_home_items(Req *r, Home *h);
void reports_render_lessons(Req *r, const char *match); /* the learning library's review lessons */
json_t *protocols_json_for_domain(Req *r, int64_t domain_id); /* "Can I?" and the decision form */
void protocols_render_for_domain(Req *r, int64_t domain_id);
int demo_reports(Db *db, int64_t org, int64_t now, bool large);

/* skills, training, fairness (skills.c, training.c, fairness.c) */
int skills_api_list(Req *r);
int skills_api_create(Req *r);
int skills_api_patch(Req *r);
int skills_api_role(Req *r);
int skills_api_role_put(Req *r);
int skills_api_person(Req *r);
int skills_api_person_put(Req *r);
int skills_api_team(Req *r);
int skills_page(Req *r);
int skills_page_create(Req *r);
int skills_page_need(Req *r);
int skills_page_person(Req *r);
int skills_page_person_post(Req *r);
int skills_page_team(Req *r);
int training_api_list(Req *r);
int training_api_create(Req *r);
int training_api_get(Req *r);
int training_api_suggestions(Req *r);
int training_api_plans(Req *r);
int training_api_plan_create(Req *r);
int training_api_approve(Req *r);
int training_api_reject(Req *r);
int training_api_complete(Req *r);
int training_page(Req *r);
int training_page_create(Req *r);
int training_page_view(Req *r);
int training_page_plan(Req *r);
int training_page_plan_act(Req *r);
int fairness_api(Req *r);
int fairness_page(Req *r);
int fairness_api_attributes(Req *r);
int fairness_api_attributes_delete(Req *r);
int fairness_page_attributes(Req *r);
void training_home_items(Req *r, Home *h); /* home: training plans waiting for the caller */
/* issue 14 part A: recognition.c, feedback.c, oneonone.c, review360.c (Grow) */
int recognition_api_create(Req *r);
int recognition_api_list(Req *r);
int recognition_api_get(Req *r);
int recognition_api_plus_one(Req *r);
int recognition_page_list(Req *r);
int recognition_page_create(Req *r);
int recognition_page_view(Req *r);
int recognition_page_plus_one(Req *r);
void recognition_home_items(Req *r, Home *h);
int recognition_prompts(Db *db, int64_t now);
/* people_remind: the Grow part's notification jobs (monthly recognition
 * prompts, one-to-one reminders the day before), beside actions_remind. */
int people_remind(Db *db, int64_t now);
int feedback_api_list(Req *r);
int feedback_api_create(Req *r);
int feedback_api_get(Req *r);
int feedback_api_share(Req *r);
int feedback_api_unshare(Req *r);
int feedback_api_requests(Req *r);
int feedback_api_ask(Req *r);
int feedback_api_decline(Req *r);
int feedback_page(Req *r);
int feedback_page_create(Req *r);
int feedback_page_ask(Req *r);
int feedback_page_decline(Req *r);
int feedback_page_share(Req *r);
void feedback_home_items(Req *r, Home *h);
int oneonone_api_list(Req *r);
int oneonone_api_create(Req *r);
int oneonone_api_get(Req *r);
int oneonone_api_patch(Req *r);
int oneonone_api_held(Req *r);
int oneonone_api_item(Req *r);
int oneonone_api_tick(Req *r);
int oneonone_api_note(Req *r);
int oneonone_api_action(Req *r);
int oneonone_page_list(Req *r);
int oneonone_page_view(Req *r);
int oneonone_page_create(Req *r);
int oneonone_page_item(Req *r);
int oneonone_page_tick(Req *r);
int oneonone_page_note(Req *r);
int oneonone_page_action(Req *r);
int oneonone_page_rhythm(Req *r);
int oneonone_page_held(Req *r);
void oneonone_home_items(Req *r, Home *h);
int oneonone_remind(Db *db, int64_t now);
bool oneonone_may_see(Req *r, int64_t id); /* the action items' "one_to_one" source */
int review360_api_list(Req *r);
int review360_api_create(Req *r);
int review360_api_get(Req *r);
int review360_api_answer(Req *r);
int review360_api_close(Req *r);
int review360_api_report(Req *r);
int review360_api_share(Req *r);
int review360_api_plan(Req *r);
int review360_api_behaviours(Req *r);
int review360_api_set_behaviours(Req *r);
int review360_page_list(Req *r);
int review360_page_create(Req *r);
int review360_page_view(Req *r);
int review360_page_answer(Req *r);
int review360_page_answer_post(Req *r);
int review360_page_close(Req *r);
int review360_page_share(Req *r);
int review360_page_plan(Req *r);
int review360_page_behaviours(Req *r);
int review360_page_behaviours_post(Req *r);
void review360_home_items(Req *r, Home *h);
bool review360_may_see(Req *r, int64_t id); /* the action items' "review360" source */
int demo_review360(Db *db, Arena *a, int64_t org, int64_t now);
int review360_tick(Db *db, int64_t now); /* reminders the day before closing; closes rounds past their day */
/* decisions.c: whether the caller may see decision id (recognition cites) */
bool decisions_may_see(Req *r, int64_t id);
#endif
