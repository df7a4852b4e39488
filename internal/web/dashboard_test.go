package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"sprout/internal/checkin"
	"sprout/internal/clock"
	"sprout/internal/i18n"
	"sprout/internal/vn"
)

// goneClient takes a few writes, then fails as a closed connection does.
type goneClient struct {
	writes int
	got    strings.Builder
}

func (g *goneClient) Write(p []byte) (int, error) {
	if g.writes--; g.writes < 0 {
		return 0, errors.New("connection closed")
	}
	return g.got.Write(p)
}

// runFeed runs a feed whose counts change at every read, so that it writes
// at every poll, and reports when it returns.
func runFeed(client io.Writer, done chan struct{}) <-chan struct{} {
	n := 0
	f := &liveFeed{
		read: func(context.Context) (liveCounts, error) {
			n++
			return liveCounts{CheckedIn: n}, nil
		},
		done:  done,
		clock: clock.System{},
		log:   slog.New(slog.DiscardHandler),
	}
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		f.run(bufio.NewWriter(client))
	}()
	return ended
}

func TestLiveFeedStopsWhenTheClientLeaves(t *testing.T) {
	client := &goneClient{writes: 2}
	select {
	case <-runFeed(client, make(chan struct{})):
	case <-time.After(3 * livePoll):
		t.Fatal("the feed still runs after its client has gone")
	}
	if !strings.HasPrefix(client.got.String(), "retry: 3000\n\nevent: counts\ndata: {") {
		t.Fatalf("the feed began with %q", client.got.String())
	}
}

func TestLiveFeedStopsWhenTheServerShutsDown(t *testing.T) {
	done := make(chan struct{})
	ended := runFeed(io.Discard, done)
	close(done)
	select {
	case <-ended:
	case <-time.After(time.Second):
		t.Fatal("the feed outlives the server")
	}
}

func TestArrivalChart(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := cat.For("vi")
	// 08:00 and 08:10 in Vietnam, nobody at 08:05.
	today := time.Now().In(vn.Zone)
	at := time.Date(today.Year(), today.Month(), today.Day(), 8, 0, 0, 0, vn.Zone)
	list := []checkin.Arrival{{At: at, Entries: 4}, {At: at.Add(10 * time.Minute), Entries: 2}}
	ch := newArrivalChart(l, list, at.Add(24*time.Hour))
	if len(ch.Bars) != 2 || ch.Peak != 4 || ch.Bars[1].H*2 != ch.Bars[0].H || ch.Bars[1].X-ch.Bars[0].X < 2*ch.Bars[0].W {
		t.Fatalf("bars %+v, peak %d: want two, the second half as high, a gap between", ch.Bars, ch.Peak)
	}
	if ch.Bars[0].Title != "08:00–08:05: 4 lượt vào" || ch.Summary != "6 lượt vào; đông nhất 08:00–08:05 với 4 lượt." {
		t.Fatalf("the chart says %q and %q", ch.Bars[0].Title, ch.Summary)
	}
	if ch.Bars[0].Y+ch.Bars[0].H != chartBase || ch.Bars[0].Y != chartTop {
		t.Fatalf("the tallest bar spans %v to %v", ch.Bars[0].Y, ch.Bars[0].Y+ch.Bars[0].H)
	}
	var ticks []string
	for _, tk := range ch.Ticks {
		ticks = append(ticks, tk.Label)
	}
	if strings.Join(ticks, " ") != "07:15 07:30 07:45 08:00" {
		t.Fatalf("time labels %q: want the quarter hours of the hour shown", ticks)
	}

	ongoing := newArrivalChart(l, list, at.Add(40*time.Minute))
	if last := ongoing.Bars[len(ongoing.Bars)-1]; last.X+last.W > chartRight-3*((chartRight-chartLeft)/float64(chartMinSlots)) {
		t.Fatalf("during a lull the chart runs on to now; the last entry stands at %v", last.X)
	}
	if empty := newArrivalChart(l, nil, at); len(empty.Bars) != 0 || empty.Summary != "Chưa có lượt vào nào." {
		t.Fatalf("no arrivals: %+v", empty)
	}
}
