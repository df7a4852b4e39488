CREATE TABLE booths (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,
    code         TEXT NOT NULL,
    hall         TEXT NOT NULL,
    zone         TEXT NOT NULL,
    x            INTEGER NOT NULL,
    y            INTEGER NOT NULL,
    w            INTEGER NOT NULL,
    h            INTEGER NOT NULL,
    size_class   TEXT NOT NULL,
    price        INTEGER NOT NULL,
    status       TEXT NOT NULL,
    exhibitor_id TEXT NOT NULL,
    held_until   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (event_id, code)
) STRICT;
CREATE INDEX booths_hall ON booths (event_id, hall);

CREATE TABLE exhibitors (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL,
    owner_id      TEXT NOT NULL,
    company       TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    description   TEXT NOT NULL,
    sector        TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX exhibitors_event ON exhibitors (event_id, created_at);

CREATE TABLE leads (
    id           TEXT PRIMARY KEY,
    exhibitor_id TEXT NOT NULL REFERENCES exhibitors (id),
    event_id     TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone        TEXT NOT NULL,
    note         TEXT NOT NULL,
    rating       TEXT NOT NULL,
    scanned_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (exhibitor_id, ticket_id)
) STRICT;
CREATE INDEX leads_exhibitor ON leads (exhibitor_id, created_at);
