package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sprout/internal/certs"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/graduation"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/vn"
)

// courseSlug is the demo's finished course; upcomingSlug the one under way.
const (
	courseSlug   = "chuyen-doi-so-doanh-nghiep-nho-va-vua"
	upcomingSlug = "ky-nang-so-cho-can-bo-quan-ly"
)

// trainees are the finished course's first participants, before the
// generated ones: Tuyết, whose name tests the certificate's diacritics.
var trainees = []struct{ name, email, lang string }{
	{"Nguyễn Thị Ánh Tuyết", "tuyet.nguyen@example.vn", "vi"},
	{"Đặng Quốc Khánh", "khanh.dang@example.vn", "en"},
}

// seedCourses makes the digital-transformation course of three sessions
// that ended a week ago, its attendance taken at each, its certificates
// issued to those who completed it and one of them revoked; and a course
// under way, its first session done yesterday, for the trainer's pages.
func (d *seeder) seedCourses(ctx context.Context) error {
	if err := d.seedFinishedCourse(ctx); err != nil {
		return fmt.Errorf("demo course: %w", err)
	}
	if err := d.seedCourseUnderWay(ctx); err != nil {
		return fmt.Errorf("demo course under way: %w", err)
	}
	return nil
}

// course makes a course with sessions on the given days, 8:30 to 11:30,
// and registers n participants while its registration is open: the event
// ends after now until everyone is in, then at its last session's end.
func (d *seeder) course(ctx context.Context, slug string, in events.Input, days []time.Time, rule events.Course, people []tickets.Input) (events.Event, []events.AgendaItem, []tickets.Ticket, error) {
	at := func(day time.Time, h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, vn.Zone)
	}
	lastEnd := at(days[len(days)-1], 11, 30)
	in.Slug, in.StartsAt, in.EndsAt, in.Published = slug, at(days[0], 8, 30), d.Clock.Now().Add(time.Hour), true
	if lastEnd.After(in.EndsAt) {
		in.EndsAt = lastEnd
	}
	ev, err := d.Events.Create(ctx, "", in)
	if err != nil {
		return events.Event{}, nil, nil, err
	}
	titles := [][2]string{
		{"Tổng quan chuyển đổi số và lộ trình cho doanh nghiệp", "Digital transformation: an overview and a roadmap"},
		{"Công cụ số cho bán hàng, kế toán và quản trị", "Digital tools for sales, accounting and management"},
		{"Thực hành: xây dựng kế hoạch chuyển đổi số", "Workshop: building a digital transformation plan"},
	}
	var agenda []events.AgendaItem
	for i, day := range days {
		a, err := d.Events.AddSession(ctx, ev.ID, events.AgendaInput{StartsAt: at(day, 8, 30), EndsAt: at(day, 11, 30),
			Room: "Phòng đào tạo 301", Title: titles[i%len(titles)][0], TitleEN: titles[i%len(titles)][1],
			Speakers: []string{"ThS. Lê Hoàng Nam", "TS. Phạm Thu Trang", "ThS. Lê Hoàng Nam"}[i%3]})
		if err != nil {
			return events.Event{}, nil, nil, err
		}
		agenda = append(agenda, a)
	}
	rule.Enabled, rule.Required = true, []string{agenda[len(agenda)-1].ID}
	if _, err := d.Events.SetCourse(ctx, ev.ID, rule); err != nil {
		return events.Event{}, nil, nil, err
	}
	tt, err := d.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Học viên", NameEN: "Trainee", Capacity: 60})
	if err != nil {
		return events.Event{}, nil, nil, err
	}
	var held []tickets.Ticket
	for _, p := range people {
		p.TicketTypeID = tt.ID
		r, err := d.Tickets.Register(ctx, ev.ID, p)
		if err != nil {
			return events.Event{}, nil, nil, err
		}
		held = append(held, *r.Ticket)
	}
	if !lastEnd.Equal(in.EndsAt) {
		in.EndsAt = lastEnd
		if ev, err = d.Events.Update(ctx, ev.ID, in); err != nil {
			return events.Event{}, nil, nil, err
		}
	}
	return ev, agenda, held, nil
}

func participants(first []struct{ name, email, lang string }, from, n int) []tickets.Input {
	var out []tickets.Input
	for _, p := range first {
		out = append(out, tickets.Input{Name: p.name, Email: p.email, Lang: p.lang})
	}
	for i := range n {
		name, email, phone := Person(from + i)
		out = append(out, tickets.Input{Name: name, Email: email, Phone: phone, Lang: "vi"})
	}
	return out
}

// attend takes the attendance of people at a session as it happened, a
// few minutes after it began, by the trainer's scan.
func (d *seeder) attend(ctx context.Context, ev events.Event, s events.AgendaItem, people []tickets.Ticket) error {
	for i, t := range people {
		if _, err := d.Training.Attend(ctx, ev.ID, s.ID, training.Input{TicketID: t.ID,
			ScannedAt: s.StartsAt.Add(time.Duration(i%20) * 30 * time.Second)}); err != nil {
			return err
		}
	}
	return nil
}

func (d *seeder) seedFinishedCourse(ctx context.Context) error {
	if ev, err := d.Events.EventBySlug(ctx, courseSlug, true); err == nil {
		return d.noteCourse(ctx, ev)
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	today := d.Clock.Now().In(vn.Zone)
	days := []time.Time{today.AddDate(0, 0, -21), today.AddDate(0, 0, -14), today.AddDate(0, 0, -7)}
	ev, agenda, people, err := d.course(ctx, courseSlug, events.Input{
		Title: "Chuyển đổi số cho doanh nghiệp nhỏ và vừa", TitleEN: "Digital transformation for small and medium enterprises",
		Description:   "Khóa đào tạo ba buổi của Sở Khoa học và Công nghệ cho chủ doanh nghiệp nhỏ và vừa: tổng quan, công cụ số và thực hành lập kế hoạch chuyển đổi số.",
		DescriptionEN: "A three-session training by the Department of Science and Technology for owners of small and medium enterprises: an overview, digital tools and a workshop on a transformation plan.",
		Venue:         "Trung tâm Hỗ trợ khởi nghiệp sáng tạo Hà Nội, 5 Nguyễn Trãi, Thanh Xuân, Hà Nội",
	}, days, events.Course{MinPercent: 60, SignerName: "TS. Nguyễn Văn Thành", SignerTitle: "Giám đốc Trung tâm Hỗ trợ khởi nghiệp sáng tạo",
		AutoIssue: true}, participants(trainees, 2000, 22))
	if err != nil {
		return err
	}
	// Most came to all three; some missed the first or second; a few
	// missed the required workshop, and two came only once.
	for i, s := range agenda {
		var present []tickets.Ticket
		for j, t := range people {
			switch {
			case j >= 22 && i != 0:
			case j >= 18 && i == 2:
			case j%7 == 3 && i == 0, j%7 == 5 && i == 1:
			default:
				present = append(present, t)
			}
		}
		if err := d.attend(ctx, ev, s, present); err != nil {
			return err
		}
	}
	if _, err := d.Graduation.Issue(ctx, ev.ID); err != nil {
		return err
	}
	// One certificate went to a participant marked present at the workshop
	// by mistake; it is revoked.
	c, err := d.Certs.BySource(ctx, certs.Training, graduation.Source(ev.ID, people[len(people)/2].ID))
	if err != nil {
		return err
	}
	if _, err := d.Certs.Revoke(ctx, c.Code, "Điểm danh nhầm buổi thực hành; học viên chưa hoàn thành khóa học"); err != nil {
		return err
	}
	return d.noteCourse(ctx, ev)
}

// noteCourse prints where to see the finished course's certificates.
func (d *seeder) noteCourse(ctx context.Context, ev events.Event) error {
	o, err := d.Graduation.Overview(ctx, ev.ID)
	if err != nil {
		return err
	}
	var valid, revoked string
	for _, c := range o.Certificates {
		switch {
		case c.Status == certs.Valid && (valid == "" || c.Holder == trainees[0].name):
			valid = c.Code
		case c.Status == certs.Revoked && revoked == "":
			revoked = c.Code
		}
	}
	d.notes = append(d.notes,
		fmt.Sprintf("Course with certificates (organizer): %s/manage/events/%s/certificates", d.baseURL, ev.ID),
		fmt.Sprintf("Certificates: %s/verify/%s — revoked: %s/verify/%s", d.baseURL, valid, d.baseURL, revoked))
	return nil
}

func (d *seeder) seedCourseUnderWay(ctx context.Context) error {
	ev, err := d.Events.EventBySlug(ctx, upcomingSlug, true)
	if err == nil {
		d.notes = append(d.notes, fmt.Sprintf("Course under way (trainer, as gate staff): %s/events/%s/sessions", d.baseURL, ev.ID))
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	today := d.Clock.Now().In(vn.Zone)
	days := []time.Time{today.AddDate(0, 0, -1), today.AddDate(0, 0, 6), today.AddDate(0, 0, 13)}
	ev, agenda, people, err := d.course(ctx, upcomingSlug, events.Input{
		Title: "Kỹ năng số cho cán bộ quản lý", TitleEN: "Digital skills for managers",
		Description:   "Ba buổi thực hành kỹ năng số cho cán bộ quản lý các đơn vị sự nghiệp.",
		DescriptionEN: "Three hands-on sessions of digital skills for public-service managers.",
		Venue:         "Trung tâm Hỗ trợ khởi nghiệp sáng tạo Hà Nội, 5 Nguyễn Trãi, Thanh Xuân, Hà Nội",
	}, days, events.Course{MinPercent: 60, SignerName: "TS. Nguyễn Văn Thành", SignerTitle: "Giám đốc Trung tâm Hỗ trợ khởi nghiệp sáng tạo",
		AutoIssue: true}, participants(nil, 2100, 30))
	if err != nil {
		return err
	}
	if err := d.attend(ctx, ev, agenda[0], people[:24]); err != nil {
		return err
	}
	if _, err := d.Staffing.Assign(ctx, ev.ID, "cong@demo.sprout.vn", ""); err != nil {
		return err
	}
	d.notes = append(d.notes, fmt.Sprintf("Course under way (trainer, as gate staff): %s/events/%s/sessions", d.baseURL, ev.ID))
	return nil
}
