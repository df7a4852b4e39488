package mail

import (
	"context"
	"encoding/json"
	"fmt"
	netmail "net/mail"
	"strings"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// Outbox renders mails and keeps them in the store until a Worker sends
// them, so a request never waits on the SMTP server.
type Outbox struct {
	store     Store
	templates *Templates
	wake      chan struct{}
	clock     clock.Clock
}

// NewOutbox stores mails rendered from templates in store.
func NewOutbox(store Store, templates *Templates, clk clock.Clock) *Outbox {
	return &Outbox{store: store, templates: templates, wake: make(chan struct{}, 1), clock: clk}
}

// Notify receives a signal after each Enqueue; give it to the in-process
// Worker so it sends at once instead of at its next poll. Signals coalesce:
// a woken worker drains every due message anyway.
func (o *Outbox) Notify() <-chan struct{} { return o.wake }

// Enqueue stores a pending mail for to, of template in lang (falling back
// to DefaultLang) with data, which must encode as a JSON object.
func (o *Outbox) Enqueue(ctx context.Context, to, template, lang string, data any, attachments ...Attachment) (Message, error) {
	m, err := o.Compose(to, template, lang, data, attachments...)
	if err != nil {
		return Message{}, err
	}
	if err := o.store.EnqueueMail(ctx, m); err != nil {
		return Message{}, err
	}
	o.Poke()
	return m, nil
}

// EnqueueOnce queues a mail under id, unless a mail under id is queued or
// kept already: what several runs announce at once is mailed once. It
// reports whether this call queued it.
func (o *Outbox) EnqueueOnce(ctx context.Context, id, to, template, lang string, data any) (bool, error) {
	m, err := o.Compose(to, template, lang, data)
	if err != nil {
		return false, err
	}
	m.ID = id
	switch err := o.store.EnqueueMail(ctx, m); {
	case errs.KindOf(err) == errs.Conflict:
		return false, nil
	case err != nil:
		return false, err
	}
	o.Poke()
	return true, nil
}

// Poke wakes the in-process worker for a message queued by another store
// operation, such as a ticket and its mail written together.
func (o *Outbox) Poke() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Compose makes a pending message without storing it, for a store
// operation that writes it together with what it is about.
func (o *Outbox) Compose(to, template, lang string, data any, attachments ...Attachment) (Message, error) {
	addr, err := netmail.ParseAddress(strings.TrimSpace(to))
	if err != nil {
		return Message{}, errs.Field("to", "error.email_invalid")
	}
	if !o.templates.Has(template) {
		return Message{}, fmt.Errorf("mail template %q does not exist", template)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Message{}, fmt.Errorf("mail template %s: data: %w", template, err)
	}
	now := o.clock.Now()
	m := Message{
		ID:            ids.New(),
		To:            strings.ToLower(addr.Address),
		Template:      template,
		Lang:          Lang(lang),
		Data:          raw,
		Attachments:   attachments,
		Status:        StatusPending,
		CreatedAt:     now,
		NextAttemptAt: now,
	}
	return m, nil
}

// Render fills a stored message's Subject, Text and HTML, and its
// attachments as sent.
func (o *Outbox) Render(ctx context.Context, m Message) (Message, error) {
	return o.templates.RenderMessage(ctx, m)
}
