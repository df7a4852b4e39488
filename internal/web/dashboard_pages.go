package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/checkin"
	"sprout/internal/clock"
	"sprout/internal/events"
	"sprout/internal/i18n"
	"sprout/internal/staffing"
	"sprout/internal/vn"
)

// The live feed reads the store rather than listening to this instance's
// scans, so every instance behind the balancer tells the same numbers.
const (
	livePoll      = 2 * time.Second
	liveHeartbeat = 15 * time.Second
	// liveLifetime ends a feed now and then; the browser reconnects at once,
	// which frees what a vanished client held and rechecks the session.
	liveLifetime = 30 * time.Minute
	// liveWriteWait is how long one write may wait for a slow client; it
	// replaces the server's write timeout, which would cut the feed.
	liveWriteWait = 30 * time.Second
	liveReadWait  = 5 * time.Second
)

func (s *Server) dashboardRoutes(app *fiber.App) {
	organizer := s.pageRequire(organizerRoles...)
	app.Get("/manage/events/:id/dashboard", organizer, s.manageDashboard)
	app.Get("/manage/events/:id/live", organizer, s.manageLive)
}

// liveCounts is what the dashboard shows, rendered in the page and sent by
// the feed alike. Everything derived is worked out here, so the script
// only copies values into place.
type liveCounts struct {
	// Registered counts the tickets visitors took; invitations given out
	// are counted apart, in the note that says how many.
	Registered      int          `json:"registered"`
	InvitationsNote string       `json:"invitations_note"`
	CheckedIn       int          `json:"checked_in"`
	Inside          int          `json:"inside"`
	Capacity        int          `json:"capacity"`
	ArrivedPct      int          `json:"arrived_pct"`
	Gates           []gateCount  `json:"gates"`
	Chart           arrivalChart `json:"chart"`
}

type gateCount struct {
	Name    string `json:"name"`
	Entries int    `json:"entries"`
}

// The chart is drawn in a 720 × 220 box; bars stand on the baseline.
const (
	chartLeft, chartRight = 40.0, 712.0
	chartTop, chartBase   = 12.0, 192.0
	chartMaxBar           = 28.0
	// chartSlots bounds the bars: twelve hours of five minutes.
	chartSlots = 144
	// chartMinSlots keeps a quiet start from drawing one wide bar.
	chartMinSlots = 12
	// chartIdle is how long after the last entry the chart keeps running
	// on to now, showing a lull as it happens.
	chartIdle = 2 * time.Hour
)

type arrivalChart struct {
	Bars  []chartBar  `json:"bars"`
	Ticks []chartTick `json:"ticks"`
	Peak  int         `json:"peak"`
	// Summary tells the chart in words, for screen readers.
	Summary string `json:"summary"`
}

type chartBar struct {
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	W     float64 `json:"w"`
	H     float64 `json:"h"`
	Title string  `json:"title"`
}

type chartTick struct {
	X     float64 `json:"x"`
	Label string  `json:"label"`
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// tickEvery picks how many slots apart the time labels stand, on round
// clock times, so that at most eight fit.
func tickEvery(n int) int {
	for _, step := range []int{1, 3, 6, 12, 24, 36, 48} {
		if n/step <= 8 {
			return step
		}
	}
	return 72
}

// newArrivalChart draws entries per five minutes from the first to the
// last, with the slots nobody entered in as gaps.
func newArrivalChart(l i18n.Lang, list []checkin.Arrival, now time.Time) arrivalChart {
	if len(list) == 0 {
		return arrivalChart{Bars: []chartBar{}, Ticks: []chartTick{}, Summary: l.T("dash.chart_empty")}
	}
	slot := int64(5 * time.Minute / time.Millisecond)
	index := func(t time.Time) int64 { return t.UnixMilli() / slot }
	byIndex := make(map[int64]int, len(list))
	for _, a := range list {
		byIndex[index(a.At)] += a.Entries
	}
	first, last := index(list[0].At), index(list[len(list)-1].At)
	if n := index(now); n > last && n-last <= int64(chartIdle/(5*time.Minute)) {
		last = n
	}
	first = max(min(first, last-chartMinSlots+1), last-chartSlots+1)
	n := int(last - first + 1)
	ch := arrivalChart{Bars: []chartBar{}, Ticks: []chartTick{}}
	total, peakAt := 0, first
	for i := first; i <= last; i++ {
		if byIndex[i] > ch.Peak {
			ch.Peak, peakAt = byIndex[i], i
		}
		total += byIndex[i]
	}
	width := (chartRight - chartLeft) / float64(n)
	barW := min(width*0.8, chartMaxBar)
	clock := func(i int64) string { return time.UnixMilli(i * slot).In(vn.Zone).Format("15:04") }
	step := int64(tickEvery(n))
	for i := first; i <= last; i++ {
		x := chartLeft + float64(i-first)*width
		if i%step == 0 {
			ch.Ticks = append(ch.Ticks, chartTick{X: round1(x + width/2), Label: clock(i)})
		}
		entries := byIndex[i]
		if entries == 0 {
			continue
		}
		h := (chartBase - chartTop) * float64(entries) / float64(ch.Peak)
		ch.Bars = append(ch.Bars, chartBar{X: round1(x + (width-barW)/2), Y: round1(chartBase - h), W: round1(barW), H: round1(h),
			Title: l.T("dash.bar", "From", clock(i), "To", clock(i+1), "Count", entries)})
	}
	ch.Summary = l.T("dash.chart_summary", "Total", total, "Peak", ch.Peak, "From", clock(peakAt), "To", clock(peakAt+1))
	return ch
}

// gateCounts gives each gate its entries, in the order staffing puts
// gates.
func gateCounts(named []string, byGate map[string]int) []gateCount {
	gates := staffing.OrderGates(named, byGate)
	out := make([]gateCount, len(gates))
	for i, g := range gates {
		out[i] = gateCount{Name: g, Entries: byGate[g]}
	}
	return out
}

func (s *Server) liveCounts(ctx context.Context, l i18n.Lang, eventID string) (liveCounts, error) {
	st, err := s.Checkin.Stats(ctx, eventID)
	if err != nil {
		return liveCounts{}, err
	}
	arrivals, err := s.Checkin.Arrivals(ctx, eventID)
	if err != nil {
		return liveCounts{}, err
	}
	named, err := s.Staffing.Gates(ctx, eventID)
	if err != nil {
		return liveCounts{}, err
	}
	lc := liveCounts{Registered: st.Registered - st.Invitations,
		InvitationsNote: l.T("count.invitations", "Count", st.Invitations), CheckedIn: st.CheckedIn, Inside: st.Inside,
		Capacity: st.Capacity, Gates: gateCounts(named, st.ByGate), Chart: newArrivalChart(l, arrivals, s.Clock.Now())}
	// Invited guests enter too, so arrivals are a share of every ticket.
	if st.Registered > 0 {
		lc.ArrivedPct = int(math.Round(100 * float64(st.CheckedIn) / float64(st.Registered)))
	}
	return lc, nil
}

// liveClock is when numbers were read, as the dashboard says it.
func liveClock(t time.Time) string { return t.In(vn.Zone).Format("15:04:05") }

func (s *Server) manageDashboard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	lc, err := s.liveCounts(ctx, s.lang(c), e.ID)
	if err != nil {
		return err
	}
	return s.renderEventTab(c, e, "dash.title", "manage/dashboard", fiber.Map{"Event": e, "Live": lc, "Updated": liveClock(s.Clock.Now())})
}

// renderEventTab renders one of an event's organizer tabs, titled with the
// tab and the event.
func (s *Server) renderEventTab(c *fiber.Ctx, e events.Event, titleID, view string, data fiber.Map) error {
	p := s.page(c, titleID, data)
	p.Title = p.L.T(titleID) + " · " + e.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, view)
}

// manageLive is the dashboard's feed of server-sent events: the counts
// once, then again whenever they change.
func (s *Server) manageLive(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return err
	}
	l := s.lang(c)
	first, err := s.liveCounts(ctx, l, e.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	// Proxies that buffer answers would hold the events back.
	c.Set("X-Accel-Buffering", "no")
	fctx := c.Context()
	f := &liveFeed{
		read:  func(ctx context.Context) (liveCounts, error) { return s.liveCounts(ctx, l, e.ID) },
		first: first,
		done:  fctx.Done(),
		conn:  fctx.Conn(),
		clock: s.Clock,
		log:   s.log(c).With("event", e.ID),
	}
	fctx.SetBodyStreamWriter(f.run)
	return nil
}

// liveFeed is one client's feed. It runs after the handler has returned,
// so it holds nothing of the request but the connection.
type liveFeed struct {
	read  func(context.Context) (liveCounts, error)
	first liveCounts
	// done closes when the server shuts down.
	done  <-chan struct{}
	conn  net.Conn
	clock clock.Clock
	log   *slog.Logger
}

func (f *liveFeed) write(w *bufio.Writer, s string) error {
	if f.conn != nil {
		// A socket's deadline is on the machine's clock, whatever the app's.
		if err := f.conn.SetWriteDeadline(time.Now().Add(liveWriteWait)); err != nil {
			return err
		}
	}
	if _, err := w.WriteString(s); err != nil {
		return err
	}
	return w.Flush()
}

// event writes lc when it differs from what was sent last, which it
// returns; a write error means the client has gone.
func (f *liveFeed) event(w *bufio.Writer, lc liveCounts, sent []byte) ([]byte, error) {
	data, err := json.Marshal(lc)
	if err != nil || bytes.Equal(data, sent) {
		return sent, err
	}
	msg, err := json.Marshal(struct {
		liveCounts
		Updated string `json:"updated"`
	}{lc, liveClock(f.clock.Now())})
	if err != nil {
		return sent, err
	}
	return data, f.write(w, "event: counts\ndata: "+string(msg)+"\n\n")
}

func (f *liveFeed) run(w *bufio.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), liveLifetime)
	defer cancel()
	// A lost connection comes back soon, not after the browser's default
	// wait.
	err := f.write(w, "retry: 3000\n\n")
	var sent []byte
	if err == nil {
		sent, err = f.event(w, f.first, nil)
	}
	poll, beat := time.NewTicker(livePoll), time.NewTicker(liveHeartbeat)
	defer poll.Stop()
	defer beat.Stop()
	for err == nil {
		select {
		case <-ctx.Done():
			return
		case <-f.done:
			return
		case <-beat.C:
			err = f.write(w, ": ping\n\n")
		case <-poll.C:
			rctx, rcancel := context.WithTimeout(ctx, liveReadWait)
			lc, rerr := f.read(rctx)
			rcancel()
			if rerr != nil {
				// The store may be back at the next tick; the heartbeat
				// keeps the client waiting meanwhile.
				f.log.Warn("live counts unread", "err", rerr)
				continue
			}
			sent, err = f.event(w, lc, sent)
		}
	}
}
