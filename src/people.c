/* people.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int people_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_api_patch(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_api_set_password(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_page_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_page_new(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_page_new_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_page_edit(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_page_edit_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
