package e2e_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRegistrationMarksEveryMistakeAndClearsTheCorrected sends the
// event's registration form with two mistakes, in Vietnamese and in English:
// both fields come back marked, and correcting one clears its mark, its
// message and its summary line while the other stays marked.
func TestBrowserRegistrationMarksEveryMistakeAndClearsTheCorrected(t *testing.T) {
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	eventID, _ := s.publishEvent(t, s.organizer(t), 10)
	var ev struct {
		Event struct {
			Slug string `json:"slug"`
		} `json:"event"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/events/"+eventID, "", nil, &ev)
	path := "/events/" + ev.Event.Slug

	started := time.Now()
	for _, c := range []struct{ lang, name, email, summary string }{
		{"vi", "Vui lòng nhập họ và tên.", "Email không hợp lệ.", "Chưa gửi được: hãy sửa các mục dưới đây."},
		{"en", "Please enter your full name.", "This email is not valid.", "Not sent yet: please correct the items below."},
	} {
		b := newTab(t, browser, s.base)
		b.load("opening the event page in "+c.lang, 200, path, chromedp.Navigate(s.base+"/lang/"+c.lang+"?next="+url.QueryEscape(path)))
		b.typeInto("#email", "anh@")
		b.load("sending the form with no name and a bad email", 400, path+"/register", click(`form[action$="/register"] button[type=submit]`))

		if got := b.eval(`[...document.querySelectorAll('[aria-invalid="true"]')].map(e => e.id).join(" ")`); got != "name email" {
			t.Errorf("%s: fields marked %q, want %q", c.lang, got, "name email")
		}
		if got := b.text("#name-error"); got != c.name {
			t.Errorf("%s: name's message %q, want %q", c.lang, got, c.name)
		}
		if got := b.text("#email-error"); got != c.email {
			t.Errorf("%s: email's message %q, want %q", c.lang, got, c.email)
		}
		if got := b.text("[data-error-summary] p"); got != c.summary {
			t.Errorf("%s: summary %q, want %q", c.lang, got, c.summary)
		}
		if got := b.eval(`[...document.querySelectorAll('[data-error-summary] a')].map(a => a.getAttribute("href")).join(" ")`); got != "#email #name" {
			t.Errorf("%s: summary links %q, want %q", c.lang, got, "#email #name")
		}

		b.typeInto("#email", "example.vn")
		if got := b.eval(`[...document.querySelectorAll('[aria-invalid="true"]')].map(e => e.id).join(" ")`); got != "name" {
			t.Errorf("%s: after correcting the email, fields marked %q, want %q", c.lang, got, "name")
		}
		if got := b.eval(`String(document.getElementById("email-error") === null) + " " + [...document.querySelectorAll('[data-error-summary] a')].map(a => a.getAttribute("href")).join(" ")`); got != "true #name" {
			t.Errorf("%s: after correcting the email, email's message gone and summary links: %q, want %q", c.lang, got, "true #name")
		}
		if got := b.text("#name-error"); got != c.name {
			t.Errorf("%s: name's message after correcting the email %q, want %q", c.lang, got, c.name)
		}
	}
	t.Logf("sending the registration form with two mistakes and correcting one, in vi and en, took %s in the browser", time.Since(started).Round(100*time.Millisecond))
}
