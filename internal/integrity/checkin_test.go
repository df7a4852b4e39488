package integrity

import (
	"testing"
	"time"
)

// The stores may record a ticket's scans in another order than they were
// decided in; what they add up to does not change with the order.
func TestCompareCheckinCountsWithoutOrder(t *testing.T) {
	at := time.Now().UTC().Truncate(24 * time.Hour).Add(8 * time.Hour)
	settled := at.Add(time.Hour)
	in := Scan{ID: "s2", EventID: "e", TicketID: "t", Gate: "A", In: true, Result: "ok", Accepted: true,
		Slot: at, ScannedAt: at, RecordedAt: at.Add(time.Second)}
	// The exit reached the server first, and read the entry's state.
	out := Scan{ID: "s1", EventID: "e", TicketID: "t", Gate: "B", Result: "ok", Accepted: true,
		Slot: at, ScannedAt: at.Add(time.Minute), RecordedAt: at}
	// Two scans without a result, younger than settled: one whose decision
	// presence shows counts, the other is left to whoever decides it.
	decided := Scan{ID: "s3", EventID: "e", TicketID: "u", Gate: "A", In: true, Slot: at, ScannedAt: settled, RecordedAt: settled}
	undecided := Scan{ID: "s4", EventID: "e", TicketID: "t", Gate: "A", In: true, Slot: at, ScannedAt: settled, RecordedAt: settled}
	presence := []Presence{
		{TicketID: "t", EventID: "e", Entries: 1, FirstInAt: at, LastScan: "s1"},
		{TicketID: "u", EventID: "e", Inside: true, Entries: 1, FirstInAt: settled, LastScan: "s3"},
	}
	stored := map[Counter]int{
		{What: CheckedIn, EventID: "e"}:                  2,
		{What: Inside, EventID: "e"}:                     1,
		{What: GateEntries, EventID: "e", Gate: "A"}:     2,
		{What: Arrivals, EventID: "e", Slot: at.Local()}: 2,
	}
	got := CompareCheckin([]Scan{in, out, decided, undecided}, presence, stored, settled)
	if ds := got.Drifts(); len(ds) != 0 {
		t.Fatalf("drifts: %v", ds)
	}
	stored[Counter{What: Inside, EventID: "e"}] = 2
	want := Drift{What: Inside, Record: "checkin_counts/e", Stored: "2", Actual: "1"}
	if ds := CompareCheckin([]Scan{out, in, undecided, decided}, presence, stored, settled).Drifts(); len(ds) != 1 || ds[0] != want {
		t.Fatalf("drifts: %v; want [%v]", ds, want)
	}
}

// An annulment MongoDB left between its steps counts as presence shows it
// went; once older than settled it is listed, to finish or to undo. A
// store that keeps no counters has none to drift.
func TestCompareCheckinAnnulmentHalfDone(t *testing.T) {
	at := time.Now().UTC().Truncate(24 * time.Hour).Add(8 * time.Hour)
	settled := at.Add(time.Hour)
	entry := func(id, ticket string, annulling time.Time) Scan {
		return Scan{ID: id, EventID: "e", TicketID: ticket, Gate: "A", In: true, Result: "ok", Accepted: true,
			AnnullingAt: annulling, Slot: at, ScannedAt: at, RecordedAt: at}
	}
	scans := []Scan{
		// Presence took these back.
		entry("s1", "t", at.Add(time.Minute)),
		entry("s2", "u", settled.Add(time.Minute)),
		// Presence did not take this one back.
		entry("s3", "v", at.Add(time.Minute)),
	}
	presence := []Presence{
		{TicketID: "t", EventID: "e", Annulled: []string{"s0", "s1"}},
		{TicketID: "u", EventID: "e", Annulled: []string{"s2"}},
		{TicketID: "v", EventID: "e", Inside: true, Entries: 1, FirstInAt: at, LastScan: "s3"},
	}
	got := CompareCheckin(scans, presence, nil, settled).Drifts()
	want := []Drift{
		{What: ScanAnnulment, Record: "scans/s1", Stored: "annulling", Actual: "annulled"},
		{What: ScanAnnulment, Record: "scans/s3", Stored: "annulling", Actual: "standing"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("drifts: %v; want %v", got, want)
	}
}
