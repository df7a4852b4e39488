package e2e_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sprout/internal/vn"
)

// The two window sizes every incubator page must fit.
var windowSizes = []struct {
	name          string
	width, height int64
}{{"desktop", 1366, 900}, {"phone", 412, 915}}

// fits checks that the page at path, in lang, is no wider than the window
// at each size, and when SHOTS_DIR is set and name is given saves a
// screenshot of it there with sel scrolled into view, named
// name-lang-size.png.
func (b *tab) fits(path, lang, name, sel string) {
	b.t.Helper()
	b.load("opening "+path+" in "+lang, 200, path, chromedp.Navigate(b.base+"/lang/"+lang+"?next="+url.QueryEscape(path)))
	for _, size := range windowSizes {
		view := chromedp.EmulateViewport(size.width, size.height)
		if size.name == "phone" {
			view = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		b.do("resizing to "+size.name, view)
		wide := b.eval(`document.documentElement.scrollWidth <= innerWidth ? "" : document.documentElement.scrollWidth + " > " + innerWidth`)
		if wide != "" {
			b.t.Errorf("%s in %s at %s is wider than the window: %s (%s)", path, lang, size.name, wide, b.eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
		}
		dir := os.Getenv("SHOTS_DIR")
		if dir == "" || name == "" {
			continue
		}
		b.eval(`document.querySelector(` + jsString(sel) + `).scrollIntoView(); ""`)
		shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			b.t.Fatalf("screenshot of %s: %v", path, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+lang+"-"+size.name+".png"), shot, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do("back to the desktop size", chromedp.EmulateViewport(1366, 900))
}

// setValue sets a field's value as choosing it would, change event included.
func (b *tab) setValue(sel, value string) {
	b.t.Helper()
	b.eval(`(() => { const el = document.querySelector(` + jsString(sel) + `); el.value = ` + jsString(value) +
		`; el.dispatchEvent(new Event("change", {bubbles: true})); return ""; })()`)
}

func jsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// TestBrowserOrganizerEditsProgramme: an organizer changes a question of a
// programme already open and gives it an English label, adds a question and
// moves it first, removes another, and saves; a founder reading in English
// then sees the English label on the apply page, in the new order.
func TestBrowserOrganizerEditsProgramme(t *testing.T) {
	t.Parallel()
	started := time.Now()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{
		"email": "brian@sprout.test", "password": "english founder", "name": "Brian Lee", "lang": "en", "roles": []string{"founder"},
	}, nil)
	var call struct {
		Program struct {
			ID string `json:"id"`
		} `json:"program"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": "khoa-mua-thu", "title": "Vườn ươm mùa thu", "opens_at": s.now().Add(-time.Hour), "closes_at": s.now().Add(14 * 24 * time.Hour),
		"questions": []map[string]any{
			{"id": "problem", "label": "Vấn đề", "kind": "long_text", "required": true},
			{"id": "stage", "label": "Giai đoạn", "kind": "choice", "options": []string{"Ý tưởng", "MVP"}},
		},
		"criteria": []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 1}},
	}, &call)
	edit := "/manage/programs/" + call.Program.ID + "/edit"

	o := newTab(t, browser, s.base)
	o.signIn(organizerEmail, organizerPassword, edit)
	o.do("resizing", chromedp.EmulateViewport(1366, 900))
	first := `#questions [data-row]:nth-child(1)`
	if got := o.text(first + " .builder-num"); got != "Câu hỏi 1" {
		t.Errorf("the first row is headed %q", got)
	}
	o.setValue(first+` input[name="q_label"]`, "")
	o.typeInto(first+` input[name="q_label"]`, "Bạn giải quyết vấn đề gì?")
	o.typeInto(first+` input[name="q_label_en"]`, "What problem do you solve?")
	o.do("removing the second question", click(`#questions [data-row]:nth-child(2) [data-remove]`))
	o.do("adding a question", click(`#add-question`))
	added := `#questions [data-row]:nth-child(2)`
	o.typeInto(added+` input[name="q_label"]`, "Tên website")
	o.typeInto(added+` input[name="q_label_en"]`, "Website address")
	o.setValue(added+` select[name="q_kind"]`, "url")
	o.do("moving it first", click(added+` [data-move="-1"]`))
	if got := o.text(first + " .builder-num"); got != "Câu hỏi 1" || o.value(first+` input[name="q_label"]`) != "Tên website" {
		t.Errorf("after moving up, the first row is %q holding %q", got, o.value(first+` input[name="q_label"]`))
	}
	o.load("saving the programme", 200, edit, click(`#save-program`))
	if got := o.text(".flash-ok"); got != "Đã lưu chương trình." {
		t.Errorf("after saving: %q", got)
	}
	if got := o.value(`#questions [data-row]:nth-child(2) input[name="q_label_en"]`); got != "What problem do you solve?" {
		t.Errorf("the second question's English label after saving: %q", got)
	}
	for _, lang := range []string{"vi", "en"} {
		o.fits(edit, lang, "program-editor", "#questions")
		o.fits(edit, lang, "program-call", "main")
		o.fits("/manage/programs/"+call.Program.ID, lang, "program-applications", "main")
	}

	// Brian reads in English.
	f := newTab(t, browser, s.base)
	apply := "/programs/khoa-mua-thu/apply"
	login := "/login?next=" + url.QueryEscape(apply)
	f.load("opening the login page in English", 200, login, chromedp.Navigate(s.base+"/lang/en?next="+url.QueryEscape(login)))
	f.typeInto("#email", "brian@sprout.test")
	f.typeInto("#password", "english founder")
	f.load("signing in", 200, apply, click(`main form button[type="submit"]`))
	f.load("in English", 200, apply, chromedp.Navigate(s.base+"/lang/en?next="+url.QueryEscape(apply)))
	f.load("starting the application", 200, apply, click(`form[action="`+apply+`"] button[type="submit"]`))
	labels := f.eval(`[...document.querySelectorAll(".question > label")].map(l => l.textContent.trim().replace(/\s+/g, " ")).join(" | ")`)
	if labels != "Website address | What problem do you solve? *" {
		t.Errorf("the English apply page asks %q", labels)
	}
	for _, lang := range []string{"en", "vi"} {
		f.fits(apply, lang, "apply-edited", "main")
	}

	// The founder submits; the organizer's other pages of the programme,
	// the dossier among them, fit the window too.
	status := f.eval(`document.querySelector("form[data-autosave]").getAttribute("action")`)
	appID := strings.TrimPrefix(status, "/programs/applications/")
	brian := s.login(t, "brian@sprout.test", "english founder")
	s.mustAPI(t, http.StatusOK, "PUT", "/api/v1/applications/"+appID, brian, map[string]any{"version": 1, "startup_name": "Bee Robotics",
		"answers": map[string]any{"problem": "Warehouses lose a tenth of their stock"}}, nil)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+appID+"/submit", brian, nil, nil)
	for _, lang := range []string{"vi", "en"} {
		f.fits(status, lang, "", "main")
		f.fits("/programs/mine", lang, "", "main")
		for _, path := range []string{"/manage/programs", "/manage/programs/" + call.Program.ID + "/reviewers",
			"/manage/programs/" + call.Program.ID + "/ranking"} {
			o.fits(path, lang, "", "main")
		}
		o.fits("/manage/programs/"+call.Program.ID+"/applications/"+appID, lang, "program-dossier", "main")
	}
	t.Logf("the organizer's edit, the English apply page and the width checks took %s in the browser", time.Since(started).Round(100*time.Millisecond))
}

// TestBrowserOrganizerCreatesProgramme: an organizer builds a new
// programme's form in the builder, rows added and filled in the page; a
// first try with mistakes comes back with each marked on its own input of
// its row and every row kept, and the corrected form creates the programme
// with exactly those questions and criteria.
func TestBrowserOrganizerCreatesProgramme(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	o := newTab(t, browser, s.base)
	o.signIn(organizerEmail, organizerPassword, "/manage/programs/new")
	o.do("resizing", chromedp.EmulateViewport(1366, 900))
	opens, closes := s.now().Add(-time.Hour), s.now().Add(14*24*time.Hour)
	o.typeInto("#f-slug", "khoa-dong")
	o.setValue("#f-opens_at", opens.In(vn.Zone).Format("2006-01-02T15:04"))
	o.setValue("#f-closes_at", closes.In(vn.Zone).Format("2006-01-02T15:04"))
	q1, q2 := `#questions [data-row]:nth-child(1)`, `#questions [data-row]:nth-child(2)`
	o.typeInto(q1+` input[name="q_label"]`, "Vấn đề bạn giải quyết")
	o.setValue(q1+` select[name="q_kind"]`, "long_text")
	o.do("adding a question", click(`#add-question`))
	o.setValue(q2+` select[name="q_kind"]`, "choice")
	o.setValue(q2+` textarea[name="q_options"]`, `Ý tưởng\nMVP`)
	o.typeInto(q2+` input[name="q_help"]`, "Chọn một")
	c1, c2 := `#criteria [data-row]:nth-child(1)`, `#criteria [data-row]:nth-child(2)`
	o.typeInto(c1+` input[name="c_label"]`, "Đội ngũ")
	o.typeInto(c1+` input[name="c_weight"]`, "0")
	o.do("adding a criterion", click(`#add-criterion`))
	o.typeInto(c2+` input[name="c_label"]`, "Thị trường")
	o.typeInto(c2+` input[name="c_weight"]`, "1")
	o.typeInto(c2+` input[name="c_a5"]`, "Có doanh thu")

	o.load("sending it without a title", 400, "/manage/programs", click(`#create-program`))
	for _, id := range []string{"f-title", "f-questions-2-label", "f-criteria-1-weight"} {
		if o.eval(`document.getElementById("`+id+`")?.getAttribute("aria-invalid") || ""`) != "true" ||
			o.eval(`document.querySelector('[data-error-summary] a[href="#`+id+`"]') ? "y" : ""`) == "" {
			t.Errorf("%s is not marked and linked from the summary", id)
		}
	}
	if got := o.eval(`String(document.querySelectorAll('[aria-invalid="true"]').length)`); got != "3" {
		t.Errorf("%s inputs marked, want 3", got)
	}
	if o.value(q2+` textarea[name="q_options"]`) != "Ý tưởng\nMVP" || o.value(c2+` input[name="c_a5"]`) != "Có doanh thu" ||
		o.eval(`document.querySelector(`+jsString(q2+` .builder-options`)+`).hidden ? "hidden" : ""`) != "" {
		t.Error("the rows sent are not shown again as typed")
	}
	o.do("resizing to a phone", chromedp.EmulateViewport(412, 915, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if wide := o.eval(`document.documentElement.scrollWidth <= innerWidth ? "" : "wide"`); wide != "" {
		t.Error("the form with its mistakes is wider than a phone")
	}
	o.do("back to the desktop size", chromedp.EmulateViewport(1366, 900))

	o.typeInto("#f-title", "Vườn ươm mùa đông")
	o.typeInto("#f-questions-2-label", "Giai đoạn")
	o.setValue("#f-criteria-1-weight", "2")
	res, err := chromedp.RunResponse(o.ctx, click(`#create-program`))
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(res.URL, s.base+"/manage/programs/")
	if res.Status != http.StatusOK || id == res.URL || strings.Contains(id, "/") {
		t.Fatalf("creating the programme led to %d %s", res.Status, res.URL)
	}
	var got struct {
		Program struct {
			Questions []struct {
				Label, Kind, Help string
				Options           []string
				Required          bool
			}
			Criteria []struct {
				Label   string
				Weight  float64
				Anchors map[string]string
			}
		}
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/programs/"+id, org, nil, &got)
	qs, cs := got.Program.Questions, got.Program.Criteria
	if len(qs) != 2 || qs[0].Label != "Vấn đề bạn giải quyết" || qs[0].Kind != "long_text" || qs[1].Label != "Giai đoạn" ||
		qs[1].Kind != "choice" || strings.Join(qs[1].Options, "|") != "Ý tưởng|MVP" || qs[1].Help != "Chọn một" {
		t.Errorf("questions stored: %+v", qs)
	}
	if len(cs) != 2 || cs[0].Label != "Đội ngũ" || cs[0].Weight != 2 || cs[1].Label != "Thị trường" || cs[1].Weight != 1 ||
		cs[1].Anchors["5"] != "Có doanh thu" {
		t.Errorf("criteria stored: %+v", cs)
	}
	for _, lang := range []string{"vi", "en"} {
		o.fits("/manage/programs/new", lang, "program-new", "#questions")
	}
}
