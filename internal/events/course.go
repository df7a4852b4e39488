package events

import (
	"context"
	"errors"
	"slices"

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
}

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
	return c, errors.Join(problems...)
}

// SetCourse makes the event a course, or no longer one, with its
// completion rule, every mistake reported at once.
func (s *Service) SetCourse(ctx context.Context, eventID string, c Course) (Course, error) {
	if _, err := s.store.EventByID(ctx, eventID); err != nil {
		return Course{}, err
	}
	agenda, err := s.store.Agenda(ctx, eventID)
	if err != nil {
		return Course{}, err
	}
	if c, err = checkCourse(c, agenda); err != nil {
		return Course{}, err
	}
	return c, s.store.SetEventCourse(ctx, eventID, c, s.now())
}
