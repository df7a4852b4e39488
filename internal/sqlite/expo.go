package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sprout/internal/errs"
	"sprout/internal/expo"
)

var _ expo.Store = (*Store)(nil)

const boothCols = `id, event_id, code, hall, zone, x, y, w, h, size_class, price, status, exhibitor_id, held_until, created_at`

func scanBooth(row interface{ Scan(...any) error }) (expo.Booth, error) {
	var b expo.Booth
	var status string
	var held, created int64
	err := row.Scan(&b.ID, &b.EventID, &b.Code, &b.Hall, &b.Zone, &b.X, &b.Y, &b.W, &b.H, &b.SizeClass, &b.Price,
		&status, &b.ExhibitorID, &held, &created)
	if err != nil {
		return b, translate(err)
	}
	b.Status, b.HeldUntil, b.CreatedAt = expo.BoothStatus(status), fromMs(held), fromMs(created)
	return b, nil
}

func (s *Store) CreateBooth(ctx context.Context, b expo.Booth) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var taken, overlapping int
		err := s.txRow(ctx, tx, `SELECT
				count(*) FILTER (WHERE code = ?2),
				count(*) FILTER (WHERE hall = ?3 AND x < ?4 + ?6 AND ?4 < x + w AND y < ?5 + ?7 AND ?5 < y + h)
			FROM booths WHERE event_id = ?1`, b.EventID, b.Code, b.Hall, b.X, b.Y, b.W, b.H).Scan(&taken, &overlapping)
		switch {
		case err != nil:
			return err
		case taken > 0:
			return errs.New(errs.Conflict, "error.booth_code_taken")
		case overlapping > 0:
			return errs.New(errs.Conflict, "error.booth_overlap")
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO booths (`+boothCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			b.ID, b.EventID, b.Code, b.Hall, b.Zone, b.X, b.Y, b.W, b.H, b.SizeClass, b.Price, string(b.Status),
			b.ExhibitorID, ms(b.HeldUntil), ms(b.CreatedAt))
		return translate(err)
	})
}

func (s *Store) Booth(ctx context.Context, id string) (expo.Booth, error) {
	return scanBooth(s.row(ctx, `SELECT `+boothCols+` FROM booths WHERE id = ?`, id))
}

func (s *Store) Booths(ctx context.Context, eventID string) ([]expo.Booth, error) {
	rows, err := s.rows(ctx, `SELECT `+boothCols+` FROM booths WHERE event_id = ? ORDER BY code, id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []expo.Booth
	for rows.Next() {
		b, err := scanBooth(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// guarded runs one conditional update of a booth; when its conditions
// leave the booth untouched, a booth that exists is a conflict.
func (s *Store) guarded(ctx context.Context, boothID, q string, args ...any) (expo.Booth, error) {
	var out expo.Booth
	err := s.tx(ctx, func(tx *sql.Tx) error {
		b, err := scanBooth(s.txRow(ctx, tx, q, args...))
		if errors.Is(err, errs.ErrNotFound) {
			if _, err := scanBooth(s.txRow(ctx, tx, `SELECT `+boothCols+` FROM booths WHERE id = ?`, boothID)); err != nil {
				return err
			}
			return errs.New(errs.Conflict, "error.booth_taken")
		}
		out = b
		return err
	})
	return out, err
}

func (s *Store) HoldBooth(ctx context.Context, boothID, exhibitorID string, now, until time.Time) (expo.Booth, error) {
	return s.guarded(ctx, boothID, `UPDATE booths SET status = 'held', exhibitor_id = ?2, held_until = ?3
		WHERE id = ?1 AND (status = 'available' OR (status = 'held' AND held_until <= ?4))
		RETURNING `+boothCols, boothID, exhibitorID, ms(until), ms(now))
}

func (s *Store) AssignBooth(ctx context.Context, boothID, exhibitorID string, now time.Time) (expo.Booth, error) {
	return s.guarded(ctx, boothID, `UPDATE booths SET status = 'assigned', exhibitor_id = ?2, held_until = 0
		WHERE id = ?1 AND (status = 'available'
			OR (status = 'held' AND (exhibitor_id = ?2 OR held_until <= ?3))
			OR (status = 'assigned' AND exhibitor_id = ?2))
		RETURNING `+boothCols, boothID, exhibitorID, ms(now))
}

func (s *Store) ReleaseBooth(ctx context.Context, boothID string) (expo.Booth, error) {
	var out expo.Booth
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanBooth(s.txRow(ctx, tx, `UPDATE booths SET status = 'available', exhibitor_id = '', held_until = 0
			WHERE id = ? RETURNING `+boothCols, boothID))
		return err
	})
	return out, err
}

const exhibitorCols = `id, event_id, owner_id, company, contact_email, description, sector, status, created_at`

func scanExhibitor(row interface{ Scan(...any) error }) (expo.Exhibitor, error) {
	var x expo.Exhibitor
	var status string
	var created int64
	err := row.Scan(&x.ID, &x.EventID, &x.OwnerID, &x.Company, &x.ContactEmail, &x.Description, &x.Sector, &status, &created)
	if err != nil {
		return x, translate(err)
	}
	x.Status, x.CreatedAt = expo.ExhibitorStatus(status), fromMs(created)
	return x, nil
}

func (s *Store) CreateExhibitor(ctx context.Context, x expo.Exhibitor) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, `INSERT INTO exhibitors (`+exhibitorCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.ID, x.EventID, x.OwnerID, x.Company, x.ContactEmail, x.Description, x.Sector, string(x.Status), ms(x.CreatedAt))
		return translate(err)
	})
}

func (s *Store) Exhibitor(ctx context.Context, id string) (expo.Exhibitor, error) {
	return scanExhibitor(s.row(ctx, `SELECT `+exhibitorCols+` FROM exhibitors WHERE id = ?`, id))
}

func (s *Store) SetExhibitorStatus(ctx context.Context, id string, st expo.ExhibitorStatus) (expo.Exhibitor, error) {
	var out expo.Exhibitor
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanExhibitor(s.txRow(ctx, tx, `UPDATE exhibitors SET status = ? WHERE id = ? RETURNING `+exhibitorCols, string(st), id))
		return err
	})
	return out, err
}

func (s *Store) Exhibitors(ctx context.Context, eventID string) ([]expo.Exhibitor, error) {
	rows, err := s.rows(ctx, `SELECT `+exhibitorCols+` FROM exhibitors WHERE event_id = ? ORDER BY created_at, id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []expo.Exhibitor
	for rows.Next() {
		x, err := scanExhibitor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

const leadCols = `id, exhibitor_id, event_id, ticket_id, name, email, phone, note, rating, scanned_by, created_at`

func scanLead(row interface{ Scan(...any) error }) (expo.Lead, error) {
	var l expo.Lead
	var created int64
	err := row.Scan(&l.ID, &l.ExhibitorID, &l.EventID, &l.TicketID, &l.Name, &l.Email, &l.Phone, &l.Note, &l.Rating, &l.ScannedBy, &created)
	if err != nil {
		return l, translate(err)
	}
	l.CreatedAt = fromMs(created)
	return l, nil
}

func (s *Store) AddLead(ctx context.Context, l expo.Lead) (expo.Lead, bool, error) {
	var out expo.Lead
	var added bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `INSERT INTO leads (`+leadCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (exhibitor_id, ticket_id) DO NOTHING`,
			l.ID, l.ExhibitorID, l.EventID, l.TicketID, l.Name, l.Email, l.Phone, l.Note, l.Rating, l.ScannedBy, ms(l.CreatedAt))
		if err != nil {
			return translate(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if added = n == 1; added {
			out = l
			return nil
		}
		out, err = scanLead(s.txRow(ctx, tx, `SELECT `+leadCols+` FROM leads WHERE exhibitor_id = ? AND ticket_id = ?`, l.ExhibitorID, l.TicketID))
		return err
	})
	return out, added, err
}

func (s *Store) Leads(ctx context.Context, exhibitorID string) ([]expo.Lead, error) {
	rows, err := s.rows(ctx, `SELECT `+leadCols+` FROM leads WHERE exhibitor_id = ? ORDER BY created_at DESC, id DESC`, exhibitorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []expo.Lead
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
