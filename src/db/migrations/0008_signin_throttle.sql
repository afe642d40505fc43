-- Sign-in throttling (issue 13): failed sign-ins counted per client address, per account from
-- one address and per account from anywhere; past its allowance a key waits a growing delay.
-- It replaces the account lock in app_user.failed_logins / locked_until, which nothing reads
-- or writes any more (the columns stay: dropping them gains nothing and a rollback of the
-- code would still find them).
CREATE TABLE signin_throttle (
  username        text NOT NULL,   -- as typed at sign-in, known or not ('' = any account)
  address         text NOT NULL,   -- the client address, IPv6 by its /64 ('' = any address)
  failures        integer NOT NULL DEFAULT 0,
  last_failure_at timestamptz,
  blocked_until   timestamptz,     -- no attempt is checked before this
  last_success_at timestamptz,     -- account at an address: a known address
  PRIMARY KEY (username, address),
  CHECK (username <> '' OR address <> '')
);
CREATE INDEX signin_throttle_address_idx ON signin_throttle (address);
