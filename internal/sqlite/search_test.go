package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sprout/internal/demo"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keyset"
	"sprout/internal/tickets"
)

// An event's size must not weigh on its searches, its registrations page
// or the gate's offline data: on an event of 5,000 tickets each statement
// they run is planned from tickets_fts, the index of cancelled tickets or
// the ticket types, never a walk of the event's tickets. Plans, not
// timings, so the test holds on a busy machine.
func TestTicketListsDoNotReadTheWholeEvent(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "sprout.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	e := events.Event{ID: ids.New(), Slug: "techfest", Title: "Techfest", StartsAt: now, EndsAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	// Enough tickets for the planner to weigh its indexes, few enough for
	// the race detector's run in CI.
	const n = 5000
	tt := events.TicketType{ID: ids.New(), EventID: e.ID, Name: "A", Capacity: n, CreatedAt: now}
	if err := s.CreateTicketType(ctx, tt); err != nil {
		t.Fatal(err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			name, email, phone := demo.Person(i)
			tk := tickets.Ticket{ID: ids.New(), EventID: e.ID, TypeID: tt.ID, Name: fmt.Sprintf("%s %d", name, i), Email: email,
				Phone: phone, Lang: "vi", Status: tickets.Active, Secret: ids.Secret(), CreatedAt: now.Add(time.Duration(i) * time.Millisecond)}
			if i%100 == 0 {
				tk.Status = tickets.Cancelled
			}
			if err := s.insertTicket(ctx, tx, tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, q := range []tickets.Query{
		{},
		{Status: tickets.Active},
		{Status: tickets.Cancelled},
		{TypeID: tt.ID},
		{Text: "nguyen van 12345"},
		{Text: "tran", Status: tickets.Active},
		{Text: "tran", TypeID: tt.ID},
	} {
		q.EventID, q.Limit = e.ID, 50
		if _, _, err := s.ListTickets(ctx, q); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TicketsAfter(ctx, q, keyset.Cursor{At: now.Add(time.Second), ID: "z"}); err != nil {
			t.Fatal(err)
		}
	}
	if ids, err := s.CancelledIDs(ctx, e.ID); err != nil || len(ids) != n/100 {
		t.Fatalf("CancelledIDs = %d, %v", len(ids), err)
	}

	checked := 0
	s.rs.m.Range(func(k, _ any) bool {
		q := k.(string)
		if !strings.Contains(q, "FROM tickets") {
			return true
		}
		checked++
		plan := queryPlan(t, s, q)
		if strings.Contains(plan, "SCAN tickets\n") || strings.HasSuffix(plan, "SCAN tickets") {
			t.Errorf("reads every ticket:\n%s\n%s", q, plan)
		}
		counts := strings.Contains(q, "count(") || strings.Contains(q, "sum(")
		if counts && strings.Contains(plan, "tickets_event") {
			t.Errorf("counts the event's tickets:\n%s\n%s", q, plan)
		}
		if strings.Contains(q, "MATCH") && (!strings.HasPrefix(plan, "SCAN tickets_fts VIRTUAL TABLE") || strings.Contains(plan, "tickets_event")) {
			t.Errorf("a search not led by tickets_fts:\n%s\n%s", q, plan)
		}
		if strings.Contains(q, "'cancelled'") && !strings.Contains(q, "MATCH") && !strings.Contains(plan, "tickets_cancelled") {
			t.Errorf("cancelled tickets not read from their index:\n%s\n%s", q, plan)
		}
		return true
	})
	if checked < 10 {
		t.Fatalf("only %d statements checked", checked)
	}
}

// queryPlan is the plan SQLite makes for q, one step a line, its
// parameters left unbound.
func queryPlan(t *testing.T, s *Store, q string) string {
	t.Helper()
	rows, err := s.r.Query("EXPLAIN QUERY PLAN "+q, make([]any, strings.Count(q, "?"))...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "\n")
}
