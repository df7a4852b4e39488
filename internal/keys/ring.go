package keys

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
)

// Defaults for a Ring.
const (
	// CacheTTL bounds how long an instance keeps signing with a key after
	// another instance rotated, and how long it keeps trusting a key another
	// instance retired.
	CacheTTL = 30 * time.Second
	// Leeway absorbs clock skew between the server and the gates.
	Leeway = 30 * time.Second
)

// Ring signs and verifies ticket tokens with the keys of a Store. It keeps
// the keys in memory for a short while, so signing and verifying do not read
// the store each time; it is safe for concurrent use.
type Ring struct {
	store  Store
	ttl    time.Duration
	leeway time.Duration
	now    func() time.Time

	// load lets one goroutine at a time read or change the store, so that
	// concurrent misses share one read and one instance never creates two
	// keys at once.
	load sync.Mutex

	mu     sync.Mutex
	keys   []Key // as the store lists them: newest first
	loaded time.Time
	gen    uint64 // counts loads; zero means never loaded
}

// Option adjusts a Ring.
type Option func(*Ring)

// WithCacheTTL sets how long keys stay cached (default CacheTTL).
func WithCacheTTL(d time.Duration) Option { return func(r *Ring) { r.ttl = d } }

// WithLeeway sets the tolerated clock skew on nbf and exp (default Leeway).
func WithLeeway(d time.Duration) Option { return func(r *Ring) { r.leeway = d } }

// NewRing builds a Ring over store; clk dates keys and tokens and ages the
// cache.
func NewRing(store Store, clk clock.Clock, opts ...Option) *Ring {
	r := &Ring{store: store, ttl: CacheTTL, leeway: Leeway, now: clk.Now}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Signing is the key that signs new tickets among ks (newest first): the
// newest one not retired.
func Signing(ks []Key) (Key, bool) {
	for _, k := range ks {
		if k.RetiredAt.IsZero() {
			return k, true
		}
	}
	return Key{}, false
}

// Current returns the signing key, creating the first one when the store
// has none.
func (r *Ring) Current(ctx context.Context) (Key, error) {
	ks, gen, fresh := r.snapshot()
	if fresh {
		if k, ok := Signing(ks); ok {
			return k, nil
		}
	}
	r.load.Lock()
	defer r.load.Unlock()
	ks, err := r.reloadLocked(ctx, gen)
	if err != nil {
		return Key{}, err
	}
	if k, ok := Signing(ks); ok {
		return k, nil
	}
	if _, err := r.createLocked(ctx, ks); err != nil {
		return Key{}, err
	}
	// Another instance may have made its first key at the same moment;
	// both verify, and the newest signs everywhere.
	k, _ := Signing(r.cached())
	return k, nil
}

// Rotate adds a key that signs from now on; older keys keep verifying
// until they are retired.
func (r *Ring) Rotate(ctx context.Context) (Key, error) {
	r.load.Lock()
	defer r.load.Unlock()
	ks, err := r.reloadLocked(ctx, r.generation())
	if err != nil {
		return Key{}, err
	}
	return r.createLocked(ctx, ks)
}

// Retire stops a key from verifying. live counts the tickets still valid
// that the key signed. Retire refuses while the key signs new tickets, or
// did until less than the cache time ago (an instance may not have switched
// yet), and while live tickets need it. Retiring a retired key is no error.
func (r *Ring) Retire(ctx context.Context, kid string, live func(ctx context.Context, kid string) (int, error)) error {
	ks, err := r.refresh(ctx)
	if err != nil {
		return err
	}
	i := indexOf(ks, kid)
	if i < 0 {
		return errs.Wrapf(errs.NotFound, "signing key %q", kid)
	}
	if !ks[i].RetiredAt.IsZero() {
		return nil
	}
	// A key stopped signing when the next newer key was made.
	if cur, _ := Signing(ks); cur.ID == kid || r.now().Sub(ks[i-1].CreatedAt) < r.ttl {
		return &errs.Error{Kind: errs.Conflict, MsgID: "error.key_current",
			Data: map[string]any{"Kid": kid, "Seconds": int(r.ttl.Seconds())}}
	}
	if live == nil {
		return errors.New("keys: retiring a key needs a count of its live tickets")
	}
	n, err := live(ctx, kid)
	if err != nil {
		return err
	}
	if n > 0 {
		return &errs.Error{Kind: errs.Conflict, MsgID: "error.key_in_use",
			Data: map[string]any{"Kid": kid, "Count": n}}
	}
	if err := r.store.RetireKey(ctx, kid, r.now().UTC().Truncate(time.Millisecond)); err != nil {
		return err
	}
	_, err = r.refresh(ctx)
	return err
}

// snapshot returns the cached keys, the load they came from and whether
// they are still fresh.
func (r *Ring) snapshot() ([]Key, uint64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fresh := r.gen > 0 && r.now().Sub(r.loaded) < r.ttl
	return r.keys, r.gen, fresh
}

func (r *Ring) cached() []Key {
	ks, _, _ := r.snapshot()
	return ks
}

func (r *Ring) generation() uint64 {
	_, gen, _ := r.snapshot()
	return gen
}

// fresh returns keys no older than the cache time.
func (r *Ring) fresh(ctx context.Context) ([]Key, uint64, error) {
	ks, gen, ok := r.snapshot()
	if ok {
		return ks, gen, nil
	}
	return r.reload(ctx, gen)
}

// refresh reads the store now, for decisions that must not rest on a
// cached view.
func (r *Ring) refresh(ctx context.Context) ([]Key, error) {
	ks, _, err := r.reload(ctx, r.generation())
	return ks, err
}

// reload reads the store unless another goroutine did since load gen.
func (r *Ring) reload(ctx context.Context, gen uint64) ([]Key, uint64, error) {
	r.load.Lock()
	defer r.load.Unlock()
	ks, err := r.reloadLocked(ctx, gen)
	return ks, r.generation(), err
}

func (r *Ring) reloadLocked(ctx context.Context, gen uint64) ([]Key, error) {
	r.mu.Lock()
	if r.gen != gen {
		ks := r.keys
		r.mu.Unlock()
		return ks, nil
	}
	r.mu.Unlock()
	ks, err := r.store.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.keys, r.loaded = ks, r.now()
	r.gen++
	r.mu.Unlock()
	return ks, nil
}

// createLocked stores a new key dated after every key in ks, so it lists
// first even when the clock has not moved, and reloads.
func (r *Ring) createLocked(ctx context.Context, ks []Key) (Key, error) {
	at := r.now().UTC().Truncate(time.Millisecond)
	if len(ks) > 0 && !at.After(ks[0].CreatedAt) {
		at = ks[0].CreatedAt.Add(time.Millisecond)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, err
	}
	k := Key{ID: newKID(), Private: priv, CreatedAt: at}
	if err := r.store.CreateKey(ctx, k); err != nil {
		return Key{}, fmt.Errorf("keys: create: %w", err)
	}
	if _, err := r.reloadLocked(ctx, r.generation()); err != nil {
		return Key{}, err
	}
	return k, nil
}

func indexOf(ks []Key, kid string) int {
	for i, k := range ks {
		if k.ID == kid {
			return i
		}
	}
	return -1
}

var kidEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newKID returns 64 random bits as 13 lower-case base32 characters: short
// in a QR code, and never starting with a dash on a command line.
func newKID() string {
	var b [8]byte
	rand.Read(b[:])
	return strings.ToLower(kidEncoding.EncodeToString(b[:]))
}
