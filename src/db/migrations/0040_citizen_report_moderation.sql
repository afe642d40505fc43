-- Moderation of citizens' reports (issue 20, "Abuse"): a report flagged at intake by a rule or
-- by an officer waits in the queue, kept off public lists, until released or hidden as abusive.
ALTER TABLE citizen_report
  ADD COLUMN moderation text NOT NULL DEFAULT 'none'
    CHECK (moderation IN ('none', 'flagged', 'hidden'));
-- Why (link, repeat, gibberish, insult, officer) and the officer's words: for officers only.
ALTER TABLE citizen_report ADD COLUMN moderation_rule text
  CHECK (moderation_rule IN ('link', 'repeat', 'gibberish', 'insult', 'officer'));
ALTER TABLE citizen_report ADD COLUMN moderation_reason text;
ALTER TABLE citizen_report ADD COLUMN moderation_by text;
ALTER TABLE citizen_report ADD COLUMN moderation_at timestamptz;
-- SHA-256 of the description's fingerprint: the same text sent again within a day is flagged.
ALTER TABLE citizen_report ADD COLUMN description_hash text;
CREATE INDEX citizen_report_description_hash_idx
  ON citizen_report (description_hash, created_at) WHERE description_hash IS NOT NULL;
-- The queue: flagged reports by handling unit.
CREATE INDEX citizen_report_flagged_idx
  ON citizen_report (handler_version, handler_path text_pattern_ops) WHERE moderation = 'flagged';
