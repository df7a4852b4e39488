package incubator

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
)

// MaxAttachment is the largest file a founder may attach: a pitch deck.
const MaxAttachment = 20 << 20

// TitleIn is the programme's title in lang, Vietnamese when there is no
// English one.
func (p Program) TitleIn(lang string) string {
	if lang == "en" && p.TitleEN != "" {
		return p.TitleEN
	}
	return p.Title
}

// DescriptionIn is TitleIn for the description.
func (p Program) DescriptionIn(lang string) string {
	if lang == "en" && p.DescriptionEN != "" {
		return p.DescriptionEN
	}
	return p.Description
}

// Question finds one of the programme's questions.
func (p Program) Question(id string) (Question, bool) {
	i := slices.IndexFunc(p.Questions, func(q Question) bool { return q.ID == id })
	if i < 0 {
		return Question{}, false
	}
	return p.Questions[i], true
}

// ProgramBySlug finds a programme by its slug.
func (s *Service) ProgramBySlug(ctx context.Context, slug string) (Program, error) {
	return s.store.ProgramBySlug(ctx, slug)
}

// Calls lists the programmes whose call has not closed yet, open or still
// to open, soonest deadline first; internal programmes are no calls.
func (s *Service) Calls(ctx context.Context) ([]Program, error) {
	const page = 100
	now := s.now()
	var out []Program
	for offset := 0; ; offset += page {
		list, total, err := s.store.Programs(ctx, offset, page)
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			if p.ClosesAt.After(now) && !p.Internal {
				out = append(out, p)
			}
		}
		if len(list) == 0 || offset+len(list) >= total {
			return out, nil
		}
	}
}

// Mine lists a founder's applications, each with its programme.
func (s *Service) Mine(ctx context.Context, founder accounts.User) ([]Application, map[string]Program, error) {
	apps, err := s.store.FounderApplications(ctx, founder.ID)
	if err != nil {
		return nil, nil, err
	}
	programs := map[string]Program{}
	for _, a := range apps {
		if _, ok := programs[a.ProgramID]; ok {
			continue
		}
		if programs[a.ProgramID], err = s.store.Program(ctx, a.ProgramID); err != nil {
			return nil, nil, err
		}
	}
	return apps, programs, nil
}

// Apply opens the founder's application to a programme, starting a draft
// when they have none yet and the call is open.
func (s *Service) Apply(ctx context.Context, founder accounts.User, p Program) (Application, error) {
	if a, err := s.founderApplication(ctx, founder, p.ID); !errors.Is(err, errs.ErrNotFound) {
		return a, err
	}
	if !p.Open(s.now()) {
		return Application{}, errs.New(errs.Closed, "error.call_closed")
	}
	a, err := s.Start(ctx, founder, p.ID, "", nil)
	if errs.KindOf(err) == errs.Conflict {
		// Another tab started it a moment ago.
		return s.founderApplication(ctx, founder, p.ID)
	}
	return a, err
}

// FounderApplication is the founder's application to a programme;
// errs.NotFound before they start one.
func (s *Service) FounderApplication(ctx context.Context, founder accounts.User, programID string) (Application, error) {
	return s.founderApplication(ctx, founder, programID)
}

func (s *Service) founderApplication(ctx context.Context, founder accounts.User, programID string) (Application, error) {
	apps, err := s.store.FounderApplications(ctx, founder.ID)
	if err != nil {
		return Application{}, err
	}
	for _, a := range apps {
		if a.ProgramID == programID {
			return a, nil
		}
	}
	return Application{}, errs.ErrNotFound
}

// SaveForm saves a draft from a form's fields, keyed by question id: each
// answer as typed, numbers read as numbers, blank ones left out. Files
// stay as they are: only Attach changes them, so a form can never point an
// answer at a file that is not this application's.
func (s *Service) SaveForm(ctx context.Context, founder accounts.User, id string, version int, startupName string, fields map[string]string) (Application, error) {
	a, err := s.own(ctx, founder, id)
	if err != nil {
		return Application{}, err
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Application{}, err
	}
	answers := map[string]json.RawMessage{}
	for _, q := range p.Questions {
		if q.Kind == KindFile {
			if raw, ok := a.Answers[q.ID]; ok {
				answers[q.ID] = raw
			}
			continue
		}
		if raw := formAnswer(q, fields[q.ID]); raw != nil {
			answers[q.ID] = raw
		}
	}
	return s.Save(ctx, founder, id, version, startupName, answers)
}

// formAnswer reads a typed answer; a number that does not parse stays
// text, for Save to refuse in words.
func formAnswer(q Question, v string) json.RawMessage {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if q.Kind == KindNumber {
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			if raw, err := json.Marshal(f); err == nil {
				return raw
			}
		}
	}
	raw, _ := json.Marshal(v)
	return raw
}

// AnswerText is an answer the way a form shows it.
func AnswerText(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil || v == nil {
		return ""
	}
	if str, ok := v.(string); ok {
		return str
	}
	return string(raw)
}

// attachmentOf is the id of the application's own file answering q, or "".
// Attached files' ids start with their application's, which tells them
// from an id typed into the answer through the API.
func attachmentOf(a Application, q Question) string {
	var id string
	if q.Kind != KindFile || json.Unmarshal(a.Answers[q.ID], &id) != nil || !strings.HasPrefix(id, a.ID+".") {
		return ""
	}
	return id
}

// Attach makes a PDF of at most MaxAttachment bytes the answer to a file
// question of the founder's draft, in place of the one before. Nothing
// changes when the file is refused.
func (s *Service) Attach(ctx context.Context, founder accounts.User, id, questionID, name string, data []byte) (Application, error) {
	a, err := s.own(ctx, founder, id)
	if err != nil {
		return Application{}, err
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return Application{}, err
	}
	q, ok := p.Question(questionID)
	if !ok || q.Kind != KindFile {
		return Application{}, errs.ErrNotFound
	}
	if a.Status != Draft {
		return Application{}, errs.New(errs.Conflict, "error.application_locked")
	}
	ct, err := files.CheckPDF(data, MaxAttachment)
	if err != nil {
		if e, ok := errs.As(err); ok {
			e.Field = q.ID
		}
		return Application{}, err
	}
	f := files.File{ID: a.ID + "." + ids.New(), Name: files.CleanName(name), ContentType: ct, Size: int64(len(data)), Data: data, CreatedAt: s.now()}
	if err := s.files.PutFile(ctx, f); err != nil {
		return Application{}, err
	}
	prev := attachmentOf(a, q)
	answer, _ := json.Marshal(f.ID)
	answers := maps.Clone(a.Answers)
	delete(answers, q.ID)
	saved, err := s.save(ctx, founder, id, a.Version, a.StartupName, answers, map[string]json.RawMessage{q.ID: answer})
	if err != nil {
		s.discard(ctx, f.ID)
		return Application{}, err
	}
	s.discard(ctx, prev)
	return saved, nil
}

// discard deletes a file no answer points at any more. Failing to only
// leaves wasted space: the application already holds what the founder
// chose.
func (s *Service) discard(ctx context.Context, fileID string) {
	if fileID != "" {
		_ = s.files.DeleteFile(ctx, fileID)
	}
}

// Attachment is the file answering a question of an application, for
// those who may see the application; anyone else gets errs.NotFound.
func (s *Service) Attachment(ctx context.Context, viewer accounts.User, id, questionID string) (files.File, error) {
	a, err := s.View(ctx, viewer, id)
	if err != nil {
		return files.File{}, err
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return files.File{}, err
	}
	q, _ := p.Question(questionID)
	fileID := attachmentOf(a, q)
	if fileID == "" {
		return files.File{}, errs.ErrNotFound
	}
	f, err := s.files.File(ctx, fileID)
	if err != nil {
		return files.File{}, err
	}
	f.Name = shownName(viewer, p, a, q, f.Name)
	return f, nil
}

// AttachedFile is one file of an application as a page lists it.
type AttachedFile struct {
	Question Question
	// Name is the name its viewer may see: neutral in a blind programme.
	Name string
	Size int64
}

// Files lists the files attached to an application, in the form's order,
// for a viewer already allowed to see it.
func (s *Service) Files(ctx context.Context, viewer accounts.User, p Program, a Application) ([]AttachedFile, error) {
	var out []AttachedFile
	for _, q := range p.Questions {
		id := attachmentOf(a, q)
		if id == "" {
			continue
		}
		f, err := s.files.File(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, AttachedFile{Question: q, Name: shownName(viewer, p, a, q, f.Name), Size: f.Size})
	}
	return out, nil
}

// shownName hides a file's own name from everyone but its founder in a
// blind programme, since founders often name a deck after themselves: the
// n-th file question's file is "ho-so-n.pdf".
func shownName(viewer accounts.User, p Program, a Application, q Question, name string) string {
	if p.Blind && viewer.ID != a.FounderID {
		n := 0
		for _, each := range p.Questions {
			if each.Kind == KindFile {
				n++
			}
			if each.ID == q.ID {
				break
			}
		}
		return "ho-so-" + strconv.Itoa(n) + ".pdf"
	}
	if name == "" {
		return q.ID + ".pdf"
	}
	return name
}

// Attached tells which file questions of an application hold its own file.
func Attached(p Program, a Application) map[string]bool {
	out := map[string]bool{}
	for _, q := range p.Questions {
		if attachmentOf(a, q) != "" {
			out[q.ID] = true
		}
	}
	return out
}
