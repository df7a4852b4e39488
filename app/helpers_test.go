package app_test

import (
	"regexp"
	"testing"

	"sprout/internal/mail"
)

func mailQuery(to string) mail.Query { return mail.Query{To: to, Limit: 10} }

var linkRE = regexp.MustCompile(`https?://\S+/password/reset/[A-Za-z0-9]+`)

func resetLink(t *testing.T, text string) string {
	t.Helper()
	link := linkRE.FindString(text)
	if link == "" {
		t.Fatalf("no reset link in %q", text)
	}
	return link
}
