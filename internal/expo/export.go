package expo

import "context"

// Crews are the crews of an event's exhibitors, by exhibitor: the booths
// assigned to each, the staff badges they allow and the staff registered.
// It is for the organizer's lists, so it asks for no owner, unlike Crew;
// an exhibitor of another event gets no crew.
func (s *Service) Crews(ctx context.Context, eventID string, list []Exhibitor) (map[string]Crew, error) {
	booths, err := s.Booths(ctx, eventID)
	if err != nil {
		return nil, err
	}
	crews := make(map[string]Crew, len(list))
	for _, x := range list {
		if x.EventID == eventID {
			crews[x.ID] = Crew{}
		}
	}
	for _, b := range booths {
		if c, ok := crews[b.ExhibitorID]; ok && b.Status == Assigned {
			c.Booths = append(c.Booths, b)
			c.Allowance += Allowance(b)
			crews[b.ExhibitorID] = c
		}
	}
	for id, c := range crews {
		if c.Staff, err = s.store.BoothStaff(ctx, id); err != nil {
			return nil, err
		}
		crews[id] = c
	}
	return crews, nil
}
