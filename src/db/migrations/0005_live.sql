-- Live events and alerts. Every event is a row first, then a notification carrying only its id:
-- a screen that reconnects replays what it missed from here, and every server instance on the
-- same database reads the same rows in the same order.

CREATE TABLE live_event (
  id         bigserial PRIMARY KEY,
  topic      text NOT NULL,
  -- The unit an event concerns, for scope: NULL for events every reader may see (data changes).
  version    text,
  path       text,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Pruning deletes by age.
CREATE INDEX live_event_created_idx ON live_event (created_at);

-- "Cases traced in a commune of this province above N in a day": a subject (element,
-- ELEMENT.OPTION or indicator), units of one level under one unit, a period type, a threshold.
CREATE TABLE alert_rule (
  id           serial PRIMARY KEY,
  name_vi      text NOT NULL,
  name_en      text NOT NULL,
  subject_type text NOT NULL CHECK (subject_type IN ('element', 'indicator')),
  subject      text NOT NULL,
  unit_version text NOT NULL,
  unit_code    text NOT NULL,
  level        smallint NOT NULL,
  period_type  text NOT NULL CHECK (period_type IN ('day', 'week', 'month', 'quarter', 'half', 'year')),
  operator     text NOT NULL CHECK (operator IN ('>', '>=', '<', '<=')),
  threshold    double precision NOT NULL,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text,
  FOREIGN KEY (unit_version, unit_code) REFERENCES org_unit (version, code)
);

-- One row per rule, unit and period, kept for good: a value back under the threshold resolves
-- the alert, a later breach opens it again.
CREATE TABLE alert (
  id           bigserial PRIMARY KEY,
  rule_id      integer NOT NULL REFERENCES alert_rule (id),
  unit_version text NOT NULL,
  unit_code    text NOT NULL,
  period       text NOT NULL,
  value        double precision,
  threshold    double precision NOT NULL,
  state        text NOT NULL CHECK (state IN ('open', 'resolved')),
  opened_at    timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz,
  FOREIGN KEY (unit_version, unit_code) REFERENCES org_unit (version, code),
  UNIQUE (rule_id, period, unit_version, unit_code)
);
CREATE INDEX alert_recent_idx ON alert (updated_at DESC, id DESC);
CREATE INDEX alert_open_idx ON alert (updated_at DESC, id DESC) WHERE state = 'open';
