package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"sprout/internal/sqlite"
	"sprout/internal/storetest"
)

func TestCertsConformance(t *testing.T) {
	storetest.RunCerts(t, func(t *testing.T) storetest.CertsStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestImpactConformance(t *testing.T) {
	storetest.RunImpact(t, func(t *testing.T) storetest.ImpactStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
