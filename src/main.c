/* main.c: the command line. `remit COMMAND --help` explains each command.
 * Exit codes: 0 success, 1 runtime error (one line on stderr), 2 usage
 * error. Passwords come from REMIT_PASSWORD or a no-echo prompt, never from
 * arguments (they would show in `ps`). */
#include "remit.h"
#include "cli.h"
#include <time.h>
#include "handlers.h"
#include <ctype.h>
#include "notify.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int http_serve(const char *listen, int threads, int timeout);
int rawhttp_main(int argc, char **argv);

typedef struct Opt { const char *flag; bool takes_value; bool required; const char *value; bool set; } Opt;

static void usage_line(const char *cmd, const char *text) { fprintf(stderr, "usage: remit %s %s\n", cmd, text); }

/* parse_opts: --flag VALUE (or --flag=VALUE) and bare --flag; positional
 * arguments go to pos. 0 ok, 2 after a usage message, 3 when --help. */
static int parse_opts(const char *cmd, const char *use, int argc, char **argv, Opt *opts, const char **pos, int maxpos, int *npos) {
    int np = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("usage: remit %s %s\n", cmd, use);
            return 3;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (np >= maxpos) {
                fprintf(stderr, "remit %s: unexpected argument \"%s\"\n", cmd, a);
                usage_line(cmd, use);
                return 2;
            }
            pos[np++] = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t fl = eq ? (size_t)(eq - a) : strlen(a);
        Opt *o = NULL;
        for (Opt *x = opts; x->flag; x++)
            if (strlen(x->flag) == fl && strncmp(x->flag, a, fl) == 0) o = x;
        if (!o) {
            fprintf(stderr, "remit %s: unknown option %.*s\n", cmd, (int)fl, a);
            usage_line(cmd, use);
            return 2;
        }
        o->set = true;
        if (o->takes_value) {
            if (eq) o->value = eq + 1;
            else if (i + 1 < argc) o->value = argv[++i];
            else {
                fprintf(stderr, "remit %s: %s needs a value\n", cmd, o->flag);
                return 2;
            }
        }
    }
    for (Opt *x = opts; x->flag; x++)
        if (x->required && (!x->set || !x->value || !*x->value)) {
            fprintf(stderr, "remit %s: %s is required\n", cmd, x->flag);
            usage_line(cmd, use);
            return 2;
        }
    if (npos) *npos = np;
    else if (np) {
        fprintf(stderr, "remit %s: unexpected argument \"%s\"\n", cmd, pos[0]);
        return 2;
    }
    return 0;
}

static const char *optv(Opt *opts, const char *flag) {
    for (Opt *x = opts; x->flag; x++)
        if (strcmp(x->flag, flag) == 0) return x->set ? (x->value ? x->value : "") : NULL;
    return NULL;
}

Db *cli_open(const char *path) {
    if (db_global_init(path, false)) return NULL;
    char *err = NULL;
    Db *db = db_open(path, &err);
    if (!db) {
        fprintf(stderr, "remit: %s: %s\n", path, err ? err : "cannot open");
        free(err);
    }
    return db;
}

static char *read_noecho(const char *prompt) {
    fprintf(stderr, "%s", prompt);
    struct termios old, quiet;
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    char line[512];
    char *got = fgets(line, sizeof line, stdin);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    fputc('\n', stderr);
    if (!got) return NULL;
    line[strcspn(line, "\r\n")] = 0;
    return strdup(line);
}

char *cli_password(const char *who) {
    const char *env = getenv("REMIT_PASSWORD");
    char *pw = NULL;
    if (env) pw = strdup(env);
    else if (isatty(STDIN_FILENO)) {
        char prompt[300];
        snprintf(prompt, sizeof prompt, "Password for %s: ", who);
        pw = read_noecho(prompt);
        char *again = pw ? read_noecho("Repeat the password: ") : NULL;
        if (!again || strcmp(pw, again) != 0) {
            fprintf(stderr, "remit: the passwords do not match\n");
            free(pw);
            free(again);
            return NULL;
        }
        free(again);
    } else {
        fprintf(stderr, "remit: set REMIT_PASSWORD or run on a terminal to be asked for the password\n");
        return NULL;
    }
    const char *problem = auth_password_problem(pw);
    if (problem) {
        fprintf(stderr, "remit: %s\n", problem);
        free(pw);
        return NULL;
    }
    return pw;
}

static char *hash_or_die(const char *pw) {
    static char h[160];
    if (auth_password_hash(pw, h, sizeof h) != 0) {
        fprintf(stderr, "remit: cannot hash the password (out of memory?)\n");
        return NULL;
    }
    return h;
}

/* prompt_hash: asks for who's new password (REMIT_PASSWORD or the
 * terminal), hashes it and forgets the plain text; the hash (static) or NULL
 * after a message. */
static char *prompt_hash(const char *who) {
    char *pw = cli_password(who);
    if (!pw) return NULL;
    char *h = hash_or_die(pw);
    free(pw);
    return h;
}

int cli_create_org(Db *db, const char *org, const char *email, const char *name, const char *pw_hash, int64_t *org_id, int64_t *owner_id) {
    if (!valid_email(email)) {
        fprintf(stderr, "remit: \"%s\" is not an e-mail address\n", email);
        return -1;
    }
    int64_t now = now_seconds();
    Arena *a = arena_new();
    char *lc = str_lower(a, email);
    int rc = db_begin(db);
    if (rc == DB_OK) rc = db_exec(db, "INSERT INTO org(name, created_at) VALUES (?, ?)", "ti", org, now);
    *org_id = db_last_id(db);
    if (rc == DB_OK)
        rc = db_exec(db, "INSERT INTO person(org_id, name, email, email_lc, title, access, password_hash, password_changed_at, created_at) VALUES (?, ?, ?, ?, 'Owner', 'owner', ?, ?, ?)",
                     "ittttii", *org_id, name, email, lc, pw_hash, now, now);
    *owner_id = db_last_id(db);
    if (rc == DB_OK) audit_db(db, *org_id, 0, now, "org.create", arena_printf(a, "org:%lld", (long long)*org_id), arena_printf(a, "owner person:%lld", (long long)*owner_id));
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
    arena_free(a);
    if (rc != DB_OK) fprintf(stderr, "remit: could not create the organisation: %s\n", db_errmsg(db));
    return rc == DB_OK ? 0 : -1;
}

static int cmd_init(int argc, char **argv, bool add) {
    const char *cmd = add ? "org add" : "init";
    Opt o[] = {{"--db", 1, 1}, {"--org", 1, 1}, {"--owner-email", 1, 1}, {"--owner-name", 1, 1}, {0}};
    int rc = parse_opts(cmd, "--db FILE --org NAME --owner-email EMAIL --owner-name NAME", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    if (!valid_email(optv(o, "--owner-email"))) {
        fprintf(stderr, "remit %s: \"%s\" is not an e-mail address\n", cmd, optv(o, "--owner-email"));
        return 2;
    }
    if (!add && db_global_init(optv(o, "--db"), true)) return 1;
    char *pw = cli_password(optv(o, "--owner-email"));
    if (!pw) {
        if (!add) unlink(optv(o, "--db"));
        return 1;
    }
    char *h = hash_or_die(pw);
    free(pw);
    Db *db = add ? cli_open(optv(o, "--db")) : NULL;
    char *err = NULL;
    if (!add) {
        db = db_open(optv(o, "--db"), &err);
        if (!db) {
            fprintf(stderr, "remit: %s: %s\n", optv(o, "--db"), err ? err : "cannot create");
            free(err);
            return 1;
        }
    }
    if (!db || !h) return 1;
    int64_t org_id, owner_id;
    rc = cli_create_org(db, optv(o, "--org"), optv(o, "--owner-email"), optv(o, "--owner-name"), h, &org_id, &owner_id);
    db_close(db);
    if (rc) return 1;
    printf("created organisation %lld \"%s\" with owner %s\n", (long long)org_id, optv(o, "--org"), optv(o, "--owner-email"));
    return 0;
}

/* public_url_parse: a copy of url without its trailing slashes when it is
 * http:// or https:// with a host name (letters, digits, '.', '-', or an
 * [IPv6] literal), an optional port 1..65535 and an optional path, and
 * nothing else (no user, query, fragment, space or control character);
 * NULL otherwise. The copy lives as long as the process. */
static char *public_url_parse(const char *url) {
    const char *p = strncmp(url, "https://", 8) == 0 ? url + 8 : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    if (!p) return NULL;
    const char *h = p;
    if (*p == '[') {
        while (*p && *p != ']') {
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '[' && *p != '.') return NULL;
            p++;
        }
        if (*p++ != ']') return NULL;
    } else
        while (isalnum((unsigned char)*p) || *p == '.' || *p == '-') p++;
    if (p == h || h[0] == '.' || h[0] == '-') return NULL;
    if (*p == ':') {
        long port = 0;
        int digits = 0;
        for (p++; isdigit((unsigned char)*p) && digits < 6; p++, digits++) port = port * 10 + (*p - '0');
        if (!digits || port < 1 || port > 65535) return NULL;
    }
    if (*p && *p != '/') return NULL;
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '?' || *c == '#' || *c == '\\' || *c == '"') return NULL;
    char *out = strdup(url);
    if (!out) return NULL;
    size_t n = strlen(out);
    while (n > (size_t)(p - url) && out[n - 1] == '/') out[--n] = 0;
    return out;
}

static int public_url_option(const char *url);

static int cmd_serve(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--listen", 1, 0}, {"--threads", 1, 0}, {"--timeout", 1, 0}, {"--secure-cookies", 0, 0},
               {"--public-url", 1, 0}, {"--smtp", 1, 0}, {"--smtp-from", 1, 0}, {0}};
    int rc = parse_opts("serve",
                        "--db FILE [--listen HOST:PORT] [--threads N] [--timeout SECONDS] [--secure-cookies] [--public-url URL]\n"
                        "          [--smtp URL --smtp-from ADDRESS]\n"
                        "  --public-url URL   the address people use, e.g. https://remit.example.org behind a TLS proxy;\n"
                        "                     https:// marks cookies Secure (as --secure-cookies does), and logins are\n"
                        "                     accepted from pages of this origin; links in e-mail and chat start with it\n"
                        "  --smtp URL         smtp://HOST[:PORT] or smtps://HOST[:PORT]; REMIT_SMTP_USER and\n"
                        "                     REMIT_SMTP_PASSWORD from the environment; without it no e-mail is sent\n"
                        "  --smtp-from ADDR   the From address of every e-mail",
                        argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    const char *listen = optv(o, "--listen") ? optv(o, "--listen") : "127.0.0.1:8080";
    int threads = 4;
    if (optv(o, "--threads")) {
        threads = atoi(optv(o, "--threads"));
        if (threads < 1 || threads > 64) {
            fprintf(stderr, "remit serve: --threads takes 1 to 64\n");
            return 2;
        }
    }
    int timeout = 30;
    if (optv(o, "--timeout")) {
        timeout = atoi(optv(o, "--timeout"));
        if (timeout < 1 || timeout > 3600) {
            fprintf(stderr, "remit serve: --timeout takes 1 to 3600 seconds\n");
            return 2;
        }
    }
    g_config.secure_cookies = optv(o, "--secure-cookies") != NULL;
    if (public_url_option(optv(o, "--public-url"))) return 2;
    if (g_config.public_url && strncmp(g_config.public_url, "https://", 8) == 0) g_config.secure_cookies = true;
    const char *smtp = optv(o, "--smtp"), *from = optv(o, "--smtp-from");
    if (smtp) {
        if (strncmp(smtp, "smtp://", 7) != 0 && strncmp(smtp, "smtps://", 8) != 0) {
            fprintf(stderr, "remit serve: --smtp takes smtp://HOST[:PORT] or smtps://HOST[:PORT]\n");
            return 2;
        }
        if (!from || !valid_email(from)) {
            fprintf(stderr, "remit serve: --smtp needs --smtp-from ADDRESS, the sender's e-mail address\n");
            return 2;
        }
        g_config.smtp_url = smtp;
        g_config.smtp_from = from;
    } else if (from) {
        fprintf(stderr, "remit serve: --smtp-from needs --smtp URL\n");
        return 2;
    }
    if (db_global_init(optv(o, "--db"), false)) return 1;
    Db *db = db_open(optv(o, "--db"), NULL);
    if (db) db_analyze(db), search_catch_up(db, 0), anon_release_due(db, (int64_t)time(NULL)); /* fresh planner statistics; the search index complete; past days' anonymous items out */
    db_close(db);
    return http_serve(listen, threads, timeout);
}

static const char *const ACCESS_LIST = "owner|admin|manager|member";

/* public_url_option: --public-url URL (http:// or https://, no trailing
 * path beyond a slash) into g_config.public_url; 2 after a message. */
static int public_url_option(const char *url) {
    if (!url) return 0;
    char *u = public_url_parse(url);
    if (!u) {
        fprintf(stderr, "remit: --public-url wants http://HOST[:PORT][/PATH] or https://..., e.g. https://remit.example.org\n");
        return 2;
    }
    g_config.public_url = u;
    return 0;
}

/* find_org: the organisation for a CLI command: --org NAME when given, else
 * the only one in the database. 0 when ambiguous or missing (after a message). */
static int64_t find_org(Db *db, const char *org_name) {
    int64_t id = 0, n = 0;
    if (org_name) {
        if (!db_one_int(db, &id, "SELECT id FROM org WHERE name = ?", "t", org_name)) fprintf(stderr, "remit: no organisation named \"%s\"\n", org_name);
        return id;
    }
    db_one_int(db, &n, "SELECT count(*) FROM org", "");
    if (n == 1) db_one_int(db, &id, "SELECT id FROM org", "");
    else fprintf(stderr, n ? "remit: the database holds several organisations; name one with --org NAME\n" : "remit: the database holds no organisation\n");
    return id;
}

/* remit user password: sets a person's password (REMIT_PASSWORD or the
 * prompt) and ends all their sessions and API tokens, as an admin setting it
 * in the web UI does. For an owner who cannot log in, too. */
static int cmd_user_password(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--email", 1, 1}, {"--org", 1, 0}, {0}};
    int rc = parse_opts("user password", "--db FILE --email EMAIL [--org NAME]\n  sets the password and ends every session and API token of the person", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    Arena *a = arena_new();
    rc = 1;
    int64_t org = find_org(db, optv(o, "--org")), id = 0;
    if (!org) goto out;
    if (!db_one_int(db, &id, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, str_lower(a, optv(o, "--email")))) {
        fprintf(stderr, "remit: no person with e-mail %s in this organisation\n", optv(o, "--email"));
        goto out;
    }
    char *h = prompt_hash(optv(o, "--email"));
    if (!h) goto out;
    int64_t now = now_seconds();
    if (db_begin(db) != DB_OK || db_exec(db, "UPDATE person SET password_hash = ?, password_changed_at = ? WHERE id = ? AND org_id = ?", "tiii", h, now, id, org) != DB_OK ||
        auth_end_credentials(db, id) != DB_OK) {
        fprintf(stderr, "remit: could not set the password: %s\n", db_errmsg(db));
        if (db_in_tx(db)) db_rollback(db);
        goto out;
    }
    audit_db(db, org, 0, now, "person.password", arena_printf(a, "person:%lld", (long long)id), "by the command line; sessions and API tokens ended");
    if (db_commit(db) != DB_OK) goto out;
    printf("password set for %s; their sessions and API tokens have ended\n", optv(o, "--email"));
    rc = 0;
out:
    arena_free(a);
    db_close(db);
    return rc;
}

static int cmd_user_add(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--email", 1, 1}, {"--name", 1, 1}, {"--access", 1, 1}, {"--team", 1, 0}, {"--manager", 1, 0}, {"--title", 1, 0}, {"--org", 1, 0}, {0}};
    int rc = parse_opts("user add", "--db FILE --email EMAIL --name NAME --access owner|admin|manager|member [--team NAME] [--manager EMAIL] [--title TEXT] [--org NAME]", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    int access = access_parse(optv(o, "--access"));
    if (!access) {
        fprintf(stderr, "remit user add: --access takes %s\n", ACCESS_LIST);
        return 2;
    }
    if (!valid_email(optv(o, "--email"))) {
        fprintf(stderr, "remit user add: \"%s\" is not an e-mail address\n", optv(o, "--email"));
        return 2;
    }
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    Arena *a = arena_new();
    int64_t org = find_org(db, optv(o, "--org")), team = 0, mgr = 0, exists = 0;
    rc = 1;
    char *lc = str_lower(a, optv(o, "--email"));
    if (!org) goto out;
    if (db_one_int(db, &exists, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, lc)) {
        fprintf(stderr, "remit: %s is already in this organisation\n", optv(o, "--email"));
        goto out;
    }
    if (optv(o, "--team") && !db_one_int(db, &team, "SELECT id FROM team WHERE org_id = ? AND name = ?", "it", org, optv(o, "--team"))) {
        fprintf(stderr, "remit: no team named \"%s\"\n", optv(o, "--team"));
        goto out;
    }
    if (optv(o, "--manager") && !db_one_int(db, &mgr, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", "it", org, str_lower(a, optv(o, "--manager")))) {
        fprintf(stderr, "remit: no person with e-mail %s to be the manager\n", optv(o, "--manager"));
        goto out;
    }
    char *h = prompt_hash(optv(o, "--email"));
    if (!h) goto out;
    int64_t now = now_seconds();
    if (db_begin(db) != DB_OK ||
        db_exec(db, "INSERT INTO person(org_id, name, email, email_lc, team_id, manager_id, title, access, password_hash, password_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "itttIItttii", org, optv(o, "--name"), optv(o, "--email"), lc,
                team, mgr, optv(o, "--title") ? optv(o, "--title") : "", access_name(access), h, now, now) != DB_OK) {
        fprintf(stderr, "remit: could not add the person: %s\n", db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    int64_t id = db_last_id(db);
    audit_db(db, org, 0, now, "person.create", arena_printf(a, "person:%lld", (long long)id), arena_printf(a, "by the command line, access %s", access_name(access)));
    if (db_commit(db) != DB_OK) goto out;
    printf("added %s (%s) as %s, person %lld\n", optv(o, "--name"), optv(o, "--email"), access_name(access), (long long)id);
    rc = 0;
out:
    arena_free(a);
    db_close(db);
    return rc;
}

static int cmd_token_create(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--email", 1, 1}, {"--label", 1, 0}, {"--org", 1, 0}, {0}};
    int rc = parse_opts("token create", "--db FILE --email EMAIL [--label TEXT] [--org NAME]", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    Arena *a = arena_new();
    char *lc = str_lower(a, optv(o, "--email"));
    int64_t n = 0, pid = 0, org = 0;
    rc = 1;
    if (optv(o, "--org")) {
        if (!(org = find_org(db, optv(o, "--org")))) goto out;
        db_one_int(db, &pid, "SELECT id FROM person WHERE email_lc = ? AND org_id = ? AND status <> 'left'", "ti", lc, org);
    } else {
        db_one_int(db, &n, "SELECT count(*) FROM person WHERE email_lc = ? AND status <> 'left'", "t", lc);
        if (n > 1) {
            fprintf(stderr, "remit: %s is in several organisations; name one with --org NAME\n", optv(o, "--email"));
            goto out;
        }
        db_one_int(db, &pid, "SELECT id FROM person WHERE email_lc = ? AND status <> 'left'", "t", lc);
    }
    if (!pid) {
        fprintf(stderr, "remit: no active person with e-mail %s\n", optv(o, "--email"));
        goto out;
    }
    db_one_int(db, &org, "SELECT org_id FROM person WHERE id = ?", "i", pid);
    char token[44];
    int64_t now = now_seconds();
    if (db_begin(db) != DB_OK || auth_token_create(db, pid, org, optv(o, "--label") ? optv(o, "--label") : "cli", now, token) != DB_OK) {
        fprintf(stderr, "remit: could not store the token: %s\n", db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    audit_db(db, org, 0, now, "token.create", arena_printf(a, "person:%lld", (long long)pid), "by the command line");
    if (db_commit(db) != DB_OK) goto out;
    printf("%s\n", token);
    rc = 0;
out:
    arena_free(a);
    db_close(db);
    return rc;
}

/* person_for_cli: --email (and --org) to an active person; 0 after a message. */
static int64_t person_for_cli(Db *db, Arena *a, const char *email, const char *org_name, int64_t *org) {
    char *lc = str_lower(a, email);
    int64_t pid = 0, n = 0;
    *org = 0;
    if (org_name) {
        if (!(*org = find_org(db, org_name))) return 0;
        db_one_int(db, &pid, "SELECT id FROM person WHERE email_lc = ? AND org_id = ? AND status <> 'left'", "ti", lc, *org);
    } else {
        db_one_int(db, &n, "SELECT count(*) FROM person WHERE email_lc = ? AND status <> 'left'", "t", lc);
        if (n > 1) {
            fprintf(stderr, "remit: %s is in several organisations; name one with --org NAME\n", email);
            return 0;
        }
        db_one_int(db, &pid, "SELECT id FROM person WHERE email_lc = ? AND status <> 'left'", "t", lc);
    }
    if (!pid) fprintf(stderr, "remit: no active person with e-mail %s\n", email);
    else db_one_int(db, org, "SELECT org_id FROM person WHERE id = ?", "i", pid);
    return pid;
}

/* remit user invite: prints the one-time link alone and queues the same
 * invitation e-mail for a server with e-mail on. */
static int cmd_user_invite(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--email", 1, 1}, {"--org", 1, 0}, {"--public-url", 1, 0}, {0}};
    int rc = parse_opts("user invite", "--db FILE --email EMAIL [--org NAME] [--public-url URL]", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    if (public_url_option(optv(o, "--public-url"))) return 2;
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    Arena *a = arena_new();
    int64_t org, pid = person_for_cli(db, a, optv(o, "--email"), optv(o, "--org"), &org);
    rc = 1;
    if (pid) {
        char *link = NULL;
        if (db_begin(db) == DB_OK && (link = invite_create(db, a, org, pid, 0, now_seconds(), "invite")) && db_commit(db) == DB_OK) {
            printf("%s\n", link);
            rc = 0;
        } else {
            fprintf(stderr, "remit: could not store the invitation: %s\n", db_errmsg(db));
            db_rollback(db);
        }
    }
    arena_free(a);
    db_close(db);
    return rc;
}

/* remit notify run: the notification jobs now: action reminders, and the
 * digests that are due (or, with --digest, every waiting one of that period). */
static int cmd_notify_run(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--digest", 1, 0}, {"--public-url", 1, 0}, {0}};
    int rc = parse_opts("notify run", "--db FILE [--digest daily|weekly] [--public-url URL]", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    const char *period = optv(o, "--digest");
    if (period && strcmp(period, "daily") && strcmp(period, "weekly")) {
        fprintf(stderr, "remit notify run: --digest takes daily or weekly\n");
        return 2;
    }
    if (public_url_option(optv(o, "--public-url"))) return 2;
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    int64_t now = now_seconds();
    int told = actions_remind(db, now), grow = people_remind(db, now), digests = notify_digests(db, now, period);
    db_close(db);
    if (told < 0 || grow < 0 || digests < 0) {
        fprintf(stderr, "remit: the database is busy; try again\n");
        return 1;
    }
    printf("%d action reminders, %d digests queued, %d recognition prompts and one-to-one reminders\n", told, digests, grow);
    return 0;
}

static int cmd_import(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--org", 1, 0}, {0}};
    const char *pos[2];
    int np = 0;
    const char *use = "people --db FILE [--org NAME] CSV\n  CSV columns: name,email,team,manager_email,title,access (header required)";
    int rc = parse_opts("import", use, argc, argv, o, pos, 2, &np);
    if (rc) return rc == 3 ? 0 : rc;
    if (np != 2 || strcmp(pos[0], "people") != 0) {
        fprintf(stderr, "remit import: say what to import and from which file\n");
        usage_line("import", use);
        return 2;
    }
    FILE *f = fopen(pos[1], "rb");
    if (!f) {
        fprintf(stderr, "remit: cannot read %s\n", pos[1]);
        return 1;
    }
    Buf csv = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&csv, chunk, n);
    fclose(f);
    Db *db = cli_open(optv(o, "--db"));
    if (!db) {
        buf_free(&csv);
        return 1;
    }
    int64_t org = find_org(db, optv(o, "--org"));
    rc = 1;
    if (org) {
        Buf problems = {0};
        int imported = 0;
        if (people_import_csv(db, org, 0, now_seconds(), csv.data ? csv.data : "", csv.len, &problems, &imported) == 0) {
            printf("imported %d %s\n", imported, imported == 1 ? "person" : "people");
            rc = 0;
        } else {
            fprintf(stderr, "remit: nothing imported:\n%s", problems.len ? buf_cstr(&problems) : "unknown problem\n");
        }
        buf_free(&problems);
    }
    buf_free(&csv);
    db_close(db);
    return rc;
}

static int cmd_can(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--email", 1, 1}, {"--domain", 1, 1}, {"--amount", 1, 0}, {"--org", 1, 0}, {0}};
    int rc = parse_opts("can", "--db FILE --email EMAIL --domain SLUG [--amount X] [--org NAME]\n  prints the verdict and whom to ask", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    int64_t org = find_org(db, optv(o, "--org"));
    rc = org ? can_cli(db, org, optv(o, "--email"), optv(o, "--domain"), optv(o, "--amount")) : 1;
    db_close(db);
    return rc;
}

static int cmd_bench(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--domain", 1, 0}, {"--seconds", 1, 0}, {"--org", 1, 0}, {0}};
    const char *what = NULL;
    int npos = 0;
    int rc = parse_opts("bench", "can --db FILE [--domain SLUG] [--seconds N] [--org NAME]\n  in-process \"Can I?\" verdicts per second (try it on `remit demo --size large`)",
                        argc, argv, o, &what, 1, &npos);
    if (rc) return rc == 3 ? 0 : rc;
    if (npos != 1 || strcmp(what, "can") != 0) {
        fprintf(stderr, "remit bench: the only benchmark is \"can\" (remit bench can --db FILE)\n");
        return 2;
    }
    double seconds = optv(o, "--seconds") ? atof(optv(o, "--seconds")) : 3;
    if (!(seconds >= 0.1 && seconds <= 600)) {
        fprintf(stderr, "remit bench: --seconds takes 0.1 to 600\n");
        return 2;
    }
    Db *db = cli_open(optv(o, "--db"));
    if (!db) return 1;
    int64_t org = find_org(db, optv(o, "--org"));
    rc = org ? bench_can(db, org, optv(o, "--domain") ? optv(o, "--domain") : "refund", seconds) : 1;
    db_close(db);
    return rc;
}

static int cmd_backup(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--to", 1, 1}, {0}};
    int rc = parse_opts("backup", "--db FILE --to FILE", argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    if (access(optv(o, "--db"), R_OK) != 0) {
        fprintf(stderr, "remit: no database at %s\n", optv(o, "--db"));
        return 1;
    }
    char *err = NULL;
    if (db_backup(optv(o, "--db"), optv(o, "--to"), &err) != 0) {
        fprintf(stderr, "remit: backup failed: %s\n", err ? err : "?");
        free(err);
        return 1;
    }
    printf("backed up %s to %s\n", optv(o, "--db"), optv(o, "--to"));
    return 0;
}

static int cmd_demo(int argc, char **argv) {
    Opt o[] = {{"--db", 1, 1}, {"--size", 1, 0}, {0}};
    int rc = parse_opts("demo", "--db FILE [--size small|large]\n  creates a demo bakery-cafe group; every login uses REMIT_PASSWORD, else one generated password.\n"
                        "  small (the default): 40 people, 5 teams, six months of decisions, 3 challenges with 60 ideas.\n"
                        "  large (for benchmarks): 500 people, 50 teams, two years of decisions (about 50,000), 200 challenges with about 5,000 ideas.",
                        argc, argv, o, NULL, 0, NULL);
    if (rc) return rc == 3 ? 0 : rc;
    const char *size = optv(o, "--size") ? optv(o, "--size") : "small";
    if (strcmp(size, "small") != 0 && strcmp(size, "large") != 0) {
        fprintf(stderr, "remit demo: --size must be small or large, not \"%s\"\n", size);
        return 2;
    }
    if (db_global_init(optv(o, "--db"), true)) return 1;
    char pw[44];
    const char *env = getenv("REMIT_PASSWORD");
    if (env) {
        const char *problem = auth_password_problem(env);
        if (problem) {
            fprintf(stderr, "remit: REMIT_PASSWORD: %s\n", problem);
            unlink(optv(o, "--db"));
            return 1;
        }
        snprintf(pw, sizeof pw, "%s", env);
    } else {
        auth_random_token(pw);
        pw[16] = 0; /* 96 bits is plenty for a demo and easier to type */
    }
    char *h = hash_or_die(env ? env : pw);
    char *err = NULL;
    Db *db = db_open(optv(o, "--db"), &err);
    if (!db || !h) {
        fprintf(stderr, "remit: %s: %s\n", optv(o, "--db"), err ? err : "cannot create");
        free(err);
        return 1;
    }
    rc = demo_create(db, h, env ? NULL : pw, strcmp(size, "large") == 0);
    if (rc == 0) search_catch_up(db, 0), db_analyze(db);
    db_close(db);
    if (rc) unlink(optv(o, "--db"));
    return rc ? 1 : 0;
}

static void usage(FILE *f) {
    fputs("remit " REMIT_VERSION ": decision rights, a decision log and a voice for every employee.\n\n"
          "usage: remit COMMAND [options]   (remit COMMAND --help for details)\n\n"
          "  init          create a database with an organisation and its owner\n"
          "  org add       add another organisation (with its owner) to a database\n"
          "  serve         serve the web UI and the JSON API\n"
          "  demo          create a demo bakery-cafe group to explore\n"
          "  bench can     in-process \"Can I?\" verdicts per second\n"
          "  user add      add a person who can log in\n"
          "  user password set a person's password; ends their sessions and API tokens\n"
          "  user invite   print a one-time link for a person to choose a password (and e-mail it)\n"
          "  notify run    send action reminders and due digests now\n"
          "  token create  print a new API token for a person\n"
          "  import people import people from a CSV file (all rows or none)\n"
          "  can           answer \"Can I?\" for a person, a domain and an amount\n"
          "  backup        copy the database consistently, even while it is served\n"
          "  http          answer one HTTP request read from standard input\n\n"
          "Passwords come from REMIT_PASSWORD or a prompt on the terminal.\n",
          f);
}

int main(int argc, char **argv) {
    if (auth_init() != 0) {
        fprintf(stderr, "remit: libsodium failed to start\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(c, "--version")) {
        puts("remit " REMIT_VERSION);
        return 0;
    }
    if (!strcmp(c, "init")) return cmd_init(argc - 2, argv + 2, false);
    if (!strcmp(c, "serve")) return cmd_serve(argc - 2, argv + 2);
    if (!strcmp(c, "demo")) return cmd_demo(argc - 2, argv + 2);
    if (!strcmp(c, "backup")) return cmd_backup(argc - 2, argv + 2);
    if (!strcmp(c, "can")) return cmd_can(argc - 2, argv + 2);
    if (!strcmp(c, "bench")) return cmd_bench(argc - 2, argv + 2);
    if (!strcmp(c, "import")) return cmd_import(argc - 2, argv + 2);
    if (!strcmp(c, "http")) return rawhttp_main(argc - 2, argv + 2);
    if (!strcmp(c, "org") || !strcmp(c, "user") || !strcmp(c, "token") || !strcmp(c, "notify")) {
        const char *sub = argc > 2 ? argv[2] : "";
        if (!strcmp(c, "org") && !strcmp(sub, "add")) return cmd_init(argc - 3, argv + 3, true);
        if (!strcmp(c, "user") && !strcmp(sub, "add")) return cmd_user_add(argc - 3, argv + 3);
        if (!strcmp(c, "user") && !strcmp(sub, "password")) return cmd_user_password(argc - 3, argv + 3);
        if (!strcmp(c, "user") && !strcmp(sub, "invite")) return cmd_user_invite(argc - 3, argv + 3);
        if (!strcmp(c, "notify") && !strcmp(sub, "run")) return cmd_notify_run(argc - 3, argv + 3);
        if (!strcmp(c, "token") && !strcmp(sub, "create")) return cmd_token_create(argc - 3, argv + 3);
        if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
            printf("usage: remit %s %s ...\n", c, !strcmp(c, "org") ? "add" : !strcmp(c, "user") ? "add|password|invite" : !strcmp(c, "notify") ? "run" : "create");
            return 0;
        }
        fprintf(stderr, "remit: unknown command \"%s %s\"\n", c, sub);
        usage(stderr);
        return 2;
    }
    fprintf(stderr, "remit: unknown command \"%s\"\n", c);
    usage(stderr);
    return 2;
}
