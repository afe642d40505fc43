-- DHIS2's complete data set registrations (issue 14): a unit says it has finished a data set
-- for a period (and attribute option). A registration counts in completeness as a value does;
-- `completed = false` is DHIS2's registration left incomplete and does not count. Removing a
-- registration (DHIS2's "uncomplete") deletes the row; its history is in the audit log.
CREATE TABLE complete_registration (
  data_set_id     integer NOT NULL REFERENCES data_set (id) ON DELETE CASCADE,
  period_id       integer NOT NULL REFERENCES period (id),
  unit_id         integer NOT NULL REFERENCES org_unit (id) ON DELETE CASCADE,
  attribute_id    integer NOT NULL REFERENCES attribute_option (id),
  completed       boolean NOT NULL DEFAULT true,
  stored_by       text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_updated_by text NOT NULL,
  last_updated    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (data_set_id, period_id, unit_id, attribute_id)
);
CREATE INDEX complete_registration_period_idx ON complete_registration (period_id, data_set_id);
CREATE INDEX complete_registration_unit_idx ON complete_registration (unit_id);
