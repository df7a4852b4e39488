package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sprout/internal/vn"
)

// TestMentorLogsSessionsFoundersSeeSharedPartOrganizersSeeActivity follows a
// session from the mentor's form to the founder's page and the cohort board.
func TestMentorLogsSessionsFoundersSeeSharedPartOrganizersSeeActivity(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-co-van", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		cid := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa cố vấn",
			"starts_at": now.AddDate(0, -1, 0), "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")
		_, ta := e.person("an@example.vn", "Nguyễn An", "vi", "founder")
		_, tb := e.person("bee@example.vn", "Brian Lee", "en", "founder")
		m1, _ := e.person("covan1@example.vn", "Phạm Cố Vấn", "vi", "mentor")
		m2, _ := e.person("covan2@example.vn", "Lê Thầy Hai", "vi", "mentor")
		a, b := e.submitted(pid, ta, "An Farm"), e.submitted(pid, tb, "Bee Robotics")
		for _, id := range []string{a, b} {
			e.authed(org, "POST", "/api/v1/applications/"+id+"/decision", map[string]any{"decision": "accepted", "cohort_id": cid}).status(200)
		}
		o := e.signIn("btc@sprout.test", "organizer-pass")
		board := "/manage/cohorts/" + cid
		o.submit(board, board+"/startups/"+a+"/mentors", url.Values{"user_id": {m1}})
		o.submit(board, board+"/startups/"+b+"/mentors", url.Values{"user_id": {m2}})

		mentor := e.signIn("covan1@example.vn", "mật khẩu dài")
		action := "/mentor/startups/" + a + "/sessions"
		local := now.In(vn.Zone)
		day := func(n int) time.Time {
			return time.Date(local.Year(), local.Month(), local.Day()+n, 0, 0, 0, 0, vn.Zone)
		}

		// Every mistake is reported at once, each beside its field.
		p := mentor.submit("/mentor", action, url.Values{"date": {day(2).Format("2006-01-02")}, "topics": {"  "}})
		if p.code != 400 || !strings.Contains(p.html, "Buổi cố vấn chưa diễn ra") || !strings.Contains(p.html, "Trường này là bắt buộc") ||
			strings.Count(p.html, `aria-invalid="true"`) != 2 || !strings.Contains(p.html, `href="#ss-`+a+`-topics"`) {
			t.Fatalf("a future date and no topics: %d, %d fields marked", p.code, strings.Count(p.html, `aria-invalid="true"`))
		}

		session := url.Values{"date": {day(-2).Format("2006-01-02")}, "topics": {"Định giá gói dịch vụ cho hợp tác xã"},
			"next_steps": {"Phỏng vấn 5 hợp tác xã"}, "private_note": {"Đội thiếu người bán hàng"}}
		if p := mentor.submit("/mentor", action, session); p.code != 303 {
			t.Fatalf("logging a session: %d %s", p.code, p.html)
		}
		if p := mentor.do("GET", "/mentor", nil); !strings.Contains(p.html, "Định giá gói dịch vụ cho hợp tác xã") ||
			!strings.Contains(p.html, "Đội thiếu người bán hàng") {
			t.Fatal("the mentor does not see the session logged")
		}
		// Another mentor's startup is not theirs to log for.
		if p := mentor.submit("/mentor", "/mentor/startups/"+b+"/sessions", session); p.code != 403 {
			t.Fatalf("logging for another mentor's startup: %d", p.code)
		}
		other := e.signIn("covan2@example.vn", "mật khẩu dài")
		if p := other.submit("/mentor", action, session); p.code != 403 {
			t.Fatalf("the second mentor logging for the first one's startup: %d", p.code)
		}

		// The founder sees the date, topics and next steps, never the note.
		shown := strconv.Itoa(day(-2).Day()) + " tháng " + strconv.Itoa(int(day(-2).Month())) + ", " + strconv.Itoa(day(-2).Year())
		founder := e.signIn("an@example.vn", "mật khẩu dài")
		p = founder.do("GET", "/cohort/reports", nil)
		if p.code != 200 || !strings.Contains(p.html, "Định giá gói dịch vụ cho hợp tác xã") || !strings.Contains(p.html, "Phỏng vấn 5 hợp tác xã") ||
			!strings.Contains(p.html, shown) || !strings.Contains(p.html, "Phạm Cố Vấn") {
			t.Fatalf("the founder's page lacks the session's shared part: %d", p.code)
		}
		if strings.Contains(p.html, "Đội thiếu người bán hàng") {
			t.Fatal("the founder sees the private note")
		}
		if p := e.signIn("bee@example.vn", "mật khẩu dài").do("GET", "/cohort/reports", nil); strings.Contains(p.html, "Định giá gói") ||
			!strings.Contains(p.html, "Your mentors have not logged a session") {
			t.Fatal("another startup's founder sees the session")
		}

		// The organizer sees sessions per startup, the last date, the idle
		// mentor and the private note.
		p = o.do("GET", board, nil)
		if r := row(t, p.html, "An Farm"); !strings.Contains(r, ">1<") || !strings.Contains(r, shown) {
			t.Fatalf("An Farm's activity row: %s", r)
		}
		if r := row(t, p.html, "Bee Robotics"); !strings.Contains(r, ">0<") || !strings.Contains(r, "Chưa có") {
			t.Fatalf("Bee Robotics' activity row: %s", r)
		}
		idle := p.html[strings.Index(p.html, "Cố vấn chưa có buổi nào"):]
		idle = idle[:strings.Index(idle, "</section>")]
		if !strings.Contains(idle, "Lê Thầy Hai") || strings.Contains(idle, "Phạm Cố Vấn") {
			t.Fatalf("mentors without sessions: %s", idle)
		}
		if !strings.Contains(p.html, "Đội thiếu người bán hàng") {
			t.Fatal("the organizer does not see the private note")
		}
	})
}
