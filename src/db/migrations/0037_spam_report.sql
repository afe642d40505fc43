-- Reports of spam messages and calls to the 5656 line (issue 20): from operators' gateways
-- (machine tokens) and from the public page. Kept as received; the day's counts become data
-- values by a job (services/spam.service.ts), never one value per report.
CREATE TABLE spam_report (
  id           bigserial PRIMARY KEY,
  -- Normalised (domain/spam.ts): 84912345678 for a Vietnamese number, a short code or a
  -- sender name as given (uppercased), +<digits> for a foreign number.
  number       text NOT NULL CHECK (length(number) BETWEEN 2 AND 20),
  kind         text NOT NULL CHECK (kind IN ('sms', 'call')),
  content      text NOT NULL DEFAULT '' CHECK (length(content) <= 2000),
  -- The reporter's operator.
  operator     text NOT NULL CHECK (operator IN ('viettel', 'vinaphone', 'mobifone',
                 'vietnamobile', 'gmobile', 'itelecom', 'reddi', 'other')),
  -- When the spam was received (the reporter's word); received_at is the server's.
  reported_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  -- Viet Nam's date of received_at: the day the report counts in.
  received_day date NOT NULL,
  source       text NOT NULL CHECK (source IN ('api', 'web')),
  -- The gateway's token (api), or a hash of the client's address (web).
  token_id     text,
  client_hash  text,
  -- A hash of the reporter's own number when a gateway gives it: distinct reporters, no phone.
  reporter_hash text,
  -- The gateway's own id of the report: a batch sent again is not counted twice.
  external_id  text CHECK (length(external_id) <= 100),
  CHECK ((source = 'api') = (token_id IS NOT NULL)),
  CHECK (source = 'api' OR external_id IS NULL)
);
CREATE UNIQUE INDEX spam_report_external_idx ON spam_report (token_id, external_id)
  WHERE external_id IS NOT NULL;
-- Per-day counts and the week's most reported numbers: an index-only scan of the days.
CREATE INDEX spam_report_day_idx ON spam_report (received_day, number);

-- Numbers an operator confirms it has blocked.
CREATE TABLE spam_block (
  id           bigserial PRIMARY KEY,
  number       text NOT NULL CHECK (length(number) BETWEEN 2 AND 20),
  operator     text NOT NULL CHECK (operator IN ('viettel', 'vinaphone', 'mobifone',
                 'vietnamobile', 'gmobile', 'itelecom', 'reddi', 'other')),
  blocked_at   timestamptz NOT NULL,
  blocked_day  date NOT NULL,
  -- Who confirmed: the token's or the user's name as the audit log has it.
  confirmed_by text NOT NULL,
  UNIQUE (number, operator)
);
CREATE INDEX spam_block_day_idx ON spam_block (blocked_day);

-- Days whose counts must be computed again, written in the intake's transaction: the job reads
-- some rows, writes the counts, then deletes exactly the rows it read. A crash in between
-- leaves them; a report committed meanwhile leaves a row of its own. Nothing is lost.
CREATE TABLE spam_count_due (
  id   bigserial PRIMARY KEY,
  day  date NOT NULL
);
