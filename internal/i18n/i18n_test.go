package i18n

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
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

// viMessages reads every Vietnamese message as written, placeholders and
// all, by id.
func viMessages(t *testing.T) map[string]string {
	t.Helper()
	names, err := fs.Glob(locales, "locales/*vi.json")
	if err != nil || len(names) < 2 {
		t.Fatalf("vi message files %v: %v", names, err)
	}
	all := map[string]string{}
	for _, name := range names {
		data, err := locales.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		maps.Copy(all, msgs)
	}
	return all
}

// oldToneMark is a tone mark placed the old way in an open syllable, as in
// "khoá", "huỷ": Sprout writes them the modern way, "khóa", "hủy" (qu- is
// the same either way, as in "quý").
var oldToneMark = regexp.MustCompile(`(?:[oO][àáảãạ]|(?:^|[^qQ])[uU][ýỳỷỹỵ])(?:$|\P{L})`)

// Vietnamese is spelt one way: "khóa" and "hủy", never also "khoá" and
// "huỷ", which readers and search would take for different words.
func TestVietnameseMarksTonesOneWay(t *testing.T) {
	for id, text := range viMessages(t) {
		if m := oldToneMark.FindString(text); m != "" {
			t.Errorf("%s: %q has the tone marked the old way in %q", id, text, m)
		}
	}
}

// placeholder is a message's argument, {{.Count}} or {name}: code, not words.
var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}|\{[a-z_]+\}`)

// Vietnamese pages say in Vietnamese what has a plain Vietnamese word:
// these English words crept in before and have one each.
func TestVietnameseHasNoStrayEnglish(t *testing.T) {
	deny := []string{"lead", "leads", "booth", "booths", "dashboard"}
	between := regexp.MustCompile(`\P{L}+`)
	for id, text := range viMessages(t) {
		words := between.Split(placeholder.ReplaceAllString(text, " "), -1)
		for _, w := range words {
			if slices.Contains(deny, strings.ToLower(w)) {
				t.Errorf("%s: %q says %q", id, text, w)
			}
		}
	}
}

func TestDecimalsFollowTheLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		f    float64
		want string
	}{{"vi", 7.5, "7,5"}, {"en", 7.5, "7.5"}, {"vi", 9, "9"}, {"en", 1234.25, "1,234.25"}} {
		if got := c.For(tc.lang).Dec(tc.f); got != tc.want {
			t.Errorf("%s %v = %q, want %q", tc.lang, tc.f, got, tc.want)
		}
	}
}
