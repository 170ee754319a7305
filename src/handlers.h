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

/* shared between features */
void goals_render_tree(Req *r); /* the goal tree under the purpose, for /org */
int people_import_csv(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *csv, size_t len, Buf *problems, int *imported);

#endif
