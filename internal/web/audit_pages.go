package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/sheet"
	"sprout/internal/vn"
)

func (s *Server) auditRoutes(app *fiber.App) {
	admin := s.pageRequire(accounts.RoleAdmin)
	app.Get("/admin/audit", admin, s.auditPage)
	app.Get("/admin/audit.:format", admin, s.auditExport)
}

func (s *Server) auditAPIRoutes(api fiber.Router) {
	api.Get("/audit", s.apiRequire(accounts.RoleAdmin), s.apiAudit)
}

// auditFilter is the log's filter as typed, kept for the form and the
// links, and as the query it makes.
type auditFilter struct {
	Actor, Action, Event, From, To string
	q                              audit.Query
}

func auditFilterOf(c *fiber.Ctx) (auditFilter, error) {
	f := auditFilter{Actor: c.Query("actor"), Action: c.Query("action"), Event: c.Query("event"), From: c.Query("from"), To: c.Query("to")}
	f.q = audit.Query{ActorID: f.Actor, Action: f.Action, EventID: f.Event}
	var err error
	if f.q.From, err = auditDay("from", f.From, false); err != nil {
		return f, err
	}
	f.q.To, err = auditDay("to", f.To, true)
	return f, err
}

func (f auditFilter) values() url.Values {
	return url.Values{"actor": {f.Actor}, "action": {f.Action}, "event": {f.Event}, "from": {f.From}, "to": {f.To}}
}

// active tells whether the filter leaves anything out.
func (f auditFilter) active() bool { return f.Actor+f.Action+f.Event+f.From+f.To != "" }

// auditDay reads a day as Vietnam's calendar has it (a date input's
// value), or an instant in RFC 3339; a day that ends a range takes in all
// of it.
func auditDay(field, v string, end bool) (time.Time, error) {
	if v = strings.TrimSpace(v); v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, vn.Zone); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, errs.Field(field, "error.date_invalid")
}

func (s *Server) apiAudit(c *fiber.Ctx) error {
	f, err := auditFilterOf(c)
	if err != nil {
		return err
	}
	f.q.Limit, _ = strconv.Atoi(c.Query("limit", "50"))
	f.q.Offset, _ = strconv.Atoi(c.Query("offset", "0"))
	entries, total, err := s.Audit.List(c.UserContext(), f.q)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []audit.Entry{}
	}
	return c.JSON(fiber.Map{"entries": entries, "total": total})
}

// auditLink is something an entry names, linked when it has a page.
type auditLink struct {
	Text, Href string
}

// auditRow is an entry as the page and the exports show it.
type auditRow struct {
	audit.Entry
	What string
	// Kind names the target's kind, Target the target itself.
	Kind   string
	Target auditLink
	// Event is the event the change belongs to, when not the target.
	Event auditLink
}

// auditNames names the events and users entries refer to, each read once.
type auditNames struct {
	s      *Server
	ctx    context.Context
	l      i18n.Lang
	events map[string]string
	users  map[string]accounts.User
}

func (s *Server) auditNames(c *fiber.Ctx) *auditNames {
	return &auditNames{s: s, ctx: c.UserContext(), l: s.lang(c), events: map[string]string{}, users: map[string]accounts.User{}}
}

// event is an event's title; its id when it is gone.
func (n *auditNames) event(id string) (auditLink, error) {
	title, ok := n.events[id]
	if !ok {
		e, err := n.s.Events.Event(n.ctx, id, true)
		switch {
		case errors.Is(err, errs.ErrNotFound):
			title = id
		case err != nil:
			return auditLink{}, err
		default:
			title = e.TitleIn(n.l.Code)
		}
		n.events[id] = title
	}
	return auditLink{Text: title, Href: "/manage/events/" + url.PathEscape(id)}, nil
}

// user is a user's name and email, linked to the users list; the id when
// the account is gone.
func (n *auditNames) user(id string) (auditLink, error) {
	u, ok := n.users[id]
	if !ok {
		var err error
		u, err = n.s.Accounts.User(n.ctx, id)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return auditLink{}, err
		}
		n.users[id] = u
	}
	if u.ID == "" {
		return auditLink{Text: id}, nil
	}
	return auditLink{Text: u.Name + " <" + u.Email + ">", Href: "/admin/users?q=" + url.QueryEscape(u.Email)}, nil
}

func (n *auditNames) row(e audit.Entry) (auditRow, error) {
	r := auditRow{Entry: e, What: n.l.T("audit.action." + e.Action)}
	if e.TargetKind != "" {
		r.Kind = n.l.T("audit.kind." + e.TargetKind)
	}
	var err error
	switch {
	case e.TargetID == "":
	case e.TargetKind == "event":
		r.Target, err = n.event(e.TargetID)
	case e.TargetKind == "user":
		r.Target, err = n.user(e.TargetID)
	default:
		r.Target = auditLink{Text: e.TargetID}
	}
	if err != nil {
		return r, err
	}
	if e.EventID != "" && (e.TargetKind != "event" || e.TargetID != e.EventID) {
		r.Event, err = n.event(e.EventID)
	}
	return r, err
}

// auditOption is one choice of a filter's list.
type auditOption struct {
	Value, Label string
}

// auditActionGroup lists an area's actions, after the choice of all of
// them.
type auditActionGroup struct {
	auditOption
	Actions []auditOption
}

// auditActions are the actions the log records, by area, for the filter.
func auditActions(l i18n.Lang) []auditActionGroup {
	var groups []auditActionGroup
	for _, action := range auditActionNames() {
		area, _, _ := strings.Cut(action, ".")
		if len(groups) == 0 || groups[len(groups)-1].Value != area {
			groups = append(groups, auditActionGroup{auditOption: auditOption{Value: area,
				Label: l.T("admin.audit.all_of", "Area", l.T("audit.area."+area))}})
		}
		g := &groups[len(groups)-1]
		g.Actions = append(g.Actions, auditOption{Value: action, Label: l.T("audit.action." + action)})
	}
	return groups
}

// auditActionNames are the actions of auditedRoutes, sorted, each once.
func auditActionNames() []string {
	var names []string
	for _, r := range auditedRoutes {
		names = append(names, r.action)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// auditActors are the people the actor filter offers: organizers and
// admins, and whoever the filter names already.
func (s *Server) auditActors(c *fiber.Ctx, current string) ([]auditOption, error) {
	var out []auditOption
	seen := map[string]bool{}
	for _, role := range organizerRoles {
		users, _, err := s.Accounts.List(c.UserContext(), accounts.UserQuery{Role: role, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, auditOption{Value: u.ID, Label: u.Name + " <" + u.Email + ">"})
			}
		}
	}
	if current != "" && !seen[current] {
		u, err := s.Accounts.User(c.UserContext(), current)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return nil, err
		}
		label := current
		if u.ID != "" {
			label = u.Name + " <" + u.Email + ">"
		}
		out = append(out, auditOption{Value: current, Label: label})
	}
	slices.SortFunc(out, func(a, b auditOption) int { return strings.Compare(vn.Fold(a.Label), vn.Fold(b.Label)) })
	return out, nil
}

// auditEvents are the events the event filter offers, by their start, and
// the one the filter names already.
func (s *Server) auditEvents(c *fiber.Ctx, names *auditNames, current string) ([]auditOption, error) {
	list, _, err := s.Events.All(c.UserContext(), 0, 500)
	if err != nil {
		return nil, err
	}
	out := make([]auditOption, 0, len(list)+1)
	for _, e := range list {
		out = append(out, auditOption{Value: e.ID, Label: e.TitleIn(names.l.Code)})
	}
	if current != "" && !slices.ContainsFunc(out, func(o auditOption) bool { return o.Value == current }) {
		ev, err := names.event(current)
		if err != nil {
			return nil, err
		}
		out = append(out, auditOption{Value: current, Label: ev.Text})
	}
	return out, nil
}

func (s *Server) auditPage(c *fiber.Ctx) error {
	f, err := auditFilterOf(c)
	if err != nil {
		return err
	}
	q := f.q
	q.Offset, q.Limit = (pageNumber(c)-1)*pageSize, pageSize
	entries, total, err := s.Audit.List(c.UserContext(), q)
	if err != nil {
		return err
	}
	names := s.auditNames(c)
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		r, err := names.row(e)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	actors, err := s.auditActors(c, f.Actor)
	if err != nil {
		return err
	}
	evs, err := s.auditEvents(c, names, f.Event)
	if err != nil {
		return err
	}
	return s.render(c, "admin/audit", "admin.audit.title", fiber.Map{
		"Rows": rows, "Filter": f, "Filtered": f.active(), "Actors": actors, "Actions": auditActions(s.lang(c)), "Events": evs,
		"Pager": s.newPager(c, total, pageSize, f.values()),
	})
}

// auditExport downloads the entries the filter keeps, newest first, as
// CSV or XLSX.
func (s *Server) auditExport(c *fiber.Ctx) error {
	f, err := auditFilterOf(c)
	if err != nil {
		return err
	}
	x := &auditExport{s: s, names: s.auditNames(c), q: f.q, at: s.Clock.Now()}
	switch c.Params("format") {
	case "csv":
		x.headers(c, "csv", "text/csv; charset=utf-8")
		log := s.log(c)
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			if err := x.writeCSV(w); err != nil {
				log.Warn("audit csv export stopped", "err", err)
			}
		})
		return nil
	case "xlsx":
		return sendWorkbook(c, x.writeXLSX, x.headers)
	}
	return errs.ErrNotFound
}

type auditExport struct {
	s     *Server
	names *auditNames
	q     audit.Query
	at    time.Time
}

func (x *auditExport) headers(c *fiber.Ctx, ext, contentType string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="nhat-ky-`+x.at.In(vn.Zone).Format("20060102-1504")+`.`+ext+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
}

func (x *auditExport) header() []string {
	l := x.names.l
	return []string{l.T("admin.audit.when"), l.T("admin.audit.who"), l.T("field.email"), l.T("field.roles"),
		l.T("admin.audit.what"), l.T("admin.audit.detail"), l.T("admin.audit.target_kind"), l.T("admin.audit.target"), l.T("admin.audit.target_id"),
		l.T("admin.audit.event"), l.T("admin.audit.request"), l.T("admin.audit.status"), l.T("admin.audit.ip")}
}

// colWhen is the column of the time, a date in the workbook.
const colWhen = 0

func (x *auditExport) cells(r auditRow) []string {
	l := x.names.l
	roles := make([]string, len(r.ActorRoles))
	for i, role := range r.ActorRoles {
		roles[i] = l.T("role." + role)
	}
	return []string{r.At.In(vn.Zone).Format("2006-01-02 15:04:05"), r.ActorName, r.ActorEmail, strings.Join(roles, ", "),
		r.What, r.Detail, r.Kind, r.Target.Text, r.TargetID, r.Event.Text, r.Method + " " + r.Path, strconv.Itoa(r.Status), r.IP}
}

func (x *auditExport) each(fn func(auditRow) error) error {
	return x.s.Audit.Each(x.names.ctx, x.q, func(e audit.Entry) error {
		r, err := x.names.row(e)
		if err != nil {
			return err
		}
		return fn(r)
	})
}

func (x *auditExport) writeCSV(w *bufio.Writer) error {
	out, err := sheet.NewCSV(w, x.header())
	if err != nil {
		return err
	}
	if err := x.each(func(r auditRow) error { return out.Row(x.cells(r)) }); err != nil {
		return err
	}
	return out.Flush()
}

// writeXLSX writes the workbook; what people typed (names, titles) goes
// through Safe as in the CSV.
func (x *auditExport) writeXLSX(out io.Writer) (int64, error) {
	w, err := sheet.New(x.names.l.T("admin.audit.sheet"), []float64{18, 24, 30, 22, 28, 30, 16, 36, 28, 30, 48, 8, 16}, x.header())
	if err != nil {
		return 0, err
	}
	defer w.Close()
	err = x.each(func(r auditRow) error {
		texts := x.cells(r)
		for i := range texts {
			texts[i] = sheet.Safe(texts[i])
		}
		cells := sheet.Texts(texts)
		cells[colWhen] = w.Date(r.At)
		return w.Add(cells)
	})
	if err != nil {
		return 0, err
	}
	return w.WriteTo(out)
}
