package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/mail"
)

// Every message id the pages and the code use exists in every language, so
// no page ever shows a raw id or half a translation.
func TestEveryUsedMessageExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	tmplID := regexp.MustCompile(`\.L\.T "([a-z0-9_.]+)"`)
	walk(t, "../../views", ".html", func(path, text string) {
		for _, m := range tmplID.FindAllStringSubmatch(text, -1) {
			used[m[1]] = path
		}
	})
	goID := regexp.MustCompile(`"((?:error|flash|mail|role|nav|field|common)\.[a-z0-9_.]+)"`)
	walk(t, "..", ".go", func(path, text string) {
		if strings.HasSuffix(path, "_test.go") {
			return
		}
		for _, m := range goID.FindAllStringSubmatch(text, -1) {
			used[m[1]] = path
		}
	})
	for _, r := range accounts.Roles {
		used["role."+string(r)] = "accounts.Roles"
	}
	for _, s := range []mail.Status{mail.StatusPending, mail.StatusSending, mail.StatusSent, mail.StatusFailed} {
		used["mail.status."+string(s)] = "mail statuses"
	}
	for _, k := range []errs.Kind{errs.Invalid, errs.Unauthorized, errs.Forbidden, errs.NotFound, errs.Conflict, errs.SoldOut,
		errs.AlreadyRegistered, errs.Closed, errs.Stale, errs.TooLarge, errs.RateLimited, errs.Internal} {
		used["error."+string(k)] = "errs kinds"
		used["error."+string(k)+".title"] = "error page titles"
	}
	if len(used) < 100 {
		t.Fatalf("only %d ids found: the scan is broken", len(used))
	}
	for id, where := range used {
		if !cat.Has(id) {
			t.Errorf("%s uses %q, which is missing in at least one language", where, id)
		}
	}
}

func walk(t *testing.T, root, ext string, fn func(path, text string)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ext {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(path, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
