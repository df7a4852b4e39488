package web_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"sprout/internal/vn"
)

// reminders counts the report reminders mailed to an address.
func (e *env) reminders(to string) int {
	n := 0
	for _, m := range e.mails(to) {
		if m.Template == "report_reminder" {
			n++
		}
	}
	return n
}

func TestCohortMentorsMilestonesReportsAndDirectory(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		cid := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 1 — 2027",
			"starts_at": now.AddDate(0, -3, 0), "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")
		_, ta := e.person("a@example.vn", "Nguyễn An", "vi", "founder")
		_, tb := e.person("b@example.vn", "Brian Lee", "en", "founder")
		_, tc := e.person("c@example.vn", "Trần Chi", "vi", "founder")
		mentor, _ := e.person("mentor@example.vn", "Phạm Cố Vấn", "vi", "mentor")
		reviewer, _ := e.person("gk@example.vn", "Giám Khảo", "vi", "reviewer")
		a, b, c := e.submitted(pid, ta, "An Farm"), e.submitted(pid, tb, "Bee Robotics"), e.submitted(pid, tc, "Chi Health")
		for _, id := range []string{a, b} {
			e.authed(org, "POST", "/api/v1/applications/"+id+"/decision", map[string]any{"decision": "accepted", "cohort_id": cid}).status(200)
		}
		e.authed(org, "POST", "/api/v1/applications/"+c+"/decision", map[string]any{"decision": "rejected"}).status(200)

		// The organizer assigns a mentor and sets a milestone.
		o := e.signIn("btc@sprout.test", "organizer-pass")
		board := "/manage/cohorts/" + cid
		if p := o.do("GET", board, nil); p.code != 200 || !strings.Contains(p.html, "An Farm") || !strings.Contains(p.html, "Bee Robotics") ||
			strings.Contains(p.html, "Chi Health") {
			t.Fatalf("the cohort page shows the accepted startups only: %d", p.code)
		}
		if p := o.submit(board, board+"/startups/"+a+"/mentors", url.Values{"user_id": {reviewer}}); p.code != 303 {
			t.Fatalf("a reviewer as mentor: %d", p.code)
		}
		if p := o.do("GET", board, nil); !strings.Contains(p.html, "Người này không phải cố vấn") {
			t.Fatal("assigning someone who is no mentor is not refused")
		}
		o.submit(board, board+"/startups/"+a+"/mentors", url.Values{"user_id": {mentor}})
		o.submit(board, board+"/startups/"+a+"/milestones", url.Values{"title": {"Ra mắt MVP"}, "due": {now.AddDate(0, 0, -1).In(vn.Zone).Format("2006-01-02")}})
		p := o.do("GET", board, nil)
		if !strings.Contains(row(t, p.html, "Ra mắt MVP"), "Trễ hạn") || !strings.Contains(p.html, "Phạm Cố Vấn") {
			t.Fatal("the milestone past its date is not shown late, or the mentor is missing")
		}
		if p := o.submit(board, board+"/startups/"+c+"/milestones", url.Values{"title": {"x"}, "due": {now.AddDate(0, 1, 0).In(vn.Zone).Format("2006-01-02")}}); p.code != 404 {
			t.Fatalf("a milestone for a startup outside the cohort: %d", p.code)
		}

		// The founder files last month's report; bad numbers and a second
		// report for the month are refused with a message.
		fa := e.signIn("a@example.vn", "mật khẩu dài")
		local := now.In(vn.Zone)
		lastMonth := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, vn.Zone).AddDate(0, -1, 0).Format("2006-01")
		report := url.Values{"startup": {a}, "month": {lastMonth}, "revenue": {"15.000.000"}, "users": {"120"}, "staff": {"4"},
			"funding": {"500.000.000"}, "highlights": {"=HYPERLINK(\"x\") Ký hợp đồng đầu tiên"}}
		bad := url.Values{}
		for k, v := range report {
			bad[k] = v
		}
		bad.Set("revenue", "mười lăm triệu")
		if p := fa.submit("/cohort/reports", "/cohort/reports", bad); p.code != 400 || !strings.Contains(p.html, "Hãy nhập một số nguyên") {
			t.Fatalf("words for a number: %d", p.code)
		}
		bad.Set("revenue", "1")
		bad.Set("staff", "-3")
		if p := fa.submit("/cohort/reports", "/cohort/reports", bad); p.code != 400 || !strings.Contains(p.html, "Số không được âm") {
			t.Fatalf("a negative staff count: %d", p.code)
		}
		if p := fa.submit("/cohort/reports", "/cohort/reports", report); p.code != 303 {
			t.Fatalf("filing: %d %s", p.code, p.html)
		}
		if p := fa.submit("/cohort/reports", "/cohort/reports", report); p.code != 409 || !strings.Contains(p.html, "Tháng này đã có báo cáo") {
			t.Fatalf("a second report for the month: %d", p.code)
		}
		other := url.Values{}
		for k, v := range report {
			other[k] = v
		}
		other.Set("startup", b)
		if p := fa.submit("/cohort/reports", "/cohort/reports", other); p.code != 404 {
			t.Fatalf("filing another startup's report: %d", p.code)
		}
		if p := fa.do("GET", "/cohort/reports/"+b+"/"+lastMonth, nil); p.code != 404 {
			t.Fatalf("opening another startup's report: %d", p.code)
		}
		if p := o.do("GET", board, nil); !strings.Contains(p.html, "<polyline") || !strings.Contains(p.html, "15.000.000") {
			t.Fatal("the cohort page draws no chart of the report")
		}
		_, csv := o.download(board + "/reports.csv")
		if text := string(csv); !strings.HasPrefix(text, "\uFEFF") || !strings.Contains(text, "An Farm,"+lastMonth+",15000000,120,4,500000000") ||
			!strings.Contains(text, `"'=HYPERLINK`) {
			t.Fatalf("export: %q", text)
		}

		// The mentor sees the startup they mentor.
		m := e.signIn("mentor@example.vn", "mật khẩu dài")
		if p := m.do("GET", "/mentor", nil); p.code != 200 || !strings.Contains(p.html, "An Farm") || strings.Contains(p.html, "Bee Robotics") {
			t.Fatalf("mentor page: %d", p.code)
		}

		// Only B, who filed nothing, is reminded, once, after the 5th.
		ctx := context.Background()
		tenth := time.Date(local.Year(), local.Month(), 10, 9, 0, 0, 0, vn.Zone)
		fourth := time.Date(local.Year(), local.Month(), 4, 9, 0, 0, 0, vn.Zone)
		for _, at := range []time.Time{fourth, tenth, tenth.Add(time.Hour)} {
			if _, err := e.app.Incubator.RemindReports(ctx, at, "https://sprout.test/cohort/reports"); err != nil {
				t.Fatal(err)
			}
		}
		if e.reminders("b@example.vn") != 1 || e.reminders("a@example.vn") != 0 || e.reminders("c@example.vn") != 0 {
			t.Fatalf("reminders: b %d, a %d, c %d", e.reminders("b@example.vn"), e.reminders("a@example.vn"), e.reminders("c@example.vn"))
		}

		// Profiles: the directory lists cohort startups and filters them.
		profile := url.Values{"name": {"An Farm"}, "sector": {"agritech"}, "stage": {"mvp"}, "pitch": {"Dữ liệu thời tiết cho nông dân"}}
		if p := fa.submit("/cohort/profile/"+a, "/cohort/profile/"+a, profile); p.code != 303 {
			t.Fatalf("saving the profile: %d %s", p.code, p.html)
		}
		if p := fa.do("GET", "/cohort/profile/"+b, nil); p.code != 404 {
			t.Fatalf("someone else's profile: %d", p.code)
		}
		fc := e.signIn("c@example.vn", "mật khẩu dài")
		if p := fc.do("GET", "/cohort/profile/"+c, nil); p.code != 404 {
			t.Fatalf("a rejected startup's profile: %d", p.code)
		}
		fb := e.signIn("b@example.vn", "mật khẩu dài")
		fb.submit("/cohort/profile/"+b, "/cohort/profile/"+b, url.Values{"name": {"Bee Robotics"}, "sector": {"logistics"}, "stage": {"revenue"},
			"pitch": {"Robot kho hàng"}})
		// A logo: an image, checked by content; a text file is refused.
		if p := fa.submitForm("/cohort/profile/"+a, "/cohort/profile/"+a, profile, "logo", "logo.png", []byte("chỉ là chữ")); p.code != 400 {
			t.Fatalf("a text file as a logo: %d", p.code)
		}
		logo := pngImage(t, 64, 64, false)
		if p := fa.submitForm("/cohort/profile/"+a, "/cohort/profile/"+a, profile, "logo", "logo.png", logo); p.code != 303 {
			t.Fatalf("saving the profile with a logo: %d %s", p.code, p.html)
		}
		visitor := e.browser("")
		if got := e.call("GET", "/startups/"+a+"/logo", nil).status(200); got.header.Get("Content-Type") != "image/png" || !bytes.Equal(got.body, logo) {
			t.Fatalf("the logo served: %s", got.header.Get("Content-Type"))
		}
		if p := visitor.do("GET", "/startups", nil); !strings.Contains(p.html, "An Farm") || !strings.Contains(p.html, "Bee Robotics") ||
			!strings.Contains(p.html, "/startups/"+a+"/logo") {
			t.Fatal("the directory lacks a cohort startup")
		}
		if p := visitor.do("GET", "/startups?sector=agritech", nil); !strings.Contains(p.html, "An Farm") || strings.Contains(p.html, "Bee Robotics") {
			t.Fatal("the sector filter does not filter")
		}
		if p := visitor.do("GET", "/startups?stage=revenue", nil); strings.Contains(p.html, "An Farm") || !strings.Contains(p.html, "Bee Robotics") {
			t.Fatal("the stage filter does not filter")
		}
	})
}
