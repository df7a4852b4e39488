// Package vn holds what Vietnamese-first means in code: folding diacritics
// for search and the time zone dates are shown in.
package vn

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s, strips diacritics (đ/Đ included, which Unicode does
// not decompose) and collapses white space, so "Nguyễn  Văn A" and
// "nguyen van a" fold alike.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

// Words cuts s, folded, into the words a search matches the start of:
// runs of letters and runs of digits, so "An.Nguyen2024@example.vn" is
// an, nguyen, 2024, example and vn. Digits apart, the number in an email
// is found as a word, and "nguyen" starts one word of every Nguyễn's email
// rather than as many words as there are of them.
func Words(s string) []string {
	f := Fold(s)
	var words []string
	start, digits := -1, false
	for i, r := range f {
		word, digit := unicode.IsLetter(r) || unicode.IsNumber(r), unicode.IsNumber(r)
		if start >= 0 && (!word || digit != digits) {
			words, start = append(words, f[start:i]), -1
		}
		if word && start < 0 {
			start, digits = i, digit
		}
	}
	if start >= 0 {
		words = append(words, f[start:])
	}
	return words
}

// Zone is Asia/Ho_Chi_Minh. Vietnam has kept UTC+7 without daylight saving
// since 1975, so a fixed zone is exact when tzdata is missing.
var Zone = loadZone()

func loadZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}
