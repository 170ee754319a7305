/* rights.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int rights_api_domains(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_domain_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_domain_patch(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_patch(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_delete(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_api_history(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_domains(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_domain_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_domain_update(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_new(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_new_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_edit(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_edit_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int rights_page_delete(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
