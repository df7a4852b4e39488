package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/certification"
	"sprout/internal/errs"
)

// CertificationStore is what the enterprise certification procedure needs
// from an adapter.
type CertificationStore interface{ certification.Store }

// RunCertification runs the dossiers' behaviour; open must return a new
// empty store each call.
func RunCertification(t *testing.T, open func(t *testing.T) CertificationStore) {
	t.Run("DossierKept", func(t *testing.T) { testDossierKept(t, open(t)) })
	t.Run("DossierVersionGuard", func(t *testing.T) { testDossierVersionGuard(t, open(t)) })
	t.Run("DossierQueries", func(t *testing.T) { testDossierQueries(t, open(t)) })
}

func newDossier(id, owner, name, tax string, at time.Time) certification.Dossier {
	return certification.Dossier{
		ID: id, OwnerID: owner, Kind: certification.New, Stage: certification.Draft, Version: 1,
		Enterprise: certification.Enterprise{Name: name, TaxCode: tax, Address: "Số 1 Trần Hưng Đạo, Hà Nội",
			Representative: "Nguyễn Văn An", Founded: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), Size: certification.Small, Sector: "software"},
		Finance: certification.Finance{Year: 2025, Revenue: 12_000_000_000, ResultRevenue: 5_400_000_000, RDStaff: 6, Staff: 20},
		Results: []certification.Result{{Kind: certification.Software, Title: "Nền tảng quản lý nông trại", Number: "1234/2023/QTG",
			ProofID: id + ".p1", ProofName: "ban-quyen.pdf"}},
		History:   []certification.Step{{At: at, Stage: certification.Draft, By: owner}},
		CreatedAt: at, UpdatedAt: at,
	}
}

// testDossierKept: a dossier reads back whole; an unknown one is
// errs.NotFound, and so is saving one; an id taken is errs.Conflict.
func testDossierKept(t *testing.T, s CertificationStore) {
	ctx := context.Background()
	d := newDossier("d1", "u1", "Công ty Cổ phần Công nghệ Mầm Xanh", "0101234567", t0)
	if err := s.CreateDossier(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := s.Dossier(ctx, "d1")
	if err != nil || fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", d) {
		t.Fatalf("Dossier = %+v, %v;\nwant %+v", got, err, d)
	}
	wantKind(t, s.CreateDossier(ctx, d), errs.Conflict, "a dossier created twice")
	_, err = s.Dossier(ctx, "nope")
	wantKind(t, err, errs.NotFound, "an unknown dossier")
	ghost := newDossier("ghost", "u1", "X", "0100000000", t0)
	ghost.Version = 2
	wantKind(t, s.SaveDossier(ctx, ghost), errs.NotFound, "saving an unknown dossier")
}

// testDossierVersionGuard: of ten saves from one version at once, exactly
// one is kept; the others are errs.Conflict and change nothing.
func testDossierVersionGuard(t *testing.T, s CertificationStore) {
	ctx := context.Background()
	d := newDossier("d1", "u1", "Công ty TNHH Kỹ thuật Sông Hồng", "0109876543", t0)
	if err := s.CreateDossier(ctx, d); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]error, 10)
	for i := range results {
		wg.Go(func() {
			next := d
			next.Version = 2
			next.Enterprise.Address = fmt.Sprintf("Số %d Lê Duẩn, Hà Nội", i)
			next.UpdatedAt = t0.Add(time.Minute)
			results[i] = s.SaveDossier(ctx, next)
		})
	}
	wg.Wait()
	kept := -1
	for i, err := range results {
		switch {
		case err == nil && kept >= 0:
			t.Fatalf("saves %d and %d were both kept", kept, i)
		case err == nil:
			kept = i
		case errs.KindOf(err) != errs.Conflict:
			t.Fatalf("save %d: %v, want conflict", i, err)
		}
	}
	got, err := s.Dossier(ctx, "d1")
	if err != nil || kept < 0 || got.Version != 2 || got.Enterprise.Address != fmt.Sprintf("Số %d Lê Duẩn, Hà Nội", kept) {
		t.Fatalf("after the race: %+v, %v; kept save %d", got, err, kept)
	}
	stale := d
	stale.Version = 2
	wantKind(t, s.SaveDossier(ctx, stale), errs.Conflict, "a save from a version overtaken")
}

// testDossierQueries: by owner, stage, sector, the year granted, and
// words of the name or tax code without diacritics; newest change first,
// with the total before paging.
func testDossierQueries(t *testing.T, s CertificationStore) {
	ctx := context.Background()
	granted := func(d certification.Dossier, at time.Time) certification.Dossier {
		d.Stage, d.CertCode, d.DecidedAt = certification.Granted, "HN-2025-000001", at
		return d
	}
	list := []certification.Dossier{
		granted(newDossier("a", "u1", "Công ty Cổ phần Công nghệ Mầm Xanh", "0101234567", t0), time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC)),
		newDossier("b", "u2", "Công ty TNHH Đổi mới Sáng tạo Hà Nội", "0107654321", t0.Add(time.Hour)),
		granted(newDossier("c", "u2", "Công ty Cổ phần Dược liệu Xanh", "0105555555-001", t0.Add(2*time.Hour)), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)),
	}
	list[2].Enterprise.Sector = "health"
	list[1].Kind = certification.Amendment
	for _, d := range list {
		if err := s.CreateDossier(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q certification.Query) (string, int) {
		t.Helper()
		got, total, err := s.Dossiers(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, d := range got {
			out += d.ID
		}
		return out, total
	}
	for _, c := range []struct {
		name  string
		q     certification.Query
		want  string
		total int
	}{
		{"all, newest first", certification.Query{}, "cba", 3},
		{"paged", certification.Query{Limit: 1, Offset: 1}, "b", 3},
		{"an owner's", certification.Query{OwnerID: "u2"}, "cb", 2},
		{"granted", certification.Query{Stages: []certification.Stage{certification.Granted}}, "ca", 2},
		{"two stages", certification.Query{Stages: []certification.Stage{certification.Draft, certification.Refused}}, "b", 1},
		{"a sector", certification.Query{Sector: "health"}, "c", 1},
		{"a kind", certification.Query{Kind: certification.New}, "ca", 2},
		// 18:00 UTC on 31 December is 1 January in Vietnam.
		{"granted in 2026", certification.Query{Year: 2026}, "a", 1},
		{"granted in 2025", certification.Query{Year: 2025}, "c", 1},
		{"words without diacritics", certification.Query{Text: "mam xan"}, "a", 1},
		{"a word in two names", certification.Query{Text: "XANH"}, "ca", 2},
		{"a tax code", certification.Query{Text: "0107654321"}, "b", 1},
		{"a branch's tax code", certification.Query{Text: "0105555555-001"}, "c", 1},
		{"no match", certification.Query{Text: "sông"}, "", 0},
	} {
		if got, total := ids(c.q); got != c.want || total != c.total {
			t.Errorf("%s: %q of %d, want %q of %d", c.name, got, total, c.want, c.total)
		}
	}
	// Saved, a dossier moves to the front and is found by its new name.
	b, _ := s.Dossier(ctx, "b")
	b.Version, b.UpdatedAt, b.Enterprise.Name = 2, t0.Add(5*time.Hour), "Công ty TNHH Sông Hồng"
	if err := s.SaveDossier(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := ids(certification.Query{}); got != "bca" {
		t.Errorf("after a save: %q, want bca", got)
	}
	if got, _ := ids(certification.Query{Text: "song hong"}); got != "b" {
		t.Errorf("the new name: %q, want b", got)
	}
}
