/* auditlog.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int auditlog_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int auditlog_page(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
