/* json.c: fuzzes req_json_object, the gate every JSON request body passes,
 * against each JField table of the feature files (copied here; keep them in
 * step when a table changes). The first byte picks the table and whether
 * the error is answered as JSON (API) or HTML; the rest is the body. When
 * the gate accepts, every member must be a known field of the right type
 * (checked again here, independently); when it refuses, a 400 must have
 * been sent, and for the API as the one JSON error envelope. */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT 40000 /* DEC_JSON_TEXT, IDEA_JSON_TEXT */

static const JField ORG[] = {{"name", JF_STRING, 200}, {"purpose", JF_STRING, 5000}, {"vision", JF_STRING, 5000}, {"values", JF_STRING_LIST, 200}, {0}};
static const JField GOAL[] = {{"title", JF_STRING, 1000}, {"parent_id", JF_ID_NULL, 0}, {"metric", JF_STRING_NULL, 1000}, {"target", JF_STRING_NULL, 1000},
                              {"due_on", JF_DATE_NULL, 0}, {"owner_team_id", JF_ID_NULL, 0}, {"status", JF_STRING, 100}, {0}};
static const JField LOGIN[] = {{"email", JF_STRING, 254}, {"password", JF_STRING, 200}, {0}};
static const JField SESSION_PASSWORD[] = {{"current_password", JF_STRING, 200}, {"new_password", JF_STRING, 200}, {0}};
static const JField TEAM[] = {{"name", JF_STRING, 1000}, {"parent_id", JF_ID_NULL, 0}, {"lead_id", JF_ID_NULL, 0}, {0}};
static const JField PERSON[] = {{"name", JF_STRING, 200},       {"email", JF_STRING, 254},  {"team_id", JF_ID_NULL},     {"manager_id", JF_ID_NULL},
                                {"title", JF_STRING_NULL, 200}, {"access", JF_STRING, 20}, {"status", JF_STRING, 20}, {"password", JF_STRING, 200}, {0}};
static const JField PERSON_PATCH[] = {{"name", JF_STRING, 200},       {"email", JF_STRING, 254}, {"team_id", JF_ID_NULL}, {"manager_id", JF_ID_NULL},
                                      {"title", JF_STRING_NULL, 200}, {"access", JF_STRING, 20}, {"status", JF_STRING, 20}, {0}};
static const JField PERSON_PASSWORD[] = {{"password", JF_STRING, 200}, {0}};
static const JField ROLE[] = {{"name", JF_STRING, 1000}, {"team_id", JF_ID_NULL, 0}, {"purpose", JF_STRING_NULL, 10000}, {"goal_id", JF_ID_NULL, 0},
                              {"accountabilities", JF_STRING_LIST, 2000}, {"resources", JF_STRING_LIST, 2000}, {0}};
static const JField HOLDER[] = {{"person_id", JF_ID_NULL, 0}, {0}};
static const JField DOMAIN_CREATE[] = {{"slug", JF_STRING, 200}, {"label", JF_STRING, 1000}, {"risk", JF_STRING, 100}, {0}};
static const JField DOMAIN_PATCH[] = {{"label", JF_STRING, 1000}, {"risk", JF_STRING, 100}, {0}};
static const JField RIGHT[] = {{"role_id", JF_ID_NULL, 0},      {"person_id", JF_ID_NULL, 0},   {"domain", JF_STRING, 200},   {"level", JF_INT, 0},
                               {"limit", JF_STRING_NULL, 100},  {"advisor_id", JF_ID_NULL, 0},  {"expires_on", JF_DATE_NULL, 0}, {"reason", JF_STRING, 10000}, {0}};
static const JField REVOKE[] = {{"reason", JF_STRING_NULL, 10000}, {0}};
static const JField DECISION[] = {{"domain", JF_STRING, 200},          {"title", JF_STRING, 2000},          {"amount", JF_STRING_NULL, 40},
                                  {"context", JF_STRING_NULL, TEXT},   {"options", JF_STRING_NULL, TEXT},  {"rationale", JF_STRING_NULL, TEXT},
                                  {"risk", JF_INT, 0},                 {"reward", JF_INT, 0},              {"review_on", JF_DATE_NULL, 0}, {0}};
static const JField ADVICE[] = {{"advice", JF_STRING, TEXT}, {0}};
static const JField DECISION_NOTE[] = {{"note", JF_STRING_NULL, TEXT}, {0}};
static const JField OUTCOME[] = {{"outcome", JF_STRING, 20}, {"account", JF_STRING_NULL, TEXT}, {"learning", JF_STRING_NULL, TEXT}, {0}};
static const JField AUTONOMY_NOTE[] = {{"note", JF_STRING_NULL, 10000}, {0}};
static const JField CHALLENGE[] = {{"title", JF_STRING, 2000},     {"body", JF_STRING_NULL, 40000}, {"scope", JF_STRING, 20}, {"team_id", JF_ID_NULL, 0},
                                   {"goal_id", JF_ID_NULL, 0},     {"opens_on", JF_DATE_NULL, 0},   {"closes_on", JF_DATE_NULL, 0}, {"phase", JF_STRING, 20}, {0}};
static const JField REVIEWER[] = {{"person_id", JF_ID_NULL, 0}, {0}};
static const JField IDEA[] = {{"title", JF_STRING, 2000}, {"body", JF_STRING_NULL, TEXT}, {"anonymous", JF_BOOL, 0}, {0}};
static const JField IDEA_COMMENT[] = {{"body", JF_STRING, TEXT}, {0}};
static const JField IDEA_STAGE[] = {{"stage", JF_STRING, 40},      {"reason", JF_STRING_NULL, TEXT}, {"owner_id", JF_ID_NULL, 0},
                                    {"due_on", JF_STRING_NULL, 40}, {"into_id", JF_ID_NULL, 0},       {0}};
static const JField PAIR[] = {{"winner", JF_INT, 0}, {"loser", JF_INT, 0}, {0}};
static const JField REVIEW[] = {{"risk", JF_INT, 0}, {"reward", JF_INT, 0}, {"effort", JF_INT, 0}, {"note", JF_STRING_NULL, 8000}, {0}};
/* small limits, so that the length checks are reached by short inputs */
static const JField TINY[] = {{"s", JF_STRING, 3}, {"n", JF_STRING_NULL, 2}, {"l", JF_STRING_LIST, 2}, {"d", JF_DATE_NULL, 0},
                              {"i", JF_INT, 0},    {"id", JF_ID_NULL, 0},     {"b", JF_BOOL, 0},       {0}};

static const JField *const TABLES[] = {ORG,       GOAL,         LOGIN,  SESSION_PASSWORD, TEAM,     PERSON,    PERSON_PATCH,
                                       PERSON_PASSWORD, ROLE,   HOLDER, DOMAIN_CREATE,    DOMAIN_PATCH, RIGHT, REVOKE,
                                       DECISION,  ADVICE,       DECISION_NOTE, OUTCOME,    AUTONOMY_NOTE, CHALLENGE, REVIEWER,
                                       IDEA,      IDEA_COMMENT, IDEA_STAGE, PAIR,          REVIEW,   TINY};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

static bool ref_date(const char *s) {
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* ref_string: maxlen counts characters (UTF-8 code points), not bytes. */
static bool ref_string(json_t *v, int maxlen) {
    size_t max = maxlen > 0 ? (size_t)maxlen : 10000;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) return false;
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p; p++) chars += (*p & 0xC0) != 0x80;
    return chars <= max;
}

/* ref_ok: the field contract of remit.h, restated. */
static bool ref_ok(json_t *v, const JField *f) {
    switch (f->type) {
    case JF_STRING: return ref_string(v, f->maxlen);
    case JF_STRING_NULL: return json_is_null(v) || ref_string(v, f->maxlen);
    case JF_INT: return json_is_integer(v);
    case JF_ID_NULL: return json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 1);
    case JF_BOOL: return json_is_true(v) || json_is_false(v);
    case JF_DATE_NULL: return json_is_null(v) || (json_is_string(v) && ref_date(json_string_value(v)));
    case JF_STRING_LIST:
        if (!json_is_array(v) || json_array_size(v) > 100) return false;
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!ref_string(json_array_get(v, i), f->maxlen) || json_string_length(json_array_get(v, i)) == 0) return false;
        return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const JField *fields = TABLES[(data[0] & 0x7f) % NTABLES];
    Req *r = req_new();
    r->is_api = !(data[0] & 0x80);
    r->body = (const char *)data + 1;
    r->body_len = size - 1;
    kv_add(r->arena, &r->headers, "content-type", "application/json", 16); /* the 415 gate is tested in tests/unit/req_test.c */
    json_t *o = req_json_object(r, fields);
    if (o) {
        FUZZ_CHECK(!r->resp.sent && r->json == o && json_is_object(o), "accepted, but an answer was sent or the object is not kept");
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v) {
            const JField *f = NULL;
            for (int i = 0; fields[i].name; i++)
                if (strcmp(fields[i].name, key) == 0) f = &fields[i];
            FUZZ_CHECK(f != NULL, "accepted the unknown field \"%s\"", key);
            FUZZ_CHECK(ref_ok(v, f), "accepted field \"%s\" of the wrong type or length", key);
        }
    } else {
        FUZZ_CHECK(r->resp.sent && r->resp.status == 400, "refused, but answered %d (sent=%d)", r->resp.status, r->resp.sent);
        if (r->is_api) {
            json_t *e = json_loadb(r->resp.body.data, r->resp.body.len, 0, NULL);
            FUZZ_CHECK(json_is_string(json_object_get(json_object_get(e, "error"), "code")) &&
                           json_is_string(json_object_get(json_object_get(e, "error"), "message")),
                       "the error is not the JSON envelope: %.*s", (int)r->resp.body.len, r->resp.body.data);
            json_decref(e);
        } else {
            FUZZ_CHECK(r->resp.content_type && strncmp(r->resp.content_type, "text/html", 9) == 0, "the HTML error is not HTML");
            FUZZ_CHECK(fuzz_count_ci(r->resp.body.data, r->resp.body.len, "<script") == 1, "the HTML error page holds a script it should not");
        }
    }
    req_free(r);
    return 0;
}
