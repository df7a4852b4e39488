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
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/clock"
	"sprout/internal/demo"
	"sprout/internal/errs"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// counts are what a second seed must not add to.
type counts struct{ users, events, programmes, exhibitors, training, enterprises, revoked int }

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
	for _, kind := range []certs.Kind{certs.Training, certs.STEnterprise} {
		list, err := a.Certs.List(ctx, kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, cert := range list {
			if cert.Status == certs.Revoked {
				c.revoked++
			}
		}
		if kind == certs.Training {
			c.training = len(list)
		} else {
			c.enterprises = len(list)
		}
	}
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
	// same day, before the expo's morning is over.
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
	if before.users < len(demo.Accounts) || before.events != 3 || before.programmes != 1 || before.exhibitors != 15 ||
		before.training != 2 || before.enterprises != 1 || before.revoked != 1 {
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

// The expo's morning reads like one: started at 8:10, before the morning
// is over, the demo still shows a whole morning of arrivals, all past,
// spread from 8:00 to 11:30 with the rush around 9:00, not one pile at the
// start; and every scan names the staff member at that gate, one of the
// event's staff.
func TestExpoMorningIsSpreadAndEachScanNamesItsStaff(t *testing.T) {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	clk := clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 8, 10, 0, 0, vn.Zone))
	a, _ := seed(t, cfg, clk)
	ctx := context.Background()
	expo, err := a.Events.EventBySlug(ctx, "trien-lam-doi-moi-sang-tao-"+today.Format("2006-01-02"), true)
	if err != nil {
		t.Fatal(err)
	}
	scans, total, err := a.Checkin.Log(ctx, checkin.LogQuery{EventID: expo.ID, Limit: 500})
	if err != nil || total != 189 || len(scans) != total {
		t.Fatalf("%d scans of %d: %v", len(scans), total, err)
	}
	staff, err := a.Staffing.Staff(ctx, expo.ID)
	if err != nil {
		t.Fatal(err)
	}
	onStaff := map[string]string{}
	for _, m := range staff {
		onStaff[m.ID] = m.Name
	}
	first, last := scans[0].ScannedAt, scans[0].ScannedAt
	slots := map[int64]int{}
	byGate := map[string]map[string]bool{}
	for _, sc := range scans {
		if sc.ScannedAt.After(clk.Now()) {
			t.Fatalf("scan %s made %s, after the clock's %s", sc.ID, sc.ScannedAt, clk.Now())
		}
		if onStaff[sc.StaffID] == "" {
			t.Fatalf("scan %s at %s names %q, not one of the event's staff", sc.ID, sc.Gate, sc.StaffID)
		}
		if byGate[sc.Gate] == nil {
			byGate[sc.Gate] = map[string]bool{}
		}
		byGate[sc.Gate][sc.StaffID] = true
		if sc.ScannedAt.Before(first) {
			first = sc.ScannedAt
		}
		if sc.ScannedAt.After(last) {
			last = sc.ScannedAt
		}
		if sc.Direction == checkin.In {
			slots[sc.ScannedAt.Unix()/300]++
		}
	}
	if last.Sub(first) <= 2*time.Hour {
		t.Errorf("the scans span %s to %s", first, last)
	}
	if len(byGate) != 3 {
		t.Errorf("scans at %d gates, want 3", len(byGate))
	}
	for gate, who := range byGate {
		if len(who) != 1 {
			t.Errorf("%d people scanned at %s, want its one gate keeper", len(who), gate)
		}
	}
	var busiest int64
	for s, n := range slots {
		if n > slots[busiest] {
			busiest = s
		}
	}
	if peak := time.Unix(busiest*300, 0).In(vn.Zone); peak.Hour()*60+peak.Minute() < 8*60+30 || peak.Hour()*60+peak.Minute() > 9*60+30 {
		t.Errorf("the rush is at %s, want around 9:00", peak.Format("15:04"))
	}
	if slots[busiest] > 170/10 {
		t.Errorf("%d entries in five minutes of a morning of 170", slots[busiest])
	}
}
