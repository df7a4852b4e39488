package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"sprout/internal/vn"
)

// An organizer starts a cohort from the page and accepts a startup into it.
func TestCohortFromPageAndAcceptance(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	e.organizer()
	org := e.browser("")
	org.submit("/login", "/login", url.Values{"email": {"btc@sprout.test"}, "password": {"organizer-pass"}})
	orgToken := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "btc@sprout.test", "password": "organizer-pass"}).status(200).str("token")
	now := e.now()
	pid := e.authed(orgToken, "POST", "/api/v1/programs", program("khoa-moi", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")

	day := func(months int) string { return now.AddDate(0, months, 0).In(vn.Zone).Format("2006-01-02") }
	p := org.submit("/manage/cohorts", "/manage/cohorts", url.Values{"program_id": {pid}, "name": {"Khóa 1"}, "starts_at": {day(3)}, "ends_at": {day(1)}})
	if p.code != 400 || !strings.Contains(p.html, "Thời điểm kết thúc phải sau") || !strings.Contains(p.html, `value="Khóa 1"`) {
		t.Fatalf("a cohort ending before it starts: %d", p.code)
	}
	if list := org.do("GET", "/manage/cohorts", nil); strings.Contains(list.html, "/manage/cohorts/0") {
		t.Fatal("a refused cohort was written")
	}
	p = org.submit("/manage/cohorts", "/manage/cohorts", url.Values{"program_id": {pid}, "name": {"Khóa 2027 — Đợt 1"}, "starts_at": {day(3)}, "ends_at": {day(9)}})
	if p.code != 303 || !strings.HasPrefix(p.location, "/manage/cohorts/") {
		t.Fatalf("cohort: %d %q", p.code, p.location)
	}
	cohortID := strings.TrimPrefix(p.location, "/manage/cohorts/")

	_, founder := e.user("sanglap@example.vn", "founder")
	a := e.authed(founder, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Mầm Xanh", "answers": map[string]any{"problem": "p", "team_size": 3}}).status(201)
	id := a.str("application.id")
	e.authed(founder, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)

	ranking := org.do("GET", "/manage/programs/"+pid+"/ranking", nil)
	if !strings.Contains(ranking.html, "Khóa 2027 — Đợt 1") {
		t.Fatal("the decision form offers the programme's cohort")
	}
	p = org.submit("/manage/programs/"+pid+"/ranking", "/manage/programs/"+pid+"/decisions", url.Values{"ids": {id}, "decision": {"accepted"}, "cohort_id": {cohortID}})
	if p.code != 303 {
		t.Fatalf("bulk decision: %d", p.code)
	}
	if got := e.authed(founder, "GET", "/api/v1/applications/"+id, nil).status(200); got.str("application.status") != "accepted" || got.str("application.cohort_id") != cohortID {
		t.Fatalf("accepted into the cohort: %s", got.body)
	}
	if board := org.do("GET", "/manage/cohorts/"+cohortID, nil); !strings.Contains(board.html, "Mầm Xanh") {
		t.Fatal("the cohort page lists the accepted startup")
	}
}
