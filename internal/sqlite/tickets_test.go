package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"sprout/internal/sqlite"
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
