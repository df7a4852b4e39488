package throttle_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sprout/internal/clock"
	"sprout/internal/sqlite"
	"sprout/internal/throttle"
)

func TestLimiterAcrossWindows(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	clk := clock.NewManual(time.Now())
	l := throttle.Limiter{Store: s, Prefix: "login", Max: 3, Window: 15 * time.Minute, Clock: clk}
	blocked := func() bool {
		t.Helper()
		b, err := l.Blocked(ctx, "1.2.3.4")
		if err != nil {
			t.Fatal(err)
		}
		return b
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
	if b, _ := l.Blocked(ctx, "5.6.7.8"); b {
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
