-- 0001: the foundation: organisations, teams, people and their accounts,
-- sessions, API tokens, login throttling, goals and the audit log.
-- Portable subset: INTEGER/TEXT columns, times as unix seconds (INTEGER),
-- dates as 'YYYY-MM-DD' text, lists as JSON text.
CREATE TABLE org (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  vision TEXT NOT NULL DEFAULT '',
  values_json TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);

CREATE TABLE team (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES team(id),
  lead_id INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX team_org_name ON team(org_id, name);
CREATE INDEX team_parent ON team(parent_id);

CREATE TABLE person (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  email_lc TEXT NOT NULL,
  team_id INTEGER REFERENCES team(id),
  manager_id INTEGER REFERENCES person(id),
  title TEXT NOT NULL DEFAULT '',
  access TEXT NOT NULL DEFAULT 'member' CHECK (access IN ('owner','admin','manager','member')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','away','left')),
  password_hash TEXT,
  password_changed_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX person_org_email ON person(org_id, email_lc);
CREATE INDEX person_email ON person(email_lc);
CREATE INDEX person_team ON person(team_id);
CREATE INDEX person_manager ON person(manager_id);

CREATE TABLE session (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX session_person ON session(person_id);

CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  label TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_used INTEGER
);

CREATE TABLE login_failure (
  id INTEGER PRIMARY KEY,
  email_lc TEXT NOT NULL,
  ip TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failure_email ON login_failure(email_lc, at);
CREATE INDEX login_failure_ip ON login_failure(ip, at);

CREATE TABLE goal (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  parent_id INTEGER REFERENCES goal(id),
  title TEXT NOT NULL,
  metric TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  due_on TEXT,
  owner_team_id INTEGER REFERENCES team(id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('proposed','active','achieved','missed','dropped')),
  created_at INTEGER NOT NULL
);
CREATE INDEX goal_org_parent ON goal(org_id, parent_id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  at INTEGER NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_org_at ON audit(org_id, id);
-- Append-only: the audit log cannot be edited or pruned through SQL.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
