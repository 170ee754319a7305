/* errors.c: validation errors collected per field, so that a form shows each
 * message next to its field and the API answers the first one with the right
 * status. Messages are plain sentences meant for the person who typed. */
#include "remit.h"
#include <string.h>

void err_add(Errors *e, int status, const char *code, const char *field, const char *msg) {
    if (e->n == 0) {
        e->status = status;
        e->code = code;
    }
    if (e->n < (int)(sizeof e->items / sizeof e->items[0])) {
        e->items[e->n].field = field;
        e->items[e->n].msg = msg;
        e->n++;
    }
}

const char *err_for(const Errors *e, const char *field) {
    for (int i = 0; i < e->n; i++)
        if (e->items[i].field && field && strcmp(e->items[i].field, field) == 0) return e->items[i].msg;
    return NULL;
}

int err_send(Req *r, const Errors *e) {
    if (e->n == 0) return resp_error(r, 500, "internal", "Unknown error.");
    const FieldErr *f = &e->items[0];
    json_t *err = json_pack("{s:s,s:s}", "code", e->code ? e->code : "invalid", "message", T(r, f->msg));
    if (f->field) json_object_set_new(err, "field", json_string(f->field));
    if (e->n > 1) {
        json_t *all = json_array();
        for (int i = 0; i < e->n; i++) {
            json_t *x = json_pack("{s:s}", "message", T(r, e->items[i].msg));
            if (e->items[i].field) json_object_set_new(x, "field", json_string(e->items[i].field));
            json_array_append_new(all, x);
        }
        json_object_set_new(err, "details", all);
    }
    resp_json(r, e->status ? e->status : 422, json_pack("{s:o}", "error", err));
    return -1;
}

/* err_busy: the database stayed locked (another process held it). */
void err_busy(Errors *e) { err_add(e, 503, "busy", NULL, "The server is busy; try again."); }
