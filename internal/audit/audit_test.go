package audit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sprout/internal/audit"
	"sprout/internal/clock"
	"sprout/internal/errs"
)

// memory is a log in memory, read newest first as the stores read it.
type memory struct {
	entries []audit.Entry
	reads   int
}

func (m *memory) AppendAudit(_ context.Context, e audit.Entry) error {
	m.entries = append(m.entries, e)
	return nil
}

func (m *memory) Audit(_ context.Context, q audit.Query) ([]audit.Entry, int, error) {
	m.reads++
	var kept []audit.Entry
	for _, e := range slices.Backward(m.entries) {
		if q.To.IsZero() || e.At.Before(q.To) {
			kept = append(kept, e)
		}
	}
	total := len(kept)
	kept = kept[min(q.Offset, len(kept)):]
	return kept[:min(q.Limit, len(kept))], total, nil
}

func TestRecordStampsAndRefusesAnEntryWithoutActorOrAction(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC))
	m := &memory{}
	s := audit.NewService(m, clk)
	ctx := context.Background()
	if err := s.Record(ctx, audit.Entry{ActorID: "u1", Action: "event.update"}); err != nil {
		t.Fatal(err)
	}
	if len(m.entries) != 1 || m.entries[0].ID == "" || !m.entries[0].At.Equal(clk.Now()) {
		t.Fatalf("recorded %+v", m.entries)
	}
	for _, e := range []audit.Entry{{Action: "event.update"}, {ActorID: "u1"}} {
		if err := s.Record(ctx, e); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("Record(%+v) = %v, want invalid", e, err)
		}
	}
}

// TestEachReadsEveryEntryPageByPageUpToItsStart: an export reads the log
// in pages whatever the query's paging, every entry once, and leaves out
// what is added from its start on.
func TestEachReadsEveryEntryPageByPageUpToItsStart(t *testing.T) {
	start := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	m := &memory{}
	n := audit.MaxLimit*2 + 3
	for i := range n {
		m.entries = append(m.entries, audit.Entry{At: start.Add(time.Duration(i-n) * time.Second)})
	}
	m.entries = append(m.entries, audit.Entry{At: start.Add(time.Second)})
	s := audit.NewService(m, clock.NewManual(start))
	var seen []audit.Entry
	if err := s.Each(context.Background(), audit.Query{Offset: 7, Limit: 2}, func(e audit.Entry) error {
		seen = append(seen, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != n || m.reads != 3 || !seen[0].At.Equal(start.Add(-time.Second)) || !seen[n-1].At.Equal(start.Add(-time.Duration(n)*time.Second)) {
		t.Fatalf("Each saw %d entries in %d reads, first %v, last %v; want %d in 3", len(seen), m.reads, seen[0].At, seen[len(seen)-1].At, n)
	}
}
