-- 0004: indexes for the large organisation (500 people, 50,000 decisions).
-- decision_org keeps each organisation's decisions in id order (the log,
-- newest first); advised_by and answered_by find what a person advised on
-- or answered (who may see a decision); outcome_at orders the learning
-- library without sorting every lesson. The last three are partial: a new
-- decision has none of these yet, so logging one does not touch them.
CREATE INDEX decision_org ON decision(org_id);
CREATE INDEX decision_advised ON decision(advised_by) WHERE advised_by IS NOT NULL;
CREATE INDEX decision_answered ON decision(answered_by) WHERE answered_by IS NOT NULL;
CREATE INDEX decision_org_outcome ON decision(org_id, outcome_at) WHERE outcome IS NOT NULL;
