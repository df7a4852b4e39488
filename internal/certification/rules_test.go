package certification

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/vn"
)

func TestShareIsPerMilleRoundedDown(t *testing.T) {
	for _, tc := range []struct {
		revenue, fromResults int64
		want                 int
	}{
		{0, 0, -1}, {0, 500, -1}, {-10, 5, -1},
		{1000, 300, 300}, {1000, 299, 299}, {3, 1, 333}, {3, 2, 666},
		{10_000_000_000, 4_200_000_000, 420}, {7, 7, 1000}, {1000, 0, 0},
	} {
		if got := (Finance{Revenue: tc.revenue, ResultRevenue: tc.fromResults}).Share(); got != tc.want {
			t.Errorf("Share(%d of %d) = %d, want %d", tc.fromResults, tc.revenue, got, tc.want)
		}
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, vn.Zone) }

func TestRevenueTestAppliesFromTheFifthBirthday(t *testing.T) {
	founded := day(2021, time.March, 15)
	for _, tc := range []struct {
		founded, at time.Time
		want        bool
	}{
		{founded, day(2026, time.March, 14), false},
		{founded, day(2026, time.March, 15), true},
		{founded, day(2026, time.March, 15).Add(-time.Nanosecond), false},
		{founded, day(2030, time.January, 1), true},
		{founded, day(2021, time.March, 15), false},
		{time.Time{}, day(2026, time.March, 15), false},
		// 29 February's fifth anniversary falls on 1 March.
		{day(2024, time.February, 29), day(2029, time.February, 28), false},
		{day(2024, time.February, 29), day(2029, time.March, 1), true},
	} {
		if got := RevenueTestApplies(tc.founded, tc.at); got != tc.want {
			t.Errorf("RevenueTestApplies(%s, %s) = %v, want %v", tc.founded, tc.at, got, tc.want)
		}
	}
}

func TestFinanceTest(t *testing.T) {
	at := day(2026, time.December, 7)
	old, young := day(2015, time.June, 1), day(2023, time.June, 1)
	for _, tc := range []struct {
		f       Finance
		founded time.Time
		want    RevenueTest
	}{
		{Finance{Revenue: 1000, ResultRevenue: 300}, old, Meets},
		{Finance{Revenue: 1000, ResultRevenue: 299}, old, Below},
		{Finance{}, old, NoRevenue},
		{Finance{Revenue: 1000, ResultRevenue: 10}, young, Exempt},
		{Finance{Revenue: 1000, ResultRevenue: 10}, time.Time{}, Below},
	} {
		if got := tc.f.Test(tc.founded, at); got != tc.want {
			t.Errorf("%+v founded %s: %s, want %s", tc.f, tc.founded, got, tc.want)
		}
	}
}

func TestValidTaxCode(t *testing.T) {
	for code, want := range map[string]bool{
		"0101234567": true, "0101234567-001": true, "010123456": false, "01012345678": false,
		"010123456a": false, "0101234567-01": false, "0101234567-0011": false, "0101234567-": false,
		"0101234567-abc": false, "": false, "０１０１２３４５６７": false, "-001": false,
	} {
		if got := validTaxCode(code); got != want {
			t.Errorf("validTaxCode(%q) = %v, want %v", code, got, want)
		}
	}
}

// mistakes lists err's fields as field, or field#item.part for a row.
func mistakes(err error) []string {
	var out []string
	for _, e := range errs.FieldErrors(err) {
		s := e.Field
		if e.Item != 0 {
			s += "#" + strconv.Itoa(e.Item) + "." + e.Part
		}
		out = append(out, s+"="+e.MsgID)
	}
	slices.Sort(out)
	return out
}

func TestInputCleanTidiesAndNamesEveryMistake(t *testing.T) {
	proofs := map[string]Result{"p1": {ProofID: "p1", ProofName: "bang-sang-che.pdf"}}
	in := Input{
		Enterprise: Enterprise{Name: "  Công ty   Cổ phần\tSông Hồng ", TaxCode: " 0101 234 567 ", Size: Small, Sector: "software"},
		Finance:    Finance{Revenue: 100, ResultRevenue: 40, RDStaff: 3, Staff: 10},
		Results: []Result{
			{Kind: Patent, Title: " Bộ lọc   nước ", ProofID: "p1", ProofName: "doi-ten.pdf"},
			{},
			{Kind: Software, Title: "Phần mềm", ProofID: "of-another-dossier", ProofName: "x.pdf"},
		},
	}
	got, err := in.clean(proofs)
	if err != nil {
		t.Fatal(err)
	}
	want := Input{
		Enterprise: Enterprise{Name: "Công ty Cổ phần Sông Hồng", TaxCode: "0101234567", Size: Small, Sector: "software"},
		Finance:    in.Finance,
		Results: []Result{
			{Kind: Patent, Title: "Bộ lọc nước", ProofID: "p1", ProofName: "bang-sang-che.pdf"},
			{Kind: Software, Title: "Phần mềm"},
		},
	}
	if got.Enterprise != want.Enterprise || got.Finance != want.Finance || !slices.Equal(got.Results, want.Results) {
		t.Fatalf("clean:\n got %+v\nwant %+v", got, want)
	}

	bad := Input{
		Enterprise: Enterprise{Name: tooLong(), TaxCode: "12345", Size: "huge", Sector: "mining"},
		Finance:    Finance{Revenue: 100, ResultRevenue: 200, RDStaff: 20, Staff: 10, RDSpending: -1},
		Results:    []Result{{Kind: "poem", Title: "Bài thơ"}},
	}
	_, err = bad.clean(nil)
	wantErrs := []string{"finance=error.st_negative", "name=error.text_long", "rd_staff=error.st_rd_staff",
		"result_revenue=error.st_share_over", "results#1.kind=error.st_result_kind", "sector=error.st_sector",
		"size=error.st_size", "tax_code=error.st_tax_code"}
	if got := mistakes(err); !slices.Equal(got, wantErrs) {
		t.Errorf("mistakes:\n got %v\nwant %v", got, wantErrs)
	}
	many := Input{Results: make([]Result, MaxResults+1)}
	for i := range many.Results {
		many.Results[i] = Result{Kind: Patent, Title: "Sáng chế"}
	}
	if _, err := many.clean(nil); !slices.Equal(mistakes(err), []string{"results=error.st_results_many"}) {
		t.Errorf("too many results: %v", mistakes(err))
	}
}

// tooLong is one letter over the limit of a text field.
func tooLong() string {
	r := make([]rune, MaxText+1)
	for i := range r {
		r[i] = 'ạ'
	}
	return string(r)
}

func TestDossierCompleteNamesWhatIsMissing(t *testing.T) {
	at := day(2026, time.December, 7)
	whole := Dossier{Kind: New,
		Enterprise: Enterprise{Name: "Công ty Sông Hồng", TaxCode: "0101234567", Address: "Hà Nội", Representative: "Nguyễn Thị Hạnh",
			Founded: day(2015, time.June, 1), Size: Small, Sector: "software"},
		Finance: Finance{Year: 2025, Revenue: 1000, ResultRevenue: 400},
		Results: []Result{{Kind: Patent, Title: "Bộ lọc nước", ProofID: "p1"}},
	}
	with := func(change func(d *Dossier)) Dossier {
		d := whole
		d.Results = slices.Clone(whole.Results)
		change(&d)
		return d
	}
	for name, tc := range map[string]struct {
		d    Dossier
		want []string
	}{
		"whole": {whole, nil},
		"empty new": {Dossier{Kind: New}, []string{"address=error.required", "founded=error.required", "name=error.required",
			"representative=error.required", "results=error.st_results_none", "sector=error.required", "size=error.required",
			"tax_code=error.required", "year=error.required"}},
		"founded tomorrow":    {with(func(d *Dossier) { d.Enterprise.Founded = at.AddDate(0, 0, 1) }), []string{"founded=error.st_founded_future"}},
		"old without revenue": {with(func(d *Dossier) { d.Finance.Revenue = 0 }), []string{"revenue=error.st_revenue_needed"}},
		"young without revenue": {with(func(d *Dossier) {
			d.Enterprise.Founded, d.Finance.Revenue = day(2023, time.January, 1), 0
		}), nil},
		"result without title or proof": {with(func(d *Dossier) {
			d.Results = append(d.Results, Result{Kind: Software})
		}), []string{"results#2.proof=error.st_proof_missing", "results#2.title=error.required"}},
		"reissue needs name and tax code only": {Dossier{Kind: Reissue, Enterprise: Enterprise{Name: "Công ty Sông Hồng"}}, []string{"tax_code=error.required"}},
		"amendment needs no results": {with(func(d *Dossier) {
			d.Kind, d.Results, d.Finance = Amendment, nil, Finance{}
		}), nil},
	} {
		if got := mistakes(tc.d.complete(at)); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, tc.want)
		}
	}
}
