package integrity

import "sprout/internal/tickets"

// SoldDrift is a ticket type whose seats taken are not its active tickets.
func SoldDrift(typeID string, stored, active int) Drift {
	return Count(Sold, Record("ticket_types", typeID), int64(stored), int64(active))
}

// SeqDrift is a type whose next waitlist number is below one it gave.
func SeqDrift(typeID string, stored, highest int64) Drift {
	return Count(WaitlistSeq, Record("ticket_types", typeID), stored, highest)
}

// WaitFix is a waitlist entry marked promoted whose ticket is missing.
type WaitFix struct {
	EntryID string
	// StoredTicket is the ticket id the entry holds, "" for none.
	StoredTicket string
	// Status is what the entry becomes, with TicketID when Promoted.
	Status   tickets.WaitStatus
	TicketID string
}

// SettleWait decides what an entry promoted without its ticket becomes.
// heldID and heldType are the active ticket its person holds at the event
// ("" for none); waiting tells whether the person waits in another entry.
// A ticket of the entry's type is the one the promotion wrote before a
// crash kept the entry from naming it, so the entry takes it; a ticket of
// another type, or another place in line, means the person went on
// without this entry; otherwise the entry goes back in line, as a
// promotion that fails puts it back: the seat it held counts as free
// again, for sold counts active tickets.
func SettleWait(entryID, typeID, storedTicket, heldID, heldType string, waiting bool) WaitFix {
	f := WaitFix{EntryID: entryID, StoredTicket: storedTicket, Status: tickets.Waiting}
	switch {
	case heldID != "" && heldType == typeID:
		f.Status, f.TicketID = tickets.Promoted, heldID
	case heldID != "" || waiting:
		f.Status = tickets.Left
	}
	return f
}

func (f WaitFix) Drift() Drift {
	show := func(status tickets.WaitStatus, ticket string) string {
		if status != tickets.Promoted {
			return string(status)
		}
		if ticket == "" {
			ticket = "none"
		}
		return string(status) + ", ticket " + ticket
	}
	stored := show(tickets.Promoted, f.StoredTicket)
	if f.StoredTicket != "" {
		stored += " (missing)"
	}
	return Drift{What: WaitlistTicket, Record: Record("waitlist", f.EntryID), Stored: stored, Actual: show(f.Status, f.TicketID)}
}
