package web_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sprout/internal/vn"
)

// column finds a header's column in the first row, failing when it is not
// there.
func column(t *testing.T, rows [][]string, name string) int {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, rows[0])
	}
	return i
}

func TestProgrammeApplicationsExport(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		cid := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 1",
			"starts_at": now, "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")
		_, ta := e.person("a@example.vn", "Nguyễn Thị Hoa", "vi", "founder")
		_, tb := e.person("b@example.vn", "Lê Bình", "vi", "founder")
		r1, t1 := e.person("gk1@example.vn", "Giám Khảo Một", "vi", "reviewer")
		r2, t2 := e.person("gk2@example.vn", "Giám Khảo Hai", "vi", "reviewer")
		a := e.authed(ta, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Mầm Xanh",
			"answers": map[string]any{"problem": `=HYPERLINK("http://evil","bấm")`, "team_size": 4}}).status(201).str("application.id")
		e.authed(ta, "POST", "/api/v1/applications/"+a+"/submit", nil).status(200)
		b := e.submitted(pid, tb, "Bình Robotics")
		e.assign(org, a, r1)
		e.assign(org, a, r2)
		e.assign(org, b, r1)
		score := func(token, id string, team, market int) {
			e.authed(token, "POST", "/api/v1/applications/"+id+"/reviews", map[string]any{"scores": map[string]int{"team": team, "market": market}}).status(201)
		}
		// Reviewer one: A 11/3, B 2; reviewer two: A 3. A's mean is
		// (3.667+3)/2 and its normalised score (1+0)/2; B's is -1.
		score(t1, a, 4, 3)
		score(t2, a, 2, 5)
		score(t1, b, 2, 2)
		decided := e.authed(org, "POST", "/api/v1/applications/"+a+"/decision", map[string]any{"decision": "accepted", "cohort_id": cid}).status(200).str("application.decided_at")
		at, err := time.Parse(time.RFC3339Nano, decided)
		if err != nil {
			t.Fatal(err)
		}
		local := at.In(vn.Zone)

		o := e.signIn("btc@sprout.test", "organizer-pass")
		if p := o.do("GET", "/manage/programs/"+pid, nil); !strings.Contains(p.html, `href="/manage/programs/`+pid+`/applications.xlsx" data-export`) ||
			!strings.Contains(p.html, "export-progress") {
			t.Fatal("the programme page has no export with progress")
		}
		res, body := o.download("/manage/programs/" + pid + "/applications.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || res.Header.Get("X-Total-Rows") != "2" {
			t.Fatalf("csv: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("X-Total-Rows"))
		}
		rows := csvRows(t, body)
		want := [][]string{{"Mã hồ sơ", a}, {"Startup", "Mầm Xanh"}, {"Người nộp", "Nguyễn Thị Hoa"}, {"Email", "a@example.vn"},
			{"Quyết định", "Được chấp nhận"}, {"Ngày quyết định", local.Format("2006-01-02 15:04:05")},
			{"Vấn đề bạn giải quyết", `'=HYPERLINK("http://evil","bấm")`}, {"Số thành viên", "4"},
			{"Điểm: Đội ngũ", "3.000"}, {"Điểm: Thị trường", "4.000"}, {"Điểm trung bình có trọng số", "3.333"},
			{"Điểm chuẩn hóa", "0.500"}, {"Số lượt chấm", "2"}}
		if len(rows) != 3 {
			t.Fatalf("csv rows: %q", rows)
		}
		for _, w := range want {
			if got := rows[1][column(t, rows, w[0])]; got != w[1] {
				t.Fatalf("csv %s = %q, want %q", w[0], got, w[1])
			}
		}
		// A negative score is a number the spreadsheet reads as one, not text.
		if got := rows[2][column(t, rows, "Điểm chuẩn hóa")]; rows[2][1] != "Bình Robotics" || got != "-1.000" {
			t.Fatalf("the second row is %q", rows[2])
		}
		if got := rows[2][column(t, rows, "Quyết định")]; got != "" {
			t.Fatalf("an undecided application has the decision %q", got)
		}

		en := e.signIn("btc@sprout.test", "organizer-pass")
		en.do("GET", "/lang/en", nil)
		res, body = en.download("/manage/programs/" + pid + "/applications.xlsx")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "khoa-2027.xlsx") {
			t.Fatalf("xlsx: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err = f.GetRows("Applications")
		if err != nil {
			t.Fatal(err)
		}
		want = [][]string{{"Application ID", a}, {"Applicant", "Nguyễn Thị Hoa"}, {"Decision", "Accepted"},
			{"Decided at", local.Format("02/01/2006 15:04")}, {"Vấn đề bạn giải quyết", `'=HYPERLINK("http://evil","bấm")`},
			{"Score: Đội ngũ", "3.00"}, {"Weighted mean", "3.33"}, {"Normalised score", "0.50"}, {"Reviews", "2"}}
		for _, w := range want {
			if got := rows[1][column(t, rows, w[0])]; got != w[1] {
				t.Fatalf("xlsx %s = %q, want %q", w[0], got, w[1])
			}
		}
		cell, _ := excelize.CoordinatesToCellName(column(t, rows, "Vấn đề bạn giải quyết")+1, 2)
		if formula, _ := f.GetCellFormula("Applications", cell); formula != "" {
			t.Fatalf("the answer became the formula %q", formula)
		}
		cell, _ = excelize.CoordinatesToCellName(column(t, rows, "Normalised score")+1, 3)
		if v, _ := f.GetCellValue("Applications", cell, excelize.Options{RawCellValue: true}); v != "-1" {
			t.Fatalf("B's normalised score is %q, want the number -1", v)
		}

		fa := e.signIn("a@example.vn", "mật khẩu dài")
		if res, _ := fa.download("/manage/programs/" + pid + "/applications.csv"); res.StatusCode != 403 {
			t.Fatalf("a founder's export: %d", res.StatusCode)
		}
	})
}
