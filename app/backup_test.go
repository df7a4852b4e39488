package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sprout/app"
)

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATA_DIR", dir)
	t.Setenv("LOG_LEVEL", "error")
	t.Setenv("MONGODB_URI", "")
	var out, errOut bytes.Buffer
	file := filepath.Join(t.TempDir(), "sprout-backup.db")
	if code := app.Main([]string{"backup", file}, app.Assets{}, &out, &errOut); code == 0 {
		t.Fatal("backup of a DATA_DIR without a store succeeded")
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a failed backup left its file")
	}
	if code := app.Main([]string{"admin", "create", "--email", "ha@so-khcn.vn", "--name", "Nguyễn Thu Hà", "--password", "mật khẩu đủ dài"}, app.Assets{}, &out, &errOut); code != 0 {
		t.Fatalf("admin create: %s", errOut.String())
	}
	if code := app.Main([]string{"backup", file}, app.Assets{}, &out, &errOut); code != 0 {
		t.Fatalf("backup exit %d: %s", code, errOut.String())
	}
	errOut.Reset()
	if code := app.Main([]string{"backup", file}, app.Assets{}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "exists") {
		t.Errorf("backup over an existing file: exit %d, %q; want a refusal", code, errOut.String())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*partial")); len(left) > 0 {
		t.Errorf("partial files left: %v", left)
	}

	// The copy serves on its own: the admin signs in from it.
	restored := t.TempDir()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "sprout.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATA_DIR", restored)
	out.Reset()
	if code := app.Main([]string{"admin", "create", "--email", "HA@so-khcn.vn", "--password", "mật khẩu mới đủ dài"}, app.Assets{}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "admin updated") {
		t.Errorf("the restored store does not know the admin: exit %d, %q %q", code, out.String(), errOut.String())
	}

	t.Setenv("MONGODB_URI", "mongodb://127.0.0.1:1/sprout")
	errOut.Reset()
	if code := app.Main([]string{"backup", filepath.Join(t.TempDir(), "x.db")}, app.Assets{}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "mongodump") {
		t.Errorf("backup with MONGODB_URI: exit %d, %q; want a refusal naming mongodump", code, errOut.String())
	}
}
