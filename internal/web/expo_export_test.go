package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sprout/internal/vn"
)

// csvRows reads a CSV export, which must start with a byte order mark.
func csvRows(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("the CSV has no byte order mark: %.200q", body)
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func joinRows(rows [][]string) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = strings.Join(r, "|")
	}
	return strings.Join(lines, "\n")
}

func TestExhibitorExports(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		eventID, _ := e.techfest(org, 50, false)
		slug := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200).str("event.slug")
		b := e.signIn("btc@sprout.test", "organizer-pass")
		booth := func(code, zone, size string, x, w int, price int64) string {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": code, "zone": zone,
				"size_class": size, "x": x, "y": 0, "w": w, "h": 3, "price": price}).status(201).str("booth.id")
		}
		// M allows 3 staff, S 2; B1 has no class, so 6×3 cells allow 3.
		a1 := booth("A1", "Khu Khởi nghiệp", "M", 0, 4, 12_000_000)
		a2 := booth("A2", "Khu Khởi nghiệp", "S", 4, 4, 8_000_000)
		b1 := booth("B1", "Khu Công nghệ", "", 8, 6, 0)
		booth("B2", "Khu Công nghệ", "L", 14, 4, 30_000_000)

		apply := func(email string, fields map[string]any) string {
			fields["contact_email"], fields["description"] = email, "Giới thiệu sản phẩm"
			return e.authed(e.member(email), "POST", "/api/v1/events/"+eventID+"/exhibitors", fields).status(201).str("exhibitor.id")
		}
		mam := apply("lienhe@mamxanh.vn", map[string]any{"company": "Công ty Mầm Xanh", "contact_name": "Lê Thu Hà",
			"phone": "0912345678", "sector": "Nông nghiệp số", "website": "https://mamxanh.vn"})
		evil := apply("evil@example.vn", map[string]any{"company": `=HYPERLINK("x")`})
		sen := apply("sen@senvang.vn", map[string]any{"company": "Startup Sen Vàng", "sector": "Fintech"})
		for _, x := range []string{mam, evil} {
			e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200)
		}
		for boothID, x := range map[string]string{a1: mam, a2: mam, b1: evil} {
			e.authed(org, "POST", "/api/v1/booths/"+boothID+"/assign", map[string]any{"exhibitor_id": x}).status(200)
		}
		// Mầm Xanh registers two of its five staff, through its own page.
		owner := e.signIn("lienhe@mamxanh.vn", "member-password")
		staffPage := "/exhibitors/" + mam + "/staff"
		for _, email := range []string{"an@mamxanh.vn", "binh@mamxanh.vn"} {
			owner.submit(staffPage, staffPage, url.Values{"name": {"Nhân viên " + email[:2]}, "email": {email}}).status(t, 303)
		}
		// The formula-like one is a cohort startup the organizer serves first.
		x, err := e.app.Store.Exhibitor(ctx, evil)
		if err != nil {
			t.Fatal(err)
		}
		x.CohortID = "khoa-2026"
		if err := e.app.Store.UpdateExhibitor(ctx, x, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Expo.SetPriority(ctx, evil, true); err != nil {
			t.Fatal(err)
		}
		applied := map[string]string{}
		appliedXLSX := map[string]string{}
		for _, id := range []string{mam, evil, sen} {
			x, err := e.app.Store.Exhibitor(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			applied[id] = x.CreatedAt.In(vn.Zone).Format("2006-01-02 15:04:05")
			appliedXLSX[id] = x.CreatedAt.In(vn.Zone).Format("02/01/2006 15:04")
		}

		header := []string{"Đơn vị", "Trạng thái", "Lĩnh vực", "Họ và tên người liên hệ", "Email liên hệ", "Số điện thoại", "Trang web",
			"Gian hàng", "Khu", "Hạng diện tích", "Tổng giá thuê (₫)", "Nhân sự đã đăng ký", "Số nhân sự được cấp",
			"Khởi nghiệp ươm tạo", "Ưu tiên", "Đăng ký lúc (giờ Việt Nam)"}
		mamRow := []string{"Công ty Mầm Xanh", "Đã duyệt", "Nông nghiệp số", "Lê Thu Hà", "lienhe@mamxanh.vn", "0912 345 678",
			"https://mamxanh.vn", "A1, A2", "Khu Khởi nghiệp", "M, S", "20000000", "2", "5", "Không", "Không", applied[mam]}
		evilRow := []string{`'=HYPERLINK("x")`, "Đã duyệt", "", "", "evil@example.vn", "", "", "B1", "Khu Công nghệ", "", "0", "0", "3",
			"Có", "Có", applied[evil]}
		senRow := []string{"Startup Sen Vàng", "Chờ duyệt", "Fintech", "", "sen@senvang.vn", "", "", "", "", "", "0", "0", "0",
			"Không", "Không", applied[sen]}

		base := "/manage/events/" + eventID + "/exhibitors"
		res, body := b.download(base + ".csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || res.Header.Get("X-Total-Rows") != "3" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="exhibitors-`+slug+`.csv"` {
			t.Fatalf("csv: %d %v", res.StatusCode, res.Header)
		}
		// One row per exhibitor, oldest first as the list shows them.
		if got, want := joinRows(csvRows(t, body)), joinRows([][]string{header, mamRow, evilRow, senRow}); got != want {
			t.Fatalf("csv rows\n%s\nwant\n%s", got, want)
		}

		// The workbook holds the same rows: text as typed, never a formula,
		// the price a number and the time a date.
		res, body = b.download(base+".xlsx", "Accept-Encoding", "identity")
		if res.StatusCode != 200 || res.ContentLength != int64(len(body)) || res.Header.Get("X-Total-Rows") != "3" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="exhibitors-`+slug+`.xlsx"` {
			t.Fatalf("xlsx: %d %v, length %d for %d bytes", res.StatusCode, res.Header, res.ContentLength, len(body))
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		const sheet = "Đơn vị trưng bày"
		xrows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		asXLSX := func(id string, row []string) []string {
			r := append([]string(nil), row...)
			r[0] = strings.TrimPrefix(r[0], "'")
			r[10] = map[string]string{"20000000": "20,000,000"}[r[10]]
			if r[10] == "" {
				r[10] = "0"
			}
			r[15] = appliedXLSX[id]
			return r
		}
		if got, want := joinRows(xrows), joinRows([][]string{header, asXLSX(mam, mamRow), asXLSX(evil, evilRow), asXLSX(sen, senRow)}); got != want {
			t.Fatalf("xlsx rows\n%s\nwant\n%s", got, want)
		}
		for row := 2; row <= 4; row++ {
			cell := fmt.Sprintf("A%d", row)
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Fatalf("%s holds a formula %q", cell, formula)
			}
		}
		if raw, _ := f.GetCellValue(sheet, "K2", excelize.Options{RawCellValue: true}); raw != "20000000" {
			t.Fatalf("the price is not a number: %q", raw)
		}

		// The status filter narrows both, as it narrows the list; an unknown
		// one is no filter, as on the list.
		res, body = b.download(base + ".csv?status=approved")
		if got, want := joinRows(csvRows(t, body)), joinRows([][]string{header, mamRow, evilRow}); res.Header.Get("X-Total-Rows") != "2" || got != want {
			t.Fatalf("approved csv %q:\n%s", res.Header.Get("X-Total-Rows"), got)
		}
		_, body = b.download(base + ".xlsx?status=pending")
		if f, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
			t.Fatal(err)
		} else if rows, _ := f.GetRows(sheet); joinRows(rows) != joinRows([][]string{header, asXLSX(sen, senRow)}) {
			t.Fatalf("pending xlsx:\n%s", joinRows(rows))
		}
		if _, body = b.download(base + ".csv?status=rejected"); len(csvRows(t, body)) != 1 {
			t.Fatalf("rejected csv: %q", csvRows(t, body))
		}
		if _, body = b.download(base + ".csv?status=bogus"); len(csvRows(t, body)) != 4 {
			t.Fatalf("an unknown status filtered the csv: %q", csvRows(t, body))
		}
		// Startups first, as the list sorts them when asked.
		if _, body = b.download(base + ".csv?sort=startups"); csvRows(t, body)[1][0] != evilRow[0] {
			t.Fatalf("startups first: %q", csvRows(t, body))
		}

		// The list offers both downloads under its filter.
		p := b.do("GET", base+"?status=approved&sort=startups", nil)
		for _, want := range []string{`href="` + base + `.csv?status=approved&amp;sort=startups"`, `href="` + base + `.xlsx?status=approved&amp;sort=startups"`,
			`src="/static/js/export.js"`, "data-export-box"} {
			if !strings.Contains(p.html, want) {
				t.Fatalf("the list lacks %q: %.3000s", want, p.html)
			}
		}
		if p := b.do("GET", base, nil); !strings.Contains(p.html, `href="`+base+`.csv" data-export`) {
			t.Fatalf("the unfiltered list's link: %.3000s", p.html)
		}
		if res, _ := b.download(base + ".pdf"); res.StatusCode != 404 {
			t.Fatalf("an unknown format: %d", res.StatusCode)
		}

		// Only organizers: an exhibitor is refused, a stranger sent to sign in.
		for _, path := range []string{base + ".csv", base + ".xlsx"} {
			if res, body := owner.download(path); res.StatusCode != 403 || bytes.Contains(body, []byte("Mầm Xanh")) {
				t.Fatalf("an exhibitor's export %s: %d", path, res.StatusCode)
			}
			if res, _ := e.browser("").download(path); res.StatusCode != 302 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Fatalf("a stranger's export %s: %d %q", path, res.StatusCode, res.Header.Get("Location"))
			}
		}

		// The viewer's language names the columns and statuses.
		en := e.signIn("btc@sprout.test", "organizer-pass")
		en.lang = "en"
		en.do("GET", "/lang/en?next=/", nil).status(t, 303)
		_, body = en.download(base + ".xlsx?status=pending")
		if f, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
			t.Fatal(err)
		} else if rows, _ := f.GetRows("Exhibitors"); len(rows) != 2 || rows[0][0] != "Company" || rows[0][12] != "Staff allowance" ||
			rows[1][1] != "Pending" || rows[1][13] != "No" {
			t.Fatalf("english xlsx: %q", rows)
		}
	})
}
