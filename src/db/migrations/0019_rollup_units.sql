-- Cheaper roll-ups (issue 16, docs/decisions.md "Which units keep roll-ups"): roll-up rows only
-- at roll-up units (org_unit.rollup with units below: the roots, the provinces, units with >= 64
-- units below). Any other unit asked for totals its subtree's own values (fewer than 64 units)
-- from data_value; a bulk import then writes a few roll-up rows per day and element per
-- province instead of one per district and ward above every commune.
DELETE FROM data_value_rollup r
WHERE NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.id = r.ancestor_id AND u.rollup);

-- Every reader finds roll-up rows by unit first (the primary key): analytics at asked units,
-- carried `whole` entries, the sector pages' stored periods, a unit's rows summed again. The
-- element-first index served none of them, and cost every roll-up write a second index.
DROP INDEX data_value_rollup_element_idx;

-- Totals of a unit and everything under it: a roll-up unit's rows, any other unit's subtree's
-- own values (a leaf's are its own).
CREATE OR REPLACE VIEW data_value_total AS
  SELECT ancestor_id AS unit_id, element_id, period_id, option_id, attribute_id, sum, n
  FROM data_value_rollup
  UNION ALL
  SELECT a.ancestor_id, d.element_id, d.period_id, d.option_id, d.attribute_id,
    coalesce(d.value, 0), 1
  FROM data_value d
  JOIN org_unit_ancestor a ON a.unit_id = d.unit_id
  JOIN org_unit u ON u.id = a.ancestor_id
  WHERE NOT (u.rollup AND EXISTS (
    SELECT 1 FROM org_unit_ancestor c WHERE c.ancestor_id = u.id AND c.depth > 0));
