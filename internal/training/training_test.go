package training

import (
	"context"
	"testing"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/keys"
	"sprout/internal/tickets"
)

type fakeVerifier map[string]error

func (f fakeVerifier) Verify(_ context.Context, token string) (keys.Claims, error) {
	if err, ok := f[token]; ok {
		return keys.Claims{TicketID: "t1"}, err
	}
	return keys.Claims{}, keys.ErrInvalid
}

type fakeTickets map[string]tickets.Ticket

func (f fakeTickets) TicketByID(_ context.Context, id string) (tickets.Ticket, error) {
	if t, ok := f[id]; ok {
		return t, nil
	}
	return tickets.Ticket{}, errs.ErrNotFound
}

type fakeAgenda struct{ events.Store }

func (fakeAgenda) Agenda(_ context.Context, eventID string) ([]events.AgendaItem, error) {
	if eventID != "e1" {
		return nil, nil
	}
	return []events.AgendaItem{{ID: "s1", EventID: "e1"}}, nil
}

type memStore struct{ kept map[string]Attendance }

func (m *memStore) RecordAttendance(_ context.Context, a Attendance) (Attendance, bool, error) {
	k := a.TicketID + "|" + a.SessionID
	if first, ok := m.kept[k]; ok {
		return first, false, nil
	}
	m.kept[k] = a
	return a, true, nil
}

func (m *memStore) UndoAttendance(_ context.Context, _, sessionID, ticketID string) (bool, error) {
	k := ticketID + "|" + sessionID
	_, ok := m.kept[k]
	delete(m.kept, k)
	return ok, nil
}

func (m *memStore) SessionAttendance(context.Context, string, string) ([]Attendance, error) {
	return nil, nil
}
func (m *memStore) EventAttendance(context.Context, string) ([]Attendance, error) { return nil, nil }

// Attend settles each refusal before the store, and a token outside the
// gate's window still names its ticket.
func TestAttendRules(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC))
	tk := fakeTickets{
		"t1": {ID: "t1", EventID: "e1", Status: tickets.Active},
		"t2": {ID: "t2", EventID: "e2", Status: tickets.Active},
		"t3": {ID: "t3", EventID: "e1", Status: tickets.Cancelled},
	}
	s := NewService(&memStore{kept: map[string]Attendance{}}, tk, fakeAgenda{},
		fakeVerifier{"good": nil, "early": keys.ErrNotYetValid}, clk)
	for _, c := range []struct {
		in   Input
		want Result
	}{
		{Input{Token: "early"}, OK}, {Input{Token: "good"}, AlreadyRecorded}, {Input{Token: "forged"}, Invalid},
		{Input{TicketID: "t2"}, WrongEvent}, {Input{TicketID: "t3"}, Revoked}, {Input{TicketID: "none"}, Invalid},
	} {
		a, err := s.Attend(ctx, "e1", "s1", c.in)
		if err != nil || a.Result != c.want {
			t.Errorf("%+v: %v, %v; want %s", c.in, a.Result, err, c.want)
		}
	}
	if _, err := s.Attend(ctx, "e1", "s9", Input{TicketID: "t1"}); errs.KindOf(err) != errs.NotFound {
		t.Errorf("an unknown session: %v", err)
	}
	if _, err := s.Attend(ctx, "e1", "s1", Input{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("nothing to attend with: %v", err)
	}
}

// Undo removes a recorded attendance once; none recorded, or a session not
// the event's, is errs.NotFound.
func TestUndoRules(t *testing.T) {
	ctx := context.Background()
	s := NewService(&memStore{kept: map[string]Attendance{}}, fakeTickets{"t1": {ID: "t1", EventID: "e1", Status: tickets.Active}},
		fakeAgenda{}, fakeVerifier{}, clock.NewManual(time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)))
	if _, err := s.Attend(ctx, "e1", "s1", Input{TicketID: "t1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Undo(ctx, "e2", "s1", "t1"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a session of another event: %v", err)
	}
	if err := s.Undo(ctx, "e1", "s1", "t1"); err != nil {
		t.Errorf("the undo: %v", err)
	}
	if err := s.Undo(ctx, "e1", "s1", "t1"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a second undo: %v", err)
	}
	if a, err := s.Attend(ctx, "e1", "s1", Input{TicketID: "t1"}); err != nil || a.Result != OK {
		t.Errorf("recorded again after the undo: %v, %v", a.Result, err)
	}
}

// An attendance taken offline keeps the time the device took it, unless
// that time is in the future or further back than MaxBackdate.
func TestAttendKeepsTheTimeTakenOffline(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	tk := fakeTickets{}
	for _, id := range []string{"t1", "t2", "t3", "t4"} {
		tk[id] = tickets.Ticket{ID: id, EventID: "e1", Status: tickets.Active}
	}
	s := NewService(&memStore{kept: map[string]Attendance{}}, tk, fakeAgenda{}, fakeVerifier{}, clock.NewManual(now))
	for _, c := range []struct {
		ticket        string
		scanned, want time.Time
	}{
		{"t1", now.Add(-2 * time.Hour), now.Add(-2 * time.Hour)},
		{"t2", time.Time{}, now},
		{"t3", now.Add(time.Hour), now},
		{"t4", now.Add(-MaxBackdate - time.Minute), now},
	} {
		a, err := s.Attend(ctx, "e1", "s1", Input{TicketID: c.ticket, ScannedAt: c.scanned})
		if err != nil || !a.At.Equal(c.want) {
			t.Errorf("%s scanned at %v: recorded at %v, %v; want %v", c.ticket, c.scanned, a.At, err, c.want)
		}
	}
}
