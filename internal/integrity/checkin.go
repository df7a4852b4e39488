package integrity

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Scan is what the check reads of a scan: only those accepted or without
// a result matter.
type Scan struct {
	ID, EventID, TicketID, Gate string
	In                          bool
	// Result is empty while the scan is being decided, or when a crash
	// stopped that.
	Result   string
	Accepted bool
	Annulled bool
	// AnnullingAt is when an annulment of the scan began that has not
	// marked it yet (zero: none). MongoDB marks the scan before taking the
	// entry back from presence, and marks it annulled after.
	AnnullingAt time.Time
	// Slot is the start of the arrivals slot the scan counts in.
	Slot       time.Time
	ScannedAt  time.Time
	RecordedAt time.Time
}

// Presence is a ticket's stored record of being inside.
type Presence struct {
	TicketID, EventID string
	Inside            bool
	Entries           int
	FirstInAt         time.Time
	LastScan          string
	// Annulled are the entries the ticket's annulments took back, on
	// MongoDB, where this is how an annulment's step on presence is known.
	Annulled []string
}

// Counter names one stored check-in counter.
type Counter struct {
	What    What // CheckedIn, Inside, GateEntries or Arrivals
	EventID string
	Gate    string    // GateEntries only
	Slot    time.Time // Arrivals only
}

// Record names the counter's record.
func (c Counter) Record() string {
	switch c.What {
	case GateEntries:
		return Record("gate_counts", c.EventID, c.Gate)
	case Arrivals:
		return Record("arrivals", c.EventID, c.Slot.UTC().Format(time.RFC3339))
	}
	return Record("checkin_counts", c.EventID)
}

// key is c as a map key: times that are the same instant become equal.
func (c Counter) key() Counter {
	if !c.Slot.IsZero() {
		c.Slot = time.UnixMilli(c.Slot.UnixMilli()).UTC()
	}
	return c
}

// CounterFix sets a counter to what it counts.
type CounterFix struct {
	Counter
	Stored, Want int
}

func (f CounterFix) Drift() Drift {
	return Count(f.What, f.Record(), int64(f.Stored), int64(f.Want))
}

// PendingScan is a scan left without a result. Decided: the ticket's
// presence names it as its latest scan, so its decision was made and it
// is completed as accepted; otherwise its decision was never made and it
// is removed, which frees its nonce for the gate to send it again.
type PendingScan struct {
	Scan
	Decided bool
	// FirstInAt is the ticket's first entry, the completed scan's answer.
	FirstInAt time.Time
}

func (p PendingScan) Drift() Drift {
	d := Drift{What: ScanResult, Record: Record("scans", p.ID), Actual: "removed"}
	if p.Decided {
		d.Actual = "ok"
	}
	return d
}

// PendingAnnul is an annulment a crash left between its steps. Done: the
// ticket's presence took the entry back, so the scan is marked annulled;
// otherwise its mark is cleared and the entry stands.
type PendingAnnul struct {
	ID   string
	Done bool
}

func (p PendingAnnul) Drift() Drift {
	d := Drift{What: ScanAnnulment, Record: Record("scans", p.ID), Stored: "annulling", Actual: "standing"}
	if p.Done {
		d.Actual = "annulled"
	}
	return d
}

// PresenceFix sets a ticket's presence to what its scans say. Known tells
// whether the store holds a record for the ticket.
type PresenceFix struct {
	Known        bool
	Stored, Want Presence
}

// Drifts are the fix's one or two drifts.
func (f PresenceFix) Drifts() []Drift {
	rec := Record("presence", f.Want.TicketID)
	var out []Drift
	if f.Stored.Entries != f.Want.Entries {
		out = append(out, Count(PresenceEntries, rec, int64(f.Stored.Entries), int64(f.Want.Entries)))
	}
	if f.Stored.Inside != f.Want.Inside {
		out = append(out, Drift{What: PresenceInside, Record: rec,
			Stored: strconv.FormatBool(f.Stored.Inside), Actual: strconv.FormatBool(f.Want.Inside)})
	}
	return out
}

// Checkin is where the stored check-in state disagrees with the scans.
type Checkin struct {
	Pending   []PendingScan
	Annulling []PendingAnnul
	Presence  []PresenceFix
	Counters  []CounterFix
}

// Drifts lists them all, sorted.
func (c Checkin) Drifts() []Drift {
	var out []Drift
	for _, p := range c.Pending {
		out = append(out, p.Drift())
	}
	for _, p := range c.Annulling {
		out = append(out, p.Drift())
	}
	for _, p := range c.Presence {
		out = append(out, p.Drifts()...)
	}
	for _, f := range c.Counters {
		out = append(out, f.Drift())
	}
	Sort(out)
	return out
}

// tally is what a ticket's scans add up to.
type tally struct {
	eventID   string
	ins, outs int
	firstIn   time.Time
	last      string
}

// CompareCheckin derives presence and the counters from the scans and
// lists where the stored ones differ; a counter missing from stored is 0.
// A nil stored is a store that keeps no counters (MongoDB derives them
// when read), so none can drift.
//
// A ticket's accepted scans alternate, entry then exit (an entry is
// accepted only while the ticket is out, an exit only while it is in, and
// only the latest entry can be annulled), so its entries are its accepted
// entries not annulled and it is inside when they outnumber its accepted
// exits. Counting needs no order, which matters on MongoDB, where the
// order scans are recorded in is not always the order they were decided
// in. Order (by recorded time) is used only for the first entry's time
// and the latest scan, which a mended presence takes.
func CompareCheckin(scans []Scan, presence []Presence, stored map[Counter]int, settled time.Time) Checkin {
	var out Checkin
	byTicket := make(map[string]Presence, len(presence))
	for _, p := range presence {
		byTicket[p.TicketID] = p
	}
	scans = slices.Clone(scans)
	slices.SortFunc(scans, func(a, b Scan) int {
		return cmp.Or(a.RecordedAt.Compare(b.RecordedAt), strings.Compare(a.ID, b.ID))
	})
	tallies := map[string]*tally{}
	counts := map[Counter]int{}
	for _, sc := range scans {
		if sc.Result == "" {
			p, known := byTicket[sc.TicketID]
			decided := known && sc.TicketID != "" && p.LastScan == sc.ID
			if sc.RecordedAt.Before(settled) {
				out.Pending = append(out.Pending, PendingScan{Scan: sc, Decided: decided, FirstInAt: p.FirstInAt})
			}
			if !decided {
				continue
			}
			sc.Accepted = true
		}
		if !sc.AnnullingAt.IsZero() {
			done := slices.Contains(byTicket[sc.TicketID].Annulled, sc.ID)
			if sc.AnnullingAt.Before(settled) {
				out.Annulling = append(out.Annulling, PendingAnnul{ID: sc.ID, Done: done})
			}
			sc.Annulled = sc.Annulled || done
		}
		if !sc.Accepted || sc.TicketID == "" {
			continue
		}
		t := tallies[sc.TicketID]
		if t == nil {
			t = &tally{eventID: sc.EventID}
			tallies[sc.TicketID] = t
		}
		switch {
		case !sc.In:
			t.outs++
			t.last = sc.ID
		case sc.Annulled:
			t.last = ""
		default:
			t.ins++
			t.last = sc.ID
			if t.firstIn.IsZero() {
				t.firstIn = sc.ScannedAt
			}
			counts[Counter{What: GateEntries, EventID: sc.EventID, Gate: sc.Gate}]++
			counts[Counter{What: Arrivals, EventID: sc.EventID, Slot: sc.Slot}.key()]++
		}
	}
	want := map[string]Presence{}
	for id, t := range tallies {
		p := Presence{TicketID: id, EventID: t.eventID, Entries: t.ins, Inside: t.ins > t.outs, FirstInAt: t.firstIn, LastScan: t.last}
		want[id] = p
		if p.Entries > 0 {
			counts[Counter{What: CheckedIn, EventID: p.EventID}]++
		}
		if p.Inside {
			counts[Counter{What: Inside, EventID: p.EventID}]++
		}
	}
	for id, w := range want {
		s, known := byTicket[id]
		if !known {
			s = Presence{TicketID: id, EventID: w.EventID}
		}
		if f := (PresenceFix{Known: known, Stored: s, Want: w}); len(f.Drifts()) > 0 {
			out.Presence = append(out.Presence, f)
		}
	}
	for id, s := range byTicket {
		if _, ok := want[id]; ok {
			continue
		}
		f := PresenceFix{Known: true, Stored: s, Want: Presence{TicketID: id, EventID: s.EventID}}
		if len(f.Drifts()) > 0 {
			out.Presence = append(out.Presence, f)
		}
	}
	slices.SortFunc(out.Presence, func(a, b PresenceFix) int { return strings.Compare(a.Want.TicketID, b.Want.TicketID) })
	if stored != nil {
		out.Counters = compareCounters(counts, stored)
	}
	return out
}

// compareCounters lists the stored counters that differ from the counts.
func compareCounters(counts, stored map[Counter]int) []CounterFix {
	var out []CounterFix
	have := make(map[Counter]int, len(stored))
	for c, n := range stored {
		have[c.key()] += n
	}
	for c, n := range counts {
		if have[c] != n {
			out = append(out, CounterFix{Counter: c, Stored: have[c], Want: n})
		}
	}
	for c, n := range have {
		if _, ok := counts[c]; !ok && n != 0 {
			out = append(out, CounterFix{Counter: c, Stored: n})
		}
	}
	slices.SortFunc(out, func(a, b CounterFix) int {
		return cmp.Or(strings.Compare(a.Record(), b.Record()), strings.Compare(string(a.What), string(b.What)))
	})
	return out
}
