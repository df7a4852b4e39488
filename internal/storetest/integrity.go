package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/ids"
	"sprout/internal/integrity"
	"sprout/internal/tickets"
)

// IntegrityStore is what an adapter implements for `sprout check`, with
// what the suite seeds through.
type IntegrityStore interface {
	EventsStore
	checkin.Store
	integrity.Store
	certs.Store
}

// Tamper writes stored values directly, as a bug or a crash leaves them.
// Each adapter's tests implement it on their own store; no production
// code can reach it.
type Tamper interface {
	SetSold(ctx context.Context, typeID string, sold int) error
	SetCheckinCounts(ctx context.Context, eventID string, checkedIn, inside int) error
	SetGateEntries(ctx context.Context, eventID, gate string, entries int) error
	// SetArrivals sets the entries of the five-minute slot starting at slot.
	SetArrivals(ctx context.Context, eventID string, slot time.Time, entries int) error
	SetPresence(ctx context.Context, ticketID string, inside bool, entries int) error
	// ClearScanResult leaves a scan as a crash before its result was
	// stored does: no result, not accepted.
	ClearScanResult(ctx context.Context, scanID string) error
	// InsertPendingScan stores sc without a result and decides nothing, as
	// a crash right after a scan with a nonce was first stored leaves it.
	InsertPendingScan(ctx context.Context, sc checkin.Scan) error
	SetWaitEntry(ctx context.Context, waitID string, status tickets.WaitStatus, ticketID string) error
	// SetCertCounter sets the last number of a year's certificate codes.
	SetCertCounter(ctx context.Context, year int, n int64) error
	// DeleteCounters removes an event's check-in counters, every one.
	DeleteCounters(ctx context.Context, eventID string) error
	// KeepsCounters is false for a store that derives the check-in
	// counters when they are read: the counter methods above then write
	// what an earlier version of the store kept, which nothing reads.
	KeepsCounters() bool
}

// keptOnly leaves out of want the drifts of check-in counters when the
// store keeps none: there is nothing stored to drift.
func keptOnly(tamper Tamper, want []integrity.Drift) []integrity.Drift {
	if tamper.KeepsCounters() {
		return want
	}
	return slices.DeleteFunc(want, func(d integrity.Drift) bool {
		switch d.What {
		case integrity.CheckedIn, integrity.Inside, integrity.GateEntries, integrity.Arrivals:
			return true
		}
		return false
	})
}

// RunIntegrity runs the suite of `sprout check`; open returns a new empty
// store and its tamper.
func RunIntegrity(t *testing.T, open func(t *testing.T) (IntegrityStore, Tamper)) {
	t.Run("Healthy", func(t *testing.T) {
		s, _ := open(t)
		testIntegrityHealthy(t, s)
	})
	t.Run("DriftAndRepair", func(t *testing.T) {
		s, tamper := open(t)
		testIntegrityRepair(t, s, tamper)
	})
	t.Run("MissingCounters", func(t *testing.T) {
		s, tamper := open(t)
		testIntegrityMissingCounters(t, s, tamper)
	})
	t.Run("CertificateCounter", func(t *testing.T) {
		s, tamper := open(t)
		testIntegrityCertCounter(t, s, tamper)
	})
}

// testIntegrityCertCounter: a year's certificate counter set back below
// the codes given is drift; the repair raises it, and the next code
// follows the highest.
func testIntegrityCertCounter(t *testing.T, s IntegrityStore, tamper Tamper) {
	ctx := context.Background()
	year := t0.Year()
	for _, src := range []string{"a", "b"} {
		if _, _, err := s.IssueCert(ctx, newCert(certs.Training, src, t0), certCode); err != nil {
			t.Fatal(err)
		}
	}
	if ds, err := s.Check(ctx, settled); err != nil || len(ds) != 0 {
		t.Fatalf("Check with certificates = %v, %v; want none", ds, err)
	}
	if err := tamper.SetCertCounter(ctx, year, 1); err != nil {
		t.Fatal(err)
	}
	want := []integrity.Drift{integrity.CertSeqFix{Year: year, Stored: 1, Highest: 2}.Drift()}
	ds, err := s.Check(ctx, settled)
	if err != nil || !slices.Equal(ds, want) {
		t.Fatalf("Check = %v, %v; want %v", ds, err, want)
	}
	mended, err := s.Repair(ctx, settled, ds)
	if err != nil || !slices.Equal(mended, want) {
		t.Fatalf("Repair = %v, %v; want %v", mended, err, want)
	}
	if ds, err := s.Check(ctx, settled); err != nil || len(ds) != 0 {
		t.Fatalf("Check after Repair = %v, %v; want none", ds, err)
	}
	c, _, err := s.IssueCert(ctx, newCert(certs.Training, "c", t0), certCode)
	if err != nil || c.Code != certCode(year, 3) {
		t.Fatalf("next certificate %q, %v; want %s", c.Code, err, certCode(year, 3))
	}
}

// settled is the time before which the suite's scans without a result
// count as left by a crash.
var settled = t0.Add(24 * time.Hour)

// seededStore names what seedIntegrity made.
type seededStore struct {
	event, typeA, typeB string
	a2, a3, p1, b1      string
	w1, w2              string
	// a2Back is a2's latest scan: its presence names it.
	a2Back string
}

// seedIntegrity makes an event whose counters all have something to
// count: a full type with a waitlist and a promotion, a cancellation,
// entries, an exit, a re-entry, and entries annulled.
func seedIntegrity(t *testing.T, s IntegrityStore) seededStore {
	t.Helper()
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("kiem-tra", t0.Add(48*time.Hour), true))
	a := mustType(t, s, e.ID, "Hội thảo", 3, true)
	b := mustType(t, s, e.ID, "Tham quan", 10, false)
	a1 := register(t, s, e.ID, a.ID, "a1@example.vn")
	a2 := register(t, s, e.ID, a.ID, "a2@example.vn")
	a3 := register(t, s, e.ID, a.ID, "a3@example.vn")
	w1, w2 := newWait(e.ID, a.ID, "w1@example.vn"), newWait(e.ID, a.ID, "w2@example.vn")
	for _, w := range []tickets.WaitEntry{w1, w2} {
		if _, err := s.JoinWaitlist(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	_, p1, err := s.CancelTicket(ctx, a1.ID, t0.Add(time.Hour), promoteFrom)
	if err != nil || p1 == nil {
		t.Fatalf("cancel with a waitlist: %+v, %v", p1, err)
	}
	b1 := register(t, s, e.ID, b.ID, "b1@example.vn")
	b2 := register(t, s, e.ID, b.ID, "b2@example.vn")
	if _, _, err := s.CancelTicket(ctx, b2.ID, t0.Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}

	gA, gB := "Cổng A", "Cổng B"
	annul := func(sc checkin.Scan, at time.Time) {
		t.Helper()
		if _, err := s.AnnulScan(ctx, e.ID, sc.ID, "org", at); err != nil {
			t.Fatal(err)
		}
	}
	record(t, s, scanOf(e.ID, a2.ID, gA, checkin.In, t0))
	record(t, s, scanOf(e.ID, a2.ID, gB, checkin.Out, t0.Add(time.Hour)))
	a2Back := record(t, s, scanOf(e.ID, a2.ID, gB, checkin.In, t0.Add(2*time.Hour)))
	record(t, s, scanOf(e.ID, a3.ID, gA, checkin.In, t0.Add(10*time.Minute)))
	annul(record(t, s, scanOf(e.ID, p1.ID, gA, checkin.In, t0.Add(20*time.Minute))), t0.Add(25*time.Minute))
	record(t, s, scanOf(e.ID, p1.ID, gB, checkin.In, t0.Add(30*time.Minute)))
	annul(record(t, s, scanOf(e.ID, b1.ID, gA, checkin.In, t0.Add(40*time.Minute))), t0.Add(45*time.Minute))
	revoked := scanOf(e.ID, b2.ID, gA, checkin.In, t0.Add(50*time.Minute))
	revoked.Result = checkin.Revoked
	record(t, s, revoked)
	wantStats(t, s, e.ID, 3, 3, "map[Cổng A:2 Cổng B:2]")
	if sold(t, s, a.ID) != 3 || sold(t, s, b.ID) != 1 {
		t.Fatalf("seeded sold %d and %d; want 3 and 1", sold(t, s, a.ID), sold(t, s, b.ID))
	}
	return seededStore{event: e.ID, typeA: a.ID, typeB: b.ID, a2: a2.ID, a3: a3.ID, p1: p1.ID, b1: b1.ID,
		w1: w1.ID, w2: w2.ID, a2Back: a2Back.ID}
}

func mustCheck(t *testing.T, s IntegrityStore, at time.Time) []integrity.Drift {
	t.Helper()
	ds, err := s.Check(context.Background(), at)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return ds
}

func mustRepair(t *testing.T, s IntegrityStore, seen []integrity.Drift) []integrity.Drift {
	t.Helper()
	ds, err := s.Repair(context.Background(), settled, seen)
	if err != nil {
		t.Fatalf("Repair: %v", err)
	}
	return ds
}

// wantDrifts compares lists in full, one drift a line.
func wantDrifts(t *testing.T, what string, got, want []integrity.Drift) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n%s\nwant:\n%s", what, lines(got), lines(want))
	}
}

func lines(ds []integrity.Drift) string {
	var out string
	for _, d := range ds {
		out += fmt.Sprintf("  %#v\n", d)
	}
	return out
}

func testIntegrityHealthy(t *testing.T, s IntegrityStore) {
	wantDrifts(t, "an empty store", mustCheck(t, s, settled), nil)
	seedIntegrity(t, s)
	wantDrifts(t, "a healthy store", mustCheck(t, s, settled), nil)
	wantDrifts(t, "repairing a healthy store", mustRepair(t, s, nil), nil)
}

func testIntegrityRepair(t *testing.T, s IntegrityStore, tamper Tamper) {
	ctx := context.Background()
	x := seedIntegrity(t, s)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tamper.SetSold(ctx, x.typeA, 2))
	must(tamper.SetSold(ctx, x.typeB, 5))
	must(tamper.SetCheckinCounts(ctx, x.event, 5, 1))
	must(tamper.SetGateEntries(ctx, x.event, "Cổng A", 7))
	must(tamper.SetGateEntries(ctx, x.event, "Cổng Z", 1))
	must(tamper.SetArrivals(ctx, x.event, t0, 4))
	must(tamper.SetPresence(ctx, x.a3, false, 3))
	must(tamper.ClearScanResult(ctx, x.a2Back))
	// A scan stored a day before settled and never decided, and one
	// stored after it, maybe still being decided.
	stale := scanOf(x.event, x.b1, "Cổng A", checkin.In, t0.Add(55*time.Minute))
	stale.Nonce = "cong-a-0055"
	must(tamper.InsertPendingScan(ctx, stale))
	young := scanOf(x.event, x.a3, "Cổng B", checkin.In, settled.Add(time.Hour))
	young.Nonce = "cong-b-young"
	must(tamper.InsertPendingScan(ctx, young))
	must(tamper.SetWaitEntry(ctx, x.w1, tickets.Promoted, ""))
	must(tamper.SetWaitEntry(ctx, x.w2, tickets.Promoted, "gone"))

	counts := "checkin_counts/" + x.event
	soldB := integrity.Drift{What: integrity.Sold, Record: "ticket_types/" + x.typeB, Stored: "5", Actual: "1"}
	want := []integrity.Drift{
		{What: integrity.Sold, Record: "ticket_types/" + x.typeA, Stored: "2", Actual: "3"},
		soldB,
		{What: integrity.CheckedIn, Record: counts, Stored: "5", Actual: "3"},
		{What: integrity.Inside, Record: counts, Stored: "1", Actual: "3"},
		{What: integrity.GateEntries, Record: "gate_counts/" + x.event + "/Cổng A", Stored: "7", Actual: "2"},
		{What: integrity.GateEntries, Record: "gate_counts/" + x.event + "/Cổng Z", Stored: "1", Actual: "0"},
		{What: integrity.Arrivals, Record: "arrivals/" + x.event + "/" + t0.UTC().Format(time.RFC3339), Stored: "4", Actual: "1"},
		{What: integrity.PresenceEntries, Record: "presence/" + x.a3, Stored: "3", Actual: "1"},
		{What: integrity.PresenceInside, Record: "presence/" + x.a3, Stored: "false", Actual: "true"},
		{What: integrity.ScanResult, Record: "scans/" + x.a2Back, Stored: "", Actual: "ok"},
		{What: integrity.ScanResult, Record: "scans/" + stale.ID, Stored: "", Actual: "removed"},
		{What: integrity.WaitlistTicket, Record: "waitlist/" + x.w1, Stored: "promoted, ticket none", Actual: "promoted, ticket " + x.p1},
		{What: integrity.WaitlistTicket, Record: "waitlist/" + x.w2, Stored: "promoted, ticket gone (missing)", Actual: "waiting"},
	}
	want = keptOnly(tamper, want)
	integrity.Sort(want)
	drifts := mustCheck(t, s, settled)
	wantDrifts(t, "Check after tampering", drifts, want)

	// Repair mends only what was seen, as it was seen.
	moved := soldB
	moved.Stored = "6"
	wantDrifts(t, "Repair of a value seen otherwise", mustRepair(t, s, []integrity.Drift{moved}), nil)
	rest := slices.DeleteFunc(slices.Clone(drifts), func(d integrity.Drift) bool { return d == soldB })
	wantDrifts(t, "Repair of all but one", mustRepair(t, s, rest), rest)
	wantDrifts(t, "Check after a partial repair", mustCheck(t, s, settled), []integrity.Drift{soldB})
	wantDrifts(t, "Repair of the last", mustRepair(t, s, []integrity.Drift{soldB}), []integrity.Drift{soldB})
	wantDrifts(t, "Check after repairing", mustCheck(t, s, settled), nil)

	// What the app reads is what the records say again.
	if sold(t, s, x.typeA) != 3 || sold(t, s, x.typeB) != 1 {
		t.Fatalf("sold %d and %d after repairing; want 3 and 1", sold(t, s, x.typeA), sold(t, s, x.typeB))
	}
	wantStats(t, s, x.event, 3, 3, "map[Cổng A:2 Cổng B:2]")
	arr, err := s.Arrivals(ctx, x.event)
	if err != nil || fmt.Sprint(arr) != fmt.Sprint([]checkin.Arrival{
		{At: t0, Entries: 1}, {At: t0.Add(10 * time.Minute), Entries: 1}, {At: t0.Add(30 * time.Minute), Entries: 1}, {At: t0.Add(2 * time.Hour), Entries: 1},
	}) {
		t.Fatalf("Arrivals after repairing = %v, %v", arr, err)
	}
	if first, inside, err := s.Presence(ctx, x.a3); err != nil || !inside || !first.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("Presence of a3 after repairing = %v, %v, %v", first, inside, err)
	}
	log, _, err := s.ScanLog(ctx, checkin.LogQuery{EventID: x.event, TicketID: x.a2, Limit: 10})
	if err != nil || len(log) != 3 || log[0].ID != x.a2Back || log[0].Result != checkin.OK || !log[0].Accepted || !log[0].FirstInAt.Equal(t0) {
		t.Fatalf("a2's scans after repairing: %+v, %v", log, err)
	}
	if w, _, err := s.WaitPosition(ctx, x.w1); err != nil || w.Status != tickets.Promoted || w.TicketID != x.p1 {
		t.Fatalf("w1 after repairing: %+v, %v", w, err)
	}
	if w, pos, err := s.WaitPosition(ctx, x.w2); err != nil || w.Status != tickets.Waiting || w.TicketID != "" || pos != 1 {
		t.Fatalf("w2 after repairing: %+v at %d, %v", w, pos, err)
	}

	// The young scan is left to whoever decides it; once old, it is drift.
	wantDrifts(t, "Check once the young scan is old", mustCheck(t, s, young.RecordedAt.Add(time.Minute)), []integrity.Drift{
		{What: integrity.ScanResult, Record: "scans/" + young.ID, Stored: "", Actual: "removed"},
	})
	// The removed scan's nonce is free: the gate sending it again is heard.
	again := stale
	again.ID = ids.New()
	if got := record(t, s, again); got.ID != again.ID || got.Result != checkin.OK || !got.Accepted {
		t.Fatalf("the removed scan sent again: %+v", got)
	}
	wantDrifts(t, "Check after the scan sent again", mustCheck(t, s, settled), nil)
}

// testIntegrityMissingCounters: counters lost altogether are made again;
// a store that keeps none counts on alike.
func testIntegrityMissingCounters(t *testing.T, s IntegrityStore, tamper Tamper) {
	ctx := context.Background()
	x := seedIntegrity(t, s)
	if err := tamper.DeleteCounters(ctx, x.event); err != nil {
		t.Fatal(err)
	}
	counts, gates, arrivals := "checkin_counts/"+x.event, "gate_counts/"+x.event+"/", "arrivals/"+x.event+"/"
	slot := func(d time.Duration) string { return arrivals + t0.Add(d).UTC().Format(time.RFC3339) }
	want := []integrity.Drift{
		{What: integrity.CheckedIn, Record: counts, Stored: "0", Actual: "3"},
		{What: integrity.Inside, Record: counts, Stored: "0", Actual: "3"},
		{What: integrity.GateEntries, Record: gates + "Cổng A", Stored: "0", Actual: "2"},
		{What: integrity.GateEntries, Record: gates + "Cổng B", Stored: "0", Actual: "2"},
		{What: integrity.Arrivals, Record: slot(0), Stored: "0", Actual: "1"},
		{What: integrity.Arrivals, Record: slot(10 * time.Minute), Stored: "0", Actual: "1"},
		{What: integrity.Arrivals, Record: slot(30 * time.Minute), Stored: "0", Actual: "1"},
		{What: integrity.Arrivals, Record: slot(2 * time.Hour), Stored: "0", Actual: "1"},
	}
	want = keptOnly(tamper, want)
	integrity.Sort(want)
	drifts := mustCheck(t, s, settled)
	wantDrifts(t, "Check without counters", drifts, want)
	wantDrifts(t, "Repair without counters", mustRepair(t, s, drifts), want)
	wantDrifts(t, "Check after repairing", mustCheck(t, s, settled), nil)
	wantStats(t, s, x.event, 3, 3, "map[Cổng A:2 Cổng B:2]")
	// The counters made again count on.
	record(t, s, scanOf(x.event, x.a2, "Cổng B", checkin.Out, t0.Add(3*time.Hour)))
	wantStats(t, s, x.event, 3, 2, "map[Cổng A:2 Cổng B:2]")
	wantDrifts(t, "Check after an exit", mustCheck(t, s, settled), nil)
}
