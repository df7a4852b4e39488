package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/keyset"
)

// CheckinStore is what an adapter implements for the gates.
type CheckinStore interface {
	checkin.Store
}

// RunCheckin runs the check-in suite; open returns a new empty store.
func RunCheckin(t *testing.T, open func(t *testing.T) CheckinStore) {
	t.Run("EntryExitReentry", func(t *testing.T) { testEntryExit(t, open(t)) })
	t.Run("Nonce", func(t *testing.T) { testNonce(t, open(t)) })
	t.Run("GatesRace", func(t *testing.T) { testGatesRace(t, open(t)) })
	t.Run("Annul", func(t *testing.T) { testAnnul(t, open(t)) })
	t.Run("LogAndArrivals", func(t *testing.T) { testScanLog(t, open(t)) })
	t.Run("ScansAfter", func(t *testing.T) { testScansAfter(t, open(t)) })
}

func scanOf(eventID, ticketID, gate string, dir checkin.Direction, at time.Time) checkin.Scan {
	return checkin.Scan{ID: ids.New(), EventID: eventID, TicketID: ticketID, Gate: gate, Direction: dir,
		ScannedAt: at, RecordedAt: at, StaffID: "staff1"}
}

func record(t *testing.T, s CheckinStore, sc checkin.Scan) checkin.Scan {
	t.Helper()
	got, err := s.RecordScan(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func wantStats(t *testing.T, s CheckinStore, eventID string, checkedIn, inside int, byGate string) {
	t.Helper()
	st, err := s.Stats(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	if st.CheckedIn != checkedIn || st.Inside != inside || fmt.Sprint(st.ByGate) != byGate {
		t.Fatalf("stats = %+v; want checked_in %d, inside %d, by_gate %s", st, checkedIn, inside, byGate)
	}
}

func testEntryExit(t *testing.T, s CheckinStore) {
	ctx := context.Background()
	wantStats(t, s, "ev1", 0, 0, "map[]")
	in := record(t, s, scanOf("ev1", "tk1", "Cổng A", checkin.In, t0))
	if in.Result != checkin.OK || !in.Accepted || !in.FirstInAt.Equal(t0) {
		t.Fatalf("first entry: %+v", in)
	}
	again := record(t, s, scanOf("ev1", "tk1", "Cổng B", checkin.In, t0.Add(time.Minute)))
	if again.Result != checkin.AlreadyIn || again.Accepted || !again.FirstInAt.Equal(t0) || again.Conflict {
		t.Fatalf("second entry: %+v", again)
	}
	wantStats(t, s, "ev1", 1, 1, "map[Cổng A:1]")
	out := record(t, s, scanOf("ev1", "tk1", "Cổng B", checkin.Out, t0.Add(time.Hour)))
	if out.Result != checkin.OK || !out.Accepted {
		t.Fatalf("exit: %+v", out)
	}
	wantStats(t, s, "ev1", 1, 0, "map[Cổng A:1]")
	if out2 := record(t, s, scanOf("ev1", "tk1", "Cổng B", checkin.Out, t0.Add(time.Hour))); out2.Result != checkin.OK || out2.Accepted {
		t.Fatalf("a second exit changes nothing: %+v", out2)
	}
	back := record(t, s, scanOf("ev1", "tk1", "Cổng B", checkin.In, t0.Add(2*time.Hour)))
	if back.Result != checkin.OK || !back.Accepted || !back.FirstInAt.Equal(t0) {
		t.Fatalf("re-entry: %+v", back)
	}
	wantStats(t, s, "ev1", 1, 1, "map[Cổng A:1 Cổng B:1]")
	if first, inside, err := s.Presence(ctx, "tk1"); err != nil || !first.Equal(t0) || !inside {
		t.Fatalf("Presence = %v, %v, %v", first, inside, err)
	}
	if first, inside, err := s.Presence(ctx, "never"); err != nil || !first.IsZero() || inside {
		t.Fatalf("Presence of a ticket never scanned = %v, %v, %v", first, inside, err)
	}

	// Results decided before the store (a bad signature, a cancelled
	// ticket) are logged and change nothing.
	revoked := scanOf("ev1", "tk2", "Cổng A", checkin.In, t0)
	revoked.Result = checkin.Revoked
	if got := record(t, s, revoked); got.Result != checkin.Revoked || got.Accepted {
		t.Fatalf("revoked: %+v", got)
	}
	wantStats(t, s, "ev1", 1, 1, "map[Cổng A:1 Cổng B:1]")

	// An offline gate's entry for a ticket already inside is a conflict.
	off := scanOf("ev1", "tk1", "Cổng C", checkin.In, t0.Add(3*time.Hour))
	off.Offline = true
	if got := record(t, s, off); got.Result != checkin.AlreadyIn || !got.Conflict {
		t.Fatalf("offline double entry: %+v", got)
	}
	wantStats(t, s, "ev2", 0, 0, "map[]")
}

func testNonce(t *testing.T, s CheckinStore) {
	sc := scanOf("ev1", "tk1", "A", checkin.In, t0)
	sc.Nonce = "gate-a-0001"
	first := record(t, s, sc)
	again := sc
	again.ID, again.Gate = ids.New(), "B"
	second := record(t, s, again)
	if second.ID != first.ID || second.Result != checkin.OK || second.Gate != "A" {
		t.Fatalf("the same nonce again: %+v, want the first scan %+v", second, first)
	}
	other := scanOf("ev2", "tk9", "A", checkin.In, t0)
	other.Nonce = "gate-a-0001"
	if got := record(t, s, other); got.ID != other.ID {
		t.Fatal("a nonce belongs to its event only")
	}
	wantStats(t, s, "ev1", 1, 1, "map[A:1]")
	if _, total, _ := s.ScanLog(context.Background(), checkin.LogQuery{EventID: "ev1", Limit: 10}); total != 1 {
		t.Fatalf("a repeated nonce was logged: %d scans", total)
	}
}

// 20 gates scan one ticket at the same moment: exactly one lets it in.
func testGatesRace(t *testing.T, s CheckinStore) {
	const gates = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[checkin.Result]int{}
	for g := range gates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.RecordScan(context.Background(), scanOf("ev1", "tk1", fmt.Sprint("gate-", g), checkin.In, t0))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			results[got.Result]++
		}()
	}
	wg.Wait()
	if results[checkin.OK] != 1 || results[checkin.AlreadyIn] != gates-1 {
		t.Fatalf("%d gates at once: %v", gates, results)
	}
	st, _ := s.Stats(context.Background(), "ev1")
	total := 0
	for _, n := range st.ByGate {
		total += n
	}
	if st.CheckedIn != 1 || st.Inside != 1 || total != 1 {
		t.Fatalf("stats after the race: %+v", st)
	}
}

func testAnnul(t *testing.T, s CheckinStore) {
	ctx := context.Background()
	first := record(t, s, scanOf("ev1", "tk1", "A", checkin.In, t0))
	_, err := s.AnnulScan(ctx, "ev1", "nope", "org", t0)
	wantKind(t, err, errs.NotFound, "annulling an unknown scan")
	_, err = s.AnnulScan(ctx, "ev2", first.ID, "org", t0)
	wantKind(t, err, errs.NotFound, "annulling another event's scan")
	got, err := s.AnnulScan(ctx, "ev1", first.ID, "org", t0.Add(time.Minute))
	if err != nil || !got.AnnulledAt.Equal(t0.Add(time.Minute)) || got.AnnulledBy != "org" {
		t.Fatalf("annul: %+v, %v", got, err)
	}
	wantStats(t, s, "ev1", 0, 0, "map[]")
	if first, inside, _ := s.Presence(ctx, "tk1"); !first.IsZero() || inside {
		t.Fatal("an annulled only entry leaves the ticket never checked in")
	}
	_, err = s.AnnulScan(ctx, "ev1", first.ID, "org", t0)
	wantKind(t, err, errs.Conflict, "annulling twice")

	again := record(t, s, scanOf("ev1", "tk1", "B", checkin.In, t0.Add(time.Hour)))
	if again.Result != checkin.OK || !again.FirstInAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("entry after an annulled one: %+v", again)
	}
	record(t, s, scanOf("ev1", "tk1", "B", checkin.Out, t0.Add(2*time.Hour)))
	latest := record(t, s, scanOf("ev1", "tk1", "C", checkin.In, t0.Add(3*time.Hour)))
	_, err = s.AnnulScan(ctx, "ev1", again.ID, "org", t0)
	wantKind(t, err, errs.Conflict, "annulling an entry that is not the latest")
	if _, err := s.AnnulScan(ctx, "ev1", latest.ID, "org", t0.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, "ev1", 1, 0, "map[B:1]")
	if first, inside, _ := s.Presence(ctx, "tk1"); !first.Equal(t0.Add(time.Hour)) || inside {
		t.Fatal("annulling a re-entry keeps the first entry")
	}
	record(t, s, scanOf("ev1", "tk1", "B", checkin.In, t0.Add(5*time.Hour)))
	dup := record(t, s, scanOf("ev1", "tk1", "B", checkin.In, t0.Add(5*time.Hour)))
	_, err = s.AnnulScan(ctx, "ev1", dup.ID, "org", t0)
	wantKind(t, err, errs.Conflict, "annulling a scan that let nobody in")
}

func testScanLog(t *testing.T, s CheckinStore) {
	ctx := context.Background()
	for i := range 6 {
		sc := scanOf("ev1", fmt.Sprint("tk", i), []string{"A", "B"}[i%2], checkin.In, t0.Add(time.Duration(i)*3*time.Minute))
		sc.RecordedAt = t0.Add(time.Duration(i) * time.Second)
		record(t, s, sc)
	}
	list, total, err := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", Limit: 4})
	if err != nil || total != 6 || len(list) != 4 || list[0].TicketID != "tk5" || list[0].Gate != "B" || list[0].StaffID != "staff1" {
		t.Fatalf("ScanLog = %d, %v", total, err)
	}
	if list, total, _ := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", Gate: "A", Limit: 10}); total != 3 || len(list) != 3 {
		t.Fatalf("by gate: %d", total)
	}
	if list, total, _ := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", TicketID: "tk2", Limit: 10}); total != 1 || list[0].TicketID != "tk2" {
		t.Fatalf("by ticket: %d", total)
	}
	if _, total, _ := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", ConflictsOnly: true, Limit: 10}); total != 0 {
		t.Fatalf("conflicts: %d", total)
	}
	arr, err := s.Arrivals(ctx, "ev1")
	if err != nil || len(arr) != 4 {
		t.Fatalf("Arrivals = %+v, %v", arr, err)
	}
	// Scans at 0, 3, 6, 9, 12, 15 minutes past 08:30: slots 08:30, 08:35,
	// 08:40, 08:45 hold 2, 2, 1, 1.
	want := []int{2, 2, 1, 1}
	for i, a := range arr {
		if a.Entries != want[i] || !a.At.Equal(t0.Add(time.Duration(i)*5*time.Minute)) {
			t.Fatalf("arrival %d = %+v", i, a)
		}
	}
}

// testScansAfter reads a whole scan log a page at a time while gates keep
// scanning: every scan logged when the reading began is read once, in the
// log's order, none recorded later.
func testScansAfter(t *testing.T, s CheckinStore) {
	ctx := context.Background()
	n := 0
	scan := func(at time.Time) {
		sc := scanOf("ev1", fmt.Sprint("tk", n), "A", checkin.In, at)
		// Two share each millisecond: ties are broken by id.
		sc.RecordedAt = at.Add(time.Duration(n/2) * time.Millisecond)
		record(t, s, sc)
		n++
	}
	for range 13 {
		scan(t0)
	}
	all, total, err := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", Limit: 100})
	if err != nil || total != 13 {
		t.Fatalf("ScanLog = %d, %v", total, err)
	}
	q := checkin.LogQuery{EventID: "ev1", Limit: 4}
	var read []string
	for after := (keyset.Cursor{}); ; {
		list, err := s.ScansAfter(ctx, q, after)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range list {
			read = append(read, sc.ID)
		}
		if len(list) < q.Limit {
			break
		}
		after = list[len(list)-1].Cursor()
		scan(t0.Add(time.Hour))
	}
	if len(read) != len(all) {
		t.Fatalf("%d scans read, want the %d logged when reading began", len(read), len(all))
	}
	for i, sc := range all {
		if read[i] != sc.ID {
			t.Fatalf("scan %d read is %s, want %s", i, read[i], sc.ID)
		}
	}
	if got, err := s.ScansAfter(ctx, checkin.LogQuery{EventID: "ev1", Gate: "B", Limit: 10}, keyset.Cursor{}); err != nil || len(got) != 0 {
		t.Fatalf("a gate with no scans: %d, %v", len(got), err)
	}
}
