package migrate_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sprout/internal/certification"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/events"
	"sprout/internal/files"
	"sprout/internal/keys"
	"sprout/internal/migrate"
	"sprout/internal/mongo"
	"sprout/internal/sqlite"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
	"sprout/internal/workdays"
)

var t0 = time.Date(2030, 3, 4, 2, 0, 0, 0, time.UTC)

// embedded makes an embedded store holding an organizer, an event with a
// banner, five tickets signed by its key, two holidays and a dossier.
func embedded(t *testing.T) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sprout.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ring := keys.NewRing(s, clock.NewManual(t0))
	key, err := ring.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateUser(ctx, accounts.User{ID: "u1", Email: "lan@so-khcn.vn", Name: "Nguyễn Thị Lan", Lang: "vi",
		Roles: []accounts.Role{accounts.RoleOrganizer}, PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", CreatedAt: t0, UpdatedAt: t0}))
	must(s.PutFile(ctx, files.File{ID: "f1", Name: "banner.png", ContentType: "image/png", Data: []byte("\x89PNG"), CreatedAt: t0}))
	must(s.CreateEvent(ctx, events.Event{ID: "e1", Slug: "techfest", Title: "Techfest", Venue: "Hà Nội", StartsAt: t0.Add(48 * time.Hour),
		EndsAt: t0.Add(56 * time.Hour), Published: true, BannerID: "f1", CreatedAt: t0, UpdatedAt: t0}))
	must(s.CreateTicketType(ctx, events.TicketType{ID: "tt1", EventID: "e1", Name: "Vé", Capacity: 10, CreatedAt: t0}))
	for i := range 5 {
		tk := tickets.Ticket{ID: fmt.Sprintf("t%d", i), EventID: "e1", TypeID: "tt1", Name: "Khách", Email: fmt.Sprintf("khach%d@example.vn", i),
			Lang: "vi", Status: tickets.Active, Secret: fmt.Sprintf("secret-%d", i), KeyID: key.ID, ExpiresAt: t0.Add(80 * time.Hour),
			CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
		must(s.Register(ctx, tk, nil, nil))
	}
	for _, h := range workdays.Defaults()[:2] {
		_, err := s.PutHoliday(ctx, h)
		must(err)
	}
	must(s.CreateDossier(ctx, certification.Dossier{ID: "d1", OwnerID: "u1", Kind: certification.New, Stage: certification.Draft, Version: 1,
		Enterprise: certification.Enterprise{Name: "Công ty Cổ phần Mầm Xanh", TaxCode: "0101234567"}, CreatedAt: t0, UpdatedAt: t0}))
	return s
}

// destination is a database on FerretDB, opened as the app opens it.
type destination struct{ uri string }

func (d destination) String() string { return "the test database" }

func (d destination) Occupied(ctx context.Context) ([]string, error) {
	return mongo.Occupied(ctx, d.uri)
}

func (d destination) Open(ctx context.Context) (migrate.Target, error) {
	return mongo.Open(ctx, d.uri, mongo.AcceptFerretDBPool())
}

// collections lists what the database holds, empty collections included.
func collections(t *testing.T, uri string) []string {
	t.Helper()
	ctx := context.Background()
	client, err := driver.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	u, _ := url.Parse(uri)
	names, err := client.Database(strings.TrimPrefix(u.Path, "/")).ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// interrupted stops the copy at its third ticket, as SIGINT does.
type interrupted struct {
	*sqlite.Store
	cancel context.CancelFunc
}

func (s interrupted) Export(ctx context.Context, now time.Time, sink migrate.Sink) error {
	return s.Store.Export(ctx, now, &stopAt{Sink: sink, ctx: ctx, cancel: s.cancel})
}

type stopAt struct {
	migrate.Sink
	ctx     context.Context
	cancel  context.CancelFunc
	tickets int
}

func (s *stopAt) Ticket(ctx context.Context, t tickets.Ticket) error {
	if s.tickets++; s.tickets == 3 {
		s.cancel()
		return s.ctx.Err()
	}
	return s.Sink.Ticket(ctx, t)
}

// TestInterruptedCopyLeavesTheTargetEmpty: a copy stopped half way, after
// the indexes, the file and the first records were written, drops the
// database again, and a second run copies everything.
func TestInterruptedCopyLeavesTheTargetEmpty(t *testing.T) {
	src := embedded(t)
	uri := storetest.FerretDBURI(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	err := migrate.Run(ctx, interrupted{src, cancel}, destination{uri}, migrate.Options{Clock: clock.NewManual(t0), Out: &out})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "the target was emptied again") {
		t.Fatalf("an interrupted copy: %v\n%s", err, &out)
	}
	if left := collections(t, uri); len(left) > 0 {
		t.Fatalf("an interrupted copy left %v", left)
	}
	out.Reset()
	if err := migrate.Run(context.Background(), src, destination{uri}, migrate.Options{Clock: clock.NewManual(t0), Out: &out}); err != nil {
		t.Fatalf("copying again: %v\n%s", err, &out)
	}
	for _, want := range []string{"  tickets                          5         5\n", "  holidays                         2         2\n", "  st_dossiers                      1         1\n", "ticket tokens: 5 sampled, signed again alike, 5 valid with the copied keys",
		"files: 1 read back", "recomputed from the records: 1 sold\n", "integrity: every invariant holds on the target"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, &out)
		}
	}
}

// tampered opens targets whose files read back otherwise than written.
type tampered struct{ destination }

func (d tampered) Open(ctx context.Context) (migrate.Target, error) {
	tgt, err := d.destination.Open(ctx)
	return alteredFiles{tgt}, err
}

type alteredFiles struct{ migrate.Target }

func (a alteredFiles) File(ctx context.Context, id string) (files.File, error) {
	f, err := a.Target.File(ctx, id)
	f.Data = append(f.Data, '!')
	return f, err
}

// TestCopyThatDoesNotVerifyIsDropped: a file that reads back with other
// bytes fails the verification, which names it, and the copy is dropped.
func TestCopyThatDoesNotVerifyIsDropped(t *testing.T) {
	uri := storetest.FerretDBURI(t)
	var out bytes.Buffer
	err := migrate.Run(context.Background(), embedded(t), tampered{destination{uri}}, migrate.Options{Clock: clock.NewManual(t0), Out: &out})
	if !errors.Is(err, migrate.ErrVerification) || !strings.Contains(out.String(), "differs: file f1: banner.png image/png 5 bytes") {
		t.Fatalf("a copy whose file differs: %v\n%s", err, &out)
	}
	if left := collections(t, uri); len(left) > 0 {
		t.Fatalf("a copy that did not verify left %v", left)
	}
}
