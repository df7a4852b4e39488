package e2e_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sprout/internal/qr/qrtest"
)

// TestBrowserDecodesTicketQR opens a visitor's ticket page as they do from
// the mail and reads the QR code off the rendered page, as a gate's
// scanner reads it off the visitor's screen.
func TestBrowserDecodesTicketQR(t *testing.T) {
	// Alone, not beside other browsers: a screenshot taken while a loaded
	// machine still lays the page out for the new width misreads.
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	eventID, typeID := s.publishEvent(t, s.organizer(t), 10)
	holder := "Nguyễn Thị Ánh Tuyết"
	tk := s.register(t, eventID, typeID, holder, "anh.tuyet@example.vn", "vi")

	b := newTab(t, browser, s.base)
	// The page follows the reader's language; choosing Vietnamese on the way
	// makes it show the Vietnamese title whatever the browser asks for.
	path := strings.TrimPrefix(tk.URL, s.base)
	b.load("opening the ticket page in Vietnamese", 200, path, chromedp.Navigate(s.base+"/lang/vi?next="+url.QueryEscape(path)))

	loaded, err := chromedp.Run(b.ctx, chromedp.Poll[bool](
		`(() => { const img = document.querySelector('img.qr'); return img !== null && img.complete && img.naturalWidth > 0; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !loaded {
		t.Fatalf("the QR image did not load: %v", err)
	}
	// The code is read as shown on a desktop and, where the screen's scaling
	// leaves too uneven modules for the reader used here, on a phone.
	var got string
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS("img.qr")))
		if err != nil {
			t.Fatalf("screenshot of the QR code: %v", err)
		}
		if got, err = qrtest.DecodePNG(shot); err == nil {
			break
		}
		t.Logf("at %d px wide: %v", width, err)
	}
	if got != tk.Token {
		t.Errorf("the QR code on screen reads %q, want the ticket's token %q", got, tk.Token)
	}

	if got := b.text(".ticket .holder"); got != holder {
		t.Errorf("holder on the ticket page: %q, want %q", got, holder)
	}
	if got := b.text(".ticket h1"); got != eventTitle {
		t.Errorf("event on the ticket page: %q, want %q", got, eventTitle)
	}

	const calendar = `a[href$="/event.ics"]`
	if got := b.text(calendar); got != "Thêm vào lịch" {
		t.Errorf("calendar link: %q, want %q", got, "Thêm vào lịch")
	}
	// Fetched from the page itself, as the browser follows the link, to see
	// what it gets without letting it save a download.
	ics, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`fetch(document.querySelector('`+calendar+`').href).then(async r => [String(r.status), r.headers.get('Content-Type'), await r.text()])`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("following the calendar link: %v", err)
	}
	if ics[0] != "200" || !strings.HasPrefix(ics[1], "text/calendar") {
		t.Errorf("calendar link answers %s %q, want 200 text/calendar", ics[0], ics[1])
	}
	if !strings.Contains(ics[2], "BEGIN:VEVENT") || !strings.Contains(ics[2], "SUMMARY:"+eventTitle) {
		t.Errorf("calendar entry lacks the event %q:\n%s", eventTitle, ics[2])
	}
}
