// Package storetest is the behaviour every store adapter must have. Each
// adapter's tests call Run with a function that opens a fresh, empty store.
package storetest

import (
	"context"
	"testing"

	"sprout/internal/accounts"
	"sprout/internal/kv"
	"sprout/internal/mail"
)

// Store is everything an adapter implements.
type Store interface {
	accounts.Store
	kv.Store
	mail.Store
	Ping(ctx context.Context) error
	Close() error
}

// Run runs the whole suite; open must return a new empty store each call.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("Ping", func(t *testing.T) { testPing(t, open(t)) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("UserSearch", func(t *testing.T) { testUserSearch(t, open(t)) })
	t.Run("Roles", func(t *testing.T) { testRoles(t, open(t)) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open(t)) })
	t.Run("ResetPasswordOnce", func(t *testing.T) { testResetPasswordOnce(t, open(t)) })
	t.Run("UsersDeactivate", func(t *testing.T) { testUsersDeactivate(t, open(t)) })
	t.Run("UsersSignIn", func(t *testing.T) { testUsersSignIn(t, open(t)) })
	t.Run("KV", func(t *testing.T) { testKV(t, open(t)) })
	t.Run("KVIncrConcurrent", func(t *testing.T) { testKVIncrConcurrent(t, open(t)) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open(t)) })
	t.Run("OutboxClaimOnce", func(t *testing.T) { testOutboxClaimOnce(t, open(t)) })
	t.Run("PruneMail", func(t *testing.T) { testPruneMail(t, open(t)) })
}

func testPing(t *testing.T, s Store) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
