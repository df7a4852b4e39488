package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBCohorts runs the cohort suite against an in-process FerretDB.
func TestFerretDBCohorts(t *testing.T) {
	storetest.RunCohorts(t, func(t *testing.T) storetest.IncubatorStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBCohorts runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBCohorts(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunCohorts(t, func(t *testing.T) storetest.IncubatorStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
