-- The monthly briefing (issue 18). A template is metadata: ordered sections and lines, kept as
-- the JSON the API and the CLI exchange (validated by the service against the elements), with
-- its history in the audit log. A briefing is a template applied to a period and a scope unit:
-- a draft keeps only the analyst's edits (its figures are read live); issuing stores the whole
-- document (every figure and sentence) in `snapshot`, which never changes afterwards. A
-- revision is a new row of the same series (`series_id`, the first revision's id).
CREATE TABLE briefing_template (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  body        jsonb NOT NULL,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE briefing (
  id           serial PRIMARY KEY,
  series_id    integer REFERENCES briefing (id),
  revision     integer NOT NULL DEFAULT 0,
  template_id  integer NOT NULL REFERENCES briefing_template (id),
  period       text NOT NULL,
  version      text NOT NULL,
  unit_code    text NOT NULL,
  path         text NOT NULL,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
  number       text,
  edits        jsonb NOT NULL DEFAULT '{}',
  snapshot     jsonb,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  issued_by    text,
  issued_at    timestamptz,
  UNIQUE (series_id, revision)
);
CREATE INDEX briefing_path_idx ON briefing (version, path);
-- A number is given once per year (revisions keep their series' number); this keeps two issues
-- at once from taking the same one.
CREATE UNIQUE INDEX briefing_number_idx ON briefing (number, revision) WHERE number IS NOT NULL;
