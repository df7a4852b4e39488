package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBFiles runs the file store suite against an in-process
// FerretDB, one server and database per test.
func TestFerretDBFiles(t *testing.T) {
	storetest.RunFiles(t, func(t *testing.T) storetest.FilesStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBFiles runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBFiles(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunFiles(t, func(t *testing.T) storetest.FilesStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
