-- Reports still unanswered past their deadline (issue 20): the figures job marks them when the
-- deadline passes, and the UPDATE's trigger (migration 0039) queues their cells, so the month
-- they came in counts them as overdue without waiting for another change. Reopening clears it.
ALTER TABLE citizen_report ADD COLUMN overdue_at timestamptz;
CREATE INDEX citizen_report_overdue_due_idx ON citizen_report (answer_due)
  WHERE answered_at IS NULL AND overdue_at IS NULL;
