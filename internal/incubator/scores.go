package incubator

import (
	"context"
	"math"
	"sort"
)

// DisagreementSpread is how far apart, in points on the 1 to 5 scale, an
// application's review means must be for the reviewers to disagree: wide
// enough that one of them probably misread the application.
const DisagreementSpread = 1.5

// Scored is one line of the organizer's ranking.
type Scored struct {
	Application Application
	// Mean is the mean of the weighted means of the counted reviews.
	Mean *float64
	// Normalised is the mean of the reviews' z-scores, each taken against
	// its reviewer's own scores in the programme, so that a harsh and a
	// lenient reviewer weigh alike.
	Normalised *float64
	// Spread is the highest review mean less the lowest.
	Spread    *float64
	Disagree  bool
	Reviews   int
	Conflicts int
}

func round3(x float64) *float64 {
	r := math.Round(x*1000) / 1000
	return &r
}

// Score computes the ranking of apps from their reviews; reviews declaring
// a conflict of interest count nowhere, not even in their reviewer's
// baseline. The result is in the order of apps.
func Score(criteria []Criterion, apps []Application, reviews []Review) []Scored {
	type stat struct{ sum, sq float64 }
	byApp := map[string][]Review{}
	per := map[string]*stat{}
	counts := map[string]int{}
	conflicts := map[string]int{}
	for i := range reviews {
		r := &reviews[i]
		if r.Conflict {
			conflicts[r.ApplicationID]++
			continue
		}
		w := Weighted(criteria, r.Scores)
		byApp[r.ApplicationID] = append(byApp[r.ApplicationID], *r)
		st := per[r.ReviewerID]
		if st == nil {
			st = &stat{}
			per[r.ReviewerID] = st
		}
		st.sum += w
		st.sq += w * w
		counts[r.ReviewerID]++
	}
	// z turns a reviewer's weighted mean into how far it sits from their
	// own average, in their own standard deviations (population). A
	// reviewer who gives everything the same score tells nothing apart:
	// every z of theirs is 0.
	z := func(reviewer string, w float64) float64 {
		st, n := per[reviewer], float64(counts[reviewer])
		mu := st.sum / n
		variance := st.sq/n - mu*mu
		if variance < 1e-12 {
			return 0
		}
		return (w - mu) / math.Sqrt(variance)
	}
	out := make([]Scored, 0, len(apps))
	for _, a := range apps {
		s := Scored{Application: a, Conflicts: conflicts[a.ID]}
		rs := byApp[a.ID]
		s.Reviews = len(rs)
		if len(rs) > 0 {
			var sum, zsum float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, r := range rs {
				w := Weighted(criteria, r.Scores)
				sum += w
				zsum += z(r.ReviewerID, w)
				lo, hi = min(lo, w), max(hi, w)
			}
			s.Mean = round3(sum / float64(len(rs)))
			s.Normalised = round3(zsum / float64(len(rs)))
			if len(rs) > 1 {
				s.Spread = round3(hi - lo)
				s.Disagree = hi-lo >= DisagreementSpread-1e-9
			}
		}
		out = append(out, s)
	}
	return out
}

// Orders of the ranking.
const (
	ByMean       = "mean"
	ByNormalised = "normalised"
)

// SortScored orders a ranking, best first, by the weighted mean or by the
// normalised score; applications without a counted review come last.
func SortScored(list []Scored, by string) {
	key := func(s Scored) *float64 {
		if by == ByNormalised {
			return s.Normalised
		}
		return s.Mean
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := key(list[i]), key(list[j])
		switch {
		case a == nil:
			return false
		case b == nil:
			return true
		}
		return *a > *b
	})
}

// Scoreboard ranks a programme's submitted applications for its organizers.
func (s *Service) Scoreboard(ctx context.Context, programID, by string) (Program, []Scored, error) {
	p, err := s.store.Program(ctx, programID)
	if err != nil {
		return Program{}, nil, err
	}
	apps, _, err := s.store.Applications(ctx, AppQuery{ProgramID: programID, Statuses: Reviewable, Limit: math.MaxInt32})
	if err != nil {
		return Program{}, nil, err
	}
	reviews, err := s.store.ProgramReviews(ctx, programID)
	if err != nil {
		return Program{}, nil, err
	}
	list := Score(p.Criteria, apps, reviews)
	SortScored(list, by)
	return p, list, nil
}

// Reviewable lists the statuses of applications handed in and not
// withdrawn: the ones reviewers score and organizers decide on.
var Reviewable = []Status{Submitted, InReview, Interview, Accepted, Rejected, Waitlisted}
