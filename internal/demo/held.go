package demo

import (
	"context"
	"errors"
	"time"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/vn"
)

// seedHeldWorkshop makes a workshop held a month ago, so that the public
// figures count an event held from the first start: today's expo runs
// until midnight and the Techfest is to come.
func (d *seeder) seedHeldWorkshop(ctx context.Context) error {
	const slug = "hoi-thao-so-huu-tri-tue-cho-startup"
	if _, err := d.Events.EventBySlug(ctx, slug, true); err == nil {
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	day := d.Clock.Now().In(vn.Zone).AddDate(0, -1, 0)
	at := func(h, m int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, vn.Zone) }
	_, err := d.Events.Create(ctx, "", events.Input{
		Slug: slug, Title: "Hội thảo Sở hữu trí tuệ cho startup", TitleEN: "Intellectual property for startups",
		Description:   "Đăng ký sáng chế, giải pháp hữu ích và bản quyền phần mềm: hướng dẫn cho các startup trong vườn ươm.",
		DescriptionEN: "Patents, utility solutions and software copyright: a guide for the incubator's startups.",
		Venue:         "Sở Khoa học và Công nghệ Hà Nội, 5 Nguyễn Trãi, Hà Đông, Hà Nội",
		StartsAt:      at(8, 30), EndsAt: at(11, 30), Published: true,
	})
	return err
}
