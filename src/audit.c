/* audit.c: the append-only audit log: who changed what and when. Called
 * inside the transaction of the change it records, so both land or neither.
 * Details never carry secrets (passwords, tokens). */
#include "remit.h"
#include <stdio.h>

static const char SQL_AUDIT[] = "INSERT INTO audit(org_id, at, actor_id, action, object, detail) VALUES (?, ?, ?, ?, ?, ?)";

void audit_db(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *action, const char *object, const char *detail) {
    if (actor_id) db_exec(db, SQL_AUDIT, "iiittt", org_id, now, actor_id, action, object, detail ? detail : "");
    else db_exec(db, SQL_AUDIT, "iinttt", org_id, now, action, object, detail ? detail : "");
}

void audit(Req *r, const char *action, const char *object, const char *fmt, ...) {
    char detail[1024] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    audit_db(r->db, r->who.org_id, r->who.person_id, r->now, action, object, detail);
}
