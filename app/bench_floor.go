package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"time"

	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/ids"
)

// benchFloor times the public floor plan page of an expo the size of
// Techfest Vietnam, half its booths assigned.
func benchFloor(args []string, assets Assets, stdout io.Writer) error {
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
	eventID, err := floorSeed(dir, assets, *booths)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %s\n", time.Since(start).Round(time.Millisecond))
	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	url := srv.base + "/events/" + eventID + "/floor"
	get := func(encoding string) (time.Duration, int64, error) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", encoding)
		t0 := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, 0, err
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("the floor plan answered %d", res.StatusCode)
		}
		return time.Since(t0), n, err
	}
	// The first load warms the server's caches and the store's pages.
	_, raw, err := get("identity")
	if err != nil {
		return err
	}
	lat := make([]time.Duration, 0, *runs)
	var gz int64
	for range *runs {
		d, n, err := get("gzip")
		if err != nil {
			return err
		}
		lat, gz = append(lat, d), n
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Fprintf(stdout, "%d loads of the floor plan: p50 %s, max %s\n", len(lat),
		lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	fmt.Fprintf(stdout, "page weight: %.1f KB (%.1f KB gzipped)\n", float64(raw)/1024, float64(gz)/1024)
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	return nil
}

// floorSeed makes an event with n booths in rows of a hall per 100, every
// other one assigned to its own approved exhibitor, straight through the store.
func floorSeed(dir string, assets Assets, n int) (string, error) {
	ctx := context.Background()
	cfg, err := LoadConfig(func(k string) string { return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "error"}[k] })
	if err != nil {
		return "", err
	}
	a, err := New(ctx, cfg, assets)
	if err != nil {
		return "", err
	}
	defer a.Close()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ev, err := a.Events.Create(ctx, "", events.Input{Slug: "bench-techfest", Title: "Techfest Vietnam benchmark", Venue: "Hà Nội",
		StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(33 * time.Hour), Published: true})
	if err != nil {
		return "", err
	}
	for i := range n {
		hall, k := i/100, i%100
		b := expo.Booth{ID: ids.New(), EventID: ev.ID, Code: fmt.Sprintf("H%d-%02d", hall+1, k+1), Hall: fmt.Sprintf("Sảnh %d", hall+1),
			Zone: fmt.Sprintf("Khu %d", hall+1), X: k % 10 * 4, Y: k / 10 * 4, W: 3, H: 3, Status: expo.Available, CreatedAt: now}
		if err := a.Store.CreateBooth(ctx, b); err != nil {
			return "", err
		}
		if i%2 == 1 {
			continue
		}
		x := expo.Exhibitor{ID: ids.New(), EventID: ev.ID, OwnerID: ids.New(), Company: fmt.Sprintf("Công ty Công nghệ Số %03d", i),
			ContactEmail: fmt.Sprintf("x%d@bench.sprout", i), Description: "Benchmark", Status: expo.Approved, CreatedAt: now}
		if err := a.Store.CreateExhibitor(ctx, x); err != nil {
			return "", err
		}
		if _, err := a.Store.AssignBooth(ctx, b.ID, x.ID, now); err != nil {
			return "", err
		}
	}
	return ev.ID, nil
}
