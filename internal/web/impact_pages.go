package web

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/i18n"
	"sprout/internal/impact"
	"sprout/internal/vn"
)

func (s *Server) impactRoutes(app *fiber.App) {
	app.Get("/impact", s.impactPage)
	app.Get("/impact.json", s.impactJSON)
	app.Get("/impact.csv", s.impactCSV)
}

// impactCache lets browsers and proxies keep the figures as long as the
// service does.
var impactCache = "public, max-age=" + strconv.Itoa(int(impact.CacheFor.Seconds()))

func (s *Server) impactJSON(c *fiber.Ctx) error {
	r, err := s.Impact.Report(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, impactCache)
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return c.JSON(r.Open())
}

func (s *Server) impactCSV(c *fiber.Ctx) error {
	r, err := s.Impact.Report(c.UserContext())
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := r.WriteCSV(&b); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, impactCache)
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="sprout-impact.csv"`)
	return c.Send(b.Bytes())
}

// impactFigure is one figure's card: its total, how it is counted, and its
// years as a chart and as a table.
type impactFigure struct {
	Name       string
	Label      string
	Total      int
	Definition string
	Chart      yearChart
	Years      []impactYear
	// Kinds break certificates down by kind.
	Kinds []impactKind
}

type impactYear struct {
	Year  int
	Shown string
}

type impactKind struct {
	Label string
	Shown string
	Years []impactYear
}

// The year charts are drawn in a 320 × 160 box so that they stay legible
// on a phone; bars stand on the baseline.
const (
	yearLeft, yearRight = 8.0, 312.0
	yearTop, yearBase   = 22.0, 134.0
	yearMaxBar          = 48.0
)

type yearChart struct {
	Bars    []yearBar
	Summary string
}

type yearBar struct {
	X, Y, W, H float64
	// LabelX is the middle of the bar, where its year stands below the
	// baseline and its value at ValueY above the bar.
	LabelX, ValueY float64
	Year           int
	Shown          string
	// Small bars stand for a count under impact.MinShown: they are drawn
	// at that height, so the chart does not tell the count either.
	Small bool
	Title string
}

func newYearChart(l i18n.Lang, label string, years []int, byYear map[int]int) yearChart {
	ch := yearChart{}
	if len(years) == 0 {
		return ch
	}
	// A small count's bar stands at most half the height, so that it does
	// not look like the largest count.
	peak := 2 * impact.MinShown
	for _, y := range years {
		peak = max(peak, byYear[y])
	}
	width := (yearRight - yearLeft) / float64(len(years))
	barW := min(width*0.7, yearMaxBar)
	var parts []string
	for i, y := range years {
		n := byYear[y]
		shown := impact.Shown(n)
		small := impact.Suppressed(n)
		drawn := n
		if small {
			drawn = impact.MinShown
		}
		h := (yearBase - yearTop) * float64(drawn) / float64(peak)
		x := yearLeft + float64(i)*width
		// A year is a name, not a quantity: no thousands separator.
		title := l.T("impact.bar", "Year", strconv.Itoa(y), "Value", shown)
		ch.Bars = append(ch.Bars, yearBar{X: round1(x + (width-barW)/2), Y: round1(yearBase - h), W: round1(barW), H: round1(h),
			LabelX: round1(x + width/2), ValueY: round1(yearBase - h - 6), Year: y, Shown: shown, Small: small, Title: title})
		parts = append(parts, title)
	}
	ch.Summary = l.T("impact.chart_summary", "Figure", label, "Years", strings.Join(parts, "; "))
	return ch
}

func impactYears(years []int, byYear map[int]int) []impactYear {
	out := make([]impactYear, 0, len(years))
	for _, y := range years {
		out = append(out, impactYear{Year: y, Shown: impact.Shown(byYear[y])})
	}
	return out
}

// impactPage shows the public figures with their charts, tables and
// definitions, and links to them as open data.
func (s *Server) impactPage(c *fiber.Ctx) error {
	r, err := s.Impact.Report(c.UserContext())
	if err != nil {
		return err
	}
	l := s.lang(c)
	figures := make([]impactFigure, 0, len(impact.Figures))
	for _, f := range impact.Figures {
		cnt := r.Figures[f]
		label := l.T("impact.fig." + string(f))
		fig := impactFigure{Name: string(f), Label: label, Total: cnt.Total, Definition: impact.Definitions[f].In(l.Code),
			Chart: newYearChart(l, label, r.Years, cnt.ByYear), Years: impactYears(r.Years, cnt.ByYear)}
		if f == impact.CertificatesIssued {
			for _, k := range impact.Kinds {
				kc := r.CertificatesByKind[k]
				fig.Kinds = append(fig.Kinds, impactKind{Label: l.T("impact.kind." + k), Shown: impact.Shown(kc.Total),
					Years: impactYears(r.Years, kc.ByYear)})
			}
		}
		figures = append(figures, fig)
	}
	return s.render(c, "impact/index", "impact.title", fiber.Map{
		"Figures": figures, "Years": r.Years, "At": r.At.In(vn.Zone), "Licence": impact.Licence, "LicenceURL": impact.LicenceURL,
	})
}
