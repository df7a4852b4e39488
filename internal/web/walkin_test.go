package web_test

import (
	"strings"
	"testing"
)

// Gate staff register a visitor who came without a ticket and let them in
// at once, from the gate page: a phone is enough, an email brings the
// ticket mail; every missing field is named at once and nothing is made;
// the type's capacity holds, and staff of another event are refused.
func TestGateStaffRegisterAWalkIn(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		staff := e.staff()
		eventID, typeID := e.techfest(org, 3, false)
		otherID, _ := e.techfest(org, 3, false)
		staffID := e.authed(staff, "GET", "/api/v1/me", nil).status(200).str("user.id")
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/staff", map[string]any{"user_id": staffID, "gate": "Cổng A"}).status(200)
		api := "/api/v1/events/" + eventID
		b := e.signIn("cong@sprout.test", "staff-password")
		gate := "/events/" + eventID + "/gate"
		page := b.do("GET", gate, nil)
		if page.code != 200 || !strings.Contains(page.html, `id="walkin-form"`) || !strings.Contains(page.html, `<option value="`+typeID+`">`) {
			t.Fatalf("the gate page offers no walk-in form: %d", page.code)
		}
		csrf := csrfRE.FindStringSubmatch(b.do("GET", "/account", nil).html)[1]

		// Nothing given: the name and the contact are both named.
		bad := b.pageJSON("POST", gate+"/walk-in", csrf, map[string]any{"ticket_type_id": typeID, "gate": "Cổng A"})
		bad.errorCode(400, "invalid")
		if bad.get("error.fields.name") == nil || bad.get("error.fields.contact") != "Hãy nhập số điện thoại hoặc email của khách." {
			t.Fatalf("a blank walk-in: %s", bad.body)
		}
		if n := e.authed(org, "GET", api+"/stats", nil).status(200).get("registered"); n != float64(0) {
			t.Fatalf("a refused walk-in made a ticket: %v registered", n)
		}

		// A phone is enough: the visitor is in, with no mail to send.
		in := b.pageJSON("POST", gate+"/walk-in", csrf, map[string]any{"name": "Lê Văn Tám", "phone": "0912 345 678",
			"ticket_type_id": typeID, "gate": "Cổng A"}).status(201)
		if in.str("result") != "ok" || in.get("ticket.name") != "Lê Văn Tám" || in.get("walk_in.phone") != "+84912345678" ||
			in.get("walk_in.email") != "" {
			t.Fatalf("a walk-in with a phone: %s", in.body)
		}
		stats := e.authed(org, "GET", api+"/stats", nil).status(200)
		if stats.get("checked_in") != float64(1) || stats.get("by_gate.Cổng A") != float64(1) {
			t.Fatalf("stats after the walk-in: %s", stats.body)
		}
		log := e.authed(org, "GET", api+"/checkins", nil).status(200)
		if !strings.Contains(string(log.body), staffID) {
			t.Fatalf("the walk-in's scan does not name the staff member: %s", log.body)
		}
		// The same phone again is the same person.
		b.pageJSON("POST", gate+"/walk-in", csrf, map[string]any{"name": "Lê Văn Tám", "phone": "+84912345678",
			"ticket_type_id": typeID, "gate": "Cổng A"}).errorCode(409, "already_registered")

		// With an email the ticket mail follows, through the API too.
		e.authed(staff, "POST", api+"/walk-ins", map[string]any{"name": "Mai Anh", "email": "mai.anh@example.vn",
			"ticket_type_id": typeID, "gate": "Cổng A", "lang": "en"}).status(201)
		if ms := e.mails("mai.anh@example.vn"); len(ms) != 1 {
			t.Fatalf("the walk-in with an email got %d mails", len(ms))
		}
		e.authed(staff, "POST", api+"/walk-ins", map[string]any{"name": "Phạm Hùng", "phone": "0987654321",
			"ticket_type_id": typeID, "gate": "Cổng A"}).status(201)
		// The type is full now.
		e.authed(staff, "POST", api+"/walk-ins", map[string]any{"name": "Người thứ tư", "phone": "0977000111",
			"ticket_type_id": typeID, "gate": "Cổng A"}).errorCode(409, "sold_out")
		// Staff work only their events.
		e.authed(staff, "POST", "/api/v1/events/"+otherID+"/walk-ins", map[string]any{"name": "X", "phone": "0977000112",
			"ticket_type_id": typeID}).errorCode(403, "forbidden")
	})
}
