package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBStaffing runs the staffing suite against an in-process
// FerretDB, one server and database per test.
func TestFerretDBStaffing(t *testing.T) {
	storetest.RunStaffing(t, func(t *testing.T) storetest.StaffingStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBStaffing runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBStaffing(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunStaffing(t, func(t *testing.T) storetest.StaffingStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
