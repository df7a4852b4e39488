package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/expo"
)

func (s *Server) expoRoutes(api fiber.Router) {
	organizer := s.apiRequire(organizerRoles...)
	signedIn := s.apiRequire()
	api.Post("/events/:id/booths", organizer, s.apiCreateBooth)
	api.Get("/events/:id/booths", s.apiBooths)
	api.Post("/booths/:id/assign", organizer, s.apiAssignBooth)
	api.Post("/booths/:id/hold", organizer, s.apiHoldBooth)
	api.Post("/booths/:id/release", organizer, s.apiBoothStep(s.Expo.ReleaseBooth))
	api.Post("/events/:id/exhibitors", signedIn, s.apiApplyExhibitor)
	api.Get("/events/:id/exhibitors", organizer, s.apiExhibitors)
	api.Post("/exhibitors/:id/approve", organizer, s.apiDecideExhibitor(expo.Approved))
	api.Post("/exhibitors/:id/reject", organizer, s.apiDecideExhibitor(expo.Rejected))
	api.Post("/exhibitors/:id/leads", signedIn, s.apiAddLead)
	api.Get("/exhibitors/:id/leads", signedIn, s.apiLeads)
	api.Get("/exhibitors/:id/leads.csv", signedIn, s.apiLeadsCSV)
	api.Patch("/booths/:id", organizer, s.apiUpdateBooth)
	api.Post("/booths/:id/block", organizer, s.apiBoothStep(s.Expo.BlockBooth))
	api.Post("/booths/:id/unblock", organizer, s.apiBoothStep(s.Expo.UnblockBooth))
	api.Post("/booths/:id/move", organizer, s.apiMoveExhibitor)
	api.Get("/events/:id/booths/changes", organizer, s.apiBoothChanges)
	api.Get("/events/:id/traffic", organizer, s.apiTraffic)
	api.Get("/exhibitors/:id/leads.xlsx", signedIn, s.apiLeadsXLSX)
	api.Patch("/exhibitors/:id/leads/:lead", signedIn, s.apiUpdateLead)
	api.Post("/events/:id/booths/block", organizer, s.apiCreateBlock)
}

func (s *Server) apiCreateBooth(c *fiber.Ctx) error {
	var in struct {
		Code      string `json:"code"`
		Hall      string `json:"hall"`
		Zone      string `json:"zone"`
		SizeClass string `json:"size_class"`
		X         int    `json:"x"`
		Y         int    `json:"y"`
		W         int    `json:"w"`
		H         int    `json:"h"`
		Price     int64  `json:"price"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.Expo.CreateBooth(c.UserContext(), *currentUser(c), c.Params("id"), expo.BoothInput{Code: in.Code, Hall: in.Hall, Zone: in.Zone,
		SizeClass: in.SizeClass, X: in.X, Y: in.Y, W: in.W, H: in.H, Price: in.Price})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"booth": b})
}

// apiCreateBlock lays out a block of booths, all of them or none.
func (s *Server) apiCreateBlock(c *fiber.Ctx) error {
	var in struct {
		Hall       string `json:"hall"`
		Zone       string `json:"zone"`
		SizeClass  string `json:"size_class"`
		Prefix     string `json:"prefix"`
		First      int    `json:"first"`
		Rows       int    `json:"rows"`
		Cols       int    `json:"cols"`
		W          int    `json:"w"`
		H          int    `json:"h"`
		X          int    `json:"x"`
		Y          int    `json:"y"`
		AisleEvery int    `json:"aisle_every"`
		AisleWidth int    `json:"aisle_width"`
		Price      int64  `json:"price"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	list, err := s.Expo.CreateBlock(c.UserContext(), *currentUser(c), c.Params("id"), expo.BlockInput(in))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"booths": list})
}

func (s *Server) apiBooths(c *fiber.Ctx) error {
	list, err := s.Expo.BoothsFor(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"booths": nonNil(list)})
}

func (s *Server) apiAssignBooth(c *fiber.Ctx) error {
	var in struct {
		ExhibitorID string `json:"exhibitor_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.Expo.AssignBooth(c.UserContext(), *currentUser(c), c.Params("id"), in.ExhibitorID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"booth": b})
}

func (s *Server) apiHoldBooth(c *fiber.Ctx) error {
	var in struct {
		ExhibitorID string `json:"exhibitor_id"`
		Minutes     int    `json:"minutes"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.Expo.HoldBooth(c.UserContext(), *currentUser(c), c.Params("id"), in.ExhibitorID, time.Duration(in.Minutes)*time.Minute)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"booth": b})
}

// apiBoothStep answers a one-step booth action with the booth after it.
func (s *Server) apiBoothStep(do func(context.Context, accounts.User, string) (expo.Booth, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		b, err := do(c.UserContext(), *currentUser(c), c.Params("id"))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"booth": b})
	}
}

func (s *Server) apiApplyExhibitor(c *fiber.Ctx) error {
	var in struct {
		Company       string   `json:"company"`
		ContactEmail  string   `json:"contact_email"`
		Description   string   `json:"description"`
		Sector        string   `json:"sector"`
		ContactName   string   `json:"contact_name"`
		Phone         string   `json:"phone"`
		Website       string   `json:"website"`
		Products      string   `json:"products"`
		Links         []string `json:"links"`
		PreferredZone string   `json:"preferred_zone"`
		PreferredSize string   `json:"preferred_size"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	x, err := s.Expo.Apply(c.UserContext(), *currentUser(c), c.Params("id"), expo.Profile{
		Company: in.Company, ContactEmail: in.ContactEmail, Description: in.Description, Sector: in.Sector,
		ContactName: in.ContactName, Phone: in.Phone, Website: in.Website, Products: in.Products, Links: in.Links,
		PreferredZone: in.PreferredZone, PreferredSize: in.PreferredSize})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"exhibitor": x})
}

func (s *Server) apiExhibitors(c *fiber.Ctx) error {
	list, err := s.Expo.Exhibitors(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"exhibitors": nonNil(list)})
}

// apiDecideExhibitor approves or rejects; a rejection may carry a reason,
// {"reason": "..."}, and may still come without a body, as it used to.
func (s *Server) apiDecideExhibitor(st expo.ExhibitorStatus) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in struct {
			Reason string `json:"reason"`
		}
		if st == expo.Rejected && len(c.Request().Body()) > 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		x, err := s.Expo.Decide(c.UserContext(), *currentUser(c), c.Params("id"), st, in.Reason)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"exhibitor": x})
	}
}

func (s *Server) apiAddLead(c *fiber.Ctx) error {
	var in struct {
		Token  string `json:"token"`
		Note   string `json:"note"`
		Rating string `json:"rating"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, added, err := s.Expo.AddLead(c.UserContext(), *currentUser(c), c.Params("id"),
		expo.LeadInput{Token: in.Token, Note: in.Note, Rating: in.Rating})
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if added {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(fiber.Map{"lead": l})
}

func (s *Server) apiLeads(c *fiber.Ctx) error {
	list, err := s.Expo.Leads(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"leads": nonNil(list)})
}

// apiUpdateLead sets a lead's note and rating; both are replaced, so a
// client sends what it shows.
func (s *Server) apiUpdateLead(c *fiber.Ctx) error {
	var in struct {
		Note   string `json:"note"`
		Rating string `json:"rating"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := s.Expo.UpdateLead(c.UserContext(), *currentUser(c), c.Params("id"), c.Params("lead"), in.Note, in.Rating)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lead": l})
}

// apiUpdateBooth changes the fields sent and keeps the others.
func (s *Server) apiUpdateBooth(c *fiber.Ctx) error {
	var in struct {
		Code      *string `json:"code"`
		Hall      *string `json:"hall"`
		Zone      *string `json:"zone"`
		SizeClass *string `json:"size_class"`
		X         *int    `json:"x"`
		Y         *int    `json:"y"`
		W         *int    `json:"w"`
		H         *int    `json:"h"`
		Price     *int64  `json:"price"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.Expo.Booth(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	bi := expo.BoothInput{Code: b.Code, Hall: b.Hall, Zone: b.Zone, SizeClass: b.SizeClass, X: b.X, Y: b.Y, W: b.W, H: b.H, Price: b.Price}
	patch(&bi.Code, in.Code)
	patch(&bi.Hall, in.Hall)
	patch(&bi.Zone, in.Zone)
	patch(&bi.SizeClass, in.SizeClass)
	patch(&bi.X, in.X)
	patch(&bi.Y, in.Y)
	patch(&bi.W, in.W)
	patch(&bi.H, in.H)
	patch(&bi.Price, in.Price)
	if b, err = s.Expo.UpdateBooth(c.UserContext(), *currentUser(c), b.ID, bi); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"booth": b})
}

// apiMoveExhibitor answers with the booth the exhibitor now has.
func (s *Server) apiMoveExhibitor(c *fiber.Ctx) error {
	var in struct {
		ToBoothID string `json:"to_booth_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.Expo.MoveExhibitor(c.UserContext(), *currentUser(c), c.Params("id"), in.ToBoothID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"booth": b})
}

func (s *Server) apiBoothChanges(c *fiber.Ctx) error {
	list, err := s.Expo.Changes(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"changes": nonNil(list)})
}

func (s *Server) apiTraffic(c *fiber.Ctx) error {
	t, err := s.Expo.Traffic(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// patch overwrites a value with the one sent, when one was.
func patch[T any](to, sent *T) {
	if sent != nil {
		*to = *sent
	}
}
