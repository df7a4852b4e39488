package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"sprout/internal/errs"
	"sprout/internal/incubator"
)

var _ incubator.Store = (*Store)(nil)

const programCols = `id, slug, title, title_en, description, description_en, eligibility, opens_at, closes_at, questions,
	criteria, blind, created_by, created_at, review_deadline, criteria_version, internal`

func scanProgram(row interface{ Scan(...any) error }) (incubator.Program, error) {
	var p incubator.Program
	var opens, closes, created, deadline int64
	var qs, cs []byte
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.TitleEN, &p.Description, &p.DescriptionEN, &p.Eligibility, &opens, &closes,
		&qs, &cs, &p.Blind, &p.CreatedBy, &created, &deadline, &p.CriteriaVersion, &p.Internal)
	if err != nil {
		return p, translate(err)
	}
	p.OpensAt, p.ClosesAt, p.CreatedAt, p.ReviewDeadline = fromMs(opens), fromMs(closes), fromMs(created), fromMs(deadline)
	if err := json.Unmarshal(qs, &p.Questions); err != nil {
		return p, err
	}
	return p, json.Unmarshal(cs, &p.Criteria)
}

func programForms(p incubator.Program) (qs, cs []byte, err error) {
	if qs, err = json.Marshal(p.Questions); err != nil {
		return nil, nil, err
	}
	cs, err = json.Marshal(p.Criteria)
	return qs, cs, err
}

func (s *Store) CreateProgram(ctx context.Context, p incubator.Program) error {
	qs, cs, err := programForms(p)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO programs (`+programCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Slug, p.Title, p.TitleEN, p.Description, p.DescriptionEN, p.Eligibility, ms(p.OpensAt), ms(p.ClosesAt),
		qs, cs, p.Blind, p.CreatedBy, ms(p.CreatedAt), ms(p.ReviewDeadline), p.CriteriaVersion, p.Internal)
	return translate(err)
}

func (s *Store) UpdateProgram(ctx context.Context, p incubator.Program, rescored bool) error {
	qs, cs, err := programForms(p)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var version int
		var reviewed bool
		if err := s.txRow(ctx, tx, `SELECT criteria_version, EXISTS (SELECT 1 FROM reviews WHERE program_id = programs.id)
			FROM programs WHERE id = ?`, p.ID).Scan(&version, &reviewed); err != nil {
			return translate(err)
		}
		switch {
		case version != p.CriteriaVersion:
			return errs.Wrapf(errs.Stale, "program %s criteria are at version %d, not %d", p.ID, version, p.CriteriaVersion)
		case rescored && reviewed:
			return incubator.ErrReviewed
		case rescored:
			version++
		}
		_, err := s.txExec(ctx, tx, `UPDATE programs SET slug = ?, title = ?, title_en = ?, description = ?, description_en = ?,
			eligibility = ?, opens_at = ?, closes_at = ?, questions = ?, criteria = ?, blind = ?, review_deadline = ?,
			criteria_version = ? WHERE id = ?`,
			p.Slug, p.Title, p.TitleEN, p.Description, p.DescriptionEN, p.Eligibility, ms(p.OpensAt), ms(p.ClosesAt), qs, cs, p.Blind,
			ms(p.ReviewDeadline), version, p.ID)
		return translate(err)
	})
}

func (s *Store) MarkReviewReminded(ctx context.Context, programID, reviewerID string) (bool, error) {
	res, err := s.exec(ctx, `INSERT OR IGNORE INTO review_reminders (program_id, reviewer_id) VALUES (?, ?)`, programID, reviewerID)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) Program(ctx context.Context, id string) (incubator.Program, error) {
	return scanProgram(s.row(ctx, `SELECT `+programCols+` FROM programs WHERE id = ?`, id))
}

func (s *Store) ProgramBySlug(ctx context.Context, slug string) (incubator.Program, error) {
	return scanProgram(s.row(ctx, `SELECT `+programCols+` FROM programs WHERE slug = ?`, slug))
}

func (s *Store) Programs(ctx context.Context, offset, limit int) ([]incubator.Program, int, error) {
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM programs`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+programCols+` FROM programs ORDER BY closes_at, id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanProgram)
	return out, total, err
}

const applicationCols = `id, program_id, founder_id, startup_name, answers, status, version, cohort_id, decision_note,
	created_at, updated_at, submitted_at, decided_at`

func scanApplication(row interface{ Scan(...any) error }) (incubator.Application, error) {
	var a incubator.Application
	var answers []byte
	var status string
	var created, updated, submitted, decided int64
	err := row.Scan(&a.ID, &a.ProgramID, &a.FounderID, &a.StartupName, &answers, &status, &a.Version, &a.CohortID,
		&a.DecisionNote, &created, &updated, &submitted, &decided)
	if err != nil {
		return a, translate(err)
	}
	a.Status = incubator.Status(status)
	a.CreatedAt, a.UpdatedAt, a.SubmittedAt, a.DecidedAt = fromMs(created), fromMs(updated), fromMs(submitted), fromMs(decided)
	return a, json.Unmarshal(answers, &a.Answers)
}

func answersJSON(a incubator.Application) ([]byte, error) {
	if a.Answers == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(a.Answers)
}

func (s *Store) CreateApplication(ctx context.Context, a incubator.Application) error {
	answers, err := answersJSON(a)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO applications (`+applicationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.ProgramID, a.FounderID, a.StartupName, answers, string(a.Status), a.Version, a.CohortID, a.DecisionNote,
		ms(a.CreatedAt), ms(a.UpdatedAt), ms(a.SubmittedAt), ms(a.DecidedAt))
	return translate(err)
}

func (s *Store) Application(ctx context.Context, id string) (incubator.Application, error) {
	return scanApplication(s.row(ctx, `SELECT `+applicationCols+` FROM applications WHERE id = ?`, id))
}

func (s *Store) UpdateApplication(ctx context.Context, a incubator.Application) error {
	answers, err := answersJSON(a)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE applications SET startup_name = ?, answers = ?, version = ?, updated_at = ?
		WHERE id = ? AND version = ?`, a.StartupName, answers, a.Version, ms(a.UpdatedAt), a.ID, a.Version-1)
	if err := affected(res, err); !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	if _, err := s.Application(ctx, a.ID); err != nil {
		return err
	}
	return errs.New(errs.Stale, "error.stale")
}

func (s *Store) SetStatus(ctx context.Context, a incubator.Application, from []incubator.Status) error {
	if len(from) == 0 {
		return errs.New(errs.Conflict, "error.status_change")
	}
	args := []any{string(a.Status), a.CohortID, a.DecisionNote, ms(a.UpdatedAt), ms(a.SubmittedAt), ms(a.DecidedAt), a.ID}
	for _, st := range from {
		args = append(args, string(st))
	}
	res, err := s.exec(ctx, `UPDATE applications SET status = ?, cohort_id = ?, decision_note = ?, updated_at = ?,
		submitted_at = ?, decided_at = ?, version = version + 1
		WHERE id = ? AND status IN (?`+strings.Repeat(", ?", len(from)-1)+`)`, args...)
	if err := affected(res, err); !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	if _, err := s.Application(ctx, a.ID); err != nil {
		return err
	}
	return errs.New(errs.Conflict, "error.status_change")
}

func (s *Store) Applications(ctx context.Context, q incubator.AppQuery) ([]incubator.Application, int, error) {
	cond, args := "program_id = ?", []any{q.ProgramID}
	if len(q.Statuses) > 0 {
		cond += " AND status IN (?" + strings.Repeat(", ?", len(q.Statuses)-1) + ")"
		for _, st := range q.Statuses {
			args = append(args, string(st))
		}
	}
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM applications WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+applicationCols+` FROM applications WHERE `+cond+` ORDER BY created_at, id LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanApplication)
	return out, total, err
}

func (s *Store) FounderApplications(ctx context.Context, founderID string) ([]incubator.Application, error) {
	rows, err := s.rows(ctx, `SELECT `+applicationCols+` FROM applications WHERE founder_id = ? ORDER BY created_at DESC, id DESC`, founderID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanApplication)
}

func (s *Store) AssignReviewer(ctx context.Context, applicationID, reviewerID string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT OR IGNORE INTO application_reviewers (application_id, reviewer_id, assigned_at) VALUES (?, ?, ?)`,
		applicationID, reviewerID, ms(at))
	return translate(err)
}

func (s *Store) Reviewers(ctx context.Context, applicationID string) ([]string, error) {
	rows, err := s.rows(ctx, `SELECT reviewer_id FROM application_reviewers WHERE application_id = ? ORDER BY assigned_at, reviewer_id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
}

func (s *Store) ReviewerApplications(ctx context.Context, reviewerID string) ([]incubator.Application, error) {
	rows, err := s.rows(ctx, `SELECT `+prefixed("a.", applicationCols)+` FROM applications a
		JOIN application_reviewers r ON r.application_id = a.id WHERE r.reviewer_id = ? ORDER BY r.assigned_at, a.id`, reviewerID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanApplication)
}

const reviewCols = `application_id, reviewer_id, scores, comment, conflict, created_at, updated_at`

func scanReview(row interface{ Scan(...any) error }) (incubator.Review, error) {
	var r incubator.Review
	var scores []byte
	var created, updated int64
	if err := row.Scan(&r.ApplicationID, &r.ReviewerID, &scores, &r.Comment, &r.Conflict, &created, &updated); err != nil {
		return r, translate(err)
	}
	r.CreatedAt, r.UpdatedAt = fromMs(created), fromMs(updated)
	return r, json.Unmarshal(scores, &r.Scores)
}

func (s *Store) PutReview(ctx context.Context, r incubator.Review, criteria int) error {
	scores, err := json.Marshal(r.Scores)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var programID string
		var version int
		if err := s.txRow(ctx, tx, `SELECT a.program_id, p.criteria_version FROM applications a JOIN programs p ON p.id = a.program_id
			WHERE a.id = ?`, r.ApplicationID).Scan(&programID, &version); err != nil {
			return translate(err)
		}
		if version != criteria {
			return errs.Wrapf(errs.Stale, "program %s criteria are at version %d, not %d", programID, version, criteria)
		}
		_, err := s.txExec(ctx, tx, `INSERT INTO reviews (application_id, program_id, reviewer_id, scores, comment, conflict, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (application_id, reviewer_id) DO UPDATE SET scores = excluded.scores, comment = excluded.comment,
				conflict = excluded.conflict, updated_at = excluded.updated_at`,
			r.ApplicationID, programID, r.ReviewerID, scores, r.Comment, r.Conflict, ms(r.CreatedAt), ms(r.UpdatedAt))
		return err
	})
}

func (s *Store) Reviews(ctx context.Context, applicationID string) ([]incubator.Review, error) {
	rows, err := s.rows(ctx, `SELECT `+reviewCols+` FROM reviews WHERE application_id = ? ORDER BY created_at, reviewer_id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanReview)
}

func (s *Store) ProgramReviews(ctx context.Context, programID string) ([]incubator.Review, error) {
	rows, err := s.rows(ctx, `SELECT `+reviewCols+` FROM reviews WHERE program_id = ? ORDER BY application_id, created_at`, programID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanReview)
}

func (s *Store) CreateCohort(ctx context.Context, c incubator.Cohort) error {
	_, err := s.exec(ctx, `INSERT INTO cohorts (id, program_id, name, starts_at, ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, c.ProgramID, c.Name, ms(c.StartsAt), ms(c.EndsAt), ms(c.CreatedAt))
	return translate(err)
}

func (s *Store) Cohort(ctx context.Context, id string) (incubator.Cohort, error) {
	var c incubator.Cohort
	var starts, ends, created int64
	err := s.row(ctx, `SELECT id, program_id, name, starts_at, ends_at, created_at FROM cohorts WHERE id = ?`, id).
		Scan(&c.ID, &c.ProgramID, &c.Name, &starts, &ends, &created)
	c.StartsAt, c.EndsAt, c.CreatedAt = fromMs(starts), fromMs(ends), fromMs(created)
	return c, translate(err)
}

// prefixed qualifies every column of a list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
