-- A ticket keeps the claims its token is signed again from (the key, the
-- times) rather than the token: Ed25519 signs the same claims to the same
-- token. Rows from before keep the token they hold, and are shown with it;
-- new rows hold ''.
ALTER TABLE tickets ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0;

-- Indexes only a rare query used, each as large as a tenth of a ticket:
-- filtering a list by type walks the event's tickets, and retiring a key
-- counts its tickets once. One index serves both "one active ticket per
-- person and event" and "my tickets" by email.
DROP INDEX tickets_type;
DROP INDEX tickets_key;
DROP INDEX tickets_email;
DROP INDEX tickets_one_active;
CREATE UNIQUE INDEX tickets_one_active ON tickets (email_key, event_id) WHERE status = 'active';
