package expo

import (
	"context"
	"errors"
	"slices"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
)

// Ratings a lead may carry; "" is a lead not rated yet.
var Ratings = []string{"hot", "warm", "cold"}

// checkLead trims a note and checks it and a rating, as staff type them.
func checkLead(note, rating string) (string, error) {
	note, ok := text(note, maxNote)
	if !ok {
		return "", errs.Field("note", "error.lead_note")
	}
	if rating != "" && !slices.Contains(Ratings, rating) {
		return "", errs.Field("rating", "error.lead_rating")
	}
	return note, nil
}

// UpdateLead sets the note and rating of a lead of an exhibitor u acts for.
// Both are replaced: an empty rating clears it.
func (s *Service) UpdateLead(ctx context.Context, u accounts.User, exhibitorID, leadID, note, rating string) (Lead, error) {
	x, err := s.Own(ctx, u, exhibitorID)
	if err != nil {
		return Lead{}, err
	}
	if note, err = checkLead(note, rating); err != nil {
		return Lead{}, err
	}
	return s.store.UpdateLead(ctx, x.ID, leadID, note, rating)
}

// isStaff tells whether u accepted an invitation to a staff place of the
// exhibitor.
func (s *Service) isStaff(ctx context.Context, u accounts.User, exhibitorID string) (bool, error) {
	places, err := s.store.BoothStaffByUser(ctx, u.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(places, func(st Staff) bool { return st.ExhibitorID == exhibitorID }), nil
}

// Desk is an exhibitor a user acts for, with its event.
type Desk struct {
	Exhibitor Exhibitor
	Event     events.Event
	// Staff is true when u works the booth rather than owns the exhibitor.
	Staff bool
}

// Desks lists the exhibitors u owns, newest first, then those u works for
// as staff, having accepted the invitation; an exhibitor or event deleted
// meanwhile is left out.
func (s *Service) Desks(ctx context.Context, u accounts.User) ([]Desk, error) {
	owned, err := s.store.ExhibitorsOwnedBy(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	places, err := s.store.BoothStaffByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Desk
	evs := map[string]events.Event{}
	add := func(x Exhibitor, staff bool) error {
		if seen[x.ID] {
			return nil
		}
		seen[x.ID] = true
		e, ok := evs[x.EventID]
		if !ok {
			var err error
			if e, err = s.events.EventByID(ctx, x.EventID); errors.Is(err, errs.ErrNotFound) {
				return nil
			} else if err != nil {
				return err
			}
			evs[x.EventID] = e
		}
		out = append(out, Desk{Exhibitor: x, Event: e, Staff: staff})
		return nil
	}
	for _, x := range owned {
		if err := add(x, false); err != nil {
			return nil, err
		}
	}
	for _, st := range places {
		x, err := s.store.Exhibitor(ctx, st.ExhibitorID)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := add(x, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LeadCard is a lead as its exports show it, with the visitor's consent to
// share contact details as the ticket records it: when it was given and to
// which wording, in the language they registered in. A lead without
// contact details has no consent to show. With the consent come the
// organisation and job title the visitor gave when registering.
type LeadCard struct {
	Lead
	Consent           tickets.Consent
	Lang              string
	Company, JobTitle string
}

// LeadCards lists the leads of an exhibitor u acts for, newest first, each
// with its consent. A ticket gone since the scan leaves the consent blank:
// the lead keeps what it recorded.
func (s *Service) LeadCards(ctx context.Context, u accounts.User, exhibitorID string) ([]LeadCard, error) {
	list, err := s.Leads(ctx, u, exhibitorID)
	if err != nil {
		return nil, err
	}
	out := make([]LeadCard, len(list))
	var questions []events.Question
	if len(list) > 0 {
		ev, err := s.events.EventByID(ctx, list[0].EventID)
		if err != nil {
			return nil, err
		}
		questions = ev.Questions
	}
	for i, l := range list {
		out[i] = LeadCard{Lead: l}
		if l.Email == "" && l.Phone == "" {
			continue
		}
		t, err := s.tickets.TicketByID(ctx, l.TicketID)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if t.SharesContact() {
			out[i].Consent, out[i].Lang = t.Consent, t.Lang
			out[i].Company = events.RoleAnswer(questions, t.Answers, events.RoleOrganisation)
			out[i].JobTitle = events.RoleAnswer(questions, t.Answers, events.RoleJobTitle)
		}
	}
	return out, nil
}
