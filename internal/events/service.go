package events

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
)

// Limits of what organizers type.
const (
	MaxTitle       = 200
	MaxTypeName    = 120
	MaxDescription = 20000
	MaxCapacity    = 1_000_000
	// MaxBanner keeps a banner quick to load on a phone at the venue.
	MaxBanner = 2 << 20
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Service holds the rules of events.
type Service struct {
	store Store
	files files.Store
	now   func() time.Time
}

// NewService wires events to their store and the store of their images.
func NewService(s Store, f files.Store, clk clock.Clock) *Service {
	return &Service{store: s, files: f, now: clk.Now}
}

// Input is what an organizer gives for an event.
type Input struct {
	Slug          string
	Title         string
	TitleEN       string
	Description   string
	DescriptionEN string
	Venue         string
	StartsAt      time.Time
	EndsAt        time.Time
	Published     bool
}

func text(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", errs.Field(field, "error.text_invalid")
	}
	if required && s == "" {
		return "", errs.Field(field, "error.required")
	}
	if utf8.RuneCountInString(s) > max {
		return "", &errs.Error{Kind: errs.Invalid, MsgID: "error.text_long", Field: field, Data: map[string]any{"Max": max}}
	}
	return s, nil
}

// check collects every mistake at once, so the form can mark them all.
func (in Input) check() (Input, error) {
	var problems []error
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if len(in.Slug) < 3 || len(in.Slug) > 80 || !slugRE.MatchString(in.Slug) {
		problems = append(problems, errs.Field("slug", "error.slug_invalid"))
	} else if ids.Like(in.Slug) {
		problems = append(problems, errs.Field("slug", "error.slug_like_id"))
	}
	for _, f := range []struct {
		name     string
		v        *string
		max      int
		required bool
	}{
		{"title", &in.Title, MaxTitle, true}, {"title_en", &in.TitleEN, MaxTitle, false},
		{"venue", &in.Venue, MaxTitle, true},
		{"description", &in.Description, MaxDescription, false}, {"description_en", &in.DescriptionEN, MaxDescription, false},
	} {
		v, err := text(f.name, *f.v, f.max, f.required)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		*f.v = v
	}
	switch {
	case in.StartsAt.IsZero():
		problems = append(problems, errs.Field("starts_at", "error.required"))
		if in.EndsAt.IsZero() {
			problems = append(problems, errs.Field("ends_at", "error.required"))
		}
	case in.EndsAt.IsZero():
		problems = append(problems, errs.Field("ends_at", "error.required"))
	case !in.EndsAt.After(in.StartsAt):
		problems = append(problems, errs.Field("ends_at", "error.ends_before_start"))
	}
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Millisecond), in.EndsAt.UTC().Truncate(time.Millisecond)
	return in, errors.Join(problems...)
}

// Create makes an event; a slug taken is errs.Conflict.
func (s *Service) Create(ctx context.Context, createdBy string, in Input) (Event, error) {
	in, err := in.check()
	if err != nil {
		return Event{}, err
	}
	now := s.now()
	e := Event{
		ID: ids.New(), Slug: in.Slug, Title: in.Title, TitleEN: in.TitleEN, Description: in.Description,
		DescriptionEN: in.DescriptionEN, Venue: in.Venue, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		Published: in.Published, CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateEvent(ctx, e); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			return Event{}, &errs.Error{Kind: errs.Conflict, MsgID: "error.slug_taken", Field: "slug"}
		}
		return Event{}, err
	}
	return e, nil
}

// Update changes an event.
func (s *Service) Update(ctx context.Context, id string, in Input) (Event, error) {
	in, err := in.check()
	if err != nil {
		return Event{}, err
	}
	e, err := s.store.EventByID(ctx, id)
	if err != nil {
		return Event{}, err
	}
	e.Slug, e.Title, e.TitleEN, e.Description, e.DescriptionEN = in.Slug, in.Title, in.TitleEN, in.Description, in.DescriptionEN
	e.Venue, e.StartsAt, e.EndsAt, e.Published, e.UpdatedAt = in.Venue, in.StartsAt, in.EndsAt, in.Published, s.now()
	if err := s.store.UpdateEvent(ctx, e); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			return Event{}, &errs.Error{Kind: errs.Conflict, MsgID: "error.slug_taken", Field: "slug"}
		}
		return Event{}, err
	}
	return e, nil
}

// Event finds an event; drafts are visible only when staff is true, and
// are errs.NotFound otherwise so their existence does not leak.
func (s *Service) Event(ctx context.Context, id string, staff bool) (Event, error) {
	e, err := s.store.EventByID(ctx, id)
	if err == nil && !e.Published && !staff {
		return Event{}, errs.ErrNotFound
	}
	return e, err
}

// EventByRef is Event by its id or its slug, which never look alike.
func (s *Service) EventByRef(ctx context.Context, ref string, staff bool) (Event, error) {
	if ids.Like(ref) {
		return s.Event(ctx, ref, staff)
	}
	return s.EventBySlug(ctx, ref, staff)
}

// EventBySlug is Event by its slug.
func (s *Service) EventBySlug(ctx context.Context, slug string, staff bool) (Event, error) {
	e, err := s.store.EventBySlug(ctx, slug)
	if err == nil && !e.Published && !staff {
		return Event{}, errs.ErrNotFound
	}
	return e, err
}

// Upcoming lists published events not over yet, soonest first.
func (s *Service) Upcoming(ctx context.Context, offset, limit int) ([]Event, int, error) {
	return s.store.ListEvents(ctx, Query{PublishedOnly: true, EndsAfter: s.now(), Offset: offset, Limit: limit})
}

// All lists every event for organizers.
func (s *Service) All(ctx context.Context, offset, limit int) ([]Event, int, error) {
	return s.store.ListEvents(ctx, Query{Offset: offset, Limit: limit})
}

// TypeInput is what an organizer gives for a ticket type.
type TypeInput struct {
	Name       string
	NameEN     string
	Capacity   int
	Waitlist   bool
	Invite     bool
	SalesStart time.Time
	SalesEnd   time.Time
}

// check collects every mistake at once, so the form can mark them all.
func (in TypeInput) check() (TypeInput, error) {
	var problems []error
	for _, f := range []struct {
		name     string
		v        *string
		required bool
	}{{"name", &in.Name, true}, {"name_en", &in.NameEN, false}} {
		v, err := text(f.name, *f.v, MaxTypeName, f.required)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		*f.v = v
	}
	if in.Capacity < 0 || in.Capacity > MaxCapacity {
		problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.capacity_invalid", Field: "capacity", Data: map[string]any{"Max": MaxCapacity}})
	}
	if !in.SalesStart.IsZero() && !in.SalesEnd.IsZero() && !in.SalesEnd.After(in.SalesStart) {
		problems = append(problems, errs.Field("sales_end", "error.ends_before_start"))
	}
	in.SalesStart, in.SalesEnd = in.SalesStart.UTC().Truncate(time.Millisecond), in.SalesEnd.UTC().Truncate(time.Millisecond)
	return in, errors.Join(problems...)
}

// AddTicketType adds a ticket type to an event.
func (s *Service) AddTicketType(ctx context.Context, eventID string, in TypeInput) (TicketType, error) {
	in, err := in.check()
	if err != nil {
		return TicketType{}, err
	}
	if _, err := s.store.EventByID(ctx, eventID); err != nil {
		return TicketType{}, err
	}
	t := TicketType{ID: ids.New(), EventID: eventID, Name: in.Name, NameEN: in.NameEN, Capacity: in.Capacity, Waitlist: in.Waitlist,
		Invite: in.Invite, SalesStart: in.SalesStart, SalesEnd: in.SalesEnd, CreatedAt: s.now()}
	return t, s.store.CreateTicketType(ctx, t)
}

// UpdateTicketType changes a type; capacity cannot drop below the seats sold.
func (s *Service) UpdateTicketType(ctx context.Context, eventID, id string, in TypeInput) (TicketType, error) {
	in, err := in.check()
	if err != nil {
		return TicketType{}, err
	}
	t, err := s.store.TicketType(ctx, id)
	if err != nil {
		return TicketType{}, err
	}
	if t.EventID != eventID {
		return TicketType{}, errs.ErrNotFound
	}
	t.Name, t.NameEN, t.Capacity, t.Waitlist, t.SalesStart, t.SalesEnd = in.Name, in.NameEN, in.Capacity, in.Waitlist, in.SalesStart, in.SalesEnd
	if err := s.store.UpdateTicketType(ctx, t); err != nil {
		return TicketType{}, err
	}
	return s.store.TicketType(ctx, id)
}

// TicketTypes lists an event's types.
func (s *Service) TicketTypes(ctx context.Context, eventID string) ([]TicketType, error) {
	return s.store.TicketTypes(ctx, eventID)
}

// OnOffer lists the types visitors may register for: all but invitations.
func (s *Service) OnOffer(ctx context.Context, eventID string) ([]TicketType, error) {
	all, err := s.store.TicketTypes(ctx, eventID)
	out := all[:0]
	for _, t := range all {
		if !t.Invite {
			out = append(out, t)
		}
	}
	return out, err
}

// TicketType finds one type.
func (s *Service) TicketType(ctx context.Context, id string) (TicketType, error) {
	return s.store.TicketType(ctx, id)
}

// AgendaInput is one session as an organizer gives it.
type AgendaInput struct {
	StartsAt, EndsAt               time.Time
	Room, Title, TitleEN, Speakers string
}

// check collects every mistake at once, so the form can mark them all.
func (in AgendaInput) check() (AgendaInput, error) {
	var problems []error
	for _, f := range []struct {
		name     string
		v        *string
		max      int
		required bool
	}{
		{"title", &in.Title, MaxTitle, true}, {"title_en", &in.TitleEN, MaxTitle, false},
		{"room", &in.Room, 120, false}, {"speakers", &in.Speakers, 500, false},
	} {
		v, err := text(f.name, *f.v, f.max, f.required)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		*f.v = v
	}
	if in.StartsAt.IsZero() {
		problems = append(problems, errs.Field("starts_at", "error.required"))
	}
	if in.EndsAt.IsZero() || !in.EndsAt.After(in.StartsAt) {
		problems = append(problems, errs.Field("ends_at", "error.ends_before_start"))
	}
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Millisecond), in.EndsAt.UTC().Truncate(time.Millisecond)
	return in, errors.Join(problems...)
}

func (in AgendaInput) item(eventID, id string) AgendaItem {
	return AgendaItem{ID: id, EventID: eventID, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Room: in.Room,
		Title: in.Title, TitleEN: in.TitleEN, Speakers: in.Speakers}
}

// AddSession adds a session to an event's agenda.
func (s *Service) AddSession(ctx context.Context, eventID string, in AgendaInput) (AgendaItem, error) {
	in, err := in.check()
	if err != nil {
		return AgendaItem{}, err
	}
	if _, err := s.store.EventByID(ctx, eventID); err != nil {
		return AgendaItem{}, err
	}
	a := in.item(eventID, ids.New())
	return a, s.store.CreateAgendaItem(ctx, a)
}

// UpdateSession changes a session of an event's agenda.
func (s *Service) UpdateSession(ctx context.Context, eventID, id string, in AgendaInput) (AgendaItem, error) {
	in, err := in.check()
	if err != nil {
		return AgendaItem{}, err
	}
	a := in.item(eventID, id)
	if err := s.store.UpdateAgendaItem(ctx, a); err != nil {
		return AgendaItem{}, err
	}
	return a, nil
}

// RemoveSession deletes a session.
func (s *Service) RemoveSession(ctx context.Context, eventID, id string) error {
	return s.store.DeleteAgendaItem(ctx, eventID, id)
}

// Agenda lists an event's sessions.
func (s *Service) Agenda(ctx context.Context, eventID string) ([]AgendaItem, error) {
	return s.store.Agenda(ctx, eventID)
}

// SetQuestions replaces the extra questions of the event's registration
// form, every mistake reported at once. Answers given before stay with
// their tickets; a question removed is no longer asked or shown.
func (s *Service) SetQuestions(ctx context.Context, eventID string, qs []Question) ([]Question, error) {
	qs, err := CheckQuestions(qs)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetEventQuestions(ctx, eventID, qs, s.now()); err != nil {
		return nil, err
	}
	return qs, nil
}
