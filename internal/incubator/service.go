package incubator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
)

// Users finds accounts, to check who may review.
type Users interface {
	User(ctx context.Context, id string) (accounts.User, error)
}

// Service holds the rules of the incubator.
type Service struct {
	store Store
	// files keeps founders' attachments in the store itself, so a backup
	// of the store holds them too.
	files files.Store
	users Users
	now   func() time.Time
	// mailer, when set, tells founders of decisions.
	mailer Mailer
}

// NewService wires the incubator.
func NewService(s Store, f files.Store, u Users, clk clock.Clock) *Service {
	return &Service{store: s, files: f, users: u, now: clk.Now}
}

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	idRE   = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
)

// Limits of what people type.
const (
	maxText     = 200
	maxLongText = 10000
	maxName     = 120
)

func field(name, msgID string, data ...any) *errs.Error {
	e := errs.Field(name, msgID)
	if len(data) >= 2 {
		e.Data = map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			e.Data[data[i].(string)] = data[i+1]
		}
	}
	return e
}

// ProgramInput is what an organizer gives for a programme.
type ProgramInput struct {
	Slug, Title, TitleEN, Description, DescriptionEN, Eligibility string
	OpensAt, ClosesAt                                             time.Time
	Questions                                                     []Question
	Criteria                                                      []Criterion
	Blind                                                         bool
	// ReviewDeadline is optional: zero means none.
	ReviewDeadline time.Time
}

func cleanText(name, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "", field(name, "error.text_invalid")
	case required && s == "":
		return "", field(name, "error.required")
	case utf8.RuneCountInString(s) > max:
		return "", field(name, "error.text_long", "Max", max)
	}
	return s, nil
}

// placed is err, found in the i-th item of a list, on one of its parts.
func placed(err error, i int, part string) error {
	if e, ok := err.(*errs.Error); ok {
		return e.At(i+1, part)
	}
	return err
}

// Check reports every mistake in a programme as typed, for a form that
// could not read all of it and shows what else is wrong. Questions and
// criteria without an id are named first, as saving them would.
func (in ProgramInput) Check() error {
	_, err := in.withIDs().check()
	return err
}

// check cleans in and finds what is wrong with it: one problem per field,
// every field at once, joined (errs.As finds the first).
func (in ProgramInput) check() (ProgramInput, error) {
	var problems []error
	seenField := map[string]bool{}
	bad := func(err error) {
		if e, ok := errs.As(err); ok {
			where := fmt.Sprint(e.Field, e.Item, e.Part)
			if seenField[where] {
				return
			}
			seenField[where] = true
		}
		problems = append(problems, err)
	}
	var err error
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if len(in.Slug) < 3 || len(in.Slug) > 80 || !slugRE.MatchString(in.Slug) {
		bad(field("slug", "error.slug_invalid"))
	} else if ids.Like(in.Slug) {
		bad(field("slug", "error.slug_like_id"))
	}
	for _, f := range []struct {
		name     string
		v        *string
		max      int
		required bool
	}{{"title", &in.Title, maxText, true}, {"title_en", &in.TitleEN, maxText, false},
		{"description", &in.Description, maxLongText, false}, {"description_en", &in.DescriptionEN, maxLongText, false},
		{"eligibility", &in.Eligibility, maxLongText, false}} {
		if *f.v, err = cleanText(f.name, *f.v, f.max, f.required); err != nil {
			bad(err)
		}
	}
	if in.OpensAt.IsZero() {
		bad(field("opens_at", "error.required"))
	}
	if in.ClosesAt.IsZero() || !in.ClosesAt.After(in.OpensAt) {
		bad(field("closes_at", "error.ends_before_start"))
	}
	if !in.ReviewDeadline.IsZero() && !in.ReviewDeadline.After(in.OpensAt) {
		bad(field("review_deadline", "error.review_deadline_before_open"))
	}
	if len(in.Questions) > 100 || len(in.Criteria) > 30 {
		return in, errs.New(errs.Invalid, "error.too_many")
	}
	seen := map[string]bool{}
	// A question's or criterion's mistake names its place and part, so a
	// form marks the very input of that row.
	for i, q := range in.Questions {
		if !idRE.MatchString(q.ID) || seen[q.ID] {
			bad(field("questions", "error.question_id").At(i+1, "id"))
		}
		seen[q.ID] = true
		// An empty label is named by the question's place, the only
		// thing that tells it apart in a long form.
		if strings.TrimSpace(q.Label) == "" {
			bad(field("questions", "error.question_label_required", "Number", i+1).At(i+1, "label"))
		}
		for _, t := range []struct {
			part string
			v    *string
			max  int
		}{{"label", &q.Label, maxText}, {"help", &q.Help, maxText * 5}, {"label_en", &q.LabelEN, maxText},
			{"help_en", &q.HelpEN, maxText * 5}} {
			if *t.v, err = cleanText("questions", *t.v, t.max, false); err != nil {
				bad(placed(err, i, t.part))
			}
		}
		q.Removed = false
		switch q.Kind {
		case KindText, KindLongText, KindNumber, KindURL, KindFile:
			q.Options, q.OptionsEN = nil, nil
		case KindChoice:
			if len(q.Options) == 0 {
				bad(field("questions", "error.choice_options").At(i+1, "options"))
			}
			// English options name the Vietnamese ones one for one, or
			// not at all.
			if len(q.OptionsEN) > 0 && len(q.OptionsEN) != len(q.Options) {
				bad(field("questions", "error.options_en_count", "Label", q.Label).At(i+1, "options_en"))
			}
		default:
			bad(field("questions", "error.question_kind").At(i+1, "kind"))
		}
		in.Questions[i] = q
	}
	if len(in.Criteria) == 0 {
		bad(field("criteria", "error.criteria_required"))
	}
	seen = map[string]bool{}
	for i, c := range in.Criteria {
		if !idRE.MatchString(c.ID) || seen[c.ID] {
			bad(field("criteria", "error.criterion_id").At(i+1, "id"))
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Label) == "" {
			bad(field("criteria", "error.criterion_label_required", "Number", i+1).At(i+1, "label"))
		}
		if c.Label, err = cleanText("criteria", c.Label, maxText, false); err != nil {
			bad(placed(err, i, "label"))
		}
		if c.LabelEN, err = cleanText("criteria", c.LabelEN, maxText, false); err != nil {
			bad(placed(err, i, "label_en"))
		}
		if !(c.Weight > 0 && c.Weight <= 100) {
			bad(field("criteria", "error.criterion_weight").At(i+1, "weight"))
		}
		in.Criteria[i] = c
	}
	return in, errors.Join(problems...)
}

// CreateProgram opens a call; a slug taken is errs.Conflict.
func (s *Service) CreateProgram(ctx context.Context, by string, in ProgramInput) (Program, error) {
	in, err := in.withIDs().check()
	if err != nil {
		return Program{}, err
	}
	p := Program{ID: ids.New(), Slug: in.Slug, Title: in.Title, TitleEN: in.TitleEN, Description: in.Description,
		DescriptionEN: in.DescriptionEN, Eligibility: in.Eligibility, OpensAt: in.OpensAt.UTC().Truncate(time.Millisecond),
		ClosesAt: in.ClosesAt.UTC().Truncate(time.Millisecond), Questions: in.Questions, Criteria: in.Criteria, Blind: in.Blind,
		ReviewDeadline: deadline(in.ReviewDeadline), CreatedBy: by, CreatedAt: s.now()}
	if p.Questions == nil {
		p.Questions = []Question{}
	}
	if err := s.store.CreateProgram(ctx, p); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			return Program{}, &errs.Error{Kind: errs.Conflict, MsgID: "error.program_slug_taken", Field: "slug"}
		}
		return Program{}, err
	}
	return p, nil
}

// Program finds a programme.
func (s *Service) Program(ctx context.Context, id string) (Program, error) {
	return s.store.Program(ctx, id)
}

// checkAnswers keeps answers to known questions, each of its question's
// kind. Files are answered by the id of an attachment.
// checkAnswers checks the answers to the programme's questions that a draft
// saves. A file question is answered only by Attach: here its answer may
// only name the file a already has, and that file stays whatever is sent.
func checkAnswers(p Program, a Application, answers map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(answers))
	for id, raw := range answers {
		i := slices.IndexFunc(p.Questions, func(q Question) bool { return q.ID == id && !q.Removed })
		if i < 0 {
			return nil, field("answers", "error.question_unknown", "ID", id)
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		q := p.Questions[i]
		if q.Kind == KindFile {
			var named string
			if json.Unmarshal(raw, &named) != nil || named == "" || named != attachmentOf(a, q) {
				return nil, field("answers", "error.answer_file_upload", "Label", q.Label, "LabelEN", q.LabelEN)
			}
			continue
		}
		if err := checkAnswer(q, raw); err != nil {
			return nil, err
		}
		out[id] = raw
	}
	for _, q := range p.Questions {
		// Answers to removed questions stay as they were given, for the
		// organizers to read.
		if _, given := a.Answers[q.ID]; given && q.Removed {
			out[q.ID] = a.Answers[q.ID]
		}
		if file := attachmentOf(a, q); file != "" {
			out[q.ID] = a.Answers[q.ID]
		}
	}
	return out, nil
}

func checkAnswer(q Question, raw json.RawMessage) error {
	bad := field("answers", "error.answer_kind", "Label", q.Label, "LabelEN", q.LabelEN)
	if q.Kind == KindNumber {
		var n float64
		if json.Unmarshal(raw, &n) != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return bad
		}
		return nil
	}
	var v string
	if json.Unmarshal(raw, &v) != nil || !utf8.ValidString(v) {
		return bad
	}
	max := maxText
	if q.Kind == KindLongText {
		max = maxLongText
	}
	if utf8.RuneCountInString(v) > max {
		return field("answers", "error.text_long", "Max", max)
	}
	switch q.Kind {
	case KindURL:
		if u, err := url.Parse(v); v != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			return bad
		}
	case KindChoice:
		if v != "" && !slices.Contains(q.Options, v) {
			return bad
		}
	}
	return nil
}

func answered(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	if str, ok := v.(string); ok {
		return strings.TrimSpace(str) != ""
	}
	return v != nil
}

// Start makes a founder's draft application to a programme.
func (s *Service) Start(ctx context.Context, founder accounts.User, programID, startupName string, answers map[string]json.RawMessage) (Application, error) {
	p, err := s.store.Program(ctx, programID)
	if err != nil {
		return Application{}, err
	}
	if startupName, err = cleanText("startup_name", startupName, maxName, false); err != nil {
		return Application{}, err
	}
	if answers, err = checkAnswers(p, Application{}, answers); err != nil {
		return Application{}, err
	}
	now := s.now()
	a := Application{ID: ids.New(), ProgramID: p.ID, FounderID: founder.ID, StartupName: startupName, Answers: answers,
		Status: Draft, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateApplication(ctx, a); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			return Application{}, errs.New(errs.Conflict, "error.already_applied")
		}
		return Application{}, err
	}
	return a, nil
}

// own finds an application of the founder; anyone else's is errs.NotFound.
func (s *Service) own(ctx context.Context, founder accounts.User, id string) (Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if a.FounderID != founder.ID {
		return Application{}, errs.ErrNotFound
	}
	return a, nil
}

// Save writes a draft from the copy at version; an older copy is
// errs.Stale and changes nothing.
func (s *Service) Save(ctx context.Context, founder accounts.User, id string, version int, startupName string, answers map[string]json.RawMessage) (Application, error) {
	return s.save(ctx, founder, id, version, startupName, answers, nil)
}

// save is Save; attached holds the files Attach has just stored, by
// question, which the answers are to name from now on.
func (s *Service) save(ctx context.Context, founder accounts.User, id string, version int, startupName string, answers, attached map[string]json.RawMessage) (Application, error) {
	a, err := s.own(ctx, founder, id)
	if err != nil {
		return Application{}, err
	}
	if a.Status != Draft {
		return Application{}, errs.New(errs.Conflict, "error.application_locked")
	}
	if version != a.Version {
		return Application{}, errs.New(errs.Stale, "error.stale")
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Application{}, err
	}
	if a.StartupName, err = cleanText("startup_name", startupName, maxName, false); err != nil {
		return Application{}, err
	}
	files := a
	if attached != nil {
		files.Answers = maps.Clone(a.Answers)
		if files.Answers == nil {
			files.Answers = map[string]json.RawMessage{}
		}
		maps.Copy(files.Answers, attached)
	}
	if a.Answers, err = checkAnswers(p, files, answers); err != nil {
		return Application{}, err
	}
	a.Version, a.UpdatedAt = version+1, s.now()
	if err := s.store.UpdateApplication(ctx, a); err != nil {
		return Application{}, err
	}
	return a, nil
}

// Submit hands a draft in: every required answer is there and the call is
// open by the server's clock.
func (s *Service) Submit(ctx context.Context, founder accounts.User, id string) (Application, error) {
	a, err := s.own(ctx, founder, id)
	if err != nil {
		return Application{}, err
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Application{}, err
	}
	now := s.now()
	if !p.Open(now) {
		return Application{}, errs.New(errs.Closed, "error.call_closed")
	}
	if a.Status != Draft {
		return Application{}, errs.New(errs.Conflict, "error.application_locked")
	}
	// Every missing answer is reported at once, each on its question, so
	// the form marks them all.
	var missing []error
	if strings.TrimSpace(a.StartupName) == "" {
		missing = append(missing, field("startup_name", "error.required"))
	}
	for _, q := range p.Questions {
		if q.Removed || !q.Required {
			continue
		}
		if q.Kind == KindFile && attachmentOf(a, q) == "" || q.Kind != KindFile && !answered(a.Answers[q.ID]) {
			missing = append(missing, field(q.ID, "error.answer_required", "Label", q.Label, "LabelEN", q.LabelEN))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return Application{}, err
	}
	a.Status, a.SubmittedAt, a.UpdatedAt = Submitted, now, now
	if err := s.store.SetStatus(ctx, a, []Status{Draft}); err != nil {
		return Application{}, err
	}
	a.Version++
	return a, nil
}

// Withdraw takes a submitted application back before its decision.
func (s *Service) Withdraw(ctx context.Context, founder accounts.User, id string) (Application, error) {
	a, err := s.own(ctx, founder, id)
	if err != nil {
		return Application{}, err
	}
	a.Status, a.UpdatedAt = Withdrawn, s.now()
	if err := s.store.SetStatus(ctx, a, []Status{Draft, Submitted, InReview, Interview}); err != nil {
		return Application{}, err
	}
	a.Version++
	return a, nil
}

func staff(u accounts.User) bool { return u.Has(accounts.RoleOrganizer, accounts.RoleAdmin) }

// View finds an application for someone allowed to see it: its founder,
// organizers, admins and its assigned reviewers; anyone else gets
// errs.NotFound. In a blind programme reviewers do not learn the founder.
func (s *Service) View(ctx context.Context, viewer accounts.User, id string) (Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if a.FounderID == viewer.ID || staff(viewer) {
		return a, nil
	}
	reviewers, err := s.store.Reviewers(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if !slices.Contains(reviewers, viewer.ID) {
		return Application{}, errs.ErrNotFound
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Application{}, err
	}
	if p.Blind {
		a.FounderID = ""
	}
	return a, nil
}

// AssignReviewer gives an application to a reviewer, never to its own
// founder.
func (s *Service) AssignReviewer(ctx context.Context, id, reviewerID string) error {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return err
	}
	if a.FounderID == reviewerID {
		return field("user_id", "error.review_own")
	}
	u, err := s.users.User(ctx, reviewerID)
	if errors.Is(err, errs.ErrNotFound) {
		return field("user_id", "error.user_unknown")
	}
	if err != nil {
		return err
	}
	if !u.Has(accounts.RoleReviewer) {
		return field("user_id", "error.not_reviewer")
	}
	return s.store.AssignReviewer(ctx, id, reviewerID, s.now())
}

// ReviewInput is a reviewer's scores and comment.
type ReviewInput struct {
	Scores   map[string]int
	Comment  string
	Conflict bool
}

// Review records an assigned reviewer's scores: every criterion from 1 to
// 5, unless they declare a conflict of interest, which keeps the review
// out of the scores.
func (s *Service) Review(ctx context.Context, reviewer accounts.User, id string, in ReviewInput) (Review, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return Review{}, err
	}
	reviewers, err := s.store.Reviewers(ctx, id)
	if err != nil {
		return Review{}, err
	}
	if !slices.Contains(reviewers, reviewer.ID) {
		return Review{}, errs.ErrNotFound
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Review{}, err
	}
	if a.Status == Draft || a.Status == Withdrawn {
		return Review{}, errs.New(errs.Conflict, "error.not_submitted")
	}
	// Every problem is reported at once, a score on its criterion's field
	// (score_<id>, as the form names it), so the form marks them all.
	var problems []error
	if in.Comment, err = cleanText("comment", in.Comment, maxLongText, false); err != nil {
		problems = append(problems, err)
	}
	scores := map[string]int{}
	for _, cid := range slices.Sorted(maps.Keys(in.Scores)) {
		v := in.Scores[cid]
		if !slices.ContainsFunc(p.Criteria, func(c Criterion) bool { return c.ID == cid }) {
			problems = append(problems, field("scores", "error.criterion_unknown", "ID", cid))
			continue
		}
		if v < 1 || v > 5 {
			problems = append(problems, field("score_"+cid, "error.score_range"))
			continue
		}
		scores[cid] = v
	}
	if !in.Conflict {
		for _, c := range p.Criteria {
			if _, given := in.Scores[c.ID]; !given {
				problems = append(problems, field("score_"+c.ID, "error.score_missing", "Label", c.Label, "LabelEN", c.LabelEN))
			}
		}
	}
	if err := errors.Join(problems...); err != nil {
		return Review{}, err
	}
	now := s.now()
	r := Review{ApplicationID: id, ReviewerID: reviewer.ID, Scores: scores, Comment: in.Comment, Conflict: in.Conflict,
		CreatedAt: now, UpdatedAt: now}
	if err := s.store.PutReview(ctx, r, p.CriteriaVersion); err != nil {
		if errs.KindOf(err) == errs.Stale {
			return Review{}, errs.New(errs.Stale, "error.criteria_changed")
		}
		return Review{}, err
	}
	if a.Status == Submitted {
		a.Status, a.UpdatedAt = InReview, now
		if err := s.store.SetStatus(ctx, a, []Status{Submitted}); err != nil && errs.KindOf(err) != errs.Conflict {
			return Review{}, err
		}
	}
	return r, nil
}

// Ranked is one line of a programme's ranking.
type Ranked struct {
	ID          string   `json:"id"`
	StartupName string   `json:"startup_name"`
	Status      Status   `json:"status"`
	Score       *float64 `json:"score"`
	Reviews     int      `json:"reviews"`
}

// Weighted is a review's weighted mean over the programme's criteria.
func Weighted(criteria []Criterion, scores map[string]int) float64 {
	var sum, weights float64
	for _, c := range criteria {
		sum += c.Weight * float64(scores[c.ID])
		weights += c.Weight
	}
	return sum / weights
}

// Ranking lists a programme's submitted applications, highest score first:
// the mean of the weighted means of the reviews that do not declare a
// conflict. Applications without such a review come last.
func (s *Service) Ranking(ctx context.Context, programID string) ([]Ranked, error) {
	p, err := s.store.Program(ctx, programID)
	if err != nil {
		return nil, err
	}
	apps, _, err := s.store.Applications(ctx, AppQuery{ProgramID: programID,
		Statuses: []Status{Submitted, InReview, Interview, Accepted, Rejected, Waitlisted}, Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	reviews, err := s.store.ProgramReviews(ctx, programID)
	if err != nil {
		return nil, err
	}
	sums, counts := map[string]float64{}, map[string]int{}
	for _, r := range reviews {
		if r.Conflict {
			continue
		}
		sums[r.ApplicationID] += Weighted(p.Criteria, r.Scores)
		counts[r.ApplicationID]++
	}
	out := make([]Ranked, 0, len(apps))
	for _, a := range apps {
		r := Ranked{ID: a.ID, StartupName: a.StartupName, Status: a.Status, Reviews: counts[a.ID]}
		if n := counts[a.ID]; n > 0 {
			score := math.Round(sums[a.ID]/float64(n)*1000) / 1000
			r.Score = &score
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		switch {
		case out[i].Score == nil:
			return false
		case out[j].Score == nil:
			return true
		}
		return *out[i].Score > *out[j].Score
	})
	return out, nil
}

// Decisions an organizer takes.
var Decisions = []Status{Accepted, Rejected, Waitlisted}

// Decide accepts, waitlists or rejects a submitted application, optionally
// into a cohort of its programme and with a note to the founder.
func (s *Service) Decide(ctx context.Context, id string, decision Status, cohortID, note string) (Application, error) {
	if !slices.Contains(Decisions, decision) {
		return Application{}, field("decision", "error.decision_invalid")
	}
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if cohortID != "" {
		c, err := s.store.Cohort(ctx, cohortID)
		if errors.Is(err, errs.ErrNotFound) || (err == nil && c.ProgramID != a.ProgramID) {
			return Application{}, field("cohort_id", "error.cohort_unknown")
		}
		if err != nil {
			return Application{}, err
		}
	}
	if note, err = cleanText("note", note, maxLongText, false); err != nil {
		return Application{}, err
	}
	now := s.now()
	a.Status, a.CohortID, a.DecisionNote, a.DecidedAt, a.UpdatedAt = decision, cohortID, note, now, now
	if err := s.store.SetStatus(ctx, a, []Status{Submitted, InReview, Interview, Accepted, Rejected, Waitlisted}); err != nil {
		return Application{}, err
	}
	a.Version++
	return a, s.mailDecision(ctx, a)
}

// CreateCohort starts a cohort of a programme.
func (s *Service) CreateCohort(ctx context.Context, programID, name string, starts, ends time.Time) (Cohort, error) {
	var err error
	if name, err = cleanText("name", name, maxText, true); err != nil {
		return Cohort{}, err
	}
	if starts.IsZero() {
		return Cohort{}, field("starts_at", "error.required")
	}
	if ends.IsZero() || !ends.After(starts) {
		return Cohort{}, field("ends_at", "error.ends_before_start")
	}
	if _, err := s.store.Program(ctx, programID); errors.Is(err, errs.ErrNotFound) {
		return Cohort{}, field("program_id", "error.program_unknown")
	} else if err != nil {
		return Cohort{}, err
	}
	c := Cohort{ID: ids.New(), ProgramID: programID, Name: name, StartsAt: starts.UTC().Truncate(time.Millisecond),
		EndsAt: ends.UTC().Truncate(time.Millisecond), CreatedAt: s.now()}
	return c, s.store.CreateCohort(ctx, c)
}
