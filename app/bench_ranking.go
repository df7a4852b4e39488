package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/ids"
	"sprout/internal/incubator"
)

// benchRanking times the organizer's ranking page of a programme with many
// reviewed applications, served by a server process on the embedded store.
func benchRanking(args []string, assets Assets, stdout io.Writer) error {
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
	programID, session, err := rankingSeed(dir, assets, *apps, *perApp, *reviewers)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %s\n", time.Since(start).Round(time.Millisecond))

	srv, err := startServer(dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	url := srv.base + "/manage/programs/" + programID + "/ranking"
	get := func() (time.Duration, error) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Cookie", "sprout_session="+session)
		req.Header.Set("Accept-Encoding", "gzip")
		t0 := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("the ranking page answered %d", res.StatusCode)
		}
		return time.Since(t0), err
	}
	// The first load warms the server's caches and the store's pages.
	if _, err := get(); err != nil {
		return err
	}
	lat := make([]time.Duration, 0, *runs)
	for range *runs {
		d, err := get()
		if err != nil {
			return err
		}
		lat = append(lat, d)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Fprintf(stdout, "%d loads of the ranking page: p50 %s, max %s\n", len(lat),
		lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	fmt.Fprintf(stdout, "server memory: %s\n", srv.memory())
	return nil
}

// rankingSeed makes a programme with n submitted applications, each
// assigned to and scored by perApp of the reviewers in turn, straight
// through the store, and signs an organizer in.
func rankingSeed(dir string, assets Assets, n, perApp, reviewers int) (programID, session string, err error) {
	ctx := context.Background()
	cfg, err := LoadConfig(func(k string) string { return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "error"}[k] })
	if err != nil {
		return "", "", err
	}
	a, err := New(ctx, cfg, assets)
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	now := time.Now().UTC().Truncate(time.Millisecond)
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
				Scores: map[string]int{"team": score(1), "market": score(2), "product": score(3), "impact": score(4)}}); err != nil {
				return "", "", err
			}
		}
	}
	u, err := a.Accounts.Create(ctx, accounts.NewUser{Email: "btc@bench.sprout", Password: "bench-password", Name: "Ban tổ chức",
		Roles: []accounts.Role{accounts.RoleOrganizer}})
	if err != nil {
		return "", "", err
	}
	session, _, err = a.Accounts.IssueToken(ctx, u.ID, accounts.TokenSession)
	return p.ID, session, err
}
