package web_test

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sprout/internal/qr/qrtest"
)

// The Mailbox shows no secret that opens an account or a ticket: an admin
// reading a password reset or a ticket mail sees each link's secret masked
// to its last 4 characters, in the text and the HTML alike, and the masked
// link opens nothing; the mail kept for sending holds the working link.
func TestMailboxMasksCapabilityLinks(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "admin@sprout.test"}).status(202)
		eventID, typeID := e.techfest(e.organizer(), 10, false)
		ticketURL := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Nguyễn Thị Lan", "email": "lan@example.vn"}).status(201).str("ticket.url")
		ticket, _ := url.Parse(ticketURL)

		reset := e.mails("admin@sprout.test")[0]
		link, _ := url.Parse(resetLink(t, reset.Text))
		if !strings.Contains(reset.HTML, link.Path) {
			t.Fatal("the reset mail kept for sending holds the link in its HTML")
		}
		sent := ticketMail(e.mails("lan@example.vn"))
		if !strings.Contains(sent.Text, ticket.Path) || !strings.Contains(sent.HTML, ticket.Path) {
			t.Fatalf("the ticket mail kept for sending holds the ticket page %s", ticket.Path)
		}

		admin := e.browser("")
		admin.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}})
		for _, m := range []struct {
			id, path string
		}{{reset.ID, link.Path}, {sent.ID, ticket.Path}} {
			cut := strings.LastIndex(m.path, "/") + 1
			prefix, secret := m.path[:cut], m.path[cut:]
			masked := prefix + "…" + secret[len(secret)-4:]
			for _, page := range []string{"/admin/mailbox/" + m.id, "/admin/mailbox/" + m.id + "/body"} {
				p := admin.do("GET", page, nil)
				if p.code != 200 || strings.Contains(p.html, secret) || !strings.Contains(p.html, masked) {
					t.Errorf("%s shows %s: %d, want it masked as %s", page, m.path, p.code, masked)
				}
			}
			if p := e.browser("").do("GET", prefix+url.PathEscape("…"+secret[len(secret)-4:]), nil); p.code != 404 {
				t.Errorf("the masked link %s opens: %d", masked, p.code)
			}
		}
		if p := admin.do("GET", "/admin/mailbox/"+reset.ID, nil); !strings.Contains(p.html, "chỉ hiện bốn ký tự cuối") {
			t.Error("the message page says links are masked")
		}
		if p := admin.do("GET", "/admin/mailbox", nil); strings.Contains(p.html, strings.TrimPrefix(link.Path, "/password/reset/")) {
			t.Error("the mailbox list shows the reset token")
		}
		if p := e.browser("").do("GET", link.Path, nil); p.code != 200 {
			t.Fatalf("the reset link as sent: %d", p.code)
		}
	})
}

// A ticket cancelled before its mail went out is never sent its ticket:
// the Mailbox lists that mail with a note in place of its subject, and
// the message page says so too.
func TestMailboxSaysAMailOfACancelledTicketWillNotBeSent(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		reg := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Lê Văn Hậu", "email": "hau@example.vn"}).status(201)
		e.authed(org, "POST", "/api/v1/tickets/"+reg.str("ticket.id")+"/cancel", nil).status(200)

		admin := e.browser("")
		admin.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}})
		note := "Thư sẽ không được gửi: vé của thư đã bị hủy"
		if p := admin.do("GET", "/admin/mailbox?to=hau@example.vn", nil); p.code != 200 || !strings.Contains(p.html, note) || !strings.Contains(p.html, "hau@example.vn") {
			t.Fatalf("the mailbox with the mail of a cancelled ticket: %d", p.code)
		}
		if p := admin.do("GET", "/admin/mailbox/"+reg.str("ticket.id"), nil); p.code != 200 || !strings.Contains(p.html, note) {
			t.Fatalf("the message page of the mail of a cancelled ticket: %d", p.code)
		}
	})
}

var dataPNGRE = regexp.MustCompile(`<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"`)

// An admin reading a ticket mail in the Mailbox sees its QR code, the
// ticket's own, as the visitor's mail client shows it: the preview puts the
// inline image in place of the cid: reference a browser cannot follow.
func TestMailboxPreviewShowsTheTicketQR(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, typeID := e.techfest(e.organizer(), 10, false)
		token := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Nguyễn Thị Lan", "email": "lan@example.vn"}).status(201).str("ticket.token")
		sent := ticketMail(e.mails("lan@example.vn"))

		admin := e.browser("")
		admin.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}})
		if p := admin.do("GET", "/admin/mailbox/"+sent.ID, nil); !strings.Contains(p.html, `src="/admin/mailbox/`+sent.ID+`/body"`) {
			t.Fatalf("the message page frames the mail's preview: %d", p.code)
		}
		res, body := admin.download("/admin/mailbox/" + sent.ID + "/body")
		m := dataPNGRE.FindSubmatch(body)
		if res.StatusCode != 200 || m == nil || strings.Contains(string(body), "cid:") {
			t.Fatalf("the preview shows no QR image: %d %.2000s", res.StatusCode, body)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src data:") {
			t.Errorf("the preview's policy blocks its image: %q", csp)
		}
		png, err := base64.StdEncoding.DecodeString(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := qrtest.DecodePNG(png); err != nil || got != token {
			t.Errorf("the preview's QR reads %q (%v), want the ticket's token", got, err)
		}
		if p := e.browser("").do("GET", "/admin/mailbox/"+sent.ID+"/body", nil); p.code == 200 {
			t.Error("the preview opens to a visitor")
		}
	})
}
