package incubator

import (
	"context"
	"math"
	"slices"
	"sort"
	"time"

	"sprout/internal/accounts"
)

// Soon is how far ahead a call's closing shows on an organizer's work: two
// weeks leaves time to chase reviewers and late founders.
const Soon = 14 * 24 * time.Hour

// FounderWork is what a founder has to do now: their applications by
// where they stand, and the monthly reports their cohort startups owe.
type FounderWork struct {
	Drafts, Submitted, Decided []Application
	Programs                   map[string]Program
	// ReportsDue are the cohort startups without a report for Month.
	ReportsDue []Application
	Month      string
	// InCohort tells whether any of their startups is in a cohort, where
	// monthly reports are filed.
	InCohort bool
}

// FounderWork gathers a founder's work at a time.
func (s *Service) FounderWork(ctx context.Context, founder accounts.User, at time.Time) (FounderWork, error) {
	apps, programs, err := s.Mine(ctx, founder)
	if err != nil {
		return FounderWork{}, err
	}
	w := FounderWork{Programs: programs, Month: DueMonth(at)}
	for _, a := range apps {
		switch a.Status {
		case Draft:
			w.Drafts = append(w.Drafts, a)
		case Submitted, InReview, Interview:
			w.Submitted = append(w.Submitted, a)
		case Accepted, Rejected, Waitlisted:
			w.Decided = append(w.Decided, a)
		}
	}
	startups, err := s.FounderStartups(ctx, founder)
	if err != nil {
		return w, err
	}
	w.InCohort = len(startups) > 0
	for _, st := range startups {
		if !slices.ContainsFunc(st.Reports, func(r Report) bool { return r.Month == w.Month }) {
			w.ReportsDue = append(w.ReportsDue, st.Application)
		}
	}
	return w, nil
}

// CallWork is one programme as an organizer has to act on it.
type CallWork struct {
	Program Program
	// Unassigned applications have no reviewer; Unreviewed have reviewers
	// still to finish; Undecided are fully reviewed and wait for a
	// decision. Only undecided applications count.
	Unassigned, Unreviewed, Undecided int
}

// Pending tells whether anything in the call waits for the organizer.
func (c CallWork) Pending() bool { return c.Unassigned+c.Unreviewed+c.Undecided > 0 }

// CohortWork is a cohort whose startups owe the month's report.
type CohortWork struct {
	Cohort  Cohort
	Missing []Application
}

// OrganizerWork is what the organizers have to do now.
type OrganizerWork struct {
	// Closing are the open calls that close within Soon, soonest first.
	Closing []Program
	// Calls are the programmes with applications waiting on someone.
	Calls []CallWork
	// Cohorts are the cohorts running at the time with reports missing.
	Cohorts []CohortWork
	Month   string
}

// OrganizerWork gathers the organizers' work at a time.
func (s *Service) OrganizerWork(ctx context.Context, at time.Time) (OrganizerWork, error) {
	w := OrganizerWork{Month: DueMonth(at)}
	programs, _, err := s.store.Programs(ctx, 0, math.MaxInt32)
	if err != nil {
		return w, err
	}
	for _, p := range programs {
		if p.Open(at) && p.ClosesAt.Sub(at) <= Soon {
			w.Closing = append(w.Closing, p)
		}
		panels, err := s.Panels(ctx, p.ID, Undecided...)
		if err != nil {
			return w, err
		}
		cw := CallWork{Program: p}
		for _, pn := range panels {
			switch {
			case len(pn.Reviewers) == 0:
				cw.Unassigned++
			case len(pn.Reviewed)+len(pn.Conflicts) < len(pn.Reviewers):
				cw.Unreviewed++
			default:
				cw.Undecided++
			}
		}
		if cw.Pending() {
			w.Calls = append(w.Calls, cw)
		}
	}
	sort.SliceStable(w.Closing, func(i, j int) bool { return w.Closing[i].ClosesAt.Before(w.Closing[j].ClosesAt) })
	cohorts, err := s.store.Cohorts(ctx)
	if err != nil {
		return w, err
	}
	for _, c := range cohorts {
		if at.Before(c.StartsAt) || at.After(c.EndsAt) {
			continue
		}
		_, startups, err := s.CohortBoard(ctx, c.ID)
		if err != nil {
			return w, err
		}
		cw := CohortWork{Cohort: c}
		for _, st := range startups {
			if !slices.ContainsFunc(st.Reports, func(r Report) bool { return r.Month == w.Month }) {
				cw.Missing = append(cw.Missing, st.Application)
			}
		}
		if len(cw.Missing) > 0 {
			w.Cohorts = append(w.Cohorts, cw)
		}
	}
	return w, nil
}

// MentorStartup is a mentor's startup with its milestones past due.
type MentorStartup struct {
	Startup Startup
	Overdue []Milestone
}

// MentorWork lists a mentor's startups, each with its overdue milestones.
func (s *Service) MentorWork(ctx context.Context, mentor accounts.User, at time.Time) ([]MentorStartup, error) {
	list, err := s.MentorStartups(ctx, mentor)
	if err != nil {
		return nil, err
	}
	out := make([]MentorStartup, 0, len(list))
	for _, st := range list {
		ms := MentorStartup{Startup: st}
		for _, m := range st.Milestones {
			if m.Shown(at) == MilestoneLate {
				ms.Overdue = append(ms.Overdue, m)
			}
		}
		out = append(out, ms)
	}
	return out, nil
}
