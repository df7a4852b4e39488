package sqlite

import (
	"context"
	"strings"

	"sprout/internal/audit"
)

var _ audit.Store = (*Store)(nil)

const auditCols = `id, at, actor_id, actor_name, actor_email, actor_roles, action, method, path, target_kind, target_id,
	event_id, detail, status, ip`

func scanAudit(row scanner) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var roles string
	err := row.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.ActorEmail, &roles, &e.Action, &e.Method, &e.Path,
		&e.TargetKind, &e.TargetID, &e.EventID, &e.Detail, &e.Status, &e.IP)
	e.At = fromMs(at)
	if roles != "" {
		e.ActorRoles = strings.Fields(roles)
	}
	return e, translate(err)
}

func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	_, err := s.exec(ctx, `INSERT INTO audit_log (`+auditCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, ms(e.At), e.ActorID, e.ActorName, e.ActorEmail, strings.Join(e.ActorRoles, " "), e.Action, e.Method, e.Path,
		e.TargetKind, e.TargetID, e.EventID, e.Detail, e.Status, e.IP)
	return translate(err)
}

func (s *Store) Audit(ctx context.Context, q audit.Query) ([]audit.Entry, int, error) {
	where, args := []string{"1=1"}, []any{}
	if q.ActorID != "" {
		where, args = append(where, "actor_id = ?"), append(args, q.ActorID)
	}
	switch {
	case strings.Contains(q.Action, "."):
		where, args = append(where, "action = ?"), append(args, q.Action)
	case q.Action != "":
		// An area: its actions sort between "area." and "area/".
		where, args = append(where, "action >= ? AND action < ?"), append(args, q.Action+".", q.Action+"/")
	}
	if q.EventID != "" {
		where, args = append(where, "event_id = ?"), append(args, q.EventID)
	}
	if !q.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, ms(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, ms(q.To))
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM audit_log WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+auditCols+` FROM audit_log WHERE `+w+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
