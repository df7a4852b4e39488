package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBAudit runs the audit log suite against an in-process
// FerretDB, one server and database per test.
func TestFerretDBAudit(t *testing.T) {
	storetest.RunAudit(t, func(t *testing.T) storetest.AuditStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBAudit runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBAudit(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunAudit(t, func(t *testing.T) storetest.AuditStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
