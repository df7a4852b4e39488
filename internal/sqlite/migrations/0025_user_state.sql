-- last_sign_in_at is 0 before the first sign-in, deactivated_at 0 while the
-- account is active.
ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deactivated_at INTEGER NOT NULL DEFAULT 0;
