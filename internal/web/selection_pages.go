package web

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/incubator"
)

// Lists of a programme's pages are long: organizers skim hundreds of
// applications at a time.
const panelPageSize = 100

func (s *Server) selectionRoutes(app *fiber.App) {
	m := app.Group("/manage/programs", s.pageRequire(organizerRoles...))
	m.Get("", s.selPrograms)
	m.Get("/new", s.selNewProgram)
	m.Post("", s.selCreateProgram)
	m.Get("/:id", s.selApplications)
	m.Get("/:id/edit", s.selEditProgram)
	m.Post("/:id/edit", s.selUpdateProgram)
	m.Post("/:id/close", s.selCloseCall)
	m.Post("/:id/extend", s.selExtendCall)
	m.Get("/:id/applications/:app", s.selDossier)
	m.Post("/:id/applications/:app/reviewers", s.selAssignReviewer)
	m.Post("/:id/applications/:app/decision", s.selDecideOne)
	m.Get("/:id/reviewers", s.selReviewers)
	m.Post("/:id/reviewers/auto", s.selAutoAssign)
	m.Get("/:id/ranking", s.selRanking)
	m.Get("/:id/applications.:format", s.exportApplications)
	m.Post("/:id/decisions", s.selDecideMany)
}

func (s *Server) selPrograms(c *fiber.Ctx) error {
	list, total, err := s.Incubator.Programs(c.UserContext(), (pageNumber(c)-1)*pageSize, pageSize)
	if err != nil {
		return err
	}
	return s.render(c, "selection/list", "selection.title", fiber.Map{"Programs": list, "Pager": s.newPager(c, total, pageSize, nil)})
}

func (s *Server) selNewProgram(c *fiber.Ctx) error {
	return s.render(c, "selection/new", "selection.new", builderData(fiber.Map{}, form{}, nil, nil))
}

func (s *Server) selCreateProgram(c *fiber.Ctx) error {
	values, in, err := programForm(c)
	var p incubator.Program
	if err == nil {
		p, err = s.Incubator.CreateProgram(c.UserContext(), currentUser(c).ID, in)
	} else {
		// As on the edit page: what could be read is checked too.
		err = errors.Join(err, in.Check())
	}
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.render(c, "selection/new", "selection.new", builderData(fiber.Map{}, f, in.Questions, in.Criteria))
	}
	return s.redirectFlash(c, "/manage/programs/"+p.ID, "ok", "flash.program_created")
}

// renderSelection shows one of a programme's pages, titled with it.
func (s *Server) renderSelection(c *fiber.Ctx, view string, p incubator.Program, data fiber.Map) error {
	cohorts, err := s.Incubator.ProgramCohorts(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	late, err := s.Incubator.Late(c.UserContext(), p, s.Clock.Now())
	if err != nil {
		return err
	}
	data["Program"], data["Cohorts"], data["Late"] = p, cohorts, late
	pg := s.page(c, "", data)
	pg.Title = callTitle(p, pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, view)
}

func callTitle(p incubator.Program, lang string) string {
	if lang == "en" && p.TitleEN != "" {
		return p.TitleEN
	}
	return p.Title
}

// panelFilters are the choices of the applications list: a status,
// or the applications a conflict left short of a reviewer.
var panelFilters = append(append([]incubator.Status(nil), incubator.Reviewable...), "needs_reviewer")

func (s *Server) selApplications(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.Incubator.Program(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	filter := incubator.Status(c.Query("status"))
	var only []incubator.Status
	switch {
	case filter == "needs_reviewer":
	case slices.Contains(incubator.Reviewable, filter):
		only = append(only, filter)
	default:
		filter = ""
	}
	panels, err := s.Incubator.Panels(ctx, p.ID, only...)
	if err != nil {
		return err
	}
	if filter == "needs_reviewer" {
		kept := panels[:0]
		for _, pn := range panels {
			if pn.NeedsReviewer {
				kept = append(kept, pn)
			}
		}
		panels = kept
	}
	total := len(panels)
	from := min((pageNumber(c)-1)*panelPageSize, total)
	panels = panels[from:min(from+panelPageSize, total)]
	return s.renderSelection(c, "selection/applications", p, fiber.Map{"Panels": panels, "Filter": string(filter),
		"Filters": panelFilters, "Pager": s.newPager(c, total, panelPageSize, url.Values{"status": {string(filter)}})})
}

// reviewerAccounts lists the accounts that may review.
func (s *Server) reviewerAccounts(c *fiber.Ctx) ([]accounts.User, error) {
	list, _, err := s.Accounts.List(c.UserContext(), accounts.UserQuery{Role: accounts.RoleReviewer, Limit: 200})
	return list, err
}

// dossierReview is a review as organizers read it.
type dossierReview struct {
	incubator.Review
	Reviewer string
	Mean     float64
}

func (s *Server) selDossier(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d, err := s.Incubator.Dossier(ctx, c.Params("id"), c.Params("app"))
	if err != nil {
		return err
	}
	founder, err := s.applicantOf(c, d.Panel.Application)
	if err != nil {
		return err
	}
	reviewers, err := s.reviewerAccounts(c)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range reviewers {
		names[u.ID] = u.Name
	}
	var rows []dossierReview
	for _, r := range d.Reviews {
		row := dossierReview{Review: r, Reviewer: names[r.ReviewerID]}
		if !r.Conflict {
			row.Mean = incubator.Weighted(d.Program.Criteria, r.Scores)
		}
		rows = append(rows, row)
	}
	var assigned, free []accounts.User
	for _, u := range reviewers {
		if slices.Contains(d.Panel.Reviewers, u.ID) {
			assigned = append(assigned, u)
		} else if u.ID != d.Panel.Application.FounderID {
			free = append(free, u)
		}
	}
	attached, err := s.Incubator.Files(ctx, *currentUser(c), d.Program, d.Panel.Application)
	if err != nil {
		return err
	}
	return s.renderSelection(c, "selection/dossier", d.Program, fiber.Map{"Dossier": d, "App": d.Panel.Application,
		"Answers": sheetAnswers(d.Program, d.Panel.Application), "Founder": founder, "Reviews": rows, "Assigned": assigned,
		"Free": free, "Decisions": incubator.Decisions, "Files": attached, "AppID": d.Panel.Application.ID})
}

// selectionAction runs an organizer's action and goes back to where it came
// from with the outcome as a flash.
func (s *Server) selectionAction(c *fiber.Ctx, fallback, okID string, act func() error) error {
	return s.goBack(c, safeNext(c.FormValue("back"), fallback), okID, act())
}

func (s *Server) selAssignReviewer(c *fiber.Ctx) error {
	ctx := c.UserContext()
	back := "/manage/programs/" + c.Params("id") + "/applications/" + c.Params("app")
	if _, err := s.Incubator.Dossier(ctx, c.Params("id"), c.Params("app")); err != nil {
		return err
	}
	return s.selectionAction(c, back, "flash.reviewer_assigned", func() error {
		return s.Incubator.AssignReviewer(ctx, c.Params("app"), c.FormValue("user_id"))
	})
}

func (s *Server) selDecideOne(c *fiber.Ctx) error {
	back := "/manage/programs/" + c.Params("id") + "/applications/" + c.Params("app")
	return s.selectionAction(c, back, "flash.decided", func() error {
		_, err := s.Incubator.DecideAll(c.UserContext(), c.Params("id"), []string{c.Params("app")},
			incubator.Status(c.FormValue("decision")), c.FormValue("cohort_id"), c.FormValue("note"))
		return err
	})
}

func (s *Server) selDecideMany(c *fiber.Ctx) error {
	var ids []string
	for _, v := range c.Request().PostArgs().PeekMulti("ids") {
		ids = append(ids, string(v))
	}
	return s.selectionAction(c, "/manage/programs/"+c.Params("id")+"/ranking", "flash.decided", func() error {
		_, err := s.Incubator.DecideAll(c.UserContext(), c.Params("id"), ids, incubator.Status(c.FormValue("decision")),
			c.FormValue("cohort_id"), c.FormValue("note"))
		return err
	})
}

func (s *Server) selReviewers(c *fiber.Ctx) error { return s.renderReviewers(c, form{}) }

func (s *Server) renderReviewers(c *fiber.Ctx, f form) error {
	ctx := c.UserContext()
	p, err := s.Incubator.Program(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	progress, err := s.Incubator.Progress(ctx, p.ID)
	if err != nil {
		return err
	}
	reviewers, err := s.reviewerAccounts(c)
	if err != nil {
		return err
	}
	if f.Values == nil {
		f.Values = map[string]string{"per_app": "2"}
	}
	return s.renderSelection(c, "selection/reviewers", p, fiber.Map{"Progress": progress, "Reviewers": reviewers,
		"MaxPerApp": incubator.MaxPerApp, "Form": f})
}

func (s *Server) selAutoAssign(c *fiber.Ctx) error {
	var pool []string
	for _, v := range c.Request().PostArgs().PeekMulti("reviewers") {
		pool = append(pool, string(v))
	}
	values := formValues(c, "per_app")
	// Not a number is 0, which the service refuses as out of range.
	perApp, _ := strconv.Atoi(strings.TrimSpace(values["per_app"]))
	_, short, err := s.Incubator.AutoAssign(c.UserContext(), c.Params("id"), pool, perApp)
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderReviewers(c, f)
	}
	back := "/manage/programs/" + c.Params("id") + "/reviewers"
	if short > 0 {
		return s.redirectFlash(c, back, "error", "flash.auto_assigned_short")
	}
	return s.redirectFlash(c, back, "ok", "flash.auto_assigned")
}

func (s *Server) selRanking(c *fiber.Ctx) error {
	by := incubator.ByMean
	if c.Query("by") == incubator.ByNormalised {
		by = incubator.ByNormalised
	}
	p, list, err := s.Incubator.Scoreboard(c.UserContext(), c.Params("id"), by)
	if err != nil {
		return err
	}
	total := len(list)
	from := min((pageNumber(c)-1)*panelPageSize, total)
	rows := make([]rankRow, 0, panelPageSize)
	for _, sc := range list[from:min(from+panelPageSize, total)] {
		rows = append(rows, rankRow{Scored: sc, Mean: figure("%.3f", sc.Mean), Normalised: figure("%+.3f", sc.Normalised),
			Spread: figure("%.2f", sc.Spread)})
	}
	return s.renderSelection(c, "selection/ranking", p, fiber.Map{"Ranking": rows, "Offset": from,
		"By": by, "Decisions": incubator.Decisions, "Spread": incubator.DisagreementSpread,
		"Pager": s.newPager(c, total, panelPageSize, url.Values{"by": {by}})})
}

// rankRow is a line of the ranking with its figures written out, empty
// where there is none.
type rankRow struct {
	incubator.Scored
	Mean, Normalised, Spread string
}

func figure(format string, x *float64) string {
	if x == nil {
		return ""
	}
	return fmt.Sprintf(format, *x)
}
