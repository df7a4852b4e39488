package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/ids"
	"sprout/internal/impact"
	"sprout/internal/incubator"
)

// ImpactStore is what the public figures count from.
type ImpactStore interface {
	impact.Store
	incubator.Store
	certs.Store
	events.Store
	checkin.Store
	expo.Store
}

// RunImpact runs the public figures' counts; open returns a new empty store.
func RunImpact(t *testing.T, open func(t *testing.T) ImpactStore) {
	t.Run("ImpactEmpty", func(t *testing.T) { testImpactEmpty(t, open(t)) })
	t.Run("ImpactCounts", func(t *testing.T) { testImpactCounts(t, open(t)) })
	t.Run("ImpactWithoutInternalProgrammes", func(t *testing.T) { testImpactWithoutInternal(t, open(t)) })
}

// testImpactWithoutInternal: with no internal programme at all, the
// applications still count.
func testImpactWithoutInternal(t *testing.T, s ImpactStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("khoa-2025", utc(2025, time.March, 1, 0)))
	a := newApplication(p.ID, "f1")
	if err := s.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	a.Status, a.SubmittedAt = incubator.Submitted, utc(2025, time.March, 2, 3)
	if err := s.SetStatus(ctx, a, []incubator.Status{incubator.Draft}); err != nil {
		t.Fatal(err)
	}
	c, err := s.ImpactCounts(ctx, t0)
	if err != nil || c.Figures[impact.Applications].Total != 1 {
		t.Fatalf("applications without an internal programme: %+v, %v", c.Figures[impact.Applications], err)
	}
}

func testImpactEmpty(t *testing.T, s ImpactStore) {
	c, err := s.ImpactCounts(context.Background(), t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range impact.Figures {
		if got := c.Figures[f]; got.Total != 0 || len(got.ByYear) != 0 {
			t.Errorf("%s = %+v in an empty store", f, got)
		}
	}
}

// utc is a time in UTC; at 18:00 on 31 December it is already the next
// year in Vietnam, which the counts must follow.
func utc(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

func testImpactCounts(t *testing.T, s ImpactStore) {
	ctx := context.Background()
	newYearEve := utc(2024, time.December, 31, 18)

	// Applications: four submitted (one a founder's second, to another
	// programme), one draft.
	p1 := mustProgram(t, s, newProgram("khoa-2024", utc(2024, time.April, 1, 0)))
	p2 := mustProgram(t, s, newProgram("khoa-2025", utc(2025, time.March, 1, 0)))
	c1 := incubator.Cohort{ID: ids.New(), ProgramID: p1.ID, Name: "Khóa 2024", StartsAt: newYearEve, EndsAt: newYearEve.AddDate(0, 6, 0), CreatedAt: newYearEve}
	c2 := incubator.Cohort{ID: ids.New(), ProgramID: p2.ID, Name: "Khóa 2025", StartsAt: utc(2025, time.March, 1, 0), EndsAt: utc(2025, time.September, 1, 0), CreatedAt: t0}
	for _, c := range []incubator.Cohort{c1, c2} {
		if err := s.CreateCohort(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	apply := func(programID, founder string, submitted time.Time, st incubator.Status, decided time.Time, cohort string) {
		t.Helper()
		a := newApplication(programID, founder)
		if err := s.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		if submitted.IsZero() {
			return
		}
		a.Status, a.SubmittedAt = incubator.Submitted, submitted
		if err := s.SetStatus(ctx, a, []incubator.Status{incubator.Draft}); err != nil {
			t.Fatal(err)
		}
		if st == incubator.Submitted {
			return
		}
		a.Status, a.DecidedAt, a.CohortID = st, decided, cohort
		if err := s.SetStatus(ctx, a, []incubator.Status{incubator.Submitted}); err != nil {
			t.Fatal(err)
		}
	}
	apply(p1.ID, "f1", utc(2024, time.March, 1, 3), incubator.Accepted, newYearEve, c1.ID)
	apply(p1.ID, "f2", utc(2024, time.March, 2, 3), incubator.Accepted, utc(2024, time.June, 1, 3), "")
	apply(p1.ID, "f3", utc(2024, time.March, 3, 3), incubator.Rejected, utc(2024, time.June, 1, 3), "")
	apply(p1.ID, "f4", time.Time{}, "", time.Time{}, "")
	apply(p2.ID, "f1", utc(2025, time.January, 10, 3), incubator.Accepted, utc(2025, time.February, 1, 3), c2.ID)
	apply(p2.ID, "f5", utc(2025, time.January, 11, 3), incubator.Submitted, time.Time{}, "")
	// The council's appraisals, applications to an internal programme, are
	// no startups' and count nowhere.
	council := newProgram("tham-dinh", utc(2024, time.January, 1, 0))
	council.Internal = true
	council = mustProgram(t, s, council)
	apply(council.ID, "behalf:d1", utc(2024, time.May, 1, 3), incubator.Accepted, utc(2024, time.June, 1, 3), "")

	// Certificates: four trainings (one revoked, two of one person) and an
	// enterprise's, re-issued once.
	cert := func(kind certs.Kind, holder string, at time.Time) certs.Certificate {
		c := newCert(kind, ids.New(), at)
		c.Holder = holder
		return issueCert(t, s, c)
	}
	cert(certs.Training, "Nguyễn Văn An", utc(2024, time.May, 1, 3))
	cert(certs.Training, "Trần Thị Bình", utc(2025, time.May, 1, 3))
	cert(certs.Training, "Nguyễn Văn An", utc(2025, time.June, 1, 3))
	wrong := cert(certs.Training, "Lê Văn Cường", utc(2025, time.June, 1, 3))
	if _, err := s.RevokeCert(ctx, wrong.Code, utc(2025, time.July, 1, 3), "sai thông tin", ""); err != nil {
		t.Fatal(err)
	}
	ent := cert(certs.STEnterprise, "Công ty CP Mầm Xanh", utc(2025, time.July, 1, 3))
	fix := newCert(certs.STEnterprise, ids.New(), utc(2025, time.August, 1, 3))
	fix.Holder, fix.Replaces = ent.Holder, ent.Code
	fix = issueCert(t, s, fix)
	if _, err := s.RevokeCert(ctx, ent.Code, fix.IssuedAt, certs.ReasonReissued, fix.Code); err != nil {
		t.Fatal(err)
	}

	// Events: two held, one to come, one never published.
	now := utc(2026, time.January, 1, 0)
	held := newEvent("techfest-2024", utc(2024, time.May, 1, 1), true)
	for _, e := range []events.Event{held, newEvent("techfest-2025", newYearEve, true),
		newEvent("techfest-2026", now.Add(time.Hour), true), newEvent("nhap", utc(2024, time.May, 1, 1), false)} {
		if err := s.CreateEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	// Check-ins: tk1 in, out and in again, tk2 in, tk3 in and annulled.
	at := held.StartsAt
	record(t, s, scanOf(held.ID, "tk1", "A", checkin.In, at))
	record(t, s, scanOf(held.ID, "tk1", "A", checkin.Out, at.Add(time.Hour)))
	record(t, s, scanOf(held.ID, "tk1", "A", checkin.In, at.Add(2*time.Hour)))
	record(t, s, scanOf(held.ID, "tk2", "B", checkin.In, at))
	annulled := record(t, s, scanOf(held.ID, "tk3", "B", checkin.In, at))
	if _, err := s.AnnulScan(ctx, held.ID, annulled.ID, "org", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}

	// Exhibitors: two approved, one waiting, one approved then rejected.
	review := func(to expo.ExhibitorStatus, at time.Time) expo.Exhibitor {
		t.Helper()
		x := newExhibitor(held.ID, "Công ty "+ids.New())
		x.Status = expo.Pending
		if err := s.CreateExhibitor(ctx, x); err != nil {
			t.Fatal(err)
		}
		if to == expo.Pending {
			return x
		}
		x, err := s.ReviewExhibitor(ctx, x.ID, expo.Review{To: to, Step: expo.Step{Action: string(to), ByID: "org", At: at}})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	review(expo.Approved, newYearEve)
	review(expo.Approved, utc(2025, time.March, 1, 3))
	review(expo.Pending, time.Time{})
	x := review(expo.Approved, utc(2025, time.March, 1, 3))
	if _, err := s.ReviewExhibitor(ctx, x.ID, expo.Review{To: expo.Rejected,
		Step: expo.Step{Action: expo.StepRejected, ByID: "org", At: utc(2025, time.March, 2, 3)}}); err != nil {
		t.Fatal(err)
	}

	got, err := s.ImpactCounts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[impact.Figure]string{
		impact.Applications:       "5 map[2024:3 2025:2]",
		impact.StartupsSupported:  "2 map[2024:1 2025:1]",
		impact.StartupsInCohorts:  "1 map[2025:1]",
		impact.CertificatesIssued: "5 map[2024:1 2025:4]",
		impact.TraineesCertified:  "2 map[2024:1 2025:2]",
		impact.EventsHeld:         "2 map[2024:1 2025:1]",
		impact.VisitorsCheckedIn:  "2 map[2024:2]",
		impact.Exhibitors:         "2 map[2025:2]",
	}
	for f, w := range want {
		if c := got.Figures[f]; fmt.Sprint(c.Total, " ", c.ByYear) != w {
			t.Errorf("%s = %d %v; want %s", f, c.Total, c.ByYear, w)
		}
	}
	for k, w := range map[string]string{impact.KindTraining: "4 map[2024:1 2025:3]", impact.KindSTEnterprise: "1 map[2025:1]"} {
		if c := got.CertificatesByKind[k]; fmt.Sprint(c.Total, " ", c.ByYear) != w {
			t.Errorf("certificates %s = %d %v; want %s", k, c.Total, c.ByYear, w)
		}
	}
}
