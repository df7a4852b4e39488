package sqlite

import (
	"context"
	"encoding/json"
	"strings"

	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/vn"
)

var _ certification.Store = (*Store)(nil)

// dossierRow is a dossier as its row keeps it.
func dossierRow(d certification.Dossier) (doc string, words string, err error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", "", err
	}
	return string(b), " " + strings.Join(d.Words(), " "), nil
}

func (s *Store) CreateDossier(ctx context.Context, d certification.Dossier) error {
	doc, words, err := dossierRow(d)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO st_dossiers (id, owner_id, kind, stage, sector, granted_year, words, version, updated_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.OwnerID, d.Kind, d.Stage, d.Enterprise.Sector, d.GrantedYear(vn.Zone), words, d.Version, ms(d.UpdatedAt), doc)
	return translate(err)
}

func scanDossier(r scanner) (certification.Dossier, error) {
	var doc string
	if err := r.Scan(&doc); err != nil {
		return certification.Dossier{}, translate(err)
	}
	var d certification.Dossier
	return d, json.Unmarshal([]byte(doc), &d)
}

func (s *Store) Dossier(ctx context.Context, id string) (certification.Dossier, error) {
	return scanDossier(s.row(ctx, `SELECT doc FROM st_dossiers WHERE id = ?`, id))
}

func (s *Store) SaveDossier(ctx context.Context, d certification.Dossier) error {
	doc, words, err := dossierRow(d)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE st_dossiers SET stage = ?, sector = ?, granted_year = ?, words = ?, version = ?, updated_at = ?, doc = ?
		WHERE id = ? AND version = ?`, d.Stage, d.Enterprise.Sector, d.GrantedYear(vn.Zone), words, d.Version, ms(d.UpdatedAt), doc, d.ID, d.Version-1)
	if err != nil {
		return translate(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	if _, err := s.Dossier(ctx, d.ID); err != nil {
		return err
	}
	return errs.ErrConflict
}

func (s *Store) Dossiers(ctx context.Context, q certification.Query) ([]certification.Dossier, int, error) {
	var where []string
	var args []any
	if q.OwnerID != "" {
		where, args = append(where, "owner_id = ?"), append(args, q.OwnerID)
	}
	if len(q.Stages) > 0 {
		where = append(where, "stage IN (?"+strings.Repeat(", ?", len(q.Stages)-1)+")")
		for _, st := range q.Stages {
			args = append(args, st)
		}
	}
	if q.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, q.Kind)
	}
	if q.Sector != "" {
		where, args = append(where, "sector = ?"), append(args, q.Sector)
	}
	if q.Year != 0 {
		where, args = append(where, "granted_year = ?"), append(args, q.Year)
	}
	for _, w := range vn.Words(q.Text) {
		where, args = append(where, `words LIKE ? ESCAPE '\'`), append(args, likePattern(" "+w))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM st_dossiers`+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.rows(ctx, `SELECT doc FROM st_dossiers`+cond+` ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanDossier)
	if out == nil && err == nil {
		out = []certification.Dossier{}
	}
	return out, total, err
}
