package e2e_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
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
	deadline := time.Now().Add(within)
	for {
		mb.mu.Lock()
		for _, d := range mb.got {
			for _, to := range d.to {
				if strings.EqualFold(to, rcpt) {
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

// mailPart is one leaf of a MIME message, its body decoded.
type mailPart struct {
	header textproto.MIMEHeader
	body   []byte
}

type parsedMail struct {
	header  netmail.Header
	subject string
	parts   []mailPart
}

// parseMail reads a message as a mail client does: the subject decoded
// from RFC 2047 and every leaf part decoded from its transfer encoding.
func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", msg.Header.Get("Subject"), err)
	}
	p := parsedMail{header: msg.Header, subject: subject}
	walkMIME(t, textproto.MIMEHeader(msg.Header), msg.Body, &p.parts)
	return p
}

func walkMIME(t *testing.T, h textproto.MIMEHeader, body io.Reader, out *[]mailPart) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			walkMIME(t, p.Header, p, out)
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	*out = append(*out, mailPart{header: h, body: b})
}

// part is the first leaf of media type mt.
func (p parsedMail) part(mt string) (mailPart, bool) {
	for _, part := range p.parts {
		if got, _, _ := mime.ParseMediaType(part.header.Get("Content-Type")); got == mt {
			return part, true
		}
	}
	return mailPart{}, false
}

// TestTicketMailOverSMTP follows a registration to the visitor's mailbox:
// the ticket mail crosses a real SMTP conversation in the visitor's
// language, shows the QR code inline, and that QR code is the ticket.
func TestTicketMailOverSMTP(t *testing.T) {
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
			if m.subject != c.subject {
				t.Errorf("subject %q, want %q", m.subject, c.subject)
			}
			if got, err := m.header.AddressList("From"); err != nil || len(got) != 1 || got[0].Name != fromName || got[0].Address != fromAddress {
				t.Errorf("From %q (%v), want %s <%s>", m.header.Get("From"), err, fromName, fromAddress)
			}

			text, ok := m.part("text/plain")
			if !ok || !strings.Contains(string(text.body), tk.URL) || !strings.Contains(string(text.body), c.name) {
				t.Errorf("text part lacks the ticket link %s or the name %q:\n%s", tk.URL, c.name, text.body)
			}
			html, ok := m.part("text/html")
			if !ok || !strings.Contains(string(html.body), `src="cid:qr"`) {
				t.Errorf("HTML part does not show the inline QR code (cid:qr):\n%s", html.body)
			}
			img, ok := m.part("image/png")
			if !ok {
				t.Fatalf("no image/png part in:\n%s", d.data)
			}
			if got := img.header.Get("Content-Id"); got != "<qr>" {
				t.Errorf("QR image Content-ID %q, want <qr>", got)
			}
			if got := decodeQR(t, img.body); got != tk.Token {
				t.Errorf("the QR code in the mail reads %q, want the ticket's token %q", got, tk.Token)
			}
		})
	}
}
