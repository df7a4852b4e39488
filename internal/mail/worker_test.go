package mail_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/mail"
	"sprout/internal/storetest"
)

func TestRetryDelay(t *testing.T) {
	want := map[int]time.Duration{0: 30 * time.Second, 1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute,
		7: 32 * time.Minute, 8: time.Hour, 40: time.Hour, 1000: time.Hour}
	for attempt, full := range want {
		for range 50 {
			if d := mail.RetryDelay(attempt); d > full || d < full*9/10 {
				t.Fatalf("attempt %d waits %v, want %v less up to 10%%", attempt, d, full)
			}
		}
	}
}

func TestMailWaitsInOutboxWhileServerIsDown(t *testing.T) {
	port := freePort(t)
	store := newStore(t)
	out := newOutbox(t, store)
	clk := clock.NewShifted(0)
	sender := newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: port, Timeout: 2 * time.Second})
	run(t, &mail.Worker{Templates: templates(t), Store: store, Sender: sender, Wake: out.Notify(), Clock: clk})

	m, err := out.Enqueue(context.Background(), "an@example.vn", "password_reset", "vi", resetData("An"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the first attempt to fail", func() bool {
		got := byID(t, store, m.ID)
		return got.Attempts == 1 && got.Status == mail.StatusPending
	})
	got := byID(t, store, m.ID)
	if got.LastError == "" {
		t.Error("no error kept")
	}
	if wait := got.NextAttemptAt.Sub(clk.Now()); wait < 20*time.Second || wait > 30*time.Second {
		t.Errorf("next attempt in %v, want about 30s", wait)
	}

	srv := startServer(t, serverOpts{addr: "127.0.0.1:" + strconv.Itoa(port)})
	time.Sleep(100 * time.Millisecond) // ten polls
	if got := byID(t, store, m.ID); got.Attempts != 1 || len(srv.deliveries()) != 0 {
		t.Fatalf("retried before its time: %+v", got)
	}

	clk.Advance(30 * time.Second)
	eventually(t, "the retry to be sent", func() bool { return byID(t, store, m.ID).Status == mail.StatusSent })
	got = byID(t, store, m.ID)
	if got.Attempts != 2 || got.LastError != "" || len(srv.deliveries()) != 1 {
		t.Errorf("after retry: attempts %d, error %q, %d delivered", got.Attempts, got.LastError, len(srv.deliveries()))
	}
	if p := parseMail(t, srv.deliveries()[0].Data); p.Subject != "Đặt lại mật khẩu Sprout" {
		t.Errorf("subject %q", p.Subject)
	}
}

func TestMailFailsAfterMaxAttempts(t *testing.T) {
	store := newStore(t)
	out := newOutbox(t, store)
	sender := newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: freePort(t), Timeout: 2 * time.Second})
	run(t, &mail.Worker{Templates: templates(t), Store: store, Sender: sender, Wake: out.Notify(), MaxAttempts: 3,
		Backoff: func(int) time.Duration { return 0 }})

	m, err := out.Enqueue(context.Background(), "an@example.vn", "password_reset", "en", resetData("An"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the mail to fail", func() bool { return byID(t, store, m.ID).Status == mail.StatusFailed })
	if got := byID(t, store, m.ID); got.Attempts != 3 || got.LastError == "" {
		t.Errorf("failed after %d attempts with %q", got.Attempts, got.LastError)
	}
}

// Several instances (two store handles on one database) with two workers
// each race for the same messages; the atomic claim lets each through once.
// On MongoDB's wire the handles reach FerretDB through the test relay, so
// their claims interleave as on a MongoDB primary.
func TestWorkersDeliverEachMailExactlyOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sprout.db")
		workersDeliverEachMailOnce(t, openStore(t, path), openStore(t, path))
	})
	t.Run("mongodb-wire", func(t *testing.T) {
		uri := storetest.FerretDBURI(t)
		workersDeliverEachMailOnce(t, openMongo(t, uri), openMongo(t, uri))
	})
	if os.Getenv("MONGODB_TEST_URI") != "" {
		t.Run("mongodb", func(t *testing.T) {
			uri := storetest.MongoDBTestURI(t)
			workersDeliverEachMailOnce(t, openMongo(t, uri), openMongo(t, uri))
		})
	}
}

// workersDeliverEachMailOnce races workers on two handles, a and b, on one
// store.
func workersDeliverEachMailOnce(t *testing.T, a, b mail.Store) {
	srv := startServer(t, serverOpts{})
	stores := []mail.Store{a, b}
	out := newOutbox(t, stores[0])
	const n = 60
	for i := range n {
		if _, err := out.Enqueue(context.Background(), fmt.Sprintf("user%02d@example.vn", i), "password_reset", "vi", resetData("An")); err != nil {
			t.Fatal(err)
		}
	}
	sender := newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port})
	workers := make([]*counting, 4)
	for i := range workers {
		workers[i] = &counting{Sender: sender}
		run(t, &mail.Worker{Templates: templates(t), Store: stores[i%2], Sender: workers[i], Poll: 5 * time.Millisecond})
	}

	eventually(t, "every mail to be sent", func() bool {
		list, _, err := stores[1].ListMail(context.Background(), mail.Query{Limit: n})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range list {
			if m.Status != mail.StatusSent {
				return false
			}
		}
		return len(list) == n
	})
	list, _, _ := stores[0].ListMail(context.Background(), mail.Query{Limit: n})
	for _, m := range list {
		if m.Attempts != 1 {
			t.Errorf("%s took %d attempts", m.To, m.Attempts)
		}
	}
	perRcpt := map[string]int{}
	for _, d := range srv.deliveries() {
		for _, to := range d.To {
			perRcpt[to]++
		}
	}
	for i := range n {
		if to := fmt.Sprintf("user%02d@example.vn", i); perRcpt[to] != 1 {
			t.Errorf("%s received %d times", to, perRcpt[to])
		}
	}
	if got := len(srv.deliveries()); got != n {
		t.Errorf("server got %d messages, want %d", got, n)
	}
	busy := 0
	for _, w := range workers {
		if w.sent.Load() > 0 {
			busy++
		}
	}
	if busy < 2 {
		t.Errorf("only %d worker sent anything: the race was not run", busy)
	}
}

// counting passes messages on to the real sender, counting them.
type counting struct {
	mail.Sender
	sent atomic.Int32
}

func (c *counting) Send(ctx context.Context, m mail.Message) error {
	c.sent.Add(1)
	return c.Sender.Send(ctx, m)
}

// A ticket mail keeps only which ticket it brings: its Filler reads the
// rest when it is sent. While the store cannot answer, the mail waits and
// is tried again; once its ticket is gone, it fails at once.
func TestFillerCompletesMailWhenSent(t *testing.T) {
	store := newStore(t)
	out := newOutbox(t, store)
	srv := startServer(t, serverOpts{})
	sender := newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port})
	tpl := templates(t)
	var storeDown atomic.Bool
	storeDown.Store(true)
	tpl.Fill("ticket", func(_ context.Context, data map[string]any) (map[string]any, []mail.Attachment, error) {
		switch {
		case data["Ticket"] == "gone":
			return nil, nil, fmt.Errorf("ticket: %w", errs.ErrNotFound)
		case storeDown.Load():
			return nil, nil, errors.New("store: connection refused")
		}
		return map[string]any{"Name": "Trần Thị Bình", "Event": "Techfest Hà Nội 2026", "Venue": "Hà Nội", "When": "08:30 28/11/2026",
				"TicketType": "Khách tham quan", "Link": "https://sprout.local/t/abc", "QR": "qr", "Promoted": false},
			[]mail.Attachment{{Name: "ve.png", ContentType: "image/png", ContentID: "qr", QR: "eyJhbGciOiJFZERTQSJ9.e30.c2ln"}}, nil
	})
	clk := clock.NewShifted(0)
	run(t, &mail.Worker{Templates: tpl, Store: store, Sender: sender, Wake: out.Notify(), Clock: clk,
		Backoff: func(int) time.Duration { return time.Minute }})

	m, err := out.Enqueue(context.Background(), "binh@example.vn", "ticket", "vi", map[string]any{"Ticket": "06h4tsntadnjx8v0vmvkr3r5c0"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "a failed attempt", func() bool { return byID(t, store, m.ID).Attempts >= 1 })
	if got := byID(t, store, m.ID); got.Status != mail.StatusPending || !strings.Contains(got.LastError, "connection refused") {
		t.Fatalf("a store that cannot answer gave the mail up: %+v", got)
	}
	storeDown.Store(false)
	clk.Advance(time.Minute)
	eventually(t, "the mail to be sent", func() bool { return byID(t, store, m.ID).Status == mail.StatusSent })
	d := srv.deliveries()
	if len(d) != 1 {
		t.Fatalf("%d delivered", len(d))
	}
	p := parseMail(t, d[0].Data)
	text, _ := p.Find("text/plain")
	if _, ok := p.Find("image/png"); !ok || !strings.Contains(string(text.Body), "Trần Thị Bình") {
		t.Fatalf("the mail as sent lacks what the filler gave:\n%s", d[0].Data)
	}

	gone, err := out.Enqueue(context.Background(), "binh@example.vn", "ticket", "vi", map[string]any{"Ticket": "gone"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the mail to fail", func() bool { return byID(t, store, gone.ID).Status == mail.StatusFailed })
	if got := byID(t, store, gone.ID); got.Attempts != 1 {
		t.Fatalf("a mail whose ticket is gone was tried %d times", got.Attempts)
	}
}
