package web

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
)

// floorScale turns grid units into SVG units, so that booth labels get
// font sizes browsers draw without rounding them up.
const floorScale = 10

func (s *Server) floorRoutes(app *fiber.App) {
	app.Get("/events/:id/floor", s.floorPage)
	app.Get("/manage/events/:id/floor", s.pageRequire(accounts.RoleOrganizer, accounts.RoleAdmin), s.manageFloorPage)
}

// floorBooth is a booth as the SVG draws it, in SVG units.
type floorBooth struct {
	expo.PlacedBooth
	Anchor          string
	X, Y, W, H      int
	TX, TY, CY      int
	Size, CompanySz int
	Label           string
}

type floorHall struct {
	Name    string
	ViewBox string
	Booths  []floorBooth
}

// floorCounts are the booths of each status, for the legend.
type floorCounts struct{ Available, Held, Assigned, Blocked int }

// floorView is what both floor plan pages show.
type floorView struct {
	Event  events.Event
	Halls  []floorHall
	Counts floorCounts
	Total  int
}

func (s *Server) floorPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.EventBySlug(ctx, c.Params("id"), isOrganizer(c))
	if errors.Is(err, errs.ErrNotFound) {
		e, err = s.Events.Event(ctx, c.Params("id"), isOrganizer(c))
	}
	if err != nil {
		return err
	}
	return s.renderFloor(c, e, "events/floor")
}

func (s *Server) manageFloorPage(c *fiber.Ctx) error {
	e, err := s.Events.Event(c.UserContext(), c.Params("id"), true)
	if err != nil {
		return err
	}
	return s.renderFloor(c, e, "manage/floor")
}

func (s *Server) renderFloor(c *fiber.Ctx, e events.Event, view string) error {
	v, err := s.floorView(c.UserContext(), e)
	if err != nil {
		return err
	}
	pg := s.page(c, "", v)
	pg.Title = pg.L.T("floor.title") + " — " + e.TitleIn(pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, view)
}

func (s *Server) floorView(ctx context.Context, e events.Event) (floorView, error) {
	plan, err := s.Expo.Plan(ctx, e.ID)
	if err != nil {
		return floorView{}, err
	}
	v := floorView{Event: e, Total: plan.Total, Counts: floorCounts{Available: plan.Counts[expo.Available],
		Held: plan.Counts[expo.Held], Assigned: plan.Counts[expo.Assigned], Blocked: plan.Counts[expo.Blocked]}}
	n := 0
	for _, h := range plan.Halls {
		const pad = 1
		fh := floorHall{Name: h.Name, ViewBox: fmt.Sprintf("%d %d %d %d", (h.MinX-pad)*floorScale, (h.MinY-pad)*floorScale,
			(h.MaxX-h.MinX+2*pad)*floorScale, (h.MaxY-h.MinY+2*pad)*floorScale)}
		for _, b := range h.Booths {
			n++
			fh.Booths = append(fh.Booths, drawBooth(b, n))
		}
		v.Halls = append(v.Halls, fh)
	}
	return v, nil
}

// drawBooth places a booth's code and company inside its rectangle, the
// company cut to what fits across it; the list below the plan has it whole.
func drawBooth(b expo.PlacedBooth, n int) floorBooth {
	f := floorBooth{PlacedBooth: b, Anchor: fmt.Sprintf("b%d", n),
		X: b.X * floorScale, Y: b.Y * floorScale, W: b.W * floorScale, H: b.H * floorScale}
	f.Size = min(max(min(f.W, f.H)/3, 5), 14)
	f.CompanySz = max(f.Size*3/4, 4)
	f.TX = f.X + f.W/2
	f.TY = f.Y + f.H/2 + f.Size/3
	if b.Company != "" {
		f.TY = f.Y + f.H/2 - f.CompanySz/4
		f.CY = f.TY + f.CompanySz + 1
		// Glyphs average a little over half the font size in width.
		f.Label = cut(b.Company, (f.W-2)*2/f.CompanySz)
	}
	return f
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 2 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
