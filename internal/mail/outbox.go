package mail

import (
	"context"
	netmail "net/mail"
	"strings"
	"time"

	"sprout/internal/errs"
	"sprout/internal/ids"
)

// Outbox renders mails and keeps them in the store until a Worker sends
// them, so a request never waits on the SMTP server.
type Outbox struct {
	store     Store
	templates *Templates
	wake      chan struct{}
}

// NewOutbox stores mails rendered from templates in store.
func NewOutbox(store Store, templates *Templates) *Outbox {
	return &Outbox{store: store, templates: templates, wake: make(chan struct{}, 1)}
}

// Notify receives a signal after each Enqueue; give it to the in-process
// Worker so it sends at once instead of at its next poll. Signals coalesce:
// a woken worker drains every due message anyway.
func (o *Outbox) Notify() <-chan struct{} { return o.wake }

// Enqueue renders template in lang (falling back to DefaultLang) with data
// and stores the mail for to as pending.
func (o *Outbox) Enqueue(ctx context.Context, to, template, lang string, data any, attachments ...Attachment) (Message, error) {
	addr, err := netmail.ParseAddress(strings.TrimSpace(to))
	if err != nil {
		return Message{}, errs.Field("to", "error.email_invalid")
	}
	lang = Lang(lang)
	r, err := o.templates.Render(template, lang, data)
	if err != nil {
		return Message{}, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	m := Message{
		ID:            ids.New(),
		To:            strings.ToLower(addr.Address),
		Subject:       r.Subject,
		Text:          r.Text,
		HTML:          r.HTML,
		Template:      template,
		Lang:          lang,
		Attachments:   attachments,
		Status:        StatusPending,
		CreatedAt:     now,
		NextAttemptAt: now,
	}
	if err := o.store.EnqueueMail(ctx, m); err != nil {
		return Message{}, err
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return m, nil
}
