package mail_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sprout/internal/clock"
	"sprout/internal/mail"
	"sprout/internal/mail/mailtest"
	"sprout/internal/mongo"
	"sprout/internal/sqlite"
)

const from = "Sprout <no-reply@sprout.local>"

// resetData is what the accounts service passes to password_reset.
func resetData(name string) map[string]any {
	return map[string]any{"Name": name, "Link": "https://sprout.local/reset/tok123?a=1&b=2", "ExpiresMinutes": 60}
}

func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openMongo(t *testing.T, uri string) *mongo.Store {
	t.Helper()
	s, err := mongo.Open(context.Background(), uri)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newStore(t *testing.T) *sqlite.Store {
	return openStore(t, filepath.Join(t.TempDir(), "sprout.db"))
}

func newOutbox(t *testing.T, s mail.Store) *mail.Outbox {
	t.Helper()
	return mail.NewOutbox(s, templates(t), clock.System{})
}

func newSender(t *testing.T, cfg mail.SMTPConfig) *mail.SMTPSender {
	t.Helper()
	s, err := mail.NewSMTPSender(cfg, from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// run starts w with test-friendly defaults and stops it when the test ends.
func run(t *testing.T, w *mail.Worker) {
	t.Helper()
	if w.Poll == 0 {
		w.Poll = 10 * time.Millisecond
	}
	if w.Clock == nil {
		w.Clock = clock.System{}
	}
	w.Log = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func byID(t *testing.T, s mail.Store, id string) mail.Message {
	t.Helper()
	m, err := s.MailByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// parseMail reads a received message as a mail client shows it.
func parseMail(t *testing.T, data []byte) mailtest.Message {
	t.Helper()
	m, err := mailtest.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func templates(t *testing.T) *mail.Templates {
	t.Helper()
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}
