/* check.h: the unit-test harness. CHECK(name, cond) prints "ok - name" or
 * "not ok - name (file:line)"; tests/run counts those lines. Names are
 * greppable ("esc-1.2: quotes are escaped"). */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
static int check_failed;
#define CHECK(name, cond)                                                              \
    do {                                                                               \
        if (cond) printf("ok - %s\n", name);                                           \
        else {                                                                         \
            printf("not ok - %s (%s:%d)\n", name, __FILE__, __LINE__);                 \
            check_failed++;                                                            \
        }                                                                              \
    } while (0)
#define CHECK_DONE() return check_failed ? 1 : 0
#endif
