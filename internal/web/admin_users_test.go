package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// userRow is the users page's row of the user named name.
func userRow(t *testing.T, html, name string) string {
	t.Helper()
	for _, row := range strings.Split(html, "<tr")[1:] {
		if strings.Contains(row, name) {
			return row
		}
	}
	t.Fatalf("no row for %s on the users page", name)
	return ""
}

// An admin creates a user from the users page without typing a password:
// one invitation mail goes out, its link lets the user choose a password
// and sign in with the roles given, and the list shows when they last did.
func TestAdminCreatesAUserWhoChoosesTheirPasswordFromTheInvitation(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		admin := e.signIn("admin@sprout.test", "admin-password-1")
		if p := admin.do("GET", "/admin/users", nil); p.code != 200 || !strings.Contains(p.html, `action="/admin/users"`) || strings.Contains(p.html, `name="password"`) {
			t.Fatalf("the users page has a new-user form without a password: %d", p.code)
		} else if !strings.Contains(p.html, `<a href="/admin/users" aria-current="page">Quản trị</a>`) || !strings.Contains(p.html, `<a href="/admin/mailbox" >Hộp thư</a>`) {
			t.Error("the header has one admin link, and the admin pages tabs to the mailbox")
		}
		p := admin.submit("/admin/users", "/admin/users", url.Values{
			"name": {"Võ Thị Hằng"}, "email": {"Hang.Vo@Example.vn"}, "roles": {"reviewer", "mentor"}, "lang": {"en"},
		})
		if p.code != 303 || p.location != "/admin/users" {
			t.Fatalf("creating a user: %d → %q", p.code, p.location)
		}
		if p := admin.do("GET", "/admin/users", nil); !strings.Contains(p.html, "Đã tạo tài khoản cho Võ Thị Hằng và gửi thư mời tới hang.vo@example.vn") ||
			!strings.Contains(userRow(t, p.html, "Võ Thị Hằng"), "Đã mời") || !strings.Contains(userRow(t, p.html, "Võ Thị Hằng"), "Chưa đăng nhập") {
			t.Fatal("the users page says the invitation went out and shows the user invited, never signed in")
		}

		mails := e.mails("hang.vo@example.vn")
		if len(mails) != 1 || mails[0].Template != "account_invite" || mails[0].Lang != "en" || mails[0].Subject != "You are invited to Sprout" || !strings.Contains(mails[0].Text, "7 days") {
			t.Fatalf("one invitation in English: %+v", mails)
		}
		link, _ := url.Parse(resetLink(t, mails[0].Text))
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "hang.vo@example.vn", "password": "sprout-dummy-password"}).errorCode(401, "unauthorized")

		// Six days on the link still opens, where a reset link lasts an
		// hour; it is the reset page, welcoming rather than telling to reset.
		e.clock.Advance(6 * 24 * time.Hour)
		visitor := e.browser("")
		if p := visitor.do("GET", link.Path, nil); p.code != 200 || !strings.Contains(p.html, "Chọn mật khẩu của bạn") {
			t.Fatalf("the invitation link: %d", p.code)
		}
		p = visitor.submit(link.Path, link.Path, url.Values{"password": {"mật khẩu của Hằng"}, "password_confirm": {"mật khẩu của Hằng"}})
		if p.code != 303 || p.location != "/login" {
			t.Fatalf("choosing the password: %d → %q", p.code, p.location)
		}
		if p := visitor.do("GET", "/login", nil); !strings.Contains(p.html, "Đã lưu mật khẩu của bạn") {
			t.Error("the sign-in page says the password is saved")
		}
		if p := e.browser("").do("GET", link.Path, nil); p.code != 404 {
			t.Errorf("the invitation works twice: %d", p.code)
		}
		login := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "hang.vo@example.vn", "password": "mật khẩu của Hằng"}).status(200)
		if roles := login.get("user.roles"); len(roles.([]any)) != 2 || login.get("user.active") != true || login.str("user.last_sign_in_at") == "" {
			t.Fatalf("signed in as %s", login.body)
		}

		row := userRow(t, admin.do("GET", "/admin/users", nil).html, "Võ Thị Hằng")
		if !regexp.MustCompile(`data-last-sign-in>\d\d/\d\d/\d{4} \d\d:\d\d<`).MatchString(row) || strings.Contains(row, "Đã mời") {
			t.Errorf("the users list shows the last sign-in in Vietnam time: %s", row)
		}
		en := e.browser("")
		en.do("GET", "/lang/en", nil)
		en.submit("/login", "/login", url.Values{"email": {"admin@sprout.test"}, "password": {"admin-password-1"}})
		if row := userRow(t, en.do("GET", "/admin/users", nil).html, "Võ Thị Hằng"); !regexp.MustCompile(`data-last-sign-in>\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d<`).MatchString(row) {
			t.Errorf("in English the last sign-in is written the English way: %s", row)
		}
	})
}

// A new-user form with mistakes comes back with every one beside its
// field at once, and creates nobody and mails nothing.
func TestAdminNewUserFormShowsEveryMistakeAtOnce(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		admin := e.signIn("admin@sprout.test", "admin-password-1")
		p := admin.submit("/admin/users", "/admin/users", url.Values{"name": {"  "}, "email": {"not-an-email"}, "lang": {"vi"}})
		if p.code != 400 {
			t.Fatalf("a bad form: %d", p.code)
		}
		for _, id := range []string{"nu-name", "nu-email", "nu-roles"} {
			if !regexp.MustCompile(`id="` + id + `"[^>]*aria-invalid="true"`).MatchString(p.html) {
				t.Errorf("%s is not marked invalid", id)
			}
		}
		for _, msg := range []string{"nu-name-error", "nu-email-error", "nu-roles-error", "data-error-summary", "not-an-email", "<details class=\"panel add-box\" id=\"new-user\" open>"} {
			if !strings.Contains(p.html, msg) {
				t.Errorf("the form shown again lacks %q", msg)
			}
		}
		if n := strings.Count(p.html, `class="field-error"`); n != 3 {
			t.Errorf("%d messages beside fields, want 3", n)
		}

		p = admin.submit("/admin/users", "/admin/users", url.Values{"name": {"Lý Thu"}, "email": {"admin@sprout.test"}, "roles": {"staff"}})
		if p.code != 409 || !strings.Contains(p.html, "nu-email-error") || !regexp.MustCompile(`id="nu-role-staff"[^>]*checked`).MatchString(p.html) {
			t.Fatalf("an email taken: %d", p.code)
		}
		users := e.authed(e.admin, "GET", "/api/v1/users", nil).status(200)
		if users.get("total") != float64(1) || len(e.mails("not-an-email")) != 0 {
			t.Fatalf("a refused form created users: %s", users.body)
		}
	})
}

// Deactivating a user ends their browser session and API token at once,
// refuses their sign-in with a message saying why, and sends them no
// reset link; reactivating lets them sign in again, with new sessions only.
func TestAdminDeactivatesAndReactivatesAUser(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		id, token := e.user("cong@sprout.test", "staff")
		session := e.signIn("cong@sprout.test", "mật khẩu dài")
		if p := session.do("GET", "/account", nil); p.code != 200 {
			t.Fatalf("signed in: %d", p.code)
		}
		admin := e.signIn("admin@sprout.test", "admin-password-1")
		row := userRow(t, admin.do("GET", "/admin/users", nil).html, "Người cong@sprout.test")
		if !strings.Contains(row, "/admin/users/"+id+"/deactivate") || !strings.Contains(row, `data-confirm="Vô hiệu hóa tài khoản của Người cong@sprout.test?`) {
			t.Fatalf("the row offers deactivation with a confirmation: %s", row)
		}
		if own := userRow(t, admin.do("GET", "/admin/users", nil).html, "Quản Trị"); strings.Contains(own, "/deactivate") {
			t.Error("an admin is offered to deactivate themself")
		}
		if p := admin.submit("/admin/users", "/admin/users/"+id+"/deactivate", url.Values{"back": {"/admin/users"}}); p.code != 303 {
			t.Fatalf("deactivating: %d", p.code)
		}

		if p := session.do("GET", "/account", nil); p.code != 302 || !strings.HasPrefix(p.location, "/login") {
			t.Fatalf("the session after deactivation: %d → %q", p.code, p.location)
		}
		e.authed(token, "GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
		msg := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "cong@sprout.test", "password": "mật khẩu dài"}, "Accept-Language", "en").errorCode(403, "forbidden")
		if !strings.Contains(msg, "deactivated") {
			t.Errorf("the refusal says why: %q", msg)
		}
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "cong@sprout.test", "password": "wrong password"}).errorCode(401, "unauthorized")
		if p := e.browser("").submit("/login", "/login", url.Values{"email": {"cong@sprout.test"}, "password": {"mật khẩu dài"}}); p.code != 403 || !strings.Contains(p.html, "Tài khoản này đã bị vô hiệu hóa") {
			t.Fatalf("the sign-in form of a deactivated user: %d", p.code)
		}
		e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "cong@sprout.test"}).status(202)
		if n := len(e.mails("cong@sprout.test")); n != 0 {
			t.Errorf("a deactivated user was sent %d reset links", n)
		}
		row = userRow(t, admin.do("GET", "/admin/users", nil).html, "Người cong@sprout.test")
		if !strings.Contains(row, "Đã vô hiệu hóa") || !strings.Contains(row, "/admin/users/"+id+"/reactivate") {
			t.Fatalf("the row shows the user deactivated, with reactivation: %s", row)
		}

		if p := admin.submit("/admin/users", "/admin/users/"+id+"/reactivate", url.Values{}); p.code != 303 {
			t.Fatalf("reactivating: %d", p.code)
		}
		e.authed(token, "GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
		if p := session.do("GET", "/account", nil); p.code != 302 {
			t.Errorf("an old session came back: %d", p.code)
		}
		fresh := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "cong@sprout.test", "password": "mật khẩu dài"}).status(200).str("token")
		e.authed(fresh, "GET", "/api/v1/me", nil).status(200)
		e.signIn("cong@sprout.test", "mật khẩu dài")
	})
}

// The API deactivates and reactivates as the pages do, answering the
// user; nobody deactivates themself, and only admins deactivate anyone.
// Without a password, creating a user invites them.
func TestAdminUsersAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		id, token := e.user("btc2@sprout.test", "organizer")
		r := e.authed(e.admin, "POST", "/api/v1/users/"+id+"/deactivate", nil).status(200)
		if r.get("user.active") != false || r.str("user.deactivated_at") == "" || r.str("user.id") != id {
			t.Fatalf("deactivated: %s", r.body)
		}
		e.authed(token, "GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
		r = e.authed(e.admin, "POST", "/api/v1/users/"+id+"/reactivate", nil).status(200)
		if r.get("user.active") != true || r.get("user.deactivated_at") != nil {
			t.Fatalf("reactivated: %s", r.body)
		}
		e.authed(e.admin, "POST", "/api/v1/users/nobody/deactivate", nil).errorCode(404, "not_found")
		me := e.authed(e.admin, "GET", "/api/v1/me", nil).str("user.id")
		e.authed(e.admin, "POST", "/api/v1/users/"+me+"/deactivate", nil).errorCode(409, "conflict")

		org := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "btc2@sprout.test", "password": "mật khẩu dài"}).status(200).str("token")
		e.authed(org, "POST", "/api/v1/users/"+me+"/deactivate", nil).errorCode(403, "forbidden")
		e.authed(org, "POST", "/api/v1/users/"+id+"/reactivate", nil).errorCode(403, "forbidden")
		e.call("POST", "/api/v1/users/"+id+"/deactivate", nil).errorCode(401, "unauthorized")
		browser := e.signIn("btc2@sprout.test", "mật khẩu dài")
		for _, path := range []string{"/admin/users", "/admin/users/" + me + "/deactivate"} {
			if p := browser.submit("/account", path, url.Values{"name": {"X"}, "email": {"x@example.vn"}, "roles": {"admin"}}); p.code != 403 {
				t.Errorf("an organizer posting %s: %d", path, p.code)
			}
		}
		if total := e.authed(e.admin, "GET", "/api/v1/users", nil).get("total"); total != float64(2) {
			t.Fatalf("a refused request created a user: %v users", total)
		}

		invited := e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": "moi@sprout.test", "name": "Đinh Mới", "roles": []string{"staff"}}).status(201)
		if invited.get("user.active") != true || invited.get("user.last_sign_in_at") != nil {
			t.Fatalf("an invited user: %s", invited.body)
		}
		if m := e.mails("moi@sprout.test"); len(m) != 1 || m[0].Template != "account_invite" || m[0].Lang != "vi" {
			t.Fatalf("the invitation: %+v", m)
		}
		e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": "khong@sprout.test", "name": "Không Vai"}).errorCode(400, "invalid")

		// The admin the environment names, deactivated by another, is
		// back at the next start.
		other, _ := e.user("quantri2@sprout.test", "admin")
		e.authed(e.admin, "POST", "/api/v1/users/"+other+"/deactivate", nil).status(200)
		if u, _, err := e.app.Accounts.EnsureAdmin(context.Background(), "quantri2@sprout.test", "mật khẩu mới dài", ""); err != nil || !u.Active() {
			t.Fatalf("EnsureAdmin of a deactivated admin: %+v, %v", u, err)
		}
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "quantri2@sprout.test", "password": "mật khẩu mới dài"}).status(200)
		e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": "ngan@sprout.test", "password": "short", "name": "Ngắn", "roles": []string{"staff"}}).errorCode(400, "invalid")
	})
}
