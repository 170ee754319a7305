-- 0005: a version number for everything "Can I?" reads (people, role
-- holders, role names, rights), bumped by triggers in the same transaction
-- as the change, so that a server may keep an organisation's rights in
-- memory and know, with one read, when they are out of date. Changes made by
-- another process (the CLI) bump it too.
ALTER TABLE org ADD COLUMN rights_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER rv_person_ins AFTER INSERT ON person BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER rv_person_del AFTER DELETE ON person BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER rv_person_upd AFTER UPDATE OF name, manager_id, status, access, org_id ON person BEGIN
  UPDATE org SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER rv_holder_ins AFTER INSERT ON role_holder BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER rv_holder_del AFTER DELETE ON role_holder BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER rv_holder_upd AFTER UPDATE OF role_id, person_id, org_id ON role_holder BEGIN
  UPDATE org SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER rv_role_upd AFTER UPDATE OF name, org_id ON role BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
CREATE TRIGGER rv_role_del AFTER DELETE ON role BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER rv_right_ins AFTER INSERT ON decision_right BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER rv_right_del AFTER DELETE ON decision_right BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER rv_right_upd AFTER UPDATE ON decision_right BEGIN UPDATE org SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
