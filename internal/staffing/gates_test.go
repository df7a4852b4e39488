package staffing_test

import (
	"strings"
	"testing"

	"sprout/internal/staffing"
)

func TestNamedGatesComeFirstThenOthersByName(t *testing.T) {
	named := []string{"Cổng chính", "Cổng B", "Cổng VIP"}
	got := staffing.OrderGates(named, map[string]int{"Cổng B": 4, "Lối phụ": 1, "Cổng A cũ": 2, "Cổng chính": 9})
	if want := "Cổng chính|Cổng B|Cổng VIP|Cổng A cũ|Lối phụ"; strings.Join(got, "|") != want {
		t.Fatalf("gates %q, want %q", got, want)
	}
	if named[0] != "Cổng chính" || len(named) != 3 {
		t.Fatalf("the organizer's list was changed: %q", named)
	}
	if got := staffing.OrderGates(nil, nil); len(got) != 0 {
		t.Fatalf("no gates at all: %q", got)
	}
}
