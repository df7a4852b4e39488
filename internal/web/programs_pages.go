package web

import (
	"io"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/i18n"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// programRoutes are the founders' side of the incubator: the public calls,
// the application form and the application's status.
func (s *Server) programRoutes(app *fiber.App) {
	signedIn := s.pageRequire()
	app.Get("/programs", s.programsPage)
	app.Get("/programs/mine", signedIn, s.myApplicationsPage)
	// The status page and attachments answer 404 to visitors as to anyone
	// else who may not see the application, so its existence does not leak.
	app.Get("/programs/applications/:id", s.applicationPage)
	app.Post("/programs/applications/:id", signedIn, s.applicationSave)
	// Autosave runs on the page's cookie session, so the global CSRF check
	// guards it (token in X-CSRF-Token); it answers JSON, errors included.
	app.Put("/programs/applications/:id/draft", s.gateJSONErrors, s.apiRequire(), s.applicationDraft)
	app.Post("/programs/applications/:id/withdraw", signedIn, s.applicationWithdraw)
	app.Get("/programs/applications/:id/files/:question", s.applicationFile)
	app.Post("/programs/applications/:id/files/:question", signedIn, s.applicationUpload)
	app.Get("/programs/:slug", s.programPage)
	app.Get("/programs/:slug/apply", s.applyPage)
	app.Post("/programs/:slug/apply", s.pageRequire(accounts.RoleFounder), s.applyStart)
}

// programView is a programme as the public pages show it, in the page's
// language, with where its call stands.
type programView struct {
	Program     incubator.Program
	Title       string
	Description string
	// State is open, upcoming or closed.
	State string
	Left  string
}

func newProgramView(l i18n.Lang, p incubator.Program, now time.Time) programView {
	v := programView{Program: p, Title: p.TitleIn(l.Code), Description: p.DescriptionIn(l.Code)}
	switch {
	case now.Before(p.OpensAt):
		v.State, v.Left = "upcoming", l.T("programs.opens", "When", p.OpensAt.In(vn.Zone).Format("02/01/2006 15:04"))
	case p.Open(now):
		v.State, v.Left = "open", timeLeft(l, p.ClosesAt.Sub(now))
	default:
		v.State, v.Left = "closed", l.T("programs.closed")
	}
	return v
}

// timeLeft says how long a call stays open, to the minute when it closes
// within a day.
func timeLeft(l i18n.Lang, d time.Duration) string {
	hours := int(d / time.Hour)
	if hours >= 24 {
		return l.T("programs.left_days", "Days", hours/24, "Hours", hours%24)
	}
	return l.T("programs.left_hours", "Hours", hours, "Minutes", int(d%time.Hour/time.Minute))
}

func (s *Server) programsPage(c *fiber.Ctx) error {
	list, err := s.Incubator.Calls(c.UserContext())
	if err != nil {
		return err
	}
	l, now := s.lang(c), s.Clock.Now()
	views := make([]programView, len(list))
	for i, p := range list {
		views[i] = newProgramView(l, p, now)
	}
	return s.render(c, "programs/list", "programs.title", fiber.Map{"Programs": views})
}

func (s *Server) programPage(c *fiber.Ctx) error {
	p, err := s.Incubator.ProgramBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	v := newProgramView(s.lang(c), p, s.Clock.Now())
	pg := s.page(c, "", v)
	pg.Title = v.Title
	return pg.render(c, "programs/show")
}

// applyView is the application form.
type applyView struct {
	programView
	App incubator.Application
	// Attached marks the file questions holding a file.
	Attached map[string]bool
}

// applyPage opens the founder's application, or offers to start one: a
// page that is only loaded changes nothing, so a link from another site
// cannot start an application. Anyone else is told how to apply.
func (s *Server) applyPage(c *fiber.Ctx) error {
	p, err := s.Incubator.ProgramBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	if u == nil || !u.Has(accounts.RoleFounder) {
		if u != nil {
			c.Status(fiber.StatusForbidden)
		}
		pg := s.page(c, "apply.gate_title", newProgramView(s.lang(c), p, s.Clock.Now()))
		pg.Form = map[string]string{"next": c.OriginalURL()}
		return pg.render(c, "programs/apply_gate")
	}
	a, err := s.Incubator.FounderApplication(c.UserContext(), *u, p.ID)
	if errs.KindOf(err) == errs.NotFound {
		if !p.Open(s.Clock.Now()) {
			return s.redirectFlash(c, "/programs/"+p.Slug, "error", "error.call_closed")
		}
		return s.render(c, "programs/apply_start", "apply.title", newProgramView(s.lang(c), p, s.Clock.Now()))
	}
	if err != nil {
		return err
	}
	if a.Status != incubator.Draft {
		return c.Redirect("/programs/applications/"+a.ID, fiber.StatusSeeOther)
	}
	return s.applyForm(c, p, a, nil, nil)
}

// applyStart starts the founder's application, once: a second start finds
// the first.
func (s *Server) applyStart(c *fiber.Ctx) error {
	p, err := s.Incubator.ProgramBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	_, err = s.Incubator.Apply(c.UserContext(), *currentUser(c), p)
	if errs.KindOf(err) == errs.Closed {
		return s.redirectFlash(c, "/programs/"+p.Slug, "error", "error.call_closed")
	}
	if err != nil {
		return err
	}
	return c.Redirect("/programs/"+p.Slug+"/apply", fiber.StatusSeeOther)
}

// applyForm shows the form of a draft: its stored answers, or what the
// founder sent with the error it met.
func (s *Server) applyForm(c *fiber.Ctx, p incubator.Program, a incubator.Application, sent map[string]string, err error) error {
	v := applyView{programView: newProgramView(s.lang(c), p, s.Clock.Now()), App: a, Attached: incubator.Attached(p, a)}
	pg := s.page(c, "apply.title", v)
	if sent == nil {
		sent = map[string]string{"version": strconv.Itoa(a.Version), "startup_name": a.StartupName}
		for id, raw := range a.Answers {
			sent["q."+id] = incubator.AnswerText(raw)
		}
	}
	if err != nil {
		return s.formErrorPage(c, pg, "programs/apply", err, sent)
	}
	pg.Form = sent
	return pg.render(c, "programs/apply")
}

// loadApplication finds an application the signed-in user may see, with
// its programme; visitors and anyone else get 404.
func (s *Server) loadApplication(c *fiber.Ctx) (incubator.Application, incubator.Program, error) {
	u := currentUser(c)
	if u == nil {
		return incubator.Application{}, incubator.Program{}, errs.ErrNotFound
	}
	a, err := s.Incubator.View(c.UserContext(), *u, c.Params("id"))
	if err != nil {
		return a, incubator.Program{}, err
	}
	p, err := s.Incubator.Program(c.UserContext(), a.ProgramID)
	return a, p, err
}

// answerFields are the form's fields, and among them the answers ("q."
// and the question's id), keyed by question id.
func answerFields(c *fiber.Ctx) (sent, answers map[string]string) {
	sent, answers = map[string]string{}, map[string]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		sent[string(k)] = string(v)
		if id, ok := strings.CutPrefix(string(k), "q."); ok {
			answers[id] = string(v)
		}
	})
	return sent, answers
}

// applicationSave saves the form sent without scripts, and submits it when
// the founder pressed submit.
func (s *Server) applicationSave(c *fiber.Ctx) error {
	ctx, u := c.UserContext(), currentUser(c)
	sent, answers := answerFields(c)
	version, _ := strconv.Atoi(sent["version"])
	a, err := s.Incubator.SaveForm(ctx, *u, c.Params("id"), version, sent["startup_name"], answers)
	if err != nil {
		return s.formFailed(c, err, sent)
	}
	p, err := s.Incubator.Program(ctx, a.ProgramID)
	if err != nil {
		return err
	}
	if sent["intent"] != "submit" {
		return s.redirectFlash(c, "/programs/"+p.Slug+"/apply", "ok", "flash.application_saved")
	}
	if _, err := s.Incubator.Submit(ctx, *u, a.ID); err != nil {
		return s.applyForm(c, p, a, nil, err)
	}
	return s.redirectFlash(c, "/programs/applications/"+a.ID, "ok", "flash.application_submitted")
}

// applicationDraft is the form's autosave.
func (s *Server) applicationDraft(c *fiber.Ctx) error {
	var in struct {
		Version     int               `json:"version"`
		StartupName string            `json:"startup_name"`
		Answers     map[string]string `json:"answers"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Incubator.SaveForm(c.UserContext(), *currentUser(c), c.Params("id"), in.Version, in.StartupName, in.Answers)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "message": s.lang(c).T("apply.saved_at", "Time", a.UpdatedAt.In(vn.Zone).Format("15:04"))})
}

// applicationUpload attaches a PDF to a file question.
func (s *Server) applicationUpload(c *fiber.Ctx) error {
	q := c.Params("question")
	name, data, err := attachmentUpload(c, q)
	if err == nil {
		var a incubator.Application
		if a, err = s.Incubator.Attach(c.UserContext(), *currentUser(c), c.Params("id"), q, name, data); err == nil {
			if c.Get(fiber.HeaderAccept) == fiber.MIMEApplicationJSON {
				// The form's script uploads as soon as a file is chosen and
				// keeps the version for its next save.
				return c.JSON(fiber.Map{"version": a.Version, "name": files.CleanName(name),
					"href": "/programs/applications/" + a.ID + "/files/" + q, "message": s.lang(c).T("flash.file_uploaded")})
			}
			p, err := s.Incubator.Program(c.UserContext(), a.ProgramID)
			if err != nil {
				return err
			}
			return s.redirectFlash(c, "/programs/"+p.Slug+"/apply#q-"+q, "ok", "flash.file_uploaded")
		}
	}
	if c.Get(fiber.HeaderAccept) == fiber.MIMEApplicationJSON {
		if e, ok := vocabulary(err); ok && e.Kind != errs.Internal {
			return s.jsonError(c, e)
		}
		return err
	}
	return s.formFailed(c, err, nil)
}

// attachmentUpload reads the upload form's file, at most one byte more
// than an attachment may have: enough to refuse a larger one without
// copying it whole.
func attachmentUpload(c *fiber.Ctx, question string) (name string, data []byte, err error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, errs.Field(question, "error.required")
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, incubator.MaxAttachment+1))
	return fh.Filename, data, err
}

// formFailed shows the draft's form again with the error; an application
// no longer a draft has no form, so its status page tells the error.
func (s *Server) formFailed(c *fiber.Ctx, err error, sent map[string]string) error {
	if errs.KindOf(err) == errs.NotFound {
		return err
	}
	a, p, lerr := s.loadApplication(c)
	if lerr != nil {
		return lerr
	}
	if a.Status != incubator.Draft {
		if msgID, ok := asVocabulary(err); ok {
			return s.redirectFlash(c, "/programs/applications/"+a.ID, "error", msgID)
		}
		return err
	}
	return s.applyForm(c, p, a, sent, err)
}

// applicationFile serves an attachment to those who may see the
// application. It is private: no shared cache may keep it.
func (s *Server) applicationFile(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil {
		return errs.ErrNotFound
	}
	f, err := s.Incubator.Attachment(c.UserContext(), *u, c.Params("id"), c.Params("question"))
	if err != nil {
		return err
	}
	disposition := "attachment"
	if c.Query("inline") == "1" {
		// The viewer beside the scoring form: the browser's own PDF viewer
		// shows it in a frame of this origin only, and nothing in it runs
		// scripts of ours.
		disposition = "inline"
		c.Set(fiber.HeaderContentSecurityPolicy, fileCSP)
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.Data)
}

// fileCSP is the policy of a PDF shown inline: Chromium renders it with a
// plugin, which object-src must let in; framing stays with this origin.
const fileCSP = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"

// step is one stage of an application's way to a decision.
type step struct {
	Label         string
	Done, Current bool
}

// applicationView is the status page.
type applicationView struct {
	programView
	App      incubator.Application
	Attached map[string]bool
	// Answers are the answers as text, by question id.
	Answers map[string]string
	Steps   []step
	// Decided is true once an organizer has accepted, waitlisted or
	// rejected the application.
	Decided     bool
	IsFounder   bool
	CanWithdraw bool
}

// stages place each status after submitting on the way to a decision.
var stages = map[incubator.Status]int{incubator.Submitted: 0, incubator.InReview: 1, incubator.Interview: 2,
	incubator.Accepted: 3, incubator.Waitlisted: 3, incubator.Rejected: 3}

func (s *Server) applicationPage(c *fiber.Ctx) error {
	a, p, err := s.loadApplication(c)
	if err != nil {
		return err
	}
	l := s.lang(c)
	v := applicationView{programView: newProgramView(l, p, s.Clock.Now()), App: a, Attached: incubator.Attached(p, a),
		Answers: map[string]string{}, IsFounder: a.FounderID == currentUser(c).ID}
	for id, raw := range a.Answers {
		v.Answers[id] = incubator.AnswerText(raw)
	}
	if at, ok := stages[a.Status]; ok {
		v.Decided = at == 3
		for i, id := range []string{"app.step.submitted", "app.step.in_review", "app.step.interview", "app.step.decision"} {
			v.Steps = append(v.Steps, step{Label: l.T(id), Done: i < at || v.Decided, Current: i == at})
		}
		v.CanWithdraw = v.IsFounder && !v.Decided
	}
	pg := s.page(c, "", v)
	pg.Title = a.StartupName
	if pg.Title == "" {
		pg.Title = l.T("app.untitled")
	}
	return pg.render(c, "programs/application")
}

func (s *Server) applicationWithdraw(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, err := s.Incubator.Withdraw(c.UserContext(), *currentUser(c), id); err != nil {
		if msgID, ok := asVocabulary(err); ok && errs.KindOf(err) == errs.Conflict {
			return s.redirectFlash(c, "/programs/applications/"+id, "error", msgID)
		}
		return err
	}
	return s.redirectFlash(c, "/programs/applications/"+id, "ok", "flash.application_withdrawn")
}

// myApplication is one line of the founder's list.
type myApplication struct {
	App   incubator.Application
	Title string
}

func (s *Server) myApplicationsPage(c *fiber.Ctx) error {
	apps, programs, err := s.Incubator.Mine(c.UserContext(), *currentUser(c))
	if err != nil {
		return err
	}
	l := s.lang(c)
	list := make([]myApplication, len(apps))
	for i, a := range apps {
		list[i] = myApplication{App: a, Title: programs[a.ProgramID].TitleIn(l.Code)}
	}
	return s.render(c, "programs/mine", "programs.mine", fiber.Map{"Applications": list})
}
