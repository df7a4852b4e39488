// Package certpdf draws certificates as PDF, one A4 landscape page each:
// Vietnamese first with English beneath, the holder's name large, the
// facts the certificate's details give, the signer, and a QR code of the
// page that verifies it. A revoked certificate is drawn crossed by a
// banner that says so and why, so that a copy kept from before cannot pass
// as valid. Zip packs many as one PDF each, for a bulk download.
package certpdf

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"

	"sprout/internal/certs"
	"sprout/internal/pdffont"
	"sprout/internal/qr"
	"sprout/internal/vn"
)

// Doc is one certificate to draw.
type Doc struct {
	Cert certs.Certificate
	// VerifyURL is the absolute address of the certificate's verify page,
	// such as https://sprout.example/verify/HN-2026-000123: the QR code
	// holds it and the page prints it.
	VerifyURL string
	// Place is the city of issue, such as "Hà Nội", written before the
	// date of issue; empty leaves it out.
	Place string
}

// The page, in millimetres.
const (
	pageW, pageH = 297.0, 210.0
	// The frame's outer and inner rules lie this far in from the edge.
	frameOut, frameIn = 9.0, 11.5
	// Text keeps this far in from the edge.
	margin = 24.0
	textW  = pageW - 2*margin
	// The foot (the QR code on the left, the signature on the right)
	// starts at footTop; the body is centred in the space above it, from
	// bodyTop or, on a revoked certificate, from below the notice.
	footTop  = 146.0
	bodyTop  = 20.0
	qrSize   = 30.0
	qrBottom = 188.0
	// The signature's column, on the right.
	signW = 100.0
	signX = pageW - margin - signW
)

// ptToMM turns a font size in points into millimetres.
const ptToMM = 25.4 / 72

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	green = rgb{0x17, 0x66, 0x4a} // the app's --green-7
	deep  = rgb{0x0f, 0x3d, 0x2e} // --green-9
	ink   = rgb{0x1b, 0x24, 0x21}
	muted = rgb{0x5b, 0x6b, 0x65}
	red   = rgb{0xb4, 0x23, 0x18}
)

// Render writes one PDF of the docs, a page each. No docs make one blank
// page, so the file still opens.
func Render(w io.Writer, docs ...Doc) error {
	codes, err := qrImages(docs)
	if err != nil {
		return err
	}
	p := newPage()
	if len(docs) == 1 {
		c := docs[0].Cert
		p.f.SetTitle(clean(c.Code+" — "+c.Holder), true)
	}
	for i, d := range docs {
		p.draw(d, codes[i], i)
		if err := p.f.Error(); err != nil {
			return err
		}
	}
	if p.f.PageCount() == 0 {
		p.f.AddPage()
	}
	return p.f.Output(w)
}

// Zip writes a ZIP of one PDF a certificate, each named by its code. The
// PDFs are drawn on every core but written in order, a few at a time, so
// memory stays bounded however many there are.
func Zip(w io.Writer, docs []Doc) error {
	type result struct {
		pdf []byte
		err error
	}
	type job struct {
		doc Doc
		out chan result
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan job)
	// pending holds the results to write, in order; its size bounds how
	// many PDFs wait in memory.
	pending := make(chan chan result, 2*workers)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(pending)
		defer close(jobs)
		for _, d := range docs {
			out := make(chan result, 1)
			select {
			case pending <- out:
			case <-stop:
				return
			}
			select {
			case jobs <- job{d, out}:
			case <-stop:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				var buf bytes.Buffer
				err := Render(&buf, j.doc)
				j.out <- result{buf.Bytes(), err}
			}
		}()
	}

	z := zip.NewWriter(w)
	names := make(map[string]bool, len(docs))
	for i := 0; ; i++ {
		out, ok := <-pending
		if !ok {
			break
		}
		r := <-out
		c := docs[i].Cert
		if r.err != nil {
			return fmt.Errorf("certificate %s: %w", c.Code, r.err)
		}
		// The PDF's streams are compressed already.
		h := &zip.FileHeader{Name: fileName(c.Code, names), Method: zip.Store, Modified: c.IssuedAt}
		f, err := z.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := f.Write(r.pdf); err != nil {
			return err
		}
	}
	return z.Close()
}

// fileName is a certificate's name in a ZIP: its code, kept to letters,
// digits and dashes, and made unique among names.
func fileName(code string, names map[string]bool) string {
	base := strings.Map(func(r rune) rune {
		if r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return r
		}
		return '_'
	}, code)
	if base == "" {
		base = "certificate"
	}
	name := base + ".pdf"
	for n := 2; names[name]; n++ {
		name = base + "-" + strconv.Itoa(n) + ".pdf"
	}
	names[name] = true
	return name
}

// qrImages draws the docs' QR codes of their verify addresses.
func qrImages(docs []Doc) ([][]byte, error) {
	urls := make([]string, len(docs))
	for i, d := range docs {
		urls[i] = d.VerifyURL
	}
	return qr.ForPrint(urls)
}

// page is a document being drawn.
type page struct {
	f *fpdf.Fpdf
	// fits is whether the last fit's text fitted whole.
	fits bool
}

func newPage() *page {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "L", UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(0, 0, 0)
	f.SetCellMargin(0)
	f.SetCreator("Sprout", true)
	pdffont.Register(f)
	return &page{f: f}
}

// block is a run of lines in one font and colour.
type block struct {
	lines []string
	style string
	size  float64
	color rgb
	// gap is the space before it, in millimetres.
	gap float64
	// rule draws a short rule under it.
	rule bool
}

const lineSpacing = 1.25

func (b block) height() float64 { return b.gap + float64(len(b.lines))*b.size*ptToMM*lineSpacing }

// text makes a block of text at the largest size from hi down to lo that
// takes at most maxLines lines of width w.
func (p *page) text(s, style string, w, hi, lo float64, maxLines int, c rgb, gap float64) block {
	size, lines := p.fit(s, style, w, hi, lo, maxLines)
	return block{lines: lines, style: style, size: size, color: c, gap: gap}
}

func (p *page) draw(d Doc, qr []byte, n int) {
	f, c := p.f, d.Cert
	f.AddPage()
	p.frame()

	top := bodyTop
	if c.Status == certs.Revoked {
		top = p.notice(c) + 4
	}
	// The body sits in the middle of the space above the foot, drawn
	// smaller when long texts would not fit it.
	var body []block
	h := 0.0
	for scale := 1.0; ; scale -= 0.05 {
		body = p.body(c, scale)
		h = 0
		for _, b := range body {
			h += b.height()
		}
		if h <= footTop-top || scale < 0.6 {
			break
		}
	}
	y := top + max(0, (footTop-top-h)/2)
	for _, b := range body {
		y = p.put(margin, y, textW, b, "CM")
		if b.rule {
			f.SetDrawColor(green.r, green.g, green.b)
			f.SetLineWidth(0.4)
			f.Line(pageW/2-20, y+3.5, pageW/2+20, y+3.5)
		}
	}

	p.signature(d)
	p.verification(d, qr, n)
	if c.Status == certs.Revoked {
		p.banner((top + footTop) / 2)
	}
}

// body lays out who issues the certificate, what it is, who holds it
// and for what, at scale times the full sizes.
func (p *page) body(c certs.Certificate, scale float64) []block {
	var body []block
	add := func(b block) {
		if len(b.lines) > 0 {
			body = append(body, b)
		}
	}
	text := func(s, style string, hi, lo float64, maxLines int, c rgb, gap float64) block {
		return p.text(s, style, textW, hi*scale, lo*scale, maxLines, c, gap*scale)
	}
	issuer := text(strings.ToUpper(clean(c.Issuer)), "B", 13, 9, 2, green, 0)
	issuer.rule = true
	add(issuer)
	heading, headingEn := "CHỨNG NHẬN", "CERTIFICATE"
	connector, connectorEn := "đã hoàn thành khóa đào tạo", "has completed the training"
	if c.Kind == certs.STEnterprise {
		heading, headingEn = "GIẤY CHỨNG NHẬN DOANH NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ", "Science and Technology Enterprise Certificate"
		connector, connectorEn = "được công nhận là", "is recognised as"
	}
	head := text(heading, "B", 36, 18, 1, green, 9)
	if !p.fits {
		head = text(heading, "B", 24, 16, 2, green, 9)
	}
	add(head)
	add(text(headingEn, "", 13, 13, 1, muted, 0.5))
	add(text("Chứng nhận", "", 14, 14, 1, ink, 8))
	add(text("This certifies that", "", 10, 10, 1, muted, 0))
	holder := clean(c.Holder)
	// The name is printed whole: on one line large, else two, else three.
	name := text(holder, "B", 40, 26, 1, deep, 3)
	if !p.fits {
		name = text(holder, "B", 26, 16, 2, deep, 3)
	}
	if !p.fits {
		name = text(holder, "B", 16, 11, 3, deep, 3)
	}
	add(name)
	add(text(connector, "", 14, 14, 1, ink, 3))
	add(text(connectorEn, "", 10, 10, 1, muted, 0))
	title := clean(c.Title)
	add(text(title, "B", 20, 11, 3, deep, 3))
	if en := clean(c.Details[certs.DetailTitleEn]); en != "" && en != title {
		add(text(en, "", 12, 9, 2, muted, 0.5))
	}
	gap := 5.0
	var taxCode string
	if t := clean(c.Details[certs.DetailTaxCode]); t != "" {
		taxCode = "Mã số thuế: " + t + " · Tax code: " + t
	}
	for _, s := range []string{taxCode, dates(c.Details), hours(c.Details)} {
		if s != "" {
			add(text(s, "", 11, 9, 1, ink, gap))
			gap = 1
		}
	}
	return body
}

// frame is the double rule around the page.
func (p *page) frame() {
	f := p.f
	f.SetDrawColor(green.r, green.g, green.b)
	f.SetLineWidth(1.1)
	f.Rect(frameOut, frameOut, pageW-2*frameOut, pageH-2*frameOut, "D")
	f.SetLineWidth(0.3)
	f.Rect(frameIn, frameIn, pageW-2*frameIn, pageH-2*frameIn, "D")
	// Small squares at the inner rule's corners.
	f.SetFillColor(green.r, green.g, green.b)
	for _, x := range []float64{frameIn, pageW - frameIn} {
		for _, y := range []float64{frameIn, pageH - frameIn} {
			f.Rect(x-1.2, y-1.2, 2.4, 2.4, "F")
		}
	}
}

// signature is the foot's right column: where and when it was issued, the
// signer's post, room to sign, and the signer's name.
func (p *page) signature(d Doc) {
	c := d.Cert
	y := footTop + 2
	if !c.IssuedAt.IsZero() {
		issued := c.IssuedAt.In(vn.Zone)
		when := issueDateVi(issued)
		if place := clean(d.Place); place != "" {
			when = place + ", " + strings.ToLower(when[:1]) + when[1:]
		}
		y = p.put(signX, y, signW, p.text(when, "", signW, 11, 8, 1, ink, 0), "CM")
		y = p.put(signX, y, signW, p.text("Issued on "+issued.Format("2 January 2006"), "", signW, 9, 9, 1, muted, 0), "CM")
	}
	if t := clean(c.Details[certs.DetailSignerTitle]); t != "" {
		p.put(signX, y, signW, p.text(strings.ToUpper(t), "B", signW, 11, 8, 2, ink, 2), "CM")
	}
	if s := clean(c.Details[certs.DetailSigner]); s != "" {
		b := p.text(s, "B", signW, 13, 9, 1, deep, 0)
		p.put(signX, qrBottom-b.height(), signW, b, "CM")
	}
}

// verification is the foot's left: the QR code of the verify page, and
// beside it the code, the caption and the address.
func (p *page) verification(d Doc, qr []byte, n int) {
	f := p.f
	x := margin
	if qr != nil {
		name := "qr" + strconv.Itoa(n)
		opt := fpdf.ImageOptions{ImageType: "PNG"}
		f.RegisterImageOptionsReader(name, opt, bytes.NewReader(qr))
		f.ImageOptions(name, x, qrBottom-qrSize, qrSize, qrSize, false, opt, 0, "")
		x += qrSize + 4
	}
	w := signX - 8 - x
	var col []block
	if code := clean(d.Cert.Code); code != "" {
		col = append(col, p.text("Số / No.: "+code, "B", w, 11, 8, 1, ink, 0))
	}
	if d.VerifyURL != "" {
		col = append(col,
			p.text("Quét để xác minh · Scan to verify", "", w, 9, 8, 1, muted, 1.5),
			p.text(d.VerifyURL, "", w, 7.5, 5, 2, muted, 0.5))
	}
	h := 0.0
	for _, b := range col {
		h += b.height()
	}
	// The column ends level with the QR code's foot, a little above it
	// for the quiet zone the image carries.
	y := qrBottom - 2 - h
	for _, b := range col {
		y = p.put(x, y, w, b, "LM")
	}
}

// notice is the red strip atop a revoked certificate that says so and
// why, in lines a reader of the text finds whole; it says where it ends.
func (p *page) notice(c certs.Certificate) float64 {
	const x, pad = frameIn + 2.5, 2.5
	w := pageW - 2*x
	reason := clean(c.RevokeReason)
	if c.RevokeReason == certs.ReasonReissued && c.ReplacedBy != "" {
		reason = "Đã được cấp lại: số " + c.ReplacedBy + " · Reissued as " + c.ReplacedBy
	} else if reason != "" {
		reason = "Lý do / Reason: " + reason
	}
	white := rgb{255, 255, 255}
	body := []block{p.text("ĐÃ THU HỒI · REVOKED", "B", w-2*pad, 13, 13, 1, white, 0)}
	if reason != "" {
		body = append(body, p.text(reason, "", w-2*pad, 10, 7, 3, white, 0))
	}
	h := 2 * pad
	for _, b := range body {
		h += b.height()
	}
	y := x
	p.f.SetFillColor(red.r, red.g, red.b)
	p.f.Rect(x, y, w, h, "F")
	y += pad
	for _, b := range body {
		y = p.put(x+pad, y, w-2*pad, b, "CM")
	}
	return x + h
}

// banner crosses the body, centred on cy, with a red band that says the
// certificate was revoked: a strip atop the page could be cut off, this
// cannot without cutting the certificate.
func (p *page) banner(cy float64) {
	f := p.f
	const w, angle = 200.0, 20.0
	b := p.text("ĐÃ THU HỒI · REVOKED", "B", w-16, 30, 30, 1, rgb{255, 255, 255}, 0)
	h := b.height() + 8
	cx := pageW / 2
	x, y := cx-w/2, cy-h/2
	f.TransformBegin()
	f.TransformRotate(angle, cx, cy)
	f.SetAlpha(0.8, "Normal")
	f.SetFillColor(red.r, red.g, red.b)
	f.Rect(x, y, w, h, "F")
	f.SetAlpha(1, "Normal")
	f.SetDrawColor(255, 255, 255)
	f.SetLineWidth(0.5)
	f.Rect(x+2, y+2, w-4, h-4, "D")
	p.put(x+8, y+4, w-16, b, "CM")
	f.TransformEnd()
}

// dates says which days a certificate covers, in Vietnamese and English:
// a range, a single day, or only its start or end; "" when the details
// give none that parse.
func dates(details map[string]string) string {
	from, okFrom := day(details[certs.DetailFrom])
	to, okTo := day(details[certs.DetailTo])
	vi := func(t time.Time) string { return t.Format("02/01/2006") }
	en := func(t time.Time) string { return t.Format("2 Jan 2006") }
	switch {
	case okFrom && okTo && from.Equal(to):
		return "Ngày " + vi(from) + " · On " + en(from)
	case okFrom && okTo:
		return "Từ " + vi(from) + " đến " + vi(to) + " · From " + en(from) + " to " + en(to)
	case okFrom:
		return "Từ ngày " + vi(from) + " · From " + en(from)
	case okTo:
		return "Đến ngày " + vi(to) + " · Until " + en(to)
	}
	return ""
}

func day(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return t, err == nil
}

// hours says how long a training lasted, with the decimal comma in
// Vietnamese; "" when the details give no number a training could last
// (ParseFloat also takes "NaN" and "Inf").
func hours(details map[string]string) string {
	h, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(details[certs.DetailHours]), ",", "."), 64)
	if err != nil || !(h > 0 && h < 1e5) {
		return ""
	}
	en := strconv.FormatFloat(h, 'f', -1, 64)
	unit := "hours"
	if h == 1 {
		unit = "hour"
	}
	return "Thời lượng: " + strings.ReplaceAll(en, ".", ",") + " giờ · Duration: " + en + " " + unit
}

// issueDateVi writes a date as Vietnamese official papers do: days below
// 10 and the months January and February with a leading zero.
func issueDateVi(t time.Time) string {
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("Ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
}

// fit is pdffont.Fit, keeping in p.fits whether the text fitted whole.
func (p *page) fit(text, style string, w, hi, lo float64, maxLines int) (float64, []string) {
	size, lines, whole := pdffont.Fit(p.f, text, style, w, hi, lo, maxLines)
	p.fits = whole
	return size, lines
}

// put writes a block from y down (after its gap) in width w, aligned as
// CellFormat's alignStr says, and says where it ends.
func (p *page) put(x, y, w float64, b block, align string) float64 {
	p.f.SetTextColor(b.color.r, b.color.g, b.color.b)
	p.f.SetFont(pdffont.Family, b.style, b.size)
	y += b.gap
	h := b.size * ptToMM * lineSpacing
	for _, s := range b.lines {
		p.f.SetXY(x, y)
		p.f.CellFormat(w, h, s, "", 0, align, false, 0, "")
		y += h
	}
	return y
}

// clean makes text one line of composed characters: names typed on some
// keyboards come decomposed, and the font draws the composed letters.
func clean(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(strings.ToValidUTF8(s, ""))), " ")
}
