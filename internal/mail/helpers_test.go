package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sprout/internal/mail"
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

func newStore(t *testing.T) *sqlite.Store {
	return openStore(t, filepath.Join(t.TempDir(), "sprout.db"))
}

func newOutbox(t *testing.T, s mail.Store) *mail.Outbox {
	t.Helper()
	return mail.NewOutbox(s, templates(t))
}

func newSender(t *testing.T, cfg mail.SMTPConfig) *mail.SMTPSender {
	t.Helper()
	s, err := mail.NewSMTPSender(cfg, from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clock is a fake clock the test moves forward.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// run starts w with test-friendly defaults and stops it when the test ends.
func run(t *testing.T, w *mail.Worker) {
	t.Helper()
	if w.Poll == 0 {
		w.Poll = 10 * time.Millisecond
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

// part is one leaf of a received MIME message, its body decoded.
type part struct {
	Header textproto.MIMEHeader
	Body   []byte
}

// parsed is a received message as a mail client sees it.
type parsed struct {
	Header  netmail.Header
	Subject string
	Parts   []part
}

func (p parsed) find(mediaType string) (part, bool) {
	for _, pt := range p.Parts {
		if mt, _, _ := mime.ParseMediaType(pt.Header.Get("Content-Type")); mt == mediaType {
			return pt, true
		}
	}
	return part{}, false
}

func parseMail(t *testing.T, data []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{Header: msg.Header, Subject: subject}
	walk(t, textproto.MIMEHeader(msg.Header), msg.Body, &p.Parts)
	return p
}

func walk(t *testing.T, h textproto.MIMEHeader, body io.Reader, out *[]part) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
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
			walk(t, p.Header, p, out)
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
	*out = append(*out, part{Header: h, Body: b})
}

func templates(t *testing.T) *mail.Templates {
	t.Helper()
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}
