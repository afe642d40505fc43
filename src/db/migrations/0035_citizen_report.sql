-- Citizens' reports (issue 20): what a citizen sends without an account, routed as a task to the
-- unit that must act, tracked to the end by a public code, answered in public.
CREATE TABLE citizen_report (
  id              bigserial PRIMARY KEY,
  -- The public tracking code (PA-7KQ2-M9XD): random, the citizen's only key to the report.
  code            text NOT NULL UNIQUE,
  category_code   text NOT NULL REFERENCES citizen_category (code),
  description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  lat             double precision,
  lon             double precision,
  -- The commune of the place, on the tree in force when it was received.
  place_version   text NOT NULL,
  place_code      text NOT NULL,
  place_path      text NOT NULL,
  -- The unit handling it now (the category's level, or where it was transferred).
  handler_version text NOT NULL,
  handler_code    text NOT NULL,
  handler_path    text NOT NULL,
  -- The current task of the handling unit (a new one when the citizen reopens the report).
  task_id         bigint REFERENCES task (id),
  status          text NOT NULL CHECK (status IN
                    ('received', 'forwarded', 'in_progress', 'answered', 'closed', 'refused', 'reopened')),
  -- Private: shown only to officers of the handling unit and above, never in public.
  contact_phone   text,
  contact_email   text,
  source          text NOT NULL CHECK (source IN ('web', 'open311', 'api')),
  -- From the category's working time on the handling unit's calendar; a transfer keeps them.
  acknowledge_due timestamptz NOT NULL,
  answer_due      timestamptz NOT NULL,
  acknowledged_at timestamptz,
  answered_at     timestamptz,
  closed_at       timestamptz,
  answer          text,
  refused_reason  text,
  rating          smallint CHECK (rating BETWEEN 1 AND 5),
  rating_note     text,
  -- Until when the citizen may reopen it (set when answered or closed).
  reopen_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Officers' lists: the reports handled in a subtree, by status.
CREATE INDEX citizen_report_handler_idx
  ON citizen_report (handler_version, handler_path text_pattern_ops, status);
-- The public answers per commune or province, newest first.
CREATE INDEX citizen_report_answered_idx
  ON citizen_report (place_path text_pattern_ops, answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX citizen_report_task_idx ON citizen_report (task_id);

-- The report's history: public (the units, the notes meant for the citizen) and internal.
CREATE TABLE citizen_report_event (
  id            bigserial PRIMARY KEY,
  report_id     bigint NOT NULL REFERENCES citizen_report (id) ON DELETE CASCADE,
  at            timestamptz NOT NULL DEFAULT now(),
  kind          text NOT NULL CHECK (kind IN ('received', 'forwarded', 'acknowledged',
                  'info_requested', 'info_added', 'answered', 'closed', 'refused', 'reopened',
                  'rated', 'escalated')),
  -- The report's status after the event.
  status        text NOT NULL,
  public_note   text,
  internal_note text,
  from_unit_code text,
  from_unit_name text,
  to_unit_code  text,
  to_unit_name  text,
  -- Who acted (an officer's name, 'citizen' or 'system'): for officers only.
  actor_name    text NOT NULL
);
CREATE INDEX citizen_report_event_report_idx ON citizen_report_event (report_id, id);

-- A report's photos, and an answer's.
ALTER TABLE attachment DROP CONSTRAINT attachment_owner_kind_check;
ALTER TABLE attachment ADD CONSTRAINT attachment_owner_kind_check CHECK (owner_kind IN
  ('pending', 'directive', 'task', 'task_event', 'citizen_report', 'citizen_report_event'));

-- A report's task, and its move to another unit.
ALTER TABLE task ADD COLUMN report_id bigint;
ALTER TABLE task_event DROP CONSTRAINT task_event_kind_check;
ALTER TABLE task_event ADD CONSTRAINT task_event_kind_check CHECK (kind IN
  ('created', 'read', 'status', 'comment', 'reminded', 'escalated', 'milestone', 'transferred'));

-- The public acts without an account: audited as 'citizen'.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_actor_kind_check;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_actor_kind_check CHECK (actor_kind IN
  ('user', 'token', 'system', 'citizen'));
