// Package kv is a small expiring key-value store kept in the main store, so
// state that several instances must share (CSRF tokens, rate-limit counters)
// never lives in one process's memory.
package kv

import (
	"context"
	"time"
)

// Store is implemented by both store adapters. A zero expiresAt never
// expires; an expired key reads as errs.NotFound.
type Store interface {
	KVGet(ctx context.Context, key string, now time.Time) ([]byte, error)
	KVSet(ctx context.Context, key string, val []byte, expiresAt time.Time) error
	KVDelete(ctx context.Context, key string) error
	// KVIncr adds one to the counter of key atomically, starting it at one
	// with expiresAt when missing or expired at now, and returns the count.
	KVIncr(ctx context.Context, key string, now, expiresAt time.Time) (int64, error)
	// KVCount reads a counter; a missing or expired one is 0.
	KVCount(ctx context.Context, key string, now time.Time) (int64, error)
	KVDeleteExpired(ctx context.Context, now time.Time) (int, error)
}

// A Charge counts one action against an allowance in the same store step
// as the action, so the count holds across instances without a write of
// its own. The step fails with errs.RateLimited, writing nothing, when the
// allowance is spent; a step that fails for another reason counts nothing.
// Key names the allowance and its window, which ends at Until; Now is the
// time the step runs at.
type Charge struct {
	Key        string
	Max        int64
	Now, Until time.Time
}
