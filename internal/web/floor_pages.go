package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/i18n"
)

// floorScale turns grid units into SVG units, so that booth labels get
// font sizes browsers draw without rounding them up.
const floorScale = 10

func (s *Server) floorRoutes(app *fiber.App) {
	app.Get("/events/:id/floor", s.floorPage)
}

// floorBooth is a booth as the SVG draws it, in SVG units.
type floorBooth struct {
	expo.PlacedBooth
	Anchor          string
	X, Y, W, H      int
	TX, TY, CY      int
	Size, CompanySz int
	Label           string
	// Href is where clicking the booth leads: its row or its exhibitor's
	// entry below a public plan, its panel in the organizer's workspace.
	Href     string
	Selected bool
	// Leads and Heat (0 to heatLevels) colour the traffic page's heat view.
	Leads, Heat int
}

type floorHall struct {
	Name    string
	ViewBox string
	// Width in pixels keeps one grid unit the same size in every hall, so
	// a small hall is not blown up to the page's width.
	Width  int
	Booths []floorBooth
}

// floorPixels is how wide one SVG unit is drawn, at most.
const floorPixels = 2.6

// floorCounts are the booths of each status, for the legend.
type floorCounts struct{ Available, Held, Assigned, Blocked int }

// floorExhibitor is an exhibitor with booths, listed below the public plan
// where its booths link to.
type floorExhibitor struct {
	// Anchor is short: the plan of a big expo links to hundreds of them.
	Anchor, Company string
	Codes           []string
}

// floorView is what the floor plan pages show. Manage links booths to the
// organizer's workspace; Heat colours them by leads instead of status.
type floorView struct {
	Event      events.Event
	Halls      []floorHall
	Counts     floorCounts
	Total      int
	Exhibitors []floorExhibitor
	Manage     bool
	Heat       bool
}

func (s *Server) floorPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.EventByRef(ctx, c.Params("id"), isOrganizer(c))
	if err != nil {
		return err
	}
	v, err := s.floorView(ctx, e, false)
	if err != nil {
		return err
	}
	pg := s.page(c, "", v)
	pg.Title = pg.L.T("floor.title") + " — " + e.TitleIn(pg.L.Code)
	c.Type("html", "utf-8")
	return pg.render(c, "events/floor")
}

// floorView draws an event's plan for the public, or for its organizers
// when manage is set.
func (s *Server) floorView(ctx context.Context, e events.Event, manage bool) (floorView, error) {
	plan, err := s.Expo.Plan(ctx, e.ID)
	if err != nil {
		return floorView{}, err
	}
	v := floorView{Event: e, Total: plan.Total, Manage: manage, Counts: floorCounts{Available: plan.Counts[expo.Available],
		Held: plan.Counts[expo.Held], Assigned: plan.Counts[expo.Assigned], Blocked: plan.Counts[expo.Blocked]}}
	placed := map[string]int{}
	n := 0
	for _, h := range plan.Halls {
		const pad = 1
		w := (h.MaxX - h.MinX + 2*pad) * floorScale
		fh := floorHall{Name: h.Name, Width: int(float64(w) * floorPixels), ViewBox: fmt.Sprintf("%d %d %d %d",
			(h.MinX-pad)*floorScale, (h.MinY-pad)*floorScale, w, (h.MaxY-h.MinY+2*pad)*floorScale)}
		for _, b := range h.Booths {
			n++
			f := drawBooth(b, n)
			switch {
			case manage:
				f.Href = "/manage/events/" + e.ID + "/booths/" + b.ID
			case b.Company != "":
				i, ok := placed[b.ExhibitorID]
				if !ok {
					i = len(v.Exhibitors)
					placed[b.ExhibitorID] = i
					v.Exhibitors = append(v.Exhibitors, floorExhibitor{Anchor: fmt.Sprintf("x%d", i+1), Company: b.Company})
				}
				v.Exhibitors[i].Codes = append(v.Exhibitors[i].Codes, b.Code)
				f.Href = "#" + v.Exhibitors[i].Anchor
			default:
				f.Href = "#" + f.Anchor
			}
			fh.Booths = append(fh.Booths, f)
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
		// Vietnamese text averages about 0.6 of the font size per glyph.
		f.Label = cut(b.Company, (f.W-2)*5/(3*f.CompanySz))
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

// SVG draws a hall's booths. It is written here rather than in the
// template because a Techfest has 700 booths, and reflection over each
// field made the page several times slower than the rest of its work.
func (h floorHall) SVG(manage, heat bool, l i18n.Lang) template.HTML {
	var w strings.Builder
	w.Grow(len(h.Booths) * 260)
	for _, b := range h.Booths {
		w.WriteString(`<a href="`)
		w.WriteString(html.EscapeString(b.Href))
		w.WriteString(`"`)
		if manage {
			w.WriteString(` data-booth="`)
			w.WriteString(html.EscapeString(b.ID))
			w.WriteString(`"`)
		}
		w.WriteString(`><title>`)
		w.WriteString(html.EscapeString(b.Code))
		if b.Company != "" {
			w.WriteString(" — ")
			w.WriteString(html.EscapeString(b.Company))
		}
		if heat {
			w.WriteString(" · ")
			w.WriteString(html.EscapeString(l.T("expo.traffic.leads_n", "Count", b.Leads)))
		}
		w.WriteString(`</title><rect class="`)
		if heat {
			w.WriteString("heat-" + strconv.Itoa(b.Heat))
		} else {
			w.WriteString("booth-" + html.EscapeString(string(b.Status)))
		}
		if b.Selected {
			w.WriteString(" booth-selected")
		}
		fmt.Fprintf(&w, `" x="%d" y="%d" width="%d" height="%d"/><text x="%d" y="%d" font-size="%d">`, b.X, b.Y, b.W, b.H, b.TX, b.TY, b.Size)
		w.WriteString(html.EscapeString(b.Code))
		w.WriteString(`</text>`)
		if b.Label != "" {
			fmt.Fprintf(&w, `<text class="floor-company" x="%d" y="%d" font-size="%d">`, b.TX, b.CY, b.CompanySz)
			w.WriteString(html.EscapeString(b.Label))
			w.WriteString(`</text>`)
		}
		w.WriteString(`</a>`)
	}
	return template.HTML(w.String())
}

// Rows lists every booth below the plan, for reading and printing; like
// SVG it is written here for speed.
func (v floorView) Rows(l i18n.Lang) template.HTML {
	status := map[expo.BoothStatus]string{}
	for _, st := range []expo.BoothStatus{expo.Available, expo.Held, expo.Assigned, expo.Blocked} {
		status[st] = html.EscapeString(l.T("floor.status." + string(st)))
	}
	var w strings.Builder
	for _, h := range v.Halls {
		for _, b := range h.Booths {
			code := html.EscapeString(b.Code)
			w.WriteString(`<tr id="` + html.EscapeString(b.Anchor) + `"><th>`)
			if v.Manage {
				w.WriteString(`<a href="` + html.EscapeString(b.Href) + `">` + code + `</a>`)
			} else {
				w.WriteString(code)
			}
			w.WriteString(`</th><td>` + html.EscapeString(b.Zone) + `</td><td><span class="floor-tag tag-` +
				html.EscapeString(string(b.Status)) + `">` + status[b.Status] + `</span></td><td>` + html.EscapeString(b.Company) + `</td></tr>`)
		}
	}
	return template.HTML(w.String())
}
