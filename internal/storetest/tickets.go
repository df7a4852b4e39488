package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/keyset"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/tickets"
)

// activeCount counts a type's active tickets one by one: a list's total
// may come from the type's sold seats, which the count checks.
func activeCount(t *testing.T, s EventsStore, eventID, typeID string) int {
	t.Helper()
	n := 0
	err := keyset.Walk(500, func(after keyset.Cursor) ([]tickets.Ticket, error) {
		return s.TicketsAfter(context.Background(), tickets.Query{EventID: eventID, TypeID: typeID, Status: tickets.Active, Limit: 500}, after)
	}, tickets.Ticket.Cursor, func(tickets.Ticket) error {
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func testRegister(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("reg", t0.Add(48*time.Hour), true))
	other := mustEvent(t, s, newEvent("other", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé thường", 2, false)
	foreign := mustType(t, s, other.ID, "Vé khác", 5, false)

	a := register(t, s, e.ID, tt.ID, "Lan.Nguyen@Example.vn")
	got, err := s.TicketByID(ctx, a.ID)
	if err != nil || got.Email != "Lan.Nguyen@Example.vn" || got.Status != tickets.Active || got.Secret != a.Secret ||
		got.KeyID != "k1" || !got.NotBefore.Equal(a.NotBefore) || !got.ExpiresAt.Equal(a.ExpiresAt) || got.Phone != "+84912345678" || got.Lang != "vi" || got.TypeID != tt.ID {
		t.Fatalf("TicketByID = %+v, %v", got, err)
	}
	// The token is signed again from the claims kept; storing it too would
	// double a ticket's size.
	if got.Token != "" {
		t.Fatalf("the store kept the token %q", got.Token)
	}
	if sold(t, s, tt.ID) != 1 {
		t.Fatal("a registration takes a seat")
	}
	err = s.Register(ctx, newTicket(e.ID, tt.ID, " lan.nguyen@example.VN "), nil, nil)
	wantKind(t, err, errs.AlreadyRegistered, "the same email in other case and spaces")
	if sold(t, s, tt.ID) != 1 || activeCount(t, s, e.ID, "") != 1 {
		t.Fatal("a refused registration took a seat or wrote a ticket")
	}
	if err := s.Register(ctx, newTicket(other.ID, foreign.ID, "lan.nguyen@example.vn"), nil, nil); err != nil {
		t.Fatalf("the same person at another event: %v", err)
	}
	wantKind(t, s.Register(ctx, newTicket(e.ID, foreign.ID, "x@example.vn"), nil, nil), errs.NotFound, "a type of another event")
	wantKind(t, s.Register(ctx, newTicket(e.ID, "nope", "x@example.vn"), nil, nil), errs.NotFound, "an unknown type")

	register(t, s, e.ID, tt.ID, "binh@example.vn")
	wantKind(t, s.Register(ctx, newTicket(e.ID, tt.ID, "chi@example.vn"), nil, nil), errs.SoldOut, "a full type")
	wantKind(t, s.Register(ctx, newTicket(e.ID, tt.ID, "binh@example.vn"), nil, nil), errs.AlreadyRegistered, "a holder asking again when full")
	if sold(t, s, tt.ID) != 2 || activeCount(t, s, e.ID, tt.ID) != 2 {
		t.Fatal("sold out wrote something")
	}

	c, p, err := s.CancelTicket(ctx, a.ID, t0.Add(time.Hour), nil)
	if err != nil || p != nil || c.Status != tickets.Cancelled || !c.CancelledAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("CancelTicket = %+v, %v, %v", c, p, err)
	}
	if sold(t, s, tt.ID) != 1 {
		t.Fatal("a cancelled seat goes back")
	}
	_, _, err = s.CancelTicket(ctx, a.ID, t0, nil)
	wantKind(t, err, errs.Conflict, "cancelling twice")
	_, _, err = s.CancelTicket(ctx, "nope", t0, nil)
	wantKind(t, err, errs.NotFound, "cancelling an unknown ticket")
	if err := s.Register(ctx, newTicket(e.ID, tt.ID, "lan.nguyen@example.vn"), nil, nil); err != nil {
		t.Fatalf("registering again after cancelling: %v", err)
	}
}

// 400 people try for 50 seats at once: exactly 50 get one.
func testRegisterRush(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("rush", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé sớm", 50, false)
	const people = 400
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	sem := make(chan struct{}, 64)
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			err := s.Register(ctx, newTicket(e.ID, tt.ID, fmt.Sprintf("p%d@example.vn", i)), nil, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				results["ok"]++
			case errs.KindOf(err) == errs.SoldOut:
				results["sold_out"]++
			default:
				results[err.Error()]++
			}
		}()
	}
	wg.Wait()
	if results["ok"] != 50 || results["sold_out"] != 350 || len(results) != 2 {
		t.Fatalf("%d registrations for 50 seats: %v", people, results)
	}
	if sold(t, s, tt.ID) != 50 || activeCount(t, s, e.ID, tt.ID) != 50 {
		t.Fatalf("sold %d, tickets %d; want 50 and 50", sold(t, s, tt.ID), activeCount(t, s, e.ID, tt.ID))
	}
}

func newWait(eventID, typeID, email string) tickets.WaitEntry {
	return tickets.WaitEntry{ID: ids.New(), EventID: eventID, TypeID: typeID, Name: "Chờ " + email, Email: email,
		Lang: "en", Status: tickets.Waiting, Secret: ids.Secret(), CreatedAt: t0}
}

// promoteFrom gives the first person waiting their ticket and its mail.
func promoteFrom(w tickets.WaitEntry) (tickets.Ticket, *mail.Message, error) {
	tk := newTicket(w.EventID, w.TypeID, w.Email)
	tk.Name, tk.Lang = w.Name, w.Lang
	return tk, ticketMail(tk), nil
}

func testWaitlist(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("wl", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Hội thảo", 1, true)
	closed := mustType(t, s, e.ID, "Không chờ", 1, false)

	_, err := s.JoinWaitlist(ctx, newWait(e.ID, tt.ID, "early@example.vn"))
	wantKind(t, err, errs.Conflict, "joining while seats are free")
	holder := register(t, s, e.ID, tt.ID, "holder@example.vn")
	register(t, s, e.ID, closed.ID, "other@example.vn")
	_, err = s.JoinWaitlist(ctx, newWait(e.ID, closed.ID, "x@example.vn"))
	wantKind(t, err, errs.SoldOut, "joining a type without a waitlist")
	_, err = s.JoinWaitlist(ctx, newWait(e.ID, "nope", "x@example.vn"))
	wantKind(t, err, errs.NotFound, "joining an unknown type")

	w1, w2 := newWait(e.ID, tt.ID, "first@example.vn"), newWait(e.ID, tt.ID, "second@example.vn")
	if pos, err := s.JoinWaitlist(ctx, w1); err != nil || pos != 1 {
		t.Fatalf("first in line: %d, %v", pos, err)
	}
	if pos, err := s.JoinWaitlist(ctx, w2); err != nil || pos != 2 {
		t.Fatalf("second in line: %d, %v", pos, err)
	}
	_, err = s.JoinWaitlist(ctx, newWait(e.ID, tt.ID, "FIRST@example.vn"))
	wantKind(t, err, errs.AlreadyRegistered, "waiting twice")
	_, err = s.JoinWaitlist(ctx, newWait(e.ID, tt.ID, "holder@example.vn"))
	wantKind(t, err, errs.AlreadyRegistered, "a ticket holder joining the waitlist")
	if got, _ := s.TicketType(ctx, tt.ID); got.Waiting != 2 {
		t.Fatalf("Waiting = %d", got.Waiting)
	}
	if w, pos, err := s.WaitPosition(ctx, w2.ID); err != nil || pos != 2 || w.Email != "second@example.vn" || w.Status != tickets.Waiting {
		t.Fatalf("WaitPosition = %+v, %d, %v", w, pos, err)
	}
	_, _, err = s.WaitPosition(ctx, "nope")
	wantKind(t, err, errs.NotFound, "WaitPosition unknown")
	if w, pos, err := s.WaitBySecret(ctx, w2.Secret); err != nil || pos != 2 || w.ID != w2.ID || w.Secret != w2.Secret {
		t.Fatalf("WaitBySecret = %+v, %d, %v", w, pos, err)
	}
	for _, guess := range []string{w2.ID, "", strings.ToUpper(w2.Secret)} {
		_, _, err = s.WaitBySecret(ctx, guess)
		wantKind(t, err, errs.NotFound, "WaitBySecret "+guess)
	}

	_, promoted, err := s.CancelTicket(ctx, holder.ID, t0.Add(time.Hour), promoteFrom)
	if err != nil || promoted == nil || promoted.Email != "first@example.vn" || promoted.Lang != "en" {
		t.Fatalf("cancel with a waitlist: %+v, %v", promoted, err)
	}
	if got, err := s.TicketByID(ctx, promoted.ID); err != nil || got.Status != tickets.Active {
		t.Fatalf("the promoted ticket is stored: %+v, %v", got, err)
	}
	if m, err := s.MailByID(ctx, promoted.ID); err != nil || m.Status != mail.StatusPending || m.To != "first@example.vn" {
		t.Fatalf("the promoted ticket's mail, written with it: %+v, %v", m, err)
	}
	if sold(t, s, tt.ID) != 1 {
		t.Fatal("the seat passed on, it is still sold")
	}
	if w, pos, _ := s.WaitPosition(ctx, w1.ID); w.Status != tickets.Promoted || pos != 0 || w.TicketID != promoted.ID {
		t.Fatalf("the promoted entry: %+v, %d", w, pos)
	}
	if _, pos, _ := s.WaitPosition(ctx, w2.ID); pos != 1 {
		t.Fatalf("the second moves up to %d", pos)
	}
	if w, pos, err := s.WaitBySecret(ctx, w1.Secret); err != nil || w.Status != tickets.Promoted || pos != 0 || w.TicketID != promoted.ID {
		t.Fatalf("the promoted entry by its secret: %+v, %d, %v", w, pos, err)
	}
}

// emails lists the entries' emails in order.
func emails(ws []tickets.WaitEntry) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.TrimSuffix(w.Email, "@example.vn")
	}
	return strings.Join(out, " ")
}

// testWaitlistByHand: an organizer reads the line, takes people out of it,
// promotes one ahead of the others (a seat added when none is free), and
// seats added to a type go to the line in order.
func testWaitlistByHand(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("tay", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Hội thảo", 1, true)
	other := mustType(t, s, e.ID, "Chuyên gia", 1, true)
	open := mustType(t, s, e.ID, "Tự do", 10, false)
	register(t, s, e.ID, tt.ID, "holder@example.vn")
	register(t, s, e.ID, other.ID, "expert@example.vn")
	line := map[string]tickets.WaitEntry{}
	for _, who := range []string{"a", "b", "c", "d", "x"} {
		w := newWait(e.ID, tt.ID, who+"@example.vn")
		if _, err := s.JoinWaitlist(ctx, w); err != nil {
			t.Fatal(err)
		}
		line[who] = w
	}
	if _, err := s.JoinWaitlist(ctx, newWait(e.ID, other.ID, "o@example.vn")); err != nil {
		t.Fatal(err)
	}
	want := "a b c d x o"
	if tt.ID > other.ID {
		want = "o a b c d x"
	}
	if got, err := s.Waiting(ctx, e.ID); err != nil || emails(got) != want {
		t.Fatalf("Waiting = %q, %v; want %q", emails(got), err, want)
	}

	left, err := s.LeaveWaitlist(ctx, line["c"].ID)
	if err != nil || left.Status != tickets.Left || left.Email != "c@example.vn" {
		t.Fatalf("LeaveWaitlist = %+v, %v", left, err)
	}
	_, err = s.LeaveWaitlist(ctx, line["c"].ID)
	wantKind(t, err, errs.Conflict, "leaving twice")
	_, err = s.LeaveWaitlist(ctx, "nope")
	wantKind(t, err, errs.NotFound, "leaving an unknown entry")
	if _, pos, _ := s.WaitPosition(ctx, line["d"].ID); pos != 3 {
		t.Fatalf("after c left, d is %d in line, want 3", pos)
	}
	back := newWait(e.ID, tt.ID, "c@example.vn")
	if pos, err := s.JoinWaitlist(ctx, back); err != nil || pos != 5 {
		t.Fatalf("c waits again: %d, %v; want 5", pos, err)
	}

	// b goes ahead of a; the full type gets a seat more for b.
	tk, err := s.PromoteNow(ctx, line["b"].ID, promoteFrom)
	if err != nil || tk.Email != "b@example.vn" || tk.Status != tickets.Active {
		t.Fatalf("PromoteNow(b) = %+v, %v", tk, err)
	}
	if m, err := s.MailByID(ctx, tk.ID); err != nil || m.To != "b@example.vn" {
		t.Fatalf("b's mail: %+v, %v", m, err)
	}
	if got, _ := s.TicketType(ctx, tt.ID); got.Capacity != 2 || got.Sold != 2 || got.Waiting != 4 {
		t.Fatalf("after promoting b: capacity %d, sold %d, waiting %d; want 2, 2, 4", got.Capacity, got.Sold, got.Waiting)
	}
	if w, pos, _ := s.WaitPosition(ctx, line["b"].ID); w.Status != tickets.Promoted || w.TicketID != tk.ID || pos != 0 {
		t.Fatalf("b's entry: %+v, %d", w, pos)
	}
	if _, pos, _ := s.WaitPosition(ctx, line["a"].ID); pos != 1 {
		t.Fatalf("a stays first: %d", pos)
	}
	_, err = s.PromoteNow(ctx, line["b"].ID, promoteFrom)
	wantKind(t, err, errs.Conflict, "promoting twice")
	_, err = s.PromoteNow(ctx, line["c"].ID, promoteFrom)
	wantKind(t, err, errs.Conflict, "promoting an entry that left")

	// x got a ticket of another type meanwhile: promoting x only takes x
	// out of the line.
	register(t, s, e.ID, open.ID, "x@example.vn")
	_, err = s.PromoteNow(ctx, line["x"].ID, promoteFrom)
	wantKind(t, err, errs.AlreadyRegistered, "promoting a person holding a ticket")
	if w, _, _ := s.WaitPosition(ctx, line["x"].ID); w.Status != tickets.Left {
		t.Fatalf("x's entry after a refused promotion: %s", w.Status)
	}
	if got, _ := s.TicketType(ctx, tt.ID); got.Capacity != 2 || got.Sold != 2 {
		t.Fatalf("a refused promotion changed the seats: capacity %d, sold %d", got.Capacity, got.Sold)
	}

	// Two seats more go to a, then d, in line.
	if ids, err := s.Underfilled(ctx, t0); err != nil || len(ids) != 0 {
		t.Fatalf("Underfilled with every type full = %v, %v", ids, err)
	}
	raised, _ := s.TicketType(ctx, tt.ID)
	raised.Capacity = 4
	if err := s.UpdateTicketType(ctx, raised); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.Underfilled(ctx, t0); err != nil || fmt.Sprint(ids) != "["+tt.ID+"]" {
		t.Fatalf("Underfilled after adding seats = %v, %v", ids, err)
	}
	var got []string
	for {
		tk, err := s.Fill(ctx, tt.ID, promoteFrom)
		if err != nil {
			t.Fatal(err)
		}
		if tk == nil {
			break
		}
		got = append(got, tk.Email)
	}
	if fmt.Sprint(got) != "[a@example.vn d@example.vn]" {
		t.Fatalf("the seats added went to %v", got)
	}
	if got, _ := s.TicketType(ctx, tt.ID); got.Sold != 4 || got.Waiting != 1 {
		t.Fatalf("after filling: sold %d, waiting %d", got.Sold, got.Waiting)
	}
	if tk, err := s.Fill(ctx, open.ID, promoteFrom); err != nil || tk != nil {
		t.Fatalf("Fill with nobody waiting = %v, %v", tk, err)
	}
}

// testQuestionsAndAnswers: an event's questions read back whole and only
// through SetEventQuestions; a ticket's answers, and a waiting person's,
// read back, and a promotion carries them to the ticket.
func testQuestionsAndAnswers(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("hoi", t0.Add(48*time.Hour), true))
	qs := []events.Question{
		{ID: "org", Label: "Đơn vị công tác", LabelEN: "Organisation", Kind: events.AskText, Required: true, AtGate: true, Role: events.RoleOrganisation},
		{ID: "kind", Label: "Loại hình", Kind: events.AskChoice, Options: []string{"Doanh nghiệp", "Startup"}, OptionsEN: []string{"Company", "Startup"}},
	}
	if err := s.SetEventQuestions(ctx, e.ID, qs, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventByID(ctx, e.ID)
	if err != nil || fmt.Sprintf("%+v", got.Questions) != fmt.Sprintf("%+v", qs) || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("questions read back: %+v, %v", got.Questions, err)
	}
	edited := got
	edited.Title = "Đổi tên"
	if err := s.UpdateEvent(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EventByID(ctx, e.ID); len(got.Questions) != 2 {
		t.Fatalf("UpdateEvent dropped the questions: %+v", got.Questions)
	}
	wantKind(t, s.SetEventQuestions(ctx, "nope", qs, t0), errs.NotFound, "questions of an unknown event")

	tt := mustType(t, s, e.ID, "Vé", 1, true)
	tk := newTicket(e.ID, tt.ID, "a@example.vn")
	tk.Answers = map[string]string{"org": "Công ty Cổ phần Mầm Xanh", "kind": "Startup"}
	if err := s.Register(ctx, tk, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TicketByID(ctx, tk.ID); err != nil || fmt.Sprint(got.Answers) != fmt.Sprint(tk.Answers) {
		t.Fatalf("the ticket's answers: %v, %v", got.Answers, err)
	}
	if got := register(t, s, e.ID, mustType(t, s, e.ID, "Khác", 5, false).ID, "b@example.vn"); got.Answers != nil {
		t.Fatalf("a ticket without answers: %v", got.Answers)
	}
	w := newWait(e.ID, tt.ID, "w@example.vn")
	w.Answers = map[string]string{"org": "Viện Công nghệ"}
	if _, err := s.JoinWaitlist(ctx, w); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.WaitPosition(ctx, w.ID); err != nil || got.Answers["org"] != "Viện Công nghệ" {
		t.Fatalf("the waiting entry's answers: %v, %v", got.Answers, err)
	}
	_, promoted, err := s.CancelTicket(ctx, tk.ID, t0.Add(time.Hour), func(w tickets.WaitEntry) (tickets.Ticket, *mail.Message, error) {
		nt, m, err := promoteFrom(w)
		nt.Answers = w.Answers
		return nt, m, err
	})
	if err != nil || promoted == nil {
		t.Fatalf("cancel: %v, %v", promoted, err)
	}
	if got, err := s.TicketByID(ctx, promoted.ID); err != nil || got.Answers["org"] != "Viện Công nghệ" {
		t.Fatalf("the promoted ticket's answers: %v, %v", got.Answers, err)
	}
}

// testPromoteNowOnce: eight organizers promoting the same person at once
// give one ticket and one seat; the others are told it is done.
func testPromoteNowOnce(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("mot-lan", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", 1, true)
	register(t, s, e.ID, tt.ID, "h@example.vn")
	w := newWait(e.ID, tt.ID, "w@example.vn")
	if _, err := s.JoinWaitlist(ctx, w); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	done, refused := 0, 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.PromoteNow(ctx, w.ID, promoteFrom)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				done++
			case errs.KindOf(err) == errs.Conflict:
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if done != 1 || refused != 7 {
		t.Fatalf("8 promotions of one person: %d done, %d refused", done, refused)
	}
	if activeCount(t, s, e.ID, tt.ID) != 2 || sold(t, s, tt.ID) != 2 {
		t.Fatalf("active %d, sold %d; want 2 and 2", activeCount(t, s, e.ID, tt.ID), sold(t, s, tt.ID))
	}
	if got, _ := s.TicketType(ctx, tt.ID); got.Capacity != 2 {
		t.Fatalf("capacity %d, want 2", got.Capacity)
	}
}

// Two cancellations at the same moment with two people waiting: each
// person gets exactly one ticket; a third cancellation gives a seat back.
func testCancelPromotesOnce(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("race", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", 3, true)
	var holders []tickets.Ticket
	for i := range 3 {
		holders = append(holders, register(t, s, e.ID, tt.ID, fmt.Sprintf("h%d@example.vn", i)))
	}
	for i := range 2 {
		if _, err := s.JoinWaitlist(ctx, newWait(e.ID, tt.ID, fmt.Sprintf("w%d@example.vn", i))); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	promotedTo := map[string]int{}
	seatsBack := 0
	for _, h := range holders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, p, err := s.CancelTicket(ctx, h.ID, t0.Add(time.Hour), promoteFrom)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case p == nil:
				seatsBack++
			default:
				promotedTo[p.Email]++
			}
		}()
	}
	wg.Wait()
	if promotedTo["w0@example.vn"] != 1 || promotedTo["w1@example.vn"] != 1 || len(promotedTo) != 2 || seatsBack != 1 {
		t.Fatalf("3 cancellations, 2 waiting: promoted %v, seats back %d", promotedTo, seatsBack)
	}
	if sold(t, s, tt.ID) != 2 || activeCount(t, s, e.ID, tt.ID) != 2 {
		t.Fatalf("sold %d, active %d; want 2 and 2", sold(t, s, tt.ID), activeCount(t, s, e.ID, tt.ID))
	}
	if got, _ := s.TicketType(ctx, tt.ID); got.Waiting != 0 {
		t.Fatalf("still waiting: %d", got.Waiting)
	}
}

func testTicketLookups(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("look", t0.Add(48*time.Hour), true))
	a := mustType(t, s, e.ID, "A", 100, false)
	b := mustType(t, s, e.ID, "B", 100, false)
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Đức", "Lê Hoa"}
	var made []tickets.Ticket
	for i, n := range names {
		tk := newTicket(e.ID, a.ID, fmt.Sprintf("guest%d@example.vn", i))
		if i%2 == 1 {
			tk.TypeID = b.ID
		}
		tk.Name, tk.CreatedAt = n, t0.Add(time.Duration(i)*time.Minute)
		tk.Phone = fmt.Sprintf("+8490000000%d", i)
		if i == 3 {
			tk.KeyID, tk.ExpiresAt = "k2", t0.Add(time.Hour)
		}
		if err := s.Register(ctx, tk, nil, nil); err != nil {
			t.Fatal(err)
		}
		made = append(made, tk)
	}
	if _, _, err := s.CancelTicket(ctx, made[0].ID, t0.Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TicketBySecret(ctx, made[2].Secret); err != nil || got.ID != made[2].ID {
		t.Fatalf("TicketBySecret = %+v, %v", got, err)
	}
	_, err := s.TicketBySecret(ctx, "nope")
	wantKind(t, err, errs.NotFound, "TicketBySecret unknown")
	_, err = s.TicketByID(ctx, "nope")
	wantKind(t, err, errs.NotFound, "TicketByID unknown")

	other := mustEvent(t, s, newEvent("look2", t0.Add(96*time.Hour), true))
	ot := mustType(t, s, other.ID, "C", 10, false)
	later := newTicket(other.ID, ot.ID, "GUEST2@example.vn")
	later.CreatedAt = t0.Add(time.Hour)
	if err := s.Register(ctx, later, nil, nil); err != nil {
		t.Fatal(err)
	}
	byEmail, err := s.TicketsByEmail(ctx, " guest2@EXAMPLE.vn")
	if err != nil || len(byEmail) != 2 || byEmail[0].ID != later.ID || byEmail[1].ID != made[2].ID {
		t.Fatalf("TicketsByEmail = %d tickets, %v", len(byEmail), err)
	}
	if byEmail, _ := s.TicketsByEmail(ctx, "guest0@example.vn"); len(byEmail) != 0 {
		t.Fatal("a cancelled ticket is not resent")
	}

	find := func(q tickets.Query) ([]string, int) {
		t.Helper()
		q.EventID = e.ID
		if q.Limit == 0 {
			q.Limit = 10
		}
		ts, total, err := s.ListTickets(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range ts {
			out = append(out, tk.Name)
		}
		return out, total
	}
	if got, total := find(tickets.Query{}); total != 4 || len(got) != 4 || got[0] != "Lê Hoa" || got[3] != "Nguyễn Văn An" {
		t.Fatalf("all, newest first: %v %d", got, total)
	}
	if got, _ := find(tickets.Query{Text: "dang van duc"}); len(got) != 1 {
		t.Fatalf("folded search: %v", got)
	}
	if got, _ := find(tickets.Query{Text: "84900000001"}); len(got) != 1 || got[0] != "Trần Thị Bình" {
		t.Fatalf("search by phone: %v", got)
	}
	if got, total := find(tickets.Query{TypeID: b.ID}); total != 2 || len(got) != 2 {
		t.Fatalf("by type: %v", got)
	}
	if got, total := find(tickets.Query{Status: tickets.Cancelled}); total != 1 || got[0] != "Nguyễn Văn An" {
		t.Fatalf("cancelled: %v", got)
	}
	if got, total := find(tickets.Query{Status: tickets.Active, Text: "van"}); total != 1 || got[0] != "Đặng Văn Đức" {
		t.Fatalf("active and text: %v", got)
	}
	if got, total := find(tickets.Query{Limit: 2, Offset: 2}); total != 4 || len(got) != 2 || got[0] != "Trần Thị Bình" {
		t.Fatalf("page 2: %v", got)
	}
	if n, err := s.CountLiveTickets(ctx, "k1", t0.Add(2*time.Hour)); err != nil || n != 3 {
		t.Fatalf("live tickets of k1 = %d, %v; want 3 (one cancelled)", n, err)
	}
	if n, _ := s.CountLiveTickets(ctx, "k2", t0.Add(2*time.Hour)); n != 0 {
		t.Fatalf("an expired ticket is not live: %d", n)
	}
}

// testTicketSearch pins what a search of an event's tickets finds, at the
// gate and on the registrations page alike: the tickets where each word
// asked starts a word of the name, email or phone, diacritics and case
// ignored, in any order; never a word's middle.
func testTicketSearch(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("search", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "A", 100, false)
	people := []struct{ name, email, phone string }{
		{"Nguyễn Văn An 12345", "an.nguyen@example.vn", "+84912345678"},
		{"Nguyễn Thị Trang", "trang.nt@truong.edu.vn", "+84987654321"},
		{"Trần Văn Đức", "DUC.TRAN@Example.vn", ""},
		{"Lê Hoàng Trâm", "tram@example.vn", "+84901112223"},
	}
	var made []tickets.Ticket
	for i, p := range people {
		tk := newTicket(e.ID, tt.ID, p.email)
		tk.Name, tk.Phone, tk.CreatedAt = p.name, p.phone, t0.Add(time.Duration(i)*time.Minute)
		if err := s.Register(ctx, tk, nil, nil); err != nil {
			t.Fatal(err)
		}
		made = append(made, tk)
	}
	// A namesake at another event is not found.
	other := mustEvent(t, s, newEvent("search2", t0.Add(96*time.Hour), true))
	ot := mustType(t, s, other.ID, "B", 10, false)
	namesake := newTicket(other.ID, ot.ID, "an.nguyen@example.vn")
	namesake.Name = "Nguyễn Văn An 12345"
	if err := s.Register(ctx, namesake, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CancelTicket(ctx, made[3].ID, t0.Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CancelledIDs(ctx, e.ID); err != nil || len(got) != 1 || got[0] != made[3].ID {
		t.Fatalf("CancelledIDs = %v, %v", got, err)
	}
	if got, err := s.CancelledIDs(ctx, other.ID); err != nil || len(got) != 0 {
		t.Fatalf("CancelledIDs of an event with none = %v, %v", got, err)
	}
	find := func(q tickets.Query) string {
		t.Helper()
		q.EventID, q.Limit = e.ID, 10
		ts, total, err := s.ListTickets(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		after, err := s.TicketsAfter(ctx, q, keyset.Cursor{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tk := range ts {
			names = append(names, tk.Name)
		}
		if total != len(ts) || len(after) != len(ts) {
			t.Fatalf("%q: %d listed, total %d, %d read after", q.Text, len(ts), total, len(after))
		}
		return strings.Join(names, ", ")
	}
	for text, want := range map[string]string{
		"nguyen van 12345":     "Nguyễn Văn An 12345",
		"Nguyễn  VĂN":          "Nguyễn Văn An 12345",
		"ng v 123":             "Nguyễn Văn An 12345",
		"12345 an nguy":        "Nguyễn Văn An 12345",
		"tra":                  "Lê Hoàng Trâm, Trần Văn Đức, Nguyễn Thị Trang",
		"tran":                 "Trần Văn Đức, Nguyễn Thị Trang",
		"duc":                  "Trần Văn Đức",
		"an.nguyen@example.vn": "Nguyễn Văn An 12345",
		"truong.edu":           "Nguyễn Thị Trang",
		"example":              "Lê Hoàng Trâm, Trần Văn Đức, Nguyễn Văn An 12345",
		"849876":               "Nguyễn Thị Trang",
		"+8491234":             "Nguyễn Văn An 12345",
		"uyen":                 "",
		"2345":                 "",
		"nguyen tran":          "Nguyễn Thị Trang",
		"nguyen duc":           "",
		"nguyen van an 123456": "",
		"%_(.*":                "",
		"nguyen thi trang zzz": "",
	} {
		if got := find(tickets.Query{Text: text}); got != want {
			t.Errorf("search %q = %q, want %q", text, got, want)
		}
	}
	if got := find(tickets.Query{Text: "tra", Status: tickets.Active}); got != "Trần Văn Đức, Nguyễn Thị Trang" {
		t.Errorf("active only: %q", got)
	}
	if got := find(tickets.Query{Text: "tra", Status: tickets.Cancelled}); got != "Lê Hoàng Trâm" {
		t.Errorf("cancelled only: %q", got)
	}
	if got := find(tickets.Query{Text: "van", TypeID: ot.ID}); got != "" {
		t.Errorf("another event's type: %q", got)
	}

	// Pages of a search, by offset and after a cursor, keep the list's
	// order, newest first then by id, through tickets made at one instant.
	var phams []tickets.Ticket
	for i := range 7 {
		tk := newTicket(e.ID, tt.ID, fmt.Sprintf("pham%d@example.vn", i))
		tk.Name, tk.CreatedAt = fmt.Sprintf("Phạm Văn Tâm %d", i), t0.Add(time.Duration(10+i/3)*time.Minute)
		if err := s.Register(ctx, tk, nil, nil); err != nil {
			t.Fatal(err)
		}
		phams = append(phams, tk)
	}
	slices.SortFunc(phams, func(a, b tickets.Ticket) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	q := tickets.Query{EventID: e.ID, Text: "pham van", Limit: 2}
	var byOffset, byCursor []string
	for q.Offset = 0; q.Offset < 8; q.Offset += 2 {
		page, total, err := s.ListTickets(ctx, q)
		if err != nil || total != 7 {
			t.Fatalf("page at %d: total %d, %v", q.Offset, total, err)
		}
		for _, tk := range page {
			byOffset = append(byOffset, tk.ID)
		}
	}
	var c keyset.Cursor
	for range 5 {
		page, err := s.TicketsAfter(ctx, q, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range page {
			byCursor, c = append(byCursor, tk.ID), tk.Cursor()
		}
	}
	var want []string
	for _, tk := range phams {
		want = append(want, tk.ID)
	}
	if !slices.Equal(byOffset, want) || !slices.Equal(byCursor, want) {
		t.Fatalf("pages of a search:\nby offset %v\nby cursor %v\nwant      %v", byOffset, byCursor, want)
	}
}

// testTicketsAfter reads a whole list a page at a time while people
// register and cancel: every ticket there when the reading began is read
// once, in the list's order, none later registered, none twice.
func testTicketsAfter(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("keyset", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", 1000, false)
	var made []tickets.Ticket
	add := func(n int, at time.Time) {
		for i := range n {
			tk := newTicket(e.ID, tt.ID, fmt.Sprintf("k%d-%d@example.vn", len(made), i))
			// Three share each millisecond: ties are broken by id.
			tk.CreatedAt = at.Add(time.Duration(len(made)/3) * time.Millisecond)
			if err := s.Register(ctx, tk, nil, nil); err != nil {
				t.Fatal(err)
			}
			made = append(made, tk)
		}
	}
	add(40, t0)
	before := slices.Clone(made)
	q := tickets.Query{EventID: e.ID, Status: tickets.Active, Limit: 7}
	all, _, err := s.ListTickets(ctx, tickets.Query{EventID: e.ID, Limit: 100})
	if err != nil || len(all) != 40 {
		t.Fatalf("ListTickets = %d, %v", len(all), err)
	}
	var read []string
	after := keyset.Cursor{}
	for page := 0; ; page++ {
		list, err := s.TicketsAfter(ctx, q, after)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			read = append(read, tk.ID)
		}
		if len(list) < q.Limit {
			break
		}
		after = list[len(list)-1].Cursor()
		// Between two pages: two people register, and the organizer cancels
		// the newest ticket read so far, which leaves the Active list.
		add(2, t0.Add(time.Hour))
		if _, _, err := s.CancelTicket(ctx, read[page], t0.Add(time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(read) != len(before) {
		t.Fatalf("%d tickets read, want the %d there when reading began", len(read), len(before))
	}
	for i, tk := range all {
		if read[i] != tk.ID {
			t.Fatalf("ticket %d read is %s, want %s: the list's order, newest first, ties by id", i, read[i], tk.ID)
		}
	}
	if got, err := s.TicketsAfter(ctx, tickets.Query{EventID: e.ID, Status: tickets.Cancelled, Limit: 100}, keyset.Cursor{}); err != nil || len(got) != 5 {
		t.Fatalf("cancelled tickets: %d, %v; want the 5 cancelled meanwhile", len(got), err)
	}
}

// testConsentKept: a consent is stored with the ticket or the waiting
// place, to the millisecond and with its wording, and read back as given.
func testConsentKept(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("consent", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", 1, true)
	agreed := tickets.Consent{At: t0.Add(1234 * time.Millisecond), Version: "7"}
	tk := newTicket(e.ID, tt.ID, "dong-y@example.vn")
	tk.ShareContact, tk.Consent = true, agreed
	if err := s.Register(ctx, tk, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TicketByID(ctx, tk.ID); err != nil || got.Consent != agreed || !got.SharesContact() {
		t.Fatalf("TicketByID consent = %+v, %v; want %+v", got.Consent, err, agreed)
	}
	w := newWait(e.ID, tt.ID, "cho@example.vn")
	w.ShareContact, w.Consent = true, agreed
	if _, err := s.JoinWaitlist(ctx, w); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.WaitPosition(ctx, w.ID); err != nil || got.Consent != agreed {
		t.Fatalf("WaitPosition consent = %+v, %v", got.Consent, err)
	}
	plain := register(t, s, e.ID, mustType(t, s, e.ID, "Khác", 5, false).ID, "khong@example.vn")
	if got, err := s.TicketByID(ctx, plain.ID); err != nil || got.Consent.Given() || got.SharesContact() {
		t.Fatalf("a ticket without consent reads %+v, %v", got.Consent, err)
	}
}

func ticketMail(t tickets.Ticket) *mail.Message {
	return &mail.Message{ID: t.ID, To: t.Email, Template: "ticket", Lang: "vi", Data: []byte(`{"Name":"` + t.Name + `"}`),
		Status: mail.StatusPending, CreatedAt: t0, NextAttemptAt: t0}
}

// testTicketAndMailOneWrite: a ticket, its seat and its mail are written
// together or not at all.
func testTicketAndMailOneWrite(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("mail-one", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", 2, false)
	tk := newTicket(e.ID, tt.ID, "co-thu@example.vn")
	if err := s.Register(ctx, tk, ticketMail(tk), nil); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MailByID(ctx, tk.ID); err != nil || m.Status != mail.StatusPending || m.To != "co-thu@example.vn" {
		t.Fatalf("the ticket's mail: %+v, %v; want it pending", m, err)
	}
	again := newTicket(e.ID, tt.ID, "co-thu@example.vn")
	wantKind(t, s.Register(ctx, again, ticketMail(again), nil), errs.AlreadyRegistered, "the same person twice")
	if _, err := s.MailByID(ctx, again.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("a refused registration queued its mail: %v", err)
	}
	// A mail that cannot be written takes the ticket and the seat with it.
	clash := newTicket(e.ID, tt.ID, "trung-thu@example.vn")
	if err := s.EnqueueMail(ctx, *ticketMail(clash)); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(ctx, clash, ticketMail(clash), nil); err == nil {
		t.Fatal("a registration whose mail could not be written succeeded")
	}
	if _, err := s.TicketByID(ctx, clash.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("a registration whose mail failed left its ticket: %v", err)
	}
	if sold(t, s, tt.ID) != 1 {
		t.Fatalf("a registration whose mail failed kept its seat: %d sold", sold(t, s, tt.ID))
	}
	full := newTicket(e.ID, tt.ID, "cuoi@example.vn")
	register(t, s, e.ID, tt.ID, "cho-cuoi@example.vn")
	wantKind(t, s.Register(ctx, full, ticketMail(full), nil), errs.SoldOut, "a full type")
	if _, err := s.MailByID(ctx, full.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("a sold-out registration queued its mail: %v", err)
	}
}

// testReleaseHeldMail: held ticket mail a crash left behind is released
// when its ticket exists and dropped when it does not, once old enough.
func testReleaseHeldMail(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("held", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", 5, false)
	kept := register(t, s, e.ID, tt.ID, "giu@example.vn")
	lost := newTicket(e.ID, tt.ID, "mat@example.vn")
	recent := register(t, s, e.ID, tt.ID, "moi@example.vn")
	for _, tk := range []tickets.Ticket{kept, lost, recent} {
		m := ticketMail(tk)
		m.Status = mail.StatusHeld
		if tk.ID == recent.ID {
			m.CreatedAt = t0.Add(time.Hour)
		}
		if err := s.EnqueueMail(ctx, *m); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Recover(ctx, t0.Add(time.Minute), promoteFrom)
	if err != nil || n != 2 {
		t.Fatalf("Recover = %d, %v; want 2 settled", n, err)
	}
	if m, err := s.MailByID(ctx, kept.ID); err != nil || m.Status != mail.StatusPending {
		t.Fatalf("the mail of a ticket that exists: %+v, %v; want pending", m.Status, err)
	}
	if _, err := s.MailByID(ctx, lost.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("the mail of a ticket never written is still there: %v", err)
	}
	if m, err := s.MailByID(ctx, recent.ID); err != nil || m.Status != mail.StatusHeld {
		t.Fatalf("a mail held a moment ago: %+v, %v; want it still held", m.Status, err)
	}
}

// A charge counts a registration against a client's allowance in the same
// step as its ticket: a spent allowance refuses with nothing written, a
// registration refused for another reason costs nothing, and a rush from
// one client gets exactly the allowance through.
func testRegisterCharge(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("charge", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé thường", 100, false)
	vip := mustType(t, s, e.ID, "Vé VIP", 1, false)
	register(t, s, e.ID, vip.ID, "khach-vip@example.vn")
	client := kv.Charge{Key: "limit:register:203.0.113.7:1", Max: 3, Now: t0, Until: t0.Add(time.Minute)}
	charge := func(c kv.Charge) *kv.Charge { return &c }

	for i := range 4 {
		wantKind(t, s.Register(ctx, newTicket(e.ID, vip.ID, fmt.Sprintf("vip%d@example.vn", i)), nil, charge(client)), errs.SoldOut, "a full type")
	}
	wantKind(t, s.Register(ctx, newTicket(e.ID, vip.ID, "khach-vip@example.vn"), nil, charge(client)), errs.AlreadyRegistered, "a holder again")
	for i := range 3 {
		tk := newTicket(e.ID, tt.ID, fmt.Sprintf("c%d@example.vn", i))
		if err := s.Register(ctx, tk, ticketMail(tk), charge(client)); err != nil {
			t.Fatalf("registration %d within the allowance, after refusals that cost nothing: %v", i+1, err)
		}
	}
	over := newTicket(e.ID, tt.ID, "c3@example.vn")
	wantKind(t, s.Register(ctx, over, ticketMail(over), charge(client)), errs.RateLimited, "a spent allowance")
	if _, err := s.TicketByID(ctx, over.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("a refused registration wrote its ticket: %v", err)
	}
	if _, err := s.MailByID(ctx, over.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("a refused registration queued its mail: %v", err)
	}
	if sold(t, s, tt.ID) != 3 {
		t.Fatalf("sold %d, want 3", sold(t, s, tt.ID))
	}
	other := client
	other.Key = "limit:register:198.51.100.9:1"
	if err := s.Register(ctx, over, nil, charge(other)); err != nil {
		t.Fatalf("another client's allowance: %v", err)
	}
	later := client
	later.Now, later.Until = client.Until, client.Until.Add(time.Minute)
	if err := s.Register(ctx, newTicket(e.ID, tt.ID, "c4@example.vn"), nil, charge(later)); err != nil {
		t.Fatalf("an allowance whose window ended starts over: %v", err)
	}

	rush := kv.Charge{Key: "limit:register:192.0.2.1:1", Max: 5, Now: t0, Until: t0.Add(time.Minute)}
	var wg sync.WaitGroup
	var ok, limited atomic.Int32
	for i := range 20 {
		wg.Go(func() {
			switch err := s.Register(ctx, newTicket(e.ID, tt.ID, fmt.Sprintf("r%d@example.vn", i)), nil, charge(rush)); {
			case err == nil:
				ok.Add(1)
			case errs.KindOf(err) == errs.RateLimited:
				limited.Add(1)
			default:
				t.Errorf("rush: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 5 || limited.Load() != 15 || sold(t, s, tt.ID) != 3+1+1+5 {
		t.Fatalf("20 registrations on an allowance of 5: %d through, %d limited, sold %d", ok.Load(), limited.Load(), sold(t, s, tt.ID))
	}
}
