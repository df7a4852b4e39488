package tickets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keys"
	"sprout/internal/keyset"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/throttle"
	"sprout/internal/vn"
)

// A ticket's token is valid from a week before its event starts until a
// day after it ends: gates may open early, and late scans still tell
// "expired" rather than "invalid".
const (
	validBefore = 7 * 24 * time.Hour
	validAfter  = 24 * time.Hour
)

// Signer signs ticket tokens: new ones with the current key, and those of
// tickets issued before with the key that signed them.
type Signer interface {
	Sign(ctx context.Context, c keys.Claims) (token, kid string, err error)
	SignWith(ctx context.Context, kid string, c keys.Claims) (string, error)
}

// Mailer queues mail.
type Mailer interface {
	Enqueue(ctx context.Context, to, template, lang string, data any, attachments ...mail.Attachment) (mail.Message, error)
	// Compose makes a message the store queues with the ticket it is
	// about; Poke tells the sender it is there.
	Compose(to, template, lang string, data any, attachments ...mail.Attachment) (mail.Message, error)
	Poke()
}

// Service holds the rules of registration.
type Service struct {
	events  events.Store
	tickets Store
	signer  Signer
	mailer  Mailer
	baseURL string
	now     func() time.Time
}

// NewService wires registration.
func NewService(ev events.Store, t Store, signer Signer, mailer Mailer, baseURL string, clk clock.Clock) *Service {
	return &Service{events: ev, tickets: t, signer: signer, mailer: mailer, baseURL: baseURL,
		now: clk.Now}
}

// URL is a ticket's page: the capability that opens it without signing in.
func (s *Service) URL(t Ticket) string { return s.baseURL + "/t/" + t.Secret }

// WaitURL is a waiting person's page, a capability as a ticket's is.
func (s *Service) WaitURL(w WaitEntry) string { return s.baseURL + "/w/" + w.Secret }

// Input is what a visitor gives to register.
type Input struct {
	TicketTypeID string
	Name         string
	Email        string
	Phone        string
	ShareContact bool
	Lang         string
	// Answers are the answers to the event's questions, by question id.
	Answers map[string]string
	// Charge, when set, counts the registration against the client's
	// allowance in the same store step as its ticket.
	Charge *kv.Charge
}

// Result is a registration's outcome: a ticket, or a place on the waitlist.
type Result struct {
	Ticket   *Ticket
	Wait     *WaitEntry
	Position int
}

// check collects every mistake at once, so the form can mark them all. A
// walk-in may give a phone instead of an email.
func (in Input) check(walkIn bool) (Input, error) {
	var problems []error
	var err error
	if in.Name, err = accounts.CleanName(in.Name); err != nil {
		problems = append(problems, err)
	}
	in.Email = accounts.NormalizeEmail(in.Email)
	switch {
	case walkIn && in.Email == "" && strings.TrimSpace(in.Phone) == "":
		problems = append(problems, errs.Field("contact", "error.walkin_contact"))
	case walkIn && in.Email == "":
	default:
		if err := accounts.CheckEmail(in.Email); err != nil {
			problems = append(problems, err)
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		if in.Phone, err = vn.NormalizePhone(in.Phone); err != nil {
			problems = append(problems, errs.Field("phone", "error.phone_invalid"))
		}
	}
	if in.TicketTypeID == "" || len(in.TicketTypeID) > 64 {
		problems = append(problems, errs.Field("ticket_type_id", "error.ticket_type_required"))
	}
	in.Lang = accounts.CleanLang(in.Lang)
	return in, errors.Join(problems...)
}

// Register gives the visitor a ticket of the type, or a place on its
// waitlist when it is full and has one. Everything is checked before a seat
// is taken; the seat itself is taken by the store in one atomic step.
func (s *Service) Register(ctx context.Context, eventID string, in Input) (Result, error) {
	ev, err := s.events.EventByID(ctx, eventID)
	if err != nil || !ev.Published {
		return Result{}, errs.New(errs.NotFound, "error.event_not_found")
	}
	in, err = in.check(false)
	answers, aerr := events.CheckAnswers(ev.Questions, in.Answers)
	if err = errors.Join(err, aerr); err != nil {
		return Result{}, err
	}
	in.Answers = answers
	now := s.now()
	if !now.Before(ev.EndsAt) {
		return Result{}, errs.New(errs.Closed, "error.event_over")
	}
	tt, err := s.events.TicketType(ctx, in.TicketTypeID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && (tt.EventID != ev.ID || tt.Invite)) {
		return Result{}, errs.Field("ticket_type_id", "error.ticket_type_unknown")
	}
	if err != nil {
		return Result{}, err
	}
	if !tt.SalesStart.IsZero() && now.Before(tt.SalesStart) {
		return Result{}, errs.New(errs.Closed, "error.sales_not_open")
	}
	if !tt.SalesEnd.IsZero() && !now.Before(tt.SalesEnd) {
		return Result{}, errs.New(errs.Closed, "error.sales_over")
	}
	var consent Consent
	if in.ShareContact {
		consent = Consent{At: now, Version: ConsentWording}
	}
	t, err := s.issue(ctx, ev, ids.New(), tt.ID, in.Name, in.Email, in.Phone, consent, in.Lang)
	if err != nil {
		return Result{}, err
	}
	t.Answers = in.Answers
	m, err := s.ticketMail(t, false)
	if err != nil {
		return Result{}, err
	}
	// A seat may free up between a full type and joining its waitlist; the
	// store then refuses the waitlist and the visitor gets that seat.
	for range 3 {
		err = s.tickets.Register(ctx, t, m, in.Charge)
		if errs.KindOf(err) != errs.SoldOut || !tt.Waitlist {
			break
		}
		w := WaitEntry{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Name: in.Name, Email: in.Email, Phone: in.Phone,
			ShareContact: in.ShareContact, Consent: consent, Answers: in.Answers, Lang: in.Lang, Status: Waiting, Secret: ids.Secret(),
			CreatedAt: now}
		pos, werr := s.tickets.JoinWaitlist(ctx, w)
		if errs.KindOf(werr) == errs.Conflict {
			continue
		}
		if werr != nil {
			return Result{}, werr
		}
		return Result{Wait: &w, Position: pos}, nil
	}
	if errs.KindOf(err) == errs.RateLimited && in.Charge != nil {
		return Result{}, throttle.Slowed("error.rate_limited_wait", in.Charge.Until.Sub(in.Charge.Now))
	}
	if err != nil {
		return Result{}, err
	}
	s.mailer.Poke()
	return Result{Ticket: &t}, nil
}

// Invite gives a ticket of an invitation type, such as an exhibitor staff
// badge, and mails it: no sales window applies, the capacity still does.
// The caller chooses the ticket's id, so that it can record it before the
// ticket exists and tell after a crash whether it was issued.
func (s *Service) Invite(ctx context.Context, eventID, id string, in Input) (Ticket, error) {
	in, err := in.check(false)
	if err != nil {
		return Ticket{}, err
	}
	ev, err := s.events.EventByID(ctx, eventID)
	if err != nil {
		return Ticket{}, err
	}
	if !s.now().Before(ev.EndsAt) {
		return Ticket{}, errs.New(errs.Closed, "error.event_over")
	}
	tt, err := s.events.TicketType(ctx, in.TicketTypeID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && (tt.EventID != ev.ID || !tt.Invite)) {
		return Ticket{}, errs.Field("ticket_type_id", "error.ticket_type_unknown")
	}
	if err != nil {
		return Ticket{}, err
	}
	var consent Consent
	if in.ShareContact {
		consent = Consent{At: s.now(), Version: ConsentWording}
	}
	t, err := s.issue(ctx, ev, id, tt.ID, in.Name, in.Email, in.Phone, consent, in.Lang)
	if err != nil {
		return Ticket{}, err
	}
	m, err := s.ticketMail(t, false)
	if err != nil {
		return Ticket{}, err
	}
	if err := s.tickets.Register(ctx, t, m, nil); err != nil {
		return Ticket{}, err
	}
	s.mailer.Poke()
	return t, nil
}

// WalkIn gives a visitor who comes to the gate unregistered a ticket of any
// type of the event, sales window aside, the capacity still applying. They
// give a name and a phone or an email; the ticket mail goes only to an
// email.
func (s *Service) WalkIn(ctx context.Context, eventID string, in Input) (Ticket, error) {
	in, err := in.check(true)
	if err != nil {
		return Ticket{}, err
	}
	ev, err := s.events.EventByID(ctx, eventID)
	if err != nil {
		return Ticket{}, err
	}
	if !s.now().Before(ev.EndsAt) {
		return Ticket{}, errs.New(errs.Closed, "error.event_over")
	}
	tt, err := s.events.TicketType(ctx, in.TicketTypeID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && tt.EventID != ev.ID) {
		return Ticket{}, errs.Field("ticket_type_id", "error.ticket_type_unknown")
	}
	if err != nil {
		return Ticket{}, err
	}
	t, err := s.issue(ctx, ev, ids.New(), tt.ID, in.Name, in.Email, in.Phone, Consent{}, in.Lang)
	if err != nil {
		return Ticket{}, err
	}
	var m *mail.Message
	if in.Email != "" {
		if m, err = s.ticketMail(t, false); err != nil {
			return Ticket{}, err
		}
	}
	if err := s.tickets.Register(ctx, t, m, nil); err != nil {
		return Ticket{}, err
	}
	if m != nil {
		s.mailer.Poke()
	}
	return t, nil
}

// issue makes a new active ticket with its id, secret and signed token.
func (s *Service) issue(ctx context.Context, ev events.Event, id, typeID, name, email, phone string, consent Consent, lang string) (Ticket, error) {
	t := Ticket{
		ID: id, EventID: ev.ID, TypeID: typeID, Name: name, Email: email, Phone: phone, ShareContact: consent.Given(), Consent: consent,
		Lang: lang, Status: Active, Secret: ids.Secret(), CreatedAt: s.now(),
		NotBefore: ev.StartsAt.Add(-validBefore), ExpiresAt: ev.EndsAt.Add(validAfter),
	}
	token, kid, err := s.signer.Sign(ctx, t.Claims())
	if err != nil {
		return Ticket{}, err
	}
	t.Token, t.KeyID = token, kid
	return t, nil
}

// When is an event's time as mails and pages show it, in Vietnam's zone.
func When(ev events.Event) string {
	start, end := ev.StartsAt.In(vn.Zone), ev.EndsAt.In(vn.Zone)
	if start.Format("20060102") == end.Format("20060102") {
		return start.Format("15:04") + "–" + end.Format("15:04 02/01/2006")
	}
	return start.Format("15:04 02/01/2006") + " – " + end.Format("15:04 02/01/2006")
}

func (s *Service) mailTicket(ctx context.Context, t Ticket, promoted bool) error {
	_, err := s.mailer.Enqueue(ctx, t.Email, "ticket", t.Lang, ticketMailRef{Ticket: t.ID, Promoted: promoted})
	return err
}

// ticketMail is the mail that brings a new ticket, for the store to queue
// in the same step as it writes the ticket; its id is the ticket's, so a
// message and its ticket are found from each other.
func (s *Service) ticketMail(t Ticket, promoted bool) (*mail.Message, error) {
	m, err := s.mailer.Compose(t.Email, "ticket", t.Lang, ticketMailRef{Ticket: t.ID, Promoted: promoted})
	m.ID = t.ID
	return &m, err
}

// ticketMailRef is all a ticket mail keeps: which ticket it brings.
// FillTicketMail reads the rest when the mail is sent or shown.
type ticketMailRef struct {
	Ticket   string
	Promoted bool `json:",omitempty"`
}

// FillTicketMail completes a ticket mail from the ticket it names: the
// event, the type, the ticket page's link and the QR code of its token.
func (s *Service) FillTicketMail(ctx context.Context, data map[string]any) (map[string]any, []mail.Attachment, error) {
	id, _ := data["Ticket"].(string)
	if id == "" {
		return nil, nil, fmt.Errorf("%w: a ticket mail names no ticket", errs.ErrNotFound)
	}
	t, err := s.tickets.TicketByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	// A store that writes in steps may queue the mail a moment before its
	// ticket is active: the mail waits for it, and is never sent for a
	// ticket that did not stand or was cancelled before the mail went.
	switch t.Status {
	case Active:
	case Cancelled:
		return nil, nil, fmt.Errorf("%w: ticket %s was cancelled", errs.ErrNotFound, id)
	default:
		return nil, nil, fmt.Errorf("%w: ticket %s is not registered yet", mail.ErrNotReady, id)
	}
	ev, err := s.events.EventByID(ctx, t.EventID)
	if err != nil {
		return nil, nil, err
	}
	tt, err := s.events.TicketType(ctx, t.TypeID)
	if err != nil {
		return nil, nil, err
	}
	if t, err = s.withToken(ctx, t); err != nil {
		return nil, nil, err
	}
	promoted, _ := data["Promoted"].(bool)
	filled := map[string]any{
		"Name": t.Name, "Event": ev.TitleIn(t.Lang), "Venue": ev.Venue, "When": When(ev), "TicketType": tt.NameIn(t.Lang),
		"Link": s.URL(t), "QR": "qr", "Promoted": promoted,
	}
	qr := mail.Attachment{Name: "ve-" + t.ID + ".png", ContentType: "image/png", ContentID: "qr", QR: t.Token}
	return filled, []mail.Attachment{qr}, nil
}

// withToken fills in t's token, signed again from its claims with its key.
func (s *Service) withToken(ctx context.Context, t Ticket) (Ticket, error) {
	if t.Token != "" {
		return t, nil
	}
	token, err := s.signer.SignWith(ctx, t.KeyID, t.Claims())
	t.Token = token
	return t, err
}

// Cancel cancels a ticket; its seat goes to the first person waiting, who
// gets a ticket and a mail, or back on sale.
func (s *Service) Cancel(ctx context.Context, id string) (Ticket, error) {
	t, err := s.tickets.TicketByID(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	ev, err := s.events.EventByID(ctx, t.EventID)
	if err != nil {
		return Ticket{}, err
	}
	// The token names no person, so the ticket a waiting person may get is
	// signed before the store's atomic step, which only fills in who it is.
	next, err := s.issue(ctx, ev, ids.New(), t.TypeID, "", "", "", Consent{}, "")
	if err != nil {
		return Ticket{}, err
	}
	cancelled, promoted, err := s.tickets.CancelTicket(ctx, id, s.now(), s.promoter(next))
	if err != nil {
		return Ticket{}, err
	}
	if promoted != nil {
		s.mailer.Poke()
	}
	return cancelled, nil
}

// promoter gives the waiting person the ticket next, signed beforehand,
// and the mail that brings it.
func (s *Service) promoter(next Ticket) Promoter {
	return func(w WaitEntry) (Ticket, *mail.Message, error) {
		nt := next
		nt.Name, nt.Email, nt.Phone, nt.ShareContact, nt.Consent, nt.Lang = w.Name, w.Email, w.Phone, w.ShareContact, w.Consent, w.Lang
		nt.Answers = w.Answers
		m, err := s.ticketMail(nt, true)
		return nt, m, err
	}
}

// Waiter is a person waiting, with their place in their type's line.
type Waiter struct {
	WaitEntry
	Position int
}

// Waitlist lists the people waiting at an event, by type, in line.
func (s *Service) Waitlist(ctx context.Context, eventID string) ([]Waiter, error) {
	list, err := s.tickets.Waiting(ctx, eventID)
	if err != nil {
		return nil, err
	}
	out := make([]Waiter, len(list))
	for i, w := range list {
		out[i] = Waiter{WaitEntry: w, Position: 1}
		if i > 0 && list[i-1].TypeID == w.TypeID {
			out[i].Position = out[i-1].Position + 1
		}
	}
	return out, nil
}

// RemoveWaiting takes a person out of the line.
func (s *Service) RemoveWaiting(ctx context.Context, id string) (WaitEntry, error) {
	return s.tickets.LeaveWaitlist(ctx, id)
}

// PromoteNow gives a waiting person a ticket at once, ahead of the line,
// with a seat added to their type if none is free; the mail is the one an
// automatic promotion sends.
func (s *Service) PromoteNow(ctx context.Context, id string) (Ticket, error) {
	w, _, err := s.tickets.WaitPosition(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	ev, err := s.events.EventByID(ctx, w.EventID)
	if err != nil {
		return Ticket{}, err
	}
	next, err := s.issue(ctx, ev, ids.New(), w.TypeID, "", "", "", Consent{}, "")
	if err != nil {
		return Ticket{}, err
	}
	t, err := s.tickets.PromoteNow(ctx, id, s.promoter(next))
	if err != nil {
		return Ticket{}, err
	}
	s.mailer.Poke()
	return t, nil
}

// Fill gives a type's free seats to the people waiting for it, in line,
// as when an organizer adds seats, and returns their tickets.
func (s *Service) Fill(ctx context.Context, typeID string) ([]Ticket, error) {
	tt, err := s.events.TicketType(ctx, typeID)
	if err != nil {
		return nil, err
	}
	ev, err := s.events.EventByID(ctx, tt.EventID)
	if err != nil {
		return nil, err
	}
	var out []Ticket
	defer func() {
		if len(out) > 0 {
			s.mailer.Poke()
		}
	}()
	for {
		next, err := s.issue(ctx, ev, ids.New(), typeID, "", "", "", Consent{}, "")
		if err != nil {
			return out, err
		}
		t, err := s.tickets.Fill(ctx, typeID, s.promoter(next))
		if err != nil || t == nil {
			return out, err
		}
		out = append(out, *t)
	}
}

// Resend mails a ticket again.
func (s *Service) Resend(ctx context.Context, id string) error {
	t, err := s.tickets.TicketByID(ctx, id)
	if err != nil {
		return err
	}
	if t.Status != Active {
		return errs.New(errs.Conflict, "error.ticket_cancelled")
	}
	return s.mailTicket(ctx, t, false)
}

// SendLinks mails the holder of an email the links of their active tickets,
// and says nothing either way, so the page reveals no registration.
func (s *Service) SendLinks(ctx context.Context, email, lang string) error {
	email = accounts.NormalizeEmail(email)
	if accounts.CheckEmail(email) != nil {
		return nil
	}
	ts, err := s.tickets.TicketsByEmail(ctx, email)
	if err != nil || len(ts) == 0 {
		return err
	}
	var list []map[string]string
	for _, t := range ts {
		ev, err := s.events.EventByID(ctx, t.EventID)
		if err != nil {
			return err
		}
		list = append(list, map[string]string{"Event": ev.TitleIn(lang), "When": When(ev), "Link": s.URL(t)})
	}
	_, err = s.mailer.Enqueue(ctx, email, "ticket_links", lang, map[string]any{"Tickets": list})
	return err
}

// plausibleSecret tells whether s may be a secret at all; an id, 26
// characters, never is, so it never reaches the store as one.
func plausibleSecret(s string) bool { return len(s) >= 32 && len(s) <= 80 }

// BySecret opens a ticket page.
func (s *Service) BySecret(ctx context.Context, secret string) (Ticket, error) {
	if !plausibleSecret(secret) {
		return Ticket{}, errs.ErrNotFound
	}
	t, err := s.tickets.TicketBySecret(ctx, secret)
	if err != nil {
		return Ticket{}, err
	}
	return s.withToken(ctx, t)
}

// CancelBySecret lets a holder cancel their own ticket from its page.
func (s *Service) CancelBySecret(ctx context.Context, secret string) (Ticket, error) {
	t, err := s.BySecret(ctx, secret)
	if err != nil {
		return Ticket{}, err
	}
	return s.Cancel(ctx, t.ID)
}

// Ticket finds one ticket.
func (s *Service) Ticket(ctx context.Context, id string) (Ticket, error) {
	t, err := s.tickets.TicketByID(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	return s.withToken(ctx, t)
}

// WaitPosition tells organizers where an entry stands.
func (s *Service) WaitPosition(ctx context.Context, id string) (WaitEntry, int, error) {
	return s.tickets.WaitPosition(ctx, id)
}

// WaitBySecret opens a waiting person's page: where they stand, or the
// ticket they were given.
func (s *Service) WaitBySecret(ctx context.Context, secret string) (WaitEntry, int, error) {
	if !plausibleSecret(secret) {
		return WaitEntry{}, 0, errs.ErrNotFound
	}
	return s.tickets.WaitBySecret(ctx, secret)
}

// List finds an event's tickets for its organizers.
func (s *Service) List(ctx context.Context, q Query) ([]Ticket, int, error) {
	list, total, err := s.tickets.ListTickets(ctx, q.clean())
	if err != nil {
		return nil, 0, err
	}
	for i := range list {
		if list[i], err = s.withToken(ctx, list[i]); err != nil {
			return nil, 0, err
		}
	}
	return list, total, nil
}

// Find is List without the total, which a search at the gate has no use
// for: it reads the first q.Limit tickets q matches and no more.
func (s *Service) Find(ctx context.Context, q Query) ([]Ticket, error) {
	q = q.clean()
	list, err := s.tickets.TicketsAfter(ctx, q, keyset.Cursor{})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i], err = s.withToken(ctx, list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// clean bounds what a query may ask of the store.
func (q Query) clean() Query {
	if len(q.Text) > 200 {
		q.Text = strings.ToValidUTF8(q.Text[:200], "")
	}
	q.Text = vn.Fold(q.Text)
	if q.Limit <= 0 || q.Limit > eachPage {
		q.Limit = 50
	}
	q.Offset = max(q.Offset, 0)
	if q.Status != Active && q.Status != Cancelled {
		q.Status = ""
	}
	return q
}

// eachPage is how many tickets a whole-list read takes from the store at
// once.
const eachPage = 500

// Each calls fn with every ticket q matches, newest first, reading the
// store a page at a time after the last ticket read: a ticket registered or
// cancelled meanwhile never makes another missed or read twice.
func (s *Service) Each(ctx context.Context, q Query, fn func(Ticket) error) error {
	q.Limit = eachPage
	q = q.clean()
	return keyset.Walk(q.Limit, func(after keyset.Cursor) ([]Ticket, error) {
		return s.tickets.TicketsAfter(ctx, q, after)
	}, Ticket.Cursor, fn)
}

// EachWithToken is Each with every ticket's token filled in, for what
// prints tickets' QR codes.
func (s *Service) EachWithToken(ctx context.Context, q Query, fn func(Ticket) error) error {
	return s.Each(ctx, q, func(t Ticket) error {
		t, err := s.withToken(ctx, t)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

// CancelledIDs lists the ids of an event's cancelled tickets: what a gate
// keeps to refuse them while offline.
func (s *Service) CancelledIDs(ctx context.Context, eventID string) ([]string, error) {
	ids, err := s.tickets.CancelledIDs(ctx, eventID)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

// Recover settles registrations, cancellations and promotions a crash left
// half done, a minute on; a seat it finds free goes to the first person
// waiting, with a ticket and a mail as any promotion.
func (s *Service) Recover(ctx context.Context) (int, error) {
	n, err := s.tickets.Recover(ctx, s.now().Add(-time.Minute), func(w WaitEntry) (Ticket, *mail.Message, error) {
		ev, err := s.events.EventByID(ctx, w.EventID)
		if err != nil {
			return Ticket{}, nil, err
		}
		t, err := s.issue(ctx, ev, ids.New(), w.TypeID, w.Name, w.Email, w.Phone, w.Consent, w.Lang)
		if err != nil {
			return Ticket{}, nil, err
		}
		t.Answers = w.Answers
		m, err := s.ticketMail(t, true)
		return t, m, err
	})
	if n > 0 {
		s.mailer.Poke()
	}
	if err != nil {
		return n, err
	}
	// Seats left free while people wait, by a capacity raised and not yet
	// given out or by a step a dead process left, go to them.
	types, err := s.tickets.Underfilled(ctx, s.now().Add(-time.Minute))
	for _, id := range types {
		promoted, ferr := s.Fill(ctx, id)
		n += len(promoted)
		err = errors.Join(err, ferr)
	}
	return n, err
}

// LiveTickets counts the tickets a key still has to verify.
func (s *Service) LiveTickets(ctx context.Context, kid string) (int, error) {
	return s.tickets.CountLiveTickets(ctx, kid, s.now())
}

// ICS is an iCalendar file for a ticket's event, for "add to calendar".
func ICS(ev events.Event, lang, url string) []byte {
	esc := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "")
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	var b strings.Builder
	line := func(k, v string) { b.WriteString(foldICS(k + ":" + v)) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Sprout//Events//VI")
	line("CALSCALE", "GREGORIAN")
	line("BEGIN", "VEVENT")
	line("UID", ev.ID+"@sprout")
	line("DTSTAMP", stamp(ev.UpdatedAt))
	line("DTSTART", stamp(ev.StartsAt))
	line("DTEND", stamp(ev.EndsAt))
	line("SUMMARY", esc.Replace(ev.TitleIn(lang)))
	line("LOCATION", esc.Replace(ev.Venue))
	line("DESCRIPTION", esc.Replace(url))
	line("URL", url)
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return []byte(b.String())
}

// foldICS ends a content line, folding it at 75 octets as RFC 5545 asks,
// never inside a UTF-8 sequence.
func foldICS(l string) string {
	var b strings.Builder
	n := 0
	for _, r := range l {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}
