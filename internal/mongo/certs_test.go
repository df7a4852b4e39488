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

func TestImpactFerretDB(t *testing.T) {
	storetest.RunImpact(t, func(t *testing.T) storetest.ImpactStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}
