-- Units below the official tree, and the parts of DHIS2's metadata model Opsroom had no
-- place for (docs/decisions.md, "Units below the official tree; DHIS2's metadata import").

-- A unit is `official` (from the official units files: 2–5 digit codes, at most three levels
-- under the nation) or `added` (by a metadata import: a DHIS2 tree with its own root, or
-- health stations and schools under a commune; any depth). An added unit's key within its
-- version, `code`, is its DHIS2 uid — letters and digits only, so that paths (`/VN/79/26740/
-- aBcDeFgHiJk/`) stay safe to split and to match with LIKE; the code it has in its source
-- (DHIS2's free-text code, up to 50 characters, may be absent) is kept in `source_code`.
ALTER TABLE org_unit
  ADD COLUMN origin text NOT NULL DEFAULT 'official' CHECK (origin IN ('official', 'added')),
  ADD COLUMN source_code text,
  ADD COLUMN short_name text,
  ADD COLUMN opening_date date,
  ADD COLUMN closed_date date;
CREATE UNIQUE INDEX org_unit_source_code_idx ON org_unit (version, source_code);
ALTER TABLE org_unit ADD CONSTRAINT org_unit_added_keyed_by_uid
  CHECK (origin = 'official' OR (uid IS NOT NULL AND code = uid));

-- DHIS2's category model behind a breakdown (category combo): categories, their options, and
-- which options make each breakdown option (category option combo) and attribute option.
CREATE TABLE category_option (
  id         serial PRIMARY KEY,
  uid        text NOT NULL UNIQUE,
  code       text UNIQUE,
  name       text NOT NULL,
  short_name text
);
CREATE TABLE category (
  id             serial PRIMARY KEY,
  uid            text NOT NULL UNIQUE,
  code           text UNIQUE,
  name           text NOT NULL,
  dimension_type text NOT NULL DEFAULT 'DISAGGREGATION' CHECK (dimension_type IN ('DISAGGREGATION', 'ATTRIBUTE'))
);
CREATE TABLE category_member (
  category_id integer NOT NULL REFERENCES category (id) ON DELETE CASCADE,
  option_id   integer NOT NULL REFERENCES category_option (id),
  sort_order  integer NOT NULL,
  PRIMARY KEY (category_id, option_id)
);
ALTER TABLE breakdown
  ADD COLUMN dimension_type text NOT NULL DEFAULT 'DISAGGREGATION' CHECK (dimension_type IN ('DISAGGREGATION', 'ATTRIBUTE'));
CREATE TABLE breakdown_category (
  breakdown_id integer NOT NULL REFERENCES breakdown (id) ON DELETE CASCADE,
  category_id  integer NOT NULL REFERENCES category (id),
  sort_order   integer NOT NULL,
  PRIMARY KEY (breakdown_id, category_id)
);
CREATE TABLE breakdown_option_part (
  option_id          integer NOT NULL REFERENCES breakdown_option (id) ON DELETE CASCADE,
  category_option_id integer NOT NULL REFERENCES category_option (id),
  PRIMARY KEY (option_id, category_option_id)
);
-- An attribute option made of an attribute category combo's options (DHIS2's AOC).
ALTER TABLE attribute_option ADD COLUMN breakdown_id integer REFERENCES breakdown (id);
CREATE TABLE attribute_option_part (
  attribute_id       integer NOT NULL REFERENCES attribute_option (id) ON DELETE CASCADE,
  category_option_id integer NOT NULL REFERENCES category_option (id),
  PRIMARY KEY (attribute_id, category_option_id)
);
-- DHIS2's defaults, under the uids DHIS2 gives them.
INSERT INTO category_option (uid, code, name, short_name) VALUES ('xYerKDKCefk', 'default', 'default', 'default');
INSERT INTO category (uid, code, name) VALUES ('GLevLNI9wkl', 'default', 'default');
INSERT INTO category_member (category_id, option_id, sort_order)
  SELECT c.id, o.id, 0 FROM category c, category_option o WHERE c.code = 'default' AND o.code = 'default';
INSERT INTO breakdown_category (breakdown_id, category_id, sort_order)
  SELECT b.id, c.id, 0 FROM breakdown b, category c WHERE b.code = 'default' AND c.code = 'default';
INSERT INTO breakdown_option_part (option_id, category_option_id)
  SELECT bo.id, o.id FROM breakdown_option bo, category_option o WHERE bo.code = 'default' AND o.code = 'default';

-- Indicators as DHIS2 states them: numerator / denominator × the factor of their type.
-- `formula` stays what analytics evaluates; these keep the parts for DHIS2's readers.
CREATE TABLE indicator_type (
  id     serial PRIMARY KEY,
  uid    text NOT NULL UNIQUE,
  code   text UNIQUE,
  name   text NOT NULL,
  factor integer NOT NULL,
  number boolean NOT NULL DEFAULT false
);
ALTER TABLE indicator
  ADD COLUMN numerator text,
  ADD COLUMN denominator text,
  ADD COLUMN indicator_type_id integer REFERENCES indicator_type (id);

-- The units a data set is assigned to (DHIS2's dataSet.organisationUnits). A data set with
-- assignments is reported by those units; `level` stays for the readers that go by level.
CREATE TABLE data_set_unit (
  data_set_id integer NOT NULL REFERENCES data_set (id) ON DELETE CASCADE,
  unit_id     integer NOT NULL REFERENCES org_unit (id) ON DELETE CASCADE,
  PRIMARY KEY (data_set_id, unit_id)
);
CREATE INDEX data_set_unit_unit_idx ON data_set_unit (unit_id);

-- A data set reports in any of DHIS2's fixed period types (domain/period.ts names them).
ALTER TABLE data_set DROP CONSTRAINT data_set_period_type_check;
ALTER TABLE data_set ADD CONSTRAINT data_set_period_type_check CHECK (period_type IN (
  'day', 'week', 'week_wed', 'week_thu', 'week_fri', 'week_sat', 'week_sun', 'biweek',
  'month', 'bimonth', 'quarter', 'quarter_nov', 'half', 'half_apr', 'half_nov', 'year',
  'fy_feb', 'fy_apr', 'fy_jul', 'fy_aug', 'fy_sep', 'fy_oct', 'fy_nov'));
