package demo

import (
	"context"
	"fmt"
	"time"

	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// profiles are the public profiles of the two accepted demo startups,
// in the order they were accepted.
var profiles = []struct{ sector, stage, pitch string }{
	{"agritech", "mvp", "Dự báo giá nông sản cho hợp tác xã từ dữ liệu chợ đầu mối và thời tiết, gửi qua Zalo mỗi sáng."},
	{"logistics", "revenue", "Điều phối xe giao hàng nội thành cho cửa hàng nhỏ, ghép đơn để giảm một phần ba chi phí."},
}

// sessions are the mentor's meetings with each cohort startup, a week apart.
var sessions = []struct{ topics, next, note string }{
	{"Xác định khách hàng mục tiêu và câu hỏi phỏng vấn.", "Phỏng vấn 10 khách hàng trước buổi sau.",
		"Nhóm nhiệt tình nhưng chưa ai phụ trách bán hàng."},
	{"Kết quả phỏng vấn; định giá gói dịch vụ.", "Chốt bảng giá và thử với 3 khách hàng trả tiền.", ""},
}

// reviewNote prints where the reviewer reads the demo's pitch deck.
func (d *seeder) reviewNote(ctx context.Context) error {
	reviewer, err := d.Accounts.UserByEmail(ctx, "giamkhao@demo.sprout.vn")
	if err != nil {
		return err
	}
	queue, _, err := d.Incubator.Queue(ctx, reviewer)
	if err != nil {
		return err
	}
	for _, a := range queue {
		if a.Review == nil {
			d.notes = append(d.notes, fmt.Sprintf("Pitch deck to review (sign in as the reviewer): %s/reviews/%s", d.baseURL, a.Application.ID))
			return nil
		}
	}
	return nil
}

// seedCohort gives the demo cohort's startups a mentor, milestones, a few
// months of reports and their public profiles.
func (d *seeder) seedCohort(ctx context.Context) error {
	co, apps, err := d.cohort(ctx)
	if err != nil || len(apps) == 0 {
		return err
	}
	d.notes = append(d.notes, fmt.Sprintf("Cohort: %s/manage/cohorts/%s — directory: %s/startups", d.baseURL, co.ID, d.baseURL))
	first, err := d.Accounts.User(ctx, apps[0].FounderID)
	if err != nil {
		return err
	}
	pw, err := d.Accounts.KeptPassword(ctx, "demo:password:"+first.Email, "")
	if err != nil {
		return err
	}
	d.logins = append(d.logins, login{Role: "cohort-founder", Name: first.Name, Email: first.Email, Password: pw})
	d.notes = append(d.notes, fmt.Sprintf("Monthly reports (sign in as the cohort founder): %s/cohort/reports — mentor's sessions: %s/mentor",
		d.baseURL, d.baseURL))
	if err := d.reviewNote(ctx); err != nil {
		return err
	}
	// The profile is the last thing made: once the first startup has one,
	// an earlier start made the rest.
	if p, err := d.Incubator.FounderProfile(ctx, first, apps[0].ID); err != nil || !p.UpdatedAt.IsZero() {
		return err
	}
	mentor, err := d.Accounts.UserByEmail(ctx, "covan@demo.sprout.vn")
	if err != nil {
		return err
	}
	now := d.Clock.Now().In(vn.Zone)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, vn.Zone)
	for i, app := range apps[:min(len(apps), len(profiles))] {
		if err := d.Incubator.AssignMentor(ctx, co.ID, app.ID, mentor.ID); err != nil {
			return err
		}
		for k, x := range sessions {
			in := incubator.SessionInput{Date: now.AddDate(0, 0, -7*(len(sessions)-k)-i).Format("2006-01-02"), Topics: x.topics,
				NextSteps: x.next, PrivateNote: x.note}
			if _, err := d.Incubator.LogSession(ctx, mentor, app.ID, in); err != nil {
				return fmt.Errorf("demo session: %w", err)
			}
		}
		for j, title := range []string{"Phỏng vấn 30 khách hàng", "Ra mắt bản thử nghiệm", "Gọi vốn hạt giống"} {
			m, err := d.Incubator.AddMilestone(ctx, co.ID, app.ID, title, thisMonth.AddDate(0, 2*j-1, 14))
			if err != nil {
				return err
			}
			if j == 0 {
				if err := d.Incubator.SetMilestoneStatus(ctx, co.ID, app.ID, m.ID, incubator.MilestoneDone); err != nil {
					return err
				}
			}
		}
		// Reports of past months are backfilled as filed then: filing
		// only takes this month and the last.
		for k := 4; k >= 1; k-- {
			month := thisMonth.AddDate(0, -k, 0)
			grow := int64(5 - k)
			r := incubator.Report{ApplicationID: app.ID, Month: month.Format("2006-01"), Revenue: grow * int64(12+8*i) * 1_000_000,
				Users: grow * int64(150+100*i), Staff: 3 + grow/2 + int64(i), Funding: int64(i) * 300_000_000 * min(grow, 2),
				Highlights: fmt.Sprintf("Tháng %s: thêm %d khách hàng mới.", month.Format("01/2006"), grow*10),
				FiledBy:    app.FounderID, CreatedAt: month.AddDate(0, 1, 2).UTC(), UpdatedAt: month.AddDate(0, 1, 2).UTC()}
			if err := d.Incubator.BackfillReport(ctx, r); err != nil {
				return err
			}
		}
		founder, err := d.Accounts.User(ctx, app.FounderID)
		if err != nil {
			return err
		}
		p := profiles[i]
		if _, err := d.Incubator.SaveProfile(ctx, founder, app.ID, incubator.ProfileInput{Name: app.StartupName, Sector: p.sector,
			Stage: p.stage, Pitch: p.pitch}); err != nil {
			return err
		}
	}
	return nil
}

// cohort is the demo's cohort, the latest, and its accepted startups,
// oldest first; none before the programme is seeded.
func (d *seeder) cohort(ctx context.Context) (incubator.Cohort, []incubator.Application, error) {
	cohorts, err := d.Incubator.Cohorts(ctx)
	if err != nil || len(cohorts) == 0 {
		return incubator.Cohort{}, nil, err
	}
	co, board, err := d.Incubator.CohortBoard(ctx, cohorts[0].ID)
	if err != nil {
		return co, nil, err
	}
	apps := make([]incubator.Application, len(board))
	for i, st := range board {
		apps[i] = st.Application
	}
	return co, apps, nil
}
