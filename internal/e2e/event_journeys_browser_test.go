package e2e_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// confirms accepts every confirmation the tab asks, as a person pressing
// OK, and keeps their words.
type confirms struct {
	mu    sync.Mutex
	asked []string
}

func acceptConfirms(b *tab) *confirms {
	c := &confirms{}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			c.mu.Lock()
			c.asked = append(c.asked, e.Message)
			c.mu.Unlock()
			go func() {
				_, _ = chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}()
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	return c
}

func (c *confirms) last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.asked) == 0 {
		return ""
	}
	return c.asked[len(c.asked)-1]
}

// TestBrowserJourneysOfEveryEventRole walks the events' roles through
// their jobs in Chromium, in Vietnamese and English, on a laptop and a
// phone: a visitor registers answering the event's questions and without
// sharing their contact, and the exhibitor who scans them sees none; the
// organizer promotes someone from the waitlist, raises a capacity, and
// rejects an exhibitor with a reason; an admin invites a user and
// deactivates them; gate staff register a walk-in. Every page on the way
// fits the window; each role's time is logged.
func TestBrowserJourneysOfEveryEventRole(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	for _, lang := range []string{"vi", "en"} {
		for _, size := range sizes {
			t.Run(lang+"-"+size.name, func(t *testing.T) {
				j := &journey{t: t, s: s, lang: lang, size: size, took: map[string]time.Duration{}}
				j.runEvent(browser, org, admin)
				t.Logf("%s on a %s: visitor %s, organizer %s, admin %s, gate staff %s in the browser", lang, size.name,
					j.took["visitor"].Round(100*time.Millisecond), j.took["organizer"].Round(100*time.Millisecond),
					j.took["admin"].Round(100*time.Millisecond), j.took["staff"].Round(100*time.Millisecond))
			})
		}
	}
}

func (j *journey) runEvent(ctx context.Context, org, admin string) {
	t, s, lang := j.t, j.s, j.lang
	tag := lang + "-" + j.size.name
	start := s.now().Add(24 * time.Hour).Truncate(time.Minute)
	var ev, visitors, workshop struct {
		Event      struct{ ID, Slug string }
		TicketType struct{ ID string } `json:"ticket_type"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events", org, map[string]any{
		"slug": "techfest-" + tag, "title": "Techfest Hà Nội", "title_en": "Hanoi Techfest", "venue": "Trung tâm Hội nghị Quốc gia",
		"starts_at": start, "ends_at": start.Add(8 * time.Hour), "published": true}, &ev)
	eventID := ev.Event.ID
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/ticket-types", org,
		map[string]any{"name": "Khách tham quan", "name_en": "Visitor", "capacity": 100}, &visitors)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/ticket-types", org,
		map[string]any{"name": "Hội thảo AI", "name_en": "AI workshop", "capacity": 1, "waitlist": true}, &workshop)
	s.register(t, eventID, workshop.TicketType.ID, "Nguyễn Thị Lan", "lan-"+tag+"@example.vn", lang)
	s.mustAPI(t, http.StatusOK, "PUT", "/api/v1/events/"+eventID+"/questions", org, map[string]any{"questions": []map[string]any{
		{"id": "organisation", "label": "Đơn vị công tác", "label_en": "Organisation", "kind": "text", "required": true, "at_gate": true,
			"role": "organisation"},
		{"id": "job_title", "label": "Chức danh", "label_en": "Job title", "kind": "text", "role": "job_title"},
	}}, nil)
	var waiting []string
	for _, who := range []string{"binh", "chi"} {
		var w struct {
			Waitlist struct{ ID string } `json:"waitlist"`
		}
		s.mustAPI(t, http.StatusAccepted, "POST", "/api/v1/events/"+eventID+"/registrations", "", map[string]any{
			"ticket_type_id": workshop.TicketType.ID, "name": "Khách " + who, "email": who + "-" + tag + "@example.vn",
			"answers": map[string]any{"organisation": "Công ty " + who}}, &w)
		waiting = append(waiting, w.Waitlist.ID)
	}
	// An exhibitor waiting for review, and one approved whose owner scans.
	var pending, booth struct {
		Exhibitor struct{ ID string } `json:"exhibitor"`
	}
	for _, u := range []struct{ email, role string }{{"owner-" + tag + "@sprout.test", ""}, {"applicant-" + tag + "@sprout.test", ""},
		{"staff-" + tag + "@sprout.test", "staff"}} {
		roles := []string{}
		if u.role != "" {
			roles = append(roles, u.role)
		}
		s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": u.email, "password": "mật khẩu dài " + tag,
			"name": "Người dùng " + tag, "lang": lang, "roles": roles}, nil)
	}
	owner := s.login(t, "owner-"+tag+"@sprout.test", "mật khẩu dài "+tag)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/exhibitors", owner, map[string]any{
		"company": "Công ty Mầm Xanh", "contact_email": "lienhe@mamxanh.vn", "description": "Nông nghiệp số"}, &booth)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/exhibitors/"+booth.Exhibitor.ID+"/approve", org, nil, nil)
	applicant := s.login(t, "applicant-"+tag+"@sprout.test", "mật khẩu dài "+tag)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/exhibitors", applicant, map[string]any{
		"company": "Robot Sông Hồng", "contact_email": "hello@robot.vn", "description": "Robot hái chè", "sector": "Robot"}, &pending)
	var staffUser struct {
		User struct{ ID string } `json:"user"`
	}
	staffToken := s.login(t, "staff-"+tag+"@sprout.test", "mật khẩu dài "+tag)
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/me", staffToken, nil, &staffUser)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/events/"+eventID+"/staff", org, map[string]any{"user_id": staffUser.User.ID, "gate": "Cổng A"}, nil)

	// The visitor registers, answering the questions, without sharing
	// their contact; on a phone the button at the top leads to the form.
	started := time.Now()
	v := j.open(newTab(t, ctx, s.base))
	eventPage := "/events/" + ev.Event.Slug
	v.load("opening the event", 200, eventPage, chromedp.Navigate(s.base+"/lang/"+lang+"?next="+url.QueryEscape(eventPage)))
	if j.size.phone {
		v.do("tapping register", click(`.register-jump a`))
	}
	j.see(v, "")
	v.do("choosing the visitor type", click(`input[name="ticket_type_id"][value="`+visitors.TicketType.ID+`"]`))
	v.typeInto("#name", "Đặng Quốc Việt")
	v.typeInto("#email", "viet-"+tag+"@example.vn")
	v.typeInto("#q_job_title", "CTO")
	v.load("registering without the organisation", 400, eventPage+"/register", click(`form[action$="/register"] button[type="submit"]`))
	missing := strings.ReplaceAll(msg(t, lang, "error.answer_required"), "{{or .LabelEN .Label}}", map[string]string{"vi": "Đơn vị công tác", "en": "Organisation"}[lang])
	missing = strings.ReplaceAll(missing, "{{.Label}}", "Đơn vị công tác")
	if got := v.text("#q_organisation-error"); got != missing {
		t.Errorf("beside the organisation: %q, want %q", got, missing)
	}
	if got := v.eval(`String(document.activeElement.matches("[data-error-summary]") && document.activeElement.getBoundingClientRect().top >= 0)`); got != "true" {
		t.Errorf("the summary of mistakes is not brought into view and focused")
	}
	j.see(v, "visitor-questions")
	v.typeInto("#q_organisation", "Viện Công nghệ Sinh học")
	status := v.eval(`document.querySelector('input[name="share_contact"]').checked ? "ticked" : "unticked"`)
	if status != "unticked" {
		t.Errorf("the consent box starts %s", status)
	}
	if _, err := chromedp.RunResponse(v.ctx, click(`form[action$="/register"] button[type="submit"]`)); err != nil {
		t.Fatalf("registering: %v", err)
	}
	if got := v.text(".flash-ok"); got != msg(t, lang, "flash.registered") {
		t.Errorf("after registering: %q", got)
	}
	j.see(v, "visitor-ticket")
	j.took["visitor"] += time.Since(started)
	var regs struct {
		Registrations []struct {
			ID, Email, Token string
			Answers          map[string]string
		} `json:"registrations"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/events/"+eventID+"/registrations?q=viet", org, nil, &regs)
	if len(regs.Registrations) != 1 || regs.Registrations[0].Answers["organisation"] != "Viện Công nghệ Sinh học" {
		t.Fatalf("the registration kept: %+v", regs)
	}
	var ticket struct {
		Ticket struct{ Token string } `json:"ticket"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/tickets/"+regs.Registrations[0].ID, org, nil, &ticket)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/exhibitors/"+booth.Exhibitor.ID+"/leads", owner, map[string]any{"token": ticket.Ticket.Token}, nil)
	var leads struct {
		Leads []struct{ Name, Email, Phone string } `json:"leads"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/exhibitors/"+booth.Exhibitor.ID+"/leads", owner, nil, &leads)
	if len(leads.Leads) != 1 || leads.Leads[0].Name != "Đặng Quốc Việt" || leads.Leads[0].Email != "" || leads.Leads[0].Phone != "" {
		t.Errorf("the exhibitor's lead of a visitor who shared nothing: %+v", leads.Leads)
	}

	// The organizer promotes the second person waiting, raises the
	// workshop's capacity for the first, and rejects an exhibitor with a
	// reason.
	started = time.Now()
	o := j.open(newTab(t, ctx, s.base))
	asked := acceptConfirms(o)
	j.signIn(o, organizerEmail, organizerPassword)
	manage := "/manage/events/" + eventID
	o.load("opening the event", 200, manage, chromedp.Navigate(s.base+manage))
	o.load("opening the waitlist", 200, manage+"/waitlist", click(`nav.tabs a[href="`+manage+`/waitlist"]`))
	if got := o.eval(`[...document.querySelectorAll("tr[data-entry] strong")].map(e => e.textContent).join(", ")`); got != "Khách binh, Khách chi" {
		t.Errorf("the waitlist: %q", got)
	}
	j.see(o, "organizer-waitlist")
	o.load("promoting the second", 200, manage+"/waitlist", click(`tr[data-entry="`+waiting[1]+`"] form[action$="/promote"] button`))
	if got := asked.last(); !strings.Contains(got, "Khách chi") {
		t.Errorf("the promotion's confirmation: %q", got)
	}
	if got, want := o.text(".flash-ok"), strings.ReplaceAll(msg(t, lang, "flash.waiter_promoted"), "{{.Name}}", "Khách chi"); got != want {
		t.Errorf("after promoting: %q, want %q", got, want)
	}
	o.load("back to the event", 200, manage, chromedp.Navigate(s.base+manage))
	typeForm := `form[action="` + manage + `/types/` + workshop.TicketType.ID + `"]`
	o.do("opening the workshop's form", click(`details.row-edit:has(`+typeForm+`) summary`))
	o.setValue(typeForm+` input[name="capacity"]`, "3")
	o.load("raising the capacity", 200, manage, click(typeForm+` button[type="submit"]`))
	if got, want := o.text(".flash-ok"), strings.ReplaceAll(msg(t, lang, "flash.type_saved_promoted"), "{{.Count}}", "1"); got != want {
		t.Errorf("after raising the capacity: %q, want %q", got, want)
	}
	o.load("opening the waitlist", 200, manage+"/waitlist", chromedp.Navigate(s.base+manage+"/waitlist"))
	if got := o.text(".empty p"); got != msg(t, lang, "manage.waitlist.none") {
		t.Errorf("the waitlist once everyone has a seat: %q", got)
	}
	review := manage + "/exhibitors/" + pending.Exhibitor.ID
	o.load("opening the application", 200, review, chromedp.Navigate(s.base+review))
	if got := o.text("main"); !strings.Contains(got, "Robot hái chè") || !strings.Contains(got, "hello@robot.vn") {
		t.Errorf("the application's page: %q", got)
	}
	o.typeInto("#reject-reason", "Gian hàng robot đã đủ.")
	o.load("rejecting", 200, review, click(`form[action$="/reject"] button[type="submit"]`))
	if got := o.text("main"); !strings.Contains(got, "Gian hàng robot đã đủ.") {
		t.Errorf("the rejected application does not show its reason: %q", got)
	}
	j.see(o, "organizer-exhibitor")
	j.took["organizer"] += time.Since(started)

	// The admin invites a user and deactivates them.
	started = time.Now()
	a := j.open(newTab(t, ctx, s.base))
	acceptConfirms(a)
	j.signIn(a, adminEmail, adminPassword)
	a.load("opening the users", 200, "/admin/users", chromedp.Navigate(s.base+"/admin/users"))
	a.do("opening the new user form", click(`#new-user summary`))
	invited := "moi-" + tag + "@sprout.test"
	a.typeInto("#nu-name", "Hoàng Thu Trang")
	a.typeInto("#nu-email", invited)
	a.do("choosing the role", click(`#nu-role-organizer`))
	a.load("inviting", 200, "/admin/users", click(`form[action="/admin/users"] button[type="submit"]`))
	findRow := `[...document.querySelectorAll("tbody tr")].find(r => r.textContent.includes(` + jsString(invited) + `))`
	if got := a.eval(`(` + findRow + `)?.textContent || ""`); !strings.Contains(got, "Hoàng Thu Trang") {
		t.Fatalf("the invited user is not listed: %q", got)
	}
	j.see(a, "admin-users")
	a.eval(`(() => { (` + findRow + `).querySelector('form[action$="/deactivate"] button').id = "deactivate-invited"; return ""; })()`)
	a.load("deactivating", 200, "/admin/users", click(`#deactivate-invited`))
	if got := a.eval(`(` + findRow + `).textContent`); !strings.Contains(got, msg(t, lang, "admin.users.deactivated")) {
		t.Errorf("the deactivated user's row: %q", got)
	}
	// Both show in the audit log, newest first, in the admin's words.
	a.load("opening the audit log", 200, "/admin/audit", click(`nav.tabs a[href="/admin/audit"]`))
	done := a.eval(`[...document.querySelectorAll("tr[data-audit-action]")].slice(0, 2).map(r => r.dataset.auditAction + " " + r.textContent).join(" | ")`)
	if !strings.HasPrefix(done, "user.deactivate ") || !strings.Contains(done, msg(t, lang, "audit.action.user.deactivate")) ||
		!strings.Contains(done, "| user.create ") || !strings.Contains(done, msg(t, lang, "audit.action.user.create")) {
		t.Errorf("the audit log's latest entries: %q", done)
	}
	j.see(a, "admin-audit")
	j.took["admin"] += time.Since(started)

	// Gate staff register a walk-in and let them in.
	started = time.Now()
	g := j.open(newTab(t, ctx, s.base))
	j.signIn(g, "staff-"+tag+"@sprout.test", "mật khẩu dài "+tag)
	gate := "/events/" + eventID + "/gate"
	g.load("opening the gate", 200, gate, chromedp.Navigate(s.base+gate))
	g.typeInto("#gate-name", "Cổng A")
	g.do("starting", click(`#start`))
	g.do("opening the walk-in form", click(`details.walk-in summary`))
	g.typeInto("#wi-name", "Khách vãng lai "+tag)
	g.typeInto("#wi-phone", "0912 000 111")
	g.do("letting them in", click(`#walkin-form button[type="submit"]`))
	g.waitFor(`document.getElementById("result").dataset.scanResult === "ok"`)
	if got := g.text("#result-name"); got != "Khách vãng lai "+tag {
		t.Errorf("the walk-in's result names %q", got)
	}
	j.see(g, "staff-walk-in", "#result")
	j.took["staff"] += time.Since(started)
}
