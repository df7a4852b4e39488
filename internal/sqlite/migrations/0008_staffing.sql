-- The gates an organizer names for an event, in the order given.
CREATE TABLE event_gates (
    event_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;

-- Staff assigned to an event; one row per person and event.
CREATE TABLE event_staff (
    event_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_staff_user ON event_staff (user_id, assigned_at DESC);
