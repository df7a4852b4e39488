package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/tickets"
)

// cmdBench measures the hot paths against a real server process on the
// embedded store, and prints figures; it never fails on a slow machine.
func cmdBench(args []string, assets Assets, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "register" {
		return errors.New("usage: sprout bench register [--tickets N] [--clients N] [--requests N]")
	}
	fs := flag.NewFlagSet("bench register", flag.ContinueOnError)
	existing := fs.Int("tickets", 20000, "tickets present before the measurement")
	clients := fs.Int("clients", 64, "concurrent clients")
	requests := fs.Int("requests", 20000, "registrations to send")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sprout-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stdout, "registration benchmark: %d tickets present, %d clients, %d registrations\n", *existing, *clients, *requests)

	start := time.Now()
	eventID, typeID, err := benchSeed(dir, assets, *existing, *requests)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d tickets in %s\n", *existing, time.Since(start).Round(time.Millisecond))

	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()

	body := func(i int) string {
		return fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách Tham Quan %d","email":"bench%d@example.vn","phone":"0912 345 %03d","share_contact":true}`,
			typeID, i, i, i%1000)
	}
	res := load(srv.base+"/api/v1/events/"+eventID+"/registrations", *clients, *requests, body, http.StatusCreated)
	res.print(stdout, "registrations")
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	return nil
}

// benchSeed makes an event with a ticket type large enough for the run and
// fills it with n tickets straight through the store.
func benchSeed(dir string, assets Assets, n, room int) (string, string, error) {
	ctx := context.Background()
	cfg, err := LoadConfig(func(k string) string { return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "error"}[k] })
	if err != nil {
		return "", "", err
	}
	a, err := New(ctx, cfg, assets)
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	start := time.Now().Add(24 * time.Hour)
	ev, err := a.Events.Create(ctx, "", events.Input{Slug: "bench-techfest", Title: "Techfest benchmark", Venue: "Hà Nội",
		StartsAt: start, EndsAt: start.Add(9 * time.Hour), Published: true})
	if err != nil {
		return "", "", err
	}
	tt, err := a.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Khách tham quan", Capacity: n + room})
	if err != nil {
		return "", "", err
	}
	now := time.Now().UTC()
	for i := range n {
		t := tickets.Ticket{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Name: fmt.Sprintf("Khách có sẵn %d", i),
			Email: fmt.Sprintf("seed%d@example.vn", i), Phone: "+84912345678", Lang: "vi", Status: tickets.Active,
			Secret: ids.Secret(), Token: "seed", KeyID: "seed", CreatedAt: now, ExpiresAt: start.Add(48 * time.Hour)}
		if err := a.Store.Register(ctx, t); err != nil {
			return "", "", err
		}
	}
	return ev.ID, tt.ID, nil
}

type server struct {
	cmd  *exec.Cmd
	base string
}

// startServer runs this binary's serve verb on dir, as a process of its
// own, so its memory is measured apart from the load generator's.
func startServer(dir string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "serve")
	cmd.Env = append(os.Environ(), "DATA_DIR="+dir, "PORT="+strconv.Itoa(port), "LOG_LEVEL=error", "REGISTRATION_LIMIT=0",
		"MONGODB_URI=", "SMTP_URL=", "ADMIN_EMAIL=", "ADMIN_PASSWORD=")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://127.0.0.1:" + strconv.Itoa(port)}
	for range 200 {
		if res, err := http.Get(s.base + "/healthz"); err == nil {
			res.Body.Close()
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("the server did not answer /healthz within 10 s")
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}

// memory reads the server's resident memory now and at its peak.
func (s *server) memory() string {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(s.cmd.Process.Pid), "status"))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	var now, peak string
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "VmRSS:" {
			now = f[1]
		}
		if len(f) >= 2 && f[0] == "VmHWM:" {
			peak = f[1]
		}
	}
	mb := func(kb string) string {
		n, _ := strconv.Atoi(kb)
		return fmt.Sprintf("%.1f MB", float64(n)/1024)
	}
	return "resident " + mb(now) + ", peak " + mb(peak)
}

type loadResult struct {
	took      time.Duration
	latencies []time.Duration
	statuses  map[int]int
	// windows holds the throughput of each consecutive tenth of the run,
	// to show whether the cost grows as the table does.
	windows []float64
}

// load sends n POST requests with clients concurrent senders.
func load(url string, clients, n int, body func(i int) string, want int) loadResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	lat := make([]time.Duration, n)
	done := make([]time.Time, n)
	var mu sync.Mutex
	statuses := map[int]int{}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				res, err := client.Post(url, "application/json", bytes.NewBufferString(body(i)))
				code := 0
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				lat[i], done[i] = time.Since(t0), time.Now()
				mu.Lock()
				statuses[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r := loadResult{took: time.Since(start), latencies: lat, statuses: statuses}
	sort.Slice(done, func(a, b int) bool { return done[a].Before(done[b]) })
	step := max(n/10, 1)
	prev := start
	for i := step - 1; i < n; i += step {
		r.windows = append(r.windows, float64(step)/done[i].Sub(prev).Seconds())
		prev = done[i]
	}
	return r
}

func (r loadResult) print(w io.Writer, what string) {
	sorted := append([]time.Duration(nil), r.latencies...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	pct := func(p float64) time.Duration { return sorted[min(int(p*float64(len(sorted))), len(sorted)-1)] }
	fmt.Fprintf(w, "%d %s in %s: %.0f/s\n", len(sorted), what, r.took.Round(time.Millisecond), float64(len(sorted))/r.took.Seconds())
	fmt.Fprintf(w, "latency p50 %s, p90 %s, p99 %s, max %s\n", pct(.5).Round(10*time.Microsecond), pct(.9).Round(10*time.Microsecond),
		pct(.99).Round(10*time.Microsecond), sorted[len(sorted)-1].Round(10*time.Microsecond))
	fmt.Fprintf(w, "answers: %v\n", r.statuses)
	var ws []string
	for _, x := range r.windows {
		ws = append(ws, fmt.Sprintf("%.0f", x))
	}
	fmt.Fprintf(w, "throughput by tenth of the run (/s): %s\n", strings.Join(ws, " "))
}
