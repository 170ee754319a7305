/* decisions.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int decisions_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_advice(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_decide(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_approve(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_decline(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_withdraw(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_outcome(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_api_inbox(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_new(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_new_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_advice(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_decide(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_approve(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_decline(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_withdraw(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_outcome(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_inbox(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int decisions_page_learning(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
void decisions_reroute_person(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t now) { (void)db; (void)a; (void)org_id; (void)person_id; (void)now; }
void notify(Db *db, int64_t org_id, int64_t person_id, int64_t now, const char *kind, const char *text, const char *link) { (void)db; (void)org_id; (void)person_id; (void)now; (void)kind; (void)text; (void)link; }
