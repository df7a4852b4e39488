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
