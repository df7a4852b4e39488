// Package pdffont holds the typeface of Sprout's PDFs, Noto Sans regular
// and bold, embedded in the binary: it covers Vietnamese, and fpdf subsets
// it into each document, so a file carries only the glyphs it uses.
package pdffont

import (
	_ "embed"

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
