package sqlite

import (
	"context"
	"time"

	"sprout/internal/impact"
)

var _ impact.Store = (*Store)(nil)

// vnYear is the year in Vietnam (UTC+7 without daylight saving since 1975)
// of a column holding Unix milliseconds.
func vnYear(col string) string {
	return `CAST(strftime('%Y', ` + col + ` / 1000, 'unixepoch', '+7 hours') AS INTEGER)`
}

// impactQuery is one figure: what it counts (a column to count distinct
// values of, or "*"), from which rows, and the column that dates each row.
type impactQuery struct {
	count, from, where, dated string
}

func (s *Store) impactCount(ctx context.Context, q impactQuery, args ...any) (impact.Count, error) {
	what := "count(*)"
	if q.count != "*" {
		what = "count(DISTINCT " + q.count + ")"
	}
	c := impact.Count{ByYear: map[int]int{}}
	if err := s.row(ctx, `SELECT `+what+` FROM `+q.from+` WHERE `+q.where, args...).Scan(&c.Total); err != nil {
		return impact.Count{}, err
	}
	rows, err := s.rows(ctx, `SELECT `+vnYear(q.dated)+` AS y, `+what+` FROM `+q.from+` WHERE `+q.where+
		` AND `+q.dated+` > 0 GROUP BY y`, args...)
	if err != nil {
		return impact.Count{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			return impact.Count{}, err
		}
		c.ByYear[y] = n
	}
	return c, rows.Err()
}

// ImpactCounts counts each figure with COUNT and GROUP BY over indexed
// columns; nothing is read row by row.
func (s *Store) ImpactCounts(ctx context.Context, now time.Time) (impact.Counts, error) {
	type figure struct {
		name impact.Figure
		q    impactQuery
		args []any
	}
	// Re-issues carry the code they replace and are not counted again.
	const issued = `replaces = ''`
	// Applications to the department's internal programmes (the council's
	// appraisals) are no startups'.
	const public = ` AND program_id NOT IN (SELECT id FROM programs WHERE internal = 1)`
	figures := []figure{
		{impact.Applications, impactQuery{"*", "applications", `status != 'draft' AND submitted_at > 0` + public, "submitted_at"}, nil},
		{impact.StartupsSupported, impactQuery{"founder_id", "applications", `status = 'accepted'` + public, "decided_at"}, nil},
		{impact.StartupsInCohorts, impactQuery{"founder_id", "applications", `status = 'accepted' AND cohort_id != ''` + public, "decided_at"}, nil},
		{impact.CertificatesIssued, impactQuery{"*", "certificates", issued, "issued_at"}, nil},
		{impact.TraineesCertified, impactQuery{"holder", "certificates", `kind = 'training' AND status = 'valid'`, "issued_at"}, nil},
		{impact.EventsHeld, impactQuery{"*", "events", `published = 1 AND ends_at < ?`, "starts_at"}, []any{ms(now)}},
		{impact.VisitorsCheckedIn, impactQuery{"*", "presence", `entries > 0`, "first_in_at"}, nil},
	}
	out := impact.Counts{Figures: map[impact.Figure]impact.Count{}, CertificatesByKind: map[string]impact.Count{}}
	for _, f := range figures {
		c, err := s.impactCount(ctx, f.q, f.args...)
		if err != nil {
			return impact.Counts{}, err
		}
		out.Figures[f.name] = c
	}
	for _, k := range impact.Kinds {
		c, err := s.impactCount(ctx, impactQuery{"*", "certificates", issued + ` AND kind = ?`, "issued_at"}, k)
		if err != nil {
			return impact.Counts{}, err
		}
		out.CertificatesByKind[k] = c
	}
	ex, err := s.approvedExhibitors(ctx)
	if err != nil {
		return impact.Counts{}, err
	}
	out.Figures[impact.Exhibitors] = ex
	return out, nil
}

// approvedExhibitors counts approved exhibitors, each in every year of an
// approval step of its history (a time in RFC 3339).
func (s *Store) approvedExhibitors(ctx context.Context) (impact.Count, error) {
	c := impact.Count{ByYear: map[int]int{}}
	if err := s.row(ctx, `SELECT count(*) FROM exhibitors WHERE status = 'approved'`).Scan(&c.Total); err != nil {
		return impact.Count{}, err
	}
	rows, err := s.rows(ctx, `SELECT CAST(strftime('%Y', json_extract(h.value, '$.at'), '+7 hours') AS INTEGER) AS y,
		count(DISTINCT x.id) FROM exhibitors x, json_each(x.history) h
		WHERE x.status = 'approved' AND json_extract(h.value, '$.action') = 'approved' GROUP BY y`)
	if err != nil {
		return impact.Count{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			return impact.Count{}, err
		}
		c.ByYear[y] = n
	}
	return c, rows.Err()
}
