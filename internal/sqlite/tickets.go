package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"sprout/internal/errs"
	"sprout/internal/keyset"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/tickets"
)

var _ tickets.Store = (*Store)(nil)

const ticketCols = `id, event_id, type_id, name, email, phone, share_contact, lang, status, secret, token, key_id,
	not_before, expires_at, created_at, cancelled_at, consent_at, consent_version`

func scanTicket(row interface{ Scan(...any) error }) (tickets.Ticket, error) {
	var t tickets.Ticket
	var status string
	var notBefore, expires, created, cancelled, consent int64
	err := row.Scan(&t.ID, &t.EventID, &t.TypeID, &t.Name, &t.Email, &t.Phone, &t.ShareContact, &t.Lang, &status,
		&t.Secret, &t.Token, &t.KeyID, &notBefore, &expires, &created, &cancelled, &consent, &t.Consent.Version)
	if err != nil {
		return t, translate(err)
	}
	t.Status, t.ExpiresAt, t.CreatedAt, t.CancelledAt = tickets.Status(status), fromMs(expires), fromMs(created), fromMs(cancelled)
	t.NotBefore = fromMs(notBefore)
	t.Consent.At = fromMs(consent)
	return t, nil
}

// isOneActive tells whether err is the one-ticket-per-person index refusing.
func isOneActive(err error) bool {
	return err != nil && strings.Contains(err.Error(), "email_key")
}

// insertTicket stores t without its token, which its claims sign again.
func (s *Store) insertTicket(ctx context.Context, tx *sql.Tx, t tickets.Ticket) error {
	_, err := s.txExec(ctx, tx, `INSERT INTO tickets (`+ticketCols+`, email_key, search)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.EventID, t.TypeID, t.Name, t.Email, t.Phone, t.ShareContact, t.Lang, string(t.Status), t.Secret, t.KeyID,
		ms(t.NotBefore), ms(t.ExpiresAt), ms(t.CreatedAt), ms(t.CancelledAt), ms(t.Consent.At), t.Consent.Version,
		tickets.EmailKey(t.Email), t.SearchKey())
	if isOneActive(err) {
		return errs.New(errs.AlreadyRegistered, "error.already_registered")
	}
	return translate(err)
}

// Register inserts first so that a person already holding a ticket hears
// so even when the type is full; the seat is taken in the same transaction.
func (s *Store) Register(ctx context.Context, t tickets.Ticket, m *mail.Message, charge *kv.Charge) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if charge != nil {
			if err := s.charge(ctx, tx, *charge); err != nil {
				return err
			}
		}
		var n int
		if err := s.txRow(ctx, tx, `SELECT count(*) FROM ticket_types WHERE id = ? AND event_id = ?`, t.TypeID, t.EventID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.ErrNotFound
		}
		if err := s.insertTicket(ctx, tx, t); err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx, `UPDATE ticket_types SET sold = sold + 1 WHERE id = ? AND sold < capacity`, t.TypeID)
		if err := affected(res, err); errors.Is(err, errs.ErrNotFound) {
			return errs.New(errs.SoldOut, "error.sold_out")
		} else if err != nil {
			return err
		}
		if m != nil {
			return s.insertMail(ctx, tx, *m)
		}
		return nil
	})
}

func (s *Store) JoinWaitlist(ctx context.Context, w tickets.WaitEntry) (int, error) {
	var pos int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var full, open bool
		err := s.txRow(ctx, tx, `SELECT sold >= capacity, waitlist FROM ticket_types WHERE id = ? AND event_id = ?`,
			w.TypeID, w.EventID).Scan(&full, &open)
		if err != nil {
			return translate(err)
		}
		if !open {
			return errs.New(errs.SoldOut, "error.sold_out")
		}
		if !full {
			return errs.New(errs.Conflict, "error.seats_available")
		}
		var held int
		if err := s.txRow(ctx, tx, `SELECT count(*) FROM tickets WHERE event_id = ? AND email_key = ? AND status = 'active'`,
			w.EventID, tickets.EmailKey(w.Email)).Scan(&held); err != nil {
			return err
		}
		if held > 0 {
			return errs.New(errs.AlreadyRegistered, "error.already_registered")
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO waitlist (id, event_id, type_id, seq, name, email, email_key, phone,
			share_contact, lang, status, secret, created_at, consent_at, consent_version)
			VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM waitlist WHERE type_id = ?), ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?)`,
			w.ID, w.EventID, w.TypeID, w.TypeID, w.Name, w.Email, tickets.EmailKey(w.Email), w.Phone, w.ShareContact, w.Lang,
			w.Secret, ms(w.CreatedAt), ms(w.Consent.At), w.Consent.Version)
		if isOneActive(err) {
			return errs.New(errs.AlreadyRegistered, "error.already_waiting")
		}
		if err != nil {
			return translate(err)
		}
		return s.txRow(ctx, tx, `SELECT count(*) FROM waitlist WHERE type_id = ? AND status = 'waiting'
			AND seq <= (SELECT seq FROM waitlist WHERE id = ?)`, w.TypeID, w.ID).Scan(&pos)
	})
	return pos, err
}

const waitCols = `id, event_id, type_id, name, email, phone, share_contact, lang, status, ticket_id, secret, created_at,
	consent_at, consent_version`

func scanWait(row interface{ Scan(...any) error }) (tickets.WaitEntry, error) {
	var w tickets.WaitEntry
	var status string
	var created, consent int64
	err := row.Scan(&w.ID, &w.EventID, &w.TypeID, &w.Name, &w.Email, &w.Phone, &w.ShareContact, &w.Lang, &status, &w.TicketID,
		&w.Secret, &created, &consent, &w.Consent.Version)
	w.Status, w.CreatedAt, w.Consent.At = tickets.WaitStatus(status), fromMs(created), fromMs(consent)
	return w, translate(err)
}

func (s *Store) WaitPosition(ctx context.Context, id string) (tickets.WaitEntry, int, error) {
	return s.waitWhere(ctx, `id = ?`, id)
}

func (s *Store) WaitBySecret(ctx context.Context, secret string) (tickets.WaitEntry, int, error) {
	return s.waitWhere(ctx, `secret = ?`, secret)
}

// waitWhere finds the entry cond matches and, while it waits, its position.
func (s *Store) waitWhere(ctx context.Context, cond string, arg any) (tickets.WaitEntry, int, error) {
	w, err := scanWait(s.row(ctx, `SELECT `+waitCols+` FROM waitlist WHERE `+cond, arg))
	if err != nil || w.Status != tickets.Waiting {
		return w, 0, err
	}
	var pos int
	err = s.row(ctx, `SELECT count(*) FROM waitlist WHERE type_id = ? AND status = 'waiting'
		AND seq <= (SELECT seq FROM waitlist WHERE id = ?)`, w.TypeID, w.ID).Scan(&pos)
	return w, pos, err
}

func (s *Store) CancelTicket(ctx context.Context, id string, at time.Time, promote tickets.Promoter) (tickets.Ticket, *tickets.Ticket, error) {
	var cancelled tickets.Ticket
	var promoted *tickets.Ticket
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		cancelled, err = scanTicket(s.txRow(ctx, tx, `UPDATE tickets SET status = 'cancelled', cancelled_at = ?
			WHERE id = ? AND status = 'active' RETURNING `+ticketCols, ms(at), id))
		if errors.Is(err, errs.ErrNotFound) {
			var n int
			if err := s.txRow(ctx, tx, `SELECT count(*) FROM tickets WHERE id = ?`, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errs.New(errs.Conflict, "error.ticket_cancelled")
			}
			return errs.ErrNotFound
		}
		if err != nil {
			return err
		}
		// The seat passes to the first in line; an entry whose person got a
		// ticket some other way meanwhile is skipped.
		for {
			w, err := scanWait(s.txRow(ctx, tx, `SELECT `+waitCols+` FROM waitlist WHERE type_id = ? AND status = 'waiting'
				ORDER BY seq LIMIT 1`, cancelled.TypeID))
			if errors.Is(err, errs.ErrNotFound) {
				_, err = s.txExec(ctx, tx, `UPDATE ticket_types SET sold = sold - 1 WHERE id = ?`, cancelled.TypeID)
				return err
			}
			if err != nil {
				return err
			}
			if promote == nil {
				return errs.Wrapf(errs.Internal, "ticket type %s has people waiting and no way to promote them", cancelled.TypeID)
			}
			t, m := promote(w)
			err = s.insertTicket(ctx, tx, t)
			status := "promoted"
			if errs.KindOf(err) == errs.AlreadyRegistered {
				status, t.ID = "left", ""
			} else if err != nil {
				return err
			} else if m != nil {
				if err := s.insertMail(ctx, tx, *m); err != nil {
					return err
				}
			}
			if _, err := s.txExec(ctx, tx, `UPDATE waitlist SET status = ?, ticket_id = ? WHERE id = ?`, status, t.ID, w.ID); err != nil {
				return err
			}
			if t.ID != "" {
				promoted = &t
				return nil
			}
		}
	})
	return cancelled, promoted, err
}

func (s *Store) TicketByID(ctx context.Context, id string) (tickets.Ticket, error) {
	return scanTicket(s.row(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id = ?`, id))
}

func (s *Store) TicketBySecret(ctx context.Context, secret string) (tickets.Ticket, error) {
	return scanTicket(s.row(ctx, `SELECT `+ticketCols+` FROM tickets WHERE secret = ?`, secret))
}

func (s *Store) TicketsByEmail(ctx context.Context, email string) ([]tickets.Ticket, error) {
	rows, err := s.rows(ctx, `SELECT `+ticketCols+` FROM tickets WHERE email_key = ? AND status = 'active'
		ORDER BY created_at DESC, id DESC LIMIT 50`, tickets.EmailKey(email))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTicket)
}

// ticketFilter is the WHERE clause of a ticket list.
func ticketFilter(q tickets.Query) ([]string, []any) {
	where, args := []string{"event_id = ?"}, []any{q.EventID}
	if q.TypeID != "" {
		where, args = append(where, "type_id = ?"), append(args, q.TypeID)
	}
	if q.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(q.Status))
	}
	if q.Text != "" {
		where, args = append(where, `search LIKE ? ESCAPE '\'`), append(args, likePattern(q.Text))
	}
	return where, args
}

// after narrows a list kept newest first by column at, then id, to the
// rows after the cursor.
func after(where []string, args []any, at string, c keyset.Cursor) ([]string, []any) {
	if c.IsZero() {
		return where, args
	}
	return append(where, "("+at+" < ? OR ("+at+" = ? AND id < ?))"), append(args, ms(c.At), ms(c.At), c.ID)
}

func (s *Store) TicketsAfter(ctx context.Context, q tickets.Query, c keyset.Cursor) ([]tickets.Ticket, error) {
	where, args := ticketFilter(q)
	where, args = after(where, args, "created_at", c)
	rows, err := s.rows(ctx, `SELECT `+ticketCols+` FROM tickets WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTicket)
}

func (s *Store) ListTickets(ctx context.Context, q tickets.Query) ([]tickets.Ticket, int, error) {
	where, args := ticketFilter(q)
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM tickets WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+ticketCols+` FROM tickets WHERE `+cond+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanTicket)
	return out, total, err
}

// Recover: this store writes each registration, cancellation and promotion
// in one transaction and holds no mail, yet it settles held mail alike.
func (s *Store) Recover(ctx context.Context, olderThan time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `UPDATE outbox SET status = 'pending' WHERE status = 'held' AND created_at < ?
			AND id IN (SELECT id FROM tickets)`, ms(olderThan))
		if err != nil {
			return err
		}
		released, _ := res.RowsAffected()
		res, err = s.txExec(ctx, tx, `DELETE FROM outbox WHERE status = 'held' AND created_at < ?`, ms(olderThan))
		if err != nil {
			return err
		}
		dropped, _ := res.RowsAffected()
		n = released + dropped
		return nil
	})
	return int(n), translate(err)
}

func (s *Store) CountLiveTickets(ctx context.Context, keyID string, now time.Time) (int, error) {
	var n int
	err := s.row(ctx, `SELECT count(*) FROM tickets WHERE key_id = ? AND status = 'active' AND expires_at > ?`,
		keyID, ms(now)).Scan(&n)
	return n, err
}
