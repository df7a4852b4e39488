package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/ids"
	"sprout/internal/integrity"
)

// CheckinCrashStore is what the check-in crash points need: the gates'
// store, and the check that tells its records agree.
type CheckinCrashStore interface {
	checkin.Store
	integrity.Store
}

// checkinCrashCase is one check-in operation of several writes. setup
// records the scans before it and names the scan it records or annuls;
// meanwhile, when set, is what a gate does after the crash and before any
// recovery, so that the operation's leftovers meet a live decision.
type checkinCrashCase struct {
	name      string
	setup     func(t *testing.T, s CheckinCrashStore) checkinCrashState
	annul     bool
	meanwhile func(t *testing.T, s CheckinCrashStore, st checkinCrashState)
}

type checkinCrashState struct {
	eventID, ticketID string
	// scan is the scan the operation records, or the recorded one it
	// annuls.
	scan checkin.Scan
}

// Times of the crash points: every scan and annulment falls before
// recoverAt, so recovery takes whatever it finds for abandoned.
var (
	annulAt   = t0.Add(3 * time.Hour)
	recoverAt = t0.Add(24 * time.Hour)
)

func (c checkinCrashCase) run(s CheckinCrashStore, st checkinCrashState) (checkin.Scan, error) {
	if c.annul {
		return s.AnnulScan(context.Background(), st.eventID, st.scan.ID, "org", annulAt)
	}
	return s.RecordScan(context.Background(), st.scan)
}

// RunCheckinCrashPoints stops RecordScan and AnnulScan after each of their
// writes in turn, recovers with RecoverScans, and checks that presence and
// the counts are what the scans say, that no scan is left without its
// result nor annulment half done, and that what the gate or organizer does
// next (sending the scan again, annulling again) ends where the operation
// without a crash ends: a resent nonce gets the first scan's answer or is
// decided anew, never refused. open returns a new empty store and its
// faults.
func RunCheckinCrashPoints(t *testing.T, open func(t *testing.T) (CheckinCrashStore, Faults)) {
	withNonce := func(sc checkin.Scan, nonce string) checkin.Scan {
		sc.Nonce = nonce
		return sc
	}
	for _, c := range []checkinCrashCase{
		{name: "FirstEntry", setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return crashScans(t, s, withNonce(scanOf("", "", "Cổng A", checkin.In, t0.Add(time.Hour)), "a-0001"))
		}},
		{name: "FirstEntryWithoutNonce", setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return crashScans(t, s, scanOf("", "", "Cổng A", checkin.In, t0.Add(time.Hour)))
		}},
		{name: "Reentry", setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return crashScans(t, s, withNonce(scanOf("", "", "Cổng B", checkin.In, t0.Add(2*time.Hour)), "b-0002"),
				scanOf("", "", "Cổng A", checkin.In, t0), scanOf("", "", "Cổng A", checkin.Out, t0.Add(time.Hour)))
		}},
		{name: "Exit", setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return crashScans(t, s, withNonce(scanOf("", "", "Cổng B", checkin.Out, t0.Add(time.Hour)), "b-0001"),
				scanOf("", "", "Cổng A", checkin.In, t0))
		}},
		{name: "AlreadyInside", setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return crashScans(t, s, withNonce(scanOf("", "", "Cổng B", checkin.In, t0.Add(time.Hour)), "b-0001"),
				scanOf("", "", "Cổng A", checkin.In, t0))
		}},
		{name: "FirstEntryThenExitElsewhere", setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return crashScans(t, s, withNonce(scanOf("", "", "Cổng A", checkin.In, t0.Add(time.Hour)), "a-0001"))
		}, meanwhile: func(t *testing.T, s CheckinCrashStore, st checkinCrashState) {
			record(t, s, scanOf(st.eventID, st.ticketID, "Cổng B", checkin.Out, t0.Add(2*time.Hour)))
		}},
		{name: "AnnulOnlyEntry", annul: true, setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return annulLast(t, s, scanOf("", "", "Cổng A", checkin.In, t0))
		}},
		{name: "AnnulReentry", annul: true, setup: func(t *testing.T, s CheckinCrashStore) checkinCrashState {
			return annulLast(t, s, scanOf("", "", "Cổng A", checkin.In, t0), scanOf("", "", "Cổng A", checkin.Out, t0.Add(time.Hour)),
				scanOf("", "", "Cổng B", checkin.In, t0.Add(2*time.Hour)))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, f := open(t)
			st := c.setup(t, s)
			before := f.Writes()
			want, err := c.run(s, st)
			if err != nil {
				t.Fatalf("without a crash: %v", err)
			}
			writes := f.Writes() - before
			checkinInvariants(t, s, st, "without a crash")
			end := mustStats(t, s, st.eventID)
			if writes < 2 {
				t.Fatalf("%d writes: nothing to crash between", writes)
			}
			for n := range writes {
				t.Run(fmt.Sprintf("after write %d of %d", n, writes), func(t *testing.T) {
					s, f := open(t)
					st := c.setup(t, s)
					f.CrashAfter(n)
					_, err := c.run(s, st)
					f.Revive()
					if err == nil {
						t.Fatalf("the operation went through a crash after write %d", n)
					}
					if c.meanwhile != nil {
						c.meanwhile(t, s, st)
					}
					ctx := context.Background()
					if _, err := s.RecoverScans(ctx, recoverAt); err != nil {
						t.Fatalf("recover: %v", err)
					}
					when := fmt.Sprintf("crashed after write %d, recovered", n)
					checkinInvariants(t, s, st, when)
					settleAgain(t, s, c, st, want, when)
					checkinInvariants(t, s, st, "after the operation again")
					if c.meanwhile == nil {
						if got := mustStats(t, s, st.eventID); fmt.Sprint(got) != fmt.Sprint(end) {
							t.Errorf("stats after the operation again: %+v; without a crash %+v", got, end)
						}
					}
					// Recovering again finds nothing.
					if n, err := s.RecoverScans(ctx, recoverAt); err != nil || n != 0 {
						t.Fatalf("recover again: %d settled, %v", n, err)
					}
					checkinInvariants(t, s, st, "recovered twice")
				})
			}
		})
	}
}

// crashScans records before on one ticket of a new event and names scan,
// of that ticket, as the one to record.
func crashScans(t *testing.T, s CheckinCrashStore, scan checkin.Scan, before ...checkin.Scan) checkinCrashState {
	t.Helper()
	st := checkinCrashState{eventID: ids.New(), ticketID: ids.New()}
	for _, sc := range before {
		sc.EventID, sc.TicketID = st.eventID, st.ticketID
		record(t, s, sc)
	}
	scan.EventID, scan.TicketID = st.eventID, st.ticketID
	st.scan = scan
	return st
}

// annulLast records scans on one ticket of a new event and names the last
// to annul.
func annulLast(t *testing.T, s CheckinCrashStore, scans ...checkin.Scan) checkinCrashState {
	t.Helper()
	st := crashScans(t, s, scans[len(scans)-1], scans[:len(scans)-1]...)
	st.scan = record(t, s, st.scan)
	return st
}

// settleAgain does what follows a failed operation once recovery ran: a
// scan recovery removed is sent again, with its nonce if it had one, and
// an annulment recovery undid is made again. Either way the outcome is
// the one the operation has without a crash.
func settleAgain(t *testing.T, s CheckinCrashStore, c checkinCrashCase, st checkinCrashState, want checkin.Scan, when string) {
	t.Helper()
	ctx := context.Background()
	logged, found := scanInLog(t, s, st, st.scan.ID)
	if c.annul {
		if !found {
			t.Fatalf("%s: the scan to annul is gone", when)
		}
		if !logged.AnnulledAt.IsZero() {
			if !logged.AnnulledAt.Equal(annulAt) || logged.AnnulledBy != "org" {
				t.Errorf("%s: annulled %v by %q; want %v by org", when, logged.AnnulledAt, logged.AnnulledBy, annulAt)
			}
			return
		}
		if _, err := s.AnnulScan(ctx, st.eventID, st.scan.ID, "org", annulAt); err != nil {
			t.Fatalf("%s: annulling again: %v", when, err)
		}
		return
	}
	if found && (logged.Result != want.Result || logged.Accepted != want.Accepted) {
		t.Errorf("%s: the scan is logged %s (accepted %v); without a crash %s (accepted %v)",
			when, logged.Result, logged.Accepted, want.Result, want.Accepted)
	}
	if st.scan.Nonce == "" && found {
		return
	}
	again := st.scan
	again.ID = ids.New()
	got, err := s.RecordScan(ctx, again)
	switch {
	case err != nil:
		t.Fatalf("%s: sending the scan again: %v", when, err)
	case got.Result != want.Result || got.Accepted != want.Accepted:
		t.Errorf("%s: sent again, the scan is %s (accepted %v); without a crash %s (accepted %v)",
			when, got.Result, got.Accepted, want.Result, want.Accepted)
	case found && got.ID != st.scan.ID:
		t.Errorf("%s: sent again with its nonce, scan %s is recorded beside the first %s", when, got.ID, st.scan.ID)
	case !found && got.ID != again.ID:
		t.Errorf("%s: sent again, the scan is answered by %s, which the log does not hold", when, got.ID)
	}
}

func scanInLog(t *testing.T, s CheckinCrashStore, st checkinCrashState, id string) (checkin.Scan, bool) {
	t.Helper()
	for _, sc := range eventLog(t, s, st.eventID) {
		if sc.ID == id {
			return sc, true
		}
	}
	return checkin.Scan{}, false
}

func eventLog(t *testing.T, s CheckinCrashStore, eventID string) []checkin.Scan {
	t.Helper()
	list, total, err := s.ScanLog(context.Background(), checkin.LogQuery{EventID: eventID, Limit: 100})
	if err != nil || total != len(list) {
		t.Fatalf("ScanLog = %d of %d, %v", len(list), total, err)
	}
	return list
}

func mustStats(t *testing.T, s CheckinCrashStore, eventID string) checkin.Stats {
	t.Helper()
	st, err := s.Stats(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkinInvariants checks what recovery must leave, whatever happened:
// the store's own check finds nothing half done or drifted, and the
// counts, arrivals and presence are what the logged scans say.
func checkinInvariants(t *testing.T, s CheckinCrashStore, st checkinCrashState, when string) {
	t.Helper()
	ctx := context.Background()
	if ds, err := s.Check(ctx, recoverAt); err != nil || len(ds) != 0 {
		t.Errorf("%s: check: %v, %v", when, ds, err)
	}
	// A ticket's entries stand unless annulled; it is inside while they
	// outnumber its accepted exits.
	entries, exits := 0, 0
	var firstIn time.Time
	byGate, slots := map[string]int{}, map[time.Time]int{}
	for _, sc := range eventLog(t, s, st.eventID) {
		switch {
		case !sc.Accepted:
		case sc.Direction == checkin.Out:
			exits++
		case sc.AnnulledAt.IsZero():
			entries++
			byGate[sc.Gate]++
			slots[sc.ScannedAt.Truncate(5*time.Minute)]++
			if firstIn.IsZero() || sc.ScannedAt.Before(firstIn) {
				firstIn = sc.ScannedAt
			}
		}
	}
	inside := entries > exits
	want := checkin.Stats{ByGate: byGate}
	if entries > 0 {
		want.CheckedIn = 1
	}
	if inside {
		want.Inside = 1
	}
	if got := mustStats(t, s, st.eventID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: stats %+v; the scans say %+v", when, got, want)
	}
	var wantArrivals []checkin.Arrival
	for _, at := range slices.SortedFunc(maps.Keys(slots), time.Time.Compare) {
		wantArrivals = append(wantArrivals, checkin.Arrival{At: at, Entries: slots[at]})
	}
	if got, err := s.Arrivals(ctx, st.eventID); err != nil || fmt.Sprint(got) != fmt.Sprint(wantArrivals) {
		t.Errorf("%s: arrivals %v, %v; the scans say %v", when, got, err, wantArrivals)
	}
	gotFirst, gotInside, err := s.Presence(ctx, st.ticketID)
	if err != nil || !gotFirst.Equal(firstIn) || gotInside != inside {
		t.Errorf("%s: presence first in %v, inside %v, %v; the scans say %v, %v", when, gotFirst, gotInside, err, firstIn, inside)
	}
}
