package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/events"
	"sprout/internal/tickets"
	"sprout/internal/training"
)

// trainingPageRoutes are the trainer's pages, for those who work the
// event's gate: the course's sessions, and one session's registrants to
// mark present by hand, refreshed live from its attendance as JSON.
func (s *Server) trainingPageRoutes(app *fiber.App) {
	page := s.pageRequire(gateRoles...)
	staff := s.apiRequire(gateRoles...)
	app.Get("/events/:id/sessions", page, s.worksGate, s.sessionsPage)
	app.Get("/events/:id/sessions/:session/attendance", page, s.worksGate, s.attendancePage)
	app.Post("/events/:id/sessions/:session/attendance", page, s.worksGate, s.attendanceMark)
	app.Post("/events/:id/sessions/:session/attendance/:ticket/undo", page, s.worksGate, s.attendanceUndo)
	app.Get("/events/:id/sessions/:session/attendance.json", s.gateJSONErrors, staff, s.worksGate, s.apiSessionAttendance)
}

// sessionCount is a session with how many attended it.
type sessionCount struct {
	events.AgendaItem
	Present int
}

func (s *Server) sessionsPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	agenda, err := s.Events.Agenda(ctx, e.ID)
	if err != nil {
		return err
	}
	attendance, err := s.Training.EventAttendance(ctx, e.ID)
	if err != nil {
		return err
	}
	present := map[string]int{}
	for _, a := range attendance {
		present[a.SessionID]++
	}
	rows := make([]sessionCount, 0, len(agenda))
	for _, a := range agenda {
		rows = append(rows, sessionCount{AgendaItem: a, Present: present[a.ID]})
	}
	p := s.page(c, "", fiber.Map{"Event": e, "Sessions": rows})
	p.Title = s.lang(c).T("attendance.sessions_title") + " · " + e.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "training/sessions")
}

// registrant is a ticket on the trainer's list, with when it was marked
// present (zero when absent).
type registrant struct {
	tickets.Ticket
	At time.Time
}

func (s *Server) attendancePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	session, err := s.Training.Session(ctx, e.ID, c.Params("session"))
	if err != nil {
		return err
	}
	list, err := s.Training.SessionAttendance(ctx, e.ID, session.ID)
	if err != nil {
		return err
	}
	at := make(map[string]time.Time, len(list))
	for _, a := range list {
		at[a.TicketID] = a.At
	}
	var rows []registrant
	present := 0
	err = s.Tickets.Each(ctx, tickets.Query{EventID: e.ID, Status: tickets.Active}, func(t tickets.Ticket) error {
		rows = append(rows, registrant{Ticket: t, At: at[t.ID]})
		if !at[t.ID].IsZero() {
			present++
		}
		return nil
	})
	if err != nil {
		return err
	}
	p := s.page(c, "", fiber.Map{"Event": e, "Session": session, "Rows": rows, "Present": present})
	p.Title = session.TitleIn(p.L.Code) + " · " + e.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "training/attendance")
}

// attendanceMark marks a registrant present by hand.
func (s *Server) attendanceMark(c *fiber.Ctx) error {
	back := "/events/" + c.Params("id") + "/sessions/" + c.Params("session") + "/attendance"
	a, err := s.Training.Attend(c.UserContext(), c.Params("id"), c.Params("session"),
		training.Input{TicketID: c.FormValue("ticket_id"), By: currentUser(c).ID})
	if err == nil && a.Result != training.OK && a.Result != training.AlreadyRecorded {
		return s.redirectFlash(c, back, "error", "attendance.result."+string(a.Result))
	}
	return s.goBack(c, back, "flash.attendance_marked", err)
}

// attendanceUndo removes a registrant's attendance, marked by mistake.
func (s *Server) attendanceUndo(c *fiber.Ctx) error {
	back := "/events/" + c.Params("id") + "/sessions/" + c.Params("session") + "/attendance"
	err := s.Training.Undo(c.UserContext(), c.Params("id"), c.Params("session"), c.Params("ticket"))
	return s.goBack(c, back, "flash.attendance_undone", err)
}
