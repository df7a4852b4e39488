package sqlite

import (
	"context"
	"database/sql"
	"time"

	"sprout/internal/errs"
	"sprout/internal/kv"
)

var _ kv.Store = (*Store)(nil)

func (s *Store) KVGet(ctx context.Context, key string, now time.Time) ([]byte, error) {
	var v []byte
	var counter bool
	err := s.row(ctx, `SELECT value, value IS NULL FROM kv WHERE key = ? AND (expires_at = 0 OR expires_at > ?)`,
		key, ms(now)).Scan(&v, &counter)
	if err != nil {
		return nil, translate(err)
	}
	if counter {
		return nil, errs.ErrNotFound
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

func (s *Store) KVSet(ctx context.Context, key string, val []byte, expiresAt time.Time) error {
	if val == nil {
		val = []byte{}
	}
	_, err := s.exec(ctx, `INSERT INTO kv (key, value, n, expires_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, n = 0, expires_at = excluded.expires_at`, key, val, ms(expiresAt))
	return err
}

func (s *Store) KVDelete(ctx context.Context, key string) error {
	_, err := s.exec(ctx, `DELETE FROM kv WHERE key = ?`, key)
	return err
}

// incrSQL adds one to a counter, starting it over when it expired.
const incrSQL = `INSERT INTO kv (key, n, expires_at) VALUES (?1, 1, ?2)
	ON CONFLICT (key) DO UPDATE SET
		value = CASE WHEN expires_at > 0 AND expires_at <= ?3 THEN NULL ELSE value END,
		n = CASE WHEN expires_at > 0 AND expires_at <= ?3 THEN 1 ELSE n + 1 END,
		expires_at = CASE WHEN expires_at > 0 AND expires_at <= ?3 THEN excluded.expires_at ELSE expires_at END
	RETURNING n`

func (s *Store) KVIncr(ctx context.Context, key string, now, expiresAt time.Time) (int64, error) {
	var n int64
	err := s.wrow(ctx, incrSQL, key, ms(expiresAt), ms(now)).Scan(&n)
	return n, err
}

// charge counts c inside tx: over the allowance, the caller's transaction
// (or savepoint) rolls back, the count with it.
func (s *Store) charge(ctx context.Context, tx *sql.Tx, c kv.Charge) error {
	var n int64
	if err := s.txRow(ctx, tx, incrSQL, c.Key, ms(c.Until), ms(c.Now)).Scan(&n); err != nil {
		return err
	}
	if n > c.Max {
		return errs.ErrRateLimited
	}
	return nil
}

func (s *Store) KVCount(ctx context.Context, key string, now time.Time) (int64, error) {
	var n int64
	err := s.row(ctx, `SELECT n FROM kv WHERE key = ? AND (expires_at = 0 OR expires_at > ?)`, key, ms(now)).Scan(&n)
	if err := translate(err); err != nil && err != errs.ErrNotFound {
		return 0, err
	}
	return n, nil
}

func (s *Store) KVDeleteExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM kv WHERE expires_at > 0 AND expires_at <= ?`, ms(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
