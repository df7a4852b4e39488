-- Searching an event's tickets, at the gate and on the registrations page,
-- finds those where every word asked starts a word of the name, email or
-- phone as vn.Words cuts them, which the search key now holds. An FTS5
-- index answers it from the words, where a LIKE read every ticket of the
-- event; the event's id is a word of its own, so the index alone tells an
-- event's matches. Contentless, it keeps only the ticket's id beside the
-- index. A prefix index of two letters serves the shortest words asked,
-- which start the most words; a longer one starts few, once letters and
-- digits are words apart.
--
-- A row's rowid is the ticket's created_at times 2^20, plus one for each
-- ticket before it in the same millisecond: walking the matches by rowid
-- walks them newest first, so a page of a list, newest first, reads its
-- rows and those of their last millisecond rather than every match.
--
-- A ticket is never deleted and its search key and creation time never
-- change, so the insert trigger keeps the index whole.
CREATE VIRTUAL TABLE tickets_fts USING fts5(ticket_id UNINDEXED, event, words, content = '', contentless_unindexed = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2');
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, ticket_id, event, words) VALUES (coalesce(
        (SELECT rowid + 1 FROM tickets_fts WHERE rowid >= new.created_at * 1048576 AND rowid < (new.created_at + 1) * 1048576
            ORDER BY rowid DESC LIMIT 1), new.created_at * 1048576), new.id, new.event_id, new.search);
END;
-- The tickets stored before are indexed by indexOldTickets, in Go, which
-- cuts their search key anew.

-- The gate's offline data lists an event's cancelled tickets, a few among
-- many, and the registrations page counts them.
CREATE INDEX tickets_cancelled ON tickets (event_id, created_at DESC, id DESC) WHERE status = 'cancelled';
