package e2e_test

import (
	"net/http"
	"os"
	"path/filepath"
	"sprout/internal/demo"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The people of an incubator call, each signing in with their own browser
// profile.
const (
	founderEmail     = "nha.sang.lap@sprout.test"
	founderPassword  = "ươm mầm khởi nghiệp"
	founderName      = "Phạm Minh Châu"
	reviewerEmail    = "giam.khao@sprout.test"
	reviewerPassword = "chấm điểm công tâm"
	reviewerName     = "Đỗ Thị Hồng Nhung"
	secondEmail      = "second.founder@sprout.test"
	secondPassword   = "a second startup applies"
	secondStartup    = "River Robotics"
	callSlug         = "vuon-uom-ha-noi-2026"
	callTitle        = "Vườn ươm Hà Nội — Khóa 2026"
)

// The founder's answers.
const (
	startupName = "Nông Sản Xanh"
	problem     = "Nông dân miền núi bán rau qua ba tầng thương lái, mất nửa giá trị."
	revenue     = "1250000000"
)

// waitSaved waits for the form's autosave to have stored everything typed
// up to typedAt: a save starts at most 800 ms after the last keystroke, so
// an "ok" seen later than that is the last save's.
func (b *tab) waitSaved(typedAt time.Time) {
	b.t.Helper()
	const saved = `document.getElementById("apply-status").dataset.kind === "ok"`
	b.waitFor(saved)
	time.Sleep(time.Until(typedAt.Add(time.Second)))
	b.waitFor(saved)
	if got := b.text("#apply-status"); !strings.HasPrefix(got, "Đã lưu lúc ") {
		b.t.Fatalf("autosave status: %q, want %q", got, "Đã lưu lúc …")
	}
}

// TestBrowserApplyReviewDecide follows one application through the
// incubator's pages: a founder fills it over two visits and submits it, an
// organizer gives it to a reviewer, the reviewer scores it, the organizer
// accepts it from the ranking, and the founder reads the decision.
func TestBrowserApplyReviewDecide(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	var reviewer struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	for _, u := range []struct {
		email, password, name, role string
		out                         any
	}{
		{founderEmail, founderPassword, founderName, "founder", nil},
		{reviewerEmail, reviewerPassword, reviewerName, "reviewer", &reviewer},
		{secondEmail, secondPassword, "Lê Hoàng Nam", "founder", nil},
	} {
		s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{
			"email": u.email, "password": u.password, "name": u.name, "lang": "vi", "roles": []string{u.role},
		}, u.out)
	}
	var call struct {
		Program struct {
			ID string `json:"id"`
		} `json:"program"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": callSlug, "title": callTitle,
		"opens_at": s.now().Add(-time.Hour), "closes_at": s.now().Add(14 * 24 * time.Hour),
		"questions": []map[string]any{
			{"id": "problem", "label": "Vấn đề bạn giải quyết", "kind": "long_text", "required": true},
			{"id": "revenue", "label": "Doanh thu năm qua (VND)", "kind": "number"},
			{"id": "deck", "label": "Hồ sơ giới thiệu (PDF)", "kind": "file", "required": true},
		},
		"criteria": []map[string]any{
			{"id": "team", "label": "Đội ngũ", "weight": 2},
			{"id": "market", "label": "Thị trường", "weight": 1},
		},
	}, &call)
	deck := filepath.Join(t.TempDir(), "gioi-thieu.pdf")
	if err := os.WriteFile(deck, demo.DeckPDF("Nong San Xanh", nil), 0o644); err != nil {
		t.Fatal(err)
	}

	// The founder finds the call and starts the application.
	founder := newTab(t, browser, s.base)
	founder.signIn(founderEmail, founderPassword, "/programs")
	founder.load("opening the call", 200, "/programs/"+callSlug, click(`a.program-card[href="/programs/`+callSlug+`"]`))
	if got := founder.text(".program-state"); got != "Đang nhận hồ sơ" {
		t.Errorf("state of the open call: %q", got)
	}
	apply := "/programs/" + callSlug + "/apply"
	founder.load("opening the application", 200, apply, click(`.program-call a[href="`+apply+`"]`))
	founder.load("starting the application", 200, apply, click(`form[action="`+apply+`"] button[type="submit"]`))
	founder.typeInto("#startup_name", startupName)
	founder.typeInto("#q-problem", problem)
	founder.waitSaved(time.Now())
	// The form's action is where the application lives; the status page
	// is found there later.
	status := founder.eval(`document.querySelector("form[data-autosave]").getAttribute("action")`)
	appID := strings.TrimPrefix(status, "/programs/applications/")

	// Leaving without pressing any button, then coming back through the
	// founder's list, finds the answers kept.
	founder.load("opening my applications", 200, "/programs/mine", chromedp.Navigate(s.base+"/programs/mine"))
	if got := founder.text(".table tbody tr"); !strings.Contains(got, startupName) || !strings.Contains(got, "Bản nháp") {
		t.Errorf("my applications after leaving the form: %q, want %q as a draft", got, startupName)
	}
	founder.load("opening the draft", 200, status, click(`.table a[href="`+status+`"]`))
	founder.load("going back to the form", 200, apply, click(`.app-note a[href="`+apply+`"]`))
	if got := founder.value("#startup_name"); got != startupName {
		t.Errorf("startup name on the second visit: %q, want %q", got, startupName)
	}
	if got := founder.value("#q-problem"); got != problem {
		t.Errorf("answer on the second visit: %q, want %q", got, problem)
	}

	// Submitting without the required deck is stopped in the page, with
	// the question marked and a summary linking to it.
	founder.typeInto("#q-revenue", revenue)
	founder.do("submitting without the deck", click(`button[name="intent"][value="submit"]`))
	founder.waitFor(`!document.getElementById("apply-errors").hidden`)
	const missing = "Vui lòng trả lời “Hồ sơ giới thiệu (PDF)” trước khi nộp."
	if got := founder.text(`#apply-errors a[href="#q-deck"]`); got != missing {
		t.Errorf("the summary: %q, want %q", got, missing)
	}
	if got := founder.text("#question-deck .field-error"); got != missing {
		t.Errorf("the message beside the deck: %q, want %q", got, missing)
	}
	if got := founder.eval(`document.getElementById("q-deck").getAttribute("aria-invalid") + " " + location.pathname`); got != "true "+apply {
		t.Errorf("the deck's field and the page: %q", got)
	}

	// A file that is no PDF is refused beside the question.
	notes := filepath.Join(t.TempDir(), "ghi-chu.pdf")
	if err := os.WriteFile(notes, []byte("Ghi chú, không phải PDF."), 0o644); err != nil {
		t.Fatal(err)
	}
	founder.do("choosing a text file", chromedp.SetUploadFiles(chromedp.CSS("#q-deck"), []string{notes}))
	founder.waitFor(`document.querySelector("#question-deck .field-error")?.textContent === "Tệp đính kèm phải là tệp PDF."`)
	if got := founder.text(`#apply-errors a[href="#q-deck"]`); got != "Tệp đính kèm phải là tệp PDF." {
		t.Errorf("the summary after a text file: %q", got)
	}

	// Choosing the PDF uploads it with its progress shown, with no upload
	// button to press, and clears the error. The page keeps what the
	// progress bar showed in the tab's session storage.
	founder.eval(recordProgress)
	founder.do("choosing the PDF", chromedp.SetUploadFiles(chromedp.CSS("#q-deck"), []string{deck}))
	founder.waitFor(`document.querySelector("#question-deck .attachment a")?.textContent === "gioi-thieu.pdf"`)
	if got := founder.eval(`[document.getElementById("q-deck").getAttribute("aria-invalid"), document.querySelector(".field-error"), document.getElementById("apply-errors").hidden].join(" ")`); got != "  true" {
		t.Errorf("the errors after the upload (aria-invalid, message, summary hidden): %q", got)
	}
	if got := founder.text("#question-deck .attachment"); got != "Đã đính kèm: gioi-thieu.pdf" {
		t.Errorf("the deck after choosing it: %q", got)
	}
	founder.load("submitting", 200, status, click(`button[name="intent"][value="submit"]`))
	if got := founder.eval(`sessionStorage.getItem("progress")`); !strings.Contains(got, "Đang tải lên…") || !strings.HasSuffix(got, "|100 Đã tải lên tệp PDF.") {
		t.Errorf("the progress shown: %q", got)
	}
	if got := founder.text(".flash-ok"); got != "Đã nộp hồ sơ. Bạn có thể theo dõi trạng thái tại đây." {
		t.Errorf("after submitting: %q", got)
	}
	if got := founder.text(".app-status"); got != "Đã nộp" {
		t.Errorf("status after submitting: %q, want %q", got, "Đã nộp")
	}
	answers := founder.text(".app-answers")
	for _, want := range []string{problem, revenue, "Xem tệp đã tải lên"} {
		if !strings.Contains(answers, want) {
			t.Errorf("submitted answers lack %q: %q", want, answers)
		}
	}

	// The organizer gives the application to the reviewer.
	organizer := newTab(t, browser, s.base)
	manage := "/manage/programs/" + call.Program.ID
	organizer.signIn(organizerEmail, organizerPassword, "/manage/programs")
	organizer.load("opening the call", 200, manage, click(`a[href="`+manage+`"]`))
	dossier := manage + "/applications/" + appID
	organizer.load("opening the application", 200, dossier, click(`.table a[href="`+dossier+`"]`))
	organizer.do("choosing the reviewer", chromedp.SetValue(chromedp.CSS(`select[name="user_id"]`), reviewer.User.ID))
	organizer.load("assigning the reviewer", 200, dossier, click(`form[action$="/reviewers"] button[type="submit"]`))
	if got := organizer.text(".flash-ok"); got != "Đã giao hồ sơ cho giám khảo." {
		t.Errorf("after assigning: %q", got)
	}
	if got := organizer.text("ul.plain"); got != reviewerName {
		t.Errorf("reviewers of the application: %q, want %q", got, reviewerName)
	}

	// The dossier shows the deck, and fits every window.
	organizer.waitFor(`document.querySelector("iframe.deck-view").contentDocument?.contentType === "application/pdf"`)
	checkWidths(t, organizer, dossier, `document.querySelector("a[data-file]") !== null`, "")

	// A second founder applies in English and presses submit right after
	// choosing the PDF; the form fits every window before.
	second := newTab(t, browser, s.base)
	second.signIn(secondEmail, secondPassword, "/programs")
	second.load("opening the call", 200, apply, chromedp.Navigate(s.base+apply))
	second.load("starting the application", 200, apply, click(`form[action="`+apply+`"] button[type="submit"]`))
	checkWidths(t, second, apply, `document.getElementById("q-deck") !== null`, "")
	second.load("switching to English", 200, apply, chromedp.Navigate(s.base+"/lang/en?next="+apply))
	second.typeInto("#startup_name", secondStartup)
	second.typeInto("#q-problem", "Farm drones cost too much for small plots.")
	secondStatus := second.eval(`document.querySelector("form[data-autosave]").getAttribute("action")`)
	secondID := strings.TrimPrefix(secondStatus, "/programs/applications/")
	second.eval(recordProgress)
	second.do("choosing the PDF", chromedp.SetUploadFiles(chromedp.CSS("#q-deck"), []string{deck}))
	second.load("submitting", 200, secondStatus, click(`button[name="intent"][value="submit"]`))
	if got := second.eval(`sessionStorage.getItem("progress")`); !strings.Contains(got, "Uploading…") || !strings.HasSuffix(got, "|100 PDF uploaded.") {
		t.Errorf("the progress shown in English: %q", got)
	}
	if got := second.text(".app-status"); got != "Submitted" {
		t.Errorf("the second application's status: %q", got)
	}
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+secondID+"/reviewers", org, map[string]any{"user_id": reviewer.User.ID}, nil)

	// The reviewer reads the deck beside the form, scores, and goes on
	// with Save and next.
	rev := newTab(t, browser, s.base)
	rev.signIn(reviewerEmail, reviewerPassword, "/reviews")
	if got := rev.text("[data-progress]"); got != "0 / 2" {
		t.Errorf("reviewer's progress before scoring: %q, want 0 / 2", got)
	}
	if got := rev.text(`.table tbody tr`); !strings.Contains(got, startupName) || !strings.Contains(got, "Chưa chấm") {
		t.Errorf("reviewer's queue: %q, want %q to score", got, startupName)
	}
	sheet := "/reviews/" + appID
	frames := watchFrames(rev)
	rev.load("opening the scoring sheet", 200, sheet, click(`a[href="`+sheet+`"]`))
	if got := rev.text(".answers"); !strings.Contains(got, problem) {
		t.Errorf("the sheet lacks the founder's answer: %q", got)
	}
	checkDeck(t, rev, frames, appID, "gioi-thieu.pdf")
	rev.do("scoring",
		click(`label:has(> input[name="score_team"][value="4"])`),
		click(`label:has(> input[name="score_market"][value="5"])`))
	rev.typeInto("#rv-comment", "Đội ngũ hiểu nông dân; thị trường rõ.")
	next := "/reviews/" + secondID
	rev.load("saving the review and going on", 200, next, click(`button[name="next"]`))
	if got := rev.text(".flash-ok"); got != "Đã lưu đánh giá." {
		t.Errorf("after saving the review: %q", got)
	}
	if got := rev.text("h1"); got != secondStartup {
		t.Errorf("the next sheet: %q, want %q", got, secondStartup)
	}
	rev.do("scoring the second",
		click(`label:has(> input[name="score_team"][value="2"])`),
		click(`label:has(> input[name="score_market"][value="3"])`))
	rev.load("saving the last review", 200, "/reviews", click(`button[name="next"]`))
	if got := rev.text(".flash-ok"); got != "Đã lưu đánh giá. Đây là hồ sơ cuối cùng trong danh sách của bạn." {
		t.Errorf("after the last review: %q", got)
	}
	if got := rev.text("[data-progress]"); got != "2 / 2" {
		t.Errorf("reviewer's progress after scoring: %q, want 2 / 2", got)
	}
	checkWidths(t, rev, sheet, `document.querySelector("iframe.deck-view").contentDocument?.contentType === "application/pdf"`, "review-deck")

	// The organizer reads the weighted score, (2×4 + 1×5) / 3, and accepts.
	organizer.load("opening the ranking", 200, manage+"/ranking", click(`nav.tabs a[href="`+manage+`/ranking"]`))
	const row = "table.ranking tbody tr:first-child"
	if got := organizer.text(row); !strings.Contains(got, startupName) || !strings.Contains(got, "4.333") {
		t.Errorf("ranking: %q, want %q with 4.333", got, startupName)
	}
	organizer.do("choosing the application and the decision",
		click(row+` input[name="ids"]`),
		chromedp.SetValue(chromedp.CSS("#bk-decision"), "accepted"))
	organizer.load("deciding", 200, manage+"/ranking", click(`fieldset.bulk button[type="submit"]`))
	if got := organizer.text(".flash-ok"); got != "Đã lưu quyết định và gửi thư cho người nộp." {
		t.Errorf("after deciding: %q", got)
	}
	if got := organizer.text(row + " .badge"); got != "Được chấp nhận" {
		t.Errorf("status in the ranking: %q, want %q", got, "Được chấp nhận")
	}

	// The founder comes back another day and reads the decision.
	founder.load("signing out", 200, "/", click(`header form[action="/logout"] button`))
	founder.signIn(founderEmail, founderPassword, status)
	if got := founder.text(".app-status"); got != "Được chọn" {
		t.Errorf("status after the decision: %q, want %q", got, "Được chọn")
	}
	if got := founder.text(".app-decision h2"); got != "Kết quả: Được chọn" {
		t.Errorf("decision shown to the founder: %q, want %q", got, "Kết quả: Được chọn")
	}
}
