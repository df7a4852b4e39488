package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"sprout/internal/keys"
)

// staff makes a gate staff user and returns their API token.
func (e *env) staff() string {
	e.t.Helper()
	e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": "cong@sprout.test", "password": "staff-password", "name": "Đỗ Văn Hùng", "roles": []string{"staff"}}).status(201)
	return e.call("POST", "/api/v1/auth/login", map[string]any{"email": "cong@sprout.test", "password": "staff-password"}).status(200).str("token")
}

// onStaff puts the person with that email on an event's staff through the
// API, as the organizer or admin whose token by is does: staff work only
// the events they are assigned to.
func (e *env) onStaff(by, eventID, email string) {
	e.t.Helper()
	u, err := e.app.Accounts.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	e.authed(by, "POST", "/api/v1/events/"+eventID+"/staff", map[string]any{"user_id": u.ID, "gate": "Cổng A"}).status(200)
}

func (e *env) holder(eventID, typeID, email string) (id, token string) {
	e.t.Helper()
	r := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Nguyễn Thị Hoa", "email": email}).status(201)
	return r.str("ticket.id"), r.str("ticket.token")
}

func b64url(v any) string {
	data, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(data)
}

func TestCheckinAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		staff := e.staff()
		eventID, typeID := e.techfest(org, 100, false)
		otherID, otherType := e.techfest(org, 10, false)
		e.onStaff(org, eventID, "cong@sprout.test")
		ticketID, token := e.holder(eventID, typeID, "hoa@example.vn")
		scan := func(body map[string]any) *resp {
			return e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", body).status(200)
		}

		e.call("POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token}).errorCode(401, "unauthorized")
		founder := e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "F"}).status(201)
		_ = founder
		ftoken := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "f@sprout.test", "password": "founder-pass"}).status(200).str("token")
		e.authed(ftoken, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token}).errorCode(403, "forbidden")
		e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{}).errorCode(400, "invalid")
		e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token, "direction": "sideways"}).errorCode(400, "invalid")

		first := scan(map[string]any{"token": token, "gate": "Cổng A", "nonce": "n-1"})
		if first.str("result") != "ok" || first.str("ticket.id") != ticketID || first.str("ticket.name") != "Nguyễn Thị Hoa" || first.str("ticket.ticket_type_id") != typeID || first.get("first_checked_in_at") == nil {
			t.Fatalf("first scan: %s", first.body)
		}
		if again := scan(map[string]any{"token": token, "gate": "Cổng A", "nonce": "n-1"}); string(again.body) != string(first.body) {
			t.Fatalf("the same nonce gets the first answer again:\n%s\n%s", again.body, first.body)
		}
		second := scan(map[string]any{"token": token, "gate": "Cổng B"})
		if second.str("result") != "already_checked_in" || second.get("first_checked_in_at") != first.get("first_checked_in_at") {
			t.Fatalf("second scan: %s", second.body)
		}
		if out := scan(map[string]any{"token": token, "gate": "Cổng B", "direction": "out"}); out.str("result") != "ok" {
			t.Fatalf("exit: %s", out.body)
		}
		if back := scan(map[string]any{"token": token, "gate": "Cổng B"}); back.str("result") != "ok" {
			t.Fatalf("re-entry: %s", back.body)
		}
		stats := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200)
		if stats.get("capacity") != float64(100) || stats.get("registered") != float64(1) || stats.get("checked_in") != float64(1) ||
			stats.get("inside") != float64(1) || fmt.Sprint(stats.get("by_gate")) != "map[Cổng A:1 Cổng B:1]" {
			t.Fatalf("stats: %s", stats.body)
		}
		e.call("GET", "/api/v1/events/"+eventID+"/stats", nil).errorCode(401, "unauthorized")

		_, otherToken := e.holder(otherID, otherType, "hoa@example.vn")
		if r := scan(map[string]any{"token": otherToken}); r.str("result") != "wrong_event" || r.get("ticket") == nil {
			t.Fatalf("another event's ticket: %s", r.body)
		}
		cancelledID, cancelledToken := e.holder(eventID, typeID, "huy@example.vn")
		e.authed(org, "POST", "/api/v1/tickets/"+cancelledID+"/cancel", nil).status(200)
		if r := scan(map[string]any{"token": cancelledToken}); r.str("result") != "revoked" || r.str("ticket.id") != cancelledID {
			t.Fatalf("a cancelled ticket: %s", r.body)
		}

		// Forged tokens are invalid, and invalid answers carry no ticket.
		parts := strings.Split(token, ".")
		var claims map[string]any
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		json.Unmarshal(raw, &claims)
		swapped := map[string]any{}
		for k, v := range claims {
			swapped[k] = v
		}
		swapped["sub"] = cancelledID
		jwks := e.call("GET", "/.well-known/jwks.json", nil).status(200)
		x := jwks.json["keys"].([]any)[0].(map[string]any)["x"].(string)
		pub, _ := base64.RawURLEncoding.DecodeString(x)
		hsHead := b64url(map[string]string{"alg": "HS256", "typ": "JWT", "kid": strings.Split(string(mustDecode(parts[0])), `"kid":"`)[1][:13]})
		mac := hmac.New(sha256.New, pub)
		mac.Write([]byte(hsHead + "." + parts[1]))
		for name, forged := range map[string]string{
			"garbage":                         "not-a-token",
			"alg none":                        b64url(map[string]string{"alg": "none", "typ": "JWT"}) + "." + parts[1] + ".",
			"HS256 keyed with the public key": hsHead + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)),
			"unknown kid":                     b64url(map[string]string{"alg": "EdDSA", "kid": "nosuchkey"}) + "." + parts[1] + "." + parts[2],
			"swapped payload":                 parts[0] + "." + b64url(swapped) + "." + parts[2],
		} {
			r := scan(map[string]any{"token": forged})
			if r.str("result") != "invalid" || r.get("ticket") != nil {
				t.Fatalf("%s: %s", name, r.body)
			}
		}

		// Validity windows come from the token.
		ctx := context.Background()
		for want, c := range map[string]keys.Claims{
			"expired":       {TicketID: ticketID, EventID: eventID, TicketTypeID: typeID, IssuedAt: e.now().Add(-72 * time.Hour), ExpiresAt: e.now().Add(-time.Hour)},
			"not_yet_valid": {TicketID: ticketID, EventID: eventID, TicketTypeID: typeID, NotBefore: e.now().Add(24 * time.Hour), ExpiresAt: e.now().Add(72 * time.Hour)},
		} {
			tok, _, err := e.app.Keys.Sign(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if r := scan(map[string]any{"token": tok}); r.str("result") != want || r.str("ticket.id") != ticketID {
				t.Fatalf("%s: %s", want, r.body)
			}
		}
		log := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/checkins?limit=100", nil).status(200)
		if log.get("total") != float64(13) {
			t.Fatalf("every scan but the repeated nonce is logged: %v", log.get("total"))
		}
		after := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200)
		if after.get("checked_in") != float64(1) || after.get("inside") != float64(1) {
			t.Fatalf("refused scans changed the counts: %s", after.body)
		}
	})
}

func mustDecode(s string) []byte {
	b, _ := base64.RawURLEncoding.DecodeString(s)
	return b
}

// Gates scanning one ticket at the same moment over HTTP: exactly one ok.
// The store's conformance suite races twenty; this is the HTTP path's smoke
// case.
func TestGatesRaceForOneTicket(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		staff := e.staff()
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		e.onStaff(org, eventID, "cong@sprout.test")
		ticketID, token := e.holder(eventID, typeID, "hoa@example.vn")
		var wg sync.WaitGroup
		var mu sync.Mutex
		results := map[string]int{}
		for g := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token, "gate": fmt.Sprint("Cổng ", g)})
				mu.Lock()
				results[fmt.Sprint(r.code, r.json["result"])]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if results["200ok"] != 1 || results["200already_checked_in"] != 2 {
			t.Fatalf("3 gates, one ticket: %v", results)
		}
		stats := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200)
		if stats.get("checked_in") != float64(1) || stats.get("inside") != float64(1) {
			t.Fatalf("stats: %s", stats.body)
		}
		log := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/checkins?ticket_id="+ticketID, nil).status(200)
		scans := log.json["scans"].([]any)
		var okScan string
		for _, s := range scans {
			if m := s.(map[string]any); m["result"] == "ok" {
				okScan = m["id"].(string)
			}
		}
		e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins/"+okScan+"/annul", nil).status(200)
		if stats := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200); stats.get("checked_in") != float64(0) {
			t.Fatalf("an annulled entry still counts: %s", stats.body)
		}
		e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins/"+okScan+"/annul", nil).errorCode(409, "conflict")
	})
}
