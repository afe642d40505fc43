-- Deleted values are kept, as DHIS2 keeps them (soft deletion, issue 14): a deletion moves the
-- value from data_value into this table, with `updated_at` the time of deletion, so that an
-- export asked for `includeDeleted` (a synchronisation reading what changed since a time)
-- sees it. Stored again at the same key, a value leaves this table.
--
-- Why a table of its own and not a `deleted` flag on data_value: every reader of data_value
-- and of the roll-ups (analytics, completeness, the room, alerts, the briefing) keeps reading
-- only values that count, with no condition to forget; a forgotten `not deleted` would count
-- a deleted value somewhere.
CREATE TABLE data_value_deleted (
  unit_id           integer NOT NULL,
  element_id        integer NOT NULL,
  period_id         integer NOT NULL,
  option_id         integer NOT NULL,
  attribute_id      integer NOT NULL,
  value             double precision,
  text_value        text NOT NULL,
  estimate          boolean NOT NULL DEFAULT false,
  comment           text,
  followup          boolean NOT NULL DEFAULT false,
  reported_yoy_pct  double precision,
  reported_prev_pct double precision,
  stored_by         text NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (period_id, element_id, unit_id, option_id, attribute_id)
);
