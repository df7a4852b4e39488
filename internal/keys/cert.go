package keys

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrCertInvalid is a certificate token that is no token this Ring could
// have signed: torn, altered, or signed by a key it does not know.
var ErrCertInvalid = errors.New("keys: invalid certificate token")

// CertClaims is what a certificate token says: enough for anyone holding
// the published keys to check who was certified for what, and when.
type CertClaims struct {
	Code   string    `json:"code"`
	Kind   string    `json:"kind"`
	Holder string    `json:"holder"`
	Title  string    `json:"title"`
	Issued time.Time `json:"-"`
}

// certWire is the JSON payload of a certificate token.
type certWire struct {
	Code   string           `json:"code"`
	Kind   string           `json:"kind"`
	Holder string           `json:"holder"`
	Title  string           `json:"title"`
	Iat    *jwt.NumericDate `json:"iat"`
}

func (w *certWire) GetExpirationTime() (*jwt.NumericDate, error) { return nil, nil }
func (w *certWire) GetIssuedAt() (*jwt.NumericDate, error)       { return w.Iat, nil }
func (w *certWire) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (w *certWire) GetIssuer() (string, error)                   { return "", nil }
func (w *certWire) GetSubject() (string, error)                  { return "", nil }
func (w *certWire) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// SignCert makes the compact JWS for a certificate's claims with the
// current key and returns it with the key's id. A certificate keeps its
// claims and key id; SignCertWith gives the same token again.
func (r *Ring) SignCert(ctx context.Context, c CertClaims) (token, kid string, err error) {
	k, err := r.Current(ctx)
	if err != nil {
		return "", "", err
	}
	if c.Issued.IsZero() {
		c.Issued = r.now()
	}
	token, err = signCert(k, c)
	return token, k.ID, err
}

// SignCertWith makes the token for a certificate's claims with the key kid,
// byte for byte the token SignCert gave when it was issued.
func (r *Ring) SignCertWith(ctx context.Context, kid string, c CertClaims) (string, error) {
	if c.Issued.IsZero() {
		return "", errors.New("keys: signing a certificate again needs the time of issue")
	}
	k, err := r.key(ctx, kid)
	if err != nil {
		return "", err
	}
	return signCert(k, c)
}

func signCert(k Key, c CertClaims) (string, error) {
	if c.Code == "" || c.Kind == "" || c.Holder == "" || c.Title == "" {
		return "", errors.New("keys: a certificate token needs a code, a kind, a holder and a title")
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, &certWire{
		Code: c.Code, Kind: c.Kind, Holder: c.Holder, Title: c.Title, Iat: jwt.NewNumericDate(c.Issued),
	})
	delete(t.Header, "typ")
	t.Header["kid"] = k.ID
	return t.SignedString(k.Private)
}

// VerifyCert checks a certificate token's signature against the keys that
// are not retired and returns its claims. Anything else than a token this
// Ring signed is ErrCertInvalid (wrapped); any other error is the store
// failing.
func (r *Ring) VerifyCert(ctx context.Context, token string) (CertClaims, error) {
	var storeErr error
	keyFunc := r.keyFunc(ctx, &storeErr)
	var w certWire
	_, err := jwt.ParseWithClaims(token, &w, keyFunc,
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(r.leeway),
		jwt.WithTimeFunc(r.now),
	)
	if storeErr != nil {
		return CertClaims{}, storeErr
	}
	if err != nil {
		return CertClaims{}, fmt.Errorf("%w: %w", ErrCertInvalid, err)
	}
	if w.Code == "" || w.Kind == "" || w.Iat == nil {
		return CertClaims{}, fmt.Errorf("%w: code, kind and iat are required", ErrCertInvalid)
	}
	return CertClaims{Code: w.Code, Kind: w.Kind, Holder: w.Holder, Title: w.Title, Issued: w.Iat.UTC()}, nil
}
