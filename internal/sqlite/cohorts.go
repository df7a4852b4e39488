package sqlite

import (
	"context"
	"time"

	"sprout/internal/incubator"
)

type scanner = interface{ Scan(...any) error }

func scanCohort(row scanner) (incubator.Cohort, error) {
	var c incubator.Cohort
	var starts, ends, created int64
	err := row.Scan(&c.ID, &c.ProgramID, &c.Name, &starts, &ends, &created)
	c.StartsAt, c.EndsAt, c.CreatedAt = fromMs(starts), fromMs(ends), fromMs(created)
	return c, translate(err)
}

func (s *Store) Cohorts(ctx context.Context) ([]incubator.Cohort, error) {
	rows, err := s.rows(ctx, `SELECT id, program_id, name, starts_at, ends_at, created_at FROM cohorts ORDER BY starts_at DESC, id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanCohort)
}

func (s *Store) CohortApplications(ctx context.Context, cohortID string) ([]incubator.Application, error) {
	rows, err := s.rows(ctx, `SELECT `+applicationCols+` FROM applications WHERE cohort_id = ? AND status = ? ORDER BY created_at, id`,
		cohortID, string(incubator.Accepted))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanApplication)
}

func (s *Store) AssignMentor(ctx context.Context, applicationID, mentorID string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT OR IGNORE INTO startup_mentors (application_id, mentor_id, assigned_at) VALUES (?, ?, ?)`,
		applicationID, mentorID, ms(at))
	return translate(err)
}

func (s *Store) Mentors(ctx context.Context, applicationID string) ([]string, error) {
	rows, err := s.rows(ctx, `SELECT mentor_id FROM startup_mentors WHERE application_id = ? ORDER BY assigned_at, mentor_id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
}

func (s *Store) MentorApplications(ctx context.Context, mentorID string) ([]incubator.Application, error) {
	rows, err := s.rows(ctx, `SELECT `+prefixed("a.", applicationCols)+` FROM applications a
		JOIN startup_mentors m ON m.application_id = a.id WHERE m.mentor_id = ? ORDER BY a.startup_name, a.id`, mentorID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanApplication)
}

func (s *Store) PutMilestone(ctx context.Context, m incubator.Milestone) error {
	_, err := s.exec(ctx, `INSERT INTO milestones (id, application_id, title, due, status, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, due = excluded.due, status = excluded.status`,
		m.ID, m.ApplicationID, m.Title, ms(m.Due), string(m.Status), ms(m.CreatedAt))
	return translate(err)
}

func (s *Store) Milestones(ctx context.Context, applicationID string) ([]incubator.Milestone, error) {
	rows, err := s.rows(ctx, `SELECT id, application_id, title, due, status, created_at FROM milestones
		WHERE application_id = ? ORDER BY due, id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (incubator.Milestone, error) {
		var m incubator.Milestone
		var due, created int64
		var status string
		err := r.Scan(&m.ID, &m.ApplicationID, &m.Title, &due, &status, &created)
		m.Due, m.CreatedAt, m.Status = fromMs(due), fromMs(created), incubator.MilestoneStatus(status)
		return m, err
	})
}

func (s *Store) CreateReport(ctx context.Context, r incubator.Report) error {
	_, err := s.exec(ctx, `INSERT INTO startup_reports (application_id, month, revenue, users, staff, funding, highlights, filed_by,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ApplicationID, r.Month, r.Revenue, r.Users, r.Staff, r.Funding, r.Highlights, r.FiledBy, ms(r.CreatedAt), ms(r.UpdatedAt))
	return translate(err)
}

func (s *Store) UpdateReport(ctx context.Context, r incubator.Report) error {
	res, err := s.exec(ctx, `UPDATE startup_reports SET revenue = ?, users = ?, staff = ?, funding = ?, highlights = ?, filed_by = ?,
		updated_at = ? WHERE application_id = ? AND month = ?`,
		r.Revenue, r.Users, r.Staff, r.Funding, r.Highlights, r.FiledBy, ms(r.UpdatedAt), r.ApplicationID, r.Month)
	return affected(res, err)
}

func (s *Store) Reports(ctx context.Context, applicationID string) ([]incubator.Report, error) {
	rows, err := s.rows(ctx, `SELECT application_id, month, revenue, users, staff, funding, highlights, filed_by, created_at, updated_at
		FROM startup_reports WHERE application_id = ? ORDER BY month`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) (incubator.Report, error) {
		var r incubator.Report
		var created, updated int64
		err := row.Scan(&r.ApplicationID, &r.Month, &r.Revenue, &r.Users, &r.Staff, &r.Funding, &r.Highlights, &r.FiledBy, &created, &updated)
		r.CreatedAt, r.UpdatedAt = fromMs(created), fromMs(updated)
		return r, err
	})
}

func (s *Store) MarkReminded(ctx context.Context, applicationID, month string) (bool, error) {
	res, err := s.exec(ctx, `INSERT OR IGNORE INTO report_reminders (application_id, month) VALUES (?, ?)`, applicationID, month)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const profileCols = `application_id, name, sector, stage, pitch, logo_id, updated_at`

func scanProfile(row scanner) (incubator.Profile, error) {
	var p incubator.Profile
	var updated int64
	err := row.Scan(&p.ApplicationID, &p.Name, &p.Sector, &p.Stage, &p.Pitch, &p.LogoID, &updated)
	p.UpdatedAt = fromMs(updated)
	return p, translate(err)
}

func (s *Store) PutProfile(ctx context.Context, p incubator.Profile) error {
	_, err := s.exec(ctx, `INSERT INTO startup_profiles (`+profileCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (application_id) DO UPDATE SET name = excluded.name, sector = excluded.sector, stage = excluded.stage,
			pitch = excluded.pitch, logo_id = excluded.logo_id, updated_at = excluded.updated_at`,
		p.ApplicationID, p.Name, p.Sector, p.Stage, p.Pitch, p.LogoID, ms(p.UpdatedAt))
	return translate(err)
}

func (s *Store) Profile(ctx context.Context, applicationID string) (incubator.Profile, error) {
	return scanProfile(s.row(ctx, `SELECT `+profileCols+` FROM startup_profiles WHERE application_id = ?`, applicationID))
}

func (s *Store) Profiles(ctx context.Context) ([]incubator.Profile, error) {
	rows, err := s.rows(ctx, `SELECT `+profileCols+` FROM startup_profiles ORDER BY name, application_id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanProfile)
}
