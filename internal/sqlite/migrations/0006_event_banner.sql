-- The id of the event's banner in files; empty when it has none.
ALTER TABLE events ADD COLUMN banner_id TEXT NOT NULL DEFAULT '';
