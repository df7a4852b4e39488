package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/staffing"
)

// StaffingStore is what an adapter implements for gates and staff.
type StaffingStore interface {
	staffing.Store
}

// RunStaffing runs the staffing suite; open returns a new empty store.
func RunStaffing(t *testing.T, open func(t *testing.T) StaffingStore) {
	t.Run("Gates", func(t *testing.T) { testGates(t, open(t)) })
	t.Run("Staff", func(t *testing.T) { testStaff(t, open(t)) })
}

func wantGates(t *testing.T, s StaffingStore, eventID, want string) {
	t.Helper()
	got, err := s.Gates(context.Background(), eventID)
	if err != nil || fmt.Sprintf("%q", got) != want {
		t.Fatalf("Gates(%s) = %q, %v; want %s", eventID, got, err, want)
	}
}

func testGates(t *testing.T, s StaffingStore) {
	ctx := context.Background()
	wantGates(t, s, "ev1", `[]`)
	if err := s.SetGates(ctx, "ev1", []string{"Cổng chính", "Cổng B – VIP", "Lối phụ"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetGates(ctx, "ev2", []string{"Sảnh"}); err != nil {
		t.Fatal(err)
	}
	wantGates(t, s, "ev1", `["Cổng chính" "Cổng B – VIP" "Lối phụ"]`)
	if err := s.SetGates(ctx, "ev1", []string{"Lối phụ", "Cổng chính"}); err != nil {
		t.Fatal(err)
	}
	wantGates(t, s, "ev1", `["Lối phụ" "Cổng chính"]`)
	wantGates(t, s, "ev2", `["Sảnh"]`)
	if err := s.SetGates(ctx, "ev1", nil); err != nil {
		t.Fatal(err)
	}
	wantGates(t, s, "ev1", `[]`)
}

func assignment(eventID, userID string, at time.Time) staffing.Assignment {
	return staffing.Assignment{EventID: eventID, UserID: userID, AssignedBy: "org1", AssignedAt: at}
}

func listed(list []staffing.Assignment) string {
	out := ""
	for _, a := range list {
		out += a.EventID + "/" + a.UserID + " "
	}
	return out
}

func testStaff(t *testing.T, s StaffingStore) {
	ctx := context.Background()
	for _, a := range []staffing.Assignment{
		assignment("ev1", "hung", t0), assignment("ev1", "lan", t0.Add(time.Minute)),
		assignment("ev2", "hung", t0.Add(2*time.Minute)), assignment("ev3", "lan", t0.Add(3*time.Minute)),
	} {
		if err := s.AddStaff(ctx, a); err != nil {
			t.Fatalf("AddStaff(%+v): %v", a, err)
		}
	}
	wantKind(t, s.AddStaff(ctx, assignment("ev1", "hung", t0.Add(time.Hour))), errs.Conflict, "AddStaff twice")

	staff, err := s.EventStaff(ctx, "ev1")
	if err != nil || listed(staff) != "ev1/hung ev1/lan " {
		t.Fatalf("EventStaff(ev1) = %s, %v; want hung then lan", listed(staff), err)
	}
	if a := staff[0]; a.AssignedBy != "org1" || !a.AssignedAt.Equal(t0) {
		t.Fatalf("the first assignment reads back as %+v", a)
	}
	mine, err := s.UserAssignments(ctx, "hung")
	if err != nil || listed(mine) != "ev2/hung ev1/hung " {
		t.Fatalf("UserAssignments(hung) = %s, %v; want the latest first", listed(mine), err)
	}
	if none, err := s.UserAssignments(ctx, "nobody"); err != nil || len(none) != 0 {
		t.Fatalf("UserAssignments(nobody) = %s, %v", listed(none), err)
	}

	for _, c := range []struct {
		event, user string
		want        bool
	}{{"ev1", "hung", true}, {"ev2", "hung", true}, {"ev3", "hung", false}, {"ev3", "lan", true}, {"ev1", "nobody", false}, {"nowhere", "lan", false}} {
		if got, err := s.IsStaff(ctx, c.event, c.user); err != nil || got != c.want {
			t.Fatalf("IsStaff(%s, %s) = %v, %v; want %v", c.event, c.user, got, err, c.want)
		}
	}

	if err := s.RemoveStaff(ctx, "ev1", "hung"); err != nil {
		t.Fatalf("RemoveStaff: %v", err)
	}
	if on, err := s.IsStaff(ctx, "ev1", "hung"); err != nil || on {
		t.Fatalf("after removing hung, IsStaff(ev1, hung) = %v, %v", on, err)
	}
	wantKind(t, s.RemoveStaff(ctx, "ev1", "hung"), errs.NotFound, "RemoveStaff twice")
	if staff, _ := s.EventStaff(ctx, "ev1"); listed(staff) != "ev1/lan " {
		t.Fatalf("after removing hung, ev1 has %s", listed(staff))
	}
	if mine, _ := s.UserAssignments(ctx, "hung"); listed(mine) != "ev2/hung " {
		t.Fatalf("after removing hung from ev1, hung works at %s", listed(mine))
	}
	if err := s.AddStaff(ctx, assignment("ev1", "hung", t0.Add(time.Hour))); err != nil {
		t.Fatalf("assigning again after a removal: %v", err)
	}
	if on, err := s.IsStaff(ctx, "ev1", "hung"); err != nil || !on {
		t.Fatalf("assigned again, IsStaff(ev1, hung) = %v, %v", on, err)
	}
}
