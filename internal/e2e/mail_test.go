package e2e_test

import (
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"sprout/internal/mail/mailtest"
)

// mailbox is an SMTP server on 127.0.0.1 that keeps every message it
// accepts, standing in for the organisation's mail relay.
type mailbox struct {
	port int
	mu   sync.Mutex
	got  []delivery
}

type delivery struct {
	from string
	to   []string
	data []byte
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb := &mailbox{port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailSession{box: mb}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Second, 5*time.Second
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb
}

// waitFor returns the first message addressed to rcpt, waiting up to
// within for it.
func (mb *mailbox) waitFor(t *testing.T, rcpt string, within time.Duration) delivery {
	t.Helper()
	return mb.waitForMail(t, rcpt, within, func(delivery) bool { return true })
}

// waitForMail returns the first message addressed to rcpt that match
// accepts, waiting up to within for it.
func (mb *mailbox) waitForMail(t *testing.T, rcpt string, within time.Duration, match func(delivery) bool) delivery {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		mb.mu.Lock()
		for _, d := range mb.got {
			for _, to := range d.to {
				if strings.EqualFold(to, rcpt) && match(d) {
					mb.mu.Unlock()
					return d
				}
			}
		}
		mb.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s within %s", rcpt, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type mailSession struct {
	box *mailbox
	cur delivery
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur = delivery{from: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = data
	s.box.mu.Lock()
	s.box.got = append(s.box.got, s.cur)
	s.box.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.cur = delivery{} }
func (s *mailSession) Logout() error { return nil }

// parseMail reads a received message as a mail client shows it.
func parseMail(t *testing.T, data []byte) mailtest.Message {
	t.Helper()
	m, err := mailtest.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTicketMailOverSMTP follows a registration to the visitor's mailbox:
// the ticket mail crosses a real SMTP conversation in the visitor's
// language, shows the QR code inline, and that QR code is the ticket.
func TestTicketMailOverSMTP(t *testing.T) {
	t.Parallel()
	mb := startMailbox(t)
	const fromName, fromAddress = "Ban tổ chức Sprout", "ve@sprout.test"
	s := startServer(t, t.TempDir(), append(adminEnv(),
		"SMTP_URL=smtp://127.0.0.1:"+strconv.Itoa(mb.port),
		"MAIL_FROM="+fromName+" <"+fromAddress+">",
	)...)
	org := s.organizer(t)
	eventID, typeID := s.publishEvent(t, org, 50)

	for _, c := range []struct {
		lang, name, email, subject string
	}{
		{"vi", "Phạm Thị Hương Giang", "huong.giang@example.vn", "Vé tham dự " + eventTitle},
		{"en", "Lê Minh Đức", "minh.duc@example.com", "Your ticket for " + eventTitleEN},
	} {
		t.Run(c.lang, func(t *testing.T) {
			tk := s.register(t, eventID, typeID, c.name, c.email, c.lang)
			d := mb.waitFor(t, c.email, 10*time.Second)
			if d.from != fromAddress || len(d.to) != 1 {
				t.Errorf("envelope from %s to %v, want from %s to %s only", d.from, d.to, fromAddress, c.email)
			}
			m := parseMail(t, d.data)
			if m.Subject != c.subject {
				t.Errorf("subject %q, want %q", m.Subject, c.subject)
			}
			if got, err := m.Header.AddressList("From"); err != nil || len(got) != 1 || got[0].Name != fromName || got[0].Address != fromAddress {
				t.Errorf("From %q (%v), want %s <%s>", m.Header.Get("From"), err, fromName, fromAddress)
			}

			text, ok := m.Find("text/plain")
			if !ok || !strings.Contains(string(text.Body), tk.URL) || !strings.Contains(string(text.Body), c.name) {
				t.Errorf("text part lacks the ticket link %s or the name %q:\n%s", tk.URL, c.name, text.Body)
			}
			html, ok := m.Find("text/html")
			if !ok || !strings.Contains(string(html.Body), `src="cid:qr"`) {
				t.Errorf("HTML part does not show the inline QR code (cid:qr):\n%s", html.Body)
			}
			img, ok := m.Find("image/png")
			if !ok {
				t.Fatalf("no image/png part in:\n%s", d.data)
			}
			if got := img.Header.Get("Content-Id"); got != "<qr>" {
				t.Errorf("QR image Content-ID %q, want <qr>", got)
			}
			if got := decodeQR(t, img.Body); got != tk.Token {
				t.Errorf("the QR code in the mail reads %q, want the ticket's token %q", got, tk.Token)
			}
		})
	}
}
