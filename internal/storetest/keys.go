package storetest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/keys"
)

// KeysStore is what the signing keys need from an adapter.
type KeysStore interface{ keys.Store }

// RunKeys runs the signing-key behaviour; open must return a new empty
// store each call.
func RunKeys(t *testing.T, open func(t *testing.T) KeysStore) {
	t.Run("Keys", func(t *testing.T) { testKeys(t, open(t)) })
	t.Run("CreateKeyOnce", func(t *testing.T) { testCreateKeyOnce(t, open(t)) })
	t.Run("RingsShareKeys", func(t *testing.T) { testRingsShareKeys(t, open(t)) })
}

func newKey(t *testing.T, id string, created time.Time) keys.Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return keys.Key{ID: id, Private: priv, CreatedAt: created}
}

func testKeys(t *testing.T, s KeysStore) {
	ctx := context.Background()
	if ks, err := s.ListKeys(ctx); err != nil || len(ks) != 0 {
		t.Fatalf("ListKeys on an empty store = %v, %v", ks, err)
	}
	made := []keys.Key{
		newKey(t, "k1", t0),
		newKey(t, "k3", t0.Add(2*time.Hour)),
		newKey(t, "k2", t0.Add(time.Hour)),
	}
	for _, k := range made {
		if err := s.CreateKey(ctx, k); err != nil {
			t.Fatalf("CreateKey(%s): %v", k.ID, err)
		}
	}
	err := s.CreateKey(ctx, newKey(t, "k2", t0.Add(3*time.Hour)))
	wantKind(t, err, errs.Conflict, "CreateKey with a taken id")

	ks, err := s.ListKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 3 || ks[0].ID != "k3" || ks[1].ID != "k2" || ks[2].ID != "k1" {
		t.Fatalf("ListKeys = %v, want k3, k2, k1 (newest first)", keyIDs(ks))
	}
	byID := map[string]keys.Key{}
	for _, k := range made {
		byID[k.ID] = k
	}
	for _, got := range ks {
		want := byID[got.ID]
		if !got.CreatedAt.Equal(want.CreatedAt) || !got.RetiredAt.IsZero() {
			t.Fatalf("key %s read back created %v retired %v, want created %v and not retired", got.ID, got.CreatedAt, got.RetiredAt, want.CreatedAt)
		}
		msg := []byte("a ticket")
		if !got.Private.Equal(want.Private) || !ed25519.Verify(want.Public(), msg, ed25519.Sign(got.Private, msg)) {
			t.Fatalf("key %s read back is not the key stored", got.ID)
		}
	}

	retired := t0.Add(5 * time.Hour)
	if err := s.RetireKey(ctx, "k1", retired); err != nil {
		t.Fatalf("RetireKey: %v", err)
	}
	if err := s.RetireKey(ctx, "k1", retired.Add(time.Hour)); err != nil {
		t.Fatalf("RetireKey of a retired key: %v", err)
	}
	err = s.RetireKey(ctx, "nope", retired)
	wantKind(t, err, errs.NotFound, "RetireKey of an unknown key")
	ks, err = s.ListKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 3 || ks[2].ID != "k1" {
		t.Fatalf("after RetireKey ListKeys = %v, want all three, retired ones included", keyIDs(ks))
	}
	if !ks[2].RetiredAt.Equal(retired) {
		t.Fatalf("k1 retired at %v, want the first retirement %v", ks[2].RetiredAt, retired)
	}
	if !ks[0].RetiredAt.IsZero() || !ks[1].RetiredAt.IsZero() {
		t.Fatal("RetireKey retired other keys as well")
	}
}

func testCreateKeyOnce(t *testing.T, s KeysStore) {
	ctx := context.Background()
	const n = 10
	var wg sync.WaitGroup
	errc := make(chan error, n)
	for range n {
		k := newKey(t, "same", t0)
		wg.Go(func() { errc <- s.CreateKey(ctx, k) })
	}
	wg.Wait()
	close(errc)
	ok := 0
	for err := range errc {
		switch {
		case err == nil:
			ok++
		case errs.KindOf(err) != errs.Conflict:
			t.Fatalf("a losing CreateKey: %v, want conflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent CreateKey with one id succeeded, want exactly 1", ok)
	}
	if ks, err := s.ListKeys(ctx); err != nil || len(ks) != 1 {
		t.Fatalf("ListKeys = %v, %v; want the one key", keyIDs(ks), err)
	}
}

// testRingsShareKeys is two instances on one store: what one signs, the
// other verifies, and both sign with the same key.
func testRingsShareKeys(t *testing.T, s KeysStore) {
	ctx := context.Background()
	clk := clock.NewManual(t0)
	a, b := keys.NewRing(s, clk), keys.NewRing(s, clk)
	claims := keys.Claims{TicketID: "t1", EventID: "e1", TicketTypeID: "tt1", ExpiresAt: clk.Now().Add(time.Hour)}
	tok, kid, err := a.Sign(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Verify(ctx, tok)
	if err != nil || got.TicketID != "t1" {
		t.Fatalf("the other instance's Verify = %+v, %v", got, err)
	}
	if _, kid2, err := b.Sign(ctx, claims); err != nil || kid2 != kid {
		t.Fatalf("the other instance signs with %q (%v), want the shared %q", kid2, err, kid)
	}
	rotated, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok2, kid3, err := a.Sign(ctx, claims)
	if err != nil || kid3 != rotated.ID {
		t.Fatalf("after Rotate: kid %q, %v; want %q", kid3, err, rotated.ID)
	}
	for _, tk := range []string{tok, tok2} {
		if _, err := b.Verify(ctx, tk); err != nil {
			t.Fatalf("after rotation the other instance refuses a token: %v", err)
		}
	}
	if _, err := b.Verify(ctx, tok+"x"); !errors.Is(err, keys.ErrInvalid) {
		t.Fatalf("a damaged token: %v, want ErrInvalid", err)
	}
}

func keyIDs(ks []keys.Key) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.ID
	}
	return out
}
