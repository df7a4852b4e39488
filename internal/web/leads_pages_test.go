package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sprout/internal/expo"
	"sprout/internal/ids"
)

// booth applies for an exhibitor at an event as the holder of token, has
// the organizer approve it and returns its id.
func (e *env) booth(org, token, eventID, company string) string {
	e.t.Helper()
	id := e.authed(token, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
		"company": company, "contact_email": "lienhe@mamxanh.vn", "description": "Nền tảng nông nghiệp số"}).status(201).str("exhibitor.id")
	e.authed(org, "POST", "/api/v1/exhibitors/"+id+"/approve", nil).status(200)
	return id
}

// forgedBadge puts one ticket's signature under another ticket's claims: a
// badge that reads as a ticket and whose signature fails.
func forgedBadge(signed, claims string) string {
	s, c := strings.Split(signed, "."), strings.Split(claims, ".")
	return s[0] + "." + c[1] + "." + s[2]
}

// xlsxCells reads every cell of a lead workbook's sheet, row by row.
func xlsxCells(t *testing.T, body []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLeadPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 100, false)
		owner, rival := e.member("chu.gian@sprout.test"), e.member("doi.thu@sprout.test")
		e.member("nhan.vien@sprout.test")
		x := e.booth(org, owner, eventID, "Công ty Mầm Xanh")
		y := e.booth(org, rival, eventID, "Đối Thủ Cạnh Tranh")
		invitation := ids.Secret()
		if err := e.app.Store.AddBoothStaff(context.Background(), expo.Staff{ID: ids.New(), ExhibitorID: x, EventID: eventID,
			Name: "Trần Minh Đức", Email: "nhan.vien@sprout.test", Secret: invitation, CreatedAt: e.now().UTC()}, 5); err != nil {
			t.Fatal(err)
		}
		// Staff act for the booth once they accept the invitation.
		staff := e.signIn("nhan.vien@sprout.test", "member-password")
		join := "/exhibitors/join/" + invitation
		if p := staff.submit(join, join, url.Values{}); p.code != 303 || p.location != "/exhibitors/"+x+"/scan" {
			t.Fatalf("accepting the invitation: %d %q", p.code, p.location)
		}
		rivalB := e.signIn("doi.thu@sprout.test", "member-password")

		reg := func(name, email, phone string, share bool) string {
			return e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID,
				"name": name, "email": email, "phone": phone, "share_contact": share}).status(201).str("ticket.token")
		}
		shared := reg("Lê Thu Hà", "ha@example.vn", "0912 345 678", true)
		const privateName = "=cmd|' /C calc'!A0"
		private := reg(privateName, "kin@example.vn", "0987 654 321", false)
		secrets := []string{"kin@example.vn", "0987 654 321", "0987654321", "+84987654321"}
		keepsSecrets := func(what, body string) {
			t.Helper()
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("%s shows %q, which the visitor did not share", what, s)
				}
			}
		}

		// Staff of the booth scan badges from the scanner page.
		leads := "/exhibitors/" + x + "/leads"
		page := staff.do("GET", "/exhibitors/"+x+"/scan", nil)
		for _, want := range []string{`<html lang="vi">`, "Công ty Mầm Xanh", "Techfest Hà Nội 2026", `data-exhibitor="` + x + `"`,
			`src="/static/js/leads.js"`, `src="/static/vendor/jsqr/jsQR.js"`, "Máy quét cầm tay"} {
			if !strings.Contains(page.html, want) {
				t.Errorf("the scanner page lacks %s", want)
			}
		}
		csrf := staff.scriptCSRF("/exhibitors/" + x + "/scan")
		scan := "/exhibitors/" + x + "/scan"
		if r := staff.pageJSON("POST", scan, "", map[string]any{"token": shared}); r.code != 403 {
			t.Fatalf("a scan without the page's CSRF token: %d", r.code)
		}
		added := staff.pageJSON("POST", scan, csrf, map[string]any{"token": shared}).status(201)
		if added.str("lead.name") != "Lê Thu Hà" || added.str("lead.email") != "ha@example.vn" || added.str("lead.phone") == "" {
			t.Fatalf("a lead who shared contact details: %s", added.body)
		}
		if again := staff.pageJSON("POST", scan, csrf, map[string]any{"token": shared}).status(200); again.str("lead.id") != added.str("lead.id") {
			t.Fatalf("the same badge again: %s", again.body)
		}
		hidden := staff.pageJSON("POST", scan, csrf, map[string]any{"token": private}).status(201)
		if hidden.get("lead.email") != nil || hidden.get("lead.phone") != nil || hidden.str("lead.name") != privateName {
			t.Fatalf("a lead who shared nothing: %s", hidden.body)
		}
		keepsSecrets("the scan's answer", string(hidden.body))
		// A code that is no ticket and a forged badge are told apart: one
		// ticket's signature under another's claims reads well but fails.
		if msg := staff.pageJSON("POST", scan, csrf, map[string]any{"token": forgedBadge(shared, private)}).errorCode(400, "invalid"); msg != "Thẻ giả: chữ ký trên mã QR không đúng." {
			t.Errorf("a forged badge says %q", msg)
		}
		for _, code := range []string{"https://example.vn/khuyen-mai", "a.b.c", ""} {
			if msg := staff.pageJSON("POST", scan, csrf, map[string]any{"token": code}).errorCode(400, "invalid"); msg != "Không đọc được mã: đây không phải mã QR của vé." {
				t.Errorf("the code %q says %q", code, msg)
			}
		}

		// Staff and owner see the list; contact details only when shared.
		for who, b := range map[string]*browser{"staff": staff, "owner": e.signIn("chu.gian@sprout.test", "member-password")} {
			p := b.do("GET", leads, nil)
			if p.code != 200 {
				t.Fatalf("%s on the lead list: %d", who, p.code)
			}
			text := html.UnescapeString(p.html)
			for _, want := range []string{"Lê Thu Hà", privateName, "ha@example.vn", "0912 345 678", "2 khách tiềm năng",
				"Khách không chia sẻ liên hệ", `href="/exhibitors/` + x + `/leads.xlsx"`, `href="/exhibitors/` + x + `/leads.csv"`} {
				if !strings.Contains(text, want) {
					t.Errorf("%s's lead list lacks %s", who, want)
				}
			}
			keepsSecrets(who+"'s lead list", text)
			if i, j := strings.Index(text, privateName), strings.Index(text, "Lê Thu Hà"); i > j {
				t.Errorf("%s's lead list is not newest first", who)
			}
		}

		// Another exhibitor's owner learns nothing, by page, scan or API.
		for _, path := range []string{"/exhibitors/" + x + "/scan", leads, leads + ".csv", leads + ".xlsx"} {
			if p := rivalB.do("GET", path, nil); p.code != 404 {
				t.Errorf("another exhibitor's owner on %s: %d", path, p.code)
			}
		}
		rivalCSRF := rivalB.scriptCSRF("/exhibitors/" + y + "/scan")
		rivalB.pageJSON("POST", scan, rivalCSRF, map[string]any{"token": private}).errorCode(404, "not_found")
		rivalB.pageJSON("PATCH", leads+"/"+added.str("lead.id"), rivalCSRF, map[string]any{"note": "x", "rating": "hot"}).errorCode(404, "not_found")
		e.authed(rival, "GET", "/api/v1"+leads+".xlsx", nil).errorCode(404, "not_found")
		e.authed(rival, "PATCH", "/api/v1"+leads+"/"+added.str("lead.id"), map[string]any{"note": "x", "rating": "hot"}).errorCode(404, "not_found")
		if p := rivalB.do("GET", "/exhibitors/"+y+"/leads", nil); p.code != 200 || !strings.Contains(p.html, "Chưa có khách tiềm năng nào") ||
			!strings.Contains(p.html, `href="/exhibitors/`+y+`/scan"`) {
			t.Errorf("an empty lead list: %d, want the way to the scanner", p.code)
		}

		// Exports hold both leads, the private one without contact details,
		// and neutralise a name that a spreadsheet would run.
		res, csvBody := staff.download(leads + ".csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV from the list page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		keepsSecrets("the CSV", string(csvBody))
		if !strings.HasPrefix(string(csvBody), "\uFEFFMã khách tiềm năng,Mã vé,Họ và tên,") || !strings.Contains(string(csvBody), "\r\n") {
			t.Errorf("the lead CSV lacks the byte order mark or CRLF line ends every export has:\n%q", csvBody)
		}
		if !strings.Contains(string(csvBody), "ha@example.vn") || !strings.Contains(string(csvBody), "'=cmd") {
			t.Errorf("CSV:\n%s", csvBody)
		}
		res, xlsx := staff.download(leads + ".xlsx")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("XLSX from the list page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		apiXLSX := e.authed(owner, "GET", "/api/v1"+leads+".xlsx", nil).status(200)
		for what, body := range map[string][]byte{"page's XLSX": xlsx, "API's XLSX": apiXLSX.body} {
			rows := xlsxCells(t, body)
			head := "Mã khách tiềm năng,Mã vé,Họ và tên,Email,Số điện thoại,Ghi chú,Mức quan tâm"
			if what == "API's XLSX" {
				head = "id,ticket_id,name,email,phone,note,rating"
			}
			if len(rows) != 3 || !strings.HasPrefix(strings.Join(rows[0], ","), head) {
				t.Fatalf("%s rows: %q", what, rows)
			}
			if rows[1][2] != "'"+privateName || rows[2][2] != "Lê Thu Hà" || rows[2][3] != "ha@example.vn" || rows[2][4] != "0912 345 678" {
				t.Errorf("%s names and contacts: %q", what, rows[1:])
			}
			var all strings.Builder
			for _, r := range rows {
				all.WriteString(strings.Join(r, "\t") + "\n")
			}
			keepsSecrets(what, all.String())
		}

		// A bad rating or an overlong note is refused with a message and
		// changes nothing; a good edit is saved.
		lead := leads + "/" + added.str("lead.id")
		staff.pageJSON("PATCH", lead, csrf, map[string]any{"note": "Muốn dùng thử", "rating": "hot"}).status(200)
		if msg := staff.pageJSON("PATCH", lead, csrf, map[string]any{"note": "đã đổi", "rating": "boiling"}).errorCode(400, "invalid"); msg != "Mức quan tâm phải là Nóng, Ấm hoặc Lạnh." {
			t.Errorf("a bad rating says %q", msg)
		}
		e.authed(owner, "PATCH", "/api/v1"+lead, map[string]any{"note": strings.Repeat("a", 1001), "rating": "cold"}).errorCode(400, "invalid")
		e.authed(owner, "PATCH", "/api/v1"+lead, map[string]any{"note": 5}).errorCode(400, "invalid")
		list := e.authed(owner, "GET", "/api/v1"+leads, nil).status(200).get("leads").([]any)
		if l := list[1].(map[string]any); l["note"] != "Muốn dùng thử" || l["rating"] != "hot" {
			t.Fatalf("after refused edits the lead is %v", l)
		}

		// Without JavaScript the list's form saves, or says what is wrong.
		back := leads + "?rating=hot"
		p := staff.submit(leads, lead, url.Values{"note": {"Gọi lại thứ Hai"}, "rating": {"tepid"}, "back": {back}})
		if p.code != 303 || p.location != back {
			t.Fatalf("a bad rating by form: %d %q", p.code, p.location)
		}
		if p = staff.do("GET", back, nil); !strings.Contains(p.html, "Mức quan tâm phải là Nóng, Ấm hoặc Lạnh.") || strings.Contains(p.html, "Gọi lại thứ Hai") {
			t.Fatal("a bad rating by form shows no message, or saved the note")
		}
		if p = staff.submit(leads, lead, url.Values{"note": {"Gọi lại thứ Hai"}, "rating": {"warm"}}); p.code != 303 {
			t.Fatalf("an edit by form: %d", p.code)
		}
		p = staff.do("GET", leads+"?rating=warm", nil)
		if !strings.Contains(p.html, "Đã lưu ghi chú và mức quan tâm.") || !strings.Contains(p.html, "Gọi lại thứ Hai") ||
			!strings.Contains(p.html, `badge rating-warm">Ấm`) || strings.Contains(html.UnescapeString(p.html), privateName) {
			t.Errorf("the list filtered to warm leads after an edit by form:\n%s", p.html)
		}

		// Each finds their booths on their own page.
		if p := staff.do("GET", "/exhibitors/mine", nil); !strings.Contains(p.html, "Công ty Mầm Xanh") || !strings.Contains(p.html, "Nhân viên gian hàng") ||
			!strings.Contains(p.html, `href="/exhibitors/`+x+`/scan"`) || strings.Contains(p.html, "Đối Thủ Cạnh Tranh") {
			t.Errorf("staff's booths page:\n%s", p.html)
		}
		if p := rivalB.do("GET", "/exhibitors/mine", nil); !strings.Contains(p.html, "Đối Thủ Cạnh Tranh") || strings.Contains(p.html, "Công ty Mầm Xanh") {
			t.Errorf("the rival's booths page:\n%s", p.html)
		}
		if p := staff.do("GET", "/account", nil); !strings.Contains(p.html, `href="/exhibitors/mine"`) {
			t.Error("the account page does not lead to the booths")
		}

		// The scanner page is named for screen readers, in its language.
		if got := headings(page.html); len(got) != 1 || got[0] != "Quét thẻ khách · Công ty Mầm Xanh" {
			t.Errorf("the scanner page's h1: %q", got)
		}
		rivalB.lang = "en"
		if p := rivalB.do("GET", "/lang/en?next=/", nil); p.code != 303 {
			t.Fatalf("choosing English: %d", p.code)
		}
		if got := headings(rivalB.do("GET", "/exhibitors/"+y+"/scan", nil).html); len(got) != 1 || got[0] != "Scan badges · Đối Thủ Cạnh Tranh" {
			t.Errorf("the scanner page's h1 in English: %q", got)
		}
	})
}

// The booth's scanner takes what it needs offline from its own page's
// session: the keys and the event's cancelled tickets, for its staff only.
func TestBoothScannerKeepsKeysAndCancelledTickets(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		x := e.booth(org, e.member("mamxanh@sprout.test"), eventID, "Công ty Mầm Xanh")
		cancelled, _ := e.holder(eventID, typeID, "huy@example.vn")
		kept, _ := e.holder(eventID, typeID, "giu@example.vn")
		e.authed(org, "POST", "/api/v1/tickets/"+cancelled+"/cancel", nil).status(200)

		owner := e.browser("")
		owner.submit("/login", "/login", url.Values{"email": {"mamxanh@sprout.test"}, "password": {"member-password"}})
		data := owner.do("GET", "/exhibitors/"+x+"/scan/data", nil)
		var got struct {
			Keys    []map[string]any `json:"keys"`
			Revoked []string         `json:"revoked"`
		}
		if err := json.Unmarshal([]byte(data.html), &got); data.code != 200 || err != nil {
			t.Fatalf("scan data: %d %v %.200s", data.code, err, data.html)
		}
		if len(got.Keys) == 0 || got.Keys[0]["alg"] != "EdDSA" || len(got.Revoked) != 1 || got.Revoked[0] != cancelled || slices.Contains(got.Revoked, kept) {
			t.Fatalf("scan data: %+v, want the keys and exactly the cancelled ticket", got)
		}
		rival := e.browser("")
		e.member("doithu@sprout.test")
		rival.submit("/login", "/login", url.Values{"email": {"doithu@sprout.test"}, "password": {"member-password"}})
		if p := rival.do("GET", "/exhibitors/"+x+"/scan/data", nil); p.code != 404 {
			t.Fatalf("another exhibitor's staff read the booth's scan data: %d", p.code)
		}
		if p := e.browser("").do("GET", "/exhibitors/"+x+"/scan/data", nil); p.code != 401 {
			t.Fatalf("a stranger read the booth's scan data: %d", p.code)
		}
	})
}
