package web_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"sprout/internal/certs"
)

func (e *env) issueCert(kind certs.Kind, holder, title, source string) certs.Certificate {
	e.t.Helper()
	c, _, err := e.app.Certs.Issue(context.Background(), certs.Input{Kind: kind, Holder: holder, Title: title, Source: source})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// jwksKey finds the public key of kid in /.well-known/jwks.json, read as
// any client of the published keys does.
func (e *env) jwksKey(kid string) (ed25519.PublicKey, bool) {
	e.t.Helper()
	r := e.call("GET", "/.well-known/jwks.json", nil).status(200)
	var set struct {
		Keys []struct{ Kty, Crv, Kid, X, Alg string }
	}
	if err := json.Unmarshal(r.body, &set); err != nil {
		e.t.Fatal(err)
	}
	for _, k := range set.Keys {
		if k.Kid == kid && k.Kty == "OKP" && k.Crv == "Ed25519" {
			x, err := base64.RawURLEncoding.DecodeString(k.X)
			if err != nil {
				e.t.Fatal(err)
			}
			return ed25519.PublicKey(x), true
		}
	}
	return nil, false
}

// parseCert checks a certificate token with golang-jwt against the JWKS.
func (e *env) parseCert(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := e.jwksKey(kid); ok {
			return k, nil
		}
		return nil, jwt.ErrTokenUnverifiable
	}, jwt.WithValidMethods([]string{"EdDSA"}))
	return claims, err
}

// TestCertVerifyPageAndAPI: a certificate issued shows as valid on its
// page, in Vietnamese and English, and the API gives the contract's fields
// with a token that a standard JOSE library verifies against the JWKS,
// and fails once one letter of the holder is changed.
func TestCertVerifyPageAndAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		c := e.issueCert(certs.Training, "Nguyễn Thị Hoa", "Khởi nghiệp tinh gọn", "course:e1:t1")
		if again := e.issueCert(certs.Training, "Nguyễn Thị Hoa", "Khởi nghiệp tinh gọn", "course:e1:t1"); again.Code != c.Code {
			t.Fatalf("issuing again gave %s, want %s", again.Code, c.Code)
		}
		if !strings.HasPrefix(c.Code, "HN-"+c.IssuedAt.Format("2006")+"-") {
			t.Fatalf("code %s", c.Code)
		}
		for lang, want := range map[string]string{"vi": "Chứng nhận này còn hiệu lực.", "en": "This certificate is valid."} {
			p := e.browser(lang).do("GET", "/verify/"+c.Code, nil)
			if p.code != 200 {
				t.Fatalf("%s: verify page %d", lang, p.code)
			}
			for _, s := range []string{want, "flash-ok", "Nguyễn Thị Hoa", "Khởi nghiệp tinh gọn", "Sprout", `data-status="valid"`, c.Code} {
				if !strings.Contains(p.html, s) {
					t.Errorf("%s: verify page lacks %q", lang, s)
				}
			}
		}

		r := e.call("GET", "/api/v1/certificates/"+c.Code, nil).status(200)
		for path, want := range map[string]string{"certificate.code": c.Code, "certificate.kind": "training",
			"certificate.holder": "Nguyễn Thị Hoa", "certificate.title": "Khởi nghiệp tinh gọn", "certificate.status": "valid"} {
			if got := r.str(path); got != want {
				t.Errorf("%s = %q, want %q", path, got, want)
			}
		}
		if r.str("certificate.issued_at") == "" {
			t.Error("no issued_at")
		}
		token := r.str("certificate.token")
		claims, err := e.parseCert(token)
		if err != nil {
			t.Fatalf("the token does not verify against the JWKS: %v", err)
		}
		if claims["code"] != c.Code || claims["kind"] != "training" || claims["holder"] != "Nguyễn Thị Hoa" ||
			claims["title"] != "Khởi nghiệp tinh gọn" || claims["iat"] == nil {
			t.Fatalf("claims %v", claims)
		}
		if again := e.call("GET", "/api/v1/certificates/"+c.Code, nil).status(200).str("certificate.token"); again != token {
			t.Fatal("the token differs from one read to the next")
		}
		parts := strings.Split(token, ".")
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(string(payload), "Thị Hoa", "Thị Hòa", 1)
		if changed == string(payload) {
			t.Fatalf("payload %s does not name the holder", payload)
		}
		forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]
		if _, err := e.parseCert(forged); err == nil {
			t.Fatal("a token with one letter of the holder changed verifies")
		}

		for _, path := range []string{"/verify/HN-2026-999999", "/verify/nothing"} {
			if p := e.browser("vi").do("GET", path, nil); p.code != 404 {
				t.Errorf("%s: %d, want 404", path, p.code)
			}
		}
		e.call("GET", "/api/v1/certificates/HN-2026-999999", nil).errorCode(404, "not_found")
	})
}

// TestCertRevokeReissueAndList: organizers list certificates by kind,
// newest first, revoke one with a reason and re-issue another with a
// corrected name; the pages show each as revoked, with the reason or a
// link to the one that replaced it. Others may not, and the audit log
// keeps both actions.
func TestCertRevokeReissueAndList(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		_, visitor := e.user("khach@sprout.test")
		a := e.issueCert(certs.Training, "Lê Văn Nam", "Kỹ năng gọi vốn", "course:e1:t1")
		st := e.issueCert(certs.STEnterprise, "Công ty CP Mầm Xanh", "Doanh nghiệp khoa học và công nghệ", "startup:app1")
		e.clock.Advance(1e9)
		b := e.issueCert(certs.Training, "Phạm Thu Hà", "Kỹ năng gọi vốn", "course:e1:t2")

		e.call("GET", "/api/v1/certificates?kind=training", nil).errorCode(401, "unauthorized")
		e.authed(visitor, "GET", "/api/v1/certificates?kind=training", nil).errorCode(403, "forbidden")
		list := e.authed(org, "GET", "/api/v1/certificates?kind=training", nil).status(200)
		if list.str("certificates.0.code") != b.Code || list.str("certificates.1.code") != a.Code || list.get("certificates.2") != nil {
			t.Fatalf("training certificates %s, want %s then %s", list.body, b.Code, a.Code)
		}
		if list := e.authed(org, "GET", "/api/v1/certificates?kind=st_enterprise", nil).status(200); list.str("certificates.0.code") != st.Code {
			t.Fatalf("st_enterprise certificates %s", list.body)
		}
		e.authed(org, "GET", "/api/v1/certificates?kind=diploma", nil).errorCode(400, "invalid")

		e.authed(visitor, "POST", "/api/v1/certificates/"+a.Code+"/revoke", map[string]any{"reason": "x"}).errorCode(403, "forbidden")
		e.authed(visitor, "POST", "/api/v1/certificates/"+b.Code+"/reissue", map[string]any{"holder": "x", "title": "y"}).errorCode(403, "forbidden")
		e.authed(org, "POST", "/api/v1/certificates/"+a.Code+"/revoke", map[string]any{"reason": " "}).errorCode(400, "invalid")
		r := e.authed(org, "POST", "/api/v1/certificates/"+a.Code+"/revoke", map[string]any{"reason": "Không tham dự đủ buổi học"}).status(200)
		if r.str("certificate.status") != "revoked" {
			t.Fatalf("revoke answered %s", r.body)
		}
		e.authed(org, "POST", "/api/v1/certificates/"+a.Code+"/revoke", map[string]any{"reason": "again"}).errorCode(409, "conflict")
		p := e.browser("vi").do("GET", "/verify/"+a.Code, nil)
		for _, s := range []string{"flash-error", `data-status="revoked"`, "đã bị thu hồi", "Không tham dự đủ buổi học", "Lê Văn Nam"} {
			if !strings.Contains(p.html, s) {
				t.Errorf("revoked page lacks %q", s)
			}
		}
		if s := e.call("GET", "/api/v1/certificates/"+a.Code, nil).status(200).str("certificate.status"); s != "revoked" {
			t.Fatalf("status %s after revoke", s)
		}

		e.authed(org, "POST", "/api/v1/certificates/"+b.Code+"/reissue", map[string]any{"holder": "", "title": ""}).errorCode(400, "invalid")
		n := e.authed(org, "POST", "/api/v1/certificates/"+b.Code+"/reissue", map[string]any{"holder": "Phạm Thu Hằng", "title": "Kỹ năng gọi vốn"}).status(200)
		fixed := n.str("certificate.code")
		if fixed == b.Code || n.str("certificate.holder") != "Phạm Thu Hằng" || n.str("certificate.replaces") != b.Code {
			t.Fatalf("re-issue answered %s", n.body)
		}
		if _, err := e.parseCert(n.str("certificate.token")); err != nil {
			t.Fatalf("the new token does not verify: %v", err)
		}
		old := e.browser("en").do("GET", "/verify/"+b.Code, nil)
		for _, s := range []string{`data-status="revoked"`, "re-issued with corrections", `href="/verify/` + fixed + `"`} {
			if !strings.Contains(old.html, s) {
				t.Errorf("the re-issued certificate's page lacks %q", s)
			}
		}
		now := e.browser("en").do("GET", "/verify/"+fixed, nil)
		for _, s := range []string{`data-status="valid"`, "Phạm Thu Hằng", `href="/verify/` + b.Code + `"`} {
			if !strings.Contains(now.html, s) {
				t.Errorf("the new certificate's page lacks %q", s)
			}
		}
		e.authed(org, "POST", "/api/v1/certificates/HN-2026-999999/revoke", map[string]any{"reason": "x"}).errorCode(404, "not_found")

		actions, entries, _ := e.auditEntries("")
		seen := map[string]string{}
		for i, act := range actions {
			seen[act], _ = entries[i]["target_id"].(string)
		}
		if seen["certificate.revoke"] != a.Code || seen["certificate.reissue"] != b.Code {
			t.Fatalf("audit log %v, want the revoke of %s and the re-issue of %s", seen, a.Code, b.Code)
		}
	})
}

// TestCertRegistryListsCertifiedEnterprises: the public registry lists the
// enterprises whose certificate holds, each linking to its verification,
// and leaves out trainings and revoked certificates.
func TestCertRegistryListsCertifiedEnterprises(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		if p := e.browser("vi").do("GET", "/registry", nil); p.code != 200 || !strings.Contains(p.html, "data-empty") {
			t.Fatalf("empty registry: %d", p.code)
		}
		st := e.issueCert(certs.STEnterprise, "Công ty CP Mầm Xanh", "Doanh nghiệp khoa học và công nghệ", "startup:a1")
		gone := e.issueCert(certs.STEnterprise, "Công ty TNHH Hạt Giống", "Doanh nghiệp khoa học và công nghệ", "startup:a2")
		e.issueCert(certs.Training, "Lê Văn Nam", "Kỹ năng gọi vốn", "course:e1:t1")
		if _, err := e.app.Certs.Revoke(context.Background(), gone.Code, "Giải thể"); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"vi", "en"} {
			p := e.browser(lang).do("GET", "/registry", nil)
			if p.code != 200 || !strings.Contains(p.html, `href="/verify/`+st.Code+`"`) || !strings.Contains(p.html, "Công ty CP Mầm Xanh") {
				t.Fatalf("%s: the registry does not link %s: %d", lang, st.Code, p.code)
			}
			if strings.Contains(p.html, gone.Code) || strings.Contains(p.html, "Lê Văn Nam") {
				t.Fatalf("%s: the registry lists a revoked certificate or a training", lang)
			}
		}
	})
}
