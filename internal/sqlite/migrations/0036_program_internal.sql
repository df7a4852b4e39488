-- Internal programmes (the department's appraisal of S&T enterprise
-- dossiers) are scored with the incubator's reviews but never called for
-- publicly.
ALTER TABLE programs ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
