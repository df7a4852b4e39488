package web

import (
	"fmt"
	"strings"
	"time"

	"sprout/internal/vn"
)

var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December"}

// shortMonth is a month as a date badge shows it: "Th12" in Vietnamese,
// "Dec" in English.
func shortMonth(lang string, t time.Time) string {
	t = t.In(vn.Zone)
	if lang == "en" {
		return monthsEN[t.Month()-1][:3]
	}
	return fmt.Sprintf("Th%d", t.Month())
}

// monthYear names a month: "Tháng 11/2026" in Vietnamese, "November 2026"
// in English, never "2026-11".
func monthYear(lang string, t time.Time) string {
	t = t.In(vn.Zone)
	if lang == "en" {
		return fmt.Sprintf("%s %d", monthsEN[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("Tháng %d/%d", t.Month(), t.Year())
}

// monthKey is monthYear for a month written "2006-01", as reports keep
// it; anything else is shown as it is.
func monthKey(lang, month string) string {
	t, err := time.ParseInLocation("2006-01", month, vn.Zone)
	if err != nil {
		return month
	}
	return monthYear(lang, t)
}

// dateIn is a date and time in Vietnam's zone: "06/12/2026 15:04" in
// Vietnamese, the way people there write it, and "6 Dec 2026, 15:04" in
// English.
func dateIn(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(vn.Zone)
	if lang == "en" {
		return fmt.Sprintf("%d %s %d, %s", t.Day(), shortMonth(lang, t), t.Year(), t.Format("15:04"))
	}
	return t.Format("02/01/2006 15:04")
}

// row hands a form builder's row template the page, the list it is in
// ("questions" or "criteria"), its item and its place n from 1 (nil and 0
// for the empty row new items are made from, which marks no mistake).
func row(p any, list string, item any, n int) map[string]any {
	return map[string]any{"P": p, "List": list, "Item": item, "N": n}
}

func joinLines(list []string) string { return strings.Join(list, "\n") }
