-- Consent to share contact details is recorded: when, and which wording
-- the person was shown. Earlier rows hold none, so they share nothing.
ALTER TABLE tickets ADD COLUMN consent_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN consent_version TEXT NOT NULL DEFAULT '';
ALTER TABLE waitlist ADD COLUMN consent_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE waitlist ADD COLUMN consent_version TEXT NOT NULL DEFAULT '';
