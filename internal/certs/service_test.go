package certs_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sprout/internal/certs"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/keys"
	"sprout/internal/sqlite"
)

var ctx = context.Background()

func newService(t *testing.T) (*certs.Service, *clock.Manual) {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sprout.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clk := clock.NewManual(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	return certs.NewService(s, keys.NewRing(s, clk), clk, "HN", "Sở KH&CN Hà Nội"), clk
}

func training(source string) certs.Input {
	return certs.Input{Kind: certs.Training, Holder: "  Nguyễn   Văn An ", Title: "Khởi nghiệp tinh gọn", Source: source,
		Details: map[string]string{"hours": "24"}}
}

func TestCertIssueOnceAndToken(t *testing.T) {
	svc, _ := newService(t)
	var wg sync.WaitGroup
	got := make([]certs.Certificate, 20)
	fresh := make([]bool, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, made, err := svc.Issue(ctx, training("course:e1:t1"))
			if err != nil {
				t.Error(err)
			}
			got[i], fresh[i] = c, made
		}()
	}
	wg.Wait()
	made := 0
	for i, c := range got {
		if c.Code != "HN-2026-000001" {
			t.Fatalf("code %q, want HN-2026-000001 for every issue", c.Code)
		}
		if fresh[i] {
			made++
		}
	}
	if made != 1 {
		t.Fatalf("%d issues said they issued it, want 1", made)
	}
	c := got[0]
	if c.Holder != "Nguyễn Văn An" || c.Issuer != "Sở KH&CN Hà Nội" || c.Status != certs.Valid || c.KeyID == "" {
		t.Fatalf("issued %+v", c)
	}
	tok, err := svc.Token(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := svc.Token(ctx, c)
	if again != tok {
		t.Fatal("the token differs when signed again")
	}
	claims, err := svc.Verify(ctx, tok)
	if err != nil || claims.Code != c.Code || claims.Holder != c.Holder || claims.Kind != "training" {
		t.Fatalf("Verify = %+v, %v", claims, err)
	}
	if next, _, err := svc.Issue(ctx, training("course:e1:t2")); err != nil || next.Code != "HN-2026-000002" {
		t.Fatalf("next certificate %q, %v", next.Code, err)
	}
}

func TestCertIssueNamesEveryMistake(t *testing.T) {
	svc, _ := newService(t)
	_, _, err := svc.Issue(ctx, certs.Input{Kind: "diploma", Holder: " ", Title: strings.Repeat("x", certs.MaxTitle+1)})
	fields := map[string]bool{}
	for _, e := range errs.FieldErrors(err) {
		fields[e.Field] = true
	}
	for _, f := range []string{"kind", "holder", "title", "source"} {
		if !fields[f] {
			t.Errorf("no error about %s in %v", f, err)
		}
	}
}

func TestCertRevokeAndReissue(t *testing.T) {
	svc, clk := newService(t)
	c, _, err := svc.Issue(ctx, training("course:e1:t1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Revoke(ctx, c.Code, "  "); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("revoke without a reason: %v", err)
	}
	if _, err := svc.Revoke(ctx, "HN-2026-000099", "x"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("revoke of an unknown code: %v", err)
	}
	clk.Advance(time.Hour)
	fixed, err := svc.Reissue(ctx, c.Code, "Nguyễn Văn Ân", "Khởi nghiệp tinh gọn")
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Code == c.Code || fixed.Replaces != c.Code || fixed.Holder != "Nguyễn Văn Ân" || fixed.Details["hours"] != "24" {
		t.Fatalf("re-issued %+v", fixed)
	}
	old, err := svc.ByCode(ctx, c.Code)
	if err != nil || old.Status != certs.Revoked || old.ReplacedBy != fixed.Code || old.RevokeReason != certs.ReasonReissued {
		t.Fatalf("old after re-issue %+v, %v", old, err)
	}
	// Issuing for the source again gives the one that holds now.
	if again, fresh, err := svc.Issue(ctx, training("course:e1:t1")); err != nil || again.Code != fixed.Code || fresh {
		t.Fatalf("issue again gave %q (fresh %v), %v; want %s", again.Code, fresh, err, fixed.Code)
	}
	if now, err := svc.BySource(ctx, certs.Training, "course:e1:t1"); err != nil || now.Code != fixed.Code {
		t.Fatalf("BySource gave %q, %v; want %s", now.Code, err, fixed.Code)
	}
	// Re-issuing again gives back the same correction.
	if twice, err := svc.Reissue(ctx, c.Code, "Nguyễn Văn Ân", "Khởi nghiệp tinh gọn"); err != nil || twice.Code != fixed.Code {
		t.Fatalf("second re-issue gave %q, %v", twice.Code, err)
	}
	got, err := svc.Revoke(ctx, fixed.Code, "Không hoàn thành khóa học")
	if err != nil || got.Status != certs.Revoked || got.RevokeReason != "Không hoàn thành khóa học" || !got.RevokedAt.Equal(clk.Now()) {
		t.Fatalf("revoke = %+v, %v", got, err)
	}
	if _, err := svc.Revoke(ctx, fixed.Code, "again"); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("revoke twice: %v", err)
	}
	if _, err := svc.Reissue(ctx, fixed.Code, "A", "B"); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("re-issue of a revoked certificate: %v", err)
	}
	if _, err := svc.ByCode(ctx, "<script>"); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("malformed code: %v", err)
	}
	list, err := svc.List(ctx, certs.Training)
	if err != nil || len(list) != 2 || list[0].Code != fixed.Code {
		t.Fatalf("List = %v, %v", list, err)
	}
}

// Current follows corrections to the certificate that holds.
func TestCertCurrentFollowsCorrections(t *testing.T) {
	svc, _ := newService(t)
	c, _, err := svc.Issue(ctx, training("course:e1:t1"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.Current(ctx, c.Code); err != nil || got.Code != c.Code {
		t.Fatalf("Current of a certificate never corrected: %q, %v", got.Code, err)
	}
	first, err := svc.Reissue(ctx, c.Code, "Nguyễn Văn Ân", "Khởi nghiệp tinh gọn")
	if err != nil {
		t.Fatal(err)
	}
	second, err := svc.Reissue(ctx, first.Code, "Nguyễn Văn Ấn", "Khởi nghiệp tinh gọn")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.Current(ctx, c.Code); err != nil || got.Code != second.Code {
		t.Fatalf("Current = %q, %v; want %s", got.Code, err, second.Code)
	}
	if _, err := svc.Current(ctx, "HN-2026-999999"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("Current of an unknown code: %v", err)
	}
}
