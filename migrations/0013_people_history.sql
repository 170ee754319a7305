-- 0013_people_history.sql: when each person started and left, and why they
-- left (voluntary or involuntary), for turnover and tenure bands. Dates are
-- 'YYYY-MM-DD'; NULL started_on means unknown (the account's creation day
-- stands in for it where a tenure is needed). The columns are read by the
-- fairness audit (tenure bands) and the evidence KPIs (turnover).
ALTER TABLE person ADD COLUMN started_on TEXT;
ALTER TABLE person ADD COLUMN left_on TEXT;
ALTER TABLE person ADD COLUMN leave_reason TEXT CHECK (leave_reason IS NULL OR leave_reason IN
  ('resigned', 'retired', 'relocated', 'career', 'dismissed', 'redundancy', 'contract_end', 'other'));
CREATE INDEX person_left ON person(org_id, left_on);
