package web

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/incubator"
	"sprout/internal/sheet"
	"sprout/internal/vn"
)

func (s *Server) cohortRoutes(app *fiber.App) {
	m := app.Group("/manage/cohorts", s.pageRequire(organizerRoles...))
	m.Get("", s.cohortList)
	m.Post("", s.cohortCreate)
	m.Get("/:id", s.cohortBoard)
	m.Get("/:id/reports.csv", s.cohortReportsCSV)
	m.Post("/:id/startups/:app/mentors", s.cohortAssignMentor)
	m.Post("/:id/startups/:app/milestones", s.cohortAddMilestone)
	m.Post("/:id/startups/:app/milestones/:milestone", s.cohortMilestoneStatus)

	f := app.Group("/cohort", s.pageRequire())
	f.Get("/reports", s.reportsPage)
	f.Post("/reports", s.reportFile)
	f.Get("/reports/:app/:month", s.reportEditPage)
	f.Post("/reports/:app/:month", s.reportEdit)
	f.Get("/profile/:app", s.profilePage)
	f.Post("/profile/:app", s.profileSave)

	app.Get("/mentor", s.pageRequire(accounts.RoleMentor), s.mentorPage)
	app.Post("/mentor/startups/:app/sessions", s.pageRequire(accounts.RoleMentor), s.sessionLog)
	app.Get("/startups", s.directoryPage)
	app.Get("/startups/:id/logo", s.directoryLogo)
}

func (s *Server) cohortList(c *fiber.Ctx) error { return s.renderCohortList(c, nil, nil) }

func (s *Server) renderCohortList(c *fiber.Ctx, formValues map[string]string, fail error) error {
	list, err := s.Incubator.Cohorts(c.UserContext())
	if err != nil {
		return err
	}
	programs, _, err := s.Incubator.Programs(c.UserContext(), 0, 200)
	if err != nil {
		return err
	}
	p := s.page(c, "cohorts.title", fiber.Map{"Cohorts": list, "Programs": programs})
	if fail != nil {
		return s.formErrorPage(c, p, "cohorts/list", fail, formValues)
	}
	return p.render(c, "cohorts/list")
}

// cohortCreate starts a cohort from the form; dates are days in Vietnam.
func (s *Server) cohortCreate(c *fiber.Ctx) error {
	f := map[string]string{"program_id": c.FormValue("program_id"), "name": c.FormValue("name"),
		"starts_at": c.FormValue("starts_at"), "ends_at": c.FormValue("ends_at")}
	day := func(v string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02", v, vn.Zone)
		return t
	}
	co, err := s.Incubator.CreateCohort(c.UserContext(), f["program_id"], f["name"], day(f["starts_at"]), day(f["ends_at"]))
	if err != nil {
		return s.renderCohortList(c, f, err)
	}
	return s.redirectFlash(c, "/manage/cohorts/"+co.ID, "ok", "flash.cohort_created")
}

// chart is one figure of a startup over the months, drawn as an SVG line,
// with its axes written out: the first and last month across, zero and the
// highest value up, in the figure's unit.
type chart struct {
	Label, Last, Points, Unit string
	From, To, Top             string
	Dots                      []dot
	Width, Height             int
}

type dot struct {
	X, Y  int
	Title string
}

const chartW, chartH, chartPad = 240, 72, 6

// newChart scales the values into the chart's box, the highest at the top
// and zero at the bottom; numbers are written as l groups them.
func newChart(l i18n.Lang, label, unit string, months []string, values []int64) chart {
	ch := chart{Label: label, Unit: unit, Width: chartW, Height: chartH}
	if len(values) == 0 {
		return ch
	}
	top := max(slices.Max(values), 1)
	ch.From, ch.To, ch.Top = months[0], months[len(months)-1], l.Num(slices.Max(values))
	step := 0
	if len(values) > 1 {
		step = (chartW - 2*chartPad) / (len(values) - 1)
	}
	for i, v := range values {
		x := chartPad + i*step
		y := chartH - chartPad - int(float64(v)/float64(top)*float64(chartH-2*chartPad))
		ch.Points += fmt.Sprintf("%d,%d ", x, y)
		ch.Dots = append(ch.Dots, dot{X: x, Y: y, Title: months[i] + ": " + l.Num(v)})
	}
	ch.Last = l.Num(values[len(values)-1])
	return ch
}

func startupCharts(l i18n.Lang, reports []incubator.Report) []chart {
	months := make([]string, len(reports))
	series := make([][]int64, 4)
	for i, r := range reports {
		months[i] = monthIn(l, r.Month)
		for j, v := range []int64{r.Revenue, r.Users, r.Staff, r.Funding} {
			series[j] = append(series[j], v)
		}
	}
	money, people := l.T("cohorts.unit.vnd"), l.T("cohorts.unit.people")
	return []chart{newChart(l, l.T("cohorts.revenue"), money, months, series[0]), newChart(l, l.T("cohorts.users"), people, months, series[1]),
		newChart(l, l.T("cohorts.staff"), people, months, series[2]), newChart(l, l.T("cohorts.funding"), money, months, series[3])}
}

// boardStartup is a cohort startup as its page shows it.
type boardStartup struct {
	incubator.Startup
	Mentors    []accounts.User
	Milestones []boardMilestone
	Charts     []chart
	Rows       []reportRow
	Sessions   []sessionView
}

// reportRow is a report with its figures written out; Month is the month
// as people read it, Key as links carry it.
type reportRow struct {
	Month, Key, Revenue, Users, Staff, Funding string
	Editable                                   bool
}

type boardMilestone struct {
	incubator.Milestone
	Shown incubator.MilestoneStatus
	// DueDay is the due date as a day: the hour it ends at says nothing.
	DueDay string
}

// mentorAccounts lists the accounts that may mentor.
func (s *Server) mentorAccounts(c *fiber.Ctx) ([]accounts.User, error) {
	list, _, err := s.Accounts.List(c.UserContext(), accounts.UserQuery{Role: accounts.RoleMentor, Limit: 200})
	return list, err
}

func (s *Server) boardStartups(c *fiber.Ctx, list []incubator.Startup, mentors []accounts.User) []boardStartup {
	now, l := s.Clock.Now(), s.lang(c)
	out := make([]boardStartup, 0, len(list))
	for _, st := range list {
		b := boardStartup{Startup: st, Charts: startupCharts(l, st.Reports)}
		for _, r := range st.Reports {
			b.Rows = append(b.Rows, reportRow{Month: monthIn(l, r.Month), Key: r.Month, Revenue: l.Num(r.Revenue), Users: l.Num(r.Users),
				Staff: l.Num(r.Staff), Funding: l.Num(r.Funding), Editable: r.Editable(now)})
		}
		for _, u := range mentors {
			if slices.Contains(st.Mentors, u.ID) {
				b.Mentors = append(b.Mentors, u)
			}
		}
		for _, m := range st.Milestones {
			b.Milestones = append(b.Milestones, boardMilestone{Milestone: m, Shown: m.Shown(now), DueDay: dayIn(l, m.Due)})
		}
		out = append(out, b)
	}
	return out
}

func (s *Server) cohortBoard(c *fiber.Ctx) error {
	co, list, err := s.Incubator.CohortBoard(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	mentors, err := s.mentorAccounts(c)
	if err != nil {
		return err
	}
	activity, idle, sessions, err := s.cohortActivity(c, co.ID, mentors)
	if err != nil {
		return err
	}
	startups := s.boardStartups(c, list, mentors)
	for i := range startups {
		startups[i].Sessions = sessions[startups[i].Application.ID]
	}
	pg := s.page(c, "", fiber.Map{"Cohort": co, "Startups": startups, "MentorChoices": mentors,
		"Statuses": incubator.MilestoneStatuses, "Activity": activity, "Idle": idle})
	pg.Title = co.Name
	c.Type("html", "utf-8")
	return pg.render(c, "cohorts/board")
}

// cohortAction runs an organizer's change to a cohort startup and goes back
// to the cohort page with the outcome as a flash. A startup outside the
// cohort is a 404, as if it did not exist.
func (s *Server) cohortAction(c *fiber.Ctx, okID string, act func() error) error {
	back := "/manage/cohorts/" + c.Params("id")
	err := act()
	if err == nil {
		return s.redirectFlash(c, back, "ok", okID)
	}
	msg, ok := asVocabulary(err)
	if !ok || errs.KindOf(err) == errs.NotFound {
		return err
	}
	return s.redirectFlash(c, back, "error", msg)
}

func (s *Server) cohortAssignMentor(c *fiber.Ctx) error {
	return s.cohortAction(c, "flash.mentor_assigned", func() error {
		return s.Incubator.AssignMentor(c.UserContext(), c.Params("id"), c.Params("app"), c.FormValue("user_id"))
	})
}

func (s *Server) cohortAddMilestone(c *fiber.Ctx) error {
	return s.cohortAction(c, "flash.milestone_added", func() error {
		due, err := localTime("due", c.FormValue("due")+"T23:59")
		if c.FormValue("due") == "" {
			due, err = time.Time{}, nil
		}
		if err != nil {
			return err
		}
		_, err = s.Incubator.AddMilestone(c.UserContext(), c.Params("id"), c.Params("app"), c.FormValue("title"), due)
		return err
	})
}

func (s *Server) cohortMilestoneStatus(c *fiber.Ctx) error {
	return s.cohortAction(c, "flash.milestone_saved", func() error {
		return s.Incubator.SetMilestoneStatus(c.UserContext(), c.Params("id"), c.Params("app"), c.Params("milestone"),
			incubator.MilestoneStatus(c.FormValue("status")))
	})
}

// cohortReportsCSV downloads every report of the cohort.
func (s *Server) cohortReportsCSV(c *fiber.Ctx) error {
	co, list, err := s.Incubator.CohortBoard(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	l := s.lang(c)
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="bao-cao-`+co.ID+"-"+s.Clock.Now().In(vn.Zone).Format("20060102")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	w := bufio.NewWriter(c.Response().BodyWriter())
	return writeReportsCSV(w, l, list)
}

func writeReportsCSV(w io.Writer, l i18n.Lang, list []incubator.Startup) error {
	out, err := sheet.NewCSV(w, []string{l.T("cohorts.startup"), l.T("cohorts.month"), l.T("cohorts.revenue"), l.T("cohorts.users"),
		l.T("cohorts.staff"), l.T("cohorts.funding"), l.T("cohorts.highlights")})
	if err != nil {
		return err
	}
	for _, st := range list {
		for _, r := range st.Reports {
			if err := out.Row([]string{st.Application.StartupName, r.Month, strconv.FormatInt(r.Revenue, 10), strconv.FormatInt(r.Users, 10),
				strconv.FormatInt(r.Staff, 10), strconv.FormatInt(r.Funding, 10), r.Highlights}); err != nil {
				return err
			}
		}
	}
	return out.Flush()
}

var reportFields = []string{"startup", "month", "revenue", "users", "staff", "funding", "highlights"}

// reportField is one field of the report form, for the partial both
// report pages share.
type reportField struct {
	Name, Label, Value, Error, Unit string
	Long                            bool
}

// reportUnits are what each figure of a report counts, shown beside its
// input so nobody types millions where đồng are meant.
var reportUnits = map[string]string{"revenue": "cohorts.unit.vnd", "funding": "cohorts.unit.vnd", "users": "cohorts.unit.people",
	"staff": "cohorts.unit.people"}

func reportForm(l i18n.Lang, f form) []reportField {
	var out []reportField
	for _, n := range reportFields[2:] {
		rf := reportField{Name: n, Label: l.T("cohorts." + n), Value: f.Values[n], Error: f.Errors[n], Long: n == "highlights"}
		if u, ok := reportUnits[n]; ok {
			rf.Unit = l.T(u)
		}
		out = append(out, rf)
	}
	return out
}

func reportInput(v map[string]string) incubator.ReportInput {
	return incubator.ReportInput{Month: v["month"], Revenue: v["revenue"], Users: v["users"], Staff: v["staff"],
		Funding: v["funding"], Highlights: v["highlights"]}
}

func (s *Server) reportsPage(c *fiber.Ctx) error {
	return s.renderReports(c, form{Values: map[string]string{"month": incubator.DueMonth(s.Clock.Now())}})
}

func (s *Server) renderReports(c *fiber.Ctx, f form) error {
	list, err := s.Incubator.FounderStartups(c.UserContext(), *currentUser(c))
	if err != nil {
		return err
	}
	mentors, err := s.mentorAccounts(c)
	if err != nil {
		return err
	}
	startups := s.boardStartups(c, list, nil)
	for i := range startups {
		shared, err := s.Incubator.FounderSessions(c.UserContext(), *currentUser(c), startups[i].Application.ID)
		if err != nil {
			return err
		}
		startups[i].Sessions = sharedViews(s.lang(c), names(mentors), shared)
	}
	return s.render(c, "cohorts/reports", "cohorts.reports_title", fiber.Map{"Startups": startups,
		"Form": f, "Fields": reportForm(s.lang(c), f)})
}

func (s *Server) reportFile(c *fiber.Ctx) error {
	values := formValues(c, reportFields...)
	if _, err := s.Incubator.FileReport(c.UserContext(), *currentUser(c), values["startup"], reportInput(values)); err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderReports(c, f)
	}
	return s.redirectFlash(c, "/cohort/reports", "ok", "flash.report_filed")
}

func (s *Server) reportEditPage(c *fiber.Ctx) error {
	r, err := s.Incubator.FounderReport(c.UserContext(), *currentUser(c), c.Params("app"), c.Params("month"))
	if err != nil {
		return err
	}
	return s.renderReportEdit(c, form{Values: map[string]string{
		"month": r.Month, "revenue": strconv.FormatInt(r.Revenue, 10), "users": strconv.FormatInt(r.Users, 10),
		"staff": strconv.FormatInt(r.Staff, 10), "funding": strconv.FormatInt(r.Funding, 10), "highlights": r.Highlights}})
}

func (s *Server) renderReportEdit(c *fiber.Ctx, f form) error {
	return s.render(c, "cohorts/report_edit", "cohorts.report_edit", fiber.Map{"Path": c.Path(), "Form": f,
		"Fields": reportForm(s.lang(c), f), "MonthLabel": monthIn(s.lang(c), f.Values["month"])})
}

func (s *Server) reportEdit(c *fiber.Ctx) error {
	values := formValues(c, reportFields...)
	values["month"] = c.Params("month")
	if _, err := s.Incubator.EditReport(c.UserContext(), *currentUser(c), c.Params("app"), reportInput(values)); err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderReportEdit(c, f)
	}
	return s.redirectFlash(c, "/cohort/reports", "ok", "flash.report_saved")
}

var profileFields = []string{"name", "sector", "stage", "pitch"}

func (s *Server) profilePage(c *fiber.Ctx) error {
	p, err := s.Incubator.FounderProfile(c.UserContext(), *currentUser(c), c.Params("app"))
	if err != nil {
		return err
	}
	return s.renderProfile(c, p, form{Values: map[string]string{"name": p.Name, "sector": p.Sector, "stage": p.Stage, "pitch": p.Pitch}})
}

func (s *Server) renderProfile(c *fiber.Ctx, p incubator.Profile, f form) error {
	return s.render(c, "cohorts/profile", "cohorts.profile_title", fiber.Map{"Profile": p, "Form": f,
		"Sectors": incubator.Sectors, "Stages": incubator.Stages})
}

func (s *Server) profileSave(c *fiber.Ctx) error {
	values := formValues(c, profileFields...)
	in := incubator.ProfileInput{Name: values["name"], Sector: values["sector"], Stage: values["stage"], Pitch: values["pitch"]}
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		file, err := fh.Open()
		if err != nil {
			return err
		}
		in.Logo, err = io.ReadAll(io.LimitReader(file, incubator.MaxLogo+1))
		file.Close()
		if err != nil {
			return err
		}
	}
	p, err := s.Incubator.SaveProfile(c.UserContext(), *currentUser(c), c.Params("app"), in)
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderProfile(c, p, f)
	}
	return s.redirectFlash(c, "/cohort/profile/"+p.ApplicationID, "ok", "flash.startup_profile_saved")
}

func (s *Server) directoryPage(c *fiber.Ctx) error {
	sector, stage := c.Query("sector"), c.Query("stage")
	if !slices.Contains(incubator.Sectors, sector) {
		sector = ""
	}
	if !slices.Contains(incubator.Stages, stage) {
		stage = ""
	}
	list, err := s.Incubator.Directory(c.UserContext(), sector, stage)
	if err != nil {
		return err
	}
	return s.render(c, "cohorts/directory", "cohorts.directory_title", fiber.Map{"Profiles": list, "Sector": sector,
		"Stage": stage, "Sectors": incubator.Sectors, "Stages": incubator.Stages})
}

func (s *Server) directoryLogo(c *fiber.Ctx) error {
	f, err := s.Incubator.Logo(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.Data)
}
