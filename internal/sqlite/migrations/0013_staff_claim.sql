-- A staff place acts for its exhibitor once an account accepts the
-- invitation whose secret is mailed to the person; the email alone grants
-- nothing, as accounts never prove theirs. Places made before get a secret
-- of their own, so their owner can still invite them.
ALTER TABLE exhibitor_staff ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitor_staff ADD COLUMN secret TEXT NOT NULL DEFAULT '';
UPDATE exhibitor_staff SET secret = lower(hex(randomblob(32))) WHERE secret = '';
CREATE UNIQUE INDEX exhibitor_staff_secret ON exhibitor_staff (secret) WHERE secret <> '';
CREATE INDEX exhibitor_staff_user ON exhibitor_staff (user_id, created_at);
DROP INDEX exhibitor_staff_email;
