-- 0016_people.sql: recognition, feedback and one-to-ones (issue 14 part A).
--
-- Who may read what is in the code (src/recognition.c, src/feedback.c,
-- src/oneonone.c); the shape of the rows keeps it simple:
--   * a recognition names its giver, its recipients (a team recognised
--     names the team and its members at the time), the values it tags and
--     what it cites; "+1"s are one row per person (the key says once).
--   * a feedback row has a giver and one recipient; shared_at is set only
--     by the recipient, and only then does the recipient's manager see it.
--   * a one-to-one is a manager and a direct report; its agenda is shared,
--     its notes are one row per author and are read by their author alone.

CREATE TABLE recognition (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  giver_id INTEGER NOT NULL REFERENCES person(id),
  team_id INTEGER REFERENCES team(id),          -- a team recognised as a whole; NULL: people only
  body TEXT NOT NULL,                           -- markdown
  visibility TEXT NOT NULL CHECK (visibility IN ('public','private')),
  values_json TEXT NOT NULL,                    -- JSON list of the organisation's values it tags
  cites_json TEXT NOT NULL DEFAULT '[]',        -- JSON list of {"kind","id"}
  created_at INTEGER NOT NULL
);
CREATE INDEX recognition_org ON recognition(org_id, id);
CREATE INDEX recognition_team ON recognition(org_id, team_id, id);

CREATE TABLE recognition_recipient (
  recognition_id INTEGER NOT NULL REFERENCES recognition(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  created_at INTEGER NOT NULL,                  -- the recognition's time (for "not recognised for 60 days")
  PRIMARY KEY (recognition_id, person_id)
) WITHOUT ROWID;
CREATE INDEX recognition_recipient_person ON recognition_recipient(org_id, person_id, created_at);

CREATE TABLE recognition_value (
  recognition_id INTEGER NOT NULL REFERENCES recognition(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  value TEXT NOT NULL,
  PRIMARY KEY (recognition_id, value)
) WITHOUT ROWID;
CREATE INDEX recognition_value_org ON recognition_value(org_id, value, recognition_id);

CREATE TABLE recognition_plus (
  recognition_id INTEGER NOT NULL REFERENCES recognition(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (recognition_id, person_id)
) WITHOUT ROWID;

-- the month ("YYYY-MM") each manager was last prompted about people not recognised for 60 days
CREATE TABLE recognition_prompt (
  manager_id INTEGER PRIMARY KEY REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  month TEXT NOT NULL
);

CREATE TABLE feedback_request (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  asker_id INTEGER NOT NULL REFERENCES person(id),   -- who wants feedback (and receives it)
  asked_id INTEGER NOT NULL REFERENCES person(id),   -- who is asked to give it
  about TEXT NOT NULL,                               -- the specific thing
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered','declined')),
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_request_asked ON feedback_request(org_id, asked_id, status, id);
CREATE INDEX feedback_request_asker ON feedback_request(org_id, asker_id, id);

CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  giver_id INTEGER NOT NULL REFERENCES person(id),
  recipient_id INTEGER NOT NULL REFERENCES person(id),
  request_id INTEGER REFERENCES feedback_request(id),  -- NULL: given unasked
  about TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,                                  -- markdown
  shared_at INTEGER,                                   -- the recipient shared it with their manager
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_recipient ON feedback(org_id, recipient_id, id);
CREATE INDEX feedback_giver ON feedback(org_id, giver_id, id);

CREATE TABLE one_to_one (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  manager_id INTEGER NOT NULL REFERENCES person(id),
  report_id INTEGER NOT NULL REFERENCES person(id),
  rhythm TEXT NOT NULL DEFAULT 'biweekly' CHECK (rhythm IN ('weekly','biweekly','monthly')),
  next_on TEXT NOT NULL,                               -- YYYY-MM-DD
  reminded_on TEXT,                                    -- the next_on whose day-before reminder went out
  created_at INTEGER NOT NULL,
  UNIQUE (org_id, manager_id, report_id)
);
CREATE INDEX one_to_one_report ON one_to_one(org_id, report_id);
CREATE INDEX one_to_one_next ON one_to_one(next_on);

CREATE TABLE one_to_one_item (
  id INTEGER PRIMARY KEY,
  one_to_one_id INTEGER NOT NULL REFERENCES one_to_one(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  author_id INTEGER NOT NULL REFERENCES person(id),
  text TEXT NOT NULL,
  done_at INTEGER,                                     -- ticked when discussed
  created_at INTEGER NOT NULL
);
CREATE INDEX one_to_one_item_pair ON one_to_one_item(one_to_one_id, id);

-- private notes: read and written by author_id alone (not the other side, not admins or owners)
CREATE TABLE one_to_one_note (
  id INTEGER PRIMARY KEY,
  one_to_one_id INTEGER NOT NULL REFERENCES one_to_one(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  author_id INTEGER NOT NULL REFERENCES person(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX one_to_one_note_author ON one_to_one_note(one_to_one_id, author_id, id);

-- 360 reviews on the meta-skills. What the database file holds (README,
-- "360 reviews: what the database file can and cannot tell"):
--   * review360_ballot: one rater's ratings, with a random id (src/anon.c
--     anon_new_id) and the rater's relation only. No person id, no time.
--     Self and manager ballots are attributed by their relation (one person
--     each), as the report attributes them; peers and reports are not.
--   * review360_invite says who was asked and whether they answered, for
--     reminders and counts: keyed (review, person), WITHOUT ROWID, so it
--     keeps no order of answering, and nothing in it names a ballot.
--   * review360_comment: a rater's comment, random id, relation only.
CREATE TABLE review360_behaviour (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  position INTEGER NOT NULL,
  skill TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX review360_behaviour_org ON review360_behaviour(org_id, position);

CREATE TABLE review360 (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  subject_id INTEGER NOT NULL REFERENCES person(id),
  started_by INTEGER NOT NULL REFERENCES person(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  behaviours TEXT NOT NULL,                    -- JSON [{"skill","text"}] as asked in this round
  closes_on TEXT NOT NULL,
  shared INTEGER NOT NULL DEFAULT 0,           -- the subject shared the report with their manager
  goal TEXT,                                   -- the development plan's goal
  reminded INTEGER NOT NULL DEFAULT 0,         -- those who had not answered were reminded the day before closing
  created_at INTEGER NOT NULL
);
CREATE INDEX review360_subject ON review360(org_id, subject_id, id);

CREATE TABLE review360_invite (
  review_id INTEGER NOT NULL REFERENCES review360(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  relation TEXT NOT NULL CHECK (relation IN ('self','manager','peer','report')),
  answered INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (review_id, person_id)
) WITHOUT ROWID;
CREATE INDEX review360_invite_person ON review360_invite(person_id, answered);

CREATE TABLE review360_ballot (
  id INTEGER PRIMARY KEY,                      -- random, never in answering order
  review_id INTEGER NOT NULL REFERENCES review360(id),
  relation TEXT NOT NULL CHECK (relation IN ('self','manager','peer','report')),
  ratings TEXT NOT NULL                        -- JSON list, one 1..5 per behaviour
);
CREATE INDEX review360_ballot_review ON review360_ballot(review_id);

CREATE TABLE review360_comment (
  id INTEGER PRIMARY KEY,                      -- random
  review_id INTEGER NOT NULL REFERENCES review360(id),
  relation TEXT NOT NULL CHECK (relation IN ('self','manager','peer','report')),
  body TEXT NOT NULL
);
CREATE INDEX review360_comment_review ON review360_comment(review_id);
