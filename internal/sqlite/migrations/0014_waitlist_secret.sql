-- A waiting person's page opens by a secret of its own, never by the id,
-- which sorts by time and so is guessed from a neighbour's. Entries made
-- before get a secret too, so the unique index holds; their page was only
-- ever reached by id, so nobody holds these, and that is the point.
ALTER TABLE waitlist ADD COLUMN secret TEXT NOT NULL DEFAULT '';
UPDATE waitlist SET secret = lower(hex(randomblob(32))) WHERE secret = '';
CREATE UNIQUE INDEX waitlist_secret ON waitlist (secret);
