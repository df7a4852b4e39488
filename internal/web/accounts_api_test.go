package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"sprout/internal/accounts"
)

func userCount(t *testing.T, e *env) int {
	t.Helper()
	_, total, err := e.app.Accounts.List(context.Background(), accounts.UserQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func TestAccountsAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "Lan.Nguyen@Example.VN", "password": "mật khẩu an toàn", "name": "Nguyễn Thị Lan"})
		r.status(201)
		if r.str("user.email") != "lan.nguyen@example.vn" || r.str("user.name") != "Nguyễn Thị Lan" || r.str("user.id") == "" {
			t.Fatalf("signup user: %s", r.body)
		}
		if roles := fmt.Sprint(r.get("user.roles")); roles != "[founder]" {
			t.Fatalf("roles %s, want [founder]", roles)
		}
		if strings.Contains(string(r.body), "password") || strings.Contains(string(r.body), "argon2") {
			t.Fatalf("signup answer leaks the password hash: %s", r.body)
		}

		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "lan.nguyen@example.vn", "password": "another password", "name": "Lan"}).
			errorCode(409, "conflict")
		msg := e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "short@example.vn", "password": "123456789", "name": "Short"}).
			errorCode(400, "invalid")
		if !strings.Contains(msg, "10") || !strings.Contains(msg, "ký tự") {
			t.Fatalf("Vietnamese by default: %q", msg)
		}
		msg = e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "short@example.vn", "password": "123456789", "name": "Short"}, "Accept-Language", "en-US,en;q=0.9").
			errorCode(400, "invalid")
		if !strings.Contains(msg, "at least 10 characters") {
			t.Fatalf("English when asked: %q", msg)
		}

		r = e.call("POST", "/api/v1/auth/login", map[string]any{"email": "LAN.NGUYEN@example.vn", "password": "mật khẩu an toàn"})
		r.status(200)
		token := r.str("token")
		if r.str("user.email") != "lan.nguyen@example.vn" || len(token) < 32 {
			t.Fatalf("login: %s", r.body)
		}
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "lan.nguyen@example.vn", "password": "wrong password"}).errorCode(401, "unauthorized")
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.vn", "password": "wrong password"}).errorCode(401, "unauthorized")

		me := e.authed(token, "GET", "/api/v1/me", nil).status(200)
		if me.str("user.email") != "lan.nguyen@example.vn" {
			t.Fatalf("me: %s", me.body)
		}
		e.call("GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
		e.authed("not-a-token", "GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
		e.call("GET", "/api/v1/me", nil, "Authorization", "Basic Zm9vOmJhcg==").errorCode(401, "unauthorized")

		// Only admins create users, with any roles of the list.
		newUser := map[string]any{"email": "bao.tran@example.vn", "password": "organizer-pass", "name": "Trần Quốc Bảo", "roles": []string{"organizer", "staff"}}
		e.call("POST", "/api/v1/users", newUser).errorCode(401, "unauthorized")
		e.authed(token, "POST", "/api/v1/users", newUser).errorCode(403, "forbidden")
		bad := map[string]any{"email": "x@example.vn", "password": "organizer-pass", "name": "X", "roles": []string{"superuser"}}
		e.authed(e.admin, "POST", "/api/v1/users", bad).errorCode(400, "invalid")
		r = e.authed(e.admin, "POST", "/api/v1/users", newUser).status(201)
		if fmt.Sprint(r.get("user.roles")) != "[organizer staff]" {
			t.Fatalf("created roles: %s", r.body)
		}
		e.authed(e.admin, "POST", "/api/v1/users", newUser).errorCode(409, "conflict")

		// A role removed shows at once on the user's next request.
		bao := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "bao.tran@example.vn", "password": "organizer-pass"}).status(200).str("token")
		e.authed(bao, "GET", "/api/v1/me", nil).status(200)
		e.authed(e.admin, "POST", "/api/v1/users/"+r.str("user.id")+"/roles", map[string]any{"role": "staff", "grant": false}).status(200)
		if roles := fmt.Sprint(e.authed(bao, "GET", "/api/v1/me", nil).status(200).get("user.roles")); roles != "[organizer]" {
			t.Fatalf("roles after removal: %s", roles)
		}

		// Logout revokes the token.
		e.authed(token, "POST", "/api/v1/auth/logout", nil).status(200)
		e.authed(token, "GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
	})
}

func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "target@example.vn", "password": "right password", "name": "Mục Tiêu"}).status(201)
		codes := []int{}
		for range 12 {
			codes = append(codes, e.call("POST", "/api/v1/auth/login", map[string]any{"email": "target@example.vn", "password": "wrong password"}).code)
		}
		if fmt.Sprint(codes) != "[401 401 401 401 401 401 401 401 401 401 429 429]" {
			t.Fatalf("failed logins answered %v", codes)
		}
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "target@example.vn", "password": "right password"}).errorCode(429, "rate_limited")
		// Another account from the same client still signs in...
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "admin@sprout.test", "password": "admin-password-1"}).status(200)
		// ...until the client itself has failed 20 times, whatever the accounts.
		for i := range 10 {
			e.call("POST", "/api/v1/auth/login", map[string]any{"email": fmt.Sprintf("guess%d@example.vn", i), "password": "wrong password"}).errorCode(401, "unauthorized")
		}
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "guess9@example.vn", "password": "wrong password"}).errorCode(429, "rate_limited")
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "admin@sprout.test", "password": "admin-password-1"}).errorCode(429, "rate_limited")
	})
}

func TestPasswordResetByMail(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "quen@example.vn", "password": "old password 1", "name": "Hay Quên"}).status(201)
		old := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "quen@example.vn", "password": "old password 1"}).status(200).str("token")

		e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "nobody@example.vn"}).status(202)
		e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "quen@example.vn"}).status(202)
		msgs := e.mails("quen@example.vn")
		if len(msgs) != 1 {
			t.Fatalf("one reset mail to the user: %d", len(msgs))
		}
		if _, none, _ := e.app.Store.ListMail(ctx, mailQuery("nobody@example.vn")); none != 0 {
			t.Fatal("a mail went to an address without an account")
		}
		link := resetLink(t, msgs[0].Text)
		token := link[strings.LastIndex(link, "/")+1:]

		e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "short"}).errorCode(400, "invalid")
		e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "new password 2"}).status(200)
		e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "new password 3"}).errorCode(404, "not_found")
		e.authed(old, "GET", "/api/v1/me", nil).errorCode(401, "unauthorized")
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "quen@example.vn", "password": "old password 1"}).errorCode(401, "unauthorized")
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "quen@example.vn", "password": "new password 2"}).status(200)
	})
}

// Bad input gets the contract's 4xx error and writes nothing.
func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		before := userCount(t, e)
		huge := `{"email":"big@example.vn","password":"long enough","name":"` + strings.Repeat("a", 12<<20) + `"}`
		cases := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"malformed JSON", `{"email": "a@example.vn", "password": `, 400, "invalid"},
			{"not an object", `[1,2,3]`, 400, "invalid"},
			{"two values", `{"email":"a@example.vn","password":"long enough","name":"A"} {}`, 400, "invalid"},
			{"wrong types", map[string]any{"email": 42, "password": true, "name": []int{1}}, 400, "invalid"},
			{"unknown field", map[string]any{"email": "u@example.vn", "password": "long enough", "name": "U", "roles": []string{"admin"}}, 400, "invalid"},
			{"12 MB body", huge, 413, "too_large"},
			{"5,000-character email", map[string]any{"email": strings.Repeat("a", 4990) + "@example.vn", "password": "long enough", "name": "A"}, 400, "invalid"},
			{"invalid UTF-8", []byte("{\"email\":\"x@example.vn\",\"password\":\"long enough\",\"name\":\"\xff\xfe\"}"), 400, "invalid"},
			{"empty body", "", 400, "invalid"},
			{"control characters in the name", map[string]any{"email": "c@example.vn", "password": "long enough", "name": "A\u0000B"}, 400, "invalid"},
			{"no name", map[string]any{"email": "n@example.vn", "password": "long enough"}, 400, "invalid"},
			{"not an email", map[string]any{"email": "Lan <lan@example.vn>", "password": "long enough", "name": "Lan"}, 400, "invalid"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				e.call("POST", "/api/v1/auth/signup", c.body).errorCode(c.status, c.code)
			})
		}
		e.t = t
		e.call("POST", "/api/v1/auth/login", `{"email":`).errorCode(400, "invalid")
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": []string{"x"}}).errorCode(400, "invalid")
		e.authed(e.admin, "POST", "/api/v1/users", `{"email":"q@example.vn","password":"long enough","name":"Q","roles":"admin"}`).errorCode(400, "invalid")
		e.call("GET", "/api/v1/nothing-here", nil).errorCode(404, "not_found")
		if after := userCount(t, e); after != before {
			t.Fatalf("bad input wrote users: %d before, %d after", before, after)
		}
	})
}
