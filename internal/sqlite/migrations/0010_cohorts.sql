CREATE INDEX applications_cohort ON applications (cohort_id, status, created_at);

CREATE TABLE startup_mentors (
    application_id TEXT NOT NULL REFERENCES applications (id),
    mentor_id      TEXT NOT NULL,
    assigned_at    INTEGER NOT NULL,
    PRIMARY KEY (application_id, mentor_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX startup_mentors_mentor ON startup_mentors (mentor_id, assigned_at);

CREATE TABLE milestones (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    title          TEXT NOT NULL,
    due            INTEGER NOT NULL,
    status         TEXT NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX milestones_application ON milestones (application_id, due);

CREATE TABLE startup_reports (
    application_id TEXT NOT NULL REFERENCES applications (id),
    month          TEXT NOT NULL,
    revenue        INTEGER NOT NULL,
    users          INTEGER NOT NULL,
    staff          INTEGER NOT NULL,
    funding        INTEGER NOT NULL,
    highlights     TEXT NOT NULL,
    filed_by       TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (application_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_reminders (
    application_id TEXT NOT NULL,
    month          TEXT NOT NULL,
    PRIMARY KEY (application_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE startup_profiles (
    application_id TEXT PRIMARY KEY REFERENCES applications (id),
    name           TEXT NOT NULL,
    sector         TEXT NOT NULL,
    stage          TEXT NOT NULL,
    pitch          TEXT NOT NULL,
    logo_id        TEXT NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
