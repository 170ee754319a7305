/* goals.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int goals_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_api_patch(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_api_delete(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_page_new(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_page_new_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_page_edit(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_page_edit_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int goals_page_delete(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
void goals_render_tree(Req *r) { (void)r; }
