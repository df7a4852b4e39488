package e2e_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sprout/internal/demo"
	"sprout/internal/vn"
)

// messages are the page texts of each language, read from the same files
// the server reads, so that a journey asserts what a person reading that
// language sees.
var messages = sync.OnceValues(func() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range []string{"vi", "en"} {
		data, err := os.ReadFile(filepath.Join("..", "i18n", "locales", lang+".json"))
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, err
		}
		out[lang] = m
	}
	return out, nil
})

// msg is the text of key in lang with its {{.Name}} holes filled from
// pairs of name and value.
func msg(t *testing.T, lang, key string, pairs ...string) string {
	t.Helper()
	all, err := messages()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := all[lang][key]
	if !ok {
		t.Fatalf("no %s text for %s", lang, key)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{{."+pairs[i]+"}}", pairs[i+1])
	}
	return s
}

// journeyText is what the people of a journey type, per language.
type journeyText struct {
	title, problemLabel, problemLabelEdited, stageLabel, stage, deckLabel, problem, startup string
	topics, next, note                                                                      string
}

var journeyTexts = map[string]journeyText{
	"vi": {title: "Vườn ươm Hà Nội — Khóa 2027", problemLabel: "Vấn đề bạn giải quyết", problemLabelEdited: "Bạn giải quyết vấn đề gì cho ai?",
		stageLabel: "Giai đoạn", stage: "Có doanh thu", deckLabel: "Hồ sơ giới thiệu (PDF)",
		problem: "Nông dân miền núi bán rau qua ba tầng thương lái, mất nửa giá trị.", startup: "Nông Sản Xanh",
		topics: "Kênh bán hàng cho hợp tác xã", next: "Gặp 3 hợp tác xã ở Mê Linh", note: "Nhà sáng lập cần thêm người bán hàng"},
	"en": {title: "Hanoi Incubator — Class of 2027", problemLabel: "The problem you solve", problemLabelEdited: "Whose problem do you solve, and how?",
		stageLabel: "Stage", stage: "Earning revenue", deckLabel: "Pitch deck (PDF)",
		problem: "Small farms lose half their price to three layers of traders.", startup: "Green Harvest",
		topics: "Pricing for wholesale buyers", next: "Send the price list to two buyers", note: "The founder avoids talking about churn"},
}

// journey is one run of the incubator's people through their jobs, in one
// language at one window size, timed per role.
type journey struct {
	t    *testing.T
	s    *server
	lang string
	size struct {
		name          string
		width, height int64
		phone         bool
	}
	took map[string]time.Duration
}

// open gives a new browser profile at the journey's window size.
func (j *journey) open(b *tab) *tab {
	view := chromedp.EmulateViewport(j.size.width, j.size.height)
	if j.size.phone {
		view = chromedp.EmulateViewport(j.size.width, j.size.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.do("sizing the window", view)
	return b
}

// see checks the page the tab shows fits the window and, with SHOTS_DIR
// set, keeps a screenshot of it as journey-<name>-<lang>-<size>.png, the
// element at into scrolled to when given.
func (j *journey) see(b *tab, name string, into ...string) {
	j.t.Helper()
	// A page still laying out (a frame's PDF viewer starting) may be wider
	// for a moment; one that stays wider does not fit.
	measure := `document.documentElement.scrollWidth + " " + innerWidth`
	got := b.eval(measure)
	for deadline := time.Now().Add(2 * time.Second); !fits(got) && time.Now().Before(deadline); got = b.eval(measure) {
		time.Sleep(100 * time.Millisecond)
	}
	if !fits(got) {
		j.t.Errorf("%s in %s on a %s is wider than the window (scrollWidth, innerWidth: %s): %s", b.eval(`location.pathname`), j.lang, j.size.name, got,
			b.eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
	}
	dir := os.Getenv("SHOTS_DIR")
	if dir == "" || name == "" {
		return
	}
	for _, sel := range into {
		b.eval(`document.querySelector(` + jsString(sel) + `).scrollIntoView(); ""`)
	}
	// The browser's PDF viewer draws a deck a moment after its frame loads.
	time.Sleep(time.Second)
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		j.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "journey-"+name+"-"+j.lang+"-"+j.size.name+".png"), png, 0o644); err != nil {
		j.t.Fatal(err)
	}
}

// signIn signs a new profile in from the login page in the journey's
// language; every role lands on My work.
func (j *journey) signIn(b *tab, email, password string) {
	j.t.Helper()
	b.load("opening the login page", 200, "/login", chromedp.Navigate(b.base+"/lang/"+j.lang+"?next=/login"))
	b.typeInto("#email", email)
	b.typeInto("#password", password)
	b.load("signing in as "+email, 200, "/me", click(`main form button[type="submit"]`))
	if got := b.text("main h1"); got != msg(j.t, j.lang, "work.title") {
		j.t.Errorf("%s lands on %q, want My work", email, got)
	}
}

// TestBrowserJourneysOfEveryIncubatorRole walks the incubator's four roles
// through their jobs in Chromium, in Vietnamese and English, on a laptop
// and a phone: a founder signs up from the call's page, fills the
// application over two visits and submits it right after choosing the PDF;
// the organizer edits a question and its English label and gives the
// application to a reviewer; the reviewer reads the deck inline, scores and
// goes on with Save and next; the organizer decides from the ranking,
// exports the applications and assigns a mentor; the mentor logs a session;
// the founder reads the decision and the session's shared part. Every page
// on the way fits the window, and each role's time is logged.
func TestBrowserJourneysOfEveryIncubatorRole(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	deck := filepath.Join(t.TempDir(), "pitch-deck.pdf")
	if err := os.WriteFile(deck, demo.DeckPDF("Green Harvest", nil), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"vi", "en"} {
		for _, size := range sizes {
			t.Run(lang+"-"+size.name, func(t *testing.T) {
				j := &journey{t: t, s: s, lang: lang, size: size, took: map[string]time.Duration{}}
				j.run(browser, org, admin, deck)
				t.Logf("%s on a %s: founder %s, organizer %s, reviewer %s, mentor %s in the browser", lang, size.name,
					j.took["founder"].Round(100*time.Millisecond), j.took["organizer"].Round(100*time.Millisecond),
					j.took["reviewer"].Round(100*time.Millisecond), j.took["mentor"].Round(100*time.Millisecond))
			})
		}
	}
}

func (j *journey) run(ctx context.Context, org, admin, deck string) {
	t, s, lang, x := j.t, j.s, j.lang, journeyTexts[j.lang]
	tag := lang + "-" + j.size.name
	slug := "vuon-uom-" + tag
	now := s.now()
	var call, side, cohort struct {
		Program struct{ ID string } `json:"program"`
		Cohort  struct{ ID string } `json:"cohort"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": slug, "title": journeyTexts["vi"].title, "title_en": journeyTexts["en"].title,
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(14 * 24 * time.Hour), "review_deadline": now.Add(20 * 24 * time.Hour),
		"questions": []map[string]any{
			{"id": "problem", "label": journeyTexts["vi"].problemLabel, "label_en": journeyTexts["en"].problemLabel, "kind": "long_text", "required": true},
			{"id": "stage", "label": journeyTexts["vi"].stageLabel, "label_en": journeyTexts["en"].stageLabel, "kind": "choice",
				"options": []string{"Ý tưởng", "Có doanh thu"}, "options_en": []string{"Idea", "Earning revenue"}},
			{"id": "deck", "label": journeyTexts["vi"].deckLabel, "label_en": journeyTexts["en"].deckLabel, "kind": "file", "required": true},
		},
		"criteria": []map[string]any{
			{"id": "team", "label": "Đội ngũ", "label_en": "Team", "weight": 2},
			{"id": "market", "label": "Thị trường", "label_en": "Market", "weight": 1},
		},
	}, &call)
	programID := call.Program.ID
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/cohorts", org, map[string]any{"program_id": programID, "name": "Khóa 2027 · " + tag,
		"starts_at": now.AddDate(0, 0, -1), "ends_at": now.AddDate(0, 6, 0)}, &cohort)
	people := map[string]string{}
	for _, role := range []string{"reviewer", "mentor", "founder"} {
		var u struct {
			User struct{ ID string } `json:"user"`
		}
		s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{
			"email": role + "-" + tag + "@sprout.test", "password": "mật khẩu của " + role, "name": map[string]string{
				"reviewer": "Đỗ Thị Hồng Nhung", "mentor": "Vũ Thị Lan", "founder": "Lê Hoàng Nam"}[role],
			"lang": lang, "roles": []string{role}}, &u)
		people[role] = u.User.ID
	}
	// A second application, to another call, waits in the reviewer's queue
	// after the founder's.
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": "tang-toc-" + tag, "title": "Tăng tốc 2027", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(10 * 24 * time.Hour),
		"questions": []map[string]any{{"id": "idea", "label": "Ý tưởng", "kind": "long_text"}},
		"criteria":  []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 1}},
	}, &side)
	var other struct {
		Application struct{ ID string } `json:"application"`
	}
	second := s.login(t, "founder-"+tag+"@sprout.test", "mật khẩu của founder")
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs/"+side.Program.ID+"/applications", second, map[string]any{
		"startup_name": "River Robotics", "answers": map[string]any{"idea": "Drones for rice fields"}}, &other)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+other.Application.ID+"/submit", second, nil, nil)

	// The founder reads the call, signs up from its apply page and is
	// brought back to it.
	started := time.Now()
	apply := "/programs/" + slug + "/apply"
	email, password := "founder."+tag+"@example.vn", "nông sản xanh 2027"
	f := j.open(newTab(t, ctx, s.base))
	f.load("opening the apply page", 200, apply, chromedp.Navigate(s.base+"/lang/"+lang+"?next="+url.QueryEscape(apply)))
	if got := f.text("main"); !strings.Contains(got, x.title) {
		t.Errorf("the apply page does not name the call %q", x.title)
	}
	j.see(f, "")
	if _, err := chromedp.RunResponse(f.ctx, click(`main a[href^="/signup"]`)); err != nil {
		t.Fatalf("opening the sign-up page: %v", err)
	}
	j.see(f, "")
	f.typeInto("#name", "Phạm Minh Châu")
	f.typeInto("#email", email)
	f.typeInto("#password", password)
	f.load("signing up", 200, apply, click(`main form button[type="submit"]`))
	if got := f.eval(`document.documentElement.lang`); got != lang {
		t.Errorf("<html lang> back on the apply page: %q, want %s", got, lang)
	}
	f.load("starting the application", 200, apply, click(`form[action="`+apply+`"] button[type="submit"]`))
	if got := f.text(`label[for="q-problem"]`); !strings.HasPrefix(got, x.problemLabel) {
		t.Errorf("the first question reads %q, want %q", got, x.problemLabel)
	}
	f.typeInto("#startup_name", x.startup)
	f.typeInto("#q-problem", x.problem)
	typed := time.Now()
	saved := `document.getElementById("apply-status").dataset.kind === "ok"`
	f.waitFor(saved)
	time.Sleep(time.Until(typed.Add(time.Second)))
	f.waitFor(saved)
	if got, want := f.text("#apply-status"), strings.Split(msg(t, lang, "apply.saved_at"), "{{")[0]; !strings.HasPrefix(got, want) {
		t.Errorf("autosave status: %q, want %q…", got, want)
	}
	j.see(f, "")
	j.took["founder"] += time.Since(started)

	// The founder comes back in a new browser, finds the draft on My work
	// and finishes it: submitting without the deck is stopped beside it,
	// choosing the PDF and submitting at once sends it.
	started = time.Now()
	f = j.open(newTab(t, ctx, s.base))
	j.signIn(f, email, password)
	draft := `[data-block="founder"] li[data-status="draft"]`
	if got := f.text(draft); !strings.Contains(got, x.startup) || !strings.Contains(got, x.title) {
		t.Errorf("My work lists the draft as %q", got)
	}
	j.see(f, "")
	status := f.eval(`document.querySelector('` + draft + ` a.btn').getAttribute("href")`)
	appID := strings.TrimPrefix(status, "/programs/applications/")
	f.load("continuing the draft", 200, status, click(draft+` a.btn`))
	f.load("going back to the form", 200, apply, click(`.app-note a[href="`+apply+`"]`))
	if got := f.value("#q-problem"); got != x.problem {
		t.Errorf("the answer on the second visit: %q", got)
	}
	f.setValue("#q-stage", f.eval(`[...document.querySelectorAll("#q-stage option")].find(o => o.textContent.trim() === `+jsString(x.stage)+`).value`))
	f.do("submitting without the deck", click(`button[name="intent"][value="submit"]`))
	f.waitFor(`!document.getElementById("apply-errors").hidden`)
	missing := strings.ReplaceAll(msg(t, lang, "error.answer_required", "Label", x.deckLabel), "{{or .LabelEN .Label}}", x.deckLabel)
	if got := f.text(`#apply-errors a[href="#q-deck"]`); got != missing {
		t.Errorf("the summary: %q, want %q", got, missing)
	}
	if got := f.text("#question-deck .field-error"); got != missing {
		t.Errorf("beside the deck: %q, want %q", got, missing)
	}
	j.see(f, "")
	f.do("choosing the PDF", chromedp.SetUploadFiles(chromedp.CSS("#q-deck"), []string{deck}))
	f.loadAfterScript("submitting", 200, status, click(`button[name="intent"][value="submit"]`))
	if got := f.text(".flash-ok"); got != msg(t, lang, "flash.application_submitted") {
		t.Errorf("after submitting: %q", got)
	}
	if got := f.text(".app-status"); got != msg(t, lang, "app.status.submitted") {
		t.Errorf("the status: %q", got)
	}
	if got := f.text(".app-answers"); !strings.Contains(got, x.problem) || !strings.Contains(got, x.stage) || !strings.Contains(got, msg(t, lang, "apply.file_current")) {
		t.Errorf("the submitted answers: %q", got)
	}
	j.see(f, "founder-submitted")
	j.took["founder"] += time.Since(started)

	// The organizer rewords the first question and its English label, and
	// gives the application to the reviewer from its dossier, deck shown.
	started = time.Now()
	o := j.open(newTab(t, ctx, s.base))
	j.signIn(o, organizerEmail, organizerPassword)
	manage := "/manage/programs/" + programID
	o.load("opening the call", 200, manage, click(`[data-block="organizer"] a[href="`+manage+`"]`))
	o.load("opening the editor", 200, manage+"/edit", click(`nav.tabs a[href="`+manage+`/edit"]`))
	first := `#questions [data-row]:nth-child(1)`
	o.setValue(first+` input[name="q_label"]`, journeyTexts["vi"].problemLabelEdited)
	o.setValue(first+` input[name="q_label_en"]`, journeyTexts["en"].problemLabelEdited)
	o.load("saving the programme", 200, manage+"/edit", click(`#save-program`))
	if got := o.text(".flash-ok"); got != msg(t, lang, "flash.program_saved") {
		t.Errorf("after saving the programme: %q", got)
	}
	j.see(o, "")
	o.load("opening the applications", 200, manage, click(`nav.tabs a[href="`+manage+`"]`))
	dossier := manage + "/applications/" + appID
	o.load("opening the dossier", 200, dossier, click(`.table a[href="`+dossier+`"]`))
	o.waitFor(`document.querySelector("iframe.deck-view")?.contentDocument?.contentType === "application/pdf"`)
	if got := o.text("main"); !strings.Contains(got, x.problemLabelEdited) || !strings.Contains(got, x.problem) {
		t.Errorf("the dossier does not show the answer under the reworded question %q", x.problemLabelEdited)
	}
	o.setValue(`select[name="user_id"]`, people["reviewer"])
	o.load("assigning the reviewer", 200, dossier, click(`form[action$="/reviewers"] button[type="submit"]`))
	if got := o.text(".flash-ok"); got != msg(t, lang, "flash.reviewer_assigned") {
		t.Errorf("after assigning: %q", got)
	}
	j.see(o, "")
	j.took["organizer"] += time.Since(started)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+other.Application.ID+"/reviewers", org, map[string]any{"user_id": people["reviewer"]}, nil)

	// The reviewer finds two applications waiting, reads the deck beside
	// the sheet, scores, and goes on to the next with Save and next.
	started = time.Now()
	r := j.open(newTab(t, ctx, s.base))
	frames := watchFrames(r)
	j.signIn(r, "reviewer-"+tag+"@sprout.test", "mật khẩu của reviewer")
	if got := r.text(`[data-block="reviewer"] [data-count="todo"]`); got != msg(t, lang, "work.to_review", "Count", "2") {
		t.Errorf("the reviewer's count: %q", got)
	}
	sheet := "/reviews/" + appID
	r.load("opening the sheet", 200, sheet, click(`[data-block="reviewer"] li[data-app="`+appID+`"] a.btn`))
	checkDeck(t, r, frames, appID, "pitch-deck.pdf")
	if got := r.text(".deck-file figcaption"); got != x.deckLabel+" · pitch-deck.pdf" {
		t.Errorf("the deck is captioned %q", got)
	}
	if got := r.text(".answers"); !strings.Contains(got, x.problemLabelEdited) || !strings.Contains(got, x.problem) {
		t.Errorf("the sheet shows %q", got)
	}
	r.do("scoring",
		click(`label:has(> input[name="score_team"][value="4"])`),
		click(`label:has(> input[name="score_market"][value="5"])`))
	r.typeInto("#rv-comment", x.next)
	j.see(r, "reviewer-sheet")
	r.load("saving and going on", 200, "/reviews/"+other.Application.ID, click(`button[name="next"]`))
	if got := r.text(".flash-ok"); got != msg(t, lang, "flash.review_saved") {
		t.Errorf("after saving the review: %q", got)
	}
	if got := r.text("h1"); got != "River Robotics" {
		t.Errorf("the next sheet is %q", got)
	}
	r.do("scoring the second", click(`label:has(> input[name="score_team"][value="3"])`))
	r.load("saving the last", 200, "/reviews", click(`button[name="next"]`))
	if got := r.text(".flash-ok"); got != msg(t, lang, "flash.review_saved_last") {
		t.Errorf("after the last review: %q", got)
	}
	j.see(r, "")
	j.took["reviewer"] += time.Since(started)

	// The organizer accepts the application into the cohort from the
	// ranking, exports the applications, and gives the startup a mentor.
	started = time.Now()
	o.load("opening the ranking", 200, manage+"/ranking", click(`nav.tabs a[href="`+manage+`/ranking"]`))
	if got := o.text("table.ranking tbody tr:first-child"); !strings.Contains(got, x.startup) || !strings.Contains(got, "4.333") {
		t.Errorf("the ranking's first row: %q, want %s at 4.333", got, x.startup)
	}
	o.do("choosing the application", click(`#sel-`+appID))
	o.setValue("#bk-decision", "accepted")
	o.setValue("#bk-cohort", cohort.Cohort.ID)
	o.load("deciding", 200, manage+"/ranking", click(`fieldset.bulk button[type="submit"]`))
	if got := o.text(".flash-ok"); got != msg(t, lang, "flash.decided") {
		t.Errorf("after deciding: %q", got)
	}
	j.see(o, "organizer-ranking")
	o.load("back to the applications", 200, manage, click(`nav.tabs a[href="`+manage+`"]`))
	o.do("exporting", click(`a[data-export][href$="/applications.csv"]`))
	o.waitFor(`document.querySelector(".export-progress [role=status]")?.textContent === document.querySelector("[data-export-box]").dataset.done`)
	csv, err := chromedp.Run(o.ctx, chromedp.Evaluate[string](`fetch(document.querySelector('a[data-export][href$="/applications.csv"]').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("reading the export: %v", err)
	}
	for _, want := range []string{x.startup, x.problem, x.stage, x.problemLabelEdited, msg(t, lang, "selection.status.accepted")} {
		if !strings.Contains(csv, want) {
			t.Errorf("the CSV export lacks %q", want)
		}
	}
	board := "/manage/cohorts/" + cohort.Cohort.ID
	o.load("opening the cohort", 200, board, chromedp.Navigate(s.base+board))
	o.setValue("#m-"+appID, people["mentor"])
	o.load("assigning the mentor", 200, board, click(`form[action="`+board+`/startups/`+appID+`/mentors"] button`))
	j.see(o, "")
	j.took["organizer"] += time.Since(started)

	// The mentor finds the startup on My work and logs a session.
	started = time.Now()
	m := j.open(newTab(t, ctx, s.base))
	j.signIn(m, "mentor-"+tag+"@sprout.test", "mật khẩu của mentor")
	if got := m.text(`[data-block="mentor"] li[data-startup="` + appID + `"]`); !strings.Contains(got, x.startup) {
		t.Errorf("the mentor's My work: %q", got)
	}
	m.load("opening the mentor's page", 200, "/mentor", click(`[data-block="mentor"] .work-head a[href="/mentor"]`))
	day := now.In(vn.Zone).AddDate(0, 0, -1).Format("2006-01-02")
	form := "#ss-" + appID
	m.setValue(form+"-date", day)
	m.typeInto(form+"-topics", x.topics)
	m.typeInto(form+"-next_steps", x.next)
	m.typeInto(form+"-private_note", x.note)
	m.load("saving the session", 200, "/mentor", click(`form[action="/mentor/startups/`+appID+`/sessions"] button[type="submit"]`))
	if got := m.text(".flash-ok"); got != msg(t, lang, "flash.session_logged") {
		t.Errorf("after logging the session: %q", got)
	}
	j.see(m, "mentor-session")
	j.took["mentor"] += time.Since(started)

	// The founder comes back, reads the decision, and the session's shared
	// part without the mentor's private note.
	started = time.Now()
	f = j.open(newTab(t, ctx, s.base))
	j.signIn(f, email, password)
	decided := `[data-block="founder"] li[data-app="` + appID + `"] [data-decision]`
	if got := f.text(decided); got != msg(t, lang, "app.status.accepted") {
		t.Errorf("My work shows the decision as %q", got)
	}
	f.load("opening the application", 200, status, click(`[data-block="founder"] li[data-app="`+appID+`"] a`))
	if got, want := f.text(".app-decision h2"), msg(t, lang, "app.decision")+": "+msg(t, lang, "app.status.accepted"); got != want {
		t.Errorf("the decision: %q, want %q", got, want)
	}
	j.see(f, "founder-decision")
	f.load("opening the cohort page", 200, "/cohort/reports", chromedp.Navigate(s.base+"/cohort/reports"))
	sessions := f.text(".session")
	if !strings.Contains(sessions, x.topics) || !strings.Contains(sessions, x.next) || !strings.Contains(sessions, "Vũ Thị Lan") {
		t.Errorf("the founder's session: %q", sessions)
	}
	if strings.Contains(f.text("main"), x.note) {
		t.Error("the founder sees the mentor's private note")
	}
	j.see(f, "founder-cohort", ".session")
	j.took["founder"] += time.Since(started)
}
