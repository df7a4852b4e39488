package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
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
	t.Run("OneApplicationPerOwner", func(t *testing.T) { testOneApplicationPerOwner(t, open(t)) })
	t.Run("Leads", func(t *testing.T) { testLeads(t, open(t)) })
	t.Run("UpdateBooth", func(t *testing.T) { testUpdateBooth(t, open(t)) })
	t.Run("CreateBoothRush", func(t *testing.T) { testCreateBoothRush(t, open(t)) })
	t.Run("UpdateBoothRush", func(t *testing.T) { testUpdateBoothRush(t, open(t)) })
	t.Run("BlockBooth", func(t *testing.T) { testBlockBooth(t, open(t)) })
	t.Run("Changes", func(t *testing.T) { testChanges(t, open(t)) })
	t.Run("ExhibitorProfile", func(t *testing.T) { testExhibitorProfile(t, open(t)) })
	t.Run("ExhibitorReview", func(t *testing.T) { testExhibitorReview(t, open(t)) })
	t.Run("BoothStaff", func(t *testing.T) { testBoothStaff(t, open(t)) })
	t.Run("BoothStaffRush", func(t *testing.T) { testBoothStaffRush(t, open(t)) })
	t.Run("ClaimBoothStaff", func(t *testing.T) { testClaimBoothStaff(t, open(t)) })
	t.Run("ClaimBoothStaffRush", func(t *testing.T) { testClaimBoothStaffRush(t, open(t)) })
	t.Run("LeadNotes", func(t *testing.T) { testLeadNotes(t, open(t)) })
	t.Run("CreateBooths", func(t *testing.T) { testCreateBooths(t, open(t)) })
	t.Run("CreateBoothsRush", func(t *testing.T) { testCreateBoothsRush(t, open(t)) })
	t.Run("MoveExhibitor", func(t *testing.T) { testMoveExhibitor(t, open(t)) })
	t.Run("UnsettledRejections", func(t *testing.T) { testUnsettledRejections(t, open(t)) })
	t.Run("PlaceWithoutBadge", func(t *testing.T) { testPlaceWithoutBadge(t, open(t)) })
}

func testMoveExhibitor(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	y := mustExhibitor(t, s, newExhibitor("ev1", "Y"))
	a := mustBooth(t, s, newBooth("ev1", "A1", 0, 0, 3, 3))
	b := mustBooth(t, s, newBooth("ev1", "A2", 3, 0, 3, 3))
	c := mustBooth(t, s, newBooth("ev1", "A3", 6, 0, 3, 3))
	for _, give := range []struct{ booth, to string }{{a.ID, x.ID}, {c.ID, y.ID}} {
		if _, err := s.AssignBooth(ctx, give.booth, give.to, t0); err != nil {
			t.Fatal(err)
		}
	}

	_, _, err := s.MoveExhibitor(ctx, a.ID, c.ID, x.ID, t0)
	wantConflict(t, err, "error.booth_taken", "moving onto another exhibitor's booth")
	_, _, err = s.MoveExhibitor(ctx, a.ID, a.ID, x.ID, t0)
	wantKind(t, err, errs.Invalid, "moving onto the same booth")
	_, _, err = s.MoveExhibitor(ctx, b.ID, c.ID, x.ID, t0)
	wantKind(t, err, errs.Stale, "moving from a booth the exhibitor is not at")
	_, _, err = s.MoveExhibitor(ctx, a.ID, b.ID, y.ID, t0)
	wantKind(t, err, errs.Stale, "moving another exhibitor")
	_, _, err = s.MoveExhibitor(ctx, a.ID, "nope", x.ID, t0)
	wantKind(t, err, errs.NotFound, "moving onto an unknown booth")
	_, _, err = s.MoveExhibitor(ctx, "nope", b.ID, x.ID, t0)
	wantKind(t, err, errs.NotFound, "moving from an unknown booth")
	wantBooth(t, s, a.ID, expo.Assigned, x.ID)
	wantBooth(t, s, b.ID, expo.Available, "")
	wantBooth(t, s, c.ID, expo.Assigned, y.ID)

	to, freed, err := s.MoveExhibitor(ctx, a.ID, b.ID, x.ID, t0)
	if err != nil || !freed || to.ID != b.ID || to.Status != expo.Assigned || to.ExhibitorID != x.ID {
		t.Fatalf("MoveExhibitor = %+v, %v, %v", to, freed, err)
	}
	wantBooth(t, s, a.ID, expo.Available, "")
	wantBooth(t, s, b.ID, expo.Assigned, x.ID)
	// Back again: nothing of the first move is left in the way.
	if _, freed, err := s.MoveExhibitor(ctx, b.ID, a.ID, x.ID, t0.Add(time.Minute)); err != nil || !freed {
		t.Fatalf("moving back = %v, %v", freed, err)
	}
	wantBooth(t, s, a.ID, expo.Assigned, x.ID)
	wantBooth(t, s, b.ID, expo.Available, "")
	if n, err := s.RecoverExpo(ctx, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("RecoverExpo after finished moves = %d, %v; want 0", n, err)
	}
}

// testUnsettledRejections lists a rejected exhibitor while it still has a
// booth assigned or held, or staff; an approved one, or one whose hold ran
// out, is settled.
func testUnsettledRejections(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	now := t0.Add(time.Hour)
	mk := func(company string, st expo.ExhibitorStatus) expo.Exhibitor {
		x := newExhibitor("ev1", company)
		x.Status = st
		return mustExhibitor(t, s, x)
	}
	assigned := mk("Có gian", expo.Rejected)
	holding := mk("Đang giữ", expo.Rejected)
	lapsed := mk("Hết giữ", expo.Rejected)
	staffed := mk("Có nhân sự", expo.Rejected)
	approved := mk("Được duyệt", expo.Approved)
	mk("Không còn gì", expo.Rejected)
	for i, give := range []struct {
		x     expo.Exhibitor
		until time.Time
	}{{assigned, time.Time{}}, {holding, now.Add(time.Minute)}, {lapsed, now}, {approved, time.Time{}}} {
		b := mustBooth(t, s, newBooth("ev1", fmt.Sprintf("A%d", i), 3*i, 0, 3, 3))
		var err error
		if give.until.IsZero() {
			_, err = s.AssignBooth(ctx, b.ID, give.x.ID, t0)
		} else {
			_, err = s.HoldBooth(ctx, b.ID, give.x.ID, t0, give.until)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	place := newStaff(staffed, "Đoàn Văn Em", "em@example.vn", t0)
	if err := s.AddBoothStaff(ctx, place, 2); err != nil {
		t.Fatal(err)
	}
	list, err := s.UnsettledRejections(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range list {
		got = append(got, x.Company)
	}
	if want := []string{"Có gian", "Đang giữ", "Có nhân sự"}; !slices.Equal(got, want) {
		t.Fatalf("UnsettledRejections = %v, want %v", got, want)
	}
}

// testPlaceWithoutBadge: RecoverExpo deletes a staff place left before
// olderThan whose badge was never issued, and keeps one that names the
// badge it got, or none, and one still being added.
func testPlaceWithoutBadge(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	lost := newStaff(x, "Mất Vé", "mat@example.vn", t0)
	lost.TicketID = ids.New()
	own := newStaff(x, "Có Vé Riêng", "rieng@example.vn", t0)
	own.TicketID = ids.New()
	fresh := newStaff(x, "Đang Thêm", "moi@example.vn", t0.Add(2*time.Hour))
	fresh.TicketID = ids.New()
	for _, st := range []expo.Staff{lost, own, fresh} {
		if err := s.AddBoothStaff(ctx, st, 5); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetBoothStaffTicket(ctx, own.ID, ""); err != nil {
		t.Fatal(err)
	}
	n, err := s.RecoverExpo(ctx, t0.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("RecoverExpo = %d, %v; want 1", n, err)
	}
	crew, err := s.BoothStaff(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, st := range crew {
		left = append(left, st.Email+" "+st.TicketID)
	}
	if want := []string{"rieng@example.vn ", "moi@example.vn " + fresh.TicketID}; !slices.Equal(left, want) {
		t.Fatalf("places after RecoverExpo: %q, want %q", left, want)
	}
	if n, err := s.RecoverExpo(ctx, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("RecoverExpo again = %d, %v; want 0", n, err)
	}
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

// wantConflict fails unless err is errs.Conflict with message msgID.
func wantConflict(t *testing.T, err error, msgID, what string) {
	t.Helper()
	wantKind(t, err, errs.Conflict, what)
	if e, _ := errs.As(err); e.MsgID != msgID {
		t.Fatalf("%s: message %q, want %q", what, e.MsgID, msgID)
	}
}

func mustExhibitor(t *testing.T, s ExpoStore, x expo.Exhibitor) expo.Exhibitor {
	t.Helper()
	if err := s.CreateExhibitor(context.Background(), x); err != nil {
		t.Fatalf("CreateExhibitor %s: %v", x.Company, err)
	}
	return x
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
	wantConflict(t, s.CreateBooth(ctx, newBooth("ev1", "A1", 10, 10, 2, 2)), "error.booth_code_taken", "a code taken")
	wantConflict(t, s.CreateBooth(ctx, newBooth("ev1", "A2", 2, 2, 3, 3)), "error.booth_overlap", "a corner on another booth")
	wantConflict(t, s.CreateBooth(ctx, newBooth("ev1", "A3", 1, 1, 1, 1)), "error.booth_overlap", "a booth inside another")
	wantConflict(t, s.CreateBooth(ctx, newBooth("ev1", "A4", -1, -1, 5, 5)), "error.booth_overlap", "a booth around another")
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

	// A release decided on a stale view changes nothing.
	_, err = s.ReleaseBooth(ctx, b.ID, expo.Assigned, x.ID)
	wantConflict(t, err, "error.booth_taken", "releasing another exhibitor's booth")
	_, err = s.ReleaseBooth(ctx, b.ID, expo.Held, "")
	wantConflict(t, err, "error.booth_taken", "releasing a hold that is now an assignment")
	wantBooth(t, s, b.ID, expo.Assigned, y.ID)
	rel, err := s.ReleaseBooth(ctx, b.ID, expo.Assigned, y.ID)
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
	_, err = s.ReleaseBooth(ctx, "nope", "", "")
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
	if err != nil || !reflect.DeepEqual(got, x) {
		t.Fatalf("Exhibitor = %+v, %v; want %+v", got, err, x)
	}
	wantKind(t, s.CreateExhibitor(ctx, x), errs.Conflict, "an id taken")
	got, err = s.ReviewExhibitor(ctx, x.ID, expo.Review{To: expo.Approved, Step: expo.Step{Action: expo.StepApproved, At: t0}})
	if err != nil || got.Status != expo.Approved || got.Company != x.Company {
		t.Fatalf("ReviewExhibitor = %+v, %v", got, err)
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
	_, err = s.ReviewExhibitor(ctx, "nope", expo.Review{To: expo.Rejected, Step: expo.Step{Action: expo.StepRejected, At: t0}})
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

func testUpdateBooth(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	a1 := mustBooth(t, s, newBooth("ev1", "A1", 0, 0, 3, 3))
	a2 := mustBooth(t, s, newBooth("ev1", "A2", 3, 0, 3, 3))
	mustBooth(t, s, newBooth("ev2", "A9", 10, 10, 3, 3))
	x := newExhibitor("ev1", "X")
	if _, err := s.AssignBooth(ctx, a1.ID, x.ID, t0); err != nil {
		t.Fatal(err)
	}

	// Its own code and floor are no conflict; the status stays.
	want := a1
	want.Code, want.Zone, want.X, want.Y, want.W, want.H, want.SizeClass, want.Price = "A1-VIP", "Khu VIP", 0, 0, 3, 4, "3x4", 20_000_000
	want.Status, want.ExhibitorID = expo.Available, "" // what UpdateBooth must ignore
	got, err := s.UpdateBooth(ctx, want)
	if err != nil || got.Code != "A1-VIP" || got.Zone != "Khu VIP" || got.H != 4 || got.SizeClass != "3x4" ||
		got.Price != 20_000_000 || got.Status != expo.Assigned || got.ExhibitorID != x.ID || got.EventID != "ev1" ||
		!got.CreatedAt.Equal(t0) {
		t.Fatalf("UpdateBooth = %+v, %v", got, err)
	}
	if stored, _ := s.Booth(ctx, a1.ID); !reflect.DeepEqual(stored, got) {
		t.Fatalf("Booth after update = %+v; want %+v", stored, got)
	}

	moved := want
	moved.Code = "A2"
	_, err = s.UpdateBooth(ctx, moved)
	wantConflict(t, err, "error.booth_code_taken", "taking another booth's code")
	moved = want
	moved.W = 4
	_, err = s.UpdateBooth(ctx, moved)
	wantConflict(t, err, "error.booth_overlap", "growing onto the next booth")
	if b, _ := s.Booth(ctx, a1.ID); b.Code != "A1-VIP" || b.W != 3 {
		t.Fatalf("a refused update changed the booth: %+v", b)
	}

	// Another event's code and another hall's floor are free.
	moved = want
	moved.Code = "A9"
	if got, err := s.UpdateBooth(ctx, moved); err != nil || got.Code != "A9" {
		t.Fatalf("a code of another event = %+v, %v", got, err)
	}
	a2.Hall = "B"
	a2.X = 0
	if got, err := s.UpdateBooth(ctx, a2); err != nil || got.Hall != "B" || got.X != 0 {
		t.Fatalf("moving to the same place of another hall = %+v, %v", got, err)
	}
	_, err = s.UpdateBooth(ctx, newBooth("ev1", "Z1", 50, 50, 1, 1))
	wantKind(t, err, errs.NotFound, "updating an unknown booth")
}

// tally counts outcomes: "ok", a conflict's message id, or the error.
func tally(results map[string]int, err error) {
	if err == nil {
		results["ok"]++
	} else if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
		results[e.MsgID]++
	} else {
		results[err.Error()]++
	}
}

// 20 organizers draw 20 booths over one spot of one hall at once: exactly
// one is drawn. Booths drawn at the same moment in another hall or event
// are not held up.
func testCreateBoothRush(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	const n, elsewhere = 20, 5
	var wg sync.WaitGroup
	var mu sync.Mutex
	results, others := map[string]int{}, map[string]int{}
	won := map[string]bool{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every rectangle covers (10, 10).
			b := newBooth("ev1", fmt.Sprintf("R%d", i), 8+i%3, 8+i/3%3, 3, 3)
			err := s.CreateBooth(ctx, b)
			mu.Lock()
			defer mu.Unlock()
			tally(results, err)
			if err == nil {
				won[b.ID] = true
			}
		}()
	}
	for i := range 2 * elsewhere {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBooth("ev2", fmt.Sprintf("E%d", i), 10+3*i, 10, 3, 3)
			if i%2 == 1 {
				b.EventID, b.Hall, b.Code = "ev1", "B", fmt.Sprintf("B%d", i)
			}
			err := s.CreateBooth(ctx, b)
			mu.Lock()
			defer mu.Unlock()
			tally(others, err)
		}()
	}
	wg.Wait()
	if results["ok"] != 1 || results["error.booth_overlap"] != n-1 || len(results) != 2 {
		t.Fatalf("%d booths drawn over one spot at once: %v", n, results)
	}
	if others["ok"] != 2*elsewhere || len(others) != 1 {
		t.Fatalf("%d booths in another hall or event: %v", 2*elsewhere, others)
	}
	list, err := s.Booths(ctx, "ev1")
	if err != nil {
		t.Fatal(err)
	}
	var inA []expo.Booth
	for _, b := range list {
		if b.Hall == "A" {
			inA = append(inA, b)
		}
	}
	if len(inA) != 1 || !won[inA[0].ID] || len(list) != 1+elsewhere {
		t.Fatalf("Booths after the rush = %+v; want the one that was drawn and %d in hall B", list, elsewhere)
	}
}

// 10 organizers move 10 booths, half of them from another hall, onto one
// free spot at once: exactly one moves; the others keep their places.
func testUpdateBoothRush(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	const n = 10
	before := make([]expo.Booth, n)
	for i := range before {
		b := newBooth("ev1", fmt.Sprintf("M%d", i), 4*i, 0, 3, 3)
		if i%2 == 1 {
			b.Hall = "B"
		}
		before[i] = mustBooth(t, s, b)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	winner := -1
	for i, b := range before {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every rectangle covers (1, 21) of hall A.
			b.Hall, b.X, b.Y, b.W = "A", i%2, 20+i%2, 2+i%3
			_, err := s.UpdateBooth(ctx, b)
			mu.Lock()
			defer mu.Unlock()
			tally(results, err)
			if err == nil {
				winner = i
			}
		}()
	}
	wg.Wait()
	if results["ok"] != 1 || results["error.booth_overlap"] != n-1 || len(results) != 2 {
		t.Fatalf("%d booths moved onto one spot at once: %v", n, results)
	}
	for i, b := range before {
		got, err := s.Booth(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		moved := got.Hall == "A" && got.Y >= 20
		if moved != (i == winner) || (!moved && !reflect.DeepEqual(got, b)) {
			t.Fatalf("booth %s after the rush = %+v; before it %+v, the move that succeeded M%d", b.Code, got, b, winner)
		}
	}
}

func testBlockBooth(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	free := mustBooth(t, s, newBooth("ev1", "A1", 0, 0, 3, 3))
	held := mustBooth(t, s, newBooth("ev1", "A2", 3, 0, 3, 3))
	taken := mustBooth(t, s, newBooth("ev1", "A3", 6, 0, 3, 3))
	x := newExhibitor("ev1", "X")
	until := t0.Add(15 * time.Minute)

	got, err := s.BlockBooth(ctx, free.ID, t0)
	if err != nil || got.Status != expo.Blocked || got.ExhibitorID != "" {
		t.Fatalf("blocking an available booth = %+v, %v", got, err)
	}
	wantBooth(t, s, free.ID, expo.Blocked, "")
	_, err = s.HoldBooth(ctx, free.ID, x.ID, t0, until)
	wantKind(t, err, errs.Conflict, "holding a blocked booth")
	_, err = s.AssignBooth(ctx, free.ID, x.ID, t0)
	wantKind(t, err, errs.Conflict, "assigning a blocked booth")

	if _, err := s.HoldBooth(ctx, held.ID, x.ID, t0, until); err != nil {
		t.Fatal(err)
	}
	_, err = s.BlockBooth(ctx, held.ID, until.Add(-time.Second))
	wantConflict(t, err, "error.booth_taken", "blocking a booth still held")
	wantBooth(t, s, held.ID, expo.Held, x.ID)
	got, err = s.BlockBooth(ctx, held.ID, until)
	if err != nil || got.Status != expo.Blocked || got.ExhibitorID != "" || !got.HeldUntil.IsZero() {
		t.Fatalf("blocking a booth whose hold ran out = %+v, %v", got, err)
	}

	if _, err := s.AssignBooth(ctx, taken.ID, x.ID, t0); err != nil {
		t.Fatal(err)
	}
	_, err = s.BlockBooth(ctx, taken.ID, t0.Add(24*time.Hour))
	wantConflict(t, err, "error.booth_taken", "blocking an assigned booth")
	wantBooth(t, s, taken.ID, expo.Assigned, x.ID)

	// Releasing puts a blocked booth back on the market.
	_, err = s.ReleaseBooth(ctx, taken.ID, expo.Blocked, "")
	wantConflict(t, err, "error.booth_taken", "unblocking an assigned booth")
	wantBooth(t, s, taken.ID, expo.Assigned, x.ID)
	if got, err := s.ReleaseBooth(ctx, free.ID, expo.Blocked, ""); err != nil || got.Status != expo.Available {
		t.Fatalf("releasing a blocked booth = %+v, %v", got, err)
	}
	_, err = s.BlockBooth(ctx, "nope", t0)
	wantKind(t, err, errs.NotFound, "blocking an unknown booth")
}

func testChanges(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	change := func(eventID, action string, at time.Time) expo.Change {
		return expo.Change{ID: ids.New(), EventID: eventID, BoothID: "b1", BoothCode: "A1", Action: action,
			ExhibitorID: "x1", Company: "Công ty Mầm Xanh", ByID: "u1", ByName: "Trần Thị Bình", At: at}
	}
	created := change("ev1", expo.ActionCreated, t0)
	created.ExhibitorID, created.Company = "", ""
	held := change("ev1", expo.ActionHeld, t0.Add(time.Minute))
	assigned := change("ev1", expo.ActionAssigned, t0.Add(2*time.Minute))
	// Stored out of order: the list follows the time, not the insert.
	for _, c := range []expo.Change{held, assigned, created, change("ev2", expo.ActionBlocked, t0.Add(time.Hour))} {
		if err := s.AddChange(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Changes(ctx, "ev1", 10)
	if err != nil || len(list) != 3 || !reflect.DeepEqual(list, []expo.Change{assigned, held, created}) {
		t.Fatalf("Changes = %+v, %v", list, err)
	}
	list, err = s.Changes(ctx, "ev1", 2)
	if err != nil || len(list) != 2 || list[0].ID != assigned.ID || list[1].ID != held.ID {
		t.Fatalf("Changes limited to 2 = %+v, %v", list, err)
	}
	if list, err := s.Changes(ctx, "ev2", 10); err != nil || len(list) != 1 || list[0].Action != expo.ActionBlocked {
		t.Fatalf("Changes of another event = %+v, %v", list, err)
	}
	if list, err := s.Changes(ctx, "none", 10); err != nil || len(list) != 0 {
		t.Fatalf("Changes of an event without any = %+v, %v", list, err)
	}
}

func testExhibitorProfile(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := newExhibitor("ev1", "Công ty Cổ phần Mầm Xanh")
	x.ContactName, x.Phone, x.Website = "Lê Văn Cường", "0912 345 678", "https://mamxanh.vn"
	x.Products = "Cảm biến đất\nỨng dụng tưới tiêu"
	x.Links = []string{"https://facebook.com/mamxanh", "https://youtube.com/@mamxanh"}
	x.LogoID, x.PreferredZone, x.PreferredSize, x.CohortID, x.Priority = "logo1", "Khu Nông nghiệp", "3x3", "cohort1", true
	x.UpdatedAt = t0.Add(time.Second)
	mustExhibitor(t, s, x)
	got, err := s.Exhibitor(ctx, x.ID)
	if err != nil || !reflect.DeepEqual(got, x) {
		t.Fatalf("Exhibitor = %+v, %v; want %+v", got, err, x)
	}
	list, err := s.Exhibitors(ctx, "ev1")
	if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], x) {
		t.Fatalf("Exhibitors = %+v, %v", list, err)
	}

	// Every field but the fixed ones is replaced, links emptied included.
	up := x
	up.EventID, up.OwnerID, up.Status, up.CreatedAt = "ev9", "someone", expo.Rejected, t0.Add(time.Hour)
	up.Company, up.ContactEmail, up.Description, up.Sector = "Mầm Xanh JSC", "hello@mamxanh.vn", "Nông nghiệp số", "agritech"
	up.ContactName, up.Phone, up.Website, up.Products = "Phạm Dung", "+84987654321", "https://mamxanh.com", "Cảm biến"
	up.Links, up.LogoID, up.PreferredZone, up.PreferredSize, up.CohortID, up.Priority = nil, "logo2", "Khu B", "6x3", "", false
	up.UpdatedAt = t0.Add(2 * time.Hour)
	if err := s.UpdateExhibitor(ctx, up, nil); err != nil {
		t.Fatal(err)
	}
	want := up
	want.EventID, want.OwnerID, want.Status, want.CreatedAt = x.EventID, x.OwnerID, x.Status, x.CreatedAt
	if got, err := s.Exhibitor(ctx, x.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after UpdateExhibitor = %+v, %v; want %+v", got, err, want)
	}
	up.Links, up.Priority, up.CohortID = []string{"https://linkedin.com/company/mamxanh"}, true, "cohort2"
	if err := s.UpdateExhibitor(ctx, up, nil); err != nil {
		t.Fatal(err)
	}
	want.Links, want.Priority, want.CohortID = up.Links, up.Priority, up.CohortID
	if got, err := s.Exhibitor(ctx, x.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after a second UpdateExhibitor = %+v, %v; want %+v", got, err, want)
	}
	wantKind(t, s.UpdateExhibitor(ctx, newExhibitor("ev1", "nope"), nil), errs.NotFound, "updating an unknown exhibitor")

	// One owner's applications across events, newest first.
	older := newExhibitor("ev2", "Mầm Xanh ở Techfest")
	older.OwnerID, older.CreatedAt = x.OwnerID, t0.Add(-24*time.Hour)
	newer := newExhibitor("ev3", "Mầm Xanh ở Demo Day")
	newer.OwnerID, newer.CreatedAt = x.OwnerID, t0.Add(24*time.Hour)
	mustExhibitor(t, s, newer)
	mustExhibitor(t, s, older)
	mustExhibitor(t, s, newExhibitor("ev1", "Người khác"))
	owned, err := s.ExhibitorsOwnedBy(ctx, x.OwnerID)
	if err != nil || len(owned) != 3 || owned[0].ID != newer.ID || owned[1].ID != x.ID || owned[2].ID != older.ID {
		t.Fatalf("ExhibitorsOwnedBy = %+v, %v", owned, err)
	}
	if owned, err := s.ExhibitorsOwnedBy(ctx, "nobody"); err != nil || len(owned) != 0 {
		t.Fatalf("ExhibitorsOwnedBy of a user without any = %+v, %v", owned, err)
	}
}

func newStaff(x expo.Exhibitor, name, email string, at time.Time) expo.Staff {
	return expo.Staff{ID: ids.New(), ExhibitorID: x.ID, EventID: x.EventID, Name: name, Email: email,
		Phone: "0901234567", Secret: ids.Secret(), CreatedAt: at}
}

func testBoothStaff(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	y := mustExhibitor(t, s, newExhibitor("ev2", "Y"))
	an := newStaff(x, "Nguyễn Văn An", "an@example.vn", t0)
	binh := newStaff(x, "Trần Thị Bình", "binh@example.vn", t0.Add(time.Minute))
	for _, st := range []expo.Staff{binh, an} {
		if err := s.AddBoothStaff(ctx, st, 2); err != nil {
			t.Fatalf("AddBoothStaff %s: %v", st.Email, err)
		}
	}
	list, err := s.BoothStaff(ctx, x.ID)
	if err != nil || !reflect.DeepEqual(list, []expo.Staff{an, binh}) {
		t.Fatalf("BoothStaff = %+v, %v", list, err)
	}
	wantConflict(t, s.AddBoothStaff(ctx, newStaff(x, "An", " AN@Example.vn", t0), 5), "error.staff_taken",
		"an email already on the staff, typed otherwise")
	wantConflict(t, s.AddBoothStaff(ctx, newStaff(x, "Cường", "cuong@example.vn", t0), 2), "error.staff_allowance",
		"one more than the allowance")
	wantKind(t, s.AddBoothStaff(ctx, newStaff(expo.Exhibitor{ID: "nope", EventID: "ev1"}, "D", "d@example.vn", t0), 2),
		errs.NotFound, "staff of an unknown exhibitor")

	// The same person may work another exhibitor's booth.
	anY := newStaff(y, "Nguyễn Văn An", "an@example.vn", t0.Add(time.Hour))
	if err := s.AddBoothStaff(ctx, anY, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBoothStaffTicket(ctx, an.ID, "ticket1"); err != nil {
		t.Fatal(err)
	}
	an.TicketID = "ticket1"
	if list, _ := s.BoothStaff(ctx, x.ID); len(list) != 2 || list[0] != an {
		t.Fatalf("after SetBoothStaffTicket = %+v", list)
	}
	wantKind(t, s.SetBoothStaffTicket(ctx, "nope", "ticket1"), errs.NotFound, "a ticket for unknown staff")

	gone, err := s.RemoveBoothStaff(ctx, an.ID)
	if err != nil || gone != an {
		t.Fatalf("RemoveBoothStaff = %+v, %v; want %+v", gone, err, an)
	}
	_, err = s.RemoveBoothStaff(ctx, an.ID)
	wantKind(t, err, errs.NotFound, "removing staff twice")
	// The place and the email are free again.
	cuong := newStaff(x, "Lê Văn Cường", "cuong@example.vn", t0.Add(2*time.Minute))
	if err := s.AddBoothStaff(ctx, cuong, 2); err != nil {
		t.Fatalf("adding into a freed place: %v", err)
	}
	wantConflict(t, s.AddBoothStaff(ctx, newStaff(x, "An", "an@example.vn", t0), 2), "error.staff_allowance",
		"the allowance full again")
	if err := s.AddBoothStaff(ctx, newStaff(x, "An", "an@example.vn", t0.Add(3*time.Minute)), 3); err != nil {
		t.Fatalf("the removed email again, with room: %v", err)
	}
	// An allowance lowered below the staff already there takes no more.
	wantConflict(t, s.AddBoothStaff(ctx, newStaff(x, "Dung", "dung@example.vn", t0), 1), "error.staff_allowance",
		"an allowance lowered")
	if list, _ := s.BoothStaff(ctx, x.ID); len(list) != 3 || list[0].ID != binh.ID || list[1].ID != cuong.ID {
		t.Fatalf("BoothStaff at the end = %+v", list)
	}
}

func testClaimBoothStaff(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	y := mustExhibitor(t, s, newExhibitor("ev2", "Y"))
	an := newStaff(x, "Nguyễn Văn An", "an@example.vn", t0)
	anY := newStaff(y, "Nguyễn Văn An", "an@example.vn", t0.Add(time.Hour))
	binh := newStaff(x, "Trần Thị Bình", "binh@example.vn", t0.Add(time.Minute))
	// Places made before invitations have no secret; several may coexist.
	old1, old2 := newStaff(x, "Cũ Một", "cu1@example.vn", t0), newStaff(x, "Cũ Hai", "cu2@example.vn", t0)
	old1.Secret, old2.Secret = "", ""
	for _, st := range []expo.Staff{an, anY, binh, old1, old2} {
		if err := s.AddBoothStaff(ctx, st, 5); err != nil {
			t.Fatalf("AddBoothStaff %s: %v", st.Name, err)
		}
	}
	if got, err := s.BoothStaffBySecret(ctx, an.Secret); err != nil || got != an {
		t.Fatalf("BoothStaffBySecret = %+v, %v; want %+v", got, err, an)
	}
	for _, secret := range []string{"", "unknown", "|" + old1.ID, old1.ID} {
		_, err := s.BoothStaffBySecret(ctx, secret)
		wantKind(t, err, errs.NotFound, fmt.Sprintf("BoothStaffBySecret(%q)", secret))
		_, err = s.ClaimBoothStaff(ctx, secret, "u1")
		wantKind(t, err, errs.NotFound, fmt.Sprintf("ClaimBoothStaff(%q)", secret))
	}
	if mine, err := s.BoothStaffByUser(ctx, "u1"); err != nil || len(mine) != 0 {
		t.Fatalf("BoothStaffByUser before any claim = %+v, %v", mine, err)
	}

	got, err := s.ClaimBoothStaff(ctx, an.Secret, "u1")
	an.UserID = "u1"
	if err != nil || got != an {
		t.Fatalf("ClaimBoothStaff = %+v, %v; want %+v", got, err, an)
	}
	if got, err := s.ClaimBoothStaff(ctx, an.Secret, "u1"); err != nil || got != an {
		t.Fatalf("ClaimBoothStaff by the same user again = %+v, %v", got, err)
	}
	_, err = s.ClaimBoothStaff(ctx, an.Secret, "u2")
	wantConflict(t, err, "error.staff_claimed", "a place another user claimed")
	if got, _ := s.BoothStaffBySecret(ctx, an.Secret); got.UserID != "u1" {
		t.Fatalf("after a refused claim the place is %+v", got)
	}
	if _, err := s.ClaimBoothStaff(ctx, anY.Secret, "u1"); err != nil {
		t.Fatal(err)
	}
	anY.UserID = "u1"
	mine, err := s.BoothStaffByUser(ctx, "u1")
	if err != nil || !reflect.DeepEqual(mine, []expo.Staff{anY, an}) {
		t.Fatalf("BoothStaffByUser = %+v, %v; want newest first", mine, err)
	}
	for _, who := range []string{"u2", ""} {
		if mine, err := s.BoothStaffByUser(ctx, who); err != nil || len(mine) != 0 {
			t.Fatalf("BoothStaffByUser(%q) = %+v, %v", who, mine, err)
		}
	}
	// Secrets and claims round trip; places made at once go by id.
	if list, err := s.BoothStaff(ctx, x.ID); err != nil || !reflect.DeepEqual(list, []expo.Staff{an, old1, old2, binh}) {
		t.Fatalf("BoothStaff = %+v, %v", list, err)
	}
	if gone, err := s.RemoveBoothStaff(ctx, an.ID); err != nil || gone != an {
		t.Fatalf("RemoveBoothStaff = %+v, %v; want %+v", gone, err, an)
	}
	_, err = s.ClaimBoothStaff(ctx, an.Secret, "u1")
	wantKind(t, err, errs.NotFound, "claiming a removed place")
	if mine, err := s.BoothStaffByUser(ctx, "u1"); err != nil || len(mine) != 1 || mine[0].ID != anY.ID {
		t.Fatalf("BoothStaffByUser after a removal = %+v, %v", mine, err)
	}
}

// 10 users claim one invitation at once: exactly one gets the place.
func testClaimBoothStaffRush(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	st := newStaff(x, "Nguyễn Văn An", "an@example.vn", t0)
	if err := s.AddBoothStaff(ctx, st, 1); err != nil {
		t.Fatal(err)
	}
	const n = 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	winners := map[string]bool{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("u%d", i)
			got, err := s.ClaimBoothStaff(ctx, st.Secret, user)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				results["ok"]++
				if got.UserID != user {
					t.Errorf("claim by %s returned %+v", user, got)
				}
				winners[user] = true
			} else if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
				results[e.MsgID]++
			} else {
				results[err.Error()]++
			}
		}()
	}
	wg.Wait()
	if results["ok"] != 1 || results["error.staff_claimed"] != n-1 || len(results) != 2 {
		t.Fatalf("%d claims of one invitation: %v", n, results)
	}
	got, err := s.BoothStaffBySecret(ctx, st.Secret)
	if err != nil || !winners[got.UserID] {
		t.Fatalf("the place went to %q, not the one claim that succeeded %v", got.UserID, winners)
	}
}

// 20 staff added at once against an allowance of 3: exactly 3 get in.
func testBoothStaffRush(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	const n, allowance = 20, 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.AddBoothStaff(ctx, newStaff(x, fmt.Sprintf("Nhân viên %d", i), fmt.Sprintf("nv%d@example.vn", i), t0), allowance)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				results["ok"]++
			} else if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
				results[e.MsgID]++
			} else {
				results[err.Error()]++
			}
		}()
	}
	wg.Wait()
	if results["ok"] != allowance || results["error.staff_allowance"] != n-allowance || len(results) != 2 {
		t.Fatalf("%d adds for %d places: %v", n, allowance, results)
	}
	if list, err := s.BoothStaff(ctx, x.ID); err != nil || len(list) != allowance {
		t.Fatalf("BoothStaff = %d, %v; want %d", len(list), err, allowance)
	}
}

func testLeadNotes(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := mustExhibitor(t, s, newExhibitor("ev1", "X"))
	y := mustExhibitor(t, s, newExhibitor("ev1", "Y"))
	z := mustExhibitor(t, s, newExhibitor("ev2", "Z"))
	lead := func(ex expo.Exhibitor, ticketID string) expo.Lead {
		l := expo.Lead{ID: ids.New(), ExhibitorID: ex.ID, EventID: ex.EventID, TicketID: ticketID, Name: "Hoàng Văn Em",
			ScannedBy: "staff1", CreatedAt: t0}
		if _, _, err := s.AddLead(ctx, l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	l := lead(x, "t1")
	lead(x, "t2")
	lead(y, "t1")
	lead(z, "t1")

	got, err := s.UpdateLead(ctx, x.ID, l.ID, "Quan tâm cảm biến", "hot")
	want := l
	want.Note, want.Rating = "Quan tâm cảm biến", "hot"
	if err != nil || got != want {
		t.Fatalf("UpdateLead = %+v, %v; want %+v", got, err, want)
	}
	_, err = s.UpdateLead(ctx, y.ID, l.ID, "của người khác", "cold")
	wantKind(t, err, errs.NotFound, "rating another exhibitor's lead")
	_, err = s.UpdateLead(ctx, x.ID, "nope", "", "")
	wantKind(t, err, errs.NotFound, "rating an unknown lead")
	if list, _ := s.Leads(ctx, x.ID); len(list) != 2 || (list[0] != want && list[1] != want) {
		t.Fatalf("Leads after UpdateLead = %+v", list)
	}

	counts, err := s.LeadCounts(ctx, "ev1")
	if err != nil || !reflect.DeepEqual(counts, map[string]int{x.ID: 2, y.ID: 1}) {
		t.Fatalf("LeadCounts = %v, %v", counts, err)
	}
	if counts, err := s.LeadCounts(ctx, "none"); err != nil || len(counts) != 0 {
		t.Fatalf("LeadCounts of an event without leads = %v, %v", counts, err)
	}
}

// row lays out n booths of 3 by 3 side by side from (x, y) of hall A.
func row(eventID, prefix string, n, x, y int) []expo.Booth {
	out := make([]expo.Booth, n)
	for i := range out {
		out[i] = newBooth(eventID, fmt.Sprintf("%s%02d", prefix, i+1), x+3*i, y, 3, 3)
	}
	return out
}

func wantCodes(t *testing.T, s ExpoStore, eventID, what string, want ...string) {
	t.Helper()
	list, err := s.Booths(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(list))
	for i, b := range list {
		got[i] = b.Code
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: booths %v, want %v", what, got, want)
	}
}

func testCreateBooths(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	if err := s.CreateBooths(ctx, nil); err != nil {
		t.Fatalf("an empty batch: %v", err)
	}
	wantCodes(t, s, "ev1", "after an empty batch")
	mustBooth(t, s, newBooth("ev1", "X1", 0, 10, 3, 3))

	batch := row("ev1", "A", 4, 0, 0)
	batch[3].Hall = "B"
	if err := s.CreateBooths(ctx, batch); err != nil {
		t.Fatalf("CreateBooths: %v", err)
	}
	wantCodes(t, s, "ev1", "after a batch", "A01", "A02", "A03", "A04", "X1")
	got, err := s.Booth(ctx, batch[1].ID)
	if err != nil || !reflect.DeepEqual(got, batch[1]) {
		t.Fatalf("a booth of the batch = %+v, %v; want %+v", got, err, batch[1])
	}

	// Each batch is good but for its last booth: nothing of it is stored.
	refused := []struct {
		what, msgID string
		spoil       func(b []expo.Booth)
	}{
		{"a code taken in the event", "error.booth_code_taken", func(b []expo.Booth) { b[2].Code = "X1" }},
		{"a code twice in the batch", "error.booth_code_taken", func(b []expo.Booth) { b[2].Code = b[0].Code }},
		{"a booth over a stored one", "error.booth_overlap", func(b []expo.Booth) { b[2].X, b[2].Y = 1, 11 }},
		{"a booth over another of the batch", "error.booth_overlap", func(b []expo.Booth) { b[2].X = b[1].X + 1 }},
	}
	for _, r := range refused {
		b := row("ev1", "C", 3, 0, 20)
		r.spoil(b)
		wantConflict(t, s.CreateBooths(ctx, b), r.msgID, r.what)
		wantCodes(t, s, "ev1", "after "+r.what, "A01", "A02", "A03", "A04", "X1")
	}
	// The same spot of another hall or event is free.
	other := row("ev1", "D", 2, 0, 0)
	other[0].Hall, other[1].Hall = "C", "C"
	if err := s.CreateBooths(ctx, other); err != nil {
		t.Fatalf("a batch in another hall: %v", err)
	}
	if err := s.CreateBooths(ctx, row("ev2", "A", 4, 0, 0)); err != nil {
		t.Fatalf("the same batch in another event: %v", err)
	}
}

// A batch and single booths race for the floor: a single booth over the
// batch's spot, and one in another hall taking a code of the batch, which
// no floor lock orders. Every round exactly one of each pair lands, and a
// refused batch leaves nothing behind.
func testCreateBoothsRush(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	const rounds = 5
	for i := range rounds {
		eventID := fmt.Sprintf("ev%d", i)
		batch := row(eventID, "A", 30, 0, 0)
		spot := newBooth(eventID, "S1", 3*(i%30), 1, 3, 3)
		code := newBooth(eventID, batch[(7*i)%30].Code, 0, 0, 3, 3)
		code.Hall = "B"
		var wg sync.WaitGroup
		var batchErr, spotErr, codeErr error
		wg.Go(func() { batchErr = s.CreateBooths(ctx, batch) })
		wg.Go(func() { spotErr = s.CreateBooth(ctx, spot) })
		wg.Go(func() { codeErr = s.CreateBooth(ctx, code) })
		wg.Wait()
		if (batchErr == nil) == (spotErr == nil) || (batchErr == nil) == (codeErr == nil) {
			t.Fatalf("round %d: not one of each pair landed: batch %v, spot %v, code %v", i, batchErr, spotErr, codeErr)
		}
		want := 0
		for _, r := range []struct {
			err   error
			n     int
			msgID string
		}{{batchErr, len(batch), ""}, {spotErr, 1, "error.booth_overlap"}, {codeErr, 1, "error.booth_code_taken"}} {
			switch {
			case r.err == nil:
				want += r.n
			case r.msgID != "":
				wantConflict(t, r.err, r.msgID, "a single booth that lost the race")
			default:
				wantKind(t, r.err, errs.Conflict, "a batch that lost the race")
			}
		}
		if list, err := s.Booths(ctx, eventID); err != nil || len(list) != want {
			t.Fatalf("round %d: %d booths stored, want %d (batch %v, spot %v, code %v): %v", i, len(list), want,
				batchErr, spotErr, codeErr, err)
		}
	}
}

// testOneApplicationPerOwner: an account applies once per event, however
// many times it tries at once; at another event it applies again.
func testOneApplicationPerOwner(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	owner := ids.New()
	const n = 10
	var wg sync.WaitGroup
	errsSeen := make([]error, n)
	for i := range n {
		wg.Go(func() {
			x := newExhibitor("ev1", fmt.Sprintf("Công ty %d", i))
			x.OwnerID = owner
			errsSeen[i] = s.CreateExhibitor(ctx, x)
		})
	}
	wg.Wait()
	created := 0
	for _, err := range errsSeen {
		switch {
		case err == nil:
			created++
		case errs.KindOf(err) != errs.Conflict:
			t.Fatalf("CreateExhibitor: %v, want a conflict", err)
		}
	}
	list, err := s.Exhibitors(ctx, "ev1")
	if err != nil || created != 1 || len(list) != 1 || list[0].OwnerID != owner {
		t.Fatalf("%d of %d applications from one account created, %d listed (%v); want exactly 1", created, n, len(list), err)
	}
	other := newExhibitor("ev2", "Công ty 0")
	other.OwnerID = owner
	mustExhibitor(t, s, other)
	mustExhibitor(t, s, newExhibitor("ev1", "Công ty khác"))
}

// testExhibitorReview: decisions and profile changes pile up in the
// history, each in the same write as what it records, and the profile
// approved is kept beside the profile as it is.
func testExhibitorReview(t *testing.T, s ExpoStore) {
	ctx := context.Background()
	x := newExhibitor("ev1", "Công ty Mầm Xanh")
	x.Status, x.Links = expo.Pending, []string{"https://mamxanh.vn"}
	mustExhibitor(t, s, x)
	if got, err := s.Exhibitor(ctx, x.ID); err != nil || got.History != nil || got.Approved != nil {
		t.Fatalf("a new application = %+v, %v", got, err)
	}

	rejected := expo.Step{Action: expo.StepRejected, ByID: "org1", ByName: "Nguyễn Văn Tổ Chức", Reason: "Thiếu giấy phép kinh doanh", At: t0}
	got, err := s.ReviewExhibitor(ctx, x.ID, expo.Review{To: expo.Rejected, Step: rejected})
	if err != nil || got.Status != expo.Rejected || !reflect.DeepEqual(got.History, []expo.Step{rejected}) || got.Approved != nil {
		t.Fatalf("rejecting = %+v, %v", got, err)
	}
	snap := x.Profile()
	approved := expo.Step{Action: expo.StepApproved, ByID: "org2", ByName: "Trần Thị Duyệt", At: t0.Add(time.Hour)}
	got, err = s.ReviewExhibitor(ctx, x.ID, expo.Review{To: expo.Approved, Step: approved, Approved: &snap})
	if err != nil || got.Status != expo.Approved || !reflect.DeepEqual(got.History, []expo.Step{rejected, approved}) ||
		!reflect.DeepEqual(got.Approved, &snap) {
		t.Fatalf("approving = %+v, %v", got, err)
	}

	// An edit keeps the profile approved and adds its step.
	up := got
	up.Description, up.Links, up.UpdatedAt = "Cảm biến đất thế hệ mới", nil, t0.Add(2*time.Hour)
	edited := expo.Step{Action: expo.StepEdited, ByID: x.OwnerID, ByName: "Lê Thu Hà", Fields: []string{"description", "links"}, At: up.UpdatedAt}
	if err := s.UpdateExhibitor(ctx, up, &edited); err != nil {
		t.Fatal(err)
	}
	got, err = s.Exhibitor(ctx, x.ID)
	if err != nil || got.Description != up.Description || !reflect.DeepEqual(got.History, []expo.Step{rejected, approved, edited}) ||
		!reflect.DeepEqual(got.Approved, &snap) {
		t.Fatalf("after an edit = %+v, %v", got, err)
	}
	if changed := got.ChangedSinceApproval(); len(changed) != 2 || changed[0].Field != "description" || changed[1].Old != "https://mamxanh.vn" {
		t.Fatalf("ChangedSinceApproval = %+v", changed)
	}
	// What the edit wrote in the history is not the caller's to replace.
	up.History, up.Approved = nil, nil
	if err := s.UpdateExhibitor(ctx, up, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Exhibitor(ctx, x.ID); err != nil || len(got.History) != 3 || got.Approved == nil {
		t.Fatalf("an update without a step = %+v, %v", got, err)
	}

	// Acknowledging takes the profile as it is, while still approved.
	now := up.Profile()
	ack := expo.Step{Action: expo.StepAcknowledged, ByID: "org2", ByName: "Trần Thị Duyệt", Fields: []string{"description", "links"}, At: t0.Add(3 * time.Hour)}
	got, err = s.ReviewExhibitor(ctx, x.ID, expo.Review{From: expo.Approved, To: expo.Approved, Step: ack, Approved: &now})
	if err != nil || len(got.History) != 4 || !reflect.DeepEqual(got.Approved, &now) || got.ChangedSinceApproval() != nil {
		t.Fatalf("acknowledging = %+v, %v", got, err)
	}
	if _, err := s.ReviewExhibitor(ctx, x.ID, expo.Review{To: expo.Rejected, Step: rejected}); err != nil {
		t.Fatal(err)
	}
	_, err = s.ReviewExhibitor(ctx, x.ID, expo.Review{From: expo.Approved, To: expo.Approved, Step: ack, Approved: &snap})
	wantKind(t, err, errs.Stale, "acknowledging a rejected application")
	if got, _ := s.Exhibitor(ctx, x.ID); got.Status != expo.Rejected || len(got.History) != 5 || !reflect.DeepEqual(got.Approved, &now) {
		t.Fatalf("a stale acknowledgement changed the application: %+v", got)
	}
	_, err = s.ReviewExhibitor(ctx, "nope", expo.Review{From: expo.Approved, To: expo.Approved, Step: ack})
	wantKind(t, err, errs.NotFound, "acknowledging an unknown exhibitor")

	// An application stored whole, as a migration does, reads back whole.
	y := newExhibitor("ev1", "Startup Sen Vàng")
	y.History, y.Approved = []expo.Step{approved, edited}, &snap
	mustExhibitor(t, s, y)
	if got, err := s.Exhibitor(ctx, y.ID); err != nil || !reflect.DeepEqual(got, y) {
		t.Fatalf("Exhibitor = %+v, %v; want %+v", got, err, y)
	}
}
