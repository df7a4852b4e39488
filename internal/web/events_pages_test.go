package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"sprout/internal/tickets"
)

func TestPublicEventPagesRegisterAndCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	eventID, typeID := e.techfest(org, 1, true)
	ev := e.call("GET", "/api/v1/events/"+eventID, nil).status(200)
	slug := ev.str("event.slug")
	e.authed(org, "POST", "/api/v1/events/"+eventID+"/agenda", map[string]any{
		"starts_at": ev.str("event.starts_at"), "ends_at": ev.str("event.ends_at"), "room": "Hội trường A", "title": "Khai mạc", "speakers": "Lãnh đạo Sở"}).status(201)

	b := e.browser("")
	list := b.do("GET", "/events", nil)
	if list.code != 200 || !strings.Contains(list.html, "Techfest Hà Nội 2026") || !strings.Contains(list.html, "/events/"+slug) {
		t.Fatalf("the events list shows the event: %d", list.code)
	}
	page := b.do("GET", "/events/"+slug, nil)
	for _, want := range []string{"Khai mạc", "Hội trường A", "còn 1 chỗ", `name="website"`, `name="share_contact"`} {
		if !strings.Contains(page.html, want) {
			t.Fatalf("the event page lacks %q", want)
		}
	}

	// A bot filling the hidden field is told "received" and gets nothing.
	p := b.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{
		"ticket_type_id": {typeID}, "name": {"Bot"}, "email": {"bot@example.vn"}, "website": {"http://spam.example"}})
	if p.code != 303 {
		t.Fatalf("honeypot: %d", p.code)
	}
	if _, n, _ := e.app.Tickets.List(context.Background(), tickets.Query{EventID: eventID, Limit: 1}); n != 0 {
		t.Fatal("a bot got a ticket")
	}

	p = b.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{
		"ticket_type_id": {typeID}, "name": {"Nguyễn Văn Ánh"}, "email": {"anh@example.vn"}, "phone": {"09 12 34"}})
	if p.code != 400 || !strings.Contains(p.html, "Số điện thoại không hợp lệ") || !strings.Contains(p.html, `value="Nguyễn Văn Ánh"`) {
		t.Fatalf("a bad phone: %d", p.code)
	}
	p = b.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{
		"ticket_type_id": {typeID}, "name": {"Nguyễn Văn Ánh"}, "email": {"anh@example.vn"}, "phone": {"+84 912 345 678"}, "share_contact": {"on"}})
	if p.code != 303 || !strings.HasPrefix(p.location, "/t/") {
		t.Fatalf("registration: %d %q", p.code, p.location)
	}
	ticketPath := p.location
	tp := b.do("GET", ticketPath, nil)
	for _, want := range []string{"Nguyễn Văn Ánh", "0912 345 678", "Đăng ký thành công", ticketPath + "/qr.png", ticketPath + "/event.ics", "data-confirm"} {
		if !strings.Contains(tp.html, want) {
			t.Fatalf("the ticket page lacks %q", want)
		}
	}

	// The type is full: the next visitor joins the waitlist and sees a position.
	other := e.browser("en")
	p = other.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{
		"ticket_type_id": {typeID}, "name": {"Trần Bình"}, "email": {"binh@example.vn"}})
	if p.code != 303 || !strings.HasPrefix(p.location, "/w/") {
		t.Fatalf("waitlist: %d %q", p.code, p.location)
	}
	if w := other.do("GET", p.location, nil); !strings.Contains(w.html, "#1") || !strings.Contains(w.html, "waitlist") {
		t.Fatal("the waitlist page shows position 1")
	}

	// The holder cancels from the ticket page; the waiting visitor gets the seat.
	if p := b.submit(ticketPath, ticketPath+"/cancel", url.Values{}); p.code != 303 {
		t.Fatalf("cancel: %d", p.code)
	}
	if tp := b.do("GET", ticketPath, nil); !strings.Contains(tp.html, "đã bị hủy") || strings.Contains(tp.html, "/qr.png") {
		t.Fatal("a cancelled ticket page says so and shows no QR")
	}
	if _, n, _ := e.app.Tickets.List(context.Background(), tickets.Query{EventID: eventID, Text: "binh@example.vn", Status: tickets.Active, Limit: 1}); n != 1 {
		t.Fatal("the waiting visitor did not get the freed seat")
	}

	// Lost ticket: same answer whether or not the email is registered.
	for _, email := range []string{"binh@example.vn", "nobody@example.vn"} {
		p := b.submit("/tickets/lost", "/tickets/lost", url.Values{"email": {email}})
		if p.code != 200 || !strings.Contains(p.html, "Nếu email này có vé") {
			t.Fatalf("lost ticket for %s: %d", email, p.code)
		}
	}
	msgs := e.mails("binh@example.vn")
	if len(msgs) != 2 || msgs[0].Template != "ticket_links" {
		t.Fatalf("binh gets the ticket mail, then the links mail: %d", len(msgs))
	}
	if _, n, _ := e.app.Store.ListMail(context.Background(), mailQuery("nobody@example.vn")); n != 0 {
		t.Fatal("a mail went to an unregistered address")
	}
	if p := b.do("GET", "/events/no-such-event", nil); p.code != 404 {
		t.Fatalf("unknown event: %d", p.code)
	}
}
