-- The administrative hierarchy, kept as dated versions of one tree.
-- A unit is a code within a version: every key that points at a unit carries both.

CREATE TABLE hierarchy_version (
  id          text PRIMARY KEY,          -- '2022', '2025-03', '2025'
  name        text NOT NULL,
  valid_from  date NOT NULL,
  valid_until date,
  source      text,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE org_unit (
  version     text NOT NULL REFERENCES hierarchy_version (id),
  code        text NOT NULL,
  level       smallint NOT NULL,          -- 0 nation, 1 province, then the file's levels
  kind        text NOT NULL,              -- nation | province | district | commune
  type        text NOT NULL,              -- the source's type code (tinh, phuong, xa, ...)
  name        text NOT NULL,              -- without the type word
  full_name   text NOT NULL,
  name_en     text,
  parent_code text,
  path        text NOT NULL,              -- '/VN/79/760/26740/', for subtree queries
  region      smallint,
  PRIMARY KEY (version, code),
  FOREIGN KEY (version, parent_code) REFERENCES org_unit (version, code) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX org_unit_parent_idx ON org_unit (version, parent_code);
CREATE INDEX org_unit_level_idx ON org_unit (version, level, code);
CREATE INDEX org_unit_path_idx ON org_unit (version, path text_pattern_ops);

-- Renames and type changes made to a tree after it came into force (codes unchanged).
-- An undated change is announced; it applies once an admin gives it a date.
CREATE TABLE org_unit_change (
  id              serial PRIMARY KEY,
  version         text NOT NULL,
  code            text NOT NULL,
  effective       date,
  decree          text NOT NULL,
  type_before     text NOT NULL,
  type_after      text NOT NULL,
  full_name_before text NOT NULL,
  full_name_after  text NOT NULL,
  FOREIGN KEY (version, code) REFERENCES org_unit (version, code) ON DELETE CASCADE,
  UNIQUE (version, code, decree)
);

-- Old unit -> new unit across a reform. part = 'full' when the whole old unit went in.
-- from_name is kept because some old units (stale ones) are in no tree we hold.
CREATE TABLE org_unit_link (
  from_version text NOT NULL,
  from_code    text NOT NULL,
  from_name    text NOT NULL,
  to_version   text NOT NULL,
  to_code      text NOT NULL,
  part         text NOT NULL CHECK (part IN ('full', 'partial')),
  stale        boolean NOT NULL DEFAULT false,
  PRIMARY KEY (from_version, from_code, to_version, to_code),
  FOREIGN KEY (to_version, to_code) REFERENCES org_unit (version, code) ON DELETE CASCADE
);
CREATE INDEX org_unit_link_to_idx ON org_unit_link (to_version, to_code);

-- Every name a person may type to find a unit: its own, a later official name,
-- and the names of the old units it was formed from. Normalised without diacritics.
CREATE TABLE org_unit_name (
  version      text NOT NULL,
  code         text NOT NULL,
  search_text  text NOT NULL,
  display_name text NOT NULL,
  source       text NOT NULL CHECK (source IN ('own', 'renamed', 'former')),
  former_version text,
  former_code  text,
  FOREIGN KEY (version, code) REFERENCES org_unit (version, code) ON DELETE CASCADE
);
CREATE INDEX org_unit_name_unit_idx ON org_unit_name (version, code);
CREATE INDEX org_unit_name_version_idx ON org_unit_name (version);

-- Named groups of units of one version, targets for later features.
CREATE TABLE unit_group (
  id          serial PRIMARY KEY,
  version     text NOT NULL REFERENCES hierarchy_version (id),
  code        text NOT NULL,
  name        text NOT NULL,
  description text,
  definition  jsonb NOT NULL,
  owner_code  text NOT NULL,            -- the unit whose scope the group was made in
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text,
  UNIQUE (version, code)
);

CREATE TABLE unit_group_member (
  group_id  integer NOT NULL REFERENCES unit_group (id) ON DELETE CASCADE,
  version   text NOT NULL,
  unit_code text NOT NULL,
  PRIMARY KEY (group_id, unit_code),
  FOREIGN KEY (version, unit_code) REFERENCES org_unit (version, code)
);
CREATE INDEX unit_group_member_unit_idx ON unit_group_member (version, unit_code);
