package web_test

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
	"time"

	"sprout/internal/vn"
)

// auditEntries reads the log through the API as the admin.
func (e *env) auditEntries(query string) (actions []string, entries []map[string]any, total int) {
	e.t.Helper()
	r := e.authed(e.admin, "GET", "/api/v1/audit?"+query, nil).status(200)
	for _, x := range r.get("entries").([]any) {
		m := x.(map[string]any)
		entries = append(entries, m)
		actions = append(actions, m["action"].(string))
	}
	return actions, entries, int(r.get("total").(float64))
}

// TestAuditLogRecordsWhoChangedWhat: an organizer changes a ticket type's
// capacity on its page and cancels a ticket through the API, an admin
// grants a role on the users page; each is one entry, newest first, naming
// the actor, the action, the target and the event. Attempts refused leave
// none, nor do a visitor's registration and a founder's application. The
// admin filters the log by actor, action, event and day, reads it in both
// languages and exports it; nobody else reads it.
func TestAuditLogRecordsWhoChangedWhat(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		adminID := e.authed(e.admin, "GET", "/api/v1/me", nil).status(200).str("user.id")
		org := e.organizer()
		orgID := e.authed(org, "GET", "/api/v1/me", nil).status(200).str("user.id")
		eventID, typeID := e.techfest(org, 10, false)
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("audit-2027", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")

		// Not the log's business: a visitor registers, a founder applies.
		ticketID := e.register(eventID, typeID, "Lê Văn Tám", "tam@example.vn", "")
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "sanglap@example.vn", "password": "founder-pass", "name": "Sáng Lập"}).status(201)
		founder := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "sanglap@example.vn", "password": "founder-pass"}).status(200).str("token")
		e.authed(founder, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Mầm Xanh", "answers": map[string]any{}}).status(201)
		_, _, before := e.auditEntries("")
		if before != 4 {
			t.Fatalf("%d entries before the changes; want 4: the organizer's account, event, type and programme", before)
		}

		b := e.signIn("btc@sprout.test", "organizer-pass")
		page := "/manage/events/" + eventID
		if p := b.submit(page, page+"/types/"+typeID, url.Values{"name": {"Khách tham quan"}, "capacity": {"0"}}); p.code < 400 {
			t.Fatalf("a capacity of 0: %d", p.code)
		}
		if p := b.submit(page, page+"/types/"+typeID, url.Values{"name": {"Khách tham quan"}, "capacity": {"25"}}); p.code != 303 {
			t.Fatalf("a capacity of 25: %d", p.code)
		}
		e.authed(org, "POST", "/api/v1/tickets/"+ticketID+"/cancel", nil).status(200)
		e.authed(org, "POST", "/api/v1/tickets/"+ticketID+"/cancel", nil).errorCode(409, "conflict")
		a := e.signIn("admin@sprout.test", "admin-password-1")
		if p := a.submit("/admin/users", "/admin/users/"+orgID+"/roles", url.Values{"role": {"staff"}, "action": {"grant"}}); p.code != 303 {
			t.Fatalf("grant: %d", p.code)
		}
		// Refused, the page redirects with an error: no entry.
		if p := a.submit("/admin/users", "/admin/users/nobody/roles", url.Values{"role": {"staff"}, "action": {"grant"}}); p.code != 303 {
			t.Fatalf("grant to nobody: %d", p.code)
		}

		actions, entries, total := e.auditEntries("limit=3")
		if total != 7 || strings.Join(actions, " ") != "user.roles ticket.cancel ticket_type.update" {
			t.Fatalf("log = %v (total %d); want the role, the cancellation and the type, newest first, of 7", actions, total)
		}
		want := func(m map[string]any, fields map[string]any) {
			t.Helper()
			for k, v := range fields {
				if m[k] != v {
					t.Errorf("%s entry: %s = %v, want %v", m["action"], k, m[k], v)
				}
			}
		}
		want(entries[0], map[string]any{"actor_id": adminID, "actor_name": "Quản Trị", "actor_email": "admin@sprout.test",
			"target_kind": "user", "target_id": orgID, "event_id": "", "method": "POST", "status": float64(303),
			"detail": "role=staff, action=grant"})
		want(entries[1], map[string]any{"actor_id": orgID, "actor_name": "Trần Quốc Bảo", "target_kind": "ticket",
			"target_id": ticketID, "event_id": eventID, "path": "/api/v1/tickets/" + ticketID + "/cancel", "status": float64(200)})
		want(entries[2], map[string]any{"actor_id": orgID, "target_kind": "ticket_type", "target_id": typeID, "event_id": eventID,
			"path": page + "/types/" + typeID, "detail": "name=Khách tham quan, capacity=25"})
		if roles, _ := entries[1]["actor_roles"].([]any); len(roles) != 1 || roles[0] != "organizer" {
			t.Errorf("the organizer's roles: %v", entries[1]["actor_roles"])
		}
		at, err := time.Parse(time.RFC3339, entries[0]["at"].(string))
		if err != nil || at.Before(now.Add(-time.Minute)) || at.After(e.now().Add(time.Second)) {
			t.Errorf("at = %v, %v", entries[0]["at"], err)
		}
		// What a request made is named by the answer.
		_, users, _ := e.auditEntries("action=user.create")
		if len(users) != 1 || users[0]["target_id"] != orgID || users[0]["detail"] != "email=btc@sprout.test, roles=organizer" {
			t.Errorf("the organizer's account: %v", users)
		}
		_, made, _ := e.auditEntries("action=event.create")
		_, types, _ := e.auditEntries("action=ticket_type.create")
		_, programs, _ := e.auditEntries("action=program")
		if len(made) != 1 || made[0]["target_id"] != eventID || made[0]["event_id"] != eventID ||
			len(types) != 1 || types[0]["target_id"] != typeID || types[0]["event_id"] != eventID ||
			len(programs) != 1 || programs[0]["target_id"] != pid {
			t.Errorf("creations: %v / %v / %v", made, types, programs)
		}

		for query, wanted := range map[string]string{
			"actor=" + orgID:     "ticket.cancel ticket_type.update program.create ticket_type.create event.create",
			"action=ticket_type": "ticket_type.update ticket_type.create",
			"action=ticket":      "ticket.cancel",
			"event=" + eventID:   "ticket.cancel ticket_type.update ticket_type.create event.create",
			"actor=" + adminID:   "user.roles user.create",
			"from=" + now.In(vn.Zone).AddDate(0, 0, 1).Format(time.DateOnly): "",
			"to=" + now.In(vn.Zone).Format(time.DateOnly) + "&action=user":   "user.roles user.create",
		} {
			if got, _, n := e.auditEntries(query); strings.Join(got, " ") != wanted || n != len(got) {
				t.Errorf("?%s = %v (total %d); want %s", query, got, n, wanted)
			}
		}
		e.authed(e.admin, "GET", "/api/v1/audit?from=yesterday", nil).errorCode(400, "invalid")

		// The page, in Vietnamese and in English.
		p := a.do("GET", "/admin/audit", nil)
		if p.code != 200 || strings.Count(p.html, "data-audit-action=") != 7 || !strings.Contains(p.html, "Sửa loại vé") ||
			!strings.Contains(p.html, "Trần Quốc Bảo") || !strings.Contains(p.html, `href="/manage/events/`+eventID+`"`) ||
			!strings.Contains(p.html, `href="/admin/audit" aria-current="page"`) {
			t.Fatalf("audit page: %d\n%s", p.code, p.html)
		}
		p = a.do("GET", "/admin/audit?action=ticket.cancel&actor="+orgID, nil)
		if strings.Count(p.html, "data-audit-action=") != 1 || !strings.Contains(p.html, `data-audit-action="ticket.cancel"`) ||
			!strings.Contains(p.html, `href="/admin/audit.csv?action=ticket.cancel&amp;actor=`+orgID+`"`) {
			t.Fatalf("filtered page:\n%s", p.html)
		}
		p = a.do("GET", "/admin/audit?from="+now.In(vn.Zone).AddDate(0, 0, 1).Format(time.DateOnly), nil)
		if strings.Contains(p.html, "data-audit-action=") || !strings.Contains(p.html, "Không có mục nào khớp bộ lọc.") {
			t.Fatalf("empty page:\n%s", p.html)
		}
		en := e.signIn("admin@sprout.test", "admin-password-1")
		en.do("GET", "/lang/en", nil)
		if p := en.do("GET", "/admin/audit", nil); !strings.Contains(p.html, "Edited a ticket type") || !strings.Contains(p.html, "Changed roles") {
			t.Fatalf("English page:\n%s", p.html)
		}

		// The exports keep the filter; headers in the reader's language.
		res, body := a.download("/admin/audit.csv?actor=" + orgID)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("csv: %d %s %q", res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil || len(rows) != 6 || rows[0][0] != "Thời điểm" || rows[0][1] != "Người thực hiện" || rows[1][4] != "Hủy vé" || rows[1][1] != "Trần Quốc Bảo" {
			t.Fatalf("csv rows: %q, %v", rows, err)
		}
		if _, body := en.download("/admin/audit.csv"); !strings.Contains(string(body), "When,Who") || !strings.Contains(string(body), "Changed roles") {
			t.Fatalf("English csv: %s", body)
		}
		if res, body := a.download("/admin/audit.xlsx?action=ticket"); res.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PK")) {
			t.Fatalf("xlsx: %d", res.StatusCode)
		}

		// Nobody but admins reads the log.
		if p := b.do("GET", "/admin/audit", nil); p.code != 403 {
			t.Fatalf("the organizer opens the audit page: %d", p.code)
		}
		if res, _ := b.download("/admin/audit.csv"); res.StatusCode != 403 {
			t.Fatalf("the organizer exports the log: %d", res.StatusCode)
		}
		e.authed(org, "GET", "/api/v1/audit", nil).errorCode(403, "forbidden")
		e.call("GET", "/api/v1/audit", nil).errorCode(401, "unauthorized")
	})
}
