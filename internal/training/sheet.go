package training

import (
	"sprout/internal/events"
	"sprout/internal/tickets"
)

// Row is one participant's line of a course's attendance sheet: which of
// the agenda's sessions they attended, how many, what share, and whether
// that completes the course.
type Row struct {
	Ticket    tickets.Ticket
	Attended  []bool
	Count     int
	Percent   int
	Completed bool
}

// Sheet puts people against the agenda's sessions, in the order given,
// applying the course's rule to each. The percent is rounded down.
func Sheet(c events.Course, agenda []events.AgendaItem, people []tickets.Ticket, attendance []Attendance) []Row {
	seen := map[string]map[string]bool{}
	for _, a := range attendance {
		if seen[a.TicketID] == nil {
			seen[a.TicketID] = map[string]bool{}
		}
		seen[a.TicketID][a.SessionID] = true
	}
	rows := make([]Row, 0, len(people))
	for _, t := range people {
		r := Row{Ticket: t, Attended: make([]bool, len(agenda))}
		for i, a := range agenda {
			if seen[t.ID][a.ID] {
				r.Attended[i] = true
				r.Count++
			}
		}
		if len(agenda) > 0 {
			r.Percent = r.Count * 100 / len(agenda)
		}
		r.Completed = c.Completed(agenda, seen[t.ID])
		rows = append(rows, r)
	}
	return rows
}
