package web

import (
	"testing"
	"time"

	"sprout/internal/vn"
)

func TestDatesReadAsPeopleWriteThem(t *testing.T) {
	// 23:30 UTC on 30 November is already 1 December in Vietnam.
	at := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{shortMonth("vi", at), "Th12"},
		{shortMonth("en", at), "Dec"},
		{monthYear("vi", at), "Tháng 12/2026"},
		{monthYear("en", at), "December 2026"},
		{monthKey("vi", "2026-11"), "Tháng 11/2026"},
		{monthKey("en", "2026-11"), "November 2026"},
		{monthKey("en", "khác"), "khác"},
		{dateIn("vi", at), "01/12/2026 06:30"},
		{dateIn("en", at), "1 Dec 2026, 06:30"},
		{dateIn("en", time.Time{}), ""},
		{dateIn("vi", time.Date(2026, 1, 5, 9, 0, 0, 0, vn.Zone)), "05/01/2026 09:00"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
