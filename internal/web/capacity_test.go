package web_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/tickets"
)

// An event's capacity is the seats visitors may take. Invitations, such as
// exhibitor staff badges with their nominal million seats, are counted
// apart, and every number reads with the language's thousands separator.
func TestEventCapacityCountsOnlyWhatVisitorsTake(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		id, typeID := e.techfest(org, 1500, false)
		staffType, err := e.app.Events.AddTicketType(ctx, id, events.TypeInput{Name: "Nhân viên gian hàng", Capacity: events.MaxCapacity, Invite: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Tickets.Invite(ctx, id, ids.New(), tickets.Input{TicketTypeID: staffType.ID, Name: "Trần Minh Đức", Email: "duc@mamxanh.vn"}); err != nil {
			t.Fatal(err)
		}
		e.entryTicket(id, typeID, "Khách Lan", "lan@example.vn")
		e.entryTicket(id, typeID, "Khách Bình", "binh@example.vn")

		st := e.authed(org, "GET", "/api/v1/events/"+id+"/stats", nil).status(200)
		if st.get("capacity") != float64(1500) || st.get("registered") != float64(3) || st.get("invitations") != float64(1) {
			t.Fatalf("stats: %s", st.body)
		}

		vi := e.signIn("btc@sprout.test", "organizer-pass")
		en := e.signIn("btc@sprout.test", "organizer-pass")
		en.do("GET", "/lang/en?next=/", nil)
		for _, tc := range []struct {
			lang                   string
			b                      *browser
			capacity, invite, seat string
		}{
			{"vi", vi, "1.500", "Khách mời: 1 đã cấp", "1.000.000"},
			{"en", en, "1,500", "Invitations: 1 issued", "1,000,000"},
		} {
			list := html.UnescapeString(tc.b.do("GET", "/manage/events", nil).html)
			if !strings.Contains(list, "2 / "+tc.capacity) || !strings.Contains(list, tc.invite) {
				t.Errorf("%s event list lacks %q and %q", tc.lang, "2 / "+tc.capacity, tc.invite)
			}
			dash := tc.b.do("GET", "/manage/events/"+id+"/dashboard", nil)
			if got := stats(dash.html); got["capacity"] != tc.capacity || got["registered"] != "2" || got["invitations_note"] != tc.invite {
				t.Errorf("%s dashboard: %v", tc.lang, got)
			}
			if p := html.UnescapeString(tc.b.do("GET", "/manage/events/"+id, nil).html); !strings.Contains(p, `class="num">`+tc.seat+`<`) {
				t.Errorf("%s event page does not show the invitation type's %s seats", tc.lang, tc.seat)
			}
			for what, body := range map[string]string{"event list": list, "dashboard": dash.html} {
				for _, wrong := range []string{"1001500", "1.001.500", "1,001,500"} {
					if strings.Contains(body, wrong) {
						t.Errorf("%s %s counts the invitation seats: %s", tc.lang, what, wrong)
					}
				}
			}
		}
	})
}
