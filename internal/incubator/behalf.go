package incubator

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"sprout/internal/errs"
	"sprout/internal/ids"
)

// StandingProgram finds the programme of p.Slug, or creates it from p as
// an internal programme: the department's appraisals run in one such
// programme all year. Two instances creating it at once find the same.
func (s *Service) StandingProgram(ctx context.Context, p Program) (Program, error) {
	got, err := s.store.ProgramBySlug(ctx, p.Slug)
	if !errors.Is(err, errs.ErrNotFound) {
		return got, err
	}
	p.ID, p.Internal, p.CreatedAt = ids.New(), true, s.now()
	if err := s.store.CreateProgram(ctx, p); err != nil && errs.KindOf(err) != errs.Conflict {
		return Program{}, err
	}
	return s.store.ProgramBySlug(ctx, p.Slug)
}

// FileOnBehalf files a submitted application to an internal programme for
// someone who has no account in it (an enterprise whose dossier the
// council appraises), under id, so that filing again finds it. Its founder
// is a name of its own: nobody signs in as it, and the programme's one
// application per founder holds.
func (s *Service) FileOnBehalf(ctx context.Context, programID, id, name string, answers map[string]string) (Application, error) {
	if a, err := s.store.Application(ctx, id); !errors.Is(err, errs.ErrNotFound) {
		return a, err
	}
	p, err := s.store.Program(ctx, programID)
	if err != nil {
		return Application{}, err
	}
	if !p.Internal {
		return Application{}, errs.New(errs.Conflict, "error.program_not_internal")
	}
	now := s.now()
	a := Application{ID: id, ProgramID: programID, FounderID: behalfPrefix + id, StartupName: name,
		Answers: map[string]json.RawMessage{}, Status: Submitted, Version: 1, CreatedAt: now, UpdatedAt: now, SubmittedAt: now}
	for q, v := range answers {
		raw, err := json.Marshal(v)
		if err != nil {
			return Application{}, err
		}
		a.Answers[q] = raw
	}
	if err := s.store.CreateApplication(ctx, a); err != nil && errs.KindOf(err) != errs.Conflict {
		return Application{}, err
	}
	return s.store.Application(ctx, id)
}

// Appraisal is one application's programme, its scores (conflicts of
// interest counted apart) and its reviews.
func (s *Service) Appraisal(ctx context.Context, applicationID string) (Program, Scored, []Review, error) {
	a, err := s.store.Application(ctx, applicationID)
	if err != nil {
		return Program{}, Scored{}, nil, err
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Program{}, Scored{}, nil, err
	}
	reviews, err := s.store.Reviews(ctx, applicationID)
	if err != nil {
		return Program{}, Scored{}, nil, err
	}
	return p, Score(p.Criteria, []Application{a}, reviews)[0], reviews, nil
}

// behalfPrefix starts the founder id of an application filed on behalf of
// someone without an account of the incubator's, such as an enterprise
// under appraisal: one application per id, and no founder to look up.
const behalfPrefix = "behalf:"

// OnBehalf reports whether the application was filed on someone's behalf,
// so that it has no founder account.
func (a Application) OnBehalf() bool { return strings.HasPrefix(a.FounderID, behalfPrefix) }
