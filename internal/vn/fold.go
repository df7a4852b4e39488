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

// Words cuts s, folded, into the runs of letters and digits a search
// matches the start of, as SQLite's FTS5 unicode61 tokenizer cuts them:
// "An.Nguyen@example.vn" is an, nguyen, example and vn.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
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
