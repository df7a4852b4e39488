package expo

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keys"
	"sprout/internal/tickets"
)

// Verifier checks ticket tokens.
type Verifier interface {
	Verify(ctx context.Context, token string) (keys.Claims, error)
}

// TicketReader finds tickets.
type TicketReader interface {
	TicketByID(ctx context.Context, id string) (tickets.Ticket, error)
}

// EventReader finds events.
type EventReader interface {
	EventByID(ctx context.Context, id string) (events.Event, error)
}

// Limits of what an exhibitor or organizer may type.
const (
	maxCode        = 20
	maxName        = 120
	maxDescription = 2000
	maxNote        = 1000
	maxGrid        = 10000
)

// MaxHold is the longest an organizer may keep a booth for an exhibitor.
const MaxHold = 7 * 24 * time.Hour

// Service holds the rules of the exhibition.
type Service struct {
	store    Store
	events   EventReader
	tickets  TicketReader
	verifier Verifier
	partners Partners
	now      func() time.Time
}

// NewService wires the exhibition.
func NewService(s Store, ev EventReader, t TicketReader, v Verifier, clk clock.Clock) *Service {
	return &Service{store: s, events: ev, tickets: t, verifier: v,
		now: clk.Now}
}

// BoothInput is a booth as an organizer draws it.
type BoothInput struct {
	Code, Hall, Zone, SizeClass string
	X, Y, W, H                  int
	Price                       int64
}

func text(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	return s, utf8.ValidString(s) && utf8.RuneCountInString(s) <= max
}

// check collects every mistake at once, so the form can mark them all.
func (in BoothInput) check() (BoothInput, error) {
	var problems []error
	var ok bool
	if in.Code, ok = text(in.Code, maxCode); !ok || in.Code == "" {
		problems = append(problems, errs.Field("code", "error.booth_code_invalid"))
	}
	if in.Zone, ok = text(in.Zone, maxName); !ok || in.Zone == "" {
		problems = append(problems, errs.Field("zone", "error.booth_zone_invalid"))
	}
	if in.Hall, ok = text(in.Hall, maxName); !ok {
		problems = append(problems, errs.Field("hall", "error.booth_zone_invalid"))
	}
	if in.SizeClass, ok = text(in.SizeClass, maxCode); !ok {
		problems = append(problems, errs.Field("size_class", "error.invalid"))
	}
	if in.X < 0 || in.Y < 0 || in.W <= 0 || in.H <= 0 || in.X+in.W > maxGrid || in.Y+in.H > maxGrid {
		problems = append(problems, errs.Field("w", "error.booth_size_invalid"))
	}
	if in.Price < 0 {
		problems = append(problems, errs.Field("price", "error.invalid"))
	}
	return in, errors.Join(problems...)
}

// CreateBooth adds an available booth to an event's floor plan.
func (s *Service) CreateBooth(ctx context.Context, by accounts.User, eventID string, in BoothInput) (Booth, error) {
	in, err := in.check()
	if err != nil {
		return Booth{}, err
	}
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return Booth{}, err
	}
	b := Booth{ID: ids.New(), EventID: eventID, Code: in.Code, Hall: in.Hall, Zone: in.Zone, X: in.X, Y: in.Y, W: in.W, H: in.H,
		SizeClass: in.SizeClass, Price: in.Price, Status: Available, CreatedAt: s.now()}
	if err := s.store.CreateBooth(ctx, b); err != nil {
		return Booth{}, boothConflict(err)
	}
	return b, s.record(ctx, by, b, ActionCreated, "")
}

// Booths lists an event's floor plan; a hold that ran out shows as available.
func (s *Service) Booths(ctx context.Context, eventID string) ([]Booth, error) {
	list, err := s.store.Booths(ctx, eventID)
	now := s.now()
	for i, b := range list {
		if b.Status == Held && !b.HeldUntil.After(now) {
			list[i].Status, list[i].ExhibitorID, list[i].HeldUntil = Available, "", time.Time{}
		}
	}
	return list, err
}

// BoothsFor lists an event's booths as viewer (nil for a visitor) may see
// them: organizers and admins see everything; anyone else sees a published
// event's booths only, without prices or who holds them.
func (s *Service) BoothsFor(ctx context.Context, viewer *accounts.User, eventID string) ([]Booth, error) {
	organizer := viewer != nil && viewer.Has(accounts.RoleOrganizer, accounts.RoleAdmin)
	if err := s.visible(ctx, eventID, organizer); err != nil {
		return nil, err
	}
	list, err := s.Booths(ctx, eventID)
	if organizer || err != nil {
		return list, err
	}
	for i := range list {
		list[i].Price, list[i].HeldUntil = 0, time.Time{}
		if list[i].Status != Assigned {
			list[i].ExhibitorID = ""
		}
	}
	return list, nil
}

// visible finds an event that a visitor may see: published, or any to its
// organizers.
func (s *Service) visible(ctx context.Context, eventID string, organizer bool) error {
	e, err := s.events.EventByID(ctx, eventID)
	if err == nil && !e.Published && !organizer {
		return errs.ErrNotFound
	}
	return err
}

// approved finds an exhibitor allowed a booth at the booth's event, and
// the booth as it is.
func (s *Service) approved(ctx context.Context, boothID, exhibitorID string) (Booth, Exhibitor, error) {
	b, err := s.store.Booth(ctx, boothID)
	if err != nil {
		return b, Exhibitor{}, err
	}
	x, err := s.store.Exhibitor(ctx, exhibitorID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && x.EventID != b.EventID) {
		return b, x, errs.Field("exhibitor_id", "error.exhibitor_unknown")
	}
	if err != nil {
		return b, x, err
	}
	if x.Status != Approved {
		return b, x, errs.New(errs.Conflict, "error.exhibitor_not_approved")
	}
	return b, x, nil
}

// AssignBooth gives a booth to an approved exhibitor of its event.
func (s *Service) AssignBooth(ctx context.Context, by accounts.User, boothID, exhibitorID string) (Booth, error) {
	before, x, err := s.approved(ctx, boothID, exhibitorID)
	if err != nil {
		return Booth{}, err
	}
	b, err := s.store.AssignBooth(ctx, boothID, exhibitorID, s.now())
	if err != nil {
		return Booth{}, err
	}
	if err := s.record(ctx, by, b, ActionAssigned, exhibitorID); err != nil {
		return b, err
	}
	if before.Status == Assigned {
		return b, nil
	}
	return b, s.tellBooth(ctx, x, b, false)
}

// HoldBooth keeps a booth for an approved exhibitor for a while.
func (s *Service) HoldBooth(ctx context.Context, by accounts.User, boothID, exhibitorID string, d time.Duration) (Booth, error) {
	if d <= 0 || d > MaxHold {
		return Booth{}, errs.Field("minutes", "error.invalid")
	}
	if _, _, err := s.approved(ctx, boothID, exhibitorID); err != nil {
		return Booth{}, err
	}
	now := s.now()
	b, err := s.store.HoldBooth(ctx, boothID, exhibitorID, now, now.Add(d))
	if err != nil {
		return Booth{}, err
	}
	return b, s.record(ctx, by, b, ActionHeld, exhibitorID)
}

// ReleaseBooth makes a booth available again, whoever held or had it, and
// also when it was blocked. The history names whom it was taken from.
func (s *Service) ReleaseBooth(ctx context.Context, by accounts.User, boothID string) (Booth, error) {
	before, err := s.Booth(ctx, boothID)
	if err != nil {
		return Booth{}, err
	}
	return s.release(ctx, by, before, "")
}

// release frees a booth as it was seen, recording whom it was taken from;
// with status "" it goes whatever the booth's status is now.
func (s *Service) release(ctx context.Context, by accounts.User, seen Booth, status BoothStatus) (Booth, error) {
	b, err := s.store.ReleaseBooth(ctx, seen.ID, status, seen.ExhibitorID)
	if err != nil {
		return Booth{}, err
	}
	return b, s.record(ctx, by, b, ActionReleased, seen.ExhibitorID)
}

// finishing bounds the steps after an operation's first write, which run
// to their end even when the client goes away, as a recovery would.
func finishing(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// settleRejection frees the booths a rejected exhibitor held or had and
// dismisses its staff.
func (s *Service) settleRejection(ctx context.Context, by accounts.User, x Exhibitor) error {
	booths, err := s.Booths(ctx, x.EventID)
	if err != nil {
		return err
	}
	for _, b := range booths {
		if b.ExhibitorID != x.ID {
			continue
		}
		if _, err := s.release(ctx, by, b, b.Status); err != nil && errs.KindOf(err) != errs.Conflict {
			return err
		}
	}
	return s.dismissStaff(ctx, x.ID)
}

// dismissStaff cancels the badges of a rejected exhibitor's staff and
// frees their places. Each badge is cancelled before its place goes, so a
// failure midway leaves no live badge without a place, and rejecting again
// finishes the work.
func (s *Service) dismissStaff(ctx context.Context, exhibitorID string) error {
	crew, err := s.store.BoothStaff(ctx, exhibitorID)
	if err != nil {
		return err
	}
	for _, st := range crew {
		if err := s.cancelBadge(ctx, st); err != nil {
			return err
		}
		if _, err := s.store.RemoveBoothStaff(ctx, st.ID); err != nil && errs.KindOf(err) != errs.NotFound {
			return err
		}
	}
	return nil
}

// Recover settles what a crash left half done in the exhibition, a minute
// on: the store's own steps (blocks of booths, moves, staff places), then
// each rejection not finished, whose history names no one.
func (s *Service) Recover(ctx context.Context) (int, error) {
	now := s.now()
	n, err := s.store.RecoverExpo(ctx, now.Add(-time.Minute))
	if err != nil {
		return n, err
	}
	list, err := s.store.UnsettledRejections(ctx, now)
	if err != nil {
		return n, err
	}
	for _, x := range list {
		if err := s.settleRejection(ctx, accounts.User{}, x); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Exhibitors lists an event's exhibitors.
func (s *Service) Exhibitors(ctx context.Context, eventID string) ([]Exhibitor, error) {
	return s.store.Exhibitors(ctx, eventID)
}

// Own finds an approved exhibitor that u acts for, as its owner or as staff
// of its booth who accepted the invitation; to anyone else it does not
// exist, so its leads cannot be probed.
func (s *Service) Own(ctx context.Context, u accounts.User, id string) (Exhibitor, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return Exhibitor{}, err
	}
	if x.OwnerID != u.ID {
		staff, err := s.isStaff(ctx, u, x.ID)
		if err != nil {
			return Exhibitor{}, err
		}
		if !staff {
			return Exhibitor{}, errs.ErrNotFound
		}
	}
	if x.Status != Approved {
		return Exhibitor{}, errs.New(errs.Conflict, "error.exhibitor_not_approved")
	}
	return x, nil
}

// LeadInput is one badge scanned at a booth.
type LeadInput struct {
	Token, Note, Rating string
}

// AddLead records the visitor whose badge u scanned for the exhibitor; the
// same visitor twice is one lead, returned with added false.
func (s *Service) AddLead(ctx context.Context, u accounts.User, exhibitorID string, in LeadInput) (Lead, bool, error) {
	x, err := s.Own(ctx, u, exhibitorID)
	if err != nil {
		return Lead{}, false, err
	}
	var ok bool
	if in.Note, ok = text(in.Note, maxNote); !ok {
		return Lead{}, false, errs.Field("note", "error.invalid")
	}
	switch in.Rating {
	case "", "hot", "warm", "cold":
	default:
		return Lead{}, false, errs.Field("rating", "error.invalid")
	}
	t, err := s.visitor(ctx, x.EventID, in.Token)
	if err != nil {
		return Lead{}, false, err
	}
	l := Lead{ID: ids.New(), ExhibitorID: x.ID, EventID: x.EventID, TicketID: t.ID, Name: t.Name, Note: in.Note,
		Rating: in.Rating, ScannedBy: u.ID, CreatedAt: s.now()}
	if t.SharesContact() {
		l.Email, l.Phone = t.Email, t.Phone
	}
	return s.store.AddLead(ctx, l)
}

// visitor reads the ticket of a badge of the event. Staff are told a code
// that is no ticket at all from a forged one, which calls for a word with
// the visitor; a badge of another event or cancelled is all one error, as
// the booth may learn nothing about the ticket.
func (s *Service) visitor(ctx context.Context, eventID, token string) (tickets.Ticket, error) {
	bad := errs.Field("token", "error.lead_token")
	unreadable := errs.Field("token", "error.lead_token_unreadable")
	if token == "" || len(token) > 2048 {
		return tickets.Ticket{}, unreadable
	}
	claims, err := s.verifier.Verify(ctx, token)
	switch {
	case errors.Is(err, keys.ErrUnreadable):
		return tickets.Ticket{}, unreadable
	case errors.Is(err, keys.ErrInvalid):
		return tickets.Ticket{}, errs.Field("token", "error.lead_token_forged")
	case err != nil && !errors.Is(err, keys.ErrExpired) && !errors.Is(err, keys.ErrNotYetValid):
		return tickets.Ticket{}, err
	}
	t, err := s.tickets.TicketByID(ctx, claims.TicketID)
	if errors.Is(err, errs.ErrNotFound) {
		return tickets.Ticket{}, bad
	}
	if err != nil {
		return tickets.Ticket{}, err
	}
	if t.EventID != eventID || t.Status != tickets.Active {
		return tickets.Ticket{}, bad
	}
	return t, nil
}

// Leads lists the leads of an exhibitor u acts for, newest first.
func (s *Service) Leads(ctx context.Context, u accounts.User, exhibitorID string) ([]Lead, error) {
	x, err := s.Own(ctx, u, exhibitorID)
	if err != nil {
		return nil, err
	}
	return s.store.Leads(ctx, x.ID)
}
