-- Alerts on validation violations (issue 17): "new HIGH violations in my scope". A rule of
-- subject type 'violations' counts the stored, unconfirmed violations of one importance (its
-- subject) under each unit of its level, per period of its type.
ALTER TABLE alert_rule DROP CONSTRAINT alert_rule_subject_type_check;
ALTER TABLE alert_rule ADD CONSTRAINT alert_rule_subject_type_check
  CHECK (subject_type IN ('element', 'indicator', 'violations'));

-- What a transaction leaves to be done after its commit, written in that transaction: nothing is
-- lost if the process stops between the commit and the work (the rows are there at the next
-- start). `live`: a live event to publish (topic, scope, payload), as a follow-up task's.
-- `violations`: violations changed at these cells (payload {"cells": [[unit_id, period], ...]}),
-- for the violation alert rules to evaluate. Deleted once done.
CREATE TABLE outbox (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('live', 'violations')),
  topic      text,
  version    text,
  path       text,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Violations reach the outbox from whatever writes them (an import or a save, a run kept, a
-- review, a rule deleted), in the writer's transaction: one row per statement, with the cells
-- it changed; nothing while no active rule watches violations.
CREATE FUNCTION outbox_violations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM alert_rule WHERE subject_type = 'violations' AND active) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO outbox (kind, payload)
    SELECT 'violations', jsonb_build_object('cells',
      jsonb_agg(DISTINCT jsonb_build_array(c.unit_id, c.period)))
    FROM old_rows c HAVING count(*) > 0;
  ELSE
    INSERT INTO outbox (kind, payload)
    SELECT 'violations', jsonb_build_object('cells',
      jsonb_agg(DISTINCT jsonb_build_array(c.unit_id, c.period)))
    FROM new_rows c HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER validation_result_outbox_insert AFTER INSERT ON validation_result
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_violations();
CREATE TRIGGER validation_result_outbox_update AFTER UPDATE ON validation_result
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_violations();
CREATE TRIGGER validation_result_outbox_delete AFTER DELETE ON validation_result
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_violations();
-- A confirmation takes a violation out of the count; a follow-up opened again puts it back.
CREATE TRIGGER validation_followup_outbox_insert AFTER INSERT ON validation_followup
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_violations();
CREATE TRIGGER validation_followup_outbox_update AFTER UPDATE ON validation_followup
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_violations();

-- Counting a rule's violations reads the results of one importance.
CREATE INDEX validation_result_importance_idx ON validation_result (importance, period);
