package mail_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"sprout/internal/mail"
)

func TestParseSMTPURL(t *testing.T) {
	good := map[string]mail.SMTPConfig{
		"smtp://mail.example.vn:2525":          {Host: "mail.example.vn", Port: 2525},
		"smtp://mail.example.vn":               {Host: "mail.example.vn", Port: 587},
		"smtps://mail.example.vn":              {Host: "mail.example.vn", Port: 465, ImplicitTLS: true},
		"smtp://u%40x.vn:p%3Ass@127.0.0.1:25/": {Host: "127.0.0.1", Port: 25, Username: "u@x.vn", Password: "p:ss"},
		"smtps://user:secret@[::1]:1465":       {Host: "::1", Port: 1465, Username: "user", Password: "secret", ImplicitTLS: true},
		" smtp://user@mail.example.vn:587 ":    {Host: "mail.example.vn", Port: 587, Username: "user"},
		"smtp://user:@mail.example.vn:587":     {Host: "mail.example.vn", Port: 587, Username: "user"},
		"smtps://a:b@smtp.gmail.com:465":       {Host: "smtp.gmail.com", Port: 465, Username: "a", Password: "b", ImplicitTLS: true},
		"smtp://mail.example.vn:00025":         {Host: "mail.example.vn", Port: 25},
	}
	for raw, want := range good {
		got, err := mail.ParseSMTPURL(raw)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", raw, got, err, want)
		}
	}
	bad := map[string]string{
		"":                                     "no scheme",
		"mail.example.vn:25":                   "scheme",
		"http://mail.example.vn":               "unknown scheme",
		"smtp://":                              "no host",
		"smtp://user:pass@:25":                 "no host",
		"smtp:mail.example.vn":                 "no host",
		"smtp://mail.example.vn:0":             "bad port",
		"smtp://mail.example.vn:70000":         "bad port",
		"smtp://mail.example.vn:":              "empty port",
		"smtp://mail.example.vn:abc":           "port",
		"smtp://mail.example.vn:25/x":          "path",
		"smtp://mail.example.vn:25?tls=no":     "query",
		"smtp://user:s3cr%zz@mail.example.vn":  "",
		"smtp://user:s3cr et@mail.example.vn ": "",
	}
	for raw, want := range bad {
		_, err := mail.ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("%q parses", raw)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want it to say %q", raw, err, want)
		}
		if strings.Contains(err.Error(), "s3cr") {
			t.Errorf("%q: error shows the password: %v", raw, err)
		}
	}
}

// deliver runs the whole path once: outbox, store, worker, SMTP server.
func deliver(t *testing.T, cfg mail.SMTPConfig, srv *testServer, to, lang string, att ...mail.Attachment) (mail.Message, delivery) {
	t.Helper()
	store := newStore(t)
	out := newOutbox(t, store)
	run(t, &mail.Worker{Templates: templates(t), Store: store, Sender: newSender(t, cfg), Wake: out.Notify(), Poll: time.Hour})
	m, err := out.Enqueue(context.Background(), to, "password_reset", lang, resetData("Nguyễn Văn An"), att...)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the mail to be sent", func() bool { return byID(t, store, m.ID).Status == mail.StatusSent })
	got := srv.deliveries()
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	return byID(t, store, m.ID), got[0]
}

func TestSMTPDeliversVietnamesePasswordReset(t *testing.T) {
	srv := startServer(t, serverOpts{})
	m, d := deliver(t, mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port}, srv, "An@Example.VN", "vi")

	if d.From != "no-reply@sprout.local" || len(d.To) != 1 || d.To[0] != "an@example.vn" {
		t.Errorf("envelope from %q to %v", d.From, d.To)
	}
	p := parseMail(t, d.Data)
	if p.Subject != "Đặt lại mật khẩu Sprout" {
		t.Errorf("subject %q", p.Subject)
	}
	if got := p.Header.Get("Message-Id"); got != "<"+m.ID+"@sprout.local>" {
		t.Errorf("Message-ID %q", got)
	}
	if p.Header.Get("Content-Language") != "vi" {
		t.Errorf("Content-Language %q", p.Header.Get("Content-Language"))
	}
	text, ok := p.Find("text/plain")
	if !ok || !strings.Contains(string(text.Body), "Chào Nguyễn Văn An,") ||
		!strings.Contains(string(text.Body), "https://sprout.local/reset/tok123?a=1&b=2") {
		t.Errorf("text part: %q", text.Body)
	}
	html, ok := p.Find("text/html")
	if !ok || !strings.Contains(string(html.Body), `href="https://sprout.local/reset/tok123?a=1&amp;b=2"`) {
		t.Errorf("html part: %q", html.Body)
	}
	if m.Attempts != 1 || m.SentAt.IsZero() {
		t.Errorf("stored after sending: %+v", m)
	}
}

func TestSMTPInlineAttachment(t *testing.T) {
	srv := startServer(t, serverOpts{})
	qr := mail.Attachment{Name: "ve.png", ContentType: "image/png", ContentID: "qr-ticket", Data: []byte("\x89PNG\r\n\x1a\nfake")}
	pdf := mail.Attachment{Name: "hướng dẫn.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 fake")}
	_, d := deliver(t, mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port}, srv, "an@example.vn", "en", qr, pdf)

	p := parseMail(t, d.Data)
	img, ok := p.Find("image/png")
	if !ok {
		t.Fatalf("no image part in:\n%s", d.Data)
	}
	if got := img.Header.Get("Content-Id"); got != "<qr-ticket>" {
		t.Errorf("Content-ID %q", got)
	}
	if !strings.HasPrefix(img.Header.Get("Content-Disposition"), "inline") || !bytes.Equal(img.Body, qr.Data) {
		t.Errorf("inline part %v %q", img.Header, img.Body)
	}
	doc, ok := p.Find("application/pdf")
	if !ok || !strings.HasPrefix(doc.Header.Get("Content-Disposition"), "attachment") || !bytes.Equal(doc.Body, pdf.Data) {
		t.Errorf("attachment part %v %q", doc.Header, doc.Body)
	}
	if !strings.Contains(p.Header.Get("Content-Type"), "multipart/mixed") || !bytes.Contains(d.Data, []byte("multipart/related")) {
		t.Errorf("structure: %s", p.Header.Get("Content-Type"))
	}
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	srv := startServer(t, serverOpts{tls: serverTLS, user: "sprout", pass: "mật khẩu"})
	cfg, err := mail.ParseSMTPURL("smtp://sprout:m%E1%BA%ADt%20kh%E1%BA%A9u@127.0.0.1:" + strconv.Itoa(srv.Port))
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig = clientTLS
	_, d := deliver(t, cfg, srv, "an@example.vn", "vi")
	if d.User != "sprout" {
		t.Errorf("authenticated as %q", d.User)
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	srv := startServer(t, serverOpts{tls: serverTLS, implicitTLS: true, user: "sprout", pass: "secret"})
	cfg, err := mail.ParseSMTPURL("smtps://sprout:secret@127.0.0.1:" + strconv.Itoa(srv.Port))
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig = clientTLS
	_, d := deliver(t, cfg, srv, "an@example.vn", "en")
	if d.User != "sprout" || parseMail(t, d.Data).Subject != "Reset your Sprout password" {
		t.Errorf("got user %q, subject %q", d.User, parseMail(t, d.Data).Subject)
	}
}

func TestSMTPNoPlainPasswordWithoutTLS(t *testing.T) {
	srv := startServer(t, serverOpts{user: "sprout", pass: "secret", plainAuth: true})
	s := newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port, Username: "sprout", Password: "secret"})
	err := s.Send(context.Background(), mail.Message{ID: "x", To: "an@example.vn", Subject: "s", Text: "t"})
	if err == nil || srv.auths.Load() != 0 || len(srv.deliveries()) != 0 {
		t.Errorf("sent the password over plain text: %v", err)
	}
}

func TestSMTPRefusedRecipientFailsAtOnce(t *testing.T) {
	srv := startServer(t, serverOpts{})
	store := newStore(t)
	out := newOutbox(t, store)
	run(t, &mail.Worker{Templates: templates(t), Store: store, Sender: newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port}), Wake: out.Notify()})
	m, err := out.Enqueue(context.Background(), "ghost@refused.example", "password_reset", "vi", resetData("An"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the mail to fail", func() bool { return byID(t, store, m.ID).Status == mail.StatusFailed })
	if got := byID(t, store, m.ID); got.Attempts != 1 || !strings.Contains(got.LastError, "550") {
		t.Errorf("failed after %d attempts with %q", got.Attempts, got.LastError)
	}
}

func TestSMTPStalledServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		// Accept and say nothing, like a server that hangs.
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s := newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Timeout: 300 * time.Millisecond})
	start := time.Now()
	err = s.Send(context.Background(), mail.Message{ID: "x", To: "an@example.vn", Subject: "s", Text: "t"})
	if err == nil || errors.Is(err, mail.ErrPermanent) {
		t.Errorf("stalled server: %v, want a temporary error", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("gave up after %v", took)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	s = newSender(t, mail.SMTPConfig{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port})
	start = time.Now()
	if err := s.Send(ctx, mail.Message{ID: "x", To: "an@example.vn", Subject: "s", Text: "t"}); err == nil {
		t.Error("stalled server: no error")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("context deadline ignored: gave up after %v", took)
	}
}
