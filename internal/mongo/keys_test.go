package mongo

import (
	"os"
	"testing"

	"sprout/internal/storetest"
)

func TestKeysFerretDB(t *testing.T) {
	storetest.RunKeys(t, func(t *testing.T) storetest.KeysStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

func TestKeysMongoDB(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunKeys(t, func(t *testing.T) storetest.KeysStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}
