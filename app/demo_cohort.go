package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sprout/internal/errs"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// demoProfiles are the public profiles of the two accepted demo startups,
// in the order they were accepted.
var demoProfiles = []struct{ sector, stage, pitch string }{
	{"agritech", "mvp", "Dự báo giá nông sản cho hợp tác xã từ dữ liệu chợ đầu mối và thời tiết, gửi qua Zalo mỗi sáng."},
	{"logistics", "revenue", "Điều phối xe giao hàng nội thành cho cửa hàng nhỏ, ghép đơn để giảm một phần ba chi phí."},
}

// seedDemoCohort gives the demo cohort's startups a mentor, milestones,
// a few months of reports and their public profiles.
func seedDemoCohort(ctx context.Context, a *App, d *Demo) error {
	cohorts, err := a.Store.Cohorts(ctx)
	if err != nil || len(cohorts) == 0 {
		return err
	}
	co := cohorts[0]
	apps, err := a.Store.CohortApplications(ctx, co.ID)
	if err != nil || len(apps) == 0 {
		return err
	}
	d.notes = append(d.notes, fmt.Sprintf("Cohort: %s/manage/cohorts/%s — directory: %s/startups", a.Config.BaseURL, co.ID, a.Config.BaseURL))
	if _, err := a.Store.Profile(ctx, apps[0].ID); err == nil {
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	mentor, err := a.Store.UserByEmail(ctx, "covan@demo.sprout.vn")
	if err != nil {
		return err
	}
	now := a.Clock.Now().In(vn.Zone)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, vn.Zone)
	for i, app := range apps[:min(len(apps), len(demoProfiles))] {
		if err := a.Incubator.AssignMentor(ctx, co.ID, app.ID, mentor.ID); err != nil {
			return err
		}
		for j, title := range []string{"Phỏng vấn 30 khách hàng", "Ra mắt bản thử nghiệm", "Gọi vốn hạt giống"} {
			m, err := a.Incubator.AddMilestone(ctx, co.ID, app.ID, title, thisMonth.AddDate(0, 2*j-1, 14))
			if err != nil {
				return err
			}
			if j == 0 {
				if err := a.Incubator.SetMilestoneStatus(ctx, co.ID, app.ID, m.ID, incubator.MilestoneDone); err != nil {
					return err
				}
			}
		}
		// Reports of past months are written as filed then: the service
		// only takes this month and the last.
		for k := 4; k >= 1; k-- {
			month := thisMonth.AddDate(0, -k, 0)
			grow := int64(5 - k)
			r := incubator.Report{ApplicationID: app.ID, Month: month.Format("2006-01"), Revenue: grow * int64(12+8*i) * 1_000_000,
				Users: grow * int64(150+100*i), Staff: 3 + grow/2 + int64(i), Funding: int64(i) * 300_000_000 * min(grow, 2),
				Highlights: fmt.Sprintf("Tháng %s: thêm %d khách hàng mới.", month.Format("01/2006"), grow*10),
				FiledBy:    app.FounderID, CreatedAt: month.AddDate(0, 1, 2).UTC(), UpdatedAt: month.AddDate(0, 1, 2).UTC()}
			if err := a.Store.CreateReport(ctx, r); err != nil {
				return err
			}
		}
		p := demoProfiles[i]
		if err := a.Store.PutProfile(ctx, incubator.Profile{ApplicationID: app.ID, Name: app.StartupName, Sector: p.sector,
			Stage: p.stage, Pitch: p.pitch, UpdatedAt: now.UTC()}); err != nil {
			return err
		}
	}
	return nil
}
