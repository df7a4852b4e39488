package e2e_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestCrashDuringRegistrationRushKeepsEveryAnsweredTicket kills the server
// with SIGKILL in the middle of a registration rush, as a power cut or an
// out-of-memory kill would, and starts it again on the same data: every
// visitor who was told "registered" still holds an active ticket, and the
// seats sold match the tickets that exist.
func TestCrashDuringRegistrationRushKeepsEveryAnsweredTicket(t *testing.T) {
	dataDir := t.TempDir()
	env := append(adminEnv(), "REGISTRATION_LIMIT=0")
	s := startServer(t, dataDir, env...)
	eventID, typeID := s.publishEvent(t, s.organizer(t), 100_000)

	const (
		workers     = 32
		maxRequests = 3000
		// The kill comes at killAfter, or earlier once killAtSent requests
		// went out, so that a fast machine is still in the rush when it
		// comes.
		killAfter  = 1500 * time.Millisecond
		killAtSent = 2000
	)
	var (
		sent     atomic.Int64
		cut      atomic.Int64 // requests the kill left without an answer
		killed   atomic.Bool
		mu       sync.Mutex
		answered = map[string]string{} // ticket id → email, for every 201
		wg       sync.WaitGroup
	)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	url := s.base + "/api/v1/events/" + eventID + "/registrations"
	for w := range workers {
		wg.Go(func() {
			for i := 0; !killed.Load() && sent.Add(1) <= maxRequests; i++ {
				email := fmt.Sprintf("khach.%02d.%04d@example.vn", w, i)
				body := fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách Đăng Ký %d-%d","email":%q}`, typeID, w, i, email)
				res, err := client.Post(url, "application/json", strings.NewReader(body))
				if err != nil {
					cut.Add(1)
					return
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					cut.Add(1)
					return
				}
				var got struct {
					Ticket ticket `json:"ticket"`
				}
				if res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &got) != nil || got.Ticket.ID == "" {
					t.Errorf("registering %s before the kill: %d %s, want 201 with a ticket", email, res.StatusCode, raw)
					return
				}
				mu.Lock()
				answered[got.Ticket.ID] = email
				mu.Unlock()
			}
		})
	}

	deadline := time.Now().Add(killAfter)
	for time.Now().Before(deadline) && sent.Load() < killAtSent {
		time.Sleep(10 * time.Millisecond)
	}
	killed.Store(true)
	if err := syscall.Kill(s.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("sprout still running 5 s after SIGKILL")
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("%d registrations answered 201 before SIGKILL, %d cut by it", len(answered), cut.Load())
	if len(answered) == 0 || cut.Load() == 0 {
		t.Fatalf("the kill did not come in the middle of the rush: %d answered, %d cut", len(answered), cut.Load())
	}

	s = startServer(t, dataDir, env...)
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
			break
		}
	}
	lost := 0
	for id, email := range answered {
		tk, ok := found[id]
		if !ok || tk.Status != "active" || tk.Email != email {
			lost++
			if lost <= 5 {
				t.Errorf("ticket %s of %s, answered 201 before the kill, after restart: %+v (found %v)", id, email, tk, ok)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d tickets answered 201 before the kill are missing or changed after restart", lost, len(answered))
	}
	active := 0
	for _, tk := range found {
		if tk.Status == "active" {
			active++
		}
	}
	if got := soldSeats(t, s, eventID, typeID); got != active {
		t.Errorf("after restart the ticket type counts %d seats sold, but %d active tickets exist", got, active)
	}
	t.Logf("%d tickets after restart (%d answered before the kill, %d in flight that made it)", len(found), len(answered), len(found)-len(answered))

	// Registration goes on after the crash, counting from where it was.
	s.register(t, eventID, typeID, "Đỗ Thị Sau Sự Cố", "sau.su.co@example.vn", "vi")
	if got := soldSeats(t, s, eventID, typeID); got != active+1 {
		t.Errorf("a registration after restart brings seats sold to %d, want %d", got, active+1)
	}
}

// soldSeats is the seats sold of one ticket type, as the event's API shows.
func soldSeats(t *testing.T, s *server, eventID, typeID string) int {
	t.Helper()
	var ev struct {
		TicketTypes []struct {
			ID   string `json:"id"`
			Sold int    `json:"sold"`
		} `json:"ticket_types"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/events/"+eventID, "", nil, &ev)
	for _, tt := range ev.TicketTypes {
		if tt.ID == typeID {
			return tt.Sold
		}
	}
	t.Fatalf("ticket type %s is not in the event any more", typeID)
	return 0
}
