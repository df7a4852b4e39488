// Package keyset pages through lists kept newest first by a time and then
// an id. A page starts after the last row of the one before rather than at
// an offset, so rows added or removed meanwhile never make a row missed or
// read twice, and every page costs the same however deep it is.
package keyset

import "time"

// Cursor is a row's place in such a list; the zero Cursor is before the
// newest row.
type Cursor struct {
	At time.Time
	ID string
}

// IsZero tells whether c is the start of the list.
func (c Cursor) IsZero() bool { return c.At.IsZero() && c.ID == "" }

// Walk calls fn with every row of a list read through page, limit rows at
// a time, each page after the cursor of the last row of the one before.
func Walk[T any](limit int, page func(after Cursor) ([]T, error), cursor func(T) Cursor, fn func(T) error) error {
	var after Cursor
	for {
		rows, err := page(after)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < limit {
			return nil
		}
		after = cursor(rows[len(rows)-1])
	}
}
