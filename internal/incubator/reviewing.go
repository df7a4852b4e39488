package incubator

import (
	"context"
	"slices"

	"sprout/internal/accounts"
	"sprout/internal/errs"
)

// Assignment is an application in a reviewer's queue, with the reviewer's
// own review once they gave one.
type Assignment struct {
	Application Application
	Program     Program
	Review      *Review
}

// Queue lists the applications given to a reviewer that can be reviewed,
// in the order they were given, and how many of them the reviewer has
// finished (scored or declared a conflict on). In a blind programme the
// founder is left out.
func (s *Service) Queue(ctx context.Context, reviewer accounts.User) (list []Assignment, done int, err error) {
	apps, err := s.store.ReviewerApplications(ctx, reviewer.ID)
	if err != nil {
		return nil, 0, err
	}
	programs := map[string]Program{}
	for _, a := range apps {
		if !slices.Contains(Reviewable, a.Status) {
			continue
		}
		p, ok := programs[a.ProgramID]
		if !ok {
			if p, err = s.store.Program(ctx, a.ProgramID); err != nil {
				return nil, 0, err
			}
			programs[a.ProgramID] = p
		}
		if p.Blind {
			a.FounderID = ""
		}
		as := Assignment{Application: a, Program: p}
		if as.Review, err = s.reviewBy(ctx, a.ID, reviewer.ID); err != nil {
			return nil, 0, err
		}
		if as.Review != nil {
			done++
		}
		list = append(list, as)
	}
	return list, done, nil
}

func (s *Service) reviewBy(ctx context.Context, applicationID, reviewerID string) (*Review, error) {
	reviews, err := s.store.Reviews(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(reviews, func(r Review) bool { return r.ReviewerID == reviewerID }); i >= 0 {
		return &reviews[i], nil
	}
	return nil, nil
}

// ReviewSheet finds what a reviewer needs to review one application given
// to them: the application (without its founder in a blind programme), its
// programme and their review so far. Anyone not on the application gets
// errs.NotFound.
func (s *Service) ReviewSheet(ctx context.Context, reviewer accounts.User, id string) (Assignment, error) {
	reviewers, err := s.store.Reviewers(ctx, id)
	if err != nil {
		return Assignment{}, err
	}
	if !slices.Contains(reviewers, reviewer.ID) {
		return Assignment{}, errs.ErrNotFound
	}
	a, err := s.View(ctx, reviewer, id)
	if err != nil {
		return Assignment{}, err
	}
	if !slices.Contains(Reviewable, a.Status) {
		return Assignment{}, errs.ErrNotFound
	}
	as := Assignment{Application: a}
	if as.Program, err = s.store.Program(ctx, a.ProgramID); err != nil {
		return Assignment{}, err
	}
	if as.Program.Blind {
		as.Application.FounderID = ""
	}
	as.Review, err = s.reviewBy(ctx, id, reviewer.ID)
	return as, err
}

// Programs lists programmes by closing time, soonest first.
func (s *Service) Programs(ctx context.Context, offset, limit int) ([]Program, int, error) {
	return s.store.Programs(ctx, offset, limit)
}

// Dossier is an application as its organizers see it: with its panel and
// every review.
type Dossier struct {
	Program Program
	Panel   Panel
	Reviews []Review
}

// Dossier finds an application of a programme for its organizers; one of
// another programme is errs.NotFound, so a forged link cannot reach it.
func (s *Service) Dossier(ctx context.Context, programID, id string) (Dossier, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return Dossier{}, err
	}
	if a.ProgramID != programID {
		return Dossier{}, errs.ErrNotFound
	}
	d := Dossier{Panel: Panel{Application: a}}
	if d.Program, err = s.store.Program(ctx, programID); err != nil {
		return Dossier{}, err
	}
	if d.Panel.Reviewers, err = s.store.Reviewers(ctx, id); err != nil {
		return Dossier{}, err
	}
	if d.Reviews, err = s.store.Reviews(ctx, id); err != nil {
		return Dossier{}, err
	}
	for _, r := range d.Reviews {
		if r.Conflict {
			d.Panel.Conflicts = append(d.Panel.Conflicts, r.ReviewerID)
		} else {
			d.Panel.Reviewed = append(d.Panel.Reviewed, r.ReviewerID)
		}
	}
	return d, nil
}

// DecideAll takes one decision on applications of a programme, with the
// same note to every founder. It stops at the first refusal and returns
// how many it decided; an application of another programme is
// errs.NotFound.
func (s *Service) DecideAll(ctx context.Context, programID string, ids []string, decision Status, cohortID, note string) (int, error) {
	if !slices.Contains(Decisions, decision) {
		return 0, field("decision", "error.decision_invalid")
	}
	if len(ids) == 0 {
		return 0, field("ids", "error.nothing_selected")
	}
	for i, id := range ids {
		a, err := s.store.Application(ctx, id)
		if err == nil && a.ProgramID != programID {
			err = errs.ErrNotFound
		}
		if err == nil {
			_, err = s.Decide(ctx, id, decision, cohortFor(decision, cohortID), note)
		}
		if err != nil {
			if errs.KindOf(err) == errs.Conflict {
				return i, errs.New(errs.Conflict, "error.status_change")
			}
			return i, err
		}
	}
	return len(ids), nil
}

// cohortFor keeps the cohort only for an acceptance: a startup joins a
// cohort when it is accepted, never when it is turned down.
func cohortFor(decision Status, cohortID string) string {
	if decision != Accepted {
		return ""
	}
	return cohortID
}
