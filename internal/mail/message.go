// Package mail keeps outgoing mail in an outbox in the store and sends it
// with retries, so nothing is lost while the SMTP server is down.
package mail

import (
	"context"
	"time"

	"sprout/internal/qr"
)

// Status is where a message is in the outbox.
type Status string

const (
	StatusPending Status = "pending" // waiting for its next attempt
	StatusSending Status = "sending" // claimed by a worker
	StatusSent    Status = "sent"
	StatusFailed  Status = "failed" // gave up after MaxAttempts
	// StatusHeld is a message that earlier versions wrote ahead of the
	// ticket it brings: never sent until the store's recovery releases it.
	StatusHeld Status = "held"
)

// Attachment is a file sent with a message; with a ContentID it is inline
// (an image the HTML part shows as cid:ContentID).
type Attachment struct {
	Name        string `json:"name" bson:"name"`
	ContentType string `json:"content_type" bson:"content_type"`
	ContentID   string `json:"content_id,omitempty" bson:"content_id,omitempty"`
	Data        []byte `json:"data,omitempty" bson:"data,omitempty"`
	// QR, when set, is the text of a QR code PNG drawn when the message is
	// sent, so queueing a ticket mail stays cheap.
	QR string `json:"qr,omitempty" bson:"qr,omitempty"`
}

// Content is the attachment's bytes, drawing its QR code if it has one.
func (a Attachment) Content() ([]byte, error) {
	if a.QR != "" {
		return qr.PNG(a.QR)
	}
	return a.Data, nil
}

// Message is one mail in the outbox. It keeps what to say (Template, Lang,
// Data as JSON); Subject, Text and HTML are rendered from them when the
// mail is sent or shown, so queueing a mail costs a row, not a rendering.
type Message struct {
	ID            string
	To            string
	Subject       string
	Text          string
	HTML          string
	Template      string
	Lang          string
	Data          []byte
	Attachments   []Attachment
	Status        Status
	Attempts      int
	LastError     string
	CreatedAt     time.Time
	NextAttemptAt time.Time
	SentAt        time.Time
	// Claim identifies the worker holding a sending message, so a late
	// worker whose lease ran out cannot mark another's attempt.
	Claim string
}

// Query selects messages for the mailbox page.
type Query struct {
	To     string
	Offset int
	Limit  int
}

// Store is the outbox.
type Store interface {
	EnqueueMail(ctx context.Context, m Message) error
	// ClaimMail atomically takes the oldest due message (pending and due, or
	// sending with a lease that ran out), marks it sending under claim until
	// now+lease and counts the attempt; errs.NotFound when none is due.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, claim string) (Message, error)
	// The Mark methods apply only while the message is held under claim;
	// otherwise they return errs.Conflict.
	MarkMailSent(ctx context.Context, id, claim string, at time.Time) error
	MarkMailRetry(ctx context.Context, id, claim string, next time.Time, lastErr string) error
	MarkMailFailed(ctx context.Context, id, claim string, lastErr string) error
	MailByID(ctx context.Context, id string) (Message, error)
	// PruneMail deletes mail done with before a time: sent before it, or,
	// when kept is true (no SMTP server: the Mailbox is where mail is
	// read), queued before it. It returns how many went.
	PruneMail(ctx context.Context, before time.Time, kept bool) (int, error)
	// ListMail returns one page, newest first, and the total matching.
	ListMail(ctx context.Context, q Query) ([]Message, int, error)
}
