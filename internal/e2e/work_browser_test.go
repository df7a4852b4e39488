package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignUpFromTheCallAndFindItOnMyWork is a founder who reads the
// site in English, signs up from a programme's apply page, is brought back
// to it, starts an application, signs out, and after signing in again finds
// English and the application on My work, on a page no wider than a phone.
func TestBrowserSignUpFromTheCallAndFindItOnMyWork(t *testing.T) {
	t.Parallel()
	started := time.Now()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	const slug, startup = "uom-tao-2027", "Green Sprout Analytics"
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": slug, "title": "Ươm tạo Công nghệ 2027", "opens_at": s.now().Add(-time.Hour), "closes_at": s.now().Add(10 * 24 * time.Hour),
		"questions": []map[string]any{{"id": "problem", "label": "Vấn đề bạn giải quyết", "kind": "long_text", "required": true}},
		"criteria":  []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 1}},
	}, nil)
	apply := "/programs/" + slug + "/apply"

	b := newTab(t, browser, s.base)
	b.do("holding the phone", chromedp.EmulateViewport(412, 915, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.load("opening the apply page in English", 200, apply, chromedp.Navigate(s.base+"/lang/en?next="+url.QueryEscape(apply)))
	if got := b.eval(`document.querySelector('main a[href^="/signup"]').getAttribute("href")`); !strings.HasPrefix(got, "/signup?next=") {
		t.Fatalf("sign-up link on the apply page: %q", got)
	}
	if _, err := chromedp.RunResponse(b.ctx, click(`main a[href^="/signup"]`)); err != nil {
		t.Fatalf("opening the sign-up page: %v", err)
	}
	b.typeInto("#name", "Lê Hoàng Nam")
	b.typeInto("#email", "nam.le@example.vn")
	b.typeInto("#password", "green sprout 2027")
	b.load("signing up", 200, apply, click(`main form button[type="submit"]`))
	if got := b.eval(`document.documentElement.lang`); got != "en" {
		t.Errorf("<html lang> back on the apply page: %q, want en", got)
	}
	b.load("starting the application", 200, apply, click(`form[action="`+apply+`"] button[type="submit"]`))
	b.typeInto("#startup_name", startup)
	b.waitFor(`document.getElementById("apply-status").dataset.kind === "ok"`)
	time.Sleep(time.Second)
	b.waitFor(`document.getElementById("apply-status").dataset.kind === "ok"`)

	// On a phone the navigation opens from its menu button.
	b.do("opening the menu", click(`label.nav-burger`))
	b.load("signing out", 200, "/", click(`header form[action="/logout"] button`))
	b.do("opening the menu", click(`label.nav-burger`))
	b.load("opening the login page", 200, "/login", click(`header a[href="/login"]`))
	b.typeInto("#email", "nam.le@example.vn")
	b.typeInto("#password", "green sprout 2027")
	b.load("signing in again", 200, "/me", click(`main form button[type="submit"]`))
	if got := b.eval(`document.documentElement.lang`); got != "en" {
		t.Errorf("<html lang> after signing in again: %q, want en", got)
	}
	if got := b.text("main h1"); got != "My work" {
		t.Errorf("heading after signing in: %q, want My work", got)
	}
	if got := b.text(`[data-block="founder"] li[data-status="draft"]`); !strings.Contains(got, startup) || !strings.Contains(got, "Ươm tạo Công nghệ 2027") ||
		!strings.Contains(got, "Deadline:") {
		t.Errorf("My work lists %q, want the draft of %s with its deadline", got, startup)
	}
	if got := b.eval(`document.querySelector('header a[href="/me"]').textContent`); got != "My work" {
		t.Errorf("navigation link: %q", got)
	}
	if wide := b.eval(`document.documentElement.scrollWidth + " " + innerWidth`); wide != "412 412" {
		t.Errorf("My work on a phone: scrollWidth and innerWidth %s, want no wider than the window", wide)
	}
	t.Logf("the journey took %s in the browser", time.Since(started).Round(time.Millisecond))
}
