-- What a rise in a figure means (issue 19): a rise in positive cases or cyberattacks is bad, in
-- tests done or revenue good, in a count of agencies neither. Tiles, tables, rankings and the
-- map colour a change by it; an element or indicator that does not say is neutral.
ALTER TABLE data_element ADD COLUMN direction text NOT NULL DEFAULT 'neutral'
  CONSTRAINT data_element_direction_check CHECK (direction IN ('rise_good', 'rise_bad', 'neutral'));
ALTER TABLE indicator ADD COLUMN direction text NOT NULL DEFAULT 'neutral'
  CONSTRAINT indicator_direction_check CHECK (direction IN ('rise_good', 'rise_bad', 'neutral'));
