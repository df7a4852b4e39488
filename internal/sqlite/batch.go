package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sprout/internal/errs"
)

// maxBatch bounds how many transactions share one commit.
const maxBatch = 128

// job is one transaction waiting for the writer.
type job struct {
	fn   func(*sql.Tx) error
	done chan error
}

// tx runs fn as a transaction of its own. Transactions arriving while the
// writer is busy are run together, each inside a savepoint, and committed
// at once: a commit costs more than the work it ends, so under a rush of
// registrations this multiplies what the single writer can do. A caller
// hears back only after the commit, so an answered write is durable.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	j := job{fn: fn, done: make(chan error, 1)}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errs.ErrStoreClosed
	}
	select {
	case s.jobs <- j:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()
	return s.unavailable(<-j.done)
}

// writer runs queued transactions until the queue is closed.
func (s *Store) writer() {
	defer close(s.writerDone)
	var lastLook time.Time
	for j := range s.jobs {
		batch := []job{j}
	gather:
		for len(batch) < maxBatch {
			select {
			case next, ok := <-s.jobs:
				if !ok {
					break gather
				}
				batch = append(batch, next)
			default:
				break gather
			}
		}
		s.runBatch(batch)
		if time.Since(lastLook) > walLookEvery {
			lastLook = time.Now()
			s.lookAtWAL()
		}
		if s.walLong.Load() {
			s.restartWAL()
		}
	}
}

// walLookEvery is how often the writer looks at the WAL's size between
// batches.
const walLookEvery = 50 * time.Millisecond

func (s *Store) runBatch(batch []job) {
	ctx := context.Background()
	failed := make([]error, len(batch))
	err := s.directTx(ctx, func(tx *sql.Tx) error {
		if len(batch) == 1 {
			failed[0] = batch[0].fn(tx)
			return failed[0]
		}
		for i, j := range batch {
			if _, err := s.txExec(ctx, tx, "SAVEPOINT job"); err != nil {
				return err
			}
			if failed[i] = j.fn(tx); failed[i] != nil {
				if _, err := s.txExec(ctx, tx, "ROLLBACK TO job"); err != nil {
					return err
				}
			}
			if _, err := s.txExec(ctx, tx, "RELEASE job"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		// Out of space, SQLite may have rolled the whole transaction back,
		// and what failed next hides why: every job hears the real cause.
		for _, e := range failed {
			if isFull(e) {
				err = e
				break
			}
		}
	}
	for i, j := range batch {
		switch {
		case len(batch) == 1:
			j.done <- err
		case err != nil:
			j.done <- fmt.Errorf("sqlite: commit: %w", err)
		default:
			j.done <- failed[i]
		}
	}
}

// directTx runs fn in a transaction on the writer connection now; only
// the writer goroutine and migrations, which run before it starts, use it.
func (s *Store) directTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	err = fn(tx)
	if err != nil {
		tx.Rollback()
	} else {
		err = tx.Commit()
	}
	s.ws.prepareWanted(ctx)
	return err
}
