package e2e_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestBackupDuringRegistrationRush runs `sprout backup FILE` while visitors
// register, restores FILE into a new data dir as the README says (stop, put
// it at $DATA_DIR/sprout.db, start) and finds there every ticket answered
// 201 before the backup began, each still opening its page.
func TestBackupDuringRegistrationRush(t *testing.T) {
	dataDir := t.TempDir()
	env := append(adminEnv(), "REGISTRATION_LIMIT=0")
	s := startServer(t, dataDir, env...)
	eventID, typeID := s.publishEvent(t, s.organizer(t), 100_000)

	const workers = 16
	var (
		stop     atomic.Bool
		mu       sync.Mutex
		answered = map[string]ticket{} // every 201, by ticket id
		wg       sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	url := s.base + "/api/v1/events/" + eventID + "/registrations"
	for w := range workers {
		wg.Go(func() {
			for i := 0; !stop.Load() && i < 2000; i++ {
				email := fmt.Sprintf("sao.luu.%02d.%04d@example.vn", w, i)
				body := fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách Sao Lưu %d-%d","email":%q}`, typeID, w, i, email)
				res, err := client.Post(url, "application/json", strings.NewReader(body))
				if err != nil {
					t.Errorf("registering %s: %v", email, err)
					return
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				var got struct {
					Ticket ticket `json:"ticket"`
				}
				if err != nil || res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &got) != nil || got.Ticket.ID == "" {
					t.Errorf("registering %s: %d %s (%v), want 201 with a ticket", email, res.StatusCode, raw, err)
					return
				}
				mu.Lock()
				answered[got.Ticket.ID] = got.Ticket
				mu.Unlock()
			}
		})
	}

	// Let the rush build up, then note what was acknowledged before the
	// backup starts.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(answered)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
	}
	mu.Lock()
	before := make(map[string]ticket, len(answered))
	for id, tk := range answered {
		before[id] = tk
	}
	mu.Unlock()

	file := filepath.Join(t.TempDir(), "sprout-backup.db")
	backup := exec.Command(binary, "backup", file)
	backup.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dataDir, "DATA_DIR=" + dataDir, "LOG_LEVEL=error"}
	began := time.Now()
	out, err := backup.CombinedOutput()
	took := time.Since(began)
	mu.Lock()
	during := len(answered) - len(before)
	mu.Unlock()
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("sprout backup: %v\n%s", err, out)
	}
	t.Logf("backup took %v with %d tickets answered before it and %d during it", took, len(before), during)
	if len(before) == 0 || during == 0 {
		t.Fatalf("the backup did not run during the rush: %d tickets before it, %d during", len(before), during)
	}
	if t.Failed() {
		return
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.waitExit(t, 15*time.Second); code != 0 {
		t.Fatalf("sprout serve exited %d after SIGTERM", code)
	}

	restored := t.TempDir()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "sprout.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := startServer(t, restored, env...)
	org := r.login(t, organizerEmail, organizerPassword)
	found := map[string]ticket{}
	for offset := 0; ; offset += 500 {
		var page struct {
			Registrations []ticket `json:"registrations"`
			Total         int      `json:"total"`
		}
		r.mustAPI(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/events/%s/registrations?limit=500&offset=%d", eventID, offset), org, nil, &page)
		for _, tk := range page.Registrations {
			found[tk.ID] = tk
		}
		if len(page.Registrations) == 0 || offset+500 >= page.Total {
			break
		}
	}
	lost := 0
	for id, want := range before {
		if got, ok := found[id]; !ok || got.Status != "active" || got.Email != want.Email {
			lost++
			if lost <= 5 {
				t.Errorf("ticket %s of %s, answered before the backup, in the restored store: %+v (found %v)", id, want.Email, got, ok)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d tickets answered before the backup are missing from it", lost, len(before))
	}
	if got := soldSeats(t, r, eventID, typeID); got != len(found) {
		t.Errorf("the restored store counts %d seats sold for %d tickets", got, len(found))
	}
	// A ticket's own page opens from the restored store.
	for _, tk := range before {
		res, err := http.Get(strings.Replace(tk.URL, s.base, r.base, 1))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("the page of ticket %s answers %d from the restored store", tk.ID, res.StatusCode)
		}
		break
	}
	t.Logf("%d tickets in the backup (%d answered before it began)", len(found), len(before))
}
