-- 0005: a version number for the organisation's directory: everything "Can
-- I?" reads (people, role holders, role names, rights) and the teams,
-- bumped by triggers in the same transaction as the change, so that a server
-- may keep these in memory (the rights engine's worlds, the people and team
-- lists of forms) and know with one read when they are out of date. Changes
-- made by another process (the CLI) bump it too.
ALTER TABLE org ADD COLUMN dir_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER dv_person_ins AFTER INSERT ON person BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_person_del AFTER DELETE ON person BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_person_upd AFTER UPDATE OF name, email, team_id, manager_id, status, access, org_id ON person BEGIN
  UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER dv_holder_ins AFTER INSERT ON role_holder BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_holder_del AFTER DELETE ON role_holder BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_holder_upd AFTER UPDATE OF role_id, person_id, org_id ON role_holder BEGIN
  UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER dv_role_upd AFTER UPDATE OF name, org_id ON role BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
CREATE TRIGGER dv_role_del AFTER DELETE ON role BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_right_ins AFTER INSERT ON decision_right BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_right_del AFTER DELETE ON decision_right BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_right_upd AFTER UPDATE ON decision_right BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
CREATE TRIGGER dv_team_ins AFTER INSERT ON team BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER dv_team_del AFTER DELETE ON team BEGIN UPDATE org SET dir_version = dir_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER dv_team_upd AFTER UPDATE OF name, parent_id, lead_id, org_id ON team BEGIN
  UPDATE org SET dir_version = dir_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
