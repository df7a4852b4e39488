-- Certificates: of a training followed, or of a science-and-technology
-- enterprise. The token is not kept: key_id and the claims sign it again
-- byte for byte. One certificate per kind and source.
CREATE TABLE certificates (
    code          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    holder        TEXT NOT NULL,
    title         TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    source        TEXT NOT NULL,
    details       TEXT NOT NULL DEFAULT '{}',
    issued_at     INTEGER NOT NULL,
    status        TEXT NOT NULL,
    revoked_at    INTEGER NOT NULL DEFAULT 0,
    revoke_reason TEXT NOT NULL DEFAULT '',
    replaces      TEXT NOT NULL DEFAULT '',
    replaced_by   TEXT NOT NULL DEFAULT '',
    key_id        TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX certificates_source ON certificates (kind, source);
CREATE INDEX certificates_kind_issued ON certificates (kind, issued_at DESC, code DESC);

-- The last number given to a certificate code, per year.
CREATE TABLE certificate_counters (
    year INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
) STRICT;
