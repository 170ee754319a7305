/* demo_surveys.c: placeholder */
#include "surveys.h"
#include "handlers.h"
int demo_surveys(Db *db, int64_t org_id, int64_t now, bool large) { (void)db; (void)org_id; (void)now; (void)large; return 0; }
