package web

import (
	"context"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/certification"
	"sprout/internal/incubator"
	"sprout/internal/staffing"
)

func (s *Server) homeRoutes(app *fiber.App) {
	app.Get("/me", s.pageRequire(), s.myWork)
}

// workPage holds one block per role the user has; a block left nil is a
// role they do not have.
type workPage struct {
	Now       time.Time
	Founder   *incubator.FounderWork
	Reviewer  *reviewerWork
	Organizer *incubator.OrganizerWork
	Mentor    []incubator.MentorStartup
	IsMentor  bool
	Staff     []staffing.Duty
	IsStaff   bool
	Officer   *officerWork
	// Month names the month whose report is due, as people read it.
	Month string
}

type reviewerWork struct {
	Todo []reviewItem
	Done []incubator.Assignment
}

// reviewItem is an application to review and when its review is due.
type reviewItem struct {
	incubator.Assignment
	Due time.Time
}

// myWork is each signed-in user's home: what every role of theirs has to
// do now, with a link to do it.
func (s *Server) myWork(c *fiber.Ctx) error {
	ctx, u, now := c.UserContext(), *currentUser(c), s.Clock.Now()
	w := workPage{Now: now, Month: monthLabel(s.lang(c).Code, incubator.DueMonth(now))}
	if u.Has(accounts.RoleFounder) {
		f, err := s.Incubator.FounderWork(ctx, u, now)
		if err != nil {
			return err
		}
		w.Founder = &f
	}
	if u.Has(accounts.RoleReviewer) {
		list, _, err := s.Incubator.Queue(ctx, u)
		if err != nil {
			return err
		}
		r := &reviewerWork{}
		for _, a := range list {
			if a.Review == nil {
				r.Todo = append(r.Todo, reviewItem{Assignment: a, Due: a.Program.ReviewDue()})
			} else {
				r.Done = append(r.Done, a)
			}
		}
		w.Reviewer = r
	}
	if u.Has(organizerRoles...) {
		o, err := s.Incubator.OrganizerWork(ctx, now)
		if err != nil {
			return err
		}
		w.Organizer = &o
	}
	if w.IsMentor = u.Has(accounts.RoleMentor); w.IsMentor {
		var err error
		if w.Mentor, err = s.Incubator.MentorWork(ctx, u, now); err != nil {
			return err
		}
	}
	if u.Has(accounts.RoleOfficer, accounts.RoleAdmin) {
		o, err := s.officerWork(ctx)
		if err != nil {
			return err
		}
		w.Officer = &o
	}
	if w.IsStaff = u.Has(accounts.RoleStaff); w.IsStaff {
		duties, err := s.Staffing.Duties(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, d := range duties {
			if d.Event.EndsAt.After(now) {
				w.Staff = append(w.Staff, d)
			}
		}
	}
	return s.render(c, "home/work", "work.title", w)
}

// monthLabel writes a 2006-01 month as "11/2026" in Vietnamese and
// "Nov 2026" in English.
func monthLabel(lang, month string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	if lang == "en" {
		return m.Format("Jan 2006")
	}
	return m.Format("1/2006")
}

// officerWork is a department officer's part of My work: the dossiers
// waiting for their completeness check, and those under appraisal with the
// soonest decision first.
type officerWork struct {
	ToCheck   []officerRow
	Appraisal []officerRow
}

func (s *Server) officerWork(ctx context.Context) (officerWork, error) {
	var w officerWork
	check, _, _, err := s.officerList(ctx, certification.Query{Stages: []certification.Stage{certification.Submitted}, Limit: 100})
	if err != nil {
		return w, err
	}
	appraisal, _, _, err := s.officerList(ctx, certification.Query{Stages: []certification.Stage{certification.Appraisal}, Limit: 100})
	if err != nil {
		return w, err
	}
	slices.SortStableFunc(check, func(a, b officerRow) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	slices.SortStableFunc(appraisal, func(a, b officerRow) int { return a.DueAt.Compare(b.DueAt) })
	w.ToCheck, w.Appraisal = check, appraisal
	return w, nil
}
