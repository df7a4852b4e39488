package web

import (
	"context"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/i18n"
)

// heatLevels is how many shades the traffic page's heat view has above
// "no leads".
const heatLevels = 5

// The organizer's exhibition pages, one event each.
func (s *Server) expoPageRoutes(app *fiber.App) {
	org := s.pageRequire(organizerRoles...)
	const ev = "/manage/events/:id"
	app.Get(ev+"/floor", org, show(s.loadWorkspace, s.renderWorkspace))
	app.Post(ev+"/booths", org, s.workspaceAddBooth)
	app.Post(ev+"/booths/block", org, s.workspaceAddBlock)
	// Registered before /booths/:booth, which would take "changes" for a booth.
	app.Get(ev+"/booths/changes", org, s.boothChangesPage)
	app.Get(ev+"/booths/:booth", org, show(s.loadWorkspace, s.renderWorkspace))
	app.Post(ev+"/booths/:booth/assign", org, s.boothAssign)
	app.Post(ev+"/booths/:booth/hold", org, s.boothHold)
	app.Post(ev+"/booths/:booth/release", org, s.boothStep("expo.flash.released", "expo.conflict.changed", s.Expo.ReleaseBooth))
	app.Post(ev+"/booths/:booth/block", org, s.boothStep("expo.flash.blocked", "expo.conflict.block", s.Expo.BlockBooth))
	app.Post(ev+"/booths/:booth/unblock", org, s.boothStep("expo.flash.unblocked", "expo.conflict.changed", s.Expo.UnblockBooth))
	app.Post(ev+"/booths/:booth/move", org, s.boothMove)
	app.Post(ev+"/booths/:booth/edit", org, s.boothEdit)
	app.Get(ev+"/exhibitors", org, s.exhibitorsPage)
	app.Get(ev+"/exhibitors.:format", org, s.exportExhibitors)
	app.Get(ev+"/exhibitors/:x", org, show(s.loadExhibitorReview, s.renderExhibitorReview))
	app.Post(ev+"/exhibitors/:x/approve", org, s.exhibitorApprove)
	app.Post(ev+"/exhibitors/:x/reject", org, s.exhibitorReject)
	app.Post(ev+"/exhibitors/:x/acknowledge", org, s.exhibitorAcknowledge)
	app.Post(ev+"/exhibitors/:x/priority", org, s.exhibitorPriority)
	app.Get(ev+"/traffic", org, s.trafficPage)
}

// workspace is the organizer's floor plan with the panel of the booth
// chosen on it, if any, and the forms to add a booth and a block.
type workspace struct {
	floorView
	Panel    *boothPanel
	NewBooth boothForm
	NewBlock blockForm
}

// blockForm is the form to lay out a block of booths; Preview tells what
// the values typed would draw, shown when a submit came back.
type blockForm struct {
	boothForm
	Preview string
}

// boothForm is a booth's fields, drawn by one template for the new booth
// and for the chosen one: ID keeps their inputs' ids apart, L speaks.
type boothForm struct {
	form
	ID string
	L  i18n.Lang
}

// boothPanel is one booth with what the organizer may do to it, each
// action's form with what came back.
type boothPanel struct {
	Booth     expo.Booth
	Exhibitor expo.Exhibitor
	Price     string
	// Free are the approved exhibitors without a booth, Placed those with
	// one; cohort startups come first in each.
	Free, Placed []candidate
	// Targets are the booths the exhibitor may move to.
	Targets []expo.Booth
	Action  form
	Assign  form
	Hold    form
	Move    form
	Edit    boothForm
}

// candidatePick is one select of the exhibitors a booth could go to.
type candidatePick struct {
	ID, Selected string
	Free, Placed []candidate
	L            i18n.Lang
}

// Pick draws the exhibitors as a select with the given id.
func (p *boothPanel) Pick(id, selected string) candidatePick {
	return candidatePick{ID: id, Selected: selected, Free: p.Free, Placed: p.Placed, L: p.Edit.L}
}

// candidate is an approved exhibitor the booth could go to.
type candidate struct {
	expo.Exhibitor
	Codes []string
}

// Startup tells a cohort startup, or one the organizer put first.
func (x candidate) Startup() bool { return x.CohortID != "" || x.Priority }

var boothFields = []string{"code", "hall", "zone", "size_class", "x", "y", "w", "h", "price"}

func boothValues(b expo.Booth) map[string]string {
	return map[string]string{"code": b.Code, "hall": b.Hall, "zone": b.Zone, "size_class": b.SizeClass,
		"x": strconv.Itoa(b.X), "y": strconv.Itoa(b.Y), "w": strconv.Itoa(b.W), "h": strconv.Itoa(b.H),
		"price": strconv.FormatInt(b.Price, 10)}
}

// numberField is a whole number of a form; an optional one left empty is 0.
type numberField struct {
	name     string
	to       *int
	optional bool
}

// readNumbers reads a form's numbers and its price; those that are not
// numbers are refused at their fields, all at once, before the service
// sees them.
func readNumbers(v map[string]string, price *int64, fields ...numberField) error {
	var problems []error
	for _, f := range fields {
		text := strings.TrimSpace(v[f.name])
		if text == "" && f.optional {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			problems = append(problems, errs.Field(f.name, "expo.number_invalid"))
			continue
		}
		*f.to = n
	}
	if p := strings.TrimSpace(strings.ReplaceAll(v["price"], ".", "")); p != "" {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			problems = append(problems, errs.Field("price", "expo.number_invalid"))
		} else {
			*price = n
		}
	}
	return errors.Join(problems...)
}

// boothInput reads a booth form.
func boothInput(v map[string]string) (expo.BoothInput, error) {
	in := expo.BoothInput{Code: v["code"], Hall: v["hall"], Zone: v["zone"], SizeClass: v["size_class"]}
	return in, readNumbers(v, &in.Price, numberField{"x", &in.X, false}, numberField{"y", &in.Y, false},
		numberField{"w", &in.W, false}, numberField{"h", &in.H, false})
}

var blockFields = []string{"prefix", "first", "rows", "cols", "hall", "zone", "size_class", "x", "y", "w", "h",
	"aisle_every", "aisle_width", "price"}

// blockInput reads a block form; aisles may be left empty for none.
func blockInput(v map[string]string) (expo.BlockInput, error) {
	in := expo.BlockInput{Prefix: v["prefix"], Hall: v["hall"], Zone: v["zone"], SizeClass: v["size_class"]}
	return in, readNumbers(v, &in.Price, numberField{"first", &in.First, false}, numberField{"rows", &in.Rows, false},
		numberField{"cols", &in.Cols, false}, numberField{"x", &in.X, false}, numberField{"y", &in.Y, false},
		numberField{"w", &in.W, false}, numberField{"h", &in.H, false}, numberField{"aisle_every", &in.AisleEvery, true},
		numberField{"aisle_width", &in.AisleWidth, true})
}

// blockPreview says what a block form would draw, or "" when it would
// draw nothing; the store may still refuse the place.
func blockPreview(v map[string]string, l i18n.Lang) string {
	in, err := blockInput(v)
	if err != nil {
		return ""
	}
	booths, err := in.Layout()
	if err != nil {
		return ""
	}
	first, last := booths[0], booths[len(booths)-1]
	return l.T("expo.addblock.preview", "Count", len(booths), "First", first.Code, "Last", last.Code, "Rows", in.Rows,
		"Cols", in.Cols, "X", first.X, "Y", first.Y, "X2", last.X+last.W, "Y2", last.Y+last.H)
}

// money writes a price in đồng with the language's thousands separator:
// 18.000.000 ₫, or 18,000,000 ₫ in English.
func money(l i18n.Lang, n int64) string { return l.Num(n) + " ₫" }

func (s *Server) managedEvent(c *fiber.Ctx) (events.Event, error) {
	return s.Events.Event(c.UserContext(), c.Params("id"), true)
}

// eventBooth finds the booth of the route, refusing one of another event
// so that a forged form cannot reach it through this event's pages.
func (s *Server) eventBooth(c *fiber.Ctx) (expo.Booth, error) {
	b, err := s.Expo.Booth(c.UserContext(), c.Params("booth"))
	if err == nil && b.EventID != c.Params("id") {
		return expo.Booth{}, errs.ErrNotFound
	}
	return b, err
}

func (s *Server) loadWorkspace(c *fiber.Ctx) (workspace, error) {
	ctx := c.UserContext()
	e, err := s.managedEvent(c)
	if err != nil {
		return workspace{}, err
	}
	v, err := s.floorView(ctx, e, true)
	if err != nil {
		return workspace{}, err
	}
	l := s.lang(c)
	w := workspace{floorView: v, NewBooth: boothForm{ID: "new", L: l, form: form{Values: map[string]string{"w": "3", "h": "3"}}},
		NewBlock: blockForm{boothForm: boothForm{ID: "block", L: l, form: form{Values: map[string]string{"first": "1", "x": "0", "y": "0", "w": "3", "h": "3"}}}}}
	if c.Params("booth") == "" {
		return w, nil
	}
	b, err := s.eventBooth(c)
	if err != nil {
		return w, err
	}
	for i := range w.Halls {
		for j := range w.Halls[i].Booths {
			w.Halls[i].Booths[j].Selected = w.Halls[i].Booths[j].ID == b.ID
		}
	}
	w.Panel, err = s.boothPanel(ctx, b, l)
	return w, err
}

func (s *Server) boothPanel(ctx context.Context, b expo.Booth, l i18n.Lang) (*boothPanel, error) {
	p := &boothPanel{Booth: b, Price: money(l, b.Price), Edit: boothForm{ID: "edit", L: l, form: form{Values: boothValues(b)}},
		Hold: form{Values: map[string]string{"hours": "24"}}}
	exhibitors, err := s.Expo.Exhibitors(ctx, b.EventID)
	if err != nil {
		return nil, err
	}
	booths, err := s.Expo.Booths(ctx, b.EventID)
	if err != nil {
		return nil, err
	}
	codes := expo.BoothCodes(booths)
	for _, o := range booths {
		if o.Status == expo.Available && o.ID != b.ID {
			p.Targets = append(p.Targets, o)
		}
	}
	for _, x := range exhibitors {
		if x.ID == b.ExhibitorID {
			p.Exhibitor = x
		}
		if x.Status != expo.Approved {
			continue
		}
		cand := candidate{Exhibitor: x, Codes: codes[x.ID]}
		if len(cand.Codes) == 0 {
			p.Free = append(p.Free, cand)
		} else {
			p.Placed = append(p.Placed, cand)
		}
	}
	startupsFirst(p.Free)
	startupsFirst(p.Placed)
	p.Assign = form{Values: map[string]string{"exhibitor_id": b.ExhibitorID}}
	return p, nil
}

// startupsFirst puts cohort startups before the others, keeping the
// order the exhibitors applied in.
func startupsFirst(list []candidate) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Startup() && !list[j].Startup() })
}

func (s *Server) renderWorkspace(c *fiber.Ctx, w workspace) error {
	titleID := "floor.title"
	p := s.page(c, titleID, w)
	p.Title = p.L.T(titleID) + " · " + w.Event.TitleIn(p.L.Code)
	if w.Panel != nil {
		p.Title = p.L.T("expo.panel.title", "Code", w.Panel.Booth.Code) + " · " + p.Title
	}
	c.Type("html", "utf-8")
	return p.render(c, "manage/floor")
}

// workspaceFailed shows the workspace again, with the fresh plan, one form
// holding what the organizer typed and the error; put says which form.
func (s *Server) workspaceFailed(c *fiber.Ctx, err error, values map[string]string, put func(*workspace, form)) error {
	return refill(s, c, err, values, s.loadWorkspace, put, s.renderWorkspace)
}

// onPanel puts a form on the booth's panel. An error about no field goes
// to the top of the panel: the form it came from may be gone, since the
// booth changed meanwhile.
func onPanel(pick func(*boothPanel) *form) func(*workspace, form) {
	return func(w *workspace, f form) {
		if w.Panel == nil {
			return
		}
		*pick(w.Panel) = f
		if msg, ok := f.Errors[""]; ok {
			w.Panel.Action.Errors = map[string]string{"": msg}
		}
	}
}

// taken tells the organizer in their words what a lost race means: the
// booth changed hands between loading the plan and pressing the button.
func taken(err error, msgID string) error {
	if e, ok := errs.As(err); ok && e.MsgID == "error.booth_taken" {
		return errs.New(errs.Conflict, msgID)
	}
	return err
}

func (s *Server) boothDone(c *fiber.Ctx, boothID, msgID string) error {
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"/booths/"+boothID, "ok", msgID)
}

func (s *Server) workspaceAddBooth(c *fiber.Ctx) error {
	values := formValues(c, boothFields...)
	in, err := boothInput(values)
	var b expo.Booth
	if err == nil {
		if _, err = s.managedEvent(c); err == nil {
			b, err = s.Expo.CreateBooth(c.UserContext(), *currentUser(c), c.Params("id"), in)
		}
	}
	if err != nil {
		return s.workspaceFailed(c, err, values, func(w *workspace, f form) { w.NewBooth.form = f })
	}
	return s.boothDone(c, b.ID, "expo.flash.booth_created")
}

func (s *Server) workspaceAddBlock(c *fiber.Ctx) error {
	values := formValues(c, blockFields...)
	in, err := blockInput(values)
	var booths []expo.Booth
	if err == nil {
		if _, err = s.managedEvent(c); err == nil {
			booths, err = s.Expo.CreateBlock(c.UserContext(), *currentUser(c), c.Params("id"), in)
		}
	}
	if err != nil {
		return s.workspaceFailed(c, err, values, func(w *workspace, f form) {
			w.NewBlock.form, w.NewBlock.Preview = f, blockPreview(values, w.NewBlock.L)
		})
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"/floor", "ok", "expo.flash.booths_added",
		url.Values{"Count": {strconv.Itoa(len(booths))}, "First": {booths[0].Code}, "Last": {booths[len(booths)-1].Code}})
}

// boothAction runs one organizer action on the route's booth; a refusal
// shows the panel again with it on the form pick names.
func (s *Server) boothAction(c *fiber.Ctx, values map[string]string, pick func(*boothPanel) *form, okID string,
	act func(ctx context.Context, by accounts.User, b expo.Booth) error) error {
	b, err := s.eventBooth(c)
	if err != nil {
		return err
	}
	if err := act(c.UserContext(), *currentUser(c), b); err != nil {
		return s.workspaceFailed(c, err, values, onPanel(pick))
	}
	return s.boothDone(c, b.ID, okID)
}

func actionForm(p *boothPanel) *form { return &p.Action }

func (s *Server) boothAssign(c *fiber.Ctx) error {
	values := formValues(c, "exhibitor_id")
	return s.boothAction(c, values, func(p *boothPanel) *form { return &p.Assign }, "expo.flash.assigned",
		func(ctx context.Context, by accounts.User, b expo.Booth) error {
			_, err := s.Expo.AssignBooth(ctx, by, b.ID, values["exhibitor_id"])
			return taken(err, "expo.conflict.assigned")
		})
}

func (s *Server) boothHold(c *fiber.Ctx) error {
	values := formValues(c, "exhibitor_id", "hours")
	return s.boothAction(c, values, func(p *boothPanel) *form { return &p.Hold }, "expo.flash.held",
		func(ctx context.Context, by accounts.User, b expo.Booth) error {
			hours, err := strconv.Atoi(strings.TrimSpace(values["hours"]))
			if err != nil || hours < 1 || time.Duration(hours)*time.Hour > expo.MaxHold {
				return &errs.Error{Kind: errs.Invalid, MsgID: "expo.hours_invalid", Field: "hours",
					Data: map[string]any{"Max": int(expo.MaxHold / time.Hour)}}
			}
			_, err = s.Expo.HoldBooth(ctx, by, b.ID, values["exhibitor_id"], time.Duration(hours)*time.Hour)
			return taken(err, "expo.conflict.assigned")
		})
}

// boothStep is a one-click action on the route's booth; a booth someone
// took meanwhile is refused with conflictID.
func (s *Server) boothStep(okID, conflictID string, do func(context.Context, accounts.User, string) (expo.Booth, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.boothAction(c, nil, actionForm, okID, func(ctx context.Context, by accounts.User, b expo.Booth) error {
			_, err := do(ctx, by, b.ID)
			return taken(err, conflictID)
		})
	}
}

// boothMove moves the booth's exhibitor and follows it to its new booth.
func (s *Server) boothMove(c *fiber.Ctx) error {
	values := formValues(c, "to_booth_id")
	b, err := s.eventBooth(c)
	if err != nil {
		return err
	}
	to, err := s.Expo.MoveExhibitor(c.UserContext(), *currentUser(c), b.ID, values["to_booth_id"])
	if err != nil {
		return s.workspaceFailed(c, taken(err, "expo.conflict.move"), values, onPanel(func(p *boothPanel) *form { return &p.Move }))
	}
	return s.boothDone(c, to.ID, "expo.flash.moved")
}

func (s *Server) boothEdit(c *fiber.Ctx) error {
	values := formValues(c, boothFields...)
	return s.boothAction(c, values, func(p *boothPanel) *form { return &p.Edit.form }, "expo.flash.edited",
		func(ctx context.Context, by accounts.User, b expo.Booth) error {
			in, err := boothInput(values)
			if err == nil {
				_, err = s.Expo.UpdateBooth(ctx, by, b.ID, in)
			}
			return err
		})
}

// exhibitorList is the organizer's list of applications to exhibit.
type exhibitorList struct {
	Event  events.Event
	Rows   []candidate
	Status string
	// Startups puts cohort startups at the top.
	Startups bool
	Counts   map[string]int
}

func (s *Server) exhibitorsPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.managedEvent(c)
	if err != nil {
		return err
	}
	list, err := s.Expo.Exhibitors(ctx, e.ID)
	if err != nil {
		return err
	}
	booths, err := s.Expo.Booths(ctx, e.ID)
	if err != nil {
		return err
	}
	codes := expo.BoothCodes(booths)
	v := exhibitorList{Event: e, Startups: c.Query("sort") == "startups", Counts: map[string]int{"": len(list)}}
	for _, st := range []expo.ExhibitorStatus{expo.Pending, expo.Approved, expo.Rejected} {
		if c.Query("status") == string(st) {
			v.Status = string(st)
		}
	}
	for _, x := range list {
		v.Counts[string(x.Status)]++
		if v.Status == "" || string(x.Status) == v.Status {
			v.Rows = append(v.Rows, candidate{Exhibitor: x, Codes: codes[x.ID]})
		}
	}
	if v.Startups {
		startupsFirst(v.Rows)
	}
	return s.renderEventTab(c, e, "expo.exhibitors.title", "manage/expo_exhibitors", fiber.Map{"Event": e, "List": v})
}

// exhibitorApprove approves an application and goes back to the page it
// came from as it was.
func (s *Server) exhibitorApprove(c *fiber.Ctx) error {
	back := safeNext(c.FormValue("back"), "/manage/events/"+c.Params("id")+"/exhibitors")
	ctx := c.UserContext()
	if _, err := s.Expo.Exhibitor(ctx, c.Params("id"), c.Params("x")); err != nil {
		return err
	}
	_, err := s.Expo.Decide(ctx, *currentUser(c), c.Params("x"), expo.Approved, "")
	return s.goBack(c, back, "expo.flash.approved", err)
}

// exhibitorPriority serves an exhibitor first when booths are given out,
// or stops doing so, and goes back to the list as it was.
func (s *Server) exhibitorPriority(c *fiber.Ctx) error {
	back := safeNext(c.FormValue("back"), "/manage/events/"+c.Params("id")+"/exhibitors")
	ctx := c.UserContext()
	if _, err := s.Expo.Exhibitor(ctx, c.Params("id"), c.Params("x")); err != nil {
		return err
	}
	on := c.FormValue("priority") == "on"
	if _, err := s.Expo.SetPriority(ctx, c.Params("x"), on); err != nil {
		return err
	}
	if on {
		return s.redirectFlash(c, back, "ok", "expo.flash.priority_on")
	}
	return s.redirectFlash(c, back, "ok", "expo.flash.priority_off")
}

func (s *Server) boothChangesPage(c *fiber.Ctx) error {
	e, err := s.managedEvent(c)
	if err != nil {
		return err
	}
	list, err := s.Expo.Changes(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	return s.renderEventTab(c, e, "expo.changes.title", "manage/expo_changes", fiber.Map{"Event": e, "Changes": list})
}

// rankedBooth is a row of the traffic ranking; equal leads share a rank.
type rankedBooth struct {
	expo.BoothTraffic
	Rank int
}

// heatStep is one shade of the heat view's legend and the leads it covers.
type heatStep struct {
	Level, From, To int
}

func (s *Server) trafficPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.managedEvent(c)
	if err != nil {
		return err
	}
	t, err := s.Expo.Traffic(ctx, e.ID)
	if err != nil {
		return err
	}
	v, err := s.floorView(ctx, e, true)
	if err != nil {
		return err
	}
	v.Heat = true
	leads := make(map[string]int, len(t.Booths))
	var ranked []rankedBooth
	for _, b := range t.Booths {
		leads[b.Booth.ID] = b.Leads
		if b.Booth.Status != expo.Assigned {
			continue
		}
		r := rankedBooth{BoothTraffic: b, Rank: len(ranked) + 1}
		if n := len(ranked); n > 0 && ranked[n-1].Leads == b.Leads {
			r.Rank = ranked[n-1].Rank
		}
		ranked = append(ranked, r)
	}
	for i := range v.Halls {
		for j := range v.Halls[i].Booths {
			fb := &v.Halls[i].Booths[j]
			fb.Leads = leads[fb.ID]
			if t.Max > 0 {
				// The smallest level whose share of the top holds the count.
				fb.Heat = (fb.Leads*heatLevels + t.Max - 1) / t.Max
			}
		}
	}
	var legend []heatStep
	for k := 1; k <= heatLevels && t.Max > 0; k++ {
		if from, to := (k-1)*t.Max/heatLevels+1, k*t.Max/heatLevels; from <= to {
			legend = append(legend, heatStep{Level: k, From: from, To: to})
		}
	}
	return s.renderEventTab(c, e, "expo.traffic.title", "manage/expo_traffic", fiber.Map{
		"Event": e, "Traffic": t, "Ranked": ranked, "Legend": legend, "Halls": v.Halls, "Heat": true, "Manage": true})
}
