package web

import (
	"bytes"
	"io"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/expo"
	"sprout/internal/i18n"
	"sprout/internal/sheet"
	"sprout/internal/vn"
)

// leadExport is one download of an exhibitor's leads. The copy the lead
// list offers is for people: headers and ratings in the reader's language,
// times on Vietnam's clock. The API's copy is for programs: the column keys,
// rating words and RFC 3339 times stay the same whatever the language.
type leadExport struct {
	exhibitorID string
	cards       []expo.LeadCard
	l           i18n.Lang
	// words reads each consent in the language the visitor agreed in.
	words  *i18n.Catalog
	forAPI bool
}

// leadColumns are the export's columns: the API's key, the message naming
// it for people. The first eight are those the API always had, in their
// order, so programs reading by position keep working.
var leadColumns = []struct{ key, msg string }{
	{"id", "leads.export.col.id"}, {"ticket_id", "ticket.number"}, {"name", "field.name"}, {"email", "field.email"},
	{"phone", "field.phone"}, {"note", "leads.col.note"}, {"rating", "leads.col.rating"}, {"created_at", "leads.export.col.scanned_at"},
	{"company", "leads.export.col.company"}, {"job_title", "leads.export.col.job_title"},
	{"consent_at", "manage.col.consent_at"}, {"consent_words", "manage.col.consent_words"},
}

// Columns of the lead export that a workbook holds as dates.
const (
	leadColScanned = 7
	leadColConsent = 10
)

func (s *Server) startLeadExport(c *fiber.Ctx) (*leadExport, error) {
	cards, err := s.Expo.LeadCards(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return nil, err
	}
	return &leadExport{exhibitorID: c.Params("id"), cards: cards, l: s.lang(c), words: s.Catalog, forAPI: isAPI(c)}, nil
}

// headers make the response a download, set only once nothing can fail.
func (x *leadExport) headers(c *fiber.Ctx, ext, contentType string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="leads-`+x.exhibitorID+`.`+ext+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Total-Rows", strconv.Itoa(len(x.cards)))
}

func (x *leadExport) header() []string {
	out := make([]string, len(leadColumns))
	for i, col := range leadColumns {
		if x.forAPI {
			out[i] = col.key
		} else {
			out[i] = x.l.T(col.msg)
		}
	}
	return out
}

// when writes a time as the export's reader takes it; "" for none.
func (x *leadExport) when(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case x.forAPI:
		return t.Format(time.RFC3339)
	}
	return t.In(vn.Zone).Format("2006-01-02 15:04:05")
}

func (x *leadExport) rating(r string) string {
	if x.forAPI || r == "" {
		return r
	}
	return x.l.T("leads.rating." + r)
}

// cells are a lead's columns as text. Company and job title come from the
// registration's questions, only with the visitor's consent.
func (x *leadExport) cells(lc expo.LeadCard) []string {
	words := ""
	if lc.Consent.Given() {
		words = x.words.For(lc.Lang).T("consent.share_contact." + lc.Consent.Version)
	}
	return []string{lc.ID, lc.TicketID, lc.Name, lc.Email, vn.FormatPhone(lc.Phone), lc.Note, x.rating(lc.Rating),
		x.when(lc.CreatedAt), lc.Company, lc.JobTitle, x.when(lc.Consent.At), words}
}

// apiLeadsCSV serves the leads as CSV with the byte order mark every
// export has, so Excel reads Vietnamese names; the API's copy starts with
// its header row, as the contract has it, for programs to read.
func (s *Server) apiLeadsCSV(c *fiber.Ctx) error {
	x, err := s.startLeadExport(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	out, err := sheet.NewCSV(&buf, x.header())
	if err != nil {
		return err
	}
	for _, lc := range x.cards {
		if err := out.Row(x.cells(lc)); err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	body := buf.Bytes()
	if x.forAPI {
		body = bytes.TrimPrefix(body, []byte(sheet.BOM))
	}
	x.headers(c, "csv", "text/csv; charset=utf-8")
	return c.Send(body)
}

// apiLeadsXLSX serves the leads as a workbook, for the page and the API
// alike, each in its own reader's form.
func (s *Server) apiLeadsXLSX(c *fiber.Ctx) error {
	x, err := s.startLeadExport(c)
	if err != nil {
		return err
	}
	return sendWorkbook(c, x.writeXLSX, x.headers)
}

// writeXLSX writes the workbook with the CSV's columns; the times are date
// cells, so they sort and filter. Text cells are made safe as the CSV's
// are: staff type notes, visitors type their names.
func (x *leadExport) writeXLSX(out io.Writer) (int64, error) {
	name := "Leads"
	if !x.forAPI {
		name = x.l.T("leads.export.sheet")
	}
	w, err := sheet.New(name, []float64{28, 28, 30, 32, 16, 40, 12, 20, 28, 22, 20, 60}, x.header())
	if err != nil {
		return 0, err
	}
	defer w.Close()
	for _, lc := range x.cards {
		vals := x.cells(lc)
		for i, v := range vals {
			vals[i] = sheet.Safe(v)
		}
		cells := sheet.Texts(vals)
		cells[leadColScanned] = w.Date(lc.CreatedAt)
		if lc.Consent.Given() {
			cells[leadColConsent] = w.Date(lc.Consent.At)
		}
		if err := w.Add(cells); err != nil {
			return 0, err
		}
	}
	return w.WriteTo(out)
}
