package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/sqlite"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
)

func TestIntegrityConformance(t *testing.T) {
	storetest.RunIntegrity(t, func(t *testing.T) (storetest.IntegrityStore, storetest.Tamper) {
		path := filepath.Join(t.TempDir(), "sprout.db")
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		// A connection of the test's own writes behind the store's back.
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return s, tamper{db}
	})
}

// tamper writes the rows directly.
type tamper struct{ db *sql.DB }

func (tamper) KeepsCounters() bool { return true }

func (tp tamper) exec(ctx context.Context, q string, args ...any) error {
	_, err := tp.db.ExecContext(ctx, q, args...)
	return err
}

func (tp tamper) SetCertCounter(ctx context.Context, year int, n int64) error {
	return tp.exec(ctx, `UPDATE certificate_counters SET n = ? WHERE year = ?`, n, year)
}

func (tp tamper) SetSold(ctx context.Context, typeID string, sold int) error {
	return tp.exec(ctx, `UPDATE ticket_types SET sold = ? WHERE id = ?`, sold, typeID)
}

func (tp tamper) SetCheckinCounts(ctx context.Context, eventID string, checkedIn, inside int) error {
	return tp.exec(ctx, `INSERT INTO checkin_counts (event_id, checked_in, inside) VALUES (?, ?, ?)
		ON CONFLICT (event_id) DO UPDATE SET checked_in = excluded.checked_in, inside = excluded.inside`, eventID, checkedIn, inside)
}

func (tp tamper) SetGateEntries(ctx context.Context, eventID, gate string, entries int) error {
	return tp.exec(ctx, `INSERT INTO gate_counts (event_id, gate, entries) VALUES (?, ?, ?)
		ON CONFLICT (event_id, gate) DO UPDATE SET entries = excluded.entries`, eventID, gate, entries)
}

func (tp tamper) SetArrivals(ctx context.Context, eventID string, slot time.Time, entries int) error {
	return tp.exec(ctx, `INSERT INTO arrivals (event_id, slot, entries) VALUES (?, ?, ?)
		ON CONFLICT (event_id, slot) DO UPDATE SET entries = excluded.entries`,
		eventID, slot.UnixMilli()/(5*time.Minute).Milliseconds(), entries)
}

func (tp tamper) SetPresence(ctx context.Context, ticketID string, inside bool, entries int) error {
	return tp.exec(ctx, `UPDATE presence SET inside = ?, entries = ? WHERE ticket_id = ?`, inside, entries, ticketID)
}

func (tp tamper) ClearScanResult(ctx context.Context, scanID string) error {
	return tp.exec(ctx, `UPDATE scans SET result = '', accepted = 0 WHERE id = ?`, scanID)
}

func (tp tamper) InsertPendingScan(ctx context.Context, sc checkin.Scan) error {
	return tp.exec(ctx, `INSERT INTO scans (id, event_id, ticket_id, gate, direction, nonce, scanned_at, recorded_at, staff_id,
		offline, result, accepted, conflict, first_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', 0, 0, 0)`,
		sc.ID, sc.EventID, sc.TicketID, sc.Gate, string(sc.Direction), sc.Nonce, sc.ScannedAt.UnixMilli(), sc.RecordedAt.UnixMilli(), sc.StaffID)
}

func (tp tamper) SetWaitEntry(ctx context.Context, waitID string, status tickets.WaitStatus, ticketID string) error {
	return tp.exec(ctx, `UPDATE waitlist SET status = ?, ticket_id = ? WHERE id = ?`, string(status), ticketID, waitID)
}

func (tp tamper) DeleteCounters(ctx context.Context, eventID string) error {
	for _, table := range []string{"checkin_counts", "gate_counts", "arrivals"} {
		if err := tp.exec(ctx, `DELETE FROM `+table+` WHERE event_id = ?`, eventID); err != nil {
			return err
		}
	}
	return nil
}
