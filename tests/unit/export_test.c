/* export_test.c: the CSV writer (src/export.c) and the gzip helpers
 * (src/compress.c): RFC 4180 quoting, formula neutralisation, and
 * Accept-Encoding with q-values. */
#include "check.h"
#include "remit.h"
#include <string.h>

static const char *row(Buf *b, const char *const *cells, int n) {
    b->len = 0;
    for (int i = 0; i < n; i++) csv_field(b, cells[i], i == 0);
    csv_end_row(b);
    return buf_cstr(b);
}

int main(void) {
    Buf b = {0};
    const char *plain[] = {"1", "Mia Member", ""};
    CHECK("csv-1.1: plain cells, comma-separated, CRLF", strcmp(row(&b, plain, 3), "1,Mia Member,\r\n") == 0);
    const char *comma[] = {"a,b", "say \"hi\"", "two\nlines", "cr\rhere"};
    CHECK("csv-1.2: comma, quote, LF and CR are quoted; quotes doubled",
          strcmp(row(&b, comma, 4), "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n") == 0);
    const char *nul[] = {NULL, "x"};
    CHECK("csv-1.3: NULL is an empty cell", strcmp(row(&b, nul, 2), ",x\r\n") == 0);
    const char *utf[] = {"Tomás Novak", "café, bar"};
    CHECK("csv-1.4: UTF-8 passes through", strcmp(row(&b, utf, 2), "Tomás Novak,\"café, bar\"\r\n") == 0);
    const char *f1[] = {"=cmd|' /C calc'!A0"};
    CHECK("csv-2.1: = is neutralised", strcmp(row(&b, f1, 1), "'=cmd|' /C calc'!A0\r\n") == 0);
    const char *f2[] = {"+1", "-1", "@SUM(A1)", "\tx", "\rx"};
    CHECK("csv-2.2: + - @ TAB CR are neutralised (CR also quoted)", strcmp(row(&b, f2, 5), "'+1,'-1,'@SUM(A1),'\tx,\"'\rx\"\r\n") == 0);
    const char *f3[] = {"=1,2"};
    CHECK("csv-2.3: a formula with a comma: quoted, apostrophe inside", strcmp(row(&b, f3, 1), "\"'=1,2\"\r\n") == 0);
    const char *f4[] = {"a=b", " =x"};
    CHECK("csv-2.4: only the first character counts", strcmp(row(&b, f4, 2), "a=b, =x\r\n") == 0);
    buf_free(&b);

    CHECK("gz-1.1: no header: no gzip", !gzip_accepted(NULL));
    CHECK("gz-1.2: gzip", gzip_accepted("gzip"));
    CHECK("gz-1.3: the browser list", gzip_accepted("gzip, deflate, br"));
    CHECK("gz-1.4: gzip;q=0 means no", !gzip_accepted("gzip;q=0, deflate"));
    CHECK("gz-1.5: gzip; q=0.000 means no", !gzip_accepted("deflate, gzip; q=0.000"));
    CHECK("gz-1.6: identity alone means no", !gzip_accepted("identity"));
    CHECK("gz-1.7: * accepts gzip", gzip_accepted("identity, *;q=0.5"));
    CHECK("gz-1.8: * with gzip;q=0 is still no", !gzip_accepted("*, gzip;q=0"));
    CHECK("gz-1.9: GZIP;Q=0.8 (any case)", gzip_accepted("GZIP;Q=0.8"));
    CHECK("gz-1.10: x-gzip", gzip_accepted("x-gzip"));
    CHECK("gz-1.11: a malformed q is no", !gzip_accepted("gzip;q=abc"));
    CHECK("gz-1.12: gzipped (another token) is not gzip", !gzip_accepted("gzipped"));
    CHECK("gz-2.1: HTML, JSON, CSV, SVG are worth it; PNG is not",
          gzip_worth("text/html; charset=utf-8") && gzip_worth("application/json") && gzip_worth("text/csv; charset=utf-8") &&
              gzip_worth("image/svg+xml") && !gzip_worth("image/png") && !gzip_worth(NULL));
    Buf z = {0};
    for (int i = 0; i < 200; i++) buf_puts(&z, "remit remit remit ");
    size_t before = z.len;
    gzip_body(&z);
    CHECK("gz-3.1: gzip_body writes a gzip stream, smaller",
          z.len > 18 && z.len < before && (unsigned char)z.data[0] == 0x1f && (unsigned char)z.data[1] == 0x8b);
    buf_free(&z);
    CHECK_DONE();
}
