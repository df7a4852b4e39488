package app_test

import (
	"bytes"
	"context"
	"os"
	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/errs"
	"strings"
	"testing"
)

func TestAdminCreateCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATA_DIR", dir)
	t.Setenv("LOG_LEVEL", "error")
	t.Setenv("ADMIN_PASSWORD", "")
	var out, errOut bytes.Buffer
	if code := app.Main([]string{"admin", "create", "--email", "ha@so-khcn.vn", "--name", "Nguyễn Thu Hà", "--password", "first password"}, app.Assets{}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "admin created: Nguyễn Thu Hà <ha@so-khcn.vn>") {
		t.Fatalf("output: %s", out.String())
	}
	out.Reset()
	if code := app.Main([]string{"admin", "create", "--email", "HA@so-khcn.vn", "--password", "second password"}, app.Assets{}, &out, &errOut); code != 0 {
		t.Fatalf("reset exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "admin updated") {
		t.Fatalf("output: %s", out.String())
	}
	errOut.Reset()
	if code := app.Main([]string{"admin", "create", "--email", "x@so-khcn.vn", "--password", "short"}, app.Assets{}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "10") {
		t.Fatalf("a short password: exit %d, %q", code, errOut.String())
	}
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, app.Assets{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Accounts.Login(context.Background(), "ha@so-khcn.vn", "first password", "127.0.0.1"); errs.KindOf(err) != errs.Unauthorized {
		t.Fatalf("the first password still signs in: %v", err)
	}
	u, err := a.Accounts.Login(context.Background(), "ha@so-khcn.vn", "second password", "127.0.0.1")
	if err != nil || len(u.Roles) != 1 || u.Roles[0] != accounts.RoleAdmin {
		t.Fatalf("signing in with the new password: %+v, %v", u, err)
	}
	if code := app.Main([]string{"version"}, app.Assets{}, &out, &errOut); code != 0 || !strings.Contains(out.String(), app.Version) {
		t.Fatal("version")
	}
	if code := app.Main([]string{"fly"}, app.Assets{}, &out, &errOut); code != 2 {
		t.Fatal("an unknown verb must exit 2")
	}
}
