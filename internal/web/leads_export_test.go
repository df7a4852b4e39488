package web_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"sprout/internal/expo"
	"sprout/internal/ids"
	"sprout/internal/vn"
)

// The lead list's downloads are for the people who read them: headers and
// interest in their language, times on Vietnam's clock, the visitor's
// consent beside their contact details, and room for company and job
// title. The API's copy keeps its column keys for programs.
func TestLeadExportsSpeakTheReadersLanguage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		eventID, typeID := e.techfest(org, 100, false)
		owner := e.member("chu.gian@sprout.test")
		x := e.booth(org, owner, eventID, "Công ty Mầm Xanh")
		sharing := e.register(eventID, typeID, "Lê Thu Hà", "ha@example.vn", "0912 345 678")
		private := e.register(eventID, typeID, "Phạm Văn Kiên", "kien@example.vn", "")
		ticket, err := e.app.Store.TicketByID(ctx, sharing)
		if err != nil || !ticket.SharesContact() {
			t.Fatalf("the sharing visitor's ticket: %+v %v", ticket, err)
		}
		// Leads stored as scanned at a fixed moment: 09:30 UTC is 16:30 in
		// Vietnam, whatever day the test runs.
		scanned := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
		for _, l := range []expo.Lead{
			{ID: ids.New(), ExhibitorID: x, EventID: eventID, TicketID: private, Name: "Phạm Văn Kiên", Rating: "cold", CreatedAt: scanned.Add(-time.Hour)},
			{ID: ids.New(), ExhibitorID: x, EventID: eventID, TicketID: sharing, Name: "Lê Thu Hà", Email: "ha@example.vn",
				Phone: ticket.Phone, Note: "Muốn dùng thử", Rating: "warm", CreatedAt: scanned},
		} {
			if _, _, err := e.app.Store.AddLead(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		consentAt := ticket.Consent.At.In(vn.Zone).Format("2006-01-02 15:04:05")
		const words = "Tôi đồng ý chia sẻ email và số điện thoại với các đơn vị triển lãm khi họ quét vé của tôi."
		leads := "/exhibitors/" + x + "/leads"

		vi := e.signIn("chu.gian@sprout.test", "member-password")
		en := e.signIn("chu.gian@sprout.test", "member-password")
		if p := en.do("GET", "/lang/en?next=/", nil); p.code != 303 && p.code != 302 {
			t.Fatalf("switching to English: %d", p.code)
		}
		for _, tc := range []struct {
			lang string
			b    *browser
			head []string
			warm string
			cold string
		}{
			{"vi", vi, []string{"Mã khách tiềm năng", "Mã vé", "Họ và tên", "Email", "Số điện thoại", "Ghi chú", "Mức quan tâm",
				"Quét lúc (giờ Việt Nam)", "Công ty", "Chức danh", "Đồng ý lúc (giờ Việt Nam)", "Nội dung đã đồng ý"}, "Ấm", "Lạnh"},
			{"en", en, []string{"Lead ID", "Ticket number", "Full name", "Email", "Phone", "Note", "Interest",
				"Scanned at (Vietnam time)", "Company", "Job title", "Consent given at (Vietnam time)", "Consent wording"}, "Warm", "Cold"},
		} {
			res, body := tc.b.download(leads + ".csv")
			if res.StatusCode != 200 || !strings.HasPrefix(string(body), "\uFEFF") {
				t.Fatalf("%s CSV: %d, want a byte order mark first:\n%q", tc.lang, res.StatusCode, body)
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
			if err != nil || len(rows) != 3 {
				t.Fatalf("%s CSV: %v\n%s", tc.lang, err, body)
			}
			if strings.Join(rows[0], "|") != strings.Join(tc.head, "|") {
				t.Errorf("%s CSV header %q, want %q", tc.lang, rows[0], tc.head)
			}
			want := []string{"", ticket.ID, "Lê Thu Hà", "ha@example.vn", "0912 345 678", "Muốn dùng thử", tc.warm,
				"2026-03-14 16:30:00", "", "", consentAt, words}
			for i, w := range want {
				if i > 0 && rows[1][i] != w {
					t.Errorf("%s CSV, lead who shared, column %q = %q, want %q", tc.lang, tc.head[i], rows[1][i], w)
				}
			}
			if r := rows[2]; r[2] != "Phạm Văn Kiên" || r[3] != "" || r[4] != "" || r[6] != tc.cold || r[7] != "2026-03-14 15:30:00" || r[10] != "" || r[11] != "" {
				t.Errorf("%s CSV, lead who shared nothing: %q", tc.lang, r)
			}

			res, body = tc.b.download(leads + ".xlsx")
			if res.StatusCode != 200 {
				t.Fatalf("%s XLSX: %d", tc.lang, res.StatusCode)
			}
			cells := xlsxCells(t, body)
			if len(cells) != 3 || strings.Join(cells[0], "|") != strings.Join(tc.head, "|") {
				t.Fatalf("%s XLSX rows: %q", tc.lang, cells)
			}
			if r := cells[1]; r[6] != tc.warm || r[7] != "14/03/2026 16:30" || r[11] != words {
				t.Errorf("%s XLSX, lead who shared: %q", tc.lang, r)
			}
		}

		// Programs get the column keys, the rating words and RFC 3339
		// times, without the byte order mark.
		api := e.authed(owner, "GET", "/api/v1"+leads+".csv", nil).status(200)
		rows, err := csv.NewReader(strings.NewReader(string(api.body))).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("API CSV: %v\n%s", err, api.body)
		}
		if got := strings.Join(rows[0], ","); got != "id,ticket_id,name,email,phone,note,rating,created_at,company,job_title,consent_at,consent_words" {
			t.Errorf("API CSV header %q", got)
		}
		if at, err := time.Parse(time.RFC3339, rows[1][7]); err != nil || !at.Equal(scanned) || rows[1][6] != "warm" || rows[1][11] != words {
			t.Errorf("API CSV row %q", rows[1])
		}
	})
}
