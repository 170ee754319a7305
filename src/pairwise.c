/* pairwise.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"

int pairwise_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int pairwise_api_choose(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int pairwise_api_reviews(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int pairwise_api_review(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int pairwise_page(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int pairwise_page_choose(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int pairwise_page_review(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
void reviews_render_matrix(Req *r, const Challenge *c) { (void)r; (void)c; }
