package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certs"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/graduation"
)

// courseCertRoutes are a course's certificates for its organizers: who
// completed it, issuing, revoking and correcting, and the PDFs.
func (s *Server) courseCertRoutes(app *fiber.App) {
	m := app.Group("/manage/events/:id/certificates", s.pageRequire(organizerRoles...))
	m.Get("", s.courseCertsPage)
	m.Post("/issue", s.courseCertsIssue)
	m.Post("/:code/revoke", s.courseCertRevoke)
	m.Post("/:code/reissue", s.courseCertReissue)
}

func (s *Server) courseCertAPIRoutes(api fiber.Router) {
	organizer := s.apiRequire(organizerRoles...)
	api.Get("/events/:id/certificates", organizer, s.apiCourseCerts)
	api.Post("/events/:id/certificates", organizer, s.apiIssueCourseCerts)
}

// certForm is the revoke or re-issue form of one certificate shown again
// with its mistakes.
type certForm struct {
	Code, Action string
	form
}

func (s *Server) courseCertsPage(c *fiber.Ctx) error {
	return s.showCourseCerts(c, certForm{})
}

// courseOverview is the route's course and its certificates.
func (s *Server) courseOverview(c *fiber.Ctx) (events.Event, graduation.Overview, error) {
	e, err := s.Events.Event(c.UserContext(), c.Params("id"), true)
	if err != nil {
		return events.Event{}, graduation.Overview{}, err
	}
	o, err := s.Graduation.Overview(c.UserContext(), e.ID)
	return e, o, err
}

func (s *Server) showCourseCerts(c *fiber.Ctx, failed certForm) error {
	e, o, err := s.courseOverview(c)
	if err != nil {
		return err
	}
	p := s.page(c, "", fiber.Map{"Event": e, "Overview": o, "Failed": failed, "NoErrors": map[string]string{}})
	p.Title = p.L.T("certs.course.title") + " · " + e.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "manage/certificates")
}

func (s *Server) courseCertsIssue(c *fiber.Ctx) error {
	back := "/manage/events/" + c.Params("id") + "/certificates"
	r, err := s.Graduation.Issue(c.UserContext(), c.Params("id"))
	if err != nil {
		return s.goBack(c, back, "", err)
	}
	return s.redirectFlash(c, back, "ok", "flash.certs_issued", url.Values{
		"Issued": {strconv.Itoa(r.Issued)}, "Mailed": {strconv.Itoa(r.Mailed)}, "Completed": {strconv.Itoa(r.Completed)}})
}

// courseCert finds a certificate of the route's course, so that a forged
// form cannot reach another through this course's page.
func (s *Server) courseCert(c *fiber.Ctx) (events.Event, certs.Certificate, error) {
	e, err := s.Events.Event(c.UserContext(), c.Params("id"), true)
	if err != nil {
		return events.Event{}, certs.Certificate{}, err
	}
	cert, err := s.Certs.ByCode(c.UserContext(), c.Params("code"))
	if err != nil {
		return events.Event{}, certs.Certificate{}, err
	}
	if cert.Kind != certs.Training || cert.Details[certs.DetailCourse] != e.ID {
		return events.Event{}, certs.Certificate{}, errs.New(errs.NotFound, "error.cert_not_found")
	}
	return e, cert, nil
}

func (s *Server) courseCertRevoke(c *fiber.Ctx) error {
	_, cert, err := s.courseCert(c)
	if err != nil {
		return err
	}
	back := "/manage/events/" + c.Params("id") + "/certificates"
	if _, err := s.Certs.Revoke(c.UserContext(), cert.Code, c.FormValue("reason")); err != nil {
		f, err := s.failedForm(c, err, formValues(c, "reason"))
		if err != nil {
			return s.goBack(c, back, "", err)
		}
		return s.showCourseCerts(c, certForm{Code: cert.Code, Action: "revoke", form: f})
	}
	return s.redirectFlash(c, back, "ok", "flash.cert_revoked", url.Values{"Code": {cert.Code}})
}

func (s *Server) courseCertReissue(c *fiber.Ctx) error {
	_, cert, err := s.courseCert(c)
	if err != nil {
		return err
	}
	back := "/manage/events/" + c.Params("id") + "/certificates"
	fixed, err := s.Certs.Reissue(c.UserContext(), cert.Code, c.FormValue("holder"), c.FormValue("title"))
	if err != nil {
		f, err := s.failedForm(c, err, formValues(c, "holder", "title"))
		if err != nil {
			return s.goBack(c, back, "", err)
		}
		return s.showCourseCerts(c, certForm{Code: cert.Code, Action: "reissue", form: f})
	}
	return s.redirectFlash(c, back, "ok", "flash.cert_reissued", url.Values{"Old": {cert.Code}, "Code": {fixed.Code}})
}

// courseCertsJSON is a course's certificates with who completed it.
type courseCertsJSON struct {
	Participants int        `json:"participants"`
	Completed    int        `json:"completed"`
	Waiting      int        `json:"waiting"`
	Certificates []certJSON `json:"certificates"`
}

func (s *Server) apiCourseCerts(c *fiber.Ctx) error {
	o, err := s.Graduation.Overview(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	out := courseCertsJSON{Participants: o.Participants, Completed: o.Completed, Waiting: o.Waiting, Certificates: make([]certJSON, 0, len(o.Certificates))}
	for _, cert := range o.Certificates {
		out.Certificates = append(out.Certificates, certOut(cert))
	}
	return c.JSON(out)
}

// apiIssueCourseCerts issues the course's certificates to those who
// completed it: {participants, completed, issued, mailed}.
func (s *Server) apiIssueCourseCerts(c *fiber.Ctx) error {
	r, err := s.Graduation.Issue(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(issueReport(r))
}

func issueReport(r graduation.Report) fiber.Map {
	return fiber.Map{"participants": r.Participants, "completed": r.Completed, "issued": r.Issued, "mailed": r.Mailed}
}
