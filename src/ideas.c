/* ideas.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"

int ideas_api_list(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_similar(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_mine(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_get(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_vote(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_unvote(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_comments(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_comment(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_stage(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_api_follow(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_create(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_mine(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_view(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_vote(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_comment(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_stage(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int ideas_page_follow(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
void ideas_render_list(Req *r, const Challenge *c, const char *sort) { (void)r; (void)c; (void)sort; }
void ideas_render_submit(Req *r, const Challenge *c) { (void)r; (void)c; }
