package expo_test

import (
	"strings"
	"testing"

	"sprout/internal/expo"
)

func TestBoothCodesListOnlyAssignedBoothsPerExhibitor(t *testing.T) {
	booths := []expo.Booth{
		{Code: "A1", Status: expo.Assigned, ExhibitorID: "x"},
		{Code: "A2", Status: expo.Held, ExhibitorID: "y"},
		{Code: "B7", Status: expo.Assigned, ExhibitorID: "y"},
		{Code: "A3", Status: expo.Assigned, ExhibitorID: "x"},
		{Code: "C1", Status: expo.Available},
	}
	got := expo.BoothCodes(booths)
	if len(got) != 2 || strings.Join(got["x"], ",") != "A1,A3" || strings.Join(got["y"], ",") != "B7" {
		t.Fatalf("codes %q", got)
	}
}
