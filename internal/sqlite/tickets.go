package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"sprout/internal/errs"
	"sprout/internal/keyset"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

var _ tickets.Store = (*Store)(nil)

const ticketCols = `id, event_id, type_id, name, email, phone, share_contact, lang, status, secret, token, key_id,
	not_before, expires_at, created_at, cancelled_at, consent_at, consent_version, answers`

func scanTicket(row interface{ Scan(...any) error }) (tickets.Ticket, error) {
	var t tickets.Ticket
	var status string
	var notBefore, expires, created, cancelled, consent int64
	var answers string
	err := row.Scan(&t.ID, &t.EventID, &t.TypeID, &t.Name, &t.Email, &t.Phone, &t.ShareContact, &t.Lang, &status,
		&t.Secret, &t.Token, &t.KeyID, &notBefore, &expires, &created, &cancelled, &consent, &t.Consent.Version, &answers)
	if err != nil {
		return t, translate(err)
	}
	if t.Answers, err = readAnswers(answers); err != nil {
		return t, err
	}
	t.Status, t.ExpiresAt, t.CreatedAt, t.CancelledAt = tickets.Status(status), fromMs(expires), fromMs(created), fromMs(cancelled)
	t.NotBefore = fromMs(notBefore)
	t.Consent.At = fromMs(consent)
	return t, nil
}

// answersText keeps answers as JSON, and none as nothing at all: most
// events ask no question.
func answersText(a map[string]string) (string, error) {
	if len(a) == 0 {
		return "", nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}

func readAnswers(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var a map[string]string
	return a, json.Unmarshal([]byte(s), &a)
}

// isOneActive tells whether err is the one-ticket-per-person index refusing.
func isOneActive(err error) bool {
	return err != nil && strings.Contains(err.Error(), "email_key")
}

// insertTicket stores t without its token, which its claims sign again.
func (s *Store) insertTicket(ctx context.Context, tx *sql.Tx, t tickets.Ticket) error {
	answers, err := answersText(t.Answers)
	if err != nil {
		return err
	}
	_, err = s.txExec(ctx, tx, `INSERT INTO tickets (`+ticketCols+`, email_key, search)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.EventID, t.TypeID, t.Name, t.Email, t.Phone, t.ShareContact, t.Lang, string(t.Status), t.Secret, t.KeyID,
		ms(t.NotBefore), ms(t.ExpiresAt), ms(t.CreatedAt), ms(t.CancelledAt), ms(t.Consent.At), t.Consent.Version, answers,
		t.PersonKey(), t.SearchKey())
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
		answers, err := answersText(w.Answers)
		if err != nil {
			return err
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO waitlist (id, event_id, type_id, seq, name, email, email_key, phone,
			share_contact, lang, status, secret, created_at, consent_at, consent_version, answers)
			VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM waitlist WHERE type_id = ?), ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?)`,
			w.ID, w.EventID, w.TypeID, w.TypeID, w.Name, w.Email, tickets.EmailKey(w.Email), w.Phone, w.ShareContact, w.Lang,
			w.Secret, ms(w.CreatedAt), ms(w.Consent.At), w.Consent.Version, answers)
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
	consent_at, consent_version, answers`

func scanWait(row interface{ Scan(...any) error }) (tickets.WaitEntry, error) {
	var w tickets.WaitEntry
	var status string
	var created, consent int64
	var answers string
	err := row.Scan(&w.ID, &w.EventID, &w.TypeID, &w.Name, &w.Email, &w.Phone, &w.ShareContact, &w.Lang, &status, &w.TicketID,
		&w.Secret, &created, &consent, &w.Consent.Version, &answers)
	if err != nil {
		return w, translate(err)
	}
	w.Status, w.CreatedAt, w.Consent.At = tickets.WaitStatus(status), fromMs(created), fromMs(consent)
	w.Answers, err = readAnswers(answers)
	return w, err
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
		// The seat passes to the first in line, or back to the type.
		promoted, err = s.promoteFirst(ctx, tx, cancelled.TypeID, promote)
		if err != nil || promoted != nil {
			return err
		}
		_, err = s.txExec(ctx, tx, `UPDATE ticket_types SET sold = sold - 1 WHERE id = ?`, cancelled.TypeID)
		return err
	})
	return cancelled, promoted, err
}

// promoteFirst gives a seat of the type, already counted, to the first
// person waiting for it, and returns their ticket; nil when nobody waits.
// An entry whose person got a ticket some other way meanwhile leaves the
// line and the next is tried.
func (s *Store) promoteFirst(ctx context.Context, tx *sql.Tx, typeID string, promote tickets.Promoter) (*tickets.Ticket, error) {
	for {
		w, err := scanWait(s.txRow(ctx, tx, `SELECT `+waitCols+` FROM waitlist WHERE type_id = ? AND status = 'waiting'
			ORDER BY seq LIMIT 1`, typeID))
		if errors.Is(err, errs.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if promote == nil {
			return nil, errs.Wrapf(errs.Internal, "ticket type %s has people waiting and no way to promote them", typeID)
		}
		t, err := s.promoteEntry(ctx, tx, w, promote)
		if err != nil || t != nil {
			return t, err
		}
	}
}

// promoteEntry turns the waiting entry w into its ticket and mail; nil
// when its person holds a ticket for the event already, and leaves.
func (s *Store) promoteEntry(ctx context.Context, tx *sql.Tx, w tickets.WaitEntry, promote tickets.Promoter) (*tickets.Ticket, error) {
	t, m, err := promote(w)
	if err != nil {
		return nil, err
	}
	err = s.insertTicket(ctx, tx, t)
	status := "promoted"
	if errs.KindOf(err) == errs.AlreadyRegistered {
		status, t.ID = "left", ""
	} else if err != nil {
		return nil, err
	} else if m != nil {
		if err := s.insertMail(ctx, tx, *m); err != nil {
			return nil, err
		}
	}
	if _, err := s.txExec(ctx, tx, `UPDATE waitlist SET status = ?, ticket_id = ? WHERE id = ?`, status, t.ID, w.ID); err != nil {
		return nil, err
	}
	if t.ID == "" {
		return nil, nil
	}
	return &t, nil
}

func (s *Store) Waiting(ctx context.Context, eventID string) ([]tickets.WaitEntry, error) {
	rows, err := s.rows(ctx, `SELECT `+waitCols+` FROM waitlist WHERE event_id = ? AND status = 'waiting' ORDER BY type_id, seq`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanWait)
}

func (s *Store) LeaveWaitlist(ctx context.Context, id string) (tickets.WaitEntry, error) {
	var w tickets.WaitEntry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if w, err = scanWait(s.txRow(ctx, tx, `SELECT `+waitCols+` FROM waitlist WHERE id = ?`, id)); err != nil {
			return err
		}
		if w.Status != tickets.Waiting {
			return errs.New(errs.Conflict, "error.not_waiting")
		}
		w.Status = tickets.Left
		_, err = s.txExec(ctx, tx, `UPDATE waitlist SET status = 'left' WHERE id = ?`, id)
		return err
	})
	return w, err
}

func (s *Store) PromoteNow(ctx context.Context, id string, promote tickets.Promoter) (tickets.Ticket, error) {
	var out tickets.Ticket
	left := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		w, err := scanWait(s.txRow(ctx, tx, `SELECT `+waitCols+` FROM waitlist WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if w.Status != tickets.Waiting {
			return errs.New(errs.Conflict, "error.not_waiting")
		}
		t, err := s.promoteEntry(ctx, tx, w, promote)
		if err != nil {
			return err
		}
		if t == nil {
			left = true
			return nil
		}
		// A seat is taken, and one added first when none is free.
		if _, err := s.txExec(ctx, tx, `UPDATE ticket_types SET capacity = max(capacity, sold + 1), sold = sold + 1 WHERE id = ?`,
			w.TypeID); err != nil {
			return err
		}
		out = *t
		return nil
	})
	if err == nil && left {
		err = errs.New(errs.AlreadyRegistered, "error.already_registered")
	}
	return out, err
}

func (s *Store) Fill(ctx context.Context, typeID string, promote tickets.Promoter) (*tickets.Ticket, error) {
	var out *tickets.Ticket
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var free bool
		if err := s.txRow(ctx, tx, `SELECT sold < capacity FROM ticket_types WHERE id = ?`, typeID).Scan(&free); err != nil {
			return translate(err)
		}
		if !free {
			return nil
		}
		t, err := s.promoteFirst(ctx, tx, typeID, promote)
		if err != nil || t == nil {
			return err
		}
		out = t
		_, err = s.txExec(ctx, tx, `UPDATE ticket_types SET sold = sold + 1 WHERE id = ?`, typeID)
		return err
	})
	return out, err
}

// Underfilled needs no settling here: every step is one transaction.
func (s *Store) Underfilled(ctx context.Context, _ time.Time) ([]string, error) {
	rows, err := s.rows(ctx, `SELECT t.id FROM ticket_types t WHERE t.sold < t.capacity
		AND EXISTS (SELECT 1 FROM waitlist w WHERE w.type_id = t.id AND w.status = 'waiting') ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
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

// ticketList is the FROM and WHERE of a ticket list. A search starts from
// the tickets its words find in tickets_fts, not from the event's.
type ticketList struct {
	from   string
	where  []string
	args   []any
	search bool
}

func ticketFilter(q tickets.Query) ticketList {
	l := ticketList{from: "tickets", where: []string{"event_id = ?"}, args: []any{q.EventID}}
	if q.Text != "" {
		match := ftsQuery(q.EventID, q.Text)
		if match == "" {
			return ticketList{from: "tickets", where: []string{"0"}}
		}
		l = ticketList{from: "tickets_fts CROSS JOIN tickets ON tickets.id = tickets_fts.ticket_id",
			where: []string{"tickets_fts MATCH ?", "event_id = ?"}, args: []any{match, q.EventID}, search: true}
	}
	if q.TypeID != "" {
		l.where, l.args = append(l.where, "type_id = ?"), append(l.args, q.TypeID)
	}
	switch q.Status {
	case "":
	case tickets.Cancelled:
		// Written out, so that the index of cancelled tickets serves it.
		l.where = append(l.where, "status = 'cancelled'")
	default:
		l.where, l.args = append(l.where, "status = ?"), append(l.args, string(q.Status))
	}
	return l
}

// ftsQuery asks tickets_fts for the event's tickets with a word starting
// with each word of text, or is empty when text has no word.
func ftsQuery(eventID, text string) string {
	words := vn.Words(text)
	if len(words) == 0 {
		return ""
	}
	match := `event : "` + strings.ReplaceAll(eventID, `"`, `""`) + `"`
	for _, w := range words {
		match += ` AND words : "` + w + `"*`
	}
	return match
}

// indexOldTickets gives the tickets stored before migration 0028 their
// search key as vn.Words cuts it and their row of tickets_fts, one after
// the other in each millisecond as the insert trigger numbers them.
func indexOldTickets(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, event_id, name, email, phone, created_at FROM tickets ORDER BY created_at, id`)
	if err != nil {
		return err
	}
	old, err := collect(rows, func(r scanner) (tickets.Ticket, error) {
		var t tickets.Ticket
		var created int64
		err := r.Scan(&t.ID, &t.EventID, &t.Name, &t.Email, &t.Phone, &created)
		t.CreatedAt = fromMs(created)
		return t, err
	})
	if err != nil {
		return err
	}
	k := 0
	for i, t := range old {
		if i > 0 && old[i-1].CreatedAt.Equal(t.CreatedAt) {
			k++
		} else {
			k = 0
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET search = ? WHERE id = ?`, t.SearchKey(), t.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tickets_fts (rowid, ticket_id, event, words) VALUES (? * `+ftsSpan+` + ?, ?, ?, ?)`,
			ms(t.CreatedAt), k, t.ID, t.EventID, t.SearchKey())
		if err != nil {
			return err
		}
	}
	return nil
}

// ftsSpan is how many rows of tickets_fts a millisecond of created_at
// spans; see migration 0028.
const ftsSpan = "1048576"

// newest narrows a search to the matches no older than its n-th newest:
// tickets_fts walks its matches newest first and stops there, so a page
// reads its own rows and those of their last millisecond, not every match.
func (l ticketList) newest(n int) ticketList {
	if !l.search {
		return l
	}
	cond := strings.Join(l.where, " AND ")
	where := append(slices.Clone(l.where), `tickets_fts.rowid >= coalesce((SELECT created_at * `+ftsSpan+` FROM `+l.from+
		` WHERE `+cond+` ORDER BY tickets_fts.rowid DESC LIMIT 1 OFFSET ?), 0)`)
	args := append(append(slices.Clone(l.args), l.args...), n-1)
	return ticketList{from: l.from, where: where, args: args, search: true}
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
	l := ticketFilter(q)
	l.where, l.args = after(l.where, l.args, "created_at", c)
	if l.search && !c.IsZero() {
		// The walk of the matches starts at the cursor's millisecond.
		l.where, l.args = append(l.where, "tickets_fts.rowid < (? + 1) * "+ftsSpan), append(l.args, ms(c.At))
	}
	l = l.newest(q.Limit)
	rows, err := s.rows(ctx, `SELECT `+ticketCols+` FROM `+l.from+` WHERE `+strings.Join(l.where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT ?`, append(l.args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTicket)
}

// CancelledIDs reads the index of cancelled tickets alone.
func (s *Store) CancelledIDs(ctx context.Context, eventID string) ([]string, error) {
	rows, err := s.rows(ctx, `SELECT id FROM tickets WHERE event_id = ? AND status = 'cancelled'`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
}

func (s *Store) ListTickets(ctx context.Context, q tickets.Query) ([]tickets.Ticket, int, error) {
	l := ticketFilter(q)
	total, err := s.countTickets(ctx, q, l)
	if err != nil {
		return nil, 0, err
	}
	if total > q.Offset+q.Limit {
		// Fewer matches are read whole more cheaply than walked twice.
		l = l.newest(q.Offset + q.Limit)
	}
	rows, err := s.rows(ctx, `SELECT `+ticketCols+` FROM `+l.from+` WHERE `+strings.Join(l.where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(l.args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanTicket)
	return out, total, err
}

// countTickets counts a list without reading the event's tickets: a search
// of all of them counts in tickets_fts alone; otherwise the types' sold
// seats are the active tickets and the index of cancelled ones counts the
// rest.
func (s *Store) countTickets(ctx context.Context, q tickets.Query, l ticketList) (int, error) {
	var total int
	if l.search && q.TypeID == "" && q.Status == "" {
		err := s.row(ctx, `SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH ?`, l.args[0]).Scan(&total)
		return total, err
	}
	if q.Text != "" {
		err := s.row(ctx, `SELECT count(*) FROM `+l.from+` WHERE `+strings.Join(l.where, " AND "), l.args...).Scan(&total)
		return total, err
	}
	if q.Status != tickets.Cancelled {
		var sold int
		err := s.row(ctx, `SELECT coalesce(sum(sold), 0) FROM ticket_types WHERE event_id = ? AND (? = '' OR id = ?)`,
			q.EventID, q.TypeID, q.TypeID).Scan(&sold)
		if err != nil || q.Status == tickets.Active {
			return sold, err
		}
		total = sold
	}
	var cancelled int
	err := s.row(ctx, `SELECT count(*) FROM tickets WHERE event_id = ? AND status = 'cancelled' AND (? = '' OR type_id = ?)`,
		q.EventID, q.TypeID, q.TypeID).Scan(&cancelled)
	return total + cancelled, err
}

// Recover: this store writes each registration, cancellation and promotion
// in one transaction and holds no mail, yet it settles held mail alike.
func (s *Store) Recover(ctx context.Context, olderThan time.Time, _ tickets.Promoter) (int, error) {
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
