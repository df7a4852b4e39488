ALTER TABLE exhibitors ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN products TEXT NOT NULL DEFAULT '';
-- links is a JSON array of strings.
ALTER TABLE exhibitors ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
ALTER TABLE exhibitors ADD COLUMN logo_id TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN preferred_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN preferred_size TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN cohort_id TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitors ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exhibitors ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX exhibitors_owner ON exhibitors (owner_id, created_at);

-- email_key is the folded email (tickets.EmailKey), so one person is one
-- staff place however they type their address.
CREATE TABLE exhibitor_staff (
    id           TEXT PRIMARY KEY,
    exhibitor_id TEXT NOT NULL REFERENCES exhibitors (id),
    event_id     TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    email_key    TEXT NOT NULL,
    phone        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (exhibitor_id, email_key)
) STRICT;
CREATE INDEX exhibitor_staff_exhibitor ON exhibitor_staff (exhibitor_id, created_at);
CREATE INDEX exhibitor_staff_email ON exhibitor_staff (email_key, created_at);

CREATE TABLE booth_changes (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,
    booth_id     TEXT NOT NULL,
    booth_code   TEXT NOT NULL,
    action       TEXT NOT NULL,
    exhibitor_id TEXT NOT NULL,
    company      TEXT NOT NULL,
    by_id        TEXT NOT NULL,
    by_name      TEXT NOT NULL,
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX booth_changes_event ON booth_changes (event_id, at);

ALTER TABLE ticket_types ADD COLUMN invite INTEGER NOT NULL DEFAULT 0;
