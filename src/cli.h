/* cli.h: what the command-line modules share (main.c, demo.c). */
#ifndef CLI_H
#define CLI_H
#include "remit.h"

/* cli_open: opens an existing database (migrated); NULL after a message. */
Db *cli_open(const char *path);
/* cli_password: REMIT_PASSWORD, else a twice-typed prompt on a terminal.
 * NULL after a message (not a terminal, mismatch, too short). malloc'd. */
char *cli_password(const char *who);
/* cli_create_org: a new organisation with its first owner, in one
 * transaction. 0 ok, -1 after a message. */
int cli_create_org(Db *db, const char *org, const char *email, const char *name, const char *pw_hash, int64_t *org_id, int64_t *owner_id);
int demo_create(Db *db, const char *pw_hash, const char *password_shown, bool large);
/* demo_large.c: `remit demo --size large`: 500 people in 50 teams, two
 * years of decisions, 200 challenges with about 5,000 ideas. */
int demo_large(Db *db, int64_t org, int64_t now, const char *pw_hash);
/* an author of the large demo's history: a person and the domains they log */
typedef struct DemoAuthor { int64_t id; const char *domains[3]; } DemoAuthor;
int demo_cycle_history(Db *db, int64_t org, int64_t now, const DemoAuthor *authors, int nauthors, int days, int per_day);
/* demo_path_of: the stages an idea went through to reach `stage`, in order */
int demo_path_of(const char *stage, const char *path[4]);
int demo_cycle(Db *db, int64_t org, int64_t now); /* demo_cycle.c: roles, rights, decisions */
int demo_ideas(Db *db, int64_t org, int64_t now); /* demo_ideas.c: challenges, ideas, votes, reviews */
int demo_surveys(Db *db, int64_t org, int64_t now, bool large); /* demo_surveys.c: a culture audit and monthly pulses */
int demo_skills(Db *db, int64_t org, int64_t now, bool large); /* demo_skills.c: skills, training, prerequisites, self-described attributes */
int demo_people(Db *db, int64_t org, int64_t now, bool large);  /* demo_people.c: recognition, feedback, one-to-ones, a 360 */
int demo_evidence(Db *db, int64_t org, int64_t now, bool large); /* demo_evidence.c: people history, absence, CSAT, the programme */
/* bench.c: `remit bench can`; 0 ok, 1 after a message */
int bench_can(Db *db, int64_t org, const char *slug, double seconds);
#endif
