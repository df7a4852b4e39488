package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// person makes an account with a language and roles and returns its id
// and API token.
func (e *env) person(email, name, lang string, roles ...string) (id, token string) {
	e.t.Helper()
	id = e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": email, "password": "mật khẩu dài", "name": name,
		"lang": lang, "roles": roles}).status(201).str("user.id")
	return id, e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "mật khẩu dài"}).status(200).str("token")
}

var programPathRE = regexp.MustCompile(`^/manage/programs/([0-9a-z]+)$`)

func TestOrganizerRunsSelectionThroughPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		now := e.now()
		fields := url.Values{
			"title": {"Vườn ươm công nghệ Hà Nội — Khóa 2027"}, "title_en": {"Hanoi Tech Incubator — 2027"}, "slug": {"khoa-2027"},
			"opens_at": {localInput(now.Add(-time.Hour))}, "closes_at": {localInput(now.Add(48 * time.Hour))},
			// The builder's rows, ids given so the answers below can name them.
			"q_id": {"problem", "team_size"}, "q_label": {"Vấn đề bạn giải quyết", "Số thành viên"}, "q_kind": {"long_text", "number"},
			"q_required": {"1", "1"},
			"c_id":       {"team"}, "c_label": {"Đội ngũ"}, "c_weight": {"nặng"},
		}
		if p := b.submit("/manage/programs/new", "/manage/programs", fields); p.code != 400 || !strings.Contains(p.html, "Trọng số") ||
			!strings.Contains(p.html, "Vườn ươm công nghệ Hà Nội") {
			t.Fatalf("a bad weight: %d", p.code)
		}
		fields["c_id"], fields["c_label"], fields["c_weight"] = []string{"team", "market"}, []string{"Đội ngũ", "Thị trường"}, []string{"2", "1"}
		fields["c_a1"], fields["c_a3"], fields["c_a5"] = []string{"Một người", ""}, []string{"Đủ vai trò", ""}, []string{"Đã làm ra sản phẩm", ""}
		p := b.submit("/manage/programs/new", "/manage/programs", fields)
		m := programPathRE.FindStringSubmatch(p.location)
		if p.code != 303 || m == nil {
			t.Fatalf("create: %d %q", p.code, p.location)
		}
		pid := m[1]
		if l := b.do("GET", "/manage/programs", nil); !strings.Contains(l.html, "Vườn ươm công nghệ Hà Nội — Khóa 2027") {
			t.Fatal("the list lacks the programme")
		}

		_, fa := e.person("a@example.vn", "Nguyễn An", "vi", "founder")
		_, fb := e.person("b@example.vn", "Brian Lee", "en", "founder")
		_, fc := e.person("c@example.vn", "Trần Chi", "vi", "founder")
		r1, t1 := e.person("gk1@example.vn", "Giám Khảo Một", "vi", "reviewer")
		r2, t2 := e.person("gk2@example.vn", "Giám Khảo Hai", "vi", "reviewer")
		r3, t3 := e.person("gk3@example.vn", "Giám Khảo Ba", "vi", "reviewer", "founder")
		a := e.submitted(pid, fa, "An Farm")
		bb := e.submitted(pid, fb, "Bee Robotics")
		c := e.submitted(pid, fc, "Chi Health")
		d := e.submitted(pid, t3, "Dũng Logistics")

		// By hand: r1 gets A, and declares a conflict on it.
		if p := b.submit("/manage/programs/"+pid+"/applications/"+a, "/manage/programs/"+pid+"/applications/"+a+"/reviewers",
			url.Values{"user_id": {r1}}); p.code != 303 {
			t.Fatalf("assign by hand: %d", p.code)
		}
		e.authed(t1, "POST", "/api/v1/applications/"+a+"/reviews", map[string]any{"conflict_of_interest": true}).status(201)

		// Automatically, two each among all three: r1 is not given A again
		// and r3 never their own D; the load is spread (3, 3, 2).
		if p := b.submit("/manage/programs/"+pid+"/reviewers", "/manage/programs/"+pid+"/reviewers/auto",
			url.Values{"per_app": {"0"}, "reviewers": {r1}}); p.code != 400 || !strings.Contains(p.html, "từ 1 đến 10") {
			t.Fatalf("a bad number per application: %d", p.code)
		}
		reviewers := b.do("GET", "/manage/programs/"+pid+"/reviewers", nil)
		for _, r := range []string{r1, r2, r3} {
			if !strings.Contains(reviewers.html, `name="reviewers" value="`+r+`" checked`) {
				t.Fatalf("the pool does not offer %s", r)
			}
		}
		// The pool in this order, for the plan above: on a tie in load the
		// earlier reviewer is chosen.
		if p := b.submit("/manage/programs/"+pid+"/reviewers", "/manage/programs/"+pid+"/reviewers/auto",
			url.Values{"per_app": {"2"}, "reviewers": {r1, r2, r3}}); p.code != 303 {
			t.Fatalf("auto-assign: %d", p.code)
		}
		progress := b.do("GET", "/manage/programs/"+pid+"/reviewers", nil).html
		for name, want := range map[string]string{"Giám Khảo Một": "1 / 4", "Giám Khảo Hai": "0 / 3", "Giám Khảo Ba": "0 / 2"} {
			if r := row(t, progress, name); !strings.Contains(r, want) {
				t.Errorf("%s's progress is not %s: %s", name, want, r)
			}
		}
		if q := e.signIn("gk3@example.vn", "mật khẩu dài").do("GET", "/reviews", nil); strings.Contains(q.html, "Dũng Logistics") || !strings.Contains(q.html, "0 / 2") {
			t.Fatalf("r3's queue: %s", q.html)
		}
		if q := e.signIn("gk1@example.vn", "mật khẩu dài").do("GET", "/reviews", nil); strings.Count(q.html, "An Farm") != 1 || !strings.Contains(q.html, "1 / 4") {
			t.Fatalf("r1's queue: %s", q.html)
		}

		// Scores, weighted (2·team + market) / 3; every reviewer gives
		// team = market, so a review's mean is that score.
		//   A: r2 5, r3 4   B: r1 2, r2 5   C: r1 3, r3 2   D: r1 4, r2 3
		// Reviewer baselines: r1 {2,3,4} mean 3 sd 0.8165; r2 {5,5,3}
		// mean 4.333 sd 0.9428; r3 {4,2} mean 3 sd 1.
		//   A mean 4.5 z (0.7071 + 1)/2 = +0.854       spread 1
		//   B mean 3.5 z (-1.2247 + 0.7071)/2 = -0.259 spread 3: disagree
		//   C mean 2.5 z (0 - 1)/2 = -0.500            spread 1
		//   D mean 3.5 z (1.2247 - 1.4142)/2 = -0.095  spread 1
		score := func(token, app string, n int) {
			t.Helper()
			e.authed(token, "POST", "/api/v1/applications/"+app+"/reviews", map[string]any{"scores": map[string]int{"team": n, "market": n}}).status(201)
		}
		score(t2, a, 5)
		score(t3, a, 4)
		score(t1, bb, 2)
		score(t2, bb, 5)
		score(t1, c, 3)
		score(t3, c, 2)
		score(t1, d, 4)
		score(t2, d, 3)

		rank := html.UnescapeString(b.do("GET", "/manage/programs/"+pid+"/ranking", nil).html)
		for name, want := range map[string][]string{
			"An Farm":        {"4.500", "+0.854", "1.00"},
			"Bee Robotics":   {"3.500", "-0.259", "3.00", "Giám khảo bất đồng"},
			"Chi Health":     {"2.500", "-0.500", "1.00"},
			"Dũng Logistics": {"3.500", "-0.095", "1.00"},
		} {
			r := row(t, rank, name)
			for _, w := range want {
				if !strings.Contains(r, w) {
					t.Errorf("%s's ranking row lacks %q: %s", name, w, r)
				}
			}
			if name != "Bee Robotics" && strings.Contains(r, "bất đồng") {
				t.Errorf("%s is flagged as a disagreement", name)
			}
		}
		order := func(html string, names ...string) bool {
			last := -1
			for _, n := range names {
				i := strings.Index(html, n)
				if i < last {
					return false
				}
				last = i
			}
			return true
		}
		if !order(rank, "An Farm", "Bee Robotics", "Dũng Logistics", "Chi Health") {
			t.Error("the ranking is not by weighted mean")
		}
		if byZ := b.do("GET", "/manage/programs/"+pid+"/ranking?by=normalised", nil).html; !order(byZ, "An Farm", "Dũng Logistics", "Bee Robotics", "Chi Health") {
			t.Error("the ranking is not by normalised score")
		}

		// Decisions: A and D accepted in bulk with a note, B rejected
		// alone; each founder is mailed in their language.
		if p := b.submit("/manage/programs/"+pid+"/ranking", "/manage/programs/"+pid+"/decisions",
			url.Values{"ids": {a, d}, "decision": {"accepted"}, "note": {"Hẹn gặp ở buổi khai giảng 05/01."}}); p.code != 303 {
			t.Fatalf("bulk decision: %d", p.code)
		}
		if p := b.submit("/manage/programs/"+pid+"/applications/"+bb, "/manage/programs/"+pid+"/applications/"+bb+"/decision",
			url.Values{"decision": {"rejected"}, "note": {"Thank you, try again next year."}}); p.code != 303 {
			t.Fatalf("decision: %d", p.code)
		}
		if p := b.submit("/manage/programs/"+pid+"/ranking", "/manage/programs/"+pid+"/decisions",
			url.Values{"decision": {"accepted"}}); p.code != 303 || !strings.Contains(b.do("GET", p.location, nil).html, "Chưa chọn hồ sơ nào") {
			t.Fatalf("a bulk decision on nothing: %d", p.code)
		}
		rank = b.do("GET", "/manage/programs/"+pid+"/ranking", nil).html
		for name, want := range map[string]string{"An Farm": "Được chấp nhận", "Dũng Logistics": "Được chấp nhận", "Bee Robotics": "Không được chọn", "Chi Health": "Đang chấm"} {
			if !strings.Contains(row(t, rank, name), want) {
				t.Errorf("%s is not %s", name, want)
			}
		}
		if got := e.authed(fa, "GET", "/api/v1/applications/"+a, nil).status(200); got.str("application.status") != "accepted" {
			t.Fatalf("the founder sees: %s", got.body)
		}
		viMail := e.mails("a@example.vn")
		if len(viMail) != 1 || !strings.Contains(viMail[0].Subject, "Kết quả hồ sơ An Farm") || !strings.Contains(viMail[0].Text, "Chúc mừng") ||
			!strings.Contains(viMail[0].Text, "Hẹn gặp ở buổi khai giảng 05/01.") {
			t.Fatalf("the Vietnamese founder's mail: %+v", viMail)
		}
		enMail := e.mails("b@example.vn")
		if len(enMail) != 1 || enMail[0].Subject != "Decision on Bee Robotics — Hanoi Tech Incubator — 2027" || !strings.Contains(enMail[0].Text, "not selected") ||
			!strings.Contains(enMail[0].Text, "try again next year") {
			t.Fatalf("the English founder's mail: %+v", enMail)
		}
		if m := e.mails("c@example.vn"); len(m) != 0 {
			t.Fatalf("an undecided founder is mailed: %+v", m)
		}

		// An application of another programme cannot be reached through
		// this one's pages.
		other := e.authed(e.admin, "POST", "/api/v1/programs", program("khoa-khac", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		if p := b.do("GET", "/manage/programs/"+other+"/applications/"+c, nil); p.code != 404 {
			t.Fatalf("another programme's application: %d", p.code)
		}
	})
}
