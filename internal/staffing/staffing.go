// Package staffing holds who works an event's gates: the gates an
// organizer names and the staff assigned to the event.
package staffing

import (
	"context"
	"time"
)

// Limits of what organizers type for gates.
const (
	MaxGates    = 30
	MaxGateName = 80
)

// Assignment puts a user on an event's staff.
type Assignment struct {
	EventID    string
	UserID     string
	AssignedBy string
	AssignedAt time.Time
}

// Store keeps gates and assignments.
type Store interface {
	// SetGates replaces the names of an event's gates, kept in order.
	SetGates(ctx context.Context, eventID string, names []string) error
	// Gates lists an event's gate names in the order set, none when never
	// set.
	Gates(ctx context.Context, eventID string) ([]string, error)
	// AddStaff stores a; errs.Conflict when the user is on the event's
	// staff already.
	AddStaff(ctx context.Context, a Assignment) error
	// IsStaff tells whether a user is on an event's staff. The gate asks
	// it on every scan, so it is one read by the assignment's key.
	IsStaff(ctx context.Context, eventID, userID string) (bool, error)
	// RemoveStaff takes a user off an event's staff; errs.NotFound when
	// not on it.
	RemoveStaff(ctx context.Context, eventID, userID string) error
	// EventStaff lists an event's assignments, earliest first.
	EventStaff(ctx context.Context, eventID string) ([]Assignment, error)
	// UserAssignments lists the assignments of a user, latest first.
	UserAssignments(ctx context.Context, userID string) ([]Assignment, error)
}
