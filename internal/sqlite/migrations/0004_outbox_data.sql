-- Mails keep their template data and are rendered when sent or shown.
ALTER TABLE outbox ADD COLUMN data BLOB;
