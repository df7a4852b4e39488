CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    title_en       TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    venue          TEXT NOT NULL,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    published      INTEGER NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX events_start ON events (starts_at, id);

CREATE TABLE agenda_items (
    id        TEXT PRIMARY KEY,
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    room      TEXT NOT NULL,
    title     TEXT NOT NULL,
    speakers  TEXT NOT NULL
) STRICT;
CREATE INDEX agenda_event ON agenda_items (event_id, starts_at, room);

CREATE TABLE ticket_types (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity >= 0),
    sold        INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    waitlist    INTEGER NOT NULL,
    sales_start INTEGER NOT NULL DEFAULT 0,
    sales_end   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX ticket_types_event ON ticket_types (event_id, created_at);

CREATE TABLE tickets (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES events (id),
    type_id       TEXT NOT NULL REFERENCES ticket_types (id),
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    phone         TEXT NOT NULL,
    share_contact INTEGER NOT NULL,
    lang          TEXT NOT NULL,
    status        TEXT NOT NULL,
    secret        TEXT NOT NULL UNIQUE,
    token         TEXT NOT NULL,
    key_id        TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    search        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    cancelled_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
-- One active ticket per person and event, enforced by the store itself.
CREATE UNIQUE INDEX tickets_one_active ON tickets (event_id, email_key) WHERE status = 'active';
CREATE INDEX tickets_event ON tickets (event_id, created_at DESC, id DESC);
CREATE INDEX tickets_type ON tickets (type_id, status);
CREATE INDEX tickets_email ON tickets (email_key, created_at DESC);
CREATE INDEX tickets_key ON tickets (key_id, expires_at) WHERE status = 'active';

CREATE TABLE waitlist (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES events (id),
    type_id       TEXT NOT NULL REFERENCES ticket_types (id),
    seq           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    phone         TEXT NOT NULL,
    share_contact INTEGER NOT NULL,
    lang          TEXT NOT NULL,
    status        TEXT NOT NULL,
    ticket_id     TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX waitlist_one_waiting ON waitlist (event_id, email_key) WHERE status = 'waiting';
CREATE INDEX waitlist_queue ON waitlist (type_id, status, seq);
