-- Ed25519 ticket-signing keys. seed is the 32-byte private seed: the
-- public key follows from it.
CREATE TABLE signing_keys (
    id         TEXT PRIMARY KEY,
    seed       BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX signing_keys_created ON signing_keys (created_at DESC, id DESC);
