package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"sprout/internal/certs"
	"sprout/internal/errs"
)

var _ certs.Store = (*Store)(nil)

const certColumns = `code, kind, holder, title, issuer, source, details, issued_at, status,
	revoked_at, revoke_reason, replaces, replaced_by, key_id`

func scanCert(r scanner) (certs.Certificate, error) {
	var c certs.Certificate
	var details string
	var issued, revoked int64
	if err := r.Scan(&c.Code, &c.Kind, &c.Holder, &c.Title, &c.Issuer, &c.Source, &details, &issued, &c.Status,
		&revoked, &c.RevokeReason, &c.Replaces, &c.ReplacedBy, &c.KeyID); err != nil {
		return certs.Certificate{}, translate(err)
	}
	if err := json.Unmarshal([]byte(details), &c.Details); err != nil {
		return certs.Certificate{}, err
	}
	c.IssuedAt, c.RevokedAt = fromMs(issued), fromMs(revoked)
	return c, nil
}

func (s *Store) IssueCert(ctx context.Context, c certs.Certificate, code func(year int, n int64) string) (certs.Certificate, bool, error) {
	details, err := json.Marshal(c.Details)
	if err != nil {
		return certs.Certificate{}, false, err
	}
	if c.Details == nil {
		details = []byte("{}")
	}
	var out certs.Certificate
	created := false
	err = s.tx(ctx, func(tx *sql.Tx) error {
		found, err := scanCert(s.txRow(ctx, tx, `SELECT `+certColumns+` FROM certificates WHERE kind = ? AND source = ?`, c.Kind, c.Source))
		if err == nil {
			out, created = found, false
			return nil
		}
		if !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		year := c.IssuedAt.UTC().Year()
		var n int64
		if err := s.txRow(ctx, tx, `INSERT INTO certificate_counters (year, n) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET n = n + 1 RETURNING n`, year).Scan(&n); err != nil {
			return err
		}
		c.Code = code(year, n)
		if _, err := s.txExec(ctx, tx, `INSERT INTO certificates (`+certColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Code, c.Kind, c.Holder, c.Title, c.Issuer, c.Source, string(details), ms(c.IssuedAt), c.Status,
			ms(c.RevokedAt), c.RevokeReason, c.Replaces, c.ReplacedBy, c.KeyID); err != nil {
			return translate(err)
		}
		out, created = c, true
		return nil
	})
	if err != nil {
		return certs.Certificate{}, false, err
	}
	if out.Details == nil {
		out.Details = map[string]string{}
	}
	return out, created, nil
}

func (s *Store) CertByCode(ctx context.Context, code string) (certs.Certificate, error) {
	return scanCert(s.row(ctx, `SELECT `+certColumns+` FROM certificates WHERE code = ?`, code))
}

func (s *Store) CertBySource(ctx context.Context, kind certs.Kind, source string) (certs.Certificate, error) {
	return scanCert(s.row(ctx, `SELECT `+certColumns+` FROM certificates WHERE kind = ? AND source = ?`, kind, source))
}

func (s *Store) ListCerts(ctx context.Context, kind certs.Kind) ([]certs.Certificate, error) {
	rows, err := s.rows(ctx, `SELECT `+certColumns+` FROM certificates WHERE kind = ? ORDER BY issued_at DESC, code DESC`, kind)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, scanCert)
	if out == nil && err == nil {
		out = []certs.Certificate{}
	}
	return out, err
}

func (s *Store) RevokeCert(ctx context.Context, code string, at time.Time, reason, replacedBy string) (certs.Certificate, error) {
	var out certs.Certificate
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanCert(s.txRow(ctx, tx, `SELECT `+certColumns+` FROM certificates WHERE code = ?`, code))
		if err != nil {
			return err
		}
		if c.Status != certs.Valid {
			return errs.ErrConflict
		}
		if _, err := s.txExec(ctx, tx, `UPDATE certificates SET status = ?, revoked_at = ?, revoke_reason = ?, replaced_by = ? WHERE code = ?`,
			certs.Revoked, ms(at), reason, replacedBy, code); err != nil {
			return err
		}
		c.Status, c.RevokedAt, c.RevokeReason, c.ReplacedBy = certs.Revoked, fromMs(ms(at)), reason, replacedBy
		out = c
		return nil
	})
	return out, err
}
