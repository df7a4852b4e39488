package sqlite

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"sprout/internal/keys"
)

var _ keys.Store = (*Store)(nil)

func (s *Store) CreateKey(ctx context.Context, k keys.Key) error {
	_, err := s.exec(ctx, `INSERT INTO signing_keys (id, seed, created_at, retired_at) VALUES (?, ?, ?, ?)`,
		k.ID, k.Private.Seed(), ms(k.CreatedAt), ms(k.RetiredAt))
	return translate(err)
}

func (s *Store) ListKeys(ctx context.Context) ([]keys.Key, error) {
	rows, err := s.rows(ctx, `SELECT id, seed, created_at, retired_at FROM signing_keys ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []keys.Key
	for rows.Next() {
		var k keys.Key
		var seed []byte
		var created, retired int64
		if err := rows.Scan(&k.ID, &seed, &created, &retired); err != nil {
			return nil, err
		}
		if len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("sqlite: signing key %s: seed of %d bytes", k.ID, len(seed))
		}
		k.Private, k.CreatedAt, k.RetiredAt = ed25519.NewKeyFromSeed(seed), fromMs(created), fromMs(retired)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RetireKey keeps the first retirement time when called again.
func (s *Store) RetireKey(ctx context.Context, id string, at time.Time) error {
	return affected(s.exec(ctx, `UPDATE signing_keys SET retired_at = CASE WHEN retired_at = 0 THEN ? ELSE retired_at END WHERE id = ?`,
		ms(at), id))
}
