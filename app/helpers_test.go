package app_test

import (
	"context"
	"regexp"
	"testing"

	"sprout/internal/mail"
)

func mailQuery(to string) mail.Query { return mail.Query{To: to, Limit: 10} }

// mails lists the mail to an address, newest first, rendered as sent.
func (e *env) mails(to string) []mail.Message {
	e.t.Helper()
	msgs, _, err := e.app.Store.ListMail(context.Background(), mailQuery(to))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range msgs {
		if msgs[i], err = e.app.Outbox.Render(msgs[i]); err != nil {
			e.t.Fatal(err)
		}
	}
	return msgs
}

var linkRE = regexp.MustCompile(`https?://\S+/password/reset/[A-Za-z0-9]+`)

func resetLink(t *testing.T, text string) string {
	t.Helper()
	link := linkRE.FindString(text)
	if link == "" {
		t.Fatalf("no reset link in %q", text)
	}
	return link
}
