package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBExpo runs the exhibition suite against an in-process
// FerretDB, one server and database per test.
func TestFerretDBExpo(t *testing.T) {
	storetest.RunExpo(t, func(t *testing.T) storetest.ExpoStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBExpo runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBExpo(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunExpo(t, func(t *testing.T) storetest.ExpoStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
