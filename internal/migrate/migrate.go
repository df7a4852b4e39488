// Package migrate copies the embedded store into an empty MongoDB database
// and proves the copy. The stores meet at a port of their own: the source
// hands every record of one snapshot to a Sink, the target writes what it is
// handed as its own methods would. Derived values (seats sold, waitlist
// numbers, check-in counters) are not copied but recomputed on the target
// by the integrity checks' repair, from the records they count.
//
// The copy is all or nothing: a target that already holds a record is
// refused before anything is written, and a copy that fails, or whose
// verification fails, is dropped again, leaving the target empty.
package migrate

import (
	"context"
	"sprout/internal/certification"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/files"
	"sprout/internal/incubator"
	"sprout/internal/integrity"
	"sprout/internal/keys"
	"sprout/internal/mail"
	"sprout/internal/staffing"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/workdays"
)

// Kind names one kind of record, by the embedded store's table.
type Kind string

const (
	Users           Kind = "users"
	Tokens          Kind = "tokens"
	KV              Kind = "kv"
	Outbox          Kind = "outbox"
	SigningKeys     Kind = "signing_keys"
	Files           Kind = "files"
	Events          Kind = "events"
	Agenda          Kind = "agenda_items"
	TicketTypes     Kind = "ticket_types"
	Tickets         Kind = "tickets"
	Waitlist        Kind = "waitlist"
	EventGates      Kind = "event_gates"
	EventStaff      Kind = "event_staff"
	Scans           Kind = "scans"
	Presence        Kind = "presence"
	Attendance      Kind = "attendance"
	Programs        Kind = "programs"
	Applications    Kind = "applications"
	Reviewers       Kind = "application_reviewers"
	Reviews         Kind = "reviews"
	ReviewReminders Kind = "review_reminders"
	Cohorts         Kind = "cohorts"
	Mentors         Kind = "startup_mentors"
	Milestones      Kind = "milestones"
	Reports         Kind = "startup_reports"
	Reminders       Kind = "report_reminders"
	Profiles        Kind = "startup_profiles"
	Sessions        Kind = "mentor_sessions"
	Booths          Kind = "booths"
	BoothChanges    Kind = "booth_changes"
	Exhibitors      Kind = "exhibitors"
	ExhibitorOwners Kind = "exhibitor_owners"
	BoothStaff      Kind = "exhibitor_staff"
	Leads           Kind = "leads"
	AuditLog        Kind = "audit_log"
	Certificates    Kind = "certificates"
	CertCounters    Kind = "certificate_counters"
	Holidays        Kind = "holidays"
	STDossiers      Kind = "st_dossiers"
)

// Kinds lists every kind copied, in the order the report lists them.
var Kinds = []Kind{
	Users, Tokens, KV, Outbox, SigningKeys, Files,
	Events, Agenda, TicketTypes, Tickets, Waitlist, EventGates, EventStaff, Scans, Presence, Attendance,
	Programs, Applications, Reviewers, Reviews, ReviewReminders, Cohorts, Mentors, Milestones, Reports, Reminders, Profiles, Sessions,
	Booths, BoothChanges, Exhibitors, ExhibitorOwners, BoothStaff, Leads,
	AuditLog,
	Certificates, CertCounters,
	Holidays,
	STDossiers,
}

// KVEntry is an entry of the shared key-value store: a value, or, when
// Value is nil, a counter at N.
type KVEntry struct {
	Key       string
	Value     []byte
	N         int64
	ExpiresAt time.Time
}

// WaitEntry is a waitlist entry with its number in line, which orders the
// type's queue.
type WaitEntry struct {
	tickets.WaitEntry
	Seq int64
}

// Gates are an event's gate names, in the organizer's order.
type Gates struct {
	EventID string
	Names   []string
}

// Assignment gives an application a reviewer or a mentor.
type Assignment struct {
	ApplicationID string
	UserID        string
	AssignedAt    time.Time
}

// Review is a review with the programme of its application.
type Review struct {
	incubator.Review
	ProgramID string
}

// Reminder records that a startup was reminded of a month's report.
type Reminder struct {
	ApplicationID string
	Month         string
}

// ReviewReminder records that a reviewer was reminded of a programme's
// review deadline.
type ReviewReminder struct {
	ProgramID  string
	ReviewerID string
}

// ExhibitorOwner is an account's one application to exhibit at an event.
type ExhibitorOwner struct {
	EventID     string
	OwnerID     string
	ExhibitorID string
	ClaimedAt   time.Time
}

// CertCounter is the last number a year's certificate codes were given.
type CertCounter struct {
	Year int
	N    int64
}

// Sink takes the records of a store, one call each. The source calls it in
// the order of Kinds, booth staff by exhibitor and then as they were added.
type Sink interface {
	User(context.Context, accounts.User) error
	Token(context.Context, accounts.Token) error
	KV(context.Context, KVEntry) error
	Mail(context.Context, mail.Message) error
	Key(context.Context, keys.Key) error
	File(context.Context, files.File) error
	Event(context.Context, events.Event) error
	AgendaItem(context.Context, events.AgendaItem) error
	// TicketType's Sold is derived: the target recomputes it.
	TicketType(context.Context, events.TicketType) error
	Ticket(context.Context, tickets.Ticket) error
	WaitEntry(context.Context, WaitEntry) error
	Gates(context.Context, Gates) error
	Staff(context.Context, staffing.Assignment) error
	Scan(context.Context, checkin.Scan) error
	Presence(context.Context, integrity.Presence) error
	Attendance(context.Context, training.Attendance) error
	Program(context.Context, incubator.Program) error
	Application(context.Context, incubator.Application) error
	Reviewer(context.Context, Assignment) error
	Review(context.Context, Review) error
	ReviewReminder(context.Context, ReviewReminder) error
	Cohort(context.Context, incubator.Cohort) error
	Mentor(context.Context, Assignment) error
	Milestone(context.Context, incubator.Milestone) error
	Report(context.Context, incubator.Report) error
	Reminder(context.Context, Reminder) error
	Profile(context.Context, incubator.Profile) error
	Session(context.Context, incubator.Session) error
	Booth(context.Context, expo.Booth) error
	BoothChange(context.Context, expo.Change) error
	Exhibitor(context.Context, expo.Exhibitor) error
	ExhibitorOwner(context.Context, ExhibitorOwner) error
	BoothStaff(context.Context, expo.Staff) error
	Lead(context.Context, expo.Lead) error
	AuditEntry(context.Context, audit.Entry) error
	Certificate(context.Context, certs.Certificate) error
	CertCounter(context.Context, CertCounter) error
	Holiday(context.Context, workdays.Holiday) error
	Dossier(context.Context, certification.Dossier) error
}

// Source is the store copied from.
type Source interface {
	// Export hands every record to sink, read from one consistent snapshot.
	// Sessions, tokens and counters that expired by now are left out.
	Export(ctx context.Context, now time.Time, sink Sink) error
	integrity.Store
	keys.Store
}

// Importer writes records into the target; Flush writes what it still holds.
type Importer interface {
	Sink
	Flush(ctx context.Context) error
}

// Target is the store copied into.
type Target interface {
	Importer() Importer
	// Counts counts the records of each kind the target holds.
	Counts(ctx context.Context) (map[Kind]int, error)
	// Drop removes everything the target holds.
	Drop(ctx context.Context) error
	TicketByID(ctx context.Context, id string) (tickets.Ticket, error)
	File(ctx context.Context, id string) (files.File, error)
	integrity.Store
	keys.Store
	Close() error
}

// Destination is where a Target is opened.
type Destination interface {
	// Occupied names what already holds data there, only reading.
	Occupied(ctx context.Context) ([]string, error)
	Open(ctx context.Context) (Target, error)
	// String names the destination without its credentials.
	String() string
}
