package events

import (
	"strings"
	"testing"

	"sprout/internal/errs"
)

func TestCheckQuestionsMarksEveryMistakeOnItsRow(t *testing.T) {
	qs, err := CheckQuestions([]Question{
		{ID: "org", Label: " Đơn vị ", Kind: AskText, Options: []string{"stray"}},
		{Label: "", Kind: AskText},
		{Label: "Loại hình", Kind: AskChoice, Options: []string{"Chỉ một"}},
		{Label: "Lĩnh vực", Kind: AskMulti, Options: []string{"AI", "Nông nghiệp"}, OptionsEN: []string{"AI"}},
		{Label: "Gì đó", Kind: "date"},
		{ID: "org", Label: "Trùng", Kind: AskYesNo, Role: "boss"},
	})
	var got []string
	for _, e := range errs.FieldErrors(err) {
		got = append(got, e.MsgID+"@"+string(rune('0'+e.Item))+"."+e.Part)
	}
	want := "error.question_label@2.label error.question_options@3.options error.options_en_count@4.options_en error.event_question_kind@5.kind"
	if strings.Join(got, " ") != want {
		t.Fatalf("mistakes %v, want %s", got, want)
	}
	if qs[0].Label != "Đơn vị" || qs[0].Options != nil || qs[5].ID == "org" || qs[5].ID == "" || qs[5].Role != "" {
		t.Fatalf("cleaned questions: %+v", qs)
	}
}

func TestCheckAnswersKeepsWhatIsOfferedAndNamesWhatIsMissing(t *testing.T) {
	qs := []Question{
		{ID: "org", Label: "Đơn vị", LabelEN: "Organisation", Kind: AskText, Required: true},
		{ID: "kind", Label: "Loại hình", Kind: AskChoice, Options: []string{"Doanh nghiệp", "Startup"}},
		{ID: "topics", Label: "Lĩnh vực", Kind: AskMulti, Options: []string{"AI", "Nông nghiệp"}},
		{ID: "first", Label: "Lần đầu?", Kind: AskYesNo},
	}
	got, err := CheckAnswers(qs, map[string]string{"kind": "Startup", "topics": "AI; Nông nghiệp", "first": "yes", "other": "x"})
	fields := errs.FieldErrors(err)
	if len(fields) != 1 || fields[0].Field != "q_org" || fields[0].Data["LabelEN"] != "Organisation" {
		t.Fatalf("mistakes: %v", err)
	}
	if len(got) != 3 || got["topics"] != "AI; Nông nghiệp" || got["other"] != "" {
		t.Fatalf("kept: %v", got)
	}
	_, err = CheckAnswers(qs, map[string]string{"org": "X", "kind": "Quán cà phê", "topics": "AI; Y", "first": "maybe"})
	if n := len(errs.FieldErrors(err)); n != 3 {
		t.Fatalf("three answers not offered, %d mistakes: %v", n, err)
	}
	if a := qs[2].AnswerIn("en", "AI; Nông nghiệp", "Yes", "No"); a != "AI; Nông nghiệp" {
		t.Fatalf("AnswerIn without English options: %q", a)
	}
	if a := qs[3].AnswerIn("en", Yes, "Yes", "No"); a != "Yes" {
		t.Fatalf("AnswerIn yes: %q", a)
	}
}
