package staffing

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
)

// GateRoles are the roles a user needs to be put on a gate.
var GateRoles = []accounts.Role{accounts.RoleStaff, accounts.RoleOrganizer, accounts.RoleAdmin}

// Users finds the people assigned.
type Users interface {
	UserByID(ctx context.Context, id string) (accounts.User, error)
	UserByEmail(ctx context.Context, email string) (accounts.User, error)
}

// Events finds the events worked.
type Events interface {
	EventByID(ctx context.Context, id string) (events.Event, error)
}

// Service holds the rules of staffing.
type Service struct {
	store  Store
	users  Users
	events Events
	now    func() time.Time
}

// NewService wires staffing to its store, users and events.
func NewService(s Store, u Users, e Events, clk clock.Clock) *Service {
	return &Service{store: s, users: u, events: e, now: clk.Now}
}

// gateName collapses the spacing of a gate's name and refuses what staff
// could not read at the door; field names the input it came in.
func gateName(field, n string) (string, error) {
	n = strings.Join(strings.Fields(n), " ")
	if !utf8.ValidString(n) || strings.ContainsFunc(n, unicode.IsControl) {
		return "", errs.Field(field, "error.text_invalid")
	}
	if utf8.RuneCountInString(n) > MaxGateName {
		return "", &errs.Error{Kind: errs.Invalid, MsgID: "error.gate_name_long", Field: field, Data: map[string]any{"Max": MaxGateName}}
	}
	return n, nil
}

// cleanGates trims each name and drops blanks and repeats, which differ
// only in case or spacing: staff would not tell them apart at the door.
func cleanGates(names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		n, err := gateName("gates", n)
		if err != nil {
			return nil, err
		}
		if key := strings.ToLower(n); n != "" && !seen[key] {
			seen[key] = true
			out = append(out, n)
		}
	}
	if len(out) > MaxGates {
		return nil, &errs.Error{Kind: errs.Invalid, MsgID: "error.gates_too_many", Field: "gates", Data: map[string]any{"Max": MaxGates}}
	}
	return out, nil
}

// SetGates names an event's gates and returns the names kept.
func (s *Service) SetGates(ctx context.Context, eventID string, names []string) ([]string, error) {
	names, err := cleanGates(names)
	if err != nil {
		return nil, err
	}
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return nil, err
	}
	return names, s.store.SetGates(ctx, eventID, names)
}

// Gates lists an event's gate names.
func (s *Service) Gates(ctx context.Context, eventID string) ([]string, error) {
	return s.store.Gates(ctx, eventID)
}

// OrderGates lists the gates the organizer named, in their order, then any
// other gate staff scanned at (byGate holds the entries per gate), by name.
func OrderGates(named []string, byGate map[string]int) []string {
	out := slices.Clone(named)
	var others []string
	for g := range byGate {
		if !slices.Contains(named, g) {
			others = append(others, g)
		}
	}
	slices.Sort(others)
	return append(out, others...)
}

// Member is a user on an event's staff.
type Member struct {
	accounts.User
	AssignedAt time.Time
}

// Staff lists an event's staff, earliest assigned first.
func (s *Service) Staff(ctx context.Context, eventID string) ([]Member, error) {
	list, err := s.store.EventStaff(ctx, eventID)
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(list))
	for _, a := range list {
		u, err := s.users.UserByID(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		out = append(out, Member{User: u, AssignedAt: a.AssignedAt})
	}
	return out, nil
}

// Assign puts the user with that email on an event's staff. Only people
// who may scan tickets can be assigned: roles are the admin's to grant.
func (s *Service) Assign(ctx context.Context, eventID, email, by string) (accounts.User, error) {
	email = accounts.NormalizeEmail(email)
	if err := accounts.CheckEmail(email); err != nil {
		return accounts.User{}, err
	}
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return accounts.User{}, err
	}
	u, err := s.users.UserByEmail(ctx, email)
	if errors.Is(err, errs.ErrNotFound) {
		return accounts.User{}, errs.Field("email", "error.staff_no_account")
	}
	if err != nil {
		return accounts.User{}, err
	}
	already, err := s.enlist(ctx, eventID, u, by, "email")
	if err != nil {
		return accounts.User{}, err
	}
	if already {
		return accounts.User{}, &errs.Error{Kind: errs.Conflict, MsgID: "error.staff_assigned", Field: "email"}
	}
	return u, nil
}

// AssignUser puts a user, by id, on an event's staff. gate is checked as
// a gate's name but not kept: staff pick their gate on the gate page when
// their shift starts. A user on the staff already stays on it: a program
// that assigns wants them assigned, and they are.
func (s *Service) AssignUser(ctx context.Context, eventID, userID, gate, by string) (accounts.User, error) {
	if _, err := gateName("gate", gate); err != nil {
		return accounts.User{}, err
	}
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return accounts.User{}, err
	}
	u, err := s.users.UserByID(ctx, userID)
	if errors.Is(err, errs.ErrNotFound) {
		return accounts.User{}, errs.Field("user_id", "error.staff_unknown_user")
	}
	if err != nil {
		return accounts.User{}, err
	}
	if _, err := s.enlist(ctx, eventID, u, by, "user_id"); err != nil {
		return accounts.User{}, err
	}
	return u, nil
}

// enlist stores u's assignment to an event once u may scan tickets;
// already tells that u was on the event's staff before. field names the
// input that named u.
func (s *Service) enlist(ctx context.Context, eventID string, u accounts.User, by, field string) (already bool, err error) {
	if !u.Has(GateRoles...) {
		return false, &errs.Error{Kind: errs.Conflict, MsgID: "error.staff_role_missing", Field: field}
	}
	err = s.store.AddStaff(ctx, Assignment{EventID: eventID, UserID: u.ID, AssignedBy: by, AssignedAt: s.now()})
	if errors.Is(err, errs.ErrConflict) {
		return true, nil
	}
	return false, err
}

// CanWork says whether u may work an event's gate: scan its tickets, read
// its counts and scan log, and look its attendees up. Organizers and
// admins run every event; staff only the events they are assigned to, so
// a staff account sees no other event's visitors. It answers
// errs.Forbidden otherwise.
func (s *Service) CanWork(ctx context.Context, u accounts.User, eventID string) error {
	if u.Has(accounts.RoleOrganizer, accounts.RoleAdmin) {
		return nil
	}
	if !u.Has(accounts.RoleStaff) {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	on, err := s.store.IsStaff(ctx, eventID, u.ID)
	if err != nil {
		return err
	}
	if !on {
		return errs.New(errs.Forbidden, "error.staff_not_assigned")
	}
	return nil
}

// Unassign takes a user off an event's staff.
func (s *Service) Unassign(ctx context.Context, eventID, userID string) error {
	return s.store.RemoveStaff(ctx, eventID, userID)
}

// Duty is an event a user works at, with its gates.
type Duty struct {
	Event events.Event
	Gates []string
}

// Duties lists the events a user is assigned to, soonest first.
func (s *Service) Duties(ctx context.Context, userID string) ([]Duty, error) {
	list, err := s.store.UserAssignments(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]Duty, 0, len(list))
	for _, a := range list {
		e, err := s.events.EventByID(ctx, a.EventID)
		if err != nil {
			return nil, err
		}
		gates, err := s.store.Gates(ctx, a.EventID)
		if err != nil {
			return nil, err
		}
		out = append(out, Duty{Event: e, Gates: gates})
	}
	slices.SortFunc(out, func(a, b Duty) int {
		return cmp.Or(a.Event.StartsAt.Compare(b.Event.StartsAt), cmp.Compare(a.Event.ID, b.Event.ID))
	})
	return out, nil
}
