// Package throttle counts actions and failures per key in the store, so
// every instance sees the same counts, and tells a caller over its limit
// when to come back.
package throttle

import (
	"context"
	"strconv"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
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

// wait is how long until one more count fits, given the current window's
// count cur: the previous window's count drops out at this window's end,
// this one's a window later.
func (l Limiter) wait(cur int64, now time.Time) time.Duration {
	d := now.Truncate(l.Window).Add(l.Window).Sub(now)
	if cur >= int64(l.Max) {
		d += l.Window
	}
	return d
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

// Take counts one action of key and tells how long key must wait when the
// action is over the limit (0 when allowed). The count is the store's
// atomic increment, so instances sharing the store never let more through
// than Max between them.
func (l Limiter) Take(ctx context.Context, key string) (time.Duration, error) {
	now := l.Clock.Now()
	cur, err := l.Fail(ctx, key)
	if err != nil {
		return 0, err
	}
	k, _ := l.key(key, now.Add(-l.Window))
	prev, err := l.Store.KVCount(ctx, k, now)
	if err != nil || cur+prev <= int64(l.Max) {
		return 0, err
	}
	return l.wait(cur, now), nil
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

// Slowed is the error asking a caller to come back after d; the message
// msgID says when through {{.Seconds}}.
func Slowed(msgID string, d time.Duration) *errs.Error {
	return &errs.Error{Kind: errs.RateLimited, MsgID: msgID, Data: map[string]any{"Seconds": seconds(d)}}
}

// RetryAfter is the number of seconds a Slowed error asks to wait; 0 for
// any other error.
func RetryAfter(err error) int {
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.RateLimited {
		return 0
	}
	s, _ := e.Data["Seconds"].(int)
	return s
}

// seconds rounds d up, so that a client coming back on time is let in.
func seconds(d time.Duration) int {
	return max(int((d+time.Second-1)/time.Second), 1)
}
