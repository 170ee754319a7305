-- 0014: from listening to action (issue 12): action plans made from survey
-- results, and the suggestion box.
--
-- survey_plan ties one action item (source kind 'survey', source id = this
-- row's id; src/actions.c SOURCES asks surveys_may_see) to the result it
-- was made from: a closed round, a group (team 0: the organisation) and the
-- question or factor. `favourable` is that result's figure as it was shown
-- (results never change after close); NULL when the group was hidden below
-- k, so "You said ..." never shows a figure that was not shown.
CREATE TABLE survey_plan (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  round_id INTEGER NOT NULL REFERENCES survey_round(id),
  team_id INTEGER NOT NULL DEFAULT 0,          -- 0: the organisation
  question_id INTEGER REFERENCES survey_question(id),
  factor TEXT,                                 -- or a factor of the survey
  favourable REAL,                             -- percent, as shown; NULL when hidden
  action_id INTEGER REFERENCES action_item(id)
);
CREATE INDEX survey_plan_survey ON survey_plan(survey_id, round_id);

-- The suggestion box: an always-open anonymous question per organisation
-- (team_id 0) or team. What the rows hold (README, "The suggestion box"):
--   * suggestion_pending: a suggestion written today, unseen by anyone but
--     its writer (through the private follow link) until the UTC day is
--     over; then src/anon.c's releaser moves the day's batch into
--     `suggestion` in the order of their random ids. No author, no address,
--     the day only (midnight UTC), the hash of the follow token.
--   * suggestion: the released suggestion; answered in the open by a named
--     manager or admin (the day only), or declined by an admin with a
--     reason that only the private link shows.
CREATE TABLE suggest_box (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES org(id),
  team_id INTEGER NOT NULL DEFAULT 0,          -- 0: the organisation
  open INTEGER NOT NULL DEFAULT 1,
  UNIQUE (org_id, team_id)
);

CREATE TABLE suggestion_pending (
  id INTEGER PRIMARY KEY,                      -- random (anon_new_id), never in writing order
  org_id INTEGER NOT NULL REFERENCES org(id),
  box_id INTEGER NOT NULL REFERENCES suggest_box(id),
  body TEXT NOT NULL,
  sentiment INTEGER NOT NULL,                  -- -1, 0, 1 (src/sentiment.c)
  words TEXT NOT NULL DEFAULT '[]',            -- the words that decided it
  follow_hash TEXT NOT NULL UNIQUE,
  day INTEGER NOT NULL                         -- midnight UTC of the day it was written
);
CREATE INDEX suggestion_pending_day ON suggestion_pending(day);

CREATE TABLE suggestion (
  id INTEGER PRIMARY KEY,                      -- the pending row's random id
  org_id INTEGER NOT NULL REFERENCES org(id),
  box_id INTEGER NOT NULL REFERENCES suggest_box(id),
  body TEXT NOT NULL,
  sentiment INTEGER NOT NULL,
  words TEXT NOT NULL DEFAULT '[]',
  follow_hash TEXT NOT NULL UNIQUE,
  day INTEGER NOT NULL,                        -- midnight UTC of the day it was written
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','answered','declined')),
  answer TEXT,                                 -- the answer, or the reason it was declined
  answered_by INTEGER REFERENCES person(id),   -- named: answers are given in the open
  answered_on TEXT                             -- YYYY-MM-DD
);
CREATE INDEX suggestion_box ON suggestion(box_id, status, id);
