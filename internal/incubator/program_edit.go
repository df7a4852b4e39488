package incubator

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/vn"
)

// ReminderLead is how long before a programme's review deadline reviewers
// with unfinished reviews are reminded.
const ReminderLead = 72 * time.Hour

// LabelIn is the question's label in lang, Vietnamese when there is no
// English one.
func (q Question) LabelIn(lang string) string {
	if lang == "en" && q.LabelEN != "" {
		return q.LabelEN
	}
	return q.Label
}

// HelpIn is LabelIn for the help text.
func (q Question) HelpIn(lang string) string {
	if lang == "en" && q.HelpEN != "" {
		return q.HelpEN
	}
	return q.Help
}

// Choice is one option of a choice question: the value answers keep and
// the text shown.
type Choice struct{ Value, Text string }

// AnswerIn is an answer as a reader of lang sees it: a chosen option in
// its English text on English pages; any other answer as it was given.
func (q Question) AnswerIn(lang, answer string) string {
	for _, c := range q.ChoicesIn(lang) {
		if c.Value == answer {
			return c.Text
		}
	}
	return answer
}

// ChoicesIn lists the question's options with their texts in lang.
func (q Question) ChoicesIn(lang string) []Choice {
	out := make([]Choice, len(q.Options))
	for i, o := range q.Options {
		out[i] = Choice{Value: o, Text: o}
		if lang == "en" && i < len(q.OptionsEN) && q.OptionsEN[i] != "" {
			out[i].Text = q.OptionsEN[i]
		}
	}
	return out
}

// LabelIn is the criterion's label in lang, Vietnamese when there is no
// English one.
func (c Criterion) LabelIn(lang string) string {
	if lang == "en" && c.LabelEN != "" {
		return c.LabelEN
	}
	return c.Label
}

// AnchorIn is what a score means in lang, Vietnamese when there is no
// English text.
func (c Criterion) AnchorIn(score, lang string) string {
	if lang == "en" && c.AnchorsEN[score] != "" {
		return c.AnchorsEN[score]
	}
	return c.Anchors[score]
}

// Live lists the questions founders answer now, without removed ones.
func (p Program) Live() []Question {
	return slices.DeleteFunc(slices.Clone(p.Questions), func(q Question) bool { return q.Removed })
}

// withIDs names the questions and criteria that a form builder sent
// without an id, so that answers and scores stay keyed by an id that never
// changes with the label. The lists are copies: the caller's rows, shown
// again when saving fails, stay as typed.
func (in ProgramInput) withIDs() ProgramInput {
	in.Questions, in.Criteria = slices.Clone(in.Questions), slices.Clone(in.Criteria)
	for i := range in.Questions {
		if strings.TrimSpace(in.Questions[i].ID) == "" {
			in.Questions[i].ID = newItemID("q")
		}
	}
	for i := range in.Criteria {
		if strings.TrimSpace(in.Criteria[i].ID) == "" {
			in.Criteria[i].ID = newItemID("c")
		}
	}
	return in
}

func newItemID(prefix string) string { return prefix + strings.ToLower(ids.New())[14:] }

// deadlineText is a deadline as a mail in lang writes it, in Vietnam's
// time: "6 Dec 2026, 17:00" in English, "17:00 ngày 06/12/2026" in
// Vietnamese.
func deadlineText(lang string, t time.Time) string {
	t = t.In(vn.Zone)
	if lang == "en" {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("15:04 ngày 02/01/2006")
}

func deadline(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

// sameScoring tells whether two lists of criteria score alike: the same
// ids, labels, weights and anchors in the same order. English texts may
// differ: they translate, they do not change what was scored.
func sameScoring(a, b []Criterion) bool {
	return slices.EqualFunc(a, b, func(x, y Criterion) bool {
		return x.ID == y.ID && x.Label == y.Label && x.Weight == y.Weight && maps.Equal(x.Anchors, y.Anchors)
	})
}

// UpdateProgram changes a programme. Questions left out of in are dropped
// while nobody has applied; once someone has, they are kept as removed so
// their answers stay readable. Criteria cannot change once a review is in
// (English texts can).
func (s *Service) UpdateProgram(ctx context.Context, id string, in ProgramInput) (Program, error) {
	p, err := s.store.Program(ctx, id)
	if err != nil {
		return Program{}, err
	}
	if in, err = in.withIDs().check(); err != nil {
		return Program{}, err
	}
	rescored := !sameScoring(p.Criteria, in.Criteria)
	if rescored {
		if err := s.refuseReviewed(ctx, p.ID); err != nil {
			return Program{}, err
		}
	}
	questions := in.Questions
	if questions == nil {
		questions = []Question{}
	}
	_, applied, err := s.store.Applications(ctx, AppQuery{ProgramID: p.ID, Limit: 1})
	if err != nil {
		return Program{}, err
	}
	if applied > 0 {
		for _, q := range p.Questions {
			if !slices.ContainsFunc(questions, func(n Question) bool { return n.ID == q.ID }) {
				q.Removed = true
				questions = append(questions, q)
			}
		}
	}
	p.Slug, p.Title, p.TitleEN, p.Description, p.DescriptionEN, p.Eligibility = in.Slug, in.Title, in.TitleEN, in.Description,
		in.DescriptionEN, in.Eligibility
	p.OpensAt, p.ClosesAt = in.OpensAt.UTC().Truncate(time.Millisecond), in.ClosesAt.UTC().Truncate(time.Millisecond)
	p.Questions, p.Criteria, p.Blind, p.ReviewDeadline = questions, in.Criteria, in.Blind, deadline(in.ReviewDeadline)
	if err := s.store.UpdateProgram(ctx, p, rescored); err != nil {
		switch {
		case errors.Is(err, ErrReviewed):
			// A review came in after the check above; it may not be
			// stored yet.
			if err := s.refuseReviewed(ctx, p.ID); err != nil {
				return Program{}, err
			}
			return Program{}, field("criteria", "error.criteria_scoring")
		case errors.Is(err, errs.ErrConflict):
			return Program{}, &errs.Error{Kind: errs.Conflict, MsgID: "error.program_slug_taken", Field: "slug"}
		}
		return Program{}, programChanged(err)
	}
	if rescored {
		p.CriteriaVersion++
	}
	return p, nil
}

// refuseReviewed is the criteria's field error when the programme has
// reviews, and nil when it has none.
func (s *Service) refuseReviewed(ctx context.Context, id string) error {
	reviews, err := s.store.ProgramReviews(ctx, id)
	if err != nil {
		return err
	}
	if len(reviews) == 0 {
		return nil
	}
	return field("criteria", "error.criteria_reviewed", "Count", len(reviews))
}

// programChanged tells the organizer to reload when another change to the
// criteria came in between reading the programme and saving it.
func programChanged(err error) error {
	if errs.KindOf(err) == errs.Stale {
		return errs.New(errs.Stale, "error.program_changed")
	}
	return err
}

// CloseCall ends a programme's call now, before its closing date; a call
// already closed is errs.Conflict.
func (s *Service) CloseCall(ctx context.Context, id string) (Program, error) {
	p, err := s.store.Program(ctx, id)
	if err != nil {
		return Program{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if !now.Before(p.ClosesAt) {
		return Program{}, errs.New(errs.Conflict, "error.call_already_closed")
	}
	if now.Before(p.OpensAt) {
		// A call that never opened closes the moment it would have opened,
		// so its dates stay in order.
		now = p.OpensAt.Add(time.Millisecond)
	}
	p.ClosesAt = now
	if err := s.store.UpdateProgram(ctx, p, false); err != nil {
		return Program{}, programChanged(err)
	}
	return p, nil
}

// ExtendCall moves a programme's closing time later, reopening a call
// that has closed; a time not after both the current closing time and now
// is refused beside the field.
func (s *Service) ExtendCall(ctx context.Context, id string, closes time.Time) (Program, error) {
	p, err := s.store.Program(ctx, id)
	if err != nil {
		return Program{}, err
	}
	closes = closes.UTC().Truncate(time.Millisecond)
	if closes.IsZero() || !closes.After(p.ClosesAt) || !closes.After(s.now()) {
		return Program{}, field("closes_at", "error.extend_later")
	}
	p.ClosesAt = closes
	if err := s.store.UpdateProgram(ctx, p, false); err != nil {
		return Program{}, programChanged(err)
	}
	return p, nil
}

// Late lists the reviewers of a programme with reviews left unfinished
// once its review deadline has passed at at; before it, or without one,
// nobody is late.
func (s *Service) Late(ctx context.Context, p Program, at time.Time) ([]ReviewerProgress, error) {
	if p.ReviewDeadline.IsZero() || at.Before(p.ReviewDeadline) {
		return nil, nil
	}
	return s.unfinished(ctx, p.ID)
}

func (s *Service) unfinished(ctx context.Context, programID string) ([]ReviewerProgress, error) {
	progress, err := s.Progress(ctx, programID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(progress, func(r ReviewerProgress) bool { return r.Done >= r.Assigned }), nil
}

// RemindReviewers mails each reviewer with unfinished reviews of a
// programme whose review deadline is at most ReminderLead away, once per
// programme and reviewer, in the reviewer's language. link is the
// reviewers' queue.
func (s *Service) RemindReviewers(ctx context.Context, at time.Time, link string) (int, error) {
	if s.mailer == nil {
		return 0, nil
	}
	sent := 0
	for offset := 0; ; offset += 100 {
		programs, total, err := s.store.Programs(ctx, offset, 100)
		if err != nil {
			return sent, err
		}
		for _, p := range programs {
			if p.ReviewDeadline.IsZero() || !at.Before(p.ReviewDeadline) || at.Before(p.ReviewDeadline.Add(-ReminderLead)) {
				continue
			}
			n, err := s.remindReviewers(ctx, p, link)
			sent += n
			if err != nil {
				return sent, err
			}
		}
		if offset+100 >= total {
			return sent, nil
		}
	}
}

func (s *Service) remindReviewers(ctx context.Context, p Program, link string) (int, error) {
	late, err := s.unfinished(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range late {
		if r.Reviewer.Email == "" {
			continue
		}
		// The marker is taken before the mail is queued: a lost reminder
		// is better than reviewers mailed twice by two instances.
		first, err := s.store.MarkReviewReminded(ctx, p.ID, r.Reviewer.ID)
		if err != nil {
			return sent, err
		}
		if !first {
			continue
		}
		_, err = s.mailer.Enqueue(ctx, r.Reviewer.Email, "review_reminder", r.Reviewer.Lang, map[string]any{
			"Name": r.Reviewer.Name, "Program": p.TitleIn(r.Reviewer.Lang), "Unfinished": r.Assigned - r.Done,
			"Several":  r.Assigned-r.Done > 1,
			"Deadline": deadlineText(r.Reviewer.Lang, p.ReviewDeadline), "Link": link,
		})
		if err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}
