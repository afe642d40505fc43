-- Boards (issue 19): a named grid of panels that a person builds, shares and sets as a unit's
-- default. The panels, variables and tree are one JSON document, checked by the contract
-- (src/contract/board.ts) before it is stored; what it names (figures, units, a tree) is not
-- tied by keys, because a board naming a unit that a later tree drops must still open.
CREATE TABLE board (
  id          bigserial PRIMARY KEY,
  -- Stable across export and import: an imported file with a known uid updates that board.
  uid         text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  document    jsonb NOT NULL,
  owner_kind  text NOT NULL CHECK (owner_kind IN ('user', 'token', 'system')),
  owner_id    text,
  owner_name  text NOT NULL,
  -- The owner's scope unit when the board was made: supervisors above it see the board.
  owner_version text NOT NULL,
  owner_path  text NOT NULL,
  -- The optimistic lock: an update names the revision it read, a stale one is refused (409).
  revision    integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX board_owner_idx ON board (owner_kind, owner_id);
CREATE INDEX board_owner_path_idx ON board (owner_version, owner_path text_pattern_ops);

-- Who else sees (read) or changes (edit) a board: the people of a unit's subtree (and those
-- above it), the holders of a role there, or one person.
CREATE TABLE board_share (
  id          bigserial PRIMARY KEY,
  board_id    bigint NOT NULL REFERENCES board (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('unit', 'role', 'user')),
  unit_version text,
  unit_code   text,
  unit_path   text,
  role        text,
  user_id     text,
  user_name   text,
  access      text NOT NULL CHECK (access IN ('read', 'edit')),
  CHECK ((kind = 'user') = (user_id IS NOT NULL)),
  CHECK ((kind = 'user') = (unit_path IS NULL)),
  CHECK ((kind = 'role') = (role IS NOT NULL))
);
CREATE INDEX board_share_board_idx ON board_share (board_id);
CREATE INDEX board_share_user_idx ON board_share (user_id) WHERE user_id IS NOT NULL;

-- A unit's default board: what its people (and those below without one) open first.
CREATE TABLE board_default (
  version    text NOT NULL,
  unit_code  text NOT NULL,
  path       text NOT NULL,
  board_id   bigint NOT NULL REFERENCES board (id) ON DELETE CASCADE,
  set_by     text NOT NULL,
  set_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version, unit_code)
);
CREATE INDEX board_default_board_idx ON board_default (board_id);
