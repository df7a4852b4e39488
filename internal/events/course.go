package events

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sprout/internal/errs"
)

// Course makes an event a training of several sessions: people register
// once, as for any event, and complete it by attending enough sessions.
type Course struct {
	Enabled bool `json:"course"`
	// MinPercent is the share of the sessions, 0 to 100, a participant
	// must attend to complete the course.
	MinPercent int `json:"min_percent"`
	// Required names sessions a participant must attend whatever the
	// percent.
	Required []string `json:"required_sessions"`
	// SignerName and SignerTitle sign its certificates, such as "Nguyễn
	// Văn An", "Giám đốc Trung tâm".
	SignerName  string `json:"signer_name"`
	SignerTitle string `json:"signer_title"`
	// AutoIssue issues the certificates when the last session ends.
	AutoIssue bool `json:"auto_issue"`
	// CertsIssuedAt is when certificates were last issued to those who
	// completed it; changing the rule keeps it.
	CertsIssuedAt time.Time `json:"certs_issued_at,omitzero"`
}

// Unset reports whether the event never was a course: nothing set.
func (c Course) Unset() bool {
	return !c.Enabled && c.MinPercent == 0 && len(c.Required) == 0 && c.SignerName == "" && c.SignerTitle == "" &&
		!c.AutoIssue && c.CertsIssuedAt.IsZero()
}

// MaxSigner bounds a signer's name and title.
const MaxSigner = 200

// Hours is how long the session lasts, in hours.
func (a AgendaItem) Hours() float64 { return a.EndsAt.Sub(a.StartsAt).Hours() }

// CourseHours is how long the sessions of a course last together.
func CourseHours(agenda []AgendaItem) float64 {
	var h float64
	for _, a := range agenda {
		h += a.Hours()
	}
	return h
}

// Completed applies the course's rule to the sessions a participant
// attended: at least MinPercent of agenda's sessions, and every required
// one still in the agenda. A course without sessions is completed by
// nobody.
func (c Course) Completed(agenda []AgendaItem, attended map[string]bool) bool {
	if len(agenda) == 0 {
		return false
	}
	n := 0
	for _, a := range agenda {
		if attended[a.ID] {
			n++
		}
	}
	if n*100 < c.MinPercent*len(agenda) {
		return false
	}
	for _, id := range c.Required {
		if !attended[id] && slices.ContainsFunc(agenda, func(a AgendaItem) bool { return a.ID == id }) {
			return false
		}
	}
	return true
}

// checkCourse collects every mistake at once: a percent outside 0–100, a
// required session not in the agenda, a course with no session.
func checkCourse(c Course, agenda []AgendaItem) (Course, error) {
	var problems []error
	if c.MinPercent < 0 || c.MinPercent > 100 {
		problems = append(problems, errs.Field("min_percent", "error.course_percent"))
	}
	if c.Enabled && len(agenda) == 0 {
		problems = append(problems, errs.Field("course", "error.course_no_sessions"))
	}
	required := []string{}
	for _, id := range c.Required {
		if slices.Contains(required, id) {
			continue
		}
		if !slices.ContainsFunc(agenda, func(a AgendaItem) bool { return a.ID == id }) {
			problems = append(problems, errs.Field("required_sessions", "error.course_session_unknown"))
			break
		}
		required = append(required, id)
	}
	c.Required = required
	for field, v := range map[string]*string{"signer_name": &c.SignerName, "signer_title": &c.SignerTitle} {
		*v = strings.Join(strings.Fields(*v), " ")
		if utf8.RuneCountInString(*v) > MaxSigner {
			problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.text_long", Field: field, Data: map[string]any{"Max": MaxSigner}})
		}
	}
	return c, errors.Join(problems...)
}

// SetCourse makes the event a course, or no longer one, with its
// completion rule, every mistake reported at once.
func (s *Service) SetCourse(ctx context.Context, eventID string, c Course) (Course, error) {
	e, err := s.store.EventByID(ctx, eventID)
	if err != nil {
		return Course{}, err
	}
	agenda, err := s.store.Agenda(ctx, eventID)
	if err != nil {
		return Course{}, err
	}
	if c, err = checkCourse(c, agenda); err != nil {
		return Course{}, err
	}
	c.CertsIssuedAt = e.Course.CertsIssuedAt
	return c, s.store.SetEventCourse(ctx, eventID, c, s.now())
}

// CertsIssued records when the course's certificates were issued, so
// that issuing them when the course ends happens once.
func (s *Service) CertsIssued(ctx context.Context, eventID string, at time.Time) error {
	e, err := s.store.EventByID(ctx, eventID)
	if err != nil {
		return err
	}
	e.Course.CertsIssuedAt = at.UTC()
	return s.store.SetEventCourse(ctx, eventID, e.Course, s.now())
}

// Ends is when the course's last session ends; zero without sessions.
func Ends(agenda []AgendaItem) time.Time {
	var end time.Time
	for _, a := range agenda {
		if a.EndsAt.After(end) {
			end = a.EndsAt
		}
	}
	return end
}
