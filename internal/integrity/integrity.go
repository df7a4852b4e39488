// Package integrity checks the store's invariants: every stored counter
// against what it counts, who is inside against the scans, and the records
// a crash can leave half written. Counters are derived data, so mending one
// is setting it to what it counts.
package integrity

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sprout/internal/clock"
)

// What names an invariant.
type What string

const (
	// Sold is a ticket type's seats taken: its active tickets.
	Sold What = "sold"
	// WaitlistSeq is the number a type gives its next waitlist entry: never
	// below one it gave already (MongoDB keeps it; SQLite reads the entries).
	WaitlistSeq What = "waitlist_seq"
	// CheckedIn is an event's tickets that entered at least once.
	CheckedIn What = "checked_in"
	// Inside is an event's tickets whose last accepted scan is an entry.
	Inside What = "inside"
	// GateEntries is an event's accepted entries at one gate.
	GateEntries What = "gate_entries"
	// Arrivals is an event's accepted entries in one five-minute slot.
	Arrivals What = "arrivals"
	// PresenceEntries is a ticket's accepted entries.
	PresenceEntries What = "presence_entries"
	// PresenceInside is whether a ticket's last accepted scan is an entry.
	PresenceInside What = "presence_inside"
	// ScanResult is a scan without its answer, left by a crash.
	ScanResult What = "scan_result"
	// ScanAnnulment is an annulment a crash left between its steps.
	ScanAnnulment What = "scan_annulment"
	// WaitlistTicket is an entry marked promoted whose ticket is missing.
	WaitlistTicket What = "waitlist_ticket"
	// CertSeq is the last number a year's certificate codes were given:
	// never below one a code carries.
	CertSeq What = "certificate_seq"
)

// Drift is one stored value that disagrees with what it is derived from.
type Drift struct {
	What What
	// Record is the table or collection and the key of the record holding
	// the value, the same on both stores: "ticket_types/<id>",
	// "gate_counts/<event id>/<gate>".
	Record string
	Stored string
	Actual string
}

func (d Drift) String() string {
	show := func(v string) string {
		if v == "" {
			return "(none)"
		}
		return v
	}
	return fmt.Sprintf("%s %s: stored %s, actual %s", d.Record, d.What, show(d.Stored), show(d.Actual))
}

// Store checks and mends the invariants; both adapters implement it.
type Store interface {
	// Check lists the drifts, sorted (see Sort). A scan without a result
	// recorded at or after settled may still be being decided and is not
	// listed; one recorded before was left by a crash.
	Check(ctx context.Context, settled time.Time) ([]Drift, error)
	// Repair mends the drifts it finds that are in seen, exactly: seen by
	// an earlier Check, with the same stored and actual values, so a write
	// in flight then is not taken for drift. It returns those it mended,
	// sorted; a value that changed meanwhile is left for the next run.
	Repair(ctx context.Context, settled time.Time, seen []Drift) ([]Drift, error)
}

// Sort orders drifts by record, then by what, so lists compare and read
// alike on both stores.
func Sort(ds []Drift) {
	slices.SortFunc(ds, func(a, b Drift) int {
		return cmp.Or(strings.Compare(a.Record, b.Record), strings.Compare(string(a.What), string(b.What)))
	})
}

// Seen tells whether d is one of ds.
func Seen(ds []Drift, d Drift) bool { return slices.Contains(ds, d) }

// SeenAll tells whether each of some, at least one, is one of ds.
func SeenAll(ds, some []Drift) bool {
	for _, d := range some {
		if !Seen(ds, d) {
			return false
		}
	}
	return len(some) > 0
}

// Record names a record by its table and key parts.
func Record(table string, key ...string) string {
	return strings.Join(append([]string{table}, key...), "/")
}

// Count makes the drift of a counter.
func Count(what What, record string, stored, actual int64) Drift {
	return Drift{What: what, Record: record, Stored: strconv.FormatInt(stored, 10), Actual: strconv.FormatInt(actual, 10)}
}

// Abandoned is how long a scan may stay without a result before a check
// takes it as left by a crash: recording one takes milliseconds, and its
// steps give up after ten seconds.
const Abandoned = time.Minute

// Settle is how long Repair waits between its two looks at the store: far
// longer than the few round trips of a write in flight at the first.
const Settle = 2 * time.Second

// Service runs the checks at the app's time.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService returns the checks over store.
func NewService(store Store, clk clock.Clock) *Service {
	return &Service{store: store, clock: clk}
}

func (s *Service) settled() time.Time { return s.clock.Now().Add(-Abandoned) }

// Check lists what drifted.
func (s *Service) Check(ctx context.Context) ([]Drift, error) {
	return s.store.Check(ctx, s.settled())
}

// Repair looks twice, Settle apart, and mends what drifted both times
// alike: on MongoDB an operation of several writes (a registration, a
// scan) is seen half done while it runs, which is no drift.
func (s *Service) Repair(ctx context.Context) ([]Drift, error) {
	seen, err := s.Check(ctx)
	if err != nil || len(seen) == 0 {
		return nil, err
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(Settle):
	}
	return s.store.Repair(ctx, s.settled(), seen)
}
