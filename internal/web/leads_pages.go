package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/vn"
)

// leadMessages are the labels leads.js shows, handed to it in the page's
// language under their id without the "leads.scan." prefix.
var leadMessages = []string{
	"leads.scan.ready", "leads.scan.count", "leads.scan.saved", "leads.scan.saving", "leads.scan.contact_hidden",
	"leads.scan.result.added", "leads.scan.result.again", "leads.scan.result.queued",
	"leads.scan.queued", "leads.scan.queued_detail", "leads.scan.saved_local", "leads.scan.dropped",
	"leads.scan.error.camera_denied", "leads.scan.error.no_camera", "leads.scan.error.camera_unavailable",
	"leads.scan.error.session", "leads.scan.error.gone", "leads.scan.error.unexpected",
	// The server's own words for a badge refused, for those judged offline.
	"error.lead_token_unreadable", "error.lead_token_forged", "error.lead_token",
}

func (s *Server) leadRoutes(app *fiber.App) {
	page := s.pageRequire()
	// The scanner's JSON endpoints run the API's handlers on the page's
	// cookie session, as the gate's do: the API itself takes bearer tokens
	// only. The global CSRF check guards them (token in X-CSRF-Token).
	signedIn := s.apiRequire()
	app.Get("/exhibitors/mine", page, s.myExhibitorsPage)
	app.Get("/exhibitors/:id/scan", page, s.leadScanPage)
	app.Post("/exhibitors/:id/scan", s.gateJSONErrors, signedIn, s.apiAddLead)
	app.Get("/exhibitors/:id/scan/data", s.gateJSONErrors, signedIn, s.boothScanData)
	app.Get("/exhibitors/:id/leads", page, s.leadsPage)
	app.Get("/exhibitors/:id/leads.csv", page, s.apiLeadsCSV)
	app.Get("/exhibitors/:id/leads.xlsx", page, s.apiLeadsXLSX)
	app.Post("/exhibitors/:id/leads/:lead", page, s.leadSave)
	app.Patch("/exhibitors/:id/leads/:lead", s.gateJSONErrors, signedIn, s.apiUpdateLead)
}

// boothScanData is what the booth's scanner keeps to judge badges offline,
// for staff of the exhibitor only.
func (s *Server) boothScanData(c *fiber.Ctx) error {
	x, err := s.Expo.Own(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return s.offlineData(c, x.EventID, fiber.Map{})
}

func (s *Server) myExhibitorsPage(c *fiber.Ctx) error {
	desks, err := s.Expo.Desks(c.UserContext(), *currentUser(c))
	if err != nil {
		return err
	}
	return s.render(c, "exhibitor/mine", "leads.mine.title", desks)
}

type scanView struct {
	Exhibitor expo.Exhibitor
	Event     string
	Messages  string
	Leads     int
}

// booth finds the exhibitor the signed-in user acts for, its event and
// its leads.
func (s *Server) booth(c *fiber.Ctx) (expo.Exhibitor, events.Event, []expo.Lead, error) {
	ctx := c.UserContext()
	u := *currentUser(c)
	x, err := s.Expo.Own(ctx, u, c.Params("id"))
	if err != nil {
		return x, events.Event{}, nil, err
	}
	e, err := s.Events.Event(ctx, x.EventID, true)
	if err != nil {
		return x, e, nil, err
	}
	leads, err := s.Expo.Leads(ctx, u, x.ID)
	return x, e, leads, err
}

// leadScanPage is the booth's scanner. Like the gate it stands alone,
// without the site's layout: a phone at a booth needs the whole screen.
func (s *Server) leadScanPage(c *fiber.Ctx) error {
	x, e, leads, err := s.booth(c)
	if err != nil {
		return err
	}
	p := s.page(c, "leads.scan.title", nil)
	msgs := make(map[string]string, len(leadMessages))
	for _, id := range leadMessages {
		msgs[strings.TrimPrefix(id, "leads.scan.")] = p.L.T(id)
	}
	for _, r := range expo.Ratings {
		msgs["rating."+r] = p.L.T("leads.rating." + r)
	}
	msgsJSON, err := json.Marshal(msgs)
	if err != nil {
		return err
	}
	p.Data = scanView{Exhibitor: x, Event: e.TitleIn(p.L.Code), Messages: string(msgsJSON), Leads: len(leads)}
	c.Type("html", "utf-8")
	return c.Render("exhibitor/scan", p)
}

type leadRow struct {
	expo.Lead
	Phone string
}

type leadsView struct {
	Exhibitor expo.Exhibitor
	Event     string
	Rows      []leadRow
	// Total counts every lead; Counts counts them by rating, "none" for
	// those not rated.
	Total   int
	Counts  map[string]int
	Rating  string
	Ratings []string
}

// leadsPage lists an exhibitor's leads, newest first, filtered by rating
// ("none" for those not rated yet); an unknown filter shows them all.
func (s *Server) leadsPage(c *fiber.Ctx) error {
	x, e, list, err := s.booth(c)
	if err != nil {
		return err
	}
	v := leadsView{Exhibitor: x, Event: e.TitleIn(s.lang(c).Code), Total: len(list), Counts: map[string]int{},
		Rating: c.Query("rating"), Ratings: expo.Ratings}
	if v.Rating != "none" && !slices.Contains(expo.Ratings, v.Rating) {
		v.Rating = ""
	}
	for _, l := range list {
		r := l.Rating
		if r == "" {
			r = "none"
		}
		v.Counts[r]++
		if v.Rating == "" || v.Rating == r {
			v.Rows = append(v.Rows, leadRow{Lead: l, Phone: vn.FormatPhone(l.Phone)})
		}
	}
	return s.render(c, "exhibitor/leads", "leads.list.title", v)
}

// leadSave is the lead list's edit form without JavaScript. A mistake
// comes back as a message and changes nothing.
func (s *Server) leadSave(c *fiber.Ctx) error {
	id := c.Params("id")
	back := safeNext(c.FormValue("back"), "/exhibitors/"+url.PathEscape(id)+"/leads")
	_, err := s.Expo.UpdateLead(c.UserContext(), *currentUser(c), id, c.Params("lead"), c.FormValue("note"), c.FormValue("rating"))
	if errs.KindOf(err) == errs.Invalid {
		msgID, _ := asVocabulary(err)
		return s.redirectFlash(c, back, "error", msgID)
	}
	if err != nil {
		return err
	}
	return s.redirectFlash(c, back, "ok", "flash.lead_saved")
}
