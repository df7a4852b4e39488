package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// startups apply to the demo programme, in the order they applied.
var startups = []struct{ name, problem, stage string }{
	{"Mầm Xanh AgriTech", "Nông dân đồng bằng sông Hồng thiếu dự báo sâu bệnh theo từng thửa ruộng.", "MVP"},
	{"EduViet Lab", "Học sinh vùng cao thiếu giáo viên tiếng Anh.", "Doanh thu"},
	{"Sông Hồng Logistics", "Hàng hóa nội thành giao chậm vì thiếu điểm trung chuyển.", "MVP"},
	{"MediCare Hà Nội", "Bệnh nhân mạn tính quên lịch tái khám.", "Ý tưởng"},
	{"Tre Việt Materials", "Vật liệu xây dựng thay nhựa từ tre.", "MVP"},
	{"FinNông", "Hộ nông dân khó vay vốn vì thiếu lịch sử tín dụng.", "Doanh thu"},
	{"Phố Cổ Tours", "Du khách không tìm được hướng dẫn viên địa phương.", "Ý tưởng"},
	{"Nước Sạch 4.0", "Giếng khoan nông thôn nhiễm asen không được phát hiện.", "MVP"},
	{"RecycleHub", "Rác thải điện tử không được thu gom đúng cách.", "Ý tưởng"},
	{"Việt Voice AI", "Tổng đài viên quá tải vào giờ cao điểm.", "Doanh thu"},
}

// deckStartup is the submitted application with a pitch deck that waits
// in the reviewer's queue.
const deckStartup = 7

// seedProgramme makes an open call with its form and criteria, and
// applications at every stage: drafts, submitted, reviewed, decided into a
// cohort.
func (d *seeder) seedProgramme(ctx context.Context) error {
	const slug = "vuon-uom-cong-nghe-ha-noi-2027"
	if _, err := d.Incubator.ProgramBySlug(ctx, slug); err == nil {
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	now := d.Clock.Now().In(vn.Zone)
	p, err := d.Incubator.CreateProgram(ctx, "", incubator.ProgramInput{
		Slug: slug, Title: "Vườn ươm công nghệ Hà Nội — Khóa 2027", TitleEN: "Hanoi Tech Incubator — 2027 intake",
		Description:   "Sáu tháng ươm tạo cho startup công nghệ: cố vấn, không gian làm việc, kết nối nhà đầu tư và tài trợ đến 500 triệu đồng.",
		DescriptionEN: "Six months of incubation for tech startups: mentors, workspace, investor introductions and grants up to 500 million VND.",
		Eligibility:   "Startup đăng ký tại Hà Nội, thành lập dưới 5 năm, có ít nhất 2 thành viên toàn thời gian.",
		OpensAt:       now.AddDate(0, 0, -14), ClosesAt: time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 0, 0, vn.Zone).AddDate(0, 0, 21),
		ReviewDeadline: time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 0, 0, vn.Zone).AddDate(0, 0, 35),
		Questions: []incubator.Question{
			{ID: "problem", Label: "Bạn giải quyết vấn đề gì?", LabelEN: "What problem do you solve?", Kind: incubator.KindLongText, Required: true},
			{ID: "team_size", Label: "Số thành viên toàn thời gian", LabelEN: "Full-time team members", Kind: incubator.KindNumber, Required: true},
			{ID: "website", Label: "Website", LabelEN: "Website", Kind: incubator.KindURL},
			{ID: "stage", Label: "Giai đoạn", LabelEN: "Stage", Kind: incubator.KindChoice, Required: true, Options: []string{"Ý tưởng", "MVP", "Doanh thu"},
				OptionsEN: []string{"Idea", "MVP", "Revenue"}},
			{ID: "pitch_deck", Label: "Pitch deck (PDF)", LabelEN: "Pitch deck (PDF)", Kind: incubator.KindFile, Help: "Tối đa 20 MB.", HelpEN: "Up to 20 MB."},
		},
		Criteria: []incubator.Criterion{
			{ID: "team", Label: "Đội ngũ", LabelEN: "Team", Weight: 3, Anchors: map[string]string{"1": "Thiếu năng lực cốt lõi", "3": "Đủ để làm MVP", "5": "Đã chứng minh thực thi"},
				AnchorsEN: map[string]string{"1": "Lacks core skills", "3": "Enough to build an MVP", "5": "Has shown it delivers"}},
			{ID: "market", Label: "Thị trường", LabelEN: "Market", Weight: 2, Anchors: map[string]string{"1": "Nhỏ, mơ hồ", "3": "Rõ ràng", "5": "Lớn, đang tăng"},
				AnchorsEN: map[string]string{"1": "Small, vague", "3": "Clear", "5": "Large and growing"}},
			{ID: "innovation", Label: "Đổi mới sáng tạo", LabelEN: "Innovation", Weight: 2},
			{ID: "impact", Label: "Tác động xã hội", LabelEN: "Social impact", Weight: 1},
		},
	})
	if err != nil {
		return err
	}
	reviewer, err := d.Accounts.UserByEmail(ctx, "giamkhao@demo.sprout.vn")
	if err != nil {
		return err
	}
	cohort, err := d.Incubator.CreateCohort(ctx, p.ID, "Khóa 2027 — Đợt 1", now.AddDate(0, 1, 0), now.AddDate(0, 7, 0))
	if err != nil {
		return err
	}
	founder, err := d.Accounts.UserByEmail(ctx, "sanglap@demo.sprout.vn")
	if err != nil {
		return err
	}
	if _, err := d.Incubator.Start(ctx, founder, p.ID, "Hạt Mầm Analytics", map[string]json.RawMessage{
		"problem": json.RawMessage(`"Hợp tác xã không biết giá nông sản ngày mai."`)}); err != nil {
		return err
	}
	for i, st := range startups {
		name, email, _ := Person(2000 + i)
		pw := "mam-" + ids.Secret()[:16]
		if i == 0 {
			// The first cohort startup's founder signs in from the printed
			// list, so monthly reports can be tried at once.
			if pw, err = d.Accounts.KeptPassword(ctx, "demo:password:"+email, pw); err != nil {
				return err
			}
		}
		u, err := d.Accounts.Create(ctx, accounts.NewUser{Email: email, Name: name, Password: pw, Lang: "vi"})
		if err != nil {
			return err
		}
		answers := map[string]json.RawMessage{}
		for k, v := range map[string]any{"problem": st.problem, "team_size": 2 + i%5, "stage": st.stage} {
			answers[k], _ = json.Marshal(v)
		}
		app, err := d.Incubator.Start(ctx, u, p.ID, st.name, answers)
		if err != nil {
			return err
		}
		if i == len(startups)-1 {
			continue // still a draft
		}
		if i == deckStartup {
			deck := DeckPDF("Nuoc Sach 4.0 - Pitch deck", []string{"Van de: gieng khoan nong thon nhiem asen", "Giai phap: que thu 15 phut, ban do nguy co",
				"Doi ngu: 3 ky su moi truong", "Thi truong: 1.200 xa vung dong bang", "Goi von: 2 ty dong cho 12 thang"})
			if _, err := d.Incubator.Attach(ctx, u, app.ID, "pitch_deck", "pitch-deck.pdf", deck); err != nil {
				return fmt.Errorf("demo deck %s: %w", st.name, err)
			}
		}
		if _, err := d.Incubator.Submit(ctx, u, app.ID); err != nil {
			return fmt.Errorf("demo application %s: %w", st.name, err)
		}
		if i == deckStartup {
			if err := d.Incubator.AssignReviewer(ctx, app.ID, reviewer.ID); err != nil {
				return err
			}
		}
		if i >= 7 {
			continue // submitted, waiting for review
		}
		if err := d.Incubator.AssignReviewer(ctx, app.ID, reviewer.ID); err != nil {
			return err
		}
		score := func(base int) int { return min(5, max(1, base)) }
		if _, err := d.Incubator.Review(ctx, reviewer, app.ID, incubator.ReviewInput{
			Scores:  map[string]int{"team": score(5 - i%3), "market": score(4 - i%2), "innovation": score(3 + i%3), "impact": score(2 + i%4)},
			Comment: "Đội ngũ có kinh nghiệm; cần làm rõ mô hình doanh thu.",
		}); err != nil {
			return err
		}
		switch i {
		case 0, 1:
			_, err = d.Incubator.Decide(ctx, app.ID, incubator.Accepted, cohort.ID, "Chúc mừng! Hẹn gặp bạn ở buổi khai giảng.")
		case 2:
			_, err = d.Incubator.Decide(ctx, app.ID, incubator.Waitlisted, "", "")
		case 3:
			_, err = d.Incubator.Decide(ctx, app.ID, incubator.Rejected, "", "Cảm ơn bạn đã nộp hồ sơ; hẹn gặp lại ở khóa sau.")
		}
		if err != nil {
			return err
		}
	}
	return nil
}
