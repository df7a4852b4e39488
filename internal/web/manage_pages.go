package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// registrationsPageSize is larger than other lists: organizers skim
// thousands of registrations.
const registrationsPageSize = 50

// localInput is how datetime-local inputs write a time; browsers add
// seconds when a step asks for them.
var localInput = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

func (s *Server) manageRoutes(app *fiber.App) {
	m := app.Group("/manage", s.pageRequire(organizerRoles...))
	m.Get("", func(c *fiber.Ctx) error { return c.Redirect("/manage/events", fiber.StatusSeeOther) })
	m.Get("/events", s.manageEvents)
	m.Get("/events/new", s.manageNewEvent)
	m.Post("/events", s.manageCreateEvent)
	m.Get("/events/:id", show(s.loadManaged, s.renderManaged))
	m.Post("/events/:id", s.manageUpdateEvent)
	m.Post("/events/:id/banner", s.manageSetBanner)
	m.Post("/events/:id/banner/delete", s.manageRemoveBanner)
	m.Post("/events/:id/types", s.manageAddType)
	m.Post("/events/:id/types/:type", s.manageUpdateType)
	m.Post("/events/:id/agenda", s.manageAddSession)
	m.Post("/events/:id/questions", s.manageSetQuestions)
	m.Post("/events/:id/course", s.manageSetCourse)
	m.Post("/events/:id/agenda/:session", s.manageUpdateSession)
	m.Post("/events/:id/agenda/:session/delete", s.manageRemoveSession)
	m.Get("/events/:id/registrations", s.manageRegistrations)
	m.Get("/events/:id/registrations.csv", s.exportCSV)
	m.Get("/events/:id/registrations.xlsx", s.exportXLSX)
	m.Get("/events/:id/registrations/:ticket/badge.pdf", s.oneBadge(false))
	m.Get("/events/:id/badges.pdf", s.manageBadges)
	m.Get("/events/:id/attendance.xlsx", s.manageAttendanceSheet)
	m.Post("/events/:id/registrations/:ticket/cancel", s.manageCancelTicket)
	m.Post("/events/:id/registrations/:ticket/resend", s.manageResendTicket)
	m.Get("/events/:id/waitlist", s.manageWaitlist)
	m.Post("/events/:id/waitlist/:entry/promote", s.managePromoteWaiter)
	m.Post("/events/:id/waitlist/:entry/remove", s.manageRemoveWaiter)
}

// form is one form of a page: what it shows in its fields and, when it came
// back, the error next to its field ("" for the form as a whole).
type form struct {
	Values map[string]string
	Errors map[string]string
}

// failedForm turns a service's refusal into the form shown again with the
// user's input. Errors nobody can fix in the form go on to the error page.
// A thing gone missing is no mistake in the form.
func (s *Server) failedForm(c *fiber.Ctx, err error, values map[string]string) (form, error) {
	if errs.KindOf(err) == errs.NotFound {
		return form{}, err
	}
	msgs, ok := s.fieldError(c, err)
	if !ok {
		return form{}, err
	}
	return form{Values: values, Errors: msgs}, nil
}

func formValues(c *fiber.Ctx, names ...string) map[string]string {
	v := make(map[string]string, len(names))
	for _, n := range names {
		v[n] = c.FormValue(n)
	}
	return v
}

// localTime reads a datetime-local value as Vietnam's time; empty is the
// zero time, which the services treat as missing.
func localTime(field, v string) (time.Time, error) {
	if v = strings.TrimSpace(v); v == "" {
		return time.Time{}, nil
	}
	for _, layout := range localInput {
		if t, err := time.ParseInLocation(layout, v, vn.Zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errs.Field(field, "error.datetime_invalid")
}

func localValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vn.Zone).Format(localInput[0])
}

func checked(b bool) string {
	if b {
		return "on"
	}
	return ""
}

// eventRow is an event in the organizer's list with its seats summed over
// the ticket types visitors take; invitations given out are counted apart,
// as an invitation type's capacity is only nominal.
type eventRow struct {
	events.Event
	Sold, Capacity, Invited int
}

func (s *Server) manageEvents(c *fiber.Ctx) error {
	ctx := c.UserContext()
	list, total, err := s.Events.All(ctx, (pageNumber(c)-1)*pageSize, pageSize)
	if err != nil {
		return err
	}
	rows := make([]eventRow, 0, len(list))
	for _, e := range list {
		types, err := s.Events.TicketTypes(ctx, e.ID)
		if err != nil {
			return err
		}
		r := eventRow{Event: e}
		for _, t := range types {
			if t.Invite {
				r.Invited += t.Sold
				continue
			}
			r.Sold += t.Sold
			r.Capacity += t.Capacity
		}
		rows = append(rows, r)
	}
	return s.render(c, "manage/events", "manage.events.title", fiber.Map{"Events": rows, "Pager": s.newPager(c, total, pageSize, nil)})
}

var eventFields = []string{"slug", "title", "title_en", "description", "description_en", "venue", "starts_at", "ends_at", "published"}

func eventInput(v map[string]string) (events.Input, error) {
	start, errStart := localTime("starts_at", v["starts_at"])
	end, errEnd := localTime("ends_at", v["ends_at"])
	if err := errors.Join(errStart, errEnd); err != nil {
		return events.Input{}, err
	}
	return events.Input{Slug: v["slug"], Title: v["title"], TitleEN: v["title_en"], Description: v["description"],
		DescriptionEN: v["description_en"], Venue: v["venue"], StartsAt: start, EndsAt: end, Published: v["published"] != ""}, nil
}

func (s *Server) manageNewEvent(c *fiber.Ctx) error {
	return s.render(c, "manage/new", "manage.new.title", managedEvent{})
}

func (s *Server) manageCreateEvent(c *fiber.Ctx) error {
	values := formValues(c, eventFields...)
	in, err := eventInput(values)
	var e events.Event
	if err == nil {
		e, err = s.Events.Create(c.UserContext(), currentUser(c).ID, in)
	}
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.render(c, "manage/new", "manage.new.title", managedEvent{EventForm: f})
	}
	return s.redirectFlash(c, "/manage/events/"+e.ID, "ok", "flash.event_created")
}

// managedEvent is the organizer's page of one event: its details, ticket
// types and agenda, each with its form.
type managedEvent struct {
	Event      events.Event
	Types      []typeRow
	Agenda     []sessionRow
	EventForm  form
	Banner     form
	NewType    form
	NewSession form
	// Questions are the registration questions' rows: the event's, or
	// those typed when saving them failed.
	Questions     []events.Question
	QuestionsForm form
	// CourseForm holds the course setting: "course", "min_percent" and
	// "required:<session id>" for each required session.
	CourseForm  form
	CourseHours float64
	Kinds       []string
	Presets     []events.Question
}

// typeRow is a ticket type with its edit form, open when it came back with
// an error.
type typeRow struct {
	events.TicketType
	Form form
	Open bool
}

// sessionRow is an agenda session with its edit form, open when it came
// back with an error.
type sessionRow struct {
	events.AgendaItem
	Form form
	Open bool
}

func (s *Server) loadManaged(c *fiber.Ctx) (managedEvent, error) {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return managedEvent{}, err
	}
	m := managedEvent{Event: e, EventForm: form{Values: map[string]string{
		"slug": e.Slug, "title": e.Title, "title_en": e.TitleEN, "description": e.Description, "description_en": e.DescriptionEN,
		"venue": e.Venue, "starts_at": localValue(e.StartsAt), "ends_at": localValue(e.EndsAt), "published": checked(e.Published),
	}}, Questions: e.Questions, Kinds: events.Kinds, Presets: events.Presets, CourseForm: courseForm(e.Course)}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return m, err
	}
	for _, t := range types {
		m.Types = append(m.Types, typeRow{TicketType: t, Form: form{Values: map[string]string{
			"name": t.Name, "name_en": t.NameEN, "capacity": strconv.Itoa(t.Capacity), "waitlist": checked(t.Waitlist),
			"sales_start": localValue(t.SalesStart), "sales_end": localValue(t.SalesEnd),
		}}})
	}
	agenda, err := s.Events.Agenda(ctx, e.ID)
	m.CourseHours = events.CourseHours(agenda)
	for _, a := range agenda {
		m.Agenda = append(m.Agenda, sessionRow{AgendaItem: a, Form: form{Values: map[string]string{
			"title": a.Title, "title_en": a.TitleEN, "room": a.Room, "speakers": a.Speakers,
			"starts_at": localValue(a.StartsAt), "ends_at": localValue(a.EndsAt),
		}}})
	}
	return m, err
}

func (s *Server) renderManaged(c *fiber.Ctx, m managedEvent) error {
	p := s.page(c, "", m)
	p.Title = m.Event.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "manage/event")
}

// show is a page that loads what it shows, then renders it.
func show[T any](load func(*fiber.Ctx) (T, error), render func(*fiber.Ctx, T) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := load(c)
		if err != nil {
			return err
		}
		return render(c, v)
	}
}

// manageFailed shows the event page again with one form holding the user's
// input and the error; put says which form.
func (s *Server) manageFailed(c *fiber.Ctx, err error, values map[string]string, put func(*managedEvent, form)) error {
	return refill(s, c, err, values, s.loadManaged, put, s.renderManaged)
}

// refill shows a page of several forms again, freshly loaded, with the one
// form put names holding what the user typed and the service's refusal.
func refill[T any](s *Server, c *fiber.Ctx, err error, values map[string]string,
	load func(*fiber.Ctx) (T, error), put func(*T, form), render func(*fiber.Ctx, T) error) error {
	f, err := s.failedForm(c, err, values)
	if err != nil {
		return err
	}
	v, err := load(c)
	if err != nil {
		return err
	}
	put(&v, f)
	return render(c, v)
}

func (s *Server) manageUpdateEvent(c *fiber.Ctx) error {
	values := formValues(c, eventFields...)
	in, err := eventInput(values)
	if err == nil {
		_, err = s.Events.Update(c.UserContext(), c.Params("id"), in)
	}
	if err != nil {
		return s.manageFailed(c, err, values, func(m *managedEvent, f form) { m.EventForm = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id"), "ok", "flash.event_saved")
}

var typeFields = []string{"name", "name_en", "capacity", "waitlist", "sales_start", "sales_end"}

func typeInput(v map[string]string) (events.TypeInput, error) {
	var errCapacity error
	capacity, err := strconv.Atoi(strings.TrimSpace(v["capacity"]))
	if err != nil {
		errCapacity = &errs.Error{Kind: errs.Invalid, MsgID: "error.capacity_invalid", Field: "capacity", Data: map[string]any{"Max": events.MaxCapacity}}
	}
	start, errStart := localTime("sales_start", v["sales_start"])
	end, errEnd := localTime("sales_end", v["sales_end"])
	if err := errors.Join(errCapacity, errStart, errEnd); err != nil {
		return events.TypeInput{}, err
	}
	return events.TypeInput{Name: v["name"], NameEN: v["name_en"], Capacity: capacity, Waitlist: v["waitlist"] != "", SalesStart: start, SalesEnd: end}, nil
}

func (s *Server) manageAddType(c *fiber.Ctx) error {
	values := formValues(c, typeFields...)
	in, err := typeInput(values)
	if err == nil {
		_, err = s.Events.AddTicketType(c.UserContext(), c.Params("id"), in)
	}
	if err != nil {
		return s.manageFailed(c, err, values, func(m *managedEvent, f form) { m.NewType = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#types", "ok", "flash.type_added")
}

func (s *Server) manageUpdateType(c *fiber.Ctx) error {
	values := formValues(c, typeFields...)
	in, err := typeInput(values)
	if err == nil {
		_, err = s.Events.UpdateTicketType(c.UserContext(), c.Params("id"), c.Params("type"), in)
	}
	if err != nil {
		return s.manageFailed(c, err, values, func(m *managedEvent, f form) {
			for i := range m.Types {
				if m.Types[i].ID == c.Params("type") {
					m.Types[i].Form, m.Types[i].Open = f, true
				}
			}
		})
	}
	if n := s.filled(c, c.Params("type")); n > 0 {
		return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#types", "ok", "flash.type_saved_promoted",
			url.Values{"Count": {strconv.Itoa(n)}})
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#types", "ok", "flash.type_saved")
}

// courseForm is the course form's values for a course setting.
func courseForm(c events.Course) form {
	v := map[string]string{"course": checked(c.Enabled), "min_percent": strconv.Itoa(c.MinPercent),
		"signer_name": c.SignerName, "signer_title": c.SignerTitle, "auto_issue": checked(c.AutoIssue || c.Unset())}
	for _, id := range c.Required {
		v["required:"+id] = "on"
	}
	return form{Values: v}
}

// manageSetCourse saves the course setting. A percent that is no number
// goes to the service as -1, so that it is marked with the other mistakes.
func (s *Server) manageSetCourse(c *fiber.Ctx) error {
	in := events.Course{Enabled: c.FormValue("course") != "", SignerName: c.FormValue("signer_name"),
		SignerTitle: c.FormValue("signer_title"), AutoIssue: c.FormValue("auto_issue") != ""}
	if v := strings.TrimSpace(c.FormValue("min_percent")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		in.MinPercent = n
	}
	for _, id := range c.Request().PostArgs().PeekMulti("required") {
		in.Required = append(in.Required, string(id))
	}
	if _, err := s.Events.SetCourse(c.UserContext(), c.Params("id"), in); err != nil {
		f := courseForm(in)
		f.Values["min_percent"] = c.FormValue("min_percent")
		return s.manageFailed(c, err, f.Values, func(m *managedEvent, f form) { m.CourseForm = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id"), "ok", "flash.course_saved")
}

// eventQuestions reads the registration questions' builder rows, in page
// order; a row added and left blank is no question.
func eventQuestions(c *fiber.Ctx) []events.Question {
	ids, labels, labelsEN, kinds := multi(c, "eq_id"), multi(c, "eq_label"), multi(c, "eq_label_en"), multi(c, "eq_kind")
	required, atGate, roles := multi(c, "eq_required"), multi(c, "eq_at_gate"), multi(c, "eq_role")
	options, optionsEN := multi(c, "eq_options"), multi(c, "eq_options_en")
	var out []events.Question
	for i := range labels {
		q := events.Question{ID: at(ids, i), Label: at(labels, i), LabelEN: at(labelsEN, i), Kind: at(kinds, i),
			Required: at(required, i) == "1", AtGate: at(atGate, i) == "1", Role: at(roles, i),
			Options: itemLines(at(options, i)), OptionsEN: itemLines(at(optionsEN, i))}
		if q.Label == "" && q.LabelEN == "" && len(q.Options) == 0 && len(q.OptionsEN) == 0 {
			continue
		}
		out = append(out, q)
	}
	return out
}

func (s *Server) manageSetQuestions(c *fiber.Ctx) error {
	qs := eventQuestions(c)
	if _, err := s.Events.SetQuestions(c.UserContext(), c.Params("id"), qs); err != nil {
		return s.manageFailed(c, err, nil, func(m *managedEvent, f form) { m.Questions, m.QuestionsForm = qs, f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#questions-panel", "ok", "flash.questions_saved")
}

var agendaFields = []string{"title", "title_en", "room", "speakers", "starts_at", "ends_at"}

// agendaInput reads a session's form. A time it cannot read is left zero,
// which the service refuses too, so the page shows that mistake with every
// other one and nothing is saved.
func agendaInput(v map[string]string) (events.AgendaInput, error) {
	start, errStart := localTime("starts_at", v["starts_at"])
	end, errEnd := localTime("ends_at", v["ends_at"])
	return events.AgendaInput{StartsAt: start, EndsAt: end, Room: v["room"], Title: v["title"], TitleEN: v["title_en"],
		Speakers: v["speakers"]}, errors.Join(errStart, errEnd)
}

func (s *Server) manageAddSession(c *fiber.Ctx) error {
	values := formValues(c, agendaFields...)
	in, errTimes := agendaInput(values)
	_, err := s.Events.AddSession(c.UserContext(), c.Params("id"), in)
	if err != nil {
		return s.manageFailed(c, errors.Join(errTimes, err), values, func(m *managedEvent, f form) { m.NewSession = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#agenda", "ok", "flash.session_added")
}

func (s *Server) manageUpdateSession(c *fiber.Ctx) error {
	values := formValues(c, agendaFields...)
	in, errTimes := agendaInput(values)
	_, err := s.Events.UpdateSession(c.UserContext(), c.Params("id"), c.Params("session"), in)
	if err != nil {
		return s.manageFailed(c, errors.Join(errTimes, err), values, func(m *managedEvent, f form) {
			for i := range m.Agenda {
				if m.Agenda[i].ID == c.Params("session") {
					m.Agenda[i].Form, m.Agenda[i].Open = f, true
				}
			}
		})
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#session-"+c.Params("session"), "ok", "flash.session_saved")
}

func (s *Server) manageRemoveSession(c *fiber.Ctx) error {
	if err := s.Events.RemoveSession(c.UserContext(), c.Params("id"), c.Params("session")); err != nil {
		return err
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#agenda", "ok", "flash.session_removed")
}

// registrationFilter is what the registrations page and its exports
// select: the filters of the list's query string. The strings are copies
// because a CSV export reads them after the request's buffers are reused.
func registrationFilter(c *fiber.Ctx) tickets.Query {
	q := tickets.Query{EventID: strings.Clone(c.Params("id")), TypeID: strings.Clone(c.Query("type")),
		Text: strings.Clone(strings.TrimSpace(c.Query("q")))}
	for _, st := range []tickets.Status{tickets.Active, tickets.Cancelled} {
		if c.Query("status") == string(st) {
			q.Status = st
		}
	}
	return q
}

// filterValues is a filter as a query string, without the empty ones, for
// page and export links.
func filterValues(q tickets.Query) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Text, "type": q.TypeID, "status": string(q.Status)} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// registrationRow is a ticket as the organizer's list shows it.
type registrationRow struct {
	tickets.Ticket
	TypeName string
	Phone    string
	// Answers are the answers to the event's questions, as "label: answer".
	Answers []string
}

func (s *Server) manageRegistrations(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return err
	}
	q := registrationFilter(c)
	q.Offset, q.Limit = (pageNumber(c)-1)*registrationsPageSize, registrationsPageSize
	list, total, err := s.Tickets.List(ctx, q)
	if err != nil {
		return err
	}
	names := typeNames(types, s.lang(c).Code)
	rows := make([]registrationRow, 0, len(list))
	for _, t := range list {
		row := registrationRow{Ticket: t, TypeName: names[t.TypeID], Phone: vn.FormatPhone(t.Phone)}
		for _, q := range e.Questions {
			if v := t.Answers[q.ID]; v != "" {
				l := s.lang(c)
				row.Answers = append(row.Answers, q.LabelIn(l.Code)+": "+q.AnswerIn(l.Code, v, l.T("register.yes"), l.T("register.no")))
			}
		}
		rows = append(rows, row)
	}
	pager := s.newPager(c, total, registrationsPageSize, filterValues(q))
	p := s.page(c, "manage.regs.title", fiber.Map{
		"Event": e, "Types": types, "Rows": rows, "Filter": q, "Pager": pager, "Query": pager.Query,
	})
	p.Title = p.L.T("manage.regs.title") + " · " + e.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "manage/registrations")
}

func typeNames(types []events.TicketType, lang string) map[string]string {
	names := make(map[string]string, len(types))
	for _, t := range types {
		names[t.ID] = t.NameIn(lang)
	}
	return names
}

// eventTicket finds the ticket of the route, refusing one of another event
// so that a forged form cannot reach it through this event's page.
func (s *Server) eventTicket(c *fiber.Ctx) error {
	t, err := s.Tickets.Ticket(c.UserContext(), c.Params("ticket"))
	if err != nil {
		return err
	}
	if t.EventID != c.Params("id") {
		return errs.ErrNotFound
	}
	return nil
}

// ticketAction runs an organizer's action on one registration and goes back
// to the list as it was, with the outcome as a flash.
func (s *Server) ticketAction(c *fiber.Ctx, okID string, act func() error) error {
	back := safeNext(c.FormValue("back"), "/manage/events/"+c.Params("id")+"/registrations")
	if err := s.eventTicket(c); err != nil {
		return err
	}
	return s.goBack(c, back, okID, act())
}

func (s *Server) manageCancelTicket(c *fiber.Ctx) error {
	return s.ticketAction(c, "flash.ticket_cancelled", func() error {
		_, err := s.Tickets.Cancel(c.UserContext(), c.Params("ticket"))
		return err
	})
}

func (s *Server) manageResendTicket(c *fiber.Ctx) error {
	return s.ticketAction(c, "flash.ticket_resent", func() error {
		return s.Tickets.Resend(c.UserContext(), c.Params("ticket"))
	})
}
