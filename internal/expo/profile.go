package expo

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
	"sprout/internal/vn"
)

// Cohorts tells which incubator cohort a founder's startup is in.
type Cohorts interface {
	// FounderCohort is the cohort of one of the founder's accepted startups,
	// "" when there is none.
	FounderCohort(ctx context.Context, founder accounts.User) (string, error)
}

// Partners are the other parts of Sprout the exhibition leans on: the file
// store for logos, tickets for staff badges, the incubator's cohorts, and
// the outbox for staff invitations, whose links start at BaseURL.
type Partners struct {
	Files   files.Store
	Badges  Badges
	Types   TypeKeeper
	Cohorts Cohorts
	Mail    Mailer
	Users   Users
	BaseURL string
}

// Connect gives the service its partners.
func (s *Service) Connect(p Partners) { s.partners = p }

// Limits of a profile.
const (
	MaxLogo     = 1 << 20
	maxProducts = 2000
	maxLinks    = 5
	maxURL      = 300
)

// Profile is what an exhibitor shows the public, as typed in a form; Logo,
// when not empty, replaces the logo.
type Profile struct {
	Company, ContactName, ContactEmail, Phone, Sector, Description string
	Website, Products, PreferredZone, PreferredSize                string
	Links                                                          []string
	Logo                                                           []byte
}

// check cleans a profile, naming the first field that is wrong.
func (in Profile) check() (Profile, error) {
	var ok bool
	if in.Company, ok = text(in.Company, maxName); !ok || in.Company == "" {
		return in, errs.Field("company", "error.company_invalid")
	}
	in.ContactEmail = accounts.NormalizeEmail(in.ContactEmail)
	if accounts.CheckEmail(in.ContactEmail) != nil {
		return in, errs.Field("contact_email", "error.email_invalid")
	}
	if in.Description, ok = text(in.Description, maxDescription); !ok || in.Description == "" {
		return in, errs.Field("description", "error.description_invalid")
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"contact_name", &in.ContactName, maxName}, {"sector", &in.Sector, maxName}, {"products", &in.Products, maxProducts},
		{"preferred_zone", &in.PreferredZone, maxName}, {"preferred_size", &in.PreferredSize, maxCode}} {
		if *f.v, ok = text(*f.v, f.max); !ok {
			return in, errs.Field(f.name, "error.too_long")
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		p, err := vn.NormalizePhone(in.Phone)
		if err != nil {
			return in, errs.Field("phone", "error.phone_invalid")
		}
		in.Phone = p
	} else {
		in.Phone = ""
	}
	var err error
	if in.Website, err = link("website", in.Website); err != nil {
		return in, err
	}
	var links []string
	for _, l := range in.Links {
		if l, err = link("links", l); err != nil {
			return in, err
		}
		if l != "" && !slices.Contains(links, l) {
			links = append(links, l)
		}
	}
	if len(links) > maxLinks {
		return in, errs.Field("links", "error.links_too_many")
	}
	in.Links = links
	return in, nil
}

// link accepts an http(s) address, adding https:// when it was left out,
// so a profile never links to javascript: or a file on the visitor's disk.
func link(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > maxURL || !strings.Contains(u.Host, ".") {
		return "", errs.Field(field, "error.url_invalid")
	}
	return u.String(), nil
}

// Apply files a pending application to exhibit at an event. A founder of
// an incubator cohort is marked as such, so organizers can serve them first.
func (s *Service) Apply(ctx context.Context, owner accounts.User, eventID string, in Profile) (Exhibitor, error) {
	in, err := in.check()
	if err != nil {
		return Exhibitor{}, err
	}
	if err := s.visible(ctx, eventID, owner.Has(accounts.RoleOrganizer, accounts.RoleAdmin)); err != nil {
		return Exhibitor{}, err
	}
	x := Exhibitor{ID: ids.New(), EventID: eventID, OwnerID: owner.ID, Status: Pending, CreatedAt: s.now()}
	x.fill(in)
	if s.partners.Cohorts != nil {
		if x.CohortID, err = s.partners.Cohorts.FounderCohort(ctx, owner); err != nil {
			return Exhibitor{}, err
		}
	}
	if len(in.Logo) > 0 {
		if x.LogoID, err = s.putLogo(ctx, x.ID, in.Logo); err != nil {
			return Exhibitor{}, err
		}
	}
	if err := s.store.CreateExhibitor(ctx, x); err != nil {
		s.dropLogo(ctx, x.LogoID)
		return Exhibitor{}, err
	}
	return x, nil
}

func (x *Exhibitor) fill(in Profile) {
	x.Company, x.ContactName, x.ContactEmail, x.Phone = in.Company, in.ContactName, in.ContactEmail, in.Phone
	x.Sector, x.Description, x.Website, x.Products = in.Sector, in.Description, in.Website, in.Products
	x.PreferredZone, x.PreferredSize, x.Links = in.PreferredZone, in.PreferredSize, in.Links
}

// Manage finds an exhibitor u applied for, at any stage; to anyone else it
// does not exist.
func (s *Service) Manage(ctx context.Context, u accounts.User, id string) (Exhibitor, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return Exhibitor{}, err
	}
	if x.OwnerID != u.ID {
		return Exhibitor{}, errs.ErrNotFound
	}
	return x, nil
}

// EditProfile changes what an exhibitor shows the public.
func (s *Service) EditProfile(ctx context.Context, u accounts.User, id string, in Profile) (Exhibitor, error) {
	x, err := s.Manage(ctx, u, id)
	if err != nil {
		return Exhibitor{}, err
	}
	if x.Status == Rejected {
		return Exhibitor{}, errs.New(errs.Conflict, "error.exhibitor_rejected")
	}
	if in, err = in.check(); err != nil {
		return Exhibitor{}, err
	}
	prevLogo, before := x.LogoID, x.Profile()
	x.fill(in)
	x.UpdatedAt = s.now()
	if len(in.Logo) > 0 {
		if x.LogoID, err = s.putLogo(ctx, x.ID, in.Logo); err != nil {
			return Exhibitor{}, err
		}
	}
	var step *Step
	if changed := x.Profile().Diff(before); len(changed) > 0 {
		step = &Step{Action: StepEdited, ByID: u.ID, ByName: u.Name, Fields: names(changed), At: x.UpdatedAt}
		x.History = append(x.History, *step)
	}
	if err := s.store.UpdateExhibitor(ctx, x, step); err != nil {
		if x.LogoID != prevLogo {
			s.dropLogo(ctx, x.LogoID)
		}
		return Exhibitor{}, err
	}
	if x.LogoID != prevLogo {
		s.dropLogo(ctx, prevLogo)
	}
	return x, nil
}

// SetPriority lets organizers serve an exhibitor first, or stop doing so.
func (s *Service) SetPriority(ctx context.Context, id string, priority bool) (Exhibitor, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return Exhibitor{}, err
	}
	x.Priority, x.UpdatedAt = priority, s.now()
	return x, s.store.UpdateExhibitor(ctx, x, nil)
}

func (s *Service) putLogo(ctx context.Context, exhibitorID string, data []byte) (string, error) {
	ct, err := files.CheckImage(data, MaxLogo)
	if err != nil {
		if e, ok := errs.As(err); ok {
			e.Field = "logo"
		}
		return "", err
	}
	f := files.File{ID: "exhibitor-logo." + exhibitorID + "." + ids.New(), Name: "logo", ContentType: ct,
		Size: int64(len(data)), Data: data, CreatedAt: s.now()}
	return f.ID, s.partners.Files.PutFile(ctx, f)
}

// dropLogo deletes a logo no exhibitor points at any more; failing to is
// only wasted space, so it is not worth failing the request for.
func (s *Service) dropLogo(ctx context.Context, id string) {
	if id != "" {
		_ = s.partners.Files.DeleteFile(ctx, id)
	}
}

// BoothCodes are the codes of the booths assigned to each exhibitor, by
// exhibitor id, in the order booths are listed.
func BoothCodes(booths []Booth) map[string][]string {
	codes := map[string][]string{}
	for _, b := range booths {
		if b.Status == Assigned {
			codes[b.ExhibitorID] = append(codes[b.ExhibitorID], b.Code)
		}
	}
	return codes
}

// Listing is an approved exhibitor as the event's directory shows it, with
// the codes of the booths it has.
type Listing struct {
	Exhibitor
	Booths []string
}

// Directory lists an event's approved exhibitors by company, with their
// booths; sector and a diacritic-free query narrow it when given.
func (s *Service) Directory(ctx context.Context, eventID, sector, query string) ([]Listing, error) {
	list, err := s.store.Exhibitors(ctx, eventID)
	if err != nil {
		return nil, err
	}
	booths, err := s.Booths(ctx, eventID)
	if err != nil {
		return nil, err
	}
	at := BoothCodes(booths)
	q := vn.Fold(strings.TrimSpace(query))
	var out []Listing
	for _, x := range list {
		if x.Status != Approved || (sector != "" && x.Sector != sector) {
			continue
		}
		if q != "" && !strings.Contains(vn.Fold(x.Company+" "+x.Sector+" "+x.Products+" "+x.Description), q) {
			continue
		}
		out = append(out, Listing{Exhibitor: x, Booths: at[x.ID]})
	}
	slices.SortFunc(out, func(a, b Listing) int { return strings.Compare(vn.Fold(a.Company), vn.Fold(b.Company)) })
	return out, nil
}

// Sectors lists the sectors of an event's approved exhibitors, for a filter.
func (s *Service) Sectors(ctx context.Context, eventID string) ([]string, error) {
	list, err := s.store.Exhibitors(ctx, eventID)
	var out []string
	for _, x := range list {
		if x.Status == Approved && x.Sector != "" && !slices.Contains(out, x.Sector) {
			out = append(out, x.Sector)
		}
	}
	slices.Sort(out)
	return out, err
}

// Public finds an approved exhibitor of an event for its public page.
func (s *Service) Public(ctx context.Context, eventID, id string) (Listing, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return Listing{}, err
	}
	if x.EventID != eventID || x.Status != Approved {
		return Listing{}, errs.ErrNotFound
	}
	booths, err := s.Booths(ctx, eventID)
	return Listing{Exhibitor: x, Booths: BoothCodes(booths)[x.ID]}, err
}

// Logo is an exhibitor's logo, shown once the exhibitor is approved, or to
// whoever applied and the organizers reviewing the application.
func (s *Service) Logo(ctx context.Context, viewer *accounts.User, id string) (files.File, error) {
	x, err := s.store.Exhibitor(ctx, id)
	if err != nil {
		return files.File{}, err
	}
	mine := viewer != nil && (viewer.ID == x.OwnerID || viewer.Has(accounts.RoleOrganizer, accounts.RoleAdmin))
	if x.LogoID == "" || (x.Status != Approved && !mine) {
		return files.File{}, errs.ErrNotFound
	}
	f, err := s.partners.Files.File(ctx, x.LogoID)
	if errors.Is(err, errs.ErrNotFound) {
		return files.File{}, errs.ErrNotFound
	}
	return f, err
}
