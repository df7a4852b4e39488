package e2e_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rush is visitors registering for one ticket type from many clients at
// once, keeping every ticket the server answered 201. A request left
// without an answer (the server was killed) counts as cut; any answer but
// 201 fails the test.
type rush struct {
	sent, cut atomic.Int64
	stop      atomic.Bool
	mu        sync.Mutex
	answered  map[string]ticket // by ticket id
	wg        sync.WaitGroup
	client    *http.Client
}

// startRush sends at most max registrations from workers clients; name
// tells the visitors of one test apart.
func startRush(t *testing.T, s *server, eventID, typeID, name string, workers, max int, timeout time.Duration) *rush {
	r := &rush{answered: map[string]ticket{},
		client: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}}
	url := s.base + "/api/v1/events/" + eventID + "/registrations"
	for w := range workers {
		r.wg.Go(func() {
			for i := 0; !r.stop.Load() && r.sent.Add(1) <= int64(max); i++ {
				email := fmt.Sprintf("%s.%02d.%04d@example.vn", name, w, i)
				body := fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách %d-%d","email":%q}`, typeID, w, i, email)
				res, err := r.client.Post(url, "application/json", strings.NewReader(body))
				if err != nil {
					r.cut.Add(1)
					return
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					r.cut.Add(1)
					return
				}
				var got struct {
					Ticket ticket `json:"ticket"`
				}
				if res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &got) != nil || got.Ticket.ID == "" {
					t.Errorf("registering %s: %d %s, want 201 with a ticket", email, res.StatusCode, raw)
					return
				}
				r.mu.Lock()
				r.answered[got.Ticket.ID] = got.Ticket
				r.mu.Unlock()
			}
		})
	}
	return r
}

// answers is a copy of the tickets answered so far.
func (r *rush) answers() map[string]ticket {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.answered)
}

// end stops the rush and waits for its clients.
func (r *rush) end() {
	r.stop.Store(true)
	r.wg.Wait()
	r.client.CloseIdleConnections()
}

// registrations reads every registration of the event, as its organizer.
func (s *server) registrations(t *testing.T, eventID string) map[string]ticket {
	t.Helper()
	org := s.login(t, organizerEmail, organizerPassword)
	found := map[string]ticket{}
	for offset := 0; ; offset += 500 {
		var page struct {
			Registrations []ticket `json:"registrations"`
			Total         int      `json:"total"`
		}
		s.mustAPI(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/events/%s/registrations?limit=500&offset=%d", eventID, offset), org, nil, &page)
		for _, tk := range page.Registrations {
			found[tk.ID] = tk
		}
		if len(page.Registrations) == 0 || offset+500 >= page.Total {
			return found
		}
	}
}

// missing counts the tickets of want that found lacks or holds changed,
// naming the first few.
func missing(t *testing.T, want, found map[string]ticket, what string) int {
	t.Helper()
	lost := 0
	for id, w := range want {
		if got, ok := found[id]; !ok || got.Status != "active" || got.Email != w.Email {
			lost++
			if lost <= 5 {
				t.Errorf("ticket %s of %s, %s: %+v (found %v)", id, w.Email, what, got, ok)
			}
		}
	}
	return lost
}
