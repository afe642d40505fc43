-- Outlier detection (issue 17): min–max ranges per data element, unit and breakdown option, as
-- DHIS2's minMaxDataElements: generated (mean ± k·SD of the stored values, DHIS2's default k = 2)
-- or set by hand. A value outside its range is an outlier for algorithm=MIN_MAX.
CREATE TABLE min_max_value (
  unit_id    integer NOT NULL REFERENCES org_unit (id),
  element_id integer NOT NULL REFERENCES data_element (id),
  option_id  integer NOT NULL REFERENCES breakdown_option (id),
  min_value  double precision NOT NULL,
  max_value  double precision NOT NULL,
  generated  boolean NOT NULL DEFAULT false,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (element_id, unit_id, option_id),
  CONSTRAINT min_max_value_ordered CHECK (min_value <= max_value)
);
CREATE INDEX min_max_value_unit_idx ON min_max_value (unit_id);
