package clock_test

import (
	"testing"
	"time"

	"sprout/internal/clock"
)

func TestSystemClockIsMovedByItsOffset(t *testing.T) {
	year := 365 * 24 * time.Hour
	before := time.Now()
	got := clock.System{Offset: year}.Now()
	if got.Before(before.Add(year).Add(-time.Millisecond)) || got.After(time.Now().Add(year)) {
		t.Fatalf("clock a year ahead read %v, real time %v", got, before)
	}
	if got.Location() != time.UTC || got.Nanosecond()%int(time.Millisecond) != 0 {
		t.Fatalf("clock read %v: want UTC to the millisecond", got)
	}
}

func TestManualClockMovesOnlyWhenTold(t *testing.T) {
	start := time.Now().Add(1234567 * time.Nanosecond)
	c := clock.NewManual(start)
	if !c.Now().Equal(start.Truncate(time.Millisecond)) || !c.Now().Equal(c.Now()) {
		t.Fatalf("manual clock at %v, want %v", c.Now(), start)
	}
	if got := c.Advance(time.Hour); !got.Equal(start.Truncate(time.Millisecond).Add(time.Hour)) || !c.Now().Equal(got) {
		t.Fatalf("advanced to %v", got)
	}
	c.Set(start.Add(-48 * time.Hour))
	if !c.Now().Equal(start.Add(-48 * time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("set to %v", c.Now())
	}
}

func TestShiftedClockRunsAndJumps(t *testing.T) {
	c := clock.NewShifted(-time.Hour)
	first := c.Now()
	if d := time.Since(first); d < time.Hour-time.Second || d > time.Hour+time.Second {
		t.Fatalf("an hour behind read %v, real time %v", first, time.Now())
	}
	time.Sleep(5 * time.Millisecond)
	if !c.Now().After(first) {
		t.Fatal("a shifted clock stood still")
	}
	if got := c.Advance(48 * time.Hour); got.Sub(first) < 47*time.Hour || got.Sub(first) > 48*time.Hour+time.Second {
		t.Fatalf("advancing two days moved from %v to %v", first, got)
	}
}
