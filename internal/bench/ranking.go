package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"sprout/internal/ids"
	"sprout/internal/incubator"
)

// Ranking times the organizer's ranking page of a programme with many
// reviewed applications, served by a server process on the embedded store.
func Ranking(args []string, open Opener, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench ranking", flag.ContinueOnError)
	apps := fs.Int("applications", 2000, "submitted applications")
	perApp := fs.Int("reviews", 3, "reviews of each application")
	reviewers := fs.Int("reviewers", 30, "reviewers sharing the reviews")
	runs := fs.Int("runs", 20, "timed loads of the page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *perApp > *reviewers {
		return errors.New("bench ranking: --reviews cannot exceed --reviewers")
	}
	dir, err := os.MkdirTemp("", "sprout-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stdout, "ranking benchmark: %d applications, %d reviews, %d reviewers\n", *apps, *apps**perApp, *reviewers)

	start := time.Now()
	programID, session, err := rankingSeed(dir, open, *apps, *perApp, *reviewers)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %s\n", time.Since(start).Round(time.Millisecond))

	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	lat, _, err := timePage(srv.base+"/manage/programs/"+programID+"/ranking", session, *runs)
	if err != nil {
		return err
	}
	printPageTimes(stdout, "ranking page", lat)
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	return nil
}

// rankingSeed makes a programme with n submitted applications, each
// assigned to and scored by perApp of the reviewers in turn, straight
// through the store, and signs an organizer in.
func rankingSeed(dir string, open Opener, n, perApp, reviewers int) (programID, session string, err error) {
	ctx := context.Background()
	a, err := open(dir)
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	now := a.Clock.Now()
	p, err := a.Incubator.CreateProgram(ctx, "", incubator.ProgramInput{Slug: "bench-khoa-2027", Title: "Vườn ươm benchmark",
		OpensAt: now.Add(-30 * 24 * time.Hour), ClosesAt: now.Add(-24 * time.Hour),
		Questions: []incubator.Question{{ID: "problem", Label: "Vấn đề", Kind: incubator.KindLongText, Required: true}},
		Criteria: []incubator.Criterion{{ID: "team", Label: "Đội ngũ", Weight: 3}, {ID: "market", Label: "Thị trường", Weight: 2},
			{ID: "product", Label: "Sản phẩm", Weight: 2}, {ID: "impact", Label: "Tác động", Weight: 1}}})
	if err != nil {
		return "", "", err
	}
	// Reviewers are only ids to the store: the ranking never looks them up.
	rids := make([]string, reviewers)
	for i := range rids {
		rids[i] = ids.New()
	}
	for i := range n {
		app := incubator.Application{ID: ids.New(), ProgramID: p.ID, FounderID: ids.New(), StartupName: fmt.Sprintf("Startup %04d", i),
			Answers: nil, Status: incubator.InReview, Version: 2, CreatedAt: now, UpdatedAt: now, SubmittedAt: now}
		if err := a.Store.CreateApplication(ctx, app); err != nil {
			return "", "", err
		}
		for k := range perApp {
			r := rids[(i+k)%reviewers]
			if err := a.Store.AssignReviewer(ctx, app.ID, r, now); err != nil {
				return "", "", err
			}
			score := func(salt int) int { return 1 + (i*7+k*3+salt*5)%5 }
			if err := a.Store.PutReview(ctx, incubator.Review{ApplicationID: app.ID, ReviewerID: r, CreatedAt: now, UpdatedAt: now,
				Scores: map[string]int{"team": score(1), "market": score(2), "product": score(3), "impact": score(4)}}, 0); err != nil {
				return "", "", err
			}
		}
	}
	session, err = benchOrganizer(ctx, a)
	return p.ID, session, err
}
