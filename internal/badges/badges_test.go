package badges_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sprout/internal/pdffont/pdftest"
	"strconv"
	"strings"
	"testing"
	"time"

	"sprout/internal/badges"
	"sprout/internal/qr/qrtest"
)

// token is a ticket-sized stand-in for a signed token.
func token(i int) string {
	s := fmt.Sprintf("eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.ticket-%04d.", i)
	return s + strings.Repeat("x", 344-len(s))
}

func render(t testing.TB, size badges.Size, list ...badges.Badge) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := badges.Render(&buf, size, list); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pages(t *testing.T, pdf []byte) (n int, width, height float64) {
	t.Helper()
	_, info := pdftest.Run(t, pdf, "pdfinfo", "FILE")
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	s := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info)
	if m == nil || s == nil {
		t.Fatalf("pdfinfo: %s", info)
	}
	n, _ = strconv.Atoi(m[1])
	width, _ = strconv.ParseFloat(s[1], 64)
	height, _ = strconv.ParseFloat(s[2], 64)
	// Points to millimetres.
	return n, width * 25.4 / 72, height * 25.4 / 72
}

var tuyet = badges.Badge{Name: "Nguyễn Thị Ánh Tuyết", Organisation: "Công ty Cổ phần Mầm Xanh", JobTitle: "Giám đốc điều hành",
	Type: "Khách mời VIP", Colour: 2, Event: "Techfest Đà Nẵng 2026", Token: token(1)}

func TestVietnameseTextReadsBack(t *testing.T) {
	for _, size := range []badges.Size{badges.A6, badges.Label} {
		got := pdftest.Text(t, render(t, size, tuyet))
		for _, want := range []string{tuyet.Name, tuyet.Organisation, tuyet.JobTitle, tuyet.Type, tuyet.Event} {
			if !strings.Contains(got, want) {
				t.Errorf("%s badge lacks %q:\n%s", size, want, got)
			}
		}
	}
}

// A name typed decomposed (a base letter and combining marks) is printed
// composed, as the font draws it.
func TestDecomposedNamePrintsComposed(t *testing.T) {
	b := tuyet
	b.Name = "Nguye\u0302\u0303n Thi\u0323 A\u0301nh Tuye\u0302\u0301t"
	if got := pdftest.Text(t, render(t, badges.A6, b)); !strings.Contains(got, tuyet.Name) {
		t.Errorf("badge lacks %q:\n%s", tuyet.Name, got)
	}
}

func TestA6FourToASheet(t *testing.T) {
	var list []badges.Badge
	for i := range 5 {
		list = append(list, badges.Badge{Name: fmt.Sprintf("Người %d", i), Type: "Khách", Token: token(i)})
	}
	n, w, h := pages(t, render(t, badges.A6, list...))
	if n != 2 || int(w+0.5) != 210 || int(h+0.5) != 297 {
		t.Errorf("5 A6 badges: %d pages of %.1f × %.1f mm, want 2 A4 pages", n, w, h)
	}
}

func TestLabelOnePageEach(t *testing.T) {
	list := []badges.Badge{tuyet, {Name: "Trần Văn B", Type: "Khách", Token: token(2)}, {Name: "Lê C", Type: "Khách", Token: token(3)}}
	n, w, _ := pages(t, render(t, badges.Label, list...))
	if n != 3 || int(w+0.5) != 62 {
		t.Errorf("3 labels: %d pages %.1f mm wide, want 3 pages 62 mm wide", n, w)
	}
}

func TestQRReadsBackToToken(t *testing.T) {
	for _, size := range []badges.Size{badges.A6, badges.Label} {
		dir, _ := pdftest.Run(t, render(t, size, tuyet), "pdfimages", "-png", "FILE", "img")
		imgs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
		if len(imgs) != 1 {
			t.Fatalf("%s badge has %d images, want 1", size, len(imgs))
		}
		data, err := os.ReadFile(imgs[0])
		if err != nil {
			t.Fatal(err)
		}
		if got, err := qrtest.DecodePNG(data); err != nil || got != tuyet.Token {
			t.Errorf("%s badge's QR reads %q, %v; want the token", size, got, err)
		}
	}
}

// A long name shrinks and wraps rather than running off the badge, and
// still prints whole.
func TestLongNameFits(t *testing.T) {
	b := tuyet
	b.Name = "Tôn Nữ Hoàng Phương Thảo Nguyên Bảo Ngọc"
	if got := pdftest.Text(t, render(t, badges.Label, b)); !strings.Contains(got, b.Name) {
		t.Errorf("label lacks %q:\n%s", b.Name, got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]badges.Size{"": badges.A6, "a6": badges.A6, "label": badges.Label} {
		if got, ok := badges.ParseSize(in); !ok || got != want {
			t.Errorf("ParseSize(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := badges.ParseSize("a4"); ok {
		t.Error("a4 taken for a badge size")
	}
}

// The colour of a type is the one of its order, the same every time.
func TestColourStable(t *testing.T) {
	if badges.Colour(1) != badges.Colour(1+len(badges.Colours)) || badges.Colour(0) == badges.Colour(1) {
		t.Error("colours do not follow the types' order")
	}
}

// The bulk file of a large event: 700 badges. Its size is asserted, since
// the font is embedded once whatever the count; its time is logged only
// (see BenchmarkBadges700 and `sprout bench badges`), so a slow machine
// does not fail the build.
func TestSevenHundredBadges(t *testing.T) {
	for _, size := range []badges.Size{badges.A6, badges.Label} {
		start := time.Now()
		pdf := render(t, size, many(700)...)
		took := time.Since(start)
		t.Logf("700 %s badges: %v, %.1f MB", size, took.Round(time.Millisecond), float64(len(pdf))/1e6)
		if len(pdf) > 50<<20 {
			t.Errorf("700 %s badges take %d bytes, over 50 MB", size, len(pdf))
		}
	}
}

func many(n int) []badges.Badge {
	list := make([]badges.Badge, n)
	for i := range list {
		list[i] = badges.Badge{Name: fmt.Sprintf("Nguyễn Văn Khách %d", i), Organisation: "Công ty Cổ phần Mầm Xanh",
			JobTitle: "Kỹ sư", Type: "Khách tham quan", Colour: i % 3, Event: "Techfest 2026", Token: token(i)}
	}
	return list
}

func BenchmarkBadges700(b *testing.B) {
	list := many(700)
	for b.Loop() {
		var buf bytes.Buffer
		if err := badges.Render(&buf, badges.A6, list); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/1e6, "MB")
	}
}
