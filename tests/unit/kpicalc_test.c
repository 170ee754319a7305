/* kpicalc_test.c: the evidence arithmetic (src/kpicalc.c) against values
 * worked out by hand in the comments. */
#include "check.h"
#include "evidence.h"
#include <math.h>
#include <string.h>

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

int main(void) {
    /* months and days */
    CHECK("kpi-1.1: 2025-03 is month 2025*12+2", ev_month_parse("2025-03") == 2025 * 12 + 2);
    CHECK("kpi-1.2: a date's month", ev_month_parse("2025-03-31") == 2025 * 12 + 2);
    CHECK("kpi-1.3: not a month", ev_month_parse("2025-13") == -1 && ev_month_parse("2025/03") == -1 && ev_month_parse("x") == -1);
    char m[8];
    ev_month_format(2024 * 12 + 11, m);
    CHECK("kpi-1.4: month formats back", strcmp(m, "2024-12") == 0);
    CHECK("kpi-1.5: 1970-01-01 is day 0", ev_day_parse("1970-01-01") == 0);
    CHECK("kpi-1.6: March 2025 has 31 days", ev_month_last_day(2025 * 12 + 2) - ev_month_first_day(2025 * 12 + 2) == 30);
    CHECK("kpi-1.7: February 2024 (leap) has 29 days", ev_month_last_day(2024 * 12 + 1) - ev_month_first_day(2024 * 12 + 1) == 28);
    CHECK("kpi-1.8: a day's month", ev_day_month(ev_day_parse("2025-03-31")) == 2025 * 12 + 2 && ev_day_month(ev_day_parse("2025-04-01")) == 2025 * 12 + 3);
    CHECK("kpi-1.9: leaving reasons", leave_reason_kind("resigned") == LEAVE_VOLUNTARY && leave_reason_kind("career") == LEAVE_VOLUNTARY &&
                                          leave_reason_kind("dismissed") == LEAVE_INVOLUNTARY && leave_reason_kind("contract_end") == LEAVE_INVOLUNTARY &&
                                          leave_reason_kind("other") == LEAVE_OTHER && !leave_reason_valid("fired") && !leave_reason_valid(NULL));

    /* turnover, by hand: A from 2025-01-01; B 2025-01-01 to 2025-03-10
     * (resigned); C 2025-01-15 to 2025-03-31 (dismissed); D from 2025-03-20.
     * January: first day A,B = 2, last day A,B,C = 3, average 2.5.
     * February: 3 and 3, average 3. March: first day A,B,C = 3, last day
     * A,D = 2 (C's last day is not counted: left_on is the first day away),
     * average 2.5; two separations, one voluntary, one involuntary. */
    EvPerson p[] = {{ev_day_parse("2025-01-01"), -1, 0},
                    {ev_day_parse("2025-01-01"), ev_day_parse("2025-03-10"), LEAVE_VOLUNTARY},
                    {ev_day_parse("2025-01-15"), ev_day_parse("2025-03-31"), LEAVE_INVOLUNTARY},
                    {ev_day_parse("2025-03-20"), -1, 0}};
    int jan = 2025 * 12, mar = 2025 * 12 + 2;
    EvTurnover t;
    ev_turnover(p, 4, mar, mar, &t);
    CHECK("kpi-2.1: March: 2 separations over 2.5 average headcount", t.seps == 2 && t.vol == 1 && t.invol == 1 && near(t.avg_headcount, 2.5));
    CHECK("kpi-2.2: March turnover is 80%", near(100.0 * t.seps / t.avg_headcount, 80.0));
    ev_turnover(p, 4, jan, jan, &t);
    CHECK("kpi-2.3: January: none left, average 2.5", t.seps == 0 && near(t.avg_headcount, 2.5));
    ev_turnover(p, 4, jan, mar, &t);
    CHECK("kpi-2.4: the quarter: 2 separations over (2.5 + 3 + 2.5) / 3", t.seps == 2 && near(t.avg_headcount, 8.0 / 3));
    CHECK("kpi-2.5: headcount on 2025-03-10 leaves B out", ev_headcount(p, 4, ev_day_parse("2025-03-10")) == 2);

    /* medians */
    double a[] = {5, 1, 3}, b[] = {4, 1, 3, 2};
    CHECK("kpi-3.1: median of 5,1,3 is 3", near(ev_median(a, 3), 3));
    CHECK("kpi-3.2: median of 4,1,3,2 is 2.5", near(ev_median(b, 4), 2.5));
    CHECK("kpi-3.3: median of nothing is 0", near(ev_median(a, 0), 0));

    /* difference-in-differences, by hand: pilot 10,12,11 then 15,16,17;
     * comparison 10,11,12 then 11,12,13; the pilot started at month 3.
     * Pilot before 11, after 16 (+5); comparison before 11, after 12 (+1);
     * the estimate is 5 - 1 = 4. The monthly differences are 0,1,-1 before
     * and 4,4,4 after, so every bootstrap estimate is 4 minus a mean of
     * three draws from {0,1,-1}: between 3 and 5. */
    double pilot[] = {10, 12, 11, 15, 16, 17}, comp[] = {10, 11, 12, 11, 12, 13};
    bool has[] = {true, true, true, true, true, true};
    DidResult d, d2;
    ev_did(pilot, has, comp, has, 6, 3, 2000, 42, &d);
    CHECK("kpi-4.1: the group means", near(d.pilot_before, 11) && near(d.pilot_after, 16) && near(d.comp_before, 11) && near(d.comp_after, 12));
    CHECK("kpi-4.2: the estimate is 4", d.status == DID_OK && near(d.estimate, 4));
    CHECK("kpi-4.3: the interval lies within 3..5 and around 4", d.lo >= 3 - 1e-9 && d.hi <= 5 + 1e-9 && d.lo < 4 && d.hi > 4);
    ev_did(pilot, has, comp, has, 6, 3, 2000, 42, &d2);
    CHECK("kpi-4.4: the same seed gives the same interval", d.lo == d2.lo && d.hi == d2.hi);
    ev_did(pilot, has, comp, has, 6, 2, 2000, 42, &d);
    CHECK("kpi-4.5: two months before the pilot cannot support a conclusion", d.status == DID_FEW_MONTHS && d.months_before == 2);
    bool gap[] = {true, false, true, true, true, true};
    ev_did(pilot, gap, comp, has, 6, 3, 2000, 42, &d);
    CHECK("kpi-4.6: a month without a pilot value is left out", d.months_before == 2 && d.status == DID_FEW_MONTHS);
    double cpilot[] = {1, 1, 1, 3, 3, 3}, ccomp[] = {0, 0, 0, 0, 0, 0};
    ev_did(cpilot, has, ccomp, has, 6, 3, 500, 7, &d);
    CHECK("kpi-4.7: constant differences give an exact interval", near(d.estimate, 2) && near(d.lo, 2) && near(d.hi, 2));
    CHECK_DONE();
}
