package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// gates are the gates of the demo's live event.
var gates = []string{"Cổng A — Hồ Gươm", "Cổng B — Tràng Tiền", "Cổng VIP"}

// seedExpoDay makes an event running today, so the gate page works
// whenever the demo runs, with a morning of check-ins at three gates for
// the dashboard to show.
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
	at := func(h, m int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, vn.Zone) }
	ev, err := d.Events.Create(ctx, "", events.Input{
		Slug: slug, Title: "Triển lãm Đổi mới sáng tạo Hà Nội", TitleEN: "Hanoi Innovation Expo",
		Description:   "Triển lãm sản phẩm của các startup trong vườn ươm và doanh nghiệp khoa học công nghệ.",
		DescriptionEN: "An exhibition of the incubator's startups and science-and-technology enterprises.",
		Venue:         "Cung Văn hóa Hữu nghị Việt Xô, 91 Trần Hưng Đạo, Hà Nội",
		StartsAt:      at(7, 0), EndsAt: at(23, 59), Published: true,
	})
	if err != nil {
		return err
	}
	note(ev.ID)
	if _, err := d.Staffing.SetGates(ctx, ev.ID, gates); err != nil {
		return err
	}
	for _, email := range []string{"cong@demo.sprout.vn", "bantochuc@demo.sprout.vn"} {
		if _, err := d.Staffing.Assign(ctx, ev.ID, email, ""); err != nil {
			return err
		}
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
	// A morning's arrivals: a queue at opening, a lull, a second wave.
	now := d.Clock.Now().UTC()
	for i, t := range held[:170] {
		minute := i * 210 / 170
		if i%5 == 0 {
			minute = i / 5
		}
		scannedAt := at(8, 0).Add(time.Duration(minute) * time.Minute).UTC()
		if scannedAt.After(now) {
			scannedAt = now
		}
		in := checkin.Input{TicketID: t.ID, Gate: gates[i%len(gates)], Direction: checkin.In, ScannedAt: scannedAt}
		if _, err := d.Checkin.Backfill(ctx, ev.ID, in); err != nil {
			return err
		}
		if i%9 == 0 {
			in.Direction = checkin.Out
			in.ScannedAt = scannedAt.Add(40 * time.Minute)
			if in.ScannedAt.After(now) {
				in.ScannedAt = now
			}
			if _, err := d.Checkin.Backfill(ctx, ev.ID, in); err != nil {
				return err
			}
		}
	}
	return nil
}
