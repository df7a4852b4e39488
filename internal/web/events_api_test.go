package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sprout/internal/qr/qrtest"

	"sprout/internal/tickets"
)

// organizer signs in a fresh organizer and returns their API token.
func (e *env) organizer() string {
	e.t.Helper()
	e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": "btc@sprout.test", "password": "organizer-pass", "name": "Trần Quốc Bảo", "roles": []string{"organizer"}}).status(201)
	return e.call("POST", "/api/v1/auth/login", map[string]any{"email": "btc@sprout.test", "password": "organizer-pass"}).status(200).str("token")
}

// techfestSeq tells apart the slugs of one test's events.
var techfestSeq atomic.Int64

// techfest creates a published event starting tomorrow and a ticket type.
func (e *env) techfest(org string, capacity int, waitlist bool) (eventID, typeID string) {
	e.t.Helper()
	start := e.now().Add(24 * time.Hour).Truncate(time.Second)
	ev := e.authed(org, "POST", "/api/v1/events", map[string]any{
		"slug": "techfest-" + strings.ToLower(fmt.Sprint(techfestSeq.Add(1))), "title": "Techfest Hà Nội 2026", "venue": "Trung tâm Hội nghị Quốc gia",
		"starts_at": start, "ends_at": start.Add(9 * time.Hour), "published": true,
	}).status(201)
	eventID = ev.str("event.id")
	tt := e.authed(org, "POST", "/api/v1/events/"+eventID+"/ticket-types", map[string]any{"name": "Khách tham quan", "capacity": capacity, "waitlist": waitlist}).status(201)
	return eventID, tt.str("ticket_type.id")
}

func decodeQR(t *testing.T, data []byte) string {
	t.Helper()
	text, err := qrtest.DecodePNG(data)
	if err != nil {
		t.Fatalf("no QR code: %v", err)
	}
	return text
}

func TestEventsAndRegistrationAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		founder := e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Founder"}).status(201)
		_ = founder
		ftoken := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "f@sprout.test", "password": "founder-pass"}).status(200).str("token")
		// 08:00 in Hanoi, a week from now by the app's clock.
		ict := time.FixedZone("ICT", 7*3600)
		day := e.now().In(ict).AddDate(0, 0, 7)
		start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, ict)
		utcStart := time.Date(day.Year(), day.Month(), day.Day(), 1, 0, 0, 0, time.UTC)
		body := map[string]any{"slug": "techfest-2026", "title": "Techfest Việt Nam 2026", "venue": "Hà Nội", "starts_at": start, "ends_at": start.Add(8 * time.Hour), "published": true}
		e.call("POST", "/api/v1/events", body).errorCode(401, "unauthorized")
		e.authed(ftoken, "POST", "/api/v1/events", body).errorCode(403, "forbidden")
		ev := e.authed(org, "POST", "/api/v1/events", body).status(201)
		if ev.str("event.slug") != "techfest-2026" || ev.str("event.id") == "" || ev.str("event.title") != "Techfest Việt Nam 2026" {
			t.Fatalf("event: %s", ev.body)
		}
		if got := ev.str("event.starts_at"); got != utcStart.Format("2006-01-02T15:04:05Z") {
			t.Fatalf("starts_at %q", got)
		}
		e.authed(org, "POST", "/api/v1/events", body).errorCode(409, "conflict")
		bad := map[string]any{"slug": "Bad Slug!", "title": "x", "venue": "y", "starts_at": start, "ends_at": start.Add(time.Hour)}
		e.authed(org, "POST", "/api/v1/events", bad).errorCode(400, "invalid")
		backwards := map[string]any{"slug": "backwards", "title": "x", "venue": "y", "starts_at": start, "ends_at": start.Add(-time.Hour)}
		e.authed(org, "POST", "/api/v1/events", backwards).errorCode(400, "invalid")
		e.authed(org, "POST", "/api/v1/events", `{"slug":"t","starts_at":"yesterday"}`).errorCode(400, "invalid")

		id := ev.str("event.id")
		e.call("GET", "/api/v1/events/"+id, nil).status(200)
		draft := e.authed(org, "POST", "/api/v1/events", map[string]any{"slug": "draft-event", "title": "Nháp", "venue": "Hà Nội", "starts_at": start, "ends_at": start.Add(time.Hour), "published": false}).status(201)
		e.call("GET", "/api/v1/events/"+draft.str("event.id"), nil).errorCode(404, "not_found")
		e.authed(org, "GET", "/api/v1/events/"+draft.str("event.id"), nil).status(200)
		e.call("GET", "/api/v1/events/nope", nil).errorCode(404, "not_found")

		e.call("POST", "/api/v1/events/"+id+"/ticket-types", map[string]any{"name": "Khách", "capacity": 2}).errorCode(401, "unauthorized")
		e.authed(org, "POST", "/api/v1/events/"+id+"/ticket-types", map[string]any{"name": "Khách", "capacity": -1}).errorCode(400, "invalid")
		tt := e.authed(org, "POST", "/api/v1/events/"+id+"/ticket-types", map[string]any{"name": "Khách tham quan", "capacity": 2, "waitlist": true}).status(201)
		if tt.str("ticket_type.name") != "Khách tham quan" || tt.get("ticket_type.capacity") != float64(2) || tt.get("ticket_type.remaining") != float64(2) || tt.get("ticket_type.waitlist") != true {
			t.Fatalf("ticket type: %s", tt.body)
		}
		typeID := tt.str("ticket_type.id")

		reg := e.call("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Nguyễn Thị Lan", "email": "Lan@Example.vn", "phone": "0912 345 678", "share_contact": true}).status(201)
		for k, want := range map[string]string{"ticket.event_id": id, "ticket.ticket_type_id": typeID, "ticket.name": "Nguyễn Thị Lan", "ticket.status": "active"} {
			if got := reg.str(k); got != want {
				t.Fatalf("%s = %q, want %q", k, got, want)
			}
		}
		if reg.str("ticket.email") != "lan@example.vn" {
			t.Fatalf("email %q", reg.str("ticket.email"))
		}
		token, url := reg.str("ticket.token"), reg.str("ticket.url")
		checkToken(t, e, token, reg.str("ticket.id"))
		if !strings.HasPrefix(url, e.app.Config.BaseURL+"/t/") || len(url)-len(e.app.Config.BaseURL+"/t/") < 26 {
			t.Fatalf("url %q is not an absolute capability URL", url)
		}
		path := strings.TrimPrefix(url, e.app.Config.BaseURL)
		page := e.call("GET", path, nil).status(200)
		if !strings.Contains(string(page.body), "Nguyễn Thị Lan") || !strings.Contains(string(page.body), "Techfest Việt Nam 2026") {
			t.Fatal("the ticket page shows the holder and the event")
		}
		qr := e.call("GET", path+"/qr.png", nil).status(200)
		if qr.header.Get("Content-Type") != "image/png" || decodeQR(t, qr.body) != token {
			t.Fatal("qr.png decodes to exactly the token")
		}
		// The queued mail names its ticket and no more; shown or sent, it
		// carries the person, the event and a QR of the very same token.
		stored, err := e.app.Store.MailByID(context.Background(), reg.str("ticket.id"))
		if err != nil || len(stored.Data) > 64 || len(stored.Attachments) != 0 || bytes.Contains(stored.Data, []byte("Lan")) {
			t.Fatalf("the stored ticket mail holds %d bytes of data and %d attachments: %s, %v", len(stored.Data), len(stored.Attachments), stored.Data, err)
		}
		shown, err := e.app.Outbox.Render(context.Background(), stored)
		if err != nil || !strings.Contains(shown.Text, "Nguyễn Thị Lan") || !strings.Contains(shown.Text, "Techfest Việt Nam 2026") ||
			!strings.Contains(shown.Text, url) || len(shown.Attachments) != 1 {
			t.Fatalf("the ticket mail as sent: %v\n%s", err, shown.Text)
		}
		if png, err := shown.Attachments[0].Content(); err != nil || decodeQR(t, png) != token {
			t.Fatalf("the mailed QR decodes to the token: %v", err)
		}
		ics := e.call("GET", path+"/event.ics", nil).status(200)
		if !strings.Contains(string(ics.body), "BEGIN:VEVENT") || !strings.Contains(string(ics.body), "DTSTART:"+utcStart.Format("20060102T150405Z")) {
			t.Fatalf("ics: %s", ics.body)
		}
		e.call("GET", "/t/"+strings.Repeat("a", 52), nil).status(404)

		e.call("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Lan", "email": " lan@EXAMPLE.vn "}).errorCode(409, "already_registered")
		e.call("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Bình", "email": "binh@example.vn"}).status(201)
		w := e.call("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Chi", "email": "chi@example.vn"}).status(202)
		if w.get("waitlist.position") != float64(1) || w.str("waitlist.id") == "" {
			t.Fatalf("waitlist: %s", w.body)
		}

		// Cancelling gives the seat to the first in line, with a mail.
		e.call("POST", "/api/v1/tickets/"+reg.str("ticket.id")+"/cancel", nil).errorCode(401, "unauthorized")
		c := e.authed(org, "POST", "/api/v1/tickets/"+reg.str("ticket.id")+"/cancel", nil).status(200)
		if c.str("ticket.status") != "cancelled" {
			t.Fatalf("cancel: %s", c.body)
		}
		e.authed(org, "POST", "/api/v1/tickets/"+reg.str("ticket.id")+"/cancel", nil).errorCode(409, "conflict")
		e.call("GET", "/api/v1/waitlist/"+w.str("waitlist.id"), nil).errorCode(401, "unauthorized")
		wl := e.authed(org, "GET", "/api/v1/waitlist/"+w.str("waitlist.id"), nil).status(200)
		if wl.str("waitlist.status") != "promoted" {
			t.Fatalf("the waiting person was not promoted: %s", wl.body)
		}
		msgs := e.mails("chi@example.vn")
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "danh sách chờ") || len(msgs[0].Attachments) != 1 {
			t.Fatalf("the promoted person's mail: %d", len(msgs))
		}
		list := e.authed(org, "GET", "/api/v1/events/"+id+"/registrations?q=nguyen+thi&status=cancelled", nil).status(200)
		if list.get("total") != float64(1) {
			t.Fatalf("registrations search: %s", list.body)
		}

		// Bad input reserves nothing.
		other := e.authed(org, "POST", "/api/v1/events", map[string]any{"slug": "other-event", "title": "Khác", "venue": "HCM", "starts_at": start, "ends_at": start.Add(time.Hour), "published": true}).status(201)
		otherType := e.authed(org, "POST", "/api/v1/events/"+other.str("event.id")+"/ticket-types", map[string]any{"name": "Vé", "capacity": 5}).status(201).str("ticket_type.id")
		closedType := e.authed(org, "POST", "/api/v1/events/"+id+"/ticket-types", map[string]any{"name": "Muộn", "capacity": 5, "sales_start": e.now().Add(time.Hour)}).status(201).str("ticket_type.id")
		pastType := e.authed(org, "POST", "/api/v1/events/"+id+"/ticket-types", map[string]any{"name": "Sớm", "capacity": 5, "sales_end": e.now().Add(-time.Hour)}).status(201).str("ticket_type.id")
		for _, c := range []struct {
			event, code string
			status      int
			body        any
		}{
			{id, "invalid", 400, map[string]any{"ticket_type_id": otherType, "name": "X", "email": "x@example.vn"}},
			{id, "invalid", 400, map[string]any{"ticket_type_id": typeID, "name": "", "email": "x@example.vn"}},
			{id, "invalid", 400, map[string]any{"ticket_type_id": typeID, "name": "X", "email": "x@example.vn", "phone": "12345"}},
			{id, "invalid", 400, map[string]any{"ticket_type_id": typeID, "name": strings.Repeat("X", 500), "email": "x@example.vn"}},
			{id, "invalid", 400, map[string]any{"ticket_type_id": typeID, "name": "X", "email": "x@example.vn", "seat": 1}},
			{id, "closed", 409, map[string]any{"ticket_type_id": closedType, "name": "X", "email": "x@example.vn"}},
			{id, "closed", 409, map[string]any{"ticket_type_id": pastType, "name": "X", "email": "x@example.vn"}},
			{"nope", "not_found", 404, map[string]any{"ticket_type_id": typeID, "name": "X", "email": "x@example.vn"}},
			{draft.str("event.id"), "not_found", 404, map[string]any{"ticket_type_id": typeID, "name": "X", "email": "x@example.vn"}},
		} {
			e.call("POST", "/api/v1/events/"+c.event+"/registrations", c.body).errorCode(c.status, c.code)
		}
		for _, tid := range []string{typeID, otherType, closedType, pastType} {
			tt, err := e.app.Events.TicketType(context.Background(), tid)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string]int{typeID: 2}[tid]; tt.Sold != want {
				t.Fatalf("type %s: %d sold after bad input, want %d", tt.Name, tt.Sold, want)
			}
		}
	})
}

// checkToken verifies the token as a gate would: EdDSA, a kid published in
// the JWKS, the ticket id as sub, an exp, nothing personal.
func checkToken(t *testing.T, e *env, token, ticketID string) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", token)
	}
	var header struct{ Alg, Kid string }
	var claims map[string]any
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	p, _ := base64.RawURLEncoding.DecodeString(parts[1])
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if json.Unmarshal(h, &header) != nil || json.Unmarshal(p, &claims) != nil {
		t.Fatalf("undecodable token %q", token)
	}
	if header.Alg != "EdDSA" || header.Kid == "" || claims["sub"] != ticketID || claims["exp"] == nil {
		t.Fatalf("header %+v claims %v", header, claims)
	}
	for _, personal := range []string{"@", "Nguyễn", "0912", "+84"} {
		if strings.Contains(string(p), personal) {
			t.Fatalf("the token holds personal data: %s", p)
		}
	}
	jwks := e.call("GET", "/.well-known/jwks.json", nil).status(200)
	keys, _ := jwks.json["keys"].([]any)
	for _, k := range keys {
		m := k.(map[string]any)
		if m["kid"] != header.Kid {
			continue
		}
		if m["kty"] != "OKP" || m["crv"] != "Ed25519" || m["alg"] != "EdDSA" || m["use"] != "sig" {
			t.Fatalf("jwk %v", m)
		}
		x, _ := base64.RawURLEncoding.DecodeString(m["x"].(string))
		if !ed25519.Verify(ed25519.PublicKey(x), []byte(parts[0]+"."+parts[1]), sig) {
			t.Fatal("the published key does not verify the token")
		}
		return
	}
	t.Fatalf("kid %s is not in the JWKS: %s", header.Kid, jwks.body)
}

// Concurrent registrations through HTTP for fewer seats: exactly as many
// tickets as seats, the rest sold_out. The store's conformance suite runs
// the full rush (400 for 50); this is the HTTP path's smoke case.
func TestRegistrationRushOverHTTP(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, typeID := e.techfest(e.organizer(), 4, false)
		var wg sync.WaitGroup
		var mu sync.Mutex
		counts := map[string]int{}
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		sem := make(chan struct{}, 64)
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				body := fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách %d","email":"k%d@example.vn"}`, typeID, i, i)
				res, err := client.Post(e.base+"/api/v1/events/"+eventID+"/registrations", "application/json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				data, _ := io.ReadAll(res.Body)
				res.Body.Close()
				var out struct {
					Error struct{ Code string }
				}
				json.Unmarshal(data, &out)
				mu.Lock()
				counts[fmt.Sprint(res.StatusCode, out.Error.Code)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if counts["201"] != 4 || counts["409sold_out"] != 8 || len(counts) != 2 {
			t.Fatalf("12 registrations for 4 seats: %v", counts)
		}
		_, total, err := e.app.Tickets.List(context.Background(), tickets.Query{EventID: eventID, Status: tickets.Active, Limit: 1})
		if err != nil || total != 4 {
			t.Fatalf("%d active tickets, %v", total, err)
		}
	})
}

// Everything reads the app's one clock: with it a year ahead (or wherever
// CLOCK_OFFSET puts the suite), an event made for tomorrow takes
// registrations, lets its ticket in, and closes once the clock passes its end.
func TestRegistrationAndGateFollowTheAppsClock(t *testing.T) {
	t.Parallel()
	for name, ahead := range map[string]time.Duration{"today": 0, "a year ahead": 365 * 24 * time.Hour} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := baseConfig(t)
			cfg.ClockOffset += ahead
			e := newEnv(t, cfg)
			if d := e.now().Sub(time.Now()); d < cfg.ClockOffset-time.Minute || d > cfg.ClockOffset+time.Minute {
				t.Fatalf("the app's clock is %v from the machine's, want %v", d, cfg.ClockOffset)
			}
			org, staff := e.organizer(), e.staff()
			eventID, typeID := e.techfest(org, 10, false)
			e.onStaff(org, eventID, "cong@sprout.test")
			_, token := e.holder(eventID, typeID, "hoa@example.vn")
			if r := e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token}).status(200); r.str("result") != "ok" {
				t.Fatalf("the ticket at the gate: %s", r.body)
			}
			if list := e.call("GET", "/api/v1/events", nil).status(200); !strings.Contains(string(list.body), eventID) {
				t.Fatal("an event of tomorrow is not among the coming events")
			}
			e.clock.Advance(48 * time.Hour)
			e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Trễ", "email": "tre@example.vn"}).errorCode(409, "closed")
			if list := e.call("GET", "/api/v1/events", nil).status(200); strings.Contains(string(list.body), eventID) {
				t.Fatal("an event that ended by the app's clock is still listed as coming")
			}
		})
	}
}

// A slug never reads as an id, so no event can take over another's
// address: /events/{id} is always the event with that id.
func TestSlugsNeverCollideWithIds(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		victim, _ := e.techfest(org, 10, false)
		start := e.now().Add(48 * time.Hour)
		r := e.authed(org, "POST", "/api/v1/events", map[string]any{"slug": victim, "title": "Sự kiện mạo danh", "venue": "Hà Nội",
			"starts_at": start, "ends_at": start.Add(time.Hour), "published": true})
		r.errorCode(400, "invalid")
		if r.get("error.field") != "slug" {
			t.Fatalf("an id as a slug: %s", r.body)
		}
		if p := e.browser("").do("GET", "/events/"+victim, nil); p.code != 200 || !strings.Contains(p.html, "Techfest Hà Nội 2026") || strings.Contains(p.html, "mạo danh") {
			t.Fatalf("the event's own address: %d", p.code)
		}
		now := e.now()
		bad := program(victim, now, now.Add(time.Hour))
		if f := e.authed(org, "POST", "/api/v1/programs", bad).status(400); f.get("error.field") != "slug" {
			t.Fatalf("an id as a programme's slug: %s", f.body)
		}
	})
}
