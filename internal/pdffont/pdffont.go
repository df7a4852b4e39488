// Package pdffont holds the typeface of Sprout's PDFs, Noto Sans regular
// and bold, embedded in the binary: it covers Vietnamese, and fpdf subsets
// it into each document, so a file carries only the glyphs it uses.
package pdffont

import (
	_ "embed"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Family is the name the fonts are registered under: SetFont(Family, "", 12)
// for regular, SetFont(Family, "B", 12) for bold.
const Family = "noto"

var (
	//go:embed fonts/NotoSans-Regular.ttf
	regular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	bold []byte
)

// Register adds the regular and bold faces to f as Family.
func Register(f *fpdf.Fpdf) {
	f.AddUTF8FontFromBytes(Family, "", regular)
	f.AddUTF8FontFromBytes(Family, "B", bold)
}

// Fit finds the largest font size from hi down to lo at which text takes
// at most maxLines lines of width w, and sets f's font to it. At lo, lines
// past maxLines are dropped, the last one ends with an ellipsis, and whole
// is false.
func Fit(f *fpdf.Fpdf, text, style string, w, hi, lo float64, maxLines int) (size float64, lines []string, whole bool) {
	if text == "" {
		return lo, nil, true
	}
	size = hi
	for {
		f.SetFont(Family, style, size)
		lines = f.SplitText(text, w)
		if len(lines) <= maxLines {
			return size, lines, true
		}
		if size <= lo {
			lines = lines[:maxLines]
			last := []rune(lines[maxLines-1])
			for len(last) > 0 && f.GetStringWidth(string(last)+"…") > w {
				last = last[:len(last)-1]
			}
			lines[maxLines-1] = strings.TrimSpace(string(last)) + "…"
			return size, lines, false
		}
		size = max(lo, size-1)
	}
}
