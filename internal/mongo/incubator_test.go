package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBIncubator runs the incubator suite against an in-process
// FerretDB, one server and database per test.
func TestFerretDBIncubator(t *testing.T) {
	storetest.RunIncubator(t, func(t *testing.T) storetest.IncubatorStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBIncubator runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBIncubator(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunIncubator(t, func(t *testing.T) storetest.IncubatorStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
