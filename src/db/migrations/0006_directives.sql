-- Directives (chỉ đạo) and the work that follows: one task per recipient unit, its history,
-- comments and milestones, attachments kept in the database, weekly plans.

-- Files uploaded first (owner 'pending'), then claimed by the directive or report citing them.
CREATE TABLE attachment (
  id           bigserial PRIMARY KEY,
  owner_kind   text NOT NULL CHECK (owner_kind IN ('pending', 'directive', 'task', 'task_event')),
  owner_id     bigint,
  file_name    text NOT NULL,
  content_type text NOT NULL,
  size         integer NOT NULL CHECK (size <= 10485760),
  bytes        bytea NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_owner_idx ON attachment (owner_kind, owner_id);

CREATE TABLE directive (
  id             bigserial PRIMARY KEY,
  title          text NOT NULL,
  body           text NOT NULL CHECK (length(body) <= 20000),
  priority       text NOT NULL CHECK (priority IN ('normal', 'high', 'urgent')),
  due_date       date NOT NULL,
  target         jsonb NOT NULL,
  version        text NOT NULL REFERENCES hierarchy_version (id),
  -- The recipients' common ancestor: who may see the directive and its live event.
  scope_path     text NOT NULL,
  issuer_id      text,
  issuer_name    text NOT NULL,
  issuer_version text NOT NULL,
  issuer_code    text NOT NULL,
  issuer_path    text NOT NULL,
  task_count     integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directive_issuer_idx ON directive (issuer_version, issuer_path text_pattern_ops, id DESC);

-- One row per recipient unit of a directive, or a task of its own (directive_id NULL). The
-- unit's version, code and path are copied so that scoped lists and board counts read one table.
-- No foreign keys on directive and unit: a directive's tasks are inserted by one INSERT … SELECT
-- from org_unit right after the directive, and 10,599 per-row key checks would double its time.
CREATE TABLE task (
  id              bigserial PRIMARY KEY,
  directive_id    bigint,
  unit_id         integer NOT NULL,
  version         text NOT NULL,
  unit_code       text NOT NULL,
  path            text NOT NULL,
  assignee_id     integer REFERENCES app_user (id),
  title           text NOT NULL,
  due_date        date NOT NULL,
  status          text NOT NULL DEFAULT 'received'
                  CHECK (status IN ('received', 'acknowledged', 'in_progress', 'done', 'blocked')),
  blocked_reason  text,
  read_at         timestamptz,
  acknowledged_at timestamptz,
  done_at         timestamptz,
  progress        smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  last_report     text,
  figures         jsonb,
  reminded_at     timestamptz,
  escalated_at    timestamptz,
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Board counts: one directive's tasks under a unit.
CREATE INDEX task_board_idx ON task (directive_id, path text_pattern_ops);
-- Inboxes, weekly plans and follow-up: the tasks of a subtree (a commune's path is its own).
CREATE INDEX task_inbox_idx ON task (version, path text_pattern_ops, status);
-- The escalation job's question: late, not done, not yet escalated.
CREATE INDEX task_escalation_idx ON task (due_date) WHERE status <> 'done' AND escalated_at IS NULL;

-- Every change of a task: who, when, from → to, what was said and reported.
CREATE TABLE task_event (
  id          bigserial PRIMARY KEY,
  task_id     bigint NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL
              CHECK (kind IN ('created', 'read', 'status', 'comment', 'reminded', 'escalated', 'milestone')),
  actor_id    text,
  actor_name  text NOT NULL,
  from_status text,
  to_status   text,
  note        text,
  progress    smallint,
  figures     jsonb
);
CREATE INDEX task_event_task_idx ON task_event (task_id, id);

CREATE TABLE task_comment (
  id          bigserial PRIMARY KEY,
  task_id     bigint NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  author_id   text,
  author_name text NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_comment_task_idx ON task_comment (task_id, id);

CREATE TABLE task_milestone (
  id       bigserial PRIMARY KEY,
  task_id  bigint NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  title    text NOT NULL,
  due_date date NOT NULL,
  done_at  timestamptz
);
CREATE INDEX task_milestone_task_idx ON task_milestone (task_id, due_date);

-- A unit's plan for an ISO week (2026-W48): its tasks due that week, approved by the superior.
CREATE TABLE weekly_plan (
  id           bigserial PRIMARY KEY,
  version      text NOT NULL,
  unit_code    text NOT NULL,
  path         text NOT NULL,
  week         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
  note         text,
  submitted_by text,
  submitted_at timestamptz,
  decided_by   text,
  decided_at   timestamptz,
  decision_note text,
  FOREIGN KEY (version, unit_code) REFERENCES org_unit (version, code),
  UNIQUE (version, unit_code, week)
);
