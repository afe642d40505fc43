-- Carrying values across trees (issue 16, docs/decisions.md "derived links", "carry map").

-- Links of any basis: the file's, and those derived between 2022 and 2025-03 ('code': the same
-- code in both trees; 'province': a gone commune placed `within` the province of its code).
ALTER TABLE org_unit_link DROP CONSTRAINT org_unit_link_part_check;
ALTER TABLE org_unit_link ADD CONSTRAINT org_unit_link_part_check
  CHECK (part IN ('full', 'partial', 'within'));
ALTER TABLE org_unit_link ADD COLUMN basis text NOT NULL DEFAULT 'file'
  CHECK (basis IN ('file', 'code', 'province'));

-- Shares set for split links, either direction along a stored link (old→new, or new→old for the
-- reverse); a unit's shares sum to 1 (checked by the service, in the transaction).
CREATE TABLE org_unit_link_weight (
  from_version text NOT NULL,
  from_code    text NOT NULL,
  to_version   text NOT NULL,
  to_code      text NOT NULL,
  share        double precision NOT NULL CHECK (share >= 0 AND share <= 1),
  basis        text NOT NULL,                 -- what the shares are: 'dân số 2024', 'diện tích'
  set_by       text NOT NULL,
  set_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (from_version, from_code, to_version, to_code)
);

-- Units that keep roll-up rows: the roots, provinces, and any unit with >= 64 units below.
ALTER TABLE org_unit ADD COLUMN rollup boolean NOT NULL DEFAULT false;
UPDATE org_unit u SET rollup = true WHERE u.level <= 1
  OR (SELECT count(*) FROM org_unit_ancestor a WHERE a.ancestor_id = u.id AND a.depth > 0) >= 64;

-- What a unit of an asked tree is made of, per stored tree (S = T included): roll-up rows of a
-- stored unit's subtree (whole) or its own values only (data_value), times share. Built from
-- links + weights + trees by domain/carry.ts; rebuilt on any change of those.
CREATE TABLE carry_cover (
  asked_id       integer NOT NULL,          -- org_unit.id in the asked tree
  asked_version  text NOT NULL,
  stored_version text NOT NULL,
  stored_id      integer NOT NULL,          -- org_unit.id in the stored tree
  whole          boolean NOT NULL,          -- true: data_value_rollup at stored_id (a roll-up unit)
  share          double precision NOT NULL CHECK (share > 0 AND share <= 1),
  exact          boolean NOT NULL,
  PRIMARY KEY (asked_id, stored_id, whole)
);
CREATE INDEX carry_cover_pair_idx ON carry_cover (asked_version, stored_version);

-- Asked units that may miss territory of a stored tree placed only above them.
CREATE TABLE carry_gap (
  asked_id       integer NOT NULL,
  stored_version text NOT NULL,
  PRIMARY KEY (asked_id, stored_version)
);

-- The deepest unit of another tree holding everything a unit's subtree maps to (scope checks,
-- the unit page's "lies within").
CREATE TABLE carry_span (
  unit_id       integer NOT NULL,
  other_version text NOT NULL,
  span_id       integer NOT NULL,
  PRIMARY KEY (unit_id, other_version)
);
