-- Live events sent to chosen units (a directive, a reminder) carry their recipients' paths: such
-- an event reaches the scopes that hold its unit (the sender's) or one of these
-- (domain/audience.ts), never the whole subtree of the recipients' common ancestor.
-- NULL for every other event.
ALTER TABLE live_event ADD COLUMN recipients text[];
