// Package badges draws name badges as PDF: the person's name large, their
// organisation and job title, their ticket type as a coloured band and
// their ticket's QR code, in two sizes — A6, four to an A4 sheet, and a
// 62 mm continuous label. The typeface, Noto Sans, is embedded in the
// binary (see pdffont) and subset into each document once, so a document of
// hundreds of badges carries only the glyphs it uses.
package badges

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"

	"sprout/internal/pdffont"
	"sprout/internal/qr"
)

// Size is a badge's format.
type Size string

const (
	// A6 badges are 105 × 148 mm, four to an A4 sheet, to cut apart.
	A6 Size = "a6"
	// Label badges are 62 mm wide, one a page, for the continuous roll of
	// the common label printers (Brother QL, DK-22205).
	Label Size = "label"
)

// ParseSize reads a size as a query string names it; "" is A6.
func ParseSize(s string) (Size, bool) {
	switch Size(s) {
	case "", A6:
		return A6, true
	case Label:
		return Label, true
	}
	return "", false
}

// Badge is what one badge shows.
type Badge struct {
	Name         string
	Organisation string
	JobTitle     string
	// Type is the ticket type's name, written on the band; Colour picks
	// the band's colour (see Colours).
	Type   string
	Colour int
	Event  string
	// Token is what the QR code holds: the ticket's signed token.
	Token string
}

// RGB is a colour.
type RGB struct{ R, G, B int }

// Colours are the bands' colours, dark enough for white text and apart
// enough to tell at a glance. A ticket type takes the one of its order
// (Colour(i)), so its colour stays the same from one print to the next.
var Colours = []RGB{
	{0x1b, 0x6e, 0x3c}, // green
	{0x1d, 0x4e, 0x89}, // blue
	{0xb0, 0x3a, 0x2e}, // red
	{0x6a, 0x3d, 0x9a}, // purple
	{0xc0, 0x6c, 0x00}, // orange
	{0x0f, 0x76, 0x7a}, // teal
	{0x8a, 0x2b, 0x5e}, // plum
	{0x44, 0x4b, 0x55}, // slate
}

// Colour is the band colour of the i-th ticket type.
func Colour(i int) RGB {
	if i < 0 {
		i = -i
	}
	return Colours[i%len(Colours)]
}

// layout is where a size puts things, in millimetres from a badge's top
// left corner.
type layout struct {
	w, h        float64
	margin      float64
	band        float64
	bandFont    float64
	eventFont   float64
	nameMax     float64
	nameMin     float64
	orgFont     float64
	jobFont     float64
	qr          float64
	qrBottom    float64
	lineSpacing float64
}

var layouts = map[Size]layout{
	A6: {w: 105, h: 148, margin: 7, band: 18, bandFont: 15, eventFont: 9, nameMax: 28, nameMin: 14,
		orgFont: 13, jobFont: 11, qr: 42, qrBottom: 7, lineSpacing: 1.2},
	Label: {w: 62, h: 100, margin: 4, band: 11, bandFont: 11, eventFont: 7, nameMax: 20, nameMin: 10,
		orgFont: 10, jobFont: 8.5, qr: 32, qrBottom: 4, lineSpacing: 1.15},
}

// ptToMM turns a font size in points into millimetres.
const ptToMM = 25.4 / 72

// doc is a document of badges being drawn.
type doc struct {
	f    *fpdf.Fpdf
	size Size
	l    layout
	n    int
	// fits is whether the last fit's text fitted whole.
	fits bool
}

// Render writes a document of the badges in the size: a label a page, or
// A6 four to an A4 sheet. No badges make one blank page, so the file still
// opens.
func Render(w io.Writer, size Size, list []Badge) error {
	codes, err := qrImages(list)
	if err != nil {
		return err
	}
	d := newDoc(size)
	for i, b := range list {
		d.add(b, codes[i])
		if err := d.f.Error(); err != nil {
			return err
		}
	}
	if d.f.PageCount() == 0 {
		d.f.AddPage()
	}
	return d.f.Output(w)
}

func newDoc(size Size) *doc {
	l, ok := layouts[size]
	if !ok {
		size, l = A6, layouts[A6]
	}
	page := fpdf.SizeType{Wd: 210, Ht: 297}
	if size == Label {
		page = fpdf.SizeType{Wd: l.w, Ht: l.h}
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: page})
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(0, 0, 0)
	f.SetCellMargin(0)
	f.SetCreator("Sprout", true)
	pdffont.Register(f)
	return &doc{f: f, size: size, l: l}
}

// qrImages draws the badges' QR codes.
func qrImages(list []Badge) ([][]byte, error) {
	tokens := make([]string, len(list))
	for i, b := range list {
		tokens[i] = b.Token
	}
	return qr.ForPrint(tokens)
}

// add draws one more badge: on a new page for a label, in the next
// quarter of the sheet for A6.
func (d *doc) add(b Badge, qr []byte) {
	var x, y float64
	switch d.size {
	case Label:
		d.f.AddPage()
	default:
		slot := d.n % 4
		if slot == 0 {
			d.f.AddPage()
			d.cutMarks()
		}
		x, y = float64(slot%2)*d.l.w, float64(slot/2)*d.l.h
	}
	d.draw(x, y, b, qr)
	d.n++
}

// cutMarks are the faint lines between the four badges of a sheet.
func (d *doc) cutMarks() {
	d.f.SetDrawColor(200, 200, 200)
	d.f.SetLineWidth(0.2)
	d.f.SetDashPattern([]float64{2, 2}, 0)
	d.f.Line(d.l.w, 0, d.l.w, 2*d.l.h)
	d.f.Line(0, d.l.h, 2*d.l.w, d.l.h)
	d.f.SetDashPattern(nil, 0)
}

func (d *doc) draw(x, y float64, b Badge, qr []byte) {
	f, l := d.f, d.l
	inner := l.w - 2*l.margin

	// The band and the type's name on it.
	c := Colour(b.Colour)
	f.SetFillColor(c.R, c.G, c.B)
	f.Rect(x, y, l.w, l.band, "F")
	f.SetTextColor(255, 255, 255)
	size, lines := d.fit(clean(b.Type), "B", inner, l.bandFont, l.bandFont*0.6, 1)
	d.lines(x+l.margin, y+(l.band-size*ptToMM*l.lineSpacing)/2, inner, size, lines)

	// The event, small, under the band.
	cy := y + l.band + l.margin*0.6
	f.SetTextColor(90, 90, 90)
	if ev := clean(b.Event); ev != "" {
		size, lines = d.fit(ev, "", inner, l.eventFont, l.eventFont, 1)
		cy = d.lines(x+l.margin, cy, inner, size, lines)
	}

	// The name, on one line if it fits large enough, else on two; then
	// who they work for.
	cy += l.margin * 0.8
	f.SetTextColor(20, 20, 20)
	size, lines = d.fit(clean(b.Name), "B", inner, l.nameMax, l.nameMax*0.75, 1)
	if !d.fits {
		size, lines = d.fit(clean(b.Name), "B", inner, l.nameMax, l.nameMin, 2)
	}
	cy = d.lines(x+l.margin, cy, inner, size, lines) + l.margin*0.4
	if org := clean(b.Organisation); org != "" {
		size, lines = d.fit(org, "", inner, l.orgFont, l.orgFont*0.8, 2)
		cy = d.lines(x+l.margin, cy, inner, size, lines)
	}
	if job := clean(b.JobTitle); job != "" {
		f.SetTextColor(90, 90, 90)
		size, lines = d.fit(job, "", inner, l.jobFont, l.jobFont*0.8, 1)
		d.lines(x+l.margin, cy, inner, size, lines)
	}

	// The ticket's QR code, at the foot.
	if qr == nil {
		return
	}
	name := "qr" + strconv.Itoa(d.n)
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	f.RegisterImageOptionsReader(name, opt, bytes.NewReader(qr))
	f.ImageOptions(name, x+(l.w-l.qr)/2, y+l.h-l.qrBottom-l.qr, l.qr, l.qr, false, opt, 0, "")
}

// fit is pdffont.Fit, keeping in d.fits whether the text fitted whole.
func (d *doc) fit(text, style string, w, hi, lo float64, maxLines int) (float64, []string) {
	size, lines, whole := pdffont.Fit(d.f, text, style, w, hi, lo, maxLines)
	d.fits = whole
	return size, lines
}

// lines writes lines centred in width w from y down, in the font fit
// set, and says where they end.
func (d *doc) lines(x, y, w, size float64, lines []string) float64 {
	h := size * ptToMM * d.l.lineSpacing
	for _, s := range lines {
		d.f.SetXY(x, y)
		d.f.CellFormat(w, h, s, "", 0, "CM", false, 0, "")
		y += h
	}
	return y
}

// clean makes text one line of composed characters: names typed on some
// keyboards come decomposed, and the font draws the composed letters.
func clean(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}
