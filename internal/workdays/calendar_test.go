package workdays

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/vn"
)

// at is a time in Vietnam.
func at(y int, m time.Month, d, hour, minute int) time.Time {
	return time.Date(y, m, d, hour, minute, 0, 0, vn.Zone)
}

// endOf is the last millisecond of a day in Vietnam, when a due day ends.
func endOf(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 23, 59, 59, int(999*time.Millisecond), vn.Zone)
}

func defaults() *Calendar { return NewCalendar(Defaults()) }

// Received on Friday 13 February 2026, the last working day before Tết:
// the nine days off from Saturday 14 to Sunday 22 count for nothing, so
// fifteen working days run from Monday 23 February to Friday 13 March.
func TestWorkdaysFifteenDaysOverTet2026(t *testing.T) {
	c := defaults()
	due := c.AddWorkingDays(at(2026, time.February, 13, 16, 30), 15)
	if !due.Equal(endOf(2026, time.March, 13)) {
		t.Fatalf("due %s, want the end of Friday 13 March 2026", due.In(vn.Zone))
	}
	for d := NewDate(2026, time.February, 14); d.Compare(NewDate(2026, time.February, 22)) <= 0; d = d.AddDays(1) {
		if c.IsWorkingDate(d) {
			t.Errorf("%s is a working day in Tết", d)
		}
	}
	if !c.IsWorkingDate(NewDate(2026, time.February, 23)) {
		t.Error("Monday 23 February 2026 is the first working day after Tết")
	}
	if got := c.AddWorkingDays(at(2026, time.February, 13, 8, 0), 1); !got.Equal(endOf(2026, time.February, 23)) {
		t.Errorf("one working day from 13 February is due %s, want 23 February", got.In(vn.Zone))
	}
}

// Received on Wednesday 29 April 2026: Thursday 30/4 and Friday 1/5 are
// off, then the weekend; ten working days run from Monday 4 to Friday 15 May.
func TestWorkdaysTenDaysOver30April2026(t *testing.T) {
	c := defaults()
	due := c.AddWorkingDays(at(2026, time.April, 29, 9, 0), 10)
	if !due.Equal(endOf(2026, time.May, 15)) {
		t.Fatalf("due %s, want the end of Friday 15 May 2026", due.In(vn.Zone))
	}
	// Giỗ Tổ on Sunday 26 April is made up on Monday 27 April, which the
	// list holds.
	if c.IsWorkingDate(NewDate(2026, time.April, 27)) || !c.IsWorkingDate(NewDate(2026, time.April, 28)) {
		t.Error("Monday 27 April 2026 is off in lieu of Giỗ Tổ, Tuesday 28 is worked")
	}
}

// A dossier received at the weekend counts from the next working day, as
// one received on the Friday before does: both are due on the same day.
func TestWorkdaysWeekendReceipt(t *testing.T) {
	c := defaults()
	friday := c.AddWorkingDays(at(2026, time.March, 6, 10, 0), 3)
	saturday := c.AddWorkingDays(at(2026, time.March, 7, 10, 0), 3)
	sunday := c.AddWorkingDays(at(2026, time.March, 8, 22, 0), 3)
	want := endOf(2026, time.March, 11)
	if !friday.Equal(want) || !saturday.Equal(want) || !sunday.Equal(want) {
		t.Fatalf("due %s, %s, %s; want the end of Wednesday 11 March 2026", friday, saturday, sunday)
	}
	// The day is Vietnam's: 17:30 UTC on Friday is Saturday 00:30 there.
	if c.IsWorkingDay(time.Date(2026, time.March, 6, 17, 30, 0, 0, time.UTC)) {
		t.Error("Friday 17:30 UTC is Saturday in Vietnam")
	}
	if got := c.AddWorkingDays(at(2026, time.March, 7, 10, 0), 0); !got.Equal(endOf(2026, time.March, 7)) {
		t.Errorf("no working days are due at the end of the day received, got %s", got)
	}
}

// A holiday on a weekend moves nothing unless the list holds the weekday
// given in its place; a worked Saturday counts.
func TestWorkdaysWeekendHolidayNeedsItsDayInLieuListed(t *testing.T) {
	sunday := Holiday{Date: NewDate(2026, time.April, 26), Name: "Giỗ Tổ Hùng Vương", Kind: DayOff}
	c := NewCalendar([]Holiday{sunday})
	if !c.IsWorkingDate(NewDate(2026, time.April, 27)) {
		t.Fatal("Monday 27 April is worked when the list holds no day in lieu")
	}
	if got := c.AddWorkingDays(at(2026, time.April, 24, 9, 0), 1); !got.Equal(endOf(2026, time.April, 27)) {
		t.Errorf("one working day from Friday 24 April is due %s, want Monday 27", got.In(vn.Zone))
	}
	lieu := Holiday{Date: NewDate(2026, time.April, 27), Name: "Nghỉ bù", Kind: DayOff}
	c = NewCalendar([]Holiday{sunday, lieu})
	if got := c.AddWorkingDays(at(2026, time.April, 24, 9, 0), 1); !got.Equal(endOf(2026, time.April, 28)) {
		t.Errorf("with the day in lieu listed, due %s, want Tuesday 28", got.In(vn.Zone))
	}
	worked := Holiday{Date: NewDate(2026, time.May, 9), Name: "Làm bù", Kind: Workday}
	c = NewCalendar([]Holiday{worked})
	if !c.IsWorkingDate(worked.Date) || c.IsWorkingDate(NewDate(2026, time.May, 10)) {
		t.Fatal("Saturday 9 May is worked, Sunday 10 is not")
	}
	if got := c.AddWorkingDays(at(2026, time.May, 8, 9, 0), 1); !got.Equal(endOf(2026, time.May, 9)) {
		t.Errorf("one working day from Friday 8 May is due %s, want the worked Saturday 9", got.In(vn.Zone))
	}
}

func TestWorkdaysBetweenIsSymmetric(t *testing.T) {
	c := defaults()
	cases := []struct {
		a, b time.Time
		want int
	}{
		{at(2026, time.February, 13, 9, 0), at(2026, time.March, 13, 9, 0), 15},
		{at(2026, time.March, 6, 9, 0), at(2026, time.March, 6, 18, 0), 0},
		{at(2026, time.March, 6, 9, 0), at(2026, time.March, 7, 9, 0), 0},
		{at(2026, time.March, 6, 9, 0), at(2026, time.March, 9, 9, 0), 1},
		{at(2026, time.April, 29, 9, 0), at(2026, time.May, 4, 9, 0), 1},
	}
	for _, tc := range cases {
		if got := c.WorkingDaysBetween(tc.a, tc.b); got != tc.want {
			t.Errorf("between %s and %s: %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := c.WorkingDaysBetween(tc.b, tc.a); got != -tc.want {
			t.Errorf("between %s and %s: %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
	// Between undoes AddWorkingDays from every day of the two years.
	for d := NewDate(2026, time.January, 1); d.Year < 2028; d = d.AddDays(1) {
		for _, n := range []int{1, 5, 10, 15} {
			start := d.Start().Add(10 * time.Hour)
			if got := c.WorkingDaysBetween(start, c.AddWorkingDays(start, n)); got != n {
				t.Fatalf("from %s, %d working days come back as %d", d, n, got)
			}
		}
	}
}

func TestWorkdaysRemainingIsNegativeWhenOverdue(t *testing.T) {
	c := defaults()
	due := c.AddWorkingDays(at(2026, time.February, 13, 9, 0), 15)
	cases := []struct {
		now  time.Time
		want int
	}{
		{at(2026, time.February, 13, 9, 0), 15},
		{at(2026, time.March, 12, 9, 0), 1},
		{at(2026, time.March, 13, 23, 59), 0},
		{at(2026, time.March, 14, 0, 0), -1},
		{at(2026, time.March, 16, 9, 0), -1},
		{at(2026, time.March, 17, 9, 0), -2},
	}
	for _, tc := range cases {
		if got := c.Remaining(tc.now, due); got != tc.want {
			t.Errorf("remaining at %s: %d, want %d", tc.now, got, tc.want)
		}
	}
}

func TestWorkdaysDefaultsAreValidAndOncePerDate(t *testing.T) {
	seen := map[Date]bool{}
	for _, h := range Defaults() {
		if err := h.Validate(); err != nil {
			t.Errorf("%s: %v", h.Date, err)
		}
		if seen[h.Date] || h.NameEN == "" {
			t.Errorf("%s listed twice or without an English name", h.Date)
		}
		seen[h.Date] = true
	}
	c := defaults()
	for _, d := range []Date{NewDate(2026, time.January, 1), NewDate(2026, time.September, 1), NewDate(2026, time.September, 2),
		NewDate(2027, time.February, 10), NewDate(2027, time.May, 3), NewDate(2027, time.September, 3)} {
		if c.IsWorkingDate(d) {
			t.Errorf("%s is off", d)
		}
	}
}

func TestWorkdaysHolidayNamesEveryMistake(t *testing.T) {
	err := Holiday{Name: " ", Kind: "vacation"}.Validate()
	var fields []string
	for _, e := range errs.FieldErrors(err) {
		fields = append(fields, e.Field)
	}
	if !slices.Equal(fields, []string{"date", "name", "kind"}) {
		t.Fatalf("mistakes %v, want date, name and kind", fields)
	}
	weekday := Holiday{Date: NewDate(2026, time.May, 6), Name: "Làm bù", Kind: Workday}.Validate()
	if list := errs.FieldErrors(weekday); len(list) != 1 || list[0].Field != "kind" {
		t.Fatalf("a worked Wednesday: %v", weekday)
	}
	for _, s := range []string{"2026-02-30", "2026-2-3", "13/02/2026", ""} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) took it", s)
		}
	}
	if d, err := ParseDate("2026-02-16"); err != nil || d != NewDate(2026, time.February, 16) || d.String() != "2026-02-16" {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
}

// memory is a holiday store and marks in memory.
type memory struct {
	list map[Date]Holiday
	kv   map[string][]byte
}

func (m *memory) Holidays(context.Context) ([]Holiday, error) {
	var out []Holiday
	for _, h := range m.list {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out, nil
}

func (m *memory) PutHoliday(_ context.Context, h Holiday) (bool, error) {
	_, had := m.list[h.Date]
	m.list[h.Date] = h
	return !had, nil
}

func (m *memory) DeleteHoliday(_ context.Context, d Date) (bool, error) {
	_, had := m.list[d]
	delete(m.list, d)
	return had, nil
}

func (m *memory) KVGet(_ context.Context, key string, _ time.Time) ([]byte, error) {
	if v, ok := m.kv[key]; ok {
		return v, nil
	}
	return nil, errs.ErrNotFound
}

func (m *memory) KVSet(_ context.Context, key string, val []byte, _ time.Time) error {
	m.kv[key] = val
	return nil
}

type fixed time.Time

func (f fixed) Now() time.Time { return time.Time(f) }

// The defaults are seeded once: a list an admin emptied stays empty.
func TestWorkdaysServiceSeedsTheDefaultsOnce(t *testing.T) {
	ctx := context.Background()
	m := &memory{list: map[Date]Holiday{}, kv: map[string][]byte{}}
	s := NewService(m, m, fixed(at(2026, time.March, 12, 9, 0)))
	list, err := s.List(ctx)
	if err != nil || len(list) != len(Defaults()) {
		t.Fatalf("List = %d holidays, %v; want the %d defaults", len(list), err, len(Defaults()))
	}
	for _, h := range list {
		if err := s.Delete(ctx, h.Date); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := s.List(ctx); len(list) != 0 {
		t.Fatalf("the defaults came back: %d", len(list))
	}
	if err := s.Delete(ctx, NewDate(2026, time.January, 1)); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("deleting a date not listed: %v", err)
	}
	due, err := s.Due(ctx, at(2026, time.April, 29, 9, 0), 2)
	if err != nil || !due.Equal(endOf(2026, time.May, 1)) {
		t.Fatalf("with no holidays, two working days from 29 April are due %s, %v", due, err)
	}
	if n, err := s.Remaining(ctx, due); err != nil || n != 36 {
		t.Fatalf("Remaining = %d, %v", n, err)
	}
}
