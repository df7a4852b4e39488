package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/sqlite"
	"sprout/internal/tickets"
)

// Waitlist entries stored before entries had secrets get one each when
// the migration adds the column, distinct, so the unique index builds.
func TestMigrationGivesOldWaitlistEntriesSecrets(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sprout.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Take the file back to before the migration, with two entries.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX waitlist_secret`,
		`ALTER TABLE waitlist DROP COLUMN secret`,
		`DELETE FROM schema_migrations WHERE version = '0014_waitlist_secret'`,
		`INSERT INTO waitlist (id, event_id, type_id, seq, name, email, email_key, phone, share_contact, lang, status, created_at)
			VALUES ('old-1', 'e', 'tt', 1, 'A', 'a@example.vn', 'a@example.vn', '', 0, 'vi', 'waiting', 0),
			       ('old-2', 'e', 'tt', 2, 'B', 'b@example.vn', 'b@example.vn', '', 0, 'vi', 'waiting', 0)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := map[string]bool{}
	for _, id := range []string{"old-1", "old-2"} {
		w, _, err := s.WaitPosition(ctx, id)
		if err != nil || len(w.Secret) < 52 || seen[w.Secret] {
			t.Fatalf("%s after the migration: secret %q, %v", id, w.Secret, err)
		}
		seen[w.Secret] = true
		if got, pos, err := s.WaitBySecret(ctx, w.Secret); err != nil || got.ID != id || pos == 0 {
			t.Fatalf("%s by its new secret: %+v, %d, %v", id, got, pos, err)
		}
	}
}

// Tickets stored before the search index are indexed by the migration
// that adds it, their search key cut anew, those made at one instant
// included, and a ticket made afterwards at that instant too.
func TestMigrationIndexesOldTicketsForSearch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sprout.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	e := events.Event{ID: ids.New(), Slug: "techfest", Title: "Techfest", StartsAt: at, EndsAt: at.Add(time.Hour), CreatedAt: at, UpdatedAt: at}
	tt := events.TicketType{ID: ids.New(), EventID: e.ID, Name: "A", Capacity: 10, CreatedAt: at}
	if err := s.CreateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTicketType(ctx, tt); err != nil {
		t.Fatal(err)
	}
	register := func(s *sqlite.Store, name, email string) {
		t.Helper()
		tk := tickets.Ticket{ID: ids.New(), EventID: e.ID, TypeID: tt.ID, Name: name, Email: email, Lang: "vi", Status: tickets.Active,
			Secret: ids.Secret(), CreatedAt: at}
		if err := s.Register(ctx, tk, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	register(s, "Nguyễn Văn An", "an2024@example.vn")
	register(s, "Nguyễn Thị Bình", "binh@example.vn")
	s.Close()
	// Take the file back to before the migration.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE tickets SET search = 'as it was'`,
		`DROP TRIGGER tickets_fts_insert`,
		`DROP TABLE tickets_fts`,
		// Dropping a contentless_unindexed table leaves its content table.
		`DROP TABLE IF EXISTS tickets_fts_content`,
		`DROP INDEX tickets_cancelled`,
		`DELETE FROM schema_migrations WHERE version = '0028_ticket_search'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	register(s, "Nguyễn Văn Cường", "cuong@example.vn")
	for text, want := range map[string]int{"nguyen": 3, "nguyen van": 2, "binh": 1, "2024": 1, "an2024@example": 1, "as it was": 0} {
		if list, total, err := s.ListTickets(ctx, tickets.Query{EventID: e.ID, Text: text, Limit: 10}); err != nil || len(list) != want || total != want {
			t.Errorf("search %q: %d tickets, total %d, %v; want %d", text, len(list), total, err, want)
		}
	}
}
