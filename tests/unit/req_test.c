/* req_test.c: the parsers that see outside bytes: query strings, cookies,
 * multipart bodies, route patterns and JSON request bodies. */
#include "check.h"
#include "remit.h"
#include <string.h>

int main(void) {
    Arena *a = arena_new();
    KVList q = {0};
    const char *qs = "a=1&b=hello+world&c=%3Cx%3E&d&=skip&e=%zz&f=%00x";
    req_parse_query(a, &q, qs, strlen(qs));
    CHECK("query-1.1: plain pair", strcmp(kv_get(&q, "a"), "1") == 0);
    CHECK("query-1.2: plus is space", strcmp(kv_get(&q, "b"), "hello world") == 0);
    CHECK("query-1.3: percent decoding", strcmp(kv_get(&q, "c"), "<x>") == 0);
    CHECK("query-1.4: name without value", kv_get(&q, "d") && strcmp(kv_get(&q, "d"), "") == 0);
    CHECK("query-1.5: empty name skipped", q.n == 6);
    CHECK("query-1.6: bad escape kept literally", strcmp(kv_get(&q, "e"), "%zz") == 0);
    CHECK("query-1.7: NUL bytes dropped", strcmp(kv_get(&q, "f"), "x") == 0);
    CHECK("query-1.8: trailing percent", strcmp(url_decode(a, "ab%4", 4, false), "ab%4") == 0);

    KVList c = {0};
    req_parse_cookies(a, &c, "x=1; remit_session=abc; junk; y=");
    CHECK("cookie-1.1: finds the session", strcmp(kv_get(&c, "remit_session"), "abc") == 0);
    CHECK("cookie-1.2: empty value", strcmp(kv_get(&c, "y"), "") == 0);
    CHECK("cookie-1.3: junk without = skipped", c.n == 3);

    Req *r = req_new();
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                       "name,email\r\nA,a@x.io\r\n--XyZ--\r\n";
    r->body = body;
    r->body_len = strlen(body);
    CHECK("multipart-1.1: parses", req_parse_multipart(r, "multipart/form-data; boundary=XyZ") == 0);
    CHECK("multipart-1.2: text field", strcmp(req_form(r, "csrf_token"), "tok") == 0);
    const KV *f = kv_find(&r->form, "file");
    CHECK("multipart-1.3: file part keeps bytes and name", f && f->value_len == strlen("name,email\r\nA,a@x.io") && strcmp(f->filename, "p.csv") == 0);
    req_free(r);
    r = req_new();
    r->body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated";
    r->body_len = strlen(r->body);
    CHECK("multipart-2.1: unterminated part is malformed", req_parse_multipart(r, "multipart/form-data; boundary=XyZ") == -1);
    CHECK("multipart-2.2: missing boundary is malformed", req_parse_multipart(r, "multipart/form-data") == -1);
    req_free(r);

    int64_t p[4];
    int np;
    CHECK("route-1.1: literal", router_match("/api/v1/teams", "/api/v1/teams", p, &np) && np == 0);
    CHECK("route-1.2: id param", router_match("/api/v1/teams/{id}", "/api/v1/teams/17", p, &np) && np == 1 && p[0] == 17);
    CHECK("route-1.3: non-numeric id does not match", !router_match("/api/v1/teams/{id}", "/api/v1/teams/abc", p, &np));
    CHECK("route-1.4: zero and negative ids do not match", !router_match("/teams/{id}", "/teams/0", p, &np) && !router_match("/teams/{id}", "/teams/-1", p, &np));
    CHECK("route-1.5: trailing parts do not match", !router_match("/teams/{id}", "/teams/1/edit", p, &np) && !router_match("/teams", "/teams/", p, &np));
    CHECK("route-1.6: two params", router_match("/a/{id}/b/{id}", "/a/3/b/4", p, &np) && np == 2 && p[1] == 4);

    static const JField fields[] = {{"name", JF_STRING, 5}, {"parent_id", JF_ID_NULL}, {"values", JF_STRING_LIST, 10}, {"due_on", JF_DATE_NULL}, {0}};
    struct { const char *body; int status; const char *name; } cases[] = {
        {"{\"name\":\"abc\",\"parent_id\":null,\"values\":[\"x\"],\"due_on\":\"2026-01-31\"}", 0, "json-1.1: valid object accepted"},
        {"{\"name\":\"abc\"", 400, "json-1.2: malformed JSON is 400"},
        {"[1]", 400, "json-1.3: non-object is 400"},
        {"{\"nope\":1}", 400, "json-1.4: unknown field is 400"},
        {"{\"name\":5}", 400, "json-1.5: wrong type is 400"},
        {"{\"name\":\"toolong\"}", 400, "json-1.6: over-long string is 400"},
        {"{\"parent_id\":0}", 400, "json-1.7: id 0 is 400"},
        {"{\"values\":[\"\"]}", 400, "json-1.8: empty list item is 400"},
        {"{\"due_on\":\"2026-02-30\"}", 400, "json-1.9: impossible date is 400"},
        {"{\"name\":\"a\",\"name\":\"b\"}", 400, "json-1.10: duplicate keys are 400"},
        {"", 400, "json-1.11: empty body is 400"},
        {"{\"name\":\"a\\u0000b\"}", 400, "json-1.12: NUL in a string is 400"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = req_new();
        r->is_api = true;
        r->body = cases[i].body;
        r->body_len = strlen(cases[i].body);
        kv_add(r->arena, &r->headers, "content-type", "application/json", 16);
        json_t *o = req_json_object(r, fields);
        CHECK(cases[i].name, cases[i].status == 0 ? o != NULL && !r->resp.sent : o == NULL && r->resp.status == cases[i].status &&
                                                                    strstr(buf_cstr(&r->resp.body), "\"error\"") != NULL);
        req_free(r);
    }
    /* json-2: the body must be declared as JSON (415), parameters allowed */
    struct { const char *ctype; int status; const char *name; } types[] = {
        {"application/json", 0, "json-2.1: application/json accepted"},
        {"application/json; charset=utf-8", 0, "json-2.2: with a charset parameter accepted"},
        {"Application/JSON;charset=UTF-8", 0, "json-2.3: any case accepted"},
        {"text/plain", 415, "json-2.4: text/plain is 415"},
        {"application/x-www-form-urlencoded", 415, "json-2.5: form-encoded is 415"},
        {NULL, 415, "json-2.6: no Content-Type is 415"},
        {"application/jsonp", 415, "json-2.7: application/jsonp is 415"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        r = req_new();
        r->is_api = true;
        r->body = "{\"name\":\"abc\"}";
        r->body_len = strlen(r->body);
        if (types[i].ctype) kv_add(r->arena, &r->headers, "content-type", types[i].ctype, strlen(types[i].ctype));
        json_t *o = req_json_object(r, fields);
        CHECK(types[i].name, types[i].status == 0 ? o != NULL : o == NULL && r->resp.status == 415 &&
                                                              strstr(buf_cstr(&r->resp.body), "unsupported_media_type") != NULL);
        req_free(r);
    }
    /* json-3: maxlen counts characters: "name" allows 5, so five 2-byte
     * characters (10 bytes) fit and six do not */
    const char *lens[][2] = {{"{\"name\":\"ééééé\"}", "json-3.1: 5 two-byte characters fit in 5"},
                             {"{\"name\":\"éééééé\"}", "json-3.2: 6 characters do not"},
                             {"{\"name\":\"😀😀😀😀😀\"}", "json-3.3: 5 emoji (20 bytes) fit in 5"}};
    for (int i = 0; i < 3; i++) {
        r = req_new();
        r->is_api = true;
        r->body = lens[i][0];
        r->body_len = strlen(r->body);
        kv_add(r->arena, &r->headers, "content-type", "application/json", 16);
        json_t *o = req_json_object(r, fields);
        CHECK(lens[i][1], i == 1 ? o == NULL && r->resp.status == 400 : o != NULL);
        req_free(r);
    }
    arena_free(a);
    CHECK_DONE();
}
