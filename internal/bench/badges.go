package bench

import (
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"time"

	"sprout/internal/badges"
)

// Badges times the bulk badge file of a large event: n badges of each
// size, with names in Vietnamese and QR codes of tickets' length, rendered
// as the organizer's download renders them.
func Badges(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench badges", flag.ContinueOnError)
	n := fs.Int("badges", 700, "badges in the file")
	runs := fs.Int("runs", 3, "renders of each size; the fastest is reported")
	if err := fs.Parse(args); err != nil {
		return err
	}
	list := make([]badges.Badge, *n)
	for i := range list {
		b := make([]byte, 258)
		rand.Read(b)
		list[i] = badges.Badge{Name: fmt.Sprintf("Nguyễn Thị Ánh Tuyết %d", i), Organisation: "Công ty Cổ phần Mầm Xanh", JobTitle: "Giám đốc điều hành",
			Type: "Khách tham quan", Colour: i % 3, Event: "Techfest Hà Nội 2026", Token: base64.RawURLEncoding.EncodeToString(b)}
	}
	fmt.Fprintf(stdout, "badges benchmark: %d badges a file, best of %d runs\n", *n, *runs)
	for _, size := range []badges.Size{badges.A6, badges.Label} {
		var best time.Duration
		var bytes int64
		for range max(*runs, 1) {
			w := &countingWriter{}
			start := time.Now()
			if err := badges.Render(w, size, list); err != nil {
				return err
			}
			if took := time.Since(start); best == 0 || took < best {
				best = took
			}
			bytes = w.n
		}
		fmt.Fprintf(stdout, "%-6s %8v  %.1f MB\n", size, best.Round(time.Millisecond), float64(bytes)/1e6)
	}
	return nil
}

// countingWriter counts what is written to it and keeps none of it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
