package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultSMTPTimeout bounds a whole SMTP conversation, so a dead or stalled
// server cannot hold a worker.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPConfig says how to reach the SMTP server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS is smtps: TLS from the first byte. Otherwise STARTTLS is
	// used when the server offers it.
	ImplicitTLS bool
	// TLSConfig replaces the default (system roots, ServerName = Host), for
	// a private CA.
	TLSConfig *tls.Config
	// Timeout bounds one conversation; DefaultSMTPTimeout if zero.
	Timeout time.Duration
}

// ParseSMTPURL reads SMTP_URL: smtp://user:pass@host:port (port 587 if
// omitted, STARTTLS when offered) or smtps://user:pass@host:port (port 465
// if omitted, implicit TLS). User and password are optional and
// percent-encoded. Errors never repeat the URL, which may hold a password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return SMTPConfig{}, fmt.Errorf("smtp url: %v", err)
	}
	var cfg SMTPConfig
	switch u.Scheme {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.ImplicitTLS, cfg.Port = true, 465
	case "":
		return SMTPConfig{}, errors.New("smtp url: no scheme, want smtp://host:port or smtps://host:port")
	default:
		return SMTPConfig{}, fmt.Errorf("smtp url: unknown scheme %q, want smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return SMTPConfig{}, errors.New("smtp url: no host, want smtp://host:port")
	}
	cfg.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("smtp url: bad port %q, want 1-65535", p)
		}
		cfg.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return SMTPConfig{}, errors.New("smtp url: empty port")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return SMTPConfig{}, errors.New("smtp url: unexpected path or query, want only user:pass@host:port")
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	return cfg, nil
}

// SMTPSender sends messages through an SMTP server with go-mail, one
// connection per message.
type SMTPSender struct {
	host       string
	opts       []gomail.Option
	timeout    time.Duration
	from       *netmail.Address
	fromDomain string
}

// NewSMTPSender sends through cfg as from, e.g. "Sprout <no-reply@sprout.local>".
func NewSMTPSender(cfg SMTPConfig, from string) (*SMTPSender, error) {
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %w", from, err)
	}
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	if cfg.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if cfg.TLSConfig != nil {
		tc := cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = cfg.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if cfg.Username != "" {
		// Auto-discovery never sends a plain password over a connection
		// that is not encrypted.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	s := &SMTPSender{host: cfg.Host, opts: opts, timeout: timeout, from: addr,
		fromDomain: addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]}
	// One client now, so a bad configuration fails at start.
	if _, err := s.client(timeout); err != nil {
		return nil, err
	}
	return s, nil
}

// client is made per message so each conversation gets the time left.
func (s *SMTPSender) client(timeout time.Duration) (*gomail.Client, error) {
	c, err := gomail.NewClient(s.host, slices.Concat(s.opts, []gomail.Option{gomail.WithTimeout(timeout)})...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return c, nil
}

// Send delivers m. A refused recipient or message is ErrPermanent.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	timeout := s.timeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(deadline))
	}
	if timeout <= 0 {
		return context.DeadlineExceeded
	}
	c, err := s.client(timeout)
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server took the message and only the goodbye failed: a retry
		// would deliver it twice.
		return nil
	}
	var serr *gomail.SendError
	if errors.As(err, &serr) && serr.ErrorCode() >= 500 &&
		(serr.Reason == gomail.ErrSMTPRcptTo || serr.Reason == gomail.ErrSMTPDataClose) {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return err
}

func (s *SMTPSender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	// A Message-ID fixed by the outbox id lets receivers drop a duplicate.
	msg.SetMessageIDWithValue(m.ID + "@" + s.fromDomain)
	msg.SetDate()
	msg.SetUserAgent("Sprout")
	if m.Lang != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.HTML != "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	}
	for _, a := range m.Attachments {
		data, err := a.Content()
		if err != nil {
			return nil, fmt.Errorf("attachment %s: %w", a.Name, err)
		}
		var opts []gomail.FileOption
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		if a.ContentID == "" {
			msg.AttachReadSeeker(a.Name, bytes.NewReader(data), opts...)
			continue
		}
		opts = append(opts, gomail.WithFileContentID("<"+strings.Trim(a.ContentID, "<>")+">"))
		msg.EmbedReadSeeker(a.Name, bytes.NewReader(data), opts...)
	}
	return msg, nil
}
