package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// waitRow is a person waiting as the organizer's waitlist shows them.
type waitRow struct {
	tickets.Waiter
	TypeName, Phone string
}

func (s *Server) manageWaitlist(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return err
	}
	list, err := s.Tickets.Waitlist(ctx, e.ID)
	if err != nil {
		return err
	}
	l := s.lang(c)
	names := map[string]string{}
	for _, t := range types {
		names[t.ID] = t.NameIn(l.Code)
	}
	rows := make([]waitRow, len(list))
	for i, w := range list {
		rows[i] = waitRow{Waiter: w, TypeName: names[w.TypeID], Phone: vn.FormatPhone(w.Phone)}
	}
	p := s.page(c, "manage.waitlist.title", fiber.Map{"Event": e, "Types": types, "Rows": rows})
	p.Title = p.L.T("manage.waitlist.title") + " · " + e.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "manage/waitlist")
}

// eventWaiter finds the waiting entry of the route, refusing one of another
// event so that a forged form cannot reach it through this event's page.
func (s *Server) eventWaiter(c *fiber.Ctx) error {
	w, _, err := s.Tickets.WaitPosition(c.UserContext(), c.Params("entry"))
	if err != nil {
		return err
	}
	if w.EventID != c.Params("id") {
		return errs.ErrNotFound
	}
	return nil
}

func (s *Server) managePromoteWaiter(c *fiber.Ctx) error {
	back := "/manage/events/" + c.Params("id") + "/waitlist"
	if err := s.eventWaiter(c); err != nil {
		return err
	}
	t, err := s.Tickets.PromoteNow(c.UserContext(), c.Params("entry"))
	if err != nil {
		return s.goBack(c, back, "", err)
	}
	return s.redirectFlash(c, back, "ok", "flash.waiter_promoted", url.Values{"Name": {t.Name}})
}

func (s *Server) manageRemoveWaiter(c *fiber.Ctx) error {
	if err := s.eventWaiter(c); err != nil {
		return err
	}
	_, err := s.Tickets.RemoveWaiting(c.UserContext(), c.Params("entry"))
	return s.goBack(c, "/manage/events/"+c.Params("id")+"/waitlist", "flash.waiter_removed", err)
}

// filled tells the organizer how many people waiting got a seat of the
// type just saved; a failure leaves them to the janitor's next pass.
func (s *Server) filled(c *fiber.Ctx, typeID string) int {
	promoted, err := s.Tickets.Fill(c.UserContext(), typeID)
	if err != nil {
		s.log(c).Warn("giving added seats to people waiting", "type", typeID, "err", err)
	}
	return len(promoted)
}

func (s *Server) apiWaitlist(c *fiber.Ctx) error {
	if _, err := s.Events.Event(c.UserContext(), c.Params("id"), true); err != nil {
		return err
	}
	list, err := s.Tickets.Waitlist(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	out := make([]fiber.Map, len(list))
	for i, w := range list {
		out[i] = fiber.Map{"id": w.ID, "ticket_type_id": w.TypeID, "position": w.Position, "name": w.Name, "email": w.Email,
			"phone": w.Phone, "created_at": w.CreatedAt}
	}
	return c.JSON(fiber.Map{"waitlist": out})
}

func (s *Server) apiPromoteWaiter(c *fiber.Ctx) error {
	if err := s.eventWaiter(c); err != nil {
		return err
	}
	t, err := s.Tickets.PromoteNow(c.UserContext(), c.Params("entry"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ticket": s.ticketView(t)})
}

func (s *Server) apiRemoveWaiter(c *fiber.Ctx) error {
	if err := s.eventWaiter(c); err != nil {
		return err
	}
	w, err := s.Tickets.RemoveWaiting(c.UserContext(), c.Params("entry"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"waitlist": fiber.Map{"id": w.ID, "status": w.Status, "ticket_type_id": w.TypeID}})
}
