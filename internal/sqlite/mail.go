package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"sprout/internal/errs"
	"sprout/internal/mail"
)

var _ mail.Store = (*Store)(nil)

const mailCols = `id, to_addr, subject, text_body, html_body, template, lang, data, attachments, status, attempts,
	last_error, claim, created_at, next_attempt_at, sent_at`

func scanMail(row interface{ Scan(...any) error }) (mail.Message, error) {
	var m mail.Message
	var att []byte
	var status string
	var created, next, sent int64
	err := row.Scan(&m.ID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Template, &m.Lang, &m.Data, &att, &status, &m.Attempts,
		&m.LastError, &m.Claim, &created, &next, &sent)
	if err != nil {
		return m, translate(err)
	}
	m.Status, m.CreatedAt, m.NextAttemptAt, m.SentAt = mail.Status(status), fromMs(created), fromMs(next), fromMs(sent)
	if len(att) > 0 {
		if err := json.Unmarshal(att, &m.Attachments); err != nil {
			return m, err
		}
	}
	return m, nil
}

func (s *Store) EnqueueMail(ctx context.Context, m mail.Message) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.insertMail(ctx, tx, m) })
}

// insertMail queues m inside a transaction, with what it is about.
func (s *Store) insertMail(ctx context.Context, tx *sql.Tx, m mail.Message) error {
	var att []byte
	if len(m.Attachments) > 0 {
		var err error
		if att, err = json.Marshal(m.Attachments); err != nil {
			return err
		}
	}
	_, err := s.txExec(ctx, tx, `INSERT INTO outbox (`+mailCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.To, m.Subject, m.Text, m.HTML, m.Template, m.Lang, m.Data, att, string(m.Status), m.Attempts,
		m.LastError, m.Claim, ms(m.CreatedAt), ms(m.NextAttemptAt), ms(m.SentAt))
	return translate(err)
}

func (s *Store) PruneMail(ctx context.Context, before time.Time, kept bool) (int, error) {
	q := `DELETE FROM outbox WHERE (status = 'sent' AND sent_at < ?)`
	args := []any{ms(before)}
	if kept {
		q += ` OR (status = 'pending' AND created_at < ?)`
		args = append(args, ms(before))
	}
	res, err := s.exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, claim string) (mail.Message, error) {
	return scanMail(s.wrow(ctx, `UPDATE outbox SET status = 'sending', claim = ?, attempts = attempts + 1, next_attempt_at = ?
		WHERE id = (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT 1)
		RETURNING `+mailCols, claim, ms(now.Add(lease)), ms(now)))
}

func (s *Store) markMail(ctx context.Context, id, claim, set string, args ...any) error {
	res, err := s.exec(ctx, `UPDATE outbox SET `+set+` WHERE id = ? AND claim = ? AND status = 'sending'`,
		append(args, id, claim)...)
	if err := affected(res, err); err == errs.ErrNotFound {
		return errs.Wrapf(errs.Conflict, "mail %s is not held under this claim", id)
	} else if err != nil {
		return err
	}
	return nil
}

func (s *Store) MarkMailSent(ctx context.Context, id, claim string, at time.Time) error {
	return s.markMail(ctx, id, claim, `status = 'sent', sent_at = ?, last_error = ''`, ms(at))
}

func (s *Store) MarkMailRetry(ctx context.Context, id, claim string, next time.Time, lastErr string) error {
	return s.markMail(ctx, id, claim, `status = 'pending', next_attempt_at = ?, last_error = ?`, ms(next), lastErr)
}

func (s *Store) MarkMailFailed(ctx context.Context, id, claim string, lastErr string) error {
	return s.markMail(ctx, id, claim, `status = 'failed', last_error = ?`, lastErr)
}

func (s *Store) MailByID(ctx context.Context, id string) (mail.Message, error) {
	return scanMail(s.row(ctx, `SELECT `+mailCols+` FROM outbox WHERE id = ?`, id))
}

func (s *Store) ListMail(ctx context.Context, q mail.Query) ([]mail.Message, int, error) {
	where, args := "1=1", []any{}
	if q.To != "" {
		where, args = "to_addr = ?", append(args, strings.ToLower(q.To))
	}
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM outbox WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+mailCols+` FROM outbox WHERE `+where+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []mail.Message
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}
