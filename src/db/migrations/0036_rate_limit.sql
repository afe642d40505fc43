-- Rate limits of the public page (issue 20): requests counted per key (a client address and a
-- route, or a contact phone) in fixed windows. In the database, not in memory, so that every
-- server process counts the same requests.
CREATE TABLE rate_limit (
  key          text NOT NULL,          -- 'addr:<address>:<route>' or 'phone:<+84…>'
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,   -- the row is forgotten after it
  hits         integer NOT NULL CHECK (hits > 0),
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_end_idx ON rate_limit (window_end);
