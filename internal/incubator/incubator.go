// Package incubator holds incubation programmes: their calls and forms,
// founders' applications, reviews, decisions and cohorts.
package incubator

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Kind is the kind of answer a question takes.
type Kind string

const (
	KindText     Kind = "text"
	KindLongText Kind = "long_text"
	KindNumber   Kind = "number"
	KindURL      Kind = "url"
	KindChoice   Kind = "choice"
	KindFile     Kind = "file"
)

// Question is one field of a programme's application form.
type Question struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Kind     Kind     `json:"kind"`
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
	Help     string   `json:"help,omitempty"`
	// The English texts, shown on English pages when given. OptionsEN
	// names Options in the same order; answers keep the Vietnamese option.
	LabelEN   string   `json:"label_en,omitempty"`
	HelpEN    string   `json:"help_en,omitempty"`
	OptionsEN []string `json:"options_en,omitempty"`
	// Removed questions stay with the programme so that the answers given
	// to them before stay readable; founders no longer see them.
	Removed bool `json:"removed,omitempty"`
}

// Criterion is one thing reviewers score, from 1 to 5, with its weight.
type Criterion struct {
	ID     string  `json:"id"`
	Label  string  `json:"label"`
	Weight float64 `json:"weight"`
	// Anchors say what a 1, a 3 and a 5 mean, keyed by the score.
	Anchors map[string]string `json:"anchors,omitempty"`
	// LabelEN and AnchorsEN are the English texts, shown when given.
	LabelEN   string            `json:"label_en,omitempty"`
	AnchorsEN map[string]string `json:"anchors_en,omitempty"`
}

// Program is a call for applications.
type Program struct {
	ID            string      `json:"id"`
	Slug          string      `json:"slug"`
	Title         string      `json:"title"`
	TitleEN       string      `json:"title_en,omitempty"`
	Description   string      `json:"description,omitempty"`
	DescriptionEN string      `json:"description_en,omitempty"`
	Eligibility   string      `json:"eligibility,omitempty"`
	OpensAt       time.Time   `json:"opens_at"`
	ClosesAt      time.Time   `json:"closes_at"`
	Questions     []Question  `json:"questions"`
	Criteria      []Criterion `json:"criteria"`
	// Blind hides founders' identities from reviewers.
	Blind bool `json:"blind"`
	// ReviewDeadline, when set, is when reviews are due: reviewers are
	// reminded three days before and the late ones shown after.
	ReviewDeadline time.Time `json:"review_deadline,omitzero"`
	// CriteriaVersion counts the changes to how applications are scored,
	// so a review is kept only if scored against the criteria in force.
	CriteriaVersion int       `json:"criteria_version"`
	CreatedBy       string    `json:"created_by,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	// Internal programmes serve the department's own appraisals: they are
	// reviewed like any other but never listed as public calls, and their
	// decisions are not mailed. Set at creation, never changed.
	Internal bool `json:"internal,omitempty"`
}

// ErrReviewed is a store refusing to change the criteria of a programme
// someone has reviewed.
var ErrReviewed = errors.New("the programme has reviews")

// Open tells whether at is inside the call.
func (p Program) Open(at time.Time) bool { return !at.Before(p.OpensAt) && at.Before(p.ClosesAt) }

// ReviewDue is when reviews are due: the review deadline, or the call's
// close when the programme sets none.
func (p Program) ReviewDue() time.Time {
	if !p.ReviewDeadline.IsZero() {
		return p.ReviewDeadline
	}
	return p.ClosesAt
}

// Status is where an application stands.
type Status string

const (
	Draft      Status = "draft"
	Submitted  Status = "submitted"
	InReview   Status = "in_review"
	Interview  Status = "interview"
	Accepted   Status = "accepted"
	Rejected   Status = "rejected"
	Waitlisted Status = "waitlisted"
	Withdrawn  Status = "withdrawn"
)

// Application is a founder's application to a programme.
type Application struct {
	ID          string                     `json:"id"`
	ProgramID   string                     `json:"program_id"`
	FounderID   string                     `json:"founder_id,omitempty"`
	StartupName string                     `json:"startup_name"`
	Answers     map[string]json.RawMessage `json:"answers"`
	Status      Status                     `json:"status"`
	// Version grows with every change, so an older copy cannot overwrite a
	// newer one.
	Version      int       `json:"version"`
	CohortID     string    `json:"cohort_id,omitempty"`
	DecisionNote string    `json:"decision_note,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	SubmittedAt  time.Time `json:"submitted_at,omitzero"`
	DecidedAt    time.Time `json:"decided_at,omitzero"`
}

// Review is one reviewer's scores of one application.
type Review struct {
	ApplicationID string         `json:"application_id"`
	ReviewerID    string         `json:"reviewer_id"`
	Scores        map[string]int `json:"scores"`
	Comment       string         `json:"comment"`
	// Conflict declares a conflict of interest: the review does not count.
	Conflict  bool      `json:"conflict_of_interest"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Cohort is a group of accepted startups going through a programme.
type Cohort struct {
	ID        string    `json:"id"`
	ProgramID string    `json:"program_id"`
	Name      string    `json:"name"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	CreatedAt time.Time `json:"created_at"`
}

// AppQuery selects a programme's applications.
type AppQuery struct {
	ProgramID string
	// Statuses keeps only these; empty keeps all.
	Statuses      []Status
	Offset, Limit int
}

// Store is what the incubator needs from storage. Every change that must
// not be lost to a concurrent one is a single guarded step.
type Store interface {
	CreateProgram(ctx context.Context, p Program) error
	// UpdateProgram replaces everything of the stored programme p.ID but
	// its creator and creation time; an unknown id is errs.NotFound, a
	// slug taken by another is errs.Conflict. It writes only over the
	// criteria p was read with (p.CriteriaVersion), errs.Stale otherwise;
	// with rescored the version moves on by one, and a programme with a
	// review is ErrReviewed, in the same step.
	UpdateProgram(ctx context.Context, p Program, rescored bool) error
	// MarkReviewReminded records that a reviewer was reminded of a
	// programme's review deadline; only the first call answers true.
	MarkReviewReminded(ctx context.Context, programID, reviewerID string) (bool, error)
	Program(ctx context.Context, id string) (Program, error)
	ProgramBySlug(ctx context.Context, slug string) (Program, error)
	// Programs lists programmes by closing time, soonest first.
	Programs(ctx context.Context, offset, limit int) ([]Program, int, error)

	// CreateApplication stores a; a founder's second application to the
	// same programme is errs.Conflict.
	CreateApplication(ctx context.Context, a Application) error
	Application(ctx context.Context, id string) (Application, error)
	// UpdateApplication writes a's name and answers when the stored version
	// is a.Version-1, and errs.Stale otherwise, changing nothing.
	UpdateApplication(ctx context.Context, a Application) error
	// SetStatus moves an application to a.Status (with its dates, cohort
	// and note) only from one of the statuses in from; otherwise
	// errs.Conflict.
	SetStatus(ctx context.Context, a Application, from []Status) error
	// Applications returns one page, oldest first, and the total.
	Applications(ctx context.Context, q AppQuery) ([]Application, int, error)
	FounderApplications(ctx context.Context, founderID string) ([]Application, error)

	AssignReviewer(ctx context.Context, applicationID, reviewerID string, at time.Time) error
	Reviewers(ctx context.Context, applicationID string) ([]string, error)
	// ReviewerApplications lists the applications assigned to a reviewer.
	ReviewerApplications(ctx context.Context, reviewerID string) ([]Application, error)
	// PutReview stores a reviewer's review, replacing an earlier one,
	// while the programme's criteria are still at version criteria;
	// errs.Stale otherwise, changing nothing.
	PutReview(ctx context.Context, r Review, criteria int) error
	Reviews(ctx context.Context, applicationID string) ([]Review, error)
	// ProgramReviews lists every review of a programme's applications.
	ProgramReviews(ctx context.Context, programID string) ([]Review, error)

	CreateCohort(ctx context.Context, c Cohort) error
	Cohort(ctx context.Context, id string) (Cohort, error)

	CohortStore
	SessionStore
}
