// Package events holds events, their agenda and their ticket types.
package events

import (
	"context"
	"encoding/json"
	"time"
)

// Event is a Techfest, an exhibition, a workshop: anything visitors
// register for. Texts are in Vietnamese, with optional English versions.
type Event struct {
	ID            string    `json:"id"`
	Slug          string    `json:"slug"`
	Title         string    `json:"title"`
	TitleEN       string    `json:"title_en,omitempty"`
	Description   string    `json:"description,omitempty"`
	DescriptionEN string    `json:"description_en,omitempty"`
	Venue         string    `json:"venue"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
	Published     bool      `json:"published"`
	CreatedBy     string    `json:"created_by,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// BannerID names the event's banner image in the file store; empty
	// when it has none.
	BannerID string `json:"banner_id,omitempty"`
	// Questions are the registration form's extra questions.
	Questions []Question `json:"questions,omitempty"`
	// Course makes the event a training with a completion rule.
	Course Course `json:"course"`
}

// TitleIn is the title in lang, falling back to Vietnamese.
func (e Event) TitleIn(lang string) string {
	if lang == "en" && e.TitleEN != "" {
		return e.TitleEN
	}
	return e.Title
}

// DescriptionIn is the description in lang, falling back to Vietnamese.
func (e Event) DescriptionIn(lang string) string {
	if lang == "en" && e.DescriptionEN != "" {
		return e.DescriptionEN
	}
	return e.Description
}

// AgendaItem is one session of an event's programme, its title with an
// optional English version.
type AgendaItem struct {
	ID       string    `json:"id"`
	EventID  string    `json:"event_id"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Room     string    `json:"room"`
	Title    string    `json:"title"`
	TitleEN  string    `json:"title_en,omitempty"`
	Speakers string    `json:"speakers"`
}

// TitleIn is the session's title in lang, falling back to Vietnamese.
func (a AgendaItem) TitleIn(lang string) string {
	if lang == "en" && a.TitleEN != "" {
		return a.TitleEN
	}
	return a.Title
}

// TicketType is a kind of ticket with its own capacity and sales window,
// its name with an optional English version.
type TicketType struct {
	ID       string `json:"id"`
	EventID  string `json:"event_id"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en,omitempty"`
	Capacity int    `json:"capacity"`
	// Sold counts the seats taken: active tickets, kept by the store in the
	// same atomic step that takes or frees a seat.
	Sold     int  `json:"sold"`
	Waitlist bool `json:"waitlist"`
	// Invite types are given out by the organizers, such as exhibitor
	// staff badges, and never offered on the public form.
	Invite bool `json:"invite,omitempty"`
	// Waiting is how many people wait for a seat; filled on reads.
	Waiting    int       `json:"waitlisted"`
	SalesStart time.Time `json:"sales_start,omitzero"`
	SalesEnd   time.Time `json:"sales_end,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// NameIn is the type's name in lang, falling back to Vietnamese.
func (t TicketType) NameIn(lang string) string {
	if lang == "en" && t.NameEN != "" {
		return t.NameEN
	}
	return t.Name
}

// Remaining is how many seats are left.
func (t TicketType) Remaining() int { return max(t.Capacity-t.Sold, 0) }

// OnSale tells whether at is inside the sales window.
func (t TicketType) OnSale(at time.Time) bool {
	return (t.SalesStart.IsZero() || !at.Before(t.SalesStart)) && (t.SalesEnd.IsZero() || at.Before(t.SalesEnd))
}

// Query selects events for lists.
type Query struct {
	// PublishedOnly hides drafts; EndsAfter hides events over by then.
	PublishedOnly bool
	EndsAfter     time.Time
	Offset, Limit int
}

// Store is what events need from storage. A slug taken is errs.Conflict.
type Store interface {
	CreateEvent(ctx context.Context, e Event) error
	UpdateEvent(ctx context.Context, e Event) error
	EventByID(ctx context.Context, id string) (Event, error)
	EventBySlug(ctx context.Context, slug string) (Event, error)
	// SetEventBanner points an event at another banner ("" for none) and
	// returns the one it had, in one step, so that of two uploads at once
	// neither loses track of a file. UpdateEvent leaves the banner alone.
	SetEventBanner(ctx context.Context, id, bannerID string, at time.Time) (previous string, err error)
	// SetEventQuestions replaces the event's registration questions;
	// UpdateEvent leaves them alone.
	SetEventQuestions(ctx context.Context, id string, qs []Question, at time.Time) error
	// SetEventCourse replaces the event's course setting; UpdateEvent
	// leaves it alone.
	SetEventCourse(ctx context.Context, id string, c Course, at time.Time) error
	// ListEvents returns events by start time, soonest first, and the total.
	ListEvents(ctx context.Context, q Query) ([]Event, int, error)

	CreateAgendaItem(ctx context.Context, a AgendaItem) error
	// UpdateAgendaItem replaces the times and texts of a's session; one of
	// another event is errs.NotFound.
	UpdateAgendaItem(ctx context.Context, a AgendaItem) error
	DeleteAgendaItem(ctx context.Context, eventID, id string) error
	// Agenda lists an event's sessions by start time, then room.
	Agenda(ctx context.Context, eventID string) ([]AgendaItem, error)

	CreateTicketType(ctx context.Context, t TicketType) error
	// UpdateTicketType changes names, capacity, waitlist and sales window; a
	// capacity below the seats already sold is errs.Conflict.
	UpdateTicketType(ctx context.Context, t TicketType) error
	TicketType(ctx context.Context, id string) (TicketType, error)
	// TicketTypes lists an event's types in creation order, with Waiting.
	TicketTypes(ctx context.Context, eventID string) ([]TicketType, error)
}

// MarshalJSON adds the seats remaining, which the API shows with the type.
func (t TicketType) MarshalJSON() ([]byte, error) {
	type plain TicketType
	return json.Marshal(struct {
		plain
		Remaining int `json:"remaining"`
	}{plain(t), t.Remaining()})
}
