package certpdf_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"sprout/internal/pdffont/pdftest"
	"strconv"
	"strings"
	"testing"
	"time"

	"sprout/internal/certpdf"
	"sprout/internal/certs"
	"sprout/internal/qr/qrtest"
)

const verifyURL = "https://sprout.example.vn/verify/HN-2026-000123"

// tuyet is a training certificate with every detail set.
var tuyet = certs.Certificate{
	Code: "HN-2026-000123", Kind: certs.Training, Holder: "Nguyễn Thị Ánh Tuyết",
	Title: "Chuyển đổi số cho doanh nghiệp nhỏ", Issuer: "Sở Khoa học và Công nghệ Hà Nội",
	// 17 November in Hanoi, still the 16th in UTC.
	IssuedAt: time.Date(2026, 11, 16, 20, 30, 0, 0, time.UTC), Status: certs.Valid,
	Details: map[string]string{
		certs.DetailFrom: "2026-11-03", certs.DetailTo: "2026-11-17", certs.DetailHours: "7.5",
		certs.DetailTitleEn: "Digital transformation for small businesses",
		certs.DetailSigner:  "Trần Văn Minh", certs.DetailSignerTitle: "Giám đốc",
	},
}

func render(t testing.TB, docs ...certpdf.Doc) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := certpdf.Render(&buf, docs...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func doc(c certs.Certificate) certpdf.Doc {
	return certpdf.Doc{Cert: c, VerifyURL: "https://sprout.example.vn/verify/" + c.Code, Place: "Hà Nội"}
}

func contains(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

func lacks(t *testing.T, what, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("%s has %q:\n%s", what, w, got)
		}
	}
}

// shot saves a picture of a PDF's first page as name in SHOTS_DIR when it
// is set, for the README and for a person to look at.
func shot(t *testing.T, pdf []byte, name string) {
	t.Helper()
	dir := os.Getenv("SHOTS_DIR")
	if dir == "" {
		return
	}
	tmp, _ := pdftest.Run(t, pdf, "pdftoppm", "-png", "-r", "110", "-singlefile", "FILE", "shot")
	b, err := os.ReadFile(filepath.Join(tmp, "shot.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVietnameseTextReadsBack(t *testing.T) {
	pdf := render(t, doc(tuyet))
	shot(t, pdf, "certificate-sample.png")
	got := pdftest.Text(t, pdf)
	contains(t, "certificate", got, tuyet.Holder, tuyet.Code, tuyet.Title, strings.ToUpper(tuyet.Issuer),
		"CHỨNG NHẬN", "CERTIFICATE", "Chứng nhận", "This certifies that",
		"đã hoàn thành khóa đào tạo", "has completed the training", "Digital transformation for small businesses",
		"Từ 03/11/2026 đến 17/11/2026 · From 3 Nov 2026 to 17 Nov 2026",
		"Thời lượng: 7,5 giờ · Duration: 7.5 hours",
		"Hà Nội, ngày 17 tháng 11 năm 2026", "Issued on 17 November 2026",
		"GIÁM ĐỐC", "Trần Văn Minh", "Số / No.: HN-2026-000123",
		"Quét để xác minh · Scan to verify", verifyURL)
	lacks(t, "valid certificate", got, "REVOKED", "THU HỒI")
}

// A name typed decomposed (a base letter and combining marks) is printed
// composed, as the font draws it.
func TestDecomposedNamePrintsComposed(t *testing.T) {
	c := tuyet
	c.Holder = "Nguye\u0302\u0303n Thi\u0323 A\u0301nh Tuye\u0302\u0301t"
	contains(t, "certificate", pdftest.Text(t, render(t, doc(c))), tuyet.Holder)
}

func TestA4Landscape(t *testing.T) {
	_, info := pdftest.Run(t, render(t, doc(tuyet), doc(tuyet)), "pdfinfo", "FILE")
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	s := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info)
	if m == nil || s == nil {
		t.Fatalf("pdfinfo: %s", info)
	}
	w, _ := strconv.ParseFloat(s[1], 64)
	h, _ := strconv.ParseFloat(s[2], 64)
	if m[1] != "2" || int(w+0.5) != 842 || int(h+0.5) != 595 {
		t.Errorf("two certificates: %s pages of %.2f x %.2f pts, want 2 of 842 x 595", m[1], w, h)
	}
}

func TestQRReadsBackToVerifyURL(t *testing.T) {
	dir, _ := pdftest.Run(t, render(t, doc(tuyet)), "pdfimages", "-png", "FILE", "img")
	imgs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(imgs) != 1 {
		t.Fatalf("certificate has %d images, want 1", len(imgs))
	}
	data, err := os.ReadFile(imgs[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, err := qrtest.DecodePNG(data); err != nil || got != verifyURL {
		t.Errorf("QR reads %q, %v; want %q", got, err, verifyURL)
	}
}

func TestRevokedSaysSoAndWhy(t *testing.T) {
	c := tuyet
	c.Status, c.RevokeReason = certs.Revoked, "Không tham dự đủ số buổi học"
	pdf := render(t, doc(c))
	shot(t, pdf, "certificate-revoked-sample.png")
	contains(t, "revoked certificate", pdftest.Text(t, pdf), "ĐÃ THU HỒI · REVOKED", "Lý do / Reason: "+c.RevokeReason)

	// One revoked because it was corrected names the one that replaces it.
	c.RevokeReason, c.ReplacedBy = certs.ReasonReissued, "HN-2026-000200"
	contains(t, "re-issued certificate", pdftest.Text(t, render(t, doc(c))), "REVOKED", "Reissued as HN-2026-000200")
}

// Details left out leave their lines out: no empty labels.
func TestMissingDetailsLeaveNoLabels(t *testing.T) {
	c := tuyet
	c.Details = map[string]string{certs.DetailTitleEn: tuyet.Title}
	got := pdftest.Text(t, render(t, certpdf.Doc{Cert: c, VerifyURL: verifyURL}))
	lacks(t, "certificate without details", got, "giờ", "Thời lượng", "Duration", "Từ ", "From", "Until",
		"GIÁM ĐỐC", "Hà Nội,", "Lý do", "Reason")
	contains(t, "certificate without details", got, "Ngày 17 tháng 11 năm 2026", tuyet.Title)
	if strings.Count(got, tuyet.Title) != 1 {
		t.Errorf("an English title like the Vietnamese one is printed twice:\n%s", got)
	}

	// Hours that are no number, and no date of issue, leave their lines out too.
	c.Details, c.IssuedAt = map[string]string{certs.DetailHours: "NaN", certs.DetailFrom: "3/11/2026"}, time.Time{}
	lacks(t, "certificate of odd details", pdftest.Text(t, render(t, doc(c))), "giờ", "NaN", "Từ", "Ngày", "Issued on")
}

func TestOneDayAndOpenRanges(t *testing.T) {
	for details, want := range map[[2]string]string{
		{"2026-11-03", "2026-11-03"}: "Ngày 03/11/2026 · On 3 Nov 2026",
		{"2026-11-03", ""}:           "Từ ngày 03/11/2026 · From 3 Nov 2026",
		{"", "2026-11-17"}:           "Đến ngày 17/11/2026 · Until 17 Nov 2026",
	} {
		c := tuyet
		c.Details = map[string]string{certs.DetailFrom: details[0], certs.DetailTo: details[1], certs.DetailHours: "1"}
		got := pdftest.Text(t, render(t, doc(c)))
		contains(t, fmt.Sprint(details), got, want, "Thời lượng: 1 giờ · Duration: 1 hour")
	}
}

func TestSTEnterpriseHeading(t *testing.T) {
	c := tuyet
	c.Kind, c.Holder, c.Title = certs.STEnterprise, "Công ty CP Công nghệ Mầm Xanh", "Doanh nghiệp khoa học và công nghệ"
	c.Details = nil
	got := pdftest.Text(t, render(t, doc(c)))
	contains(t, "S&T enterprise certificate", got, "GIẤY CHỨNG NHẬN DOANH NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ",
		"Science and Technology Enterprise Certificate", c.Holder, c.Title)
	lacks(t, "S&T enterprise certificate", got, "khóa đào tạo")
}

// word is a word's box as pdftotext -bbox gives it, in points.
type word struct {
	x0, y0, x1, y1 float64
	s              string
}

func (w word) pad() float64 { return (w.y1 - w.y0) / 10 }

var wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// Long names, titles, issuers and signers shrink and wrap: every word
// stays inside the frame and none runs into another.
func TestLongTextsStayApart(t *testing.T) {
	c := tuyet
	c.Holder = strings.Repeat("Tôn Nữ Hoàng Phương Thảo ", 8) // as long as a holder may be
	c.Title = string([]rune(strings.Repeat("Quản trị đổi mới sáng tạo và chuyển đổi số trong doanh nghiệp vừa và nhỏ, ", 5))[:certs.MaxTitle])
	c.Issuer = "Trung tâm Hỗ trợ Khởi nghiệp Đổi mới Sáng tạo thuộc Sở Khoa học và Công nghệ Thành phố Hà Nội, Ủy ban Nhân dân Thành phố Hà Nội"
	c.Details = maps.Clone(tuyet.Details)
	c.Details[certs.DetailTitleEn] = strings.Repeat("Managing innovation and digital transformation in small businesses ", 5)
	c.Details[certs.DetailSignerTitle] = "Phó Giám đốc phụ trách Trung tâm Hỗ trợ Khởi nghiệp Đổi mới Sáng tạo Thành phố"
	c.Details[certs.DetailSigner] = "Nguyễn Hoàng Phương Thảo Nguyên Bảo Ngọc"
	pdf := render(t, doc(c))
	contains(t, "certificate of long texts", pdftest.Text(t, pdf), strings.TrimSpace(c.Holder), c.Title)
	_, out := pdftest.Run(t, pdf, "pdftotext", "-bbox", "FILE", "-")
	var words []word
	for _, m := range wordRe.FindAllStringSubmatch(out, -1) {
		var w word
		for i, p := range []*float64{&w.x0, &w.y0, &w.x1, &w.y1} {
			*p, _ = strconv.ParseFloat(m[i+1], 64)
		}
		w.s = m[5]
		words = append(words, w)
	}
	if len(words) < 100 {
		t.Fatalf("read %d words back", len(words))
	}
	// The inner rule is 11.5 mm in.
	const in = 11.5 * 72 / 25.4
	for i, a := range words {
		if a.x0 < in || a.y0 < in || a.x1 > 842-in || a.y1 > 595-in {
			t.Errorf("%q at (%.0f, %.0f)-(%.0f, %.0f) is outside the frame", a.s, a.x0, a.y0, a.x1, a.y1)
		}
		for _, b := range words[i+1:] {
			// A word's box is the font's full height, 1.36 em, more than
			// the lines' spacing; its middle 80% is where letters are.
			if a.x0 < b.x1 && b.x0 < a.x1 && a.y0+a.pad() < b.y1-b.pad() && b.y0+b.pad() < a.y1-a.pad() {
				t.Errorf("%q and %q overlap", a.s, b.s)
			}
		}
	}
}

func TestZipOnePDFEach(t *testing.T) {
	list := []certs.Certificate{tuyet, tuyet, tuyet}
	list[1].Code, list[1].Holder = "HN-2026-000124", "Trần Văn Bình"
	list[2].Code, list[2].Holder = "HN-2026-000125", "Lê Thị Cúc"
	var docs []certpdf.Doc
	for _, c := range list {
		docs = append(docs, doc(c))
	}
	var buf bytes.Buffer
	if err := certpdf.Zip(&buf, docs); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(z.File) != len(list) {
		t.Fatalf("ZIP has %d entries, want %d", len(z.File), len(list))
	}
	for i, f := range z.File {
		if want := list[i].Code + ".pdf"; f.Name != want {
			t.Errorf("entry %d is %q, want %q", i, f.Name, want)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("%s is no PDF", f.Name)
		}
		contains(t, f.Name, pdftest.Text(t, pdf), list[i].Holder, list[i].Code)
	}
}

func many(n int) []certpdf.Doc {
	docs := make([]certpdf.Doc, n)
	for i := range docs {
		c := tuyet
		c.Code = certs.FormatCode("HN", 2026, int64(i+1))
		c.Holder = fmt.Sprintf("Nguyễn Thị Ánh Tuyết %d", i)
		docs[i] = doc(c)
	}
	return docs
}

// Two certificates of one code still make two files.
func TestZipNamesUnique(t *testing.T) {
	docs := many(2)
	docs[1].Cert.Code = docs[0].Cert.Code
	var buf bytes.Buffer
	if err := certpdf.Zip(&buf, docs); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(z.File) != 2 || z.File[0].Name == z.File[1].Name {
		t.Errorf("ZIP entries: %v", z.File)
	}
}

// The bulk download of a large course: 700 certificates. Their sizes are
// asserted, since each PDF carries only the glyphs it uses; their times
// are logged only (see BenchmarkZip700 and `sprout bench certs`), so a
// slow machine does not fail the build.
func TestSevenHundredCertificates(t *testing.T) {
	if testing.Short() {
		t.Skip("700 certificates take seconds")
	}
	docs := many(700)
	for _, file := range []struct {
		name   string
		render func(io.Writer) error
		limit  int
	}{
		{"ZIP", func(w io.Writer) error { return certpdf.Zip(w, docs) }, 50 << 20},
		{"PDF", func(w io.Writer) error { return certpdf.Render(w, docs...) }, 10 << 20},
	} {
		var buf bytes.Buffer
		start := time.Now()
		if err := file.render(&buf); err != nil {
			t.Fatal(err)
		}
		t.Logf("700 certificates as one %s: %v, %.1f MB", file.name, time.Since(start).Round(time.Millisecond), float64(buf.Len())/1e6)
		if buf.Len() > file.limit {
			t.Errorf("700 certificates as one %s take %d bytes, over %d MB", file.name, buf.Len(), file.limit>>20)
		}
	}
}

func BenchmarkZip700(b *testing.B) {
	docs := many(700)
	for b.Loop() {
		var buf bytes.Buffer
		if err := certpdf.Zip(&buf, docs); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/1e6, "MB")
	}
}

func BenchmarkRender700(b *testing.B) {
	docs := many(700)
	for b.Loop() {
		var buf bytes.Buffer
		if err := certpdf.Render(&buf, docs...); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/1e6, "MB")
	}
}
