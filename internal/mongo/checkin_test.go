package mongo

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/ids"
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
