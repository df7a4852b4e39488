package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// gates are the gates of the demo's live event.
var gates = []string{"Cổng A — Hồ Gươm", "Cổng B — Tràng Tiền", "Cổng VIP"}

// gateStaff worked the gates, one each, in the order of gates: the demo's
// staff sign-in and two colleagues with passwords nobody is told.
var gateStaff = []struct{ email, name string }{
	{"cong@demo.sprout.vn", "Đỗ Văn Hùng"},
	{"cong.b@demo.sprout.vn", "Phan Thị Mai"},
	{"cong.vip@demo.sprout.vn", "Trịnh Văn Long"},
}

// seedExpoDay makes an event running today, so the gate page works
// whenever the demo runs, with a morning of check-ins at three gates for
// the dashboard to show, each made by the staff at that gate.
func (d *seeder) seedExpoDay(ctx context.Context) error {
	day := d.Clock.Now().In(vn.Zone)
	slug := "trien-lam-doi-moi-sang-tao-" + day.Format("2006-01-02")
	note := func(id string) {
		d.notes = append(d.notes, fmt.Sprintf("Gate, today's expo (sign in as gate staff): %s/events/%s/gate", d.baseURL, id))
	}
	if ev, err := d.Events.EventBySlug(ctx, slug, true); err == nil {
		note(ev.ID)
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	at := func(day time.Time, h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, vn.Zone)
	}
	// The morning of arrivals is today's once it is over, and yesterday's
	// (the expo then opened yesterday) before: a demo started early still
	// shows a whole morning, all of it past.
	morning := day
	if day.Before(at(day, 12, 30)) {
		morning = day.AddDate(0, 0, -1)
	}
	ev, err := d.Events.Create(ctx, "", events.Input{
		Slug: slug, Title: "Triển lãm Đổi mới sáng tạo Hà Nội", TitleEN: "Hanoi Innovation Expo",
		Description:   "Triển lãm sản phẩm của các startup trong vườn ươm và doanh nghiệp khoa học công nghệ.",
		DescriptionEN: "An exhibition of the incubator's startups and science-and-technology enterprises.",
		Venue:         "Cung Văn hóa Hữu nghị Việt Xô, 91 Trần Hưng Đạo, Hà Nội",
		StartsAt:      at(morning, 7, 0), EndsAt: at(day, 23, 59), Published: true,
	})
	if err != nil {
		return err
	}
	note(ev.ID)
	if _, err := d.Staffing.SetGates(ctx, ev.ID, gates); err != nil {
		return err
	}
	staff := make([]accounts.User, len(gateStaff))
	for i, g := range gateStaff {
		u, err := d.Accounts.UserByEmail(ctx, g.email)
		if errors.Is(err, errs.ErrNotFound) {
			u, err = d.Accounts.Create(ctx, accounts.NewUser{Email: g.email, Name: g.name, Password: ids.Secret(),
				Lang: "vi", Roles: []accounts.Role{accounts.RoleStaff}})
		}
		if err != nil {
			return fmt.Errorf("demo gate staff %s: %w", g.email, err)
		}
		if staff[i], err = d.Staffing.AssignUser(ctx, ev.ID, u.ID, gates[i], ""); err != nil {
			return err
		}
	}
	if _, err := d.Staffing.Assign(ctx, ev.ID, "bantochuc@demo.sprout.vn", ""); err != nil {
		return err
	}
	tt, err := d.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Khách tham quan", NameEN: "Visitor", Capacity: 1500})
	if err != nil {
		return err
	}
	var held []tickets.Ticket
	for i := range 240 {
		name, email, phone := Person(1000 + i)
		r, err := d.Tickets.Register(ctx, ev.ID, tickets.Input{TicketTypeID: tt.ID, Name: name, Email: email, Phone: phone,
			ShareContact: i%4 != 0, Lang: "vi"})
		if err != nil {
			return fmt.Errorf("demo expo registration %d: %w", i, err)
		}
		held = append(held, *r.Ticket)
	}
	arrivals := held[:170]
	for i, t := range arrivals {
		g := i % len(gates)
		in := checkin.Input{TicketID: t.ID, Gate: gates[g], Direction: checkin.In, StaffID: staff[g].ID,
			ScannedAt: at(morning, 8, 0).Add(arrival(i, len(arrivals))).UTC()}
		if _, err := d.Checkin.Backfill(ctx, ev.ID, in); err != nil {
			return err
		}
		if i%9 == 0 {
			in.Direction = checkin.Out
			in.ScannedAt = in.ScannedAt.Add(40 * time.Minute)
			if _, err := d.Checkin.Backfill(ctx, ev.ID, in); err != nil {
				return err
			}
		}
	}
	return nil
}

// arrival is when the i-th of n visitors comes in after the doors open at
// 8:00: quantiles of a triangular curve over the three and a half hours to
// 11:30 that peaks at 9:00, when the opening talk draws the crowd.
func arrival(i, n int) time.Duration {
	const span, peak = 210.0, 60.0 // minutes after opening
	u := (float64(i) + 0.5) / float64(n)
	m := span - math.Sqrt((1-u)*span*(span-peak))
	if u < peak/span {
		m = math.Sqrt(u * span * peak)
	}
	return time.Duration(m * float64(time.Minute)).Round(time.Second)
}

// staffType names the expo's ticket type for those who run it.
const staffType = "Ban tổ chức & tình nguyện viên"

// seedStaffBadges gives the people who run today's expo, its gate staff,
// the organizer and six volunteers, tickets of an invitation type, whose
// badges the organizer prints in one file.
func (d *seeder) seedStaffBadges(ctx context.Context) error {
	day := d.Clock.Now().In(vn.Zone)
	ev, err := d.Events.EventBySlug(ctx, "trien-lam-doi-moi-sang-tao-"+day.Format("2006-01-02"), true)
	if err != nil {
		return err
	}
	note := func(typeID string) {
		d.notes = append(d.notes, fmt.Sprintf("Staff badges, A6 (organizer): %s/manage/events/%s/badges.pdf?type=%s&size=a6", d.baseURL, ev.ID, typeID))
	}
	types, err := d.Events.TicketTypes(ctx, ev.ID)
	if err != nil {
		return err
	}
	for _, t := range types {
		if t.Name == staffType {
			note(t.ID)
			return nil
		}
	}
	tt, err := d.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: staffType, NameEN: "Organizers & volunteers", Capacity: 40, Invite: true})
	if err != nil {
		return err
	}
	people := []tickets.Input{{Name: "Trần Quốc Bảo", Email: "bantochuc@demo.sprout.vn", Lang: "vi"}}
	for _, g := range gateStaff {
		people = append(people, tickets.Input{Name: g.name, Email: g.email, Lang: "vi"})
	}
	for i := range 6 {
		name, email, phone := Person(3000 + i)
		people = append(people, tickets.Input{Name: name, Email: email, Phone: phone, Lang: "vi"})
	}
	for _, p := range people {
		p.TicketTypeID = tt.ID
		if _, err := d.Tickets.Invite(ctx, ev.ID, ids.New(), p); err != nil {
			return fmt.Errorf("demo staff badge %s: %w", p.Name, err)
		}
	}
	note(tt.ID)
	return nil
}
