-- Anonymity that survives the order of ids (issue 9).
--
-- An anonymous idea waits here, unseen by anyone but its author (through
-- the private follow link), until the UTC day it was sent is over; then
-- src/anon.c releases that day's ideas together into `idea`, in the order
-- of their random ids. So nobody who watches the challenge (or the audit
-- log, or anyone's activity) can tell the moment it was sent: only the day.
-- The id is random (src/anon.c anon_new_id) and becomes the idea's id; the
-- row holds no author, no address and no time finer than the day.
CREATE TABLE idea_pending (
  id INTEGER PRIMARY KEY,                      -- random, never in creation order
  org_id INTEGER NOT NULL REFERENCES org(id),
  challenge_id INTEGER NOT NULL REFERENCES challenge(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  follow_hash TEXT NOT NULL UNIQUE,
  day INTEGER NOT NULL                         -- midnight UTC of the day it was sent
);
CREATE INDEX idea_pending_day ON idea_pending(day);
