package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"sprout/internal/workdays"
)

// HolidaysStore is what the holiday list needs from an adapter.
type HolidaysStore interface{ workdays.Store }

// RunHolidays runs the holiday list's behaviour; open must return a new
// empty store each call.
func RunHolidays(t *testing.T, open func(t *testing.T) HolidaysStore) {
	t.Run("HolidayPutListDelete", func(t *testing.T) { testHolidayPutListDelete(t, open(t)) })
	t.Run("HolidayPutConcurrently", func(t *testing.T) { testHolidayPutConcurrently(t, open(t)) })
}

func testHolidayPutListDelete(t *testing.T, s HolidaysStore) {
	ctx := context.Background()
	if list, err := s.Holidays(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("an empty store lists %v, %v; want an empty list", list, err)
	}
	tet := workdays.Holiday{Date: workdays.NewDate(2026, time.February, 16), Name: "Tết Nguyên Đán", NameEN: "Lunar New Year (Tết)", Kind: workdays.DayOff}
	worked := workdays.Holiday{Date: workdays.NewDate(2026, time.February, 7), Name: "Làm bù", Kind: workdays.Workday}
	newYear := workdays.Holiday{Date: workdays.NewDate(2026, time.January, 1), Name: "Tết Dương lịch", NameEN: "New Year's Day", Kind: workdays.DayOff}
	for _, h := range []workdays.Holiday{tet, worked, newYear} {
		if created, err := s.PutHoliday(ctx, h); err != nil || !created {
			t.Fatalf("PutHoliday(%s) = %v, %v; want created", h.Date, created, err)
		}
	}
	renamed := tet
	renamed.Name, renamed.NameEN = "Nghỉ Tết Bính Ngọ", ""
	if created, err := s.PutHoliday(ctx, renamed); err != nil || created {
		t.Fatalf("PutHoliday on a listed date = %v, %v; want replaced", created, err)
	}
	list, err := s.Holidays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []workdays.Holiday{newYear, worked, renamed}; !slices.Equal(list, want) {
		t.Fatalf("Holidays = %+v, want %+v by date", list, want)
	}
	if gone, err := s.DeleteHoliday(ctx, worked.Date); err != nil || !gone {
		t.Fatalf("DeleteHoliday = %v, %v", gone, err)
	}
	if gone, err := s.DeleteHoliday(ctx, worked.Date); err != nil || gone {
		t.Fatalf("DeleteHoliday twice = %v, %v; want nothing removed", gone, err)
	}
	if list, _ := s.Holidays(ctx); !slices.Equal(list, []workdays.Holiday{newYear, renamed}) {
		t.Fatalf("after the delete: %+v", list)
	}
}

// Instances seeding the defaults at once put the same dates together:
// each date ends with one entry, and one put of each says it made it.
func testHolidayPutConcurrently(t *testing.T, s HolidaysStore) {
	ctx := context.Background()
	defaults := workdays.Defaults()[:6]
	var wg sync.WaitGroup
	var mu sync.Mutex
	made := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, h := range defaults {
				created, err := s.PutHoliday(ctx, h)
				if err != nil {
					t.Error(err)
					return
				}
				if created {
					mu.Lock()
					made++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	list, err := s.Holidays(ctx)
	if err != nil || !slices.Equal(list, defaults) || made != len(defaults) {
		t.Fatalf("Holidays = %d entries, %v, %d created; want the %d put, each created once", len(list), err, made, len(defaults))
	}
}
