package events

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"sprout/internal/errs"
	"sprout/internal/ids"
)

// Kinds of registration questions.
const (
	AskText   = "text"
	AskChoice = "choice"
	AskMulti  = "multi"
	AskYesNo  = "yes_no"
)

// Kinds lists the kinds an organizer may choose, in the builder's order.
var Kinds = []string{AskText, AskChoice, AskMulti, AskYesNo}

// Roles mark the answers leads carry, with the visitor's consent.
const (
	RoleOrganisation = "organisation"
	RoleJobTitle     = "job_title"
)

// Yes and No are how a yes/no answer is kept, whatever the language.
const (
	Yes = "yes"
	No  = "no"
)

// Question is one extra question of an event's registration form, its
// texts with optional English versions.
type Question struct {
	ID        string   `json:"id"`
	Label     string   `json:"label"`
	LabelEN   string   `json:"label_en,omitempty"`
	Kind      string   `json:"kind"`
	Options   []string `json:"options,omitempty"`
	OptionsEN []string `json:"options_en,omitempty"`
	Required  bool     `json:"required,omitempty"`
	// AtGate shows the answer to gate staff on a scan's result.
	AtGate bool `json:"at_gate,omitempty"`
	// Role is RoleOrganisation or RoleJobTitle for the answers a lead
	// carries, or empty.
	Role string `json:"role,omitempty"`
}

// LabelIn is the label in lang, falling back to Vietnamese.
func (q Question) LabelIn(lang string) string {
	if lang == "en" && q.LabelEN != "" {
		return q.LabelEN
	}
	return q.Label
}

// Choice is an option: the value answers keep and the text shown.
type Choice struct{ Value, Text string }

// ChoicesIn lists the options with their texts in lang.
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

// multiSep joins the options of a multiple choice answer.
const multiSep = "; "

// AnswerIn is an answer as a reader of lang sees it: options and yes/no in
// their words, text as given.
func (q Question) AnswerIn(lang, answer, yes, no string) string {
	switch q.Kind {
	case AskYesNo:
		switch answer {
		case Yes:
			return yes
		case No:
			return no
		}
	case AskChoice, AskMulti:
		parts := strings.Split(answer, multiSep)
		for i, p := range parts {
			for _, c := range q.ChoicesIn(lang) {
				if c.Value == p {
					parts[i] = c.Text
				}
			}
		}
		return strings.Join(parts, multiSep)
	}
	return answer
}

// Picked tells whether a multiple choice answer holds option.
func (q Question) Picked(answer, option string) bool {
	return slices.Contains(strings.Split(answer, multiSep), option)
}

const (
	maxQuestions  = 20
	maxLabel      = 200
	maxOptions    = 30
	maxAnswerText = 500
)

// Presets are the questions most events ask, ready to add.
var Presets = []Question{
	{ID: "organisation", Label: "Đơn vị công tác", LabelEN: "Organisation", Kind: AskText, Role: RoleOrganisation},
	{ID: "job_title", Label: "Chức danh", LabelEN: "Job title", Kind: AskText, Role: RoleJobTitle},
	{ID: "organisation_type", Label: "Loại hình đơn vị", LabelEN: "Type of organisation", Kind: AskChoice,
		Options:   []string{"Doanh nghiệp", "Startup", "Cơ quan nhà nước", "Trường đại học, viện nghiên cứu", "Tổ chức hỗ trợ khởi nghiệp", "Khác"},
		OptionsEN: []string{"Company", "Startup", "Government", "University or research institute", "Startup support organisation", "Other"}},
	{ID: "interests", Label: "Lĩnh vực quan tâm", LabelEN: "Interests", Kind: AskMulti,
		Options:   []string{"Trí tuệ nhân tạo", "Nông nghiệp công nghệ cao", "Fintech", "Y tế số", "Giáo dục", "Năng lượng sạch"},
		OptionsEN: []string{"Artificial intelligence", "High-tech agriculture", "Fintech", "Digital health", "Education", "Clean energy"}},
}

// CheckQuestions cleans an organizer's questions and reports every mistake
// at once, each on its question (errs.At): a label, a known kind, options
// for a choice, as many English options as Vietnamese ones. A question
// without an id gets one; ids stay unique.
func CheckQuestions(qs []Question) ([]Question, error) {
	if len(qs) > maxQuestions {
		return nil, field("questions", "error.too_many_questions", "Max", maxQuestions)
	}
	var problems []error
	seen := map[string]bool{}
	out := make([]Question, len(qs))
	for i, q := range qs {
		at := func(part, msgID string, data ...any) {
			problems = append(problems, field("questions", msgID, data...).At(i+1, part))
		}
		q.Label, q.LabelEN = strings.TrimSpace(q.Label), strings.TrimSpace(q.LabelEN)
		switch {
		case q.Label == "":
			at("label", "error.question_label")
		case utf8.RuneCountInString(q.Label) > maxLabel || utf8.RuneCountInString(q.LabelEN) > maxLabel:
			at("label", "error.text_long", "Max", maxLabel)
		}
		if !slices.Contains(Kinds, q.Kind) {
			at("kind", "error.event_question_kind")
		}
		q.Options, q.OptionsEN = trimAll(q.Options), trimAll(q.OptionsEN)
		if q.Kind == AskChoice || q.Kind == AskMulti {
			switch {
			case len(q.Options) < 2:
				at("options", "error.question_options")
			case len(q.Options) > maxOptions:
				at("options", "error.too_many_options", "Max", maxOptions)
			case len(q.OptionsEN) > 0 && len(q.OptionsEN) != len(q.Options):
				at("options_en", "error.options_en_count", "Label", q.Label)
			}
		} else {
			q.Options, q.OptionsEN = nil, nil
		}
		if q.Role != "" && q.Role != RoleOrganisation && q.Role != RoleJobTitle {
			q.Role = ""
		}
		if q.ID == "" || seen[q.ID] {
			q.ID = ids.New()
		}
		seen[q.ID] = true
		out[i] = q
	}
	return out, errors.Join(problems...)
}

// field is an error about a form field, with the data its message needs
// as name and value pairs.
func field(name, msgID string, data ...any) *errs.Error {
	e := errs.Field(name, msgID)
	if len(data) > 1 {
		e.Data = map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			e.Data[data[i].(string)] = data[i+1]
		}
	}
	return e
}

func trimAll(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Field is the form field a question's answer comes in.
func (q Question) Field() string { return "q_" + q.ID }

// CheckAnswers keeps the answers to the event's questions, cleaned, and
// reports every mistake at once on its question's field: a required one
// left empty, an option not offered, a text too long. Answers to no
// question are dropped. Messages name the question in both languages, for
// the reader's to choose.
func CheckAnswers(qs []Question, in map[string]string) (map[string]string, error) {
	out := map[string]string{}
	var problems []error
	for _, q := range qs {
		v := strings.TrimSpace(in[q.ID])
		if v == "" {
			if q.Required {
				problems = append(problems, field(q.Field(), "error.answer_required", "Label", q.Label, "LabelEN", q.LabelEN))
			}
			continue
		}
		switch q.Kind {
		case AskText:
			if utf8.RuneCountInString(v) > maxAnswerText || !utf8.ValidString(v) {
				problems = append(problems, field(q.Field(), "error.text_long", "Max", maxAnswerText))
				continue
			}
		case AskYesNo:
			if v != Yes && v != No {
				problems = append(problems, field(q.Field(), "error.answer_option", "Label", q.Label, "LabelEN", q.LabelEN))
				continue
			}
		case AskChoice, AskMulti:
			parts := strings.Split(v, multiSep)
			if q.Kind == AskChoice && len(parts) > 1 {
				parts = []string{v}
			}
			ok := true
			for _, p := range parts {
				ok = ok && slices.Contains(q.Options, p)
			}
			if !ok {
				problems = append(problems, field(q.Field(), "error.answer_option", "Label", q.Label, "LabelEN", q.LabelEN))
				continue
			}
		default:
			return nil, fmt.Errorf("events: question %s has kind %q", q.ID, q.Kind)
		}
		out[q.ID] = v
	}
	return out, errors.Join(problems...)
}

// JoinPicked writes the options picked of a multiple choice question as
// its answer keeps them.
func JoinPicked(picked []string) string { return strings.Join(picked, multiSep) }

// Answer is an answer with its question, for lists and exports.
type Answer struct {
	Question Question
	Value    string
}

// RoleAnswer is the answer to the event's question holding role, or "".
func RoleAnswer(qs []Question, answers map[string]string, role string) string {
	for _, q := range qs {
		if q.Role == role {
			return answers[q.ID]
		}
	}
	return ""
}
