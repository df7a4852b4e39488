package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/expo"
	"sprout/internal/ids"
)

// ExpoStore is what an adapter implements for the exhibition.
type ExpoStore interface {
	expo.Store
}

// RunExpo runs the exhibition suite; open returns a new empty store.
func RunExpo(t *testing.T, open func(t *testing.T) ExpoStore) {
	t.Run("Booths", func(t *testing.T) { testBooths(t, open(t)) })
	t.Run("HoldAndAssign", func(t *testing.T) { testHoldAndAssign(t, open(t)) })
	t.Run("AssignRush", func(t *testing.T) { testAssignRush(t, open(t)) })
	t.Run("Exhibitors", func(t *testing.T) { testExhibitors(t, open(t)) })
	t.Run("Leads", func(t *testing.T) { testLeads(t, open(t)) })
}

func newBooth(eventID, code string, x, y, w, h int) expo.Booth {
	return expo.Booth{ID: ids.New(), EventID: eventID, Code: code, Hall: "A", Zone: "Khu Khởi nghiệp",
		X: x, Y: y, W: w, H: h, SizeClass: "3x3", Price: 15_000_000, Status: expo.Available, CreatedAt: t0}
}

func mustBooth(t *testing.T, s ExpoStore, b expo.Booth) expo.Booth {
	t.Helper()
	if err := s.CreateBooth(context.Background(), b); err != nil {
		t.Fatalf("CreateBooth %s: %v", b.Code, err)
	}
	return b
}

func newExhibitor(eventID, company string) expo.Exhibitor {
	return expo.Exhibitor{ID: ids.New(), EventID: eventID, OwnerID: ids.New(), Company: company,
		ContactEmail: "lienhe@example.vn", Description: "Giải pháp chuyển đổi số", Sector: "fintech",
		Status: expo.Approved, CreatedAt: t0}
}

func wantBooth(t *testing.T, s ExpoStore, id string, st expo.BoothStatus, exhibitorID string) {
	t.Helper()
	b, err := s.Booth(context.Background(), id)
	if err != nil || b.Status != st || b.ExhibitorID != exhibitorID {
		t.Fatalf("Booth = %s %q, %v; want %s %q", b.Status, b.ExhibitorID, err, st, exhibitorID)
	}
}

func testBooths(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	a1 := mustBooth(t, s, newBooth("ev1", "A1", 0, 0, 3, 3))
	got, err := s.Booth(ctx, a1.ID)
	if err != nil || got.Code != "A1" || got.Hall != "A" || got.Zone != a1.Zone || got.X != 0 || got.W != 3 || got.H != 3 ||
		got.SizeClass != "3x3" || got.Price != a1.Price || got.Status != expo.Available || got.ExhibitorID != "" ||
		!got.HeldUntil.IsZero() || !got.CreatedAt.Equal(t0) || got.EventID != "ev1" {
		t.Fatalf("Booth = %+v, %v", got, err)
	}
	wantMsg := func(err error, msgID, what string) {
		t.Helper()
		wantKind(t, err, errs.Conflict, what)
		if e, _ := errs.As(err); e.MsgID != msgID {
			t.Fatalf("%s: message %q, want %q", what, e.MsgID, msgID)
		}
	}
	wantMsg(s.CreateBooth(ctx, newBooth("ev1", "A1", 10, 10, 2, 2)), "error.booth_code_taken", "a code taken")
	wantMsg(s.CreateBooth(ctx, newBooth("ev1", "A2", 2, 2, 3, 3)), "error.booth_overlap", "a corner on another booth")
	wantMsg(s.CreateBooth(ctx, newBooth("ev1", "A3", 1, 1, 1, 1)), "error.booth_overlap", "a booth inside another")
	wantMsg(s.CreateBooth(ctx, newBooth("ev1", "A4", -1, -1, 5, 5)), "error.booth_overlap", "a booth around another")
	mustBooth(t, s, newBooth("ev1", "A5", 3, 0, 2, 3))
	otherHall := newBooth("ev1", "B1", 0, 0, 3, 3)
	otherHall.Hall = "B"
	mustBooth(t, s, otherHall)
	mustBooth(t, s, newBooth("ev2", "A1", 0, 0, 3, 3))

	list, err := s.Booths(ctx, "ev1")
	if err != nil || len(list) != 3 || list[0].Code != "A1" || list[1].Code != "A5" || list[2].Code != "B1" {
		t.Fatalf("Booths = %+v, %v", list, err)
	}
	if list, err := s.Booths(ctx, "none"); err != nil || len(list) != 0 {
		t.Fatalf("Booths of an event without any = %v, %v", list, err)
	}
	_, err = s.Booth(ctx, "nope")
	wantKind(t, err, errs.NotFound, "an unknown booth")
}

func testHoldAndAssign(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	b := mustBooth(t, s, newBooth("ev1", "A1", 0, 0, 3, 3))
	x, y := newExhibitor("ev1", "Công ty X"), newExhibitor("ev1", "Công ty Y")
	until := t0.Add(15 * time.Minute)

	held, err := s.HoldBooth(ctx, b.ID, x.ID, t0, until)
	if err != nil || held.Status != expo.Held || held.ExhibitorID != x.ID || !held.HeldUntil.Equal(until) {
		t.Fatalf("HoldBooth = %+v, %v", held, err)
	}
	_, err = s.HoldBooth(ctx, b.ID, y.ID, t0.Add(time.Minute), t0.Add(time.Hour))
	wantKind(t, err, errs.Conflict, "holding a held booth")
	_, err = s.AssignBooth(ctx, b.ID, y.ID, t0.Add(time.Minute))
	wantKind(t, err, errs.Conflict, "assigning a booth another holds")
	wantBooth(t, s, b.ID, expo.Held, x.ID)

	// Once the hold runs out, anyone may take the booth.
	held, err = s.HoldBooth(ctx, b.ID, y.ID, until, until.Add(time.Hour))
	if err != nil || held.ExhibitorID != y.ID {
		t.Fatalf("holding after the hold ran out = %+v, %v", held, err)
	}
	_, err = s.AssignBooth(ctx, b.ID, x.ID, until.Add(time.Minute))
	wantKind(t, err, errs.Conflict, "assigning a booth the new holder keeps")
	got, err := s.AssignBooth(ctx, b.ID, y.ID, until.Add(time.Minute))
	if err != nil || got.Status != expo.Assigned || got.ExhibitorID != y.ID || !got.HeldUntil.IsZero() {
		t.Fatalf("the holder assigning = %+v, %v", got, err)
	}
	if _, err := s.AssignBooth(ctx, b.ID, y.ID, until.Add(time.Minute)); err != nil {
		t.Fatalf("assigning to the same exhibitor again: %v", err)
	}
	_, err = s.AssignBooth(ctx, b.ID, x.ID, until.Add(time.Hour*24))
	wantKind(t, err, errs.Conflict, "assigning an assigned booth")
	_, err = s.HoldBooth(ctx, b.ID, x.ID, until.Add(time.Hour*24), until.Add(time.Hour*25))
	wantKind(t, err, errs.Conflict, "holding an assigned booth")
	wantBooth(t, s, b.ID, expo.Assigned, y.ID)

	rel, err := s.ReleaseBooth(ctx, b.ID)
	if err != nil || rel.Status != expo.Available || rel.ExhibitorID != "" {
		t.Fatalf("ReleaseBooth = %+v, %v", rel, err)
	}
	if got, err := s.AssignBooth(ctx, b.ID, x.ID, t0); err != nil || got.ExhibitorID != x.ID {
		t.Fatalf("assigning a released booth = %+v, %v", got, err)
	}
	other := mustBooth(t, s, newBooth("ev1", "A2", 5, 5, 2, 2))
	if got, err := s.HoldBooth(ctx, other.ID, x.ID, t0, until); err != nil || got.Status != expo.Held {
		t.Fatalf("HoldBooth = %+v, %v", got, err)
	}
	if got, err := s.AssignBooth(ctx, other.ID, y.ID, until); err != nil || got.ExhibitorID != y.ID {
		t.Fatalf("assigning a booth whose hold ran out = %+v, %v", got, err)
	}

	_, err = s.AssignBooth(ctx, "nope", x.ID, t0)
	wantKind(t, err, errs.NotFound, "assigning an unknown booth")
	_, err = s.HoldBooth(ctx, "nope", x.ID, t0, until)
	wantKind(t, err, errs.NotFound, "holding an unknown booth")
	_, err = s.ReleaseBooth(ctx, "nope")
	wantKind(t, err, errs.NotFound, "releasing an unknown booth")
}

// 20 organizers give one booth to 20 exhibitors at once: exactly one wins.
func testAssignRush(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	b := mustBooth(t, s, newBooth("ev1", "A1", 0, 0, 3, 3))
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	winner := ""
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := newExhibitor("ev1", fmt.Sprintf("Công ty %d", i))
			got, err := s.AssignBooth(ctx, b.ID, x.ID, t0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				results["ok"]++
				winner = got.ExhibitorID
			case errs.KindOf(err) == errs.Conflict:
				results["conflict"]++
			default:
				results[err.Error()]++
			}
		}()
	}
	wg.Wait()
	if results["ok"] != 1 || results["conflict"] != n-1 || len(results) != 2 {
		t.Fatalf("%d assigns of one booth: %v", n, results)
	}
	wantBooth(t, s, b.ID, expo.Assigned, winner)
}

func testExhibitors(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := newExhibitor("ev1", "Công ty Cổ phần Mầm Xanh")
	x.Status = expo.Pending
	y := newExhibitor("ev1", "Startup Y")
	y.Status, y.CreatedAt = expo.Pending, t0.Add(time.Minute)
	for _, e := range []expo.Exhibitor{y, x, newExhibitor("ev2", "Z")} {
		if err := s.CreateExhibitor(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Exhibitor(ctx, x.ID)
	if err != nil || got != x {
		t.Fatalf("Exhibitor = %+v, %v; want %+v", got, err, x)
	}
	wantKind(t, s.CreateExhibitor(ctx, x), errs.Conflict, "an id taken")
	got, err = s.SetExhibitorStatus(ctx, x.ID, expo.Approved)
	if err != nil || got.Status != expo.Approved || got.Company != x.Company {
		t.Fatalf("SetExhibitorStatus = %+v, %v", got, err)
	}
	if got, _ := s.Exhibitor(ctx, x.ID); got.Status != expo.Approved {
		t.Fatalf("approval not kept: %+v", got)
	}
	list, err := s.Exhibitors(ctx, "ev1")
	if err != nil || len(list) != 2 || list[0].ID != x.ID || list[1].ID != y.ID {
		t.Fatalf("Exhibitors = %+v, %v", list, err)
	}
	_, err = s.Exhibitor(ctx, "nope")
	wantKind(t, err, errs.NotFound, "an unknown exhibitor")
	_, err = s.SetExhibitorStatus(ctx, "nope", expo.Rejected)
	wantKind(t, err, errs.NotFound, "deciding on an unknown exhibitor")
}

func testLeads(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x, y := newExhibitor("ev1", "X"), newExhibitor("ev1", "Y")
	for _, e := range []expo.Exhibitor{x, y} {
		if err := s.CreateExhibitor(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	lead := func(exhibitorID, ticketID, note string, at time.Time) expo.Lead {
		return expo.Lead{ID: ids.New(), ExhibitorID: exhibitorID, EventID: "ev1", TicketID: ticketID, Name: "Nguyễn Văn An",
			Email: "an@example.vn", Phone: "+84912345678", Note: note, Rating: "hot", ScannedBy: "staff1", CreatedAt: at}
	}
	first := lead(x.ID, "t1", "=HYPERLINK()", t0)
	got, added, err := s.AddLead(ctx, first)
	if err != nil || !added || got != first {
		t.Fatalf("AddLead = %+v, %v, %v", got, added, err)
	}
	got, added, err = s.AddLead(ctx, lead(x.ID, "t1", "again", t0.Add(time.Minute)))
	if err != nil || added || got != first {
		t.Fatalf("the same ticket again = %+v, %v, %v; want the first lead", got, added, err)
	}
	second := lead(x.ID, "t2", "", t0.Add(time.Hour))
	second.Email, second.Phone = "", ""
	if _, added, err := s.AddLead(ctx, second); err != nil || !added {
		t.Fatalf("another ticket: %v, %v", added, err)
	}
	if _, added, err := s.AddLead(ctx, lead(y.ID, "t1", "", t0)); err != nil || !added {
		t.Fatalf("the same ticket at another exhibitor: %v, %v", added, err)
	}
	_, _, err = s.AddLead(ctx, lead("nope", "t9", "", t0))
	wantKind(t, err, errs.NotFound, "a lead for an unknown exhibitor")
	list, err := s.Leads(ctx, x.ID)
	if err != nil || len(list) != 2 || list[0] != second || list[1] != first {
		t.Fatalf("Leads = %+v, %v", list, err)
	}
	if list, err := s.Leads(ctx, "nope"); err != nil || len(list) != 0 {
		t.Fatalf("Leads of an unknown exhibitor = %v, %v", list, err)
	}
}
