package web

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/sheet"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/vn"
)

// manageAttendanceSheet is a course's attendance sheet as a workbook:
// the active registrations against the sessions, a ✓ for each attended,
// and whether the course's rule counts them as having completed it.
func (s *Server) manageAttendanceSheet(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	agenda, err := s.Events.Agenda(ctx, e.ID)
	if err != nil {
		return err
	}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return err
	}
	attendance, err := s.Training.EventAttendance(ctx, e.ID)
	if err != nil {
		return err
	}
	var people []tickets.Ticket
	if err := s.Tickets.Each(ctx, tickets.Query{EventID: e.ID, Status: tickets.Active}, func(t tickets.Ticket) error {
		people = append(people, t)
		return nil
	}); err != nil {
		return err
	}
	l := s.lang(c)
	names := typeNames(types, l.Code)
	head := []string{l.T("field.name"), l.T("field.email"), l.T("ticket.type")}
	widths := []float64{28, 32, 22}
	for _, a := range agenda {
		head = append(head, a.TitleIn(l.Code)+" ("+a.StartsAt.In(vn.Zone).Format("02/01 15:04")+")")
		widths = append(widths, 16)
	}
	head = append(head, l.T("course.col.attended"), l.T("course.col.percent"), l.T("course.col.completed"))
	widths = append(widths, 12, 10, 14)
	rows := training.Sheet(e.Course, agenda, people, attendance)
	write := func(out io.Writer) (int64, error) {
		w, err := sheet.New(l.T("course.sheet"), widths, head)
		if err != nil {
			return 0, err
		}
		defer w.Close()
		for _, r := range rows {
			cells := sheet.Texts([]string{r.Ticket.Name, r.Ticket.Email, names[r.Ticket.TypeID]})
			for _, yes := range r.Attended {
				cells = append(cells, map[bool]string{true: "✓"}[yes])
			}
			done := l.T("manage.no")
			if r.Completed {
				done = l.T("manage.yes")
			}
			cells = append(cells, r.Count, r.Percent, done)
			if err := w.Add(cells); err != nil {
				return 0, err
			}
		}
		return w.WriteTo(out)
	}
	return sendWorkbook(c, write, func(c *fiber.Ctx, ext, contentType string) {
		c.Set(fiber.HeaderContentType, contentType)
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="diem-danh-`+e.Slug+`.`+ext+`"`)
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		c.Set("X-Total-Rows", strconv.Itoa(len(rows)))
	})
}
