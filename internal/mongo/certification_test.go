package mongo

import (
	"testing"

	"sprout/internal/storetest"
)

func TestCertificationFerretDB(t *testing.T) {
	storetest.RunCertification(t, func(t *testing.T) storetest.CertificationStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}
