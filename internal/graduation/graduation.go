// Package graduation issues a course's certificates: to every participant
// its completion rule counts as having completed it, once, each announced
// by one mail in the participant's language.
package graduation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sprout/internal/certpdf"
	"sprout/internal/certs"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/mail"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/vn"
)

// Events is what issuing needs of the events.
type Events interface {
	Event(ctx context.Context, id string, staff bool) (events.Event, error)
	Agenda(ctx context.Context, eventID string) ([]events.AgendaItem, error)
	All(ctx context.Context, offset, limit int) ([]events.Event, int, error)
	CertsIssued(ctx context.Context, eventID string, at time.Time) error
}

// Tickets lists a course's participants and gives their ticket pages.
type Tickets interface {
	Each(ctx context.Context, q tickets.Query, fn func(tickets.Ticket) error) error
	Ticket(ctx context.Context, id string) (tickets.Ticket, error)
	URL(t tickets.Ticket) string
}

// Attendance lists who attended which session.
type Attendance interface {
	EventAttendance(ctx context.Context, eventID string) ([]training.Attendance, error)
}

// Mailer queues a mail under an id once.
type Mailer interface {
	EnqueueOnce(ctx context.Context, id, to, template, lang string, data any) (bool, error)
}

// Service issues courses' certificates.
type Service struct {
	events     Events
	tickets    Tickets
	attendance Attendance
	certs      *certs.Service
	mail       Mailer
	clk        clock.Clock
	baseURL    string
	place      string
}

// New wires issuing; baseURL begins the certificates' verify addresses,
// and place is the city their PDFs are dated at, if any.
func New(ev Events, t Tickets, a Attendance, c *certs.Service, m Mailer, clk clock.Clock, baseURL, place string) *Service {
	return &Service{events: ev, tickets: t, attendance: a, certs: c, mail: m, clk: clk, baseURL: baseURL, place: place}
}

// Doc is what a certificate's PDF draws.
func (s *Service) Doc(c certs.Certificate) certpdf.Doc {
	return certpdf.Doc{Cert: c, VerifyURL: s.VerifyURL(c.Code), Place: s.place}
}

// VerifyURL is where anyone checks a certificate.
func (s *Service) VerifyURL(code string) string { return s.baseURL + "/verify/" + code }

// Template is the mail that brings a certificate.
const Template = "certificate"

// announceWithin is how long after its issue a certificate's mail is
// still queued by a later run: a run cut off between issuing and mailing
// is finished by the next, and the mail's id keeps it to one.
const announceWithin = 24 * time.Hour

// Source is what a participant's certificate of a course certifies.
func Source(eventID, ticketID string) string { return "course:" + eventID + ":" + ticketID }

// Report is what issuing a course's certificates did.
type Report struct {
	// Participants are the active registrations; Completed of them met
	// the rule.
	Participants, Completed int
	// Issued certificates are new; Mailed mails were queued.
	Issued, Mailed int
}

// Issue issues the course's certificates to everyone its rule counts as
// having completed it. Running it again, even at the same moment, issues
// and mails nothing twice; those who completed since get theirs.
func (s *Service) Issue(ctx context.Context, eventID string) (Report, error) {
	e, err := s.events.Event(ctx, eventID, true)
	if err != nil {
		return Report{}, err
	}
	if !e.Course.Enabled {
		return Report{}, errs.New(errs.Invalid, "error.not_course")
	}
	agenda, err := s.events.Agenda(ctx, e.ID)
	if err != nil {
		return Report{}, err
	}
	if len(agenda) == 0 {
		return Report{}, errs.New(errs.Invalid, "error.course_no_sessions")
	}
	rows, err := s.sheet(ctx, e, agenda)
	if err != nil {
		return Report{}, err
	}
	details := Details(e, agenda)
	r := Report{Participants: len(rows)}
	for _, row := range rows {
		if !row.Completed {
			continue
		}
		r.Completed++
		t := row.Ticket
		c, fresh, err := s.certs.Issue(ctx, certs.Input{Kind: certs.Training, Holder: t.Name, Title: e.Title,
			Source: Source(e.ID, t.ID), Details: details})
		if err != nil {
			return r, err
		}
		if fresh {
			r.Issued++
		}
		if c.Status != certs.Valid || t.Email == "" || s.clk.Now().Sub(c.IssuedAt) > announceWithin {
			continue
		}
		queued, err := s.mail.EnqueueOnce(ctx, "cert-"+c.Code, t.Email, Template, t.Lang, map[string]any{"Code": c.Code, "Lang": t.Lang})
		if err != nil {
			return r, err
		}
		if queued {
			r.Mailed++
		}
	}
	return r, s.events.CertsIssued(ctx, e.ID, s.clk.Now())
}

// Details are the facts a course's certificates show: its days, its
// hours, its English title, who signs.
func Details(e events.Event, agenda []events.AgendaItem) map[string]string {
	d := map[string]string{certs.DetailCourse: e.ID}
	if len(agenda) > 0 {
		first := agenda[0].StartsAt
		for _, a := range agenda {
			if a.StartsAt.Before(first) {
				first = a.StartsAt
			}
		}
		d[certs.DetailFrom] = first.In(vn.Zone).Format(time.DateOnly)
		d[certs.DetailTo] = events.Ends(agenda).In(vn.Zone).Format(time.DateOnly)
		d[certs.DetailHours] = strconv.FormatFloat(events.CourseHours(agenda), 'f', -1, 64)
	}
	if e.TitleEN != "" && e.TitleEN != e.Title {
		d[certs.DetailTitleEn] = e.TitleEN
	}
	if n := strings.TrimSpace(e.Course.SignerName); n != "" {
		d[certs.DetailSigner] = n
	}
	if t := strings.TrimSpace(e.Course.SignerTitle); t != "" {
		d[certs.DetailSignerTitle] = t
	}
	return d
}

// IssueEnded issues the certificates of every course set to issue them
// when it ends whose last session has ended and that has not issued them
// yet. It returns how many courses it issued; a course that fails is left
// for the next pass and the others go on.
func (s *Service) IssueEnded(ctx context.Context) (int, error) {
	const page = 100
	now := s.clk.Now()
	var problems []error
	done := 0
	for offset := 0; ; offset += page {
		list, total, err := s.events.All(ctx, offset, page)
		if err != nil {
			return done, err
		}
		for _, e := range list {
			if !e.Course.Enabled || !e.Course.AutoIssue || !e.Course.CertsIssuedAt.IsZero() {
				continue
			}
			agenda, err := s.events.Agenda(ctx, e.ID)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			if end := events.Ends(agenda); end.IsZero() || end.After(now) {
				continue
			}
			if _, err := s.Issue(ctx, e.ID); err != nil {
				problems = append(problems, err)
				continue
			}
			done++
		}
		if offset+page >= total {
			return done, errors.Join(problems...)
		}
	}
}

// OfCourse picks a course's certificates out of the training ones: those
// issued to its participants and their corrections.
func OfCourse(list []certs.Certificate, eventID string) []certs.Certificate {
	var out []certs.Certificate
	for _, c := range list {
		if c.Details[certs.DetailCourse] == eventID {
			out = append(out, c)
		}
	}
	return out
}

// Overview is a course's certificates as its organizer sees them.
type Overview struct {
	// Participants are the active registrations; Completed of them met
	// the rule, and Waiting of those have no certificate yet.
	Participants, Completed, Waiting int
	// Certificates are the course's, corrections and revoked ones too,
	// newest first.
	Certificates []certs.Certificate
}

// Overview counts who completed the course and lists its certificates.
func (s *Service) Overview(ctx context.Context, eventID string) (Overview, error) {
	e, err := s.events.Event(ctx, eventID, true)
	if err != nil {
		return Overview{}, err
	}
	agenda, err := s.events.Agenda(ctx, e.ID)
	if err != nil {
		return Overview{}, err
	}
	rows, err := s.sheet(ctx, e, agenda)
	if err != nil {
		return Overview{}, err
	}
	all, err := s.certs.List(ctx, certs.Training)
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Participants: len(rows), Certificates: OfCourse(all, e.ID)}
	issued := make(map[string]bool, len(o.Certificates))
	for _, c := range o.Certificates {
		issued[c.Source] = true
	}
	for _, row := range rows {
		if row.Completed {
			o.Completed++
			if !issued[Source(e.ID, row.Ticket.ID)] {
				o.Waiting++
			}
		}
	}
	return o, nil
}

// sheet applies the course's rule to its active registrations.
func (s *Service) sheet(ctx context.Context, e events.Event, agenda []events.AgendaItem) ([]training.Row, error) {
	attendance, err := s.attendance.EventAttendance(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	var people []tickets.Ticket
	if err := s.tickets.Each(ctx, tickets.Query{EventID: e.ID, Status: tickets.Active}, func(t tickets.Ticket) error {
		people = append(people, t)
		return nil
	}); err != nil {
		return nil, err
	}
	return training.Sheet(e.Course, agenda, people, attendance), nil
}

// FillMail completes a certificate's mail when it is sent: the holder, the
// course, where to verify it and the ticket page, and the PDF itself,
// drawn then rather than kept in the outbox. A certificate revoked before
// its mail went is not announced.
func (s *Service) FillMail(ctx context.Context, data map[string]any) (map[string]any, []mail.Attachment, error) {
	code, _ := data["Code"].(string)
	c, err := s.certs.ByCode(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	if c.Status != certs.Valid {
		return nil, nil, fmt.Errorf("%w: certificate %s was revoked", errs.ErrNotFound, code)
	}
	lang, _ := data["Lang"].(string)
	course := c.Title
	if en := c.Details[certs.DetailTitleEn]; lang == "en" && en != "" {
		course = en
	}
	filled := map[string]any{"Code": c.Code, "Name": c.Holder, "Course": course, "Issuer": c.Issuer, "Verify": s.VerifyURL(c.Code)}
	if _, ticketID, ok := strings.Cut(strings.TrimPrefix(c.Source, "course:"), ":"); ok && strings.HasPrefix(c.Source, "course:") {
		if t, err := s.tickets.Ticket(ctx, ticketID); err == nil {
			filled["Link"] = s.tickets.URL(t)
		}
	}
	var pdf bytes.Buffer
	if err := certpdf.Render(&pdf, s.Doc(c)); err != nil {
		return nil, nil, err
	}
	return filled, []mail.Attachment{{Name: c.Code + ".pdf", ContentType: "application/pdf", Data: pdf.Bytes()}}, nil
}
