-- Citizens' report categories (issue 20): Open311's "services". National metadata: what a
-- citizen chooses on the public page, who handles it by default and in how much working time.
-- Requests (a later migration) refer to a category by its code, which never changes.
CREATE TABLE citizen_category (
  -- Open311's service_code: stable, capitals, digits and underscores.
  code            text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_]{1,50}$'),
  name_vi         text NOT NULL,
  name_en         text NOT NULL,
  description_vi  text NOT NULL DEFAULT '',
  description_en  text NOT NULL DEFAULT '',
  -- Open311's group, in both languages ('' when none).
  group_vi        text NOT NULL DEFAULT '',
  group_en        text NOT NULL DEFAULT '',
  keywords        jsonb NOT NULL DEFAULT '[]',
  -- Who handles a report by default: the commune of the place, its province, or one named unit
  -- (an agency) given by its code, looked up in the tree in force when a report is routed.
  handler_level   text NOT NULL CHECK (handler_level IN ('commune', 'province', 'unit')),
  handler_unit    text,
  -- Working time (domain/working-time.ts): {"hours": n} or {"days": n}.
  acknowledge_within jsonb NOT NULL,
  answer_within   jsonb NOT NULL,
  photo_required  boolean NOT NULL DEFAULT false,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((handler_level = 'unit') = (handler_unit IS NOT NULL))
);
