package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	secretRE     = regexp.MustCompile(`^[0-9a-z]{26,}$`)
	ticketHrefRE = regexp.MustCompile(`href="(/t/[0-9a-z]+)"`)
)

// A waiting person's page is a capability URL: the url the registration
// answers with opens it, ids (made in the same millisecond, so next to
// each other) open nothing, and the page shows no full email.
func TestWaitlistPageIsACapability(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 1, true)
		register := func(name, email string) *resp {
			return e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": name, "email": email})
		}
		holder := register("Nguyễn Thị Lan", "lan@example.vn").status(201)
		var waits []*resp
		for _, email := range []string{"binh@example.vn", "chi@example.vn", "dung@example.vn"} {
			waits = append(waits, register("Khách "+email, email).status(202))
		}
		mine := waits[0]
		link := mine.str("waitlist.url")
		secret, ok := strings.CutPrefix(link, e.app.Config.BaseURL+"/w/")
		if !ok || !strings.HasPrefix(link, "http") || !secretRE.MatchString(secret) || strings.Contains(secret, mine.str("waitlist.id")) {
			t.Fatalf("url %q is not an absolute capability URL of at least 128 random bits", link)
		}
		if waits[1].str("waitlist.url") == link {
			t.Fatal("two waiting people share a page")
		}

		page := e.call("GET", "/w/"+secret, nil).status(200)
		html := string(page.body)
		if !strings.Contains(html, "#1") || !strings.Contains(html, "b***@example.vn") || strings.Contains(html, "binh@example.vn") {
			t.Fatalf("the waiting page shows the position and a masked email only: %s", html)
		}
		if page.header.Get("Cache-Control") != "private, no-store" || page.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("the waiting page may be cached or leak its URL: %v", page.header)
		}

		// Nobody reaches an entry by its id, nor by a guessed secret.
		founder := e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Founder"}).status(201)
		_ = founder
		ftoken := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "f@sprout.test", "password": "founder-pass"}).status(200).str("token")
		for _, w := range waits {
			id := w.str("waitlist.id")
			for _, path := range []string{"/waitlist/" + id, "/w/" + id, "/w/" + strings.ToUpper(secret)} {
				if p := e.call("GET", path, nil); p.code != 404 || strings.Contains(string(p.body), "@example.vn") {
					t.Fatalf("GET %s: %d %s", path, p.code, p.body)
				}
			}
			e.call("GET", "/api/v1/waitlist/"+id, nil).errorCode(401, "unauthorized")
			e.authed(ftoken, "GET", "/api/v1/waitlist/"+id, nil).errorCode(403, "forbidden")
		}
		e.call("GET", "/w/"+strings.Repeat("a", 52), nil).status(404)
		if got := e.authed(org, "GET", "/api/v1/waitlist/"+mine.str("waitlist.id"), nil).status(200); got.get("waitlist.position") != float64(1) {
			t.Fatalf("organizers look entries up: %s", got.body)
		}

		// Once promoted, the page leads to the ticket, whose page masks the
		// email as well.
		e.authed(org, "POST", "/api/v1/tickets/"+holder.str("ticket.id")+"/cancel", nil).status(200)
		html = string(e.call("GET", "/w/"+secret, nil).status(200).body)
		m := ticketHrefRE.FindStringSubmatch(html)
		if m == nil || strings.Contains(html, "binh@example.vn") {
			t.Fatalf("the promoted person's page: %s", html)
		}
		ticket := string(e.call("GET", m[1], nil).status(200).body)
		if !strings.Contains(ticket, "Khách binh@example.vn") || !strings.Contains(ticket, "b***@example.vn") {
			t.Fatalf("the promoted ticket's page: %s", ticket)
		}
		msgs := e.mails("binh@example.vn")
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, e.app.Config.BaseURL+m[1]) {
			t.Fatalf("the promotion mail carries the ticket page's URL: %+v", msgs)
		}
	})
}

// The page form sends a visitor who joins the waitlist to their page.
func TestWaitlistFormLeadsToTheCapabilityPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	eventID, typeID := e.techfest(org, 1, true)
	e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Lan", "email": "lan@example.vn"}).status(201)
	slug := e.call("GET", "/api/v1/events/"+eventID, nil).status(200).str("event.slug")
	b := e.browser("en")
	p := b.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{
		"ticket_type_id": {typeID}, "name": {"Trần Bình"}, "email": {"binh@example.vn"}})
	secret, ok := strings.CutPrefix(p.location, "/w/")
	if p.code != 303 || !ok || !secretRE.MatchString(secret) || len(secret) < 32 {
		t.Fatalf("joining the waitlist: %d %q", p.code, p.location)
	}
	w := b.do("GET", p.location, nil)
	if w.code != 200 || !strings.Contains(w.html, "#1") || !strings.Contains(w.html, "b***@example.vn") || strings.Contains(w.html, "binh@example.vn") {
		t.Fatalf("the waiting page: %d %s", w.code, w.html)
	}
}

// rowOrder lists the names in the waitlist table, top to bottom.
var waitRowRE = regexp.MustCompile(`<tr data-entry="([0-9a-z]+)">\s*<td[^>]*>(\d+)</td>\s*<td[^>]*><strong>([^<]+)</strong>`)

func waitRows(html string) string {
	var out []string
	for _, m := range waitRowRE.FindAllStringSubmatch(html, -1) {
		out = append(out, m[2]+" "+m[3])
	}
	return strings.Join(out, ", ")
}

// An organizer runs the waitlist from its tab: sees who waits in order,
// promotes one ahead of the line (a seat added to the full type), removes
// another, and seats added to the type go to the rest in order, each with
// the promotion mail.
func TestOrganizerRunsTheWaitlist(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 1, true)
		otherEvent, _ := e.techfest(org, 1, true)
		register := func(name, email string) *resp {
			return e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": name,
				"email": email, "phone": "0912345678"})
		}
		register("Nguyễn Thị Lan", "lan@example.vn").status(201)
		ids := map[string]string{}
		for _, name := range []string{"Bình", "Chi", "Dũng", "Hà"} {
			ids[name] = register(name, strings.ToLower(strings.ReplaceAll(name, "ũ", "u"))+"@example.vn").status(202).str("waitlist.id")
		}
		list := e.authed(org, "GET", "/api/v1/events/"+eventID+"/waitlist", nil).status(200)
		if got := list.get("waitlist.2.name"); got != "Dũng" || list.get("waitlist.2.position") != float64(3) || list.get("waitlist.0.email") != "bình@example.vn" {
			t.Fatalf("the waitlist API: %s", list.body)
		}

		b := e.signIn("btc@sprout.test", "organizer-pass")
		tab := "/manage/events/" + eventID + "/waitlist"
		p := b.do("GET", tab, nil)
		if got := waitRows(p.html); p.code != 200 || got != "1 Bình, 2 Chi, 3 Dũng, 4 Hà" {
			t.Fatalf("the waitlist tab: %d %q", p.code, got)
		}
		for _, want := range []string{"4 người đang chờ", `aria-current="page">Danh sách chờ`, "0912 345 678", "data-confirm=\"Cấp vé"} {
			if !strings.Contains(p.html, want) {
				t.Fatalf("the waitlist tab lacks %q", want)
			}
		}

		// Dũng goes ahead of the line; the full type gets one seat more.
		p = b.submit(tab, tab+"/"+ids["Dũng"]+"/promote", url.Values{})
		if p.code != 303 || p.location != tab {
			t.Fatalf("promoting Dũng: %d %q", p.code, p.location)
		}
		p = b.do("GET", tab, nil)
		if got := waitRows(p.html); !strings.Contains(p.html, "Đã cấp vé cho Dũng và gửi thư.") || got != "1 Bình, 2 Chi, 3 Hà" {
			t.Fatalf("after promoting Dũng: %q", got)
		}
		if ms := e.mails("dung@example.vn"); len(ms) != 1 || !strings.Contains(ms[0].Subject, "Techfest") {
			t.Fatalf("Dũng's mails: %+v", ms)
		}
		tt := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200)
		if tt.get("ticket_types.0.capacity") != float64(2) {
			t.Fatalf("the type after a promotion by hand: %s", tt.body)
		}

		// Chi is taken off the list; promoting Chi then is refused.
		if p := b.submit(tab, tab+"/"+ids["Chi"]+"/remove", url.Values{}); p.code != 303 {
			t.Fatalf("removing Chi: %d", p.code)
		}
		if got := waitRows(b.do("GET", tab, nil).html); got != "1 Bình, 2 Hà" {
			t.Fatalf("after removing Chi: %q", got)
		}
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/waitlist/"+ids["Chi"]+"/promote", nil).errorCode(409, "conflict")
		// An entry is reached only through its own event.
		e.authed(org, "POST", "/api/v1/events/"+otherEvent+"/waitlist/"+ids["Hà"]+"/promote", nil).status(404)
		e.authed(org, "DELETE", "/api/v1/events/"+otherEvent+"/waitlist/"+ids["Hà"], nil).status(404)

		// Two seats more go to Bình, then Hà.
		up := e.authed(org, "PUT", "/api/v1/events/"+eventID+"/ticket-types/"+typeID, map[string]any{"name": "Khách tham quan",
			"capacity": 4, "waitlist": true}).status(200)
		if up.get("promoted") != float64(2) || up.get("ticket_type.sold") != float64(4) {
			t.Fatalf("raising the capacity: %s", up.body)
		}
		for _, who := range []string{"bình@example.vn", "hà@example.vn"} {
			if ms := e.mails(who); len(ms) != 1 {
				t.Fatalf("%s got %d mails", who, len(ms))
			}
		}
		if ms := e.mails("chi@example.vn"); len(ms) != 0 {
			t.Fatal("Chi, removed, got a ticket")
		}
		p = b.do("GET", tab, nil)
		if !strings.Contains(p.html, "Chưa có ai trong danh sách chờ.") || waitRows(p.html) != "" {
			t.Fatal("the empty waitlist tab does not say so")
		}
		e.call("GET", "/api/v1/events/"+eventID+"/waitlist", nil).errorCode(401, "unauthorized")
	})
}
