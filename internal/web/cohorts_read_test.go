package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// TestCohortPagesNameMonthsUnitsAndTheWayBack checks what makes the cohort
// pages readable: months in words, units beside figures, labelled charts
// and a link back from the board.
func TestCohortPagesNameMonthsUnitsAndTheWayBack(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-doc", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		cid := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa đọc",
			"starts_at": now.AddDate(0, -4, 0), "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")
		fid, ta := e.person("en@example.vn", "Emma Nguyen", "en", "founder")
		a := e.submitted(pid, ta, "Emma Foods")
		e.authed(org, "POST", "/api/v1/applications/"+a+"/decision", map[string]any{"decision": "accepted", "cohort_id": cid}).status(200)
		local := now.In(vn.Zone)
		this := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, vn.Zone)
		for k := 3; k >= 2; k-- {
			m := this.AddDate(0, -k, 0)
			if err := e.app.Incubator.BackfillReport(context.Background(), incubator.Report{ApplicationID: a, Month: incubator.Month(m),
				Revenue: int64(4-k) * 20_000_000, Users: int64(4-k) * 100, Staff: 3, FiledBy: fid, CreatedAt: m, UpdatedAt: m}); err != nil {
				t.Fatal(err)
			}
		}
		first, last := this.AddDate(0, -3, 0), this.AddDate(0, -2, 0)
		rawMonth := regexp.MustCompile(`>\s*\d{4}-\d{2}\s*<`)

		founder := e.signIn("en@example.vn", "mật khẩu dài")
		p := founder.do("GET", "/cohort/reports", nil)
		if p.code != 200 || !strings.Contains(p.html, last.Format("January 2006")) || !strings.Contains(p.html, first.Format("January 2006")) ||
			rawMonth.MatchString(p.html) {
			t.Fatalf("the founder's months are not in words: %d", p.code)
		}
		if !strings.Contains(p.html, `<span class="unit" id="r-revenue-unit">VND</span>`) ||
			!strings.Contains(p.html, `<span class="unit" id="r-users-unit">people</span>`) {
			t.Fatal("the report inputs show no units")
		}
		if !strings.Contains(p.html, `aria-label="Revenue (VND), `+first.Format("January 2006")+" – "+last.Format("January 2006")+` (VND)"`) ||
			!strings.Contains(p.html, "<span>40,000,000</span>") {
			t.Fatal("the revenue chart is not labelled with its months and highest value")
		}

		o := e.signIn("btc@sprout.test", "organizer-pass")
		vi := func(m time.Time) string {
			return "Tháng " + strconv.Itoa(int(m.Month())) + "/" + strconv.Itoa(m.Year())
		}
		p = o.do("GET", "/manage/cohorts/"+cid, nil)
		if !strings.Contains(p.html, `<a class="back-link" href="/manage/cohorts">← Tất cả các khóa</a>`) {
			t.Fatal("the cohort board has no way back to the cohorts")
		}
		if !strings.Contains(p.html, "<span>"+vi(first)+"</span><span>"+vi(last)+"</span>") || rawMonth.MatchString(p.html) {
			t.Fatal("the board's chart does not name its months in Vietnamese")
		}
		if !strings.Contains(p.html, `class="form milestone-form"`) || !strings.Contains(p.html, "Thêm mốc") {
			t.Fatal("the milestone form is not laid out with its title")
		}
		if p := o.submit("/manage/cohorts/"+cid, "/manage/cohorts/"+cid+"/startups/"+a+"/milestones",
			url.Values{"title": {"Ra mắt"}, "due": {now.AddDate(0, 1, 0).In(vn.Zone).Format("2006-01-02")}}); p.code != 303 {
			t.Fatalf("adding a milestone from the laid-out form: %d", p.code)
		}
	})
}
