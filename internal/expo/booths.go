package expo

import (
	"context"
	"errors"
	"sort"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// historyLimit bounds the booth history a page or the API reads at once.
const historyLimit = 500

// Booth finds a booth; a hold that ran out shows as available.
func (s *Service) Booth(ctx context.Context, id string) (Booth, error) {
	b, err := s.store.Booth(ctx, id)
	if err == nil && b.Status == Held && !b.HeldUntil.After(s.now()) {
		b.Status, b.ExhibitorID, b.HeldUntil = Available, "", time.Time{}
	}
	return b, err
}

// Exhibitor finds an exhibitor of an event; one of another event does not
// exist there, so a forged form cannot reach it.
func (s *Service) Exhibitor(ctx context.Context, eventID, id string) (Exhibitor, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err == nil && x.EventID != eventID {
		return Exhibitor{}, errs.ErrNotFound
	}
	return x, err
}

// record writes one step of a booth's history with who took it. The
// company is copied so the history still reads right after a rename.
func (s *Service) record(ctx context.Context, by accounts.User, b Booth, action, exhibitorID string) error {
	c := Change{ID: ids.New(), EventID: b.EventID, BoothID: b.ID, BoothCode: b.Code, Action: action,
		ExhibitorID: exhibitorID, ByID: by.ID, ByName: by.Name, At: s.now()}
	if exhibitorID != "" {
		x, err := s.store.Exhibitor(ctx, exhibitorID)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		c.Company = x.Company
	}
	return s.store.AddChange(ctx, c)
}

// boothConflict names the field a store's refusal of a booth is about, so
// a form shows it next to that field; the kind stays a conflict.
func boothConflict(err error) error {
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Conflict || e.Field != "" {
		return err
	}
	switch e.MsgID {
	case "error.booth_code_taken":
		return &errs.Error{Kind: errs.Conflict, MsgID: e.MsgID, Field: "code"}
	case "error.booth_overlap":
		return &errs.Error{Kind: errs.Conflict, MsgID: e.MsgID, Field: "x"}
	}
	return err
}

// UpdateBooth redraws a booth or changes its code, zone, size class or
// price; who has it stays.
func (s *Service) UpdateBooth(ctx context.Context, by accounts.User, boothID string, in BoothInput) (Booth, error) {
	in, err := in.check()
	if err != nil {
		return Booth{}, err
	}
	b, err := s.store.Booth(ctx, boothID)
	if err != nil {
		return Booth{}, err
	}
	b.Code, b.Hall, b.Zone, b.SizeClass, b.Price = in.Code, in.Hall, in.Zone, in.SizeClass, in.Price
	b.X, b.Y, b.W, b.H = in.X, in.Y, in.W, in.H
	if b, err = s.store.UpdateBooth(ctx, b); err != nil {
		return Booth{}, boothConflict(err)
	}
	return b, s.record(ctx, by, b, ActionEdited, "")
}

// BlockBooth takes a free booth off the market (a pillar, an emergency
// exit); releasing it brings it back.
func (s *Service) BlockBooth(ctx context.Context, by accounts.User, boothID string) (Booth, error) {
	b, err := s.store.BlockBooth(ctx, boothID, s.now())
	if err != nil {
		return Booth{}, err
	}
	return b, s.record(ctx, by, b, ActionBlocked, "")
}

// UnblockBooth puts a blocked booth back on the market, and only a booth
// still blocked: one given to someone meanwhile stays theirs.
func (s *Service) UnblockBooth(ctx context.Context, by accounts.User, boothID string) (Booth, error) {
	b, err := s.store.Booth(ctx, boothID)
	if err != nil {
		return Booth{}, err
	}
	b, err = s.release(ctx, by, b, Blocked)
	if errs.KindOf(err) == errs.Conflict {
		return Booth{}, errs.New(errs.Conflict, "error.booth_not_blocked")
	}
	return b, err
}

// MoveExhibitor gives the exhibitor of one booth another booth of the same
// event, in one store step: when the target is not free nothing changes and
// the exhibitor keeps its booth.
func (s *Service) MoveExhibitor(ctx context.Context, by accounts.User, fromID, toID string) (Booth, error) {
	from, err := s.Booth(ctx, fromID)
	if err != nil {
		return Booth{}, err
	}
	if from.Status != Assigned || from.ExhibitorID == "" {
		return Booth{}, errs.New(errs.Conflict, "error.booth_move_empty")
	}
	if toID == fromID {
		return Booth{}, errs.Field("to_booth_id", "error.booth_move_same")
	}
	to, err := s.store.Booth(ctx, toID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && to.EventID != from.EventID) {
		return Booth{}, errs.Field("to_booth_id", "error.booth_move_unknown")
	}
	if err != nil {
		return Booth{}, err
	}
	to, freed, err := s.store.MoveExhibitor(ctx, fromID, toID, from.ExhibitorID, s.now())
	if err != nil {
		return Booth{}, err
	}
	ctx, cancel := finishing(ctx)
	defer cancel()
	if err := s.record(ctx, by, to, ActionMoved, from.ExhibitorID); err != nil {
		return Booth{}, err
	}
	// Someone may have freed the old booth meanwhile; the move stands.
	if freed {
		if err := s.record(ctx, by, from, ActionReleased, from.ExhibitorID); err != nil {
			return Booth{}, err
		}
	}
	x, err := s.store.Exhibitor(ctx, from.ExhibitorID)
	if err != nil {
		return to, err
	}
	return to, s.tellBooth(ctx, x, to, true)
}

// Changes lists an event's booth history, newest first.
func (s *Service) Changes(ctx context.Context, eventID string) ([]Change, error) {
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return nil, err
	}
	return s.store.Changes(ctx, eventID, historyLimit)
}

// BoothTraffic is a booth with the leads its exhibitor collected.
type BoothTraffic struct {
	Booth   Booth  `json:"booth"`
	Company string `json:"company,omitempty"`
	Leads   int    `json:"leads"`
}

// ZoneTraffic is a zone with the leads of the exhibitors placed in it.
type ZoneTraffic struct {
	Zone   string `json:"zone"`
	Booths int    `json:"booths"`
	Leads  int    `json:"leads"`
}

// Traffic ranks an event's booths and zones by leads, most first.
type Traffic struct {
	Booths []BoothTraffic `json:"booths"`
	Zones  []ZoneTraffic  `json:"zones"`
	// Total is every lead of the event, placed or not; Max is the most
	// leads of one booth, the top of the heat scale.
	Total int `json:"total"`
	Max   int `json:"max"`
}

// Traffic counts leads by booth and zone. Leads are scanned by an
// exhibitor, not at a place, so an exhibitor with two booths gives its
// count to both; a zone counts each exhibitor in it once.
func (s *Service) Traffic(ctx context.Context, eventID string) (Traffic, error) {
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return Traffic{}, err
	}
	booths, err := s.Booths(ctx, eventID)
	if err != nil {
		return Traffic{}, err
	}
	counts, err := s.store.LeadCounts(ctx, eventID)
	if err != nil {
		return Traffic{}, err
	}
	exhibitors, err := s.store.Exhibitors(ctx, eventID)
	if err != nil {
		return Traffic{}, err
	}
	company := make(map[string]string, len(exhibitors))
	for _, x := range exhibitors {
		company[x.ID] = x.Company
	}
	t := Traffic{Booths: make([]BoothTraffic, 0, len(booths)), Zones: []ZoneTraffic{}}
	for _, n := range counts {
		t.Total += n
	}
	zones := map[string]*ZoneTraffic{}
	seen := map[[2]string]bool{}
	for _, b := range booths {
		bt := BoothTraffic{Booth: b}
		z := zones[b.Zone]
		if z == nil {
			z = &ZoneTraffic{Zone: b.Zone}
			zones[b.Zone] = z
		}
		z.Booths++
		if b.Status == Assigned {
			bt.Company, bt.Leads = company[b.ExhibitorID], counts[b.ExhibitorID]
			if key := [2]string{b.Zone, b.ExhibitorID}; !seen[key] {
				seen[key] = true
				z.Leads += bt.Leads
			}
		}
		t.Max = max(t.Max, bt.Leads)
		t.Booths = append(t.Booths, bt)
	}
	sort.SliceStable(t.Booths, func(i, j int) bool { return t.Booths[i].Leads > t.Booths[j].Leads })
	for _, z := range zones {
		t.Zones = append(t.Zones, *z)
	}
	sort.Slice(t.Zones, func(i, j int) bool {
		if t.Zones[i].Leads != t.Zones[j].Leads {
			return t.Zones[i].Leads > t.Zones[j].Leads
		}
		return t.Zones[i].Zone < t.Zones[j].Zone
	})
	return t, nil
}
