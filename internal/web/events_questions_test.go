package web_test

import (
	"context"
	"net/url"
	"sprout/internal/tickets"
	"strings"
	"testing"
)

// An organizer asks visitors more on the registration form: the builder
// marks every mistake on its row and keeps the rows; the form then asks
// the questions in the reader's language, refuses a required one left
// empty beside it, and the ticket keeps the answers, from the form and
// from the API alike.
func TestRegistrationQuestions(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		b := e.signIn("btc@sprout.test", "organizer-pass")
		manage := "/manage/events/" + eventID
		bad := b.submit(manage, manage+"/questions", url.Values{
			"eq_id": {"organisation", "", ""}, "eq_label": {"Đơn vị công tác", "", "Loại hình đơn vị"},
			"eq_label_en": {"Organisation", "Job title", "Type of organisation"}, "eq_kind": {"text", "text", "choice"},
			"eq_required": {"1", "", ""}, "eq_at_gate": {"1", "", ""}, "eq_role": {"organisation", "", ""},
			"eq_options": {"", "", "Doanh nghiệp"}, "eq_options_en": {"", "", ""},
		})
		if bad.code != 400 || !strings.Contains(bad.html, `id="f-questions-2-label" aria-invalid="true"`) ||
			!strings.Contains(bad.html, `id="f-questions-3-options" aria-invalid="true"`) || !strings.Contains(bad.html, "Job title") {
			t.Fatalf("a bad set of questions: %d", bad.code)
		}
		if ev := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200); ev.get("event.questions") != nil {
			t.Fatalf("a refused set of questions was kept: %s", ev.body)
		}
		ok := b.submit(manage, manage+"/questions", url.Values{
			"eq_id": {"organisation", "", "interests"}, "eq_label": {"Đơn vị công tác", "Loại hình đơn vị", "Lĩnh vực quan tâm"},
			"eq_label_en": {"Organisation", "Type of organisation", "Interests"}, "eq_kind": {"text", "choice", "multi"},
			"eq_required": {"1", "", ""}, "eq_at_gate": {"1", "", ""}, "eq_role": {"organisation", "", ""},
			"eq_options": {"", "Doanh nghiệp\nStartup", "AI\nNông nghiệp"}, "eq_options_en": {"", "Company\nStartup", "AI\nFarming"},
		})
		if ok.code != 303 {
			t.Fatalf("saving the questions: %d", ok.code)
		}
		ev := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200)
		kindID, _ := ev.get("event.questions.1.id").(string)
		if ev.get("event.questions.0.label_en") != "Organisation" || ev.get("event.questions.2.kind") != "multi" || kindID == "" {
			t.Fatalf("the saved questions: %s", ev.body)
		}
		slug := ev.str("event.slug")

		// The form in English asks in English; a missing required answer is
		// marked beside its question, with the rest kept.
		visitor := e.browser("en")
		page := visitor.do("GET", "/events/"+slug, nil)
		for _, want := range []string{`<label for="q_organisation">Organisation`, `autocomplete="organization"`, `<option value="Doanh nghiệp" >Company</option>`,
			`name="q_interests" value="Nông nghiệp"`, "Farming"} {
			if !strings.Contains(page.html, want) {
				t.Fatalf("the English form lacks %q", want)
			}
		}
		missing := visitor.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{"ticket_type_id": {typeID},
			"name": {"Jane Doe"}, "email": {"jane@example.com"}, "q_" + kindID: {"Startup"}})
		if missing.code != 400 || !strings.Contains(missing.html, "Please answer “Organisation” before submitting.") ||
			!strings.Contains(missing.html, `value="" aria-invalid="true" aria-errormessage="q_organisation-error"`) ||
			!strings.Contains(missing.html, `value="Startup" selected`) {
			t.Fatalf("a missing required answer: %d", missing.code)
		}
		done := visitor.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{"ticket_type_id": {typeID},
			"name": {"Jane Doe"}, "email": {"jane@example.com"}, "q_organisation": {"Green Farm Ltd"}, "q_" + kindID: {"Startup"},
			"q_interests": {"AI", "Nông nghiệp"}})
		if done.code != 303 {
			t.Fatalf("registering with answers: %d %s", done.code, done.html)
		}
		list, _, err := e.app.Tickets.List(context.Background(), tickets.Query{EventID: eventID, Limit: 10})
		if err != nil || len(list) != 1 || list[0].Answers["organisation"] != "Green Farm Ltd" || list[0].Answers["interests"] != "AI; Nông nghiệp" ||
			list[0].Answers[kindID] != "Startup" {
			t.Fatalf("the ticket's answers: %+v, %v", list, err)
		}

		// The API takes the same answers: a list for several choices.
		r := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Trần An",
			"email": "an@example.vn", "answers": map[string]any{"organisation": "Viện Công nghệ", "interests": []string{"AI"}}}).status(201)
		if r.get("ticket.answers.interests") != "AI" {
			t.Fatalf("the API registration's answers: %s", r.body)
		}
		e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Lê Bình",
			"email": "binh@example.vn", "answers": map[string]any{"organisation": "X", kindID: "Quán cà phê"}}).errorCode(400, "invalid")

		// The organizer reads the answers in the list and the export.
		regs := b.do("GET", manage+"/registrations", nil)
		if !strings.Contains(regs.html, "Đơn vị công tác: Green Farm Ltd") || !strings.Contains(regs.html, "Lĩnh vực quan tâm: AI; Nông nghiệp") {
			t.Fatal("the registrations list does not show the answers")
		}
		csv := b.do("GET", manage+"/registrations.csv", nil).html
		if head := strings.SplitN(csv, "\r\n", 2)[0]; !strings.HasSuffix(head, ",Đơn vị công tác,Loại hình đơn vị,Lĩnh vực quan tâm") ||
			!strings.Contains(csv, ",Green Farm Ltd,Startup,AI; Nông nghiệp") {
			t.Fatalf("the export's answers: %q", csv)
		}

		// At the gate, staff see only the answer marked for the gate.
		jane := list[0]
		scan := e.authed(org, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"ticket_id": jane.ID, "gate": "Cổng A"}).status(200)
		if scan.get("ticket.answers.organisation") != "Green Farm Ltd" || scan.get("ticket.answers.interests") != nil {
			t.Fatalf("the gate's answer: %s", scan.body)
		}
		gate := b.do("GET", "/events/"+eventID+"/gate", nil)
		if !strings.Contains(gate.html, `data-questions="{&#34;organisation&#34;:{&#34;label&#34;:&#34;Đơn vị công tác&#34;`) {
			t.Fatal("the gate page does not name the gate's question")
		}

		// An exhibitor's lead carries the organisation only with consent.
		owner := e.member("chu.gian@sprout.test")
		x := e.booth(org, owner, eventID, "Công ty Mầm Xanh")
		shared := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Hà",
			"email": "ha@example.vn", "share_contact": true, "answers": map[string]any{"organisation": "Hợp tác xã Rau sạch"}}).status(201)
		private := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Kiên",
			"email": "kien@example.vn", "answers": map[string]any{"organisation": "Bí mật"}}).status(201)
		for _, r := range []*resp{shared, private} {
			e.authed(owner, "POST", "/api/v1/exhibitors/"+x+"/leads", map[string]any{"token": r.str("ticket.token")}).status(201)
		}
		leads := e.signIn("chu.gian@sprout.test", "member-password").do("GET", "/exhibitors/"+x+"/leads.csv", nil).html
		if !strings.Contains(leads, "Hợp tác xã Rau sạch") || strings.Contains(leads, "Bí mật") {
			t.Fatalf("the leads export: %q", leads)
		}
	})
}
