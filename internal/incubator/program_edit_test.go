package incubator_test

import (
	"testing"
	"time"

	"sprout/internal/incubator"
)

// Reviewers see their work due by the programme's review deadline, or by
// the call's close when it sets none.
func TestReviewDue(t *testing.T) {
	closes := time.Now().UTC().Truncate(time.Hour)
	p := incubator.Program{ClosesAt: closes}
	if got := p.ReviewDue(); !got.Equal(closes) {
		t.Fatalf("without a review deadline reviews are due %v, want the call's close %v", got, closes)
	}
	p.ReviewDeadline = closes.Add(10 * 24 * time.Hour)
	if got := p.ReviewDue(); !got.Equal(p.ReviewDeadline) {
		t.Fatalf("with a review deadline reviews are due %v, want %v", got, p.ReviewDeadline)
	}
}
