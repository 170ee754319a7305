-- 0002: the empowerment cycle: role charters, decision domains and rights
-- (with history), the decision log with its full-text index, notifications
-- and earned-autonomy suggestions. Money is integer cents; times unix
-- seconds; dates 'YYYY-MM-DD'.
-- Ids of things that can be deleted and are cited elsewhere (history, the
-- audit log, decisions) are never reused: AUTOINCREMENT here, an identity
-- column in PostgreSQL.
CREATE TABLE role (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  team_id INTEGER REFERENCES team(id),
  name TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  goal_id INTEGER REFERENCES goal(id),
  accountabilities_json TEXT NOT NULL DEFAULT '[]',
  resources_json TEXT NOT NULL DEFAULT '[]',
  version INTEGER NOT NULL DEFAULT 1,          -- bumped when the charter text changes
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX role_org_name ON role(org_id, name);

CREATE TABLE role_holder (
  role_id INTEGER NOT NULL REFERENCES role(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  since INTEGER NOT NULL,
  acknowledged_version INTEGER,                -- the charter version the holder confirmed
  acknowledged_at INTEGER,
  PRIMARY KEY (role_id, person_id)
);
CREATE INDEX role_holder_person ON role_holder(person_id);

CREATE TABLE domain (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  slug TEXT NOT NULL,
  label TEXT NOT NULL,
  risk TEXT NOT NULL DEFAULT 'medium' CHECK (risk IN ('low','medium','high')),
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX domain_org_slug ON domain(org_id, slug);

CREATE TABLE decision_right (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  role_id INTEGER REFERENCES role(id),
  person_id INTEGER REFERENCES person(id),
  domain_id INTEGER NOT NULL REFERENCES domain(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 7),
  limit_cents INTEGER CHECK (limit_cents IS NULL OR limit_cents >= 0),  -- NULL: no limit
  advisor_id INTEGER REFERENCES person(id),
  expires_on TEXT,
  reason TEXT NOT NULL DEFAULT '',
  granted_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((role_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX right_role ON decision_right(role_id);
CREATE INDEX right_person ON decision_right(person_id);
CREATE INDEX right_org_domain ON decision_right(org_id, domain_id);

-- Every change to a right, with the state after it (JSON) and why.
CREATE TABLE right_history (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  right_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor_id INTEGER REFERENCES person(id),
  action TEXT NOT NULL CHECK (action IN ('create','update','delete')),
  state_json TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX right_history_right ON right_history(right_id, id);

CREATE TABLE decision (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  author_id INTEGER NOT NULL REFERENCES person(id),
  domain_id INTEGER NOT NULL REFERENCES domain(id),
  title TEXT NOT NULL,
  amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
  context TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '',
  rationale TEXT NOT NULL DEFAULT '',
  risk INTEGER NOT NULL CHECK (risk BETWEEN 1 AND 5),
  reward INTEGER NOT NULL CHECK (reward BETWEEN 1 AND 5),
  review_on TEXT,
  -- "Can I?" as evaluated when the decision was logged
  verdict TEXT NOT NULL CHECK (verdict IN ('none','approve','decide','inform','advise','agree','propose')),
  level INTEGER,
  limit_cents INTEGER,
  right_id INTEGER,
  explanation TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('decided','pending','approved','declined','withdrawn')),
  route_to_id INTEGER REFERENCES person(id),   -- who must answer (or advise, or be told)
  requested_at INTEGER NOT NULL,
  advice TEXT,
  advised_by INTEGER REFERENCES person(id),
  advised_at INTEGER,
  answered_at INTEGER,                          -- approved, declined, withdrawn, or decided after advice
  answered_by INTEGER REFERENCES person(id),
  answer_note TEXT,
  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('good','mixed','bad')),
  account TEXT,
  learning TEXT,
  outcome_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX decision_org_status ON decision(org_id, status, id);
CREATE INDEX decision_author ON decision(author_id, id);
CREATE INDEX decision_route ON decision(route_to_id, status);
CREATE INDEX decision_org_domain ON decision(org_id, domain_id, id);
CREATE INDEX decision_org_requested ON decision(org_id, requested_at);

-- The learning library: full-text search over decisions (SQLite FTS5; a
-- PostgreSQL backend would use tsvector instead).
CREATE VIRTUAL TABLE decision_fts USING fts5(title, context, rationale, learning, content='decision', content_rowid='id');
CREATE TRIGGER decision_fts_ai AFTER INSERT ON decision BEGIN
  INSERT INTO decision_fts(rowid, title, context, rationale, learning) VALUES (new.id, new.title, new.context, new.rationale, coalesce(new.learning, ''));
END;
CREATE TRIGGER decision_fts_ad AFTER DELETE ON decision BEGIN
  INSERT INTO decision_fts(decision_fts, rowid, title, context, rationale, learning) VALUES ('delete', old.id, old.title, old.context, old.rationale, coalesce(old.learning, ''));
END;
CREATE TRIGGER decision_fts_au AFTER UPDATE OF title, context, rationale, learning ON decision BEGIN
  INSERT INTO decision_fts(decision_fts, rowid, title, context, rationale, learning) VALUES ('delete', old.id, old.title, old.context, old.rationale, coalesce(old.learning, ''));
  INSERT INTO decision_fts(rowid, title, context, rationale, learning) VALUES (new.id, new.title, new.context, new.rationale, coalesce(new.learning, ''));
END;

-- In-app notifications (an `inform` decision tells the manager, etc.).
CREATE TABLE notification (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  read_at INTEGER
);
CREATE INDEX notification_person ON notification(person_id, id);

CREATE TABLE autonomy_suggestion (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  domain_id INTEGER NOT NULL REFERENCES domain(id),
  kind TEXT NOT NULL CHECK (kind IN ('raise','coach')),
  right_id INTEGER,                         -- the right it would change (NULL: a new personal right)
  current_level INTEGER,
  current_limit_cents INTEGER,
  suggested_level INTEGER,
  suggested_limit_cents INTEGER,
  n INTEGER NOT NULL,                       -- reviewed outcomes
  good_halves INTEGER NOT NULL,             -- good = 2, mixed = 1, bad = 0 (exact halves)
  lower_bound REAL NOT NULL,                -- Wilson 95% lower bound of good/n
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','rejected')),
  decided_by INTEGER REFERENCES person(id),
  decided_at INTEGER,
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX suggestion_org_status ON autonomy_suggestion(org_id, status, id);
CREATE INDEX suggestion_person_domain ON autonomy_suggestion(person_id, domain_id);
