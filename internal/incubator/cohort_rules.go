package incubator

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
	"sprout/internal/vn"
)

// Sectors and Stages are what a public profile is filed under, so that
// the directory's filters find every startup of a kind.
var (
	Sectors = []string{"agritech", "fintech", "edtech", "healthtech", "logistics", "ecommerce", "other"}
	Stages  = []string{"idea", "mvp", "revenue", "growth"}
)

// Limits of cohort input.
const (
	maxPitch = 600
	// maxFigure keeps figures far from int64's edge and typos like a
	// phone number in the revenue field visible.
	maxFigure = 1_000_000_000_000_000
	MaxLogo   = 1 << 20
	// RemindAfterDay is the day of the month after which a missing report
	// for the month before is chased.
	RemindAfterDay = 5
)

const monthLayout = "2006-01"

// Startup is a cohort startup with everything its cohort page shows.
type Startup struct {
	Application Application
	Mentors     []string
	Milestones  []Milestone
	Reports     []Report
}

// Cohorts lists every cohort, the latest first.
func (s *Service) Cohorts(ctx context.Context) ([]Cohort, error) { return s.store.Cohorts(ctx) }

// ProgramCohorts lists the cohorts of one programme.
func (s *Service) ProgramCohorts(ctx context.Context, programID string) ([]Cohort, error) {
	all, err := s.store.Cohorts(ctx)
	if err != nil {
		return nil, err
	}
	var out []Cohort
	for _, c := range all {
		if c.ProgramID == programID {
			out = append(out, c)
		}
	}
	return out, nil
}

// CohortBoard is a cohort with its startups.
func (s *Service) CohortBoard(ctx context.Context, cohortID string) (Cohort, []Startup, error) {
	c, err := s.store.Cohort(ctx, cohortID)
	if err != nil {
		return c, nil, err
	}
	apps, err := s.store.CohortApplications(ctx, c.ID)
	if err != nil {
		return c, nil, err
	}
	out := make([]Startup, 0, len(apps))
	for _, a := range apps {
		st, err := s.startup(ctx, a)
		if err != nil {
			return c, nil, err
		}
		out = append(out, st)
	}
	return c, out, nil
}

func (s *Service) startup(ctx context.Context, a Application) (Startup, error) {
	st := Startup{Application: a}
	var err error
	if st.Mentors, err = s.store.Mentors(ctx, a.ID); err != nil {
		return st, err
	}
	if st.Milestones, err = s.store.Milestones(ctx, a.ID); err != nil {
		return st, err
	}
	st.Reports, err = s.store.Reports(ctx, a.ID)
	return st, err
}

// inCohort is an accepted application of the cohort; anything else is
// errs.NotFound, so a form cannot reach outside the cohort.
func (s *Service) inCohort(ctx context.Context, cohortID, id string) (Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Status != Accepted || a.CohortID == "" || a.CohortID != cohortID {
		return Application{}, errs.ErrNotFound
	}
	return a, nil
}

// AssignMentor gives a cohort startup a mentor, who must hold the mentor role.
func (s *Service) AssignMentor(ctx context.Context, cohortID, id, mentorID string) error {
	a, err := s.inCohort(ctx, cohortID, id)
	if err != nil {
		return err
	}
	u, err := s.users.User(ctx, mentorID)
	if err != nil || !u.Has(accounts.RoleMentor) {
		return field("user_id", "error.not_mentor")
	}
	return s.store.AssignMentor(ctx, a.ID, u.ID, s.now())
}

// AddMilestone sets a cohort startup a milestone to reach by due.
func (s *Service) AddMilestone(ctx context.Context, cohortID, id, title string, due time.Time) (Milestone, error) {
	a, err := s.inCohort(ctx, cohortID, id)
	if err != nil {
		return Milestone{}, err
	}
	if title, err = cleanText("title", title, maxText, true); err != nil {
		return Milestone{}, err
	}
	if due.IsZero() {
		return Milestone{}, field("due", "error.required")
	}
	m := Milestone{ID: ids.New(), ApplicationID: a.ID, Title: title, Due: due, Status: MilestoneTodo, CreatedAt: s.now()}
	return m, s.store.PutMilestone(ctx, m)
}

// SetMilestoneStatus moves a milestone of a cohort startup.
func (s *Service) SetMilestoneStatus(ctx context.Context, cohortID, id, milestoneID string, status MilestoneStatus) error {
	if !slices.Contains(MilestoneStatuses, status) {
		return field("status", "error.milestone_status")
	}
	a, err := s.inCohort(ctx, cohortID, id)
	if err != nil {
		return err
	}
	list, err := s.store.Milestones(ctx, a.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(list, func(m Milestone) bool { return m.ID == milestoneID })
	if i < 0 {
		return errs.ErrNotFound
	}
	list[i].Status = status
	return s.store.PutMilestone(ctx, list[i])
}

// FounderStartups lists a founder's startups in a cohort.
func (s *Service) FounderStartups(ctx context.Context, founder accounts.User) ([]Startup, error) {
	apps, err := s.store.FounderApplications(ctx, founder.ID)
	if err != nil {
		return nil, err
	}
	var out []Startup
	for _, a := range apps {
		if a.Status == Accepted && a.CohortID != "" {
			st, err := s.startup(ctx, a)
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// FounderCohort is the cohort of one of a founder's accepted startups, ""
// when they have none, so other parts of Sprout can favour cohort startups.
func (s *Service) FounderCohort(ctx context.Context, founder accounts.User) (string, error) {
	apps, err := s.store.FounderApplications(ctx, founder.ID)
	for _, a := range apps {
		if a.Status == Accepted && a.CohortID != "" {
			return a.CohortID, err
		}
	}
	return "", err
}

// founderStartup is one of the founder's cohort startups; another's is
// errs.NotFound, as if it did not exist.
func (s *Service) founderStartup(ctx context.Context, founder accounts.User, id string) (Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return a, err
	}
	if a.FounderID != founder.ID || a.Status != Accepted || a.CohortID == "" {
		return Application{}, errs.ErrNotFound
	}
	return a, nil
}

// ReportInput is a monthly report as typed in a form.
type ReportInput struct {
	Month, Revenue, Users, Staff, Funding, Highlights string
}

// figure reads a whole number the way Vietnamese write it, with dots,
// commas or spaces between thousands.
func figure(name, v string) (int64, error) {
	v = strings.NewReplacer(".", "", ",", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(v))
	if v == "" {
		return 0, field(name, "error.required")
	}
	if strings.HasPrefix(v, "-") {
		return 0, field(name, "error.figure_negative")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n > maxFigure {
		return 0, field(name, "error.figure_invalid")
	}
	return n, nil
}

// Month of at in Vietnam's calendar.
func Month(at time.Time) string { return at.In(vn.Zone).Format(monthLayout) }

// DueMonth is the month whose report is due at a time: the month before,
// in Vietnam. It is the one the report form proposes and the one founders
// are reminded of.
func DueMonth(at time.Time) string {
	_, last := reportMonths(at)
	return last.Format(monthLayout)
}

// reportMonths are the starts, in Vietnam, of the month at is in and of the
// month before.
func reportMonths(at time.Time) (this, last time.Time) {
	local := at.In(vn.Zone)
	this = time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, vn.Zone)
	return this, this.AddDate(0, -1, 0)
}

// editable tells whether a month's report may be filed or changed at at:
// during the month and the month after, never ahead of time.
func editable(month string, at time.Time) error {
	m, err := time.ParseInLocation(monthLayout, strings.TrimSpace(month), vn.Zone)
	if err != nil {
		return field("month", "error.required")
	}
	now := Month(at)
	switch {
	case m.Format(monthLayout) > now:
		return field("month", "error.report_future")
	case m.AddDate(0, 1, 0).Format(monthLayout) < now:
		return field("month", "error.report_closed")
	}
	return nil
}

// report reads every figure and the highlights, collecting all mistakes at
// once so the form can mark them all.
func (in ReportInput) report(a Application) (Report, error) {
	r := Report{ApplicationID: a.ID, Month: strings.TrimSpace(in.Month)}
	var problems []error
	for _, f := range []struct {
		name string
		v    string
		to   *int64
	}{{"revenue", in.Revenue, &r.Revenue}, {"users", in.Users, &r.Users}, {"staff", in.Staff, &r.Staff}, {"funding", in.Funding, &r.Funding}} {
		n, err := figure(f.name, f.v)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		*f.to = n
	}
	var err error
	if r.Highlights, err = cleanText("highlights", in.Highlights, maxLongText, false); err != nil {
		problems = append(problems, err)
	}
	return r, errors.Join(problems...)
}

// FileReport files a founder's report for a month; a month already
// reported is errs.Conflict, to be edited instead.
func (s *Service) FileReport(ctx context.Context, founder accounts.User, id string, in ReportInput) (Report, error) {
	a, err := s.founderStartup(ctx, founder, id)
	if err != nil {
		return Report{}, err
	}
	now := s.now()
	// The month and the figures are checked together, to mark them all.
	r, err := in.report(a)
	if err := errors.Join(editable(in.Month, now), err); err != nil {
		return r, err
	}
	r.FiledBy, r.CreatedAt, r.UpdatedAt = founder.ID, now, now
	if err := s.store.CreateReport(ctx, r); err != nil {
		if errs.KindOf(err) == errs.Conflict {
			return r, &errs.Error{Kind: errs.Conflict, Field: "month", MsgID: "error.report_exists"}
		}
		return r, err
	}
	return r, nil
}

// BackfillReport stores a cohort startup's report of a past month as
// filed then (r.CreatedAt): history from before the startup used Sprout,
// or the demo's, which FileReport refuses once the month has closed. A
// month already reported is errs.Conflict.
func (s *Service) BackfillReport(ctx context.Context, r Report) error {
	a, err := s.store.Application(ctx, r.ApplicationID)
	if err != nil {
		return err
	}
	if a.Status != Accepted || a.CohortID == "" {
		return errs.ErrNotFound
	}
	m, err := time.ParseInLocation(monthLayout, r.Month, vn.Zone)
	if err != nil {
		return field("month", "error.required")
	}
	if m.Format(monthLayout) >= Month(s.now()) {
		return field("month", "error.report_future")
	}
	for _, n := range []int64{r.Revenue, r.Users, r.Staff, r.Funding} {
		if n < 0 || n > maxFigure {
			return errs.New(errs.Invalid, "error.figure_invalid")
		}
	}
	return s.store.CreateReport(ctx, r)
}

// EditReport changes a filed report while its month is still open.
func (s *Service) EditReport(ctx context.Context, founder accounts.User, id string, in ReportInput) (Report, error) {
	a, err := s.founderStartup(ctx, founder, id)
	if err != nil {
		return Report{}, err
	}
	r, err := s.FounderReport(ctx, founder, a.ID, in.Month)
	if err != nil {
		return r, err
	}
	now := s.now()
	next, err := in.report(a)
	if err := errors.Join(editable(in.Month, now), err); err != nil {
		return r, err
	}
	next.FiledBy, next.CreatedAt, next.UpdatedAt = founder.ID, r.CreatedAt, now
	return next, s.store.UpdateReport(ctx, next)
}

// FounderReport is one of the founder's reports.
func (s *Service) FounderReport(ctx context.Context, founder accounts.User, id, month string) (Report, error) {
	a, err := s.founderStartup(ctx, founder, id)
	if err != nil {
		return Report{}, err
	}
	list, err := s.store.Reports(ctx, a.ID)
	if err != nil {
		return Report{}, err
	}
	for _, r := range list {
		if r.Month == month {
			return r, nil
		}
	}
	return Report{}, errs.ErrNotFound
}

// Editable tells whether a report can still be changed at at.
func (r Report) Editable(at time.Time) bool { return editable(r.Month, at) == nil }

// RemindReports mails the founders of cohort startups whose report for
// last month is missing, once the grace days are over, and at most once
// per startup and month. link is the page where reports are filed.
func (s *Service) RemindReports(ctx context.Context, at time.Time, link string) (int, error) {
	local := at.In(vn.Zone)
	if s.mailer == nil || local.Day() <= RemindAfterDay {
		return 0, nil
	}
	thisMonth, lastMonth := reportMonths(at)
	month := lastMonth.Format(monthLayout)
	cohorts, err := s.store.Cohorts(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, c := range cohorts {
		// Only cohorts running during last month owe its report.
		if !c.StartsAt.Before(thisMonth) || (!c.EndsAt.IsZero() && c.EndsAt.Before(lastMonth)) {
			continue
		}
		apps, err := s.store.CohortApplications(ctx, c.ID)
		if err != nil {
			return sent, err
		}
		for _, a := range apps {
			n, err := s.remind(ctx, a, month, lastMonth, link)
			if err != nil {
				return sent, err
			}
			sent += n
		}
	}
	return sent, nil
}

func (s *Service) remind(ctx context.Context, a Application, month string, m time.Time, link string) (int, error) {
	reports, err := s.store.Reports(ctx, a.ID)
	if err != nil || slices.ContainsFunc(reports, func(r Report) bool { return r.Month == month }) {
		return 0, err
	}
	u, err := s.users.User(ctx, a.FounderID)
	if errors.Is(err, errs.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	// The marker is taken before the mail is queued: a lost reminder is
	// better than founders mailed twice by two instances.
	first, err := s.store.MarkReminded(ctx, a.ID, month)
	if err != nil || !first {
		return 0, err
	}
	_, err = s.mailer.Enqueue(ctx, u.Email, "report_reminder", u.Lang, map[string]any{
		"Name": u.Name, "Startup": a.StartupName, "Month": m.Format("01/2006"), "Link": link,
	})
	if err != nil {
		return 0, err
	}
	return 1, nil
}

// MentorStartups lists the startups a mentor is assigned to.
func (s *Service) MentorStartups(ctx context.Context, mentor accounts.User) ([]Startup, error) {
	apps, err := s.store.MentorApplications(ctx, mentor.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Startup, 0, len(apps))
	for _, a := range apps {
		st, err := s.startup(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// ProfileInput is a startup's public profile as typed in a form; Logo,
// when not empty, replaces the logo.
type ProfileInput struct {
	Name, Sector, Stage, Pitch string
	Logo                       []byte
}

// FounderProfile is the profile of one of the founder's startups, made up
// from the application until one is saved.
func (s *Service) FounderProfile(ctx context.Context, founder accounts.User, id string) (Profile, error) {
	a, err := s.founderStartup(ctx, founder, id)
	if err != nil {
		return Profile{}, err
	}
	p, err := s.store.Profile(ctx, a.ID)
	if errors.Is(err, errs.ErrNotFound) {
		return Profile{ApplicationID: a.ID, Name: a.StartupName}, nil
	}
	return p, err
}

// SaveProfile publishes a founder's startup profile in the directory.
func (s *Service) SaveProfile(ctx context.Context, founder accounts.User, id string, in ProfileInput) (Profile, error) {
	prev, err := s.FounderProfile(ctx, founder, id)
	if err != nil {
		return prev, err
	}
	p := Profile{ApplicationID: prev.ApplicationID, LogoID: prev.LogoID, UpdatedAt: s.now()}
	// Every mistake is collected before anything is stored, so the form
	// marks them all at once.
	var problems []error
	if p.Name, err = cleanText("name", in.Name, maxName, true); err != nil {
		problems = append(problems, err)
	}
	if p.Pitch, err = cleanText("pitch", strings.Join(strings.Fields(in.Pitch), " "), maxPitch, true); err != nil {
		problems = append(problems, err)
	}
	if p.Sector = in.Sector; !slices.Contains(Sectors, p.Sector) {
		problems = append(problems, field("sector", "error.required"))
	}
	if p.Stage = in.Stage; !slices.Contains(Stages, p.Stage) {
		problems = append(problems, field("stage", "error.required"))
	}
	var ct string
	if len(in.Logo) > 0 {
		if ct, err = files.CheckImage(in.Logo, MaxLogo); err != nil {
			if e, ok := errs.As(err); ok {
				e.Field = "logo"
			}
			problems = append(problems, err)
		}
	}
	if err := errors.Join(problems...); err != nil {
		return p, err
	}
	if len(in.Logo) > 0 {
		f := files.File{ID: "logo." + p.ApplicationID + "." + ids.New(), Name: "logo", ContentType: ct, Size: int64(len(in.Logo)),
			Data: in.Logo, CreatedAt: p.UpdatedAt}
		if err := s.files.PutFile(ctx, f); err != nil {
			return p, err
		}
		p.LogoID = f.ID
	}
	if err := s.store.PutProfile(ctx, p); err != nil {
		if p.LogoID != prev.LogoID {
			s.discard(ctx, p.LogoID)
		}
		return p, err
	}
	if p.LogoID != prev.LogoID {
		s.discard(ctx, prev.LogoID)
	}
	return p, nil
}

// Directory lists the public profiles of startups still in a cohort,
// keeping only a sector and a stage when given.
func (s *Service) Directory(ctx context.Context, sector, stage string) ([]Profile, error) {
	all, err := s.store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	var out []Profile
	for _, p := range all {
		if (sector != "" && p.Sector != sector) || (stage != "" && p.Stage != stage) {
			continue
		}
		a, err := s.store.Application(ctx, p.ApplicationID)
		if err != nil {
			return nil, err
		}
		if a.Status == Accepted && a.CohortID != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// Logo is a directory startup's logo.
func (s *Service) Logo(ctx context.Context, id string) (files.File, error) {
	list, err := s.Directory(ctx, "", "")
	if err != nil {
		return files.File{}, err
	}
	i := slices.IndexFunc(list, func(p Profile) bool { return p.ApplicationID == id })
	if i < 0 || list[i].LogoID == "" {
		return files.File{}, errs.ErrNotFound
	}
	return s.files.File(ctx, list[i].LogoID)
}
