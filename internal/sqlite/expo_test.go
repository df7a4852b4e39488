package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"sprout/internal/sqlite"
	"sprout/internal/storetest"
)

func TestExpoConformance(t *testing.T) {
	storetest.RunExpo(t, func(t *testing.T) storetest.ExpoStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
