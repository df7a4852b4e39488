package e2e_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

	r := startRush(t, s, eventID, typeID, "sao.luu", 16, 32000, 10*time.Second)
	defer r.end()

	// Let the rush build up, then note what was acknowledged before the
	// backup starts.
	for deadline := time.Now().Add(10 * time.Second); len(r.answers()) < 300 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	before := r.answers()

	file := filepath.Join(t.TempDir(), "sprout-backup.db")
	backup := exec.Command(binary, "backup", file)
	backup.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dataDir, "DATA_DIR=" + dataDir, "LOG_LEVEL=error"}
	began := time.Now()
	out, err := backup.CombinedOutput()
	took := time.Since(began)
	during := len(r.answers()) - len(before)
	r.end()
	if err != nil {
		t.Fatalf("sprout backup: %v\n%s", err, out)
	}
	t.Logf("backup took %v with %d tickets answered before it and %d during it", took, len(before), during)
	if len(before) == 0 || during == 0 || r.cut.Load() != 0 {
		t.Fatalf("the backup did not run during the rush: %d tickets before it, %d during, %d requests unanswered", len(before), during, r.cut.Load())
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
	back := startServer(t, restored, env...)
	found := back.registrations(t, eventID)
	if lost := missing(t, before, found, "answered before the backup, in the restored store"); lost > 0 {
		t.Fatalf("%d of %d tickets answered before the backup are missing from it", lost, len(before))
	}
	if got := soldSeats(t, back, eventID, typeID); got != len(found) {
		t.Errorf("the restored store counts %d seats sold for %d tickets", got, len(found))
	}
	// A ticket's own page opens from the restored store.
	for _, tk := range before {
		res, err := http.Get(strings.Replace(tk.URL, s.base, back.base, 1))
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
