package incubator

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"

	"sprout/internal/accounts"
	"sprout/internal/errs"
)

// Panel is an application with the reviewers on it.
type Panel struct {
	Application Application
	// Reviewers are everyone assigned, in the order of assignment.
	Reviewers []string
	// Reviewed holds who has scored it; Conflicts who declared a conflict
	// of interest instead.
	Reviewed  []string
	Conflicts []string
	// NeedsReviewer flags an application a conflict left with fewer
	// counting reviewers than the programme's applications usually have.
	NeedsReviewer bool
}

// Active counts the reviewers whose review counts or will count.
func (p Panel) Active() int { return len(p.Reviewers) - len(p.Conflicts) }

// Slot is one application given to one reviewer.
type Slot struct{ ApplicationID, ReviewerID string }

// PlanAssignments tops every panel up to perApp counting reviewers from
// pool. Each seat goes to the eligible reviewer with the fewest counting
// assignments so far, earlier in pool on a tie, so the load stays within
// one application of even whenever the exclusions allow it. A reviewer is
// never given an application they are already on (a declared conflict
// included) nor their own. short counts the seats no eligible reviewer was
// left for.
func PlanAssignments(panels []Panel, pool []string, perApp int) (plan []Slot, short int) {
	load := make(map[string]int, len(pool))
	for _, p := range panels {
		for _, r := range p.Reviewers {
			if !slices.Contains(p.Conflicts, r) {
				load[r]++
			}
		}
	}
	order := make(map[string]int, len(pool))
	for i, r := range pool {
		if _, dup := order[r]; !dup {
			order[r] = i
		}
	}
	candidates := make([]string, 0, len(order))
	for r := range order {
		candidates = append(candidates, r)
	}
	for _, p := range panels {
		need := perApp - p.Active()
		if need <= 0 {
			continue
		}
		eligible := candidates[:0:0]
		for _, r := range candidates {
			if r != p.Application.FounderID && !slices.Contains(p.Reviewers, r) {
				eligible = append(eligible, r)
			}
		}
		sort.Slice(eligible, func(i, j int) bool {
			a, b := eligible[i], eligible[j]
			if load[a] != load[b] {
				return load[a] < load[b]
			}
			return order[a] < order[b]
		})
		for _, r := range eligible[:min(need, len(eligible))] {
			plan = append(plan, Slot{ApplicationID: p.Application.ID, ReviewerID: r})
			load[r]++
		}
		short += max(need-len(eligible), 0)
	}
	return plan, short
}

// flagShortPanels sets NeedsReviewer on panels with a declared conflict
// and fewer counting reviewers than the usual panel: the most common count
// among applications without a conflict (the larger on a tie), at least 1.
func flagShortPanels(panels []Panel) {
	freq := map[int]int{}
	for _, p := range panels {
		if len(p.Conflicts) == 0 && len(p.Reviewers) > 0 {
			freq[len(p.Reviewers)]++
		}
	}
	usual := 1
	for n, f := range freq {
		if f > freq[usual] || (f == freq[usual] && n > usual) {
			usual = n
		}
	}
	for i := range panels {
		panels[i].NeedsReviewer = len(panels[i].Conflicts) > 0 && panels[i].Active() < usual
	}
}

// Panels lists a programme's applications in the given statuses (all
// reviewable ones when none), oldest first, each with its reviewers.
func (s *Service) Panels(ctx context.Context, programID string, statuses ...Status) ([]Panel, error) {
	if _, err := s.store.Program(ctx, programID); err != nil {
		return nil, err
	}
	apps, _, err := s.store.Applications(ctx, AppQuery{ProgramID: programID, Statuses: Reviewable, Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	reviews, err := s.store.ProgramReviews(ctx, programID)
	if err != nil {
		return nil, err
	}
	byApp := map[string][]Review{}
	for _, r := range reviews {
		byApp[r.ApplicationID] = append(byApp[r.ApplicationID], r)
	}
	panels := make([]Panel, 0, len(apps))
	for _, a := range apps {
		p := Panel{Application: a}
		if p.Reviewers, err = s.store.Reviewers(ctx, a.ID); err != nil {
			return nil, err
		}
		for _, r := range byApp[a.ID] {
			if r.Conflict {
				p.Conflicts = append(p.Conflicts, r.ReviewerID)
			} else {
				p.Reviewed = append(p.Reviewed, r.ReviewerID)
			}
		}
		panels = append(panels, p)
	}
	// The usual panel size is the programme's, whatever the filter.
	flagShortPanels(panels)
	if len(statuses) > 0 {
		panels = slices.DeleteFunc(panels, func(p Panel) bool { return !slices.Contains(statuses, p.Application.Status) })
	}
	return panels, nil
}

// Undecided lists the statuses of applications still to be decided: the
// ones automatic assignment gives reviewers to.
var Undecided = []Status{Submitted, InReview, Interview}

// MaxPerApp bounds how many reviewers automatic assignment puts on one
// application.
const MaxPerApp = 10

// AutoAssign gives every undecided application of a programme perApp
// counting reviewers from pool, spreading the load evenly and never giving
// an application to a reviewer who declared a conflict on it. It returns
// how many assignments it made and how many seats it could not fill.
func (s *Service) AutoAssign(ctx context.Context, programID string, pool []string, perApp int) (assigned, short int, err error) {
	if perApp < 1 || perApp > MaxPerApp {
		return 0, 0, field("per_app", "error.per_app_range", "Max", MaxPerApp)
	}
	if len(pool) == 0 {
		return 0, 0, field("reviewers", "error.reviewers_required")
	}
	for _, id := range pool {
		u, err := s.users.User(ctx, id)
		if errors.Is(err, errs.ErrNotFound) || (err == nil && !u.Has(accounts.RoleReviewer)) {
			return 0, 0, field("reviewers", "error.not_reviewer")
		}
		if err != nil {
			return 0, 0, err
		}
	}
	panels, err := s.Panels(ctx, programID, Undecided...)
	if err != nil {
		return 0, 0, err
	}
	plan, short := PlanAssignments(panels, pool, perApp)
	now := s.now()
	for _, slot := range plan {
		if err := s.store.AssignReviewer(ctx, slot.ApplicationID, slot.ReviewerID, now); err != nil {
			return assigned, short, err
		}
		assigned++
	}
	return assigned, short, nil
}

// ReviewerProgress is how far one reviewer is through a programme.
type ReviewerProgress struct {
	Reviewer accounts.User
	Assigned int
	// Done counts the applications scored or declared a conflict on.
	Done      int
	Conflicts int
}

// Progress lists the reviewers of a programme, least advanced first.
func (s *Service) Progress(ctx context.Context, programID string) ([]ReviewerProgress, error) {
	panels, err := s.Panels(ctx, programID)
	if err != nil {
		return nil, err
	}
	by := map[string]*ReviewerProgress{}
	var order []string
	for _, p := range panels {
		for _, r := range p.Reviewers {
			rp := by[r]
			if rp == nil {
				rp = &ReviewerProgress{}
				by[r] = rp
				order = append(order, r)
			}
			rp.Assigned++
			if slices.Contains(p.Reviewed, r) {
				rp.Done++
			}
			if slices.Contains(p.Conflicts, r) {
				rp.Done++
				rp.Conflicts++
			}
		}
	}
	out := make([]ReviewerProgress, 0, len(order))
	for _, id := range order {
		u, err := s.users.User(ctx, id)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return nil, err
		}
		if u.ID == "" {
			u.ID = id
		}
		rp := by[id]
		rp.Reviewer = u
		out = append(out, *rp)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Done*out[j].Assigned < out[j].Done*out[i].Assigned
	})
	return out, nil
}
