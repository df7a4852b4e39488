package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/expo"
	"sprout/internal/ids"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// exhibitor is an application to exhibit at the demo expo and where it
// ends up: booth "" leaves an approved exhibitor without one.
type exhibitor struct {
	owner, company, sector string
	status                 expo.ExhibitorStatus
	booth                  string
}

// exhibitors apply to exhibit at the demo expo, in this order, each
// company from its own account.
var exhibitors = []exhibitor{
	{"trienlam@demo.sprout.vn", "Công ty CP Công nghệ Mầm Xanh", "Nông nghiệp số", expo.Approved, "A01"},
	{"lab@mamxanh.demo.sprout.vn", "Mầm Xanh Lab", "IoT", expo.Approved, ""},
	{"fpt@demo.sprout.vn", "FPT Software Hà Nội", "Chuyển đổi số", expo.Approved, "A02"},
	{"viettel@demo.sprout.vn", "Viettel Solutions", "Viễn thông", expo.Approved, "A03"},
	{"misa@demo.sprout.vn", "MISA JSC", "Phần mềm kế toán", expo.Approved, "A08"},
	{"base@demo.sprout.vn", "Base.vn", "Quản trị doanh nghiệp", expo.Approved, "A09"},
	{"senvang@demo.sprout.vn", "Startup EduTech Sen Vàng", "Giáo dục", expo.Approved, "B01"},
	{"nongsan@demo.sprout.vn", "Nông Sản Sạch 4.0", "Nông nghiệp", expo.Approved, "B02"},
	{"binhan@demo.sprout.vn", "HealthCare Bình An", "Y tế số", expo.Approved, "B06"},
	{"greenpack@demo.sprout.vn", "GreenPack Việt", "Bao bì xanh", expo.Approved, ""},
	{"hongha@demo.sprout.vn", "Logistics Hồng Hà", "Vận tải", expo.Pending, ""},
	{"aitiengviet@demo.sprout.vn", "AI Tiếng Việt", "Trí tuệ nhân tạo", expo.Pending, ""},
	{"halong@demo.sprout.vn", "Du lịch Thông minh Hạ Long", "Du lịch", expo.Pending, ""},
	{"tienao@demo.sprout.vn", "Tiền Ảo Nhanh", "Tài chính", expo.Rejected, ""},
}

// seedExpoFloor lays out today's expo: two zones of booths, exhibitors
// at every stage, and leads the demo exhibitor's staff scanned.
func (d *seeder) seedExpoFloor(ctx context.Context) error {
	slug := "trien-lam-doi-moi-sang-tao-" + d.Clock.Now().In(vn.Zone).Format("2006-01-02")
	ev, err := d.Events.EventBySlug(ctx, slug, true)
	if err != nil {
		return err
	}
	d.notes = append(d.notes, fmt.Sprintf("Floor plan, today's expo: %s/events/%s/floor", d.baseURL, ev.Slug))
	if booths, err := d.Expo.Booths(ctx, ev.ID); err != nil || len(booths) > 0 {
		return err
	}
	// The demo's organizer drew the floor, so the booth history names them.
	org, err := d.Accounts.UserByEmail(ctx, "bantochuc@demo.sprout.vn")
	if err != nil {
		return err
	}
	codes := map[string]string{}
	// Khu Chuyển đổi số: four rows of six 4×3 booths, an aisle every two rows.
	for i := range 24 {
		row, col := i/6, i%6
		b, err := d.Expo.CreateBooth(ctx, org, ev.ID, expo.BoothInput{Code: fmt.Sprintf("A%02d", i+1), Hall: "Khu Chuyển đổi số",
			Zone: "Khu Chuyển đổi số", SizeClass: "M", X: col * 4, Y: row*3 + row/2*2, W: 4, H: 3, Price: 18_000_000})
		if err != nil {
			return err
		}
		codes[b.Code] = b.ID
	}
	// Khu Khởi nghiệp: four rows of four 3×3 booths for startups.
	for i := range 16 {
		row, col := i/4, i%4
		b, err := d.Expo.CreateBooth(ctx, org, ev.ID, expo.BoothInput{Code: fmt.Sprintf("B%02d", i+1), Hall: "Khu Khởi nghiệp",
			Zone: "Khu Khởi nghiệp", SizeClass: "S", X: col * 3, Y: row*3 + row/2*2, W: 3, H: 3, Price: 6_000_000})
		if err != nil {
			return err
		}
		codes[b.Code] = b.ID
	}
	var lead struct {
		owner accounts.User
		id    string
	}
	for _, dx := range exhibitors {
		owner, err := d.owner(ctx, dx.owner)
		if err != nil {
			return err
		}
		x, err := d.Expo.Apply(ctx, owner, ev.ID, expo.Profile{Company: dx.company, ContactEmail: dx.owner, Sector: dx.sector,
			Description: dx.company + " giới thiệu sản phẩm " + dx.sector + " tại triển lãm."})
		if err != nil {
			return err
		}
		if dx.status != expo.Pending {
			reason := ""
			if dx.status == expo.Rejected {
				reason = "Sản phẩm không thuộc chủ đề đổi mới sáng tạo của triển lãm."
			}
			if _, err := d.Expo.Decide(ctx, org, x.ID, dx.status, reason); err != nil {
				return err
			}
		}
		if dx.booth != "" {
			if _, err := d.Expo.AssignBooth(ctx, org, codes[dx.booth], x.ID); err != nil {
				return err
			}
		}
		if lead.id == "" && dx.booth != "" && dx.owner == "trienlam@demo.sprout.vn" {
			lead.owner, lead.id = owner, x.ID
		}
		// An approved exhibitor still choosing between booths keeps one on hold.
		if dx.company == "GreenPack Việt" {
			if _, err := d.Expo.HoldBooth(ctx, org, codes["B11"], x.ID, 48*time.Hour); err != nil {
				return err
			}
		}
	}
	visitors, _, err := d.Tickets.List(ctx, tickets.Query{EventID: ev.ID, Status: tickets.Active, Limit: 12})
	if err != nil {
		return err
	}
	notes := []string{"Quan tâm cảm biến độ ẩm đất", "Muốn dùng thử 3 tháng", "Hỏi giá cho hợp tác xã", ""}
	ratings := []string{"hot", "warm", "cold", "warm"}
	for i, t := range visitors {
		if _, _, err := d.Expo.AddLead(ctx, lead.owner, lead.id, expo.LeadInput{Token: t.Token, Note: notes[i%len(notes)],
			Rating: ratings[i%len(ratings)]}); err != nil {
			return fmt.Errorf("demo lead %d: %w", i, err)
		}
	}
	return nil
}

// owner finds the account an exhibitor belongs to, making the ones
// that are not demo sign-ins with a password nobody is told.
func (d *seeder) owner(ctx context.Context, email string) (accounts.User, error) {
	u, err := d.Accounts.UserByEmail(ctx, email)
	if !errors.Is(err, errs.ErrNotFound) {
		return u, err
	}
	return d.Accounts.Create(ctx, accounts.NewUser{Email: email, Name: "Đại diện doanh nghiệp", Password: ids.Secret(),
		Lang: "vi", Roles: []accounts.Role{accounts.RoleExhibitor}})
}
