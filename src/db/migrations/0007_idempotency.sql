-- Idempotency keys: a write sent again with the same Idempotency-Key is answered with the first
-- answer instead of being applied twice. The row is inserted in the transaction of the write
-- (by the audit row's hook), so "applied" and "key recorded" commit together; the answer is
-- stored after it was built. Keys are per caller and kept for a day.
CREATE TABLE idempotency_key (
  -- 'user:<id>' or 'token:<id>': one caller's key never answers another's request.
  actor         text NOT NULL,
  key           text NOT NULL,
  -- The request that holds the key (a random id per attempt).
  attempt       text NOT NULL,
  method        text NOT NULL,
  path          text NOT NULL,
  -- sha-256 of the content type and the body bytes (multipart boundaries left out).
  fingerprint   text NOT NULL,
  -- What the write was, from its audit row: re-read when the answer was not stored.
  action        text NOT NULL,
  entity_type   text NOT NULL,
  entity_id     text NOT NULL,
  applied_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  -- The answer, once stored.
  status        smallint,
  content_type  text,
  response      bytea,
  PRIMARY KEY (actor, key)
);
-- Pruning deletes by age.
CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at);
