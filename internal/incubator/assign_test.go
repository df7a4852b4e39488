package incubator_test

import (
	"fmt"
	"testing"

	"sprout/internal/incubator"
)

func panels(n int) []incubator.Panel {
	out := make([]incubator.Panel, n)
	for i := range out {
		out[i].Application = incubator.Application{ID: fmt.Sprintf("app%02d", i), FounderID: fmt.Sprintf("founder%02d", i)}
	}
	return out
}

func loads(plan []incubator.Slot) map[string]int {
	l := map[string]int{}
	for _, s := range plan {
		l[s.ReviewerID]++
	}
	return l
}

func TestPlanSpreadsLoadEvenly(t *testing.T) {
	pool := []string{"r1", "r2", "r3", "r4"}
	plan, short := incubator.PlanAssignments(panels(10), pool, 3)
	if len(plan) != 30 || short != 0 {
		t.Fatalf("%d assignments, %d short", len(plan), short)
	}
	l := loads(plan)
	lo, hi := 1000, 0
	for _, r := range pool {
		lo, hi = min(lo, l[r]), max(hi, l[r])
	}
	if hi-lo > 1 {
		t.Errorf("uneven load: %v", l)
	}
	seen := map[incubator.Slot]bool{}
	for _, s := range plan {
		if seen[s] {
			t.Fatalf("%v assigned twice", s)
		}
		seen[s] = true
	}
}

func TestPlanTopsUpAndAvoidsConflictsAndOwnApplications(t *testing.T) {
	ps := panels(3)
	// app00: r1 declared a conflict, r2 scores; one counting reviewer.
	ps[0].Reviewers, ps[0].Conflicts, ps[0].Reviewed = []string{"r1", "r2"}, []string{"r1"}, []string{"r2"}
	// app01 is r3's own startup.
	ps[1].Application.FounderID = "r3"
	// app02 already has two.
	ps[2].Reviewers = []string{"r1", "r2"}
	plan, short := incubator.PlanAssignments(ps, []string{"r1", "r2", "r3"}, 2)
	got := fmt.Sprint(plan)
	// app00 gets r3 (r1 conflicted, r2 on it); app01 gets the two
	// reviewers that are not its founder; app02 needs nobody.
	if got != "[{app00 r3} {app01 r1} {app01 r2}]" || short != 0 {
		t.Fatalf("plan %s, short %d", got, short)
	}
	plan, short = incubator.PlanAssignments(ps, []string{"r1", "r2", "r3"}, 3)
	for _, s := range plan {
		if s.ApplicationID == "app00" && s.ReviewerID == "r1" {
			t.Fatal("a reviewer who declared a conflict is given the application again")
		}
		if s.ApplicationID == "app01" && s.ReviewerID == "r3" {
			t.Fatal("a reviewer is given their own startup")
		}
	}
	// app00 would need two more but only r3 is left; app01 one more with
	// nobody left; app02 gets r3.
	if short != 2 {
		t.Errorf("short %d, want 2: %v", short, plan)
	}
}

func TestPlanCountsExistingLoad(t *testing.T) {
	ps := panels(4)
	ps[0].Reviewers = []string{"r1"}
	ps[1].Reviewers = []string{"r1"}
	plan, _ := incubator.PlanAssignments(ps, []string{"r1", "r2"}, 1)
	// r1 has two already: the two left go to r2.
	if l := loads(plan); l["r1"] != 0 || l["r2"] != 2 {
		t.Fatalf("plan %v", plan)
	}
}
