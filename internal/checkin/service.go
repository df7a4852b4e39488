package checkin

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keys"
	"sprout/internal/keyset"
	"sprout/internal/tickets"
)

// DefaultGate names the gate of a scan that names none.
const DefaultGate = "main"

// How far a gate's clock may be believed: an offline queue may hold scans
// from hours ago, but not from before the event's week, nor the future.
const (
	maxQueued = 7 * 24 * time.Hour
	maxAhead  = 5 * time.Minute
)

// Verifier checks ticket tokens.
type Verifier interface {
	Verify(ctx context.Context, token string) (keys.Claims, error)
}

// TicketReader finds tickets.
type TicketReader interface {
	TicketByID(ctx context.Context, id string) (tickets.Ticket, error)
}

// Service holds the rules of entry.
type Service struct {
	store    Store
	tickets  TicketReader
	events   events.Store
	verifier Verifier
	now      func() time.Time
	// typeNames caches ticket type names for the gate's answer, and
	// atGate each event's questions shown at the gate: read on every scan,
	// changed almost never.
	typeNames sync.Map
	atGate    sync.Map
}

type cachedQuestions struct {
	ids []string
	at  time.Time
}

type cachedName struct {
	name string
	at   time.Time
}

// typeNameTTL bounds how long a renamed ticket type shows its old name.
const typeNameTTL = time.Minute

// NewService wires the gates.
func NewService(s Store, t TicketReader, ev events.Store, v Verifier, clk clock.Clock) *Service {
	return &Service{store: s, tickets: t, events: ev, verifier: v,
		now: clk.Now}
}

// Input is one scan as a gate sends it. A Token comes from a QR code; a
// TicketID from staff checking a visitor in by hand after a search.
type Input struct {
	Token     string
	TicketID  string
	Gate      string
	Direction Direction
	Nonce     string
	ScannedAt time.Time
	StaffID   string
	Offline   bool
}

// TicketInfo is what a gate shows of a ticket.
type TicketInfo struct {
	ID     string `json:"id"`
	TypeID string `json:"ticket_type_id"`
	Name   string `json:"name"`
	// Answers are the holder's answers to the questions the organizer
	// shows at the gate, by question id.
	Answers map[string]string `json:"answers,omitempty"`
}

// Answer is a scan's outcome for the gate.
type Answer struct {
	Scan   Scan
	Result Result
	Ticket *TicketInfo
	// TypeName is the ticket type's name, for the gate to show.
	TypeName string
	// FirstIn is when the ticket first entered, zero if never.
	FirstIn time.Time
}

func (in Input) check(now time.Time) (Input, error) {
	in.Gate = strings.TrimSpace(in.Gate)
	if in.Gate == "" {
		in.Gate = DefaultGate
	}
	if !utf8.ValidString(in.Gate) || utf8.RuneCountInString(in.Gate) > 80 {
		return in, errs.Field("gate", "error.gate_invalid")
	}
	switch in.Direction {
	case "":
		in.Direction = In
	case In, Out:
	default:
		return in, errs.Field("direction", "error.direction_invalid")
	}
	if in.Token == "" && in.TicketID == "" {
		return in, errs.Field("token", "error.token_required")
	}
	if len(in.Token) > 2048 || len(in.TicketID) > 64 || len(in.Nonce) > 128 {
		return in, errs.New(errs.Invalid, "error.invalid")
	}
	if in.ScannedAt.IsZero() || in.ScannedAt.Before(now.Add(-maxQueued)) || in.ScannedAt.After(now.Add(maxAhead)) {
		in.ScannedAt = now
	}
	in.ScannedAt = in.ScannedAt.UTC().Truncate(time.Millisecond)
	return in, nil
}

// Scan decides a scan at a gate of the event and records it.
func (s *Service) Scan(ctx context.Context, eventID string, in Input) (Answer, error) {
	return s.record(ctx, eventID, in, false)
}

// Backfill decides and records a scan made earlier as if recorded when it
// was made: a gate log brought in after the fact (the demo's morning of
// arrivals) then reads in the scan log as it happened, not as one late
// batch. The times a gate may claim are bounded as for Scan.
func (s *Service) Backfill(ctx context.Context, eventID string, in Input) (Answer, error) {
	return s.record(ctx, eventID, in, true)
}

func (s *Service) record(ctx context.Context, eventID string, in Input, backdate bool) (Answer, error) {
	now := s.now()
	in, err := in.check(now)
	if err != nil {
		return Answer{}, err
	}
	sc := Scan{ID: ids.New(), EventID: eventID, Gate: in.Gate, Direction: in.Direction, Nonce: in.Nonce,
		ScannedAt: in.ScannedAt, RecordedAt: now, StaffID: in.StaffID, Offline: in.Offline}
	if backdate {
		sc.RecordedAt = in.ScannedAt
	}
	t, result, err := s.judge(ctx, eventID, in)
	if err != nil {
		return Answer{}, err
	}
	sc.TicketID, sc.Result = t.ID, result
	if sc, err = s.store.RecordScan(ctx, sc); err != nil {
		return Answer{}, err
	}
	return s.answer(ctx, sc, t)
}

// judge reads the token, then the ticket: it settles every result but the
// ones only the store can give (ok, already_checked_in), left empty. The
// ticket is zero for an invalid token.
func (s *Service) judge(ctx context.Context, eventID string, in Input) (tickets.Ticket, Result, error) {
	ticketID := in.TicketID
	var early Result
	if in.Token != "" {
		claims, err := s.verifier.Verify(ctx, in.Token)
		switch {
		case errors.Is(err, keys.ErrInvalid):
			return tickets.Ticket{}, Invalid, nil
		case errors.Is(err, keys.ErrNotYetValid):
			early = NotYetValid
		case errors.Is(err, keys.ErrExpired):
			early = Expired
		case err != nil:
			return tickets.Ticket{}, "", err
		}
		ticketID = claims.TicketID
	}
	t, err := s.tickets.TicketByID(ctx, ticketID)
	if errors.Is(err, errs.ErrNotFound) {
		return tickets.Ticket{}, Invalid, nil
	}
	if err != nil {
		return tickets.Ticket{}, "", err
	}
	switch {
	case t.EventID != eventID:
		return t, WrongEvent, nil
	case t.Status != tickets.Active:
		return t, Revoked, nil
	}
	return t, early, nil
}

// answer puts the recorded scan and its ticket together; a scan replayed by
// its nonce may name another ticket than the one judged, so that one is read.
func (s *Service) answer(ctx context.Context, sc Scan, t tickets.Ticket) (Answer, error) {
	a := Answer{Scan: sc, Result: sc.Result, FirstIn: sc.FirstInAt}
	if sc.TicketID == "" || sc.Result == Invalid {
		return a, nil
	}
	if t.ID != sc.TicketID {
		var err error
		if t, err = s.tickets.TicketByID(ctx, sc.TicketID); err != nil {
			return a, err
		}
	}
	a.Ticket = &TicketInfo{ID: t.ID, TypeID: t.TypeID, Name: t.Name}
	for _, id := range s.gateQuestions(ctx, t.EventID) {
		if v := t.Answers[id]; v != "" {
			if a.Ticket.Answers == nil {
				a.Ticket.Answers = map[string]string{}
			}
			a.Ticket.Answers[id] = v
		}
	}
	a.TypeName = s.typeName(ctx, t.TypeID)
	if a.FirstIn.IsZero() && sc.Result != OK {
		var err error
		if a.FirstIn, _, err = s.store.Presence(ctx, t.ID); err != nil {
			return a, err
		}
	}
	return a, nil
}

// gateQuestions lists the ids of the event's questions shown at the gate.
func (s *Service) gateQuestions(ctx context.Context, eventID string) []string {
	if v, ok := s.atGate.Load(eventID); ok && s.now().Sub(v.(cachedQuestions).at) < typeNameTTL {
		return v.(cachedQuestions).ids
	}
	ev, err := s.events.EventByID(ctx, eventID)
	if err != nil {
		return nil
	}
	var ids []string
	for _, q := range ev.Questions {
		if q.AtGate {
			ids = append(ids, q.ID)
		}
	}
	s.atGate.Store(eventID, cachedQuestions{ids, s.now()})
	return ids
}

func (s *Service) typeName(ctx context.Context, id string) string {
	if v, ok := s.typeNames.Load(id); ok && s.now().Sub(v.(cachedName).at) < typeNameTTL {
		return v.(cachedName).name
	}
	tt, err := s.events.TicketType(ctx, id)
	if err != nil {
		return ""
	}
	s.typeNames.Store(id, cachedName{tt.Name, s.now()})
	return tt.Name
}

// Annul undoes a mistaken entry.
func (s *Service) Annul(ctx context.Context, eventID, scanID, by string) (Scan, error) {
	return s.store.AnnulScan(ctx, eventID, scanID, by, s.now())
}

// EventStats are the dashboard's counts.
type EventStats struct {
	// Capacity counts the seats visitors may take. Invitation types, such as
	// exhibitor staff badges, are given out by the organizers and carry a
	// nominal capacity that would swamp it, so they are left out.
	Capacity int `json:"capacity"`
	// Registered counts every active ticket, invitations included;
	// Invitations counts those of invitation types apart.
	Registered  int            `json:"registered"`
	Invitations int            `json:"invitations"`
	CheckedIn   int            `json:"checked_in"`
	Inside      int            `json:"inside"`
	ByGate      map[string]int `json:"by_gate"`
}

// Stats counts an event's seats, tickets and entries; it reads a few rows
// whatever the number of tickets.
func (s *Service) Stats(ctx context.Context, eventID string) (EventStats, error) {
	types, err := s.events.TicketTypes(ctx, eventID)
	if err != nil {
		return EventStats{}, err
	}
	st, err := s.store.Stats(ctx, eventID)
	if err != nil {
		return EventStats{}, err
	}
	out := EventStats{CheckedIn: st.CheckedIn, Inside: st.Inside, ByGate: st.ByGate}
	for _, t := range types {
		out.Registered += t.Sold
		if t.Invite {
			out.Invitations += t.Sold
		} else {
			out.Capacity += t.Capacity
		}
	}
	return out, nil
}

// Arrivals lists entries per five minutes.
func (s *Service) Arrivals(ctx context.Context, eventID string) ([]Arrival, error) {
	return s.store.Arrivals(ctx, eventID)
}

// Log reads the scan log.
func (s *Service) Log(ctx context.Context, q LogQuery) ([]Scan, int, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	q.Offset = max(q.Offset, 0)
	return s.store.ScanLog(ctx, q)
}

// EachScan calls fn with every scan of the log q selects, newest first,
// reading it a page at a time: scans recorded meanwhile are not read, and
// none is read twice or missed.
func (s *Service) EachScan(ctx context.Context, q LogQuery, fn func(Scan) error) error {
	q.Limit = eachPage
	return keyset.Walk(q.Limit, func(after keyset.Cursor) ([]Scan, error) {
		return s.store.ScansAfter(ctx, q, after)
	}, Scan.Cursor, fn)
}

// eachPage is how many rows a whole-list read takes from the store at once.
const eachPage = 500

// Recover settles scans and annulments a crash left half done.
func (s *Service) Recover(ctx context.Context) (int, error) {
	return s.store.RecoverScans(ctx, s.now().Add(-Abandoned))
}

// Presence tells when a ticket first entered and whether it is inside.
func (s *Service) Presence(ctx context.Context, ticketID string) (time.Time, bool, error) {
	return s.store.Presence(ctx, ticketID)
}
