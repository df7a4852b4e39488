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
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, v := range []string{"PORT", "BASE_URL", "MONGODB_URI", "ADMIN_PASSWORD", "SMTP_URL", "LOG_LEVEL", "LOG_FORMAT", "MAIL_FROM"} {
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
