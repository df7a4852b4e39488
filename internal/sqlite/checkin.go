package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/keyset"
)

var _ checkin.Store = (*Store)(nil)

const scanCols = `id, event_id, ticket_id, gate, direction, nonce, scanned_at, recorded_at, staff_id, offline, result,
	accepted, conflict, first_in_at, annulled_at, annulled_by`

// arrivalSlot is the five-minute slot a time falls in.
const arrivalSlot = 5 * time.Minute

func scanScan(row interface{ Scan(...any) error }) (checkin.Scan, error) {
	var s checkin.Scan
	var nonce sql.NullString
	var dir, result string
	var scanned, recorded, first, annulled int64
	err := row.Scan(&s.ID, &s.EventID, &s.TicketID, &s.Gate, &dir, &nonce, &scanned, &recorded, &s.StaffID, &s.Offline,
		&result, &s.Accepted, &s.Conflict, &first, &annulled, &s.AnnulledBy)
	if err != nil {
		return s, translate(err)
	}
	s.Direction, s.Nonce, s.Result = checkin.Direction(dir), nonce.String, checkin.Result(result)
	s.ScannedAt, s.RecordedAt, s.FirstInAt, s.AnnulledAt = fromMs(scanned), fromMs(recorded), fromMs(first), fromMs(annulled)
	return s, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Store) RecordScan(ctx context.Context, sc checkin.Scan) (checkin.Scan, error) {
	var out checkin.Scan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if sc.Nonce != "" {
			prev, err := scanScan(s.txRow(ctx, tx, `SELECT `+scanCols+` FROM scans WHERE event_id = ? AND nonce = ?`, sc.EventID, sc.Nonce))
			if err == nil {
				out = prev
				return nil
			}
			if !errors.Is(err, errs.ErrNotFound) {
				return err
			}
		}
		if sc.Result == "" {
			if err := s.decide(ctx, tx, &sc); err != nil {
				return err
			}
		}
		_, err := s.txExec(ctx, tx, `INSERT INTO scans (`+scanCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '')`,
			sc.ID, sc.EventID, sc.TicketID, sc.Gate, string(sc.Direction), nullable(sc.Nonce), ms(sc.ScannedAt), ms(sc.RecordedAt),
			sc.StaffID, sc.Offline, string(sc.Result), sc.Accepted, sc.Conflict, ms(sc.FirstInAt))
		out = sc
		return translate(err)
	})
	return out, err
}

// decide settles a valid ticket's scan against who is inside, and keeps
// the counts in step.
func (s *Store) decide(ctx context.Context, tx *sql.Tx, sc *checkin.Scan) error {
	var inside bool
	var entries int
	var first int64
	err := s.txRow(ctx, tx, `SELECT inside, entries, first_in_at FROM presence WHERE ticket_id = ?`, sc.TicketID).Scan(&inside, &entries, &first)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sc.Result, sc.FirstInAt = checkin.OK, fromMs(first)
	switch {
	case sc.Direction == checkin.Out:
		if !known || !inside {
			return nil
		}
		sc.Accepted = true
		if _, err := s.txExec(ctx, tx, `UPDATE presence SET inside = 0, last_scan = ? WHERE ticket_id = ?`, sc.ID, sc.TicketID); err != nil {
			return err
		}
		return s.count(ctx, tx, sc.EventID, 0, -1)
	case known && inside:
		sc.Result, sc.Conflict = checkin.AlreadyIn, sc.Offline
		return nil
	}
	sc.Accepted = true
	newcomer := entries == 0
	if newcomer {
		sc.FirstInAt = sc.ScannedAt
	}
	_, err = s.txExec(ctx, tx, `INSERT INTO presence (ticket_id, event_id, inside, entries, first_in_at, last_scan)
		VALUES (?, ?, 1, 1, ?, ?)
		ON CONFLICT (ticket_id) DO UPDATE SET inside = 1, entries = entries + 1,
			first_in_at = CASE WHEN entries = 0 THEN excluded.first_in_at ELSE first_in_at END, last_scan = excluded.last_scan`,
		sc.TicketID, sc.EventID, ms(sc.FirstInAt), sc.ID)
	if err != nil {
		return err
	}
	firsts := 0
	if newcomer {
		firsts = 1
	}
	if err := s.count(ctx, tx, sc.EventID, firsts, 1); err != nil {
		return err
	}
	return s.countEntry(ctx, tx, sc.EventID, sc.Gate, sc.ScannedAt, 1)
}

func (s *Store) count(ctx context.Context, tx *sql.Tx, eventID string, checkedIn, inside int) error {
	_, err := s.txExec(ctx, tx, `INSERT INTO checkin_counts (event_id, checked_in, inside) VALUES (?, ?, ?)
		ON CONFLICT (event_id) DO UPDATE SET checked_in = checked_in + excluded.checked_in, inside = inside + excluded.inside`,
		eventID, checkedIn, inside)
	return err
}

func (s *Store) countEntry(ctx context.Context, tx *sql.Tx, eventID, gate string, at time.Time, n int) error {
	if _, err := s.txExec(ctx, tx, `INSERT INTO gate_counts (event_id, gate, entries) VALUES (?, ?, ?)
		ON CONFLICT (event_id, gate) DO UPDATE SET entries = entries + excluded.entries`, eventID, gate, n); err != nil {
		return err
	}
	_, err := s.txExec(ctx, tx, `INSERT INTO arrivals (event_id, slot, entries) VALUES (?, ?, ?)
		ON CONFLICT (event_id, slot) DO UPDATE SET entries = entries + excluded.entries`,
		eventID, at.UnixMilli()/arrivalSlot.Milliseconds(), n)
	return err
}

func (s *Store) AnnulScan(ctx context.Context, eventID, scanID, by string, at time.Time) (checkin.Scan, error) {
	var out checkin.Scan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		sc, err := scanScan(s.txRow(ctx, tx, `SELECT `+scanCols+` FROM scans WHERE id = ? AND event_id = ?`, scanID, eventID))
		if err != nil {
			return err
		}
		if !sc.Accepted || sc.Direction != checkin.In || !sc.AnnulledAt.IsZero() {
			return errs.New(errs.Conflict, "error.scan_not_annullable")
		}
		var last string
		var entries int
		if err := s.txRow(ctx, tx, `SELECT last_scan, entries FROM presence WHERE ticket_id = ?`, sc.TicketID).Scan(&last, &entries); err != nil {
			return translate(err)
		}
		if last != sc.ID {
			return errs.New(errs.Conflict, "error.scan_not_latest")
		}
		if _, err := s.txExec(ctx, tx, `UPDATE scans SET annulled_at = ?, annulled_by = ? WHERE id = ?`, ms(at), by, sc.ID); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, `UPDATE presence SET inside = 0, entries = entries - 1, last_scan = '',
			first_in_at = CASE WHEN entries = 1 THEN 0 ELSE first_in_at END WHERE ticket_id = ?`, sc.TicketID); err != nil {
			return err
		}
		firsts := 0
		if entries == 1 {
			firsts = -1
		}
		if err := s.count(ctx, tx, eventID, firsts, -1); err != nil {
			return err
		}
		if err := s.countEntry(ctx, tx, eventID, sc.Gate, sc.ScannedAt, -1); err != nil {
			return err
		}
		sc.AnnulledAt, sc.AnnulledBy = at, by
		out = sc
		return nil
	})
	return out, err
}

func (s *Store) Stats(ctx context.Context, eventID string) (checkin.Stats, error) {
	st := checkin.Stats{ByGate: map[string]int{}}
	err := s.row(ctx, `SELECT checked_in, inside FROM checkin_counts WHERE event_id = ?`, eventID).Scan(&st.CheckedIn, &st.Inside)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	rows, err := s.rows(ctx, `SELECT gate, entries FROM gate_counts WHERE event_id = ? AND entries > 0`, eventID)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var g string
		var n int
		if err := rows.Scan(&g, &n); err != nil {
			return st, err
		}
		st.ByGate[g] = n
	}
	return st, rows.Err()
}

func (s *Store) Arrivals(ctx context.Context, eventID string) ([]checkin.Arrival, error) {
	rows, err := s.rows(ctx, `SELECT slot, entries FROM arrivals WHERE event_id = ? AND entries > 0 ORDER BY slot`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (checkin.Arrival, error) {
		var slot int64
		var a checkin.Arrival
		err := r.Scan(&slot, &a.Entries)
		a.At = time.UnixMilli(slot * arrivalSlot.Milliseconds()).UTC()
		return a, err
	})
}

// scanFilter is the WHERE clause of a scan log.
func scanFilter(q checkin.LogQuery) ([]string, []any) {
	where, args := []string{"event_id = ?"}, []any{q.EventID}
	if q.Gate != "" {
		where, args = append(where, "gate = ?"), append(args, q.Gate)
	}
	if q.TicketID != "" {
		where, args = append(where, "ticket_id = ?"), append(args, q.TicketID)
	}
	if q.ConflictsOnly {
		where = append(where, "conflict = 1")
	}
	return where, args
}

func (s *Store) ScansAfter(ctx context.Context, q checkin.LogQuery, c keyset.Cursor) ([]checkin.Scan, error) {
	where, args := scanFilter(q)
	where, args = after(where, args, "recorded_at", c)
	rows, err := s.rows(ctx, `SELECT `+scanCols+` FROM scans WHERE `+strings.Join(where, " AND ")+
		` ORDER BY recorded_at DESC, id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanScan)
}

func (s *Store) ScanLog(ctx context.Context, q checkin.LogQuery) ([]checkin.Scan, int, error) {
	where, args := scanFilter(q)
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM scans WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+scanCols+` FROM scans WHERE `+cond+` ORDER BY recorded_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanScan)
	return out, total, err
}

// RecoverScans has nothing to settle: this store records each scan and
// annulment in one transaction.
func (s *Store) RecoverScans(context.Context, time.Time) (int, error) { return 0, nil }

func (s *Store) Presence(ctx context.Context, ticketID string) (time.Time, bool, error) {
	var first int64
	var inside bool
	err := s.row(ctx, `SELECT first_in_at, inside FROM presence WHERE ticket_id = ?`, ticketID).Scan(&first, &inside)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	return fromMs(first), inside, err
}
