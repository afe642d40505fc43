-- Accounts scoped to a subtree, sessions, machine tokens and the audit log.

CREATE TABLE app_user (
  id              serial PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  password_hash   text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin', 'leader', 'officer', 'data_entry', 'viewer')),
  scope_version   text NOT NULL,
  scope_code      text NOT NULL,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (scope_version, scope_code) REFERENCES org_unit (version, code)
);

CREATE TABLE app_session (
  id_hash     text PRIMARY KEY,             -- sha-256 of the cookie value; the value itself is never stored
  user_id     integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX app_session_user_idx ON app_session (user_id);

CREATE TABLE api_token (
  id            text PRIMARY KEY,           -- public part of the token
  name          text NOT NULL,
  secret_hash   text NOT NULL,              -- sha-256 of the secret part
  scope_version text NOT NULL,
  scope_code    text NOT NULL,
  permissions   jsonb NOT NULL,
  created_by    integer REFERENCES app_user (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  FOREIGN KEY (scope_version, scope_code) REFERENCES org_unit (version, code)
);

CREATE TABLE audit_event (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'token', 'system')),
  actor_id    text,
  actor_name  text NOT NULL,
  action      text NOT NULL,               -- e.g. 'user.create', 'group.create'
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  unit_version text,
  unit_code   text,
  before      jsonb,
  after       jsonb,
  request_id  text
);
CREATE INDEX audit_event_at_idx ON audit_event (at DESC);
CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id);
