// Package checkin holds entry at the gates: scans, who is inside, and the
// counts organizers watch.
package checkin

import (
	"context"
	"time"

	"sprout/internal/keyset"
)

// Result is a scan's answer, as the gate shows it.
type Result string

const (
	OK          Result = "ok"
	AlreadyIn   Result = "already_checked_in"
	Invalid     Result = "invalid"
	Revoked     Result = "revoked"
	WrongEvent  Result = "wrong_event"
	NotYetValid Result = "not_yet_valid"
	Expired     Result = "expired"
)

// Direction is whether a scan lets someone in or out.
type Direction string

const (
	In  Direction = "in"
	Out Direction = "out"
)

// Scan is one reading of a ticket at a gate, kept in the scan log.
type Scan struct {
	ID        string    `json:"id"`
	EventID   string    `json:"event_id"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Gate      string    `json:"gate"`
	Direction Direction `json:"direction"`
	// Nonce makes a scan sent twice (a gate retrying, an offline queue
	// flushed again) count once.
	Nonce string `json:"nonce,omitempty"`
	// ScannedAt is when the gate read the ticket; RecordedAt when the server
	// heard of it. They differ for scans queued while offline.
	ScannedAt  time.Time `json:"scanned_at"`
	RecordedAt time.Time `json:"recorded_at"`
	StaffID    string    `json:"staff_id,omitempty"`
	Offline    bool      `json:"offline"`
	Result     Result    `json:"result"`
	// Accepted tells whether the scan changed who is inside.
	Accepted bool `json:"accepted"`
	// Conflict marks an entry an offline gate let through for a ticket the
	// server already had inside: two gates admitted one ticket.
	Conflict   bool      `json:"conflict"`
	AnnulledAt time.Time `json:"annulled_at,omitzero"`
	AnnulledBy string    `json:"annulled_by,omitempty"`
	FirstInAt  time.Time `json:"first_checked_in_at,omitzero"`
}

// Stats are an event's live counts kept by the store.
type Stats struct {
	CheckedIn int            `json:"checked_in"`
	Inside    int            `json:"inside"`
	ByGate    map[string]int `json:"by_gate"`
}

// Arrival is the number of entries in one five-minute slot.
type Arrival struct {
	At      time.Time `json:"at"`
	Entries int       `json:"entries"`
}

// LogQuery selects scans for the organizer's log.
// Cursor is the scan's place in the log, newest first.
func (s Scan) Cursor() keyset.Cursor { return keyset.Cursor{At: s.RecordedAt, ID: s.ID} }

// LogQuery selects scans of the log.
type LogQuery struct {
	EventID       string
	Gate          string
	TicketID      string
	ConflictsOnly bool
	Offset, Limit int
}

// Abandoned is how long a scan or an annulment may stay half done before
// it is taken as left by a process that died: recording one takes
// milliseconds, and its steps give up after ten seconds.
const Abandoned = time.Minute

// Store keeps scans and presence. Every decision is one atomic step.
type Store interface {
	// RecordScan stores s. When s.Result is empty the store decides it, in
	// the same step as changing presence: an entry is OK only for a ticket
	// not inside (exactly one OK however many gates scan at once), else
	// AlreadyIn with the first entry's time; an exit is OK and lets the
	// ticket in again later. A nonce already recorded for the event returns
	// that first scan unchanged and records nothing.
	RecordScan(ctx context.Context, s Scan) (Scan, error)
	// AnnulScan cancels the accepted entry s of a ticket when it is the
	// ticket's latest accepted scan: the ticket is out again, and counts as
	// checked in only if another entry stands. Otherwise errs.Conflict.
	AnnulScan(ctx context.Context, eventID, scanID, by string, at time.Time) (Scan, error)
	Stats(ctx context.Context, eventID string) (Stats, error)
	// Arrivals lists entries per five minutes, oldest first.
	Arrivals(ctx context.Context, eventID string) ([]Arrival, error)
	// ScanLog returns one page of scans, newest first, and the total.
	ScanLog(ctx context.Context, q LogQuery) ([]Scan, int, error)
	// ScansAfter returns up to q.Limit logged scans q matches that come
	// after the cursor in the log's order (q.Offset is not used): keyset
	// paging for reading a whole log.
	ScansAfter(ctx context.Context, q LogQuery, after keyset.Cursor) ([]Scan, error)
	// Presence tells when a ticket first entered (zero if never) and
	// whether it is inside now.
	Presence(ctx context.Context, ticketID string) (firstIn time.Time, inside bool, err error)
	// RecoverScans settles what a process that died inside RecordScan or
	// AnnulScan left before olderThan, in a store that writes them in
	// steps: a scan whose decision was made gets its result, one whose
	// decision was not is removed (its nonce is free again), and an
	// annulment is finished or undone as far as presence went. It returns
	// how many it settled.
	RecoverScans(ctx context.Context, olderThan time.Time) (int, error)
}
