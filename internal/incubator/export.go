package incubator

import (
	"context"
	"math"
)

// ExportRow is one application as the organizer's export shows it: its
// ranking line and each criterion's mean over the counted reviews.
type ExportRow struct {
	Scored
	// Criteria holds each criterion's mean, rounded to three places; a
	// criterion nobody scored is missing.
	Criteria map[string]float64
}

// Export lists a programme's handed-in applications for its organizers,
// best normalised score first, with their scores per criterion.
func (s *Service) Export(ctx context.Context, programID string) (Program, []ExportRow, error) {
	p, list, err := s.Scoreboard(ctx, programID, ByNormalised)
	if err != nil {
		return p, nil, err
	}
	reviews, err := s.store.ProgramReviews(ctx, programID)
	if err != nil {
		return p, nil, err
	}
	type sum struct{ total, n float64 }
	per := map[string]map[string]*sum{}
	for _, r := range reviews {
		if r.Conflict {
			continue
		}
		m := per[r.ApplicationID]
		if m == nil {
			m = map[string]*sum{}
			per[r.ApplicationID] = m
		}
		for id, v := range r.Scores {
			if m[id] == nil {
				m[id] = &sum{}
			}
			m[id].total += float64(v)
			m[id].n++
		}
	}
	out := make([]ExportRow, len(list))
	for i, sc := range list {
		out[i] = ExportRow{Scored: sc, Criteria: map[string]float64{}}
		for id, s := range per[sc.Application.ID] {
			out[i].Criteria[id] = math.Round(s.total/s.n*1000) / 1000
		}
	}
	return p, out, nil
}
