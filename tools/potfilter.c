/* potfilter.c: build-time filter for `make po`. xgettext extracts every
 * html_printf format string, most of which are markup alone ("<td>%h</td>");
 * this drops the entries whose msgid has no text outside its markup (the
 * same rule as the pseudo-language's, src/i18n_markup.h), so translators see
 * only text. Usage: potfilter < all.pot > remit.pot */
#include "../src/i18n_markup.h"
#include <stdio.h>
#include <stdlib.h>

/* is_sql: a piece of an SQL statement built in a Buf (never shown). */
static bool is_sql(const char *id) {
    static const char *const kw[] = {"SELECT ", "WITH ", "FROM ", "AND ", "OR ", "ORDER BY ", "WHERE ", "JOIN ", "LEFT JOIN ", "INSERT ", "UPDATE ", "DELETE ", "GROUP BY ", "LIMIT ", NULL};
    while (*id == ' ') id++;
    for (int i = 0; kw[i]; i++)
        if (strncmp(id, kw[i], strlen(kw[i])) == 0) return true;
    return false;
}

/* unquote: appends the C string literal on line (from its first '"') to out. */
static void unquote(const char *line, char *out, size_t cap) {
    size_t n = strlen(out);
    const char *p = strchr(line, '"');
    if (!p) return;
    for (p++; *p && *p != '"' && n + 1 < cap; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            out[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        } else out[n++] = *p;
    }
    out[n] = 0;
}

int main(void) {
    static char block[1 << 16], id[1 << 14], line[1 << 14];
    size_t blen = 0;
    int in_id = 0, eof = 0;
    id[0] = 0;
    while (!eof) {
        if (!fgets(line, sizeof line, stdin)) eof = 1;
        if (eof || line[0] == '\n') {
            if (blen) {
                bool header = strstr(block, "msgid \"\"\nmsgstr \"\"") != NULL && id[0] == 0;
                /* a TRANSLATORS: comment keeps an entry without letters ("%d %s %d") */
                if (header || strstr(block, "#. TRANSLATORS:") || (!is_sql(id) && markup_walk(id, NULL, NULL))) fputs(block, stdout), fputs("\n", stdout);
            }
            blen = 0;
            block[0] = 0;
            id[0] = 0;
            in_id = 0;
            continue;
        }
        size_t n = strlen(line);
        if (blen + n + 1 >= sizeof block) {
            fprintf(stderr, "potfilter: an entry is too long\n");
            return 1;
        }
        memcpy(block + blen, line, n + 1);
        blen += n;
        if (strncmp(line, "msgid ", 6) == 0) {
            in_id = 1;
            unquote(line, id, sizeof id);
        } else if (in_id && line[0] == '"') unquote(line, id, sizeof id);
        else in_id = 0;
    }
    return 0;
}
