/* csv.c: fuzzes people_import_csv, which reads uploaded CSV files, into an
 * in-memory database holding one organisation: an owner, a team "Kitchen"
 * and one member, so the paths for existing teams, managers and e-mails are
 * reachable. Every input starts from that state. An import is all rows or
 * none, reported line by line: that is what is checked. */
#include "fuzz.h"
#include "handlers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Db *db;
static int64_t org, owner;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    db = fuzz_db_open();
    int64_t now = now_seconds();
    int rc = db_exec(db, "INSERT INTO org(name, created_at) VALUES ('Fuzz Org', ?)", "i", now);
    org = db_last_id(db);
    rc |= db_exec(db, "INSERT INTO person(org_id, name, email, email_lc, access, created_at) VALUES (?, 'Olive Owner', 'owner@fuzz.test', 'owner@fuzz.test', 'owner', ?)",
                  "ii", org, now);
    owner = db_last_id(db);
    rc |= db_exec(db, "INSERT INTO team(org_id, name, lead_id, created_at) VALUES (?, 'Kitchen', ?, ?)", "iii", org, owner, now);
    rc |= db_exec(db, "INSERT INTO person(org_id, name, email, email_lc, team_id, manager_id, created_at) "
                      "VALUES (?, 'Ana Lima', 'Ana@Fuzz.test', 'ana@fuzz.test', ?, ?, ?)",
                  "iiii", org, db_last_id(db), owner, now);
    if (rc != DB_OK) fuzz_fail("seeding: %s", db_errmsg(db));
    fuzz_db_snapshot();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_db_restore();
    int64_t before = fuzz_db_int(db, "SELECT count(*) FROM person");
    Buf problems = {0};
    int imported = -1;
    int rc = people_import_csv(db, org, owner, 1767225600, (const char *)data, size, &problems, &imported);
    int64_t after = fuzz_db_int(db, "SELECT count(*) FROM person");
    FUZZ_CHECK(!db_in_tx(db), "the import left a transaction open");
    FUZZ_CHECK(rc == 0 || rc == -1, "people_import_csv returned %d: %s", rc, buf_cstr(&problems));
    if (rc == 0) {
        FUZZ_CHECK(imported > 0 && problems.len == 0, "imported %d with problems \"%s\"", imported, buf_cstr(&problems));
        FUZZ_CHECK(after == before + imported, "imported %d but the people went from %lld to %lld", imported, (long long)before, (long long)after);
        FUZZ_CHECK(fuzz_db_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0, "the import broke a foreign key");
        FUZZ_CHECK(fuzz_db_int(db, "SELECT count(*) FROM person WHERE access = 'owner'") == 1, "the import made an owner");
        FUZZ_CHECK(fuzz_db_int(db, "SELECT count(*) FROM person p JOIN person m ON m.id = p.manager_id WHERE m.org_id <> p.org_id OR m.id = p.id") == 0,
                   "a manager from elsewhere, or oneself");
    } else {
        FUZZ_CHECK(imported == 0 && after == before, "a refused import wrote %lld people", (long long)(after - before));
        const char *p = buf_cstr(&problems);
        FUZZ_CHECK(*p, "refused without a problem");
        int last = 0;
        while (*p) { /* "line N: message\n", in line order, one line each */
            int line = 0, off = 0;
            FUZZ_CHECK(sscanf(p, "line %d: %n", &line, &off) == 1 && off > 0 && line >= 1 && line >= last, "a problem without its line: %s", p);
            const char *e = strchr(p, '\n');
            FUZZ_CHECK(e != NULL, "a problem without its newline");
            for (const char *c = p; c < e; c++) FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f, "a control character in \"%.*s\"", (int)(e - p), p);
            last = line;
            p = e + 1;
        }
    }
    buf_free(&problems);
    return 0;
}
