package keys_test

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/keys"
)

// memStore keeps keys in memory and counts reads, to show what is cached.
type memStore struct {
	mu    sync.Mutex
	keys  []keys.Key
	lists int
	fail  error
}

func (m *memStore) CreateKey(_ context.Context, k keys.Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.keys {
		if o.ID == k.ID {
			return errs.ErrConflict
		}
	}
	m.keys = append(m.keys, k)
	return nil
}

func (m *memStore) ListKeys(context.Context) ([]keys.Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lists++
	if m.fail != nil {
		return nil, m.fail
	}
	out := slices.Clone(m.keys)
	slices.SortFunc(out, func(a, b keys.Key) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}

func (m *memStore) RetireKey(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.keys {
		if m.keys[i].ID == id {
			m.keys[i].RetiredAt = at
			return nil
		}
	}
	return errs.ErrNotFound
}

func (m *memStore) reads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lists
}

// newClock is a settable time shared by the rings of a test.
func newClock() *clock.Manual { return clock.NewManual(time.Now().Truncate(time.Second)) }

func newRing(s keys.Store, c *clock.Manual) *keys.Ring {
	return keys.NewRing(s, c)
}

var ctx = context.Background()

// ticket is a ticket valid from an hour before until a day after now.
func ticket(c *clock.Manual) keys.Claims {
	return keys.Claims{
		TicketID: "01jd3m5x8q0000000000000000", EventID: "01jd3m5x8q0000000000000001", TicketTypeID: "01jd3m5x8q0000000000000002",
		NotBefore: c.Now().Add(-time.Hour), ExpiresAt: c.Now().Add(24 * time.Hour),
	}
}

func mustSign(t *testing.T, r *keys.Ring, c keys.Claims) (string, string) {
	t.Helper()
	tok, kid, err := r.Sign(ctx, c)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return tok, kid
}

func b64(v []byte) string { return base64.RawURLEncoding.EncodeToString(v) }

func b64json(t *testing.T, v any) string {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b64(j)
}

func decodeSegment(t *testing.T, s string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSignAndVerify(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	want := ticket(c)
	tok, kid, err := r.Sign(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", tok)
	}
	header := decodeSegment(t, parts[0])
	if len(header) != 2 || header["alg"] != "EdDSA" || header["kid"] != kid {
		t.Fatalf("header = %v, want exactly alg EdDSA and kid %q", header, kid)
	}
	payload := decodeSegment(t, parts[1])
	for _, name := range []string{"sub", "evt", "tt", "iat", "nbf", "exp"} {
		if _, ok := payload[name]; !ok {
			t.Errorf("payload lacks %s: %v", name, payload)
		}
	}
	if len(payload) != 6 {
		t.Errorf("payload carries more than the ticket's references: %v", payload)
	}
	// Three 26-character ids, three times and the signature: anything
	// beyond that makes the QR code denser and slower to scan at a gate.
	if len(tok) > 350 {
		t.Errorf("token is %d characters: %s", len(tok), tok)
	}

	got, err := r.Verify(ctx, tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got.TicketID != want.TicketID || got.EventID != want.EventID || got.TicketTypeID != want.TicketTypeID ||
		!got.ExpiresAt.Equal(want.ExpiresAt) || !got.NotBefore.Equal(want.NotBefore) || !got.IssuedAt.Equal(c.Now()) {
		t.Fatalf("Verify = %+v, want %+v issued now", got, want)
	}
}

func TestSignNeedsTicketAndExpiry(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	if _, _, err := r.Sign(ctx, keys.Claims{TicketID: "t1"}); err == nil {
		t.Error("signed a token that never expires")
	}
	if _, _, err := r.Sign(ctx, keys.Claims{ExpiresAt: c.Now().Add(time.Hour)}); err == nil {
		t.Error("signed a token for no ticket")
	}
}

func TestFirstKeyIsMadeOnceOnFirstNeed(t *testing.T) {
	c := newClock()
	s := &memStore{}
	r := newRing(s, c)
	var wg sync.WaitGroup
	kids := make([]string, 20)
	for i := range kids {
		wg.Go(func() {
			_, kid, err := r.Sign(ctx, ticket(c))
			if err != nil {
				t.Error(err)
			}
			kids[i] = kid
		})
	}
	wg.Wait()
	if len(s.keys) != 1 {
		t.Fatalf("%d keys made by concurrent first signatures, want 1", len(s.keys))
	}
	for _, kid := range kids {
		if kid != s.keys[0].ID {
			t.Fatalf("signed with %q, want the one key %q", kid, s.keys[0].ID)
		}
	}
	if kid := s.keys[0].ID; len(kid) < 10 || len(kid) > 16 || strings.Trim(kid, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		t.Errorf("kid %q is not a short lower-case base32 string", kid)
	}
}

func TestTimes(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	now := c.Now()
	for _, tc := range []struct {
		name     string
		nbf, exp time.Duration
		want     error
	}{
		{"valid", -time.Hour, time.Hour, nil},
		{"expired", -2 * time.Hour, -time.Minute, keys.ErrExpired},
		{"expired a moment ago, within the leeway", -2 * time.Hour, -20 * time.Second, nil},
		{"not yet valid", time.Hour, 2 * time.Hour, keys.ErrNotYetValid},
		{"valid in a moment, within the leeway", 20 * time.Second, time.Hour, nil},
	} {
		cl := ticket(c)
		cl.NotBefore, cl.ExpiresAt = now.Add(tc.nbf), now.Add(tc.exp)
		tok, _ := mustSign(t, r, cl)
		got, err := r.Verify(ctx, tok)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify error %v, want %v", tc.name, err, tc.want)
			continue
		}
		if errors.Is(err, keys.ErrInvalid) {
			t.Errorf("%s: a time problem reported as invalid: %v", tc.name, err)
		}
		if got.TicketID != cl.TicketID || !got.ExpiresAt.Equal(cl.ExpiresAt) {
			t.Errorf("%s: the gate gets claims %+v, want the ticket's", tc.name, got)
		}
	}
}

// forge builds a token by hand: header and payload as given, signed by sign.
func forge(t *testing.T, header, payload map[string]any, sign func(input string) []byte) string {
	t.Helper()
	input := b64json(t, header) + "." + b64json(t, payload)
	return input + "." + b64(sign(input))
}

func wantInvalid(t *testing.T, r *keys.Ring, tok, what string) {
	t.Helper()
	got, err := r.Verify(ctx, tok)
	if !errors.Is(err, keys.ErrInvalid) {
		t.Errorf("%s: Verify = %+v, %v; want ErrInvalid", what, got, err)
	}
	if errors.Is(err, keys.ErrUnreadable) {
		t.Errorf("%s: a token that reads well called unreadable: %v", what, err)
	}
	if got != (keys.Claims{}) {
		t.Errorf("%s: Verify returned claims %+v with a refusal", what, got)
	}
}

func TestVerifyRefusesForgeries(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	good, kid := mustSign(t, r, ticket(c))
	parts := strings.Split(good, ".")
	payload := decodeSegment(t, parts[1])
	payload["sub"] = "someone-else"
	key, err := r.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public()

	wantInvalid(t, r, forge(t, map[string]any{"alg": "none", "kid": kid}, payload,
		func(string) []byte { return nil }), "alg none")
	wantInvalid(t, r, forge(t, map[string]any{"alg": "HS256", "kid": kid}, payload, func(in string) []byte {
		m := hmac.New(sha256.New, pub)
		m.Write([]byte(in))
		return m.Sum(nil)
	}), "HS256 keyed with the public key")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rs256 := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(payload))
	rs256.Header["kid"] = kid
	tok, err := rs256.SignedString(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, r, tok, "RS256")

	other, _ := mustSign(t, r, keys.Claims{TicketID: "another-ticket", ExpiresAt: c.Now().Add(time.Hour)})
	swapped := parts[0] + "." + strings.Split(other, ".")[1] + "." + parts[2]
	wantInvalid(t, r, swapped, "payload swapped under another token's signature")
	wantInvalid(t, r, parts[0]+"."+b64json(t, payload)+"."+parts[2], "payload edited")

	signWith := func(priv ed25519.PrivateKey) func(string) []byte {
		return func(in string) []byte { return ed25519.Sign(priv, []byte(in)) }
	}
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	wantInvalid(t, r, forge(t, map[string]any{"alg": "EdDSA", "kid": "unknown"}, payload, signWith(stranger)), "unknown kid")
	wantInvalid(t, r, forge(t, map[string]any{"alg": "EdDSA", "kid": kid}, payload, signWith(stranger)), "a stranger's key under our kid")
	wantInvalid(t, r, forge(t, map[string]any{"alg": "EdDSA"}, payload, signWith(key.Private)), "no kid")
	wantInvalid(t, r, forge(t, map[string]any{"alg": "EdDSA", "kid": 7}, payload, signWith(key.Private)), "a kid that is not a string")
	wantInvalid(t, r, forge(t, map[string]any{"alg": "EdDSA", "kid": kid}, map[string]any{"exp": payload["exp"]}, signWith(key.Private)), "no sub")
	wantInvalid(t, r, forge(t, map[string]any{"alg": "EdDSA", "kid": kid}, map[string]any{"sub": "t1"}, signWith(key.Private)), "no exp")
	for _, torn := range []string{good + "x", strings.TrimSuffix(good, parts[2])} {
		if got, err := r.Verify(ctx, torn); !errors.Is(err, keys.ErrInvalid) || got != (keys.Claims{}) {
			t.Errorf("torn %q: Verify = %+v, %v; want ErrInvalid", torn, got, err)
		}
	}
	// A code that is no JWS at all is unreadable as well as invalid.
	for _, junk := range []string{"", "abc", "a.b.c", "https://example.vn/khuyen-mai", parts[0] + "." + parts[1] + ".@@"} {
		if got, err := r.Verify(ctx, junk); !errors.Is(err, keys.ErrInvalid) || !errors.Is(err, keys.ErrUnreadable) || got != (keys.Claims{}) {
			t.Errorf("malformed %q: Verify = %+v, %v; want ErrInvalid and ErrUnreadable", junk, got, err)
		}
	}
}

func TestUnknownKidReadsTheStoreOnce(t *testing.T) {
	c := newClock()
	s := &memStore{}
	r := newRing(s, c)
	mustSign(t, r, ticket(c))
	before := s.reads()
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	tok := forge(t, map[string]any{"alg": "EdDSA", "kid": "unknown"}, map[string]any{"sub": "t1", "exp": c.Now().Add(time.Hour).Unix()},
		func(in string) []byte { return ed25519.Sign(stranger, []byte(in)) })
	wantInvalid(t, r, tok, "unknown kid")
	if n := s.reads() - before; n != 1 {
		t.Fatalf("an unknown kid read the store %d times, want once", n)
	}
}

func TestVerifyReportsStoreFailure(t *testing.T) {
	c := newClock()
	s := &memStore{}
	r := keys.NewRing(s, c, keys.WithCacheTTL(time.Second))
	tok, _ := mustSign(t, r, ticket(c))
	c.Advance(2 * time.Second)
	down := errors.New("store down")
	s.fail = down
	if _, err := r.Verify(ctx, tok); !errors.Is(err, down) || errors.Is(err, keys.ErrInvalid) {
		t.Fatalf("Verify with the store down = %v; want the store's error, not a verdict on the ticket", err)
	}
}

func TestSigningUsesTheCache(t *testing.T) {
	c := newClock()
	s := &memStore{}
	r := newRing(s, c)
	tok, _ := mustSign(t, r, ticket(c))
	before := s.reads()
	for range 50 {
		mustSign(t, r, ticket(c))
		if _, err := r.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.reads() - before; n != 0 {
		t.Fatalf("50 signatures and verifications read the store %d times within the cache time", n)
	}
	c.Advance(keys.CacheTTL)
	mustSign(t, r, ticket(c))
	if n := s.reads() - before; n != 1 {
		t.Fatalf("after the cache time the keys were read %d times, want once", n)
	}
}

func TestRotation(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	oldTok, oldKid := mustSign(t, r, ticket(c))
	k, err := r.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == oldKid {
		t.Fatal("Rotate returned the old key")
	}
	newTok, newKid := mustSign(t, r, ticket(c))
	if newKid != k.ID {
		t.Fatalf("after Rotate tokens carry kid %q, want the new %q", newKid, k.ID)
	}
	for _, tok := range []string{oldTok, newTok} {
		if _, err := r.Verify(ctx, tok); err != nil {
			t.Fatalf("after rotation: %v", err)
		}
	}
	set, err := r.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || set.Keys[0].Kid != newKid || set.Keys[1].Kid != oldKid {
		t.Fatalf("JWKS = %+v, want the new key and the old one", set)
	}
}

func TestRotationSeenByAnotherInstance(t *testing.T) {
	c := newClock()
	s := &memStore{}
	ttl := 10 * time.Second
	a := keys.NewRing(s, c, keys.WithCacheTTL(ttl))
	b := keys.NewRing(s, c, keys.WithCacheTTL(ttl))
	_, first := mustSign(t, a, ticket(c))
	if _, kid := mustSign(t, b, ticket(c)); kid != first {
		t.Fatalf("instance b made its own key %q instead of using %q", kid, first)
	}

	rotated, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(ttl / 2)
	if _, kid := mustSign(t, b, ticket(c)); kid != first {
		t.Fatalf("within the cache time b signs with %q, want its cached %q", kid, first)
	}
	c.Advance(ttl / 2)
	if _, kid := mustSign(t, b, ticket(c)); kid != rotated.ID {
		t.Fatalf("after the cache time b signs with %q, want the rotated %q", kid, rotated.ID)
	}

	if _, err := a.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	tok, _ := mustSign(t, a, ticket(c))
	if _, err := b.Verify(ctx, tok); err != nil {
		t.Fatalf("b refused a token signed with the key a just made: %v", err)
	}
}

func TestJWKSVerifiesWithPlainEd25519(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	tok, kid := mustSign(t, r, ticket(c))
	set, err := r.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != 1 {
		t.Fatalf("JWKS %s, want one key", raw)
	}
	jwk := doc.Keys[0]
	for name, want := range map[string]string{"kty": "OKP", "crv": "Ed25519", "kid": kid, "alg": "EdDSA", "use": "sig"} {
		if jwk[name] != want {
			t.Errorf("JWK %s = %q, want %q", name, jwk[name], want)
		}
	}
	if len(jwk) != 6 {
		t.Errorf("JWK has unexpected members (a private part?): %s", raw)
	}
	x, err := base64.RawURLEncoding.DecodeString(jwk["x"])
	if err != nil || len(x) != ed25519.PublicKeySize {
		t.Fatalf("x = %q: %v", jwk["x"], err)
	}
	i := strings.LastIndex(tok, ".")
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(x, []byte(tok[:i]), sig) {
		t.Fatal("the published x does not verify the token's signature")
	}
}

func TestJWKSBeforeAnyTicket(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	set, err := r.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, kid := mustSign(t, r, ticket(c))
	if len(set.Keys) != 1 || set.Keys[0].Kid != kid {
		t.Fatalf("a gate fetching keys before the first ticket got %+v; the first ticket is signed by %q", set, kid)
	}
}

func TestRetire(t *testing.T) {
	c := newClock()
	s := &memStore{}
	r := newRing(s, c)
	oldTok, oldKid := mustSign(t, r, ticket(c))
	none := func(context.Context, string) (int, error) { return 0, nil }

	err := r.Retire(ctx, oldKid, none)
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.MsgID != "error.key_current" {
		t.Fatalf("retiring the only key: %v, want conflict error.key_current", err)
	}
	if _, err := r.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	err = r.Retire(ctx, oldKid, none)
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.MsgID != "error.key_current" {
		t.Fatalf("retiring a key other instances may still sign with: %v, want conflict error.key_current", err)
	}
	c.Advance(keys.CacheTTL + time.Second)
	newKid := mustCurrent(t, r).ID
	err = r.Retire(ctx, newKid, none)
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.MsgID != "error.key_current" {
		t.Fatalf("retiring the current key: %v, want conflict error.key_current", err)
	}

	var asked string
	err = r.Retire(ctx, oldKid, func(_ context.Context, kid string) (int, error) { asked = kid; return 3, nil })
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.MsgID != "error.key_in_use" || e.Data["Count"] != 3 {
		t.Fatalf("retiring a key with 3 live tickets: %v, want conflict error.key_in_use with the count", err)
	}
	if asked != oldKid {
		t.Fatalf("live tickets counted for %q, want %q", asked, oldKid)
	}
	if _, err := r.Verify(ctx, oldTok); err != nil {
		t.Fatalf("a refused retirement still broke the key: %v", err)
	}
	down := errors.New("count failed")
	if err := r.Retire(ctx, oldKid, func(context.Context, string) (int, error) { return 0, down }); !errors.Is(err, down) {
		t.Fatalf("Retire when live tickets cannot be counted: %v", err)
	}
	if err := r.Retire(ctx, oldKid, nil); err == nil {
		t.Fatal("Retire without a way to count live tickets went ahead")
	}

	if err := r.Retire(ctx, oldKid, none); err != nil {
		t.Fatalf("Retire: %v", err)
	}
	wantInvalid(t, r, oldTok, "a token of a retired key")
	set, err := r.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || set.Keys[0].Kid != newKid {
		t.Fatalf("JWKS after retirement = %+v, want only %q", set, newKid)
	}
	if err := r.Retire(ctx, oldKid, none); err != nil {
		t.Fatalf("retiring a retired key again: %v", err)
	}
	if err := r.Retire(ctx, "nope", none); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("retiring an unknown key: %v, want not_found", err)
	}
}

func TestRetirementSeenByAnotherInstance(t *testing.T) {
	c := newClock()
	s := &memStore{}
	a := newRing(s, c)
	b := newRing(s, c)
	oldTok, oldKid := mustSign(t, a, ticket(c))
	if _, err := a.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	c.Advance(keys.CacheTTL + time.Second)
	if _, err := b.Verify(ctx, oldTok); err != nil {
		t.Fatal(err)
	}
	if err := a.Retire(ctx, oldKid, func(context.Context, string) (int, error) { return 0, nil }); err != nil {
		t.Fatal(err)
	}
	c.Advance(keys.CacheTTL)
	wantInvalid(t, b, oldTok, "a retired key, once the cache time has passed")
}

func mustCurrent(t *testing.T, r *keys.Ring) keys.Key {
	t.Helper()
	k, err := r.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
