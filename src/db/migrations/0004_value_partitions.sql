-- Data values partitioned by period id, keyed period first; a commune's (leaf unit's) own values
-- leave the roll-ups, which keep what lies below a unit (and the own values of units with units
-- below them, such as national figures); a creation's history is the value row itself.
--
-- Why: a bulk load of periods never seen before goes into a partition of its own, written
-- with COPY before its index is built and attached at the end, instead of maintaining five
-- index entries per value (see docs/benchmarks.md, "Import"). Period ids from 2^30 up are
-- handed out in blocks to such loads; ordinary periods take the sequence and land in
-- data_value_main.

ALTER TABLE data_value RENAME TO data_value_before_0004;
ALTER INDEX data_value_pkey RENAME TO data_value_before_0004_pkey;
DROP INDEX data_value_element_period_idx;

CREATE TABLE data_value (
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
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (period_id, element_id, unit_id, option_id, attribute_id)
) PARTITION BY RANGE (period_id);

CREATE TABLE data_value_main PARTITION OF data_value FOR VALUES FROM (MINVALUE) TO (1073741824);

INSERT INTO data_value SELECT * FROM data_value_before_0004;
DROP TABLE data_value_before_0004;

-- Which blocks of period ids bulk loads took: [first_period_id, first_period_id + 100000).
CREATE TABLE period_block (
  first_period_id integer PRIMARY KEY CHECK (first_period_id >= 1073741824),
  loaded_by       text NOT NULL,
  loaded_at       timestamptz NOT NULL DEFAULT now()
);

-- A leaf unit's own values leave the roll-ups: readers take them from data_value
-- (data_value_total), so a bulk load of commune values writes no roll-up row per value.
UPDATE data_value_rollup r SET sum = r.sum - o.sum, n = r.n - o.n
FROM (
  SELECT unit_id, element_id, period_id, option_id, attribute_id,
    sum(coalesce(value, 0)) AS sum, count(*)::int AS n
  FROM data_value d
  WHERE NOT EXISTS (SELECT 1 FROM org_unit_ancestor c WHERE c.ancestor_id = d.unit_id AND c.depth > 0)
  GROUP BY 1, 2, 3, 4, 5
) o
WHERE r.ancestor_id = o.unit_id AND r.element_id = o.element_id AND r.period_id = o.period_id
  AND r.option_id = o.option_id AND r.attribute_id = o.attribute_id;
DELETE FROM data_value_rollup WHERE n = 0;

-- Creations are not repeated in the history: data_value.created_at and stored_by hold them.
DELETE FROM data_value_history WHERE change = 'create';

-- Totals of a unit and everything under it: the roll-ups, and a leaf unit's own values.
CREATE VIEW data_value_total AS
  SELECT ancestor_id AS unit_id, element_id, period_id, option_id, attribute_id, sum, n
  FROM data_value_rollup
  UNION ALL
  SELECT unit_id, element_id, period_id, option_id, attribute_id, coalesce(value, 0), 1
  FROM data_value d
  WHERE NOT EXISTS (SELECT 1 FROM org_unit_ancestor c WHERE c.ancestor_id = d.unit_id AND c.depth > 0);
