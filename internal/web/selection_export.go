package web

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/incubator"
	"sprout/internal/sheet"
	"sprout/internal/vn"
)

// applicationExport is one download of a programme's handed-in
// applications: answers, scores per criterion, the normalised score and
// the decision, best normalised score first.
type applicationExport struct {
	program incubator.Program
	rows    []incubator.ExportRow
	// founders name each founder: name and email, by id.
	founders map[string][2]string
	l        i18n.Lang
}

// Columns before the answers, and the ones the workbook keeps as dates.
const (
	axSubmitted = 5
	axDecided   = 7
	axFixed     = 8
)

func (s *Server) startApplicationExport(c *fiber.Ctx) (*applicationExport, error) {
	ctx := c.UserContext()
	p, rows, err := s.Incubator.Export(ctx, c.Params("id"))
	if err != nil {
		return nil, err
	}
	x := &applicationExport{program: p, rows: rows, founders: map[string][2]string{}, l: s.lang(c)}
	for _, r := range rows {
		id := r.Application.FounderID
		if _, ok := x.founders[id]; ok || id == "" {
			continue
		}
		u, err := s.Accounts.User(ctx, id)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return nil, err
		}
		x.founders[id] = [2]string{u.Name, u.Email}
	}
	return x, nil
}

func (x *applicationExport) headers(c *fiber.Ctx, ext, contentType string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ho-so-`+x.program.Slug+`.`+ext+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Total-Rows", strconv.Itoa(len(x.rows)))
}

func (x *applicationExport) header() []string {
	l := x.l
	h := []string{l.T("export.col.id"), l.T("reviews.startup"), l.T("export.col.founder"), l.T("field.email"),
		l.T("manage.col.status"), l.T("selection.submitted_at"), l.T("export.col.decision"), l.T("export.col.decided_at")}
	for _, q := range x.program.Questions {
		h = append(h, q.LabelIn(l.Code))
	}
	for _, cr := range x.program.Criteria {
		h = append(h, l.T("export.col.criterion", "Label", cr.LabelIn(l.Code)))
	}
	return append(h, l.T("export.col.mean"), l.T("export.col.normalised"), l.T("export.col.reviews"))
}

func decimal(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 3, 64)
}

func vnTime(a incubator.Application, decided bool) string {
	t := a.SubmittedAt
	if decided {
		t = a.DecidedAt
	}
	if t.IsZero() {
		return ""
	}
	return t.In(vn.Zone).Format("2006-01-02 15:04:05")
}

var decisions = []incubator.Status{incubator.Accepted, incubator.Rejected, incubator.Waitlisted}

func (x *applicationExport) cells(r incubator.ExportRow) []string {
	a := r.Application
	decision := ""
	if slices.Contains(decisions, a.Status) {
		decision = x.l.T("selection.status." + string(a.Status))
	}
	f := x.founders[a.FounderID]
	out := []string{a.ID, a.StartupName, f[0], f[1], x.l.T("selection.status." + string(a.Status)), vnTime(a, false),
		decision, vnTime(a, true)}
	for _, q := range x.program.Questions {
		out = append(out, q.AnswerIn(x.l.Code, incubator.AnswerText(a.Answers[q.ID])))
	}
	for _, cr := range x.program.Criteria {
		v, ok := r.Criteria[cr.ID]
		if !ok {
			out = append(out, "")
			continue
		}
		out = append(out, decimal(&v))
	}
	return append(out, decimal(r.Mean), decimal(r.Normalised), strconv.Itoa(r.Reviews))
}

func (s *Server) exportApplications(c *fiber.Ctx) error {
	x, err := s.startApplicationExport(c)
	if err != nil {
		return err
	}
	switch c.Params("format") {
	case "csv":
		x.headers(c, "csv", "text/csv; charset=utf-8")
		log := s.log(c)
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			if err := x.writeCSV(w); err != nil {
				log.Warn("application csv export stopped", "program", x.program.ID, "err", err)
			}
		})
		return nil
	case "xlsx":
		return sendWorkbook(c, x.writeXLSX, x.headers)
	}
	return errs.ErrNotFound
}

func (x *applicationExport) writeCSV(w *bufio.Writer) error {
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

// writeXLSX writes the workbook: what founders typed goes through Safe as
// in the CSV, scores are numbers and times dates, so they sort and sum.
func (x *applicationExport) writeXLSX(out io.Writer) (int64, error) {
	head := x.header()
	widths := make([]float64, len(head))
	for i := range widths {
		widths[i] = 18
	}
	widths[0], widths[1] = 30, 28
	w, err := sheet.New(x.l.T("export.sheet"), widths, head)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	score, err := w.Style(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return 0, err
	}
	number := func(v *float64) any {
		if v == nil {
			return ""
		}
		return excelize.Cell{StyleID: score, Value: *v}
	}
	for _, r := range x.rows {
		texts := x.cells(r)
		for i := range texts {
			texts[i] = sheet.Safe(texts[i])
		}
		cells := sheet.Texts(texts)
		a := r.Application
		if !a.SubmittedAt.IsZero() {
			cells[axSubmitted] = w.Date(a.SubmittedAt)
		}
		if !a.DecidedAt.IsZero() {
			cells[axDecided] = w.Date(a.DecidedAt)
		}
		col := axFixed + len(x.program.Questions)
		for i, cr := range x.program.Criteria {
			if v, ok := r.Criteria[cr.ID]; ok {
				cells[col+i] = number(&v)
			}
		}
		col += len(x.program.Criteria)
		cells[col], cells[col+1], cells[col+2] = number(r.Mean), number(r.Normalised), r.Reviews
		if err := w.Add(cells); err != nil {
			return 0, err
		}
	}
	return w.WriteTo(out)
}
