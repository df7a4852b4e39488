package web

import (
	"encoding/json"
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/staffing"
)

// gateMessages are the labels gate.js shows, handed to it in the page's
// language under their id without the "gate." prefix.
var gateMessages = []string{
	"gate.online", "gate.offline", "gate.queued", "gate.offline_ready", "gate.ready", "gate.stats",
	"gate.result.ok", "gate.result.ok_out", "gate.result.already_checked_in", "gate.result.invalid",
	"gate.result.revoked", "gate.result.wrong_event", "gate.result.not_yet_valid", "gate.result.expired",
	"gate.result.offline_note", "gate.result.synced_conflicts", "gate.result.attended", "gate.result.already_recorded",
	"gate.search.none", "gate.search.checkin", "gate.search.inside", "gate.search.entered",
	"gate.undo.confirm", "gate.undo.done", "gate.undo.nothing",
	"gate.error.camera", "gate.error.session", "gate.error.offline_unavailable", "gate.error.needs_network", "gate.error.unexpected",
}

func (s *Server) gateRoutes(app *fiber.App) {
	page := s.pageRequire(gateRoles...)
	// The gate's JSON endpoints run the check-in API's handlers on the
	// page's cookie session, so the global CSRF check guards their POSTs
	// (token in X-CSRF-Token). They answer 401 where a page would redirect:
	// a fetch redirected to the login page would take it for an answer.
	staff := s.apiRequire(gateRoles...)
	app.Get("/sw.js", s.gateWorker)
	app.Get("/events/:id/gate", page, s.worksGate, s.gatePage)
	app.Get("/events/:id/gate/badge/:ticket.pdf", page, s.worksGate, s.oneBadge(true))
	app.Get("/events/:id/gate/data", s.gateJSONErrors, staff, s.worksGate, s.apiGateData)
	app.Get("/events/:id/gate/stats", s.gateJSONErrors, staff, s.worksGate, s.apiStats)
	app.Get("/events/:id/gate/attendees", s.gateJSONErrors, staff, s.worksGate, s.apiAttendees)
	app.Post("/events/:id/gate/scan", s.gateJSONErrors, staff, s.worksGate, s.apiCheckin)
	app.Post("/events/:id/gate/scans/:scan/annul", s.gateJSONErrors, staff, s.worksGate, s.apiAnnul)
	app.Post("/events/:id/gate/walk-in", s.gateJSONErrors, staff, s.worksGate, s.apiWalkIn)
	app.Post("/events/:id/gate/sessions/:session/attendance", s.gateJSONErrors, staff, s.worksGate, s.apiAttend)
}

type gateView struct {
	Event events.Event
	Title string
	// Gates are the names to pick from: the organizer's, then any other
	// already scanned at.
	Gates []string
	// Types (ticket type id to name) and Messages are JSON for gate.js:
	// tokens carry only a type's id, and answers given offline show its
	// name.
	Types     string
	Questions string
	Messages  string
	CheckedIn int
	Inside    int
	// TypeList offers the event's types to a walk-in.
	TypeList []events.TicketType
	// Sessions are a course's sessions, to take attendance at one instead
	// of checking in.
	Sessions []events.AgendaItem
}

// gatePage is the scanner. It stands alone, without the site's layout:
// a phone at a gate needs the whole screen and as little to load as can be.
func (s *Server) gatePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return err
	}
	st, err := s.Checkin.Stats(ctx, e.ID)
	if err != nil {
		return err
	}
	p := s.page(c, "gate.title", nil)
	names := make(map[string]string, len(types))
	for _, t := range types {
		names[t.ID] = t.NameIn(p.L.Code)
	}
	msgs := make(map[string]string, len(gateMessages))
	for _, id := range gateMessages {
		msgs[strings.TrimPrefix(id, "gate.")] = p.L.T(id)
	}
	typesJSON, err := json.Marshal(names)
	if err != nil {
		return err
	}
	// The answers a scan brings are shown with their question's label and
	// the options' words in the gate's language.
	type gateQuestion struct {
		Label   string            `json:"label"`
		Choices map[string]string `json:"choices"`
	}
	questions := map[string]gateQuestion{}
	for _, q := range e.Questions {
		if !q.AtGate {
			continue
		}
		gq := gateQuestion{Label: q.LabelIn(p.L.Code), Choices: map[string]string{
			events.Yes: p.L.T("register.yes"), events.No: p.L.T("register.no")}}
		for _, c := range q.ChoicesIn(p.L.Code) {
			gq.Choices[c.Value] = c.Text
		}
		questions[q.ID] = gq
	}
	questionsJSON, err := json.Marshal(questions)
	if err != nil {
		return err
	}
	msgsJSON, err := json.Marshal(msgs)
	if err != nil {
		return err
	}
	gates, err := s.Staffing.Gates(ctx, e.ID)
	if err != nil {
		return err
	}
	var sessions []events.AgendaItem
	if e.Course.Enabled {
		if sessions, err = s.Events.Agenda(ctx, e.ID); err != nil {
			return err
		}
	}
	p.Data = gateView{Event: e, Title: e.TitleIn(p.L.Code), Gates: staffing.OrderGates(gates, st.ByGate), Types: string(typesJSON), Questions: string(questionsJSON), Messages: string(msgsJSON),
		CheckedIn: st.CheckedIn, Inside: st.Inside, TypeList: types, Sessions: sessions}
	c.Type("html", "utf-8")
	return c.Render("gate/gate", p)
}

// gateWorker serves the service worker from the root, so that its scope
// may cover the gate pages under /events/ and the booth scanners under
// /exhibitors/.
func (s *Server) gateWorker(c *fiber.Ctx) error {
	b, err := fs.ReadFile(s.Static, "sw.js")
	if err != nil {
		return err
	}
	// A worker is checked for updates on every visit; no-cache makes the
	// check reach the server.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Type("js", "utf-8")
	return c.Send(b)
}

// gateJSONErrors gives the gate's JSON endpoints the API's error shape,
// where the error handler would render a page outside /api/. Internal
// errors go on to the error handler, which logs them.
func (s *Server) gateJSONErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	e, ok := vocabulary(err)
	if !ok || e.Kind == errs.Internal {
		return err
	}
	return s.jsonError(c, e, formMistakes(err)...)
}
