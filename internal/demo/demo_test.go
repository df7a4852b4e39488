package demo_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/checkin"
	"sprout/internal/clock"
	"sprout/internal/demo"
	"sprout/internal/errs"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// counts are what a second seed must not add to.
type counts struct{ users, events, programmes, exhibitors int }

// seed opens Sprout on cfg's embedded store, as a start of `sprout serve
// --demo` does, seeds the demo and returns what it printed.
func seed(t *testing.T, cfg app.Config, clk clock.Clock) (*app.App, string) {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, cfg, app.Assets{}, app.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	var out bytes.Buffer
	err = demo.Seed(ctx, a.Services, cfg.BaseURL, &out)
	if err != nil {
		t.Fatal(err)
	}
	return a, out.String()
}

func count(t *testing.T, a *app.App, expoID string) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	var err error
	if _, c.users, err = a.Accounts.List(ctx, accounts.UserQuery{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c.events, err = a.Events.All(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	if _, c.programmes, err = a.Incubator.Programs(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	list, err := a.Expo.Exhibitors(ctx, expoID)
	if err != nil {
		t.Fatal(err)
	}
	c.exhibitors = len(list)
	return c
}

func TestSeedTwiceOnOneStoreMakesOneDemoAndPrintsTheSameSignIns(t *testing.T) {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	// Mid-morning of the app's today, held still: both starts fall on the
	// same day, half of the expo's morning of check-ins has happened.
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	clk := clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 10, 30, 0, 0, vn.Zone))
	ctx := context.Background()

	first, out1 := seed(t, cfg, clk)
	day := clk.Now().In(vn.Zone)
	expo, err := first.Events.EventBySlug(ctx, "trien-lam-doi-moi-sang-tao-"+day.Format("2006-01-02"), true)
	if err != nil {
		t.Fatalf("no expo today: %v", err)
	}
	before := count(t, first, expo.ID)
	first.Close()

	second, out2 := seed(t, cfg, clk)
	if out1 != out2 {
		t.Fatalf("a restart prints other sign-ins:\n%s\n%s", out1, out2)
	}
	if after := count(t, second, expo.ID); after != before {
		t.Fatalf("a second seed changed the demo: %+v, then %+v", before, after)
	}
	if before.users < len(demo.Accounts) || before.events != 2 || before.programmes != 1 || before.exhibitors != 15 {
		t.Fatalf("the demo holds %+v", before)
	}

	for _, da := range demo.Accounts {
		var pw string
		for _, l := range strings.Split(out1, "\n") {
			if f := strings.Fields(l); len(f) > 2 && f[len(f)-2] == da.Email && strings.Contains(l, da.Name) {
				pw = f[len(f)-1]
			}
		}
		u, err := second.Accounts.Login(ctx, da.Email, pw, "demo-test")
		if err != nil {
			t.Fatalf("%s cannot sign in with the printed password %q: %v", da.Email, pw, err)
		}
		if len(u.Roles) != 1 || u.Roles[0] != da.Role {
			t.Fatalf("%s has roles %v, want %s", da.Email, u.Roles, da.Role)
		}
	}

	techfest, err := second.Events.EventBySlug(ctx, "techfest-ha-noi-2026", true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := techfest.StartsAt.In(vn.Zone).Format("2006-01-02"), day.AddDate(0, 0, 7).Format("2006-01-02"); got != want {
		t.Errorf("the Techfest starts on %s, want a week after the clock's today, %s", got, want)
	}

	// The morning's arrivals are in the scan log as they happened, none
	// after the clock's now.
	st, err := second.Checkin.Stats(ctx, expo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.CheckedIn != 170 || st.Inside != 151 {
		t.Errorf("the expo has %d checked in, %d inside; want 170 and 151", st.CheckedIn, st.Inside)
	}
	scans, total, err := second.Checkin.Log(ctx, checkin.LogQuery{EventID: expo.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if total != 189 {
		t.Errorf("%d scans at the expo, want 170 entries and 19 exits", total)
	}
	for _, sc := range scans {
		if !sc.RecordedAt.Equal(sc.ScannedAt) || sc.ScannedAt.After(clk.Now()) || sc.ScannedAt.In(vn.Zone).Hour() < 8 {
			t.Fatalf("scan %s made %s, recorded %s; the clock says %s", sc.ID, sc.ScannedAt, sc.RecordedAt, clk.Now())
		}
	}

	// The cohort's first startup reports the four months before this one.
	cohorts, err := second.Incubator.Cohorts(ctx)
	if err != nil || len(cohorts) != 1 {
		t.Fatalf("cohorts %v, %v", cohorts, err)
	}
	_, board, err := second.Incubator.CohortBoard(ctx, cohorts[0].ID)
	if err != nil || len(board) != 2 {
		t.Fatalf("the demo cohort: %v, %v", board, err)
	}
	var months []string
	for _, r := range board[0].Reports {
		months = append(months, r.Month)
	}
	this := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, vn.Zone)
	var want []string
	for k := 4; k >= 1; k-- {
		want = append(want, incubator.Month(this.AddDate(0, -k, 0)))
	}
	if strings.Join(months, " ") != strings.Join(want, " ") {
		t.Errorf("reports of %v, want %v", months, want)
	}

	// Backfilling keeps to the past, once a month.
	r := board[0].Reports[0]
	if err := second.Incubator.BackfillReport(ctx, r); errs.KindOf(err) != errs.Conflict {
		t.Errorf("a month backfilled twice: %v", err)
	}
	r.Month = incubator.Month(clk.Now())
	if err := second.Incubator.BackfillReport(ctx, r); errs.KindOf(err) != errs.Invalid {
		t.Errorf("this month backfilled: %v", err)
	}
}
