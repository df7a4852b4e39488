package app_test

import (
	"strings"
	"testing"

	"sprout/app"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaults(t *testing.T) {
	c, err := app.LoadConfig(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 3000 || c.DataDir != "./data" || c.BaseURL != "http://localhost:3000" || c.MongoURI != "" || c.SMTPURL != "" {
		t.Fatalf("defaults: %+v", c)
	}
	c, err = app.LoadConfig(envOf(map[string]string{"PORT": "8080"}))
	if err != nil || c.BaseURL != "http://localhost:8080" {
		t.Fatalf("BASE_URL follows PORT: %q, %v", c.BaseURL, err)
	}
	c, err = app.LoadConfig(envOf(map[string]string{"BASE_URL": "https://sprout.hanoi.gov.vn/", "SMTP_URL": "smtps://u:p@mail.example.vn", "MONGODB_URI": "mongodb://db1,db2/sprout?replicaSet=rs0"}))
	if err != nil || c.BaseURL != "https://sprout.hanoi.gov.vn" || c.SMTP.Port != 465 || !c.SMTP.ImplicitTLS {
		t.Fatalf("full config: %+v, %v", c, err)
	}
}

// Every bad value is reported at once, each naming its variable.
func TestConfigReportsEveryBadValue(t *testing.T) {
	_, err := app.LoadConfig(envOf(map[string]string{
		"PORT": "http", "BASE_URL": "ftp://x", "MONGODB_URI": "postgres://db", "ADMIN_EMAIL": "admin@example.vn",
		"ADMIN_PASSWORD": "short", "SMTP_URL": "smtp://", "LOG_LEVEL": "loud", "LOG_FORMAT": "xml", "MAIL_FROM": "nobody",
		"MAIL_KEEP": "10m", "MONGODB_FERRETDB_POOL": "yes",
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, v := range []string{"PORT", "BASE_URL", "MONGODB_URI", "ADMIN_PASSWORD", "SMTP_URL", "LOG_LEVEL", "LOG_FORMAT", "MAIL_FROM", "MAIL_KEEP",
		"MONGODB_FERRETDB_POOL"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("no word about %s in:\n%v", v, err)
		}
	}
	if _, err := app.LoadConfig(envOf(map[string]string{"ADMIN_EMAIL": "a@example.vn"})); err == nil || !strings.Contains(err.Error(), "ADMIN_PASSWORD") {
		t.Errorf("ADMIN_EMAIL without ADMIN_PASSWORD: %v", err)
	}
	if _, err := app.LoadConfig(envOf(map[string]string{"PORT": "70000"})); err == nil {
		t.Error("port 70000 accepted")
	}
}

func TestConfigTrustedProxies(t *testing.T) {
	c, err := app.LoadConfig(envOf(map[string]string{"PROXY_HEADER": "X-Forwarded-For", "TRUSTED_PROXIES": " 10.0.0.7, 172.16.0.0/12,::ffff:192.0.2.1 ,fd00::/8"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.0.0.7/32 172.16.0.0/12 192.0.2.1/32 fd00::/8" {
		t.Fatalf("TrustedProxies = %v", got)
	}
	if c, err := app.LoadConfig(envOf(map[string]string{"PROXY_HEADER": "X-Forwarded-For"})); err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("PROXY_HEADER alone: %v, %v", c.TrustedProxies, err)
	}
	_, err = app.LoadConfig(envOf(map[string]string{"PROXY_HEADER": "X-Forwarded-For", "TRUSTED_PROXIES": "10.0.0.1,proxy.internal,10.0.0.0/33"}))
	if err == nil || !strings.Contains(err.Error(), `"proxy.internal"`) || !strings.Contains(err.Error(), `"10.0.0.0/33"`) {
		t.Fatalf("bad TRUSTED_PROXIES: %v", err)
	}
	if _, err := app.LoadConfig(envOf(map[string]string{"TRUSTED_PROXIES": "10.0.0.1"})); err == nil || !strings.Contains(err.Error(), "PROXY_HEADER") {
		t.Fatalf("TRUSTED_PROXIES without PROXY_HEADER: %v", err)
	}
}

// The demo shows the department's certificates unless the environment
// names another issuer.
func TestDemoConfigNamesTheDepartment(t *testing.T) {
	env := map[string]string{"CERT_PLACE": "Đà Nẵng"}
	get := func(k string) string { return env[k] }
	c, err := app.LoadConfig(get)
	if err != nil {
		t.Fatal(err)
	}
	d := app.DemoConfig(c, get)
	if d.CertIssuer != "Sở Khoa học và Công nghệ Hà Nội" || d.CertPlace != "Đà Nẵng" || d.CertSigner == "" || d.CertSignerTitle == "" {
		t.Fatalf("demo config %+v", d)
	}
}
