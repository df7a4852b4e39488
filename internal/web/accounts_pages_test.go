package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sprout/internal/accounts"
)

func TestPagesSpeakVietnameseFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	if p := e.browser("").do("GET", "/", nil); p.code != 200 || !strings.Contains(p.html, `<html lang="vi">`) || !strings.Contains(p.html, "Đăng nhập") {
		t.Fatalf("home by default: %d %.300s", p.code, p.html)
	}
	if p := e.browser("en-US,en;q=0.8").do("GET", "/", nil); !strings.Contains(p.html, `<html lang="en">`) || !strings.Contains(p.html, "Sign in") {
		t.Fatalf("home for Accept-Language en: %.300s", p.html)
	}
	b := e.browser("en")
	if p := b.do("GET", "/lang/vi?next=/login", nil); p.code != 303 || p.location != "/login" {
		t.Fatalf("language switch: %d %q", p.code, p.location)
	}
	if p := b.do("GET", "/login", nil); !strings.Contains(p.html, `<html lang="vi">`) {
		t.Fatal("the chosen language is kept over Accept-Language")
	}
	if p := b.do("GET", "/lang/vi?next=https://evil.example/", nil); p.location != "/" {
		t.Fatalf("open redirect: %q", p.location)
	}
	if p := b.do("GET", "/no-such-page", nil); p.code != 404 || !strings.Contains(p.html, "Không tìm thấy") || !strings.Contains(p.html, `href="/"`) {
		t.Fatalf("a friendly 404 page with a way back: %d", p.code)
	}
}

func TestLoginFormNeedsCSRFAndSignsIn(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		b := e.browser("")
		login := b.do("GET", "/login", nil)
		for _, want := range []string{`name="email"`, `name="password"`, `name="_csrf"`} {
			if !strings.Contains(login.html, want) {
				t.Fatalf("login form lacks %s", want)
			}
		}
		creds := url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}}
		if p := b.do("POST", "/login", creds); p.code != 403 {
			t.Fatalf("login without the CSRF token: %d", p.code)
		}
		creds.Set("_csrf", "forged-token")
		if p := b.do("POST", "/login", creds); p.code != 403 {
			t.Fatalf("login with a forged CSRF token: %d", p.code)
		}
		creds.Del("_csrf")
		if p := b.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"wrong password"}}); p.code != 401 || !strings.Contains(p.html, "Email hoặc mật khẩu không đúng") || !strings.Contains(p.html, `value="admin@sprout.test"`) {
			t.Fatalf("wrong password: %d, the form must come back with the message and the email kept", p.code)
		}
		p := b.submit("/login?next=/admin/users", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}, "next": {"/admin/users"}})
		if p.code != 303 || p.location != "/admin/users" {
			t.Fatalf("login: %d %q", p.code, p.location)
		}
		if p := b.do("GET", "/admin/users", nil); p.code != 200 || !strings.Contains(p.html, "Quản Trị") || !strings.Contains(p.html, "Đăng nhập thành công") {
			t.Fatalf("admin users page after login: %d", p.code)
		}
		if p := b.submit("/", "/logout", url.Values{}); p.code != 303 {
			t.Fatalf("logout: %d", p.code)
		}
		if p := b.do("GET", "/admin/users", nil); p.code != 302 || !strings.HasPrefix(p.location, "/login?next=") {
			t.Fatalf("after logout the admin page sends to login: %d %q", p.code, p.location)
		}
	})
}

func TestSignupAccountAndAdminPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	b := e.browser("")
	p := b.submit("/signup", "/signup", url.Values{"name": {"Nguyễn Văn An"}, "email": {"an@example.vn"}, "password": {"ngắn"}})
	if p.code != 400 || !strings.Contains(p.html, "ít nhất 10 ký tự") || !strings.Contains(p.html, `value="Nguyễn Văn An"`) {
		t.Fatalf("short password: %d", p.code)
	}
	p = b.submit("/signup", "/signup", url.Values{"name": {"Nguyễn Văn An"}, "email": {"an@example.vn"}, "password": {"mật khẩu đủ dài"}})
	if p.code != 303 || p.location != "/account" {
		t.Fatalf("signup: %d %q", p.code, p.location)
	}
	if p := b.do("GET", "/account", nil); !strings.Contains(p.html, "Nguyễn Văn An") || !strings.Contains(p.html, "Nhà sáng lập") {
		t.Fatal("account page shows the new founder")
	}
	if p := b.do("GET", "/admin/users", nil); p.code != 403 {
		t.Fatalf("a founder on the admin page: %d", p.code)
	}
	if p := b.submit("/account", "/account/profile", url.Values{"name": {"Nguyễn Văn An Bình"}, "lang": {"en"}}); p.code != 303 {
		t.Fatalf("profile: %d", p.code)
	}
	if p := b.do("GET", "/account", nil); !strings.Contains(p.html, `<html lang="en">`) || !strings.Contains(p.html, "Nguyễn Văn An Bình") {
		t.Fatal("profile change shows in English with the new name")
	}
	if p := b.submit("/account", "/account/password", url.Values{"current_password": {"wrong one"}, "password": {"new password 123"}, "password_confirm": {"new password 123"}}); p.code != 400 || !strings.Contains(p.html, "current password is wrong") {
		t.Fatalf("password change with a wrong current password: %d", p.code)
	}

	admin := e.browser("")
	admin.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}})
	p = admin.do("GET", "/admin/users?q=nguyen+van+an", nil)
	if !strings.Contains(p.html, "Nguyễn Văn An Bình") || !strings.Contains(p.html, "1 người dùng") {
		t.Fatal("search without diacritics finds the user, and only them")
	}
	u, err := e.app.Store.UserByEmail(context.Background(), "an@example.vn")
	if err != nil {
		t.Fatal(err)
	}
	if p := admin.submit("/admin/users", "/admin/users/"+u.ID+"/roles", url.Values{"role": {"reviewer"}, "action": {"grant"}}); p.code != 303 {
		t.Fatalf("grant: %d", p.code)
	}
	if u, _ := e.app.Store.UserByID(context.Background(), u.ID); !u.Has(accounts.RoleReviewer) {
		t.Fatal("role not granted")
	}
	admin.submit("/admin/users", "/admin/users/"+u.ID+"/roles", url.Values{"role": {"founder"}, "action": {"remove"}})
	if u, _ := e.app.Store.UserByID(context.Background(), u.ID); u.Has(accounts.RoleFounder) {
		t.Fatal("role not removed")
	}
	for i := range 30 {
		e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": fmt.Sprintf("staff%d@example.vn", i), "password": "staff-password", "name": fmt.Sprintf("Nhân viên %d", i), "roles": []string{"staff"}}).status(201)
	}
	p = admin.do("GET", "/admin/users?role=staff", nil)
	if !strings.Contains(p.html, `href="?role=staff&amp;page=2"`) {
		t.Fatal("the next page link keeps the role filter")
	}
	if p := admin.do("GET", "/admin/users?role=staff&page=2", nil); !strings.Contains(p.html, "2 / 2") || strings.Contains(p.html, "Nguyễn Văn An Bình") {
		t.Fatal("page 2 of the staff list")
	}
	me, _ := e.app.Store.UserByEmail(context.Background(), "admin@sprout.test")
	p = admin.submit("/admin/users", "/admin/users/"+me.ID+"/roles", url.Values{"role": {"admin"}, "action": {"remove"}})
	if p.code != 303 {
		t.Fatalf("own admin role: %d", p.code)
	}
	if me, _ := e.app.Store.UserByID(context.Background(), me.ID); !me.Has(accounts.RoleAdmin) {
		t.Fatal("an admin removed their own admin role")
	}
	if p := admin.do("GET", "/admin/users", nil); !strings.Contains(p.html, "không thể tự thu hồi") {
		t.Fatal("the refusal is explained")
	}
}

func TestPasswordResetPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "mai@example.vn", "password": "old password 1", "name": "Bùi Thị Mai"}).status(201)
	b := e.browser("")
	for _, email := range []string{"mai@example.vn", "unknown@example.vn"} {
		p := b.submit("/password/forgot", "/password/forgot", url.Values{"email": {email}})
		if p.code != 200 || !strings.Contains(p.html, "Nếu email này có tài khoản") {
			t.Fatalf("forgot for %s: %d", email, p.code)
		}
	}
	msgs := e.mails("mai@example.vn")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Đặt lại mật khẩu") {
		t.Fatalf("one Vietnamese reset mail: %d", len(msgs))
	}
	link, _ := url.Parse(resetLink(t, msgs[0].Text))
	if p := b.submit(link.Path, link.Path, url.Values{"password": {"new password 2"}, "password_confirm": {"new password X"}}); p.code != 400 || !strings.Contains(p.html, "không khớp") {
		t.Fatalf("mismatched passwords: %d", p.code)
	}
	if p := b.submit(link.Path, link.Path, url.Values{"password": {"new password 2"}, "password_confirm": {"new password 2"}}); p.code != 303 || p.location != "/login" {
		t.Fatalf("reset: %d %q", p.code, p.location)
	}
	if p := b.do("GET", link.Path, nil); p.code != 404 || !strings.Contains(p.html, "đã dùng hoặc đã hết hạn") {
		t.Fatalf("a used link: %d", p.code)
	}
	if p := b.submit("/login", "/login", url.Values{"email": {"mai@example.vn"}, "password": {"new password 2"}}); p.code != 303 {
		t.Fatalf("login with the new password: %d", p.code)
	}
}

func TestMailboxShowsKeptMail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "admin@sprout.test"}).status(202)
	admin := e.browser("")
	admin.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}})
	p := admin.do("GET", "/admin/mailbox", nil)
	if !strings.Contains(p.html, "Đặt lại mật khẩu") || !strings.Contains(p.html, "Chưa cấu hình SMTP_URL") {
		t.Fatal("mailbox lists the reset mail and says why it is kept")
	}
	msgs, _, _ := e.app.Store.ListMail(context.Background(), mailQuery("admin@sprout.test"))
	if p := admin.do("GET", "/admin/mailbox/"+msgs[0].ID, nil); p.code != 200 || !strings.Contains(p.html, "/password/reset/") {
		t.Fatalf("message page: %d", p.code)
	}
	if p := admin.do("GET", "/admin/mailbox/nope", nil); p.code != 404 {
		t.Fatalf("unknown message: %d", p.code)
	}
}

func TestReadyzFollowsTheStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	e.call("GET", "/healthz", nil).status(200)
	e.call("GET", "/readyz", nil).status(200)
	e.app.Store.Close()
	e.call("GET", "/readyz", nil).status(503)
	e.call("GET", "/healthz", nil).status(200)
}

// TestLogoutClearsSiteData signs out and checks that the answer tells the
// browser to forget what the scanners kept for this user (their queue, the
// tickets cancelled, who is inside, the pages kept offline), while the
// flash message and the redirect still work: no "cookies" in the header.
func TestLogoutClearsSiteData(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	b := e.browser("")
	if p := b.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}}); p.code != 303 {
		t.Fatalf("login: %d", p.code)
	}
	m := csrfRE.FindStringSubmatch(b.do("GET", "/logout", nil).html)
	if m == nil {
		t.Fatal("no CSRF token on the logout page")
	}
	req, _ := http.NewRequest("POST", e.base+"/logout", strings.NewReader(url.Values{"_csrf": {m[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/" {
		t.Fatalf("logout: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := res.Header.Get("Clear-Site-Data"); got != `"cache", "storage"` {
		t.Errorf("logout's Clear-Site-Data: %q, want %q", got, `"cache", "storage"`)
	}
	if p := b.do("GET", "/", nil); !strings.Contains(p.html, "Bạn đã đăng xuất.") {
		t.Error("the page after logout lacks the signed-out message")
	}
	if p := b.do("GET", "/admin/users", nil); p.code != 302 || !strings.HasPrefix(p.location, "/login?next=") {
		t.Fatalf("after logout the admin page sends to login: %d %q", p.code, p.location)
	}
	// A login page answer tells the browser nothing of the kind.
	if res, err := b.c.Get(e.base + "/login"); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.Header.Get("Clear-Site-Data") != "" {
		t.Errorf("the login page clears site data: %q", res.Header.Get("Clear-Site-Data"))
	}
}

// A link switches the language this browser sees and changes no account;
// the signed-in switch is a form, which the account keeps.
func TestLanguageLinkChangesNoAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	_, token := e.user("ngon-ngu@example.vn", "founder")
	b := e.signIn("ngon-ngu@example.vn", "mật khẩu dài")
	saved := func() string {
		t.Helper()
		return e.authed(token, "GET", "/api/v1/me", nil).status(200).str("user.lang")
	}
	if p := b.do("GET", "/lang/en?next=/account", nil); p.code != 303 || p.location != "/account" || saved() != "vi" {
		t.Fatalf("a language link: %d %q, saved language %q", p.code, p.location, saved())
	}
	if p := b.do("GET", "/account", nil); !strings.Contains(p.html, `<html lang="en">`) || !strings.Contains(p.html, `<form method="post" action="/lang/vi">`) {
		t.Fatal("the link does not show this browser the site in English, or the signed-in switch is not a form")
	}
	if p := b.do("POST", "/lang/en", url.Values{"next": {"/account"}}); p.code != 403 || saved() != "vi" {
		t.Fatalf("a switch without the CSRF token: %d, saved %q", p.code, saved())
	}
	if p := b.submit("/account", "/lang/en", url.Values{"next": {"/account"}}); p.code != 303 || p.location != "/account" || saved() != "en" {
		t.Fatalf("the signed-in switch: %d %q, saved %q", p.code, p.location, saved())
	}
}

// Visitors who only read cost the store nothing for CSRF, and a form's
// token is bound to the session that loaded it.
func TestCSRFWritesNothingAndBindsToTheSession(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		later := e.now().AddDate(1, 0, 0)
		if _, err := e.app.Store.KVDeleteExpired(ctx, later); err != nil {
			t.Fatal(err)
		}
		for i := range 60 {
			b := e.browser("")
			for _, path := range []string{"/", "/events", "/login"} {
				if p := b.do("GET", path, nil); p.code != 200 || !strings.Contains(p.html, `name="_csrf"`) && path == "/login" {
					t.Fatalf("GET %s (%d): %d", path, i, p.code)
				}
			}
		}
		if n, err := e.app.Store.KVDeleteExpired(ctx, later); err != nil || n != 0 {
			t.Fatalf("180 anonymous page views wrote %d rows to the store (%v), want none", n, err)
		}

		e.user("hai-phien@example.vn", "founder")
		first, second := e.signIn("hai-phien@example.vn", "mật khẩu dài"), e.signIn("hai-phien@example.vn", "mật khẩu dài")
		token := csrfRE.FindStringSubmatch(first.do("GET", "/account", nil).html)[1]
		form := url.Values{"_csrf": {token}, "name": {"Tên Bị Đổi"}, "lang": {"vi"}}
		if p := second.do("POST", "/account/profile", form); p.code != 403 {
			t.Fatalf("another session's token: %d, want 403", p.code)
		}
		if p := first.do("POST", "/account/profile", form); p.code != 303 {
			t.Fatalf("the session's own token: %d, want 303", p.code)
		}
	})
}
