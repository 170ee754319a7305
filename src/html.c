/* html.c: HTML output that escapes by default. html_printf's %h escapes
 * text and attribute values, %u URL-encodes, and raw %s is for string
 * literals only. Also the shared page layout, form helpers (errors next to
 * fields, typed values kept) and markdown through md4c with raw HTML off. */
#include "remit.h"
#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void html_escape(Buf *b, const char *s) {
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
}

static void url_encode(Buf *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') buf_putc(b, (char)c);
        else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

/* put_int: v in decimal, by hand (printf costs more than a page's SQL). */
static void put_int(Buf *b, int64_t v) {
    char d[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do d[sizeof d - 1 - n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0) d[sizeof d - 1 - n++] = '-';
    buf_append(b, d + sizeof d - n, (size_t)n);
}

/* html_printf: see the file comment. Unknown directives abort (a bug). */
void html_printf(Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        buf_append(b, run, (size_t)(p - run));
        p++;
        switch (*p) {
        case 'h': html_escape(b, va_arg(ap, const char *)); break;
        case 's': { const char *s = va_arg(ap, const char *); if (s) buf_puts(b, s); break; }
        case 'u': url_encode(b, va_arg(ap, const char *)); break;
        case 'd': put_int(b, va_arg(ap, int)); break;
        case 'D': put_int(b, va_arg(ap, int64_t)); break;
        case '%': buf_putc(b, '%'); break;
        default: abort();
        }
        run = p + 1;
    }
    buf_puts(b, run);
    va_end(ap);
}

static void md_out(const MD_CHAR *text, MD_SIZE size, void *ud) { buf_append(ud, text, size); }

/* url_ok: a link target that is relative, or http, https or mailto, and
 * that hides no scheme behind an entity. */
static bool url_ok(const char *v, size_t n) {
    size_t pe = 0;
    while (pe < n && v[pe] != '/' && v[pe] != '?' && v[pe] != '#') pe++;
    bool risky = memchr(v, ':', pe) || memchr(v, '&', pe);
    return !risky || (n >= 5 && strncasecmp(v, "http:", 5) == 0) || (n >= 6 && strncasecmp(v, "https:", 6) == 0) ||
           (n >= 7 && strncasecmp(v, "mailto:", 7) == 0);
}

/* safe_urls: md4c does not judge link targets; this rewrites any href or
 * src value that url_ok refuses to "#". It reads the markup as md4c writes
 * it: text never holds a raw '<' or '"' (md4c escapes both), so each '<'
 * opens a tag whose attributes are name="value" pairs, and only the values
 * of attributes named href or src are judged. (Searching for the text
 * `src="` instead was fooled twice by the fuzzer: by a value ending in
 * href=, and by a title ending in src=, whose closing quote looked like an
 * opening one.) */
static void safe_urls(Buf *b) {
    size_t i = 0;
    while (i < b->len) {
        if (b->data[i++] != '<') continue;
        while (i < b->len && b->data[i] != '>') {
            if (b->data[i] != ' ') {
                i++;
                continue;
            }
            size_t n0 = ++i;
            while (i < b->len && b->data[i] != '=' && b->data[i] != ' ' && b->data[i] != '>') i++;
            if (i + 1 >= b->len || b->data[i] != '=' || b->data[i + 1] != '"') continue;
            size_t nlen = i - n0, v = i + 2, e = v;
            while (e < b->len && b->data[e] != '"') e++;
            bool url = (nlen == 4 && memcmp(b->data + n0, "href", 4) == 0) || (nlen == 3 && memcmp(b->data + n0, "src", 3) == 0);
            if (url && !url_ok(b->data + v, e - v)) {
                memmove(b->data + v + 1, b->data + e, b->len - e + 1);
                b->data[v] = '#';
                b->len = b->len - (e - v) + 1;
                e = v + 1;
            }
            i = e + 1; /* past the closing quote */
        }
    }
}

void html_markdown(Buf *b, const char *md) {
    if (!md || !*md) return;
    Buf tmp = {0};
    if (md_html(md, (MD_SIZE)strlen(md), md_out, &tmp, MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH | MD_FLAG_TABLES | MD_FLAG_PERMISSIVEAUTOLINKS, 0) != 0) {
        html_printf(b, "<p>%h</p>", md);
    } else if (tmp.len) {
        safe_urls(&tmp);
        buf_append(b, tmp.data, tmp.len);
    }
    buf_free(&tmp);
}

Buf *page(Req *r) { return &r->resp.body; }

/* page_begin: the shared layout: header with navigation for the caller's
 * access, then <main>. The title is escaped. */
void page_begin(Req *r, const char *title) {
    Buf *b = page(r);
    r->resp.content_type = "text/html; charset=utf-8";
    r->resp.sent = true;
    html_printf(b,
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>%h · remit</title><link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">"
                "<link rel=\"stylesheet\" href=\"/assets/app.css\">"
                "<script src=\"/assets/app.js\" defer></script></head><body>"
                "<a class=\"skip\" href=\"#main\">Skip to content</a>"
                "<header class=\"top\"><a class=\"brand\" href=\"/\">remit</a>",
                title);
    if (r->who.person_id) {
        const char *p = r->path ? r->path : "";
        struct { const char *href, *label; int need; } nav[] = {
            {"/", "Home", ACCESS_MEMBER},      {"/org", "Organisation", ACCESS_MEMBER},
            {"/teams", "Teams", ACCESS_MEMBER}, {"/people", "People", ACCESS_MEMBER},
            {"/roles", "Roles", ACCESS_MEMBER}, {"/rights", "Rights", ACCESS_MEMBER}, {"/decisions", "Decisions", ACCESS_MEMBER},
            {"/challenges", "Ideas", ACCESS_MEMBER}, {"/surveys", "Surveys", ACCESS_MEMBER},
            {"/inbox", "Inbox", ACCESS_MEMBER}, {"/autonomy", "Autonomy", ACCESS_MEMBER}, {"/insights", "Insights", ACCESS_MANAGER},
            {"/audit", "Audit log", ACCESS_ADMIN},
        };
        /* what waits for the caller: requests routed to them and unread notes */
        int64_t waiting = 0, unread = 0;
        if (r->db) {
            db_one_int(r->db, &waiting, "SELECT count(*) FROM decision WHERE route_to_id = ? AND org_id = ? AND status = 'pending'", "ii",
                       r->who.person_id, r->who.org_id);
            db_one_int(r->db, &unread, "SELECT count(*) FROM notification WHERE person_id = ? AND org_id = ? AND read_at IS NULL", "ii",
                       r->who.person_id, r->who.org_id);
        }
        buf_puts(b, "<nav aria-label=\"Main\"><ul>");
        for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
            if (r->who.access < nav[i].need) continue;
            size_t hl = strlen(nav[i].href);
            bool cur = strcmp(nav[i].href, "/") == 0 ? strcmp(p, "/") == 0 : strncmp(p, nav[i].href, hl) == 0;
            html_printf(b, "<li><a href=\"%h\"%s>%h", nav[i].href, cur ? " aria-current=\"page\"" : "", nav[i].label);
            if (strcmp(nav[i].href, "/inbox") == 0 && waiting + unread > 0)
                html_printf(b, " <span class=\"count\" aria-label=\"%D waiting\">%D</span>", waiting + unread, waiting + unread);
            buf_puts(b, "</a></li>");
        }
        html_printf(b,
                    "</ul></nav><div class=\"me\"><a href=\"/account\">%h</a>"
                    "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                    "<button type=\"submit\" class=\"link\">Log out</button></form></div>",
                    r->who.name, r->who.csrf ? r->who.csrf : "");
    }
    buf_puts(b, "</header><main id=\"main\">");
}

void page_end(Req *r) {
    buf_puts(page(r), "</main><footer><p>remit " REMIT_VERSION ": decisions made where the work is.</p></footer></body></html>\n");
}

void page_flash(Req *r, const char *msg) {
    if (msg && *msg) html_printf(page(r), "<p class=\"flash\" role=\"status\">%h</p>", msg);
}

void form_begin(Req *r, const char *action, const char *enctype) {
    html_printf(page(r), "<form method=\"post\" action=\"%h\"%s%h%s novalidate><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">",
                action, enctype ? " enctype=\"" : "", enctype ? enctype : "", enctype ? "\"" : "", r->who.csrf ? r->who.csrf : "");
}

/* form_begin_confirm: a POST form that app.js confirms before sending (for
 * deletes); without JavaScript it simply submits. */
void form_begin_confirm(Req *r, const char *action, const char *question) {
    html_printf(page(r), "<form method=\"post\" action=\"%h\" data-confirm=\"%h\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">",
                action, question, r->who.csrf ? r->who.csrf : "");
}

void form_end(Req *r, const char *button) {
    html_printf(page(r), "<div class=\"actions\"><button type=\"submit\">%h</button></div></form>", button);
}

void form_error_summary(Req *r, int nerrors) {
    if (nerrors > 0)
        html_printf(page(r), "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>",
                    nerrors == 1 ? "Please correct the field marked below." : "Please correct the fields marked below.");
}

static void field_open(Req *r, const char *name, const char *label, const char *error) {
    html_printf(page(r), "<div class=\"field%s\"><label for=\"f-%h\">%h</label>", error ? " has-error" : "", name, label);
}

static void field_error(Req *r, const char *name, const char *error) {
    if (error) html_printf(page(r), "<p class=\"error\" id=\"f-%h-err\">%h</p>", name, error);
    buf_puts(page(r), "</div>");
}

static void aria_invalid(Req *r, const char *name, const char *error) {
    if (error) html_printf(page(r), " aria-invalid=\"true\" aria-describedby=\"f-%h-err\"", name);
}

void form_text(Req *r, const char *name, const char *label, const char *value, const char *error, const char *type, bool required) {
    field_open(r, name, label, error);
    html_printf(page(r), "<input id=\"f-%h\" name=\"%h\" type=\"%h\" value=\"%h\"%s", name, name, type ? type : "text", value ? value : "",
                required ? " required" : "");
    if (type && strcmp(type, "password") == 0) buf_puts(page(r), " autocomplete=\"new-password\"");
    aria_invalid(r, name, error);
    buf_puts(page(r), ">");
    field_error(r, name, error);
}

void form_textarea(Req *r, const char *name, const char *label, const char *value, const char *error, const char *hint) {
    field_open(r, name, label, error);
    if (hint) html_printf(page(r), "<p class=\"hint\" id=\"f-%h-hint\">%h</p>", name, hint);
    html_printf(page(r), "<textarea id=\"f-%h\" name=\"%h\" rows=\"5\"", name, name);
    if (hint && !error) html_printf(page(r), " aria-describedby=\"f-%h-hint\"", name);
    aria_invalid(r, name, error);
    html_printf(page(r), ">%h</textarea>", value ? value : "");
    field_error(r, name, error);
}

/* options_from: the choices for a select from a statement whose rows are
 * (id, label); the statement is run to the end and reset. Arena-owned. */
Option *options_from(Req *r, Stmt *s, int *n) {
    int cap = 16;
    Option *o = arena_alloc(r->arena, sizeof *o * (size_t)cap);
    *n = 0;
    while (db_step(s) == DB_ROW) {
        if (*n == cap) o = arena_grow(r->arena, o, &cap, sizeof *o);
        o[*n].id = db_int(s, 0);
        o[(*n)++].label = db_dup(s, 1, r->arena);
    }
    db_reset(s);
    return o;
}

void form_select_id(Req *r, const char *name, const char *label, int64_t selected, const Option *opts, int n, const char *none_label, const char *error) {
    field_open(r, name, label, error);
    html_printf(page(r), "<select id=\"f-%h\" name=\"%h\"", name, name);
    aria_invalid(r, name, error);
    buf_puts(page(r), ">");
    if (none_label) html_printf(page(r), "<option value=\"\">%h</option>", none_label);
    for (int i = 0; i < n; i++)
        html_printf(page(r), "<option value=\"%D\"%s>%h</option>", opts[i].id, opts[i].id == selected ? " selected" : "", opts[i].label);
    buf_puts(page(r), "</select>");
    field_error(r, name, error);
}

void form_select_str(Req *r, const char *name, const char *label, const char *selected, const char *const *values, const char *error) {
    field_open(r, name, label, error);
    html_printf(page(r), "<select id=\"f-%h\" name=\"%h\"", name, name);
    aria_invalid(r, name, error);
    buf_puts(page(r), ">");
    for (int i = 0; values[i]; i++)
        html_printf(page(r), "<option value=\"%h\"%s>%h</option>", values[i], selected && strcmp(selected, values[i]) == 0 ? " selected" : "", values[i]);
    buf_puts(page(r), "</select>");
    field_error(r, name, error);
}

/* form_id_field: an optional id field of a form: absent keeps *v, "" clears
 * it (0), anything but a positive number is a 422 problem for that field. */
void form_id_field(Req *r, const char *name, int64_t *v, Errors *e, const char *msg) {
    const char *s = req_form(r, name);
    int64_t x;
    if (!s) return;
    if (!*s) *v = 0;
    else if (parse_id(s, &x)) *v = x;
    else err_add(e, 422, "invalid", name, msg);
}

/* ---------- option lists kept per connection (conncache.c) ---------- */
typedef struct ListWanted { const char *sql; int64_t org_id; } ListWanted;

OptionList *option_list_from(Arena *a, Stmt *s) {
    OptionList *l = arena_alloc(a, sizeof *l);
    int cap = 16;
    l->v = arena_alloc(a, sizeof *l->v * (size_t)cap);
    while (db_step(s) == DB_ROW) {
        if (l->n == cap) l->v = arena_grow(a, l->v, &cap, sizeof *l->v);
        l->v[l->n].id = db_int(s, 0);
        l->v[l->n++].label = db_dup(s, 1, a);
    }
    db_reset(s);
    Buf b = {0};
    l->mark = arena_alloc(a, sizeof *l->mark * (size_t)(l->n + 1));
    for (int i = 0; i < l->n; i++) {
        html_printf(&b, "<option value=\"%D\"", l->v[i].id);
        l->mark[i] = b.len;
        html_printf(&b, ">%h</option>", l->v[i].label);
    }
    l->len = b.len;
    l->html = arena_alloc(a, b.len + 1);
    if (b.len) memcpy(l->html, b.data, b.len);
    buf_free(&b);
    return l;
}

static void *option_list_load(Db *db, Arena *a, void *ctx) {
    const ListWanted *q = ctx;
    return option_list_from(a, db_q(db, q->sql, "i", q->org_id));
}

const OptionList *options_cached(Req *r, const char *sql) {
    ListWanted q = {sql, r->who.org_id};
    return conn_cache_get(r->db, sql, r->who.org_id, 0, 0, option_list_load, &q);
}

void form_select_list(Req *r, const char *name, const char *label, int64_t selected, const OptionList *l, const char *none_label, const char *error) {
    Buf *b = page(r);
    field_open(r, name, label, error);
    html_printf(b, "<select id=\"f-%h\" name=\"%h\"", name, name);
    aria_invalid(r, name, error);
    buf_puts(b, ">");
    if (none_label) html_printf(b, "<option value=\"\">%h</option>", none_label);
    int at = -1;
    for (int i = 0; selected && i < l->n && at < 0; i++)
        if (l->v[i].id == selected) at = i;
    if (at < 0) buf_append(b, l->html, l->len);
    else {
        buf_append(b, l->html, l->mark[at]);
        buf_puts(b, " selected");
        buf_append(b, l->html + l->mark[at], l->len - l->mark[at]);
    }
    buf_puts(b, "</select>");
    field_error(r, name, error);
}
