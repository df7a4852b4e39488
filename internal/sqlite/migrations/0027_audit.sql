-- The audit log: one row per change an organizer or admin made. Roles are
-- kept space-separated, as the actor held them then.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    actor_email TEXT NOT NULL,
    actor_roles TEXT NOT NULL,
    action      TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    detail      TEXT NOT NULL,
    status      INTEGER NOT NULL,
    ip          TEXT NOT NULL
) STRICT;
-- Newest first, whole or filtered by who, what or which event.
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC, id DESC);
CREATE INDEX audit_log_event ON audit_log (event_id, at DESC, id DESC);
