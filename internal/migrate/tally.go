package migrate

import (
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"sprout/internal/certification"

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

// sampleSize is how many tickets have their token signed again on both
// stores: each ticket is one read of the target, which a large store
// cannot afford for all of them.
const sampleSize = 64

// fileSum is what verification compares of a file.
type fileSum struct {
	name, contentType string
	size              int64
	sha256            [sha256.Size]byte
}

// tally passes each record on to next (nothing when nil: a dry run) and
// keeps what verification compares: the count of each kind, a sample of
// the tickets, each file's hash and the signing keys.
type tally struct {
	next   Sink
	counts map[Kind]int
	bytes  int64
	// sample holds up to sampleSize tickets chosen evenly among all
	// (reservoir sampling), seen how many were offered; legacy those that
	// still hold the token they were issued with, which is copied rather
	// than signed again.
	sample []tickets.Ticket
	seen   int
	legacy []tickets.Ticket
	rng    *rand.Rand
	files  map[string]fileSum
	keys   []keys.Key
}

func newTally(next Sink) *tally {
	// A fixed seed: a run samples the same tickets as the one before it.
	return &tally{next: next, counts: map[Kind]int{}, files: map[string]fileSum{}, rng: rand.New(rand.NewPCG(1, 2))}
}

func (t *tally) pass(k Kind, put func(Sink) error) error {
	t.counts[k]++
	if t.next == nil {
		return nil
	}
	return put(t.next)
}

func (t *tally) User(ctx context.Context, u accounts.User) error {
	return t.pass(Users, func(s Sink) error { return s.User(ctx, u) })
}

func (t *tally) Token(ctx context.Context, tk accounts.Token) error {
	return t.pass(Tokens, func(s Sink) error { return s.Token(ctx, tk) })
}

func (t *tally) KV(ctx context.Context, e KVEntry) error {
	return t.pass(KV, func(s Sink) error { return s.KV(ctx, e) })
}

func (t *tally) Mail(ctx context.Context, m mail.Message) error {
	return t.pass(Outbox, func(s Sink) error { return s.Mail(ctx, m) })
}

func (t *tally) Key(ctx context.Context, k keys.Key) error {
	t.keys = append(t.keys, k)
	return t.pass(SigningKeys, func(s Sink) error { return s.Key(ctx, k) })
}

func (t *tally) File(ctx context.Context, f files.File) error {
	t.files[f.ID] = fileSum{name: f.Name, contentType: f.ContentType, size: int64(len(f.Data)), sha256: sha256.Sum256(f.Data)}
	t.bytes += int64(len(f.Data))
	return t.pass(Files, func(s Sink) error { return s.File(ctx, f) })
}

func (t *tally) Event(ctx context.Context, e events.Event) error {
	return t.pass(Events, func(s Sink) error { return s.Event(ctx, e) })
}

func (t *tally) AgendaItem(ctx context.Context, a events.AgendaItem) error {
	return t.pass(Agenda, func(s Sink) error { return s.AgendaItem(ctx, a) })
}

func (t *tally) TicketType(ctx context.Context, tt events.TicketType) error {
	return t.pass(TicketTypes, func(s Sink) error { return s.TicketType(ctx, tt) })
}

func (t *tally) Ticket(ctx context.Context, tk tickets.Ticket) error {
	t.seen++
	switch {
	case len(t.sample) < sampleSize:
		t.sample = append(t.sample, tk)
	default:
		if i := t.rng.IntN(t.seen); i < sampleSize {
			t.sample[i] = tk
		}
	}
	if tk.Token != "" && len(t.legacy) < sampleSize {
		t.legacy = append(t.legacy, tk)
	}
	return t.pass(Tickets, func(s Sink) error { return s.Ticket(ctx, tk) })
}

func (t *tally) WaitEntry(ctx context.Context, w WaitEntry) error {
	return t.pass(Waitlist, func(s Sink) error { return s.WaitEntry(ctx, w) })
}

func (t *tally) Gates(ctx context.Context, g Gates) error {
	return t.pass(EventGates, func(s Sink) error { return s.Gates(ctx, g) })
}

func (t *tally) Staff(ctx context.Context, a staffing.Assignment) error {
	return t.pass(EventStaff, func(s Sink) error { return s.Staff(ctx, a) })
}

func (t *tally) Scan(ctx context.Context, sc checkin.Scan) error {
	return t.pass(Scans, func(s Sink) error { return s.Scan(ctx, sc) })
}

func (t *tally) Attendance(ctx context.Context, a training.Attendance) error {
	return t.pass(Attendance, func(s Sink) error { return s.Attendance(ctx, a) })
}

func (t *tally) Presence(ctx context.Context, p integrity.Presence) error {
	return t.pass(Presence, func(s Sink) error { return s.Presence(ctx, p) })
}

func (t *tally) Program(ctx context.Context, p incubator.Program) error {
	return t.pass(Programs, func(s Sink) error { return s.Program(ctx, p) })
}

func (t *tally) Application(ctx context.Context, a incubator.Application) error {
	return t.pass(Applications, func(s Sink) error { return s.Application(ctx, a) })
}

func (t *tally) Reviewer(ctx context.Context, a Assignment) error {
	return t.pass(Reviewers, func(s Sink) error { return s.Reviewer(ctx, a) })
}

func (t *tally) Review(ctx context.Context, r Review) error {
	return t.pass(Reviews, func(s Sink) error { return s.Review(ctx, r) })
}

func (t *tally) Cohort(ctx context.Context, c incubator.Cohort) error {
	return t.pass(Cohorts, func(s Sink) error { return s.Cohort(ctx, c) })
}

func (t *tally) Mentor(ctx context.Context, a Assignment) error {
	return t.pass(Mentors, func(s Sink) error { return s.Mentor(ctx, a) })
}

func (t *tally) Milestone(ctx context.Context, m incubator.Milestone) error {
	return t.pass(Milestones, func(s Sink) error { return s.Milestone(ctx, m) })
}

func (t *tally) Session(ctx context.Context, x incubator.Session) error {
	return t.pass(Sessions, func(s Sink) error { return s.Session(ctx, x) })
}

func (t *tally) Report(ctx context.Context, r incubator.Report) error {
	return t.pass(Reports, func(s Sink) error { return s.Report(ctx, r) })
}

func (t *tally) ReviewReminder(ctx context.Context, r ReviewReminder) error {
	return t.pass(ReviewReminders, func(s Sink) error { return s.ReviewReminder(ctx, r) })
}

func (t *tally) Reminder(ctx context.Context, r Reminder) error {
	return t.pass(Reminders, func(s Sink) error { return s.Reminder(ctx, r) })
}

func (t *tally) Profile(ctx context.Context, p incubator.Profile) error {
	return t.pass(Profiles, func(s Sink) error { return s.Profile(ctx, p) })
}

func (t *tally) Booth(ctx context.Context, b expo.Booth) error {
	return t.pass(Booths, func(s Sink) error { return s.Booth(ctx, b) })
}

func (t *tally) BoothChange(ctx context.Context, c expo.Change) error {
	return t.pass(BoothChanges, func(s Sink) error { return s.BoothChange(ctx, c) })
}

func (t *tally) Exhibitor(ctx context.Context, x expo.Exhibitor) error {
	return t.pass(Exhibitors, func(s Sink) error { return s.Exhibitor(ctx, x) })
}

func (t *tally) ExhibitorOwner(ctx context.Context, o ExhibitorOwner) error {
	return t.pass(ExhibitorOwners, func(s Sink) error { return s.ExhibitorOwner(ctx, o) })
}

func (t *tally) BoothStaff(ctx context.Context, st expo.Staff) error {
	return t.pass(BoothStaff, func(s Sink) error { return s.BoothStaff(ctx, st) })
}

func (t *tally) Lead(ctx context.Context, l expo.Lead) error {
	return t.pass(Leads, func(s Sink) error { return s.Lead(ctx, l) })
}

func (t *tally) AuditEntry(ctx context.Context, e audit.Entry) error {
	return t.pass(AuditLog, func(s Sink) error { return s.AuditEntry(ctx, e) })
}

func (t *tally) Certificate(ctx context.Context, c certs.Certificate) error {
	return t.pass(Certificates, func(s Sink) error { return s.Certificate(ctx, c) })
}

func (t *tally) CertCounter(ctx context.Context, c CertCounter) error {
	return t.pass(CertCounters, func(s Sink) error { return s.CertCounter(ctx, c) })
}

func (t *tally) Holiday(ctx context.Context, h workdays.Holiday) error {
	return t.pass(Holidays, func(s Sink) error { return s.Holiday(ctx, h) })
}

func (t *tally) Dossier(ctx context.Context, d certification.Dossier) error {
	return t.pass(STDossiers, func(s Sink) error { return s.Dossier(ctx, d) })
}
