-- Follow-up tasks of a bulk load opened after its commit (issue 17). A load that breaks rules
-- or ranges thousands of times stores its follow-ups without a task (task_id null, state open)
-- and an outbox row `follow_ups`, in its transaction; the outbox drain opens the tasks right
-- after the commit, in a transaction of its own. A crash in between leaves the rows pending: the
-- next drain (every few seconds, and at start) opens them. Small changes still open their
-- tasks in their own transaction.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
  CHECK (kind IN ('live', 'violations', 'follow_ups'));

CREATE INDEX validation_followup_pending_idx ON validation_followup (rule_id, unit_id, period)
  WHERE task_id IS NULL AND state = 'open';
CREATE INDEX value_outlier_pending_idx ON value_outlier (unit_id, element_id)
  WHERE task_id IS NULL AND state = 'open';
