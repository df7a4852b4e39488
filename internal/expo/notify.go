package expo

import (
	"context"

	"sprout/internal/accounts"
)

// Users finds the accounts exhibitors belong to.
type Users interface {
	UserByID(ctx context.Context, id string) (accounts.User, error)
}

// tellDecision mails an exhibitor the organizers' decision on its
// application, with the reason for a rejection when they gave one.
func (s *Service) tellDecision(ctx context.Context, x Exhibitor, reason string) error {
	return s.tell(ctx, x, "exhibitor_decision", map[string]any{"Approved": x.Status == Approved, "Reason": reason})
}

// tellBooth mails an exhibitor the booth it was given, or moved to, with
// what to do next: register the staff the booth allows.
func (s *Service) tellBooth(ctx context.Context, x Exhibitor, b Booth, moved bool) error {
	return s.tell(ctx, x, "booth_assigned", map[string]any{"Booth": b.Code, "Zone": b.Zone, "Moved": moved,
		"Staff": Allowance(b), "StaffLink": s.partners.BaseURL + "/exhibitors/" + x.ID + "/staff"})
}

// tell mails an exhibitor's contact in the language of the account that
// applied, with a link to the exhibitor's own page.
func (s *Service) tell(ctx context.Context, x Exhibitor, template string, data map[string]any) error {
	owner, err := s.partners.Users.UserByID(ctx, x.OwnerID)
	if err != nil {
		return err
	}
	e, err := s.events.EventByID(ctx, x.EventID)
	if err != nil {
		return err
	}
	data["Name"], data["Company"], data["Event"] = owner.Name, x.Company, e.TitleIn(owner.Lang)
	data["Link"] = s.partners.BaseURL + "/exhibitors/" + x.ID + "/profile"
	_, err = s.partners.Mail.Enqueue(ctx, x.ContactEmail, template, owner.Lang, data)
	return err
}
