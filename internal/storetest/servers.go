package storetest

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// FerretDBURI starts an in-process FerretDB for the test and returns a
// MongoDB URI to a fresh database on it, through a relay that runs one
// operation at a time on one connection to FerretDB. FerretDB applies an
// update as a read then a write, so it needs that to keep single-document
// operations atomic; the relay lets the driver keep its normal pool, so
// operations from many connections (and from several clients, as two app
// instances have) interleave as on a MongoDB primary.
func FerretDBURI(t testing.TB) string {
	t.Helper()
	r, err := newRelay(startFerretDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	return WithDatabase(t, "mongodb://"+r.addr()+"/", TestDatabase(), nil)
}

// startFerretDB starts an in-process FerretDB on a fresh SQLite directory,
// stopped when the test ends, and returns its address.
func startFerretDB(t testing.TB) string {
	t.Helper()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + t.TempDir() + "/",
		Logger:    slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	// Stop the server before the temp dir holding its files goes away.
	t.Cleanup(func() {
		cancel()
		<-done
	})
	u, err := url.Parse(f.MongoDBURI())
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// MongoDBTestURI returns a URI to a fresh database on the real MongoDB at
// MONGODB_TEST_URI, dropped when the test ends, or "" when it is not set.
func MongoDBTestURI(t testing.TB) string {
	t.Helper()
	base := os.Getenv("MONGODB_TEST_URI")
	if base == "" {
		return ""
	}
	uri := WithDatabase(t, base, TestDatabase(), nil)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		client, err := driver.Connect(options.Client().ApplyURI(uri))
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer client.Disconnect(ctx)
		u, _ := url.Parse(uri)
		if err := client.Database(strings.TrimPrefix(u.Path, "/")).Drop(ctx); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return uri
}

// TestDatabase is a fresh database name.
func TestDatabase() string {
	return "sprout_test_" + strings.ToLower(rand.Text())
}

// WithDatabase points uri at the database name and adds params. A URI with
// credentials but no authSource authenticates against its own database, so
// that database is kept as the authSource.
func WithDatabase(t testing.TB, uri, name string, params url.Values) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("parse %q: %v", uri, err)
	}
	q := u.Query()
	if u.User != nil && !q.Has("authSource") {
		src := strings.TrimPrefix(u.Path, "/")
		if src == "" {
			src = "admin"
		}
		q.Set("authSource", src)
	}
	for k, vs := range params {
		q[k] = vs
	}
	u.Path, u.RawPath = "/"+name, ""
	u.RawQuery = q.Encode()
	return u.String()
}
