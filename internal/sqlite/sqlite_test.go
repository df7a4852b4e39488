package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sprout/internal/sqlite"
	"sprout/internal/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestReopenKeepsDataAndSkipsAppliedMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sprout.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.KVSet(ctx, "k", []byte("v"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if v, err := s.KVGet(ctx, "k", time.Time{}); err != nil || string(v) != "v" {
		t.Fatalf("after reopen: %q, %v", v, err)
	}
}

func TestEventsConformance(t *testing.T) {
	storetest.RunEvents(t, func(t *testing.T) storetest.EventsStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestCheckinConformance(t *testing.T) {
	storetest.RunCheckin(t, func(t *testing.T) storetest.CheckinStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestIncubatorConformance(t *testing.T) {
	storetest.RunIncubator(t, func(t *testing.T) storetest.IncubatorStore {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sprout.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
