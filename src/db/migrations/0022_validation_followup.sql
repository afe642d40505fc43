-- Follow-up of validation results (issue 17): what a reviewer said of a broken rule at a unit
-- and period (confirmed correct, or the value corrected), and the one task a HIGH violation
-- opens for the unit that reported it. Kept apart from validation_result, which each check
-- rewrites, so that a re-check neither opens a second task nor forgets a confirmation.
CREATE TABLE validation_followup (
  rule_id     integer NOT NULL REFERENCES validation_rule (id) ON DELETE CASCADE,
  unit_id     integer NOT NULL REFERENCES org_unit (id),
  period      text NOT NULL,
  task_id     integer REFERENCES task (id),
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirmed', 'corrected')),
  comment     text,
  reviewed_by text,
  reviewed_at timestamptz,
  PRIMARY KEY (rule_id, unit_id, period)
);
CREATE INDEX validation_followup_task_idx ON validation_followup (task_id);
