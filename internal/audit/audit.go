// Package audit keeps the log of who changed what and when: every change
// organizers and admins make (roles, events, ticket types, cancellations,
// decisions, booths, exhibitors, annulled scans), one entry each, kept for
// good and read newest first.
package audit

import (
	"context"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// Entry is one change, as it was made: the actor's name, email and roles
// are those of the moment, so the log still reads right after they change.
type Entry struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	ActorEmail string    `json:"actor_email"`
	ActorRoles []string  `json:"actor_roles"`
	// Action names what was done, "<area>.<verb>", such as
	// "ticket_type.update".
	Action string `json:"action"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// TargetKind and TargetID name what was changed, when known: "event",
	// "user", "ticket", ...
	TargetKind string `json:"target_kind"`
	TargetID   string `json:"target_id"`
	// EventID is the event the change belongs to, when it belongs to one.
	EventID string `json:"event_id"`
	// Detail holds what the request asked for that the action alone does
	// not tell, such as the role granted: "role=staff, action=grant".
	Detail string `json:"detail"`
	// Status is the HTTP status the change was answered with.
	Status int    `json:"status"`
	IP     string `json:"ip"`
}

// Query filters and pages the log; zero fields do not filter.
type Query struct {
	ActorID string
	// Action is one action ("booth.assign") or one area ("booth"), which
	// takes in all of its actions.
	Action  string
	EventID string
	// From is the first instant kept, To the first left out.
	From, To time.Time
	Offset   int
	Limit    int
}

// MaxLimit is the most entries one read returns.
const MaxLimit = 500

// Store keeps the log.
type Store interface {
	// AppendAudit adds e to the log.
	AppendAudit(ctx context.Context, e Entry) error
	// Audit lists the entries q matches, newest first (by At, then ID),
	// with how many match in all.
	Audit(ctx context.Context, q Query) ([]Entry, int, error)
}

// Service writes and reads the log.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService builds the service on store.
func NewService(store Store, clk clock.Clock) *Service {
	return &Service{store: store, clock: clk}
}

// Record adds e to the log, stamped now with a new id.
func (s *Service) Record(ctx context.Context, e Entry) error {
	if e.ActorID == "" || e.Action == "" {
		return errs.Wrapf(errs.Invalid, "audit: an entry needs an actor and an action, got %q by %q", e.Action, e.ActorID)
	}
	e.ID, e.At = ids.New(), s.clock.Now()
	return s.store.AppendAudit(ctx, e)
}

// List reads one page of the entries q matches, newest first, with how many
// match in all.
func (s *Service) List(ctx context.Context, q Query) ([]Entry, int, error) {
	if q.Limit <= 0 || q.Limit > MaxLimit {
		q.Limit = MaxLimit
	}
	q.Offset = max(q.Offset, 0)
	return s.store.Audit(ctx, q)
}

// Each calls fn with every entry q matches, newest first, ignoring q's
// paging. The pages end at the time it starts, so entries added meanwhile
// do not shift them.
func (s *Service) Each(ctx context.Context, q Query, fn func(Entry) error) error {
	if now := s.clock.Now(); q.To.IsZero() || q.To.After(now) {
		q.To = now
	}
	q.Offset, q.Limit = 0, MaxLimit
	for {
		page, _, err := s.store.Audit(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < q.Limit {
			return nil
		}
		q.Offset += len(page)
	}
}
