package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/demo"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keys"
	"sprout/internal/tickets"
)

// Search times what an event's size weighs on at the gate and at the
// organizer's desk, with one event of Techfest's size: the attendee
// search, the gate's offline data, and the registrations page and its
// search.
func Search(args []string, open Opener, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench search", flag.ContinueOnError)
	n := fs.Int("tickets", 200000, "tickets in the event, one in a hundred cancelled")
	runs := fs.Int("runs", 50, "timed calls of each")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sprout-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stdout, "search benchmark: %d tickets in one event\n", *n)
	start := time.Now()
	seed, err := searchSeed(dir, open, *n)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %s\n", time.Since(start).Round(time.Millisecond))
	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	api := srv.base + "/api/v1/events/" + seed.eventID
	regs := srv.base + "/manage/events/" + seed.eventID + "/registrations"
	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+seed.staffToken) }
	cookie := func(r *http.Request) { r.Header.Set("Cookie", "sprout_session="+seed.session) }
	for _, c := range []struct {
		what, url string
		auth      func(*http.Request)
	}{
		{`gate search "nguyen van 12345"`, api + "/attendees?q=" + url.QueryEscape("nguyen van 12345"), bearer},
		{`gate search "tran"`, api + "/attendees?q=tran", bearer},
		{`gate search "nguyen"`, api + "/attendees?q=nguyen", bearer},
		{"gate offline data", api + "/gate-data", bearer},
		{"registrations page", regs, cookie},
		{`registrations search "nguyen van 12345"`, regs + "?q=" + url.QueryEscape("nguyen van 12345"), cookie},
		{`registrations search "tran"`, regs + "?q=tran", cookie},
	} {
		lat, _, err := timeGet(c.url, c.auth, *runs)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: p50 %s, p99 %s (%d calls)\n", c.what, lat[len(lat)/2].Round(10*time.Microsecond),
			lat[min(len(lat)*99/100, len(lat)-1)].Round(10*time.Microsecond), len(lat))
	}
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	fmt.Fprintf(stdout, "store: %.1f MB\n", float64(fileSize(dir+"/sprout.db"))/(1<<20))
	return nil
}

type searchData struct {
	eventID, staffToken, session string
}

// searchSeed makes an event with n tickets of Vietnamese visitors straight
// through the store, registered ten seconds apart, each name carrying its
// number so that a search can name one person, and cancels one in a
// hundred; it signs in a gate staff member and an organizer.
func searchSeed(dir string, open Opener, n int) (searchData, error) {
	ctx := context.Background()
	var d searchData
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
	tt, err := a.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Khách tham quan", Capacity: n})
	if err != nil {
		return d, err
	}
	d.eventID = ev.ID
	now := a.Clock.Now()
	// One signature gives the key every ticket is signed with when shown.
	_, kid, err := a.Keys.Sign(ctx, keys.Claims{TicketID: ids.New(), EventID: ev.ID, TicketTypeID: tt.ID, IssuedAt: now,
		ExpiresAt: start.Add(48 * time.Hour)})
	if err != nil {
		return d, err
	}
	// Registrations arriving together share a commit, as under a rush.
	const writers = 16
	made := make([]string, n)
	errc := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += writers {
				name, email, phone := demo.Person(i)
				t := tickets.Ticket{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Name: fmt.Sprintf("%s %d", name, i), Email: email,
					Phone: "+84" + phone[1:], Lang: "vi", Status: tickets.Active, Secret: ids.Secret(), KeyID: kid, CreatedAt: now.Add(time.Duration(i-n) * 10 * time.Second),
					NotBefore: now.Add(-time.Hour), ExpiresAt: start.Add(48 * time.Hour)}
				if err := a.Store.Register(ctx, t, nil, nil); err != nil {
					errc <- err
					return
				}
				made[i] = t.ID
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return d, err
	}
	for i := 50; i < n; i += 100 {
		if _, err := a.Tickets.Cancel(ctx, made[i]); err != nil {
			return d, err
		}
	}
	staff, err := a.Accounts.Create(ctx, accounts.NewUser{Email: "gate@bench.sprout", Password: "bench-password", Name: "Cổng",
		Roles: []accounts.Role{accounts.RoleStaff}})
	if err != nil {
		return d, err
	}
	if _, err := a.Staffing.AssignUser(ctx, ev.ID, staff.ID, "", ""); err != nil {
		return d, err
	}
	if d.staffToken, _, err = a.Accounts.IssueToken(ctx, staff.ID, accounts.TokenAPI); err != nil {
		return d, err
	}
	d.session, err = benchOrganizer(ctx, a)
	return d, err
}

// timeGet calls url once to warm the server, then runs more times, and
// returns the sorted latencies and the compressed size of the last answer.
func timeGet(url string, auth func(*http.Request), runs int) ([]time.Duration, int64, error) {
	get := func() (time.Duration, int64, error) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if auth != nil {
			auth(req)
		}
		t0 := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, 0, err
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("%s answered %d", url, res.StatusCode)
		}
		return time.Since(t0), n, err
	}
	if _, _, err := get(); err != nil {
		return nil, 0, err
	}
	lat := make([]time.Duration, 0, runs)
	var size int64
	for range runs {
		d, n, err := get()
		if err != nil {
			return nil, 0, err
		}
		lat, size = append(lat, d), n
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat, size, nil
}
