package e2e_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhoneRegisterButtonLeadsToTheForm opens an event page with a
// long agenda at a phone's size, in Vietnamese and English: the form is
// below the first screen, a button in it leads there. On a desktop, where
// the form sits beside the agenda, the button is hidden.
func TestBrowserPhoneRegisterButtonLeadsToTheForm(t *testing.T) {
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	eventID, _ := s.publishEvent(t, org, 10)
	var ev struct {
		Event struct {
			Slug     string    `json:"slug"`
			StartsAt time.Time `json:"starts_at"`
		} `json:"event"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/events/"+eventID, "", nil, &ev)
	for i := range 8 {
		at := ev.Event.StartsAt.Add(time.Duration(i) * time.Hour)
		s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/agenda", org, map[string]any{
			"starts_at": at, "ends_at": at.Add(time.Hour), "room": "Hội trường A", "title": fmt.Sprintf("Phiên %d", i+1), "speakers": "Diễn giả"}, nil)
	}
	path := "/events/" + ev.Event.Slug

	for _, c := range []struct{ lang, label string }{{"vi", "Đăng ký ngay"}, {"en", "Register now"}} {
		b := newTab(t, browser, s.base)
		b.do("taking a phone's size", chromedp.EmulateViewport(412, 915, chromedp.EmulateMobile, chromedp.EmulateTouch))
		b.load("opening the event page in "+c.lang, 200, path, chromedp.Navigate(s.base+"/lang/"+c.lang+"?next="+url.QueryEscape(path)))
		if got := b.text(".register-jump a"); got != c.label {
			t.Errorf("%s: the button reads %q, want %q", c.lang, got, c.label)
		}
		if got := b.eval(`(() => {
			const r = document.querySelector(".register-jump a").getBoundingClientRect();
			return r.height > 0 && r.bottom <= innerHeight ? "shown" : "not in the first screen";
		})()`); got != "shown" {
			t.Errorf("%s: the button is %s", c.lang, got)
		}
		if got := b.eval(`String(document.getElementById("register").getBoundingClientRect().top > innerHeight)`); got != "true" {
			t.Errorf("%s: the form is in the first screen already: the agenda is too short for this test", c.lang)
		}
		b.do("tapping the button", click(".register-jump a"))
		b.waitFor(`(() => {
			const form = document.getElementById("register").getBoundingClientRect();
			const name = document.getElementById("name").getBoundingClientRect();
			return location.hash === "#register" && form.top >= 0 && form.top < innerHeight / 2 && name.bottom <= innerHeight;
		})()`)
	}

	b := newTab(t, browser, s.base)
	b.do("taking a desktop's size", chromedp.EmulateViewport(1366, 900))
	b.load("opening the event page on a desktop", 200, path, chromedp.Navigate(s.base+path))
	if got := b.eval(`getComputedStyle(document.querySelector(".register-jump")).display`); got != "none" {
		t.Errorf("on a desktop the button shows (display %q) beside the form", got)
	}
}
