package certification

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// Council is the part of the incubator a dossier's appraisal uses: the
// council scores a dossier as reviewers score an application, with the
// same weighted criteria and conflict-of-interest declarations, on the
// same pages. *incubator.Service satisfies it.
type Council interface {
	// StandingProgram finds the programme of p.Slug, creating it from p,
	// internal, the first time.
	StandingProgram(ctx context.Context, p incubator.Program) (incubator.Program, error)
	// FileOnBehalf files a submitted application of id in a programme;
	// filing the same id again finds the first one.
	FileOnBehalf(ctx context.Context, programID, id, name string, answers map[string]string) (incubator.Application, error)
	// Appraisal is an application's programme, its scores and its reviews.
	Appraisal(ctx context.Context, applicationID string) (incubator.Program, incubator.Scored, []incubator.Review, error)
}

// SetCouncil makes a dossier found complete go to the council's appraisal.
func (s *Service) SetCouncil(c Council) { s.council = c }

// AppraisalSlug names the standing programme dossiers are appraised in.
const AppraisalSlug = "tham-dinh-doanh-nghiep-khcn"

// appraisalProgram is the standing programme as first created; admins may
// then change its texts and weights on the programme's pages.
func appraisalProgram(now time.Time) incubator.Program {
	q := func(id, label, labelEN string) incubator.Question {
		return incubator.Question{ID: id, Label: label, LabelEN: labelEN, Kind: incubator.KindLongText}
	}
	return incubator.Program{
		Slug:        AppraisalSlug,
		Title:       "Thẩm định doanh nghiệp khoa học và công nghệ",
		TitleEN:     "Appraisal of science and technology enterprises",
		Description: "Hội đồng thẩm định hồ sơ đề nghị chứng nhận doanh nghiệp khoa học và công nghệ.",
		DescriptionEN: "The council appraising requests for the science and technology enterprise " +
			"certificate.",
		OpensAt: now,
		// The programme stands as long as the procedure does.
		ClosesAt: now.AddDate(100, 0, 0),
		Questions: []incubator.Question{
			q(AnswerEnterprise, "Doanh nghiệp", "Enterprise"),
			q(AnswerResults, "Kết quả KH&CN", "S&T results"),
			q(AnswerFinance, "Doanh thu và nghiên cứu", "Revenue and R&D"),
		},
		Criteria: []incubator.Criterion{
			{ID: "results", Label: "Kết quả KH&CN", LabelEN: "S&T results", Weight: 2},
			{ID: "revenue", Label: "Doanh thu từ kết quả", LabelEN: "Revenue from results", Weight: 2},
			{ID: "capacity", Label: "Năng lực nghiên cứu", LabelEN: "R&D capacity", Weight: 1},
		},
		CreatedAt: now,
	}
}

// The answers of a dossier's application, by question.
const (
	AnswerEnterprise = "enterprise"
	AnswerResults    = "results"
	AnswerFinance    = "finance"
)

// Summary is what the council reads of a dossier: the enterprise, its
// results and its figures, in Vietnamese as the dossier was filed.
func (d Dossier) Summary() map[string]string {
	e := d.Enterprise
	var b strings.Builder
	fmt.Fprintf(&b, "%s — MST %s\n%s\nNgười đại diện: %s", e.Name, e.TaxCode, e.Address, e.Representative)
	if !e.Founded.IsZero() {
		fmt.Fprintf(&b, "\nThành lập: %s", e.Founded.In(vn.Zone).Format("02/01/2006"))
	}
	if e.Sector != "" || e.Size != "" {
		fmt.Fprintf(&b, "\nLĩnh vực: %s; quy mô: %s", e.Sector, e.Size)
	}
	results := make([]string, 0, len(d.Results))
	for i, r := range d.Results {
		line := fmt.Sprintf("%d. [%s] %s", i+1, r.Kind, r.Title)
		if r.Number != "" {
			line += " (" + r.Number + ")"
		}
		results = append(results, line)
	}
	f := d.Finance
	finance := fmt.Sprintf("Năm %d: doanh thu %d đ, từ kết quả KH&CN %d đ", f.Year, f.Revenue, f.ResultRevenue)
	if share := f.Share(); share >= 0 {
		finance += fmt.Sprintf(" (%d,%d %%)", share/10, share%10)
	}
	finance += fmt.Sprintf("\nChi nghiên cứu: %d đ; nhân lực nghiên cứu %d / %d", f.RDSpending, f.RDStaff, f.Staff)
	return map[string]string{AnswerEnterprise: b.String(), AnswerResults: strings.Join(results, "\n"), AnswerFinance: finance}
}

// appraise files a dossier found complete with the council, once: the
// application takes the dossier's id, so a retry finds it.
func (s *Service) appraise(ctx context.Context, d Dossier) (string, error) {
	p, err := s.council.StandingProgram(ctx, appraisalProgram(s.now()))
	if err != nil {
		return "", err
	}
	a, err := s.council.FileOnBehalf(ctx, p.ID, d.ID, d.Enterprise.Name, d.Summary())
	return a.ID, err
}

// Scores is the council's scoring of a dossier.
type Scores struct {
	Program incubator.Program
	Scored  incubator.Scored
	Reviews []incubator.Review
}

// Scores reads the council's scores of a dossier; false when it has
// none (no council, or not found complete yet).
func (s *Service) Scores(ctx context.Context, d Dossier) (Scores, bool, error) {
	if s.council == nil || d.ApplicationID == "" {
		return Scores{}, false, nil
	}
	p, sc, rs, err := s.council.Appraisal(ctx, d.ApplicationID)
	if err != nil {
		return Scores{}, false, err
	}
	return Scores{Program: p, Scored: sc, Reviews: rs}, true, nil
}
