package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"sprout/internal/sqlite"
	"sprout/internal/storetest"
)

func TestHolidaysConformance(t *testing.T) {
	storetest.RunHolidays(t, func(t *testing.T) storetest.HolidaysStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
