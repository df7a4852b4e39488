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
