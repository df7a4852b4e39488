package e2e_test

import (
	"net/http"
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
	r := startRush(t, s, eventID, typeID, "khach", workers, maxRequests, 5*time.Second)
	defer r.end()

	deadline := time.Now().Add(killAfter)
	for time.Now().Before(deadline) && r.sent.Load() < killAtSent {
		time.Sleep(10 * time.Millisecond)
	}
	r.stop.Store(true)
	if err := syscall.Kill(s.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("sprout still running 5 s after SIGKILL")
	}
	r.end()
	if t.Failed() {
		return
	}
	answered := r.answers()
	t.Logf("%d registrations answered 201 before SIGKILL, %d cut by it", len(answered), r.cut.Load())
	if len(answered) == 0 || r.cut.Load() == 0 {
		t.Fatalf("the kill did not come in the middle of the rush: %d answered, %d cut", len(answered), r.cut.Load())
	}

	s = startServer(t, dataDir, env...)
	found := s.registrations(t, eventID)
	if lost := missing(t, answered, found, "answered 201 before the kill, after restart"); lost > 0 {
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
