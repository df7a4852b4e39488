// Package training holds courses' attendance: who attended which session,
// recorded once per ticket and session, by a scan of the ticket's QR code
// or by a trainer's hand.
package training

import (
	"context"
	"errors"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/keys"
	"sprout/internal/tickets"
)

// Source says how an attendance was recorded.
type Source string

const (
	Scan Source = "scan"
	Hand Source = "hand"
)

// Attendance is one ticket's presence at one session of its event.
type Attendance struct {
	EventID   string    `json:"event_id"`
	SessionID string    `json:"session_id"`
	TicketID  string    `json:"ticket_id"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Source    Source    `json:"source"`
}

// Store is what attendance needs from storage.
type Store interface {
	// RecordAttendance stores a unless the ticket's attendance at the
	// session is recorded already, in one step: of any number of calls for
	// one ticket and session exactly one stores. It returns the attendance
	// kept, and whether this call stored it.
	RecordAttendance(ctx context.Context, a Attendance) (Attendance, bool, error)
	// UndoAttendance removes the ticket's attendance at the session of the
	// event, in one step: of any number of calls for one record exactly one
	// reports that it removed it.
	UndoAttendance(ctx context.Context, eventID, sessionID, ticketID string) (bool, error)
	// SessionAttendance lists a session's attendance by time.
	SessionAttendance(ctx context.Context, eventID, sessionID string) ([]Attendance, error)
	// EventAttendance lists the attendance at every session of an event by
	// time.
	EventAttendance(ctx context.Context, eventID string) ([]Attendance, error)
}

// Verifier checks ticket tokens, as the gate does.
type Verifier interface {
	Verify(ctx context.Context, token string) (keys.Claims, error)
}

// TicketReader finds tickets.
type TicketReader interface {
	TicketByID(ctx context.Context, id string) (tickets.Ticket, error)
}

// Result is an attendance's outcome for the trainer.
type Result string

const (
	OK              Result = "ok"
	AlreadyRecorded Result = "already_recorded"
	Invalid         Result = "invalid"
	WrongEvent      Result = "wrong_event"
	Revoked         Result = "revoked"
)

// Input names the ticket attending: a Token from its QR code, or a
// TicketID picked by hand; By is who records it. ScannedAt, when given, is
// when a device took it offline, believed within MaxBackdate of now.
type Input struct {
	Token, TicketID, By string
	ScannedAt           time.Time
}

// MaxBackdate is how long before now an attendance may say it was taken:
// a scan queued offline during a course is sent within its days.
const MaxBackdate = 30 * 24 * time.Hour

// Answer is what the trainer sees: the result, the ticket's holder, and
// when the attendance was recorded (the first time, when already).
type Answer struct {
	Result Result
	Ticket *tickets.Ticket
	At     time.Time
}

// Service holds the rules of attendance.
type Service struct {
	store    Store
	tickets  TicketReader
	events   events.Store
	verifier Verifier
	now      func() time.Time
}

// NewService wires attendance.
func NewService(s Store, t TicketReader, ev events.Store, v Verifier, clk clock.Clock) *Service {
	return &Service{store: s, tickets: t, events: ev, verifier: v, now: clk.Now}
}

// Session finds a session of the event; one of another event, or none, is
// errs.NotFound.
func (s *Service) Session(ctx context.Context, eventID, sessionID string) (events.AgendaItem, error) {
	agenda, err := s.events.Agenda(ctx, eventID)
	if err != nil {
		return events.AgendaItem{}, err
	}
	for _, a := range agenda {
		if a.ID == sessionID {
			return a, nil
		}
	}
	return events.AgendaItem{}, errs.ErrNotFound
}

// Attend records the ticket's attendance at a session of the event: a
// token's signature is verified as at the gate; a ticket of another event or
// cancelled is refused, and a second attendance answers the first.
func (s *Service) Attend(ctx context.Context, eventID, sessionID string, in Input) (Answer, error) {
	if in.Token == "" && in.TicketID == "" {
		return Answer{}, errs.Field("token", "error.token_required")
	}
	if len(in.Token) > 2048 || len(in.TicketID) > 64 {
		return Answer{}, errs.New(errs.Invalid, "error.invalid")
	}
	if _, err := s.Session(ctx, eventID, sessionID); err != nil {
		return Answer{}, err
	}
	source, ticketID := Hand, in.TicketID
	if in.Token != "" {
		// A token signed by Sprout names its ticket even outside the
		// window the gate admits it in: a course's sessions are its
		// agenda's, wherever the event's days fall.
		claims, err := s.verifier.Verify(ctx, in.Token)
		switch {
		case errors.Is(err, keys.ErrInvalid):
			return Answer{Result: Invalid}, nil
		case err != nil && !errors.Is(err, keys.ErrNotYetValid) && !errors.Is(err, keys.ErrExpired):
			return Answer{}, err
		}
		source, ticketID = Scan, claims.TicketID
	}
	t, err := s.tickets.TicketByID(ctx, ticketID)
	if errors.Is(err, errs.ErrNotFound) {
		return Answer{Result: Invalid}, nil
	}
	if err != nil {
		return Answer{}, err
	}
	switch {
	case t.EventID != eventID:
		return Answer{Result: WrongEvent, Ticket: &t}, nil
	case t.Status != tickets.Active:
		return Answer{Result: Revoked, Ticket: &t}, nil
	}
	now := s.now()
	at := now
	// A time in the future or too far back is a device's clock gone wrong.
	if !in.ScannedAt.IsZero() && !in.ScannedAt.After(now) && now.Sub(in.ScannedAt) <= MaxBackdate {
		at = in.ScannedAt
	}
	a, stored, err := s.store.RecordAttendance(ctx, Attendance{EventID: eventID, SessionID: sessionID, TicketID: t.ID,
		At: at.UTC().Truncate(time.Millisecond), By: in.By, Source: source})
	if err != nil {
		return Answer{}, err
	}
	result := OK
	if !stored {
		result = AlreadyRecorded
	}
	return Answer{Result: result, Ticket: &t, At: a.At}, nil
}

// Undo removes a ticket's attendance at a session of the event, as when
// the wrong person was marked; none recorded is errs.NotFound.
func (s *Service) Undo(ctx context.Context, eventID, sessionID, ticketID string) error {
	if _, err := s.Session(ctx, eventID, sessionID); err != nil {
		return err
	}
	removed, err := s.store.UndoAttendance(ctx, eventID, sessionID, ticketID)
	if err == nil && !removed {
		err = errs.ErrNotFound
	}
	return err
}

// SessionAttendance lists who attended a session of the event.
func (s *Service) SessionAttendance(ctx context.Context, eventID, sessionID string) ([]Attendance, error) {
	if _, err := s.Session(ctx, eventID, sessionID); err != nil {
		return nil, err
	}
	return s.store.SessionAttendance(ctx, eventID, sessionID)
}

// EventAttendance lists the attendance at every session of the event.
func (s *Service) EventAttendance(ctx context.Context, eventID string) ([]Attendance, error) {
	return s.store.EventAttendance(ctx, eventID)
}
