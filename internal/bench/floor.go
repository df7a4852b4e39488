package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/ids"
)

// Floor times the floor plan pages, the public one and the
// organizer's, of an expo the size of Techfest Vietnam, half its booths
// assigned.
func Floor(args []string, open Opener, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench floor", flag.ContinueOnError)
	booths := fs.Int("booths", 700, "booths on the floor plan")
	runs := fs.Int("runs", 20, "timed loads of the page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sprout-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stdout, "floor benchmark: %d booths, half assigned\n", *booths)
	start := time.Now()
	eventID, session, err := floorSeed(dir, open, *booths)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %s\n", time.Since(start).Round(time.Millisecond))
	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	for _, p := range []struct{ name, path, session string }{
		{"public floor plan", "/events/" + eventID + "/floor", ""},
		{"organizer's floor plan", "/manage/events/" + eventID + "/floor", session},
	} {
		raw, err := pageSize(srv.base+p.path, p.session)
		if err != nil {
			return err
		}
		lat, gz, err := timePage(srv.base+p.path, p.session, *runs)
		if err != nil {
			return err
		}
		printPageTimes(stdout, p.name, lat)
		fmt.Fprintf(stdout, "page weight: %.1f KB (%.1f KB gzipped)\n", float64(raw)/1024, float64(gz)/1024)
	}
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	return nil
}

// floorSeed makes an event with n booths in rows of a hall per 100, every
// other one assigned to its own approved exhibitor, straight through the
// store, and signs an organizer in.
func floorSeed(dir string, open Opener, n int) (eventID, session string, err error) {
	ctx := context.Background()
	a, err := open(dir)
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	now := a.Clock.Now()
	ev, err := a.Events.Create(ctx, "", events.Input{Slug: "bench-techfest", Title: "Techfest Vietnam benchmark", Venue: "Hà Nội",
		StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(33 * time.Hour), Published: true})
	if err != nil {
		return "", "", err
	}
	for i := range n {
		hall, k := i/100, i%100
		b := expo.Booth{ID: ids.New(), EventID: ev.ID, Code: fmt.Sprintf("H%d-%02d", hall+1, k+1), Hall: fmt.Sprintf("Sảnh %d", hall+1),
			Zone: fmt.Sprintf("Khu %d", hall+1), X: k % 10 * 4, Y: k / 10 * 4, W: 3, H: 3, Status: expo.Available, CreatedAt: now}
		if err := a.Store.CreateBooth(ctx, b); err != nil {
			return "", "", err
		}
		if i%2 == 1 {
			continue
		}
		x := expo.Exhibitor{ID: ids.New(), EventID: ev.ID, OwnerID: ids.New(), Company: fmt.Sprintf("Công ty Công nghệ Số %03d", i),
			ContactEmail: fmt.Sprintf("x%d@bench.sprout", i), Description: "Benchmark", Status: expo.Approved, CreatedAt: now}
		if err := a.Store.CreateExhibitor(ctx, x); err != nil {
			return "", "", err
		}
		if _, err := a.Store.AssignBooth(ctx, b.ID, x.ID, now); err != nil {
			return "", "", err
		}
	}
	session, err = benchOrganizer(ctx, a)
	return ev.ID, session, err
}

// pageSize is the uncompressed size of a page.
func pageSize(url, session string) (int64, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "identity")
	if session != "" {
		req.Header.Set("Cookie", "sprout_session="+session)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return io.Copy(io.Discard, res.Body)
}
