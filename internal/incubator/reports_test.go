package incubator_test

import (
	"testing"
	"time"

	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// The report due is last month's by Vietnam's calendar, whatever UTC says.
func TestDueMonthIsLastMonthInVietnam(t *testing.T) {
	now := time.Now().In(vn.Zone)
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, vn.Zone) }
	this := month(now.Year(), now.Month())
	prev := this.AddDate(0, -1, 0).Format("2006-01")
	cases := map[string]struct {
		at   time.Time
		want string
	}{
		"mid-month":                         {this.AddDate(0, 0, 14), prev},
		"first minute in Vietnam":           {this, prev},
		"last minute of the month before":   {this.Add(-time.Minute), this.AddDate(0, -2, 0).Format("2006-01")},
		"January asks for last December":    {month(now.Year()+1, time.January).AddDate(0, 0, 3), time.Date(now.Year(), time.December, 1, 0, 0, 0, 0, vn.Zone).Format("2006-01")},
		"already the 1st in Hanoi, not UTC": {this.Add(3 * time.Hour).UTC(), prev},
	}
	for name, c := range cases {
		if got := incubator.DueMonth(c.at); got != c.want {
			t.Errorf("%s (%v): due %s, want %s", name, c.at, got, c.want)
		}
	}
}
