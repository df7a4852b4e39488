package web_test

import (
	"context"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestEnglishPagesShowEnglishTypeNamesAndSessionTitles(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 5, false)
		ev := e.call("GET", "/api/v1/events/"+eventID, nil).status(200)
		slug, starts := ev.str("event.slug"), ev.str("event.starts_at")
		tt := e.authed(org, "PUT", "/api/v1/events/"+eventID+"/ticket-types/"+typeID, map[string]any{
			"name": "Khách tham quan", "name_en": "Visitor", "capacity": 5}).status(200)
		if tt.str("ticket_type.name_en") != "Visitor" {
			t.Fatalf("ticket type: %s", tt.body)
		}
		s := e.authed(org, "POST", "/api/v1/events/"+eventID+"/agenda", map[string]any{
			"starts_at": starts, "ends_at": ev.str("event.ends_at"), "title": "Khai mạc", "title_en": "Opening ceremony"}).status(201)
		if s.str("session.title_en") != "Opening ceremony" {
			t.Fatalf("session: %s", s.body)
		}
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/agenda", map[string]any{
			"starts_at": starts, "ends_at": ev.str("event.ends_at"), "title": "Gặp gỡ nhà đầu tư"}).status(201)
		if got := e.call("GET", "/api/v1/events/"+eventID, nil).status(200); !strings.Contains(string(got.body), `"title_en":"Opening ceremony"`) ||
			!strings.Contains(string(got.body), `"name_en":"Visitor"`) {
			t.Fatalf("the event's JSON lacks the English texts: %s", got.body)
		}

		vi := e.browser("vi").do("GET", "/events/"+slug, nil)
		en := e.browser("en").do("GET", "/events/"+slug, nil)
		for _, c := range []struct {
			p          page
			want, lack []string
		}{
			{vi, []string{"Khai mạc", "Khách tham quan", "Gặp gỡ nhà đầu tư", `href="#register">Đăng ký ngay</a>`}, []string{"Opening ceremony", "Visitor"}},
			// A session without an English title keeps its Vietnamese one.
			{en, []string{"Opening ceremony", "Visitor", "Gặp gỡ nhà đầu tư", `href="#register">Register now</a>`}, []string{"Khai mạc", "Khách tham quan"}},
		} {
			for _, w := range c.want {
				if !strings.Contains(c.p.html, w) {
					t.Errorf("the event page lacks %q", w)
				}
			}
			for _, l := range c.lack {
				if strings.Contains(c.p.html, l) {
					t.Errorf("the event page shows %q in the other language", l)
				}
			}
		}

		r := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{
			"ticket_type_id": typeID, "name": "Jane Doe", "email": "jane@example.com", "lang": "en"}).status(201)
		u, err := url.Parse(r.str("ticket.url"))
		if err != nil {
			t.Fatal(err)
		}
		if p := e.browser("en").do("GET", u.Path, nil); !strings.Contains(p.html, "<dd>Visitor</dd>") {
			t.Error("the English ticket page does not name the type in English")
		}
		if p := e.browser("vi").do("GET", u.Path, nil); !strings.Contains(p.html, "<dd>Khách tham quan</dd>") {
			t.Error("the Vietnamese ticket page does not name the type in Vietnamese")
		}
		if msgs := e.mails("jane@example.com"); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Ticket: Visitor") {
			t.Errorf("the English ticket mail does not name the type in English: %+v", msgs)
		}

		staff := e.signIn("btc@sprout.test", "organizer-pass")
		staff.do("GET", "/lang/en?next=/", nil)
		if p := staff.do("GET", "/events/"+eventID+"/gate", nil); !strings.Contains(html.UnescapeString(p.html), `"`+typeID+`":"Visitor"`) {
			t.Error("the English gate does not name the type in English")
		}
	})
}

func TestAgendaSessionsAreEdited(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 5, false)
		otherID, _ := e.techfest(org, 5, false)
		ev := e.call("GET", "/api/v1/events/"+eventID, nil).status(200)
		starts, err := time.Parse(time.RFC3339, ev.str("event.starts_at"))
		if err != nil {
			t.Fatal(err)
		}
		id := e.authed(org, "POST", "/api/v1/events/"+eventID+"/agenda", map[string]any{
			"starts_at": starts, "ends_at": starts.Add(time.Hour), "room": "Hội trường A", "title": "Khai mạc", "speakers": "Lãnh đạo Sở"}).
			status(201).str("session.id")
		path := "/api/v1/events/" + eventID + "/agenda/" + id
		agenda := func() string {
			t.Helper()
			return string(e.call("GET", "/api/v1/events/"+eventID, nil).status(200).body)
		}

		edit := map[string]any{"starts_at": starts.Add(30 * time.Minute), "ends_at": starts.Add(2 * time.Hour), "room": "Phòng B",
			"title": "Khai mạc Techfest", "title_en": "Techfest opening", "speakers": "Lãnh đạo Sở, Nguyễn An"}
		e.call("PUT", path, edit).errorCode(401, "unauthorized")
		r := e.authed(org, "PUT", path, edit).status(200)
		if r.str("session.id") != id || r.str("session.title") != "Khai mạc Techfest" || r.str("session.title_en") != "Techfest opening" ||
			r.str("session.room") != "Phòng B" || r.str("session.starts_at") != starts.Add(30*time.Minute).UTC().Format(time.RFC3339) {
			t.Fatalf("edited session: %s", r.body)
		}
		saved := agenda()
		if !strings.Contains(saved, `"title_en":"Techfest opening"`) || !strings.Contains(saved, "Lãnh đạo Sở, Nguyễn An") {
			t.Fatalf("the event does not show the edit: %s", saved)
		}

		apiFields(t, e.authed(org, "PUT", path, map[string]any{"starts_at": starts, "ends_at": starts.Add(-time.Hour), "title": " "}),
			map[string]string{"title": "Trường này là bắt buộc.", "ends_at": "Thời điểm kết thúc phải sau thời điểm bắt đầu."})
		if agenda() != saved {
			t.Fatal("a refused edit changed the agenda")
		}
		e.authed(org, "PUT", "/api/v1/events/"+otherID+"/agenda/"+id, edit).errorCode(404, "not_found")
		e.authed(org, "PUT", "/api/v1/events/"+eventID+"/agenda/nope", edit).errorCode(404, "not_found")
		gone := e.authed(org, "POST", "/api/v1/events/"+eventID+"/agenda", edit).status(201).str("session.id")
		e.authed(org, "DELETE", "/api/v1/events/"+otherID+"/agenda/"+gone, nil).errorCode(404, "not_found")
		e.authed(org, "DELETE", "/api/v1/events/"+eventID+"/agenda/"+gone, nil).status(200)
		e.authed(org, "DELETE", "/api/v1/events/"+eventID+"/agenda/"+gone, nil).errorCode(404, "not_found")
		if agenda() != saved {
			t.Fatal("adding and deleting a session left a trace")
		}

		b := e.signIn("btc@sprout.test", "organizer-pass")
		page := "/manage/events/" + eventID
		if p := b.do("GET", page, nil); !strings.Contains(p.html, `action="`+page+`/agenda/`+id+`"`) || !strings.Contains(p.html, `value="Techfest opening"`) {
			t.Fatal("the organizer's page has no edit form for the session holding its texts")
		}
		p := b.submit(page, page+"/agenda/"+id, url.Values{"title": {""}, "title_en": {"Opening"}, "room": {"Phòng C"},
			"starts_at": {localInput(starts.Add(time.Hour))}, "ends_at": {localInput(starts)}})
		marked(t, p, 400, map[string]string{"s-" + id + "-title": "Trường này là bắt buộc.",
			"s-" + id + "-ends_at": "Thời điểm kết thúc phải sau thời điểm bắt đầu."})
		if !strings.Contains(p.html, `value="Phòng C"`) || !strings.Contains(p.html, `<details class="row-edit" open>`) {
			t.Error("the edit form does not come back open with what was typed")
		}
		if agenda() != saved {
			t.Fatal("a refused form changed the agenda")
		}
		p = b.submit(page, page+"/agenda/"+id, url.Values{"title": {"Lễ khai mạc"}, "title_en": {"Opening"}, "room": {"Phòng C"},
			"starts_at": {localInput(starts)}, "ends_at": {localInput(starts.Add(time.Hour))}})
		if p.code != 303 || p.location != page+"#session-"+id {
			t.Fatalf("saving the session: %d %q", p.code, p.location)
		}
		if got := agenda(); !strings.Contains(got, `"title":"Lễ khai mạc"`) || !strings.Contains(got, `"title_en":"Opening"`) ||
			!strings.Contains(got, `"room":"Phòng C"`) || strings.Contains(got, "Nguyễn An") {
			t.Fatalf("the form's edit is not saved: %s", got)
		}

		// A ticket type's English name is typed on the same page.
		types, err := e.app.Events.TicketTypes(context.Background(), eventID)
		if err != nil || len(types) != 1 {
			t.Fatalf("types %+v, %v", types, err)
		}
		typeID := types[0].ID
		p = b.submit(page, page+"/types/"+typeID, url.Values{"name": {" "}, "name_en": {strings.Repeat("x", 121)}, "capacity": {"5"}})
		marked(t, p, 400, map[string]string{"type-" + typeID + "-name": "Trường này là bắt buộc.",
			"type-" + typeID + "-name-en": "Quá dài (tối đa 120 ký tự)."})
		if p := b.submit(page, page+"/types/"+typeID, url.Values{"name": {"Khách tham quan"}, "name_en": {"Visitor"}, "capacity": {"5"}}); p.code != 303 {
			t.Fatalf("saving the type: %d", p.code)
		}
		if tt, err := e.app.Events.TicketType(context.Background(), typeID); err != nil || tt.NameEN != "Visitor" || tt.Name != "Khách tham quan" {
			t.Fatalf("saved type %+v, %v", tt, err)
		}
	})
}
