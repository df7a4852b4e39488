// Package bench measures Sprout's hot paths (registration, gate check-in,
// the ranking and floor plan pages) against a server process of its own on
// a temporary embedded store, and prints figures; it never fails on a slow
// machine.
package bench

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

	"sprout/internal/accounts"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/ids"
	"sprout/internal/incubator"
	"sprout/internal/keys"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/services"
	"sprout/internal/tickets"
)

// Store is what seeding writes straight to: tens of thousands of rows in
// seconds, past the rules a request goes through.
type Store interface {
	Register(ctx context.Context, t tickets.Ticket, m *mail.Message, charge *kv.Charge) error
	CreateBooth(ctx context.Context, b expo.Booth) error
	CreateExhibitor(ctx context.Context, x expo.Exhibitor) error
	AssignBooth(ctx context.Context, boothID, exhibitorID string, now time.Time) (expo.Booth, error)
	CreateApplication(ctx context.Context, a incubator.Application) error
	AssignReviewer(ctx context.Context, applicationID, reviewerID string, at time.Time) error
	PutReview(ctx context.Context, r incubator.Review, criteria int) error
}

// App is Sprout opened on the embedded store of a directory, for seeding.
type App struct {
	services.Services
	Store Store
	Close func() error
}

// Opener opens Sprout on the embedded store in dir. The server measured
// is another process on the same directory, started once seeding is done.
type Opener func(dir string) (*App, error)

// Load measures registration (verb "register") or gate check-in (verb
// "checkin") under load.
func Load(verb string, args []string, open Opener, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench "+verb, flag.ContinueOnError)
	existing := fs.Int("tickets", 20000, "tickets present before the measurement")
	clients := fs.Int("clients", 64, "concurrent clients (gates for checkin)")
	requests := fs.Int("requests", 20000, "requests to send")
	rate := fs.Int("rate", 2000, "requests a second for the paced run (0: skip it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sprout-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stdout, "%s benchmark: %d tickets present, %d clients, %d requests\n", verb, *existing, *clients, *requests)

	start := time.Now()
	// Room for both runs of the register benchmark, so every request of the
	// paced run takes a seat too rather than meeting a sold-out type.
	seed, err := loadSeed(dir, open, *existing, *requests+min(*requests, *rate*5))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d tickets in %s\n", *existing, time.Since(start).Round(time.Millisecond))

	// The seeding app closed the store, emptying its log: the file's size
	// now is what the measured requests add to.
	seeded := fileSize(filepath.Join(dir, "sprout.db"))
	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	wal := watchWAL(filepath.Join(dir, "sprout.db-wal"))
	registered := 0

	if verb == "register" {
		body := func(i int) string {
			return fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách Tham Quan %d","email":"bench%d@example.vn","phone":"0912 345 %03d","share_contact":true}`,
				seed.typeID, i, i, i%1000)
		}
		url := srv.base + "/api/v1/events/" + seed.eventID + "/registrations"
		load(url, "", *clients, *requests, 0, body).print(stdout, "registrations, as fast as they go")
		registered = *requests
		if *rate > 0 {
			paced := func(i int) string { return body(*requests + i) }
			load(url, "", *clients, min(*requests, *rate*5), *rate, paced).print(stdout, fmt.Sprintf("registrations at %d/s", *rate))
			registered += min(*requests, *rate*5)
		}
	} else {
		// Each ticket is scanned in once: every scan takes the full path of
		// a first entry (signature, ticket, presence, counts, log).
		url := srv.base + "/api/v1/events/" + seed.eventID + "/checkins"
		half := len(seed.tokens) / 2
		body := func(off int) func(int) string {
			return func(i int) string {
				return fmt.Sprintf(`{"token":%q,"gate":"Cổng %d"}`, seed.tokens[(off+i)%len(seed.tokens)], i%8)
			}
		}
		load(url, seed.staffToken, *clients, min(*requests, half), 0, body(0)).print(stdout, "check-ins, as fast as they go")
		if *rate > 0 {
			load(url, seed.staffToken, *clients, min(*rate*5, half), *rate, body(half)).print(stdout, fmt.Sprintf("check-ins at %d/s", *rate))
		}
	}
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	fmt.Fprintf(stdout, "write-ahead log: peak %.1f MB\n", float64(wal())/(1<<20))
	if registered > 0 {
		// Stopping empties the log into the file, which then holds what the
		// registrations wrote: tickets, seats and their queued mail.
		srv.stop()
		grew := fileSize(filepath.Join(dir, "sprout.db")) - seeded
		fmt.Fprintf(stdout, "store: %d bytes a registration, its mail included\n", grew/int64(registered))
	}
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// watchWAL samples the size of the store's write-ahead log every 20 ms
// until the returned function is called, which gives the largest size seen.
func watchWAL(path string) (peak func() int64) {
	var top atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if fi, err := os.Stat(path); err == nil && fi.Size() > top.Load() {
				top.Store(fi.Size())
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return top.Load()
	}
}

type benchData struct {
	eventID, typeID string
	tokens          []string
	staffToken      string
}

// loadSeed makes an event with a ticket type large enough for the run,
// fills it with n signed tickets straight through the store, and signs in
// a gate staff member assigned to it.
func loadSeed(dir string, open Opener, n, room int) (benchData, error) {
	ctx := context.Background()
	var d benchData
	a, err := open(dir)
	if err != nil {
		return d, err
	}
	defer a.Close()
	start := a.Clock.Now().Add(24 * time.Hour)
	ev, err := a.Events.Create(ctx, "", events.Input{Slug: "bench-techfest", Title: "Techfest benchmark", Venue: "Hà Nội",
		StartsAt: start, EndsAt: start.Add(9 * time.Hour), Published: true})
	if err != nil {
		return d, err
	}
	tt, err := a.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Khách tham quan", Capacity: n + room})
	if err != nil {
		return d, err
	}
	d.eventID, d.typeID = ev.ID, tt.ID
	now := a.Clock.Now()
	for i := range n {
		t := tickets.Ticket{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Name: fmt.Sprintf("Khách có sẵn %d", i),
			Email: fmt.Sprintf("seed%d@example.vn", i), Phone: "+84912345678", Lang: "vi", Status: tickets.Active,
			Secret: ids.Secret(), CreatedAt: now, ExpiresAt: start.Add(48 * time.Hour)}
		t.Token, t.KeyID, err = a.Keys.Sign(ctx, keys.Claims{TicketID: t.ID, EventID: ev.ID, TicketTypeID: tt.ID, IssuedAt: now,
			NotBefore: now.Add(-time.Hour), ExpiresAt: t.ExpiresAt})
		if err != nil {
			return d, err
		}
		if err := a.Store.Register(ctx, t, nil, nil); err != nil {
			return d, err
		}
		d.tokens = append(d.tokens, t.Token)
	}
	u, err := a.Accounts.Create(ctx, accounts.NewUser{Email: "gate@bench.sprout", Password: "bench-password", Name: "Cổng", Roles: []accounts.Role{accounts.RoleStaff}})
	if err != nil {
		return d, err
	}
	// Staff scan only at the events they are assigned to.
	if _, err := a.Staffing.AssignUser(ctx, ev.ID, u.ID, "", ""); err != nil {
		return d, err
	}
	d.staffToken, _, err = a.Accounts.IssueToken(ctx, u.ID, accounts.TokenAPI)
	return d, err
}

type server struct {
	cmd  *exec.Cmd
	base string
	once sync.Once
}

// startServer runs this binary's serve verb on dir, as a process of its
// own, so its memory is measured apart from the load generator's.
func startServer(dir string) (*server, error) { return startServerBinary("", dir) }

// startServerBinary is startServer with another sprout binary, given by
// its path; empty is this one.
func startServerBinary(self, dir string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if self == "" {
		if self, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(self, "serve")
	// Every request comes from this one address: an allowance no run
	// spends keeps registration's path as served, its count included.
	cmd.Env = append(os.Environ(), "DATA_DIR="+dir, "PORT="+strconv.Itoa(port), "LOG_LEVEL=error", "REGISTRATION_LIMIT=1000000000",
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

// stop ends the server once, however often it is called.
func (s *server) stop() {
	s.once.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
	})
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

// load sends n POST requests from clients concurrent senders: as fast as
// they are answered, or, with rate > 0, paced at rate a second overall so
// latency is measured at a given load rather than at saturation.
func load(url, bearer string, clients, n, rate int, body func(i int) string) loadResult {
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
				if rate > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))))
				}
				t0 := time.Now()
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body(i)))
				req.Header.Set("Content-Type", "application/json")
				if bearer != "" {
					req.Header.Set("Authorization", "Bearer "+bearer)
				}
				res, err := client.Do(req)
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

// timePage loads a page once to warm the server, then runs more times, and
// returns the sorted latencies and the compressed size of the last answer.
func timePage(url, session string, runs int) ([]time.Duration, int64, error) {
	return timeGet(url, func(r *http.Request) {
		if session != "" {
			r.Header.Set("Cookie", "sprout_session="+session)
		}
	}, runs)
}

func printPageTimes(w io.Writer, what string, lat []time.Duration) {
	fmt.Fprintf(w, "%d loads of the %s: p50 %s, max %s\n", len(lat), what,
		lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
}

// benchOrganizer signs an organizer in and returns the session's secret.
func benchOrganizer(ctx context.Context, a *App) (string, error) {
	u, err := a.Accounts.Create(ctx, accounts.NewUser{Email: "btc@bench.sprout", Password: "bench-password", Name: "Ban tổ chức",
		Roles: []accounts.Role{accounts.RoleOrganizer}})
	if err != nil {
		return "", err
	}
	session, _, err := a.Accounts.IssueToken(ctx, u.ID, accounts.TokenSession)
	return session, err
}
