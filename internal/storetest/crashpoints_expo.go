package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/ids"
	"sprout/internal/mail"
	"sprout/internal/tickets"
)

// crashOp is one operation of several writes on a store S: setup prepares
// a fresh store, run is the operation, done checks its whole effect,
// harmless (when not nil) states what holds as soon as the operation dies,
// recover is what the app's janitor runs, check states what must hold once
// it ran, whatever write the operation died after, and again runs the
// operation once more, as someone whose request failed would.
type crashOp[S, T any] struct {
	name     string
	setup    func(t *testing.T, s S) T
	run      func(s S, st T) error
	done     func(t *testing.T, s S, st T)
	harmless func(t *testing.T, s S, st T, when string)
	recover  func(s S, st T) error
	check    func(t *testing.T, s S, st T, when string)
	again    func(t *testing.T, s S, st T)
}

// runCrashOps runs each operation once to count its writes, then, on a
// fresh store each time, stops it after each of its writes in turn,
// recovers twice, checking each time, and runs it again.
func runCrashOps[S, T any](t *testing.T, open func(t *testing.T) (S, Faults), ops []crashOp[S, T]) {
	for _, c := range ops {
		t.Run(c.name, func(t *testing.T) {
			s, f := open(t)
			st := c.setup(t, s)
			before := f.Writes()
			if err := c.run(s, st); err != nil {
				t.Fatalf("without a crash: %v", err)
			}
			writes := f.Writes() - before
			c.check(t, s, st, "without a crash")
			c.done(t, s, st)
			if writes < 2 {
				t.Fatalf("%d writes: nothing to crash between", writes)
			}
			for n := range writes {
				t.Run(fmt.Sprintf("after write %d of %d", n, writes), func(t *testing.T) {
					s, f := open(t)
					st := c.setup(t, s)
					f.CrashAfter(n)
					// A crash in a step that only tidies up, such as
					// releasing a floor lock, may go unreported: the
					// operation is done. The checks hold either way.
					_ = c.run(s, st)
					f.Revive()
					if c.harmless != nil {
						c.harmless(t, s, st, fmt.Sprintf("crashed after write %d", n))
					}
					for _, when := range []string{"recovered", "recovered twice"} {
						if err := c.recover(s, st); err != nil {
							t.Fatalf("recover: %v", err)
						}
						c.check(t, s, st, fmt.Sprintf("crashed after write %d, %s", n, when))
					}
					c.again(t, s, st)
					c.check(t, s, st, fmt.Sprintf("crashed after write %d, done again", n))
				})
			}
		})
	}
}

// ExpoCrashStore is what the exhibition's crash points need: the exhibition,
// and the events, tickets and mail its staff badges are made of.
type ExpoCrashStore interface {
	ExpoStore
	EventsStore
}

// expoState is an event with a staff badge type, an approved exhibitor at
// booth from, booth to free beside it, and the exhibition's service on the
// store; each operation uses what it needs of it.
type expoState struct {
	svc       *expo.Service
	clk       *clock.Manual
	eventID   string
	typeID    string
	x         expo.Exhibitor
	owner     accounts.User
	from, to  expo.Booth
	batch     []expo.Booth
	applicant expo.Exhibitor
	person    expo.StaffInput
	staff     expo.Staff
	organizer accounts.User
}

// RunExpoCrashPoints stops each multi-write operation of the exhibition
// after each of its writes in turn, recovers, and checks that no block of
// booths is half shown, an exhibitor moved is at exactly one of its two
// booths, a staff member is placed once with a live badge or not at all, a
// rejection is whole or not begun, and an owner holds one application.
// open returns a new empty store and its faults.
func RunExpoCrashPoints(t *testing.T, open func(t *testing.T) (ExpoCrashStore, Faults)) {
	runCrashOps(t, open, []crashOp[ExpoCrashStore, expoState]{
		{name: "CreateBooths", setup: func(t *testing.T, s ExpoCrashStore) expoState {
			st := expoSetup(t, s)
			st.batch = []expo.Booth{newBooth(st.eventID, "B1", 10, 0, 3, 3), newBooth(st.eventID, "B2", 13, 0, 3, 3),
				newBooth(st.eventID, "B3", 0, 0, 3, 3)}
			st.batch[2].Hall = "B"
			return st
		}, run: func(s ExpoCrashStore, st expoState) error {
			return s.CreateBooths(context.Background(), st.batch)
		}, done: func(t *testing.T, s ExpoCrashStore, st expoState) {
			if !blockShown(t, s, st, "stored") {
				t.Fatal("a block stored is not shown")
			}
		}, harmless: blockInvariants, recover: recoverExpo, check: blockInvariants, again: func(t *testing.T, s ExpoCrashStore, st expoState) {
			// A hall the batch did not lock: a batch dead before it was
			// shown must hold none of its codes.
			probe := newBooth(st.eventID, "B1", 0, 0, 3, 3)
			probe.Hall = "C"
			err := s.CreateBooth(context.Background(), probe)
			if blockShown(t, s, st, "before a booth in hall C") {
				wantConflict(t, err, "error.booth_code_taken", "a code of the block shown")
			} else if err != nil {
				t.Fatalf("a code of a block never shown: %v", err)
			}
		}},
		{name: "MoveExhibitor", setup: expoSetup, run: func(s ExpoCrashStore, st expoState) error {
			_, _, err := s.MoveExhibitor(context.Background(), st.from.ID, st.to.ID, st.x.ID, t0)
			return err
		}, done: func(t *testing.T, s ExpoCrashStore, st expoState) {
			wantBooth(t, s, st.to.ID, expo.Assigned, st.x.ID)
		}, harmless: func(t *testing.T, s ExpoCrashStore, st expoState, when string) {
			if at := boothsHeld(t, s, st, when); at < 1 {
				t.Errorf("%s: the exhibitor lost its booth", when)
			}
		}, recover: recoverExpo, check: moveInvariants, again: func(t *testing.T, s ExpoCrashStore, st expoState) {
			at, other := st.from, st.to
			if b, _ := s.Booth(context.Background(), st.to.ID); b.ExhibitorID == st.x.ID {
				at, other = st.to, st.from
			}
			if _, _, err := s.MoveExhibitor(context.Background(), at.ID, other.ID, st.x.ID, t0.Add(2*time.Hour)); err != nil {
				t.Fatalf("moving again from %s: %v", at.Code, err)
			}
			wantBooth(t, s, other.ID, expo.Assigned, st.x.ID)
		}},
		{name: "AddStaff", setup: func(t *testing.T, s ExpoCrashStore) expoState {
			st := expoSetup(t, s)
			st.person = expo.StaffInput{Name: "Lê Văn Cường", Email: "cuong@example.vn", Lang: "vi"}
			return st
		}, run: func(s ExpoCrashStore, st expoState) error {
			_, err := st.svc.AddStaff(context.Background(), st.owner, st.x.ID, st.person)
			return err
		}, done: func(t *testing.T, s ExpoCrashStore, st expoState) {
			if n := len(placesOf(t, s, st)); n != 1 {
				t.Fatalf("added: %d places", n)
			}
		}, harmless: func(t *testing.T, s ExpoCrashStore, st expoState, when string) {
			noBadgeWithoutPlace(t, s, st, st.person.Email, when)
		}, recover: recoverExpo, check: staffInvariants, again: func(t *testing.T, s ExpoCrashStore, st expoState) {
			placed := len(placesOf(t, s, st)) == 1
			_, err := st.svc.AddStaff(context.Background(), st.owner, st.x.ID, st.person)
			if placed {
				wantConflict(t, err, "error.staff_taken", "adding a person placed")
			} else if err != nil {
				t.Fatalf("adding a person not placed: %v", err)
			}
			if n := len(placesOf(t, s, st)); n != 1 {
				t.Fatalf("added again: %d places", n)
			}
		}},
		{name: "Reject", setup: func(t *testing.T, s ExpoCrashStore) expoState {
			st := expoSetup(t, s)
			ctx := context.Background()
			if _, err := s.HoldBooth(ctx, st.to.ID, st.x.ID, t0, t0.Add(24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			var err error
			st.staff, err = st.svc.AddStaff(ctx, st.owner, st.x.ID, expo.StaffInput{Name: "Phạm Thị Dung", Email: "dung@example.vn"})
			if err != nil || st.staff.TicketID == "" {
				t.Fatalf("AddStaff: %+v, %v", st.staff, err)
			}
			return st
		}, run: func(s ExpoCrashStore, st expoState) error {
			_, err := st.svc.Decide(context.Background(), st.organizer, st.x.ID, expo.Rejected, "")
			return err
		}, done: wantRejected, harmless: func(t *testing.T, s ExpoCrashStore, st expoState, when string) {
			noBadgeWithoutPlace(t, s, st, st.staff.Email, when)
		}, recover: recoverExpo, check: rejectInvariants, again: func(t *testing.T, s ExpoCrashStore, st expoState) {
			if _, err := st.svc.Decide(context.Background(), st.organizer, st.x.ID, expo.Rejected, ""); err != nil {
				t.Fatalf("rejecting again: %v", err)
			}
			wantRejected(t, s, st)
		}},
		{name: "Apply", setup: func(t *testing.T, s ExpoCrashStore) expoState {
			st := expoSetup(t, s)
			st.applicant = newExhibitor(st.eventID, "Công ty Sao Mai")
			st.applicant.Status = expo.Pending
			return st
		}, run: func(s ExpoCrashStore, st expoState) error {
			return s.CreateExhibitor(context.Background(), st.applicant)
		}, done: func(t *testing.T, s ExpoCrashStore, st expoState) {
			if list := applications(t, s, st); len(list) != 1 || list[0].ID != st.applicant.ID {
				t.Fatalf("applied: %+v", list)
			}
		}, harmless: applyInvariants, recover: recoverExpo, check: applyInvariants, again: func(t *testing.T, s ExpoCrashStore, st expoState) {
			had := len(applications(t, s, st))
			// Past the time a claim left without its application holds
			// the owner back.
			next := st.applicant
			next.ID, next.CreatedAt = ids.New(), t0.Add(2*time.Minute)
			err := s.CreateExhibitor(context.Background(), next)
			if had == 1 {
				wantConflict(t, err, "error.exhibitor_applied", "applying again")
			} else if err != nil {
				t.Fatalf("applying again after a crash: %v", err)
			}
			if n := len(applications(t, s, st)); n != 1 {
				t.Fatalf("applied again: %d applications", n)
			}
		}},
	})
}

// expoSetup makes the event, its badge type, the exhibitor at booth from
// and booth to free beside it.
func expoSetup(t *testing.T, s ExpoCrashStore) expoState {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("expo-crash", t0.Add(48*time.Hour), true))
	tt := events.TicketType{ID: ids.New(), EventID: e.ID, Name: expo.StaffTypeName, Capacity: 100, Invite: true, CreatedAt: t0}
	if err := s.CreateTicketType(ctx, tt); err != nil {
		t.Fatal(err)
	}
	x := mustExhibitor(t, s, newExhibitor(e.ID, "Công ty Rạng Đông"))
	from := mustBooth(t, s, newBooth(e.ID, "A1", 0, 0, 3, 3))
	to := mustBooth(t, s, newBooth(e.ID, "A2", 3, 0, 3, 3))
	if _, err := s.AssignBooth(ctx, from.ID, x.ID, t0); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(t0)
	svc := expo.NewService(s, s, s, nil, clk)
	svc.Connect(expo.Partners{Badges: storeBadges{s}, Types: storeTypes{s}, Mail: storeMail{s}, Users: storeUsers{},
		BaseURL: "https://sprout.example.vn"})
	return expoState{svc: svc, clk: clk, eventID: e.ID, typeID: tt.ID, x: x, owner: accounts.User{ID: x.OwnerID, Name: "Chủ gian hàng"},
		from: from, to: to, organizer: accounts.User{ID: "organizer", Name: "Ban tổ chức"}}
}

// recoverExpo runs what the janitor runs, an hour on: the tickets'
// recovery, then the exhibition's.
func recoverExpo(s ExpoCrashStore, st expoState) error {
	ctx := context.Background()
	if _, err := s.Recover(ctx, t0.Add(time.Hour), promoteFrom); err != nil {
		return err
	}
	st.clk.Set(t0.Add(time.Hour))
	_, err := st.svc.Recover(ctx)
	return err
}

// blockShown tells whether the batch is shown, failing unless it is shown
// whole or not at all.
func blockShown(t *testing.T, s ExpoCrashStore, st expoState, when string) bool {
	t.Helper()
	ctx := context.Background()
	list, err := s.Booths(ctx, st.eventID)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]expo.Booth{}
	for _, b := range list {
		listed[b.ID] = b
	}
	shown := 0
	for _, b := range st.batch {
		got, err := s.Booth(ctx, b.ID)
		_, ok := listed[b.ID]
		switch {
		case err == nil && ok && got.Code == b.Code && got.Hall == b.Hall && got.Status == expo.Available:
			shown++
		case errors.Is(err, errs.ErrNotFound) && !ok:
		default:
			t.Fatalf("%s: booth %s of the block: listed %v, read %+v, %v", when, b.Code, ok, got, err)
		}
	}
	if shown != 0 && shown != len(st.batch) {
		t.Fatalf("%s: %d of the block's %d booths are shown", when, shown, len(st.batch))
	}
	return shown > 0
}

// blockInvariants: the block is shown whole or not at all, and the booths
// already there are as they were.
func blockInvariants(t *testing.T, s ExpoCrashStore, st expoState, when string) {
	t.Helper()
	blockShown(t, s, st, when)
	wantBooth(t, s, st.from.ID, expo.Assigned, st.x.ID)
	wantBooth(t, s, st.to.ID, expo.Available, "")
}

// moveInvariants: the exhibitor is at exactly one of the two booths, and
// each booth's status agrees with its holder.
func moveInvariants(t *testing.T, s ExpoCrashStore, st expoState, when string) {
	t.Helper()
	if at := boothsHeld(t, s, st, when); at != 1 {
		t.Errorf("%s: the exhibitor is at %d of its two booths", when, at)
	}
}

// boothsHeld counts the booths of the two the exhibitor is at, checking
// that each booth's status agrees with its holder.
func boothsHeld(t *testing.T, s ExpoCrashStore, st expoState, when string) int {
	t.Helper()
	at := 0
	for _, id := range []string{st.from.ID, st.to.ID} {
		b, err := s.Booth(context.Background(), id)
		switch {
		case err != nil:
			t.Fatal(err)
		case b.Status == expo.Assigned && b.ExhibitorID == st.x.ID:
			at++
		case b.Status != expo.Available || b.ExhibitorID != "":
			t.Errorf("%s: booth %s is %s for %q", when, b.Code, b.Status, b.ExhibitorID)
		}
	}
	return at
}

// placesOf lists the places of the person being added.
func placesOf(t *testing.T, s ExpoCrashStore, st expoState) []expo.Staff {
	t.Helper()
	crew, err := s.BoothStaff(context.Background(), st.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []expo.Staff
	for _, p := range crew {
		if p.Email == st.person.Email {
			out = append(out, p)
		}
	}
	return out
}

// noBadgeWithoutPlace: each live badge of the person is named by a place
// of the exhibitor, so that removing the place or rejecting the exhibitor
// reaches it.
func noBadgeWithoutPlace(t *testing.T, s ExpoCrashStore, st expoState, email, when string) {
	t.Helper()
	ctx := context.Background()
	held, err := s.TicketsByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	crew, err := s.BoothStaff(ctx, st.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range held {
		if !slices.ContainsFunc(crew, func(p expo.Staff) bool { return p.TicketID == tk.ID }) {
			t.Errorf("%s: live badge %s has no place", when, tk.ID)
		}
	}
}

// staffInvariants: the person is placed once with a live badge of the
// event, its mail to be sent, or not placed and holding no badge; and the
// badge type counts each live badge once.
func staffInvariants(t *testing.T, s ExpoCrashStore, st expoState, when string) {
	t.Helper()
	ctx := context.Background()
	places := placesOf(t, s, st)
	held, err := s.TicketsByEmail(ctx, st.person.Email)
	if err != nil {
		t.Fatal(err)
	}
	switch len(places) {
	case 0:
		if len(held) != 0 {
			t.Errorf("%s: not placed, yet holding badge %s", when, held[0].ID)
		}
	case 1:
		p := places[0]
		if len(held) != 1 || held[0].ID != p.TicketID || held[0].EventID != st.eventID || held[0].TypeID != st.typeID {
			t.Errorf("%s: placed with badge %q, holding %+v", when, p.TicketID, held)
			break
		}
		wantMail(t, s, held[0], when)
	default:
		t.Errorf("%s: placed %d times", when, len(places))
	}
	wantSeatsCounted(t, s, st, when)
}

// rejectInvariants: the rejection is not begun, or it is whole: no booth
// held or had, no staff, their badges cancelled.
func rejectInvariants(t *testing.T, s ExpoCrashStore, st expoState, when string) {
	t.Helper()
	ctx := context.Background()
	x, err := s.Exhibitor(ctx, st.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	crew, err := s.BoothStaff(ctx, st.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	badge, err := s.TicketByID(ctx, st.staff.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	switch x.Status {
	case expo.Approved:
		wantBooth(t, s, st.from.ID, expo.Assigned, st.x.ID)
		wantBooth(t, s, st.to.ID, expo.Held, st.x.ID)
		if len(crew) != 1 || badge.Status != tickets.Active {
			t.Errorf("%s: not rejected, yet %d staff, badge %s", when, len(crew), badge.Status)
		}
	case expo.Rejected:
		wantBooth(t, s, st.from.ID, expo.Available, "")
		wantBooth(t, s, st.to.ID, expo.Available, "")
		if len(crew) != 0 || badge.Status != tickets.Cancelled {
			t.Errorf("%s: rejected, yet %d staff, badge %s", when, len(crew), badge.Status)
		}
	default:
		t.Errorf("%s: the exhibitor is %q", when, x.Status)
	}
	wantSeatsCounted(t, s, st, when)
}

func wantRejected(t *testing.T, s ExpoCrashStore, st expoState) {
	t.Helper()
	if x, err := s.Exhibitor(context.Background(), st.x.ID); err != nil || x.Status != expo.Rejected {
		t.Fatalf("rejected: %q, %v", x.Status, err)
	}
}

// applyInvariants: the owner holds one application at the event or none.
func applyInvariants(t *testing.T, s ExpoCrashStore, st expoState, when string) {
	t.Helper()
	if n := len(applications(t, s, st)); n > 1 {
		t.Errorf("%s: %d applications of one owner", when, n)
	}
}

func applications(t *testing.T, s ExpoCrashStore, st expoState) []expo.Exhibitor {
	t.Helper()
	list, err := s.ExhibitorsOwnedBy(context.Background(), st.applicant.OwnerID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// wantSeatsCounted checks that the badge type counts one seat per live
// badge.
func wantSeatsCounted(t *testing.T, s ExpoCrashStore, st expoState, when string) {
	t.Helper()
	tt, err := s.TicketType(context.Background(), st.typeID)
	if err != nil {
		t.Fatal(err)
	}
	if live := activeCount(t, s, st.eventID, st.typeID); tt.Sold != live {
		t.Errorf("%s: the badge type counts %d seats for %d live badges", when, tt.Sold, live)
	}
}

// storeBadges issues badges as the tickets service does, through the
// store's Register and CancelTicket.
type storeBadges struct{ s ExpoCrashStore }

func (b storeBadges) Invite(ctx context.Context, eventID, id string, in tickets.Input) (tickets.Ticket, error) {
	t := newTicket(eventID, in.TicketTypeID, in.Email)
	t.ID, t.Name, t.Lang = id, in.Name, in.Lang
	return t, b.s.Register(ctx, t, ticketMail(t), nil)
}

func (b storeBadges) Cancel(ctx context.Context, id string) (tickets.Ticket, error) {
	t, _, err := b.s.CancelTicket(ctx, id, t0.Add(time.Minute), promoteFrom)
	return t, err
}

// storeTypes keeps ticket types in the store.
type storeTypes struct{ s ExpoCrashStore }

func (k storeTypes) TicketTypes(ctx context.Context, eventID string) ([]events.TicketType, error) {
	return k.s.TicketTypes(ctx, eventID)
}

func (k storeTypes) AddTicketType(ctx context.Context, eventID string, in events.TypeInput) (events.TicketType, error) {
	tt := events.TicketType{ID: ids.New(), EventID: eventID, Name: in.Name, Capacity: in.Capacity, Invite: in.Invite, CreatedAt: t0}
	return tt, k.s.CreateTicketType(ctx, tt)
}

// storeMail queues mail in the store, as the outbox does.
type storeMail struct{ s ExpoCrashStore }

func (m storeMail) Enqueue(ctx context.Context, to, template, lang string, data any, _ ...mail.Attachment) (mail.Message, error) {
	msg := newMail(to, t0)
	msg.Template, msg.Lang = template, lang
	var err error
	if msg.Data, err = json.Marshal(data); err != nil {
		return mail.Message{}, err
	}
	return msg, m.s.EnqueueMail(ctx, msg)
}

// storeUsers knows every owner.
type storeUsers struct{}

func (storeUsers) UserByID(_ context.Context, id string) (accounts.User, error) {
	return accounts.User{ID: id, Name: "Chủ gian hàng", Lang: "vi"}, nil
}
