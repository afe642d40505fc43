-- Telling the citizen (issue 20): a report's answer, question, refusal or close goes out by SMS
-- or email to the contact the citizen gave. The rows are written in the officer's transaction,
-- one per channel (an outbox); the delivery job (jobs/citizen-notifications.ts) sends them after
-- the commit, retrying with a growing delay. A row claimed by a job that stopped before it
-- confirmed is claimed again once its lease (next_attempt_at) has passed: at least once.
CREATE TABLE citizen_notification (
  id              bigserial PRIMARY KEY,
  report_id       bigint NOT NULL REFERENCES citizen_report (id) ON DELETE CASCADE,
  -- The history row that is the news: one message per event and channel, however retried.
  event_id        bigint NOT NULL REFERENCES citizen_report_event (id) ON DELETE CASCADE,
  channel         text NOT NULL CHECK (channel IN ('sms', 'email')),
  -- The phone (0912345678) or email address: private, like the report's contact.
  destination     text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('answered', 'info_requested', 'refused', 'closed')),
  -- The email's subject (null for an SMS) and the text, in Vietnamese, written at queue time.
  subject         text,
  body            text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  -- When it may be tried (again); while a job holds it, the end of its lease.
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL,
  UNIQUE (event_id, channel)
);
-- The job's claim: pending rows that are due, oldest first.
CREATE INDEX citizen_notification_due_idx
  ON citizen_notification (next_attempt_at, id) WHERE status = 'pending';
-- The officer's view of a report.
CREATE INDEX citizen_notification_report_idx ON citizen_notification (report_id, id);
