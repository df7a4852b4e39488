package bench

import (
	"flag"
	"fmt"
	"io"
	"time"

	"sprout/internal/certpdf"
	"sprout/internal/certs"
)

// Certs times the bulk certificate download of a large course: n
// certificates as a ZIP of one PDF each and as one PDF of n pages, with
// names in Vietnamese and every detail set, as the organizer's download
// renders them.
func Certs(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench certs", flag.ContinueOnError)
	n := fs.Int("certs", 700, "certificates in the file")
	runs := fs.Int("runs", 3, "renders of each file; the fastest is reported")
	if err := fs.Parse(args); err != nil {
		return err
	}
	issued := time.Date(2026, 11, 17, 3, 0, 0, 0, time.UTC)
	docs := make([]certpdf.Doc, *n)
	for i := range docs {
		code := certs.FormatCode("HN", 2026, int64(i+1))
		docs[i] = certpdf.Doc{Place: "Hà Nội", VerifyURL: "https://sprout.example.vn/verify/" + code, Cert: certs.Certificate{
			Code: code, Kind: certs.Training, Holder: fmt.Sprintf("Nguyễn Thị Ánh Tuyết %d", i),
			Title: "Chuyển đổi số cho doanh nghiệp nhỏ", Issuer: "Sở Khoa học và Công nghệ Hà Nội",
			IssuedAt: issued, Status: certs.Valid, Details: map[string]string{
				certs.DetailFrom: "2026-11-03", certs.DetailTo: "2026-11-17", certs.DetailHours: "7.5",
				certs.DetailTitleEn: "Digital transformation for small businesses",
				certs.DetailSigner:  "Trần Văn Minh", certs.DetailSignerTitle: "Giám đốc",
			},
		}}
	}
	fmt.Fprintf(stdout, "certificates benchmark: %d certificates a file, best of %d runs\n", *n, *runs)
	for _, file := range []struct {
		name   string
		render func(io.Writer) error
	}{
		{"zip", func(w io.Writer) error { return certpdf.Zip(w, docs) }},
		{"pdf", func(w io.Writer) error { return certpdf.Render(w, docs...) }},
	} {
		var best time.Duration
		var bytes int64
		for range max(*runs, 1) {
			w := &countingWriter{}
			start := time.Now()
			if err := file.render(w); err != nil {
				return err
			}
			if took := time.Since(start); best == 0 || took < best {
				best = took
			}
			bytes = w.n
		}
		fmt.Fprintf(stdout, "%-4s %8v  %.1f MB\n", file.name, best.Round(time.Millisecond), float64(bytes)/1e6)
	}
	return nil
}
