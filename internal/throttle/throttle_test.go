package throttle_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/sqlite"
	"sprout/internal/throttle"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestLimiterAcrossWindows(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	clk := clock.NewManual(time.Now())
	l := throttle.Limiter{Store: s, Prefix: "login", Max: 3, Window: 15 * time.Minute, Clock: clk}
	blocked := func() bool {
		t.Helper()
		d, err := l.Wait(ctx, "1.2.3.4")
		if err != nil {
			t.Fatal(err)
		}
		return d > 0
	}
	fail := func() {
		t.Helper()
		if _, err := l.Fail(ctx, "1.2.3.4"); err != nil {
			t.Fatal(err)
		}
	}
	fail()
	fail()
	clk.Advance(l.Window) // into the next window
	if blocked() {
		t.Fatal("blocked after 2 failures")
	}
	fail()
	if !blocked() {
		t.Fatal("3 failures straddling a window's end must block")
	}
	if d, _ := l.Wait(ctx, "5.6.7.8"); d > 0 {
		t.Fatal("another key is blocked too")
	}
	clk.Advance(l.Window + time.Minute)
	if blocked() {
		t.Fatal("failures two windows old still count")
	}
	fail()
	fail()
	fail()
	if err := l.Reset(ctx, "1.2.3.4"); err != nil {
		t.Fatal(err)
	}
	if blocked() {
		t.Fatal("blocked after Reset")
	}
}

func TestTakeCountsEveryActionAndSaysWhenToComeBack(t *testing.T) {
	ctx := context.Background()
	start := time.Now().UTC().Truncate(time.Hour) // a window starts on the hour
	clk := clock.NewManual(start.Add(10 * time.Minute))
	l := throttle.Limiter{Store: openStore(t), Prefix: "limit:reset", Max: 3, Window: 15 * time.Minute, Clock: clk}
	for i := range 3 {
		if d, err := l.Take(ctx, "c"); err != nil || d != 0 {
			t.Fatalf("action %d: wait %v, %v", i+1, d, err)
		}
	}
	d, err := l.Take(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	// Four counted: the window after this one still holds them all.
	if want := 5*time.Minute + 15*time.Minute; d != want {
		t.Fatalf("wait %v, want %v", d, want)
	}
	if d, _ := l.Take(ctx, "other"); d != 0 {
		t.Fatal("another key is limited too")
	}
	clk.Advance(d)
	if d, _ := l.Take(ctx, "c"); d != 0 {
		t.Fatalf("still limited after the wait it was told: %v", d)
	}
}

func TestBackoffSlowsDownWithoutLockingOut(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Now())
	b := throttle.Backoff{Store: openStore(t), Prefix: "login-client", Max: 3, First: time.Second, Longest: 4 * time.Second, Window: time.Hour, Clock: clk}
	wait := func() time.Duration {
		t.Helper()
		d, err := b.Wait(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for range 2 {
		if err := b.Fail(ctx, "c"); err != nil {
			t.Fatal(err)
		}
	}
	if d := wait(); d != 0 {
		t.Fatalf("waits %v before its third failure", d)
	}
	for _, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		if err := b.Fail(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		if d := wait(); d != want {
			t.Fatalf("wait %v, want %v", d, want)
		}
		clk.Advance(want)
		if d := wait(); d != 0 {
			t.Fatalf("still waiting %v after its wait", d)
		}
	}
	if d, _ := b.Wait(ctx, "other"); d != 0 {
		t.Fatal("another key waits too")
	}
}

func TestSlowedCarriesRetryAfter(t *testing.T) {
	err := throttle.Slowed("error.login_wait", 1500*time.Millisecond)
	if got := throttle.RetryAfter(err); got != 2 {
		t.Fatalf("RetryAfter = %d, want 2 (rounded up)", got)
	}
	if throttle.RetryAfter(errs.New(errs.Unauthorized, "")) != 0 {
		t.Fatal("an error that asks no wait has a Retry-After")
	}
}
