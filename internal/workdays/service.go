package workdays

import (
	"context"
	"errors"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
)

// Store keeps the holiday list, one entry a date.
type Store interface {
	// Holidays lists every entry, by date.
	Holidays(ctx context.Context) ([]Holiday, error)
	// PutHoliday adds h or replaces the entry of its date; created tells
	// which.
	PutHoliday(ctx context.Context, h Holiday) (created bool, err error)
	// DeleteHoliday removes the entry of d; false when there was none.
	DeleteHoliday(ctx context.Context, d Date) (bool, error)
}

// Marks remembers that the defaults were seeded, so that a list an admin
// emptied stays empty.
type Marks interface {
	KVGet(ctx context.Context, key string, now time.Time) ([]byte, error)
	KVSet(ctx context.Context, key string, val []byte, expiresAt time.Time) error
}

const seededKey = "workdays.defaults_seeded"

// Service keeps the holiday list and answers with calendars made from it.
// It reads the list on every call rather than caching it: the list is a
// few dozen rows, and another instance may have just changed it.
type Service struct {
	store Store
	marks Marks
	clock clock.Clock
}

// NewService serves the holiday list of store.
func NewService(store Store, marks Marks, clk clock.Clock) *Service {
	return &Service{store: store, marks: marks, clock: clk}
}

// seed writes Defaults into a list that was never set. Each write is an
// upsert by date of the same values, so two instances seeding at once, or
// one seeding again after dying before the mark, end with the same list.
func (s *Service) seed(ctx context.Context) error {
	_, err := s.marks.KVGet(ctx, seededKey, s.clock.Now())
	if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	for _, h := range Defaults() {
		if _, err := s.store.PutHoliday(ctx, h); err != nil {
			return err
		}
	}
	return s.marks.KVSet(ctx, seededKey, []byte("1"), time.Time{})
}

// List is the holiday list by date, the defaults until an admin changes it.
func (s *Service) List(ctx context.Context) ([]Holiday, error) {
	if err := s.seed(ctx); err != nil {
		return nil, err
	}
	return s.store.Holidays(ctx)
}

// Calendar is the calendar of the list as it is now.
func (s *Service) Calendar(ctx context.Context) (*Calendar, error) {
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return NewCalendar(list), nil
}

// Put adds h or replaces the entry of its date, refusing it with every
// mistake at once; created tells whether it was new.
func (s *Service) Put(ctx context.Context, h Holiday) (created bool, err error) {
	if err := h.Validate(); err != nil {
		return false, err
	}
	if err := s.seed(ctx); err != nil {
		return false, err
	}
	return s.store.PutHoliday(ctx, h)
}

// Delete removes the entry of d; not found when there is none.
func (s *Service) Delete(ctx context.Context, d Date) error {
	if err := s.seed(ctx); err != nil {
		return err
	}
	gone, err := s.store.DeleteHoliday(ctx, d)
	if err == nil && !gone {
		err = errs.ErrNotFound
	}
	return err
}

// Due is when a procedure of n working days received at received is due.
func (s *Service) Due(ctx context.Context, received time.Time, n int) (time.Time, error) {
	c, err := s.Calendar(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return c.AddWorkingDays(received, n), nil
}

// Remaining is how many working days are left by the app's clock before
// due, negative once it has passed.
func (s *Service) Remaining(ctx context.Context, due time.Time) (int, error) {
	c, err := s.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	return c.Remaining(s.clock.Now(), due), nil
}
