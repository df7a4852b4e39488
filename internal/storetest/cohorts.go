package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/incubator"
)

// RunCohorts runs the cohort suite; open returns a new empty store.
func RunCohorts(t *testing.T, open func(t *testing.T) IncubatorStore) {
	t.Run("Cohorts", func(t *testing.T) { testCohorts(t, open(t)) })
	t.Run("MentorSessions", func(t *testing.T) { testMentorSessions(t, open(t)) })
}

func testCohorts(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("khoa-2027", t0.Add(30*24*time.Hour)))
	c := incubator.Cohort{ID: ids.New(), ProgramID: p.ID, Name: "Khóa 1", StartsAt: t0, CreatedAt: t0}
	if err := s.CreateCohort(ctx, c); err != nil {
		t.Fatal(err)
	}
	in, out := newApplication(p.ID, "f1"), newApplication(p.ID, "f2")
	in.Status, in.CohortID, out.Status = incubator.Accepted, c.ID, incubator.Rejected
	for _, a := range []incubator.Application{in, out} {
		if err := s.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if cs, err := s.Cohorts(ctx); err != nil || len(cs) != 1 || cs[0].Name != "Khóa 1" {
		t.Fatalf("Cohorts = %+v, %v", cs, err)
	}
	if apps, err := s.CohortApplications(ctx, c.ID); err != nil || len(apps) != 1 || apps[0].ID != in.ID {
		t.Fatalf("CohortApplications = %+v, %v", apps, err)
	}

	for _, m := range []string{"m2", "m1", "m2"} {
		if err := s.AssignMentor(ctx, in.ID, m, t0.Add(time.Duration(len(m))*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	wantKind(t, s.AssignMentor(ctx, "nope", "m1", t0), errs.NotFound, "a mentor for an unknown application")
	if ms, err := s.Mentors(ctx, in.ID); err != nil || len(ms) != 2 {
		t.Fatalf("Mentors = %v, %v", ms, err)
	}
	if apps, err := s.MentorApplications(ctx, "m1"); err != nil || len(apps) != 1 || apps[0].StartupName != "Mầm Xanh" {
		t.Fatalf("MentorApplications = %+v, %v", apps, err)
	}

	m := incubator.Milestone{ID: ids.New(), ApplicationID: in.ID, Title: "MVP", Due: t0.Add(48 * time.Hour), Status: incubator.MilestoneTodo, CreatedAt: t0}
	early := incubator.Milestone{ID: ids.New(), ApplicationID: in.ID, Title: "Khách hàng đầu tiên", Due: t0.Add(time.Hour), Status: incubator.MilestoneDoing, CreatedAt: t0}
	for _, x := range []incubator.Milestone{m, early} {
		if err := s.PutMilestone(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	m.Status = incubator.MilestoneDone
	if err := s.PutMilestone(ctx, m); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.PutMilestone(ctx, incubator.Milestone{ID: ids.New(), ApplicationID: "nope", Title: "x"}), errs.NotFound, "a milestone of an unknown application")
	if got, err := s.Milestones(ctx, in.ID); err != nil || len(got) != 2 || got[0].Title != "Khách hàng đầu tiên" ||
		got[1].Status != incubator.MilestoneDone || !got[1].Due.Equal(m.Due) {
		t.Fatalf("Milestones = %+v, %v", got, err)
	}

	// Months before the suite's today: a report is filed for a month past.
	thisMonth := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	month := func(back int) string { return thisMonth.AddDate(0, -back, 0).Format("2006-01") }
	r := incubator.Report{ApplicationID: in.ID, Month: month(2), Revenue: 15_000_000, Users: 120, Staff: 4, Funding: 500_000_000,
		Highlights: "Ký hợp đồng đầu tiên", FiledBy: "f1", CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	feb := r
	feb.Month, feb.Revenue = month(3), 1
	if err := s.CreateReport(ctx, feb); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.CreateReport(ctx, r), errs.Conflict, "a second report for a month")
	r.Revenue, r.UpdatedAt = 20_000_000, t0.Add(time.Hour)
	if err := s.UpdateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.UpdateReport(ctx, incubator.Report{ApplicationID: in.ID, Month: month(14)}), errs.NotFound, "updating a missing report")
	if got, err := s.Reports(ctx, in.ID); err != nil || len(got) != 2 || got[0].Month != month(3) || got[1].Revenue != 20_000_000 ||
		got[1].Funding != 500_000_000 || !got[1].CreatedAt.Equal(t0) || got[1].Highlights != "Ký hợp đồng đầu tiên" {
		t.Fatalf("Reports = %+v, %v", got, err)
	}

	first, err := s.MarkReminded(ctx, in.ID, month(2))
	again, err2 := s.MarkReminded(ctx, in.ID, month(2))
	other, err3 := s.MarkReminded(ctx, in.ID, month(1))
	if fmt.Sprint(first, again, other) != "true false true" || err != nil || err2 != nil || err3 != nil {
		t.Fatalf("MarkReminded = %v %v %v, %v %v %v", first, again, other, err, err2, err3)
	}

	_, err = s.Profile(ctx, in.ID)
	wantKind(t, err, errs.NotFound, "a profile not yet put")
	pr := incubator.Profile{ApplicationID: in.ID, Name: "Mầm Xanh", Sector: "agritech", Stage: "mvp", Pitch: "Dữ liệu cho nông dân", UpdatedAt: t0}
	if err := s.PutProfile(ctx, pr); err != nil {
		t.Fatal(err)
	}
	pr.Stage, pr.LogoID = "revenue", "logo1"
	if err := s.PutProfile(ctx, pr); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.PutProfile(ctx, incubator.Profile{ApplicationID: "nope", Name: "x"}), errs.NotFound, "a profile of an unknown application")
	if got, err := s.Profile(ctx, in.ID); err != nil || got.Stage != "revenue" || got.LogoID != "logo1" || got.Pitch != pr.Pitch {
		t.Fatalf("Profile = %+v, %v", got, err)
	}
	if all, err := s.Profiles(ctx); err != nil || len(all) != 1 {
		t.Fatalf("Profiles = %+v, %v", all, err)
	}
}
