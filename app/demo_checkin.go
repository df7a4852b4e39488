package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// demoGates are the gates of the demo's live event.
var demoGates = []string{"Cổng A — Hồ Gươm", "Cổng B — Tràng Tiền", "Cổng VIP"}

// seedDemoExpoDay makes an event running today, so the gate page works
// whenever the demo runs, with a morning of check-ins at three gates for
// the dashboard to show.
func seedDemoExpoDay(ctx context.Context, a *App, d *Demo) error {
	day := a.Clock.Now().In(vn.Zone)
	slug := "trien-lam-doi-moi-sang-tao-" + day.Format("2006-01-02")
	note := func(id string) {
		d.notes = append(d.notes, fmt.Sprintf("Gate, today's expo (sign in as gate staff): %s/events/%s/gate", a.Config.BaseURL, id))
	}
	if ev, err := a.Events.EventBySlug(ctx, slug, true); err == nil {
		note(ev.ID)
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	at := func(h, m int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, vn.Zone) }
	ev, err := a.Events.Create(ctx, "", events.Input{
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
	if _, err := a.Staffing.SetGates(ctx, ev.ID, demoGates); err != nil {
		return err
	}
	for _, email := range []string{"cong@demo.sprout.vn", "bantochuc@demo.sprout.vn"} {
		if _, err := a.Staffing.Assign(ctx, ev.ID, email, ""); err != nil {
			return err
		}
	}
	tt, err := a.Events.AddTicketType(ctx, ev.ID, events.TypeInput{Name: "Khách tham quan", Capacity: 1500})
	if err != nil {
		return err
	}
	var held []tickets.Ticket
	for i := range 240 {
		name, email, phone := demoPerson(1000 + i)
		r, err := a.Tickets.Register(ctx, ev.ID, tickets.Input{TicketTypeID: tt.ID, Name: name, Email: email, Phone: phone,
			ShareContact: i%4 != 0, Lang: "vi"})
		if err != nil {
			return fmt.Errorf("demo expo registration %d: %w", i, err)
		}
		held = append(held, *r.Ticket)
	}
	// A morning's arrivals: a queue at opening, a lull, a second wave.
	now := a.Clock.Now().UTC()
	for i, t := range held[:170] {
		minute := i * 210 / 170
		if i%5 == 0 {
			minute = i / 5
		}
		scannedAt := at(8, 0).Add(time.Duration(minute) * time.Minute).UTC()
		if scannedAt.After(now) {
			scannedAt = now
		}
		sc := checkin.Scan{ID: ids.New(), EventID: ev.ID, TicketID: t.ID, Gate: demoGates[i%len(demoGates)], Direction: checkin.In,
			ScannedAt: scannedAt, RecordedAt: scannedAt, StaffID: ""}
		if _, err := a.Store.RecordScan(ctx, sc); err != nil {
			return err
		}
		if i%9 == 0 {
			out := sc
			out.ID, out.Direction = ids.New(), checkin.Out
			out.ScannedAt = scannedAt.Add(40 * time.Minute)
			if out.ScannedAt.After(now) {
				out.ScannedAt = now
			}
			out.RecordedAt = out.ScannedAt
			if _, err := a.Store.RecordScan(ctx, out); err != nil {
				return err
			}
		}
	}
	return nil
}
