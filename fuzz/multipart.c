/* multipart.c: fuzzes req_parse_multipart, which reads every form upload.
 * Each input is parsed twice: as a body under a fixed Content-Type, and
 * with its first line taken as the Content-Type (boundary included) and the
 * rest as the body. Every field must be a copy of bytes of the body. */
#include "fuzz.h"
#include <stdlib.h>
#include <string.h>

static void check_form(const Req *r, int rc) {
    FUZZ_CHECK(rc == 0 || rc == -1, "req_parse_multipart returned %d", rc);
    for (int i = 0; i < r->form.n; i++) {
        const KV *kv = &r->form.items[i];
        FUZZ_CHECK(kv->name && *kv->name && kv->value, "part %d: no name or value", i);
        FUZZ_CHECK(kv->value_len <= r->body_len && kv->value[kv->value_len] == 0, "part %d: value_len %zu is wrong", i, kv->value_len);
        FUZZ_CHECK(kv->value_len == 0 || memmem(r->body, r->body_len, kv->value, kv->value_len) != NULL, "part %d is not bytes of the body", i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Req *r = req_new();
    r->body = (const char *)data;
    r->body_len = size;
    check_form(r, req_parse_multipart(r, "multipart/form-data; boundary=XyZ"));
    req_free(r);

    const uint8_t *nl = memchr(data, '\n', size);
    if (nl) {
        size_t hl = (size_t)(nl - data);
        char *ctype = fuzz_cstr(data, hl && data[hl - 1] == '\r' ? hl - 1 : hl);
        size_t bl = size - hl - 1;
        char *body = malloc(bl ? bl : 1); /* exactly the body: ASan sees any read past it */
        if (!body) abort();
        memcpy(body, nl + 1, bl);
        r = req_new();
        r->body = body;
        r->body_len = bl;
        check_form(r, req_parse_multipart(r, ctype));
        req_free(r);
        free(body);
        free(ctype);
    }
    return 0;
}
