// Package expo holds an event's exhibition: the floor plan's booths, the
// exhibitors, and the leads their staff collect by scanning visitors.
package expo

import (
	"context"
	"time"
)

// BoothStatus is where a booth stands.
type BoothStatus string

const (
	Available BoothStatus = "available"
	Held      BoothStatus = "held"
	Assigned  BoothStatus = "assigned"
	Blocked   BoothStatus = "blocked"
)

// Booth is a rectangle of the floor plan, in grid units.
type Booth struct {
	ID          string      `json:"id"`
	EventID     string      `json:"event_id"`
	Code        string      `json:"code"`
	Hall        string      `json:"hall,omitempty"`
	Zone        string      `json:"zone"`
	X           int         `json:"x"`
	Y           int         `json:"y"`
	W           int         `json:"w"`
	H           int         `json:"h"`
	SizeClass   string      `json:"size_class,omitempty"`
	Price       int64       `json:"price,omitempty"`
	Status      BoothStatus `json:"status"`
	ExhibitorID string      `json:"exhibitor_id,omitempty"`
	// HeldUntil is when a hold ends; after it the booth is available again.
	HeldUntil time.Time `json:"held_until,omitzero"`
	CreatedAt time.Time `json:"created_at"`
}

// Overlaps tells whether two booths of one hall share floor.
func (b Booth) Overlaps(o Booth) bool {
	return b.Hall == o.Hall && b.X < o.X+o.W && o.X < b.X+b.W && b.Y < o.Y+o.H && o.Y < b.Y+b.H
}

// ExhibitorStatus is where an application to exhibit stands.
type ExhibitorStatus string

const (
	Pending  ExhibitorStatus = "pending"
	Approved ExhibitorStatus = "approved"
	Rejected ExhibitorStatus = "rejected"
)

// Exhibitor is a company or startup exhibiting at an event.
type Exhibitor struct {
	ID           string          `json:"id"`
	EventID      string          `json:"event_id"`
	OwnerID      string          `json:"owner_id"`
	Company      string          `json:"company"`
	ContactEmail string          `json:"contact_email"`
	Description  string          `json:"description"`
	Sector       string          `json:"sector,omitempty"`
	Status       ExhibitorStatus `json:"status"`
	CreatedAt    time.Time       `json:"created_at"`
}

// Lead is a visitor an exhibitor's staff scanned. Email and phone are kept
// only when the visitor agreed to share them.
type Lead struct {
	ID          string    `json:"id"`
	ExhibitorID string    `json:"exhibitor_id"`
	EventID     string    `json:"event_id"`
	TicketID    string    `json:"ticket_id"`
	Name        string    `json:"name"`
	Email       string    `json:"email,omitempty"`
	Phone       string    `json:"phone,omitempty"`
	Note        string    `json:"note"`
	Rating      string    `json:"rating,omitempty"`
	ScannedBy   string    `json:"scanned_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Store keeps the exhibition. Taking a booth is one atomic step.
type Store interface {
	// CreateBooth stores b; a code taken in the event is errs.Conflict, and
	// so is a rectangle overlapping another booth of its hall.
	CreateBooth(ctx context.Context, b Booth) error
	Booth(ctx context.Context, id string) (Booth, error)
	// Booths lists an event's booths by code.
	Booths(ctx context.Context, eventID string) ([]Booth, error)
	// HoldBooth holds an available booth (or one whose hold ran out at now)
	// for an exhibitor until a time; otherwise errs.Conflict.
	HoldBooth(ctx context.Context, boothID, exhibitorID string, now, until time.Time) (Booth, error)
	// AssignBooth gives the booth to the exhibitor when it is available,
	// held by that exhibitor, or held by someone whose hold ran out at now;
	// otherwise errs.Conflict. However many assign at once, one wins.
	AssignBooth(ctx context.Context, boothID, exhibitorID string, now time.Time) (Booth, error)
	// ReleaseBooth makes a booth available again.
	ReleaseBooth(ctx context.Context, boothID string) (Booth, error)

	CreateExhibitor(ctx context.Context, x Exhibitor) error
	Exhibitor(ctx context.Context, id string) (Exhibitor, error)
	SetExhibitorStatus(ctx context.Context, id string, st ExhibitorStatus) (Exhibitor, error)
	// Exhibitors lists an event's exhibitors, oldest first.
	Exhibitors(ctx context.Context, eventID string) ([]Exhibitor, error)

	// AddLead stores l unless the exhibitor has a lead for that ticket
	// already; either way it returns the stored lead and whether it is new.
	AddLead(ctx context.Context, l Lead) (Lead, bool, error)
	// Leads lists an exhibitor's leads, newest first.
	Leads(ctx context.Context, exhibitorID string) ([]Lead, error)
}
