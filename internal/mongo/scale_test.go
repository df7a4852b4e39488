package mongo

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"sprout/internal/demo"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keyset"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
)

// BenchmarkScaleFigures prints what the gate's search and offline data and
// the registrations list and its search cost this adapter on one event of
// SPROUT_SCALE_TICKETS tickets (200,000 unless set), one in a hundred
// cancelled, on the server at MONGODB_TEST_URI or else on FerretDB. It
// takes minutes, and runs as a benchmark, only when asked:
//
//	go test ./internal/mongo -run '^$' -bench ScaleFigures -benchtime 1x -v -timeout 30m
func BenchmarkScaleFigures(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("SPROUT_SCALE_TICKETS"))
	if n <= 0 {
		n = 200000
	}
	uri := storetest.MongoDBTestURI(b)
	if uri == "" {
		uri = storetest.FerretDBURI(b)
	}
	s := openAt(b, uri)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	e := events.Event{ID: ids.New(), Slug: "techfest", Title: "Techfest", StartsAt: now, EndsAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEvent(ctx, e); err != nil {
		b.Fatal(err)
	}
	tt := events.TicketType{ID: ids.New(), EventID: e.ID, Name: "A", Capacity: n, CreatedAt: now}
	if err := s.CreateTicketType(ctx, tt); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	active := 0
	for from := 0; from < n; from += 1000 {
		var docs []any
		for i := from; i < min(from+1000, n); i++ {
			name, email, phone := demo.Person(i)
			tk := tickets.Ticket{ID: ids.New(), EventID: e.ID, TypeID: tt.ID, Name: fmt.Sprintf("%s %d", name, i), Email: email,
				Phone: "+84" + phone[1:], Lang: "vi", Status: tickets.Active, Secret: ids.Secret(),
				CreatedAt: now.Add(time.Duration(i-n) * 10 * time.Second)}
			if i%100 == 50 {
				tk.Status = tickets.Cancelled
			} else {
				active++
			}
			docs = append(docs, newTicketDoc(tk, string(tk.Status)))
		}
		if _, err := s.tickets.InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.ticketTypes.UpdateOne(ctx, bson.D{{Key: "_id", Value: tt.ID}}, setFields(bson.E{Key: "remaining", Value: n - active})); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d tickets stored in %s", n, time.Since(start).Round(time.Millisecond))

	for _, c := range []struct {
		what string
		run  func() error
	}{
		{`gate search "nguyen van 12345"`, func() error {
			_, err := s.TicketsAfter(ctx, tickets.Query{EventID: e.ID, Status: tickets.Active, Text: "nguyen van 12345", Limit: 20}, keyset.Cursor{})
			return err
		}},
		{`gate search "tran"`, func() error {
			_, err := s.TicketsAfter(ctx, tickets.Query{EventID: e.ID, Status: tickets.Active, Text: "tran", Limit: 20}, keyset.Cursor{})
			return err
		}},
		{"gate offline data", func() error {
			_, err := s.CancelledIDs(ctx, e.ID)
			return err
		}},
		{"registrations page", func() error {
			_, _, err := s.ListTickets(ctx, tickets.Query{EventID: e.ID, Limit: 50})
			return err
		}},
		{`registrations search "nguyen van 12345"`, func() error {
			_, _, err := s.ListTickets(ctx, tickets.Query{EventID: e.ID, Text: "nguyen van 12345", Limit: 50})
			return err
		}},
		{`registrations search "tran"`, func() error {
			_, _, err := s.ListTickets(ctx, tickets.Query{EventID: e.ID, Text: "tran", Limit: 50})
			return err
		}},
	} {
		var lat []time.Duration
		for range 10 {
			t0 := time.Now()
			if err := c.run(); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		b.Logf("%s: p50 %s, max %s", c.what, lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	}
}
