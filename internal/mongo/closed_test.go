package mongo

import (
	"context"
	"errors"
	"testing"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/storetest"
)

// After Close every call answers an error, none panics; those a login and
// the rate limits use name the closed store.
func TestClosedStoreAnswersAnError(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, storetest.FerretDBURI(t), AcceptFerretDBPool())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	named := map[string]func() error{
		"Ping":        func() error { return s.Ping(ctx) },
		"KVGet":       func() error { _, err := s.KVGet(ctx, "k", now); return err },
		"UserByEmail": func() error { _, err := s.UserByEmail(ctx, "an@example.vn"); return err },
		"CreateUser": func() error {
			return s.CreateUser(ctx, accounts.User{ID: "u1", Email: "an@example.vn", Name: "An", CreatedAt: now})
		},
		"CreateToken": func() error {
			return s.CreateToken(ctx, accounts.Token{Hash: "h", UserID: "u1", Kind: accounts.TokenSession, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
		},
		"KVSet": func() error { return s.KVSet(ctx, "k", []byte("v"), time.Time{}) },
		"KVIncr": func() error {
			_, err := s.KVIncr(ctx, "k", now, now.Add(time.Minute))
			return err
		},
	}
	for name, call := range named {
		if err := call(); !errors.Is(err, errs.ErrStoreClosed) {
			t.Errorf("%s after Close: %v, want %v", name, err, errs.ErrStoreClosed)
		}
	}
	others := map[string]func() error{
		"ListUsers":    func() error { _, _, err := s.ListUsers(ctx, accounts.UserQuery{Limit: 10}); return err },
		"ClaimMail":    func() error { _, err := s.ClaimMail(ctx, now, time.Minute, "c"); return err },
		"MarkMailSent": func() error { return s.MarkMailSent(ctx, "m", "c", now) },
	}
	for name, call := range others {
		if err := call(); !errors.Is(s.Unavailable(err), errs.ErrStoreClosed) {
			t.Errorf("%s after Close: %v, which Unavailable does not name the closed store", name, err)
		}
	}
}
