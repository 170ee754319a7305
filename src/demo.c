/* demo.c: STUB */
#include "cli.h"
int demo_create(Db *db, const char *pw_hash, const char *password_shown) { (void)db; (void)pw_hash; (void)password_shown; return -1; }
