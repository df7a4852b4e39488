package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"sprout/app"
	"sprout/internal/clock"
	"sprout/internal/mail"
	"sprout/internal/sqlite"
)

// heldSMTP is an SMTP server that takes a message's data only once release
// is closed, and tells on sending when one is being sent.
type heldSMTP struct {
	sending chan struct{}
	release chan struct{}
}

func (h *heldSMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return heldSession{h}, nil }

type heldSession struct{ h *heldSMTP }

func (heldSession) Mail(string, *smtp.MailOptions) error { return nil }
func (heldSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (heldSession) Reset()                               {}
func (heldSession) Logout() error                        { return nil }
func (s heldSession) Data(r io.Reader) error {
	if _, err := io.ReadAll(r); err != nil {
		return err
	}
	s.h.sending <- struct{}{}
	<-s.h.release
	return nil
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// testAssets are the repository's views and static files, as main embeds
// them.
func testAssets() app.Assets {
	return app.Assets{Views: os.DirFS("../views"), Static: os.DirFS("../static")}
}

func testConfig(t *testing.T, env map[string]string) app.Config {
	t.Helper()
	cfg, err := app.LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestShutdownWaitsForTheMailBeingSent stops the server while the mail
// worker is in the middle of an SMTP conversation: Serve returns only once
// the mail went out and was recorded as sent, so the store is never closed
// under the worker.
func TestShutdownWaitsForTheMailBeingSent(t *testing.T) {
	h := &heldSMTP{sending: make(chan struct{}, 1), release: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(h)
	srv.Domain = "localhost"
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	dir := t.TempDir()
	port := freePort(t)
	cfg := testConfig(t, map[string]string{
		"DATA_DIR": dir, "PORT": strconv.Itoa(port), "LOG_LEVEL": "error",
		"SMTP_URL": "smtp://" + ln.Addr().String(),
	})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- app.Serve(ctx, cfg, testAssets(), false, io.Discard) }()
	waitHealthy(t, port, served)

	// Queued by another handle on the same file, as another instance would.
	store, err := sqlite.Open(context.Background(), cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.NewOutbox(store, tpl, clock.System{}).Enqueue(context.Background(), "an@example.vn", "password_reset", "vi",
		map[string]any{"Name": "An", "Link": "http://localhost/password/reset/x", "ExpiresMinutes": 60})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.sending:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not send the mail within 10 s")
	}

	stop()
	select {
	case err := <-served:
		close(h.release)
		t.Fatalf("Serve returned (%v) while a mail was still being sent", err)
	case <-time.After(500 * time.Millisecond):
	}
	close(h.release)
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10 s of the mail going out")
	}
	got, err := store.MailByID(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != mail.StatusSent {
		t.Errorf("the mail sent during shutdown is %q, want %q", got.Status, mail.StatusSent)
	}
}

// waitHealthy waits for the server on port to answer /healthz.
func waitHealthy(t *testing.T, port int, served <-chan error) {
	t.Helper()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-served:
			t.Fatalf("Serve ended before answering: %v", err)
		default:
		}
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatal("/healthz did not answer within 20 s")
}
