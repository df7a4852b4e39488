package mongo

import (
	"testing"

	"sprout/internal/storetest"
)

func TestCertsFerretDB(t *testing.T) {
	storetest.RunCerts(t, func(t *testing.T) storetest.CertsStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}
