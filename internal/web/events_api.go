package web

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
)

func (s *Server) eventsAPIRoutes(api fiber.Router, lim limits) {
	api.Get("/events", s.apiEvents)
	api.Post("/events", s.apiRequire(organizerRoles...), s.apiCreateEvent)
	api.Get("/events/:id", s.apiEvent)
	api.Put("/events/:id", s.apiRequire(organizerRoles...), s.apiUpdateEvent)
	api.Put("/events/:id/banner", s.apiRequire(organizerRoles...), s.apiSetBanner)
	api.Post("/events/:id/ticket-types", s.apiRequire(organizerRoles...), s.apiCreateTicketType)
	api.Put("/events/:id/ticket-types/:type", s.apiRequire(organizerRoles...), s.apiUpdateTicketType)
	api.Post("/events/:id/agenda", s.apiRequire(organizerRoles...), s.apiAddSession)
	api.Put("/events/:id/agenda/:item", s.apiRequire(organizerRoles...), s.apiUpdateSession)
	api.Delete("/events/:id/agenda/:item", s.apiRequire(organizerRoles...), s.apiRemoveSession)
	api.Put("/events/:id/questions", s.apiRequire(organizerRoles...), s.apiSetQuestions)
	api.Put("/events/:id/course", s.apiRequire(organizerRoles...), s.apiSetCourse)
	api.Post("/events/:id/registrations", lim.register, s.apiRegister)
	api.Get("/events/:id/registrations", s.apiRequire(organizerRoles...), s.apiRegistrations)
	api.Get("/tickets/:id", s.apiRequire(organizerRoles...), s.apiTicket)
	api.Post("/tickets/:id/cancel", s.apiRequire(organizerRoles...), s.apiCancelTicket)
	api.Post("/tickets/:id/resend", s.apiRequire(organizerRoles...), s.apiResendTicket)
	api.Post("/tickets/lost", lim.lost, s.apiLostTicket)
	// An entry's id opens nothing for its person, whose page is the url
	// the registration answered with; organizers may look entries up.
	api.Get("/waitlist/:id", s.apiRequire(organizerRoles...), s.apiWaitlistEntry)
	api.Get("/events/:id/waitlist", s.apiRequire(organizerRoles...), s.apiWaitlist)
	api.Post("/events/:id/waitlist/:entry/promote", s.apiRequire(organizerRoles...), s.apiPromoteWaiter)
	api.Delete("/events/:id/waitlist/:entry", s.apiRequire(organizerRoles...), s.apiRemoveWaiter)
}

type eventJSON struct {
	Slug          string    `json:"slug"`
	Title         string    `json:"title"`
	TitleEN       string    `json:"title_en"`
	Description   string    `json:"description"`
	DescriptionEN string    `json:"description_en"`
	Venue         string    `json:"venue"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
	Published     bool      `json:"published"`
}

func (in eventJSON) input() events.Input {
	return events.Input{Slug: in.Slug, Title: in.Title, TitleEN: in.TitleEN, Description: in.Description,
		DescriptionEN: in.DescriptionEN, Venue: in.Venue, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Published: in.Published}
}

// isOrganizer tells whether the signed-in user runs events.
func isOrganizer(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && u.Has(organizerRoles...)
}

func (s *Server) apiCreateEvent(c *fiber.Ctx) error {
	var in eventJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := s.Events.Create(c.UserContext(), currentUser(c).ID, in.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"event": e})
}

func (s *Server) apiUpdateEvent(c *fiber.Ctx) error {
	var in eventJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := s.Events.Update(c.UserContext(), c.Params("id"), in.input())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"event": e})
}

func (s *Server) apiEvent(c *fiber.Ctx) error {
	e, err := s.Events.Event(c.UserContext(), c.Params("id"), isOrganizer(c))
	if err != nil {
		return err
	}
	list := s.Events.OnOffer
	if isOrganizer(c) {
		list = s.Events.TicketTypes
	}
	types, err := list(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	agenda, err := s.Events.Agenda(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"event": e, "ticket_types": nonNil(types), "agenda": nonNil(agenda)})
}

func (s *Server) apiEvents(c *fiber.Ctx) error {
	offset, _ := strconv.Atoi(c.Query("offset"))
	list, total, err := s.Events.Upcoming(c.UserContext(), max(offset, 0), 50)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"events": nonNil(list), "total": total})
}

type ticketTypeJSON struct {
	Name       string    `json:"name"`
	NameEN     string    `json:"name_en"`
	Capacity   int       `json:"capacity"`
	Waitlist   bool      `json:"waitlist"`
	SalesStart time.Time `json:"sales_start"`
	SalesEnd   time.Time `json:"sales_end"`
}

func (in ticketTypeJSON) input() events.TypeInput {
	return events.TypeInput{Name: in.Name, NameEN: in.NameEN, Capacity: in.Capacity, Waitlist: in.Waitlist, SalesStart: in.SalesStart, SalesEnd: in.SalesEnd}
}

func (s *Server) apiCreateTicketType(c *fiber.Ctx) error {
	var in ticketTypeJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.Events.AddTicketType(c.UserContext(), c.Params("id"), in.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"ticket_type": t})
}

func (s *Server) apiUpdateTicketType(c *fiber.Ctx) error {
	var in ticketTypeJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.Events.UpdateTicketType(c.UserContext(), c.Params("id"), c.Params("type"), in.input())
	if err != nil {
		return err
	}
	// Seats added go to the people waiting, in line.
	if n := s.filled(c, t.ID); n > 0 {
		if t, err = s.Events.TicketType(c.UserContext(), t.ID); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"ticket_type": t, "promoted": n})
	}
	return c.JSON(fiber.Map{"ticket_type": t})
}

type sessionJSON struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Room     string    `json:"room"`
	Title    string    `json:"title"`
	TitleEN  string    `json:"title_en"`
	Speakers string    `json:"speakers"`
}

func (in sessionJSON) input() events.AgendaInput {
	return events.AgendaInput{StartsAt: in.StartsAt, EndsAt: in.EndsAt, Room: in.Room, Title: in.Title, TitleEN: in.TitleEN, Speakers: in.Speakers}
}

func (s *Server) apiAddSession(c *fiber.Ctx) error {
	var in sessionJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Events.AddSession(c.UserContext(), c.Params("id"), in.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"session": a})
}

func (s *Server) apiUpdateSession(c *fiber.Ctx) error {
	var in sessionJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Events.UpdateSession(c.UserContext(), c.Params("id"), c.Params("item"), in.input())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"session": a})
}

func (s *Server) apiRemoveSession(c *fiber.Ctx) error {
	if err := s.Events.RemoveSession(c.UserContext(), c.Params("id"), c.Params("item")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"removed": true})
}

// ticketView is a ticket as the API shows it, with its page's URL.
func (s *Server) ticketView(t tickets.Ticket) fiber.Map {
	v := fiber.Map{
		"id": t.ID, "event_id": t.EventID, "ticket_type_id": t.TypeID, "name": t.Name, "email": t.Email,
		"phone": t.Phone, "share_contact": t.SharesContact(), "status": t.Status, "token": t.Token,
		"url": s.Tickets.URL(t), "created_at": t.CreatedAt,
	}
	if len(t.Answers) > 0 {
		v["answers"] = t.Answers
	}
	if t.SharesContact() {
		v["consent"] = t.Consent
	}
	return v
}

// answersJSON reads the answers of a registration sent as JSON the way the
// form sends them.
func answersJSON(in map[string]json.RawMessage) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for id, raw := range in {
		var text string
		var list []string
		var yes bool
		switch {
		case json.Unmarshal(raw, &text) == nil:
			out[id] = text
		case json.Unmarshal(raw, &list) == nil:
			out[id] = events.JoinPicked(list)
		case json.Unmarshal(raw, &yes) == nil:
			out[id] = map[bool]string{true: events.Yes, false: events.No}[yes]
		default:
			return nil, errs.Field("q_"+id, "error.invalid")
		}
	}
	return out, nil
}

func (s *Server) apiSetQuestions(c *fiber.Ctx) error {
	var in struct {
		Questions []events.Question `json:"questions"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	qs, err := s.Events.SetQuestions(c.UserContext(), c.Params("id"), in.Questions)
	if err != nil {
		return err
	}
	if qs == nil {
		qs = []events.Question{}
	}
	return c.JSON(fiber.Map{"questions": qs})
}

// apiSetCourse makes the event a course, or no longer one, with its
// completion rule: {course, min_percent, required_sessions}.
func (s *Server) apiSetCourse(c *fiber.Ctx) error {
	var in events.Course
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	course, err := s.Events.SetCourse(c.UserContext(), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"course": course})
}

func (s *Server) apiRegister(c *fiber.Ctx) error {
	var in struct {
		TicketTypeID string `json:"ticket_type_id"`
		Name         string `json:"name"`
		Email        string `json:"email"`
		Phone        string `json:"phone"`
		ShareContact bool   `json:"share_contact"`
		Lang         string `json:"lang"`
		// Answers answer the event's questions by id: text, an option, a
		// list of options, or true and false for yes and no.
		Answers map[string]json.RawMessage `json:"answers"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Lang == "" {
		in.Lang = s.lang(c).Code
	}
	answers, err := answersJSON(in.Answers)
	if err != nil {
		return err
	}
	r, err := s.Tickets.Register(c.UserContext(), c.Params("id"), tickets.Input{
		TicketTypeID: in.TicketTypeID, Name: in.Name, Email: in.Email, Phone: in.Phone, ShareContact: in.ShareContact, Lang: in.Lang,
		Answers: answers, Charge: charge(c),
	})
	if err != nil {
		return err
	}
	if r.Wait != nil {
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"waitlist": fiber.Map{
			"id": r.Wait.ID, "position": r.Position, "ticket_type_id": r.Wait.TypeID, "status": r.Wait.Status,
			"url": s.Tickets.WaitURL(*r.Wait)}})
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"ticket": s.ticketView(*r.Ticket)})
}

func (s *Server) apiCancelTicket(c *fiber.Ctx) error {
	t, err := s.Tickets.Cancel(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ticket": s.ticketView(t)})
}

func (s *Server) apiResendTicket(c *fiber.Ctx) error {
	if err := s.Tickets.Resend(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ok": true})
}

func (s *Server) apiTicket(c *fiber.Ctx) error {
	t, err := s.Tickets.Ticket(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ticket": s.ticketView(t)})
}

func (s *Server) apiRegistrations(c *fiber.Ctx) error {
	offset, _ := strconv.Atoi(c.Query("offset"))
	limit, _ := strconv.Atoi(c.Query("limit"))
	list, total, err := s.Tickets.List(c.UserContext(), tickets.Query{
		EventID: c.Params("id"), TypeID: c.Query("ticket_type_id"), Status: tickets.Status(c.Query("status")),
		Text: c.Query("q"), Offset: offset, Limit: limit,
	})
	if err != nil {
		return err
	}
	out := make([]fiber.Map, 0, len(list))
	for _, t := range list {
		out = append(out, s.ticketView(t))
	}
	return c.JSON(fiber.Map{"registrations": out, "total": total})
}

func (s *Server) apiWaitlistEntry(c *fiber.Ctx) error {
	w, pos, err := s.Tickets.WaitPosition(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"waitlist": fiber.Map{"id": w.ID, "position": pos, "status": w.Status, "ticket_type_id": w.TypeID}})
}

func (s *Server) apiLostTicket(c *fiber.Ctx) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.Tickets.SendLinks(c.UserContext(), in.Email, s.lang(c).Code); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"ok": true})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
