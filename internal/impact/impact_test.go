package impact

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sprout/internal/clock"
)

type countingStore struct {
	calls int
	c     Counts
}

func (s *countingStore) ImpactCounts(context.Context, time.Time) (Counts, error) {
	s.calls++
	return s.c, nil
}

func sample() Counts {
	return Counts{
		Figures: map[Figure]Count{
			Applications:      {Total: 12, ByYear: map[int]int{2024: 3, 2025: 9}},
			VisitorsCheckedIn: {Total: 5, ByYear: map[int]int{2025: 5}},
		},
		CertificatesByKind: map[string]Count{KindTraining: {Total: 4, ByYear: map[int]int{2025: 4}}},
	}
}

func TestSmallCountsAreHidden(t *testing.T) {
	for n, want := range map[int]string{0: "0", 1: "< 5", 4: "< 5", 5: "5", 1234: "1234"} {
		if got := Shown(n); got != want {
			t.Errorf("Shown(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCSVAndJSONFollowTheRule(t *testing.T) {
	r := newReport(sample(), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	var b bytes.Buffer
	if err := r.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	csv := b.String()
	for _, line := range []string{"\uFEFFfigure,year,value\r\n", "applications,2024,< 5\r\n", "applications,2025,9\r\n",
		"applications,total,12\r\n", "visitors_checked_in,2024,0\r\n", "certificates_issued.training,total,< 5\r\n",
		"exhibitors,total,0\r\n"} {
		if !strings.Contains(csv, line) {
			t.Errorf("no %q in\n%s", line, csv)
		}
	}
	data, err := json.Marshal(r.Open())
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"updated_at":"2026-01-02T03:04:05Z"`, `"applications":12`,
		`"applications":[{"year":2024,"value":null,"suppressed":true},{"year":2025,"value":9,"suppressed":false}]`,
		`"training":{"total":null,"suppressed":true,`, `"licence":{"name":"CC BY 4.0"`} {
		if !bytes.Contains(data, []byte(part)) {
			t.Errorf("no %s in %s", part, data)
		}
	}
}

func TestFiguresAreCountedOnceAMinute(t *testing.T) {
	st := &countingStore{c: sample()}
	clk := clock.NewManual(time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC))
	s := NewService(st, clk)
	for range 3 {
		if _, err := s.Report(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(CacheFor - time.Second)
	s.Report(context.Background())
	if st.calls != 1 {
		t.Fatalf("%d counts within the minute", st.calls)
	}
	clk.Advance(time.Second)
	r, _ := s.Report(context.Background())
	if st.calls != 2 || !r.At.Equal(clk.Now()) {
		t.Fatalf("%d counts, at %v, after the minute", st.calls, r.At)
	}
}
