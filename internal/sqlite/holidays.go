package sqlite

import (
	"context"
	"database/sql"

	"sprout/internal/workdays"
)

var _ workdays.Store = (*Store)(nil)

const holidayCols = `date, name, name_en, kind`

func scanHoliday(r scanner) (workdays.Holiday, error) {
	var h workdays.Holiday
	var date string
	if err := r.Scan(&date, &h.Name, &h.NameEN, &h.Kind); err != nil {
		return h, translate(err)
	}
	d, err := workdays.ParseDate(date)
	h.Date = d
	return h, err
}

func (s *Store) Holidays(ctx context.Context) ([]workdays.Holiday, error) {
	rows, err := s.rows(ctx, `SELECT `+holidayCols+` FROM holidays ORDER BY date`)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, scanHoliday)
	if out == nil && err == nil {
		out = []workdays.Holiday{}
	}
	return out, err
}

func (s *Store) PutHoliday(ctx context.Context, h workdays.Holiday) (bool, error) {
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `INSERT INTO holidays (`+holidayCols+`) VALUES (?, ?, ?, ?) ON CONFLICT (date) DO NOTHING`,
			h.Date.String(), h.Name, h.NameEN, h.Kind)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			created = true
			return nil
		}
		_, err = s.txExec(ctx, tx, `UPDATE holidays SET name = ?, name_en = ?, kind = ? WHERE date = ?`,
			h.Name, h.NameEN, h.Kind, h.Date.String())
		return translate(err)
	})
	return created, err
}

func (s *Store) DeleteHoliday(ctx context.Context, d workdays.Date) (bool, error) {
	res, err := s.exec(ctx, `DELETE FROM holidays WHERE date = ?`, d.String())
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
