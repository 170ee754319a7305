-- 0018_evidence.sql: the evidence part (issue 15): key performance
-- indicators, their entered or imported monthly values, the stars of each
-- person's home, and the empowerment programme's pilot against comparison.
-- Computed KPIs keep no values here: they are computed from remit's own
-- tables (people history, ideas, decisions, survey factor scores) when shown.
CREATE TABLE kpi (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  slug TEXT,                                   -- a registry entry (kpis.c) or NULL for one the organisation defines
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  direction TEXT NOT NULL CHECK (direction IN ('up','down')),  -- which way is good
  scope TEXT NOT NULL DEFAULT 'team' CHECK (scope IN ('team','org')),
  target REAL,                                 -- NULL: none
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX kpi_org_slug ON kpi(org_id, slug);
CREATE INDEX kpi_org ON kpi(org_id, id);

-- One value per KPI, team (NULL: the organisation) and month (YYYY-MM).
-- Absence is kept as the team's total days, never per person.
CREATE TABLE kpi_value (
  id INTEGER PRIMARY KEY,
  kpi_id INTEGER NOT NULL REFERENCES kpi(id),
  org_id INTEGER NOT NULL REFERENCES org(id),
  team_id INTEGER REFERENCES team(id),
  month TEXT NOT NULL,
  value REAL NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX kpi_value_kpi ON kpi_value(kpi_id, month);

CREATE TABLE kpi_star (
  person_id INTEGER NOT NULL REFERENCES person(id),
  kpi_id INTEGER NOT NULL REFERENCES kpi(id),
  PRIMARY KEY (person_id, kpi_id)
) WITHOUT ROWID;

-- The empowerment programme: one per organisation, its phase and pilot.
CREATE TABLE programme (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL UNIQUE REFERENCES org(id),
  phase TEXT NOT NULL DEFAULT 'assessment' CHECK (phase IN ('assessment','pilot','rollout')),
  pilot_start TEXT,                            -- YYYY-MM-DD: when the pilot teams' changes began
  changes TEXT NOT NULL DEFAULT '',            -- what changes for the pilot teams (rights, training)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE programme_team (
  programme_id INTEGER NOT NULL REFERENCES programme(id),
  team_id INTEGER NOT NULL REFERENCES team(id),
  grp TEXT NOT NULL CHECK (grp IN ('pilot','comparison')),
  PRIMARY KEY (programme_id, team_id)
) WITHOUT ROWID;
CREATE TABLE programme_kpi (
  programme_id INTEGER NOT NULL REFERENCES programme(id),
  kpi_id INTEGER NOT NULL REFERENCES kpi(id),
  PRIMARY KEY (programme_id, kpi_id)
) WITHOUT ROWID;

-- Ideas gain an estimated value (cents per year), for the ROI table.
ALTER TABLE idea ADD COLUMN value_cents INTEGER CHECK (value_cents IS NULL OR value_cents >= 0);
-- The programme's checklist: action items (source kind "programme") by phase.
CREATE TABLE programme_action (
  programme_id INTEGER NOT NULL REFERENCES programme(id),
  action_id INTEGER NOT NULL REFERENCES action_item(id),
  phase TEXT NOT NULL CHECK (phase IN ('assessment','pilot','rollout')),
  PRIMARY KEY (programme_id, action_id)
) WITHOUT ROWID;

-- The ROI table's assumptions, each organisation's own (defaults in roi.c).
CREATE TABLE roi_assumption (
  org_id INTEGER NOT NULL REFERENCES org(id),
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (org_id, key)
) WITHOUT ROWID;
