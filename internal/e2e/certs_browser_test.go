package e2e_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A trainer takes a participant's attendance at both sessions of a course
// by filming the ticket with the phone's camera; the organizer issues the
// course's certificates from its page; anyone opening the verify address
// reads that the certificate is valid, and, once the organizer revokes it
// with a reason, that it is revoked and why.
func TestBrowserTrainerScansOrganizerIssuesAnyoneVerifies(t *testing.T) {
	t.Parallel()
	g := newGateScene(t)
	start := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	var sessions []string
	for i, title := range []string{"Tổng quan chuyển đổi số", "Thực hành lập kế hoạch"} {
		var out struct {
			Session struct {
				ID string `json:"id"`
			} `json:"session"`
		}
		at := start.Add(time.Duration(i) * 3 * time.Hour)
		g.s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+g.eventID+"/agenda", g.org, map[string]any{
			"starts_at": at, "ends_at": at.Add(2 * time.Hour), "title": title}, &out)
		sessions = append(sessions, out.Session.ID)
	}
	g.s.mustAPI(t, http.StatusOK, "PUT", "/api/v1/events/"+g.eventID+"/course", g.org, map[string]any{
		"course": true, "min_percent": 100, "signer_name": "TS. Nguyễn Văn Thành", "signer_title": "Giám đốc Trung tâm"}, nil)

	gate := "/events/" + g.eventID + "/gate"
	var b *tab
	for i, session := range sessions {
		if i == 0 {
			b = g.openGate(t)
		} else {
			b.load("opening the gate again", 200, gate, chromedp.Navigate(g.s.base+gate))
		}
		b.do("picking session "+session, chromedp.SetValue(chromedp.CSS("#session"), session), chromedp.SetValue(chromedp.CSS("#gate-name"), gateName))
		b.do("starting the scanner", click("#start"))
		if result, ticketID := b.waitResult(); result != "ok" || ticketID != g.ticket.ID {
			t.Fatalf("session %d: the gate shows %q for ticket %q, want ok for %q", i+1, result, ticketID, g.ticket.ID)
		}
		if got := b.text("#result-title"); got != "Đã điểm danh" {
			t.Errorf("session %d: the answer reads %q", i+1, got)
		}
		if list := g.attendance(t, session); len(list) != 1 || list[0].TicketID != g.ticket.ID || list[0].Source != "scan" {
			t.Fatalf("session %d's attendance: %+v", i+1, list)
		}
	}

	org := newTab(t, newBrowser(t), g.s.base)
	certsPage := "/manage/events/" + g.eventID + "/certificates"
	org.signIn(organizerEmail, organizerPassword, certsPage)
	confirmed := acceptConfirms(org)
	if got := org.text("[data-completed]"); got != "1" {
		t.Fatalf("the certificates page counts %q who completed the course, want 1", got)
	}
	org.load("issuing the certificates", 200, certsPage, click("#issue-certs"))
	if got := org.text("[data-issued]"); got != "1" {
		t.Fatalf("after issuing, the page counts %q certificates", got)
	}
	code := org.eval(`document.querySelector("[data-cert]").dataset.cert`)
	if got := confirmed.last(); !strings.Contains(got, "Cấp 1 chứng nhận") {
		t.Errorf("issuing asked %q", got)
	}
	shot(t, org, "certs-course-issued")

	anyone := newTab(t, newBrowser(t), g.s.base)
	verify := "/verify/" + code
	anyone.load("opening the verify address", 200, verify, chromedp.Navigate(g.s.base+verify))
	// A stranger's browser asks for English.
	if got := anyone.text("[data-valid]"); got != msg(t, "en", "verify.valid") || anyone.text(".holder") != holderName {
		t.Fatalf("the verify page reads %q for %q", got, anyone.text(".holder"))
	}
	shot(t, anyone, "certs-verify-valid")

	org.do("opening the revoke form", click(`[data-cert="`+code+`"] details:last-of-type summary`))
	org.typeInto("#v-"+code+"-reason", "Điểm danh nhầm buổi thực hành")
	org.load("revoking", 200, certsPage, click(`[data-cert="`+code+`"] details:last-of-type button[type="submit"]`))
	if got := confirmed.last(); !strings.Contains(got, "Thu hồi chứng nhận "+code) {
		t.Errorf("revoking asked %q", got)
	}
	if got := org.text(`[data-cert="` + code + `"] [data-status]`); got != "Đã thu hồi" {
		t.Errorf("after revoking, the list shows %q", got)
	}

	anyone.load("opening the verify address again", 200, verify, chromedp.Navigate(g.s.base+verify))
	if got := anyone.text("[data-revoked]"); !strings.Contains(got, "This certificate was revoked on") || anyone.text("[data-reason]") != "Điểm danh nhầm buổi thực hành" {
		t.Fatalf("the verify page after revoking reads %q", got)
	}
	shot(t, anyone, "certs-verify-revoked")
}

// shot keeps a screenshot of the tab as name.png when SHOTS_DIR is set.
func shot(t *testing.T, b *tab, name string) {
	t.Helper()
	dir := os.Getenv("SHOTS_DIR")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
