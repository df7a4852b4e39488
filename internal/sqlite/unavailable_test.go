package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/sqlite"
)

// After Close every call answers errs.ErrStoreClosed; none panics, writes
// (which go through the writer goroutine's queue) included.
func TestClosedStoreAnswersAnError(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sprout.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	calls := map[string]func() error{
		"Ping":  func() error { return s.Ping(ctx) },
		"KVSet": func() error { return s.KVSet(ctx, "k", []byte("v"), time.Time{}) },
		"KVGet": func() error { _, err := s.KVGet(ctx, "k", now); return err },
		"KVIncr": func() error {
			_, err := s.KVIncr(ctx, "k", now, now.Add(time.Minute))
			return err
		},
		"CreateUser": func() error {
			return s.CreateUser(ctx, accounts.User{ID: "u1", Email: "an@example.vn", Name: "An", CreatedAt: now})
		},
		"UserByEmail":  func() error { _, err := s.UserByEmail(ctx, "an@example.vn"); return err },
		"ListUsers":    func() error { _, _, err := s.ListUsers(ctx, accounts.UserQuery{Limit: 10}); return err },
		"ClaimMail":    func() error { _, err := s.ClaimMail(ctx, now, time.Minute, "c"); return err },
		"MarkMailSent": func() error { return s.MarkMailSent(ctx, "m", "c", now) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, errs.ErrStoreClosed) {
				t.Errorf("%s after Close: %v, want %v", name, err, errs.ErrStoreClosed)
			}
		})
	}
}

// Writes racing Close either land or answer ErrStoreClosed.
func TestWritesRacingCloseNeverPanic(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sprout.db"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := range 200 {
				err := s.KVSet(ctx, fmt.Sprintf("k%d.%d", w, i), []byte("v"), time.Time{})
				if err != nil && !errors.Is(err, errs.ErrStoreClosed) {
					t.Errorf("write racing Close: %v", err)
					return
				}
			}
		})
	}
	time.Sleep(5 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

// fill writes until the store, capped by MaxGrowth, is full,
// halving the size of what it writes down to a few bytes, so that no page
// keeps room for even a small row.
func fill(t *testing.T, s *sqlite.Store) {
	t.Helper()
	ctx := context.Background()
	i := 0
	for size := 16 << 10; size >= 8; size /= 2 {
		for ; ; i++ {
			err := s.KVSet(ctx, fmt.Sprintf("fill.%06d", i), make([]byte, size), time.Time{})
			if errors.Is(err, errs.ErrStoreFull) {
				break
			}
			if err != nil {
				t.Fatalf("filling: %v", err)
			}
		}
	}
}

// A full database answers ErrStoreFull (Unavailable) to writes and to Ping,
// keeps answering reads, and keeps nothing of a refused write.
func TestFullStoreAnswersUnavailable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sprout.db")
	s, err := sqlite.Open(ctx, path, sqlite.MaxGrowth(32))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping before filling: %v", err)
	}
	fill(t, s)
	if err := s.Ping(ctx); !errors.Is(err, errs.ErrStoreFull) || errs.KindOf(err) != errs.Unavailable {
		t.Errorf("Ping of a full store: %v, want %v", err, errs.ErrStoreFull)
	}
	// A row bigger than a page needs new pages, which a full store has not.
	u := accounts.User{ID: "u-full", Email: "day@example.vn", Name: strings.Repeat("Đầy ", 3000), CreatedAt: time.Now()}
	if err := s.CreateUser(ctx, u); !errors.Is(err, errs.ErrStoreFull) {
		t.Errorf("CreateUser on a full store: %v, want %v", err, errs.ErrStoreFull)
	}
	if _, err := s.KVGet(ctx, "fill.000000", time.Now()); err != nil {
		t.Errorf("a full store stops reading: %v", err)
	}
	s.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UserByID(ctx, u.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("the refused user is there after all: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping once room is back: %v", err)
	}
}
