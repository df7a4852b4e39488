package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sprout/internal/integrity"
)

var _ integrity.Store = (*Store)(nil)

// querier is a transaction, of the readers or of the writer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

type soldFix struct {
	typeID        string
	stored, count int
}

// findings are the drifts with what mending each needs.
type findings struct {
	sold    []soldFix
	checkin integrity.Checkin
	waits   []integrity.WaitFix
	certs   []integrity.CertSeqFix
}

func (f findings) drifts() []integrity.Drift {
	out := f.checkin.Drifts()
	for _, s := range f.sold {
		out = append(out, integrity.SoldDrift(s.typeID, s.stored, s.count))
	}
	for _, w := range f.waits {
		out = append(out, w.Drift())
	}
	for _, c := range f.certs {
		out = append(out, c.Drift())
	}
	integrity.Sort(out)
	return out
}

// Check reads one snapshot: a read transaction sees the file as it was at
// its first read, whatever the writer commits meanwhile.
func (s *Store) Check(ctx context.Context, settled time.Time) ([]integrity.Drift, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.unavailable(err)
	}
	defer tx.Rollback()
	f, err := find(ctx, tx, settled)
	if err != nil {
		return nil, s.unavailable(err)
	}
	return f.drifts(), nil
}

// Repair finds and mends in one write transaction, so no write comes in
// between: what it sets is exactly what the rows count. Writes wait for it
// meanwhile, as for any transaction of the single writer.
func (s *Store) Repair(ctx context.Context, settled time.Time, seen []integrity.Drift) ([]integrity.Drift, error) {
	var mended findings
	err := s.tx(ctx, func(tx *sql.Tx) error {
		f, err := find(ctx, tx, settled)
		if err != nil {
			return err
		}
		return mend(ctx, tx, f, seen, &mended)
	})
	if err != nil {
		return nil, err
	}
	return mended.drifts(), nil
}

// mend applies the fixes of f whose drifts are all in seen and adds them
// to done.
func mend(ctx context.Context, tx *sql.Tx, f findings, seen []integrity.Drift, done *findings) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	for _, x := range f.sold {
		if !integrity.Seen(seen, integrity.SoldDrift(x.typeID, x.stored, x.count)) {
			continue
		}
		if err := exec(`UPDATE ticket_types SET sold = ? WHERE id = ?`, x.count, x.typeID); err != nil {
			return err
		}
		done.sold = append(done.sold, x)
	}
	for _, p := range f.checkin.Pending {
		if !integrity.Seen(seen, p.Drift()) {
			continue
		}
		var err error
		if p.Decided {
			err = exec(`UPDATE scans SET result = 'ok', accepted = 1, conflict = 0, first_in_at = ? WHERE id = ? AND result = ''`,
				ms(p.FirstInAt), p.ID)
		} else {
			err = exec(`DELETE FROM scans WHERE id = ? AND result = ''`, p.ID)
		}
		if err != nil {
			return err
		}
		done.checkin.Pending = append(done.checkin.Pending, p)
	}
	for _, p := range f.checkin.Presence {
		if !integrity.SeenAll(seen, p.Drifts()) {
			continue
		}
		w := p.Want
		err := exec(`INSERT INTO presence (ticket_id, event_id, inside, entries, first_in_at, last_scan) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (ticket_id) DO UPDATE SET event_id = excluded.event_id, inside = excluded.inside, entries = excluded.entries,
				first_in_at = excluded.first_in_at, last_scan = excluded.last_scan`,
			w.TicketID, w.EventID, w.Inside, w.Entries, ms(w.FirstInAt), w.LastScan)
		if err != nil {
			return err
		}
		done.checkin.Presence = append(done.checkin.Presence, p)
	}
	for _, c := range f.checkin.Counters {
		if !integrity.Seen(seen, c.Drift()) {
			continue
		}
		var err error
		switch c.What {
		case integrity.CheckedIn:
			err = exec(`INSERT INTO checkin_counts (event_id, checked_in) VALUES (?, ?)
				ON CONFLICT (event_id) DO UPDATE SET checked_in = excluded.checked_in`, c.EventID, c.Want)
		case integrity.Inside:
			err = exec(`INSERT INTO checkin_counts (event_id, inside) VALUES (?, ?)
				ON CONFLICT (event_id) DO UPDATE SET inside = excluded.inside`, c.EventID, c.Want)
		case integrity.GateEntries:
			err = exec(`INSERT INTO gate_counts (event_id, gate, entries) VALUES (?, ?, ?)
				ON CONFLICT (event_id, gate) DO UPDATE SET entries = excluded.entries`, c.EventID, c.Gate, c.Want)
		case integrity.Arrivals:
			err = exec(`INSERT INTO arrivals (event_id, slot, entries) VALUES (?, ?, ?)
				ON CONFLICT (event_id, slot) DO UPDATE SET entries = excluded.entries`,
				c.EventID, c.Slot.UnixMilli()/arrivalSlot.Milliseconds(), c.Want)
		default:
			err = fmt.Errorf("sqlite: no counter %q", c.What)
		}
		if err != nil {
			return err
		}
		done.checkin.Counters = append(done.checkin.Counters, c)
	}
	for _, w := range f.waits {
		if !integrity.Seen(seen, w.Drift()) {
			continue
		}
		if err := exec(`UPDATE waitlist SET status = ?, ticket_id = ? WHERE id = ?`, string(w.Status), w.TicketID, w.EntryID); err != nil {
			return err
		}
		done.waits = append(done.waits, w)
	}
	for _, c := range f.certs {
		if !integrity.Seen(seen, c.Drift()) {
			continue
		}
		if err := exec(`INSERT INTO certificate_counters (year, n) VALUES (?, ?)
			ON CONFLICT (year) DO UPDATE SET n = excluded.n`, c.Year, c.Highest); err != nil {
			return err
		}
		done.certs = append(done.certs, c)
	}
	return nil
}

// find reads what the invariants compare, through q.
func find(ctx context.Context, q querier, settled time.Time) (findings, error) {
	var f findings
	var err error
	if f.sold, err = findSold(ctx, q); err != nil {
		return f, err
	}
	if f.checkin, err = findCheckin(ctx, q, settled); err != nil {
		return f, err
	}
	if f.waits, err = findWaits(ctx, q); err != nil {
		return f, err
	}
	f.certs, err = findCertSeqs(ctx, q)
	return f, err
}

func findCertSeqs(ctx context.Context, q querier) ([]integrity.CertSeqFix, error) {
	var codes []string
	err := each(ctx, q, `SELECT code FROM certificates`, nil, func(r *sql.Rows) error {
		var c string
		err := r.Scan(&c)
		codes = append(codes, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	stored := map[int]int64{}
	err = each(ctx, q, `SELECT year, n FROM certificate_counters`, nil, func(r *sql.Rows) error {
		var y int
		var n int64
		err := r.Scan(&y, &n)
		stored[y] = n
		return err
	})
	return integrity.CompareCertSeqs(codes, stored), err
}

// each runs query through q and calls fn for every row.
func each(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func findSold(ctx context.Context, q querier) ([]soldFix, error) {
	var out []soldFix
	err := each(ctx, q, `SELECT id, sold, n FROM (SELECT id, sold,
		(SELECT count(*) FROM tickets t WHERE t.type_id = tt.id AND t.status = 'active') AS n FROM ticket_types tt)
		WHERE sold != n ORDER BY id`, nil, func(r *sql.Rows) error {
		var x soldFix
		err := r.Scan(&x.typeID, &x.stored, &x.count)
		out = append(out, x)
		return err
	})
	return out, err
}

func findCheckin(ctx context.Context, q querier, settled time.Time) (integrity.Checkin, error) {
	var scans []integrity.Scan
	// A scan neither accepted nor left without a result changes nothing.
	err := each(ctx, q, `SELECT id, event_id, ticket_id, gate, direction, result, accepted, annulled_at, scanned_at, recorded_at
		FROM scans WHERE result = '' OR accepted = 1`, nil, func(r *sql.Rows) error {
		var sc integrity.Scan
		var dir string
		var annulled, scanned, recorded int64
		if err := r.Scan(&sc.ID, &sc.EventID, &sc.TicketID, &sc.Gate, &dir, &sc.Result, &sc.Accepted, &annulled, &scanned, &recorded); err != nil {
			return err
		}
		sc.In, sc.Annulled = dir == "in", annulled != 0
		sc.ScannedAt, sc.RecordedAt = fromMs(scanned), fromMs(recorded)
		sc.Slot = time.UnixMilli(scanned / arrivalSlot.Milliseconds() * arrivalSlot.Milliseconds()).UTC()
		scans = append(scans, sc)
		return nil
	})
	if err != nil {
		return integrity.Checkin{}, err
	}
	var presence []integrity.Presence
	err = each(ctx, q, `SELECT ticket_id, event_id, inside, entries, first_in_at, last_scan FROM presence`, nil, func(r *sql.Rows) error {
		var p integrity.Presence
		var first int64
		err := r.Scan(&p.TicketID, &p.EventID, &p.Inside, &p.Entries, &first, &p.LastScan)
		p.FirstInAt = fromMs(first)
		presence = append(presence, p)
		return err
	})
	if err != nil {
		return integrity.Checkin{}, err
	}
	stored := map[integrity.Counter]int{}
	err = each(ctx, q, `SELECT event_id, checked_in, inside FROM checkin_counts`, nil, func(r *sql.Rows) error {
		var ev string
		var in, inside int
		err := r.Scan(&ev, &in, &inside)
		stored[integrity.Counter{What: integrity.CheckedIn, EventID: ev}] = in
		stored[integrity.Counter{What: integrity.Inside, EventID: ev}] = inside
		return err
	})
	if err != nil {
		return integrity.Checkin{}, err
	}
	err = each(ctx, q, `SELECT event_id, gate, entries FROM gate_counts`, nil, func(r *sql.Rows) error {
		c := integrity.Counter{What: integrity.GateEntries}
		var n int
		err := r.Scan(&c.EventID, &c.Gate, &n)
		stored[c] = n
		return err
	})
	if err != nil {
		return integrity.Checkin{}, err
	}
	err = each(ctx, q, `SELECT event_id, slot, entries FROM arrivals`, nil, func(r *sql.Rows) error {
		c := integrity.Counter{What: integrity.Arrivals}
		var slot int64
		var n int
		err := r.Scan(&c.EventID, &slot, &n)
		c.Slot = time.UnixMilli(slot * arrivalSlot.Milliseconds()).UTC()
		stored[c] = n
		return err
	})
	if err != nil {
		return integrity.Checkin{}, err
	}
	return integrity.CompareCheckin(scans, presence, stored, settled), nil
}

func findWaits(ctx context.Context, q querier) ([]integrity.WaitFix, error) {
	type entry struct{ id, eventID, typeID, emailKey, ticketID string }
	var entries []entry
	err := each(ctx, q, `SELECT id, event_id, type_id, email_key, ticket_id FROM waitlist w
		WHERE status = 'promoted' AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = w.ticket_id) ORDER BY id`, nil,
		func(r *sql.Rows) error {
			var e entry
			err := r.Scan(&e.id, &e.eventID, &e.typeID, &e.emailKey, &e.ticketID)
			entries = append(entries, e)
			return err
		})
	if err != nil {
		return nil, err
	}
	var out []integrity.WaitFix
	for _, e := range entries {
		var heldID, heldType string
		err := each(ctx, q, `SELECT id, type_id FROM tickets WHERE event_id = ? AND email_key = ? AND status = 'active'`,
			[]any{e.eventID, e.emailKey}, func(r *sql.Rows) error { return r.Scan(&heldID, &heldType) })
		if err != nil {
			return nil, err
		}
		waiting := false
		err = each(ctx, q, `SELECT 1 FROM waitlist WHERE event_id = ? AND email_key = ? AND status = 'waiting' AND id != ?`,
			[]any{e.eventID, e.emailKey, e.id}, func(*sql.Rows) error {
				waiting = true
				return nil
			})
		if err != nil {
			return nil, err
		}
		out = append(out, integrity.SettleWait(e.id, e.typeID, e.ticketID, heldID, heldType, waiting))
	}
	return out, nil
}
