/* insights.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int insights_api_decisions(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int insights_page(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
