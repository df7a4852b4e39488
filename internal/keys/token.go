package keys

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sprout/internal/errs"
)

// What Verify found wrong with a token. With ErrNotYetValid and ErrExpired
// the signature is good and Verify returns the claims too. ErrUnreadable
// comes with ErrInvalid for a token that is no JWS at all, such as a code
// of something else or one torn, as against one whose signature fails.
var (
	ErrInvalid     = errors.New("keys: invalid ticket token")
	ErrUnreadable  = errors.New("keys: unreadable ticket token")
	ErrNotYetValid = errors.New("keys: ticket token not valid yet")
	ErrExpired     = errors.New("keys: ticket token expired")
)

// Claims is what a ticket token says. It holds nothing personal: the token
// is printed as a QR code that anyone may read.
type Claims struct {
	TicketID     string // sub
	EventID      string // evt
	TicketTypeID string // tt
	// Times have second precision in the token. A zero IssuedAt is the
	// time of signing; a zero NotBefore leaves nbf out.
	IssuedAt  time.Time
	NotBefore time.Time
	ExpiresAt time.Time
}

// wire is the JSON payload, with short names to keep the QR code small.
type wire struct {
	Sub string           `json:"sub"`
	Evt string           `json:"evt,omitempty"`
	TT  string           `json:"tt,omitempty"`
	Iat *jwt.NumericDate `json:"iat,omitempty"`
	Nbf *jwt.NumericDate `json:"nbf,omitempty"`
	Exp *jwt.NumericDate `json:"exp,omitempty"`
}

func (w *wire) GetExpirationTime() (*jwt.NumericDate, error) { return w.Exp, nil }
func (w *wire) GetIssuedAt() (*jwt.NumericDate, error)       { return w.Iat, nil }
func (w *wire) GetNotBefore() (*jwt.NumericDate, error)      { return w.Nbf, nil }
func (w *wire) GetIssuer() (string, error)                   { return "", nil }
func (w *wire) GetSubject() (string, error)                  { return w.Sub, nil }
func (w *wire) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

func date(t time.Time) *jwt.NumericDate {
	if t.IsZero() {
		return nil
	}
	return jwt.NewNumericDate(t)
}

func (w *wire) claims() Claims {
	c := Claims{TicketID: w.Sub, EventID: w.Evt, TicketTypeID: w.TT}
	for _, f := range []struct {
		src *jwt.NumericDate
		dst *time.Time
	}{{w.Iat, &c.IssuedAt}, {w.Nbf, &c.NotBefore}, {w.Exp, &c.ExpiresAt}} {
		if f.src != nil {
			*f.dst = f.src.UTC()
		}
	}
	return c
}

// Sign makes the compact JWS for claims with the current key and returns it
// with the key's id.
func (r *Ring) Sign(ctx context.Context, c Claims) (token, kid string, err error) {
	k, err := r.Current(ctx)
	if err != nil {
		return "", "", err
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = r.now()
	}
	token, err = sign(k, c)
	return token, k.ID, err
}

// SignWith makes the token for claims with the key kid, retired or not.
// Ed25519 signatures are deterministic, so the same claims signed again
// give the token issued first, byte for byte: a ticket keeps its claims and
// key id, not its token.
func (r *Ring) SignWith(ctx context.Context, kid string, c Claims) (string, error) {
	k, err := r.key(ctx, kid)
	if err != nil {
		return "", err
	}
	if c.IssuedAt.IsZero() {
		return "", errors.New("keys: signing again needs the time of issue")
	}
	return sign(k, c)
}

// key finds the key kid, retired or not.
func (r *Ring) key(ctx context.Context, kid string) (Key, error) {
	find := func(ks []Key) (Key, bool) {
		i := indexOf(ks, kid)
		if i < 0 {
			return Key{}, false
		}
		return ks[i], true
	}
	ks, _, err := r.fresh(ctx)
	if err != nil {
		return Key{}, err
	}
	k, ok := find(ks)
	if !ok {
		// Another instance may have made it since the cache was filled.
		if ks, err = r.refresh(ctx); err != nil {
			return Key{}, err
		}
		if k, ok = find(ks); !ok {
			return Key{}, errs.Wrapf(errs.NotFound, "signing key %q", kid)
		}
	}
	return k, nil
}

func sign(k Key, c Claims) (string, error) {
	if c.TicketID == "" || c.ExpiresAt.IsZero() {
		return "", errors.New("keys: a ticket token needs a ticket id and an expiry")
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, &wire{
		Sub: c.TicketID, Evt: c.EventID, TT: c.TicketTypeID,
		Iat: date(c.IssuedAt), Nbf: date(c.NotBefore), Exp: date(c.ExpiresAt),
	})
	// typ says nothing a gate needs; leaving it out shortens every QR code.
	delete(t.Header, "typ")
	t.Header["kid"] = k.ID
	return t.SignedString(k.Private)
}

// keyFunc finds the public key of a token's kid among the keys not
// retired, and keeps in storeErr a store failing, which is no verdict on
// the token.
func (r *Ring) keyFunc(ctx context.Context, storeErr *error) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		// The parser already allows EdDSA only; this keeps a public key from
		// ever reaching another algorithm should that option be lost.
		if t.Method != jwt.SigningMethodEdDSA {
			return nil, errors.New("not EdDSA")
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("no kid")
		}
		k, ok, err := r.verifyingKey(ctx, kid)
		if err != nil {
			*storeErr = err
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("unknown or retired kid %q", kid)
		}
		return k, nil
	}
}

// Verify checks token's signature against the known keys that are not
// retired and its times against the clock, with the leeway. It returns
// ErrInvalid (wrapped) for anything that is not a token this Ring could have
// signed, and ErrNotYetValid or ErrExpired with the claims when only the
// time is wrong. Any other error is the store failing.
func (r *Ring) Verify(ctx context.Context, token string) (Claims, error) {
	var storeErr error
	keyFunc := r.keyFunc(ctx, &storeErr)
	var w wire
	_, err := jwt.ParseWithClaims(token, &w, keyFunc,
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithLeeway(r.leeway),
		jwt.WithTimeFunc(r.now),
	)
	if storeErr != nil {
		return Claims{}, storeErr
	}
	// Claims are validated only once the signature holds, so from here on
	// the payload is ours.
	if errors.Is(err, jwt.ErrTokenMalformed) {
		return Claims{}, fmt.Errorf("%w: %w: %w", ErrInvalid, ErrUnreadable, err)
	}
	if err != nil && !errors.Is(err, jwt.ErrTokenInvalidClaims) {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if w.Sub == "" || w.Exp == nil {
		return Claims{}, fmt.Errorf("%w: sub and exp are required", ErrInvalid)
	}
	switch {
	case err == nil:
		return w.claims(), nil
	case errors.Is(err, jwt.ErrTokenExpired):
		return w.claims(), ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return w.claims(), ErrNotYetValid
	}
	return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, err)
}

// verifyingKey finds kid among the keys not retired, reading the store once
// more when it is unknown: another instance may have rotated since the
// cache was filled.
func (r *Ring) verifyingKey(ctx context.Context, kid string) (ed25519.PublicKey, bool, error) {
	ks, gen, err := r.fresh(ctx)
	if err != nil {
		return nil, false, err
	}
	i := indexOf(ks, kid)
	if i < 0 {
		if ks, _, err = r.reload(ctx, gen); err != nil {
			return nil, false, err
		}
		i = indexOf(ks, kid)
	}
	if i < 0 || !ks[i].RetiredAt.IsZero() {
		return nil, false, nil
	}
	return ks[i].Public(), true, nil
}

// JWK is one public key in the form of RFC 8037.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	Kid string `json:"kid"`
	X   string `json:"x"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKSet is the document served at /.well-known/jwks.json.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// JWKS lists the public half of every key that is not retired, newest
// first. It makes the first key when there is none yet, so that gates that
// fetch the set before the first ticket is sold already know it.
func (r *Ring) JWKS(ctx context.Context) (JWKSet, error) {
	if _, err := r.Current(ctx); err != nil {
		return JWKSet{}, err
	}
	ks, _, err := r.fresh(ctx)
	if err != nil {
		return JWKSet{}, err
	}
	set := JWKSet{Keys: []JWK{}}
	for _, k := range ks {
		if k.RetiredAt.IsZero() {
			set.Keys = append(set.Keys, JWK{
				Kty: "OKP", Crv: "Ed25519", Kid: k.ID, Alg: "EdDSA", Use: "sig",
				X: base64.RawURLEncoding.EncodeToString(k.Public()),
			})
		}
	}
	return set, nil
}
