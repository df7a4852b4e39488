package web

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/i18n"
	"sprout/internal/sheet"
	"sprout/internal/vn"
)

// exhibitorExport is one download of an event's exhibitors as the
// organizer's list shows them: its status filter and its order.
type exhibitorExport struct {
	event events.Event
	rows  []candidate
	crews map[string]expo.Crew
	l     i18n.Lang
}

// Columns of the exhibitor export that the workbook stores as numbers or
// dates rather than text.
const (
	exColPrice   = 11
	exColStaff   = 12
	exColAllowed = 13
	exColApplied = 16
)

func (s *Server) startExhibitorExport(c *fiber.Ctx) (*exhibitorExport, error) {
	ctx := c.UserContext()
	e, err := s.managedEvent(c)
	if err != nil {
		return nil, err
	}
	list, err := s.Expo.Exhibitors(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	// The same filter as the list: an unknown status means all of them.
	status := c.Query("status")
	if !slices.Contains([]expo.ExhibitorStatus{expo.Pending, expo.Approved, expo.Rejected}, expo.ExhibitorStatus(status)) {
		status = ""
	}
	x := &exhibitorExport{event: e, l: s.lang(c)}
	for _, ex := range list {
		if status == "" || string(ex.Status) == status {
			x.rows = append(x.rows, candidate{Exhibitor: ex})
		}
	}
	if c.Query("sort") == "startups" {
		startupsFirst(x.rows)
	}
	exs := make([]expo.Exhibitor, len(x.rows))
	for i, r := range x.rows {
		exs[i] = r.Exhibitor
	}
	if x.crews, err = s.Expo.Crews(ctx, e.ID, exs); err != nil {
		return nil, err
	}
	return x, nil
}

// headers make the response a download, set only once nothing can fail.
func (x *exhibitorExport) headers(c *fiber.Ctx, ext, contentType string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="exhibitors-`+x.event.Slug+`.`+ext+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Total-Rows", strconv.Itoa(len(x.rows)))
}

func (x *exhibitorExport) header() []string {
	l := x.l
	return []string{l.T("expo.col.company"), l.T("expo.col.status"), l.T("exhibitor.sector"), l.T("exhibitor.contact_name"),
		l.T("exhibitor.contact_email"), l.T("field.phone"), l.T("exhibitor.website"), l.T("expo.export.booths"),
		l.T("expo.field.zone"), l.T("expo.field.size_class"), l.T("expo.export.price"), l.T("expo.export.staff"),
		l.T("expo.export.allowance"), l.T("expo.startup"), l.T("expo.export.priority"), l.T("expo.export.applied")}
}

func (x *exhibitorExport) yesNo(b bool) string {
	if b {
		return x.l.T("manage.yes")
	}
	return x.l.T("manage.no")
}

// distinct joins the values of the booths that are not empty, each once,
// in the booths' order.
func distinct(booths []expo.Booth, value func(expo.Booth) string) string {
	var seen []string
	for _, b := range booths {
		if v := value(b); v != "" && !slices.Contains(seen, v) {
			seen = append(seen, v)
		}
	}
	return strings.Join(seen, ", ")
}

// totalPrice is what the booths cost together, in đồng.
func totalPrice(booths []expo.Booth) int64 {
	var sum int64
	for _, b := range booths {
		sum += b.Price
	}
	return sum
}

// cells are an exhibitor's columns as text, the price a whole number of
// đồng, the time Vietnam's.
func (x *exhibitorExport) cells(r candidate) []string {
	crew := x.crews[r.ID]
	return []string{r.Company, x.l.T("expo.status." + string(r.Status)), r.Sector, r.ContactName, r.ContactEmail,
		vn.FormatPhone(r.Phone), r.Website, distinct(crew.Booths, func(b expo.Booth) string { return b.Code }),
		distinct(crew.Booths, func(b expo.Booth) string { return b.Zone }),
		distinct(crew.Booths, func(b expo.Booth) string { return b.SizeClass }),
		strconv.FormatInt(totalPrice(crew.Booths), 10), strconv.Itoa(len(crew.Staff)), strconv.Itoa(crew.Allowance),
		x.yesNo(r.CohortID != ""), x.yesNo(r.Priority), r.CreatedAt.In(vn.Zone).Format("2006-01-02 15:04:05")}
}

// exportExhibitors downloads the exhibitors as CSV or as a workbook, by
// the route's extension.
func (s *Server) exportExhibitors(c *fiber.Ctx) error {
	switch c.Params("format") {
	case "csv":
		return s.exportExhibitorsCSV(c)
	case "xlsx":
		return s.exportExhibitorsXLSX(c)
	}
	return errs.ErrNotFound
}

// exportExhibitorsCSV streams the exhibitors as CSV, with the byte order
// mark Excel needs to read Vietnamese.
func (s *Server) exportExhibitorsCSV(c *fiber.Ctx) error {
	x, err := s.startExhibitorExport(c)
	if err != nil {
		return err
	}
	x.headers(c, "csv", "text/csv; charset=utf-8")
	log := s.log(c)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := x.writeCSV(w); err != nil {
			log.Warn("exhibitor csv export stopped", "event", x.event.ID, "err", err)
		}
	})
	return nil
}

func (x *exhibitorExport) writeCSV(w *bufio.Writer) error {
	out, err := sheet.NewCSV(w, x.header())
	if err != nil {
		return err
	}
	for _, r := range x.rows {
		if err := out.Row(x.cells(r)); err != nil {
			return err
		}
	}
	return out.Flush()
}

func (s *Server) exportExhibitorsXLSX(c *fiber.Ctx) error {
	x, err := s.startExhibitorExport(c)
	if err != nil {
		return err
	}
	return sendWorkbook(c, x.writeXLSX, x.headers)
}

// writeXLSX writes the workbook: text cells hold what was typed, never a
// formula; the price and staff counts are numbers and the time a date, so
// they sum, sort and filter.
func (x *exhibitorExport) writeXLSX(out io.Writer) (int64, error) {
	w, err := sheet.New(x.l.T("expo.export.sheet"), []float64{32, 14, 20, 24, 30, 16, 26, 16, 20, 12, 16, 12, 12, 12, 10, 18}, x.header())
	if err != nil {
		return 0, err
	}
	defer w.Close()
	money, err := w.Style(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return 0, err
	}
	for _, r := range x.rows {
		cells := sheet.Texts(x.cells(r))
		crew := x.crews[r.ID]
		cells[exColPrice-1] = excelize.Cell{StyleID: money, Value: totalPrice(crew.Booths)}
		cells[exColStaff-1] = len(crew.Staff)
		cells[exColAllowed-1] = crew.Allowance
		cells[exColApplied-1] = w.Date(r.CreatedAt)
		if err := w.Add(cells); err != nil {
			return 0, err
		}
	}
	return w.WriteTo(out)
}
