package web

import (
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/vn"
)

func (s *Server) exhibitorRoutes(app *fiber.App) {
	signedIn := s.pageRequire()
	app.Get("/events/:id/exhibitors", s.exhibitorDirectory)
	app.Get("/events/:id/exhibitors/:x", s.exhibitorPublic)
	app.Get("/events/:id/exhibit", signedIn, s.exhibitForm)
	app.Post("/events/:id/exhibit", signedIn, s.exhibitApply)
	app.Get("/exhibitors/:x/logo", s.exhibitorLogo)
	app.Get("/exhibitors/:x/profile", signedIn, s.exhibitorProfile)
	app.Post("/exhibitors/:x/profile", signedIn, s.exhibitorProfileSave)
	app.Get("/exhibitors/:x/staff", signedIn, s.exhibitorCrew)
	app.Post("/exhibitors/:x/staff", signedIn, s.exhibitorCrewAdd)
	app.Post("/exhibitors/:x/staff/:staff/remove", signedIn, s.exhibitorCrewRemove)
	app.Post("/exhibitors/:x/staff/:staff/invite", signedIn, s.exhibitorCrewInvite)
	app.Get("/exhibitors/join/:secret", signedIn, s.staffInvitation)
	app.Post("/exhibitors/join/:secret", signedIn, s.staffJoin)
}

// exhibitEvent finds a visible event by slug or id.
func (s *Server) exhibitEvent(c *fiber.Ctx) (events.Event, error) {
	return s.Events.EventByRef(c.UserContext(), c.Params("id"), isOrganizer(c))
}

func (s *Server) exhibitorDirectory(c *fiber.Ctx) error {
	e, err := s.exhibitEvent(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sectors, err := s.Expo.Sectors(ctx, e.ID)
	if err != nil {
		return err
	}
	sector, q := c.Query("sector"), strings.TrimSpace(c.Query("q"))
	list, err := s.Expo.Directory(ctx, e.ID, sector, q)
	if err != nil {
		return err
	}
	pg := s.page(c, "", fiber.Map{"Event": e, "Exhibitors": list, "Sectors": sectors, "Sector": sector, "Q": q})
	pg.Title = pg.L.T("exhibitor.directory_title") + " — " + e.TitleIn(pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, "exhibitors/directory")
}

func (s *Server) exhibitorPublic(c *fiber.Ctx) error {
	e, err := s.exhibitEvent(c)
	if err != nil {
		return err
	}
	x, err := s.Expo.Public(c.UserContext(), e.ID, c.Params("x"))
	if err != nil {
		return err
	}
	pg := s.page(c, "", fiber.Map{"Event": e, "X": x, "Products": lines(x.Products)})
	pg.Title = x.Company + " — " + e.TitleIn(pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, "exhibitors/show")
}

func (s *Server) exhibitorLogo(c *fiber.Ctx) error {
	f, err := s.Expo.Logo(c.UserContext(), currentUser(c), c.Params("x"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	// A signed-in viewer may see a logo not yet public, which no shared
	// cache may keep.
	if currentUser(c) != nil {
		c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.Data)
}

func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var profileFormFields = []string{"company", "contact_name", "contact_email", "phone", "sector", "description", "products",
	"website", "links", "preferred_zone", "preferred_size"}

// profileForm reads the exhibitor form, logo included.
func profileForm(c *fiber.Ctx) (expo.Profile, map[string]string, error) {
	v := formValues(c, profileFormFields...)
	in := expo.Profile{Company: v["company"], ContactName: v["contact_name"], ContactEmail: v["contact_email"], Phone: v["phone"],
		Sector: v["sector"], Description: v["description"], Products: v["products"], Website: v["website"],
		Links: lines(v["links"]), PreferredZone: v["preferred_zone"], PreferredSize: v["preferred_size"]}
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		file, err := fh.Open()
		if err != nil {
			return in, v, err
		}
		defer file.Close()
		if in.Logo, err = io.ReadAll(io.LimitReader(file, expo.MaxLogo+1)); err != nil {
			return in, v, err
		}
	}
	return in, v, nil
}

func profileValues(x expo.Exhibitor) map[string]string {
	return map[string]string{"company": x.Company, "contact_name": x.ContactName, "contact_email": x.ContactEmail,
		"phone": vn.FormatPhone(x.Phone), "sector": x.Sector, "description": x.Description, "products": x.Products, "website": x.Website,
		"links": strings.Join(x.Links, "\n"), "preferred_zone": x.PreferredZone, "preferred_size": x.PreferredSize}
}

// zones are the zones of an event's floor plan, offered as preferences.
func (s *Server) zones(c *fiber.Ctx, eventID string) ([]string, error) {
	booths, err := s.Expo.Booths(c.UserContext(), eventID)
	var out []string
	seen := map[string]bool{}
	for _, b := range booths {
		if !seen[b.Zone] {
			seen[b.Zone] = true
			out = append(out, b.Zone)
		}
	}
	return out, err
}

func (s *Server) renderExhibitForm(c *fiber.Ctx, e events.Event, f form) error {
	zones, err := s.zones(c, e.ID)
	if err != nil {
		return err
	}
	pg := s.page(c, "", fiber.Map{"Event": e, "Form": f, "Zones": zones, "Sizes": expo.SizeClasses})
	pg.Title = pg.L.T("exhibitor.apply_title") + " — " + e.TitleIn(pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, "exhibitors/apply")
}

func (s *Server) exhibitForm(c *fiber.Ctx) error {
	e, err := s.exhibitEvent(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	return s.renderExhibitForm(c, e, form{Values: map[string]string{"contact_name": u.Name, "contact_email": u.Email}})
}

func (s *Server) exhibitApply(c *fiber.Ctx) error {
	e, err := s.exhibitEvent(c)
	if err != nil {
		return err
	}
	in, values, err := profileForm(c)
	if err != nil {
		return err
	}
	x, err := s.Expo.Apply(c.UserContext(), *currentUser(c), e.ID, in)
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderExhibitForm(c, e, f)
	}
	return s.redirectFlash(c, "/exhibitors/"+x.ID+"/profile", "ok", "flash.exhibitor_applied")
}

func (s *Server) renderExhibitorProfile(c *fiber.Ctx, x expo.Exhibitor, f form) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, x.EventID, true)
	if err != nil {
		return err
	}
	zones, err := s.zones(c, e.ID)
	if err != nil {
		return err
	}
	_, crew, err := s.Expo.Crew(ctx, *currentUser(c), x.ID)
	if err != nil {
		return err
	}
	pg := s.page(c, "", fiber.Map{"Event": e, "X": x, "Form": f, "Zones": zones, "Sizes": expo.SizeClasses, "Crew": crew})
	pg.Title = x.Company + " — " + e.TitleIn(pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, "exhibitors/profile")
}

func (s *Server) exhibitorProfile(c *fiber.Ctx) error {
	x, err := s.Expo.Manage(c.UserContext(), *currentUser(c), c.Params("x"))
	if err != nil {
		return err
	}
	return s.renderExhibitorProfile(c, x, form{Values: profileValues(x)})
}

func (s *Server) exhibitorProfileSave(c *fiber.Ctx) error {
	ctx := c.UserContext()
	x, err := s.Expo.Manage(ctx, *currentUser(c), c.Params("x"))
	if err != nil {
		return err
	}
	in, values, err := profileForm(c)
	if err != nil {
		return err
	}
	if _, err := s.Expo.EditProfile(ctx, *currentUser(c), x.ID, in); err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderExhibitorProfile(c, x, f)
	}
	return s.redirectFlash(c, "/exhibitors/"+x.ID+"/profile", "ok", "flash.exhibitor_saved")
}

func (s *Server) renderCrew(c *fiber.Ctx, f form) error {
	ctx := c.UserContext()
	x, crew, err := s.Expo.Crew(ctx, *currentUser(c), c.Params("x"))
	if err != nil {
		return err
	}
	e, err := s.Events.Event(ctx, x.EventID, true)
	if err != nil {
		return err
	}
	pg := s.page(c, "", fiber.Map{"Event": e, "X": x, "Crew": crew, "Form": f})
	pg.Title = pg.L.T("exhibitor.staff_title") + " — " + x.Company
	c.Type("html", "utf-8")
	return pg.render(c, "exhibitors/staff")
}

func (s *Server) exhibitorCrew(c *fiber.Ctx) error {
	return s.renderCrew(c, form{})
}

func (s *Server) exhibitorCrewAdd(c *fiber.Ctx) error {
	v := formValues(c, "name", "email", "phone")
	_, err := s.Expo.AddStaff(c.UserContext(), *currentUser(c), c.Params("x"),
		expo.StaffInput{Name: v["name"], Email: v["email"], Phone: v["phone"], Lang: s.lang(c).Code})
	if err != nil {
		f, err := s.failedForm(c, err, v)
		if err != nil {
			return err
		}
		return s.renderCrew(c, f)
	}
	return s.redirectFlash(c, "/exhibitors/"+c.Params("x")+"/staff", "ok", "flash.booth_staff_added")
}

func (s *Server) exhibitorCrewRemove(c *fiber.Ctx) error {
	if _, err := s.Expo.RemoveStaff(c.UserContext(), *currentUser(c), c.Params("x"), c.Params("staff")); err != nil {
		return err
	}
	return s.redirectFlash(c, "/exhibitors/"+c.Params("x")+"/staff", "ok", "flash.booth_staff_removed")
}

func (s *Server) exhibitorCrewInvite(c *fiber.Ctx) error {
	_, err := s.Expo.Reinvite(c.UserContext(), *currentUser(c), c.Params("x"), c.Params("staff"), s.lang(c).Code)
	if err != nil {
		return err
	}
	return s.redirectFlash(c, "/exhibitors/"+c.Params("x")+"/staff", "ok", "flash.staff_invite_sent")
}

// staffInvitation shows whom an invitation link is from before anyone
// accepts it; a link another account accepted says so at once.
func (s *Server) staffInvitation(c *fiber.Ctx) error {
	inv, err := s.Expo.Invitation(c.UserContext(), c.Params("secret"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	if inv.Staff.UserID != "" && inv.Staff.UserID != u.ID {
		return errs.New(errs.Conflict, "error.staff_claimed")
	}
	// The secret is in the address: no caching by shared proxies, no
	// referrer leaking it.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("Referrer-Policy", "no-referrer")
	pg := s.page(c, "", fiber.Map{"Inv": inv, "Mine": inv.Staff.UserID == u.ID, "Secret": c.Params("secret")})
	pg.Title = pg.L.T("exhibitor.join_title") + " — " + inv.Exhibitor.Company
	c.Type("html", "utf-8")
	return pg.render(c, "exhibitors/join")
}

func (s *Server) staffJoin(c *fiber.Ctx) error {
	st, err := s.Expo.ClaimStaff(c.UserContext(), *currentUser(c), c.Params("secret"))
	if err != nil {
		return err
	}
	return s.redirectFlash(c, "/exhibitors/"+st.ExhibitorID+"/scan", "ok", "flash.staff_joined")
}
