// Package clock is Sprout's one source of the current time. The app builds
// one clock from its configuration and hands it to every service and to the
// web layer, so that tests and rehearsals can set the time everything sees.
package clock

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock tells the time: UTC, to the millisecond, the precision both stores
// keep, so a time read back from a store equals the one written.
type Clock interface {
	Now() time.Time
}

// System is the machine's clock moved by Offset. A non-zero offset lets a
// rehearsal run the platform as if it were another day.
type System struct {
	Offset time.Duration
}

// Now reads the machine's clock.
func (s System) Now() time.Time { return round(time.Now().Add(s.Offset)) }

// Shifted is the machine's clock moved by an offset that may change while
// it runs: time passes as usual, and a test can jump ahead.
type Shifted struct{ offset atomic.Int64 }

// NewShifted returns the machine's clock moved by offset.
func NewShifted(offset time.Duration) *Shifted {
	s := &Shifted{}
	s.offset.Store(int64(offset))
	return s
}

// Now reads the machine's clock and adds the offset.
func (s *Shifted) Now() time.Time { return round(time.Now().Add(time.Duration(s.offset.Load()))) }

// Advance moves the clock by d and returns the new time.
func (s *Shifted) Advance(d time.Duration) time.Time {
	s.offset.Add(int64(d))
	return s.Now()
}

// Manual is a clock that moves only when told to; tests set it.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual returns a clock standing at t.
func NewManual(t time.Time) *Manual { return &Manual{t: round(t)} }

// Now returns the time the clock stands at.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.t = round(t)
	m.mu.Unlock()
}

// Advance moves the clock by d and returns the new time.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = round(m.t.Add(d))
	return m.t
}

func round(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }
