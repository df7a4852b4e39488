package web_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/demo"
	"sprout/internal/vn"
)

func TestDemoIsIdempotentAndPrintsWorkingLogins(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	ctx := context.Background()
	var first bytes.Buffer
	a, err := app.New(ctx, cfg, assets)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SeedDemo(ctx, &first); err != nil {
		t.Fatal(err)
	}
	_, total, _ := a.Accounts.List(ctx, accounts.UserQuery{Limit: 1})
	a.Close()

	e := newEnv(t, cfg)
	var second bytes.Buffer
	if err := e.app.SeedDemo(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("a restart prints other logins:\n%s\n%s", first.String(), second.String())
	}
	// newEnv added one admin of its own.
	if _, again, _ := e.app.Accounts.List(ctx, accounts.UserQuery{Limit: 1}); again != total+1 || total < len(demo.Accounts) {
		t.Fatalf("users: %d after the first seed, %d after the second; a second seed must add none", total, again)
	}
	for _, da := range demo.Accounts {
		line := ""
		for _, l := range strings.Split(first.String(), "\n") {
			if strings.Contains(l, da.Email) {
				line = l
			}
		}
		f := strings.Fields(line)
		if len(f) < 2 || !strings.Contains(line, da.Name) {
			t.Fatalf("no printed line for %s in:\n%s", da.Email, first.String())
		}
		r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": da.Email, "password": f[len(f)-1]}).status(200)
		if roles, _ := r.get("user.roles").([]any); len(roles) != 1 || roles[0] != string(da.Role) {
			t.Fatalf("%s has roles %v", da.Email, roles)
		}
	}
}

func TestDemoShowsALivingExpo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	ctx := context.Background()
	var out bytes.Buffer
	if err := e.app.SeedDemo(ctx, &out); err != nil {
		t.Fatal(err)
	}
	slug := "trien-lam-doi-moi-sang-tao-" + e.now().In(vn.Zone).Format("2006-01-02")
	floor := e.browser("").do("GET", "/events/"+slug+"/floor", nil)
	for status, want := range map[string]int{"assigned": 9, "held": 1, "blocked": 2, "available": 28} {
		if n := strings.Count(floor.html, `<rect class="booth-`+status); n != want {
			t.Errorf("%d %s booths on the demo floor plan, want %d", n, status, want)
		}
	}
	dir := e.browser("").do("GET", "/events/"+slug+"/exhibitors", nil)
	if n := strings.Count(dir.html, `class="startup-card"`); n != 11 {
		t.Errorf("%d exhibitors in the demo directory, want the 11 approved", n)
	}
	for _, want := range []string{"Startup vườn ươm", "Công ty CP Công nghệ Mầm Xanh", "A01", "tiết kiệm 30% nước"} {
		if !strings.Contains(dir.html, want) {
			t.Errorf("the demo directory lacks %q", want)
		}
	}
	password := func(email string) string {
		for _, l := range strings.Split(out.String(), "\n") {
			if f := strings.Fields(l); len(f) > 2 && f[len(f)-2] == email {
				return f[len(f)-1]
			}
		}
		t.Fatalf("no demo password for %s", email)
		return ""
	}
	org := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "bantochuc@demo.sprout.vn",
		"password": password("bantochuc@demo.sprout.vn")}).status(200).str("token")
	var ev string
	for _, v := range e.call("GET", "/api/v1/events", nil).status(200).get("events").([]any) {
		if m := v.(map[string]any); m["slug"] == slug {
			ev = m["id"].(string)
		}
	}
	traffic := e.authed(org, "GET", "/api/v1/events/"+ev+"/traffic", nil).status(200)
	top := traffic.get("booths").([]any)[:3]
	var ranked []string
	for _, b := range top {
		ranked = append(ranked, fmt.Sprint(b.(map[string]any)["company"], " ", b.(map[string]any)["leads"]))
	}
	if got := strings.Join(ranked, ", "); got != "Công ty CP Công nghệ Mầm Xanh 12, FPT Software Hà Nội 9, Viettel Solutions 7" {
		t.Errorf("the demo's busiest booths: %s", got)
	}
	ex := e.signIn("trienlam@demo.sprout.vn", password("trienlam@demo.sprout.vn"))
	mine := ex.do("GET", "/exhibitors/mine", nil)
	var withLeads string
	for _, m := range regexp.MustCompile(`/exhibitors/([0-9a-z]+)/leads`).FindAllStringSubmatch(mine.html, -1) {
		leads := ex.do("GET", "/exhibitors/"+m[1]+"/leads", nil)
		if n := strings.Count(leads.html, "<tr data-lead="); n > 0 {
			if n != 12 || withLeads != "" {
				t.Errorf("%d demo leads at %s, want 12 at one exhibitor", n, m[1])
			}
			withLeads = m[1]
		}
	}
	if withLeads == "" {
		t.Fatalf("no demo exhibitor has leads: %.600s", mine.html)
	}
	if staff := ex.do("GET", "/exhibitors/"+withLeads+"/staff", nil); !strings.Contains(staff.html, "Ngô Thanh Tùng") || !strings.Contains(staff.html, "2/3") {
		t.Errorf("the demo booth staff: %.600s", staff.html)
	}
}
