-- 0003: challenges and ideas: leaders ask, everyone answers, nothing
-- disappears into a black hole. Anonymous ideas keep no author, no address
-- and no exact time (created_at is the start of the day, UTC).
CREATE TABLE challenge (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL CHECK (scope IN ('org','team')),
  team_id INTEGER REFERENCES team(id),
  goal_id INTEGER REFERENCES goal(id),
  opens_on TEXT,
  closes_on TEXT,
  phase TEXT NOT NULL DEFAULT 'open' CHECK (phase IN ('open','review','closed')),
  owner_id INTEGER REFERENCES person(id),      -- who published it
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((scope = 'team') = (team_id IS NOT NULL))
);
CREATE INDEX challenge_org_phase ON challenge(org_id, phase, id);

CREATE TABLE challenge_reviewer (
  challenge_id INTEGER NOT NULL REFERENCES challenge(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  PRIMARY KEY (challenge_id, person_id)
);

CREATE TABLE idea (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  challenge_id INTEGER NOT NULL REFERENCES challenge(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  author_id INTEGER REFERENCES person(id),     -- NULL when anonymous: no trace kept
  anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0,1)),
  follow_hash TEXT UNIQUE,                     -- hash of the anonymous author's private follow link
  created_at INTEGER NOT NULL,                 -- anonymous: the day only (midnight UTC)
  stage TEXT NOT NULL DEFAULT 'new' CHECK (stage IN ('new','reviewing','accepted','piloting','implemented','declined','merged')),
  stage_reason TEXT,
  owner_id INTEGER REFERENCES person(id),      -- who carries a pilot
  due_on TEXT,
  merged_into_id INTEGER REFERENCES idea(id),
  first_response_at INTEGER,                   -- first stage change or comment by someone other than the author
  updated_at INTEGER NOT NULL,
  CHECK (anonymous = 0 OR author_id IS NULL)
);
CREATE INDEX idea_challenge ON idea(challenge_id, id);
CREATE INDEX idea_org_author ON idea(org_id, author_id);

-- Similar ideas while typing a title (SQLite FTS5; tsvector in PostgreSQL).
CREATE VIRTUAL TABLE idea_fts USING fts5(title, body, content='idea', content_rowid='id');
CREATE TRIGGER idea_fts_ai AFTER INSERT ON idea BEGIN
  INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER idea_fts_ad AFTER DELETE ON idea BEGIN
  INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER idea_fts_au AFTER UPDATE OF title, body ON idea BEGIN
  INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;

-- One vote per person per idea, enforced by the key (also under races).
CREATE TABLE vote (
  idea_id INTEGER NOT NULL REFERENCES idea(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (idea_id, person_id)
);
CREATE INDEX vote_person ON vote(person_id);

CREATE TABLE comment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  idea_id INTEGER NOT NULL REFERENCES idea(id),
  author_id INTEGER REFERENCES person(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comment_idea ON comment(idea_id, id);

CREATE TABLE idea_stage (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  idea_id INTEGER NOT NULL REFERENCES idea(id),
  at INTEGER NOT NULL,
  actor_id INTEGER REFERENCES person(id),
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idea_stage_idea ON idea_stage(idea_id, id);

CREATE TABLE idea_review (
  idea_id INTEGER NOT NULL REFERENCES idea(id),
  reviewer_id INTEGER NOT NULL REFERENCES person(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  risk INTEGER NOT NULL CHECK (risk BETWEEN 1 AND 5),
  reward INTEGER NOT NULL CHECK (reward BETWEEN 1 AND 5),
  effort INTEGER NOT NULL CHECK (effort BETWEEN 1 AND 5),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (idea_id, reviewer_id)
);

-- Pairwise choices: one per person per pair (idea_a < idea_b).
CREATE TABLE pair_choice (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  challenge_id INTEGER NOT NULL REFERENCES challenge(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  idea_a INTEGER NOT NULL REFERENCES idea(id),
  idea_b INTEGER NOT NULL REFERENCES idea(id),
  winner_id INTEGER NOT NULL REFERENCES idea(id),
  created_at INTEGER NOT NULL,
  CHECK (idea_a < idea_b AND (winner_id = idea_a OR winner_id = idea_b))
);
CREATE UNIQUE INDEX pair_choice_once ON pair_choice(person_id, idea_a, idea_b);
CREATE INDEX pair_choice_challenge ON pair_choice(challenge_id);
