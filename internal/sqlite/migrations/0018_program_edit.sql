-- A programme's optional review deadline (0: none), and the reminders of it
-- sent to reviewers: one row per programme and reviewer, so that several
-- instances send each reminder once.
ALTER TABLE programs ADD COLUMN review_deadline INTEGER NOT NULL DEFAULT 0;

CREATE TABLE review_reminders (
    program_id  TEXT NOT NULL REFERENCES programs (id),
    reviewer_id TEXT NOT NULL,
    PRIMARY KEY (program_id, reviewer_id)
) STRICT, WITHOUT ROWID;
