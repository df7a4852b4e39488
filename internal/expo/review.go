package expo

import (
	"context"
	"slices"
	"strings"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
)

// What an application's history records after it was filed.
const (
	StepApproved     = "approved"
	StepRejected     = "rejected"
	StepEdited       = "edited"
	StepAcknowledged = "acknowledged"
)

// maxReason is the longest reason for a rejection.
const maxReason = 1000

// Step is one step in an application's history: a decision with who took
// it and why, or a change of the profile with the fields it changed.
type Step struct {
	Action string    `json:"action"`
	ByID   string    `json:"by_id,omitempty"`
	ByName string    `json:"by_name,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Fields []string  `json:"fields,omitempty"`
	At     time.Time `json:"at"`
}

// Snapshot is an exhibitor's profile as organizers approved it.
type Snapshot struct {
	Company       string   `json:"company"`
	ContactName   string   `json:"contact_name,omitempty"`
	ContactEmail  string   `json:"contact_email"`
	Phone         string   `json:"phone,omitempty"`
	Sector        string   `json:"sector,omitempty"`
	Description   string   `json:"description"`
	Website       string   `json:"website,omitempty"`
	Products      string   `json:"products,omitempty"`
	Links         []string `json:"links,omitempty"`
	LogoID        string   `json:"logo_id,omitempty"`
	PreferredZone string   `json:"preferred_zone,omitempty"`
	PreferredSize string   `json:"preferred_size,omitempty"`
}

// Review is one organizer's step on an application, stored at once.
type Review struct {
	// From, when not "", is the status the application must still have.
	From, To ExhibitorStatus
	Step     Step
	// Approved, when not nil, becomes the profile as approved.
	Approved *Snapshot
}

// Profile is the exhibitor's profile as it is now.
func (x Exhibitor) Profile() Snapshot {
	return Snapshot{Company: x.Company, ContactName: x.ContactName, ContactEmail: x.ContactEmail, Phone: x.Phone,
		Sector: x.Sector, Description: x.Description, Website: x.Website, Products: x.Products,
		Links: slices.Clone(x.Links), LogoID: x.LogoID, PreferredZone: x.PreferredZone, PreferredSize: x.PreferredSize}
}

// fields are a profile's fields by their form names, in the order the
// forms show them. A logo is named by its file, which says nothing to a
// reader, so only whether it changed is told.
func (s Snapshot) fields() [][2]string {
	return [][2]string{{"company", s.Company}, {"sector", s.Sector}, {"description", s.Description},
		{"products", s.Products}, {"website", s.Website}, {"links", strings.Join(s.Links, "\n")}, {"logo", s.LogoID},
		{"contact_name", s.ContactName}, {"contact_email", s.ContactEmail}, {"phone", s.Phone},
		{"preferred_zone", s.PreferredZone}, {"preferred_size", s.PreferredSize}}
}

// FieldChange is one field of a profile as it was and as it is.
type FieldChange struct {
	Field, Old, New string
}

// Diff lists the fields that differ from old to s, in form order.
func (s Snapshot) Diff(old Snapshot) []FieldChange {
	var out []FieldChange
	now := s.fields()
	for i, f := range old.fields() {
		if f[1] == now[i][1] {
			continue
		}
		c := FieldChange{Field: f[0], Old: f[1], New: now[i][1]}
		if c.Field == "logo" {
			c.Old, c.New = "", ""
		}
		out = append(out, c)
	}
	return out
}

// ChangedSinceApproval lists what an approved exhibitor changed in its
// profile since organizers approved it; nothing for one not approved, or
// approved before approvals kept the profile.
func (x Exhibitor) ChangedSinceApproval() []FieldChange {
	if x.Status != Approved || x.Approved == nil {
		return nil
	}
	return x.Profile().Diff(*x.Approved)
}

// RejectReason is the reason organizers gave for rejecting the
// application, "" when it is not rejected or they gave none.
func (x Exhibitor) RejectReason() string {
	if x.Status != Rejected {
		return ""
	}
	for i := len(x.History) - 1; i >= 0; i-- {
		if x.History[i].Action == StepRejected {
			return x.History[i].Reason
		}
	}
	return ""
}

func names(list []FieldChange) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.Field)
	}
	return out
}

// Decide approves or rejects an application, rejecting with an optional
// reason, which the mail to the exhibitor carries. An approval keeps the
// profile as the organizer saw it. A rejected exhibitor gives back the
// booths it held or had, so they are not lost to the floor plan, and its
// staff lose their badges. The rejected status, written first, is the
// intent: every step after it may run again, and Recover finishes a
// rejection a crash left half done. Deciding what is decided already
// changes nothing but finishes a rejection.
func (s *Service) Decide(ctx context.Context, by accounts.User, id string, st ExhibitorStatus, reason string) (Exhibitor, error) {
	if st != Approved && st != Rejected {
		return Exhibitor{}, errs.Field("status", "error.invalid")
	}
	reason, ok := text(reason, maxReason)
	if !ok {
		return Exhibitor{}, errs.Field("reason", "error.too_long")
	}
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return Exhibitor{}, err
	}
	changed := x.Status != st
	r := Review{To: st, Step: Step{Action: string(st), ByID: by.ID, ByName: by.Name, At: s.now()}}
	if st == Approved {
		snap := x.Profile()
		r.Approved = &snap
	} else {
		r.Step.Reason = reason
	}
	if changed {
		if x, err = s.store.ReviewExhibitor(ctx, id, r); err != nil {
			return x, err
		}
	}
	ctx, cancel := finishing(ctx)
	defer cancel()
	if changed {
		if err := s.tellDecision(ctx, x, r.Step.Reason); err != nil {
			return x, err
		}
	}
	if st != Rejected {
		return x, nil
	}
	return x, s.settleRejection(ctx, by, x)
}

// Acknowledge is an organizer accepting what an approved exhibitor changed
// in its profile: the profile as it is now becomes the one approved.
func (s *Service) Acknowledge(ctx context.Context, by accounts.User, id string) (Exhibitor, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return Exhibitor{}, err
	}
	if x.Status != Approved {
		return Exhibitor{}, errs.New(errs.Conflict, "error.exhibitor_not_approved")
	}
	changed := x.ChangedSinceApproval()
	if x.Approved != nil && len(changed) == 0 {
		return x, nil
	}
	snap := x.Profile()
	x, err = s.store.ReviewExhibitor(ctx, id, Review{From: Approved, To: Approved, Approved: &snap,
		Step: Step{Action: StepAcknowledged, ByID: by.ID, ByName: by.Name, Fields: names(changed), At: s.now()}})
	if errs.KindOf(err) == errs.Stale {
		return x, errs.New(errs.Conflict, "error.exhibitor_not_approved")
	}
	return x, err
}
