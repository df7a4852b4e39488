package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

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
	t.Parallel()
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
			b.load("signing in", 200, "/me", click(`main form button[type="submit"]`))
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
