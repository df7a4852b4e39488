package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sprout/internal/staffing"
)

var _ staffing.Store = (*Store)(nil)

func (s *Store) SetGates(ctx context.Context, eventID string, names []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, `DELETE FROM event_gates WHERE event_id = ?`, eventID); err != nil {
			return err
		}
		for i, n := range names {
			if _, err := s.txExec(ctx, tx, `INSERT INTO event_gates (event_id, position, name) VALUES (?, ?, ?)`, eventID, i, n); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) Gates(ctx context.Context, eventID string) ([]string, error) {
	rows, err := s.rows(ctx, `SELECT name FROM event_gates WHERE event_id = ? ORDER BY position`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (s *Store) AddStaff(ctx context.Context, a staffing.Assignment) error {
	_, err := s.exec(ctx, `INSERT INTO event_staff (event_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)`,
		a.EventID, a.UserID, a.AssignedBy, ms(a.AssignedAt))
	return translate(err)
}

func (s *Store) IsStaff(ctx context.Context, eventID, userID string) (bool, error) {
	var one int
	err := s.row(ctx, `SELECT 1 FROM event_staff WHERE event_id = ? AND user_id = ?`, eventID, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (s *Store) RemoveStaff(ctx context.Context, eventID, userID string) error {
	return affected(s.exec(ctx, `DELETE FROM event_staff WHERE event_id = ? AND user_id = ?`, eventID, userID))
}

func (s *Store) EventStaff(ctx context.Context, eventID string) ([]staffing.Assignment, error) {
	return s.assignments(ctx, `SELECT event_id, user_id, assigned_by, assigned_at FROM event_staff
		WHERE event_id = ? ORDER BY assigned_at, user_id`, eventID)
}

func (s *Store) UserAssignments(ctx context.Context, userID string) ([]staffing.Assignment, error) {
	return s.assignments(ctx, `SELECT event_id, user_id, assigned_by, assigned_at FROM event_staff
		WHERE user_id = ? ORDER BY assigned_at DESC, event_id DESC`, userID)
}

func (s *Store) assignments(ctx context.Context, q string, arg string) ([]staffing.Assignment, error) {
	rows, err := s.rows(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staffing.Assignment
	for rows.Next() {
		var a staffing.Assignment
		var at int64
		if err := rows.Scan(&a.EventID, &a.UserID, &a.AssignedBy, &at); err != nil {
			return nil, err
		}
		a.AssignedAt = fromMs(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
