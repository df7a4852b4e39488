package web

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/i18n"
	"sprout/internal/sheet"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

func (s *Server) scansRoutes(app *fiber.App) {
	organizer := s.pageRequire(organizerRoles...)
	app.Get("/manage/events/:id/scans", organizer, s.manageScans)
	app.Get("/manage/events/:id/scans.csv", organizer, s.exportScans)
	app.Post("/manage/events/:id/scans/:scan/annul", organizer, s.manageAnnul)
}

const scansPageSize = 50

// scanFilter is what the scan log and its export select. The strings are
// copies because the export reads them after the request's buffers are
// reused.
func scanFilter(c *fiber.Ctx) checkin.LogQuery {
	return checkin.LogQuery{EventID: strings.Clone(c.Params("id")), Gate: strings.Clone(c.Query("gate")),
		TicketID: strings.Clone(c.Query("ticket")), ConflictsOnly: c.Query("conflicts") != ""}
}

func scanFilterValues(q checkin.LogQuery) url.Values {
	v := url.Values{}
	if q.Gate != "" {
		v.Set("gate", q.Gate)
	}
	if q.TicketID != "" {
		v.Set("ticket", q.TicketID)
	}
	if q.ConflictsOnly {
		v.Set("conflicts", "1")
	}
	return v
}

// scanRow is a scan as the organizer reads it.
type scanRow struct {
	checkin.Scan
	Staff, Holder     string
	When, Recorded    string
	Result, Direction string
	AnnulledWhen      string
	// OK is a ticket found good, whether or not the scan changed anything.
	OK bool
	// Annullable is an entry that let someone in and still stands.
	Annullable bool
}

// scanNames puts names on scans, reading each person once per page or
// export.
type scanNames struct {
	user    func(context.Context, string) (accounts.User, error)
	ticket  func(context.Context, string) (tickets.Ticket, error)
	staff   map[string]string
	holders map[string]string
}

func (s *Server) scanNames() *scanNames {
	return &scanNames{user: s.Accounts.User, ticket: s.Tickets.Ticket, staff: map[string]string{}, holders: map[string]string{}}
}

// name finds one name through find, keeping it in seen; someone unknown
// has none.
func name(ctx context.Context, seen map[string]string, id string, find func(context.Context, string) (string, error)) (string, error) {
	if n, ok := seen[id]; ok || id == "" {
		return n, nil
	}
	n, err := find(ctx, id)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return "", err
	}
	seen[id] = n
	return n, nil
}

func scanTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vn.Zone).Format("02/01/2006 15:04:05")
}

func (n *scanNames) row(ctx context.Context, l i18n.Lang, sc checkin.Scan) (scanRow, error) {
	staff, err := name(ctx, n.staff, sc.StaffID, func(ctx context.Context, id string) (string, error) {
		u, err := n.user(ctx, id)
		return u.Name, err
	})
	if err != nil {
		return scanRow{}, err
	}
	holder, err := name(ctx, n.holders, sc.TicketID, func(ctx context.Context, id string) (string, error) {
		t, err := n.ticket(ctx, id)
		return t.Name, err
	})
	if err != nil {
		return scanRow{}, err
	}
	r := scanRow{Scan: sc, Staff: staff, Holder: holder, When: scanTime(sc.ScannedAt), AnnulledWhen: scanTime(sc.AnnulledAt),
		Result: l.T("scans.result." + string(sc.Result)), Direction: l.T("scans.direction." + string(sc.Direction)),
		OK: sc.Result == checkin.OK, Annullable: sc.Accepted && sc.Direction == checkin.In && sc.AnnulledAt.IsZero()}
	if sc.Offline {
		r.Recorded = scanTime(sc.RecordedAt)
	}
	return r, nil
}

// scanGates are the gates the log can be filtered by: those named and those
// scanned at.
func (s *Server) scanGates(ctx context.Context, eventID string) ([]string, error) {
	named, err := s.Staffing.Gates(ctx, eventID)
	if err != nil {
		return nil, err
	}
	st, err := s.Checkin.Stats(ctx, eventID)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, g := range gateCounts(named, st.ByGate) {
		out = append(out, g.Name)
	}
	return out, nil
}

func (s *Server) manageScans(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	q := scanFilter(c)
	q.Offset, q.Limit = (pageNumber(c)-1)*scansPageSize, scansPageSize
	list, total, err := s.Checkin.Log(ctx, q)
	if err != nil {
		return err
	}
	_, conflicts, err := s.Checkin.Log(ctx, checkin.LogQuery{EventID: e.ID, ConflictsOnly: true, Limit: 1})
	if err != nil {
		return err
	}
	gates, err := s.scanGates(ctx, e.ID)
	if err != nil {
		return err
	}
	if q.Gate != "" && !slices.Contains(gates, q.Gate) {
		gates = append(gates, q.Gate)
	}
	l, names := s.lang(c), s.scanNames()
	rows := make([]scanRow, 0, len(list))
	for _, sc := range list {
		r, err := names.row(ctx, l, sc)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	pager := s.newPager(c, total, scansPageSize, scanFilterValues(q))
	return s.renderEventTab(c, e, "scans.title", "manage/scans", fiber.Map{
		"Event": e, "Rows": rows, "Filter": q, "Gates": gates, "Conflicts": conflicts, "Pager": pager, "Query": pager.Query,
	})
}

func (s *Server) manageAnnul(c *fiber.Ctx) error {
	back := safeNext(c.FormValue("back"), "/manage/events/"+c.Params("id")+"/scans")
	_, err := s.Checkin.Annul(c.UserContext(), c.Params("id"), c.Params("scan"), currentUser(c).ID)
	return s.goBack(c, back, "flash.scan_annulled", err)
}

// scanExport is one download of an event's scan log. Like the
// registrations export, it is written after the handler returns.
type scanExport struct {
	ctx   context.Context
	walk  func(context.Context, checkin.LogQuery, func(checkin.Scan) error) error
	q     checkin.LogQuery
	total int
	names *scanNames
	l     i18n.Lang
	event events.Event
	warn  *slog.Logger
}

// each calls fn with every scan in the log's order.
func (x *scanExport) each(fn func(checkin.Scan) error) error { return x.walk(x.ctx, x.q, fn) }

func (x *scanExport) yesNo(b bool) string {
	if b {
		return x.l.T("manage.yes")
	}
	return x.l.T("manage.no")
}

func (x *scanExport) writeCSV(w *bufio.Writer) error {
	head := []string{"scans.col.when", "scans.col.gate", "scans.col.direction", "scans.col.result", "scans.col.staff",
		"ticket.number", "scans.col.holder", "scans.col.offline", "scans.col.recorded", "scans.col.conflict", "scans.col.annulled"}
	for i, id := range head {
		head[i] = x.l.T(id)
	}
	out, err := sheet.NewCSV(w, head)
	if err != nil {
		return err
	}
	err = x.each(func(sc checkin.Scan) error {
		r, err := x.names.row(x.ctx, x.l, sc)
		if err != nil {
			return err
		}
		return out.Row([]string{r.When, r.Gate, r.Direction, r.Result, r.Staff, r.TicketID, r.Holder, x.yesNo(r.Offline),
			scanTime(r.RecordedAt), x.yesNo(r.Conflict), r.AnnulledWhen})
	})
	if err != nil {
		return err
	}
	return out.Flush()
}

// exportScans streams the scan log under the page's filters as CSV.
func (s *Server) exportScans(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	x := &scanExport{ctx: ctx, walk: s.Checkin.EachScan, q: scanFilter(c), names: s.scanNames(), l: s.lang(c), event: e,
		warn: s.log(c)}
	count := x.q
	count.Limit = 1
	if _, x.total, err = s.Checkin.Log(ctx, count); err != nil {
		return err
	}
	name := "quet-ve-" + e.Slug + "-" + s.Clock.Now().In(vn.Zone).Format("20060102-1504") + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Total-Rows", strconv.Itoa(x.total))
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := x.writeCSV(w); err != nil {
			x.warn.Warn("scan export stopped", "event", x.event.ID, "err", err)
		}
	})
	return nil
}
