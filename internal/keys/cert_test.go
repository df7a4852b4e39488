package keys_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"sprout/internal/keys"
)

func cert(name string) keys.CertClaims {
	return keys.CertClaims{Code: "HN-2026-000001", Kind: "training", Holder: name, Title: "Khởi nghiệp tinh gọn"}
}

func TestCertSignVerifyAndSignAgain(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	tok, kid, err := r.SignCert(ctx, cert("Nguyễn Văn An"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if h := decodeSegment(t, parts[0]); h["kid"] != kid || h["alg"] != "EdDSA" {
		t.Fatalf("header %v, want kid %s and EdDSA", h, kid)
	}
	p := decodeSegment(t, parts[1])
	for _, k := range []string{"code", "kind", "holder", "title", "iat"} {
		if _, ok := p[k]; !ok {
			t.Errorf("claims %v lack %s", p, k)
		}
	}
	got, err := r.VerifyCert(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.Holder != "Nguyễn Văn An" || got.Code != "HN-2026-000001" || !got.Issued.Equal(c.Now().Truncate(1e9)) {
		t.Fatalf("claims %+v", got)
	}
	// A later key signs new things; the certificate keeps its own.
	if _, err := r.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := r.SignCertWith(ctx, kid, got)
	if err != nil || again != tok {
		t.Fatalf("signed again %q, %v; want the token issued", again, err)
	}
	if _, err := r.SignCertWith(ctx, kid, cert("X")); err == nil {
		t.Fatal("signing again without the time of issue worked")
	}
}

func TestCertWithOneLetterChangedFails(t *testing.T) {
	c := newClock()
	r := newRing(&memStore{}, c)
	tok, _, err := r.SignCert(ctx, cert("Nguyễn Văn An"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(raw), "Văn An", "Văn Am", 1)
	if changed == string(raw) {
		t.Fatalf("payload %s does not name the holder", raw)
	}
	forged := parts[0] + "." + b64([]byte(changed)) + "." + parts[2]
	if _, err := r.VerifyCert(ctx, forged); !errors.Is(err, keys.ErrCertInvalid) {
		t.Fatalf("forged holder: %v, want ErrCertInvalid", err)
	}
	if _, err := r.VerifyCert(ctx, "not a token"); !errors.Is(err, keys.ErrCertInvalid) {
		t.Fatalf("garbage: %v, want ErrCertInvalid", err)
	}
	// A ticket token is no certificate.
	tt, _ := mustSign(t, r, ticket(c))
	if _, err := r.VerifyCert(ctx, tt); !errors.Is(err, keys.ErrCertInvalid) {
		t.Fatalf("ticket token as certificate: %v, want ErrCertInvalid", err)
	}
}
