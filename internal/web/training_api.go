package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/training"
)

// trainingRoutes are a course's attendance, taken by those who work the
// event's gate: staff of the event, organizers and admins.
func (s *Server) trainingRoutes(api fiber.Router) {
	gate := s.apiRequire(gateRoles...)
	api.Post("/events/:id/sessions/:session/attendance", gate, s.worksGate, s.apiAttend)
	api.Get("/events/:id/sessions/:session/attendance", gate, s.worksGate, s.apiSessionAttendance)
	api.Delete("/events/:id/sessions/:session/attendance/:ticket", gate, s.worksGate, s.apiUndoAttendance)
}

// apiAttend records a ticket's attendance at a session: {token} from its
// QR code or {ticket_id} by hand.
func (s *Server) apiAttend(c *fiber.Ctx) error {
	var in struct {
		Token     string    `json:"token"`
		TicketID  string    `json:"ticket_id"`
		ScannedAt time.Time `json:"scanned_at"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Training.Attend(c.UserContext(), c.Params("id"), c.Params("session"),
		training.Input{Token: in.Token, TicketID: in.TicketID, By: currentUser(c).ID, ScannedAt: in.ScannedAt})
	if err != nil {
		return err
	}
	out := fiber.Map{"result": a.Result}
	if a.Ticket != nil {
		out["ticket"] = fiber.Map{"id": a.Ticket.ID, "name": a.Ticket.Name}
	}
	if !a.At.IsZero() {
		out["at"] = a.At
	}
	return c.JSON(out)
}

// apiUndoAttendance removes a ticket's attendance at a session; none
// recorded is 404.
func (s *Server) apiUndoAttendance(c *fiber.Ctx) error {
	if err := s.Training.Undo(c.UserContext(), c.Params("id"), c.Params("session"), c.Params("ticket")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"removed": true})
}

func (s *Server) apiSessionAttendance(c *fiber.Ctx) error {
	list, err := s.Training.SessionAttendance(c.UserContext(), c.Params("id"), c.Params("session"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []training.Attendance{}
	}
	return c.JSON(fiber.Map{"attendance": list})
}
