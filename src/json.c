/* json.c: JSON request bodies and the field contract. A body is parsed once,
 * checked against the handler's list of allowed fields and types, and
 * rejected with 400 (malformed JSON, unknown fields, wrong types, values out
 * of range) before the handler sees it. Also paging and list encoding. */
#include "remit.h"
#include <string.h>
#include <strings.h>

static const char *type_name(int t) {
    switch (t) {
    case JF_STRING: return "a string";
    case JF_STRING_NULL: return "a string or null";
    case JF_INT: return "an integer";
    case JF_ID_NULL: return "an id (positive integer) or null";
    case JF_STRING_LIST: return "a list of strings";
    case JF_BOOL: return "true or false";
    case JF_DATE_NULL: return "a date (YYYY-MM-DD) or null";
    case JF_ANY: return "any JSON value";
    }
    return "?";
}

/* chars: the length of a JSON string in characters (UTF-8 code points,
 * which jansson guarantees it holds), as the error message counts them. */
static size_t chars(json_t *v) {
    const unsigned char *p = (const unsigned char *)json_string_value(v);
    size_t n = 0, len = json_string_length(v);
    for (size_t i = 0; i < len; i++) n += (p[i] & 0xC0) != 0x80;
    return n;
}

static bool type_ok(json_t *v, const JField *f) {
    size_t max = f->maxlen > 0 ? (size_t)f->maxlen : 10000;
    switch (f->type) {
    case JF_STRING: return json_is_string(v) && chars(v) <= max;
    case JF_STRING_NULL: return json_is_null(v) || (json_is_string(v) && chars(v) <= max);
    case JF_INT: return json_is_integer(v);
    case JF_ID_NULL: return json_is_null(v) || (json_is_integer(v) && json_integer_value(v) > 0);
    case JF_BOOL: return json_is_boolean(v);
    case JF_DATE_NULL: return json_is_null(v) || (json_is_string(v) && valid_date(json_string_value(v)));
    case JF_ANY: return true;
    case JF_STRING_LIST: {
        if (!json_is_array(v) || json_array_size(v) > 100) return false;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) if (!json_is_string(e) || chars(e) > max || json_string_length(e) == 0) return false;
        return true;
    }
    }
    return false;
}

/* req_json_object: see the file comment. The object is owned by the
 * request's arena; NULL means a 400 has been sent. */
/* is_json_type: application/json, with or without parameters such as
 * charset=utf-8. */
static bool is_json_type(const char *ct) {
    if (!ct) return false;
    while (*ct == ' ') ct++;
    if (strncasecmp(ct, "application/json", 16) != 0) return false;
    ct += 16;
    while (*ct == ' ' || *ct == '\t') ct++;
    return *ct == 0 || *ct == ';';
}

/* req_json_body: the body as a JSON object, with the checks every JSON
 * route shares (415 for another media type, 400 for no body, bad JSON or
 * not an object), answered here; NULL then. The fields are the caller's to
 * check (req_json_object does it from a table). */
json_t *req_json_body(Req *r) {
    if (r->body_len > 0 && !is_json_type(req_header(r, "content-type"))) {
        resp_error(r, 415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
        return NULL;
    }
    if (r->body_len == 0) {
        resp_error(r, 400, "bad_request", "A JSON object is required in the request body.");
        return NULL;
    }
    json_error_t err;
    json_t *o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!o) {
        resp_error(r, 400, "malformed_json", "The body is not valid JSON: %s (line %d).", err.text, err.line);
        return NULL;
    }
    req_defer_json(r, o);
    if (!json_is_object(o)) {
        resp_error(r, 400, "bad_request", "The body must be a JSON object.");
        return NULL;
    }
    return o;
}

json_t *req_json_object(Req *r, const JField *fields) {
    json_t *o = req_json_body(r);
    if (!o) return NULL;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        const JField *f = NULL;
        for (int i = 0; fields[i].name; i++)
            if (strcmp(fields[i].name, key) == 0) f = &fields[i];
        if (!f) {
            resp_error(r, 400, "unknown_field", "Unknown field \"%.60s\".", key);
            return NULL;
        }
        if (!type_ok(v, f)) {
            int max = f->maxlen > 0 ? f->maxlen : 10000;
            resp_error(r, 400, "invalid_field", "Field \"%s\" must be %s%s.", key, type_name(f->type),
                       f->type == JF_STRING || f->type == JF_STRING_NULL || f->type == JF_STRING_LIST ? arena_printf(r->arena, " of at most %d characters", max) : "");
            return NULL;
        }
    }
    r->json = o;
    return o;
}

bool json_has(json_t *o, const char *name) { return json_object_get(o, name) != NULL; }

const char *json_str(json_t *o, const char *name) {
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t json_id(json_t *o, const char *name) {
    json_t *v = json_object_get(o, name);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

char *json_list_encode(Arena *a, json_t *list) {
    char *s = json_dumps(list, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!s) abort();
    char *out = arena_strdup(a, s);
    free(s);
    return out;
}

json_t *json_list_decode(const char *text) {
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_array(v)) {
        json_decref(v);
        v = json_array();
    }
    return v;
}

/* parse_limit_after: ?limit= (1-500, default 50) and ?after= (an id, default
 * 0). -1 after sending 400. */
int parse_limit_after(Req *r, int *limit, int64_t *after) {
    const char *l = req_query(r, "limit"), *a = req_query(r, "after");
    int64_t v;
    *limit = 50;
    *after = 0;
    if (l) {
        if (!parse_id(l, &v) || v > 500) return resp_error(r, 400, "invalid_parameter", "limit must be a whole number from 1 to 500.");
        *limit = (int)v;
    }
    if (a && strcmp(a, "0") != 0) {
        if (!parse_id(a, &v)) return resp_error(r, 400, "invalid_parameter", "after must be an id.");
        *after = v;
    }
    return 0;
}

json_t *json_page(json_t *items, int limit, int64_t last_id) {
    json_t *o = json_object();
    bool more = (int)json_array_size(items) == limit && last_id > 0;
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "next_after", more ? json_integer(last_id) : json_null());
    return o;
}

/* json_text: a JSON string, or null for NULL. Stored text is valid UTF-8
 * (the parsers refuse anything else), so json_string never fails here; ""
 * if it ever did, so that an answer can always be encoded. */
json_t *json_text(const char *s) {
    if (!s) return json_null();
    json_t *v = json_string(s);
    return v ? v : json_string("");
}

/* json_ref: {"id": id, "name": name}, or null when id is 0. */
json_t *json_ref(int64_t id, const char *name) {
    if (!id) return json_null();
    return json_pack("{s:I,s:o}", "id", (json_int_t)id, "name", json_text(name ? name : ""));
}

/* json_time: an ISO 8601 UTC time, or null for 0. */
json_t *json_time(Arena *a, int64_t t) { return t ? json_string(iso_time(a, t)) : json_null(); }
