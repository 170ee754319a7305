/* ideainsights.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"

int ideainsights_api(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideainsights_page(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
