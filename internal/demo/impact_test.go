package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"sprout/app"
	"sprout/internal/certs"
	"sprout/internal/clock"
	"sprout/internal/expo"
	"sprout/internal/impact"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// The demo's public figures are none of them zero and each equals what
// its other pages show, counted here another way.
func TestDemoImpactFiguresAddUp(t *testing.T) {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	clk := clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 10, 30, 0, 0, vn.Zone))
	a, _ := seed(t, cfg, clk)
	ctx := context.Background()

	want := map[impact.Figure]int{}
	programmes, _, err := a.Incubator.Programs(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	supported, inCohort := map[string]bool{}, map[string]bool{}
	for _, p := range programmes {
		// The council's appraisals of enterprises are no startups'.
		if p.Internal {
			continue
		}
		apps, _, err := a.Store.Applications(ctx, incubator.AppQuery{ProgramID: p.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range apps {
			if x.Status != incubator.Draft && !x.SubmittedAt.IsZero() {
				want[impact.Applications]++
			}
			if x.Status == incubator.Accepted {
				supported[x.FounderID] = true
				if x.CohortID != "" {
					inCohort[x.FounderID] = true
				}
			}
		}
	}
	want[impact.StartupsSupported], want[impact.StartupsInCohorts] = len(supported), len(inCohort)
	trainees := map[string]bool{}
	for _, kind := range []certs.Kind{certs.Training, certs.STEnterprise} {
		list, err := a.Certs.List(ctx, kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.Replaces == "" {
				want[impact.CertificatesIssued]++
			}
			if kind == certs.Training && c.Status == certs.Valid {
				trainees[c.Holder] = true
			}
		}
	}
	want[impact.TraineesCertified] = len(trainees)
	evs, _, err := a.Events.All(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Published && e.EndsAt.Before(clk.Now()) {
			want[impact.EventsHeld]++
		}
		st, err := a.Checkin.Stats(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		want[impact.VisitorsCheckedIn] += st.CheckedIn
		xs, err := a.Expo.Exhibitors(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range xs {
			if x.Status == expo.Approved {
				want[impact.Exhibitors]++
			}
		}
	}

	r, err := a.Impact.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range impact.Figures {
		if got := r.Figures[f].Total; got != want[f] || got == 0 {
			t.Errorf("%s = %d; the demo shows %d, and no figure may be zero", f, got, want[f])
		}
	}
}
