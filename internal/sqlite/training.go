package sqlite

import (
	"context"

	"sprout/internal/training"
)

var _ training.Store = (*Store)(nil)

const attendanceCols = `event_id, session_id, ticket_id, at, by_user, source`

func scanAttendance(row interface{ Scan(...any) error }) (training.Attendance, error) {
	var a training.Attendance
	var at int64
	err := row.Scan(&a.EventID, &a.SessionID, &a.TicketID, &at, &a.By, &a.Source)
	a.At = fromMs(at)
	return a, translate(err)
}

func (s *Store) RecordAttendance(ctx context.Context, a training.Attendance) (training.Attendance, bool, error) {
	res, err := s.exec(ctx, `INSERT INTO attendance (`+attendanceCols+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (ticket_id, session_id) DO NOTHING`, a.EventID, a.SessionID, a.TicketID, ms(a.At), a.By, string(a.Source))
	if err != nil {
		return a, false, translate(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return a, err == nil, err
	}
	first, err := scanAttendance(s.row(ctx, `SELECT `+attendanceCols+` FROM attendance WHERE ticket_id = ? AND session_id = ?`,
		a.TicketID, a.SessionID))
	return first, false, err
}

func (s *Store) UndoAttendance(ctx context.Context, eventID, sessionID, ticketID string) (bool, error) {
	res, err := s.exec(ctx, `DELETE FROM attendance WHERE ticket_id = ? AND session_id = ? AND event_id = ?`,
		ticketID, sessionID, eventID)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) SessionAttendance(ctx context.Context, eventID, sessionID string) ([]training.Attendance, error) {
	rows, err := s.rows(ctx, `SELECT `+attendanceCols+` FROM attendance WHERE event_id = ? AND session_id = ?
		ORDER BY at, ticket_id`, eventID, sessionID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAttendance)
}

func (s *Store) EventAttendance(ctx context.Context, eventID string) ([]training.Attendance, error) {
	rows, err := s.rows(ctx, `SELECT `+attendanceCols+` FROM attendance WHERE event_id = ? ORDER BY at, session_id, ticket_id`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAttendance)
}
