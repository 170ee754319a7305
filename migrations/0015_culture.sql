-- 0015: just culture (issue 13): reports of incidents, near-misses and
-- concerns, their triage, culpability assessments, blameless reviews,
-- protocols, and who reviews what. src/reports.c, src/culpability.c,
-- src/protocols.c own these tables.
--
-- Anonymity: an anonymous report is never stored with an author, an
-- address or a time finer than the day. It waits in report_pending, seen
-- only through its private follow link, until its UTC day is over; then
-- src/anon.c releases the day's reports together into `report` (random ids,
-- in id order). Every report, named or not, has a random id (anon_new_id),
-- so neither ids nor neighbours date an anonymous one.
-- Confidential: author_id is kept, but only the report's reviewers (and the
-- author) are ever shown it; no audit line names it.

-- The organisation's settings: the time to acknowledge (working days) and
-- the list of categories (JSON list of strings; NULL: the defaults).
CREATE TABLE report_settings (
  org_id INTEGER PRIMARY KEY REFERENCES org(id),
  ack_days INTEGER NOT NULL DEFAULT 2 CHECK (ack_days BETWEEN 1 AND 30),
  categories_json TEXT
);

-- A role marked as reviewing reports: for a team subtree (team_id), or
-- for the whole organisation (team_id NULL).
CREATE TABLE report_reviewer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  role_id INTEGER NOT NULL REFERENCES role(id),
  team_id INTEGER REFERENCES team(id)
);
CREATE UNIQUE INDEX report_reviewer_once ON report_reviewer(role_id, coalesce(team_id, 0));
CREATE INDEX report_reviewer_org ON report_reviewer(org_id);

CREATE TABLE report (
  id INTEGER PRIMARY KEY,                       -- random (anon_new_id), never in creation order
  org_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL CHECK (kind IN ('incident','near_miss','concern')),
  body TEXT NOT NULL,
  team_id INTEGER REFERENCES team(id),
  happened_on TEXT NOT NULL,
  harm TEXT NOT NULL CHECK (harm IN ('none','minor','moderate','severe')),
  category TEXT NOT NULL,
  immediate_action TEXT NOT NULL DEFAULT '',
  self_report INTEGER NOT NULL DEFAULT 0 CHECK (self_report IN (0,1)),
  identity TEXT NOT NULL CHECK (identity IN ('named','confidential','anonymous')),
  author_id INTEGER REFERENCES person(id),      -- NULL when anonymous: no trace kept
  follow_hash TEXT UNIQUE,                      -- anonymous: hash of the private follow link
  received_on INTEGER NOT NULL,                 -- midnight UTC of the day it arrived (every report alike)
  ack_due TEXT NOT NULL,                        -- YYYY-MM-DD: received + the org's working days
  acknowledged_at INTEGER,
  acknowledged_by INTEGER REFERENCES person(id),
  severity TEXT CHECK (severity IN ('low','medium','high','critical')),
  review_needed INTEGER CHECK (review_needed IN (0,1)),
  answer TEXT,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','acknowledged','triaged','reviewing','closed')),
  closed_at INTEGER,
  CHECK (identity <> 'anonymous' OR author_id IS NULL),
  CHECK (identity = 'anonymous' OR author_id IS NOT NULL)
);
CREATE INDEX report_org ON report(org_id, received_on);
CREATE INDEX report_author ON report(org_id, author_id);

CREATE TABLE report_pending (
  id INTEGER PRIMARY KEY,                       -- random, becomes the report's id
  org_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  team_id INTEGER REFERENCES team(id),
  happened_on TEXT NOT NULL,
  harm TEXT NOT NULL,
  category TEXT NOT NULL,
  immediate_action TEXT NOT NULL DEFAULT '',
  self_report INTEGER NOT NULL DEFAULT 0,
  follow_hash TEXT NOT NULL UNIQUE,
  day INTEGER NOT NULL                          -- midnight UTC of the day it was sent
);
CREATE INDEX report_pending_day ON report_pending(day);

-- What happened to a report, step by step, for its reporter to see.
CREATE TABLE report_step (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  report_id INTEGER NOT NULL REFERENCES report(id),
  at INTEGER NOT NULL,
  actor_id INTEGER REFERENCES person(id),
  what TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_step_report ON report_step(report_id, id);

-- A culpability assessment of one unsafe act (Reason 1997). answers: one
-- character per question (y, n, d = don't know, - = not asked). Two
-- reviewers must agree: the first names the second, who confirms or
-- disagrees (disagreement keeps it open).
CREATE TABLE report_assessment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  report_id INTEGER NOT NULL REFERENCES report(id),
  act TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES person(id),   -- whom it concerns
  answers TEXT NOT NULL,
  outcome TEXT NOT NULL,                              -- Reason's category
  behaviour TEXT NOT NULL CHECK (behaviour IN ('human_error','at_risk','reckless')),
  rationale TEXT NOT NULL,
  assessor_id INTEGER NOT NULL REFERENCES person(id),
  second_id INTEGER NOT NULL REFERENCES person(id),
  second_note TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','agreed','disagreed')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX report_assessment_report ON report_assessment(report_id);

-- The blameless review of a report. lesson_shared: what we learned with
-- people's names replaced by their roles, set when shared (the only text
-- the organisation and the search index see).
CREATE TABLE report_review (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  report_id INTEGER NOT NULL UNIQUE REFERENCES report(id),
  timeline TEXT NOT NULL DEFAULT '',
  factors_json TEXT NOT NULL DEFAULT '[]',
  whys_json TEXT NOT NULL DEFAULT '[]',
  went_well TEXT NOT NULL DEFAULT '',
  learned TEXT NOT NULL DEFAULT '',
  shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0,1)),
  lesson_shared TEXT,
  shared_title TEXT,
  shared_at INTEGER,
  recognise_reporter INTEGER NOT NULL DEFAULT 0 CHECK (recognise_reporter IN (0,1)),
  recognition_note TEXT,
  led_to_change INTEGER NOT NULL DEFAULT 0 CHECK (led_to_change IN (0,1)),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  created_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE INDEX report_review_shared ON report_review(org_id, shared, shared_at);
CREATE VIRTUAL TABLE review_fts USING fts5(title, lesson, content='report_review', content_rowid='id');
CREATE TRIGGER review_fts_au AFTER UPDATE OF lesson_shared ON report_review BEGIN
  INSERT INTO review_fts(review_fts, rowid, title, lesson) SELECT 'delete', old.id, coalesce(old.shared_title, ''), old.lesson_shared WHERE old.lesson_shared IS NOT NULL;
  INSERT INTO review_fts(rowid, title, lesson) SELECT new.id, coalesce(new.shared_title, ''), new.lesson_shared WHERE new.lesson_shared IS NOT NULL;
END;
CREATE TRIGGER review_fts_ai AFTER INSERT ON report_review WHEN new.lesson_shared IS NOT NULL BEGIN
  INSERT INTO review_fts(rowid, title, lesson) VALUES (new.id, coalesce(new.shared_title, ''), new.lesson_shared);
END;

-- Protocols and guidelines: every version kept.
CREATE TABLE protocol (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  title TEXT NOT NULL,
  owner_id INTEGER NOT NULL REFERENCES person(id),
  review_on TEXT,
  review_action_id INTEGER,                     -- the owner's action item for the review (reminders)
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX protocol_org_title ON protocol(org_id, title);
CREATE TABLE protocol_version (
  protocol_id INTEGER NOT NULL REFERENCES protocol(id),
  version INTEGER NOT NULL,
  org_id INTEGER NOT NULL REFERENCES org(id),
  body TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (protocol_id, version)
);
CREATE TABLE protocol_domain (
  protocol_id INTEGER NOT NULL REFERENCES protocol(id),
  domain_id INTEGER NOT NULL REFERENCES domain(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  PRIMARY KEY (protocol_id, domain_id)
);
CREATE INDEX protocol_domain_domain ON protocol_domain(domain_id);
-- A change proposed (by a review) to a protocol; its owner accepts (a new
-- version) or declines with a reason.
CREATE TABLE protocol_change (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  protocol_id INTEGER NOT NULL REFERENCES protocol(id),
  report_id INTEGER REFERENCES report(id),
  body TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  proposed_by INTEGER REFERENCES person(id),
  proposed_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','accepted','declined')),
  reason TEXT,
  decided_at INTEGER
);
CREATE INDEX protocol_change_protocol ON protocol_change(protocol_id, status);
-- The holders of a role asked to confirm they read a version, and who did.
CREATE TABLE protocol_ask (
  protocol_id INTEGER NOT NULL REFERENCES protocol(id),
  role_id INTEGER NOT NULL REFERENCES role(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  version INTEGER NOT NULL,
  asked_at INTEGER NOT NULL,
  PRIMARY KEY (protocol_id, role_id)
);
CREATE TABLE protocol_read (
  protocol_id INTEGER NOT NULL REFERENCES protocol(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  version INTEGER NOT NULL,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (protocol_id, person_id)
);
