package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// submitted makes a founder's submitted application to a programme built
// by program() and returns its id.
func (e *env) submitted(pid, token, startup string) string {
	e.t.Helper()
	id := e.authed(token, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": startup,
		"answers": map[string]any{"problem": "Nông dân thiếu dữ liệu thời tiết", "team_size": 3}}).status(201).str("application.id")
	e.authed(token, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)
	return id
}

// assign gives an application to a reviewer through the API.
func (e *env) assign(org, appID, reviewerID string) {
	e.t.Helper()
	e.authed(org, "POST", "/api/v1/applications/"+appID+"/reviewers", map[string]any{"user_id": reviewerID}).status(200)
}

// row finds the table row of a page that names text.
func row(t *testing.T, html, text string) string {
	t.Helper()
	for _, r := range strings.Split(html, "<tr") {
		if strings.Contains(r, text) {
			return r
		}
	}
	t.Fatalf("no row with %q", text)
	return ""
}

func TestReviewerPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		blind := program("khoa-an-danh", now.Add(-time.Hour), now.Add(time.Hour))
		blind["blind"] = true
		blind["criteria"] = []map[string]any{
			{"id": "team", "label": "Đội ngũ", "weight": 2, "anchors": map[string]string{"1": "Một người, chưa làm", "3": "Đủ vai trò chính", "5": "Đã cùng làm ra sản phẩm"}},
			{"id": "market", "label": "Thị trường", "weight": 1},
		}
		pid := e.authed(org, "POST", "/api/v1/programs", blind).status(201).str("program.id")
		open := e.authed(org, "POST", "/api/v1/programs", program("khoa-cong-khai", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		_, f1 := e.user("sanglap@example.vn", "founder")
		_, f2 := e.user("thu2@example.vn", "founder")
		_, f3 := e.user("thu3@example.vn", "founder")
		a := e.submitted(pid, f1, "Mầm Xanh")
		b := e.submitted(pid, f2, "Lúa Vàng")
		c := e.submitted(pid, f3, "Cá Bạc")
		d := e.submitted(open, f1, "Mầm Xanh Công Khai")
		r1, _ := e.user("gk1@example.vn", "reviewer")
		r2, _ := e.user("gk2@example.vn", "reviewer")
		e.assign(org, a, r1)
		e.assign(org, b, r1)
		e.assign(org, d, r1)
		e.assign(org, c, r2)

		rev := e.signIn("gk1@example.vn", "mật khẩu dài")
		q := rev.do("GET", "/reviews", nil)
		if q.code != 200 || !strings.Contains(q.html, "0 / 3") {
			t.Fatalf("queue: %d %s", q.code, q.html)
		}
		for _, name := range []string{"Mầm Xanh", "Lúa Vàng", "Mầm Xanh Công Khai"} {
			if !strings.Contains(q.html, name) {
				t.Errorf("the queue lacks %s", name)
			}
		}
		if strings.Contains(q.html, "Cá Bạc") {
			t.Error("the queue shows an application given to someone else")
		}
		if p := rev.do("GET", "/reviews/"+c, nil); p.code != 404 {
			t.Fatalf("another reviewer's application: %d", p.code)
		}

		// Blind: the answers and the anchors, never who applied.
		sheet := rev.do("GET", "/reviews/"+a, nil)
		if sheet.code != 200 {
			t.Fatalf("sheet: %d", sheet.code)
		}
		for _, want := range []string{"Nông dân thiếu dữ liệu thời tiết", "Một người, chưa làm", "Đủ vai trò chính", "Đã cùng làm ra sản phẩm", `name="score_team"`, `name="conflict"`} {
			if !strings.Contains(sheet.html, want) {
				t.Errorf("the sheet lacks %q", want)
			}
		}
		if strings.Contains(sheet.html, "sanglap") {
			t.Fatal("a blind sheet shows the founder")
		}
		// Not blind: the founder is shown.
		if p := rev.do("GET", "/reviews/"+d, nil); !strings.Contains(p.html, "sanglap@example.vn") {
			t.Error("an open programme's sheet hides the founder")
		}

		// A missing criterion is refused, nothing saved.
		if p := rev.submit("/reviews/"+a, "/reviews/"+a, url.Values{"score_team": {"4"}}); p.code != 400 || !strings.Contains(p.html, "Thị trường") {
			t.Fatalf("a missing score: %d", p.code)
		}
		if p := rev.do("GET", "/reviews", nil); !strings.Contains(p.html, "0 / 3") {
			t.Fatal("a refused review counts")
		}
		if p := rev.submit("/reviews/"+a, "/reviews/"+a, url.Values{"score_team": {"4"}, "score_market": {"3"}, "comment": {"Đội mạnh"}}); p.code != 303 {
			t.Fatalf("review: %d %s", p.code, p.html)
		}
		q = rev.do("GET", "/reviews", nil)
		if !strings.Contains(q.html, "1 / 3") || !strings.Contains(row(t, q.html, "Mầm Xanh<"), "Đã chấm") {
			t.Fatalf("progress after a review: %s", q.html)
		}
		if p := rev.do("GET", "/reviews/"+a, nil); !strings.Contains(p.html, `value="4" checked`) || !strings.Contains(p.html, "Đội mạnh") {
			t.Error("the sheet does not show the review given")
		}

		// A conflict of interest: done for the reviewer, out of the
		// scores, flagged for the organizers.
		if p := rev.submit("/reviews/"+b, "/reviews/"+b, url.Values{"conflict": {"on"}}); p.code != 303 {
			t.Fatalf("conflict: %d %s", p.code, p.html)
		}
		if q := rev.do("GET", "/reviews", nil); !strings.Contains(q.html, "2 / 3") || !strings.Contains(row(t, q.html, "Lúa Vàng"), "Xung đột lợi ích") {
			t.Fatalf("progress after a conflict: %s", q.html)
		}
		orgPages := e.signIn("btc@sprout.test", "organizer-pass")
		flagged := orgPages.do("GET", "/manage/programs/"+pid+"?status=needs_reviewer", nil)
		if flagged.code != 200 || !strings.Contains(flagged.html, "Lúa Vàng") || strings.Contains(flagged.html, "Mầm Xanh") ||
			!strings.Contains(row(t, flagged.html, "Lúa Vàng"), "Cần thêm giám khảo") {
			t.Fatalf("the flagged applications: %d %s", flagged.code, flagged.html)
		}
		rank := orgPages.do("GET", "/manage/programs/"+pid+"/ranking", nil)
		if r := row(t, rank.html, "Lúa Vàng"); !strings.Contains(r, "—") || !strings.Contains(r, "1 xung đột") {
			t.Fatalf("the conflicted review counts in the ranking: %s", r)
		}
		// Another reviewer takes it over, and the flag goes.
		e.assign(org, b, r2)
		if p := orgPages.do("GET", "/manage/programs/"+pid+"?status=needs_reviewer", nil); strings.Contains(p.html, "Lúa Vàng") {
			t.Fatal("the flag stays after another reviewer is assigned")
		}

		// Reviewer pages are for reviewers.
		if p := orgPages.do("GET", "/reviews", nil); p.code != 403 {
			t.Fatalf("an organizer on /reviews: %d", p.code)
		}
		if p := rev.do("GET", "/manage/programs", nil); p.code != 403 {
			t.Fatalf("a reviewer on /manage/programs: %d", p.code)
		}
	})
}
