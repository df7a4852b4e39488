package web_test

import (
	"context"
	"testing"

	"sprout/internal/tickets"
)

// One ticket, and one place in line, per person whatever the spelling of
// their email: composed or decomposed accents, any case.
func TestRegisterOnceWhateverTheEmailsSpelling(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		nfc, nfd := "caf\u00e9@example.vn", "cafe\u0301@example.vn"
		eventID, typeID := e.techfest(org, 5, false)
		register := func(event, tt, email string) *resp {
			return e.call("POST", "/api/v1/events/"+event+"/registrations", map[string]any{"ticket_type_id": tt, "name": "Quán Cà Phê", "email": email})
		}
		if got := register(eventID, typeID, nfc).status(201).str("ticket.email"); got != nfc {
			t.Fatalf("the ticket's email %q, want it in NFC", got)
		}
		for _, email := range []string{nfd, "CAFE\u0301@EXAMPLE.VN", " CAF\u00c9@example.vn"} {
			register(eventID, typeID, email).errorCode(409, "already_registered")
		}

		fullID, fullType := e.techfest(org, 1, true)
		register(fullID, fullType, "lan@example.vn").status(201)
		register(fullID, fullType, nfd).status(202)
		register(fullID, fullType, nfc).errorCode(409, "already_registered")

		// Hidden characters are refused, and nothing is stored.
		for _, email := range []string{"ca\u200bfe@example.vn", "cafe\u202e@example.vn", "\u2066cafe@example.vn", "c\u0430fe@example.vn"} {
			r := register(eventID, typeID, email)
			r.errorCode(400, "invalid")
			if r.get("error.field") != "email" {
				t.Fatalf("%q: %s", email, r.body)
			}
		}
		if _, n, _ := e.app.Tickets.List(context.Background(), tickets.Query{EventID: eventID, Limit: 10}); n != 1 {
			t.Fatalf("%d tickets, want the first only", n)
		}
	})
}
