// Package impact counts the department's public figures from the store and
// says how each is counted, so they can be published as open data.
package impact

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"sprout/internal/clock"
)

// Figure is a public figure's stable name, as the JSON and the CSV spell it.
type Figure string

const (
	StartupsSupported  Figure = "startups_supported"
	StartupsInCohorts  Figure = "startups_in_cohorts"
	Applications       Figure = "applications"
	CertificatesIssued Figure = "certificates_issued"
	TraineesCertified  Figure = "trainees_certified"
	EventsHeld         Figure = "events_held"
	VisitorsCheckedIn  Figure = "visitors_checked_in"
	Exhibitors         Figure = "exhibitors"
)

// Figures lists every figure in the order the page and the CSV show them.
var Figures = []Figure{StartupsSupported, StartupsInCohorts, Applications, CertificatesIssued,
	TraineesCertified, EventsHeld, VisitorsCheckedIn, Exhibitors}

// Kinds of certificate the certificates figure is broken down by; they are
// the certificate kinds' names.
const (
	KindTraining     = "training"
	KindSTEnterprise = "st_enterprise"
)

// Kinds lists the certificate kinds in the order they are shown.
var Kinds = []string{KindTraining, KindSTEnterprise}

// Count is a figure's total and its count per year, years in Vietnam's
// calendar. A distinct count (startups, people) counts one in every year it
// appears but once in the total, so years may add up to more.
type Count struct {
	Total  int
	ByYear map[int]int
}

// Counts are every figure as the store counted them.
type Counts struct {
	Figures map[Figure]Count
	// CertificatesByKind breaks certificates_issued down by kind.
	CertificatesByKind map[string]Count
}

// Store counts the figures with aggregate queries, never by reading whole
// collections. now decides which events are over.
type Store interface {
	ImpactCounts(ctx context.Context, now time.Time) (Counts, error)
}

// MinShown is the smallest count a breakdown shows: anything smaller could
// point at a person, so it is shown as "< 5".
const MinShown = 5

// Suppressed tells whether a count in a breakdown is too small to show.
func Suppressed(n int) bool { return n > 0 && n < MinShown }

// Shown is how a count in a breakdown is written on the page and in the CSV.
func Shown(n int) string {
	if Suppressed(n) {
		return "< 5"
	}
	return strconv.Itoa(n)
}

// Report is the figures at a time.
type Report struct {
	Counts
	// At is when they were counted.
	At time.Time
	// Years are every year any figure has a count in, oldest first.
	Years []int
}

func newReport(c Counts, at time.Time) Report {
	seen := map[int]bool{}
	var years []int
	add := func(cnt Count) {
		for y := range cnt.ByYear {
			if !seen[y] {
				seen[y] = true
				years = append(years, y)
			}
		}
	}
	for _, cnt := range c.Figures {
		add(cnt)
	}
	for _, cnt := range c.CertificatesByKind {
		add(cnt)
	}
	slices.Sort(years)
	return Report{Counts: c, At: at, Years: years}
}

// CacheFor is how long figures are served before they are counted again, so
// that the public page cannot be used to load the store.
const CacheFor = time.Minute

// Service counts the figures and keeps them for CacheFor.
type Service struct {
	store Store
	clk   clock.Clock

	mu     sync.Mutex
	cached Report
}

// NewService makes a Service.
func NewService(store Store, clk clock.Clock) *Service { return &Service{store: store, clk: clk} }

// Report returns the figures counted at most CacheFor ago. One caller
// counts while the others wait for its answer.
func (s *Service) Report(ctx context.Context) (Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clk.Now()
	if !s.cached.At.IsZero() && now.Sub(s.cached.At) < CacheFor && !now.Before(s.cached.At) {
		return s.cached, nil
	}
	c, err := s.store.ImpactCounts(ctx, now)
	if err != nil {
		return Report{}, err
	}
	s.cached = newReport(c, now)
	return s.cached, nil
}
