/* import.c: importing people from CSV, shared by the page (/people/import),
 * the API (POST /api/v1/people/import) and the command line (`remit import
 * people`). The only file that includes <csv.h>. An import is all rows or
 * none: every row is checked first and every problem is reported with the
 * physical line its record starts on; only a clean file is written, in one
 * transaction with one audit entry. It never creates owners and never sets
 * passwords (imported people log in after an admin sets one). */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include "evidence.h"
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMPORT_MAX_ROWS 5000

/* The first NREQUIRED columns must be in the header; the people history
 * columns (started_on, left_on, leave_reason) may be. */
enum { COL_NAME, COL_EMAIL, COL_TEAM, COL_MANAGER, COL_TITLE, COL_ACCESS, NREQUIRED, COL_STARTED = NREQUIRED, COL_LEFT, COL_REASON, NCOLS };
static const char *const COLUMNS[NCOLS] = {"name", "email", "team", "manager_email", "title", "access", "started_on", "left_on", "leave_reason"};

typedef struct Row {
    int line;
    char *f[NCOLS];       /* trimmed fields, in COLUMNS order */
    char *email_lc, *mgr_lc;
    const char *access;
    int64_t team_id;      /* an existing team */
    int new_team;         /* else 1 + index into the teams to create, or 0 */
    int64_t mgr_id;       /* an existing person as manager */
    int mgr_row;          /* else 1 + index of the managing row, or 0 */
    int64_t id;           /* after insert */
} Row;

typedef struct Problem { int line, seq; char *msg; } Problem;

/* Import: the state of one import, everything in arena a. */
typedef struct Import {
    Arena *a;
    int line;             /* physical line being fed to the parser */
    int rec_line;         /* line where the current record started */
    bool idle;            /* between records */
    char **fields;        /* the current record */
    int nf, fcap;
    bool nul;             /* a field of the current record held a NUL byte */
    bool have_header, header_bad, too_many;
    int header_line;
    int col[NCOLS];       /* header position of each column */
    int ncols;
    Row *rows;
    int nrows, rcap;
    Problem *probs;
    int nprobs, pcap;
} Import;

static void problem(Import *im, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(Import *im, int line, const char *fmt, ...) {
    if (im->nprobs == im->pcap) {
        int cap = im->pcap ? im->pcap * 2 : 16;
        Problem *p = arena_alloc(im->a, sizeof *p * (size_t)cap);
        if (im->nprobs) memcpy(p, im->probs, sizeof *p * (size_t)im->nprobs);
        im->probs = p;
        im->pcap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    Buf b = {0};
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    im->probs[im->nprobs] = (Problem){line, im->nprobs, arena_strdup(im->a, buf_cstr(&b))};
    im->nprobs++;
    buf_free(&b);
}

/* shown: a value quoted in a message: at most 60 bytes, control characters
 * replaced, so a message stays on one line. */
static char *shown(Import *im, const char *s) {
    size_t n = strlen(s);
    bool cut = n > 60;
    if (cut) n = 57;
    char *o = arena_strndup(im->a, s, n);
    for (char *p = o; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    return cut ? arena_printf(im->a, "%s...", o) : o;
}

static void on_field(void *data, size_t len, void *ctx) {
    Import *im = ctx;
    if (im->nf == im->fcap) {
        int cap = im->fcap ? im->fcap * 2 : 8;
        char **f = arena_alloc(im->a, sizeof *f * (size_t)cap);
        if (im->nf) memcpy(f, im->fields, sizeof *f * (size_t)im->nf);
        im->fields = f;
        im->fcap = cap;
    }
    if (len && memchr(data, 0, len)) im->nul = true;
    im->fields[im->nf++] = str_trim(im->a, arena_strndup(im->a, data ? data : "", data ? len : 0));
}

static void read_header(Import *im) {
    for (int c = 0; c < NCOLS; c++) im->col[c] = -1;
    im->ncols = im->nf;
    for (int i = 0; i < im->nf; i++) {
        char *h = str_lower(im->a, im->fields[i]);
        int c = 0;
        while (c < NCOLS && strcmp(h, COLUMNS[c]) != 0) c++;
        if (c == NCOLS) {
            problem(im, im->rec_line, "unknown column \"%s\" in the header; the columns are name,email,team,manager_email,title,access and optionally started_on,left_on,leave_reason", shown(im, h));
            im->header_bad = true;
        } else if (im->col[c] >= 0) {
            problem(im, im->rec_line, "the column \"%s\" appears twice in the header", COLUMNS[c]);
            im->header_bad = true;
        } else im->col[c] = i;
    }
    for (int c = 0; c < NREQUIRED; c++)
        if (im->col[c] < 0) {
            problem(im, im->rec_line, "the header has no \"%s\" column; the columns are name,email,team,manager_email,title,access", COLUMNS[c]);
            im->header_bad = true;
        }
}

/* on_record: the end of one record: the header, or a row to check later. */
static void on_record(int c, void *ctx) {
    (void)c;
    Import *im = ctx;
    int nf = im->nf;
    bool nul = im->nul;
    im->nf = 0;
    im->nul = false;
    im->idle = true;
    if (!im->have_header) {
        im->have_header = true;
        im->header_line = im->rec_line;
        im->nf = nf;
        read_header(im);
        im->nf = 0;
        return;
    }
    bool blank = true;
    for (int i = 0; i < nf && blank; i++) blank = !*im->fields[i];
    if (blank || im->too_many) return; /* a row of empty cells, as spreadsheets export */
    if (im->nrows == IMPORT_MAX_ROWS) {
        problem(im, im->rec_line, "too many rows: at most %d people per import; split the file", IMPORT_MAX_ROWS);
        im->too_many = true;
        return;
    }
    if (nul) {
        problem(im, im->rec_line, "the row contains a NUL byte; is this a text file?");
        return;
    }
    if (im->header_bad) return; /* nothing can be checked without columns */
    if (nf != im->ncols) {
        problem(im, im->rec_line, "expected %d fields like the header, found %d", im->ncols, nf);
        return;
    }
    if (im->nrows == im->rcap) {
        int cap = im->rcap ? im->rcap * 2 : 64;
        Row *r = arena_alloc(im->a, sizeof *r * (size_t)cap);
        if (im->nrows) memcpy(r, im->rows, sizeof *r * (size_t)im->nrows);
        im->rows = r;
        im->rcap = cap;
    }
    Row *row = &im->rows[im->nrows++];
    memset(row, 0, sizeof *row);
    row->line = im->rec_line;
    for (int k = 0; k < NCOLS; k++) row->f[k] = im->col[k] >= 0 ? im->fields[im->col[k]] : "";
}

static bool blank_bytes(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return false;
    return true;
}

/* parse: the whole text through libcsv, one physical line at a time so each
 * record knows the line it starts on (a quoted field may span lines). A
 * line ends at LF, or at a CR that no LF follows. 0, or -1 after a syntax
 * problem. */
static int parse(Import *im, const char *csv, size_t len) {
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) abort();
    size_t pos = 0;
    if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0) pos = 3; /* the BOM spreadsheets write */
    im->idle = true;
    int rc = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && csv[end] != '\n' && !(csv[end] == '\r' && (end + 1 >= len || csv[end + 1] != '\n'))) end++;
        if (end < len) end++;
        im->line++;
        if (im->idle && !blank_bytes(csv + pos, end - pos)) {
            im->rec_line = im->line;
            im->idle = false;
        }
        if (csv_parse(&p, csv + pos, end - pos, on_field, on_record, im) != end - pos) {
            if (csv_error(&p) == CSV_EPARSE)
                problem(im, im->line, "malformed CSV: a quote inside an unquoted field, or text after a closing quote; put quotes around the whole field and double the quotes inside it");
            else problem(im, im->line, "the file is too large to read");
            rc = -1;
            break;
        }
        pos = end;
    }
    if (rc == 0 && csv_fini(&p, on_field, on_record, im) != 0) {
        problem(im, im->rec_line, "a quoted field is never closed");
        rc = -1;
    }
    csv_free(&p);
    return rc;
}

static int cmp_email(const void *x, const void *y) {
    const Row *a = *(Row *const *)x, *b = *(Row *const *)y;
    int c = strcmp(a->email_lc, b->email_lc);
    return c ? c : a->line - b->line;
}

static int cmp_problem(const void *x, const void *y) {
    const Problem *a = x, *b = y;
    return a->line != b->line ? a->line - b->line : a->seq - b->seq;
}

/* find_row: the first row (by line) with this e-mail, via the sorted index. */
static Row *find_row(Row **sorted, int n, const char *lc) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(sorted[mid]->email_lc, lc) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && strcmp(sorted[lo]->email_lc, lc) == 0 ? sorted[lo] : NULL;
}

static const char SQL_IMPORT_PERSON_BY_EMAIL[] = "SELECT id FROM person WHERE org_id = ? AND email_lc = ?";
static const char SQL_IMPORT_TEAM_BY_NAME[] = "SELECT id FROM team WHERE org_id = ? AND lower(name) = lower(?) ORDER BY id LIMIT 1";
static const char SQL_IMPORT_TEAM_INSERT[] = "INSERT INTO team(org_id, name, created_at) VALUES (?, ?, ?)";
static const char SQL_IMPORT_PERSON_INSERT[] =
    "INSERT INTO person(org_id, name, email, email_lc, team_id, title, access, status, created_at, started_on, left_on, leave_reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_IMPORT_SET_MANAGER[] = "UPDATE person SET manager_id = ? WHERE id = ? AND org_id = ?";

/* check: every rule against each row, the other rows and the database (read
 * inside the import's transaction). Problems go to im. teams receives the
 * names of the teams to create (first spelling wins). */
static void check(Import *im, Db *db, int64_t org_id, char ***teams, int *nteams) {
    Arena *a = im->a;
    int n = im->nrows;
    int tcap = 0;
    *teams = NULL;
    *nteams = 0;
    for (int i = 0; i < n; i++) {
        Row *w = &im->rows[i];
        int L = w->line;
        bool text_ok = true;
        for (int k = 0; k < NCOLS; k++)
            if (!utf8_valid(w->f[k])) text_ok = false;
        if (!text_ok) problem(im, L, "the row is not valid UTF-8 text; save the file as CSV UTF-8");
        const char *name = w->f[COL_NAME], *email = w->f[COL_EMAIL], *team = w->f[COL_TEAM], *mgr = w->f[COL_MANAGER];
        if (!*name) problem(im, L, "name is empty");
        else if (utf8_chars(name) > 200) problem(im, L, "name is longer than 200 characters");
        w->email_lc = str_lower(a, email);
        if (!*email) problem(im, L, "email is empty");
        else if (!valid_email(email)) problem(im, L, "\"%s\" is not an e-mail address", shown(im, email));
        if (strlen(w->f[COL_TITLE]) > 200) problem(im, L, "title is longer than 200 characters");
        if (utf8_chars(team) > 200) problem(im, L, "team is longer than 200 characters");
        char *acc = str_lower(a, w->f[COL_ACCESS]);
        int level = *acc ? access_parse(acc) : ACCESS_MEMBER;
        if (level == ACCESS_OWNER) problem(im, L, "owner access cannot be given by an import; use member, manager or admin, and make owners by hand");
        else if (!level) problem(im, L, "access \"%s\" is not one of member, manager, admin (blank means member)", shown(im, w->f[COL_ACCESS]));
        w->access = access_name(level);
        w->mgr_lc = str_lower(a, mgr);
        if (*mgr && !valid_email(mgr)) problem(im, L, "manager_email \"%s\" is not an e-mail address", shown(im, mgr));
        else if (*mgr && strcmp(w->mgr_lc, w->email_lc) == 0) problem(im, L, "a person cannot be their own manager");
        const char *st = w->f[COL_STARTED], *lo = w->f[COL_LEFT], *why = w->f[COL_REASON];
        if (*st && !valid_date(st)) problem(im, L, "started_on \"%s\" is not a date (YYYY-MM-DD)", shown(im, st));
        if (*lo && !valid_date(lo)) problem(im, L, "left_on \"%s\" is not a date (YYYY-MM-DD)", shown(im, lo));
        else if (*lo && *st && valid_date(st) && strcmp(lo, st) < 0) problem(im, L, "left_on is before started_on");
        if (*why && !leave_reason_valid(why))
            problem(im, L, "leave_reason \"%s\" is not one of resigned, retired, relocated, career, dismissed, redundancy, contract_end, other", shown(im, why));
        else if (*why && !*lo) problem(im, L, "leave_reason needs a left_on day");

        /* teams: an existing one (any capitalisation), else one to create */
        if (*team && strlen(team) <= 200 && utf8_valid(team)) {
            if (!db_one_int(db, &w->team_id, SQL_IMPORT_TEAM_BY_NAME, "it", org_id, team)) {
                int t = 0;
                while (t < *nteams && strcasecmp((*teams)[t], team) != 0) t++;
                if (t == *nteams) {
                    if (*nteams == tcap) {
                        tcap = tcap ? tcap * 2 : 16;
                        char **bigger = arena_alloc(a, sizeof *bigger * (size_t)tcap);
                        if (*nteams) memcpy(bigger, *teams, sizeof *bigger * (size_t)*nteams);
                        *teams = bigger;
                    }
                    (*teams)[(*nteams)++] = w->f[COL_TEAM];
                }
                w->new_team = t + 1;
            }
        }
    }

    /* e-mails: unique within the file and new to the organisation */
    Row **sorted = arena_alloc(a, sizeof *sorted * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) sorted[i] = &im->rows[i];
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_email);
    int64_t found;
    for (int i = 0; i < n; i++) {
        Row *w = sorted[i];
        if (!*w->email_lc) continue;
        if (i > 0 && strcmp(sorted[i - 1]->email_lc, w->email_lc) == 0) {
            Row *first = find_row(sorted, n, w->email_lc);
            problem(im, w->line, "e-mail %s is also on line %d", shown(im, w->f[COL_EMAIL]), first->line);
        } else if (db_one_int(db, &found, SQL_IMPORT_PERSON_BY_EMAIL, "it", org_id, w->email_lc)) {
            problem(im, w->line, "%s is already in this organisation", shown(im, w->f[COL_EMAIL]));
        }
    }

    /* managers: a row of this file (in any order) or someone already here */
    for (int i = 0; i < n; i++) {
        Row *w = &im->rows[i];
        if (!*w->mgr_lc || !valid_email(w->mgr_lc) || strcmp(w->mgr_lc, w->email_lc) == 0) continue;
        Row *m = find_row(sorted, n, w->mgr_lc);
        if (m) w->mgr_row = (int)(m - im->rows) + 1;
        else if (db_one_int(db, &found, SQL_IMPORT_PERSON_BY_EMAIL, "it", org_id, w->mgr_lc)) w->mgr_id = found;
        else problem(im, w->line, "manager_email %s is neither in this file nor in the organisation", shown(im, w->f[COL_MANAGER]));
    }

    /* loops: only rows of the file can form one (people already here cannot
     * point at a new row). A row is in a loop when its chain comes back to
     * it within n steps; rows that only lead into a loop are not reported. */
    for (int i = 0; i < n; i++) {
        int cur = im->rows[i].mgr_row, steps = 0;
        while (cur && cur != i + 1 && steps++ <= n) cur = im->rows[cur - 1].mgr_row;
        if (cur == i + 1) {
            Buf chain = {0};
            buf_puts(&chain, shown(im, im->rows[i].f[COL_EMAIL]));
            for (int k = im->rows[i].mgr_row, m = 0; m < n && k; m++) {
                buf_printf(&chain, " -> %s", shown(im, im->rows[k - 1].f[COL_EMAIL]));
                if (k == i + 1) break;
                k = im->rows[k - 1].mgr_row;
            }
            problem(im, im->rows[i].line, "the manager chain loops: %s", buf_cstr(&chain));
            buf_free(&chain);
        }
    }
}

/* write_rows: the teams, then every person, then the manager links (a
 * manager may come later in the file). DB_OK or the failing code. */
static int write_rows(Import *im, Db *db, int64_t org_id, int64_t now, char **teams, int nteams) {
    char *today = today_date(im->a, now);
    int64_t *team_ids = arena_alloc(im->a, sizeof *team_ids * (size_t)(nteams ? nteams : 1));
    int rc = DB_OK;
    for (int t = 0; rc == DB_OK && t < nteams; t++) {
        rc = db_exec(db, SQL_IMPORT_TEAM_INSERT, "iti", org_id, teams[t], now);
        team_ids[t] = db_last_id(db);
    }
    for (int i = 0; rc == DB_OK && i < im->nrows; i++) {
        Row *w = &im->rows[i];
        int64_t team = w->new_team ? team_ids[w->new_team - 1] : w->team_id;
        /* a leaving day that has come imports them as "left" (no sessions, like the status) */
        const char *lo = *w->f[COL_LEFT] ? w->f[COL_LEFT] : NULL;
        const char *status = lo && strcmp(lo, today) <= 0 ? "left" : "active";
        rc = db_exec(db, SQL_IMPORT_PERSON_INSERT, "itttItttittt", org_id, w->f[COL_NAME], w->f[COL_EMAIL], w->email_lc, team, w->f[COL_TITLE], w->access,
                     status, now, *w->f[COL_STARTED] ? w->f[COL_STARTED] : NULL, lo, *w->f[COL_REASON] ? w->f[COL_REASON] : NULL);
        w->id = db_last_id(db);
    }
    for (int i = 0; rc == DB_OK && i < im->nrows; i++) {
        Row *w = &im->rows[i];
        int64_t mgr = w->mgr_row ? im->rows[w->mgr_row - 1].id : w->mgr_id;
        if (mgr) rc = db_exec(db, SQL_IMPORT_SET_MANAGER, "iii", mgr, w->id, org_id);
    }
    return rc;
}

/* people_import_csv: see the file comment. csv need not be NUL-terminated.
 * actor_id 0 means the command line. Returns 0 with *imported set; -1 when
 * the file has problems ("line N: message\n" each, in line order, appended
 * to problems; nothing written); -2 when the database failed (one line,
 * without a line number; nothing written). */
int people_import_csv(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *csv, size_t len, Buf *problems, int *imported) {
    return people_import_csv_invite(db, org_id, actor_id, now, csv, len, problems, imported, false);
}

/* people_import_csv_invite: the same, and with invite every imported person
 * gets an invitation e-mail (invite.c) in the same transaction. */
int people_import_csv_invite(Db *db, int64_t org_id, int64_t actor_id, int64_t now, const char *csv, size_t len, Buf *problems, int *imported,
                             bool invite) {
    Import im = {.a = arena_new()};
    *imported = 0;
    int rc = -1;
    parse(&im, csv ? csv : "", csv ? len : 0);
    if (!im.have_header) problem(&im, 1, "the file is empty; the first line must be the header name,email,team,manager_email,title,access");
    else if (im.nrows == 0 && im.nprobs == 0) problem(&im, im.header_line, "no rows: the file has a header but nobody to import");
    char **teams = NULL;
    int nteams = 0;
    if (db_begin(db) != DB_OK) {
        buf_puts(problems, "the database is busy; try again\n");
        arena_free(im.a);
        return -2;
    }
    check(&im, db, org_id, &teams, &nteams);
    if (im.nprobs) {
        db_rollback(db);
        qsort(im.probs, (size_t)im.nprobs, sizeof *im.probs, cmp_problem);
        for (int i = 0; i < im.nprobs; i++) buf_printf(problems, "line %d: %s\n", im.probs[i].line, im.probs[i].msg);
        arena_free(im.a);
        return -1;
    }
    int64_t before = 0;
    db_one_int(db, &before, "SELECT coalesce(max(id), 0) FROM person", "");
    int w = write_rows(&im, db, org_id, now, teams, nteams);
    if (w == DB_OK && invite) { /* the rows just written: the write lock is ours, nobody else added any */
        int64_t ids[5001];
        int nid = 0;
        Stmt *s = db_q(db, "SELECT id FROM person WHERE org_id = ? AND id > ? AND status <> 'left' ORDER BY id LIMIT 5001", "ii", org_id, before);
        while (nid < 5001 && db_step(s) == DB_ROW) ids[nid++] = db_int(s, 0);
        db_reset(s);
        for (int i = 0; i < nid && w == DB_OK; i++)
            if (!invite_create(db, im.a, org_id, ids[i], actor_id, now, "invite")) w = DB_ERROR;
    }
    if (w == DB_OK) {
        char *detail = arena_printf(im.a, "imported %d %s, created %d %s", im.nrows, im.nrows == 1 ? "person" : "people", nteams,
                                    nteams == 1 ? "team" : "teams");
        audit_db(db, org_id, actor_id, now, "people.import", arena_printf(im.a, "org:%lld", (long long)org_id), detail);
        w = db_commit(db);
    } else {
        buf_printf(problems, "the database refused the import: %s\n", db_errmsg(db));
        db_rollback(db);
    }
    if (w == DB_OK) {
        *imported = im.nrows;
        rc = 0;
    } else {
        if (!problems->len) buf_puts(problems, "the database is busy; try again\n");
        rc = -2;
    }
    arena_free(im.a);
    return rc;
}

/* ---------- the API and the page ---------- */

/* import_problems_json: "line N: message" lines as [{"line":N,"message":...}]
 * (the people import's and the KPI values import's line errors). */
json_t *import_problems_json(const char *text) {
    json_t *list = json_array();
    const char *p = text;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int line = 0, off = 0;
        json_t *item = json_object();
        if (sscanf(p, "line %d: %n", &line, &off) == 1 && off > 0 && (size_t)off <= n) {
            json_object_set_new(item, "line", json_integer(line));
            p += off;
            n -= (size_t)off;
        }
        json_t *msg = json_stringn(p, n);
        json_object_set_new(item, "message", msg ? msg : json_string("(a message that is not text)"));
        json_array_append_new(list, item);
        p += n + (e ? 1 : 0);
    }
    return list;
}

/* POST /api/v1/people/import?invite=1 (body: the CSV text, Content-Type text/csv):
 * imports all rows or none (admin); invite=1 e-mails each an invitation. 201 {"imported":N}; 422 invalid_csv
 * with every problem in details [{line, message}]. */
int import_api_people(Req *r) {
    const char *ct = req_header(r, "content-type");
    if (!ct || (strncasecmp(ct, "text/csv", 8) != 0 && strncasecmp(ct, "text/plain", 10) != 0))
        return resp_error(r, 415, "unsupported_media_type", "Send the CSV text as the body with Content-Type: text/csv.");
    Buf problems = {0};
    int n = 0;
    const char *inv = req_query(r, "invite");
    if (inv && strcmp(inv, "1") && strcmp(inv, "0") && strcmp(inv, "true") && strcmp(inv, "false"))
        return resp_error(r, 400, "bad_request", "invite is 1 or 0.");
    bool invite = inv && (!strcmp(inv, "1") || !strcmp(inv, "true"));
    int rc = people_import_csv_invite(r->db, r->who.org_id, r->who.person_id, r->now, r->body ? r->body : "", r->body ? r->body_len : 0, &problems, &n,
                                      invite);
    if (rc == 0) resp_json(r, 201, json_pack("{s:i,s:b}", "imported", n, "invited", invite));
    else if (rc == -2) resp_error(r, 503, "busy", "The server is busy; try again.");
    else {
        json_t *details = import_problems_json(buf_cstr(&problems));
        size_t np = json_array_size(details);
        json_t *err = json_pack("{s:s,s:s,s:o}", "code", "invalid_csv", "message",
                                np == 1 ? N_("The file has a problem; nothing was imported.") : N_("The file has problems; nothing was imported."), "details", details);
        resp_json(r, 422, json_pack("{s:o}", "error", err));
    }
    buf_free(&problems);
    return rc == 0 ? 0 : -1;
}

/* import_form: the upload form; problems (lines "line N: msg") are listed
 * above it and text is kept in the paste box. */
static void import_form(Req *r, const char *text, const char *problems) {
    page_begin(r, "Import people");
    Buf *b = page(r);
    buf_puts(b, "<h1>Import people from a CSV file</h1>");
    if (problems && *problems) {
        buf_puts(b, "<div class=\"error-summary\" role=\"alert\"><p>Nothing was imported. Fix these problems and try again:</p><ul>");
        for (const char *p = problems; *p;) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char *line = arena_strndup(r->arena, p, n);
            if (strncmp(line, "line ", 5) == 0) line[0] = 'L';
            html_printf(b, "<li>%h</li>", line);
            p += n + (e ? 1 : 0);
        }
        buf_puts(b, "</ul></div>");
    }
    buf_puts(b, "<section class=\"card\"><p>The first line must be the header <code>name,email,team,manager_email,title,access</code> "
                "(in any order), optionally with <code>started_on</code>, <code>left_on</code> (YYYY-MM-DD) and <code>leave_reason</code> "
                "(resigned, retired, relocated, career, dismissed, redundancy, contract_end or other) for turnover. Teams that do not exist yet are created. <code>manager_email</code> may name someone already here or "
                "another row of the file. <code>access</code> is member, manager or admin; blank means member. Imported people log in "
                "once they have chosen a password through their invitation, or an admin has set it.</p><p class=\"muted\">All rows or none: if any row has a problem, nothing is "
                "imported and every problem is listed by line. At most 5000 rows.</p><pre>name,email,team,manager_email,title,access\n"
                "Ana Lima,ana@example.org,Kitchen,,Head baker,manager\n"
                "Ben Ng,ben@example.org,Kitchen,ana@example.org,Baker,</pre></section>");
    form_begin(r, "/people/import", "multipart/form-data");
    buf_puts(b, "<div class=\"field\"><label for=\"f-file\">CSV file</label>"
                "<input id=\"f-file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\"></div>");
    form_textarea(r, "csv", "Or paste the CSV text", text, NULL, "Used when no file is chosen.");
    html_printf(b, "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" name=\"invite\" value=\"1\"%s> %h</label></div>",
                req_form(r, "invite") ? " checked" : "", T(r, "Send invitations: each imported person gets an e-mail with a link to choose a password"));
    form_end(r, "Import");
    buf_puts(b, "<p><a href=\"/people\">Back to people</a></p>");
    page_end(r);
}

/* GET /people/import: the import form (admin). */
int import_page_people(Req *r) {
    import_form(r, "", NULL);
    return 0;
}

/* POST /people/import (multipart: file, or csv pasted): imports and goes to
 * the directory with a count, or shows every problem by line and keeps the
 * text (admin). */
int import_page_people_post(Req *r) {
    const KV *file = kv_find(&r->form, "file");
    const char *text;
    size_t len;
    if (file && file->value_len > 0) {
        text = file->value;
        len = file->value_len;
    } else {
        text = req_form(r, "csv");
        len = text ? strlen(text) : 0;
    }
    if (!text || str_empty(text)) {
        import_form(r, "", "Choose a CSV file or paste the CSV text.\n");
        r->resp.status = 422;
        return 0;
    }
    Buf problems = {0};
    int n = 0;
    bool invite = req_form(r, "invite") != NULL;
    int rc = people_import_csv_invite(r->db, r->who.org_id, r->who.person_id, r->now, text, len, &problems, &n, invite);
    if (rc == 0) resp_redirect(r, arena_printf(r->arena, "/people?imported=%d%s", n, invite ? "&invited=1" : ""));
    else {
        import_form(r, text, buf_cstr(&problems));
        r->resp.status = rc == -2 ? 503 : 422;
    }
    buf_free(&problems);
    return 0;
}

/* ---------- a plain table, for the other imports (kpis.c) ---------- */

typedef struct TableState {
    Arena *a;
    CsvTable *t;
    char **fields;
    int nf, fcap, line, rec_line;
    bool idle, nul;
    Buf *problems;
    int nprob;
} TableState;

static void table_field(void *data, size_t len, void *ctx) {
    TableState *st = ctx;
    if (st->nf == st->fcap) {
        int cap = st->fcap ? st->fcap * 2 : 8;
        char **f = arena_alloc(st->a, sizeof *f * (size_t)cap);
        if (st->nf) memcpy(f, st->fields, sizeof *f * (size_t)st->nf);
        st->fields = f;
        st->fcap = cap;
    }
    if (len && memchr(data, 0, len)) st->nul = true;
    st->fields[st->nf++] = str_trim(st->a, arena_strndup(st->a, data ? data : "", data ? len : 0));
}

static void table_record(int c, void *ctx) {
    (void)c;
    TableState *st = ctx;
    CsvTable *t = st->t;
    int nf = st->nf;
    st->nf = 0;
    st->idle = true;
    bool blank = true;
    for (int i = 0; i < nf && blank; i++) blank = !*st->fields[i];
    if (blank && t->nrows >= 0 && t->header) return;
    if (st->nul) {
        buf_printf(st->problems, "line %d: the row contains a NUL byte; is this a text file?\n", st->rec_line);
        st->nprob++;
        st->nul = false;
        return;
    }
    char **copy = arena_alloc(st->a, sizeof *copy * (size_t)(nf ? nf : 1));
    memcpy(copy, st->fields, sizeof *copy * (size_t)nf);
    if (!t->header) {
        t->header = copy;
        t->ncols = nf;
        for (int i = 0; i < nf; i++) t->header[i] = str_lower(st->a, t->header[i]);
        return;
    }
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        char ***rows = arena_alloc(st->a, sizeof *rows * (size_t)cap);
        int *lines = arena_alloc(st->a, sizeof *lines * (size_t)cap), *nfs = arena_alloc(st->a, sizeof *nfs * (size_t)cap);
        if (t->nrows) {
            memcpy(rows, t->rows, sizeof *rows * (size_t)t->nrows);
            memcpy(lines, t->line, sizeof *lines * (size_t)t->nrows);
            memcpy(nfs, t->nf, sizeof *nfs * (size_t)t->nrows);
        }
        t->rows = rows, t->line = lines, t->nf = nfs, t->cap = cap;
    }
    t->rows[t->nrows] = copy;
    t->line[t->nrows] = st->rec_line;
    t->nf[t->nrows++] = nf;
}

/* csv_table: the text as a header (lower-cased) and rows, each with the
 * physical line it starts on, in a. 0, or -1 with the syntax problem (and
 * any NUL rows) as "line N: message" lines in problems. */
int csv_table(Arena *a, const char *csv, size_t len, CsvTable *out, Buf *problems) {
    memset(out, 0, sizeof *out);
    TableState st = {.a = a, .t = out, .idle = true, .problems = problems};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) abort();
    size_t pos = 0;
    if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    int rc = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && csv[end] != '\n' && !(csv[end] == '\r' && (end + 1 >= len || csv[end + 1] != '\n'))) end++;
        if (end < len) end++;
        st.line++;
        if (st.idle && !blank_bytes(csv + pos, end - pos)) {
            st.rec_line = st.line;
            st.idle = false;
        }
        if (csv_parse(&p, csv + pos, end - pos, table_field, table_record, &st) != end - pos) {
            buf_printf(problems, "line %d: malformed CSV: a quote inside an unquoted field, or text after a closing quote\n", st.line);
            rc = -1;
            break;
        }
        pos = end;
    }
    if (rc == 0 && csv_fini(&p, table_field, table_record, &st) != 0) {
        buf_printf(problems, "line %d: a quoted field is never closed\n", st.rec_line);
        rc = -1;
    }
    csv_free(&p);
    return rc || st.nprob ? -1 : 0;
}
