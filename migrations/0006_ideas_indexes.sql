-- 0006: indexes for the insights and the challenge lists of a large
-- organisation (50,000 decisions, 5,000 ideas, 50,000 votes), each shaped
-- for one query so that it is answered from the index alone or with a
-- short range, whatever the planner's statistics say.
--
-- Decision insights walk each author in scope and read, for the period,
-- only these columns (insights.c, SQL_INSIGHT_ROWS).
CREATE INDEX decision_author_requested ON decision(author_id, org_id, requested_at, verdict, status, answered_at);
-- Idea insights: the ideas of a period in time order (SQL_IDEAS), and, per
-- person, whether they shared, voted or commented in the period
-- (SQL_PARTICIPANTS). The last two replace indexes they extend.
CREATE INDEX idea_org_created ON idea(org_id, created_at);
DROP INDEX idea_org_author;
CREATE INDEX idea_org_author_created ON idea(org_id, author_id, created_at);
DROP INDEX vote_person;
CREATE INDEX vote_person_created ON vote(person_id, created_at);
CREATE INDEX comment_author_created ON comment(author_id, created_at);
-- A challenge's idea count (challenges.c, SQL_IDEA_COUNT) from the index.
CREATE INDEX idea_challenge_stage ON idea(challenge_id, org_id, stage);
-- decision_author_requested starts with the author: it serves every lookup
-- of decision_author(author_id, id), which goes, one index less to write.
DROP INDEX decision_author;
