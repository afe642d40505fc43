-- Outliers found as values arrive (issue 17): a value outside its min–max range, flagged by the
-- import or save that wrote it, in its transaction. Kept until the value changes; a reviewer
-- confirms it (state 'confirmed', with a comment) or corrects the value (the flag goes). The
-- follow-up task of a unit and element (one open at a time, whatever the number of its values
-- flagged) is `task_id`.
CREATE TABLE value_outlier (
  element_id   integer NOT NULL,
  unit_id      integer NOT NULL REFERENCES org_unit (id),
  period_id    integer NOT NULL,
  option_id    integer NOT NULL,
  attribute_id integer NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('min_max')),
  value        double precision NOT NULL,
  low          double precision,
  high         double precision,
  found_at     timestamptz NOT NULL DEFAULT now(),
  state        text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirmed')),
  task_id      integer REFERENCES task (id),
  comment      text,
  reviewed_by  text,
  reviewed_at  timestamptz,
  PRIMARY KEY (element_id, unit_id, period_id, option_id, attribute_id, kind)
);
CREATE INDEX value_outlier_unit_idx ON value_outlier (unit_id, period_id);
CREATE INDEX value_outlier_task_idx ON value_outlier (task_id);
