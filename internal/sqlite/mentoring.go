package sqlite

import (
	"context"

	"sprout/internal/incubator"
)

func (s *Store) AddSession(ctx context.Context, x incubator.Session) error {
	_, err := s.exec(ctx, `INSERT INTO mentor_sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		x.ID, x.ApplicationID, x.MentorID, ms(x.Date), x.Topics, x.NextSteps, x.PrivateNote, ms(x.CreatedAt))
	return translate(err)
}

const sessionCols = `id, application_id, mentor_id, day, topics, next_steps, private_note, created_at`

func scanSession(r scanner) (incubator.Session, error) {
	var x incubator.Session
	var day, created int64
	err := r.Scan(&x.ID, &x.ApplicationID, &x.MentorID, &day, &x.Topics, &x.NextSteps, &x.PrivateNote, &created)
	x.Date, x.CreatedAt = fromMs(day), fromMs(created)
	return x, err
}

func (s *Store) Sessions(ctx context.Context, applicationID string) ([]incubator.Session, error) {
	rows, err := s.rows(ctx, `SELECT `+sessionCols+` FROM mentor_sessions WHERE application_id = ? ORDER BY day DESC, created_at DESC, id`,
		applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanSession)
}
