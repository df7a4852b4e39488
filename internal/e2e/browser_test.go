package e2e_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// wording is what a visitor reads in one language.
type wording struct {
	signup, login, logout string
	welcome, signedOut    string
	signedIn, wrongLogin  string
	formExpired           string
}

var words = map[string]wording{
	"vi": {
		signup: "Đăng ký", login: "Đăng nhập", logout: "Đăng xuất",
		welcome:     "Chào mừng bạn đến với Sprout! Tài khoản đã được tạo.",
		signedOut:   "Bạn đã đăng xuất.",
		signedIn:    "Đăng nhập thành công.",
		wrongLogin:  "Email hoặc mật khẩu không đúng.",
		formExpired: "Biểu mẫu đã hết hạn. Hãy tải lại trang và thử lại.",
	},
	"en": {
		signup: "Sign up", login: "Sign in", logout: "Sign out",
		welcome:     "Welcome to Sprout! Your account is ready.",
		signedOut:   "You are signed out.",
		signedIn:    "You are signed in.",
		wrongLogin:  "Wrong email or password.",
		formExpired: "The form has expired. Reload the page and try again.",
	},
}

// TestBrowserSignupLogoutLogin walks a new visitor through choosing a
// language, signing up, signing out and signing in again, in each language.
func TestBrowserSignupLogoutLogin(t *testing.T) {
	browser := newBrowser(t)
	s := startServer(t, t.TempDir())

	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			other := map[string]string{"vi": "en", "en": "vi"}[lang]
			w, ow := words[lang], words[other]
			b := newTab(t, browser, s.base)
			name := "Nguyễn Văn Ánh"
			email := "nguyen.van.anh." + lang + "@example.vn"
			password := "hạt mầm " + lang + " nảy chồi"

			b.load("opening the home page", 200, "/", chromedp.Navigate(s.base+"/"))
			// Switching to the other language first makes the switch under
			// test visible whatever language the browser asks for.
			for _, l := range []string{other, lang} {
				b.load("choosing "+l, 200, "/", click(`header .lang-switch a[lang="`+l+`"]`))
				if got := b.eval(`document.documentElement.lang`); got != l {
					t.Fatalf("<html lang> after choosing %s: %q", l, got)
				}
				if got := b.text(`header .lang-switch a[aria-current="true"]`); got != strings.ToUpper(l) {
					t.Errorf("highlighted language after choosing %s: %q", l, got)
				}
			}
			header := b.text("header")
			if !strings.Contains(header, w.signup) || !strings.Contains(header, w.login) {
				t.Errorf("header in %s lacks %q and %q: %q", lang, w.signup, w.login, header)
			}
			if strings.Contains(header, ow.signup) || strings.Contains(header, ow.login) {
				t.Errorf("header in %s still shows %s words: %q", lang, other, header)
			}

			b.load("opening the signup page", 200, "/signup", click(`header a[href="/signup"]`))
			b.typeInto("#name", name)
			b.typeInto("#email", email)
			b.typeInto("#password", password)
			b.load("signing up", 200, "/account", click(`main form button[type="submit"]`))
			if got := b.text(".flash-ok"); got != w.welcome {
				t.Errorf("after signup: %q, want %q", got, w.welcome)
			}
			if got := b.value("#name"); got != name {
				t.Errorf("name on the account page: %q, want %q", got, name)
			}
			if got := b.text("header .nav-user"); !strings.Contains(got, name) {
				t.Errorf("header after signup: %q, want the name %q", got, name)
			}

			b.load("signing out", 200, "/", click(`header form[action="/logout"] button`))
			if got := b.text(".flash-ok"); got != w.signedOut {
				t.Errorf("after signing out: %q, want %q", got, w.signedOut)
			}
			if header := b.text("header"); strings.Contains(header, name) || !strings.Contains(header, w.login) {
				t.Errorf("header after signing out: %q, want %q and not the name", header, w.login)
			}

			b.load("opening the login page", 200, "/login", click(`header a[href="/login"]`))
			b.typeInto("#email", email)
			b.typeInto("#password", password+" sai")
			b.load("signing in with a wrong password", 401, "/login", click(`main form button[type="submit"]`))
			if got := b.eval(`document.documentElement.lang`); got != lang {
				t.Errorf("<html lang> after a wrong password: %q, want %q", got, lang)
			}
			if got := b.text(".flash-error"); got != w.wrongLogin {
				t.Errorf("after a wrong password: %q, want %q", got, w.wrongLogin)
			}
			if got := b.value("#email"); got != email {
				t.Errorf("email kept after a wrong password: %q, want %q", got, email)
			}

			// The right password, but the form lost its CSRF token: as if
			// another site had posted it.
			b.typeInto("#password", password)
			b.do("removing the CSRF token", chromedp.Evaluate[chromedp.Void](`document.querySelector('main form input[name="_csrf"]').remove()`))
			b.load("signing in without the CSRF token", 403, "/login", click(`main form button[type="submit"]`))
			if got := b.text("main"); !strings.Contains(got, w.formExpired) {
				t.Errorf("after posting without the CSRF token: %q, want %q", got, w.formExpired)
			}
			if header := b.text("header"); strings.Contains(header, name) {
				t.Errorf("signed in by a form without its CSRF token: %q", header)
			}

			b.load("opening the login page again", 200, "/login", click(`header a[href="/login"]`))
			b.typeInto("#email", email)
			b.typeInto("#password", password)
			b.load("signing in", 200, "/", click(`main form button[type="submit"]`))
			if got := b.text(".flash-ok"); got != w.signedIn {
				t.Errorf("after signing in: %q, want %q", got, w.signedIn)
			}
			if got := b.text("header .nav-user"); !strings.Contains(got, name) {
				t.Errorf("header after signing in: %q, want the name %q", got, name)
			}
			if got := b.text(`header form[action="/logout"] button`); got != w.logout {
				t.Errorf("sign-out button: %q, want %q", got, w.logout)
			}
		})
	}
}
