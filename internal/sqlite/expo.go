package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"sprout/internal/errs"
	"sprout/internal/expo"
	"sprout/internal/tickets"
)

var _ expo.Store = (*Store)(nil)

const boothCols = `id, event_id, code, hall, zone, x, y, w, h, size_class, price, status, exhibitor_id, held_until, created_at`

func scanBooth(row interface{ Scan(...any) error }) (expo.Booth, error) {
	var b expo.Booth
	var status string
	var held, created int64
	err := row.Scan(&b.ID, &b.EventID, &b.Code, &b.Hall, &b.Zone, &b.X, &b.Y, &b.W, &b.H, &b.SizeClass, &b.Price,
		&status, &b.ExhibitorID, &held, &created)
	if err != nil {
		return b, translate(err)
	}
	b.Status, b.HeldUntil, b.CreatedAt = expo.BoothStatus(status), fromMs(held), fromMs(created)
	return b, nil
}

func (s *Store) CreateBooth(ctx context.Context, b expo.Booth) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var taken, overlapping int
		err := s.txRow(ctx, tx, `SELECT
				count(*) FILTER (WHERE code = ?2),
				count(*) FILTER (WHERE hall = ?3 AND x < ?4 + ?6 AND ?4 < x + w AND y < ?5 + ?7 AND ?5 < y + h)
			FROM booths WHERE event_id = ?1`, b.EventID, b.Code, b.Hall, b.X, b.Y, b.W, b.H).Scan(&taken, &overlapping)
		switch {
		case err != nil:
			return err
		case taken > 0:
			return errs.New(errs.Conflict, "error.booth_code_taken")
		case overlapping > 0:
			return errs.New(errs.Conflict, "error.booth_overlap")
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO booths (`+boothCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			b.ID, b.EventID, b.Code, b.Hall, b.Zone, b.X, b.Y, b.W, b.H, b.SizeClass, b.Price, string(b.Status),
			b.ExhibitorID, ms(b.HeldUntil), ms(b.CreatedAt))
		return translate(err)
	})
}

// CreateBooths checks the batch against the event's booths and inserts it
// in one transaction of the single writer, so a refusal or a failed insert
// rolls every booth back and no booth drawn meanwhile slips by.
func (s *Store) CreateBooths(ctx context.Context, list []expo.Booth) error {
	if len(list) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+boothCols+` FROM booths WHERE event_id = ?`, list[0].EventID)
		if err != nil {
			return err
		}
		var existing []expo.Booth
		for rows.Next() {
			b, err := scanBooth(rows)
			if err != nil {
				rows.Close()
				return err
			}
			existing = append(existing, b)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		if err := expo.BatchRefusal(existing, list); err != nil {
			return err
		}
		for _, b := range list {
			_, err := s.txExec(ctx, tx, `INSERT INTO booths (`+boothCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				b.ID, b.EventID, b.Code, b.Hall, b.Zone, b.X, b.Y, b.W, b.H, b.SizeClass, b.Price, string(b.Status),
				b.ExhibitorID, ms(b.HeldUntil), ms(b.CreatedAt))
			if err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

func (s *Store) Booth(ctx context.Context, id string) (expo.Booth, error) {
	return scanBooth(s.row(ctx, `SELECT `+boothCols+` FROM booths WHERE id = ?`, id))
}

func (s *Store) Booths(ctx context.Context, eventID string) ([]expo.Booth, error) {
	rows, err := s.rows(ctx, `SELECT `+boothCols+` FROM booths WHERE event_id = ? ORDER BY code, id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []expo.Booth
	for rows.Next() {
		b, err := scanBooth(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// guarded runs one conditional update of a booth; when its conditions
// leave the booth untouched, a booth that exists is a conflict.
func (s *Store) guarded(ctx context.Context, boothID, q string, args ...any) (expo.Booth, error) {
	var out expo.Booth
	err := s.tx(ctx, func(tx *sql.Tx) error {
		b, err := scanBooth(s.txRow(ctx, tx, q, args...))
		if errors.Is(err, errs.ErrNotFound) {
			if _, err := scanBooth(s.txRow(ctx, tx, `SELECT `+boothCols+` FROM booths WHERE id = ?`, boothID)); err != nil {
				return err
			}
			return errs.New(errs.Conflict, "error.booth_taken")
		}
		out = b
		return err
	})
	return out, err
}

func (s *Store) HoldBooth(ctx context.Context, boothID, exhibitorID string, now, until time.Time) (expo.Booth, error) {
	return s.guarded(ctx, boothID, `UPDATE booths SET status = 'held', exhibitor_id = ?2, held_until = ?3
		WHERE id = ?1 AND (status = 'available' OR (status = 'held' AND held_until <= ?4))
		RETURNING `+boothCols, boothID, exhibitorID, ms(until), ms(now))
}

func (s *Store) AssignBooth(ctx context.Context, boothID, exhibitorID string, now time.Time) (expo.Booth, error) {
	return s.guarded(ctx, boothID, `UPDATE booths SET status = 'assigned', exhibitor_id = ?2, held_until = 0
		WHERE id = ?1 AND (status = 'available'
			OR (status = 'held' AND (exhibitor_id = ?2 OR held_until <= ?3))
			OR (status = 'assigned' AND exhibitor_id = ?2))
		RETURNING `+boothCols, boothID, exhibitorID, ms(now))
}

func (s *Store) ReleaseBooth(ctx context.Context, boothID string, status expo.BoothStatus, exhibitorID string) (expo.Booth, error) {
	return s.guarded(ctx, boothID, `UPDATE booths SET status = 'available', exhibitor_id = '', held_until = 0
		WHERE id = ?1 AND (?2 = '' OR status = ?2) AND (?3 = '' OR exhibitor_id = ?3)
		RETURNING `+boothCols, boothID, string(status), exhibitorID)
}

// UpdateBooth checks code and floor against the event's other booths and
// updates in the same transaction, so no booth created meanwhile slips by.
func (s *Store) UpdateBooth(ctx context.Context, b expo.Booth) (expo.Booth, error) {
	var out expo.Booth
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var taken, overlapping int
		err := s.txRow(ctx, tx, `SELECT
				count(*) FILTER (WHERE o.code = ?2),
				count(*) FILTER (WHERE o.hall = ?3 AND o.x < ?4 + ?6 AND ?4 < o.x + o.w AND o.y < ?5 + ?7 AND ?5 < o.y + o.h)
			FROM booths b JOIN booths o ON o.event_id = b.event_id AND o.id != b.id WHERE b.id = ?1`,
			b.ID, b.Code, b.Hall, b.X, b.Y, b.W, b.H).Scan(&taken, &overlapping)
		switch {
		case err != nil:
			return translate(err)
		case taken > 0:
			return errs.New(errs.Conflict, "error.booth_code_taken")
		case overlapping > 0:
			return errs.New(errs.Conflict, "error.booth_overlap")
		}
		out, err = scanBooth(s.txRow(ctx, tx, `UPDATE booths SET code = ?, hall = ?, zone = ?, x = ?, y = ?, w = ?, h = ?,
			size_class = ?, price = ? WHERE id = ? RETURNING `+boothCols,
			b.Code, b.Hall, b.Zone, b.X, b.Y, b.W, b.H, b.SizeClass, b.Price, b.ID))
		return err
	})
	return out, err
}

func (s *Store) BlockBooth(ctx context.Context, boothID string, now time.Time) (expo.Booth, error) {
	return s.guarded(ctx, boothID, `UPDATE booths SET status = 'blocked', exhibitor_id = '', held_until = 0
		WHERE id = ?1 AND (status = 'available' OR (status = 'held' AND held_until <= ?2))
		RETURNING `+boothCols, boothID, ms(now))
}

// MoveExhibitor takes the target and frees the source in one transaction.
func (s *Store) MoveExhibitor(ctx context.Context, fromID, toID, exhibitorID string, now time.Time) (expo.Booth, bool, error) {
	if fromID == toID {
		return expo.Booth{}, false, errs.Field("to_booth_id", "error.booth_move_same")
	}
	var to expo.Booth
	var freed bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		from, err := scanBooth(s.txRow(ctx, tx, `SELECT `+boothCols+` FROM booths WHERE id = ?`, fromID))
		if err != nil {
			return err
		}
		if from.Status != expo.Assigned || from.ExhibitorID != exhibitorID {
			return errs.New(errs.Stale, "error.stale")
		}
		to, err = scanBooth(s.txRow(ctx, tx, `UPDATE booths SET status = 'assigned', exhibitor_id = ?2, held_until = 0
			WHERE id = ?1 AND (status = 'available'
				OR (status = 'held' AND (exhibitor_id = ?2 OR held_until <= ?3))
				OR (status = 'assigned' AND exhibitor_id = ?2))
			RETURNING `+boothCols, toID, exhibitorID, ms(now)))
		if errors.Is(err, errs.ErrNotFound) {
			if _, err := scanBooth(s.txRow(ctx, tx, `SELECT `+boothCols+` FROM booths WHERE id = ?`, toID)); err != nil {
				return err
			}
			return errs.New(errs.Conflict, "error.booth_taken")
		}
		if err != nil {
			return err
		}
		freed = true
		_, err = s.txExec(ctx, tx, `UPDATE booths SET status = 'available', exhibitor_id = '', held_until = 0 WHERE id = ?`, fromID)
		return err
	})
	return to, freed, err
}

const changeCols = `id, event_id, booth_id, booth_code, action, exhibitor_id, company, by_id, by_name, at`

func (s *Store) AddChange(ctx context.Context, c expo.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, `INSERT INTO booth_changes (`+changeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.EventID, c.BoothID, c.BoothCode, c.Action, c.ExhibitorID, c.Company, c.ByID, c.ByName, ms(c.At))
		return translate(err)
	})
}

func (s *Store) Changes(ctx context.Context, eventID string, limit int) ([]expo.Change, error) {
	rows, err := s.rows(ctx, `SELECT `+changeCols+` FROM booth_changes WHERE event_id = ? ORDER BY at DESC, id DESC LIMIT ?`,
		eventID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (expo.Change, error) {
		var c expo.Change
		var at int64
		err := row.Scan(&c.ID, &c.EventID, &c.BoothID, &c.BoothCode, &c.Action, &c.ExhibitorID, &c.Company, &c.ByID, &c.ByName, &at)
		c.At = fromMs(at)
		return c, err
	})
}

const exhibitorCols = `id, event_id, owner_id, company, contact_email, description, sector, contact_name, phone,
	website, products, links, logo_id, preferred_zone, preferred_size, cohort_id, priority, status, created_at, updated_at,
	history, approved`

func scanExhibitor(row interface{ Scan(...any) error }) (expo.Exhibitor, error) {
	var x expo.Exhibitor
	var status, links, history, approved string
	var created, updated int64
	err := row.Scan(&x.ID, &x.EventID, &x.OwnerID, &x.Company, &x.ContactEmail, &x.Description, &x.Sector,
		&x.ContactName, &x.Phone, &x.Website, &x.Products, &links, &x.LogoID, &x.PreferredZone, &x.PreferredSize,
		&x.CohortID, &x.Priority, &status, &created, &updated, &history, &approved)
	if err != nil {
		return x, translate(err)
	}
	x.Status, x.CreatedAt, x.UpdatedAt = expo.ExhibitorStatus(status), fromMs(created), fromMs(updated)
	if err := json.Unmarshal([]byte(links), &x.Links); err != nil {
		return x, err
	}
	if len(x.Links) == 0 {
		x.Links = nil // no links reads back as none, whether stored as [] or null
	}
	if err := json.Unmarshal([]byte(history), &x.History); err != nil {
		return x, err
	}
	if len(x.History) == 0 {
		x.History = nil
	}
	for i := range x.History {
		x.History[i].At = fromMs(ms(x.History[i].At))
	}
	if approved != "" {
		x.Approved = new(expo.Snapshot)
		if err := json.Unmarshal([]byte(approved), x.Approved); err != nil {
			return x, err
		}
	}
	return x, nil
}

// historyJSON writes an application's history, [] for none.
func historyJSON(steps []expo.Step) (string, error) {
	if steps == nil {
		steps = []expo.Step{}
	}
	b, err := json.Marshal(steps)
	return string(b), err
}

// approvedJSON writes the profile approved, ” for none.
func approvedJSON(snap *expo.Snapshot) (string, error) {
	if snap == nil {
		return "", nil
	}
	b, err := json.Marshal(snap)
	return string(b), err
}

func linksJSON(links []string) (string, error) {
	if links == nil {
		links = []string{}
	}
	b, err := json.Marshal(links)
	return string(b), err
}

func (s *Store) CreateExhibitor(ctx context.Context, x expo.Exhibitor) error {
	links, err := linksJSON(x.Links)
	if err != nil {
		return err
	}
	history, err := historyJSON(x.History)
	if err != nil {
		return err
	}
	approved, err := approvedJSON(x.Approved)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		// The exhibitor row goes first: the claim refers to it.
		_, err := s.txExec(ctx, tx, `INSERT INTO exhibitors (`+exhibitorCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.ID, x.EventID, x.OwnerID, x.Company, x.ContactEmail, x.Description, x.Sector, x.ContactName, x.Phone,
			x.Website, x.Products, links, x.LogoID, x.PreferredZone, x.PreferredSize, x.CohortID, x.Priority,
			string(x.Status), ms(x.CreatedAt), ms(x.UpdatedAt), history, approved)
		if err != nil {
			return translate(err)
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO exhibitor_owners (event_id, owner_id, exhibitor_id) VALUES (?, ?, ?)`,
			x.EventID, x.OwnerID, x.ID)
		if errs.KindOf(translate(err)) == errs.Conflict {
			return errs.New(errs.Conflict, "error.exhibitor_applied")
		}
		return translate(err)
	})
}

func (s *Store) UpdateExhibitor(ctx context.Context, x expo.Exhibitor, step *expo.Step) error {
	links, err := linksJSON(x.Links)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `UPDATE exhibitors SET company = ?, contact_email = ?, description = ?, sector = ?,
			contact_name = ?, phone = ?, website = ?, products = ?, links = ?, logo_id = ?, preferred_zone = ?,
			preferred_size = ?, cohort_id = ?, priority = ?, updated_at = ? WHERE id = ?`,
			x.Company, x.ContactEmail, x.Description, x.Sector, x.ContactName, x.Phone, x.Website, x.Products, links,
			x.LogoID, x.PreferredZone, x.PreferredSize, x.CohortID, x.Priority, ms(x.UpdatedAt), x.ID)
		if err := affected(res, err); err != nil || step == nil {
			return err
		}
		return s.addStep(ctx, tx, x.ID, *step)
	})
}

// addStep appends a step to an application's history.
func (s *Store) addStep(ctx context.Context, tx *sql.Tx, id string, step expo.Step) error {
	b, err := json.Marshal(step)
	if err != nil {
		return err
	}
	_, err = s.txExec(ctx, tx, `UPDATE exhibitors SET history = json_insert(history, '$[#]', json(?)) WHERE id = ?`, string(b), id)
	return err
}

func (s *Store) Exhibitor(ctx context.Context, id string) (expo.Exhibitor, error) {
	return scanExhibitor(s.row(ctx, `SELECT `+exhibitorCols+` FROM exhibitors WHERE id = ?`, id))
}

func (s *Store) ReviewExhibitor(ctx context.Context, id string, r expo.Review) (expo.Exhibitor, error) {
	approved, err := approvedJSON(r.Approved)
	if err != nil {
		return expo.Exhibitor{}, err
	}
	var out expo.Exhibitor
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := s.txRow(ctx, tx, `SELECT status FROM exhibitors WHERE id = ?`, id).Scan(&status); err != nil {
			return translate(err)
		}
		if r.From != "" && status != string(r.From) {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := s.addStep(ctx, tx, id, r.Step); err != nil {
			return err
		}
		out, err = scanExhibitor(s.txRow(ctx, tx, `UPDATE exhibitors SET status = ?,
			approved = CASE WHEN ? = '' THEN approved ELSE ? END WHERE id = ? RETURNING `+exhibitorCols,
			string(r.To), approved, approved, id))
		return err
	})
	return out, err
}

func (s *Store) Exhibitors(ctx context.Context, eventID string) ([]expo.Exhibitor, error) {
	rows, err := s.rows(ctx, `SELECT `+exhibitorCols+` FROM exhibitors WHERE event_id = ? ORDER BY created_at, id`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanExhibitor)
}

func (s *Store) ExhibitorsOwnedBy(ctx context.Context, ownerID string) ([]expo.Exhibitor, error) {
	rows, err := s.rows(ctx, `SELECT `+exhibitorCols+` FROM exhibitors WHERE owner_id = ? ORDER BY created_at DESC, id DESC`, ownerID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanExhibitor)
}

const staffCols = `id, exhibitor_id, event_id, name, email, phone, ticket_id, user_id, secret, created_at`

func scanStaff(row interface{ Scan(...any) error }) (expo.Staff, error) {
	var st expo.Staff
	var created int64
	err := row.Scan(&st.ID, &st.ExhibitorID, &st.EventID, &st.Name, &st.Email, &st.Phone, &st.TicketID, &st.UserID, &st.Secret, &created)
	if err != nil {
		return st, translate(err)
	}
	st.CreatedAt = fromMs(created)
	return st, nil
}

// AddBoothStaff counts and inserts in one transaction of the single writer,
// so no other add can slip in between.
func (s *Store) AddBoothStaff(ctx context.Context, st expo.Staff, allowance int) error {
	key := tickets.EmailKey(st.Email)
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n, taken int
		err := s.txRow(ctx, tx, `SELECT count(*), count(*) FILTER (WHERE email_key = ?2)
			FROM exhibitor_staff WHERE exhibitor_id = ?1`, st.ExhibitorID, key).Scan(&n, &taken)
		switch {
		case err != nil:
			return err
		case taken > 0:
			return errs.New(errs.Conflict, "error.staff_taken")
		case n >= allowance:
			return errs.New(errs.Conflict, "error.staff_allowance")
		}
		_, err = s.txExec(ctx, tx, `INSERT INTO exhibitor_staff (`+staffCols+`, email_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			st.ID, st.ExhibitorID, st.EventID, st.Name, st.Email, st.Phone, st.TicketID, st.UserID, st.Secret, ms(st.CreatedAt), key)
		return translate(err)
	})
}

func (s *Store) SetBoothStaffTicket(ctx context.Context, staffID, ticketID string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return affected(s.txExec(ctx, tx, `UPDATE exhibitor_staff SET ticket_id = ? WHERE id = ?`, ticketID, staffID))
	})
}

func (s *Store) RemoveBoothStaff(ctx context.Context, staffID string) (expo.Staff, error) {
	var out expo.Staff
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanStaff(s.txRow(ctx, tx, `DELETE FROM exhibitor_staff WHERE id = ? RETURNING `+staffCols, staffID))
		return err
	})
	return out, err
}

func (s *Store) BoothStaff(ctx context.Context, exhibitorID string) ([]expo.Staff, error) {
	rows, err := s.rows(ctx, `SELECT `+staffCols+` FROM exhibitor_staff WHERE exhibitor_id = ? ORDER BY created_at, id`, exhibitorID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanStaff)
}

// ClaimBoothStaff updates only a place free or already the user's; when
// that changes nothing, whether the secret names a place tells a conflict
// from an unknown link.
func (s *Store) ClaimBoothStaff(ctx context.Context, secret, userID string) (expo.Staff, error) {
	var out expo.Staff
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanStaff(s.txRow(ctx, tx, `UPDATE exhibitor_staff SET user_id = ?2
			WHERE secret = ?1 AND secret <> '' AND user_id IN ('', ?2) RETURNING `+staffCols, secret, userID))
		if !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		var n int
		if err := s.txRow(ctx, tx, `SELECT count(*) FROM exhibitor_staff WHERE secret = ? AND secret <> ''`, secret).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.New(errs.Conflict, "error.staff_claimed")
		}
		return errs.ErrNotFound
	})
	return out, err
}

func (s *Store) BoothStaffBySecret(ctx context.Context, secret string) (expo.Staff, error) {
	return scanStaff(s.row(ctx, `SELECT `+staffCols+` FROM exhibitor_staff WHERE secret = ? AND secret <> ''`, secret))
}

func (s *Store) BoothStaffByUser(ctx context.Context, userID string) ([]expo.Staff, error) {
	rows, err := s.rows(ctx, `SELECT `+staffCols+` FROM exhibitor_staff WHERE user_id = ?1 AND ?1 <> '' ORDER BY created_at DESC, id DESC`,
		userID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanStaff)
}

func (s *Store) UnsettledRejections(ctx context.Context, now time.Time) ([]expo.Exhibitor, error) {
	rows, err := s.rows(ctx, `SELECT `+exhibitorCols+` FROM exhibitors x WHERE status = 'rejected' AND (
			EXISTS (SELECT 1 FROM booths b WHERE b.exhibitor_id = x.id
				AND (b.status = 'assigned' OR (b.status = 'held' AND b.held_until > ?)))
			OR EXISTS (SELECT 1 FROM exhibitor_staff st WHERE st.exhibitor_id = x.id))
		ORDER BY created_at, id`, ms(now))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanExhibitor)
}

// RecoverExpo has only staff places to settle: booths are stored and moved
// in single transactions, but a place is stored before its badge is issued
// in a transaction of its own. A place whose badge never came, from before
// olderThan, is deleted.
func (s *Store) RecoverExpo(ctx context.Context, olderThan time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `DELETE FROM exhibitor_staff WHERE ticket_id <> '' AND created_at < ?
			AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = exhibitor_staff.ticket_id)`, ms(olderThan))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

const leadCols = `id, exhibitor_id, event_id, ticket_id, name, email, phone, note, rating, scanned_by, created_at`

func scanLead(row interface{ Scan(...any) error }) (expo.Lead, error) {
	var l expo.Lead
	var created int64
	err := row.Scan(&l.ID, &l.ExhibitorID, &l.EventID, &l.TicketID, &l.Name, &l.Email, &l.Phone, &l.Note, &l.Rating, &l.ScannedBy, &created)
	if err != nil {
		return l, translate(err)
	}
	l.CreatedAt = fromMs(created)
	return l, nil
}

func (s *Store) AddLead(ctx context.Context, l expo.Lead) (expo.Lead, bool, error) {
	var out expo.Lead
	var added bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, `INSERT INTO leads (`+leadCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (exhibitor_id, ticket_id) DO NOTHING`,
			l.ID, l.ExhibitorID, l.EventID, l.TicketID, l.Name, l.Email, l.Phone, l.Note, l.Rating, l.ScannedBy, ms(l.CreatedAt))
		if err != nil {
			return translate(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if added = n == 1; added {
			out = l
			return nil
		}
		out, err = scanLead(s.txRow(ctx, tx, `SELECT `+leadCols+` FROM leads WHERE exhibitor_id = ? AND ticket_id = ?`, l.ExhibitorID, l.TicketID))
		return err
	})
	return out, added, err
}

func (s *Store) Leads(ctx context.Context, exhibitorID string) ([]expo.Lead, error) {
	rows, err := s.rows(ctx, `SELECT `+leadCols+` FROM leads WHERE exhibitor_id = ? ORDER BY created_at DESC, id DESC`, exhibitorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []expo.Lead
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func (s *Store) UpdateLead(ctx context.Context, exhibitorID, leadID, note, rating string) (expo.Lead, error) {
	var out expo.Lead
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanLead(s.txRow(ctx, tx, `UPDATE leads SET note = ?, rating = ? WHERE id = ? AND exhibitor_id = ?
			RETURNING `+leadCols, note, rating, leadID, exhibitorID))
		return err
	})
	return out, err
}

func (s *Store) LeadCounts(ctx context.Context, eventID string) (map[string]int, error) {
	rows, err := s.rows(ctx, `SELECT exhibitor_id, count(*) FROM leads WHERE event_id = ? GROUP BY exhibitor_id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
