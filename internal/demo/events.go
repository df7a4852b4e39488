package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// Names to make demo visitors from: common Vietnamese family, middle and
// given names.
var (
	family = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"}
	middle = []string{"Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Quốc", "Thanh", "Hải", "Gia"}
	given  = []string{"An", "Bình", "Châu", "Dũng", "Hà", "Hạnh", "Hiếu", "Hùng", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đạt"}
)

// Person makes the i-th demo person: the same one on every start.
func Person(i int) (name, email, phone string) {
	f, m, g := family[i%len(family)], middle[(i/3)%len(middle)], given[(i*7)%len(given)]
	name = f + " " + m + " " + g
	email = fmt.Sprintf("%s.%s%d@example.vn", vn.Fold(g), vn.Fold(f), i)
	phone = fmt.Sprintf("09%08d", 12345678+i*7919%87654321)
	return name, email, phone
}

// answers are visitor i's answers to the Techfest's questions.
func answers(i int) map[string]string {
	orgs := []string{"Công ty CP Công nghệ Mầm Xanh", "Đại học Bách khoa Hà Nội", "Sở Khoa học và Công nghệ Hà Nội", "Startup AgriSense",
		"Ngân hàng TMCP Kỹ Thương", "Viện Hàn lâm Khoa học và Công nghệ", "Công ty TNHH Phần mềm Sao Việt", "Quỹ Đầu tư Hạt Giống"}
	titles := []string{"Giám đốc điều hành", "Trưởng phòng Đổi mới sáng tạo", "Kỹ sư phần mềm", "Sinh viên", "Nhà nghiên cứu",
		"Chuyên viên", "Nhà sáng lập", "Chuyên viên đầu tư"}
	kinds := []int{0, 3, 2, 1, 0, 3, 0, 4}
	a := map[string]string{"organisation": orgs[i%len(orgs)], "organisation_type": events.Presets[2].Options[kinds[i%len(kinds)]]}
	if i%4 != 0 {
		a["job_title"] = titles[(i/2)%len(titles)]
	}
	return a
}

// seedTechfest makes a Techfest a week from now with its agenda, three
// ticket types and a few hundred registrations, one workshop full with a
// waitlist.
func (d *seeder) seedTechfest(ctx context.Context) error {
	const slug = "techfest-ha-noi-2026"
	d.notes = append(d.notes, fmt.Sprintf("Techfest: %s/events/%s", d.baseURL, slug))
	if _, err := d.Events.EventBySlug(ctx, slug, true); err == nil {
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	day := d.Clock.Now().In(vn.Zone).AddDate(0, 0, 7)
	at := func(h, m int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, vn.Zone) }
	ev, err := d.Events.Create(ctx, "", events.Input{
		Slug: slug, Title: "Techfest Hà Nội 2026", TitleEN: "Hanoi Techfest 2026",
		Description: "Ngày hội khởi nghiệp đổi mới sáng tạo thành phố Hà Nội: 300 gian hàng, hội thảo chuyên đề, gọi vốn và kết nối đầu tư.\n\n" +
			"Vào cửa tự do theo vé đăng ký trước; xuất trình mã QR tại cổng.",
		DescriptionEN: "Hanoi's startup and innovation festival: 300 booths, talks, pitching and investor matchmaking.\n\n" +
			"Free entry with a ticket registered in advance; show its QR code at the gate.",
		Venue:    "Trung tâm Hội nghị Quốc gia, Mễ Trì, Nam Từ Liêm, Hà Nội",
		StartsAt: at(8, 0), EndsAt: at(17, 30), Published: true,
	})
	if err != nil {
		return err
	}
	for _, s := range []events.AgendaInput{
		{StartsAt: at(8, 0), EndsAt: at(8, 45), Room: "Sảnh chính", Title: "Đón khách, check-in", TitleEN: "Welcome and check-in", Speakers: ""},
		{StartsAt: at(8, 45), EndsAt: at(9, 30), Room: "Hội trường A", Title: "Khai mạc Techfest Hà Nội 2026", TitleEN: "Opening of Hanoi Techfest 2026", Speakers: "Lãnh đạo UBND Thành phố, Sở Khoa học và Công nghệ"},
		{StartsAt: at(9, 30), EndsAt: at(11, 0), Room: "Hội trường A", Title: "Toàn cảnh đầu tư mạo hiểm Việt Nam 2026", TitleEN: "Venture capital in Vietnam, 2026", Speakers: "Các quỹ đầu tư trong nước và khu vực"},
		{StartsAt: at(9, 30), EndsAt: at(11, 0), Room: "Phòng 2", Title: "Hội thảo: Ứng dụng AI tạo sinh cho doanh nghiệp nhỏ", TitleEN: "Workshop: generative AI for small businesses", Speakers: "PGS.TS. Lê Minh Đức"},
		{StartsAt: at(13, 30), EndsAt: at(15, 30), Room: "Hội trường A", Title: "Vòng chung kết gọi vốn: 12 startup", TitleEN: "Pitching final: 12 startups", Speakers: "Hội đồng nhà đầu tư"},
		{StartsAt: at(13, 30), EndsAt: at(15, 0), Room: "Phòng 3", Title: "Chuyển đổi số trong nông nghiệp", TitleEN: "Digital transformation in agriculture", Speakers: "Hợp tác xã và startup AgriTech"},
		{StartsAt: at(15, 45), EndsAt: at(17, 0), Room: "Khu triển lãm", Title: "Kết nối doanh nghiệp – startup", TitleEN: "Business and startup matchmaking", Speakers: ""},
		{StartsAt: at(17, 0), EndsAt: at(17, 30), Room: "Hội trường A", Title: "Trao giải và bế mạc", TitleEN: "Awards and closing", Speakers: ""},
	} {
		if _, err := d.Events.AddSession(ctx, ev.ID, s); err != nil {
			return err
		}
	}
	// The common questions, the organisation asked of everyone and shown
	// at the gate.
	asked := slices.Clone(events.Presets[:3])
	asked[0].Required, asked[0].AtGate = true, true
	if _, err := d.Events.SetQuestions(ctx, ev.ID, asked); err != nil {
		return err
	}
	visitors, err := d.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Khách tham quan", NameEN: "Visitor", Capacity: 3000, Waitlist: true})
	if err != nil {
		return err
	}
	investors, err := d.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Nhà đầu tư", NameEN: "Investor", Capacity: 120})
	if err != nil {
		return err
	}
	workshop, err := d.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Hội thảo AI tạo sinh (có giới hạn)", NameEN: "Generative AI workshop (limited seats)", Capacity: 40, Waitlist: true})
	if err != nil {
		return err
	}
	for i := range 320 {
		typeID := visitors.ID
		switch {
		case i%10 == 3:
			typeID = investors.ID
		case i%6 == 1:
			typeID = workshop.ID
		}
		name, email, phone := Person(i)
		lang := "vi"
		if i%9 == 0 {
			lang = "en"
		}
		if _, err := d.Tickets.Register(ctx, ev.ID, tickets.Input{
			TicketTypeID: typeID, Name: name, Email: email, Phone: phone, ShareContact: i%3 != 0, Lang: lang, Answers: answers(i),
		}); err != nil {
			return fmt.Errorf("demo registration %d: %w", i, err)
		}
	}
	return nil
}
