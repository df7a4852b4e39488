package web

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"sprout/internal/tickets"
)

// fakeList serves pages of rows, newest first, and lets a test change the
// rows between two page reads, as registrations and cancellations do
// during a long export.
type fakeList struct {
	rows  []tickets.Ticket
	calls int
	// between runs before every read but the first.
	between func(f *fakeList)
}

func (f *fakeList) list(_ context.Context, q tickets.Query) ([]tickets.Ticket, int, error) {
	if f.calls++; f.calls > 1 && f.between != nil {
		f.between(f)
	}
	from := min(q.Offset, len(f.rows))
	return slices.Clone(f.rows[from:min(from+q.Limit, len(f.rows))]), len(f.rows), nil
}

var exportBase = time.Now().UTC().Truncate(time.Millisecond)

// ticketAt makes ticket n; three share each millisecond, so ties are
// broken by id as the stores do.
func ticketAt(n int) tickets.Ticket {
	return tickets.Ticket{ID: fmt.Sprintf("t%06d", n), CreatedAt: exportBase.Add(time.Duration(n/3) * time.Millisecond)}
}

func newestFirst(from, to int) []tickets.Ticket {
	var out []tickets.Ticket
	for n := to - 1; n >= from; n-- {
		out = append(out, ticketAt(n))
	}
	return out
}

func exported(t *testing.T, f *fakeList) []string {
	t.Helper()
	x := &export{ctx: context.Background(), list: f.list, q: tickets.Query{Limit: exportBatch}}
	var err error
	if x.first, x.total, err = x.list(x.ctx, x.q); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := x.each(func(t tickets.Ticket) error { ids = append(ids, t.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	return ids
}

func wantEach(t *testing.T, got []string, want []tickets.Ticket) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows exported, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i] != w.ID {
			t.Fatalf("row %d is %s, want %s", i, got[i], w.ID)
		}
	}
}

func TestExportWritesEachRegistrationOnce(t *testing.T) {
	t.Run("quiet", func(t *testing.T) {
		wantEach(t, exported(t, &fakeList{rows: newestFirst(0, 2345)}), newestFirst(0, 2345))
	})
	t.Run("people register meanwhile", func(t *testing.T) {
		next := 2345
		f := &fakeList{rows: newestFirst(0, 2345), between: func(f *fakeList) {
			f.rows = append(newestFirst(next, next+120), f.rows...)
			next += 120
		}}
		wantEach(t, exported(t, f), newestFirst(0, 2345))
	})
	t.Run("a status filter loses rows meanwhile", func(t *testing.T) {
		// Tickets written already are cancelled and leave the list.
		f := &fakeList{rows: newestFirst(0, 2345), between: func(f *fakeList) { f.rows = f.rows[30:] }}
		wantEach(t, exported(t, f), newestFirst(0, 2345))
	})
}
