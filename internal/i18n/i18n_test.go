package i18n

import (
	"slices"
	"strings"
	"testing"
)

// Every message exists in every language, and none is left empty.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := c.IDs("vi"), c.IDs("en")
	if len(vi) < 20 {
		t.Fatalf("only %d messages in vi", len(vi))
	}
	for _, id := range vi {
		if !slices.Contains(en, id) {
			t.Errorf("%q is in vi but not in en", id)
		}
	}
	for _, id := range en {
		if !slices.Contains(vi, id) {
			t.Errorf("%q is in en but not in vi", id)
		}
	}
	for _, l := range Langs {
		for _, id := range c.IDs(l) {
			if strings.TrimSpace(c.T(l, id, nil)) == "" {
				t.Errorf("%s: %q is empty", l, id)
			}
		}
	}
}

func TestTranslateAndMatch(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.For("vi").T("error.password_short", "Min", 10); !strings.Contains(got, "10") || !strings.Contains(got, "Mật khẩu") {
		t.Errorf("vi: %q", got)
	}
	if got := c.For("en").T("error.password_short", "Min", 10); !strings.Contains(got, "10 characters") {
		t.Errorf("en: %q", got)
	}
	if got := c.For("xx").Code; got != "vi" {
		t.Errorf("unknown language served as %q", got)
	}
	for header, want := range map[string]string{
		"": "vi", "en": "en", "en-US,en;q=0.9": "en", "vi-VN,vi;q=0.9,en;q=0.5": "vi",
		"fr-FR": "vi", "de, en;q=0.3": "en", "garbage;;;": "vi",
	} {
		if got := c.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

// Counts read as people write them: a dot between thousands in
// Vietnamese, a comma in English, in a message's placeholders as well.
func TestNumbersGroupThousandsByLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := c.For("vi"), c.For("en")
	for _, tc := range []struct {
		l    Lang
		n    any
		want string
	}{{vi, 1500, "1.500"}, {en, 1500, "1,500"}, {vi, int64(1001500), "1.001.500"}, {en, 999, "999"}, {vi, -2500, "-2.500"}, {en, "x", "x"}} {
		if got := tc.l.Num(tc.n); got != tc.want {
			t.Errorf("%s Num(%v) = %q, want %q", tc.l.Code, tc.n, got, tc.want)
		}
	}
	if got := vi.T("manage.regs.count", "Count", 1500); !strings.Contains(got, "1.500") {
		t.Errorf("vi count message %q", got)
	}
	if got := en.T("manage.regs.count", "Count", 1500); !strings.Contains(got, "1,500") {
		t.Errorf("en count message %q", got)
	}
}
