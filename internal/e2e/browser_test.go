package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"
)

// chromiumPath finds Debian's Chromium. Without it the browser tests skip,
// except in CI, where a skip would let a broken page pass unseen.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed, and CI=true forbids skipping the browser tests: apt-get install -y chromium")
	}
	t.Skip("Chromium is not installed (apt-get install -y chromium): skipping the browser tests")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and a desktop
// window, closed when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return startChromium(t, chromedp.WindowSize(1280, 800))
}

// startChromium starts a headless Chromium with a fresh profile and the
// options given, closed when the test ends.
func startChromium(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	// The first run starts the browser; it must not carry a timeout, or the
	// timeout would end the browser too.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// tab is one browser tab with its own cookies, as a new visitor has.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 45*time.Second)
	t.Cleanup(cancelTimeout)
	return &tab{t: t, ctx: ctx, base: base}
}

// load runs the steps, waits for the page they lead to and checks the
// status of its document and its path.
func (b *tab) load(what string, wantStatus int64, wantPath string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if res.Status != wantStatus || res.URL != b.base+wantPath {
		b.t.Fatalf("%s: %d %s, want %d %s", what, res.Status, res.URL, wantStatus, b.base+wantPath)
	}
}

// loadAfterScript is load for a form the page's script sends once its own
// work is done (uploads and saves in flight): the navigation starts after
// the click's steps have returned, so rather than catch it the tab marks
// the document it leaves and waits for another one to have loaded.
func (b *tab) loadAfterScript(what string, wantStatus int64, wantPath string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.eval(`window.sproutLeft = true; ""`)
	b.do(what, steps...)
	landed := `window.sproutLeft || document.readyState !== "complete" ? "" :
		(performance.getEntriesByType("navigation")[0] || {}).responseStatus + " " + location.href`
	for deadline := time.Now().Add(30 * time.Second); ; {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](landed))
		cancel()
		// Evaluating fails while one document gives way to the next.
		if err == nil && got != "" {
			if want := fmt.Sprintf("%d %s", wantStatus, b.base+wantPath); got != want {
				b.t.Fatalf("%s: %s, want %s", what, got, want)
			}
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: no page loaded within 30 s (%v)", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

func (b *tab) typeInto(sel, text string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.t.Fatalf("typing into %s: %v", sel, err)
	}
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// readTimeout bounds a read of an element on a loaded page, so a missing
// element fails in seconds instead of waiting for the whole tab's timeout.
const readTimeout = 5 * time.Second

// text is what a reader sees of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, readTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("reading %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (b *tab) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, readTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("reading %s: %v", sel, err)
	}
	return v
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// qrVideo writes a Y4M video of a QR code holding text, centred on a white
// 640×480 frame, for Chromium's fake camera to film.
func qrVideo(t *testing.T, text string) string {
	t.Helper()
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	img := code.Image(460)
	const w, h = 640, 480
	luma := bytes.Repeat([]byte{255}, w*h)
	b := img.Bounds()
	ox, oy := (w-b.Dx())/2, (h-b.Dy())/2
	for y := range b.Dy() {
		for x := range b.Dx() {
			luma[(oy+y)*w+ox+x] = gray(img, b.Min.X+x, b.Min.Y+y)
		}
	}
	chroma := bytes.Repeat([]byte{128}, w*h/2) // U and V planes, each a quarter: no colour
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for range 20 {
		buf.WriteString("FRAME\n")
		buf.Write(luma)
		buf.Write(chroma)
	}
	path := filepath.Join(t.TempDir(), "ticket.y4m")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gray(img image.Image, x, y int) byte {
	r, g, b, _ := img.At(x, y).RGBA()
	return byte((299*r + 587*g + 114*b) / 1000 >> 8)
}

// newCameraBrowser is newBrowser with a camera that films video, and a
// phone's screen.
func newCameraBrowser(t *testing.T, video string) context.Context {
	t.Helper()
	return startChromium(t,
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video),
		chromedp.WindowSize(412, 915),
	)
}

// waitFor waits until the expression holds on the page.
func (b *tab) waitFor(js string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.t.Fatalf("waiting for %s: %v", js, err)
	}
}

// emulateOffline sets whether the target of ctx has a network.
func emulateOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("emulating the network: %v", err)
	}
}

// cutNetwork takes the network away from the tab and from the service
// worker that serves its pages, and tells the page it is offline, as when
// a gate loses its connection. It returns what gives the network back.
func (b *tab) cutNetwork() (restore func()) {
	b.t.Helper()
	infos, err := chromedp.Targets(b.ctx)
	if err != nil {
		b.t.Fatal(err)
	}
	targets := []context.Context{b.ctx}
	for _, info := range infos {
		if info.Type == "service_worker" && strings.HasPrefix(info.URL, b.base+"/") {
			// Emulation lasts as long as the session: it stays attached,
			// and leaving it must not stop the worker.
			ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
			b.t.Cleanup(cancel)
			targets = append(targets, ctx)
		}
	}
	if len(targets) == 1 {
		b.t.Fatal("the page has no service worker")
	}
	setState := func(offline bool) {
		if _, err := chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		}); err != nil {
			b.t.Fatalf("overriding the network state: %v", err)
		}
	}
	for _, ctx := range targets {
		emulateOffline(b.t, ctx, true)
	}
	setState(true)
	return func() {
		for _, ctx := range targets {
			emulateOffline(b.t, ctx, false)
		}
		setState(false)
	}
}

// deviceKept lists what the scanner pages keep in this tab's origin:
// the names in localStorage, the caches and the service workers.
type deviceKept struct {
	Storage map[string]string `json:"storage"`
	Caches  []string          `json:"caches"`
	Workers int               `json:"workers"`
}

// signIn signs the tab in through the login page, in Vietnamese, and lands
// on next.
func (b *tab) signIn(email, password, next string) {
	b.t.Helper()
	login := "/login?next=" + url.QueryEscape(next)
	b.load("opening the login page", 200, login, chromedp.Navigate(b.base+"/lang/vi?next="+url.QueryEscape(login)))
	b.typeInto("#email", email)
	b.typeInto("#password", password)
	b.load("signing in as "+email, 200, next, click(`main form button[type="submit"]`))
}

// dropNetwork takes the network away from the tab and tells the page it is
// offline, as when the venue's Wi-Fi fails. It returns what gives it back.
func (b *tab) dropNetwork() (restore func()) {
	b.t.Helper()
	set := func(offline bool) {
		emulateOffline(b.t, b.ctx, offline)
		if _, err := chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		}); err != nil {
			b.t.Fatalf("overriding the network state: %v", err)
		}
	}
	set(true)
	return func() { set(false) }
}

func (b *tab) deviceKept() deviceKept {
	b.t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[deviceKept](`(async () => {
		const storage = {};
		for (const k of Object.keys(localStorage)) storage[k] = localStorage.getItem(k);
		const caches_ = await caches.keys();
		const workers = (await navigator.serviceWorker.getRegistrations()).length;
		return { storage, caches: caches_, workers };
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("reading what the device keeps: %v", err)
	}
	return got
}
