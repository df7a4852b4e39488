package events

import (
	"testing"
	"time"

	"sprout/internal/errs"
)

func courseAgenda(n int) []AgendaItem {
	start := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	var out []AgendaItem
	for i := range n {
		at := start.Add(time.Duration(i) * 24 * time.Hour)
		out = append(out, AgendaItem{ID: string(rune('a' + i)), StartsAt: at, EndsAt: at.Add(90 * time.Minute)})
	}
	return out
}

func TestCompletedAppliesPercentAndRequiredSessions(t *testing.T) {
	agenda := courseAgenda(4)
	c := Course{Enabled: true, MinPercent: 75, Required: []string{"d"}}
	for _, tc := range []struct {
		attended string
		want     bool
	}{
		{"abd", true}, {"abc", false}, {"abcd", true}, {"ad", false}, {"", false},
	} {
		seen := map[string]bool{}
		for _, r := range tc.attended {
			seen[string(r)] = true
		}
		if got := c.Completed(agenda, seen); got != tc.want {
			t.Errorf("attended %q: completed %v, want %v", tc.attended, got, tc.want)
		}
	}
	if (Course{Enabled: true}).Completed(nil, map[string]bool{}) {
		t.Error("a course without sessions is completed")
	}
	if got := CourseHours(agenda); got != 6 {
		t.Errorf("CourseHours = %v, want 6", got)
	}
}

func TestCheckCourseReportsEveryMistake(t *testing.T) {
	_, err := checkCourse(Course{Enabled: true, MinPercent: 101, Required: []string{"x"}}, nil)
	fields := map[string]bool{}
	for _, e := range errs.FieldErrors(err) {
		fields[e.Field] = true
	}
	if !fields["min_percent"] || !fields["required_sessions"] || !fields["course"] || len(fields) != 3 {
		t.Fatalf("mistakes: %v", err)
	}
	c, err := checkCourse(Course{Enabled: true, MinPercent: 50, Required: []string{"b", "b", "a"}}, courseAgenda(2))
	if err != nil || len(c.Required) != 2 || c.Required[0] != "b" || c.Required[1] != "a" {
		t.Fatalf("checkCourse = %+v, %v", c, err)
	}
}
