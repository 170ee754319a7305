/* canask.c: "Can I?" as a JSON answer (/api/v1/can), as a page with a plain
 * form (/can), as the box on the home page and the new-decision form, and
 * as the CLI's `remit can`. Who may ask about whom: members about
 * themselves, managers about people below them, admins about anyone. */
#include "remit.h"
#include "handlers.h"
#include <stdio.h>
#include <string.h>

static const char SQL_MANAGER_OF[] = "SELECT manager_id FROM person WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_IN_ORG[] = "SELECT count(*) FROM person WHERE id = ? AND org_id = ?";
static const char SQL_DOMAIN_SLUGS[] = "SELECT slug, label FROM domain WHERE org_id = ? ORDER BY label, id";

/* person_is_below: whether `boss` is somewhere up `person`'s management chain. */
bool person_is_below(Db *db, int64_t org_id, int64_t person, int64_t boss) {
    int64_t cur = person, next = 0;
    for (int steps = 0; steps < 1000 && db_one_int(db, &next, SQL_MANAGER_OF, "ii", cur, org_id) && next; steps++) {
        if (next == boss) return true;
        cur = next;
    }
    return false;
}

/* can_ask: validates who, domain and amount, then evaluates. 0 ok (out and
 * d filled); -1 after sending the error (JSON or page). */
int can_ask(Req *r, const char *person_s, const char *slug, const char *amount_s, CanResult *out, Domain *d, int64_t *amount) {
    int64_t person = r->who.person_id, n = 0;
    if (person_s && *person_s && !parse_id(person_s, &person)) return resp_error(r, 400, "invalid_parameter", "person_id must be an id.");
    if (str_empty(slug)) return resp_error(r, 400, "missing_parameter", "Say which decision domain you mean (domain=...).");
    *amount = -1;
    if (amount_s && *amount_s && !money_parse(amount_s, amount))
        return resp_error(r, 400, "invalid_amount", "Amounts are non-negative numbers with at most two decimals, such as 120 or 120.50.");
    if (!db_one_int(r->db, &n, SQL_PERSON_IN_ORG, "ii", person, r->who.org_id) || n == 0)
        return resp_error(r, 404, "not_found", "There is no such person.");
    if (person != r->who.person_id && r->who.access < ACCESS_ADMIN &&
        !(r->who.access >= ACCESS_MANAGER && person_is_below(r->db, r->who.org_id, person, r->who.person_id)))
        return resp_error(r, 403, "forbidden", "You may ask only about yourself%s.", r->who.access >= ACCESS_MANAGER ? " and the people who report to you" : "");
    if (!domain_by_slug(r, slug, d)) return resp_error(r, 422, "unknown_domain", "There is no decision domain \"%.60s\".", slug);
    CanWorld w;
    can_load_cached(r->db, r->who.org_id, d->id, d->label, r->now, &w);
    can_evaluate(&w, person, *amount, out);
    if (out->route_name) out->route_name = arena_strdup(r->arena, out->route_name); /* the cached world may be replaced */
    for (int i = 0; i < out->nmissing; i++) out->missing[i].name = arena_strdup(r->arena, out->missing[i].name);
    return 0;
}

/* missing_json: what the asker must complete before a right they hold on
 * paper counts: [{"skill_id","level","name","text"}|{"training_id","name","text"}]. */
static json_t *missing_json(const CanResult *c) {
    json_t *a = json_array();
    for (int i = 0; i < c->nmissing; i++) {
        const CanReq *q = &c->missing[i];
        char text[300];
        if (q->training_id) {
            snprintf(text, sizeof text, "complete the training %s", q->name ? q->name : "?");
            json_array_append_new(a, json_pack("{s:I,s:s,s:s}", "training_id", (json_int_t)q->training_id, "name", q->name ? q->name : "?", "text", text));
        } else {
            snprintf(text, sizeof text, "reach level %d in %s", q->level, q->name ? q->name : "?");
            json_array_append_new(a, json_pack("{s:I,s:i,s:s,s:s}", "skill_id", (json_int_t)q->skill_id, "level", q->level, "name", q->name ? q->name : "?",
                                               "text", text));
        }
    }
    return a;
}

json_t *can_json(const CanResult *c) {
    char m[24];
    json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s}", "verdict", verdict_name(c->verdict), "level", c->level ? json_integer(c->level) : json_null(),
                          "limit", c->limit_cents >= 0 ? json_string(money_format(c->limit_cents, m)) : json_null(), "right_id",
                          c->right_id ? json_integer(c->right_id) : json_null(), "route_to",
                          c->route_to ? json_pack("{s:I,s:s}", "id", (json_int_t)c->route_to, "name", c->route_name) : json_null(), "explanation",
                          c->explanation);
    if (c->nmissing) {
        json_object_set_new(o, "missing", missing_json(c));
        json_object_set_new(o, "missing_right_id", json_integer(c->missing_right_id));
    }
    return o;
}

/* GET /api/v1/can?person_id=ID&domain=SLUG&amount=DECIMAL: the verdict
 * (member; person_id defaults to the caller). */
int can_api_ask(Req *r) {
    CanResult c;
    Domain d;
    int64_t amount;
    if (can_ask(r, req_query(r, "person_id"), req_query(r, "domain"), req_query(r, "amount"), &c, &d, &amount)) return -1;
    json_t *j = can_json(&c);
    json_object_set_new(j, "protocols", protocols_json_for_domain(r, d.id)); /* the protocols that apply (protocols.c) */
    resp_json(r, 200, j);
    return 0;
}

static const char *const VERDICT_HEADLINE[] = {
    N_("No: you hold no right for this"), N_("Not alone: it needs approval"), N_("Yes: decide it"), N_("Yes: decide it, then tell"),
    N_("Yes: after advice"), N_("Together: agree it first"), N_("Propose it"),
};

/* verdict_headline: the few words every page uses for a verdict. */
const char *verdict_headline(int v) { return v >= 0 && v <= V_PROPOSE ? VERDICT_HEADLINE[v] : "?"; }

/* can_box: the "Can I?" form and, when given, its answer. The form works
 * without JavaScript (GET /can); app.js answers as the person types. */
void can_box(Req *r, const char *slug, const char *amount, const CanResult *answer) {
    Buf *b = page(r);
    html_printf(b, "<section class=\"card can-box\" aria-labelledby=\"can-h\"><h2 id=\"can-h\">Can I?</h2>"
                   "<form method=\"get\" action=\"/can\" class=\"can-form\" data-can>");
    Stmt *s = db_q(r->db, SQL_DOMAIN_SLUGS, "i", r->who.org_id);
    html_printf(b, "<div class=\"field\"><label for=\"can-domain\">Decide about</label><select id=\"can-domain\" name=\"domain\">");
    int n = 0;
    while (db_step(s) == DB_ROW) {
        n++;
        html_printf(b, "<option value=\"%h\"%s>%h</option>", db_text(s, 0), slug && strcmp(slug, db_text(s, 0)) == 0 ? " selected" : "", db_text(s, 1));
    }
    db_reset(s);
    html_printf(b, "</select></div><div class=\"field\"><label for=\"can-amount\">Amount (optional)</label>"
                   "<input id=\"can-amount\" name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\" value=\"%h\" placeholder=\"e.g. 120.50\"></div>"
                   "<div class=\"actions\"><button type=\"submit\">Ask</button></div></form>",
                amount ? amount : "");
    html_printf(b, "<div class=\"can-answer\" aria-live=\"polite\" data-can-answer>");
    if (answer) {
        html_printf(b, "<p class=\"verdict verdict-%h\"><strong>%h</strong></p><p>%h</p>", verdict_name(answer->verdict),
                    VERDICT_HEADLINE[answer->verdict], answer->explanation);
        if (answer->nmissing) {
            html_printf(b, "<div class=\"can-missing\" data-missing><p><strong>%h</strong></p><ul>", T(r, "Not yet: first complete"));
            for (int i = 0; i < answer->nmissing; i++) {
                const CanReq *q = &answer->missing[i];
                if (q->training_id)
                    html_printf(b, "<li><a href=\"/training/%D\">%h</a></li>", q->training_id, arena_printf(r->arena, T(r, "the training %s"), q->name));
                else html_printf(b, "<li>%h</li>", arena_printf(r->arena, T(r, "level %d in %s"), q->level, q->name));
            }
            html_printf(b, "</ul><p>%h</p></div>",
                        answer->route_name ? arena_printf(r->arena, T(r, "Until then, ask %s."), answer->route_name) : T(r, "Until then, ask an owner."));
        }
    } else if (n == 0) {
        html_printf(b, "<p class=\"muted\">No decision domains yet.%s</p>", r->who.access >= ACCESS_ADMIN ? " Add them under Rights." : "");
    }
    html_printf(b, "</div></section>");
}

/* GET /can?domain=SLUG&amount=X: the "Can I?" page and plain-form answer
 * (member). */
int can_page(Req *r) {
    const char *slug = req_query(r, "domain"), *amount_s = req_query(r, "amount");
    CanResult c;
    Domain d;
    int64_t amount;
    bool asked = slug && *slug;
    if (asked) {
        r->is_api = false;
        if (can_ask(r, NULL, slug, amount_s, &c, &d, &amount)) {
            /* show the form again with the problem, instead of a bare error page */
            char *msg = NULL;
            if (r->resp.status == 400) msg = "Amounts are non-negative numbers with at most two decimals, such as 120 or 120.50.";
            else if (r->resp.status == 422) msg = "Choose one of the decision domains.";
            if (!msg) return -1;
            r->resp.body.len = 0; /* keep the router's security headers */
            page_begin(r, "Can I?");
            html_printf(page(r), "<h1>Can I?</h1><div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", msg);
            can_box(r, slug, amount_s, NULL);
            page_end(r);
            r->resp.status = r->resp.status == 400 ? 400 : 422;
            return 0;
        }
    }
    page_begin(r, "Can I?");
    html_printf(page(r), "<h1>Can I?</h1><p class=\"lead\">Check what you may decide on your own, and whom to ask otherwise.</p>");
    can_box(r, slug, amount_s, asked ? &c : NULL);
    if (asked) protocols_render_for_domain(r, d.id);
    if (asked) html_printf(page(r), "<p><a class=\"button secondary\" href=\"/decisions/new?domain=%u&amp;amount=%u\">Log this decision</a></p>", slug, amount_s ? amount_s : "");
    page_end(r);
    return 0;
}

/* can_cli: `remit can --db FILE --email EMAIL --domain SLUG [--amount X]`:
 * prints the verdict and the explanation. Exit codes as for every command. */
int can_cli(Db *db, int64_t org_id, const char *email, const char *slug, const char *amount_s) {
    Req *r = req_new();
    r->db = db;
    r->who.org_id = org_id;
    int rc = 1;
    int64_t amount = -1, person = 0;
    Domain d;
    if (amount_s && !money_parse(amount_s, &amount)) {
        fprintf(stderr, "remit can: --amount takes a non-negative number with at most two decimals\n");
        rc = 2;
    } else if (!db_one_int(db, &person, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org_id, str_lower(r->arena, email))) {
        fprintf(stderr, "remit: no person with e-mail %s\n", email);
    } else if (!domain_by_slug(r, slug, &d)) {
        fprintf(stderr, "remit: no decision domain \"%s\"\n", slug);
    } else {
        CanWorld w;
        CanResult c;
        can_load(db, r->arena, org_id, d.id, d.label, r->now, &w);
        can_evaluate(&w, person, amount, &c);
        printf("%s: %s\n", verdict_name(c.verdict), c.explanation);
        rc = 0;
    }
    req_free(r);
    return rc;
}
