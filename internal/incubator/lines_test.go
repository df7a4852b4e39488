package incubator_test

import (
	"fmt"
	"testing"

	"sprout/internal/errs"
	"sprout/internal/incubator"
)

func TestParseQuestionsAndCriteria(t *testing.T) {
	qs, err := incubator.ParseQuestions("problem | Vấn đề bạn giải quyết | long_text | required | | Ai gặp vấn đề này?\r\n\n" +
		"stage | Giai đoạn | choice | | Ý tưởng; MVP ;Doanh thu\nwebsite|Website|url")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%+v", qs); got != "[{ID:problem Label:Vấn đề bạn giải quyết Kind:long_text Required:true Options:[] Help:Ai gặp vấn đề này? LabelEN: HelpEN: OptionsEN:[] Removed:false} "+
		"{ID:stage Label:Giai đoạn Kind:choice Required:false Options:[Ý tưởng MVP Doanh thu] Help: LabelEN: HelpEN: OptionsEN:[] Removed:false} "+
		"{ID:website Label:Website Kind:url Required:false Options:[] Help: LabelEN: HelpEN: OptionsEN:[] Removed:false}]" {
		t.Fatalf("questions: %s", got)
	}
	cs, err := incubator.ParseCriteria("team | Đội ngũ | 2 | Một người, chưa làm | Đủ vai trò | Đã cùng làm ra sản phẩm\nmarket | Thị trường | 1,5")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%+v", cs); got != "[{ID:team Label:Đội ngũ Weight:2 Anchors:map[1:Một người, chưa làm 3:Đủ vai trò 5:Đã cùng làm ra sản phẩm] LabelEN: AnchorsEN:map[]} "+
		"{ID:market Label:Thị trường Weight:1.5 Anchors:map[] LabelEN: AnchorsEN:map[]}]" {
		t.Fatalf("criteria: %s", got)
	}
	for _, bad := range []func() error{
		func() error { _, err := incubator.ParseQuestions("ok | Ok | text\nonly | two"); return err },
		func() error { _, err := incubator.ParseCriteria("team | Đội ngũ | nặng"); return err },
	} {
		if e, ok := errs.As(bad()); !ok || e.Kind != errs.Invalid {
			t.Errorf("bad line: %v", e)
		}
	}
}
