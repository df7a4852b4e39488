// Package workdays is the statutory working-day clock: Vietnamese
// administrative procedures count their deadlines in working days (ngày
// làm việc), which leave out Saturdays, Sundays and public holidays, and the
// government sometimes swaps a weekday off for a working Saturday. The
// holiday list it counts with is data an admin edits, seeded with the
// official days of the years it knows.
package workdays

import (
	"cmp"
	"fmt"
	"time"

	"sprout/internal/vn"
)

// Date is a civil date in Vietnam, without a time or a zone: a holiday is
// a whole day there wherever the server runs.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate is the date y-m-d, normalised as time.Date does (31 April is
// 1 May).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, vn.Zone))
}

// DateOf is the date t falls on in Vietnam.
func DateOf(t time.Time) Date {
	y, m, d := t.In(vn.Zone).Date()
	return Date{y, m, d}
}

// ParseDate reads a date written 2006-01-02, the form the API and the
// date input use.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, vn.Zone)
	if err != nil {
		return Date{}, fmt.Errorf("workdays: date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// String writes d as 2006-01-02.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero tells a date never set.
func (d Date) IsZero() bool { return d == Date{} }

// Start is midnight at the start of d in Vietnam.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, vn.Zone) }

// End is the last millisecond of d in Vietnam, the precision the stores
// keep: a deadline on d is met by anything done that day.
func (d Date) End() time.Time { return d.AddDays(1).Start().Add(-time.Millisecond) }

// Weekday is the day of the week d falls on.
func (d Date) Weekday() time.Weekday { return d.Start().Weekday() }

// AddDays is the date n calendar days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Compare is -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	return cmp.Or(cmp.Compare(d.Year, e.Year), cmp.Compare(d.Month, e.Month), cmp.Compare(d.Day, e.Day))
}

// Weekend tells Saturday and Sunday, the weekly rest of public offices.
func (d Date) Weekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}
