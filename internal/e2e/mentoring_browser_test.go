package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sprout/internal/vn"
)

const (
	mentorEmail    = "co.van@sprout.test"
	mentorPassword = "đồng hành cùng startup"
	mentorName     = "Vũ Thị Lan"
	cohortFounder  = "chu.trai@sprout.test"
	cohortPassword = "trang trại thông minh"
)

// sessionTexts are what a mentor types, per language.
var sessionTexts = map[string]struct{ topics, next, note, saved, shared, activity string }{
	"vi": {"Kênh bán hàng cho hợp tác xã", "Gặp 3 hợp tác xã ở Mê Linh", "Nhà sáng lập cần thêm người bán hàng",
		"Đã lưu buổi cố vấn.", "Các buổi cố vấn", "Hoạt động cố vấn"},
	"en": {"Pricing for wholesale buyers", "Send the price list to two buyers", "The founder avoids talking about churn",
		"Session saved.", "Mentoring sessions", "Mentoring activity"},
}

// TestBrowserMentorLogsSessionFounderSeesSharedPart: an organizer assigns a
// mentor, the mentor logs a session in each language, the founder reads its
// shared part and never the private note, and the organizer sees the
// activity. Every cohort page fits a desktop and a phone in both languages.
func TestBrowserMentorLogsSessionFounderSeesSharedPart(t *testing.T) {
	t.Parallel()
	started := time.Now()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	for _, u := range []struct{ email, password, name, role string }{
		{mentorEmail, mentorPassword, mentorName, "mentor"},
		{cohortFounder, cohortPassword, "Lý Văn Trại", "founder"},
	} {
		s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{
			"email": u.email, "password": u.password, "name": u.name, "lang": "vi", "roles": []string{u.role}}, nil)
	}
	var call, cohort, app struct {
		Program     struct{ ID string } `json:"program"`
		Cohort      struct{ ID string } `json:"cohort"`
		Application struct{ ID string } `json:"application"`
	}
	now := s.now()
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": "khoa-co-van-2026", "title": "Khóa cố vấn 2026", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(240 * time.Hour),
		"questions": []map[string]any{{"id": "problem", "label": "Vấn đề", "kind": "long_text", "required": true}},
		"criteria":  []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 1}},
	}, &call)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/cohorts", org, map[string]any{"program_id": call.Program.ID, "name": "Khóa 1",
		"starts_at": now.AddDate(0, -1, 0), "ends_at": now.AddDate(0, 5, 0)}, &cohort)
	founderToken := s.login(t, cohortFounder, cohortPassword)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs/"+call.Program.ID+"/applications", founderToken, map[string]any{
		"startup_name": "Trại Thông Minh", "answers": map[string]any{"problem": "Trang trại thiếu cảm biến rẻ"}}, &app)
	appID := app.Application.ID
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+appID+"/submit", founderToken, nil, nil)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+appID+"/decision", org, map[string]any{
		"decision": "accepted", "cohort_id": cohort.Cohort.ID}, nil)

	board := "/manage/cohorts/" + cohort.Cohort.ID
	organizer := newTab(t, browser, s.base)
	organizer.signIn(organizerEmail, organizerPassword, board)
	organizer.do("choosing the mentor", chromedp.SetValue(chromedp.CSS("#m-"+appID), organizer.eval(
		`[...document.querySelectorAll("#m-`+appID+` option")].find(o => o.textContent === "`+mentorName+`").value`)))
	organizer.load("assigning the mentor", 200, board, click(`form[action="`+board+`/startups/`+appID+`/mentors"] button`))

	mentor := newTab(t, browser, s.base)
	mentor.signIn(mentorEmail, mentorPassword, "/mentor")
	founder := newTab(t, browser, s.base)
	founder.signIn(cohortFounder, cohortPassword, "/cohort/reports")

	local := now.In(vn.Zone)
	for i, lang := range []string{"vi", "en"} {
		x := sessionTexts[lang]
		day := time.Date(local.Year(), local.Month(), local.Day()-3+i, 0, 0, 0, 0, vn.Zone)
		for _, b := range []*tab{mentor, founder, organizer} {
			b.do("switching to "+lang, chromedp.Navigate(b.base+"/lang/"+lang+"?next="+url.QueryEscape("/")))
		}
		mentor.load("opening the mentor's page", 200, "/mentor", chromedp.Navigate(s.base+"/mentor"))
		// A session with no topics is refused with the field marked.
		mentor.load("saving without topics", 400, "/mentor/startups/"+appID+"/sessions",
			click(`form[action="/mentor/startups/`+appID+`/sessions"] button[type="submit"]`))
		if got := mentor.eval(`document.querySelector("#ss-` + appID + `-topics").getAttribute("aria-invalid") || ""`); got != "true" {
			t.Fatalf("%s: the empty topics are not marked: %q", lang, got)
		}
		dateSel := "#ss-" + appID + "-date"
		mentor.do("typing the session", chromedp.SetValue(chromedp.CSS(dateSel), day.Format("2006-01-02")),
			chromedp.SendKeys(chromedp.CSS("#ss-"+appID+"-topics"), x.topics),
			chromedp.SendKeys(chromedp.CSS("#ss-"+appID+"-next_steps"), x.next),
			chromedp.SendKeys(chromedp.CSS("#ss-"+appID+"-private_note"), x.note))
		mentor.load("saving the session", 200, "/mentor", click(`form[action="/mentor/startups/`+appID+`/sessions"] button[type="submit"]`))
		if got := mentor.text(".flash-ok"); got != x.saved {
			t.Errorf("%s: after saving: %q, want %q", lang, got, x.saved)
		}
		if got := mentor.text("#s-" + appID + " .session"); !strings.Contains(got, x.topics) || !strings.Contains(got, x.note) {
			t.Errorf("%s: the mentor's latest session: %q", lang, got)
		}

		founder.load("opening the founder's cohort page", 200, "/cohort/reports", chromedp.Navigate(s.base+"/cohort/reports"))
		page := founder.text("main")
		if !strings.Contains(page, x.shared) || !strings.Contains(founder.text(".session"), x.topics) ||
			!strings.Contains(founder.text(".session"), x.next) || !strings.Contains(founder.text(".session"), mentorName) {
			t.Errorf("%s: the founder's latest session: %q", lang, founder.text(".session"))
		}
		if strings.Contains(page, x.note) || strings.Contains(page, sessionTexts["vi"].note) {
			t.Errorf("%s: the founder sees the private note", lang)
		}

		organizer.load("opening the cohort board", 200, board, chromedp.Navigate(s.base+board))
		if got, want := organizer.text(".mentoring-activity tbody tr"), "Trại Thông Minh "+string(rune('1'+i)); !strings.HasPrefix(got, want) {
			t.Errorf("%s: activity row %q, want it to start %q", lang, got, want)
		}
		if !strings.Contains(organizer.text("main"), x.note) {
			t.Errorf("%s: the organizer does not see the private note", lang)
		}
	}

	// No cohort page is wider than the window, on a desktop or a phone, in
	// either language.
	pages := map[*tab][]string{mentor: {"/mentor"}, founder: {"/cohort/reports", "/cohort/profile/" + appID},
		organizer: {"/manage/cohorts", board}}
	for _, size := range []struct{ w, h int64 }{{1366, 900}, {412, 915}} {
		for _, lang := range []string{"vi", "en"} {
			for b, paths := range pages {
				b.do("resizing", chromedp.EmulateViewport(size.w, size.h))
				for _, p := range paths {
					b.load("opening "+p, 200, p, chromedp.Navigate(s.base+"/lang/"+lang+"?next="+url.QueryEscape(p)))
					if got := b.eval(`String(document.documentElement.scrollWidth) + " " + String(innerWidth)`); !fits(got) {
						t.Errorf("%s in %s at %dx%d is wider than the window: scrollWidth, innerWidth = %s", p, lang, size.w, size.h, got)
					}
				}
			}
		}
	}
	t.Logf("the mentor's journey took %s in the browser", time.Since(started).Round(100*time.Millisecond))
}
