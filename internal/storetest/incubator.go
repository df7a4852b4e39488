package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/incubator"
)

// IncubatorStore is what an adapter implements for programmes.
type IncubatorStore interface {
	incubator.Store
}

// RunIncubator runs the incubator suite; open returns a new empty store.
func RunIncubator(t *testing.T, open func(t *testing.T) IncubatorStore) {
	t.Run("Programs", func(t *testing.T) { testPrograms(t, open(t)) })
	t.Run("Applications", func(t *testing.T) { testApplications(t, open(t)) })
	t.Run("ConcurrentEdits", func(t *testing.T) { testConcurrentEdits(t, open(t)) })
	t.Run("Reviews", func(t *testing.T) { testReviews(t, open(t)) })
	t.Run("ProgramEdit", func(t *testing.T) { testProgramEdit(t, open(t)) })
	t.Run("ReviewReminders", func(t *testing.T) { testReviewReminders(t, open(t)) })
	t.Run("CriteriaGuard", func(t *testing.T) { testCriteriaGuard(t, open(t)) })
}

// testCriteriaGuard: a review is stored only against the criteria in
// force, and criteria change only while nobody has reviewed; raced, either
// the change or the reviews win, never both.
func testCriteriaGuard(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("tieu-chi", t0.Add(time.Hour)))
	a := newApplication(p.ID, "f1")
	if err := s.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	changed := p
	changed.Criteria = []incubator.Criterion{{ID: "team", Label: "Đội ngũ", Weight: 1}}
	if err := s.UpdateProgram(ctx, changed, true); err != nil {
		t.Fatal(err)
	}
	rev := incubator.Review{ApplicationID: a.ID, ReviewerID: "r1", Scores: map[string]int{"team": 4, "market": 3}, CreatedAt: t0, UpdatedAt: t0}
	wantKind(t, s.PutReview(ctx, rev, 0), errs.Stale, "a review scored against replaced criteria")
	wantKind(t, s.UpdateProgram(ctx, p, false), errs.Stale, "writing a programme read before its criteria changed")
	if got, err := s.Reviews(ctx, a.ID); err != nil || len(got) != 0 {
		t.Fatalf("after a stale review, Reviews = %d, %v", len(got), err)
	}
	rev.Scores = map[string]int{"team": 4}
	if err := s.PutReview(ctx, rev, 1); err != nil {
		t.Fatal(err)
	}
	changed.CriteriaVersion = 1
	again := changed
	again.Criteria = []incubator.Criterion{{ID: "team", Label: "Đội ngũ", Weight: 1}, {ID: "market", Label: "Thị trường", Weight: 1}}
	if err := s.UpdateProgram(ctx, again, true); !errors.Is(err, incubator.ErrReviewed) {
		t.Fatalf("changing reviewed criteria: %v, want ErrReviewed", err)
	}
	changed.Title = "Khóa 2027 (gia hạn)"
	if err := s.UpdateProgram(ctx, changed, false); err != nil {
		t.Fatalf("changing the title of a reviewed programme: %v", err)
	}
	if got, err := s.Program(ctx, p.ID); err != nil || got.CriteriaVersion != 1 || len(got.Criteria) != 1 || got.Title != changed.Title {
		t.Fatalf("Program = %+v, %v", got, err)
	}

	// Eight reviewers save while the organizer changes the criteria.
	for round := range 3 {
		q := mustProgram(t, s, newProgram(fmt.Sprintf("dua-%d", round), t0.Add(time.Hour)))
		b := newApplication(q.ID, "f2")
		if err := s.CreateApplication(ctx, b); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, stale := 0, 0
		var updateErr error
		start := make(chan struct{})
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := s.PutReview(ctx, incubator.Review{ApplicationID: b.ID, ReviewerID: fmt.Sprintf("r%d", i),
					Scores: map[string]int{"team": 3, "market": 3}, CreatedAt: t0, UpdatedAt: t0}, 0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					stored++
				case errs.KindOf(err) == errs.Stale:
					stale++
				default:
					t.Errorf("a racing review: %v", err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := q
			r.Criteria = []incubator.Criterion{{ID: "impact", Label: "Tác động", Weight: 1}}
			updateErr = s.UpdateProgram(ctx, r, true)
		}()
		close(start)
		wg.Wait()
		reviews, err := s.Reviews(ctx, b.ID)
		if err != nil || len(reviews) != stored {
			t.Fatalf("round %d: %d reviews stored, %d read back (%v)", round, stored, len(reviews), err)
		}
		got, err := s.Program(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case updateErr == nil && (stored > 0 || got.CriteriaVersion != 1 || got.Criteria[0].ID != "impact"):
			t.Fatalf("round %d: the criteria changed (version %d) and %d reviews of the old ones were kept", round, got.CriteriaVersion, stored)
		case errors.Is(updateErr, incubator.ErrReviewed) && (stale > 0 || got.CriteriaVersion != 0 || got.Criteria[0].ID != "team"):
			t.Fatalf("round %d: the change was refused yet %d reviews were refused too (version %d)", round, stale, got.CriteriaVersion)
		case updateErr != nil && !errors.Is(updateErr, incubator.ErrReviewed):
			t.Fatalf("round %d: the racing change: %v", round, updateErr)
		}
	}
}

// testProgramEdit: an edited programme reads back whole, English texts,
// removed questions and review deadline included; its creator stays.
func testProgramEdit(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("sua-doi", t0.Add(24*time.Hour)))
	mustProgram(t, s, newProgram("da-co", t0.Add(24*time.Hour)))
	if got, err := s.Program(ctx, p.ID); err != nil || !got.ReviewDeadline.IsZero() {
		t.Fatalf("a new programme's review deadline = %v, %v; want none", got.ReviewDeadline, err)
	}
	e := p
	e.Slug, e.Title, e.TitleEN, e.DescriptionEN = "sua-doi-2", "Khóa 2028", "Class of 2028", "For founders"
	e.ClosesAt, e.ReviewDeadline = t0.Add(48*time.Hour), t0.Add(72*time.Hour)
	e.Questions = []incubator.Question{
		{ID: "stage", Label: "Giai đoạn", LabelEN: "Stage", HelpEN: "Pick one", Kind: incubator.KindChoice,
			Options: []string{"Ý tưởng", "MVP"}, OptionsEN: []string{"Idea", "MVP"}},
		{ID: "problem", Label: "Vấn đề", Kind: incubator.KindLongText, Removed: true},
	}
	e.Criteria = []incubator.Criterion{{ID: "team", Label: "Đội ngũ", LabelEN: "Team", Weight: 3,
		AnchorsEN: map[string]string{"5": "strong"}}}
	e.CreatedBy, e.CreatedAt = "someone-else", t0.Add(time.Hour)
	if err := s.UpdateProgram(ctx, e, true); err != nil {
		t.Fatal(err)
	}
	got, err := s.Program(ctx, p.ID)
	if err != nil || got.Slug != "sua-doi-2" || got.Title != "Khóa 2028" || got.TitleEN != "Class of 2028" ||
		got.DescriptionEN != "For founders" || !got.ClosesAt.Equal(e.ClosesAt) || !got.ReviewDeadline.Equal(e.ReviewDeadline) ||
		len(got.Questions) != 2 || got.Questions[0].LabelEN != "Stage" || got.Questions[0].HelpEN != "Pick one" ||
		fmt.Sprint(got.Questions[0].OptionsEN) != "[Idea MVP]" || !got.Questions[1].Removed || got.Questions[0].Removed ||
		len(got.Criteria) != 1 || got.Criteria[0].LabelEN != "Team" || got.Criteria[0].Weight != 3 ||
		got.Criteria[0].AnchorsEN["5"] != "strong" || got.CriteriaVersion != 1 {
		t.Fatalf("Program after UpdateProgram = %+v, %v", got, err)
	}
	if got.CreatedBy != "org" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("UpdateProgram changed the creator: %q %v", got.CreatedBy, got.CreatedAt)
	}
	if got, err := s.ProgramBySlug(ctx, "sua-doi-2"); err != nil || got.ID != p.ID {
		t.Fatalf("ProgramBySlug(new slug) = %v", err)
	}
	taken := got
	taken.Slug = "da-co"
	wantKind(t, s.UpdateProgram(ctx, taken, false), errs.Conflict, "UpdateProgram to a slug taken")
	unknown := got
	unknown.ID, unknown.Slug = ids.New(), "khong-co"
	wantKind(t, s.UpdateProgram(ctx, unknown, false), errs.NotFound, "UpdateProgram unknown")
}

// testReviewReminders: of many concurrent marks of one reviewer and
// programme exactly one answers true.
func testReviewReminders(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("nhac", t0.Add(24*time.Hour)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := 0
	for range 8 {
		wg.Go(func() {
			first, err := s.MarkReviewReminded(ctx, p.ID, "r1")
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firsts != 1 {
		t.Fatalf("%d of 8 concurrent MarkReviewReminded answered first; want 1", firsts)
	}
	if first, err := s.MarkReviewReminded(ctx, p.ID, "r2"); err != nil || !first {
		t.Fatalf("another reviewer's first mark = %v, %v", first, err)
	}
}

func newProgram(slug string, closes time.Time) incubator.Program {
	return incubator.Program{
		ID: ids.New(), Slug: slug, Title: "Vườn ươm công nghệ Hà Nội — Khóa 2027", OpensAt: t0, ClosesAt: closes,
		Questions: []incubator.Question{{ID: "problem", Label: "Vấn đề", Kind: incubator.KindLongText, Required: true},
			{ID: "stage", Label: "Giai đoạn", Kind: incubator.KindChoice, Options: []string{"Ý tưởng", "MVP"}}},
		Criteria: []incubator.Criterion{{ID: "team", Label: "Đội ngũ", Weight: 2, Anchors: map[string]string{"1": "yếu", "5": "mạnh"}},
			{ID: "market", Label: "Thị trường", Weight: 1}},
		Blind: true, CreatedBy: "org", CreatedAt: t0,
	}
}

func mustProgram(t *testing.T, s IncubatorStore, p incubator.Program) incubator.Program {
	t.Helper()
	if err := s.CreateProgram(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func newApplication(programID, founder string) incubator.Application {
	return incubator.Application{ID: ids.New(), ProgramID: programID, FounderID: founder, StartupName: "Mầm Xanh",
		Answers: map[string]json.RawMessage{"problem": json.RawMessage(`"Nông dân thiếu dữ liệu"`)}, Status: incubator.Draft,
		Version: 1, CreatedAt: t0, UpdatedAt: t0}
}

func testPrograms(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("khoa-2027", t0.Add(30*24*time.Hour)))
	got, err := s.Program(ctx, p.ID)
	if err != nil || got.Title != p.Title || !got.ClosesAt.Equal(p.ClosesAt) || !got.Blind || len(got.Questions) != 2 ||
		got.Questions[1].Options[1] != "MVP" || got.Criteria[0].Weight != 2 || got.Criteria[0].Anchors["5"] != "mạnh" {
		t.Fatalf("Program = %+v, %v", got, err)
	}
	if got, err := s.ProgramBySlug(ctx, "khoa-2027"); err != nil || got.ID != p.ID {
		t.Fatalf("ProgramBySlug = %v", err)
	}
	_, err = s.Program(ctx, "nope")
	wantKind(t, err, errs.NotFound, "Program unknown")
	wantKind(t, s.CreateProgram(ctx, newProgram("khoa-2027", t0)), errs.Conflict, "a slug taken")
	early := mustProgram(t, s, newProgram("khoa-som", t0.Add(24*time.Hour)))
	list, total, err := s.Programs(ctx, 0, 10)
	if err != nil || total != 2 || list[0].ID != early.ID || list[0].Internal {
		t.Fatalf("Programs = %d, %v", total, err)
	}
	// An internal programme stays internal, through an edit too.
	in := newProgram("tham-dinh", t0.Add(24*time.Hour))
	in.Internal = true
	mustProgram(t, s, in)
	in.Title = "Thẩm định"
	if err := s.UpdateProgram(ctx, in, false); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ProgramBySlug(ctx, "tham-dinh"); err != nil || !got.Internal || got.Title != "Thẩm định" {
		t.Fatalf("internal programme = %+v, %v", got, err)
	}
}

func testApplications(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("p1", t0.Add(time.Hour)))
	q := mustProgram(t, s, newProgram("p2", t0.Add(time.Hour)))
	a := newApplication(p.ID, "f1")
	if err := s.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.Application(ctx, a.ID)
	if err != nil || got.StartupName != "Mầm Xanh" || got.Version != 1 || got.Status != incubator.Draft ||
		string(got.Answers["problem"]) != `"Nông dân thiếu dữ liệu"` || got.FounderID != "f1" {
		t.Fatalf("Application = %+v, %v", got, err)
	}
	wantKind(t, s.CreateApplication(ctx, newApplication(p.ID, "f1")), errs.Conflict, "a second application to one programme")
	if err := s.CreateApplication(ctx, newApplication(q.ID, "f1")); err != nil {
		t.Fatalf("the same founder at another programme: %v", err)
	}
	wantKind(t, s.CreateApplication(ctx, newApplication("nope", "f2")), errs.NotFound, "an application to an unknown programme")

	a.StartupName, a.Version, a.UpdatedAt = "Mầm Xanh AI", 2, t0.Add(time.Minute)
	a.Answers["stage"] = json.RawMessage(`"MVP"`)
	if err := s.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	stale := a
	stale.StartupName = "Cũ"
	wantKind(t, s.UpdateApplication(ctx, stale), errs.Stale, "an update from an older copy")
	if got, _ := s.Application(ctx, a.ID); got.StartupName != "Mầm Xanh AI" || got.Version != 2 || string(got.Answers["stage"]) != `"MVP"` {
		t.Fatalf("after update: %+v", got)
	}
	ghost := newApplication(p.ID, "f9")
	ghost.Version = 2
	wantKind(t, s.UpdateApplication(ctx, ghost), errs.NotFound, "updating an unknown application")

	a.Status, a.SubmittedAt, a.UpdatedAt = incubator.Submitted, t0.Add(2*time.Minute), t0.Add(2*time.Minute)
	if err := s.SetStatus(ctx, a, []incubator.Status{incubator.Draft}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.SetStatus(ctx, a, []incubator.Status{incubator.Draft}), errs.Conflict, "submitting twice")
	if got, _ := s.Application(ctx, a.ID); got.Status != incubator.Submitted || got.Version != 3 || !got.SubmittedAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("after submit: %+v", got)
	}
	a.Status, a.CohortID, a.DecisionNote, a.DecidedAt = incubator.Accepted, "c1", "Chúc mừng", t0.Add(time.Hour)
	if err := s.SetStatus(ctx, a, []incubator.Status{incubator.Submitted, incubator.InReview}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Application(ctx, a.ID); got.Status != incubator.Accepted || got.CohortID != "c1" || got.DecisionNote != "Chúc mừng" || !got.DecidedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after decision: %+v", got)
	}
	wantKind(t, s.SetStatus(ctx, ghost, []incubator.Status{incubator.Draft}), errs.NotFound, "SetStatus unknown")

	for i := range 3 {
		if err := s.CreateApplication(ctx, newApplication(p.ID, fmt.Sprint("g", i))); err != nil {
			t.Fatal(err)
		}
	}
	if list, total, _ := s.Applications(ctx, incubator.AppQuery{ProgramID: p.ID, Limit: 10}); total != 4 || list[0].ID != a.ID {
		t.Fatalf("Applications = %d", total)
	}
	if _, total, _ := s.Applications(ctx, incubator.AppQuery{ProgramID: p.ID, Statuses: []incubator.Status{incubator.Draft}, Limit: 10}); total != 3 {
		t.Fatalf("drafts = %d", total)
	}
	if list, total, _ := s.Applications(ctx, incubator.AppQuery{ProgramID: p.ID, Limit: 2, Offset: 2}); total != 4 || len(list) != 2 {
		t.Fatalf("page 2 = %d", len(list))
	}
	if mine, err := s.FounderApplications(ctx, "f1"); err != nil || len(mine) != 2 {
		t.Fatalf("FounderApplications = %d, %v", len(mine), err)
	}
}

// Two tabs save the same version at once: one wins, the other is stale.
func testConcurrentEdits(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("p1", t0.Add(time.Hour)))
	a := newApplication(p.ID, "f1")
	if err := s.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, stale := 0, 0
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := a
			b.Version, b.StartupName = 2, fmt.Sprint("Tab ", i)
			err := s.UpdateApplication(ctx, b)
			mu.Lock()
			defer mu.Unlock()
			switch errs.KindOf(err) {
			case errs.Stale:
				stale++
			default:
				if err != nil {
					t.Error(err)
					return
				}
				wins++
			}
		}()
	}
	wg.Wait()
	if wins != 1 || stale != 9 {
		t.Fatalf("10 saves of version 1: %d won, %d stale", wins, stale)
	}
}

func testReviews(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("p1", t0.Add(time.Hour)))
	a, b := newApplication(p.ID, "f1"), newApplication(p.ID, "f2")
	for _, x := range []incubator.Application{a, b} {
		if err := s.CreateApplication(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []string{"r2", "r1", "r2"} {
		if err := s.AssignReviewer(ctx, a.ID, r, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AssignReviewer(ctx, b.ID, "r1", t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.AssignReviewer(ctx, "nope", "r1", t0), errs.NotFound, "assigning to an unknown application")
	if rs, err := s.Reviewers(ctx, a.ID); err != nil || fmt.Sprint(rs) != "[r1 r2]" {
		t.Fatalf("Reviewers = %v, %v", rs, err)
	}
	if apps, err := s.ReviewerApplications(ctx, "r1"); err != nil || len(apps) != 2 || apps[0].ID != a.ID {
		t.Fatalf("ReviewerApplications = %d, %v", len(apps), err)
	}
	rev := incubator.Review{ApplicationID: a.ID, ReviewerID: "r1", Scores: map[string]int{"team": 4, "market": 3}, Comment: "Tốt", CreatedAt: t0, UpdatedAt: t0}
	if err := s.PutReview(ctx, rev, 0); err != nil {
		t.Fatal(err)
	}
	rev.Scores["team"], rev.Conflict, rev.UpdatedAt = 5, true, t0.Add(time.Hour)
	if err := s.PutReview(ctx, rev, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutReview(ctx, incubator.Review{ApplicationID: b.ID, ReviewerID: "r1", Scores: map[string]int{"team": 2, "market": 2}, CreatedAt: t0, UpdatedAt: t0}, 0); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.PutReview(ctx, incubator.Review{ApplicationID: "nope", ReviewerID: "r1", Scores: map[string]int{}}, 0), errs.NotFound, "a review of an unknown application")
	got, err := s.Reviews(ctx, a.ID)
	if err != nil || len(got) != 1 || got[0].Scores["team"] != 5 || !got[0].Conflict || got[0].Comment != "Tốt" || !got[0].CreatedAt.Equal(t0) {
		t.Fatalf("Reviews = %+v, %v", got, err)
	}
	if all, err := s.ProgramReviews(ctx, p.ID); err != nil || len(all) != 2 {
		t.Fatalf("ProgramReviews = %d, %v", len(all), err)
	}

	c := incubator.Cohort{ID: ids.New(), ProgramID: p.ID, Name: "Khóa 1", StartsAt: t0, EndsAt: t0.Add(90 * 24 * time.Hour), CreatedAt: t0}
	if err := s.CreateCohort(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Cohort(ctx, c.ID); err != nil || got.Name != "Khóa 1" || !got.EndsAt.Equal(c.EndsAt) || got.ProgramID != p.ID {
		t.Fatalf("Cohort = %+v, %v", got, err)
	}
	_, err = s.Cohort(ctx, "nope")
	wantKind(t, err, errs.NotFound, "Cohort unknown")
	wantKind(t, s.CreateCohort(ctx, incubator.Cohort{ID: ids.New(), ProgramID: "nope", Name: "x", CreatedAt: t0}), errs.NotFound, "a cohort of an unknown programme")
}
