package certification_test

import (
	"strings"
	"testing"
	"time"

	"sprout/internal/certification"
	"sprout/internal/vn"
)

func TestDeadlineFlagIsAmberWithinThreeWorkingDaysAndRedOnceOverdue(t *testing.T) {
	for _, c := range []struct {
		left    int
		running bool
		want    string
	}{
		{10, true, ""}, {4, true, ""}, {3, true, certification.FlagSoon}, {0, true, certification.FlagSoon},
		{-1, true, certification.FlagOverdue}, {-7, false, ""},
	} {
		if got := certification.DeadlineFlag(c.left, c.running); got != c.want {
			t.Errorf("DeadlineFlag(%d, %v) = %q, want %q", c.left, c.running, got, c.want)
		}
	}
}

func TestReportIsDueOnceInTheFirstQuarterWithoutLastYearsReport(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, vn.Zone) }
	granted := certification.Dossier{Kind: certification.New, Stage: certification.Granted, CertCode: "HN-2026-000001",
		DecidedAt: at(2026, time.May, 4)}
	reported := granted
	reported.Reports = []certification.YearReport{{Finance: certification.Finance{Year: 2026}}}
	reminded := granted
	reminded.ReportReminded = 2027
	revoked := granted
	revoked.Stage = certification.Revoked
	amendment := granted
	amendment.Kind = certification.Amendment
	for _, c := range []struct {
		name string
		d    certification.Dossier
		at   time.Time
		want bool
	}{
		{"granted last year, January", granted, at(2027, time.January, 2), true},
		{"the last day of March", granted, at(2027, time.March, 31), true},
		{"April", granted, at(2027, time.April, 1), false},
		{"granted this year", granted, at(2026, time.February, 1), false},
		{"report filed", reported, at(2027, time.February, 1), false},
		{"reminded already", reminded, at(2027, time.February, 1), false},
		{"reminded the year before", reminded, at(2028, time.February, 1), true},
		{"revoked", revoked, at(2027, time.February, 1), false},
		{"an amendment", amendment, at(2027, time.February, 1), false},
	} {
		if got := certification.ReportDue(c.d, c.at); got != c.want {
			t.Errorf("%s: ReportDue = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSummaryTellsTheCouncilTheDossier(t *testing.T) {
	d := certification.Dossier{
		Enterprise: certification.Enterprise{Name: "Công ty Cổ phần Mầm Xanh", TaxCode: "0109876543", Address: "Cầu Giấy, Hà Nội",
			Representative: "Lê Thu Hà", Founded: time.Date(2018, 3, 1, 0, 0, 0, 0, vn.Zone), Size: certification.Small, Sector: "agritech"},
		Finance: certification.Finance{Year: 2025, Revenue: 10_000, ResultRevenue: 3_255, RDSpending: 700, RDStaff: 4, Staff: 20},
		Results: []certification.Result{{Kind: certification.Patent, Title: "Cảm biến độ ẩm đất", Number: "1-0034567"}},
	}
	s := d.Summary()
	for q, want := range map[string][]string{
		certification.AnswerEnterprise: {"Công ty Cổ phần Mầm Xanh — MST 0109876543", "Lê Thu Hà", "01/03/2018", "agritech"},
		certification.AnswerResults:    {"1. [patent] Cảm biến độ ẩm đất (1-0034567)"},
		certification.AnswerFinance:    {"Năm 2025", "(32,5 %)", "4 / 20"},
	} {
		for _, w := range want {
			if !strings.Contains(s[q], w) {
				t.Errorf("%s lacks %q: %q", q, w, s[q])
			}
		}
	}
}
