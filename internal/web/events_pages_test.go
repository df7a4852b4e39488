package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sprout/internal/tickets"
	"sprout/internal/vn"
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
	// The date badge names the month in the reader's language.
	starts, err := time.Parse(time.RFC3339, ev.str("event.starts_at"))
	if err != nil {
		t.Fatal(err)
	}
	local := starts.In(vn.Zone)
	if badge := fmt.Sprintf("<small>Th%d</small>", local.Month()); !strings.Contains(list.html, badge) {
		t.Errorf("the Vietnamese events list lacks the badge %q", badge)
	}
	b.do("GET", "/lang/en?next=/events", nil)
	if badge := "<small>" + local.Format("Jan") + "</small>"; !strings.Contains(b.do("GET", "/events", nil).html, badge) {
		t.Errorf("the English events list lacks the badge %q", badge)
	}
	b.do("GET", "/lang/vi?next=/events", nil)
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

// Consent to share contact details is asked, never presumed, and kept with
// its time and the very words shown; the organizer reads both.
func TestConsentIsAskedAndRecorded(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		slug := e.call("GET", "/api/v1/events/"+eventID, nil).status(200).str("event.slug")
		b := e.browser("")
		page := b.do("GET", "/events/"+slug, nil)
		box := regexp.MustCompile(`<input type="checkbox" name="share_contact"[^>]*>`).FindString(page.html)
		if box == "" || strings.Contains(box, "checked") || !strings.Contains(page.html, "Tôi đồng ý chia sẻ email và số điện thoại") {
			t.Fatalf("the consent box is %q: want it present and unticked, with its words", box)
		}
		before := e.now()
		register := func(name, email string, consent bool) tickets.Ticket {
			t.Helper()
			form := url.Values{"ticket_type_id": {typeID}, "name": {name}, "email": {email}, "phone": {"0912 345 678"}}
			if consent {
				form.Set("share_contact", "on")
			}
			p := b.submit("/events/"+slug, "/events/"+slug+"/register", form)
			if p.code != 303 {
				t.Fatalf("registering %s: %d", name, p.code)
			}
			list, _, err := e.app.Tickets.List(ctx, tickets.Query{EventID: eventID, Text: email, Limit: 1})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s's ticket: %v", name, err)
			}
			return list[0]
		}
		yes, no := register("Lê Thu Hà", "ha@example.vn", true), register("Trần Bình", "binh@example.vn", false)
		if !yes.SharesContact() || yes.Consent.Version != tickets.ConsentWording || yes.Consent.At.Before(before) || yes.Consent.At.After(e.now()) || yes.Lang != "vi" {
			t.Fatalf("a ticked box recorded %+v", yes.Consent)
		}
		if no.SharesContact() || no.Consent.Given() {
			t.Fatalf("an unticked box recorded %+v", no.Consent)
		}
		regs := e.signIn("btc@sprout.test", "organizer-pass").do("GET", "/manage/events/"+eventID+"/registrations", nil)
		if !strings.Contains(regs.html, "Có, lúc "+yes.Consent.At.In(vn.Zone).Format("02/01/2006 15:04")+" (nội dung bản 1)") {
			t.Fatalf("the organizer does not see when Hà agreed: %.2000s", regs.html)
		}
	})
}
