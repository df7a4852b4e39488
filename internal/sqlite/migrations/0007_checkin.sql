CREATE TABLE scans (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL,
    ticket_id   TEXT NOT NULL,
    gate        TEXT NOT NULL,
    direction   TEXT NOT NULL,
    nonce       TEXT,
    scanned_at  INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    staff_id    TEXT NOT NULL,
    offline     INTEGER NOT NULL,
    result      TEXT NOT NULL,
    accepted    INTEGER NOT NULL,
    conflict    INTEGER NOT NULL,
    first_in_at INTEGER NOT NULL,
    annulled_at INTEGER NOT NULL DEFAULT 0,
    annulled_by TEXT NOT NULL DEFAULT ''
) STRICT;
-- A scan sent twice with its nonce counts once.
CREATE UNIQUE INDEX scans_nonce ON scans (event_id, nonce) WHERE nonce IS NOT NULL;
CREATE INDEX scans_event ON scans (event_id, recorded_at DESC, id DESC);
CREATE INDEX scans_ticket ON scans (ticket_id, recorded_at DESC) WHERE ticket_id != '';

-- Who is inside: one row per ticket that ever entered.
CREATE TABLE presence (
    ticket_id   TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL,
    inside      INTEGER NOT NULL,
    entries     INTEGER NOT NULL,
    first_in_at INTEGER NOT NULL,
    last_scan   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Counts kept in the same step as presence, so the dashboard reads a few
-- rows whatever the number of tickets.
CREATE TABLE checkin_counts (
    event_id   TEXT PRIMARY KEY,
    checked_in INTEGER NOT NULL DEFAULT 0,
    inside     INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE TABLE gate_counts (
    event_id TEXT NOT NULL,
    gate     TEXT NOT NULL,
    entries  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, gate)
) STRICT, WITHOUT ROWID;
CREATE TABLE arrivals (
    event_id TEXT NOT NULL,
    slot     INTEGER NOT NULL,
    entries  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, slot)
) STRICT, WITHOUT ROWID;
