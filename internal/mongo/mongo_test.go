package mongo

import (
	"context"
	"os"
	"testing"
	"time"

	"sprout/internal/storetest"
)

// TestFerretDB runs the conformance suite over the wire against an
// in-process FerretDB, one server and database per test.
func TestFerretDB(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDB runs the suite against the real server at MONGODB_TEST_URI.
func TestMongoDB(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}

func TestDatabaseName(t *testing.T) {
	for uri, want := range map[string]string{
		"mongodb://127.0.0.1:27017":                         DefaultDatabase,
		"mongodb://127.0.0.1:27017/":                        DefaultDatabase,
		"mongodb://127.0.0.1:27017/?maxPoolSize=1":          DefaultDatabase,
		"mongodb://u:p@h1,h2:27018/events?authSource=admin": "events",
		"mongodb+srv://cluster.example.com/sprout_prod":     "sprout_prod",
		"mongodb://%2Ftmp%2Fmongodb-27017.sock/a%2Db":       "a-b",
	} {
		got, err := databaseName(uri)
		if err != nil || got != want {
			t.Errorf("databaseName(%q) = %q, %v; want %q", uri, got, err, want)
		}
	}
	if _, err := databaseName("postgres://localhost/sprout"); err == nil {
		t.Error("databaseName accepted a postgres URI")
	}
}

func openAt(t testing.TB, uri string) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The relay in front of FerretDB runs one operation at a time.
	s, err := Open(ctx, uri, AcceptFerretDBPool())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// Sprout starts again on a database it used before: opening creates only
// the indexes that are missing (FerretDB drops the connection when asked to
// create one that exists) and keeps the data.
func TestReopenKeepsDataAndIndexes(t *testing.T) {
	uri := storetest.FerretDBURI(t)
	ctx := context.Background()
	first, err := Open(ctx, uri, AcceptFerretDBPool())
	if err != nil {
		t.Fatal(err)
	}
	if err := first.KVSet(ctx, "k", []byte("v"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again := openAt(t, uri)
	if v, err := again.KVGet(ctx, "k", time.Time{}); err != nil || string(v) != "v" {
		t.Fatalf("after reopening: %q, %v", v, err)
	}
	openAt(t, uri)
}
