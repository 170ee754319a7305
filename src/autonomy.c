/* autonomy.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int autonomy_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_api_accept(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_api_reject(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_page_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_page_accept(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int autonomy_page_reject(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
void autonomy_recompute(Db *db, Arena *a, int64_t org_id, int64_t person_id, int64_t domain_id, int64_t now) { (void)db; (void)a; (void)org_id; (void)person_id; (void)domain_id; (void)now; }
