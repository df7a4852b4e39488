// Package keys holds the Ed25519 keys that sign tickets: kept in the store
// so every instance signs and verifies alike, published as a JWKS.
package keys

import (
	"context"
	"crypto/ed25519"
	"time"
)

// Key is one signing key. The newest key that is not retired signs new
// tickets; every key not retired verifies.
type Key struct {
	ID        string
	Private   ed25519.PrivateKey
	CreatedAt time.Time
	RetiredAt time.Time
}

// Public is the key's public half.
func (k Key) Public() ed25519.PublicKey { return k.Private.Public().(ed25519.PublicKey) }

// Store keeps the keys.
type Store interface {
	CreateKey(ctx context.Context, k Key) error
	// ListKeys returns every key, newest first.
	ListKeys(ctx context.Context) ([]Key, error)
	RetireKey(ctx context.Context, id string, at time.Time) error
}
