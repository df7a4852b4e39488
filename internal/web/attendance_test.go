package web_test

import (
	"bytes"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// A trainer takes a session's attendance by scanning tickets or by hand:
// once per ticket and session, the second answering the first time;
// another event's ticket, a cancelled one and a forged token are refused,
// and staff of another event may not take it.
func TestAttendanceBySessionAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		staff := e.staff()
		eventID, typeID := e.techfest(org, 50, false)
		otherID, otherType := e.techfest(org, 10, false)
		sessions := e.courseSessions(org, eventID, 2)
		otherSession := e.courseSessions(org, otherID, 1)[0]
		e.onStaff(org, eventID, "cong@sprout.test")
		ticketID, token := e.holder(eventID, typeID, "hoa@example.vn")
		byHand := e.register(eventID, typeID, "Trần Văn Nam", "nam@example.vn", "")
		_, otherToken := e.holder(otherID, otherType, "khach@example.vn")
		cancelled, cancelledToken := e.holder(eventID, typeID, "huy@example.vn")
		e.authed(org, "POST", "/api/v1/tickets/"+cancelled+"/cancel", nil).status(200)
		path := "/api/v1/events/" + eventID + "/sessions/" + sessions[0] + "/attendance"

		first := e.authed(staff, "POST", path, map[string]any{"token": token}).status(200)
		if first.str("result") != "ok" || first.str("ticket.id") != ticketID || first.str("ticket.name") != "Nguyễn Thị Hoa" {
			t.Fatalf("the first scan: %s", first.body)
		}
		e.clock.Advance(5 * time.Minute)
		again := e.authed(staff, "POST", path, map[string]any{"token": token}).status(200)
		if again.str("result") != "already_recorded" || again.str("at") != first.str("at") {
			t.Fatalf("the second scan: %s, the first at %s", again.body, first.str("at"))
		}
		if r := e.authed(org, "POST", path, map[string]any{"ticket_id": byHand}).status(200); r.str("result") != "ok" || r.str("ticket.name") != "Trần Văn Nam" {
			t.Fatalf("by hand: %s", r.body)
		}
		for _, c := range []struct {
			body map[string]any
			want string
		}{
			{map[string]any{"token": otherToken}, "wrong_event"},
			{map[string]any{"token": cancelledToken}, "revoked"},
			{map[string]any{"token": token[:len(token)-4] + "AAAA"}, "invalid"},
			{map[string]any{"ticket_id": "nope"}, "invalid"},
		} {
			if r := e.authed(staff, "POST", path, c.body).status(200); r.str("result") != c.want {
				t.Fatalf("%v: %s, want %s", c.body, r.body, c.want)
			}
		}
		e.authed(staff, "POST", "/api/v1/events/"+eventID+"/sessions/"+otherSession+"/attendance", map[string]any{"token": token}).status(404)
		e.authed(staff, "POST", path, map[string]any{}).errorCode(400, "invalid")

		// Staff of another event may neither take nor read it.
		e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": "khac@sprout.test", "password": "staff-password",
			"name": "Lê Thị Thu", "roles": []string{"staff"}}).status(201)
		otherStaff := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "khac@sprout.test", "password": "staff-password"}).status(200).str("token")
		e.onStaff(org, otherID, "khac@sprout.test")
		e.authed(otherStaff, "POST", path, map[string]any{"token": token}).status(403)
		e.authed(otherStaff, "GET", path, nil).status(403)

		list := e.authed(staff, "GET", path, nil).status(200)
		if list.get("attendance.0.ticket_id") != ticketID || list.get("attendance.0.source") != "scan" ||
			list.get("attendance.1.ticket_id") != byHand || list.get("attendance.1.source") != "hand" || list.get("attendance.2") != nil {
			t.Fatalf("the session's attendance: %s", list.body)
		}
		if l := e.authed(staff, "GET", "/api/v1/events/"+eventID+"/sessions/"+sessions[1]+"/attendance", nil).status(200); l.get("attendance.0") != nil {
			t.Fatalf("the other session's attendance: %s", l.body)
		}
	})
}

// Twenty scans of one ticket at one session at once record it exactly
// once, on either store.
func TestAttendanceConcurrentScans(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		session := e.courseSessions(org, eventID, 1)[0]
		_, token := e.holder(eventID, typeID, "hoa@example.vn")
		path := "/api/v1/events/" + eventID + "/sessions/" + session + "/attendance"
		var wg sync.WaitGroup
		var mu sync.Mutex
		results := map[string]int{}
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.authed(org, "POST", path, map[string]any{"token": token})
				mu.Lock()
				defer mu.Unlock()
				if r.code != 200 {
					results["status"]++
					return
				}
				res, _ := r.get("result").(string)
				results[res]++
			}()
		}
		wg.Wait()
		if results["ok"] != 1 || results["already_recorded"] != 19 {
			t.Fatalf("20 scans at once: %v", results)
		}
		if list := e.authed(org, "GET", path, nil).status(200); list.get("attendance.0") == nil || list.get("attendance.1") != nil {
			t.Fatalf("the session's attendance: %s", list.body)
		}
	})
}

// The course's attendance sheet puts the active registrations against the
// sessions, a ✓ for each attended, with the count, the share and whether
// the rule (a share of the sessions and a required one) is met.
func TestCourseAttendanceSheet(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		s := e.courseSessions(org, eventID, 3)
		e.authed(org, "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{
			"course": true, "min_percent": 60, "required_sessions": []string{s[2]}}).status(200)
		an := e.register(eventID, typeID, "Nguyễn Văn An", "an@example.vn", "")
		binh := e.register(eventID, typeID, "Lê Thị Bình", "binh@example.vn", "")
		e.register(eventID, typeID, "Phạm Chi", "chi@example.vn", "")
		gone := e.register(eventID, typeID, "Hủy Vé", "huy@example.vn", "")
		for _, at := range [][2]string{{an, s[0]}, {an, s[2]}, {binh, s[0]}, {binh, s[1]}, {gone, s[0]}} {
			e.authed(org, "POST", "/api/v1/events/"+eventID+"/sessions/"+at[1]+"/attendance", map[string]any{"ticket_id": at[0]}).status(200)
		}
		e.authed(org, "POST", "/api/v1/tickets/"+gone+"/cancel", nil).status(200)

		b := e.signIn("btc@sprout.test", "organizer-pass")
		if page := b.do("GET", "/manage/events/"+eventID, nil); !strings.Contains(page.html, "/manage/events/"+eventID+"/attendance.xlsx") {
			t.Fatal("the course form does not link the attendance sheet")
		}
		res, body := b.download("/manage/events/"+eventID+"/attendance.xlsx", "Accept-Encoding", "identity")
		if res.StatusCode != 200 || res.Header.Get("X-Total-Rows") != "3" {
			t.Fatalf("the sheet: %d %v", res.StatusCode, res.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Điểm danh")
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, r := range rows {
			got = append(got, strings.Join(r, "|"))
		}
		if len(rows) != 4 || !strings.HasPrefix(got[0], "Họ và tên|Email|Loại vé|Buổi học 1 (") ||
			!strings.HasSuffix(got[0], "|Số buổi có mặt|Tỷ lệ (%)|Hoàn thành") {
			t.Fatalf("the sheet's rows:\n%s", strings.Join(got, "\n"))
		}
		want := map[string]string{
			"Nguyễn Văn An": "an@example.vn|Khách tham quan|✓||✓|2|66|Có",
			"Lê Thị Bình":   "binh@example.vn|Khách tham quan|✓|✓||2|66|Không",
			"Phạm Chi":      "chi@example.vn|Khách tham quan||||0|0|Không",
		}
		for _, r := range rows[1:] {
			if w, ok := want[r[0]]; !ok || strings.Join(r[1:], "|") != w {
				t.Errorf("row %q, want %q", strings.Join(r, "|"), w)
			}
		}
	})
}

// The trainer's page lists the session's registrants, marks one present
// by hand, and its live list answers who is present; the session picker
// counts each session's attendance. Staff of another event may not open
// them.
func TestSessionAttendancePage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		e.staff()
		eventID, typeID := e.techfest(org, 10, false)
		otherID, _ := e.techfest(org, 10, false)
		s := e.courseSessions(org, eventID, 2)
		e.onStaff(org, eventID, "cong@sprout.test")
		an := e.register(eventID, typeID, "Nguyễn Văn An", "an@example.vn", "")
		binh := e.register(eventID, typeID, "Lê Thị Bình", "binh@example.vn", "")
		gone := e.register(eventID, typeID, "Hủy Vé", "huy@example.vn", "")
		e.authed(org, "POST", "/api/v1/tickets/"+gone+"/cancel", nil).status(200)

		b := e.signIn("cong@sprout.test", "staff-password")
		path := "/events/" + eventID + "/sessions/" + s[0] + "/attendance"
		page := b.do("GET", path, nil)
		if page.code != 200 || !strings.Contains(page.html, "Nguyễn Văn An") || !strings.Contains(page.html, "Lê Thị Bình") ||
			strings.Contains(page.html, "Hủy Vé") || !strings.Contains(page.html, `<strong data-present-count>0</strong> / 2`) ||
			!strings.Contains(page.html, `name="ticket_id" value="`+binh+`"`) {
			t.Fatalf("the trainer's page: %d\n%s", page.code, page.html)
		}
		marked := b.submit(path, path, url.Values{"ticket_id": {binh}})
		if marked.code != 303 || marked.location != path {
			t.Fatalf("marking by hand: %d %s", marked.code, marked.location)
		}
		page = b.do("GET", path, nil)
		if !strings.Contains(page.html, "Đã điểm danh.") || !strings.Contains(page.html, `<strong data-present-count>1</strong> / 2`) ||
			strings.Contains(page.html, `name="ticket_id" value="`+binh+`"`) || !strings.Contains(page.html, `name="ticket_id" value="`+an+`"`) {
			t.Fatalf("after marking by hand:\n%s", page.html)
		}
		if r := b.submit(path, path, url.Values{"ticket_id": {gone}}); r.code != 303 {
			t.Fatalf("marking a cancelled ticket: %d", r.code)
		} else if p := b.do("GET", path, nil); !strings.Contains(p.html, "Vé này đã bị hủy.") {
			t.Fatal("a cancelled ticket marked by hand is not refused")
		}
		live := b.do("GET", path+".json", nil)
		if live.code != 200 || !strings.Contains(live.html, `"ticket_id":"`+binh+`"`) || !strings.Contains(live.html, `"source":"hand"`) ||
			strings.Contains(live.html, an) {
			t.Fatalf("the live list: %d %s", live.code, live.html)
		}
		sessions := b.do("GET", "/events/"+eventID+"/sessions", nil)
		if sessions.code != 200 || !strings.Contains(sessions.html, `href="`+path+`"`) || !strings.Contains(sessions.html, "1 người có mặt") ||
			!strings.Contains(sessions.html, "0 người có mặt") || !strings.Contains(sessions.html, "Giảng viên: TS. Lê Minh Anh") {
			t.Fatalf("the session picker: %d\n%s", sessions.code, sessions.html)
		}
		if r := b.do("GET", "/events/"+otherID+"/sessions", nil); r.code != 403 {
			t.Fatalf("staff of another event: %d", r.code)
		}
		if r := b.do("GET", "/events/"+eventID+"/sessions/nope/attendance", nil); r.code != 404 {
			t.Fatalf("an unknown session: %d", r.code)
		}
	})
}

// At a course's gate, a session can be picked to take attendance instead
// of checking in: the page offers the sessions, and its endpoint records
// the scan as attendance on the page's session.
func TestGateSessionAttendance(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		e.staff()
		eventID, typeID := e.techfest(org, 10, false)
		s := e.courseSessions(org, eventID, 2)
		e.onStaff(org, eventID, "cong@sprout.test")
		_, token := e.holder(eventID, typeID, "hoa@example.vn")
		b := e.signIn("cong@sprout.test", "staff-password")
		gate := "/events/" + eventID + "/gate"
		if p := b.do("GET", gate, nil); strings.Contains(p.html, `id="session"`) {
			t.Fatal("the gate of an event that is no course offers sessions")
		}
		e.authed(org, "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{"course": true, "min_percent": 50}).status(200)
		p := b.do("GET", gate, nil)
		if !strings.Contains(p.html, `<select id="session"><option value="">— Soát vé vào cổng —</option>`) ||
			!strings.Contains(p.html, `<option value="`+s[1]+`">`) {
			t.Fatalf("the course's gate does not offer its sessions:\n%s", p.html)
		}
		csrf := b.scriptCSRF(gate)
		path := gate + "/sessions/" + s[1] + "/attendance"
		if r := b.pageJSON("POST", path, csrf, map[string]any{"token": token}).status(200); r.str("result") != "ok" || r.str("ticket.name") != "Nguyễn Thị Hoa" {
			t.Fatalf("attendance from the gate: %s", r.body)
		}
		if r := b.pageJSON("POST", path, csrf, map[string]any{"token": token}).status(200); r.str("result") != "already_recorded" {
			t.Fatalf("a second scan at the gate: %s", r.body)
		}
		if r := b.pageJSON("POST", path, "", map[string]any{"token": token}); r.code != 403 {
			t.Fatalf("without the CSRF token: %d", r.code)
		}
	})
}

// A trainer undoes an attendance marked by mistake, through the API or
// beside the person on the session's page after confirming: the record goes,
// the person can be marked again, an undo of nothing is 404, staff of
// another event may not, and the log keeps each undo with who made it.
func TestAttendanceUndo(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		staff := e.staff()
		eventID, typeID := e.techfest(org, 10, false)
		otherID, _ := e.techfest(org, 10, false)
		s := e.courseSessions(org, eventID, 2)
		e.onStaff(org, eventID, "cong@sprout.test")
		ticketID, token := e.holder(eventID, typeID, "hoa@example.vn")
		path := "/api/v1/events/" + eventID + "/sessions/" + s[0] + "/attendance"
		e.authed(staff, "POST", path, map[string]any{"token": token}).status(200)

		e.authed(staff, "DELETE", "/api/v1/events/"+eventID+"/sessions/"+s[1]+"/attendance/"+ticketID, nil).errorCode(404, "not_found")
		e.authed(staff, "DELETE", "/api/v1/events/"+otherID+"/sessions/"+s[0]+"/attendance/"+ticketID, nil).status(403)
		e.authed(org, "DELETE", "/api/v1/events/"+otherID+"/sessions/"+s[0]+"/attendance/"+ticketID, nil).errorCode(404, "not_found")
		e.call("DELETE", path+"/"+ticketID, nil).status(401)
		if r := e.authed(staff, "DELETE", path+"/"+ticketID, nil).status(200); r.get("removed") != true {
			t.Fatalf("the undo: %s", r.body)
		}
		e.authed(staff, "DELETE", path+"/"+ticketID, nil).errorCode(404, "not_found")
		if l := e.authed(staff, "GET", path, nil).status(200); l.get("attendance.0") != nil {
			t.Fatalf("the session's attendance after the undo: %s", l.body)
		}
		e.clock.Advance(10 * time.Minute)
		if r := e.authed(staff, "POST", path, map[string]any{"ticket_id": ticketID}).status(200); r.str("result") != "ok" {
			t.Fatalf("marked again after the undo: %s", r.body)
		}

		b := e.signIn("cong@sprout.test", "staff-password")
		page := "/events/" + eventID + "/sessions/" + s[0] + "/attendance"
		undo := page + "/" + ticketID + "/undo"
		p := b.do("GET", page, nil)
		if !strings.Contains(p.html, `action="`+undo+`"`) || !strings.Contains(p.html, `data-confirm="Hủy điểm danh của Nguyễn Thị Hoa ở buổi học này?"`) ||
			!strings.Contains(p.html, ">Hủy điểm danh</button>") || !strings.Contains(p.html, `<strong data-present-count>1</strong> / 1`) {
			t.Fatalf("the trainer's page with one present:\n%s", p.html)
		}
		if r := b.submit(page, undo, url.Values{}); r.code != 303 || r.location != page {
			t.Fatalf("undoing on the page: %d %s", r.code, r.location)
		}
		p = b.do("GET", page, nil)
		if !strings.Contains(p.html, "Đã hủy điểm danh.") || !strings.Contains(p.html, `<strong data-present-count>0</strong> / 1`) ||
			strings.Contains(p.html, `action="`+undo+`"`) || !strings.Contains(p.html, `name="ticket_id" value="`+ticketID+`"`) {
			t.Fatalf("the trainer's page after the undo:\n%s", p.html)
		}
		if r := b.submit(page, undo, url.Values{}); r.code != 303 {
			t.Fatalf("undoing nothing on the page: %d", r.code)
		} else if p := b.do("GET", page, nil); strings.Contains(p.html, "Đã hủy điểm danh.") || !strings.Contains(p.html, "flash-error") {
			t.Fatalf("undoing nothing says:\n%s", p.html)
		}

		_, entries, total := e.auditEntries("action=attendance.undo")
		if total != 2 {
			t.Fatalf("the log keeps %d undos, want 2: %v", total, entries)
		}
		for _, x := range entries {
			if x["target_kind"] != "ticket" || x["target_id"] != ticketID || x["event_id"] != eventID || x["actor_name"] != "Đỗ Văn Hùng" {
				t.Errorf("an undo's entry: %v", x)
			}
		}
	})
}
