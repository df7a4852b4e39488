package app

import (
	"context"
	"fmt"
	"strings"

	"sprout/internal/accounts"
	"sprout/internal/expo"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// demoShowcase is what an exhibitor of the demo expo shows the public.
var demoShowcase = map[string]struct{ about, products, website, contact, phone string }{
	"Công ty CP Công nghệ Mầm Xanh": {"Cảm biến và phần mềm giúp hợp tác xã tưới đúng lúc, tiết kiệm 30% nước.",
		"Cảm biến độ ẩm đất LoRa\nỨng dụng tưới tự động Mầm Xanh\nBảng điều khiển cho hợp tác xã", "mamxanh.vn", "Vũ Thị Hồng Nhung", "0912 345 678"},
	"FPT Software Hà Nội": {"Dịch vụ chuyển đổi số và AI cho doanh nghiệp trong nước và quốc tế.",
		"Nền tảng chuyển đổi số cho doanh nghiệp vừa và nhỏ\nAI đọc hoá đơn", "fpt-software.com", "Nguyễn Văn Nam", "0987 654 321"},
	"Viettel Solutions": {"Giải pháp chính quyền số, y tế và giáo dục thông minh.",
		"Chính quyền số\nY tế thông minh", "solutions.viettel.vn", "Trần Thị Lan", "0968 111 222"},
	"MISA JSC": {"Phần mềm kế toán, hoá đơn điện tử cho hơn 250.000 doanh nghiệp.",
		"Phần mềm kế toán MISA SME\nHoá đơn điện tử meInvoice", "misa.vn", "Đặng Quang Huy", "0904 333 444"},
	"Base.vn": {"Bộ ứng dụng quản trị doanh nghiệp trên nền tảng đám mây.",
		"Base Work+ quản trị công việc\nBase HRM+", "base.vn", "Lê Minh Châu", "0933 555 666"},
	"Startup EduTech Sen Vàng": {"Học liệu số song ngữ cho học sinh vùng cao.",
		"Học liệu số cho tiểu học\nLớp học trực tuyến có phụ đề tiếng dân tộc", "senvang.edu.vn", "Phan Thu Trang", "0945 777 888"},
	"Nông Sản Sạch 4.0": {"Kết nối nông trại sạch với bếp ăn trường học, truy xuất nguồn gốc từng lô hàng.",
		"Truy xuất nguồn gốc bằng mã QR\nSàn nông sản sạch", "nongsansach.vn", "Bùi Văn Tài", "0977 999 000"},
	"HealthCare Bình An": {"Phòng khám số: đặt lịch, khám từ xa và hồ sơ sức khoẻ điện tử.",
		"Đặt lịch khám trực tuyến\nHồ sơ sức khoẻ điện tử", "binhan.health", "Vương Thị Mai", "0911 222 333"},
}

// demoStaff are the people working Mầm Xanh's booth.
var demoStaff = []struct{ name, email string }{
	{"Ngô Thanh Tùng", "tung.ngo@mamxanh.vn"},
	{"Đinh Thị Yến", "yen.dinh@mamxanh.vn"},
}

// seedDemoExhibitors fills the demo expo's exhibitor profiles, brings an
// incubator cohort startup in with priority, registers booth staff and
// blocks the booths kept for the organizers.
func seedDemoExhibitors(ctx context.Context, a *App, d *Demo) error {
	slug := "trien-lam-doi-moi-sang-tao-" + a.Clock.Now().In(vn.Zone).Format("2006-01-02")
	ev, err := a.Events.EventBySlug(ctx, slug, true)
	if err != nil {
		return err
	}
	org, err := a.Store.UserByEmail(ctx, "bantochuc@demo.sprout.vn")
	if err != nil {
		return err
	}
	list, err := a.Expo.Exhibitors(ctx, ev.ID)
	if err != nil {
		return err
	}
	var mamXanh expo.Exhibitor
	for _, x := range list {
		if x.Company == "Công ty CP Công nghệ Mầm Xanh" {
			mamXanh = x
		}
	}
	if mamXanh.ID == "" {
		return nil
	}
	d.notes = append(d.notes, fmt.Sprintf("Exhibitors: %s/events/%s/exhibitors", a.Config.BaseURL, ev.Slug))
	if staff, err := a.Store.BoothStaff(ctx, mamXanh.ID); err != nil || len(staff) > 0 {
		return err
	}
	for _, x := range list {
		sc, ok := demoShowcase[x.Company]
		if !ok {
			continue
		}
		owner, err := a.Store.UserByID(ctx, x.OwnerID)
		if err != nil {
			return err
		}
		if _, err := a.Expo.EditProfile(ctx, owner, x.ID, expo.Profile{Company: x.Company, ContactName: sc.contact,
			ContactEmail: x.ContactEmail, Phone: sc.phone, Sector: x.Sector, Description: sc.about, Products: sc.products,
			Website: sc.website, Links: []string{"https://facebook.com/" + strings.Split(sc.website, ".")[0]},
			PreferredSize: "M"}); err != nil {
			return fmt.Errorf("demo profile %s: %w", x.Company, err)
		}
	}
	owner, err := a.Store.UserByID(ctx, mamXanh.OwnerID)
	if err != nil {
		return err
	}
	for _, st := range demoStaff {
		if _, err := a.Expo.AddStaff(ctx, owner, mamXanh.ID, expo.StaffInput{Name: st.name, Email: st.email, Lang: "vi"}); err != nil {
			return fmt.Errorf("demo staff %s: %w", st.email, err)
		}
	}
	if err := seedDemoCohortExhibitor(ctx, a, ev.ID, org); err != nil {
		return err
	}
	if err := seedDemoTraffic(ctx, a, ev.ID); err != nil {
		return err
	}
	booths, err := a.Expo.Booths(ctx, ev.ID)
	if err != nil {
		return err
	}
	for _, b := range booths {
		// The organizers keep the two corner booths for the information desk.
		if b.Code == "A24" || b.Code == "B16" {
			if _, err := a.Expo.BlockBooth(ctx, org, b.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedDemoCohortExhibitor brings the demo cohort's first startup to the
// expo, served first as incubator startups are.
func seedDemoCohortExhibitor(ctx context.Context, a *App, eventID string, org accounts.User) error {
	cohorts, err := a.Store.Cohorts(ctx)
	if err != nil || len(cohorts) == 0 {
		return err
	}
	apps, err := a.Store.CohortApplications(ctx, cohorts[0].ID)
	if err != nil || len(apps) == 0 {
		return err
	}
	founder, err := a.Store.UserByID(ctx, apps[0].FounderID)
	if err != nil {
		return err
	}
	x, err := a.Expo.Apply(ctx, founder, eventID, expo.Profile{Company: apps[0].StartupName, ContactEmail: founder.Email,
		ContactName: founder.Name, Sector: "Nông nghiệp số", Description: "Startup của vườn ươm: " + demoProfiles[0].pitch,
		Products: "Bản tin giá nông sản qua Zalo\nDự báo giá 7 ngày", PreferredZone: "Khu Khởi nghiệp", PreferredSize: "S"})
	if err != nil {
		return err
	}
	if _, err := a.Expo.Decide(ctx, org, x.ID, expo.Approved); err != nil {
		return err
	}
	if _, err := a.Expo.SetPriority(ctx, x.ID, true); err != nil {
		return err
	}
	booths, err := a.Expo.Booths(ctx, eventID)
	if err != nil {
		return err
	}
	for _, b := range booths {
		if b.Code == "B03" {
			_, err = a.Expo.AssignBooth(ctx, org, b.ID, x.ID)
		}
	}
	return err
}

// demoTraffic is how many visitors each booth's staff scanned, so the
// organizers' heat view shows busy and quiet corners.
var demoTraffic = map[string]int{"FPT Software Hà Nội": 9, "Viettel Solutions": 7, "MISA JSC": 5,
	"Startup EduTech Sen Vàng": 4, "Nông Sản Sạch 4.0": 3, "HealthCare Bình An": 2, "Base.vn": 1}

func seedDemoTraffic(ctx context.Context, a *App, eventID string) error {
	visitors, _, err := a.Tickets.List(ctx, tickets.Query{EventID: eventID, Status: tickets.Active, Limit: 40})
	if err != nil {
		return err
	}
	list, err := a.Expo.Exhibitors(ctx, eventID)
	if err != nil {
		return err
	}
	ratings := []string{"hot", "warm", "warm", "cold"}
	for i, x := range list {
		n := demoTraffic[x.Company]
		if n == 0 {
			continue
		}
		owner, err := a.Store.UserByID(ctx, x.OwnerID)
		if err != nil {
			return err
		}
		for j := range min(n, len(visitors)) {
			t := visitors[(i*7+j)%len(visitors)]
			if _, _, err := a.Expo.AddLead(ctx, owner, x.ID, expo.LeadInput{Token: t.Token, Rating: ratings[j%len(ratings)]}); err != nil {
				return fmt.Errorf("demo lead at %s: %w", x.Company, err)
			}
		}
	}
	return nil
}
