package demo

import (
	"context"
	"fmt"
	"strings"

	"sprout/internal/accounts"
	"sprout/internal/expo"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// showcase is what an exhibitor of the demo expo shows the public.
var showcase = map[string]struct{ about, products, website, contact, phone string }{
	"Công ty CP Công nghệ Mầm Xanh": {"Cảm biến và phần mềm giúp hợp tác xã tưới đúng lúc, tiết kiệm 30% nước.",
		"Cảm biến độ ẩm đất LoRa\nỨng dụng tưới tự động Mầm Xanh\nBảng điều khiển cho hợp tác xã", "mamxanh.vn", "Vũ Thị Hồng Nhung", "0912 345 678"},
	"FPT Software Hà Nội": {"Dịch vụ chuyển đổi số và AI cho doanh nghiệp trong nước và quốc tế.",
		"Nền tảng chuyển đổi số cho doanh nghiệp vừa và nhỏ\nAI đọc hóa đơn", "fpt-software.com", "Nguyễn Văn Nam", "0987 654 321"},
	"Viettel Solutions": {"Giải pháp chính quyền số, y tế và giáo dục thông minh.",
		"Chính quyền số\nY tế thông minh", "solutions.viettel.vn", "Trần Thị Lan", "0968 111 222"},
	"MISA JSC": {"Phần mềm kế toán, hóa đơn điện tử cho hơn 250.000 doanh nghiệp.",
		"Phần mềm kế toán MISA SME\nHóa đơn điện tử meInvoice", "misa.vn", "Đặng Quang Huy", "0904 333 444"},
	"Base.vn": {"Bộ ứng dụng quản trị doanh nghiệp trên nền tảng đám mây.",
		"Base Work+ quản trị công việc\nBase HRM+", "base.vn", "Lê Minh Châu", "0933 555 666"},
	"Startup EduTech Sen Vàng": {"Học liệu số song ngữ cho học sinh vùng cao.",
		"Học liệu số cho tiểu học\nLớp học trực tuyến có phụ đề tiếng dân tộc", "senvang.edu.vn", "Phan Thu Trang", "0945 777 888"},
	"Nông Sản Sạch 4.0": {"Kết nối nông trại sạch với bếp ăn trường học, truy xuất nguồn gốc từng lô hàng.",
		"Truy xuất nguồn gốc bằng mã QR\nSàn nông sản sạch", "nongsansach.vn", "Bùi Văn Tài", "0977 999 000"},
	"HealthCare Bình An": {"Phòng khám số: đặt lịch, khám từ xa và hồ sơ sức khoẻ điện tử.",
		"Đặt lịch khám trực tuyến\nHồ sơ sức khoẻ điện tử", "binhan.health", "Vương Thị Mai", "0911 222 333"},
}

// boothStaff are the people working Mầm Xanh's booth.
var boothStaff = []struct{ name, email string }{
	{"Ngô Thanh Tùng", "tung.ngo@mamxanh.vn"},
	{"Đinh Thị Yến", "yen.dinh@mamxanh.vn"},
}

// seedExhibitors fills the demo expo's exhibitor profiles, brings an
// incubator cohort startup in with priority, registers booth staff and
// blocks the booths kept for the organizers.
func (d *seeder) seedExhibitors(ctx context.Context) error {
	slug := "trien-lam-doi-moi-sang-tao-" + d.Clock.Now().In(vn.Zone).Format("2006-01-02")
	ev, err := d.Events.EventBySlug(ctx, slug, true)
	if err != nil {
		return err
	}
	org, err := d.Accounts.UserByEmail(ctx, "bantochuc@demo.sprout.vn")
	if err != nil {
		return err
	}
	list, err := d.Expo.Exhibitors(ctx, ev.ID)
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
	d.notes = append(d.notes, fmt.Sprintf("Exhibitors: %s/events/%s/exhibitors", d.baseURL, ev.Slug))
	mamXanhOwner, err := d.Accounts.User(ctx, mamXanh.OwnerID)
	if err != nil {
		return err
	}
	// Mầm Xanh's booth staff tell that an earlier start seeded this part.
	if _, crew, err := d.Expo.Crew(ctx, mamXanhOwner, mamXanh.ID); err != nil || len(crew.Staff) > 0 {
		return err
	}
	for _, x := range list {
		sc, ok := showcase[x.Company]
		if !ok {
			continue
		}
		owner, err := d.Accounts.User(ctx, x.OwnerID)
		if err != nil {
			return err
		}
		if _, err := d.Expo.EditProfile(ctx, owner, x.ID, expo.Profile{Company: x.Company, ContactName: sc.contact,
			ContactEmail: x.ContactEmail, Phone: sc.phone, Sector: x.Sector, Description: sc.about, Products: sc.products,
			Website: sc.website, Links: []string{"https://facebook.com/" + strings.Split(sc.website, ".")[0]},
			PreferredSize: "M"}); err != nil {
			return fmt.Errorf("demo profile %s: %w", x.Company, err)
		}
		// The organizers saw the completed profiles, but for Mầm Xanh's,
		// which shows what changed since its approval.
		if x.Status == expo.Approved && x.ID != mamXanh.ID {
			if _, err := d.Expo.Acknowledge(ctx, org, x.ID); err != nil {
				return err
			}
		}
	}
	for _, st := range boothStaff {
		if _, err := d.Expo.AddStaff(ctx, mamXanhOwner, mamXanh.ID, expo.StaffInput{Name: st.name, Email: st.email, Lang: "vi"}); err != nil {
			return fmt.Errorf("demo staff %s: %w", st.email, err)
		}
	}
	if err := d.seedCohortExhibitor(ctx, ev.ID, org); err != nil {
		return err
	}
	if err := d.seedTraffic(ctx, ev.ID); err != nil {
		return err
	}
	booths, err := d.Expo.Booths(ctx, ev.ID)
	if err != nil {
		return err
	}
	for _, b := range booths {
		// The organizers keep the two corner booths for the information desk.
		if b.Code == "A24" || b.Code == "B16" {
			if _, err := d.Expo.BlockBooth(ctx, org, b.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedCohortExhibitor brings the demo cohort's first startup to the
// expo, served first as incubator startups are.
func (d *seeder) seedCohortExhibitor(ctx context.Context, eventID string, org accounts.User) error {
	_, apps, err := d.cohort(ctx)
	if err != nil || len(apps) == 0 {
		return err
	}
	founder, err := d.Accounts.User(ctx, apps[0].FounderID)
	if err != nil {
		return err
	}
	x, err := d.Expo.Apply(ctx, founder, eventID, expo.Profile{Company: apps[0].StartupName, ContactEmail: founder.Email,
		ContactName: founder.Name, Sector: "Nông nghiệp số", Description: "Startup của vườn ươm: " + profiles[0].pitch,
		Products: "Bản tin giá nông sản qua Zalo\nDự báo giá 7 ngày", PreferredZone: "Khu Khởi nghiệp", PreferredSize: "S"})
	if err != nil {
		return err
	}
	if _, err := d.Expo.Decide(ctx, org, x.ID, expo.Approved, ""); err != nil {
		return err
	}
	if _, err := d.Expo.SetPriority(ctx, x.ID, true); err != nil {
		return err
	}
	booths, err := d.Expo.Booths(ctx, eventID)
	if err != nil {
		return err
	}
	for _, b := range booths {
		if b.Code == "B03" {
			_, err = d.Expo.AssignBooth(ctx, org, b.ID, x.ID)
		}
	}
	return err
}

// traffic is how many visitors each booth's staff scanned, so the
// organizers' heat view shows busy and quiet corners.
var traffic = map[string]int{"FPT Software Hà Nội": 9, "Viettel Solutions": 7, "MISA JSC": 5,
	"Startup EduTech Sen Vàng": 4, "Nông Sản Sạch 4.0": 3, "HealthCare Bình An": 2, "Base.vn": 1}

// seedTraffic has booth staff scan visitors, as many as traffic says.
func (d *seeder) seedTraffic(ctx context.Context, eventID string) error {
	visitors, _, err := d.Tickets.List(ctx, tickets.Query{EventID: eventID, Status: tickets.Active, Limit: 40})
	if err != nil {
		return err
	}
	list, err := d.Expo.Exhibitors(ctx, eventID)
	if err != nil {
		return err
	}
	ratings := []string{"hot", "warm", "warm", "cold"}
	for i, x := range list {
		n := traffic[x.Company]
		if n == 0 {
			continue
		}
		owner, err := d.Accounts.User(ctx, x.OwnerID)
		if err != nil {
			return err
		}
		for j := range min(n, len(visitors)) {
			t := visitors[(i*7+j)%len(visitors)]
			if _, _, err := d.Expo.AddLead(ctx, owner, x.ID, expo.LeadInput{Token: t.Token, Rating: ratings[j%len(ratings)]}); err != nil {
				return fmt.Errorf("demo lead at %s: %w", x.Company, err)
			}
		}
	}
	return nil
}
