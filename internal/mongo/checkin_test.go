package mongo

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
	"unsafe"

	"sprout/internal/checkin"
	"sprout/internal/ids"
	"sprout/internal/integrity"
	"sprout/internal/storetest"
)

// TestFerretDBCheckin runs the check-in suite against an in-process
// FerretDB, one server and database per test.
func TestFerretDBCheckin(t *testing.T) {
	storetest.RunCheckin(t, func(t *testing.T) storetest.CheckinStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}

// TestMongoDBCheckin runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBCheckin(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunCheckin(t, func(t *testing.T) storetest.CheckinStore {
		return openAt(t, storetest.MongoDBTestURI(t))
	})
}

// TestFerretDBCheckinNonceRace sends one scan ten times at once, as a gate
// flushing its queue over a flaky link might: the suite sends its copies one
// after another, and this adapter takes a nonce by inserting the scan before
// deciding it, so the copies that lose must wait for the first one's answer.
func TestFerretDBCheckinNonceRace(t *testing.T) {
	s := openAt(t, storetest.FerretDBURI(t))
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Minute)
	const copies = 10
	got := make([]checkin.Scan, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Go(func() {
			sc, err := s.RecordScan(ctx, checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: "tk1", Gate: "A",
				Direction: checkin.In, Nonce: "gate-a-0001", ScannedAt: at, RecordedAt: at})
			if err != nil {
				t.Error(err)
			}
			got[i] = sc
		})
	}
	wg.Wait()
	for _, sc := range got {
		if sc.ID != got[0].ID || sc.Result != checkin.OK || !sc.Accepted {
			t.Fatalf("copies of one scan answered differently: %+v and %+v", got[0], sc)
		}
	}
	st, err := s.Stats(ctx, "ev1")
	if err != nil || st.CheckedIn != 1 || st.Inside != 1 || st.ByGate["A"] != 1 {
		t.Fatalf("Stats = %+v, %v", st, err)
	}
	if _, total, err := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", Limit: 10}); err != nil || total != 1 {
		t.Fatalf("ScanLog total = %d, %v", total, err)
	}
}

// A gate sending a scan again after the process recording it died gets an
// answer before any recovery: the first scan's at once when the decision
// was made (presence shows it), and a new decision once the first scan is
// abandoned when it was not.
func TestFerretDBCheckinResendAfterCrash(t *testing.T) {
	uri, f := storetest.FerretDBWithFaults(t)
	s := openAt(t, uri)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(24 * time.Hour).Add(8 * time.Hour)
	sc := checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: "tk1", Gate: "A", Direction: checkin.In, Nonce: "a-0001",
		ScannedAt: at, RecordedAt: at}
	// The scan stored, then presence: the decision is made.
	f.CrashAfter(2)
	if _, err := s.RecordScan(ctx, sc); err == nil {
		t.Fatal("the scan went through the crash")
	}
	f.Revive()
	again := sc
	again.ID, again.Gate = ids.New(), "B"
	start := time.Now()
	got, err := s.RecordScan(ctx, again)
	if err != nil || got.ID != sc.ID || got.Result != checkin.OK || !got.Accepted || got.Gate != "A" || !got.FirstInAt.Equal(at) {
		t.Fatalf("sent again: %+v, %v; want the first scan, ok", got, err)
	}
	if waited := time.Since(start); waited > nonceWait/2 {
		t.Fatalf("sent again, the scan waited %v for its first copy", waited)
	}
	if n, err := s.RecoverScans(ctx, at.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("RecoverScans = %d, %v; the resend left nothing to settle", n, err)
	}
	st, err := s.Stats(ctx, "ev1")
	if err != nil || st.CheckedIn != 1 || st.Inside != 1 || len(st.ByGate) != 1 || st.ByGate["A"] != 1 {
		t.Fatalf("Stats = %+v, %v", st, err)
	}

	// Only the scan stored: nothing was decided.
	out := checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: "tk1", Gate: "A", Direction: checkin.Out, Nonce: "a-0002",
		ScannedAt: at.Add(time.Hour), RecordedAt: at.Add(time.Hour)}
	f.CrashAfter(1)
	if _, err := s.RecordScan(ctx, out); err == nil {
		t.Fatal("the exit went through the crash")
	}
	f.Revive()
	again = out
	again.ID, again.RecordedAt = ids.New(), out.RecordedAt.Add(checkin.Abandoned+time.Second)
	start = time.Now()
	got, err = s.RecordScan(ctx, again)
	if err != nil || got.ID != again.ID || got.Result != checkin.OK || !got.Accepted {
		t.Fatalf("sent again once abandoned: %+v, %v; want it decided anew, ok", got, err)
	}
	if waited := time.Since(start); waited > nonceWait/2 {
		t.Fatalf("sent again once abandoned, the exit waited %v", waited)
	}
	if _, inside, err := s.Presence(ctx, "tk1"); err != nil || inside {
		t.Fatalf("Presence: inside %v, %v; want out", inside, err)
	}
	if _, total, err := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", Limit: 10}); err != nil || total != 2 {
		t.Fatalf("ScanLog total = %d, %v; want the entry and the exit", total, err)
	}
}

// A half-done annulment is what `sprout check` names and mends, as the
// janitor's recovery would: taken back from presence, it is finished;
// not, it is undone and the entry stands.
func TestFerretDBIntegrityAnnulHalfDone(t *testing.T) {
	uri, f := storetest.FerretDBWithFaults(t)
	s := openAt(t, uri)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(24 * time.Hour).Add(8 * time.Hour)
	annul := map[string]checkin.Scan{}
	for _, tk := range []string{"tk1", "tk2"} {
		sc, err := s.RecordScan(ctx, checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: tk, Gate: "A", Direction: checkin.In,
			ScannedAt: at, RecordedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		annul[tk] = sc
	}
	// tk1's annulment is marked on the scan only; tk2's took the entry
	// back from presence too.
	for tk, writes := range map[string]int{"tk1": 1, "tk2": 2} {
		f.CrashAfter(writes)
		if _, err := s.AnnulScan(ctx, "ev1", annul[tk].ID, "org", at.Add(time.Minute)); err == nil {
			t.Fatalf("the annulment of %s went through the crash", tk)
		}
		f.Revive()
	}
	settled := at.Add(time.Hour)
	want := []integrity.Drift{
		{What: integrity.ScanAnnulment, Record: "scans/" + annul["tk1"].ID, Stored: "annulling", Actual: "standing"},
		{What: integrity.ScanAnnulment, Record: "scans/" + annul["tk2"].ID, Stored: "annulling", Actual: "annulled"},
	}
	integrity.Sort(want)
	got, err := s.Check(ctx, settled)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Check = %v, %v; want %v", got, err, want)
	}
	if got, err := s.Repair(ctx, settled, got); err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Repair = %v, %v; want %v", got, err, want)
	}
	if got, err := s.Check(ctx, settled); err != nil || len(got) != 0 {
		t.Fatalf("Check after repairing = %v, %v", got, err)
	}
	if st, err := s.Stats(ctx, "ev1"); err != nil || st.CheckedIn != 1 || st.Inside != 1 || st.ByGate["A"] != 1 {
		t.Fatalf("Stats = %+v, %v; want tk1 in at gate A", st, err)
	}
	log, _, err := s.ScanLog(ctx, checkin.LogQuery{EventID: "ev1", TicketID: "tk2", Limit: 10})
	if err != nil || len(log) != 1 || !log[0].AnnulledAt.Equal(at.Add(time.Minute)) || log[0].AnnulledBy != "org" {
		t.Fatalf("tk2's scan = %+v, %v; want annulled by org", log, err)
	}
	if _, err := s.AnnulScan(ctx, "ev1", annul["tk1"].ID, "org", at.Add(2*time.Minute)); err != nil {
		t.Fatalf("annulling tk1's entry again: %v", err)
	}
}

// Each instance keeps an event's counts for a moment: its own scans show at
// once, another instance's once countsFresh has passed.
func TestFerretDBCheckinCountsAcrossInstances(t *testing.T) {
	uri := storetest.FerretDBURI(t)
	a, b := openAt(t, uri), openAt(t, uri)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(24 * time.Hour).Add(8 * time.Hour)
	scan := func(s *Store, ticket string) {
		t.Helper()
		if _, err := s.RecordScan(ctx, checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: ticket, Gate: "A", Direction: checkin.In,
			ScannedAt: at, RecordedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	checkedIn := func(s *Store) int {
		t.Helper()
		st, err := s.Stats(ctx, "ev1")
		if err != nil {
			t.Fatal(err)
		}
		arr, err := s.Arrivals(ctx, "ev1")
		if err != nil || len(arr) != 1 || arr[0].Entries != st.CheckedIn || st.ByGate["A"] != st.CheckedIn {
			t.Fatalf("Stats %+v and Arrivals %v, %v disagree", st, arr, err)
		}
		return st.CheckedIn
	}
	scan(a, "tk1")
	if n := checkedIn(a); n != 1 {
		t.Fatalf("a, after its scan: %d checked in", n)
	}
	if n := checkedIn(b); n != 1 {
		t.Fatalf("b, read first: %d checked in", n)
	}
	scan(a, "tk2")
	if n := checkedIn(a); n != 2 {
		t.Fatalf("a, after its second scan: %d checked in", n)
	}
	time.Sleep(countsFresh)
	if n := checkedIn(b); n != 2 {
		t.Fatalf("b, %v after a's second scan: %d checked in", countsFresh, n)
	}
}

// BenchmarkFerretDBStats derives an event's counts from 5,000 scans of
// 4,000 tickets (and 1,000 exits) on FerretDB, as Stats and Arrivals do
// when their cache is out of date, then as served from it.
func BenchmarkFerretDBStats(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, storetest.FerretDBURI(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	c := s.checkinColls()
	at := time.Now().UTC().Truncate(24 * time.Hour).Add(8 * time.Hour)
	var scans, presence []any
	for i := range 4000 {
		tk := fmt.Sprint("tk", i)
		in := time.Duration(i) * time.Second
		scans = append(scans, newScanDoc(checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: tk, Gate: fmt.Sprint("Cổng ", i%8),
			Direction: checkin.In, ScannedAt: at.Add(in), RecordedAt: at.Add(in), Result: checkin.OK, Accepted: true, FirstInAt: at.Add(in)}))
		p := presenceDoc{TicketID: tk, EventID: "ev1", Inside: true, Entries: 1, FirstInAt: date(at.Add(in)), LastScan: tk}
		if i%4 == 0 {
			out := at.Add(in + time.Hour)
			scans = append(scans, newScanDoc(checkin.Scan{ID: ids.New(), EventID: "ev1", TicketID: tk, Gate: "Cổng 0",
				Direction: checkin.Out, ScannedAt: out, RecordedAt: out, Result: checkin.OK, Accepted: true, FirstInAt: at.Add(in)}))
			p.Inside = false
		}
		presence = append(presence, p)
	}
	if _, err := c.scans.InsertMany(ctx, scans); err != nil {
		b.Fatal(err)
	}
	if _, err := c.presence.InsertMany(ctx, presence); err != nil {
		b.Fatal(err)
	}
	b.Run("derived", func(b *testing.B) {
		for b.Loop() {
			tc, err := c.ticketCounts(ctx, "ev1")
			if err != nil || tc.checkedIn != 4000 || tc.inside != 3000 {
				b.Fatalf("tickets = %+v, %v", tc, err)
			}
			ec, err := c.entryCounts(ctx, "ev1")
			if err != nil || len(ec.byGate) != 8 || ec.byGate["Cổng 0"] != 500 || len(ec.arrivals) != 14 {
				b.Fatalf("entries = %+v, %v", ec, err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Stats(ctx, "ev1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// An event id whose memory the caller reuses afterwards, as Fiber does
// with route parameters, still names its event in the cache: a change
// recorded under it is not lost when the memory is rewritten.
func TestCountsCacheKeepsEventIDs(t *testing.T) {
	var c countsCache
	reads := 0
	read := func() (ticketCounts, error) {
		reads++
		return ticketCounts{checkedIn: reads}, nil
	}
	if got, _ := cachedRead(&c, &c.tickets, "ev1", read); got.checkedIn != 1 {
		t.Fatalf("first read: %+v", got)
	}
	buf := []byte("ev1")
	c.forget(unsafe.String(&buf[0], len(buf)))
	copy(buf, "ev2")
	if got, _ := cachedRead(&c, &c.tickets, "ev1", read); got.checkedIn != 2 {
		t.Fatalf("after a change: %+v, the counts read before it", got)
	}
}
