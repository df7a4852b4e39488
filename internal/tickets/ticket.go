// Package tickets holds registrations: tickets, the waitlist, and the rules
// for taking and freeing seats.
package tickets

import (
	"context"
	"strings"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/keys"
	"sprout/internal/keyset"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/vn"
)

// Status is a ticket's state.
type Status string

const (
	Active    Status = "active"
	Cancelled Status = "cancelled"
)

// ConsentWording is the version of the words the registration form asks
// consent with. The words of every version stay in the catalogue, under
// "consent.share_contact." and the version, so an organizer can always read
// what a person agreed to; new words take a new version.
const ConsentWording = "1"

// Consent is a person's agreement to share their email and phone with the
// exhibitors who scan their ticket: when they gave it, and which wording
// they were shown, in the language they registered in. The zero Consent is
// no agreement.
type Consent struct {
	At      time.Time `json:"at"`
	Version string    `json:"version"`
}

// Given tells whether there is a consent to prove.
func (c Consent) Given() bool { return !c.At.IsZero() }

// Ticket is one person's right to enter one event.
type Ticket struct {
	ID           string `json:"id"`
	EventID      string `json:"event_id"`
	TypeID       string `json:"ticket_type_id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Phone        string `json:"phone,omitempty"`
	ShareContact bool   `json:"share_contact"`
	// Consent proves ShareContact: when it was given and to what wording.
	Consent Consent `json:"consent,omitzero"`
	// Answers are the answers to the event's registration questions, by
	// question id.
	Answers map[string]string `json:"answers,omitempty"`
	Lang    string            `json:"lang"`
	Status  Status            `json:"status"`
	// Secret makes the ticket page's capability URL.
	Secret string `json:"-"`
	// Token is the signed JWS the QR code holds. The store keeps what
	// signs it again, byte for byte (Claims and KeyID), not its 350
	// characters; the service fills it in for those who show it.
	Token string `json:"token,omitempty"`
	// KeyID names the key that signed the ticket's token; NotBefore and
	// ExpiresAt are the token's validity. KeyID and ExpiresAt tell when a
	// key may retire.
	KeyID       string    `json:"-"`
	NotBefore   time.Time `json:"-"`
	ExpiresAt   time.Time `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	CancelledAt time.Time `json:"cancelled_at,omitzero"`
}

// EmailKey is how emails are compared for "one ticket per person": as
// accounts compare them (NFC, lower case), without any white space.
func EmailKey(email string) string {
	return accounts.NormalizeEmail(strings.Join(strings.Fields(email), ""))
}

// PersonKey is who holds the ticket, for "one active ticket per person": the
// email, by EmailKey, or for a walk-in who gave only a phone, the phone.
func (t Ticket) PersonKey() string {
	if t.Email == "" && t.Phone != "" {
		return "tel:" + t.Phone
	}
	return EmailKey(t.Email)
}

// SharesContact tells whether exhibitors may see the holder's email and
// phone: only with a consent on record, so tickets from before consents
// were recorded share nothing.
func (t Ticket) SharesContact() bool { return t.ShareContact && t.Consent.Given() }

// Claims are what the ticket's token says: issued when the ticket was, so
// the same claims sign to the same token again.
func (t Ticket) Claims() keys.Claims {
	return keys.Claims{TicketID: t.ID, EventID: t.EventID, TicketTypeID: t.TypeID, IssuedAt: t.CreatedAt,
		NotBefore: t.NotBefore, ExpiresAt: t.ExpiresAt}
}

// Cursor is the ticket's place in a list, newest first.
func (t Ticket) Cursor() keyset.Cursor { return keyset.Cursor{At: t.CreatedAt, ID: t.ID} }

// SearchKey is what a search of tickets matches the start of the words
// of: name, email and phone, as vn.Words cuts them.
func (t Ticket) SearchKey() string {
	return strings.Join(vn.Words(t.Name+" "+t.Email+" "+t.Phone), " ")
}

// WaitStatus is a waitlist entry's state.
type WaitStatus string

const (
	Waiting  WaitStatus = "waiting"
	Promoted WaitStatus = "promoted"
	Left     WaitStatus = "left"
)

// WaitEntry is a person waiting for a seat of a full ticket type.
type WaitEntry struct {
	ID           string            `json:"id"`
	EventID      string            `json:"event_id"`
	TypeID       string            `json:"ticket_type_id"`
	Name         string            `json:"name"`
	Email        string            `json:"email"`
	Phone        string            `json:"phone,omitempty"`
	ShareContact bool              `json:"share_contact"`
	Consent      Consent           `json:"consent,omitzero"`
	Answers      map[string]string `json:"answers,omitempty"`
	Lang         string            `json:"lang"`
	Status       WaitStatus        `json:"status"`
	TicketID     string            `json:"ticket_id,omitempty"`
	// Secret makes the waiting person's page's capability URL; the id,
	// which sorts by time, opens nothing.
	Secret    string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Query selects tickets for the organizer's list.
type Query struct {
	EventID string
	TypeID  string
	Status  Status
	// Text finds the tickets where each of its words (vn.Words) starts a
	// word of the name, email or phone: "nguyen van 12" finds "Nguyễn Văn
	// An 12345", and "an.ng" finds "an.nguyen@example.vn".
	Text          string
	Offset, Limit int
}

// Promoter turns the first person waiting into their ticket and its mail;
// an error leaves the person waiting and the operation undone.
type Promoter func(WaitEntry) (Ticket, *mail.Message, error)

// Store is what tickets need from storage. Taking and freeing seats are
// single atomic operations: the store keeps a type's Sold count and its
// tickets in step, whatever runs at the same moment.
type Store interface {
	// Register takes a seat of t.TypeID and stores t, and queues m (when
	// not nil) to be sent, and counts the charge (when not nil), all in one
	// step: a failure leaves none of them. errs.RateLimited when the
	// charge's allowance is spent; errs.SoldOut when no seat is left;
	// errs.AlreadyRegistered when the email (by EmailKey) holds an active
	// ticket for the event; errs.NotFound when the type does not exist.
	Register(ctx context.Context, t Ticket, m *mail.Message, charge *kv.Charge) error
	// Recover settles what a process that died inside a registration, a
	// cancellation or a promotion left before olderThan, in a store that
	// writes them in steps: it completes or undoes each, so every seat is
	// counted once and every ticket mail is sent or dropped with its
	// ticket. It returns how many it settled.
	// Seats a recovery finds free go to people waiting, through promote.
	Recover(ctx context.Context, olderThan time.Time, promote Promoter) (int, error)
	// JoinWaitlist queues w behind everyone already waiting for the type,
	// only while the type is full (errs.Conflict when a seat is free, so the
	// caller registers instead), and returns w's position, from 1.
	// errs.AlreadyRegistered when the email holds a ticket or waits already.
	JoinWaitlist(ctx context.Context, w WaitEntry) (int, error)
	// WaitPosition is the position of a waiting entry, 0 once it left the
	// queue.
	WaitPosition(ctx context.Context, id string) (WaitEntry, int, error)
	// WaitBySecret is WaitPosition for the entry holding secret.
	WaitBySecret(ctx context.Context, secret string) (WaitEntry, int, error)
	// CancelTicket cancels an active ticket and, in the same step, gives its
	// seat to the first entry waiting for that type: promote turns the
	// entry into its new ticket and the mail that brings it (nil for none),
	// which are stored together and the ticket returned. With nobody
	// waiting the seat goes back to the type. A ticket already cancelled is
	// errs.Conflict.
	CancelTicket(ctx context.Context, id string, at time.Time, promote Promoter) (Ticket, *Ticket, error)

	TicketByID(ctx context.Context, id string) (Ticket, error)
	TicketBySecret(ctx context.Context, secret string) (Ticket, error)
	// TicketsByEmail lists the active tickets of an email (by EmailKey),
	// newest first, for "I lost my ticket".
	TicketsByEmail(ctx context.Context, email string) ([]Ticket, error)
	// ListTickets returns one page, newest first, and the total matching.
	ListTickets(ctx context.Context, q Query) ([]Ticket, int, error)
	// TicketsAfter returns up to q.Limit tickets q matches that come after
	// the cursor in the same order (q.Offset is not used): keyset paging for
	// reading a whole list.
	TicketsAfter(ctx context.Context, q Query, after keyset.Cursor) ([]Ticket, error)
	// CancelledIDs lists the ids of an event's cancelled tickets, in no
	// order, reading them alone.
	CancelledIDs(ctx context.Context, eventID string) ([]string, error)
	// CountLiveTickets counts active tickets signed with a key whose token
	// has not expired at now.
	CountLiveTickets(ctx context.Context, keyID string, now time.Time) (int, error)

	// Waiting lists the entries waiting at an event, by type, each type's
	// in line.
	Waiting(ctx context.Context, eventID string) ([]WaitEntry, error)
	// LeaveWaitlist takes a waiting entry out of the line; an entry not
	// waiting is errs.Conflict.
	LeaveWaitlist(ctx context.Context, id string) (WaitEntry, error)
	// PromoteNow gives the waiting entry id a seat of its type at once,
	// ahead of anyone waiting before it, adding a seat to the type when
	// none is free; promote makes its ticket and mail, stored with it. An
	// entry not waiting is errs.Conflict; one whose person holds a ticket
	// for the event by then leaves the line, errs.AlreadyRegistered.
	PromoteNow(ctx context.Context, id string, promote Promoter) (Ticket, error)
	// Fill gives one free seat of the type to the first person waiting for
	// it and returns their ticket; nil when no seat is free or nobody
	// waits.
	Fill(ctx context.Context, typeID string, promote Promoter) (*Ticket, error)
	// Underfilled lists the types with people waiting and a seat free, as
	// counted once what began before olderThan is settled.
	Underfilled(ctx context.Context, olderThan time.Time) ([]string, error)
}
