package mongo

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/storetest"
	"sprout/internal/tickets"
)

// Entries stored before entries had secrets each get one when the store
// opens, so the unique index on secret builds and their pages stay shut
// to anyone who knows only their id. The test runs Open's waitlist steps
// on the open store: FerretDB 1.24 drops the connection when a second
// Open asks it again for the indexes it has.
func TestOpenGivesOldWaitlistEntriesSecrets(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, storetest.FerretDBURI(t))
	// The database as an earlier version left it: no index on secret, and
	// entries without the field.
	if err := s.waitlist.Indexes().DropOne(ctx, "secret_1"); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"old-1", "old-2"} {
		_, err := s.waitlist.InsertOne(ctx, bson.D{
			{Key: "_id", Value: id}, {Key: "event_id", Value: "e"}, {Key: "type_id", Value: "tt"},
			{Key: "seq", Value: int64(i + 1)}, {Key: "email", Value: id + "@example.vn"}, {Key: "status", Value: "waiting"},
			{Key: "waiting_key", Value: "e|" + id + "@example.vn"},
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// What Open does for the waitlist on a store used before.
	if err := s.giveWaitSecrets(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.waitlist.Indexes().CreateOne(ctx, driver.IndexModel{
		Keys: bson.D{{Key: "secret", Value: 1}}, Options: options.Index().SetUnique(true),
	}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range []string{"old-1", "old-2"} {
		w, _, err := s.WaitPosition(ctx, id)
		if err != nil || len(w.Secret) < 32 || seen[w.Secret] {
			t.Fatalf("%s after reopening: secret %q, %v", id, w.Secret, err)
		}
		seen[w.Secret] = true
		if got, pos, err := s.WaitBySecret(ctx, w.Secret); err != nil || got.ID != id || pos == 0 {
			t.Fatalf("%s by its new secret: %+v, %d, %v", id, got, pos, err)
		}
	}
	if _, err := s.waitlist.InsertOne(ctx, bson.D{{Key: "_id", Value: "dup"}, {Key: "secret", Value: s.mustSecret(t, "old-1")}}); err == nil {
		t.Fatal("the unique index on secret is missing")
	}
}

func (s *Store) mustSecret(t *testing.T, id string) string {
	t.Helper()
	w, _, err := s.WaitPosition(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return w.Secret
}

// Tickets stored before tickets had search words get theirs when the store
// opens, so a search finds them. The test runs Open's step on the open
// store, as above.
func TestOpenGivesOldTicketsSearchWords(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, storetest.FerretDBURI(t))
	// Tickets as an earlier version left them: a search key, no words.
	for _, d := range []bson.D{
		{{Key: "_id", Value: "old-1"}, {Key: "name", Value: "Nguyễn Văn An"}, {Key: "email", Value: "an@example.vn"}, {Key: "phone", Value: "+84912345678"}},
		{{Key: "_id", Value: "old-2"}, {Key: "name", Value: "Trần Thị Bình"}, {Key: "email", Value: "binh@example.vn"}, {Key: "phone", Value: ""}},
	} {
		d = append(d, bson.E{Key: "event_id", Value: "e"}, bson.E{Key: "status", Value: "active"}, bson.E{Key: "search", Value: "old"})
		if _, err := s.tickets.InsertOne(ctx, d); err != nil {
			t.Fatal(err)
		}
	}

	if err := s.giveSearchWords(ctx); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{"nguyen van": "old-1", "8491234": "old-1", "tran binh": "old-2"} {
		list, _, err := s.ListTickets(ctx, tickets.Query{EventID: "e", Text: text, Limit: 10})
		if err != nil || len(list) != 1 || list[0].ID != want {
			t.Errorf("search %q after opening: %+v, %v", text, list, err)
		}
	}
}
