/* roles.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int roles_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_patch(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_delete(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_holder_add(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_holder_remove(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_api_acknowledge(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_new(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_new_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_edit(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_edit_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_delete(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_holder_add(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_holder_remove(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int roles_page_acknowledge(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
