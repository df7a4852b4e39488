-- One application per account and event. The claim is its own table so
-- that events where an account applied twice before this rule keep their
-- rows: the first application holds the claim.
CREATE TABLE exhibitor_owners (
    event_id     TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    exhibitor_id TEXT NOT NULL REFERENCES exhibitors (id),
    PRIMARY KEY (event_id, owner_id)
) STRICT;
INSERT OR IGNORE INTO exhibitor_owners (event_id, owner_id, exhibitor_id)
    SELECT event_id, owner_id, id FROM exhibitors ORDER BY created_at, id;
