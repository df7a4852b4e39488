package incubator

import (
	"context"
	"time"
)

// MilestoneStatus is how far a startup is with a milestone.
type MilestoneStatus string

const (
	MilestoneTodo  MilestoneStatus = "todo"
	MilestoneDoing MilestoneStatus = "doing"
	MilestoneDone  MilestoneStatus = "done"
	MilestoneLate  MilestoneStatus = "late"
)

// MilestoneStatuses are the statuses an organizer picks from.
var MilestoneStatuses = []MilestoneStatus{MilestoneTodo, MilestoneDoing, MilestoneDone, MilestoneLate}

// Milestone is something a cohort startup is expected to reach by a date.
type Milestone struct {
	ID            string          `json:"id"`
	ApplicationID string          `json:"application_id"`
	Title         string          `json:"title"`
	Due           time.Time       `json:"due"`
	Status        MilestoneStatus `json:"status"`
	CreatedAt     time.Time       `json:"created_at"`
}

// Shown is the status people see: a milestone past its date and not done
// is late whatever was last set, so nobody has to mark it by hand.
func (m Milestone) Shown(at time.Time) MilestoneStatus {
	if m.Status != MilestoneDone && !m.Due.IsZero() && at.After(m.Due) {
		return MilestoneLate
	}
	return m.Status
}

// Report is a cohort startup's figures for one month. Money is in VND.
type Report struct {
	ApplicationID string `json:"application_id"`
	// Month is written 2006-01, in Vietnam's calendar.
	Month      string    `json:"month"`
	Revenue    int64     `json:"revenue"`
	Users      int64     `json:"users"`
	Staff      int64     `json:"staff"`
	Funding    int64     `json:"funding_raised"`
	Highlights string    `json:"highlights"`
	FiledBy    string    `json:"filed_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Profile is a cohort startup's public page in the directory.
type Profile struct {
	ApplicationID string    `json:"application_id"`
	Name          string    `json:"name"`
	Sector        string    `json:"sector"`
	Stage         string    `json:"stage"`
	Pitch         string    `json:"pitch"`
	LogoID        string    `json:"logo_id,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// CohortStore is what cohorts need from storage, beside Store.
type CohortStore interface {
	// Cohorts lists every cohort, the latest start first.
	Cohorts(ctx context.Context) ([]Cohort, error)
	// CohortApplications lists the accepted applications of a cohort,
	// oldest first.
	CohortApplications(ctx context.Context, cohortID string) ([]Application, error)

	// AssignMentor adds a mentor to a startup; assigning twice is no error.
	AssignMentor(ctx context.Context, applicationID, mentorID string, at time.Time) error
	Mentors(ctx context.Context, applicationID string) ([]string, error)
	MentorApplications(ctx context.Context, mentorID string) ([]Application, error)

	// PutMilestone creates or replaces a milestone by id.
	PutMilestone(ctx context.Context, m Milestone) error
	// Milestones lists a startup's milestones by due date.
	Milestones(ctx context.Context, applicationID string) ([]Milestone, error)

	// CreateReport stores a month's report; a second one for the same
	// startup and month is errs.Conflict.
	CreateReport(ctx context.Context, r Report) error
	// UpdateReport replaces the figures of a stored report; an unknown one
	// is errs.NotFound.
	UpdateReport(ctx context.Context, r Report) error
	// Reports lists a startup's reports by month.
	Reports(ctx context.Context, applicationID string) ([]Report, error)
	// MarkReminded records that a startup was reminded of a month's report
	// and tells whether it was the first time, in one step, so that two
	// sweeps never both send the reminder.
	MarkReminded(ctx context.Context, applicationID, month string) (bool, error)

	// PutProfile creates or replaces a startup's public profile.
	PutProfile(ctx context.Context, p Profile) error
	// Profile is errs.NotFound until one is put.
	Profile(ctx context.Context, applicationID string) (Profile, error)
	// Profiles lists every profile by name.
	Profiles(ctx context.Context) ([]Profile, error)
}
