package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// Gate staff work only the events they are assigned to: elsewhere every
// gate endpoint, of the API and of the gate page alike, refuses them.
// Organizers and admins work every event.
func TestStaffWorkOnlyTheirEvents(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		staff := e.staff()
		eventID, typeID := e.techfest(org, 10, false)
		otherID, _ := e.techfest(org, 10, false)
		_, first := e.holder(eventID, typeID, "hoa@example.vn")
		_, second := e.holder(eventID, typeID, "huy@example.vn")
		staffID := e.authed(staff, "GET", "/api/v1/me", nil).status(200).str("user.id")
		api := "/api/v1/events/" + eventID
		gate := "/events/" + eventID + "/gate"
		b := e.signIn("cong@sprout.test", "staff-password")
		csrf := csrfRE.FindStringSubmatch(b.do("GET", "/account", nil).html)[1]
		checkedIn := func() float64 {
			return e.authed(org, "GET", api+"/stats", nil).status(200).get("checked_in").(float64)
		}
		// The organizer lets Hoa in, so that there is a scan to annul.
		orgScan := e.authed(org, "POST", api+"/checkins", map[string]any{"token": first, "gate": "Cổng A"}).status(200)
		if orgScan.str("result") != "ok" {
			t.Fatalf("the organizer's scan: %s", orgScan.body)
		}

		refused := func(when string) {
			t.Helper()
			for _, r := range []*resp{
				e.authed(staff, "POST", api+"/checkins", map[string]any{"token": second, "gate": "Cổng A", "nonce": "refused-" + when}),
				e.authed(staff, "GET", api+"/checkins", nil),
				e.authed(staff, "POST", api+"/checkins/"+orgScan.str("scan_id")+"/annul", nil),
				e.authed(staff, "GET", api+"/stats", nil),
				e.authed(staff, "GET", api+"/attendees?q=hoa", nil),
				b.pageJSON("GET", gate+"/data", "", nil),
				b.pageJSON("GET", gate+"/stats", "", nil),
				b.pageJSON("GET", gate+"/attendees?q=hoa", "", nil),
				b.pageJSON("POST", gate+"/scan", csrf, map[string]any{"token": second, "gate": "Cổng A"}),
				b.pageJSON("POST", gate+"/scans/"+orgScan.str("scan_id")+"/annul", csrf, nil),
			} {
				if msg := r.errorCode(403, "forbidden"); !strings.Contains(msg, "chưa được phân công") {
					t.Fatalf("%s: the refusal says %q", when, msg)
				}
				if strings.Contains(string(r.body), "Nguyễn Thị Hoa") {
					t.Fatalf("%s: a refusal names a visitor: %s", when, r.body)
				}
			}
			if p := b.do("GET", gate, nil); p.code != 403 || !strings.Contains(p.html, "Bạn chưa được phân công làm việc tại sự kiện này") ||
				strings.Contains(p.html, "Bắt đầu quét") {
				t.Fatalf("%s: the gate page for staff not on the event: %d", when, p.code)
			}
			if n := checkedIn(); n != 1 {
				t.Fatalf("%s: refused scans and annuls left %v checked in, want the organizer's 1", when, n)
			}
		}
		refused("before any assignment")

		// Wrong assignments are refused and write nothing.
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Lê Minh"}).status(201)
		founder := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "f@sprout.test", "password": "founder-pass"}).status(200)
		founderID := founder.str("user.id")
		e.authed(org, "POST", api+"/staff", map[string]any{"user_id": "no-such-user", "gate": "Cổng A"}).errorCode(400, "invalid")
		e.authed(org, "POST", api+"/staff", map[string]any{"user_id": founderID, "gate": "Cổng A"}).errorCode(409, "conflict")
		e.authed(org, "POST", "/api/v1/events/no-such-event/staff", map[string]any{"user_id": staffID, "gate": "Cổng A"}).errorCode(404, "not_found")
		e.authed(org, "POST", api+"/staff", map[string]any{"user_id": staffID, "gate": strings.Repeat("Cổng rất dài ", 10)}).errorCode(400, "invalid")
		e.authed(org, "POST", api+"/staff", map[string]any{"user_id": staffID, "gate": "Cổng\x00A"}).errorCode(400, "invalid")
		e.authed(org, "POST", api+"/staff", `{"user_id": 7}`).errorCode(400, "invalid")
		e.authed(staff, "POST", api+"/staff", map[string]any{"user_id": staffID, "gate": "Cổng A"}).errorCode(403, "forbidden")
		e.authed(founder.str("token"), "POST", api+"/staff", map[string]any{"user_id": staffID}).errorCode(403, "forbidden")
		e.call("POST", api+"/staff", map[string]any{"user_id": staffID}).errorCode(401, "unauthorized")
		if list, err := e.app.Staffing.Staff(context.Background(), eventID); err != nil || len(list) != 0 {
			t.Fatalf("refused assignments wrote %v, %v", list, err)
		}
		refused("after refused assignments")

		// Assigned, the staff member works the event: twice is still once.
		for range 2 {
			if r := e.authed(org, "POST", api+"/staff", map[string]any{"user_id": staffID, "gate": " Cổng  A "}).status(200); r.str("staff.user_id") != staffID {
				t.Fatalf("assigning: %s", r.body)
			}
		}
		if list, err := e.app.Staffing.Staff(context.Background(), eventID); err != nil || len(list) != 1 || list[0].ID != staffID {
			t.Fatalf("the event's staff: %v, %v", list, err)
		}
		if r := e.authed(staff, "POST", api+"/checkins", map[string]any{"token": second, "gate": "Cổng A"}).status(200); r.str("result") != "ok" {
			t.Fatalf("an assigned staff member's scan: %s", r.body)
		}
		if r := e.authed(staff, "GET", api+"/checkins", nil).status(200); r.get("total") != float64(2) {
			t.Fatalf("the scan log: %s", r.body)
		}
		e.authed(staff, "GET", api+"/stats", nil).status(200)
		if r := e.authed(staff, "GET", api+"/attendees?q=hoa", nil).status(200); !strings.Contains(string(r.body), "Nguyễn Thị Hoa") {
			t.Fatalf("the search: %s", r.body)
		}
		e.authed(staff, "POST", api+"/checkins/"+orgScan.str("scan_id")+"/annul", nil).status(200)
		if p := b.do("GET", gate, nil); p.code != 200 || !strings.Contains(p.html, "Bắt đầu quét") {
			t.Fatalf("the gate page for an assigned staff member: %d", p.code)
		}
		b.pageJSON("GET", gate+"/data", "", nil).status(200)
		b.pageJSON("GET", gate+"/stats", "", nil).status(200)
		b.pageJSON("GET", gate+"/attendees?q="+url.QueryEscape("nguyen thi hoa"), "", nil).status(200)
		pageScan := b.pageJSON("POST", gate+"/scan", csrf, map[string]any{"token": first, "gate": "Cổng A"}).status(200)
		if pageScan.str("result") != "ok" {
			t.Fatalf("a scan on the gate page: %s", pageScan.body)
		}
		b.pageJSON("POST", gate+"/scans/"+pageScan.str("scan_id")+"/annul", csrf, nil).status(200)
		// Assigned to one event is not assigned to another.
		e.authed(staff, "GET", "/api/v1/events/"+otherID+"/stats", nil).errorCode(403, "forbidden")
		if p := b.do("GET", "/events/"+otherID+"/gate", nil); p.code != 403 {
			t.Fatalf("the gate page of another event: %d", p.code)
		}

		// Taken off the staff, refused again.
		e.authed(org, "DELETE", api+"/staff/"+staffID, nil).status(200)
		e.authed(org, "DELETE", api+"/staff/"+staffID, nil).errorCode(404, "not_found")
		e.authed(staff, "DELETE", api+"/staff/"+staffID, nil).errorCode(403, "forbidden")
		refused("after the removal")

		// Organizers and admins, assigned nowhere, work every event.
		ob := e.signIn("btc@sprout.test", "organizer-pass")
		for who, token := range map[string]string{"organizer": org, "admin": e.admin} {
			other := "/api/v1/events/" + otherID
			e.authed(token, "GET", other+"/stats", nil).status(200)
			e.authed(token, "GET", other+"/checkins", nil).status(200)
			e.authed(token, "GET", other+"/attendees?q=hoa", nil).status(200)
			if r := e.authed(token, "POST", other+"/checkins", map[string]any{"token": "not-a-ticket"}).status(200); r.str("result") != "invalid" {
				t.Fatalf("%s scanning: %s", who, r.body)
			}
		}
		if p := ob.do("GET", "/events/"+otherID+"/gate", nil); p.code != 200 {
			t.Fatalf("an organizer on a gate page: %d", p.code)
		}
		ob.pageJSON("GET", "/events/"+otherID+"/gate/stats", "", nil).status(200)
	})
}
