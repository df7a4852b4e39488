ALTER TABLE events ADD COLUMN course TEXT NOT NULL DEFAULT '';

CREATE TABLE attendance (
	ticket_id  TEXT NOT NULL,
	session_id TEXT NOT NULL,
	event_id   TEXT NOT NULL,
	at         INTEGER NOT NULL,
	by_user    TEXT NOT NULL,
	source     TEXT NOT NULL,
	PRIMARY KEY (ticket_id, session_id)
);
CREATE INDEX attendance_session ON attendance (event_id, session_id, at);
