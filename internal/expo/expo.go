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
	ID           string `json:"id"`
	EventID      string `json:"event_id"`
	OwnerID      string `json:"owner_id"`
	Company      string `json:"company"`
	ContactEmail string `json:"contact_email"`
	Description  string `json:"description"`
	Sector       string `json:"sector,omitempty"`
	ContactName  string `json:"contact_name,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Website      string `json:"website,omitempty"`
	// Products is what the exhibitor shows, one per line.
	Products string   `json:"products,omitempty"`
	Links    []string `json:"links,omitempty"`
	// LogoID names the logo in the file store.
	LogoID        string `json:"logo_id,omitempty"`
	PreferredZone string `json:"preferred_zone,omitempty"`
	PreferredSize string `json:"preferred_size,omitempty"`
	// CohortID marks a startup of an incubator cohort; Priority is the
	// organizer's choice to serve it first.
	CohortID  string          `json:"cohort_id,omitempty"`
	Priority  bool            `json:"priority,omitempty"`
	Status    ExhibitorStatus `json:"status"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at,omitzero"`
	// History is what happened to the application after it was filed,
	// oldest first.
	History []Step `json:"history,omitempty"`
	// Approved is the profile as organizers last approved it, so they can
	// see what an approved exhibitor changed since.
	Approved *Snapshot `json:"approved_profile,omitempty"`
}

// Staff is a person working an exhibitor's booth, with the exhibitor ticket
// they were given. The place acts for the exhibitor only once an account
// has accepted its invitation: accounts never prove their email, so the
// email alone grants nothing.
type Staff struct {
	ID          string `json:"id"`
	ExhibitorID string `json:"exhibitor_id"`
	EventID     string `json:"event_id"`
	Name        string `json:"name"`
	Email       string `json:"email"`
	Phone       string `json:"phone,omitempty"`
	TicketID    string `json:"ticket_id,omitempty"`
	// UserID is the account that accepted the invitation.
	UserID string `json:"user_id,omitempty"`
	// Secret is the invitation: whoever holds the link may claim the place.
	Secret    string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Change is one step in a booth's history.
type Change struct {
	ID          string    `json:"id"`
	EventID     string    `json:"event_id"`
	BoothID     string    `json:"booth_id"`
	BoothCode   string    `json:"booth_code"`
	Action      string    `json:"action"`
	ExhibitorID string    `json:"exhibitor_id,omitempty"`
	Company     string    `json:"company,omitempty"`
	ByID        string    `json:"by_id"`
	ByName      string    `json:"by_name"`
	At          time.Time `json:"at"`
}

// What a booth's history records.
const (
	ActionCreated  = "created"
	ActionEdited   = "edited"
	ActionHeld     = "held"
	ActionAssigned = "assigned"
	ActionMoved    = "moved"
	ActionReleased = "released"
	ActionBlocked  = "blocked"
)

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
	// CreateBooths stores a batch of booths of one event, all or none: a
	// code taken in the event or twice in the batch is errs.Conflict
	// "error.booth_code_taken", a rectangle overlapping a booth of its hall,
	// stored or in the batch, errs.Conflict "error.booth_overlap" (see
	// BatchRefusal). An empty batch stores nothing. No reader ever sees
	// part of a batch, even when the process storing it dies.
	CreateBooths(ctx context.Context, list []Booth) error
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
	// ReleaseBooth makes a booth available again when it still has status
	// and exhibitorID ("" for any), otherwise errs.Conflict; so a release
	// decided on what someone saw cannot undo a change made meanwhile.
	ReleaseBooth(ctx context.Context, boothID string, status BoothStatus, exhibitorID string) (Booth, error)
	// UpdateBooth changes a booth's code, hall, zone, rectangle, size class
	// and price, keeping its status; a code taken or a rectangle
	// overlapping another booth of the hall is errs.Conflict.
	UpdateBooth(ctx context.Context, b Booth) (Booth, error)
	// BlockBooth takes an available booth (or one whose hold ran out at
	// now) off the market; otherwise errs.Conflict.
	BlockBooth(ctx context.Context, boothID string, now time.Time) (Booth, error)
	// MoveExhibitor gives the exhibitor of booth fromID booth toID instead,
	// on AssignBooth's terms, and frees fromID; freed says whether fromID
	// was still the exhibitor's to free. A source no longer assigned to the
	// exhibitor is errs.Stale, a target not free errs.Conflict, and either
	// changes nothing. The exhibitor never ends up at both booths or at
	// neither, even when the process moving it dies.
	MoveExhibitor(ctx context.Context, fromID, toID, exhibitorID string, now time.Time) (to Booth, freed bool, err error)
	AddChange(ctx context.Context, c Change) error
	// Changes lists an event's booth history, newest first, at most limit.
	Changes(ctx context.Context, eventID string, limit int) ([]Change, error)

	CreateExhibitor(ctx context.Context, x Exhibitor) error
	Exhibitor(ctx context.Context, id string) (Exhibitor, error)
	// ReviewExhibitor sets an application's status to r.To, appends r.Step
	// to its history and, when r.Approved is not nil, keeps it as the
	// profile approved, all in one atomic step. With r.From given, an
	// application no longer in that status is errs.Stale and is left as it is.
	ReviewExhibitor(ctx context.Context, id string, r Review) (Exhibitor, error)
	// Exhibitors lists an event's exhibitors, oldest first.
	Exhibitors(ctx context.Context, eventID string) ([]Exhibitor, error)
	// UpdateExhibitor replaces every field but ID, EventID, OwnerID, Status,
	// CreatedAt, History and Approved; a step, when not nil, is appended to
	// the history in the same atomic write.
	UpdateExhibitor(ctx context.Context, x Exhibitor, step *Step) error
	// ExhibitorsOwnedBy lists the exhibitors a user applied for, newest first.
	ExhibitorsOwnedBy(ctx context.Context, ownerID string) ([]Exhibitor, error)

	// AddBoothStaff stores st unless the exhibitor has allowance staff already
	// (errs.Conflict "error.staff_allowance") or one with that email
	// (errs.Conflict "error.staff_taken"), in one atomic step. st.TicketID
	// names the badge about to be issued; the place is being added until
	// SetBoothStaffTicket names the badge it got.
	AddBoothStaff(ctx context.Context, st Staff, allowance int) error
	// SetBoothStaffTicket names the badge a place got, "" for none, and ends
	// its adding.
	SetBoothStaffTicket(ctx context.Context, staffID, ticketID string) error
	RemoveBoothStaff(ctx context.Context, staffID string) (Staff, error)
	// BoothStaff lists an exhibitor's staff, oldest first.
	BoothStaff(ctx context.Context, exhibitorID string) ([]Staff, error)
	// ClaimBoothStaff gives the place whose invitation is secret to a user,
	// in one atomic step: again to the same user is fine, a place another
	// user claimed is errs.Conflict "error.staff_claimed", an unknown secret
	// errs.ErrNotFound.
	ClaimBoothStaff(ctx context.Context, secret, userID string) (Staff, error)
	// BoothStaffBySecret finds the place an invitation names; an empty
	// secret names none.
	BoothStaffBySecret(ctx context.Context, secret string) (Staff, error)
	// BoothStaffByUser lists the places a user claimed, newest first.
	BoothStaffByUser(ctx context.Context, userID string) ([]Staff, error)

	// AddLead stores l unless the exhibitor has a lead for that ticket
	// already; either way it returns the stored lead and whether it is new.
	AddLead(ctx context.Context, l Lead) (Lead, bool, error)
	// Leads lists an exhibitor's leads, newest first.
	Leads(ctx context.Context, exhibitorID string) ([]Lead, error)
	// UpdateLead sets the note and rating of an exhibitor's lead; a lead of
	// another exhibitor is errs.ErrNotFound.
	UpdateLead(ctx context.Context, exhibitorID, leadID, note, rating string) (Lead, error)
	// LeadCounts counts an event's leads by exhibitor.
	LeadCounts(ctx context.Context, eventID string) (map[string]int, error)

	// UnsettledRejections lists the rejected exhibitors that still have a
	// booth (assigned, or held past now) or staff: rejections a process
	// died in, which Service.Recover finishes.
	UnsettledRejections(ctx context.Context, now time.Time) ([]Exhibitor, error)
	// RecoverExpo settles what a process that died before olderThan left
	// half done: a batch of booths never shown is deleted, a move is
	// finished or undone, and a staff place whose badge was never issued
	// is deleted. It returns how many it settled; running it again changes
	// nothing.
	RecoverExpo(ctx context.Context, olderThan time.Time) (int, error)
}
