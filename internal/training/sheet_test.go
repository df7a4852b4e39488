package training

import (
	"testing"

	"sprout/internal/events"
	"sprout/internal/tickets"
)

func TestSheetAppliesTheRule(t *testing.T) {
	agenda := []events.AgendaItem{{ID: "s1"}, {ID: "s2"}, {ID: "s3"}}
	c := events.Course{Enabled: true, MinPercent: 60, Required: []string{"s3"}}
	people := []tickets.Ticket{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	att := []Attendance{{TicketID: "a", SessionID: "s1"}, {TicketID: "a", SessionID: "s3"},
		{TicketID: "b", SessionID: "s1"}, {TicketID: "b", SessionID: "s2"}, {TicketID: "x", SessionID: "s1"}}
	rows := Sheet(c, agenda, people, att)
	if len(rows) != 3 {
		t.Fatalf("rows: %+v", rows)
	}
	for i, want := range []struct {
		marks     string
		count, pc int
		completed bool
	}{{"x.x", 2, 66, true}, {"xx.", 2, 66, false}, {"...", 0, 0, false}} {
		marks := ""
		for _, a := range rows[i].Attended {
			marks += map[bool]string{true: "x", false: "."}[a]
		}
		if r := rows[i]; marks != want.marks || r.Count != want.count || r.Percent != want.pc || r.Completed != want.completed {
			t.Errorf("row %d: %s %d %d %v, want %+v", i, marks, r.Count, r.Percent, r.Completed, want)
		}
	}
}
