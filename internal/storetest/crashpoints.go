package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/mail"
	"sprout/internal/tickets"
)

// Faults stops a store's writes as a dying process would: CrashAfter lets n
// more writes through and then fails every command, reads too, until
// Revive; Writes counts the writes let through so far.
type Faults interface {
	CrashAfter(n int)
	Revive()
	Writes() int
}

// crashCase is one operation of several writes: setup prepares a fresh
// store, run is the operation, and check states what must hold once a dead
// process's leftovers are recovered, whatever write it died after.
type crashCase struct {
	name  string
	setup func(t *testing.T, s EventsStore) crashState
	run   func(s EventsStore, st crashState) error
}

type crashState struct {
	eventID, typeID string
	// ticket is the ticket the operation registers or cancels.
	ticket tickets.Ticket
	// waiting are the entries in line before the operation.
	waiting []tickets.WaitEntry
}

// RunCrashPoints stops each multi-write operation of a store that writes in
// steps after each of its writes in turn, recovers, and checks that every
// seat is counted once, no ticket is left half registered, no mail is left
// held, and no waiting person is promoted without their ticket. open
// returns a new empty store and its faults.
func RunCrashPoints(t *testing.T, open func(t *testing.T) (EventsStore, Faults)) {
	for _, c := range []crashCase{
		{name: "Register", setup: func(t *testing.T, s EventsStore) crashState {
			st := crashSetup(t, s, 5, 1, 0)
			st.ticket = newTicket(st.eventID, st.typeID, "moi@example.vn")
			return st
		}, run: func(s EventsStore, st crashState) error {
			return s.Register(context.Background(), st.ticket, ticketMail(st.ticket), nil)
		}},
		{name: "RegisterSoldOut", setup: func(t *testing.T, s EventsStore) crashState {
			st := crashSetup(t, s, 2, 2, 0)
			st.ticket = newTicket(st.eventID, st.typeID, "tre@example.vn")
			return st
		}, run: func(s EventsStore, st crashState) error {
			return s.Register(context.Background(), st.ticket, ticketMail(st.ticket), nil)
		}},
		{name: "CancelGivesSeatBack", setup: func(t *testing.T, s EventsStore) crashState {
			return crashSetup(t, s, 3, 1, 0)
		}, run: func(s EventsStore, st crashState) error {
			_, _, err := s.CancelTicket(context.Background(), st.ticket.ID, t0.Add(time.Minute), promoteFrom)
			return err
		}},
		{name: "CancelPromotes", setup: func(t *testing.T, s EventsStore) crashState {
			return crashSetup(t, s, 2, 2, 2)
		}, run: func(s EventsStore, st crashState) error {
			_, _, err := s.CancelTicket(context.Background(), st.ticket.ID, t0.Add(time.Minute), promoteFrom)
			return err
		}},
		{name: "PromoteNow", setup: func(t *testing.T, s EventsStore) crashState {
			return crashSetup(t, s, 2, 2, 2)
		}, run: func(s EventsStore, st crashState) error {
			_, err := s.PromoteNow(context.Background(), st.waiting[1].ID, promoteFrom)
			return err
		}},
		{name: "FillAddedSeats", setup: func(t *testing.T, s EventsStore) crashState {
			st := crashSetup(t, s, 2, 2, 2)
			tt, err := s.TicketType(context.Background(), st.typeID)
			if err != nil {
				t.Fatal(err)
			}
			tt.Capacity = 4
			if err := s.UpdateTicketType(context.Background(), tt); err != nil {
				t.Fatal(err)
			}
			return st
		}, run: func(s EventsStore, st crashState) error {
			for {
				tk, err := s.Fill(context.Background(), st.typeID, promoteFrom)
				if err != nil || tk == nil {
					return err
				}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, f := open(t)
			st := c.setup(t, s)
			before := f.Writes()
			if err := c.run(s, st); err != nil && errs.KindOf(err) != errs.SoldOut {
				t.Fatalf("without a crash: %v", err)
			}
			writes := f.Writes() - before
			crashInvariants(t, s, st, "without a crash")
			if writes < 2 {
				t.Fatalf("%d writes: nothing to crash between", writes)
			}
			for n := range writes {
				t.Run(fmt.Sprintf("after write %d of %d", n, writes), func(t *testing.T) {
					s, f := open(t)
					st := c.setup(t, s)
					f.CrashAfter(n)
					err := c.run(s, st)
					f.Revive()
					if err == nil {
						t.Fatalf("the operation went through a crash after write %d", n)
					}
					if err := recoverAll(s); err != nil {
						t.Fatalf("recover: %v", err)
					}
					crashInvariants(t, s, st, fmt.Sprintf("crashed after write %d, recovered", n))
					// Recovering again changes nothing.
					if err := recoverAll(s); err != nil {
						t.Fatalf("recover again: %v", err)
					}
					crashInvariants(t, s, st, "recovered twice")
				})
			}
		})
	}
}

// recoverAll recovers as the janitor does: what a dead process left, then
// the seats free while people wait go to them.
func recoverAll(s EventsStore) error {
	ctx := context.Background()
	if _, err := s.Recover(ctx, t0.Add(time.Hour), promoteFrom); err != nil {
		return err
	}
	types, err := s.Underfilled(ctx, t0.Add(time.Hour))
	if err != nil {
		return err
	}
	for _, id := range types {
		for {
			tk, err := s.Fill(ctx, id, promoteFrom)
			if err != nil {
				return err
			}
			if tk == nil {
				break
			}
		}
	}
	return nil
}

// crashSetup makes a type of capacity seats with held tickets, the first
// of them the one to cancel, and people waiting (only for a full type).
func crashSetup(t *testing.T, s EventsStore, capacity, held, waiting int) crashState {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent(fmt.Sprintf("crash-%d-%d-%d", capacity, held, waiting), t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Vé", capacity, true)
	st := crashState{eventID: e.ID, typeID: tt.ID}
	for i := range held {
		tk := newTicket(e.ID, tt.ID, fmt.Sprintf("co-ve%d@example.vn", i))
		if err := s.Register(ctx, tk, ticketMail(tk), nil); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			st.ticket = tk
		}
	}
	for i := range waiting {
		w := newWait(e.ID, tt.ID, fmt.Sprintf("cho%d@example.vn", i))
		if _, err := s.JoinWaitlist(ctx, w); err != nil {
			t.Fatal(err)
		}
		st.waiting = append(st.waiting, w)
	}
	return st
}

// crashInvariants checks what recovery must leave, whatever happened.
func crashInvariants(t *testing.T, s EventsStore, st crashState, when string) {
	t.Helper()
	ctx := context.Background()
	tt, err := s.TicketType(ctx, st.typeID)
	if err != nil {
		t.Fatal(err)
	}
	active := activeCount(t, s, st.eventID, st.typeID)
	if tt.Sold != active {
		t.Errorf("%s: the type counts %d seats sold for %d active tickets", when, tt.Sold, active)
	}
	if got, err := s.TicketByID(ctx, st.ticket.ID); err == nil {
		if got.Status != tickets.Active && got.Status != tickets.Cancelled {
			t.Errorf("%s: ticket %s is left %q", when, got.ID, got.Status)
		}
		wantMail(t, s, got, when)
	} else if !errors.Is(err, errs.ErrNotFound) {
		t.Fatal(err)
	} else if _, err := s.MailByID(ctx, st.ticket.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("%s: a ticket that is not there has its mail: %v", when, err)
	}
	for _, w := range st.waiting {
		got, _, err := s.WaitPosition(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch got.Status {
		case tickets.Promoted:
			tk, err := s.TicketByID(ctx, got.TicketID)
			if err != nil || tk.Status != tickets.Active || tk.Email != w.Email {
				t.Errorf("%s: %s is promoted to ticket %q: %+v, %v", when, w.Email, got.TicketID, tk, err)
				continue
			}
			wantMail(t, s, tk, when)
		case tickets.Waiting:
			if tt.Remaining() > 0 {
				t.Errorf("%s: %s waits while %d seats are free", when, w.Email, tt.Remaining())
			}
		default:
			t.Errorf("%s: %s is %q", when, w.Email, got.Status)
		}
	}
}

// wantMail checks that an active ticket's mail is there to be sent, and
// that no mail is held.
func wantMail(t *testing.T, s EventsStore, tk tickets.Ticket, when string) {
	t.Helper()
	m, err := s.MailByID(context.Background(), tk.ID)
	switch {
	case err != nil && !errors.Is(err, errs.ErrNotFound):
		t.Fatal(err)
	case err == nil && m.Status == mail.StatusHeld:
		t.Errorf("%s: the mail of ticket %s is still held", when, tk.ID)
	case tk.Status == tickets.Active && err != nil:
		t.Errorf("%s: active ticket %s has no mail", when, tk.ID)
	}
}
