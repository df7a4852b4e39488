package storetest

import (
	"context"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/mail"
	"sprout/internal/tickets"
	"sprout/internal/training"
)

// EventsStore is what an adapter implements for events and registrations.
type EventsStore interface {
	events.Store
	tickets.Store
	mail.Store
	training.Store
}

// RunEvents runs the events and tickets suite; open returns a new empty store.
func RunEvents(t *testing.T, open func(t *testing.T) EventsStore) {
	t.Run("Events", func(t *testing.T) { testEvents(t, open(t)) })
	t.Run("TicketTypes", func(t *testing.T) { testTicketTypes(t, open(t)) })
	t.Run("Register", func(t *testing.T) { testRegister(t, open(t)) })
	t.Run("RegisterRush", func(t *testing.T) { testRegisterRush(t, open(t)) })
	t.Run("RegisterCharge", func(t *testing.T) { testRegisterCharge(t, open(t)) })
	t.Run("Waitlist", func(t *testing.T) { testWaitlist(t, open(t)) })
	t.Run("CancelPromotesOnce", func(t *testing.T) { testCancelPromotesOnce(t, open(t)) })
	t.Run("WaitlistByHand", func(t *testing.T) { testWaitlistByHand(t, open(t)) })
	t.Run("QuestionsAndAnswers", func(t *testing.T) { testQuestionsAndAnswers(t, open(t)) })
	t.Run("Course", func(t *testing.T) { testCourse(t, open(t)) })
	t.Run("AttendanceOnce", func(t *testing.T) { testAttendanceOnce(t, open(t)) })
	t.Run("AttendanceUndo", func(t *testing.T) { testAttendanceUndo(t, open(t)) })
	t.Run("PromoteNowOnce", func(t *testing.T) { testPromoteNowOnce(t, open(t)) })
	t.Run("TicketLookups", func(t *testing.T) { testTicketLookups(t, open(t)) })
	t.Run("TicketSearch", func(t *testing.T) { testTicketSearch(t, open(t)) })
	t.Run("TicketsAfter", func(t *testing.T) { testTicketsAfter(t, open(t)) })
	t.Run("ConsentKept", func(t *testing.T) { testConsentKept(t, open(t)) })
	t.Run("TicketAndMailOneWrite", func(t *testing.T) { testTicketAndMailOneWrite(t, open(t)) })
	t.Run("ReleaseHeldMail", func(t *testing.T) { testReleaseHeldMail(t, open(t)) })
}

func newEvent(slug string, start time.Time, published bool) events.Event {
	return events.Event{
		ID: ids.New(), Slug: slug, Title: "Techfest Hà Nội " + slug, TitleEN: "Hanoi Techfest", Description: "Ngày hội khởi nghiệp",
		Venue: "Trung tâm Hội nghị Quốc gia", StartsAt: start, EndsAt: start.Add(8 * time.Hour), Published: published,
		CreatedBy: "u1", CreatedAt: t0, UpdatedAt: t0,
	}
}

func mustEvent(t *testing.T, s EventsStore, e events.Event) events.Event {
	t.Helper()
	if err := s.CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func mustType(t *testing.T, s EventsStore, eventID, name string, capacity int, waitlist bool) events.TicketType {
	t.Helper()
	tt := events.TicketType{ID: ids.New(), EventID: eventID, Name: name, Capacity: capacity, Waitlist: waitlist, CreatedAt: t0}
	if err := s.CreateTicketType(context.Background(), tt); err != nil {
		t.Fatal(err)
	}
	return tt
}

func testEvents(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := newEvent("techfest-2026", t0.Add(48*time.Hour), true)
	e.BannerID = "banner-1"
	mustEvent(t, s, e)
	got, err := s.EventByID(ctx, e.ID)
	if err != nil || got.Title != e.Title || got.TitleEN != "Hanoi Techfest" || got.Venue != e.Venue || !got.StartsAt.Equal(e.StartsAt) ||
		!got.EndsAt.Equal(e.EndsAt) || !got.Published || got.CreatedBy != "u1" || got.Description != e.Description || got.BannerID != "banner-1" {
		t.Fatalf("EventByID = %+v, %v", got, err)
	}
	if got, err := s.EventBySlug(ctx, "techfest-2026"); err != nil || got.ID != e.ID {
		t.Fatalf("EventBySlug = %+v, %v", got, err)
	}
	_, err = s.EventBySlug(ctx, "nope")
	wantKind(t, err, errs.NotFound, "EventBySlug unknown")
	_, err = s.EventByID(ctx, "nope")
	wantKind(t, err, errs.NotFound, "EventByID unknown")
	wantKind(t, s.CreateEvent(ctx, newEvent("techfest-2026", t0, false)), errs.Conflict, "a slug taken")

	e.Title, e.Published, e.UpdatedAt = "Techfest Việt Nam 2026", false, t0.Add(time.Hour)
	if err := s.UpdateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EventByID(ctx, e.ID); got.Title != "Techfest Việt Nam 2026" || got.Published || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after update: %+v", got)
	}
	if prev, err := s.SetEventBanner(ctx, e.ID, "banner-2", t0.Add(2*time.Hour)); err != nil || prev != "banner-1" {
		t.Fatalf("SetEventBanner = %q, %v; want the banner it replaced", prev, err)
	}
	e.BannerID = "stale"
	if err := s.UpdateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EventByID(ctx, e.ID); got.BannerID != "banner-2" {
		t.Fatalf("UpdateEvent changed the banner to %q", got.BannerID)
	}
	if prev, err := s.SetEventBanner(ctx, e.ID, "", t0.Add(3*time.Hour)); err != nil || prev != "banner-2" {
		t.Fatalf("removing the banner = %q, %v", prev, err)
	}
	if got, _ := s.EventByID(ctx, e.ID); got.BannerID != "" || !got.UpdatedAt.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("after removing the banner: %+v", got)
	}
	_, err = s.SetEventBanner(ctx, "nope", "banner-3", t0)
	wantKind(t, err, errs.NotFound, "SetEventBanner unknown")
	other := mustEvent(t, s, newEvent("workshop", t0.Add(24*time.Hour), true))
	e.Slug = "workshop"
	wantKind(t, s.UpdateEvent(ctx, e), errs.Conflict, "UpdateEvent onto a slug taken")
	wantKind(t, s.UpdateEvent(ctx, newEvent("ghost", t0, true)), errs.NotFound, "UpdateEvent unknown")
	past := mustEvent(t, s, newEvent("past", t0.Add(-72*time.Hour), true))

	list := func(q events.Query) []string {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 10
		}
		es, _, err := s.ListEvents(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	if got := list(events.Query{}); len(got) != 3 || got[0] != past.ID || got[1] != other.ID || got[2] != e.ID {
		t.Fatalf("all events by start: %v", got)
	}
	if got := list(events.Query{PublishedOnly: true, EndsAfter: t0}); len(got) != 1 || got[0] != other.ID {
		t.Fatalf("published and upcoming: %v", got)
	}
	if _, total, _ := s.ListEvents(ctx, events.Query{Limit: 1, Offset: 1}); total != 3 {
		t.Fatalf("total %d", total)
	}

	items := []events.AgendaItem{
		{ID: ids.New(), EventID: other.ID, StartsAt: t0.Add(26 * time.Hour), EndsAt: t0.Add(27 * time.Hour), Room: "Phòng B", Title: "Gọi vốn", Speakers: "Nguyễn An"},
		{ID: ids.New(), EventID: other.ID, StartsAt: t0.Add(25 * time.Hour), EndsAt: t0.Add(26 * time.Hour), Room: "Hội trường", Title: "Khai mạc", TitleEN: "Opening", Speakers: "Lãnh đạo Sở"},
		{ID: ids.New(), EventID: other.ID, StartsAt: t0.Add(26 * time.Hour), EndsAt: t0.Add(27 * time.Hour), Room: "Phòng A", Title: "AI", Speakers: "Trần Bình"},
	}
	for _, a := range items {
		if err := s.CreateAgendaItem(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	ag, err := s.Agenda(ctx, other.ID)
	if err != nil || len(ag) != 3 || ag[0].Title != "Khai mạc" || ag[0].TitleEN != "Opening" || ag[1].Room != "Phòng A" || ag[1].TitleEN != "" ||
		ag[2].Room != "Phòng B" || ag[2].Speakers != "Nguyễn An" || !ag[0].EndsAt.Equal(items[1].EndsAt) {
		t.Fatalf("Agenda = %+v, %v", ag, err)
	}
	// Moved before the opening, renamed in both languages, its room emptied.
	edited := items[2]
	edited.StartsAt, edited.EndsAt, edited.Room, edited.Title, edited.TitleEN, edited.Speakers =
		t0.Add(24*time.Hour), t0.Add(25*time.Hour), "", "Trí tuệ nhân tạo", "Artificial intelligence", "Trần Bình, Lê Chi"
	if err := s.UpdateAgendaItem(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if ag, err := s.Agenda(ctx, other.ID); err != nil || len(ag) != 3 || ag[0] != edited || ag[1].ID != items[1].ID || ag[2].ID != items[0].ID {
		t.Fatalf("after UpdateAgendaItem: %+v, %v; want %+v first", ag, err, edited)
	}
	stray := edited
	stray.EventID, stray.Title = e.ID, "Lạc"
	wantKind(t, s.UpdateAgendaItem(ctx, stray), errs.NotFound, "updating another event's session")
	wantKind(t, s.UpdateAgendaItem(ctx, events.AgendaItem{ID: "nope", EventID: other.ID, Title: "x", StartsAt: t0, EndsAt: t0.Add(time.Hour)}),
		errs.NotFound, "UpdateAgendaItem unknown")
	if ag, _ := s.Agenda(ctx, other.ID); ag[0].Title != "Trí tuệ nhân tạo" {
		t.Fatalf("a refused update changed the session: %+v", ag[0])
	}
	wantKind(t, s.DeleteAgendaItem(ctx, e.ID, items[0].ID), errs.NotFound, "deleting another event's session")
	if err := s.DeleteAgendaItem(ctx, other.ID, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if ag, _ := s.Agenda(ctx, other.ID); len(ag) != 2 {
		t.Fatalf("after delete: %d sessions", len(ag))
	}
	if ag, err := s.Agenda(ctx, e.ID); err != nil || len(ag) != 0 {
		t.Fatalf("empty agenda: %v, %v", ag, err)
	}
}

func testTicketTypes(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("expo", t0.Add(48*time.Hour), true))
	a := events.TicketType{ID: ids.New(), EventID: e.ID, Name: "Khách tham quan", NameEN: "Visitor", Capacity: 2, Waitlist: true,
		SalesStart: t0, SalesEnd: t0.Add(40 * time.Hour), CreatedAt: t0}
	if err := s.CreateTicketType(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := events.TicketType{ID: ids.New(), EventID: e.ID, Name: "VIP", Capacity: 1, Invite: true, CreatedAt: t0.Add(time.Second)}
	if err := s.CreateTicketType(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.TicketType(ctx, a.ID)
	if err != nil || got.Name != a.Name || got.NameEN != "Visitor" || got.Capacity != 2 || got.Sold != 0 || !got.Waitlist || !got.SalesStart.Equal(t0) ||
		!got.SalesEnd.Equal(a.SalesEnd) || got.EventID != e.ID || got.Waiting != 0 || got.Invite {
		t.Fatalf("TicketType = %+v, %v", got, err)
	}
	if got, err := s.TicketType(ctx, b.ID); err != nil || !got.Invite || got.NameEN != "" {
		t.Fatalf("an invitation type = %+v, %v", got, err)
	}
	_, err = s.TicketType(ctx, "nope")
	wantKind(t, err, errs.NotFound, "TicketType unknown")
	list, err := s.TicketTypes(ctx, e.ID)
	if err != nil || len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID || !list[1].SalesStart.IsZero() ||
		list[0].Invite || !list[1].Invite {
		t.Fatalf("TicketTypes = %+v, %v", list, err)
	}
	wantKind(t, s.CreateTicketType(ctx, events.TicketType{ID: ids.New(), EventID: "nope", Name: "x", Capacity: 1, CreatedAt: t0}), errs.NotFound, "a type of an unknown event")

	register(t, s, e.ID, a.ID, "mot@example.vn")
	register(t, s, e.ID, a.ID, "hai@example.vn")
	a.Capacity = 1
	wantKind(t, s.UpdateTicketType(ctx, a), errs.Conflict, "capacity below the seats sold")
	a.Capacity, a.Name, a.NameEN, a.Waitlist, a.Invite = 5, "Khách mời", "Guest", false, true
	if err := s.UpdateTicketType(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TicketType(ctx, a.ID); got.Capacity != 5 || got.Sold != 2 || got.Remaining() != 3 || got.Name != "Khách mời" || got.NameEN != "Guest" ||
		got.Waitlist || !got.Invite {
		t.Fatalf("after update: %+v", got)
	}
	wantKind(t, s.UpdateTicketType(ctx, events.TicketType{ID: "nope", Capacity: 3}), errs.NotFound, "UpdateTicketType unknown")
}

func newTicket(eventID, typeID, email string) tickets.Ticket {
	return tickets.Ticket{
		ID: ids.New(), EventID: eventID, TypeID: typeID, Name: "Khách " + email, Email: email, Phone: "+84912345678",
		Lang: "vi", Status: tickets.Active, Secret: ids.Secret(), Token: "eyJhbGciOiJFZERTQSJ9." + email, KeyID: "k1",
		NotBefore: t0.Add(-time.Hour), ExpiresAt: t0.Add(72 * time.Hour), CreatedAt: t0,
	}
}

func register(t *testing.T, s EventsStore, eventID, typeID, email string) tickets.Ticket {
	t.Helper()
	tk := newTicket(eventID, typeID, email)
	if err := s.Register(context.Background(), tk, nil, nil); err != nil {
		t.Fatalf("Register(%s): %v", email, err)
	}
	return tk
}

func sold(t *testing.T, s EventsStore, typeID string) int {
	t.Helper()
	tt, err := s.TicketType(context.Background(), typeID)
	if err != nil {
		t.Fatal(err)
	}
	return tt.Sold
}
