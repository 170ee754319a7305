/* html_test.c: escaping by default, URL encoding and markdown safety. */
#include "check.h"
#include "remit.h"
#include <string.h>

static bool has(Buf *b, const char *s) { return strstr(buf_cstr(b), s) != NULL; }

int main(void) {
    Buf b = {0};
    html_printf(&b, "<p title=\"%h\">%h</p>", "a\"b'c", "<script>&</script>");
    CHECK("esc-1.1: text is escaped", strcmp(buf_cstr(&b), "<p title=\"a&quot;b&#39;c\">&lt;script&gt;&amp;&lt;/script&gt;</p>") == 0);
    b.len = 0;
    html_printf(&b, "%u|%d|%D|%%|%s", "a b&c/é", -3, (int64_t)9007199254740993LL, "<raw>");
    CHECK("esc-1.2: url, ints and raw literals", strcmp(buf_cstr(&b), "a%20b%26c%2F%C3%A9|-3|9007199254740993|%|<raw>") == 0);
    b.len = 0;
    html_printf(&b, "%d|%D|%D|%d", 0, (int64_t)INT64_MIN, (int64_t)INT64_MAX, -2147483647 - 1);
    CHECK("esc-1.2b: integers by hand at their limits", strcmp(buf_cstr(&b), "0|-9223372036854775808|9223372036854775807|-2147483648") == 0);
    b.len = 0;
    html_printf(&b, "[%h]", (const char *)NULL);
    CHECK("esc-1.3: NULL text prints nothing", strcmp(buf_cstr(&b), "[]") == 0);

    b.len = 0;
    html_markdown(&b, "Hello **world** <script>alert(1)</script> <b>x</b>");
    CHECK("md-1.1: markdown renders emphasis", has(&b, "<strong>world</strong>"));
    CHECK("md-1.2: raw HTML is escaped, not rendered", !has(&b, "<script>") && has(&b, "&lt;script&gt;") && !has(&b, "<b>"));
    b.len = 0;
    html_markdown(&b, "[click](javascript:alert(1)) [ok](https://example.com/x?a=1) [mail](mailto:a@b.c) [rel](/people/1) [ent](javascript&#58;alert(1)) [up](JaVaScRiPt:alert(1))");
    CHECK("md-2.1: javascript: link is neutralised", !has(&b, "javascript:") && !has(&b, "JaVaScRiPt") && !has(&b, "javascript&"));
    CHECK("md-2.2: https link kept", has(&b, "href=\"https://example.com/x?a=1\""));
    CHECK("md-2.3: mailto link kept", has(&b, "href=\"mailto:a@b.c\""));
    CHECK("md-2.4: relative link kept", has(&b, "href=\"/people/1\""));
    b.len = 0;
    html_markdown(&b, "![img](data:text/html;base64,PHNjcmlwdD4=)");
    CHECK("md-2.5: data: image source neutralised", !has(&b, "data:text"));
    b.len = 0;
    html_markdown(&b, "[a&b](AAhref=) [u](/onmouseover=alert(1)//)");
    CHECK("md-2.6: a URL ending in href= does not open an attribute (fuzz regression)",
          strcmp(buf_cstr(&b), "<p><a href=\"AAhref=\">a&amp;b</a> <a href=\"/onmouseover=alert(1)//\">u</a></p>\n") == 0);
    b.len = 0;
    html_markdown(&b, "[a](javascript:alert(1) \"x src=\") [b](http://ok.example/ \"t href=\") [c](Pn/wp \"Pn/wpsrc=\") tail");
    CHECK("md-2.7: a title ending in src= or href= is left alone, the link judged (fuzz regression)",
          has(&b, "<a href=\"#\" title=\"x src=\">a</a>") && has(&b, "<a href=\"http://ok.example/\" title=\"t href=\">b</a>") &&
              has(&b, "<a href=\"Pn/wp\" title=\"Pn/wpsrc=\">c</a> tail"));
    b.len = 0;
    html_markdown(&b, "");
    CHECK("md-3.1: empty markdown renders nothing", b.len == 0);
    buf_free(&b);
    CHECK_DONE();
}
