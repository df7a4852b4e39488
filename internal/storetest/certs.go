package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/certs"
	"sprout/internal/errs"
)

// CertsStore is what certificates need from an adapter.
type CertsStore interface{ certs.Store }

// RunCerts runs the certificate behaviour; open must return a new empty
// store each call.
func RunCerts(t *testing.T, open func(t *testing.T) CertsStore) {
	t.Run("CertIssueOnce", func(t *testing.T) { testCertIssueOnce(t, open(t)) })
	t.Run("CertCodes", func(t *testing.T) { testCertCodes(t, open(t)) })
	t.Run("CertRevoke", func(t *testing.T) { testCertRevoke(t, open(t)) })
	t.Run("CertList", func(t *testing.T) { testCertList(t, open(t)) })
}

func certCode(year int, n int64) string { return certs.FormatCode("HN", year, n) }

func newCert(kind certs.Kind, source string, at time.Time) certs.Certificate {
	return certs.Certificate{
		Kind: kind, Holder: "Nguyễn Văn An", Title: "Khởi nghiệp tinh gọn", Issuer: "Sở KH&CN Hà Nội",
		Source: source, Details: map[string]string{"hours": "24"}, IssuedAt: at, Status: certs.Valid, KeyID: "k1",
	}
}

func issueCert(t *testing.T, s CertsStore, c certs.Certificate) certs.Certificate {
	t.Helper()
	got, created, err := s.IssueCert(context.Background(), c, certCode)
	if err != nil || !created {
		t.Fatalf("IssueCert(%s) = %v, created %v", c.Source, err, created)
	}
	return got
}

func testCertIssueOnce(t *testing.T, s CertsStore) {
	ctx := context.Background()
	c := newCert(certs.Training, "course:e1:t1", t0)
	var wg sync.WaitGroup
	codes := make([]string, 20)
	created := make([]bool, 20)
	errors := make([]error, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, made, err := s.IssueCert(ctx, c, certCode)
			codes[i], created[i], errors[i] = got.Code, made, err
		}()
	}
	wg.Wait()
	made := 0
	for i := range codes {
		if errors[i] != nil {
			t.Fatalf("issue %d: %v", i, errors[i])
		}
		if codes[i] != codes[0] {
			t.Fatalf("issues of one source gave %s and %s", codes[0], codes[i])
		}
		if created[i] {
			made++
		}
	}
	if made != 1 {
		t.Fatalf("%d issues said they created the certificate, want 1", made)
	}
	list, err := s.ListCerts(ctx, certs.Training)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListCerts = %d certificates, %v; want 1", len(list), err)
	}
	got, err := s.CertByCode(ctx, codes[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.Holder != c.Holder || got.Title != c.Title || got.Issuer != c.Issuer || got.Source != c.Source ||
		got.KeyID != "k1" || got.Status != certs.Valid || !got.IssuedAt.Equal(t0) || got.Details["hours"] != "24" {
		t.Fatalf("CertByCode = %+v, want what was issued", got)
	}
	if bySource, err := s.CertBySource(ctx, certs.Training, c.Source); err != nil || bySource.Code != codes[0] || bySource.Holder != c.Holder {
		t.Fatalf("CertBySource = %+v, %v; want %s", bySource, err, codes[0])
	}
	// The same source under the other kind is another certificate.
	other := issueCert(t, s, newCert(certs.STEnterprise, "course:e1:t1", t0))
	if other.Code == codes[0] {
		t.Fatalf("another kind got the same code %s", other.Code)
	}
	if got, err := s.CertBySource(ctx, certs.STEnterprise, c.Source); err != nil || got.Code != other.Code {
		t.Fatalf("CertBySource of the other kind = %+v, %v; want %s", got, err, other.Code)
	}
	_, err = s.CertBySource(ctx, certs.Training, "course:e1:t2")
	wantKind(t, err, errs.NotFound, "certificate of a source never issued")
}

func testCertCodes(t *testing.T, s CertsStore) {
	year := t0.Year()
	for i := 1; i <= 3; i++ {
		kind := certs.Training
		if i == 2 {
			kind = certs.STEnterprise
		}
		c := issueCert(t, s, newCert(kind, fmt.Sprintf("s%d", i), t0.Add(time.Duration(i)*time.Minute)))
		if want := certs.FormatCode("HN", year, int64(i)); c.Code != want {
			t.Fatalf("certificate %d has code %s, want %s", i, c.Code, want)
		}
	}
	next := time.Date(year+1, 1, 1, 0, 0, 1, 0, time.UTC)
	c := issueCert(t, s, newCert(certs.Training, "next-year", next))
	if want := certs.FormatCode("HN", year+1, 1); c.Code != want {
		t.Fatalf("the first certificate of a year has code %s, want %s", c.Code, want)
	}
	c = issueCert(t, s, newCert(certs.Training, "this-year-again", t0.Add(time.Hour)))
	if want := certs.FormatCode("HN", year, 4); c.Code != want {
		t.Fatalf("the fourth certificate of %d has code %s, want %s", year, c.Code, want)
	}
	_, err := s.CertByCode(context.Background(), certs.FormatCode("HN", year, 99))
	wantKind(t, err, errs.NotFound, "CertByCode of an unknown code")
}

func testCertRevoke(t *testing.T, s CertsStore) {
	ctx := context.Background()
	c := issueCert(t, s, newCert(certs.Training, "r1", t0))
	at := t0.Add(time.Hour)
	got, err := s.RevokeCert(ctx, c.Code, at, "Sai tên", "HN-2026-000009")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != certs.Revoked || !got.RevokedAt.Equal(at) || got.RevokeReason != "Sai tên" || got.ReplacedBy != "HN-2026-000009" {
		t.Fatalf("RevokeCert = %+v", got)
	}
	read, err := s.CertByCode(ctx, c.Code)
	if err != nil || read.Status != certs.Revoked || !read.RevokedAt.Equal(at) || read.RevokeReason != "Sai tên" || read.ReplacedBy != "HN-2026-000009" {
		t.Fatalf("CertByCode after revoke = %+v, %v", read, err)
	}
	_, err = s.RevokeCert(ctx, c.Code, at.Add(time.Hour), "again", "")
	wantKind(t, err, errs.Conflict, "RevokeCert of a revoked certificate")
	if read, _ := s.CertByCode(ctx, c.Code); !read.RevokedAt.Equal(at) || read.RevokeReason != "Sai tên" {
		t.Fatalf("a second revoke changed %+v", read)
	}
	_, err = s.RevokeCert(ctx, "HN-2026-999999", at, "x", "")
	wantKind(t, err, errs.NotFound, "RevokeCert of an unknown code")
}

func testCertList(t *testing.T, s CertsStore) {
	ctx := context.Background()
	if list, err := s.ListCerts(ctx, certs.Training); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListCerts on an empty store = %v, %v; want an empty list", list, err)
	}
	a := issueCert(t, s, newCert(certs.Training, "a", t0))
	issueCert(t, s, newCert(certs.STEnterprise, "b", t0.Add(time.Minute)))
	c := issueCert(t, s, newCert(certs.Training, "c", t0.Add(2*time.Minute)))
	list, err := s.ListCerts(ctx, certs.Training)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Code != c.Code || list[1].Code != a.Code {
		t.Fatalf("ListCerts(training) = %v, want %s then %s", list, c.Code, a.Code)
	}
	list, err = s.ListCerts(ctx, certs.STEnterprise)
	if err != nil || len(list) != 1 || list[0].Kind != certs.STEnterprise {
		t.Fatalf("ListCerts(st_enterprise) = %v, %v", list, err)
	}
}
