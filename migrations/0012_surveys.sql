-- 0012: surveys people can trust to be anonymous (issue 12).
--
-- The anonymity contract is in the shape of these rows (README, "Surveys:
-- what the database file can and cannot tell"):
--   * survey_ballot holds one final answer set: a random id (src/anon.c
--     anon_new_id), the round, the respondent's team (moved up the tree at
--     close until every stored group has at least k ballots) and the
--     answers. No person id, no time of any kind.
--   * survey_participant says who has answered an open round, for reminders
--     and response rates only. Keyed by (round, person), WITHOUT ROWID, so it
--     keeps no order of answering; nothing in it names a ballot. At close it
--     is reduced to counts per team (survey_round_count) and deleted.
--   * survey_draft is a part-saved answer set keyed by a hash of the person
--     and the round's draft secret; deleted when the answer is final, and all
--     of them with the secret when the round closes, so none can be joined
--     back to a person afterwards.
--   * survey_comment is a free-text answer with a random id, regrouped like
--     the ballots, and the hash of its writer's private reply link.
CREATE TABLE survey (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  title TEXT NOT NULL,
  template TEXT,                               -- culture-audit, pulse, ...; NULL for custom questions
  owner_id INTEGER REFERENCES person(id),      -- who created it (may close its rounds)
  recurrence TEXT NOT NULL DEFAULT 'none' CHECK (recurrence IN ('none','weekly','biweekly','monthly','quarterly')),
  min_group INTEGER NOT NULL DEFAULT 5 CHECK (min_group BETWEEN 3 AND 10),
  min_comments INTEGER NOT NULL DEFAULT 5 CHECK (min_comments BETWEEN 3 AND 10),
  outcome_question_id INTEGER,                 -- the drivers' outcome; NULL: the eNPS item
  created_at INTEGER NOT NULL
);
CREATE INDEX survey_org ON survey(org_id, id);

CREATE TABLE survey_team (
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  team_id INTEGER NOT NULL REFERENCES team(id),
  PRIMARY KEY (survey_id, team_id)
) WITHOUT ROWID;

CREATE TABLE survey_question (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('agree5','agree7','scale10','choice','multi','text')),
  text TEXT NOT NULL,
  text_de TEXT NOT NULL DEFAULT '',
  factor TEXT,
  reverse INTEGER NOT NULL DEFAULT 0,
  options TEXT NOT NULL DEFAULT '[]',          -- JSON list of strings for choice and multi
  optional INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX survey_question_survey ON survey_question(survey_id, position);

CREATE TABLE survey_round (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  number INTEGER NOT NULL,
  opens_on TEXT NOT NULL,
  closes_on TEXT NOT NULL,                     -- the last day answers are taken
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','open','closed')),
  reminders INTEGER NOT NULL DEFAULT 0,        -- bits: 1 at opening, 2 three days later, 4 the day before closing
  draft_secret TEXT,                           -- keys the drafts; wiped at close
  UNIQUE (survey_id, number)
);
CREATE INDEX survey_round_status ON survey_round(status, opens_on);

CREATE TABLE survey_participant (
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  PRIMARY KEY (round_id, person_id)
) WITHOUT ROWID;

CREATE TABLE survey_round_count (
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  team_id INTEGER NOT NULL,                    -- 0: people in no team
  parent_id INTEGER NOT NULL,                  -- the team's parent at close (0: the organisation)
  invited INTEGER NOT NULL,
  answered INTEGER NOT NULL,
  PRIMARY KEY (round_id, team_id)
) WITHOUT ROWID;

CREATE TABLE survey_ballot (
  id INTEGER PRIMARY KEY,                      -- random (anon_new_id), never in answering order
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  team_id INTEGER,                             -- NULL: the organisation level
  answers TEXT NOT NULL                        -- JSON object {"question id": value}
);
CREATE INDEX survey_ballot_round ON survey_ballot(round_id, team_id);

CREATE TABLE survey_draft (
  key_hash TEXT PRIMARY KEY,                   -- hash of (person id, the round's draft secret)
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_draft_round ON survey_draft(round_id);

CREATE TABLE survey_comment (
  id INTEGER PRIMARY KEY,                      -- random
  org_id INTEGER NOT NULL REFERENCES org(id),
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  question_id INTEGER NOT NULL REFERENCES survey_question(id),
  team_id INTEGER,
  body TEXT NOT NULL,
  sentiment INTEGER NOT NULL,                  -- computed: -1, 0, 1
  compound REAL NOT NULL,
  words TEXT NOT NULL DEFAULT '[]',            -- the words that decided it
  themes TEXT NOT NULL DEFAULT '[]',
  sentiment_override INTEGER,                  -- an admin's correction
  reply_hash TEXT NOT NULL UNIQUE              -- hash of the writer's private reply token and the question
);
CREATE INDEX survey_comment_round ON survey_comment(round_id, team_id);

CREATE TABLE survey_reply (
  id INTEGER PRIMARY KEY,
  comment_id INTEGER NOT NULL REFERENCES survey_comment(id),
  seq INTEGER NOT NULL,
  author_id INTEGER REFERENCES person(id),     -- NULL: the comment's writer, anonymous
  body TEXT NOT NULL,
  day TEXT NOT NULL,                           -- YYYY-MM-DD only
  UNIQUE (comment_id, seq)
);

CREATE TABLE survey_factor_score (
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  team_id INTEGER NOT NULL,                    -- 0: the organisation
  factor TEXT NOT NULL,
  score REAL NOT NULL,                         -- mean favourability, percent
  n INTEGER NOT NULL,
  PRIMARY KEY (round_id, team_id, factor)
) WITHOUT ROWID;
