-- Offices' working calendars (issue 20): the hours, holidays and compensating working days that
-- deadlines for citizens' reports are counted in (domain/working-time.ts). A unit without a row
-- inherits its nearest ancestor's; the nation's row is everyone's default.
--
-- Keyed by (version, unit_code), like task rows, with the unit's path copied for subtree lists:
-- a code names a unit within one tree, and the 2025 reform merged provinces and renumbered
-- communes, so a calendar set on the 2022 tree (Hồ Chí Minh City before it took in Bình Dương
-- and Bà Rịa – Vũng Tàu) is not silently applied to whatever carries that code in 2025. Reports
-- placed on an old tree keep its calendars; the new tree's offices set their own. The nation is
-- the same in every tree: its row has version '*'.
CREATE TABLE working_calendar (
  version     text NOT NULL,
  unit_code   text NOT NULL,
  path        text NOT NULL,
  -- WorkingCalendarSpec: {week, holidays, extraWorkingDays, extraDayHours?}
  spec        jsonb NOT NULL,
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version, unit_code),
  CHECK ((version = '*') = (unit_code = 'VN'))
);
CREATE INDEX working_calendar_path_idx ON working_calendar (version, path text_pattern_ops);
