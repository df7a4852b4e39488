package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/badges"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// badgeSet is what a badge needs from its event: the questions that say
// who people work for, and each ticket type's name and colour.
type badgeSet struct {
	event  events.Event
	title  string
	names  map[string]string
	colour map[string]int
	size   badges.Size
}

// badgeSetup reads the event of the route and the size of the query.
func (s *Server) badgeSetup(c *fiber.Ctx) (*badgeSet, error) {
	size, ok := badges.ParseSize(c.Query("size"))
	if !ok {
		return nil, errs.ErrInvalid
	}
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return nil, err
	}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	lang := s.lang(c).Code
	set := &badgeSet{event: e, title: e.TitleIn(lang), names: typeNames(types, lang), colour: make(map[string]int, len(types)), size: size}
	// A type keeps the colour of its place among the event's types.
	for i, t := range types {
		set.colour[t.ID] = i
	}
	return set, nil
}

func (b *badgeSet) badge(t tickets.Ticket) badges.Badge {
	return badges.Badge{Name: t.Name, Type: b.names[t.TypeID], Colour: b.colour[t.TypeID], Event: b.title, Token: t.Token,
		Organisation: events.RoleAnswer(b.event.Questions, t.Answers, events.RoleOrganisation),
		JobTitle:     events.RoleAnswer(b.event.Questions, t.Answers, events.RoleJobTitle)}
}

// send answers with the PDF, as a download or, for the gate's print
// button, shown in the browser.
func (b *badgeSet) send(c *fiber.Ctx, name string, list []badges.Badge, inline bool) error {
	var buf bytes.Buffer
	if err := badges.Render(&buf, b.size, list); err != nil {
		return err
	}
	disposition := "attachment"
	if inline {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, disposition+`; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// badgeTicket is the route's ticket, of the route's event and not
// cancelled, with its token.
func (s *Server) badgeTicket(c *fiber.Ctx) (tickets.Ticket, error) {
	t, err := s.Tickets.Ticket(c.UserContext(), c.Params("ticket"))
	if err != nil {
		return tickets.Ticket{}, err
	}
	if t.EventID != c.Params("id") || t.Status != tickets.Active {
		return tickets.Ticket{}, errs.ErrNotFound
	}
	return t, nil
}

// oneBadge is a ticket's badge: for organizers a download, at the gate
// the page the print button opens.
func (s *Server) oneBadge(inline bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		set, err := s.badgeSetup(c)
		if err != nil {
			return err
		}
		t, err := s.badgeTicket(c)
		if err != nil {
			return err
		}
		name := "the-" + set.event.Slug + "-" + t.ID + "-" + string(set.size) + ".pdf"
		return set.send(c, name, []badges.Badge{set.badge(t)}, inline)
	}
}

// manageBadges prints the badges of the registrations list's filter, every
// page of it; cancelled tickets get none.
func (s *Server) manageBadges(c *fiber.Ctx) error {
	set, err := s.badgeSetup(c)
	if err != nil {
		return err
	}
	q := registrationFilter(c)
	q.Status = tickets.Active
	var list []badges.Badge
	if err := s.Tickets.EachWithToken(c.UserContext(), q, func(t tickets.Ticket) error {
		list = append(list, set.badge(t))
		return nil
	}); err != nil {
		return err
	}
	name := "the-" + set.event.Slug + "-" + string(set.size) + "-" + s.Clock.Now().In(vn.Zone).Format("20060102-1504") + ".pdf"
	return set.send(c, name, list, false)
}
