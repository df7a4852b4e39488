package web_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"sprout/internal/pdffont/pdftest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sprout/internal/accounts"
	"sprout/internal/certification"
	"sprout/internal/certs"
	"sprout/internal/vn"
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

// certifiedEnterprise takes an enterprise through the procedure by the
// service, as its owner and an officer would: filed, found complete and
// granted. It returns the dossier granted.
func (e *env) certifiedEnterprise(owner, officer accounts.User, name, tax, sector string) certification.Dossier {
	e.t.Helper()
	ctx := context.Background()
	svc := e.app.Certification
	d, err := svc.Start(ctx, owner, certification.New, "")
	if err != nil {
		e.t.Fatal(err)
	}
	in := certification.Input{
		Enterprise: certification.Enterprise{Name: name, TaxCode: tax, Address: "Số 5 Nguyễn Trãi, Thanh Xuân, Hà Nội",
			Representative: "Nguyễn Văn An", Founded: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC), Size: certification.Small, Sector: sector},
		Finance: certification.Finance{Year: 2025, Revenue: 8_000_000_000, ResultRevenue: 4_000_000_000, Staff: 12, RDStaff: 4},
		Results: []certification.Result{{Kind: certification.Software, Title: "Phần mềm quản lý chuỗi cung ứng", Number: "2211/2024/QTG"}},
	}
	steps := []func() error{
		func() (err error) { d, err = svc.Save(ctx, owner, d.ID, d.Version, in); return },
		func() (err error) {
			d, err = svc.AttachProof(ctx, owner, d.ID, 0, "ban-quyen.pdf", pdf("ban quyen"))
			return
		},
		func() (err error) { d, err = svc.Submit(ctx, owner, d.ID, d.Version); return },
		func() (err error) { d, err = svc.MarkComplete(ctx, officer, d.ID); return },
		func() (err error) { d, _, err = svc.Grant(ctx, officer, d.ID); return },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			e.t.Fatalf("step %d of certifying %s: %v", i+1, name, err)
		}
	}
	return d
}

// users makes an enterprise's owner and a department officer.
func (e *env) stUsers() (owner, officer accounts.User) {
	e.t.Helper()
	ctx := context.Background()
	owner, err := e.app.Accounts.Create(ctx, accounts.NewUser{Email: "dn@mamxanh.vn", Password: "doanh nghiệp mầm xanh", Name: "Lê Thu Hà", Lang: "vi",
		Roles: []accounts.Role{accounts.RoleFounder}})
	if err != nil {
		e.t.Fatal(err)
	}
	officer, err = e.app.Accounts.Create(ctx, accounts.NewUser{Email: "chuyenvien@so-khcn.vn", Password: "chuyên viên sở khcn", Name: "Phạm Minh Tuấn",
		Lang: "vi", Roles: []accounts.Role{accounts.RoleOfficer}})
	if err != nil {
		e.t.Fatal(err)
	}
	return owner, officer
}

// TestCertRegistryListsCertifiedEnterprises: the public registry lists the
// enterprises certified, each linking to its verification and with its
// status, revoked ones too; it finds them by words of the name without
// diacritics and by tax code, sector and year, and leaves out trainings
// and dossiers not granted.
func TestCertRegistryListsCertifiedEnterprises(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		if p := e.browser("vi").do("GET", "/registry", nil); p.code != 200 || !strings.Contains(p.html, "data-empty") {
			t.Fatalf("empty registry: %d", p.code)
		}
		owner, officer := e.stUsers()
		green := e.certifiedEnterprise(owner, officer, "Công ty Cổ phần Công nghệ Mầm Xanh", "0101234567", "agritech")
		gone := e.certifiedEnterprise(owner, officer, "Công ty TNHH Hạt Giống Việt", "0107654321", "software")
		if _, err := e.app.Certification.Revoke(context.Background(), officer, gone.ID, "Giải thể doanh nghiệp"); err != nil {
			t.Fatal(err)
		}
		draft, err := e.app.Certification.Start(context.Background(), owner, certification.New, "")
		if err != nil {
			t.Fatal(err)
		}
		e.issueCert(certs.Training, "Lê Văn Nam", "Kỹ năng gọi vốn", "course:e1:t1")
		year := strconv.Itoa(e.now().In(vn.Zone).Year())
		for _, lang := range []string{"vi", "en"} {
			p := e.browser(lang).do("GET", "/registry", nil)
			if p.code != 200 || !strings.Contains(p.html, `href="/verify/`+green.CertCode+`"`) || !strings.Contains(p.html, "Công ty Cổ phần Công nghệ Mầm Xanh") ||
				!strings.Contains(p.html, `data-code="`+gone.CertCode+`" data-status="revoked"`) || !strings.Contains(p.html, `data-code="`+green.CertCode+`" data-status="valid"`) {
				t.Fatalf("%s: the registry does not list both enterprises with their status: %d %s", lang, p.code, p.html)
			}
			if strings.Contains(p.html, "Lê Văn Nam") || strings.Contains(p.html, draft.ID) {
				t.Fatalf("%s: the registry lists a training or a draft", lang)
			}
		}
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"q=mam+xanh", []string{green.CertCode}},
			{"q=CONG+TY", []string{green.CertCode, gone.CertCode}},
			{"q=0107654321", []string{gone.CertCode}},
			{"sector=agritech", []string{green.CertCode}},
			{"year=" + year, []string{green.CertCode, gone.CertCode}},
			{"year=2015", nil},
			{"sector=nope", []string{green.CertCode, gone.CertCode}},
		} {
			p := e.browser("vi").do("GET", "/registry?"+c.query, nil)
			got := registryCodeRE.FindAllStringSubmatch(p.html, -1)
			var codes []string
			for _, m := range got {
				codes = append(codes, m[1])
			}
			slices.Sort(codes)
			slices.Sort(c.want)
			if p.code != 200 || !slices.Equal(codes, c.want) {
				t.Errorf("/registry?%s lists %v, want %v", c.query, codes, c.want)
			}
		}
		if v := e.browser("vi").do("GET", "/verify/"+gone.CertCode, nil); !strings.Contains(v.html, "Giải thể doanh nghiệp") {
			t.Errorf("the verify page of the revoked certificate gives no reason")
		}
		// The enterprise downloads its certificate; a revoked one says so.
		b := e.signIn("dn@mamxanh.vn", "doanh nghiệp mầm xanh")
		if p := b.do("GET", "/enterprise/dossiers/"+green.ID, nil); !strings.Contains(p.html, `/enterprise/dossiers/`+green.ID+`/certificate.pdf`) {
			t.Errorf("the granted dossier's page does not offer the certificate")
		}
		res, pdfData := b.download("/enterprise/dossiers/" + green.ID + "/certificate.pdf")
		text := pdftest.Text(t, pdfData)
		if res.StatusCode != 200 || !strings.Contains(text, "DOANH NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ") || !strings.Contains(text, "Công ty Cổ phần Công nghệ Mầm Xanh") ||
			!strings.Contains(text, green.CertCode) || !strings.Contains(text, "Mã số thuế: 0101234567") || strings.Contains(text, "REVOKED") {
			t.Fatalf("the enterprise's certificate: %d %q", res.StatusCode, text)
		}
		if _, pdfData := b.download("/enterprise/dossiers/" + gone.ID + "/certificate.pdf"); !strings.Contains(pdftest.Text(t, pdfData), "REVOKED") {
			t.Errorf("a revoked certificate's PDF does not say so")
		}
		officerTab := e.signIn("chuyenvien@so-khcn.vn", "chuyên viên sở khcn")
		if res, _ := officerTab.download("/enterprise/dossiers/" + green.ID + "/certificate.pdf"); res.StatusCode != 200 {
			t.Errorf("an officer cannot download the certificate: %d", res.StatusCode)
		}
		if res, _ := b.download("/enterprise/dossiers/" + draft.ID + "/certificate.pdf"); res.StatusCode != 404 {
			t.Errorf("a draft's certificate: %d, want 404", res.StatusCode)
		}
	})
}

var registryCodeRE = regexp.MustCompile(`<tr data-code="([^"]+)"`)

// An amendment renames a certified enterprise: granted within ten working
// days of being complete, it re-issues the certificate under the new name,
// the old one revoked and pointing to it; the registry shows the new name
// and code, and revoking the enterprise revokes the certificate that holds.
func TestCertAmendmentReissuesTheEnterpriseCertificate(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.app.Certification
		owner, officer := e.stUsers()
		first := e.certifiedEnterprise(owner, officer, "Công ty TNHH Hạt Giống Việt", "0104444444", "agritech")
		d, err := svc.Start(ctx, owner, certification.Amendment, first.CertCode)
		if err != nil {
			t.Fatal(err)
		}
		if d.Enterprise.Name != "Công ty TNHH Hạt Giống Việt" {
			t.Fatalf("the amendment starts from %q", d.Enterprise.Name)
		}
		in := certification.Input{Enterprise: certification.Enterprise{Name: "Công ty Cổ phần Hạt Giống Việt Nam", TaxCode: "0104444444",
			Address: "Số 9 Đại Cồ Việt, Hai Bà Trưng, Hà Nội", Representative: "Lê Thu Hà", Founded: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC),
			Size: certification.Small, Sector: "agritech"}}
		if d, err = svc.Save(ctx, owner, d.ID, d.Version, in); err != nil {
			t.Fatal(err)
		}
		if d, err = svc.Submit(ctx, owner, d.ID, d.Version); err != nil {
			t.Fatalf("an amendment needs no results: %v", err)
		}
		if d, err = svc.MarkComplete(ctx, officer, d.ID); err != nil {
			t.Fatal(err)
		}
		cal, err := e.app.Workdays.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := cal.AddWorkingDays(d.CompleteAt, 10); !d.DueAt.Equal(want) {
			t.Fatalf("an amendment is due %v, want ten working days: %v", d.DueAt, want)
		}
		d, fixed, err := svc.Grant(ctx, officer, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fixed.Code == first.CertCode || fixed.Holder != "Công ty Cổ phần Hạt Giống Việt Nam" || fixed.Replaces != first.CertCode || d.CertCode != fixed.Code {
			t.Fatalf("the amended certificate: %+v", fixed)
		}
		if v := e.browser("vi").do("GET", "/verify/"+first.CertCode, nil); !strings.Contains(v.html, `data-replaced-by>`+fixed.Code) {
			t.Fatalf("the old certificate's page does not lead to %s", fixed.Code)
		}
		p := e.browser("vi").do("GET", "/registry?q=hat+giong+viet+nam", nil)
		if !strings.Contains(p.html, `<tr data-code="`+fixed.Code+`" data-status="valid"`) || !strings.Contains(p.html, "Công ty Cổ phần Hạt Giống Việt Nam") {
			t.Fatalf("the registry after the amendment: %s", p.html)
		}
		if _, err := svc.Revoke(ctx, officer, first.ID, "Giải thể"); err != nil {
			t.Fatal(err)
		}
		if c := e.call("GET", "/api/v1/certificates/"+fixed.Code, nil).status(200); c.str("certificate.status") != "revoked" {
			t.Fatalf("revoking the enterprise left its certificate %s", c.body)
		}
	})
}
