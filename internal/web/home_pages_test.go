package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// block is the part of the My work page that shows one role's work, "" when
// the page has no such block.
func block(html, role string) string {
	_, rest, ok := strings.Cut(html, `data-block="`+role+`"`)
	if !ok {
		return ""
	}
	b, _, _ := strings.Cut(rest, "</section>")
	return b
}

// wantIn fails unless every text is in the block.
func wantIn(t *testing.T, what, b string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(b, s) {
			t.Fatalf("%s lacks %q:\n%s", what, s, b)
		}
	}
}

func TestMyWorkShowsWhatEachRoleHasToDo(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		call := program("khoa-2027", now.Add(-time.Hour), now.Add(72*time.Hour))
		pid := e.authed(org, "POST", "/api/v1/programs", call).status(201).str("program.id")
		later := program("khoa-sau", now.Add(-time.Hour), now.Add(30*24*time.Hour))
		later["title"] = "Chương trình Tăng tốc Xanh"
		later2 := e.authed(org, "POST", "/api/v1/programs", later).status(201).str("program.id")
		cid := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 1 — 2027",
			"starts_at": now.AddDate(0, -3, 0), "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")

		_, ta := e.person("a@example.vn", "Nguyễn An", "vi", "founder")
		_, tb := e.person("b@example.vn", "Lê Bình", "vi", "founder")
		_, tc := e.person("c@example.vn", "Trần Chi", "vi", "founder")
		_, td := e.person("d@example.vn", "Phạm Dũng", "vi", "founder")
		_, te := e.person("e@example.vn", "Võ Em", "vi", "founder")
		e.person("new@example.vn", "Người Mới", "vi", "founder")
		rid, rt := e.person("gk@example.vn", "Giám Khảo", "en", "reviewer", "mentor")
		e.person("cv@example.vn", "Cố Vấn Mới", "vi", "mentor")
		e.person("soat-ve@example.vn", "Soát Vé", "vi", "staff")

		draft := e.authed(ta, "POST", "/api/v1/programs/"+later2+"/applications", map[string]any{"startup_name": "Mầm Xanh Mới",
			"answers": map[string]any{}}).status(201).str("application.id")
		a := e.submitted(pid, ta, "Mầm Xanh")
		b := e.submitted(pid, tb, "Bình Robotics")
		e.submitted(pid, tc, "Chi Health")
		d := e.submitted(pid, td, "Dũng Logistics")
		ev := e.submitted(pid, te, "Em Edtech")
		review := map[string]any{"scores": map[string]int{"team": 4, "market": 3}, "comment": "Tốt"}
		for _, id := range []string{b, d, ev} {
			e.assign(org, id, rid)
		}
		e.authed(rt, "POST", "/api/v1/applications/"+b+"/reviews", review).status(201)
		e.authed(rt, "POST", "/api/v1/applications/"+ev+"/reviews", review).status(201)
		e.authed(org, "POST", "/api/v1/applications/"+a+"/decision", map[string]any{"decision": "accepted", "cohort_id": cid}).status(200)
		e.authed(org, "POST", "/api/v1/applications/"+b+"/decision", map[string]any{"decision": "rejected"}).status(200)

		o := e.signIn("btc@sprout.test", "organizer-pass")
		board := "/manage/cohorts/" + cid
		o.submit(board, board+"/startups/"+a+"/mentors", url.Values{"user_id": {rid}})
		o.submit(board, board+"/startups/"+a+"/milestones", url.Values{"title": {"Ra mắt MVP"}, "due": {now.AddDate(0, 0, -2).In(vn.Zone).Format("2006-01-02")}})
		o.submit(board, board+"/startups/"+a+"/milestones", url.Values{"title": {"Gọi vốn hạt giống"}, "due": {now.AddDate(0, 2, 0).In(vn.Zone).Format("2006-01-02")}})
		due, _ := time.Parse("2006-01", incubator.DueMonth(now))
		monthVI, monthEN := due.Format("1/2006"), due.Format("Jan 2006")

		// The founder: a draft with its deadline, a decision, a report due.
		p := e.signIn("a@example.vn", "mật khẩu dài").do("GET", "/me", nil)
		f := block(p.html, "founder")
		wantIn(t, "the founder's block", f, "Bản nháp chưa nộp", "/programs/applications/"+draft, "Mầm Xanh Mới",
			"Hạn: "+now.Add(30*24*time.Hour).In(vn.Zone).Format("02/01/2006 15:04"), "Đã có kết quả", `data-decision="accepted"`,
			"Được chọn", "Báo cáo tháng "+monthVI+" cần nộp", `href="/cohort/reports"`)
		if block(p.html, "reviewer") != "" || block(p.html, "organizer") != "" || !strings.Contains(p.html, `href="/me" aria-current="page"`) {
			t.Fatal("a founder sees blocks of other roles, or no My work link in the navigation")
		}
		f = block(e.signIn("b@example.vn", "mật khẩu dài").do("GET", "/me", nil).html, "founder")
		wantIn(t, "a rejected founder's block", f, "Bình Robotics", `data-decision="rejected"`, "Chưa được chọn")
		if strings.Contains(f, "data-report-due") || strings.Contains(f, `href="/cohort/reports"`) {
			t.Fatal("a founder outside a cohort is asked for a report")
		}
		f = block(e.signIn("c@example.vn", "mật khẩu dài").do("GET", "/me", nil).html, "founder")
		wantIn(t, "a waiting founder's block", f, "Đã nộp, đang chờ kết quả", "Chi Health", "Đã nộp")
		f = block(e.signIn("new@example.vn", "mật khẩu dài").do("GET", "/me", nil).html, "founder")
		wantIn(t, "a new founder's block", f, "Bạn chưa có hồ sơ nào", `href="/programs"`)

		// The reviewer, who mentors too, in English: both blocks.
		p = e.signIn("gk@example.vn", "mật khẩu dài").do("GET", "/me", nil)
		r := block(p.html, "reviewer")
		wantIn(t, "the reviewer's block", r, "1 to review", "2 done", "Dũng Logistics", `href="/reviews/`+d+`"`,
			"Deadline: "+now.Add(72*time.Hour).In(vn.Zone).Format("2 Jan 2006, 15:04"))
		if strings.Contains(r, "Em Edtech") {
			t.Fatal("a reviewed application is still in the reviewer's to-do")
		}
		m := block(p.html, "mentor")
		wantIn(t, "the mentor's block", m, "Mầm Xanh", "1 overdue milestones", "Ra mắt MVP")
		if strings.Contains(m, "Gọi vốn hạt giống") {
			t.Fatal("a milestone not yet due is shown overdue")
		}
		wantIn(t, "a new mentor's block", block(e.signIn("cv@example.vn", "mật khẩu dài").do("GET", "/me", nil).html, "mentor"),
			"Bạn chưa được giao startup nào")
		staffBlock := func() string {
			return block(e.signIn("soat-ve@example.vn", "mật khẩu dài").do("GET", "/me", nil).html, "staff")
		}
		wantIn(t, "a staff member's block", staffBlock(), "Bạn chưa được phân công sự kiện nào", `href="/gate"`)
		eventID, _ := e.techfest(org, 50, false)
		e.onStaff(org, eventID, "soat-ve@example.vn")
		wantIn(t, "an assigned staff member's block", staffBlock(), "Techfest Hà Nội 2026", `href="/events/`+eventID+`/gate"`)

		// The organizer: the call closing in three days, not the one in a
		// month; what waits in it; the cohort's missing report.
		p = o.do("GET", "/me", nil)
		g := block(p.html, "organizer")
		wantIn(t, "the organizer's block", g, `data-closing="`+pid+`"`, "1 chưa giao giám khảo", "1 chưa chấm xong",
			"1 chờ quyết định", `href="/manage/programs/`+pid+`/ranking"`, "Báo cáo tháng "+monthVI+" còn thiếu",
			"Khóa 1 — 2027", "Thiếu 1: Mầm Xanh")
		if strings.Contains(g, `data-closing="`+later2+`"`) {
			t.Fatal("a call closing in a month is shown as closing soon")
		}
		en := e.signIn("btc@sprout.test", "organizer-pass")
		en.do("GET", "/lang/en", nil)
		wantIn(t, "the organizer's block in English", block(en.do("GET", "/me", nil).html, "organizer"), "Reports missing for "+monthEN,
			"1 without a reviewer")
		if p := e.browser("").do("GET", "/me", nil); p.code != 302 || !strings.HasPrefix(p.location, "/login") {
			t.Fatalf("My work for a visitor: %d %q", p.code, p.location)
		}
	})
}

func TestSignInLandsOnMyWorkInTheLanguageChosenBefore(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		_, token := e.person("hoa@example.vn", "Nguyễn Thị Hoa", "vi", "founder")
		b := e.browser("vi")
		b.do("GET", "/lang/en?next=/login", nil)
		p := b.submit("/login", "/login", url.Values{"email": {"hoa@example.vn"}, "password": {"mật khẩu dài"}})
		if p.code != 303 || p.location != "/me" {
			t.Fatalf("signing in without next: %d %q", p.code, p.location)
		}
		if p := b.do("GET", "/me", nil); !strings.Contains(p.html, `<html lang="en">`) || !strings.Contains(p.html, "<h1>My work</h1>") {
			t.Fatalf("after signing in the page is not in the English chosen before: %.300s", p.html)
		}
		if got := e.authed(token, "GET", "/api/v1/me", nil).status(200).str("user.lang"); got != "en" {
			t.Fatalf("the account's language is %q, want the en chosen before signing in", got)
		}
		// Another browser with no choice of its own follows the account.
		fresh := e.browser("vi")
		fresh.submit("/login", "/login", url.Values{"email": {"hoa@example.vn"}, "password": {"mật khẩu dài"}})
		if p := fresh.do("GET", "/me", nil); !strings.Contains(p.html, `<html lang="en">`) {
			t.Fatal("a browser with no language chosen does not follow the account's")
		}
		for next, want := range map[string]string{"/programs": "/programs", "https://evil.example/": "/me", "//evil.example": "/me"} {
			c := e.browser("")
			if p := c.submit("/login", "/login", url.Values{"email": {"hoa@example.vn"}, "password": {"mật khẩu dài"}, "next": {next}}); p.location != want {
				t.Fatalf("next %q led to %q, want %q", next, p.location, want)
			}
		}
	})
}

var signupLinkRE = regexp.MustCompile(`href="(/signup\?next=[^"]+)"`)

func TestApplyPageSignUpComesBackToTheCall(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(time.Hour))).status(201)
		apply := "/programs/khoa-2027/apply"
		b := e.browser("en")
		gate := b.do("GET", apply, nil)
		m := signupLinkRE.FindStringSubmatch(gate.html)
		if m == nil {
			t.Fatalf("the apply page has no sign-up link that comes back:\n%s", gate.html)
		}
		signup := html.UnescapeString(m[1])
		if u, _ := url.Parse(signup); u.Query().Get("next") != apply {
			t.Fatalf("the sign-up link %q does not come back to %s", signup, apply)
		}
		p := b.submit(signup, "/signup", url.Values{"email": {"moi@example.vn"}, "name": {"Đỗ Minh"}, "password": {"mật khẩu dài"}, "next": {apply}})
		if p.code != 303 || p.location != apply {
			t.Fatalf("after signing up: %d %q, want back to %s", p.code, p.location, apply)
		}
		if p := b.do("GET", apply, nil); p.code != 200 || !strings.Contains(p.html, `action="`+apply+`"`) {
			t.Fatalf("the new founder cannot start an application on the apply page: %d", p.code)
		}
		// Signing in from the same page comes back too; a foreign next does not leave the site.
		again := e.browser("en")
		if p := again.submit("/login?next="+url.QueryEscape(apply), "/login", url.Values{"email": {"moi@example.vn"}, "password": {"mật khẩu dài"}, "next": {apply}}); p.location != apply {
			t.Fatalf("after signing in: %q", p.location)
		}
		evil := e.browser("")
		if p := evil.submit("/signup?next=https://evil.example/", "/signup", url.Values{"email": {"khac@example.vn"}, "name": {"Khác"},
			"password": {"mật khẩu dài"}, "next": {"https://evil.example/"}}); p.code != 303 || p.location != "/account" {
			t.Fatalf("a foreign next after signing up: %d %q", p.code, p.location)
		}
	})
}
