package web_test

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func (e *env) signedInStaff(email string) *browser {
	e.t.Helper()
	e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": email, "password": "gate-staff-pass", "name": "Lê Thị Soát Vé", "roles": []string{"staff"}}).status(201)
	return e.signIn(email, "gate-staff-pass")
}

var h1RE = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)

// headings are the texts of a page's h1 elements.
func headings(page string) []string {
	var hs []string
	for _, m := range h1RE.FindAllStringSubmatch(page, -1) {
		hs = append(hs, html.UnescapeString(m[1]))
	}
	return hs
}

func TestGatePageIsForStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	eventID, _ := e.techfest(e.organizer(), 10, false)
	gate := "/events/" + eventID + "/gate"

	if p := e.browser("").do("GET", gate, nil); p.code != 302 || p.location != "/login?next="+url.QueryEscape(gate) {
		t.Fatalf("a stranger on the gate page: %d %q, want the login page", p.code, p.location)
	}
	if r := e.browser("").pageJSON("GET", gate+"/data", "", nil); r.code != 401 {
		t.Fatalf("a stranger reading the gate's data: %d %s", r.code, r.body)
	}

	e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "sang.lap@example.vn", "password": "nhà sáng lập trẻ", "name": "Phạm Minh Khôi"}).status(201)
	founder := e.signIn("sang.lap@example.vn", "nhà sáng lập trẻ")
	if p := founder.do("GET", gate, nil); p.code != 403 {
		t.Fatalf("a founder on the gate page: %d", p.code)
	}
	if p := founder.do("GET", "/", nil); strings.Contains(p.html, `href="/gate"`) {
		t.Fatal("a founder is offered the gate in the menu")
	}
	csrf := csrfRE.FindStringSubmatch(founder.do("GET", "/account", nil).html)[1]
	if r := founder.pageJSON("GET", gate+"/data", "", nil); r.errorCode(403, "forbidden") == "" {
		t.Fatal("no message")
	}
	if r := founder.pageJSON("POST", gate+"/scan", csrf, map[string]any{"ticket_id": "x"}); r.code != 403 {
		t.Fatalf("a founder scanning: %d", r.code)
	}

	staff := e.signedInStaff("soat.ve@sprout.test")
	e.onStaff(e.admin, eventID, "soat.ve@sprout.test")
	home := staff.do("GET", "/", nil)
	if !strings.Contains(home.html, `href="/gate"`) || !strings.Contains(home.html, "Soát vé") {
		t.Fatal("staff find the gate in the menu")
	}
	p := staff.do("GET", gate, nil)
	for _, want := range []string{`<html lang="vi">`, "Bắt đầu quét", "Techfest Hà Nội 2026", `data-event="` + eventID + `"`,
		`id="result"`, `src="/static/js/gate.js"`, `src="/static/vendor/jsqr/jsQR.js"`} {
		if !strings.Contains(p.html, want) {
			t.Errorf("the gate page lacks %s", want)
		}
	}
	// Its one h1 names the page for screen readers; the design shows none.
	if got := headings(p.html); len(got) != 1 || got[0] != "Cổng check-in · Techfest Hà Nội 2026" || !strings.Contains(p.html, `<h1 class="sr-only">`) {
		t.Errorf("the gate page's h1: %q", got)
	}
	if strings.Contains(p.html, `class="topbar"`) {
		t.Error("the gate page carries the site's header: it should have the whole screen")
	}

	en := e.signIn("soat.ve@sprout.test", "gate-staff-pass")
	en.lang = "en"
	if p := en.do("GET", "/lang/en?next="+gate, nil); p.code != 303 {
		t.Fatalf("choosing English: %d", p.code)
	}
	p = en.do("GET", gate, nil)
	if !strings.Contains(p.html, `<html lang="en">`) || !strings.Contains(p.html, "Start scanning") || !strings.Contains(p.html, "Undo last entry") {
		t.Fatal("the gate page in English")
	}
	if got := headings(p.html); len(got) != 1 || got[0] != "Gate check-in · Techfest Hà Nội 2026" {
		t.Errorf("the gate page's h1 in English: %q", got)
	}
	// The labels the script shows come with the page, in its language.
	m := regexp.MustCompile(`data-messages="([^"]+)"`).FindStringSubmatch(p.html)
	if m == nil {
		t.Fatal("no messages for the script")
	}
	var msgs map[string]string
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &msgs); err != nil {
		t.Fatal(err)
	}
	if msgs["result.ok"] != "Welcome in" || msgs["result.revoked"] != "This ticket was cancelled" || !strings.Contains(msgs["result.already_checked_in"], "{time}") {
		t.Errorf("script labels in English: %v", msgs)
	}

	sw := e.call("GET", "/sw.js", nil)
	if sw.code != 200 || !strings.Contains(sw.header.Get("Content-Type"), "javascript") || !strings.Contains(string(sw.body), "/static/js/gate.js") {
		t.Fatalf("service worker: %d %q", sw.code, sw.header.Get("Content-Type"))
	}
}

func TestGateChecksInWithThePageSession(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		gate := "/events/" + eventID + "/gate"
		tk := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{
			"ticket_type_id": typeID, "name": "Nguyễn Văn An", "email": "an.nguyen@example.vn", "phone": "0912 345 678",
		}).status(201)
		ticketID, token := tk.str("ticket.id"), tk.str("ticket.token")
		checkedIn := func() float64 {
			return e.authed(org, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200).get("checked_in").(float64)
		}

		b := e.signedInStaff("cong.a@sprout.test")
		e.onStaff(org, eventID, "cong.a@sprout.test")
		csrf := b.scriptCSRF("/events/" + eventID + "/gate")
		scan := map[string]any{"token": token, "gate": "Cổng A — Hồ Gươm", "nonce": "n-1"}

		if r := b.pageJSON("POST", gate+"/scan", "", scan); r.code != 403 {
			t.Fatalf("a scan without the CSRF token: %d %s", r.code, r.body)
		}
		if r := b.pageJSON("POST", gate+"/scan", "forged", scan); r.code != 403 {
			t.Fatalf("a scan with a forged CSRF token: %d %s", r.code, r.body)
		}
		if n := checkedIn(); n != 0 {
			t.Fatalf("refused scans checked %v in", n)
		}

		r := b.pageJSON("POST", gate+"/scan", csrf, scan).status(200)
		if r.str("result") != "ok" || r.str("ticket.id") != ticketID || r.str("ticket.name") != "Nguyễn Văn An" || r.str("ticket_type") != "Khách tham quan" {
			t.Fatalf("first scan: %s", r.body)
		}
		scanID := r.str("scan_id")
		if again := b.pageJSON("POST", gate+"/scan", csrf, scan).status(200); again.str("scan_id") != scanID {
			t.Fatalf("the same nonce sent again made a new scan: %s", again.body)
		}
		scan["nonce"] = "n-2"
		if again := b.pageJSON("POST", gate+"/scan", csrf, scan).status(200); again.str("result") != "already_checked_in" || again.str("first_checked_in_at") == "" {
			t.Fatalf("second scan: %s", again.body)
		}
		stats := b.pageJSON("GET", gate+"/stats", "", nil).status(200)
		if stats.get("checked_in").(float64) != 1 || stats.get("by_gate").(map[string]any)["Cổng A — Hồ Gươm"].(float64) != 1 {
			t.Fatalf("stats: %s", stats.body)
		}
		if r := b.pageJSON("POST", gate+"/scan", csrf, map[string]any{"token": "not-a-ticket", "gate": "Cổng A — Hồ Gươm"}).status(200); r.str("result") != "invalid" {
			t.Fatalf("a stranger's QR: %s", r.body)
		}
		if r := b.pageJSON("POST", gate+"/scan", csrf, map[string]any{"gate": "Cổng A"}); r.errorCode(400, "invalid") == "" {
			t.Fatal("no message")
		}

		data := b.pageJSON("GET", gate+"/data", "", nil).status(200)
		keys, _ := data.get("keys").([]any)
		header, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
		var h struct {
			Kid string `json:"kid"`
		}
		json.Unmarshal(header, &h)
		found := false
		for _, k := range keys {
			found = found || k.(map[string]any)["kid"] == h.Kid
		}
		if !found {
			t.Fatalf("the gate's data lacks the key %q that signed the ticket: %s", h.Kid, data.body)
		}

		people := b.pageJSON("GET", gate+"/attendees?q="+url.QueryEscape("nguyen van an"), "", nil).status(200)
		list, _ := people.get("attendees").([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != ticketID || list[0].(map[string]any)["inside"] != true {
			t.Fatalf("search without diacritics: %s", people.body)
		}

		if r := b.pageJSON("POST", gate+"/scans/"+scanID+"/annul", "", nil); r.code != 403 {
			t.Fatalf("undo without the CSRF token: %d", r.code)
		}
		b.pageJSON("POST", gate+"/scans/"+scanID+"/annul", csrf, nil).status(200)
		if n := checkedIn(); n != 0 {
			t.Fatalf("after undoing the only entry %v are checked in", n)
		}
		scan["nonce"] = "n-3"
		if r := b.pageJSON("POST", gate+"/scan", csrf, scan).status(200); r.str("result") != "ok" {
			t.Fatalf("a scan after the undo: %s", r.body)
		}
		if n := checkedIn(); n != 1 {
			t.Fatalf("checked in after scanning again: %v", n)
		}
	})
}
