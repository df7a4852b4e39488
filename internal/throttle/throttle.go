// Package throttle counts failures per key in fixed windows kept in the
// store, so every instance sees the same counts.
package throttle

import (
	"context"
	"strconv"
	"time"

	"sprout/internal/kv"
)

// Limiter blocks a key once it reached Max failures in the current window.
type Limiter struct {
	Store  kv.Store
	Prefix string
	Max    int
	Window time.Duration
	Now    func() time.Time
}

func (l Limiter) key(k string, now time.Time) (string, time.Time) {
	start := now.Truncate(l.Window)
	return l.Prefix + ":" + k + ":" + strconv.FormatInt(start.Unix(), 10), start.Add(l.Window)
}

func (l Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Blocked tells whether key has used up its failures in this window.
func (l Limiter) Blocked(ctx context.Context, key string) (bool, error) {
	now := l.now()
	k, _ := l.key(key, now)
	n, err := l.Store.KVCount(ctx, k, now)
	return n >= int64(l.Max), err
}

// Fail records one failure for key and returns the count in this window.
func (l Limiter) Fail(ctx context.Context, key string) (int64, error) {
	now := l.now()
	k, end := l.key(key, now)
	return l.Store.KVIncr(ctx, k, now, end)
}

// Reset forgets the failures of key in this window.
func (l Limiter) Reset(ctx context.Context, key string) error {
	k, _ := l.key(key, l.now())
	return l.Store.KVDelete(ctx, k)
}
