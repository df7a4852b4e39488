package certification

import (
	"context"
	"errors"
	"slices"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/mail"
	"sprout/internal/vn"
)

// Mailer queues mail; the outbox satisfies it.
type Mailer interface {
	Enqueue(ctx context.Context, to, template, lang string, data any, attachments ...mail.Attachment) (mail.Message, error)
}

// People finds the enterprise owners and officers mail goes to.
type People interface {
	UserByID(ctx context.Context, id string) (accounts.User, error)
	ListUsers(ctx context.Context, q accounts.UserQuery) ([]accounts.User, int, error)
}

// Notices is how the procedure tells people: through mailer, to people,
// with links under baseURL.
type Notices struct {
	Mail    Mailer
	People  People
	BaseURL string
}

// SetNotices makes the procedure mail enterprises of its steps and
// officers of deadlines.
func (s *Service) SetNotices(n Notices) { s.notices = n }

// Mail templates.
const (
	MailAdditions = "st_additions"
	MailGranted   = "st_granted"
	MailRefused   = "st_refused"
	MailRevoked   = "st_revoked"
	MailDue       = "st_due"
	MailReport    = "st_report_reminder"
)

// stepMail is the mail an owner gets when their dossier reaches a stage.
var stepMail = map[Stage]string{Incomplete: MailAdditions, Granted: MailGranted, Refused: MailRefused, Revoked: MailRevoked}

// announce tells a dossier's owner, in their language, what an officer
// just did: the note asking for additions, the certificate granted, the
// reasons of a refusal or a revocation.
func (s *Service) announce(ctx context.Context, d Dossier, step Stage) error {
	template, ok := stepMail[step]
	if !ok || s.notices.Mail == nil {
		return nil
	}
	return s.mailOwner(ctx, d, template, map[string]any{
		"Note": d.Note, "Reasons": d.Reasons, "Code": d.CertCode, "Verify": s.notices.BaseURL + "/verify/" + d.CertCode,
	})
}

// mailOwner sends template to the owner of d with data, adding the name,
// the enterprise and a link to the dossier.
func (s *Service) mailOwner(ctx context.Context, d Dossier, template string, data map[string]any) error {
	u, err := s.notices.People.UserByID(ctx, d.OwnerID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && !u.Active()) {
		return nil
	}
	if err != nil {
		return err
	}
	data["Name"], data["Enterprise"] = u.Name, d.Enterprise.Name
	data["Link"] = s.notices.BaseURL + "/enterprise/dossiers/" + d.ID
	_, err = s.notices.Mail.Enqueue(ctx, u.Email, template, u.Lang, data)
	return err
}

// WarnLead is how many working days before its deadline officers are told
// a dossier's decision falls due.
const WarnLead = 3

// The deadline flags of a dossier whose clock runs.
const (
	FlagSoon    = "soon"
	FlagOverdue = "overdue"
)

// DeadlineFlag marks a dossier whose decision falls due within WarnLead
// working days (amber on the officers' pages) or is overdue (red); left
// is the working days left, running whether the clock runs at all.
func DeadlineFlag(left int, running bool) string {
	switch {
	case !running:
		return ""
	case left < 0:
		return FlagOverdue
	case left <= WarnLead:
		return FlagSoon
	}
	return ""
}

// WarnDue tells every officer, once per dossier, of each dossier under
// appraisal whose decision falls due within WarnLead working days or is
// overdue. The dossier is marked warned first, in a step guarded by its
// version, so that of two instances only one mails. It returns how many
// dossiers were warned of.
func (s *Service) WarnDue(ctx context.Context) (int, error) {
	if s.notices.Mail == nil {
		return 0, nil
	}
	list, _, err := s.store.Dossiers(ctx, Query{Stages: []Stage{Appraisal}, Limit: 1000})
	if err != nil {
		return 0, err
	}
	var officers []accounts.User
	warned := 0
	for _, d := range list {
		if !d.Warned.IsZero() || d.DueAt.IsZero() {
			continue
		}
		left, err := s.deadlines.Remaining(ctx, d.DueAt)
		if err != nil {
			return warned, err
		}
		if left > WarnLead {
			continue
		}
		d.Warned = s.now()
		if d, err = s.save(ctx, d, nil); errs.KindOf(err) == errs.Conflict {
			continue
		} else if err != nil {
			return warned, err
		}
		if officers == nil {
			if officers, err = s.officers(ctx); err != nil {
				return warned, err
			}
		}
		for _, o := range officers {
			if _, err := s.notices.Mail.Enqueue(ctx, o.Email, MailDue, o.Lang, map[string]any{
				"Name": o.Name, "Enterprise": d.Enterprise.Name, "TaxCode": d.Enterprise.TaxCode,
				"Due": d.DueAt.In(vn.Zone).Format("02/01/2006"), "Left": left, "Late": left < 0, "Overdue": -left,
				"Link": s.notices.BaseURL + "/officer/dossiers/" + d.ID,
			}); err != nil {
				return warned, err
			}
		}
		warned++
	}
	return warned, nil
}

// officers are the active accounts holding the officer role.
func (s *Service) officers(ctx context.Context) ([]accounts.User, error) {
	list, _, err := s.notices.People.ListUsers(ctx, accounts.UserQuery{Role: accounts.RoleOfficer, Limit: 500})
	return slices.DeleteFunc(list, func(u accounts.User) bool { return !u.Active() }), err
}

// ReportDue tells whether a granted dossier is to be reminded at at of
// last year's report: in the first quarter, for a first certificate
// granted before this year, without that report, not yet reminded this
// year.
func ReportDue(d Dossier, at time.Time) bool {
	local := at.In(vn.Zone)
	year := local.Year()
	return local.Month() <= time.March && d.Stage == Granted && d.Kind == New &&
		d.GrantedYear(vn.Zone) != 0 && d.GrantedYear(vn.Zone) < year && d.ReportReminded < year &&
		!slices.ContainsFunc(d.Reports, func(r YearReport) bool { return r.Year == year-1 })
}

// RemindReports mails, once a year in its first quarter, the owners of
// granted enterprises that have not reported last year's figures. The
// reminder is recorded on the dossier before the mail is queued, in a step
// guarded by its version, so it goes once. It returns how many were sent.
func (s *Service) RemindReports(ctx context.Context) (int, error) {
	now := s.clk.Now()
	if s.notices.Mail == nil || now.In(vn.Zone).Month() > time.March {
		return 0, nil
	}
	sent := 0
	for offset := 0; ; offset += 200 {
		list, total, err := s.store.Dossiers(ctx, Query{Stages: []Stage{Granted}, Offset: offset, Limit: 200})
		if err != nil {
			return sent, err
		}
		for _, d := range list {
			if !ReportDue(d, now) {
				continue
			}
			d.ReportReminded = now.In(vn.Zone).Year()
			if d, err = s.save(ctx, d, nil); errs.KindOf(err) == errs.Conflict {
				continue
			} else if err != nil {
				return sent, err
			}
			if err := s.mailOwner(ctx, d, MailReport, map[string]any{"Year": d.ReportReminded - 1, "Code": d.CertCode}); err != nil {
				return sent, err
			}
			sent++
		}
		if len(list) == 0 || offset+len(list) >= total {
			return sent, nil
		}
	}
}
