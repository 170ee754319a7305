/* fuzz.h: what the libFuzzer targets in fuzz/ share: a failed invariant,
 * a database held in memory that every input starts from afresh, and the
 * checks on HTML that must hold whatever the input was. Each target is one
 * file, fuzz/TARGET.c, linked with every module of src/ but main.c; its seed
 * corpus is fuzz/corpus/TARGET/. See fuzz/README.md. */
#ifndef FUZZ_H
#define FUZZ_H
#include "remit.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* fuzz_fail: a broken invariant: prints why and aborts, which libFuzzer
 * reports as a crash and saves the input. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define FUZZ_CHECK(cond, ...)                        \
    do {                                             \
        if (!(cond)) fuzz_fail(__VA_ARGS__);         \
    } while (0)

/* fuzz_cstr: data as a NUL-terminated malloc'd copy (the caller frees). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* The database: fuzz_db_open makes a migrated in-memory database (SQLite's
 * memdb VFS, so a second connection can reach it by name) and keeps it for
 * the whole run. After seeding it, fuzz_db_snapshot saves its state;
 * fuzz_db_restore puts that state back, so each input sees the same data
 * and a crash reproduces from its input alone. */
Db *fuzz_db_open(void);
void fuzz_db_snapshot(void);
void fuzz_db_restore(void);
int64_t fuzz_db_int(Db *db, const char *sql); /* a one-value query; aborts if it yields no row */

/* fuzz_quiet / fuzz_loud: stdout to /dev/null and back, for chatty seeding. */
void fuzz_quiet(void);
void fuzz_loud(void);

/* fuzz_check_urls: every href="..." and src="..." in html is relative or
 * uses http, https or mailto, as a browser would read it. */
void fuzz_check_urls(const char *html, size_t len, const char *what);
/* fuzz_check_tags: no tag in html has an event handler (on...=) or an
 * attribute name with a quote in it (markup cut or spliced). */
void fuzz_check_tags(const char *html, size_t len, const char *what);
/* fuzz_count_ci: how often needle (lower case) occurs in s, ignoring case. */
size_t fuzz_count_ci(const char *s, size_t len, const char *needle);

#endif
