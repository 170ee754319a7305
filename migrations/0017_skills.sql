-- 0017_skills.sql: skills, training and the fairness audit's self-described
-- attributes (issue 14 part B).
-- An organisation's skills; what each role charter needs (level 1 aware,
-- 2 practising, 3 proficient, 4 can teach); each person's level as they
-- assess it and as their manager confirms it (the confirmed one counts).
CREATE TABLE skill (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX skill_org_name ON skill(org_id, name);
CREATE TABLE role_skill (
  org_id INTEGER NOT NULL REFERENCES org(id),
  role_id INTEGER NOT NULL REFERENCES role(id),
  skill_id INTEGER NOT NULL REFERENCES skill(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  PRIMARY KEY (role_id, skill_id)
);
CREATE INDEX role_skill_org ON role_skill(org_id, skill_id);
CREATE TABLE person_skill (
  org_id INTEGER NOT NULL REFERENCES org(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  skill_id INTEGER NOT NULL REFERENCES skill(id),
  self_level INTEGER CHECK (self_level IS NULL OR self_level BETWEEN 0 AND 4),
  confirmed_level INTEGER CHECK (confirmed_level IS NULL OR confirmed_level BETWEEN 0 AND 4),
  confirmed_by INTEGER REFERENCES person(id),
  confirmed_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX person_skill_org ON person_skill(org_id, skill_id);
-- The training catalogue: internal sessions, shadowing and courses (a link,
-- http or https only), each with the skills and the level it builds.
CREATE TABLE training (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  kind TEXT NOT NULL CHECK (kind IN ('session', 'shadowing', 'course')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  url TEXT,
  created_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX training_org ON training(org_id, id);
CREATE TABLE training_skill (
  org_id INTEGER NOT NULL REFERENCES org(id),
  training_id INTEGER NOT NULL REFERENCES training(id),
  skill_id INTEGER NOT NULL REFERENCES skill(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  PRIMARY KEY (training_id, skill_id)
);
-- A plan: a person is to take a training. Proposed by the person or their
-- manager (with the suggestion's evidence when it came from one), approved
-- or rejected by someone with authority, completed when the manager
-- confirms it. 'dismissed' records a suggestion turned down, by whom.
CREATE TABLE training_plan (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES org(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  training_id INTEGER NOT NULL REFERENCES training(id),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'completed', 'dismissed')),
  evidence TEXT NOT NULL DEFAULT '',
  proposed_by INTEGER REFERENCES person(id),
  proposed_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES person(id),
  decided_at INTEGER,
  completed_by INTEGER REFERENCES person(id),
  completed_at INTEGER,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX training_plan_person ON training_plan(org_id, person_id, status);
CREATE INDEX training_plan_status ON training_plan(org_id, status, id);
-- A decision right's prerequisites: [{"skill_id":N,"level":L}|{"training_id":N}]
-- as compact JSON (NULL: none). "Can I?" treats the right as absent until
-- the holder meets them.
ALTER TABLE decision_right ADD COLUMN requires TEXT;
-- Self-described attributes for the fairness audit, stored apart from the
-- person's record: only the person sets or clears theirs, and the audit
-- reads them only to count groups of at least five.
CREATE TABLE self_attribute (
  org_id INTEGER NOT NULL REFERENCES org(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  gender TEXT,
  age_band TEXT,
  PRIMARY KEY (person_id)
);
CREATE INDEX self_attribute_org ON self_attribute(org_id);
-- "Can I?" reads confirmed levels, completed trainings and the names of
-- skills and trainings: their changes bump the directory version (0005).
CREATE TRIGGER dv_pskill_ins AFTER INSERT ON person_skill BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_pskill_del AFTER DELETE ON person_skill BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_pskill_upd AFTER UPDATE OF confirmed_level, person_id, skill_id, org_id ON person_skill BEGIN
  UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER dv_plan_ins AFTER INSERT ON training_plan WHEN NEW.status = 'completed' BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_plan_del AFTER DELETE ON training_plan BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_plan_upd AFTER UPDATE OF status, person_id, training_id, org_id ON training_plan BEGIN
  UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER dv_skill_upd AFTER UPDATE OF name ON skill BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_training_upd AFTER UPDATE OF title ON training BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
-- The fairness audit counts per person over the last year: covering
-- indexes keep it within the page budget on a large log.
CREATE INDEX decision_fairness ON decision(org_id, status, author_id, created_at);
CREATE INDEX idea_fairness ON idea(org_id, author_id, created_at, stage);
