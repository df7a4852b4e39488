package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"time"

	"sprout/internal/expo"
	"sprout/internal/files"
	"sprout/internal/incubator"
	"sprout/internal/integrity"
	"sprout/internal/keys"
	"sprout/internal/migrate"
	"sprout/internal/staffing"
)

var _ migrate.Source = (*Store)(nil)

// Export hands every record to sink in the order of migrate.Kinds, read in
// one transaction: one snapshot of every table, even while a server writes.
// Derived values go along as they are stored (a type's sold seats) or not
// at all (check-in counters); the target recomputes them. Tokens and
// counters that expired by now are left out.
func (s *Store) Export(ctx context.Context, now time.Time, sink migrate.Sink) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	x := exporter{ctx: ctx, tx: tx}
	steps := []func() error{
		func() error {
			return rowsTo(x, `SELECT `+userCols+` FROM users ORDER BY created_at, id`, scanUser, sink.User)
		},
		func() error {
			return rowsTo(x, `SELECT hash, user_id, kind, created_at, expires_at FROM tokens WHERE expires_at > ? ORDER BY created_at, hash`,
				scanToken, sink.Token, ms(now))
		},
		func() error {
			return rowsTo(x, `SELECT key, value, value IS NULL, n, expires_at FROM kv WHERE expires_at = 0 OR expires_at > ? ORDER BY key`,
				scanKV, sink.KV, ms(now))
		},
		func() error {
			return rowsTo(x, `SELECT `+mailCols+` FROM outbox ORDER BY created_at, id`, scanMail, sink.Mail)
		},
		func() error {
			return rowsTo(x, `SELECT id, seed, created_at, retired_at FROM signing_keys ORDER BY created_at, id`, scanKey, sink.Key)
		},
		func() error {
			return rowsTo(x, `SELECT id, name, content_type, data, created_at FROM files ORDER BY id`, scanFile, sink.File)
		},
		func() error {
			return rowsTo(x, `SELECT `+eventCols+` FROM events ORDER BY created_at, id`, scanEvent, sink.Event)
		},
		func() error {
			return rowsTo(x, `SELECT `+agendaCols+` FROM agenda_items ORDER BY event_id, starts_at, id`,
				scanAgendaItem, sink.AgendaItem)
		},
		func() error {
			return rowsTo(x, `SELECT `+typeCols+` FROM ticket_types ORDER BY created_at, id`, scanType, sink.TicketType)
		},
		func() error {
			return rowsTo(x, `SELECT `+ticketCols+` FROM tickets ORDER BY created_at, id`, scanTicket, sink.Ticket)
		},
		func() error {
			return rowsTo(x, `SELECT `+waitCols+`, seq FROM waitlist ORDER BY type_id, seq, id`, scanSeqWait, sink.WaitEntry)
		},
		func() error { return exportGates(x, sink) },
		func() error {
			return rowsTo(x, `SELECT event_id, user_id, assigned_by, assigned_at FROM event_staff ORDER BY event_id, assigned_at, user_id`,
				scanAssignment, sink.Staff)
		},
		func() error {
			return rowsTo(x, `SELECT `+scanCols+` FROM scans ORDER BY recorded_at, id`, scanScan, sink.Scan)
		},
		func() error {
			return rowsTo(x, `SELECT ticket_id, event_id, inside, entries, first_in_at, last_scan FROM presence ORDER BY ticket_id`,
				scanPresence, sink.Presence)
		},
		func() error {
			return rowsTo(x, `SELECT `+attendanceCols+` FROM attendance ORDER BY at, ticket_id, session_id`, scanAttendance, sink.Attendance)
		},
		func() error {
			return rowsTo(x, `SELECT `+programCols+` FROM programs ORDER BY created_at, id`, scanProgram, sink.Program)
		},
		func() error {
			return rowsTo(x, `SELECT `+applicationCols+` FROM applications ORDER BY created_at, id`, scanApplication, sink.Application)
		},
		func() error {
			return rowsTo(x, `SELECT application_id, reviewer_id, assigned_at FROM application_reviewers ORDER BY application_id, reviewer_id`,
				scanPair, sink.Reviewer)
		},
		func() error {
			return rowsTo(x, `SELECT `+reviewCols+`, program_id FROM reviews ORDER BY application_id, reviewer_id`, scanProgramReview, sink.Review)
		},
		func() error {
			return rowsTo(x, `SELECT program_id, reviewer_id FROM review_reminders ORDER BY program_id, reviewer_id`,
				func(row scanner) (migrate.ReviewReminder, error) {
					var r migrate.ReviewReminder
					return r, row.Scan(&r.ProgramID, &r.ReviewerID)
				}, sink.ReviewReminder)
		},
		func() error {
			return rowsTo(x, `SELECT id, program_id, name, starts_at, ends_at, created_at FROM cohorts ORDER BY created_at, id`,
				scanCohort, sink.Cohort)
		},
		func() error {
			return rowsTo(x, `SELECT application_id, mentor_id, assigned_at FROM startup_mentors ORDER BY application_id, mentor_id`,
				scanPair, sink.Mentor)
		},
		func() error {
			return rowsTo(x, `SELECT id, application_id, title, due, status, created_at FROM milestones ORDER BY application_id, due, id`,
				scanMilestone, sink.Milestone)
		},
		func() error {
			return rowsTo(x, `SELECT application_id, month, revenue, users, staff, funding, highlights, filed_by, created_at, updated_at
				FROM startup_reports ORDER BY application_id, month`, scanReport, sink.Report)
		},
		func() error {
			return rowsTo(x, `SELECT application_id, month FROM report_reminders ORDER BY application_id, month`, scanReminder, sink.Reminder)
		},
		func() error {
			return rowsTo(x, `SELECT `+profileCols+` FROM startup_profiles ORDER BY application_id`, scanProfile, sink.Profile)
		},
		func() error {
			return rowsTo(x, `SELECT `+sessionCols+` FROM mentor_sessions ORDER BY application_id, day, id`, scanSession, sink.Session)
		},
		func() error {
			return rowsTo(x, `SELECT `+boothCols+` FROM booths ORDER BY event_id, code, id`, scanBooth, sink.Booth)
		},
		func() error {
			return rowsTo(x, `SELECT `+changeCols+` FROM booth_changes ORDER BY event_id, at, id`, scanChange, sink.BoothChange)
		},
		func() error {
			return rowsTo(x, `SELECT `+exhibitorCols+` FROM exhibitors ORDER BY created_at, id`, scanExhibitor, sink.Exhibitor)
		},
		func() error {
			return rowsTo(x, `SELECT o.event_id, o.owner_id, o.exhibitor_id, x.created_at FROM exhibitor_owners o
				JOIN exhibitors x ON x.id = o.exhibitor_id ORDER BY o.event_id, o.owner_id`, scanOwner, sink.ExhibitorOwner)
		},
		func() error {
			return rowsTo(x, `SELECT `+staffCols+` FROM exhibitor_staff ORDER BY exhibitor_id, created_at, id`, scanStaff, sink.BoothStaff)
		},
		func() error {
			return rowsTo(x, `SELECT `+leadCols+` FROM leads ORDER BY exhibitor_id, created_at, id`, scanLead, sink.Lead)
		},
		func() error {
			return rowsTo(x, `SELECT `+auditCols+` FROM audit_log ORDER BY at, id`, scanAudit, sink.AuditEntry)
		},
		func() error {
			return rowsTo(x, `SELECT `+certColumns+` FROM certificates ORDER BY issued_at, code`, scanCert, sink.Certificate)
		},
		func() error {
			return rowsTo(x, `SELECT year, n FROM certificate_counters ORDER BY year`, func(r scanner) (migrate.CertCounter, error) {
				var c migrate.CertCounter
				return c, r.Scan(&c.Year, &c.N)
			}, sink.CertCounter)
		},
		func() error {
			return rowsTo(x, `SELECT `+holidayCols+` FROM holidays ORDER BY date`, scanHoliday, sink.Holiday)
		},
		func() error {
			return rowsTo(x, `SELECT doc FROM st_dossiers ORDER BY id`, scanDossier, sink.Dossier)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return tx.Rollback()
}

type exporter struct {
	ctx context.Context
	tx  *sql.Tx
}

// rowsTo scans every row q selects and hands it to put.
func rowsTo[T any](x exporter, q string, scan func(scanner) (T, error), put func(context.Context, T) error, args ...any) error {
	return each(x.ctx, x.tx, q, args, func(rows *sql.Rows) error {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		return put(x.ctx, v)
	})
}

// withMore scans the columns a scan function knows, then more after them.
type withMore struct {
	row  scanner
	more []any
}

func (w withMore) Scan(dest ...any) error { return w.row.Scan(append(dest, w.more...)...) }

func scanSeqWait(row scanner) (migrate.WaitEntry, error) {
	var w migrate.WaitEntry
	var err error
	w.WaitEntry, err = scanWait(withMore{row, []any{&w.Seq}})
	return w, err
}

func scanProgramReview(row scanner) (migrate.Review, error) {
	var r migrate.Review
	var err error
	r.Review, err = scanReview(withMore{row, []any{&r.ProgramID}})
	return r, err
}

func scanKV(row scanner) (migrate.KVEntry, error) {
	var e migrate.KVEntry
	var expires int64
	var counter bool
	if err := row.Scan(&e.Key, &e.Value, &counter, &e.N, &expires); err != nil {
		return e, err
	}
	// An empty value may scan as nil, which says counter.
	if !counter && e.Value == nil {
		e.Value = []byte{}
	}
	e.ExpiresAt = fromMs(expires)
	return e, nil
}

func scanKey(row scanner) (keys.Key, error) {
	var k keys.Key
	var seed []byte
	var created, retired int64
	if err := row.Scan(&k.ID, &seed, &created, &retired); err != nil {
		return k, err
	}
	if len(seed) != ed25519.SeedSize {
		return k, fmt.Errorf("sqlite: signing key %s: seed of %d bytes", k.ID, len(seed))
	}
	k.Private, k.CreatedAt, k.RetiredAt = ed25519.NewKeyFromSeed(seed), fromMs(created), fromMs(retired)
	return k, nil
}

func scanFile(row scanner) (files.File, error) {
	var f files.File
	var created int64
	if err := row.Scan(&f.ID, &f.Name, &f.ContentType, &f.Data, &created); err != nil {
		return f, err
	}
	if f.Data == nil {
		f.Data = []byte{}
	}
	f.Size, f.CreatedAt = int64(len(f.Data)), fromMs(created)
	return f, nil
}

// exportGates hands each event's gates over at once, in their order.
func exportGates(x exporter, sink migrate.Sink) error {
	var g migrate.Gates
	err := each(x.ctx, x.tx, `SELECT event_id, name FROM event_gates ORDER BY event_id, position`, nil, func(rows *sql.Rows) error {
		var eventID, name string
		if err := rows.Scan(&eventID, &name); err != nil {
			return err
		}
		if eventID != g.EventID && g.EventID != "" {
			if err := sink.Gates(x.ctx, g); err != nil {
				return err
			}
			g = migrate.Gates{}
		}
		g.EventID, g.Names = eventID, append(g.Names, name)
		return nil
	})
	if err != nil || g.EventID == "" {
		return err
	}
	return sink.Gates(x.ctx, g)
}

func scanAssignment(row scanner) (staffing.Assignment, error) {
	var a staffing.Assignment
	var at int64
	err := row.Scan(&a.EventID, &a.UserID, &a.AssignedBy, &at)
	a.AssignedAt = fromMs(at)
	return a, err
}

func scanPresence(row scanner) (integrity.Presence, error) {
	var p integrity.Presence
	var first int64
	err := row.Scan(&p.TicketID, &p.EventID, &p.Inside, &p.Entries, &first, &p.LastScan)
	p.FirstInAt = fromMs(first)
	return p, err
}

func scanPair(row scanner) (migrate.Assignment, error) {
	var a migrate.Assignment
	var at int64
	err := row.Scan(&a.ApplicationID, &a.UserID, &at)
	a.AssignedAt = fromMs(at)
	return a, err
}

func scanMilestone(row scanner) (incubator.Milestone, error) {
	var m incubator.Milestone
	var due, created int64
	var status string
	err := row.Scan(&m.ID, &m.ApplicationID, &m.Title, &due, &status, &created)
	m.Due, m.CreatedAt, m.Status = fromMs(due), fromMs(created), incubator.MilestoneStatus(status)
	return m, err
}

func scanReport(row scanner) (incubator.Report, error) {
	var r incubator.Report
	var created, updated int64
	err := row.Scan(&r.ApplicationID, &r.Month, &r.Revenue, &r.Users, &r.Staff, &r.Funding, &r.Highlights, &r.FiledBy, &created, &updated)
	r.CreatedAt, r.UpdatedAt = fromMs(created), fromMs(updated)
	return r, err
}

func scanReminder(row scanner) (migrate.Reminder, error) {
	var r migrate.Reminder
	err := row.Scan(&r.ApplicationID, &r.Month)
	return r, err
}

func scanChange(row scanner) (expo.Change, error) {
	var c expo.Change
	var at int64
	err := row.Scan(&c.ID, &c.EventID, &c.BoothID, &c.BoothCode, &c.Action, &c.ExhibitorID, &c.Company, &c.ByID, &c.ByName, &at)
	c.At = fromMs(at)
	return c, err
}

func scanOwner(row scanner) (migrate.ExhibitorOwner, error) {
	var o migrate.ExhibitorOwner
	var at int64
	err := row.Scan(&o.EventID, &o.OwnerID, &o.ExhibitorID, &at)
	o.ClaimedAt = fromMs(at)
	return o, err
}
