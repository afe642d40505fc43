-- A data element may say which values it accepts: min 0 is "a count cannot be negative".
-- Checked where values enter (imports, the data entry form); NULL = no bound.
ALTER TABLE data_element
  ADD COLUMN min_value double precision,
  ADD COLUMN max_value double precision,
  ADD CONSTRAINT data_element_range_ordered CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value);
