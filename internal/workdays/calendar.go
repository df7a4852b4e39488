package workdays

import (
	"errors"
	"strings"
	"time"

	"sprout/internal/errs"
)

// Kind tells a day off from a working day the government swapped in.
type Kind string

const (
	// DayOff is a public holiday, or a weekday given off in its place.
	DayOff Kind = "holiday"
	// Workday is a Saturday or Sunday worked in exchange for a weekday
	// off (làm bù).
	Workday Kind = "workday"
)

// Kinds are the kinds a holiday may have, in the order forms list them.
var Kinds = []Kind{DayOff, Workday}

// Holiday is one day of the list: a day off, or a weekend day worked.
type Holiday struct {
	Date   Date
	Name   string
	NameEN string
	Kind   Kind
}

// Validate lists every mistake of h at once. A worked day must be a
// weekend day: a weekday is worked anyway.
func (h Holiday) Validate() error {
	var list []error
	if h.Date.IsZero() {
		list = append(list, errs.Field("date", "error.date_invalid"))
	}
	if strings.TrimSpace(h.Name) == "" {
		list = append(list, errs.Field("name", "error.required"))
	} else if len([]rune(h.Name)) > 120 {
		list = append(list, errs.Field("name", "error.holiday_name_long"))
	}
	if len([]rune(h.NameEN)) > 120 {
		list = append(list, errs.Field("name_en", "error.holiday_name_long"))
	}
	switch h.Kind {
	case DayOff:
	case Workday:
		if !h.Date.IsZero() && !h.Date.Weekend() {
			list = append(list, errs.Field("kind", "error.holiday_workday_weekday"))
		}
	default:
		list = append(list, errs.Field("kind", "error.holiday_kind"))
	}
	return errors.Join(list...)
}

// Calendar tells working days from days off by a holiday list.
//
// The clock of a procedure runs as Vietnamese offices count it: the day a
// dossier is received is never counted, whatever day it is; counting starts
// with the next working day, and the n-th working day counted is the due
// day, which ends at midnight in Vietnam (Date.End): anything done that day
// is in time.
type Calendar struct {
	off, worked map[Date]bool
}

// NewCalendar builds a calendar from a holiday list. A holiday on a weekend
// changes nothing unless the list also holds the weekday given in its place.
func NewCalendar(list []Holiday) *Calendar {
	c := &Calendar{off: map[Date]bool{}, worked: map[Date]bool{}}
	for _, h := range list {
		if h.Kind == Workday {
			c.worked[h.Date] = true
		} else {
			c.off[h.Date] = true
		}
	}
	return c
}

// IsWorkingDate tells whether offices work on d.
func (c *Calendar) IsWorkingDate(d Date) bool {
	if c.worked[d] {
		return true
	}
	return !d.Weekend() && !c.off[d]
}

// IsWorkingDay tells whether offices work on the day t falls on in Vietnam.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.IsWorkingDate(DateOf(t)) }

// AddWorkingDays is the due time of a procedure of n working days received
// at start: the end of the n-th working day after the day of start. For
// n < 1 it is the end of the day of start.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	d := DateOf(start)
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		if c.IsWorkingDate(d) {
			counted++
		}
	}
	return d.End()
}

// WorkingDaysBetween counts the working days after the day of a up to and
// including the day of b, negative when b is before a, so that
// WorkingDaysBetween(a, b) = -WorkingDaysBetween(b, a) and
// WorkingDaysBetween(start, AddWorkingDays(start, n)) = n.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	from, to := DateOf(a), DateOf(b)
	sign := 1
	if from.Compare(to) > 0 {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDays(1); d.Compare(to) <= 0; d = d.AddDays(1) {
		if c.IsWorkingDate(d) {
			n++
		}
	}
	return sign * n
}

// Remaining is how many working days are left at now before due: 0 on
// the due day itself, 1 the working day before. Once due has passed it is
// negative, minus the working days late, and at least -1: a deadline missed
// on a Friday is overdue all weekend.
func (c *Calendar) Remaining(now, due time.Time) int {
	if !now.After(due) {
		return c.WorkingDaysBetween(now, due)
	}
	return -max(1, c.WorkingDaysBetween(due, now))
}
