package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"sprout/internal/sqlite"
	"sprout/internal/storetest"
)

func TestCertificationConformance(t *testing.T) {
	storetest.RunCertification(t, func(t *testing.T) storetest.CertificationStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
