package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// recordProgress keeps in the tab's session storage what the deck's
// progress bar shows, each change as "value text", so a test can read it
// after the page has moved on.
const recordProgress = `(() => {
  const box = document.querySelector("#question-deck [data-progress]");
  const meter = box.querySelector("progress");
  const note = box.querySelector("[data-progress-text]");
  const log = [];
  new MutationObserver(() => {
    const entry = meter.value + " " + note.textContent;
    if (box.hidden || log[log.length - 1] === entry) return;
    log.push(entry);
    sessionStorage.setItem("progress", log.join("|"));
  }).observe(box, { attributes: true, childList: true, subtree: true, characterData: true });
  return "";
})()`

// frames keeps the responses of the documents a tab loads, frames
// included, by address.
type frames struct {
	mu   sync.Mutex
	seen map[string]*network.Response
}

func watchFrames(b *tab) *frames {
	f := &frames{seen: map[string]*network.Response{}}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok && e.Type == network.ResourceTypeDocument {
			f.mu.Lock()
			f.seen[e.Response.URL] = e.Response
			f.mu.Unlock()
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	return f
}

func (f *frames) response(url string) *network.Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[url]
}

// checkDeck checks the sheet's viewer loaded the application's deck
// inline, as a PDF, and that its download link names it.
func checkDeck(t *testing.T, b *tab, f *frames, appID, name string) {
	t.Helper()
	file := "/programs/applications/" + appID + "/files/deck"
	b.waitFor(`document.querySelector("iframe.deck-view").contentDocument?.contentType === "application/pdf"`)
	var res *network.Response
	for deadline := time.Now().Add(5 * time.Second); res == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res = f.response(b.base + file + "?inline=1")
	}
	if res == nil {
		t.Fatal("the viewer's frame loaded no document from " + file)
	}
	if res.Status != 200 || res.MimeType != "application/pdf" || res.Headers["Content-Disposition"] != "inline; filename="+name {
		t.Errorf("the viewer's document: %d %s %v", res.Status, res.MimeType, res.Headers["Content-Disposition"])
	}
	if got := b.eval(`document.querySelector("a[data-file]").getAttribute("href") + " " + document.querySelector("a[data-file]").textContent`); got != file+" "+name {
		t.Errorf("the download link: %q", got)
	}
}

// sizes are the windows every page must fit, desktop and phone.
var sizes = []struct {
	name          string
	width, height int64
	phone         bool
}{{"phone", 412, 915, true}, {"desktop", 1366, 900, false}}

// checkWidths opens path in English and then Vietnamese at each size,
// waits for ready to hold and checks the page is no wider than the window.
// With SHOTS_DIR set, it saves a screenshot of each as
// <shot>-<lang>-<size>.png there. The tab ends in Vietnamese on a desktop.
func checkWidths(t *testing.T, b *tab, path, ready, shot string) {
	t.Helper()
	for _, lang := range []string{"en", "vi"} {
		for _, s := range sizes {
			viewport := chromedp.EmulateViewport(s.width, s.height)
			if s.phone {
				viewport = chromedp.EmulateViewport(s.width, s.height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
			}
			b.do("resizing to "+s.name, viewport)
			b.load("opening "+path+" in "+lang, 200, path, chromedp.Navigate(b.base+"/lang/"+lang+"?next="+path))
			b.waitFor(ready)
			if got := b.eval(`document.documentElement.scrollWidth + " <= " + innerWidth`); !fits(got) {
				t.Errorf("%s in %s on a %s is wider than the window: %s %s", path, lang, s.name, got, b.eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
			}
			dir := os.Getenv("SHOTS_DIR")
			if dir == "" || shot == "" {
				continue
			}
			// The browser's PDF viewer draws the page a moment after the
			// frame has loaded.
			time.Sleep(time.Second)
			png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, shot+"-"+lang+"-"+s.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// fits reads a page's "scrollWidth innerWidth" (or "scrollWidth <=
// innerWidth") and tells whether the page fits its window.
func fits(measure string) bool {
	var w, inner int
	_, err := fmt.Sscanf(strings.ReplaceAll(measure, " <= ", " "), "%d %d", &w, &inner)
	return err == nil && w <= inner
}
