package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// sessionFields are the session form's fields in the order the error
// summary lists them.
var sessionFields = []string{"date", "topics", "next_steps", "private_note"}

// sessionView is a session as a page shows it; PrivateNote is empty on the
// founder's pages, which never receive it.
type sessionView struct {
	Date, Mentor, Topics, NextSteps, PrivateNote string
}

// fieldProblem is one entry of a form's error summary.
type fieldProblem struct{ Field, Message string }

// sessionForm is a mentor's session form for one startup, with every
// mistake of the last try.
type sessionForm struct {
	form
	Problems []fieldProblem
}

// dayIn writes a day the way each language reads it: "6 tháng 12, 2026",
// "6 Dec 2026".
func dayIn(l i18n.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(vn.Zone)
	if l.Code == "en" {
		return t.Format("2 Jan 2006")
	}
	return strconv.Itoa(t.Day()) + " tháng " + strconv.Itoa(int(t.Month())) + ", " + strconv.Itoa(t.Year())
}

// monthIn writes a report month (2006-01) as people say it: "Tháng 11/2026",
// "November 2026".
func monthIn(l i18n.Lang, month string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	if l.Code == "en" {
		return m.Format("January 2006")
	}
	return "Tháng " + strconv.Itoa(int(m.Month())) + "/" + strconv.Itoa(m.Year())
}

// names maps account ids to names, for the mentors a page mentions.
func names(list []accounts.User) map[string]string {
	out := make(map[string]string, len(list))
	for _, u := range list {
		out[u.ID] = u.Name
	}
	return out
}

func sessionViews(l i18n.Lang, who map[string]string, list []incubator.Session) []sessionView {
	out := make([]sessionView, 0, len(list))
	for _, x := range list {
		out = append(out, sessionView{Date: dayIn(l, x.Date), Mentor: who[x.MentorID], Topics: x.Topics, NextSteps: x.NextSteps,
			PrivateNote: x.PrivateNote})
	}
	return out
}

func sharedViews(l i18n.Lang, who map[string]string, list []incubator.SharedSession) []sessionView {
	out := make([]sessionView, 0, len(list))
	for _, x := range list {
		out = append(out, sessionView{Date: dayIn(l, x.Date), Mentor: who[x.MentorID], Topics: x.Topics, NextSteps: x.NextSteps})
	}
	return out
}

// formProblems reads every field error inside err, joined or single, in
// the order of fields; ok is false when err is anything else, which the
// error page answers.
func (s *Server) formProblems(c *fiber.Ctx, err error, fields []string) (map[string]string, []fieldProblem, bool) {
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	l, msgs := s.lang(c), map[string]string{}
	for _, x := range list {
		e, ok := errs.As(x)
		if !ok || e.Kind != errs.Invalid {
			return nil, nil, false
		}
		if _, seen := msgs[e.Field]; !seen {
			msgs[e.Field] = l.T(e.MessageID(), e.Args()...)
		}
	}
	var out []fieldProblem
	for _, f := range fields {
		if m, ok := msgs[f]; ok {
			out = append(out, fieldProblem{Field: f, Message: m})
		}
	}
	c.Status(fiber.StatusBadRequest)
	return msgs, out, true
}

// mentorStartup is one of a mentor's startups with its sessions and form.
type mentorStartup struct {
	boardStartup
	Sessions []sessionView
	Form     sessionForm
}

func (s *Server) mentorPage(c *fiber.Ctx) error { return s.renderMentor(c, "", sessionForm{}) }

// renderMentor shows the mentor's startups; failed is the startup whose
// form comes back with f.
func (s *Server) renderMentor(c *fiber.Ctx, failed string, f sessionForm) error {
	me := *currentUser(c)
	list, err := s.Incubator.MentorStartups(c.UserContext(), me)
	if err != nil {
		return err
	}
	mentors, err := s.mentorAccounts(c)
	if err != nil {
		return err
	}
	l, who := s.lang(c), names(mentors)
	today := s.Clock.Now().In(vn.Zone).Format("2006-01-02")
	var out []mentorStartup
	for _, b := range s.boardStartups(c, list, nil) {
		sessions, err := s.Incubator.MentorSessions(c.UserContext(), me, b.Application.ID)
		if err != nil {
			return err
		}
		m := mentorStartup{boardStartup: b, Sessions: sessionViews(l, who, sessions),
			Form: sessionForm{form: form{Values: map[string]string{"date": today}}}}
		if b.Application.ID == failed {
			m.Form = f
		}
		out = append(out, m)
	}
	return s.render(c, "cohorts/mentor", "cohorts.mentor_title", fiber.Map{"Startups": out, "Today": today})
}

// sessionLog records a session from the mentor's page; another mentor's
// startup is 403.
func (s *Server) sessionLog(c *fiber.Ctx) error {
	values := formValues(c, sessionFields...)
	in := incubator.SessionInput{Date: values["date"], Topics: values["topics"], NextSteps: values["next_steps"],
		PrivateNote: values["private_note"]}
	_, err := s.Incubator.LogSession(c.UserContext(), *currentUser(c), c.Params("app"), in)
	if err == nil {
		return s.redirectFlash(c, "/mentor#s-"+c.Params("app"), "ok", "flash.session_logged")
	}
	msgs, problems, ok := s.formProblems(c, err, sessionFields)
	if !ok {
		return err
	}
	return s.renderMentor(c, c.Params("app"), sessionForm{form: form{Values: values, Errors: msgs}, Problems: problems})
}

// activityRow is a cohort startup's line in the organizers' mentoring table.
type activityRow struct {
	Name, Last string
	Count      int
}

// cohortActivity is the organizers' view of a cohort's mentoring, and each
// startup's sessions with their private notes.
func (s *Server) cohortActivity(c *fiber.Ctx, cohortID string, mentors []accounts.User) ([]activityRow, []string, map[string][]sessionView, error) {
	act, err := s.Incubator.CohortActivity(c.UserContext(), cohortID)
	if err != nil {
		return nil, nil, nil, err
	}
	l, who := s.lang(c), names(mentors)
	rows := make([]activityRow, 0, len(act.Startups))
	sessions := map[string][]sessionView{}
	for _, st := range act.Startups {
		rows = append(rows, activityRow{Name: st.Application.StartupName, Count: len(st.Sessions), Last: dayIn(l, st.Last)})
		sessions[st.Application.ID] = sessionViews(l, who, st.Sessions)
	}
	idle := make([]string, 0, len(act.Idle))
	for _, id := range act.Idle {
		// A mentor whose role was since taken away is still named, by id.
		name := who[id]
		if name == "" {
			name = id
		}
		idle = append(idle, name)
	}
	return rows, idle, sessions, nil
}
