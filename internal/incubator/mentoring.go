package incubator

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/vn"
)

// Session is a meeting a mentor had with a cohort startup. The founder sees
// everything but PrivateNote, which is for the organizers.
type Session struct {
	ID            string `json:"id"`
	ApplicationID string `json:"application_id"`
	MentorID      string `json:"mentor_id"`
	// Date is the day of the meeting, midnight in Vietnam.
	Date        time.Time `json:"date"`
	Topics      string    `json:"topics"`
	NextSteps   string    `json:"next_steps"`
	PrivateNote string    `json:"private_note,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// SharedSession is the part of a session its founder sees; a type of its
// own so that no page can show a founder the private note by mistake.
type SharedSession struct {
	ID        string    `json:"id"`
	MentorID  string    `json:"mentor_id"`
	Date      time.Time `json:"date"`
	Topics    string    `json:"topics"`
	NextSteps string    `json:"next_steps"`
}

// SessionStore is what mentoring needs from storage.
type SessionStore interface {
	// AddSession stores a session; an unknown application is errs.NotFound.
	AddSession(ctx context.Context, s Session) error
	// Sessions lists a startup's sessions, the latest meeting first.
	Sessions(ctx context.Context, applicationID string) ([]Session, error)
}

// SessionInput is a session as a mentor types it; Date is a day, 2006-01-02.
type SessionInput struct {
	Date, Topics, NextSteps, PrivateNote string
}

const dayLayout = "2006-01-02"

// check reads every field and reports every mistake at once, so the mentor
// corrects the form in one go.
func (in SessionInput) check(now time.Time) (Session, error) {
	var s Session
	var all []error
	day, err := time.ParseInLocation(dayLayout, strings.TrimSpace(in.Date), vn.Zone)
	switch {
	case strings.TrimSpace(in.Date) == "":
		all = append(all, field("date", "error.required"))
	case err != nil:
		all = append(all, field("date", "error.session_date"))
	case day.After(now):
		all = append(all, field("date", "error.session_future"))
	}
	s.Date = day
	for _, f := range []struct {
		name     string
		v        string
		to       *string
		required bool
	}{{"topics", in.Topics, &s.Topics, true}, {"next_steps", in.NextSteps, &s.NextSteps, false},
		{"private_note", in.PrivateNote, &s.PrivateNote, false}} {
		v, err := cleanText(f.name, f.v, maxSessionText, f.required)
		if err != nil {
			all = append(all, err)
		}
		*f.to = v
	}
	return s, errors.Join(all...)
}

const maxSessionText = 2000

// mentorOf is a cohort startup the mentor is assigned to: another mentor's
// startup is errs.Forbidden, one outside any cohort errs.NotFound.
func (s *Service) mentorOf(ctx context.Context, mentor accounts.User, id string) (Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Status != Accepted || a.CohortID == "" {
		return Application{}, errs.ErrNotFound
	}
	mentors, err := s.store.Mentors(ctx, a.ID)
	if err != nil {
		return a, err
	}
	if !slices.Contains(mentors, mentor.ID) {
		return Application{}, errs.New(errs.Forbidden, "error.not_your_startup")
	}
	return a, nil
}

// LogSession records a mentor's session with one of their startups.
func (s *Service) LogSession(ctx context.Context, mentor accounts.User, id string, in SessionInput) (Session, error) {
	a, err := s.mentorOf(ctx, mentor, id)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	out, err := in.check(now)
	if err != nil {
		return out, err
	}
	out.ID, out.ApplicationID, out.MentorID, out.CreatedAt = ids.New(), a.ID, mentor.ID, now
	return out, s.store.AddSession(ctx, out)
}

// MentorSessions lists the sessions of one of the mentor's startups, with
// the private notes, which the mentors of a startup share.
func (s *Service) MentorSessions(ctx context.Context, mentor accounts.User, id string) ([]Session, error) {
	a, err := s.mentorOf(ctx, mentor, id)
	if err != nil {
		return nil, err
	}
	return s.store.Sessions(ctx, a.ID)
}

// FounderSessions lists the shared part of the sessions with one of the
// founder's startups.
func (s *Service) FounderSessions(ctx context.Context, founder accounts.User, id string) ([]SharedSession, error) {
	a, err := s.founderStartup(ctx, founder, id)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Sessions(ctx, a.ID)
	out := make([]SharedSession, 0, len(list))
	for _, x := range list {
		out = append(out, SharedSession{ID: x.ID, MentorID: x.MentorID, Date: x.Date, Topics: x.Topics, NextSteps: x.NextSteps})
	}
	return out, err
}

// StartupActivity is how much a cohort startup was mentored.
type StartupActivity struct {
	Application Application
	Sessions    []Session
	// Last is the latest session's date, zero when there was none.
	Last time.Time
}

// Activity is a cohort's mentoring as organizers follow it.
type Activity struct {
	Startups []StartupActivity
	// Idle are the cohort's assigned mentors who logged no session with
	// any of their startups in it.
	Idle []string
}

// CohortActivity gathers the sessions of every startup of a cohort.
func (s *Service) CohortActivity(ctx context.Context, cohortID string) (Activity, error) {
	var out Activity
	c, err := s.store.Cohort(ctx, cohortID)
	if err != nil {
		return out, err
	}
	apps, err := s.store.CohortApplications(ctx, c.ID)
	if err != nil {
		return out, err
	}
	var assigned []string
	active := map[string]bool{}
	for _, a := range apps {
		ms, err := s.store.Mentors(ctx, a.ID)
		if err != nil {
			return out, err
		}
		for _, m := range ms {
			if !slices.Contains(assigned, m) {
				assigned = append(assigned, m)
			}
		}
		list, err := s.store.Sessions(ctx, a.ID)
		if err != nil {
			return out, err
		}
		st := StartupActivity{Application: a, Sessions: list}
		for _, x := range list {
			active[x.MentorID] = true
			if x.Date.After(st.Last) {
				st.Last = x.Date
			}
		}
		out.Startups = append(out.Startups, st)
	}
	for _, m := range assigned {
		if !active[m] {
			out.Idle = append(out.Idle, m)
		}
	}
	return out, nil
}
