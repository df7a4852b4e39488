package web_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// member signs a user up and returns their API token.
func (e *env) member(email string) string {
	e.t.Helper()
	e.call("POST", "/api/v1/auth/signup", map[string]any{"email": email, "password": "member-password", "name": "Trần Minh Đức"}).status(201)
	return e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "member-password"}).status(200).str("token")
}

func TestExpoAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 100, false)
		otherID, otherType := e.techfest(org, 10, false)
		owner, stranger := e.member("mamxanh@sprout.test"), e.member("khac@sprout.test")
		booth := func(code string, x, y int) *resp {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
				map[string]any{"code": code, "zone": "Khu Khởi nghiệp", "x": x, "y": y, "w": 3, "h": 3})
		}
		apply := func(token, company string) string {
			r := e.authed(token, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
				"company": company, "contact_email": "lienhe@mamxanh.vn", "description": "Nền tảng nông nghiệp số"}).status(201)
			if r.str("exhibitor.status") != "pending" {
				t.Fatalf("a new exhibitor: %s", r.body)
			}
			return r.str("exhibitor.id")
		}

		a1 := booth("A1", 0, 0).status(201)
		if a1.str("booth.code") != "A1" || a1.str("booth.status") != "available" || a1.str("booth.id") == "" {
			t.Fatalf("booth: %s", a1.body)
		}
		boothID := a1.str("booth.id")
		booth("A1", 10, 10).errorCode(409, "conflict")
		booth("A2", 2, 2).errorCode(409, "conflict")
		booth("", 20, 20).errorCode(400, "invalid")
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "Z", "zone": "Z", "x": 30, "y": 30, "w": 0, "h": 3}).errorCode(400, "invalid")
		e.authed(owner, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "A9", "zone": "Z", "x": 40, "y": 40, "w": 1, "h": 1}).errorCode(403, "forbidden")

		x := apply(owner, "Công ty Mầm Xanh")
		e.authed(owner, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "", "contact_email": "x@example.vn", "description": "d"}).errorCode(400, "invalid")
		e.authed(owner, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "C", "contact_email": "not-mail", "description": "d"}).errorCode(400, "invalid")
		e.authed(owner, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).errorCode(403, "forbidden")
		if r := e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200); r.str("exhibitor.status") != "approved" {
			t.Fatalf("approve: %s", r.body)
		}
		y := apply(stranger, "Startup Y")
		e.authed(org, "POST", "/api/v1/exhibitors/"+y+"/approve", nil).status(200)
		pending := apply(e.member("chua-duyet@sprout.test"), "Chưa duyệt")
		e.authed(stranger, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
			"company": "Startup Y lần hai", "contact_email": "lienhe@y.vn", "description": "x"}).errorCode(409, "conflict")

		assign := func(boothID, exhibitorID string) *resp {
			return e.authed(org, "POST", "/api/v1/booths/"+boothID+"/assign", map[string]any{"exhibitor_id": exhibitorID})
		}
		if r := assign(boothID, x).status(200); r.str("booth.status") != "assigned" || r.str("booth.exhibitor_id") != x {
			t.Fatalf("assign: %s", r.body)
		}
		assign(boothID, y).errorCode(409, "conflict")
		fresh := booth("B1", 10, 0).status(201).str("booth.id")
		assign(fresh, pending).errorCode(409, "conflict")
		assign(fresh, "nope").errorCode(400, "invalid")

		// Organizers click at once, each for another approved exhibitor: the
		// HTTP path's smoke case of the race the conformance suite runs 20 wide.
		rush := booth("C1", 20, 0).status(201).str("booth.id")
		var rivals []string
		for i := range 3 {
			id := apply(e.member(fmt.Sprintf("doi-thu-%d@sprout.test", i)), fmt.Sprintf("Đối thủ %d", i))
			e.authed(org, "POST", "/api/v1/exhibitors/"+id+"/approve", nil).status(200)
			rivals = append(rivals, id)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[int]int{}
		for _, id := range rivals {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := assign(rush, id)
				mu.Lock()
				codes[r.code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if codes[200] != 1 || codes[409] != 2 {
			t.Fatalf("3 assigns of one booth: %v", codes)
		}

		reg := func(eventID, typeID, email string, share bool) string {
			return e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID,
				"name": "Lê Thu Hà", "email": email, "phone": "0912 345 678", "share_contact": share}).status(201).str("ticket.token")
		}
		consenting, private := reg(eventID, typeID, "ha@example.vn", true), reg(eventID, typeID, "kin@example.vn", false)
		foreign := reg(otherID, otherType, "ha@example.vn", true)
		leads := "/api/v1/exhibitors/" + x + "/leads"

		l := e.authed(owner, "POST", leads, map[string]any{"token": consenting, "note": "=HYPERLINK(\"http://x\")"}).status(201)
		if l.str("lead.name") != "Lê Thu Hà" || l.str("lead.email") != "ha@example.vn" || l.str("lead.phone") == "" || l.str("lead.ticket_id") == "" {
			t.Fatalf("lead with consent: %s", l.body)
		}
		p := e.authed(owner, "POST", leads, map[string]any{"token": private, "note": "quan tâm"}).status(201)
		if p.get("lead.email") != nil || p.get("lead.phone") != nil || p.str("lead.name") == "" {
			t.Fatalf("lead without consent shows contact details: %s", p.body)
		}
		if again := e.authed(owner, "POST", leads, map[string]any{"token": consenting, "note": "lần hai"}).status(200); again.str("lead.id") != l.str("lead.id") {
			t.Fatalf("the same ticket again: %s", again.body)
		}
		parts := strings.Split(consenting, ".")
		sig := []byte(parts[2])
		sig[5] ^= 1
		forged := parts[0] + "." + parts[1] + "." + string(sig)
		e.authed(owner, "POST", leads, map[string]any{"token": forged}).errorCode(400, "invalid")
		e.authed(owner, "POST", leads, map[string]any{"token": "not-a-token"}).errorCode(400, "invalid")
		e.authed(owner, "POST", leads, map[string]any{"token": foreign}).errorCode(400, "invalid")
		e.call("POST", leads, map[string]any{"token": consenting}).errorCode(401, "unauthorized")
		e.authed(stranger, "POST", leads, map[string]any{"token": consenting}).errorCode(404, "not_found")
		e.authed(stranger, "GET", leads+".csv", nil).errorCode(404, "not_found")
		e.authed(stranger, "GET", leads, nil).errorCode(404, "not_found")

		if list := e.authed(owner, "GET", leads, nil).status(200); len(list.get("leads").([]any)) != 2 {
			t.Fatalf("leads: %s", list.body)
		}
		csv := e.authed(owner, "GET", leads+".csv", nil).status(200)
		if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("content type %q", csv.header.Get("Content-Type"))
		}
		rows := strings.Split(strings.TrimSpace(string(csv.body)), "\n")
		if len(rows) != 3 || !strings.HasPrefix(rows[0], "id,ticket_id,name,email,phone,note") {
			t.Fatalf("csv:\n%s", csv.body)
		}
		body := string(csv.body)
		if !strings.Contains(body, `'=HYPERLINK`) || strings.Contains(body, ",=") || strings.Contains(body, `,"=`) || strings.Contains(body, "kin@example.vn") {
			t.Fatalf("csv neutralises formulas and keeps private contacts out:\n%s", body)
		}
	})
}

func TestRejectingAnExhibitorFreesItsBooths(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		owner := e.member("ngoc@startup.vn")
		booth := func(code string, x int) string {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": code, "zone": "Khu Khởi nghiệp",
				"x": x, "y": 0, "w": 3, "h": 3}).status(201).str("booth.id")
		}
		a, b, c := booth("A1", 0), booth("A2", 3), booth("A3", 6)
		x := e.authed(owner, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "Ngọc Startup",
			"contact_email": "ngoc@startup.vn", "description": "Ứng dụng"}).status(201).str("exhibitor.id")
		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+a+"/assign", map[string]any{"exhibitor_id": x}).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+b+"/hold", map[string]any{"exhibitor_id": x, "minutes": 60}).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+c+"/block", nil).status(200)
		if r := e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/reject", nil).status(200); r.str("exhibitor.status") != "rejected" {
			t.Fatalf("reject: %s", r.body)
		}
		status := map[string]string{}
		for _, v := range e.call("GET", "/api/v1/events/"+eventID+"/booths", nil).status(200).get("booths").([]any) {
			m := v.(map[string]any)
			status[m["code"].(string)] = m["status"].(string)
		}
		if status["A1"] != "available" || status["A2"] != "available" || status["A3"] != "blocked" {
			t.Fatalf("booths after rejecting their exhibitor: %v", status)
		}
		changes := e.authed(org, "GET", "/api/v1/events/"+eventID+"/booths/changes", nil).status(200).get("changes").([]any)
		released := 0
		for _, v := range changes {
			if m := v.(map[string]any); m["action"] == "released" && m["exhibitor_id"] == x {
				released++
			}
		}
		if released != 2 {
			t.Fatalf("%d releases recorded for the rejected exhibitor, want 2", released)
		}
		if r := e.authed(org, "POST", "/api/v1/booths/"+c+"/unblock", nil).status(200); r.str("booth.status") != "available" {
			t.Fatalf("unblock: %s", r.body)
		}
		e.authed(org, "POST", "/api/v1/booths/"+c+"/unblock", nil).errorCode(409, "conflict")
		e.authed(owner, "POST", "/api/v1/booths/"+a+"/block", nil).errorCode(403, "forbidden")
	})
}

// A draft event is invisible to all but organizers, its floor and its
// exhibitor form included; a published event's public booth list shows no
// prices and no holders.
func TestDraftEventsStayHiddenAndBoothListsStayDiscreet(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		start := e.now().Add(72 * time.Hour)
		draft := e.authed(org, "POST", "/api/v1/events", map[string]any{"slug": "nhap-trien-lam", "title": "Triển lãm nháp", "venue": "Hà Nội",
			"starts_at": start, "ends_at": start.Add(8 * time.Hour), "published": false}).status(201).str("event.id")
		e.authed(org, "POST", "/api/v1/events/"+draft+"/booths", map[string]any{"code": "A1", "zone": "Khu A", "x": 0, "y": 0, "w": 3, "h": 3, "price": 9000000}).status(201)
		member := e.member("khach@sprout.test")
		e.call("GET", "/api/v1/events/"+draft+"/booths", nil).errorCode(404, "not_found")
		e.authed(member, "GET", "/api/v1/events/"+draft+"/booths", nil).errorCode(404, "not_found")
		e.authed(member, "POST", "/api/v1/events/"+draft+"/exhibitors", map[string]any{"company": "Công ty Nháp", "contact_email": "a@nhap.vn", "description": "x"}).errorCode(404, "not_found")
		if got := e.authed(org, "GET", "/api/v1/events/"+draft+"/booths", nil).status(200); len(got.get("booths").([]any)) != 1 {
			t.Fatalf("the organizer's own draft: %s", got.body)
		}

		eventID, _ := e.techfest(org, 10, false)
		boothID := e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "B1", "zone": "Khu B", "x": 0, "y": 0, "w": 3, "h": 3, "price": 12000000}).status(201).str("booth.id")
		x := e.authed(member, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "Công ty Thật", "contact_email": "a@that.vn", "description": "x"}).status(201).str("exhibitor.id")
		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+boothID+"/hold", map[string]any{"exhibitor_id": x, "minutes": 60}).status(200)
		public := e.call("GET", "/api/v1/events/"+eventID+"/booths", nil).status(200)
		if body := string(public.body); strings.Contains(body, "12000000") || strings.Contains(body, x) || strings.Contains(body, "held_until") || !strings.Contains(body, `"code":"B1"`) {
			t.Fatalf("the public booth list: %s", body)
		}
		if body := string(e.authed(org, "GET", "/api/v1/events/"+eventID+"/booths", nil).status(200).body); !strings.Contains(body, "12000000") || !strings.Contains(body, x) {
			t.Fatalf("the organizer's booth list: %s", body)
		}
	})
}
