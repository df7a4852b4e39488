package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"sprout/internal/errs"
	"sprout/internal/events"
)

var _ events.Store = (*Store)(nil)

const eventCols = `id, slug, title, title_en, description, description_en, venue, starts_at, ends_at, published,
	created_by, created_at, updated_at, banner_id, questions, course`

func scanEvent(row interface{ Scan(...any) error }) (events.Event, error) {
	var e events.Event
	var starts, ends, created, updated int64
	var questions, course string
	err := row.Scan(&e.ID, &e.Slug, &e.Title, &e.TitleEN, &e.Description, &e.DescriptionEN, &e.Venue, &starts, &ends,
		&e.Published, &e.CreatedBy, &created, &updated, &e.BannerID, &questions, &course)
	if err != nil {
		return e, translate(err)
	}
	if questions != "" {
		if err := json.Unmarshal([]byte(questions), &e.Questions); err != nil {
			return e, err
		}
	}
	if course != "" {
		if err := json.Unmarshal([]byte(course), &e.Course); err != nil {
			return e, err
		}
	}
	e.StartsAt, e.EndsAt, e.CreatedAt, e.UpdatedAt = fromMs(starts), fromMs(ends), fromMs(created), fromMs(updated)
	return e, nil
}

func (s *Store) CreateEvent(ctx context.Context, e events.Event) error {
	questions, err := questionsText(e.Questions)
	if err != nil {
		return err
	}
	course, err := courseText(e.Course)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO events (`+eventCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Slug, e.Title, e.TitleEN, e.Description, e.DescriptionEN, e.Venue, ms(e.StartsAt), ms(e.EndsAt),
		e.Published, e.CreatedBy, ms(e.CreatedAt), ms(e.UpdatedAt), e.BannerID, questions, course)
	return translate(err)
}

// courseText is the course setting as the course column keeps it, empty
// for an event that never was a course.
func courseText(c events.Course) (string, error) {
	if c.Unset() {
		return "", nil
	}
	b, err := json.Marshal(c)
	return string(b), err
}

func (s *Store) SetEventCourse(ctx context.Context, id string, c events.Course, at time.Time) error {
	course, err := courseText(c)
	if err != nil {
		return err
	}
	return affected(s.exec(ctx, `UPDATE events SET course = ?, updated_at = ? WHERE id = ?`, course, ms(at), id))
}

func questionsText(qs []events.Question) (string, error) {
	if len(qs) == 0 {
		return "", nil
	}
	b, err := json.Marshal(qs)
	return string(b), err
}

func (s *Store) SetEventQuestions(ctx context.Context, id string, qs []events.Question, at time.Time) error {
	questions, err := questionsText(qs)
	if err != nil {
		return err
	}
	return affected(s.exec(ctx, `UPDATE events SET questions = ?, updated_at = ? WHERE id = ?`, questions, ms(at), id))
}

func (s *Store) UpdateEvent(ctx context.Context, e events.Event) error {
	return affected(s.exec(ctx, `UPDATE events SET slug = ?, title = ?, title_en = ?, description = ?,
		description_en = ?, venue = ?, starts_at = ?, ends_at = ?, published = ?, updated_at = ? WHERE id = ?`,
		e.Slug, e.Title, e.TitleEN, e.Description, e.DescriptionEN, e.Venue, ms(e.StartsAt), ms(e.EndsAt), e.Published,
		ms(e.UpdatedAt), e.ID))
}

func (s *Store) SetEventBanner(ctx context.Context, id, bannerID string, at time.Time) (string, error) {
	var prev string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.txRow(ctx, tx, `SELECT banner_id FROM events WHERE id = ?`, id).Scan(&prev); err != nil {
			return translate(err)
		}
		_, err := s.txExec(ctx, tx, `UPDATE events SET banner_id = ?, updated_at = ? WHERE id = ?`, bannerID, ms(at), id)
		return err
	})
	if err != nil {
		return "", err
	}
	return prev, nil
}

func (s *Store) EventByID(ctx context.Context, id string) (events.Event, error) {
	return scanEvent(s.row(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, id))
}

func (s *Store) EventBySlug(ctx context.Context, slug string) (events.Event, error) {
	return scanEvent(s.row(ctx, `SELECT `+eventCols+` FROM events WHERE slug = ?`, slug))
}

func (s *Store) ListEvents(ctx context.Context, q events.Query) ([]events.Event, int, error) {
	cond, args := "1=1", []any{}
	if q.PublishedOnly {
		cond += " AND published = 1"
	}
	if !q.EndsAfter.IsZero() {
		cond += " AND ends_at > ?"
		args = append(args, ms(q.EndsAfter))
	}
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM events WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+eventCols+` FROM events WHERE `+cond+
		` ORDER BY starts_at, id LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collect(rows, scanEvent)
	return out, total, err
}

func (s *Store) CreateAgendaItem(ctx context.Context, a events.AgendaItem) error {
	_, err := s.exec(ctx, `INSERT INTO agenda_items (id, event_id, starts_at, ends_at, room, title, title_en, speakers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.EventID, ms(a.StartsAt), ms(a.EndsAt), a.Room, a.Title, a.TitleEN, a.Speakers)
	return translate(err)
}

func (s *Store) UpdateAgendaItem(ctx context.Context, a events.AgendaItem) error {
	return affected(s.exec(ctx, `UPDATE agenda_items SET starts_at = ?, ends_at = ?, room = ?, title = ?, title_en = ?,
		speakers = ? WHERE id = ? AND event_id = ?`, ms(a.StartsAt), ms(a.EndsAt), a.Room, a.Title, a.TitleEN, a.Speakers, a.ID, a.EventID))
}

func (s *Store) DeleteAgendaItem(ctx context.Context, eventID, id string) error {
	return affected(s.exec(ctx, `DELETE FROM agenda_items WHERE id = ? AND event_id = ?`, id, eventID))
}

func (s *Store) Agenda(ctx context.Context, eventID string) ([]events.AgendaItem, error) {
	rows, err := s.rows(ctx, `SELECT `+agendaCols+` FROM agenda_items WHERE event_id = ? ORDER BY starts_at, room, id`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAgendaItem)
}

const agendaCols = `id, event_id, starts_at, ends_at, room, title, title_en, speakers`

func scanAgendaItem(row scanner) (events.AgendaItem, error) {
	var a events.AgendaItem
	var starts, ends int64
	err := row.Scan(&a.ID, &a.EventID, &starts, &ends, &a.Room, &a.Title, &a.TitleEN, &a.Speakers)
	a.StartsAt, a.EndsAt = fromMs(starts), fromMs(ends)
	return a, err
}

const typeCols = `id, event_id, name, name_en, capacity, sold, waitlist, invite, sales_start, sales_end, created_at,
	(SELECT count(*) FROM waitlist w WHERE w.type_id = ticket_types.id AND w.status = 'waiting')`

func scanType(row interface{ Scan(...any) error }) (events.TicketType, error) {
	var t events.TicketType
	var start, end, created int64
	err := row.Scan(&t.ID, &t.EventID, &t.Name, &t.NameEN, &t.Capacity, &t.Sold, &t.Waitlist, &t.Invite, &start, &end, &created, &t.Waiting)
	if err != nil {
		return t, translate(err)
	}
	t.SalesStart, t.SalesEnd, t.CreatedAt = fromMs(start), fromMs(end), fromMs(created)
	return t, nil
}

func (s *Store) CreateTicketType(ctx context.Context, t events.TicketType) error {
	_, err := s.exec(ctx, `INSERT INTO ticket_types (id, event_id, name, name_en, capacity, sold, waitlist, invite, sales_start,
		sales_end, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
		t.ID, t.EventID, t.Name, t.NameEN, t.Capacity, t.Waitlist, t.Invite, ms(t.SalesStart), ms(t.SalesEnd), ms(t.CreatedAt))
	return translate(err)
}

func (s *Store) UpdateTicketType(ctx context.Context, t events.TicketType) error {
	res, err := s.exec(ctx, `UPDATE ticket_types SET name = ?, name_en = ?, capacity = ?, waitlist = ?, invite = ?, sales_start = ?,
		sales_end = ? WHERE id = ? AND sold <= ?`, t.Name, t.NameEN, t.Capacity, t.Waitlist, t.Invite, ms(t.SalesStart), ms(t.SalesEnd), t.ID, t.Capacity)
	if err := affected(res, err); err != errs.ErrNotFound {
		return err
	}
	if _, err := s.TicketType(ctx, t.ID); err != nil {
		return err
	}
	return errs.New(errs.Conflict, "error.capacity_below_sold")
}

func (s *Store) TicketType(ctx context.Context, id string) (events.TicketType, error) {
	return scanType(s.row(ctx, `SELECT `+typeCols+` FROM ticket_types WHERE id = ?`, id))
}

func (s *Store) TicketTypes(ctx context.Context, eventID string) ([]events.TicketType, error) {
	rows, err := s.rows(ctx, `SELECT `+typeCols+` FROM ticket_types WHERE event_id = ? ORDER BY created_at, id`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanType)
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
