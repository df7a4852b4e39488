package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
)

// storedCount is one count the store keeps beside the records it counts,
// read and changed behind the store's back: a gate counter on SQLite; on
// MongoDB, which derives the gate counts when read, a ticket's entries on
// its presence.
type storedCount interface {
	first(t *testing.T) (record, what string, n int)
	add(t *testing.T, record string, n int)
}

type sqliteGates struct{ db *sql.DB }

func (g sqliteGates) first(t *testing.T) (record, what string, n int) {
	t.Helper()
	var event, gate string
	err := g.db.QueryRow(`SELECT event_id, gate, entries FROM gate_counts WHERE entries > 0 ORDER BY event_id, gate LIMIT 1`).
		Scan(&event, &gate, &n)
	if err != nil {
		t.Fatalf("the demo's gate counts: %v", err)
	}
	return "gate_counts/" + event + "/" + gate, "gate_entries", n
}

func (g sqliteGates) add(t *testing.T, record string, n int) {
	t.Helper()
	event, gate, _ := strings.Cut(strings.TrimPrefix(record, "gate_counts/"), "/")
	if _, err := g.db.Exec(`UPDATE gate_counts SET entries = entries + ? WHERE event_id = ? AND gate = ?`, n, event, gate); err != nil {
		t.Fatal(err)
	}
}

type mongoPresence struct{ c *driver.Collection }

func (p mongoPresence) first(t *testing.T) (record, what string, n int) {
	t.Helper()
	var d struct {
		TicketID string `bson:"_id"`
		Entries  int    `bson:"entries"`
	}
	err := p.c.FindOne(context.Background(), bson.D{{Key: "entries", Value: bson.D{{Key: "$gt", Value: 0}}}},
		options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}})).Decode(&d)
	if err != nil {
		t.Fatalf("the tickets' presence: %v", err)
	}
	return "presence/" + d.TicketID, "presence_entries", d.Entries
}

func (p mongoPresence) add(t *testing.T, record string, n int) {
	t.Helper()
	_, err := p.c.UpdateOne(context.Background(), bson.D{{Key: "_id", Value: strings.TrimPrefix(record, "presence/")}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "entries", Value: n}}}})
	if err != nil {
		t.Fatal(err)
	}
}

// seedGates makes an event with two tickets that went in at two gates.
func seedGates(ctx context.Context, s app.Store, now time.Time) error {
	ev := events.Event{ID: ids.New(), Slug: "kiem-tra", Title: "Kiểm tra", Venue: "Hà Nội", StartsAt: now, EndsAt: now.Add(time.Hour),
		Published: true, CreatedAt: now, UpdatedAt: now}
	tt := events.TicketType{ID: ids.New(), EventID: ev.ID, Name: "Vé", Capacity: 10, CreatedAt: now}
	if err := s.CreateEvent(ctx, ev); err != nil {
		return err
	}
	if err := s.CreateTicketType(ctx, tt); err != nil {
		return err
	}
	for i, gate := range []string{"Cổng A", "Cổng B"} {
		tk := tickets.Ticket{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Name: "Khách", Email: fmt.Sprintf("khach%d@example.vn", i),
			Status: tickets.Active, Secret: ids.Secret(), CreatedAt: now}
		if err := s.Register(ctx, tk, nil, nil); err != nil {
			return err
		}
		_, err := s.RecordScan(ctx, checkin.Scan{ID: ids.New(), EventID: ev.ID, TicketID: tk.ID, Gate: gate, Direction: checkin.In,
			ScannedAt: now, RecordedAt: now})
		if err != nil {
			return err
		}
	}
	return nil
}

// TestCheckCommand: on either store, a healthy store holds every invariant; a
// count changed behind the store's back is named, mended, and holds again.
func TestCheckCommand(t *testing.T) {
	for _, kind := range []string{"sqlite", "mongodb"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("DATA_DIR", dir)
			t.Setenv("LOG_LEVEL", "error")
			t.Setenv("MONGODB_URI", "")
			check := func(args ...string) (int, string, string) {
				t.Helper()
				var out, errOut bytes.Buffer
				code := app.Main(append([]string{"check"}, args...), app.Assets{}, &out, &errOut)
				return code, out.String(), errOut.String()
			}
			var counts storedCount
			if kind == "sqlite" {
				if code, _, errOut := check(); code != 1 || !strings.Contains(errOut, "no store to check") {
					t.Fatalf("check without a store: exit %d, %q", code, errOut)
				}
			} else {
				uri := storetest.FerretDBURI(t)
				t.Setenv("MONGODB_URI", uri)
				t.Setenv("MONGODB_FERRETDB_POOL", "accept")
				client, err := driver.Connect(options.Client().ApplyURI(uri))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { client.Disconnect(context.Background()) })
				u, err := url.Parse(uri)
				if err != nil {
					t.Fatal(err)
				}
				counts = mongoPresence{client.Database(strings.TrimPrefix(u.Path, "/")).Collection("presence")}
			}

			ctx := context.Background()
			cfg, err := app.LoadConfig(os.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			a, err := app.New(ctx, cfg, app.Assets{}, app.WithPasswordCost(accounts.PasswordCost{Memory: 64, Time: 1}))
			if err != nil {
				t.Fatal(err)
			}
			// The demo takes most of a minute on FerretDB: there, a small
			// event with its check-ins stands in for it.
			if kind == "sqlite" {
				err = a.SeedDemo(ctx, io.Discard)
			} else {
				err = seedGates(ctx, a.Store, a.Clock.Now())
			}
			if err != nil {
				t.Fatal(err)
			}
			a.Close()
			holds := kind + " store: every invariant holds\n"
			if code, out, errOut := check(); code != 0 || out != holds {
				t.Fatalf("check of a healthy store: exit %d, %q %q", code, out, errOut)
			}

			if counts == nil {
				db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "sprout.db"))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				counts = sqliteGates{db}
			}
			record, what, n := counts.first(t)
			counts.add(t, record, 5)
			drift := fmt.Sprintf("%s %s: stored %d, actual %d", record, what, n+5, n)
			code, out, errOut := check()
			if code != 1 || out != "drifted: "+drift+"\n" || !strings.Contains(errOut, "1 stored value drifted") {
				t.Fatalf("check of a changed count: exit %d, %q %q; want exit 1 naming %q", code, out, errOut, drift)
			}
			code, out, errOut = check("--repair")
			if code != 0 || out != "mended: "+drift+"\n"+holds {
				t.Fatalf("check --repair: exit %d, %q %q", code, out, errOut)
			}
			if code, out, errOut := check(); code != 0 || out != holds {
				t.Fatalf("check after repairing: exit %d, %q %q", code, out, errOut)
			}
			if again, _, now := counts.first(t); again != record || now != n {
				t.Fatalf("after repairing, %s holds %d; want %s holding %d", again, now, record, n)
			}
		})
	}
}
