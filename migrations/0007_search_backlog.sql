-- 0007: the decision log's full-text index is brought up to date in
-- batches instead of inside every decision's transaction (indexing one
-- document per commit cost about a third of the write rate). search_state
-- holds the highest decision id indexed; every decision up to it is in
-- decision_fts, the rest wait for search_catch_up (src/search.c), which
-- runs before every search, every half second while serving, at start, at
-- the end of `remit demo` and on every backup, so a search never misses a
-- decision. Changes to an indexed decision are still applied at once.
CREATE TABLE search_state (name TEXT PRIMARY KEY, upto INTEGER NOT NULL);
INSERT INTO search_state(name, upto) VALUES ('decision', (SELECT coalesce(max(id), 0) FROM decision));
DROP TRIGGER decision_fts_ai;
DROP TRIGGER decision_fts_ad;
DROP TRIGGER decision_fts_au;
CREATE TRIGGER decision_fts_ad AFTER DELETE ON decision WHEN old.id <= (SELECT upto FROM search_state WHERE name = 'decision') BEGIN
  INSERT INTO decision_fts(decision_fts, rowid, title, context, rationale, learning) VALUES ('delete', old.id, old.title, old.context, old.rationale, coalesce(old.learning, ''));
END;
CREATE TRIGGER decision_fts_au AFTER UPDATE OF title, context, rationale, learning ON decision
WHEN old.id <= (SELECT upto FROM search_state WHERE name = 'decision') BEGIN
  INSERT INTO decision_fts(decision_fts, rowid, title, context, rationale, learning) VALUES ('delete', old.id, old.title, old.context, old.rationale, coalesce(old.learning, ''));
  INSERT INTO decision_fts(rowid, title, context, rationale, learning) VALUES (new.id, new.title, new.context, new.rationale, coalesce(new.learning, ''));
END;
