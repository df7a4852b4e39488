CREATE TABLE programs (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    description    TEXT NOT NULL,
    description_en TEXT NOT NULL,
    eligibility    TEXT NOT NULL,
    opens_at       INTEGER NOT NULL,
    closes_at      INTEGER NOT NULL,
    questions      BLOB NOT NULL,
    criteria       BLOB NOT NULL,
    blind          INTEGER NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX programs_closing ON programs (closes_at, id);

CREATE TABLE applications (
    id            TEXT PRIMARY KEY,
    program_id    TEXT NOT NULL REFERENCES programs (id),
    founder_id    TEXT NOT NULL,
    startup_name  TEXT NOT NULL,
    answers       BLOB NOT NULL,
    status        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    cohort_id     TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    submitted_at  INTEGER NOT NULL DEFAULT 0,
    decided_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (program_id, founder_id)
) STRICT;
CREATE INDEX applications_program ON applications (program_id, status, created_at);
CREATE INDEX applications_founder ON applications (founder_id, created_at DESC);

CREATE TABLE application_reviewers (
    application_id TEXT NOT NULL REFERENCES applications (id),
    reviewer_id    TEXT NOT NULL,
    assigned_at    INTEGER NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX application_reviewers_reviewer ON application_reviewers (reviewer_id, assigned_at);

CREATE TABLE reviews (
    application_id TEXT NOT NULL REFERENCES applications (id),
    program_id     TEXT NOT NULL,
    reviewer_id    TEXT NOT NULL,
    scores         BLOB NOT NULL,
    comment        TEXT NOT NULL,
    conflict       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX reviews_program ON reviews (program_id);

CREATE TABLE cohorts (
    id         TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id),
    name       TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
