package expo

import (
	"context"
	"errors"
	"slices"
	"strings"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/mail"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// Badges issues and cancels the tickets exhibitor staff get.
type Badges interface {
	Invite(ctx context.Context, eventID, id string, in tickets.Input) (tickets.Ticket, error)
	Cancel(ctx context.Context, id string) (tickets.Ticket, error)
}

// TypeKeeper finds and adds an event's ticket types.
type TypeKeeper interface {
	TicketTypes(ctx context.Context, eventID string) ([]events.TicketType, error)
	AddTicketType(ctx context.Context, eventID string, in events.TypeInput) (events.TicketType, error)
}

// StaffTypeName names the ticket type staff badges are issued under, and
// StaffTypeNameEN in English.
const (
	StaffTypeName   = "Nhân sự gian hàng"
	StaffTypeNameEN = "Booth staff"
)

// SizeClasses are the booth sizes organizers sell, smallest first.
var SizeClasses = []string{"S", "M", "L", "XL"}

// allowances are the staff badges a booth of each size class comes with.
var allowances = map[string]int{"S": 2, "M": 3, "L": 5, "XL": 8}

// Allowance is how many staff a booth comes with: by its size class, or
// else one per six grid cells (square metres), at least two.
func Allowance(b Booth) int {
	if n, ok := allowances[strings.ToUpper(b.SizeClass)]; ok {
		return n
	}
	return max(2, b.W*b.H/6)
}

// Crew is an exhibitor's staff, the booths they work, and how many badges
// those booths allow.
type Crew struct {
	Staff     []Staff
	Booths    []Booth
	Allowance int
}

// Left is how many more staff may be registered.
func (c Crew) Left() int { return max(c.Allowance-len(c.Staff), 0) }

// Crew lists the staff of an exhibitor u applied for.
func (s *Service) Crew(ctx context.Context, u accounts.User, id string) (Exhibitor, Crew, error) {
	x, err := s.Manage(ctx, u, id)
	if err != nil {
		return x, Crew{}, err
	}
	c, err := s.crew(ctx, x)
	return x, c, err
}

func (s *Service) crew(ctx context.Context, x Exhibitor) (Crew, error) {
	var c Crew
	booths, err := s.Booths(ctx, x.EventID)
	if err != nil {
		return c, err
	}
	for _, b := range booths {
		if b.Status == Assigned && b.ExhibitorID == x.ID {
			c.Booths = append(c.Booths, b)
			c.Allowance += Allowance(b)
		}
	}
	c.Staff, err = s.store.BoothStaff(ctx, x.ID)
	return c, err
}

// StaffInput is a person an exhibitor registers to work its booth.
type StaffInput struct {
	Name, Email, Phone, Lang string
}

// Mailer queues mail.
type Mailer interface {
	Enqueue(ctx context.Context, to, template, lang string, data any, attachments ...mail.Attachment) (mail.Message, error)
}

// AddStaff registers a person to work an exhibitor's booth, within the
// allowance of its booths, and mails them an exhibitor ticket and an
// invitation to act for the exhibitor. Someone who already holds a ticket
// to the event keeps it and gets no second one, but is invited all the same.
// The place names its badge before the badge is issued, so that a crash in
// between leaves a place Recover can settle by its badge; once the place
// is stored, the rest runs to its end even if the client goes away.
func (s *Service) AddStaff(ctx context.Context, u accounts.User, exhibitorID string, in StaffInput) (Staff, error) {
	x, err := s.Manage(ctx, u, exhibitorID)
	if err != nil {
		return Staff{}, err
	}
	if x.Status != Approved {
		return Staff{}, errs.New(errs.Conflict, "error.exhibitor_not_approved")
	}
	st := Staff{ID: ids.New(), ExhibitorID: x.ID, EventID: x.EventID, TicketID: ids.New(), Secret: ids.Secret(), CreatedAt: s.now()}
	if st.Name, err = accounts.CleanName(in.Name); err != nil {
		return Staff{}, err
	}
	st.Email = accounts.NormalizeEmail(in.Email)
	if err := accounts.CheckEmail(st.Email); err != nil {
		return Staff{}, err
	}
	if strings.TrimSpace(in.Phone) != "" {
		if st.Phone, err = vn.NormalizePhone(in.Phone); err != nil {
			return Staff{}, errs.Field("phone", "error.phone_invalid")
		}
	}
	c, err := s.crew(ctx, x)
	if err != nil {
		return Staff{}, err
	}
	if c.Allowance == 0 {
		return Staff{}, errs.New(errs.Conflict, "error.staff_no_booth")
	}
	typeID, err := s.staffType(ctx, x.EventID)
	if err != nil {
		return Staff{}, err
	}
	// The place is taken first, so two registrations at once cannot both
	// pass the allowance; it is given back if no ticket can be issued.
	if err := s.store.AddBoothStaff(ctx, st, c.Allowance); err != nil {
		return Staff{}, err
	}
	ctx, cancel := finishing(ctx)
	defer cancel()
	_, err = s.partners.Badges.Invite(ctx, x.EventID, st.TicketID, tickets.Input{TicketTypeID: typeID, Name: st.Name,
		Email: st.Email, Phone: st.Phone, Lang: in.Lang})
	switch {
	case errs.KindOf(err) == errs.AlreadyRegistered:
		st.TicketID = ""
	case err != nil:
		// A badge written before the error goes with the place.
		if cerr := s.cancelBadge(ctx, st); cerr != nil {
			return Staff{}, errors.Join(err, cerr)
		}
		if _, rerr := s.store.RemoveBoothStaff(ctx, st.ID); rerr != nil {
			return Staff{}, errors.Join(err, rerr)
		}
		return Staff{}, err
	}
	err = s.store.SetBoothStaffTicket(ctx, st.ID, st.TicketID)
	if errors.Is(err, errs.ErrNotFound) {
		// The place was removed meanwhile, before its badge existed to be
		// cancelled with it.
		return Staff{}, errors.Join(err, s.cancelBadge(ctx, st))
	}
	if err != nil {
		return Staff{}, err
	}
	return st, s.invite(ctx, x, st, in.Lang)
}

// invite mails a staff place's invitation link to its person.
func (s *Service) invite(ctx context.Context, x Exhibitor, st Staff, lang string) error {
	e, err := s.events.EventByID(ctx, x.EventID)
	if err != nil {
		return err
	}
	_, err = s.partners.Mail.Enqueue(ctx, st.Email, "staff_invite", lang, map[string]any{
		"Name": st.Name, "Company": x.Company, "Event": e.TitleIn(lang),
		"Link": s.partners.BaseURL + "/exhibitors/join/" + st.Secret,
	})
	return err
}

// Reinvite mails a staff place's invitation again, for someone who lost
// it; a place already accepted needs none.
func (s *Service) Reinvite(ctx context.Context, u accounts.User, exhibitorID, staffID, lang string) (Staff, error) {
	x, st, err := s.staffPlace(ctx, u, exhibitorID, staffID)
	if err != nil {
		return Staff{}, err
	}
	if st.UserID != "" {
		return Staff{}, errs.New(errs.Conflict, "error.staff_accepted")
	}
	return st, s.invite(ctx, x, st, lang)
}

// staffPlace finds a staff place of an exhibitor u applied for; another
// exhibitor's is errs.ErrNotFound.
func (s *Service) staffPlace(ctx context.Context, u accounts.User, exhibitorID, staffID string) (Exhibitor, Staff, error) {
	x, err := s.Manage(ctx, u, exhibitorID)
	if err != nil {
		return x, Staff{}, err
	}
	list, err := s.store.BoothStaff(ctx, x.ID)
	if err != nil {
		return x, Staff{}, err
	}
	i := slices.IndexFunc(list, func(st Staff) bool { return st.ID == staffID })
	if i < 0 {
		return x, Staff{}, errs.ErrNotFound
	}
	return x, list[i], nil
}

// Invitation is a staff place as its invitation page shows it.
type Invitation struct {
	Staff     Staff
	Exhibitor Exhibitor
	Event     events.Event
}

// Invitation finds the staff place an invitation link names; a link that
// names none is errs.NotFound with a message the person can act on.
func (s *Service) Invitation(ctx context.Context, secret string) (Invitation, error) {
	st, err := s.store.BoothStaffBySecret(ctx, secret)
	if errors.Is(err, errs.ErrNotFound) {
		return Invitation{}, errs.New(errs.NotFound, "error.staff_invite_unknown")
	}
	if err != nil {
		return Invitation{}, err
	}
	inv := Invitation{Staff: st}
	if inv.Exhibitor, err = s.store.Exhibitor(ctx, st.ExhibitorID); err != nil {
		return Invitation{}, err
	}
	inv.Event, err = s.events.EventByID(ctx, st.EventID)
	return inv, err
}

// ClaimStaff lets u act for the exhibitor of the staff place whose
// invitation link u holds. The link is the proof, not the account's email:
// the first account to use it keeps the place.
func (s *Service) ClaimStaff(ctx context.Context, u accounts.User, secret string) (Staff, error) {
	st, err := s.store.ClaimBoothStaff(ctx, secret, u.ID)
	if errors.Is(err, errs.ErrNotFound) {
		return Staff{}, errs.New(errs.NotFound, "error.staff_invite_unknown")
	}
	return st, err
}

// RemoveStaff takes a person off an exhibitor's staff and cancels the
// badge they were issued, freeing the place. The badge goes first, as in
// dismissStaff: a failure midway leaves no live badge without a place, and
// removing again finishes the work.
func (s *Service) RemoveStaff(ctx context.Context, u accounts.User, exhibitorID, staffID string) (Staff, error) {
	_, st, err := s.staffPlace(ctx, u, exhibitorID, staffID)
	if err != nil {
		return Staff{}, err
	}
	if err := s.cancelBadge(ctx, st); err != nil {
		return Staff{}, err
	}
	ctx, cancel := finishing(ctx)
	defer cancel()
	return s.store.RemoveBoothStaff(ctx, staffID)
}

// cancelBadge cancels the badge of a staff place, if it has one: one
// cancelled already or never issued is fine.
func (s *Service) cancelBadge(ctx context.Context, st Staff) error {
	if st.TicketID == "" {
		return nil
	}
	_, err := s.partners.Badges.Cancel(ctx, st.TicketID)
	if k := errs.KindOf(err); k == errs.Conflict || k == errs.NotFound {
		return nil
	}
	return err
}

// staffType finds the event's invitation type for staff badges, adding it
// the first time; its capacity is the most a type may have, since the
// booths' allowances are what limit staff.
func (s *Service) staffType(ctx context.Context, eventID string) (string, error) {
	types, err := s.partners.Types.TicketTypes(ctx, eventID)
	if err != nil {
		return "", err
	}
	for _, t := range types {
		if t.Invite {
			return t.ID, nil
		}
	}
	t, err := s.partners.Types.AddTicketType(ctx, eventID, events.TypeInput{Name: StaffTypeName, NameEN: StaffTypeNameEN, Capacity: events.MaxCapacity, Invite: true})
	return t.ID, err
}
