package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/url"
	"slices"
	"sprout/internal/pdffont/pdftest"
	"strings"
	"sync"
	"testing"
	"time"
)

// courseWithPeople makes a course of three sessions (at least 60 %, the
// third required), signed by the centre's director, and registers Tuyết in
// English, An in Vietnamese, and Bình, then marks who attended: Tuyết and
// An complete it, Bình does not, and a ticket cancelled after attending
// all three is left out.
func (e *env) courseWithPeople(org string) (eventID string, secrets map[string]string) {
	e.t.Helper()
	eventID, typeID := e.techfest(org, 20, false)
	s := e.courseSessions(org, eventID, 3)
	e.authed(org, "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{
		"course": true, "min_percent": 60, "required_sessions": []string{s[2]},
		"signer_name": "TS. Nguyễn Văn Thành", "signer_title": "Giám đốc Trung tâm"}).status(200)
	tickets := map[string]string{}
	secrets = map[string]string{}
	for _, p := range []struct{ key, name, email, lang string }{
		{"tuyet", "Nguyễn Thị Ánh Tuyết", "tuyet@example.vn", "en"},
		{"an", "Trần Văn An", "an@example.vn", "vi"},
		{"binh", "Lê Thị Bình", "binh@example.vn", "vi"},
		{"gone", "Phạm Văn Hủy", "huy@example.vn", "vi"},
	} {
		r := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{
			"ticket_type_id": typeID, "name": p.name, "email": p.email, "lang": p.lang}).status(201)
		tickets[p.key] = r.str("ticket.id")
		u, _ := url.Parse(r.str("ticket.url"))
		secrets[p.key] = u.Path
	}
	for key, attended := range map[string][]int{"tuyet": {0, 1, 2}, "an": {1, 2}, "binh": {0, 1}, "gone": {0, 1, 2}} {
		for _, i := range attended {
			e.authed(org, "POST", "/api/v1/events/"+eventID+"/sessions/"+s[i]+"/attendance", map[string]any{"ticket_id": tickets[key]}).status(200)
		}
	}
	e.authed(org, "POST", "/api/v1/tickets/"+tickets["gone"]+"/cancel", nil).status(200)
	return eventID, secrets
}

// Issuing a course's certificates gives one to each person who completed
// it, even when two organizers issue at the same moment, and mails each
// once, in the holder's language, with the PDF; issuing again adds
// nothing. The holder downloads it from the ticket page.
func TestCourseCertificatesIssuedOnceAndMailed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, secrets := e.courseWithPeople(org)
		path := "/api/v1/events/" + eventID + "/certificates"
		before := e.authed(org, "GET", path, nil).status(200)
		if before.get("participants") != 3.0 || before.get("completed") != 2.0 || before.get("waiting") != 2.0 || before.get("certificates.0") != nil {
			t.Fatalf("before issuing: %s", before.body)
		}
		e.authed(e.staff(), "POST", path, nil).status(403)

		var wg sync.WaitGroup
		issued := make([]float64, 2)
		for i := range issued {
			wg.Go(func() { issued[i] = e.authed(org, "POST", path, nil).status(200).get("issued").(float64) })
		}
		wg.Wait()
		if issued[0]+issued[1] != 2 {
			t.Fatalf("two runs at once issued %v, want 2 in all", issued)
		}
		again := e.authed(org, "POST", path, nil).status(200)
		if again.get("issued") != 0.0 || again.get("mailed") != 0.0 || again.get("completed") != 2.0 {
			t.Fatalf("issuing again: %s", again.body)
		}
		after := e.authed(org, "GET", path, nil).status(200)
		if after.get("waiting") != 0.0 || after.get("certificates.1") == nil || after.get("certificates.2") != nil {
			t.Fatalf("after issuing: %s", after.body)
		}
		holders := []string{after.str("certificates.0.holder"), after.str("certificates.1.holder")}
		slices.Sort(holders)
		if holders[0] != "Nguyễn Thị Ánh Tuyết" || holders[1] != "Trần Văn An" {
			t.Fatalf("certificates went to %v", holders)
		}
		if m := e.mails("binh@example.vn"); len(m) != 1 || m[0].Template != "ticket" {
			t.Fatalf("Bình, who did not complete, got %d mails", len(m))
		}
		var code string
		for _, who := range []struct{ email, subject string }{
			{"tuyet@example.vn", "Your certificate for"}, {"an@example.vn", "Chứng nhận hoàn thành"},
		} {
			var certMails int
			for _, m := range e.mails(who.email) {
				if m.Template != "certificate" {
					continue
				}
				certMails++
				if !strings.HasPrefix(m.Subject, who.subject) || len(m.Attachments) != 1 || m.Attachments[0].ContentType != "application/pdf" {
					t.Fatalf("the certificate mail to %s: %q, %d attachments", who.email, m.Subject, len(m.Attachments))
				}
				if who.email == "tuyet@example.vn" {
					pdf, _ := m.Attachments[0].Content()
					text := pdftest.Text(t, pdf)
					code = strings.TrimSuffix(m.Attachments[0].Name, ".pdf")
					if !strings.Contains(text, "Nguyễn Thị Ánh Tuyết") || !strings.Contains(text, code) || !strings.Contains(text, "TS. Nguyễn Văn Thành") ||
						!strings.Contains(m.Text, "/verify/"+code) || !strings.Contains(m.Text, secrets["tuyet"]) {
						t.Fatalf("the mailed certificate of %s reads %q; the mail %q", code, text, m.Text)
					}
				}
			}
			if certMails != 1 {
				t.Fatalf("%s got %d certificate mails, want 1", who.email, certMails)
			}
		}

		b := e.browser("vi")
		page := b.do("GET", secrets["tuyet"], nil)
		if !strings.Contains(page.html, code) || !strings.Contains(page.html, secrets["tuyet"]+"/certificate.pdf") ||
			!strings.Contains(page.html, "Bạn đã dự 3/3 buổi.") {
			t.Fatalf("Tuyết's ticket page: %s", page.html)
		}
		res, pdf := b.download(secrets["tuyet"] + "/certificate.pdf")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(pdftest.Text(t, pdf), "Nguyễn Thị Ánh Tuyết") {
			t.Fatalf("the certificate from the ticket page: %d %v", res.StatusCode, res.Header)
		}
		if p := b.do("GET", secrets["binh"], nil); !strings.Contains(p.html, "Bạn đã dự 2/3 buổi.") || strings.Contains(p.html, "/certificate.pdf") {
			t.Fatalf("Bình's ticket page: %s", p.html)
		}
		if res, _ := b.download(secrets["binh"] + "/certificate.pdf"); res.StatusCode != 404 {
			t.Fatalf("Bình's certificate: %d, want 404", res.StatusCode)
		}
	})
}

// An organizer issues a course's certificates from its page, revokes one
// with a reason (none is refused beside the field, and changes nothing),
// corrects another, and downloads them all as one ZIP; the holder's page
// and the verify page follow.
func TestCourseCertificatesPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, secrets := e.courseWithPeople(org)
		b := e.signIn("btc@sprout.test", "organizer-pass")
		certsPage := "/manage/events/" + eventID + "/certificates"
		if p := b.do("GET", certsPage, nil); !strings.Contains(p.html, `id="issue-certs"`) || !strings.Contains(p.html, "Cấp chứng nhận (2)") ||
			!strings.Contains(p.html, "Chưa có chứng nhận nào.") {
			t.Fatalf("the page before issuing: %s", p.html)
		}
		if r := b.submit(certsPage, certsPage+"/issue", url.Values{}); r.code != 303 {
			t.Fatalf("issuing: %d %s", r.code, r.html)
		}
		p := b.do("GET", certsPage, nil)
		if !strings.Contains(p.html, "2 người đã hoàn thành khóa học: cấp mới 2 chứng nhận, xếp hàng gửi 2 email.") || strings.Contains(p.html, `id="issue-certs"`) {
			t.Fatalf("the page after issuing: %s", p.html)
		}
		list := e.authed(org, "GET", "/api/v1/events/"+eventID+"/certificates", nil).status(200)
		codes := map[string]string{}
		for i := range 2 {
			codes[list.str("certificates."+string(rune('0'+i))+".holder")] = list.str("certificates." + string(rune('0'+i)) + ".code")
		}
		tuyet, an := codes["Nguyễn Thị Ánh Tuyết"], codes["Trần Văn An"]
		for lang, want := range map[string][]string{"en": {"4.5 hours", "Signed by"}, "vi": {"4,5 giờ", "Người ký"}} {
			v := e.browser(lang).do("GET", "/verify/"+an, nil)
			if !strings.Contains(v.html, want[0]) || !strings.Contains(v.html, want[1]) || !strings.Contains(v.html, "TS. Nguyễn Văn Thành, Giám đốc Trung tâm") {
				t.Fatalf("the %s verify page does not give the hours and signer: %s", lang, v.html)
			}
		}

		bad := b.submit(certsPage, certsPage+"/"+tuyet+"/revoke", url.Values{"reason": {"  "}})
		if bad.code != 400 || !strings.Contains(bad.html, `aria-invalid="true" aria-errormessage="v-`+tuyet+`-reason-error"`) {
			t.Fatalf("revoking without a reason: %d %s", bad.code, bad.html)
		}
		if c := e.call("GET", "/api/v1/certificates/"+tuyet, nil).status(200); c.str("certificate.status") != "valid" {
			t.Fatalf("a refused revocation changed it: %s", c.body)
		}
		if r := b.submit(certsPage, certsPage+"/"+tuyet+"/revoke", url.Values{"reason": {"Điểm danh nhầm buổi thực hành"}}); r.code != 303 {
			t.Fatalf("revoking: %d %s", r.code, r.html)
		}
		v := e.browser("vi").do("GET", "/verify/"+tuyet, nil)
		if !strings.Contains(v.html, `data-status="revoked"`) || !strings.Contains(v.html, "Điểm danh nhầm buổi thực hành") {
			t.Fatalf("the verify page after revoking: %s", v.html)
		}
		holder := e.browser("vi")
		if p := holder.do("GET", secrets["tuyet"], nil); !strings.Contains(p.html, "Chứng nhận "+tuyet+" của bạn đã bị thu hồi.") {
			t.Fatalf("the ticket page of a revoked certificate: %s", p.html)
		}
		if res, _ := holder.download(secrets["tuyet"] + "/certificate.pdf"); res.StatusCode != 404 {
			t.Fatalf("a revoked certificate downloads: %d", res.StatusCode)
		}

		bad = b.submit(certsPage, certsPage+"/"+an+"/reissue", url.Values{"holder": {""}, "title": {""}})
		if bad.code != 400 || !strings.Contains(bad.html, `aria-errormessage="r-`+an+`-holder-error"`) ||
			!strings.Contains(bad.html, `aria-errormessage="r-`+an+`-title-error"`) {
			t.Fatalf("re-issuing with nothing: %d %s", bad.code, bad.html)
		}
		if r := b.submit(certsPage, certsPage+"/"+an+"/reissue", url.Values{"holder": {"Trần Văn Ân"}, "title": {"Techfest Việt Nam 2026"}}); r.code != 303 {
			t.Fatalf("re-issuing: %d %s", r.code, r.html)
		}
		old := e.call("GET", "/api/v1/certificates/"+an, nil).status(200)
		fixed := old.str("certificate.replaced_by")
		if old.str("certificate.status") != "revoked" || fixed == "" {
			t.Fatalf("the corrected certificate: %s", old.body)
		}
		if p := holder.do("GET", secrets["an"], nil); !strings.Contains(p.html, fixed) {
			t.Fatalf("An's ticket page does not give the correction %s", fixed)
		}
		if res, pdf := holder.download(secrets["an"] + "/certificate.pdf"); res.StatusCode != 200 ||
			!strings.Contains(pdftest.Text(t, pdf), "Trần Văn Ân") {
			t.Fatalf("An's corrected certificate: %d", res.StatusCode)
		}

		res, body := b.download(certsPage + ".zip")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("the ZIP: %d %v", res.StatusCode, res.Header)
		}
		z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range z.File {
			names = append(names, f.Name)
		}
		slices.Sort(names)
		want := []string{an + ".pdf", fixed + ".pdf", tuyet + ".pdf"}
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Fatalf("the ZIP holds %v, want %v", names, want)
		}

		// Another course's page reaches none of these.
		otherID, _ := e.techfest(org, 5, false)
		if r := b.submit(certsPage, "/manage/events/"+otherID+"/certificates/"+fixed+"/revoke", url.Values{"reason": {"x"}}); r.code != 404 {
			t.Fatalf("revoking through another event: %d", r.code)
		}
		if p := b.do("GET", "/manage/events/"+otherID+"/certificates", nil); !strings.Contains(p.html, "Sự kiện này không phải là khóa học") {
			t.Fatalf("a non-course's certificates page: %s", p.html)
		}
		e.authed(org, "POST", "/api/v1/events/"+otherID+"/certificates", nil).errorCode(400, "invalid")
		if r := e.browser("vi").do("GET", certsPage, nil); r.code/100 != 3 {
			t.Fatalf("the certificates page without signing in: %d", r.code)
		}
	})
}

// A course set to issue its certificates when it ends gets them from the
// janitor once the last session is over, and only once.
func TestCourseCertificatesIssuedWhenTheCourseEnds(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.courseWithPeople(org)
		course := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200)
		e.authed(org, "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{"course": true, "min_percent": 60,
			"required_sessions": course.get("event.course.required_sessions"), "auto_issue": true}).status(200)
		ctx := context.Background()
		e.app.JanitorPass(ctx)
		if l := e.authed(org, "GET", "/api/v1/events/"+eventID+"/certificates", nil).status(200); l.get("certificates.0") != nil {
			t.Fatalf("certificates before the course ended: %s", l.body)
		}
		e.clock.Advance(48 * time.Hour)
		e.app.JanitorPass(ctx)
		e.app.JanitorPass(ctx)
		l := e.authed(org, "GET", "/api/v1/events/"+eventID+"/certificates", nil).status(200)
		if l.get("certificates.1") == nil || l.get("certificates.2") != nil || l.get("waiting") != 0.0 {
			t.Fatalf("certificates after the course ended: %s", l.body)
		}
	})
}
