package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/checkin"
	"sprout/internal/tickets"
)

// gateRoles may scan tickets.
var gateRoles = []accounts.Role{accounts.RoleStaff, accounts.RoleOrganizer, accounts.RoleAdmin}

func (s *Server) checkinRoutes(api fiber.Router) {
	gate := s.apiRequire(gateRoles...)
	api.Post("/events/:id/checkins", gate, s.worksGate, s.apiCheckin)
	api.Get("/events/:id/checkins", gate, s.worksGate, s.apiScanLog)
	api.Post("/events/:id/checkins/:scan/annul", gate, s.worksGate, s.apiAnnul)
	api.Get("/events/:id/stats", gate, s.worksGate, s.apiStats)
	api.Get("/events/:id/arrivals", gate, s.worksGate, s.apiArrivals)
	api.Get("/events/:id/gate-data", gate, s.worksGate, s.apiGateData)
	api.Get("/events/:id/attendees", gate, s.worksGate, s.apiAttendees)
	api.Post("/events/:id/walk-ins", gate, s.worksGate, s.apiWalkIn)
	organizer := s.apiRequire(organizerRoles...)
	api.Post("/events/:id/staff", organizer, s.apiAssignStaff)
	api.Delete("/events/:id/staff/:user", organizer, s.apiUnassignStaff)
}

// worksGate lets on only those who may work the event's gate, after
// apiRequire or pageRequire has signed them in.
func (s *Server) worksGate(c *fiber.Ctx) error {
	if err := s.Staffing.CanWork(c.UserContext(), *currentUser(c), c.Params("id")); err != nil {
		return err
	}
	return c.Next()
}

func (s *Server) apiAssignStaff(c *fiber.Ctx) error {
	var in struct {
		UserID string `json:"user_id"`
		Gate   string `json:"gate"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.Staffing.AssignUser(c.UserContext(), c.Params("id"), in.UserID, in.Gate, currentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"staff": fiber.Map{"event_id": c.Params("id"), "user_id": u.ID, "name": u.Name}})
}

func (s *Server) apiUnassignStaff(c *fiber.Ctx) error {
	if err := s.Staffing.Unassign(c.UserContext(), c.Params("id"), c.Params("user")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"removed": true})
}

func (s *Server) apiCheckin(c *fiber.Ctx) error {
	var in struct {
		Token     string    `json:"token"`
		TicketID  string    `json:"ticket_id"`
		Gate      string    `json:"gate"`
		Direction string    `json:"direction"`
		Nonce     string    `json:"nonce"`
		ScannedAt time.Time `json:"scanned_at"`
		Offline   bool      `json:"offline"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Checkin.Scan(c.UserContext(), c.Params("id"), checkin.Input{
		Token: in.Token, TicketID: in.TicketID, Gate: in.Gate, Direction: checkin.Direction(in.Direction), Nonce: in.Nonce,
		ScannedAt: in.ScannedAt, StaffID: currentUser(c).ID, Offline: in.Offline,
	})
	if err != nil {
		return err
	}
	return c.JSON(answerJSON(a))
}

// answerJSON is a scan's outcome as the gate reads it.
func answerJSON(a checkin.Answer) fiber.Map {
	var first any
	if !a.FirstIn.IsZero() {
		first = a.FirstIn
	}
	out := fiber.Map{"result": a.Result, "first_checked_in_at": first, "scan_id": a.Scan.ID, "gate": a.Scan.Gate}
	if a.Ticket != nil {
		out["ticket"] = a.Ticket
		out["ticket_type"] = a.TypeName
	}
	return out
}

// apiWalkIn registers a visitor at the gate and checks them in, in one
// step: the ticket first, then its entry scan, both kept should the scan
// fail (the gate then scans the ticket as any other).
func (s *Server) apiWalkIn(c *fiber.Ctx) error {
	var in struct {
		Name         string `json:"name"`
		Email        string `json:"email"`
		Phone        string `json:"phone"`
		TicketTypeID string `json:"ticket_type_id"`
		Gate         string `json:"gate"`
		Lang         string `json:"lang"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.Tickets.WalkIn(c.UserContext(), c.Params("id"), tickets.Input{TicketTypeID: in.TicketTypeID, Name: in.Name,
		Email: in.Email, Phone: in.Phone, Lang: in.Lang})
	if err != nil {
		return err
	}
	a, err := s.Checkin.Scan(c.UserContext(), c.Params("id"), checkin.Input{TicketID: t.ID, Gate: in.Gate, Nonce: "walk-in-" + t.ID,
		StaffID: currentUser(c).ID})
	if err != nil {
		return err
	}
	out := answerJSON(a)
	out["walk_in"] = s.ticketView(t)
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *Server) apiScanLog(c *fiber.Ctx) error {
	offset, _ := strconv.Atoi(c.Query("offset"))
	limit, _ := strconv.Atoi(c.Query("limit"))
	list, total, err := s.Checkin.Log(c.UserContext(), checkin.LogQuery{
		EventID: c.Params("id"), Gate: c.Query("gate"), TicketID: c.Query("ticket_id"),
		ConflictsOnly: c.Query("conflicts") != "", Offset: offset, Limit: limit,
	})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"scans": nonNil(list), "total": total})
}

func (s *Server) apiAnnul(c *fiber.Ctx) error {
	sc, err := s.Checkin.Annul(c.UserContext(), c.Params("id"), c.Params("scan"), currentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"scan": sc})
}

func (s *Server) apiStats(c *fiber.Ctx) error {
	if _, err := s.Events.Event(c.UserContext(), c.Params("id"), true); err != nil {
		return err
	}
	st, err := s.Checkin.Stats(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (s *Server) apiArrivals(c *fiber.Ctx) error {
	list, err := s.Checkin.Arrivals(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"arrivals": nonNil(list)})
}

// apiGateData is what a gate keeps to work offline: the keys that verify
// tickets and the tickets cancelled since they were issued.
func (s *Server) apiGateData(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	return s.offlineData(c, e.ID, fiber.Map{"event": fiber.Map{"id": e.ID, "title": e.Title, "starts_at": e.StartsAt, "ends_at": e.EndsAt}})
}

// offlineData answers what a scanner of an event keeps to judge tickets
// while the network is gone, gate and booth alike: the keys that verify
// them and the tickets cancelled since they were issued, beside more.
func (s *Server) offlineData(c *fiber.Ctx, eventID string, more fiber.Map) error {
	ctx := c.UserContext()
	set, err := s.Keys.JWKS(ctx)
	if err != nil {
		return err
	}
	revoked, err := s.Tickets.CancelledIDs(ctx, eventID)
	if err != nil {
		return err
	}
	more["keys"], more["revoked"], more["generated_at"] = set.Keys, revoked, s.Clock.Now()
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(more)
}

// apiAttendees lets staff find a visitor without a phone by the start of
// the words of their name, email or phone, diacritics ignored.
func (s *Server) apiAttendees(c *fiber.Ctx) error {
	q := c.Query("q")
	if len([]rune(q)) < 2 {
		return c.JSON(fiber.Map{"attendees": []any{}})
	}
	list, err := s.Tickets.Find(c.UserContext(), tickets.Query{EventID: c.Params("id"), Status: tickets.Active, Text: q, Limit: 20})
	if err != nil {
		return err
	}
	out := make([]fiber.Map, 0, len(list))
	for _, t := range list {
		first, inside, err := s.Checkin.Presence(c.UserContext(), t.ID)
		if err != nil {
			return err
		}
		var firstIn any
		if !first.IsZero() {
			firstIn = first
		}
		out = append(out, fiber.Map{"id": t.ID, "name": t.Name, "email": maskEmail(t.Email), "ticket_type_id": t.TypeID,
			"inside": inside, "first_checked_in_at": firstIn})
	}
	return c.JSON(fiber.Map{"attendees": out})
}

// maskEmail shows staff enough of an email to tell two namesakes apart.
func maskEmail(e string) string {
	at := -1
	for i, r := range e {
		if r == '@' {
			at = i
		}
	}
	if at < 2 {
		return e
	}
	return e[:2] + "…" + e[at:]
}
