// Package throttle counts actions and failures per key in the store, so
// every instance sees the same counts, and tells a caller over its limit
// when to come back.
package throttle

import (
	"context"
	"errors"
	"strconv"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/kv"
)

// Limiter allows a key Max counts in the current window and the one before
// it together, so a run that straddles a window's end is still counted
// whole.
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

// counts reads the counts of key in the current and the previous window.
func (l Limiter) counts(ctx context.Context, key string, now time.Time) (cur, prev int64, err error) {
	k, _ := l.key(key, now)
	if cur, err = l.Store.KVCount(ctx, k, now); err != nil {
		return 0, 0, err
	}
	k, _ = l.key(key, now.Add(-l.Window))
	prev, err = l.Store.KVCount(ctx, k, now)
	return cur, prev, err
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

// Wait is how long key must wait before its next try: 0 while it has
// counts left.
func (l Limiter) Wait(ctx context.Context, key string) (time.Duration, error) {
	now := l.Clock.Now()
	cur, prev, err := l.counts(ctx, key, now)
	if err != nil || cur+prev < int64(l.Max) {
		return 0, err
	}
	return l.wait(cur, now), nil
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

// Reset forgets the counts of key.
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

// Backoff slows a key down instead of shutting it out: from its Max-th
// failure on, each failure makes the key wait, First at first and twice as
// long each time, never longer than Longest. Failures are forgotten Window
// after the first.
type Backoff struct {
	Store   kv.Store
	Prefix  string
	Max     int
	First   time.Duration
	Longest time.Duration
	Window  time.Duration
	Clock   clock.Clock
}

func (b Backoff) waitKey(key string) string { return b.Prefix + ":wait:" + key }

// Wait is how long key must wait before its next try; 0 when it may try.
func (b Backoff) Wait(ctx context.Context, key string) (time.Duration, error) {
	now := b.Clock.Now()
	v, err := b.Store.KVGet(ctx, b.waitKey(key), now)
	if errors.Is(err, errs.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	until, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, err
	}
	return max(time.Unix(0, until).Sub(now), 0), nil
}

// Fail records one failure for key and sets the wait it earns.
func (b Backoff) Fail(ctx context.Context, key string) error {
	now := b.Clock.Now()
	n, err := b.Store.KVIncr(ctx, b.Prefix+":"+key, now, now.Add(b.Window))
	if err != nil || n < int64(b.Max) {
		return err
	}
	d := b.Longest
	if over := n - int64(b.Max); over < 32 {
		d = min(b.First<<over, b.Longest)
	}
	until := now.Add(d)
	return b.Store.KVSet(ctx, b.waitKey(key), []byte(strconv.FormatInt(until.UnixNano(), 10)), until)
}

// Slowed is the error asking a caller to come back after d; the message
// msgID says when through {{.Seconds}}.
func Slowed(msgID string, d time.Duration) *errs.Error {
	s := seconds(d)
	// Past two minutes people count in minutes: msgID_minutes says how
	// many, rounded up.
	if s >= 120 {
		return &errs.Error{Kind: errs.RateLimited, MsgID: msgID + "_minutes", Data: map[string]any{"Seconds": s, "Minutes": (s + 59) / 60}}
	}
	return &errs.Error{Kind: errs.RateLimited, MsgID: msgID, Data: map[string]any{"Seconds": s}}
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
