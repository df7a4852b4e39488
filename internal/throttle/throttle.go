// Package throttle counts failures per key in fixed windows kept in the
// store, so every instance sees the same counts.
package throttle

import (
	"context"
	"strconv"
	"time"

	"sprout/internal/clock"
	"sprout/internal/kv"
)

// Limiter blocks a key once it reached Max failures in the current window
// and the one before it together, so a run of failures that straddles a
// window's end is still counted whole.
type Limiter struct {
	Store  kv.Store
	Prefix string
	Max    int
	Window time.Duration
	Clock  clock.Clock
}

func (l Limiter) key(k string, now time.Time) (string, time.Time) {
	start := now.Truncate(l.Window)
	return l.Prefix + ":" + k + ":" + strconv.FormatInt(start.Unix(), 10), start.Add(2 * l.Window)
}

// Blocked tells whether key has used up its failures in this window.
func (l Limiter) Blocked(ctx context.Context, key string) (bool, error) {
	now := l.Clock.Now()
	cur, _ := l.key(key, now)
	prev, _ := l.key(key, now.Add(-l.Window))
	var total int64
	for _, k := range []string{cur, prev} {
		n, err := l.Store.KVCount(ctx, k, now)
		if err != nil {
			return false, err
		}
		total += n
	}
	return total >= int64(l.Max), nil
}

// Fail records one failure for key and returns the count in this window.
func (l Limiter) Fail(ctx context.Context, key string) (int64, error) {
	now := l.Clock.Now()
	k, end := l.key(key, now)
	return l.Store.KVIncr(ctx, k, now, end)
}

// Reset forgets the failures of key.
func (l Limiter) Reset(ctx context.Context, key string) error {
	now := l.Clock.Now()
	for _, at := range []time.Time{now, now.Add(-l.Window)} {
		k, _ := l.key(key, at)
		if err := l.Store.KVDelete(ctx, k); err != nil {
			return err
		}
	}
	return nil
}
