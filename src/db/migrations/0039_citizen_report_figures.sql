-- Response-time figures and public answers of citizens' reports (issue 20).

-- The months of a handling unit whose figures must be computed again. Filled by the database
-- itself in the transaction that changes a report (the triggers below), so a crash between the
-- commit and the job loses nothing; one row per cell however many changes (the job's debounce);
-- `seq` tells the job whether the cell changed again while it was computing.
CREATE SEQUENCE citizen_report_figure_seq;
CREATE TABLE citizen_report_figure_queue (
  version   text NOT NULL,
  unit_code text NOT NULL,
  month     text NOT NULL,
  seq       bigint NOT NULL DEFAULT nextval('citizen_report_figure_seq'),
  PRIMARY KEY (version, unit_code, month)
);

-- A report counts where it is handled: received in the month it came (Viet Nam's time, UTC+7
-- all year), answered in the month of its answer. Old and new rows both: a transfer or a reopen
-- changes the cells it leaves.
CREATE FUNCTION citizen_report_figure_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO citizen_report_figure_queue (version, unit_code, month)
    SELECT DISTINCT c.version, c.unit_code, c.month FROM (
      SELECT handler_version AS version, handler_code AS unit_code,
             to_char((created_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM') AS month
      FROM new_rows
      UNION
      SELECT handler_version, handler_code,
             to_char((answered_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM')
      FROM new_rows WHERE answered_at IS NOT NULL
    ) c
    ON CONFLICT (version, unit_code, month)
      DO UPDATE SET seq = nextval('citizen_report_figure_seq');
  ELSE
    INSERT INTO citizen_report_figure_queue (version, unit_code, month)
    SELECT DISTINCT c.version, c.unit_code, c.month FROM (
      SELECT handler_version AS version, handler_code AS unit_code,
             to_char((created_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM') AS month,
             answered_at
      FROM new_rows
      UNION ALL
      SELECT handler_version, handler_code,
             to_char((created_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), answered_at
      FROM old_rows
    ) r
    CROSS JOIN LATERAL (
      SELECT r.version, r.unit_code, r.month
      UNION ALL
      SELECT r.version, r.unit_code,
             to_char((r.answered_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM')
      WHERE r.answered_at IS NOT NULL
    ) c
    ON CONFLICT (version, unit_code, month)
      DO UPDATE SET seq = nextval('citizen_report_figure_seq');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER citizen_report_figures_insert AFTER INSERT ON citizen_report
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION citizen_report_figure_cells();
CREATE TRIGGER citizen_report_figures_update AFTER UPDATE ON citizen_report
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION citizen_report_figure_cells();

-- The job reads a month's reports nationwide: those received in it and those answered in it.
CREATE INDEX citizen_report_created_idx ON citizen_report (created_at);
-- The public answers of the nation, newest first; a province's or commune's use the path index.
CREATE INDEX citizen_report_public_idx ON citizen_report (answered_at DESC)
  WHERE status IN ('answered', 'closed');

-- Searching the public answers without diacritics: the question and the answer, folded
-- (migration 0031's opsroom_fold), kept by the database itself.
ALTER TABLE citizen_report ADD COLUMN search_text text NOT NULL
  GENERATED ALWAYS AS (opsroom_fold(description || ' ' || coalesce(answer, ''))) STORED;
