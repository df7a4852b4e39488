-- Science-and-technology enterprise certification dossiers: the document
-- whole as JSON, beside the columns lists filter and sort by. words holds
-- the folded words of the enterprise's names and tax code, each after a
-- space, so that a word prefix is a LIKE '% prefix%'.
CREATE TABLE st_dossiers (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    stage        TEXT NOT NULL,
    sector       TEXT NOT NULL DEFAULT '',
    granted_year INTEGER NOT NULL DEFAULT 0,
    words        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    doc          TEXT NOT NULL
) STRICT;
CREATE INDEX st_dossiers_owner ON st_dossiers (owner_id, updated_at DESC, id DESC);
CREATE INDEX st_dossiers_stage ON st_dossiers (stage, updated_at DESC, id DESC);
