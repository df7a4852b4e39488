package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBEvents runs the events and tickets suite against an
// in-process FerretDB, one server and database per test.
func TestFerretDBEvents(t *testing.T) {
	storetest.RunEvents(t, func(t *testing.T) storetest.EventsStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBEvents runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBEvents(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunEvents(t, func(t *testing.T) storetest.EventsStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
