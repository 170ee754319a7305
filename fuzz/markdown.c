/* markdown.c: fuzzes html_markdown, which renders what people write
 * (purpose, decisions, ideas, comments) with raw HTML off. Whatever the
 * input, the output holds only md4c's own tags with their own attributes,
 * every '<' of the text arrives escaped, and no link or image points at a
 * script (javascript:, data:, vbscript: ...). */
#include "fuzz.h"
#include <stdlib.h>
#include <string.h>

static const char *const TAGS[] = {"p",  "h1", "h2",    "h3",    "h4", "h5", "h6", "blockquote", "ul", "ol",    "li",    "hr", "pre", "code", "em",
                                   "strong", "del", "a", "img", "br", "table", "thead", "tbody", "tr", "th", "td", NULL};
static const char *const ATTRS[] = {"href", "src", "alt", "title", "align", "start", "class", NULL};

static bool listed(const char *const *list, const char *s, size_t n) {
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return true;
    return false;
}

static bool name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* check_tags: each '<' opens a known tag: <name( attr="...")*> or </name>. */
static void check_tags(const char *h, size_t len, const char *input) {
    for (size_t i = 0; i < len; i++) {
        if (h[i] != '<') continue;
        size_t p = i + 1;
        bool closing = p < len && h[p] == '/';
        if (closing) p++;
        size_t n0 = p;
        while (p < len && name_char(h[p])) p++;
        FUZZ_CHECK(listed(TAGS, h + n0, p - n0), "a tag md4c does not make, at \"%.40s\", from input \"%.200s\"", h + i, input);
        while (!closing && p < len && h[p] == ' ') {
            size_t a0 = ++p;
            while (p < len && name_char(h[p])) p++;
            FUZZ_CHECK(listed(ATTRS, h + a0, p - a0), "an unexpected attribute at \"%.40s\", from input \"%.200s\"", h + a0, input);
            FUZZ_CHECK(p + 1 < len && h[p] == '=' && h[p + 1] == '"', "an attribute without a quoted value at \"%.40s\"", h + a0);
            const char *q = memchr(h + p + 2, '"', len - p - 2);
            FUZZ_CHECK(q != NULL, "an unterminated attribute value");
            for (const char *c = h + p + 2; c < q; c++) FUZZ_CHECK(*c != '<' && *c != '>', "a raw < or > in an attribute, from input \"%.200s\"", input);
            p = (size_t)(q - h) + 1;
        }
        FUZZ_CHECK(p < len && h[p] == '>', "a malformed tag at \"%.40s\", from input \"%.200s\"", h + i, input);
        i = p;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *md = fuzz_cstr(data, size);
    Buf b = {0};
    buf_puts(&b, "<div>"); /* html_markdown appends: what was there stays */
    html_markdown(&b, md);
    FUZZ_CHECK(b.len >= 5 && memcmp(b.data, "<div>", 5) == 0, "html_markdown overwrote its buffer");
    const char *h = buf_cstr(&b) + 5;
    size_t len = b.len - 5;
    FUZZ_CHECK(strlen(h) == len, "a NUL byte in the output");
    FUZZ_CHECK(fuzz_count_ci(h, len, "<script") == 0, "<script in the output of \"%.200s\"", md);
    fuzz_check_urls(h, len, "markdown");
    fuzz_check_tags(h, len, "markdown");
    check_tags(h, len, md);
    buf_free(&b);
    free(md);
    return 0;
}
