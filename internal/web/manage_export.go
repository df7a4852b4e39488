package web

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/events"
	"sprout/internal/i18n"
	"sprout/internal/sheet"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// export is one download of an event's registrations under the list's
// filters. It outlives the request's Fiber context: a CSV is written after
// the handler returns.
type export struct {
	ctx   context.Context
	walk  func(context.Context, tickets.Query, func(tickets.Ticket) error) error
	q     tickets.Query
	total int
	types map[string]string
	l     i18n.Lang
	// words reads each consent in its own language.
	words *i18n.Catalog
	event events.Event
	// at names the file after the time the export began.
	at  time.Time
	log *slog.Logger
}

// startExport counts the rows, which the response announces for the
// progress bar.
func (s *Server) startExport(c *fiber.Ctx) (*export, error) {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return nil, err
	}
	types, err := s.Events.TicketTypes(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	x := &export{ctx: ctx, walk: s.Tickets.Each, q: registrationFilter(c), types: typeNames(types, s.lang(c).Code), l: s.lang(c), words: s.Catalog, event: e, at: s.Clock.Now(), log: s.log(c)}
	count := x.q
	count.Limit = 1
	if _, x.total, err = s.Tickets.List(ctx, count); err != nil {
		return nil, err
	}
	return x, nil
}

// headers make the response a download, set only once nothing can fail, so
// an error page is never saved as the file.
func (x *export) headers(c *fiber.Ctx, ext, contentType string) {
	name := "dang-ky-" + x.event.Slug + "-" + x.at.In(vn.Zone).Format("20060102-1504") + "." + ext
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Total-Rows", strconv.Itoa(x.total))
}

// each calls fn with every registration, in the list's order.
func (x *export) each(fn func(tickets.Ticket) error) error { return x.walk(x.ctx, x.q, fn) }

func (x *export) header() []string {
	h := []string{x.l.T("ticket.number"), x.l.T("field.name"), x.l.T("field.email"), x.l.T("field.phone"),
		x.l.T("ticket.type"), x.l.T("manage.col.status"), x.l.T("manage.col.registered"), x.l.T("manage.col.share_contact"),
		x.l.T("manage.col.consent_at"), x.l.T("manage.col.consent_words")}
	for _, q := range x.event.Questions {
		h = append(h, q.LabelIn(x.l.Code))
	}
	return h
}

// Columns of the export that hold times, for the workbook's date cells.
const (
	colRegistered = 6
	colConsentAt  = 8
)

func (x *export) yesNo(b bool) string {
	if b {
		return x.l.T("manage.yes")
	}
	return x.l.T("manage.no")
}

// cells are a registration's columns. A consent comes with its time and
// the very words the person agreed to, in the language they registered in.
func (x *export) cells(t tickets.Ticket) []string {
	consentAt, words := "", ""
	if t.SharesContact() {
		consentAt = t.Consent.At.In(vn.Zone).Format("2006-01-02 15:04:05")
		words = x.words.For(t.Lang).T("consent.share_contact." + t.Consent.Version)
	}
	out := []string{t.ID, t.Name, t.Email, vn.FormatPhone(t.Phone), x.types[t.TypeID],
		x.l.T("manage.status." + string(t.Status)), t.CreatedAt.In(vn.Zone).Format("2006-01-02 15:04:05"), x.yesNo(t.SharesContact()),
		consentAt, words}
	for _, q := range x.event.Questions {
		out = append(out, q.AnswerIn(x.l.Code, t.Answers[q.ID], x.l.T("register.yes"), x.l.T("register.no")))
	}
	return out
}

// exportCSV streams the registrations as CSV. The byte order mark makes
// Excel read the file as UTF-8, so Vietnamese names survive.
func (s *Server) exportCSV(c *fiber.Ctx) error {
	x, err := s.startExport(c)
	if err != nil {
		return err
	}
	x.headers(c, "csv", "text/csv; charset=utf-8")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := x.writeCSV(w); err != nil {
			x.log.Warn("csv export stopped", "event", x.event.ID, "err", err)
		}
	})
	return nil
}

func (x *export) writeCSV(w *bufio.Writer) error {
	out, err := sheet.NewCSV(w, x.header())
	if err != nil {
		return err
	}
	if err := x.each(func(t tickets.Ticket) error { return out.Row(x.cells(t)) }); err != nil {
		return err
	}
	return out.Flush()
}

func (s *Server) exportXLSX(c *fiber.Ctx) error {
	x, err := s.startExport(c)
	if err != nil {
		return err
	}
	return sendWorkbook(c, x.writeXLSX, x.headers)
}

// sendWorkbook builds a workbook in a temporary file first, so the response
// has a Content-Length to show progress against; headers names the file.
func sendWorkbook(c *fiber.Ctx, write func(io.Writer) (int64, error), headers func(c *fiber.Ctx, ext, contentType string)) error {
	f, err := os.CreateTemp("", "sprout-export-*.xlsx")
	if err != nil {
		return err
	}
	tmp := tempFile{f}
	size, err := write(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		return err
	}
	headers(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Context().SetBodyStream(tmp, int(size))
	return nil
}

// tempFile is removed once the response has read it.
type tempFile struct{ *os.File }

func (t tempFile) Close() error {
	err := t.File.Close()
	os.Remove(t.Name())
	return err
}

func (x *export) writeXLSX(out io.Writer) (int64, error) {
	widths := []float64{30, 28, 32, 16, 22, 14, 18, 14, 18, 60}
	for range x.event.Questions {
		widths = append(widths, 28)
	}
	w, err := sheet.New(x.l.T("manage.sheet"), widths, x.header())
	if err != nil {
		return 0, err
	}
	defer w.Close()
	err = x.each(func(t tickets.Ticket) error {
		cells := sheet.Texts(x.cells(t))
		cells[colRegistered] = w.Date(t.CreatedAt)
		if t.SharesContact() {
			cells[colConsentAt] = w.Date(t.Consent.At)
		}
		return w.Add(cells)
	})
	if err != nil {
		return 0, err
	}
	return w.WriteTo(out)
}
