/* import.c: STUB, being written. */
#include "remit.h"
#include "handlers.h"

int import_api_people(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int import_page_people(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int import_page_people_post(Req *r) { return resp_error(r, 501, "not_implemented", "Not yet."); }
int people_import_csv(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *csv, size_t len, Buf *problems, int *imported) { (void)db; (void)org_id; (void)actor_id; (void)now; (void)csv; (void)len; buf_puts(problems, "not yet\n"); *imported = 0; return -1; }
