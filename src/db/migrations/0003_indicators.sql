-- Indicators and data values. Metadata is keyed by code (what users type) and carries an
-- optional DHIS2 uid; data values use integer surrogate keys so the large tables stay
-- compact, with the org unit first in every primary key (a distributed PostgreSQL can
-- shard them by unit without a schema change).

ALTER TABLE org_unit ADD COLUMN id integer GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX org_unit_id_idx ON org_unit (id);
-- A DHIS2 uid, so that DHIS2 files naming units by uid import unchanged.
ALTER TABLE org_unit ADD COLUMN uid text;
CREATE UNIQUE INDEX org_unit_uid_idx ON org_unit (version, uid);

-- Each unit with itself and every unit above it, for rolling values up the tree.
CREATE TABLE org_unit_ancestor (
  unit_id     integer NOT NULL,
  ancestor_id integer NOT NULL,
  depth       smallint NOT NULL,            -- 0 = the unit itself
  PRIMARY KEY (unit_id, ancestor_id)
);
CREATE INDEX org_unit_ancestor_up_idx ON org_unit_ancestor (ancestor_id);
-- The version alone selects a third of the names: the unit index serves better.
DROP INDEX org_unit_name_version_idx;
INSERT INTO org_unit_ancestor (unit_id, ancestor_id, depth)
  SELECT u.id, a.id, u.level - a.level
  FROM org_unit u
  CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) AS p (code)
  JOIN org_unit a ON a.version = u.version AND a.code = p.code;

-- Breakdowns (DHIS2 category combos) and their options (category option combos).
CREATE TABLE breakdown (
  id      serial PRIMARY KEY,
  code    text NOT NULL UNIQUE,
  uid     text UNIQUE,
  name_vi text NOT NULL,
  name_en text NOT NULL
);
CREATE TABLE breakdown_option (
  id           serial PRIMARY KEY,
  breakdown_id integer NOT NULL REFERENCES breakdown (id),
  code         text NOT NULL UNIQUE,
  uid          text UNIQUE,
  name_vi      text NOT NULL,
  name_en      text NOT NULL,
  sort_order   integer NOT NULL DEFAULT 0
);
-- Who reported (DHIS2 attribute option combos), e.g. a data platform.
CREATE TABLE attribute_option (
  id      serial PRIMARY KEY,
  code    text NOT NULL UNIQUE,
  uid     text UNIQUE,
  name_vi text NOT NULL,
  name_en text NOT NULL
);
-- The defaults, as in DHIS2: a value without breakdown or attribute takes these, so no key is NULL.
INSERT INTO breakdown (code, uid, name_vi, name_en) VALUES ('default', 'bjDvmb4bfuf', 'Mặc định', 'default');
INSERT INTO breakdown_option (breakdown_id, code, uid, name_vi, name_en)
  SELECT id, 'default', 'HllvX50cXC0', 'Mặc định', 'default' FROM breakdown WHERE code = 'default';
INSERT INTO attribute_option (code, uid, name_vi, name_en) VALUES ('default', 'xYerKDKCefk', 'Mặc định', 'default');

CREATE TABLE data_element (
  id               serial PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  uid              text UNIQUE,
  name_vi          text NOT NULL,
  name_en          text NOT NULL,
  sector           text NOT NULL,
  value_type       text NOT NULL CHECK (value_type IN ('integer', 'number', 'percentage', 'boolean', 'date', 'text')),
  unit             text,
  agg_time         text NOT NULL CHECK (agg_time IN ('sum', 'last', 'average')),
  agg_units        text NOT NULL CHECK (agg_units IN ('sum', 'average', 'none')),
  breakdown_id     integer NOT NULL REFERENCES breakdown (id),
  zero_significant boolean NOT NULL DEFAULT true,
  description      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE indicator (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  uid         text UNIQUE,
  name_vi     text NOT NULL,
  name_en     text NOT NULL,
  sector      text NOT NULL,
  formula     text NOT NULL,              -- e.g. #{SMARTPHONE_SUBS} / #{MOBILE_SUBS} * 100
  unit        text,
  decimals    smallint NOT NULL DEFAULT 1,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE target (
  id           serial PRIMARY KEY,
  subject_type text NOT NULL CHECK (subject_type IN ('element', 'indicator')),
  subject_code text NOT NULL,
  unit_version text NOT NULL,
  unit_code    text NOT NULL,
  value        double precision NOT NULL,
  due          date NOT NULL,
  label_vi     text,
  label_en     text,
  FOREIGN KEY (unit_version, unit_code) REFERENCES org_unit (version, code),
  UNIQUE (subject_type, subject_code, unit_version, unit_code, due)
);

-- What a level of units reports, how often, and by when.
CREATE TABLE data_set (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  uid         text UNIQUE,
  name_vi     text NOT NULL,
  name_en     text NOT NULL,
  period_type text NOT NULL CHECK (period_type IN ('day', 'week', 'month', 'quarter', 'half', 'year')),
  version     text NOT NULL REFERENCES hierarchy_version (id),
  level       smallint NOT NULL,
  due_days    integer NOT NULL DEFAULT 10,  -- a report is on time until this many days after the period ends
  expiry_days integer NOT NULL DEFAULT 0    -- values lock this many days after the period ends; 0 = never
);
CREATE TABLE data_set_element (
  data_set_id integer NOT NULL REFERENCES data_set (id) ON DELETE CASCADE,
  element_id  integer NOT NULL REFERENCES data_element (id),
  PRIMARY KEY (data_set_id, element_id)
);

CREATE TABLE period (
  id         serial PRIMARY KEY,
  pid        text NOT NULL UNIQUE,          -- canonical id: 2022-01-20, 2022-W05, 2022-01, 2022-Q1, 2022-S1, 2022
  type       text NOT NULL,
  start_date date NOT NULL,
  end_date   date NOT NULL
);
CREATE INDEX period_span_idx ON period (type, start_date);

-- An explicit lock of a period for writes (all elements, or one data set's).
CREATE TABLE period_lock (
  id          serial PRIMARY KEY,
  period_id   integer NOT NULL REFERENCES period (id),
  data_set_id integer REFERENCES data_set (id),
  locked_at   timestamptz NOT NULL DEFAULT now(),
  locked_by   text NOT NULL
);

CREATE TABLE data_value (
  unit_id           integer NOT NULL,
  element_id        integer NOT NULL,
  period_id         integer NOT NULL,
  option_id         integer NOT NULL,
  attribute_id      integer NOT NULL,
  value             double precision,       -- the number, for numeric and yes/no types
  text_value        text NOT NULL,          -- the value as given, for exact export
  estimate          boolean NOT NULL DEFAULT false,
  comment           text,
  followup          boolean NOT NULL DEFAULT false,
  reported_yoy_pct  double precision,       -- change the source reported against the same period last year
  reported_prev_pct double precision,       -- ... and against the previous period
  stored_by         text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_id, element_id, period_id, option_id, attribute_id)
);
CREATE INDEX data_value_element_period_idx ON data_value (element_id, period_id);

-- Every change to a value, kept.
CREATE TABLE data_value_history (
  unit_id      integer NOT NULL,
  id           bigserial,
  element_id   integer NOT NULL,
  period_id    integer NOT NULL,
  option_id    integer NOT NULL,
  attribute_id integer NOT NULL,
  change       text NOT NULL CHECK (change IN ('create', 'update', 'delete')),
  before_value text,
  after_value  text,
  changed_by   text NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_id, id)
);

-- Sums of the values at a unit and below it, kept up to date by every write in the same
-- transaction: roll-ups up the tree read a handful of rows instead of every commune's.
CREATE TABLE data_value_rollup (
  ancestor_id  integer NOT NULL,
  element_id   integer NOT NULL,
  period_id    integer NOT NULL,
  option_id    integer NOT NULL,
  attribute_id integer NOT NULL,
  sum          double precision NOT NULL,
  n            integer NOT NULL,            -- how many values the sum holds
  PRIMARY KEY (ancestor_id, element_id, period_id, option_id, attribute_id)
);
CREATE INDEX data_value_rollup_element_idx ON data_value_rollup (element_id, ancestor_id, period_id);
