package web

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/certs"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/graduation"
	"sprout/internal/qr"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/vn"
)

func (s *Server) eventsPageRoutes(app *fiber.App, lim limits) {
	app.Get("/events", s.eventsPage)
	app.Get("/events/:slug", s.eventPage)
	app.Get("/events/:slug/banner", s.eventBanner)
	app.Post("/events/:slug/register", lim.register, s.registerSubmit)
	app.Get("/w/:secret", s.waitlistPage)
	app.Get("/t/:secret", s.ticketPageView)
	app.Get("/t/:secret/qr.png", s.ticketQR)
	app.Get("/t/:secret/event.ics", s.ticketICS)
	app.Post("/t/:secret/cancel", s.ticketCancel)
	app.Get("/tickets/lost", s.lostPage)
	app.Post("/tickets/lost", lim.lost, s.lostSubmit)
}

// countBooths fills in the floor plan's size for the page shown; the
// registration itself never waits for it.
func (s *Server) countBooths(ctx context.Context, p *eventPage) error {
	booths, err := s.Expo.Booths(ctx, p.Event.ID)
	p.Booths = len(booths)
	return err
}

// eventPage is what the public event page shows.
type eventPage struct {
	Event  events.Event
	Types  []events.TicketType
	Agenda []events.AgendaItem
	When   string
	// Booths counts the floor plan's booths, to show the exhibition part.
	Booths int
	// ConsentWords names the words the form asks consent with.
	ConsentWords string
}

func (s *Server) loadEventPage(c *fiber.Ctx) (eventPage, error) {
	ctx := c.UserContext()
	e, err := s.Events.EventByRef(ctx, c.Params("slug"), isOrganizer(c))
	if err != nil {
		return eventPage{}, err
	}
	p := eventPage{Event: e, When: tickets.When(e), ConsentWords: "consent.share_contact." + tickets.ConsentWording}
	if p.Types, err = s.Events.OnOffer(ctx, e.ID); err != nil {
		return p, err
	}
	p.Agenda, err = s.Events.Agenda(ctx, e.ID)
	return p, err
}

func (s *Server) eventsPage(c *fiber.Ctx) error {
	list, total, err := s.Events.Upcoming(c.UserContext(), (pageNumber(c)-1)*pageSize, pageSize)
	if err != nil {
		return err
	}
	return s.render(c, "events/list", "events.title", fiber.Map{"Events": list, "Pager": s.newPager(c, total, pageSize, nil)})
}

func (s *Server) eventPage(c *fiber.Ctx) error {
	p, err := s.loadEventPage(c)
	if err != nil {
		return err
	}
	if err := s.countBooths(c.UserContext(), &p); err != nil {
		return err
	}
	pg := s.page(c, "", p)
	pg.Title = p.Event.TitleIn(pg.L.Code)
	// Consent is asked, never presumed: the box starts unticked.
	return pg.render(c, "events/show")
}

// registerSubmit is the public registration form. A filled honeypot field
// (hidden from people) marks a bot: it is answered like a success and
// nothing is stored.
func (s *Server) registerSubmit(c *fiber.Ctx) error {
	p, err := s.loadEventPage(c)
	if err != nil {
		return err
	}
	form := map[string]string{
		"name": c.FormValue("name"), "email": c.FormValue("email"), "phone": c.FormValue("phone"),
		"ticket_type_id": c.FormValue("ticket_type_id"), "share_contact": c.FormValue("share_contact"),
	}
	if c.FormValue("website") != "" {
		s.log(c).Warn("registration honeypot filled", "event", p.Event.ID)
		return s.redirectFlash(c, "/events/"+p.Event.Slug, "ok", "flash.registration_received")
	}
	answers := map[string]string{}
	for _, q := range p.Event.Questions {
		v := c.FormValue(q.Field())
		if q.Kind == events.AskMulti {
			v = events.JoinPicked(multi(c, q.Field()))
		}
		answers[q.ID], form[q.Field()] = v, v
	}
	r, err := s.Tickets.Register(c.UserContext(), p.Event.ID, tickets.Input{
		TicketTypeID: form["ticket_type_id"], Name: form["name"], Email: form["email"], Phone: form["phone"],
		ShareContact: form["share_contact"] != "", Lang: s.lang(c).Code, Answers: answers, Charge: charge(c),
	})
	if err != nil {
		if err := s.countBooths(c.UserContext(), &p); err != nil {
			return err
		}
		pg := s.page(c, "", p)
		pg.Title = p.Event.TitleIn(pg.L.Code)
		return s.formErrorPage(c, pg, "events/show", err, form)
	}
	if r.Wait != nil {
		return c.Redirect("/w/"+r.Wait.Secret, fiber.StatusSeeOther)
	}
	return s.redirectFlash(c, "/t/"+r.Ticket.Secret, "ok", "flash.registered")
}

// waitlistPage is a waiting person's page, a capability URL like a
// ticket's: where they stand, or the ticket they were given.
func (s *Server) waitlistPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	w, pos, err := s.Tickets.WaitBySecret(ctx, c.Params("secret"))
	if err != nil {
		return err
	}
	e, err := s.Events.Event(ctx, w.EventID, true)
	if err != nil {
		return err
	}
	data := fiber.Map{"Entry": w, "Position": pos, "Event": e, "Email": accounts.MaskEmail(w.Email)}
	if w.Status == tickets.Promoted {
		// Holding this page proves what the ticket's mail would: it is theirs.
		t, err := s.Tickets.Ticket(ctx, w.TicketID)
		if err != nil {
			return err
		}
		if t.Status == tickets.Active {
			data["TicketURL"] = "/t/" + t.Secret
		}
	}
	privatePage(c)
	return s.render(c, "tickets/waitlist", "waitlist.title", data)
}

// privatePage keeps a capability page's URL to its holder: no caching by
// shared proxies, no referrer carrying it to other sites.
func privatePage(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("Referrer-Policy", "no-referrer")
}

// ticketPage is the holder's ticket: a capability URL that works without
// signing in.
type ticketPage struct {
	Ticket tickets.Ticket
	Event  events.Event
	Type   events.TicketType
	When   string
	Phone  string
	// Email is masked: whoever the link reaches learns no address.
	Email string
	// Course is the holder's progress when the event is a course.
	Course *courseProgress
}

// courseProgress is how far a participant is in a course: the sessions
// attended, whether that completes it, and the certificate once issued.
type courseProgress struct {
	Attended, Sessions int
	Completed          bool
	Cert               *certs.Certificate
}

// progress finds the holder's attendance and certificate in a course.
func (s *Server) progress(ctx context.Context, e events.Event, t tickets.Ticket) (*courseProgress, error) {
	agenda, err := s.Events.Agenda(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	attendance, err := s.Training.EventAttendance(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	row := training.Sheet(e.Course, agenda, []tickets.Ticket{t}, attendance)[0]
	p := &courseProgress{Attended: row.Count, Sessions: len(agenda), Completed: row.Completed}
	cert, err := s.Certs.BySource(ctx, certs.Training, graduation.Source(e.ID, t.ID))
	switch {
	case err == nil:
		p.Cert = &cert
	case !errors.Is(err, errs.ErrNotFound):
		return nil, err
	}
	return p, nil
}

func (s *Server) loadTicket(c *fiber.Ctx) (ticketPage, error) {
	ctx := c.UserContext()
	t, err := s.Tickets.BySecret(ctx, c.Params("secret"))
	if err != nil {
		return ticketPage{}, err
	}
	e, err := s.Events.Event(ctx, t.EventID, true)
	if err != nil {
		return ticketPage{}, err
	}
	tt, err := s.Events.TicketType(ctx, t.TypeID)
	if err != nil {
		return ticketPage{}, err
	}
	privatePage(c)
	p := ticketPage{Ticket: t, Event: e, Type: tt, When: tickets.When(e), Phone: vn.FormatPhone(t.Phone),
		Email: accounts.MaskEmail(t.Email)}
	if e.Course.Enabled && t.Status == tickets.Active {
		if p.Course, err = s.progress(ctx, e, t); err != nil {
			return ticketPage{}, err
		}
	}
	return p, nil
}

func (s *Server) ticketPageView(c *fiber.Ctx) error {
	p, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	pg := s.page(c, "ticket.title", p)
	return pg.render(c, "tickets/ticket")
}

func (s *Server) ticketQR(c *fiber.Ctx) error {
	p, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	png, err := qr.PNG(p.Ticket.Token)
	if err != nil {
		return err
	}
	c.Type("png")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	return c.Send(png)
}

func (s *Server) ticketICS(c *fiber.Ctx) error {
	p, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+p.Event.Slug+`.ics"`)
	return c.Send(tickets.ICS(p.Event, s.lang(c).Code, s.Tickets.URL(p.Ticket)))
}

func (s *Server) ticketCancel(c *fiber.Ctx) error {
	if _, err := s.Tickets.CancelBySecret(c.UserContext(), c.Params("secret")); err != nil {
		if errs.KindOf(err) == errs.Conflict {
			return s.redirectFlash(c, "/t/"+c.Params("secret"), "error", "error.ticket_cancelled")
		}
		return err
	}
	return s.redirectFlash(c, "/t/"+c.Params("secret"), "ok", "flash.ticket_cancelled")
}

func (s *Server) lostPage(c *fiber.Ctx) error {
	return s.render(c, "tickets/lost", "lost.title", fiber.Map{"Sent": false})
}

func (s *Server) lostSubmit(c *fiber.Ctx) error {
	if err := s.Tickets.SendLinks(c.UserContext(), c.FormValue("email"), s.lang(c).Code); err != nil {
		return err
	}
	return s.render(c, "tickets/lost", "lost.title", fiber.Map{"Sent": true})
}

// formErrorPage shows the form again with the user's input and the error
// next to the field it is about. Errors outside the vocabulary go on to the
// error handler.
func (s *Server) formErrorPage(c *fiber.Ctx, p Page, view string, err error, form map[string]string) error {
	msgs, ok := s.fieldError(c, err)
	if !ok {
		return err
	}
	p.Form, p.Errors = form, msgs
	c.Type("html", "utf-8")
	return p.render(c, view)
}
