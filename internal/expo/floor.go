package expo

import (
	"context"
	"sort"
)

// PlacedBooth is a booth of the floor plan with the company that has it,
// named only once the booth is assigned.
type PlacedBooth struct {
	Booth
	Company string
}

// Hall is one hall of a floor plan and the grid rectangle its booths cover.
type Hall struct {
	Name                   string
	MinX, MinY, MaxX, MaxY int
	Booths                 []PlacedBooth
}

// Plan is an event's floor plan, hall by hall, with booths counted by status.
type Plan struct {
	Halls  []Hall
	Counts map[BoothStatus]int
	Total  int
}

// Plan draws an event's floor plan from the store.
func (s *Service) Plan(ctx context.Context, eventID string) (Plan, error) {
	booths, err := s.Booths(ctx, eventID)
	if err != nil {
		return Plan{}, err
	}
	exhibitors, err := s.store.Exhibitors(ctx, eventID)
	if err != nil {
		return Plan{}, err
	}
	company := make(map[string]string, len(exhibitors))
	for _, x := range exhibitors {
		company[x.ID] = x.Company
	}
	p := Plan{Counts: map[BoothStatus]int{}, Total: len(booths)}
	index := map[string]int{}
	for _, b := range booths {
		p.Counts[b.Status]++
		i, ok := index[b.Hall]
		if !ok {
			i = len(p.Halls)
			index[b.Hall] = i
			p.Halls = append(p.Halls, Hall{Name: b.Hall, MinX: b.X, MinY: b.Y})
		}
		h := &p.Halls[i]
		h.MinX, h.MinY = min(h.MinX, b.X), min(h.MinY, b.Y)
		h.MaxX, h.MaxY = max(h.MaxX, b.X+b.W), max(h.MaxY, b.Y+b.H)
		pb := PlacedBooth{Booth: b}
		if b.Status == Assigned {
			pb.Company = company[b.ExhibitorID]
		}
		h.Booths = append(h.Booths, pb)
	}
	sort.SliceStable(p.Halls, func(i, j int) bool { return p.Halls[i].Name < p.Halls[j].Name })
	return p, nil
}
