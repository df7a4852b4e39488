CREATE TABLE mentor_sessions (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    mentor_id      TEXT NOT NULL,
    day            INTEGER NOT NULL,
    topics         TEXT NOT NULL,
    next_steps     TEXT NOT NULL,
    private_note   TEXT NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX mentor_sessions_application ON mentor_sessions (application_id, day);
