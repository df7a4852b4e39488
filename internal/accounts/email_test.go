package accounts

import (
	"testing"

	"sprout/internal/errs"
)

func TestNormalizeEmailMakesLookalikeSpellingsOne(t *testing.T) {
	nfc, nfd := "caf\u00e9@example.vn", "cafe\u0301@example.vn"
	for _, in := range []string{nfc, nfd, " CAFE\u0301@Example.VN ", "CAF\u00c9@EXAMPLE.VN"} {
		if got := NormalizeEmail(in); got != nfc {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, nfc)
		}
	}
	if err := CheckEmail(NormalizeEmail(nfd)); err != nil {
		t.Errorf("%q refused: %v", nfd, err)
	}
	// Lower case, not full folding: "ß" stays, as a domain under IDNA2008.
	if got := NormalizeEmail("STRAßE@example.de"); got != "straße@example.de" {
		t.Errorf("NormalizeEmail folded ß: %q", got)
	}
}

func TestCheckEmailRefusesHiddenAndLookalikeCharacters(t *testing.T) {
	refused := map[string]string{
		"zero-width space":    "an\u200bna@example.vn",
		"zero-width joiner":   "an\u200dna@example.vn",
		"right-to-left over":  "anna\u202e@example.vn",
		"left-to-right mark":  "anna@exa\u200emple.vn",
		"bidi isolate":        "\u2066anna@example.vn",
		"soft hyphen":         "an\u00adna@example.vn",
		"byte order mark":     "\ufeffanna@example.vn",
		"control":             "an\u0007na@example.vn",
		"variation selector":  "anna\ufe0f@example.vn",
		"hangul filler":       "anna\u3164@example.vn",
		"no-break space":      "anna\u00a0@example.vn",
		"private use":         "anna\ue000@example.vn",
		"cyrillic a in latin": "p\u0430ypal@example.vn",
		"greek o in domain":   "anna@exam\u03bfple.vn",
		"fullwidth letter":    "\uff41nna@example.vn",
		"mathematical letter": "\U0001d41anna@example.vn",
	}
	for name, email := range refused {
		err := CheckEmail(NormalizeEmail(email))
		if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || e.Field != "email" {
			t.Errorf("%s: CheckEmail(%q) = %v, want an invalid email field", name, email, err)
		}
	}
	for _, email := range []string{
		"nguyễn.văn.a@example.vn", "anna@bücher.de", "иван@пример.рф", "δοκιμή@παράδειγμα.ελ", "李@例子.中国",
		"anna+events@example.vn",
	} {
		if err := CheckEmail(NormalizeEmail(email)); err != nil {
			t.Errorf("CheckEmail(%q) = %v, want it accepted", email, err)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"lan@example.vn":     "l***@example.vn",
		"ánh@example.vn":     "á***@example.vn",
		"a@example.vn":       "a***@example.vn",
		"not an address":     "***",
		"@example.vn":        "***",
		"x@y@example.vn":     "x***@example.vn",
		"nguyen@sprout.test": "n***@sprout.test",
	} {
		if got := MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}
