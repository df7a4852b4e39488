package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	sproutmail "sprout/internal/mail"
)

// Config is every setting Sprout reads from the environment, checked once
// at boot.
type Config struct {
	Port     int
	DataDir  string
	MongoURI string
	// FerretDBPool accepts serving on FerretDB over more than one
	// connection (MONGODB_FERRETDB_POOL=accept), which loses concurrent
	// updates there.
	FerretDBPool  bool
	BaseURL       string
	AdminEmail    string
	AdminPassword string
	AdminName     string
	SMTPURL       string
	SMTP          sproutmail.SMTPConfig
	MailFrom      string
	// MailKeep is how long mail is kept once sent, or, without SMTP, once
	// queued for the Mailbox; then the janitor prunes it.
	MailKeep    time.Duration
	LogLevel    slog.Level
	LogFormat   string
	ProxyHeader string
	// TrustedProxies are the peers whose ProxyHeader is believed.
	TrustedProxies []netip.Prefix
	// RegistrationLimit is registrations a minute per client address.
	RegistrationLimit int
	// ClockOffset moves the app's clock away from the machine's, so that a
	// rehearsal can run as if it were event day.
	ClockOffset time.Duration
	// CertPrefix starts every certificate code, as HN in HN-2026-000123;
	// CertIssuer is who certificates name as their issuer.
	CertPrefix string
	CertIssuer string
	// CertPlace is the city certificates are dated at, as "Hà Nội".
	CertPlace string
	// CertSigner and CertSignerTitle sign enterprises' certificates for
	// the department, as "PGS.TS. Nguyễn Văn A", "Giám đốc Sở".
	CertSigner, CertSignerTitle string
}

var certPrefix = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)

// parsePrefix reads an address (a network of one) or a CIDR.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// SQLitePath is where the embedded store lives.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "sprout.db") }

// LoadConfig reads the environment through getenv. Every bad value is
// reported at once, each with what was expected.
func LoadConfig(getenv func(string) string) (Config, error) {
	var problems []error
	bad := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}

	c := Config{
		DataDir:         get("DATA_DIR", "./data"),
		MongoURI:        get("MONGODB_URI", ""),
		AdminEmail:      get("ADMIN_EMAIL", ""),
		AdminPassword:   getenv("ADMIN_PASSWORD"),
		AdminName:       get("ADMIN_NAME", ""),
		SMTPURL:         get("SMTP_URL", ""),
		MailFrom:        get("MAIL_FROM", "Sprout <no-reply@sprout.local>"),
		LogFormat:       get("LOG_FORMAT", "json"),
		ProxyHeader:     get("PROXY_HEADER", ""),
		CertPrefix:      get("CERT_PREFIX", "HN"),
		CertIssuer:      get("CERT_ISSUER", "Sprout"),
		CertPlace:       get("CERT_PLACE", ""),
		CertSigner:      get("CERT_SIGNER", ""),
		CertSignerTitle: get("CERT_SIGNER_TITLE", ""),
	}
	if !certPrefix.MatchString(c.CertPrefix) {
		bad("CERT_PREFIX must be 1 to 8 capital letters or digits, such as HN, got %q", c.CertPrefix)
	}

	port, err := strconv.Atoi(get("PORT", "3000"))
	if err != nil || port < 1 || port > 65535 {
		bad("PORT must be a number from 1 to 65535, got %q", getenv("PORT"))
	}
	c.Port = port

	for _, p := range strings.Split(get("TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if prefix, err := parsePrefix(p); err != nil {
			bad("TRUSTED_PROXIES must list IP addresses or CIDRs such as 10.0.0.1,10.1.0.0/16, got %q", p)
		} else {
			c.TrustedProxies = append(c.TrustedProxies, prefix)
		}
	}
	if len(c.TrustedProxies) > 0 && c.ProxyHeader == "" {
		bad("TRUSTED_PROXIES names proxies whose PROXY_HEADER is believed: set PROXY_HEADER too (e.g. X-Forwarded-For)")
	}

	limit, err := strconv.Atoi(get("REGISTRATION_LIMIT", "1200"))
	if err != nil || limit < 0 {
		bad("REGISTRATION_LIMIT must be a whole number of registrations a minute per client (0 for no limit), got %q", getenv("REGISTRATION_LIMIT"))
	}
	c.RegistrationLimit = limit

	if v := get("CLOCK_OFFSET", ""); v != "" {
		if c.ClockOffset, err = time.ParseDuration(v); err != nil {
			bad("CLOCK_OFFSET must be a duration such as 8760h or -36h, got %q", v)
		}
	}

	c.BaseURL = strings.TrimRight(get("BASE_URL", fmt.Sprintf("http://localhost:%d", port)), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		bad("BASE_URL must be an absolute http or https URL such as https://sprout.example.vn, got %q", c.BaseURL)
	}

	if c.MongoURI != "" {
		if u, err := url.Parse(c.MongoURI); err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") || u.Host == "" {
			bad("MONGODB_URI must start with mongodb:// or mongodb+srv:// and name a host")
		}
	}
	switch v := get("MONGODB_FERRETDB_POOL", ""); v {
	case "":
	case "accept":
		c.FerretDBPool = true
	default:
		bad("MONGODB_FERRETDB_POOL is either unset or accept, got %q", v)
	}

	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		bad("ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither")
	} else if c.AdminEmail != "" {
		if a, err := mail.ParseAddress(c.AdminEmail); err != nil || a.Address != c.AdminEmail {
			bad("ADMIN_EMAIL must be an email address, got %q", c.AdminEmail)
		}
		if n := len([]rune(c.AdminPassword)); n < 10 {
			bad("ADMIN_PASSWORD must have at least 10 characters, it has %d", n)
		}
	}

	if c.SMTPURL != "" {
		if c.SMTP, err = sproutmail.ParseSMTPURL(c.SMTPURL); err != nil {
			bad("SMTP_URL: %v", err)
		}
	}
	c.MailKeep = 30 * 24 * time.Hour
	if v := get("MAIL_KEEP", ""); v != "" {
		if c.MailKeep, err = time.ParseDuration(v); err != nil || c.MailKeep < time.Hour {
			bad("MAIL_KEEP must be a duration of at least 1h, such as 720h, got %q", v)
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("MAIL_FROM must be an address such as \"Sprout <no-reply@example.vn>\", got %q", c.MailFrom)
	}

	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		bad("LOG_LEVEL must be debug, info, warn or error, got %q", getenv("LOG_LEVEL"))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		bad("LOG_FORMAT must be json or text, got %q", c.LogFormat)
	}
	if err := errors.Join(problems...); err != nil {
		return Config{}, fmt.Errorf("configuration:\n%w", err)
	}
	return c, nil
}

// DemoConfig gives the demo the department it shows: certificates issued
// by the Hanoi Department of Science and Technology, dated in Hà Nội and
// signed by its director, unless the environment says otherwise.
func DemoConfig(c Config, get func(string) string) Config {
	for _, d := range []struct {
		name  string
		field *string
		value string
	}{
		{"CERT_ISSUER", &c.CertIssuer, "Sở Khoa học và Công nghệ Hà Nội"},
		{"CERT_PLACE", &c.CertPlace, "Hà Nội"},
		{"CERT_SIGNER", &c.CertSigner, "PGS.TS. Trần Đức Minh"},
		{"CERT_SIGNER_TITLE", &c.CertSignerTitle, "Giám đốc Sở Khoa học và Công nghệ"},
	} {
		if get(d.name) == "" {
			*d.field = d.value
		}
	}
	return c
}
