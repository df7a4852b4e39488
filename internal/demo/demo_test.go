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
	if before.users < len(demo.Accounts) || before.events != 5 || before.programmes != 2 || before.exhibitors != 15 ||
		before.training != 18 || before.enterprises != 12 || before.revoked != 2 {
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

// The demo's finished course has its three sessions' attendance, as taken
// at each session, certificates for the 18 who completed it (Tuyết among
// them) with one revoked; the course under way has its first session's
// attendance and no certificate yet; the expo's staff hold badges.
func TestDemoCoursesAndStaffBadges(t *testing.T) {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	clk := clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 14, 0, 0, 0, vn.Zone))
	a, out := seed(t, cfg, clk)
	ctx := context.Background()
	course, err := a.Events.EventBySlug(ctx, "chuyen-doi-so-doanh-nghiep-nho-va-vua", true)
	if err != nil {
		t.Fatal(err)
	}
	if !course.Course.Enabled || !course.EndsAt.Before(clk.Now()) || course.Course.CertsIssuedAt.IsZero() {
		t.Fatalf("the finished course: ends %v, %+v", course.EndsAt, course.Course)
	}
	agenda, err := a.Events.Agenda(ctx, course.ID)
	if err != nil || len(agenda) != 3 {
		t.Fatalf("the course's sessions: %d, %v", len(agenda), err)
	}
	attendance, err := a.Training.EventAttendance(ctx, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	starts := map[string]time.Time{}
	for _, s := range agenda {
		starts[s.ID] = s.StartsAt
	}
	for _, at := range attendance {
		if at.At.Before(starts[at.SessionID]) || at.At.After(starts[at.SessionID].Add(15*time.Minute)) {
			t.Fatalf("attendance at %v for a session starting %v", at.At, starts[at.SessionID])
		}
	}
	o, err := a.Graduation.Overview(ctx, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	revoked, tuyet := 0, false
	for _, c := range o.Certificates {
		if c.Status == certs.Revoked {
			revoked++
		}
		if c.Holder == "Nguyễn Thị Ánh Tuyết" && c.Status == certs.Valid && c.Details[certs.DetailHours] == "9" {
			tuyet = true
		}
	}
	if o.Participants != 24 || o.Completed != 18 || o.Waiting != 0 || len(o.Certificates) != 18 || revoked != 1 || !tuyet {
		t.Fatalf("the course's certificates: %d participants, %d completed, %d waiting, %d certificates, %d revoked, Tuyết's %v",
			o.Participants, o.Completed, o.Waiting, len(o.Certificates), revoked, tuyet)
	}
	if !strings.Contains(out, "/verify/") || !strings.Contains(out, "/manage/events/"+course.ID+"/certificates") {
		t.Errorf("the demo does not say where the certificates are:\n%s", out)
	}

	under, err := a.Events.EventBySlug(ctx, "ky-nang-so-cho-can-bo-quan-ly", true)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := a.Training.EventAttendance(ctx, under.ID); err != nil || len(list) != 24 {
		t.Fatalf("the course under way has %d attendances, %v; want 24 at its first session", len(list), err)
	}
	if o, err := a.Graduation.Overview(ctx, under.ID); err != nil || len(o.Certificates) != 0 {
		t.Fatalf("the course under way has certificates: %+v, %v", o, err)
	}
	a.JanitorPass(ctx)
	if o, err := a.Graduation.Overview(ctx, under.ID); err != nil || len(o.Certificates) != 0 {
		t.Fatalf("the janitor issued the certificates of a course under way: %+v, %v", o, err)
	}

	expo, err := a.Events.EventBySlug(ctx, "trien-lam-doi-moi-sang-tao-"+today.Format("2006-01-02"), true)
	if err != nil {
		t.Fatal(err)
	}
	types, err := a.Events.TicketTypes(ctx, expo.ID)
	if err != nil {
		t.Fatal(err)
	}
	var staffType string
	for _, tt := range types {
		if tt.Invite && tt.Name == "Ban tổ chức & tình nguyện viên" {
			staffType = tt.ID
			if tt.Sold != 10 {
				t.Errorf("%d staff badges, want 10", tt.Sold)
			}
		}
	}
	if staffType == "" || !strings.Contains(out, "badges.pdf?type="+staffType) {
		t.Errorf("no staff badges in the demo (type %q):\n%s", staffType, out)
	}
}
