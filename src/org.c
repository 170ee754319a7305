/* org.c: the organisation itself: its name, purpose, vision and values, as
 * JSON (/api/v1/org) and as pages (/org, /org/edit). Everyone in the
 * organisation reads; admins edit. The goal tree shown under the purpose is
 * rendered by goals.c. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

typedef struct Org { int64_t id; char *name, *purpose, *vision, *values_json, *language; } Org;

static const char SQL_ORG_GET[] = "SELECT id, name, purpose, vision, values_json, language FROM org WHERE id = ?";
static const char SQL_ORG_SET[] = "UPDATE org SET name = ?, purpose = ?, vision = ?, values_json = ? WHERE id = ?";

static int org_load(Req *r, Org *o) {
    Stmt *s = db_q(r->db, SQL_ORG_GET, "i", r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        o->id = db_int(s, 0);
        o->name = db_dup(s, 1, r->arena);
        o->purpose = db_dup(s, 2, r->arena);
        o->vision = db_dup(s, 3, r->arena);
        o->values_json = db_dup(s, 4, r->arena);
        o->language = db_dup(s, 5, r->arena);
    }
    db_reset(s);
    return found ? 0 : resp_error(r, 404, "not_found", "The organisation does not exist.");
}

static json_t *org_json(const Org *o) {
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)o->id, "name", o->name, "purpose", o->purpose, "vision", o->vision, "values",
                          json_list_decode(o->values_json));
    json_object_set_new(j, "language", json_text(o->language));
    return j;
}

/* org_set_language: the default language (NULL: each browser's). */
static void org_set_language(Req *r, const char *lang) {
    db_exec(r->db, "UPDATE org SET language = ? WHERE id = ?", "ti", lang, r->who.org_id);
}

/* org_save: validates and stores the new state; values is a JSON list of
 * strings (borrowed). 0 ok; problems go to e. */
static int org_save(Req *r, const Org *cur, const char *name, const char *purpose, const char *vision, json_t *values, Errors *e) {
    char *n = str_trim(r->arena, name);
    if (str_empty(n)) err_add(e, 422, "invalid", "name", "The organisation needs a name.");
    else if (utf8_chars(n) > 200) err_add(e, 422, "invalid", "name", "Keep the name under 200 characters.");
    if (purpose && utf8_chars(purpose) > 5000) err_add(e, 422, "invalid", "purpose", "Keep the purpose under 5000 characters.");
    if (vision && utf8_chars(vision) > 5000) err_add(e, 422, "invalid", "vision", "Keep the vision under 5000 characters.");
    if (json_array_size(values) > 20) err_add(e, 422, "invalid", "values", "At most 20 values.");
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) if (utf8_chars(json_string_value(v)) > 200) {
        err_add(e, 422, "invalid", "values", "Each value must be under 200 characters.");
        break;
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    char *vj = json_list_encode(r->arena, values);
    db_exec(r->db, SQL_ORG_SET, "tttti", n, purpose ? purpose : "", vision ? vision : "", vj, r->who.org_id);
    Buf changed = {0};
    if (strcmp(n, cur->name)) buf_puts(&changed, " name");
    if (strcmp(purpose ? purpose : "", cur->purpose)) buf_puts(&changed, " purpose");
    if (strcmp(vision ? vision : "", cur->vision)) buf_puts(&changed, " vision");
    if (strcmp(vj, cur->values_json)) buf_puts(&changed, " values");
    audit(r, "org.update", arena_printf(r->arena, "org:%lld", (long long)r->who.org_id), "changed:%s", changed.len ? buf_cstr(&changed) : " nothing");
    buf_free(&changed);
    if (db_commit(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    return 0;
}

/* GET /api/v1/org: the caller's organisation (member). */
int org_api_get(Req *r) {
    Org o;
    if (org_load(r, &o)) return -1;
    resp_json(r, 200, org_json(&o));
    return 0;
}

static const JField ORG_FIELDS[] = {
    {"name", JF_STRING, 200}, {"purpose", JF_STRING, 5000}, {"vision", JF_STRING, 5000}, {"values", JF_STRING_LIST, 200}, {"language", JF_STRING_NULL, 10}, {0}};

/* PATCH /api/v1/org {"name","purpose","vision","values","language"}: any
 * subset (admin); language "en", "de" or null (each browser's). */
int org_api_patch(Req *r) {
    json_t *in = req_json_object(r, ORG_FIELDS);
    if (!in) return -1;
    Org o;
    if (org_load(r, &o)) return -1;
    json_t *values = json_has(in, "values") ? json_incref(json_object_get(in, "values")) : json_list_decode(o.values_json);
    req_defer_json(r, values);
    Errors e = {0};
    const char *lang = json_has(in, "language") ? json_str(in, "language") : o.language;
    if (!language_ok(lang, &e)) return err_send(r, &e);
    if (org_save(r, &o, json_has(in, "name") ? json_str(in, "name") : o.name, json_has(in, "purpose") ? json_str(in, "purpose") : o.purpose,
                 json_has(in, "vision") ? json_str(in, "vision") : o.vision, values, &e))
        return err_send(r, &e);
    if (json_has(in, "language")) org_set_language(r, lang);
    if (org_load(r, &o)) return -1;
    resp_json(r, 200, org_json(&o));
    return 0;
}

/* GET /org: purpose, vision, values and the goal tree (member). */
int org_page(Req *r) {
    Org o;
    if (org_load(r, &o)) return -1;
    page_begin(r, o.name);
    html_printf(page(r), "<div class=\"title-row\"><h1>%h</h1>", o.name);
    if (r->who.access >= ACCESS_ADMIN) buf_puts(page(r), "<a class=\"button secondary\" href=\"/org/edit\">Edit</a>");
    buf_puts(page(r), "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    buf_puts(page(r), "<section class=\"card\"><h2>Purpose</h2>");
    if (*o.purpose) html_markdown(page(r), o.purpose);
    else buf_puts(page(r), "<p class=\"muted\">No purpose written yet.</p>");
    buf_puts(page(r), "</section>");
    if (*o.vision) {
        buf_puts(page(r), "<section class=\"card\"><h2>Vision</h2>");
        html_markdown(page(r), o.vision);
        buf_puts(page(r), "</section>");
    }
    json_t *values = json_list_decode(o.values_json);
    req_defer_json(r, values);
    if (json_array_size(values)) {
        buf_puts(page(r), "<section class=\"card\"><h2>Values</h2><ul class=\"values\">");
        size_t i;
        json_t *v;
        json_array_foreach(values, i, v) html_printf(page(r), "<li>%h</li>", json_string_value(v));
        buf_puts(page(r), "</ul></section>");
    }
    goals_render_tree(r);
    export_link(r, "/api/v1/goals");
    page_end(r);
    return 0;
}

static void org_form(Req *r, const char *name, const char *purpose, const char *vision, const char *values, const char *lang, const Errors *e) {
    page_begin(r, "Edit the organisation");
    buf_puts(page(r), "<h1>Edit the organisation</h1>");
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/org/edit", NULL);
    form_text(r, "name", "Name", name, e ? err_for(e, "name") : NULL, "text", true);
    form_textarea(r, "purpose", "Purpose", purpose, e ? err_for(e, "purpose") : NULL, "Why the organisation exists. Markdown is allowed.");
    form_textarea(r, "vision", "Vision", vision, e ? err_for(e, "vision") : NULL, "Where it is heading. Markdown is allowed.");
    form_textarea(r, "values", "Values", values, e ? err_for(e, "values") : NULL, "One value per line.");
    form_language(r, "Default language", lang, N_("Each person's browser decides"), e ? err_for(e, "language") : NULL);
    form_end(r, "Save");
    page_end(r);
}

/* GET /org/edit: the edit form (admin). */
int org_page_edit(Req *r) {
    Org o;
    if (org_load(r, &o)) return -1;
    json_t *values = json_list_decode(o.values_json);
    req_defer_json(r, values);
    Buf lines = {0};
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) {
        buf_puts(&lines, json_string_value(v));
        buf_putc(&lines, '\n');
    }
    org_form(r, o.name, o.purpose, o.vision, lines.len ? buf_cstr(&lines) : "", o.language, NULL);
    buf_free(&lines);
    return 0;
}

/* lines_to_list: one string per non-empty line, trimmed. */
static json_t *lines_to_list(Req *r, const char *text) {
    json_t *list = json_array();
    req_defer_json(r, list);
    const char *p = text ? text : "";
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = str_trim(r->arena, arena_strndup(r->arena, p, n));
        if (*line) json_array_append_new(list, json_string(line));
        p += n + (e ? 1 : 0);
    }
    return list;
}

/* POST /org/edit (name, purpose, vision, values): saves (admin). */
int org_page_edit_post(Req *r) {
    Org o;
    if (org_load(r, &o)) return -1;
    const char *name = req_form(r, "name"), *purpose = req_form(r, "purpose"), *vision = req_form(r, "vision"), *values = req_form(r, "values");
    Errors e = {0};
    const char *lang = req_form(r, "language");
    if (lang && !*lang) lang = NULL;
    if (!language_ok(lang, &e) || org_save(r, &o, name ? name : "", purpose, vision, lines_to_list(r, values), &e)) {
        org_form(r, name, purpose, vision, values, lang, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    org_set_language(r, lang);
    resp_redirect(r, "/org?saved=1");
    return 0;
}
