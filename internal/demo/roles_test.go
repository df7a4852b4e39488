package demo_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"sprout/app"
	"sprout/internal/clock"
	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// TestDemoPrintsACohortFounderADeckToReviewAndAMentorWithSessions signs in
// as the people the demo prints and finds their work waiting.
func TestDemoPrintsACohortFounderADeckToReviewAndAMentorWithSessions(t *testing.T) {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	a, out := seed(t, cfg, clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 10, 30, 0, 0, vn.Zone)))
	ctx := context.Background()

	var founderLine string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "cohort-founder ") {
			founderLine = l
		}
	}
	f := strings.Fields(founderLine)
	if len(f) < 3 {
		t.Fatalf("no cohort founder printed:\n%s", out)
	}
	founder, err := a.Accounts.Login(ctx, f[len(f)-2], f[len(f)-1], "demo-test")
	if err != nil {
		t.Fatalf("the cohort founder cannot sign in with the printed password: %v", err)
	}
	startups, err := a.Incubator.FounderStartups(ctx, founder)
	if err != nil || len(startups) != 1 || startups[0].Application.StartupName != "Mầm Xanh AgriTech" {
		t.Fatalf("the printed founder's cohort startups: %+v, %v", startups, err)
	}
	shared, err := a.Incubator.FounderSessions(ctx, founder, startups[0].Application.ID)
	if err != nil || len(shared) != 2 || shared[1].Topics != "Xác định khách hàng mục tiêu và câu hỏi phỏng vấn." {
		t.Fatalf("the founder's mentoring sessions: %+v, %v", shared, err)
	}

	reviewer, err := a.Accounts.UserByEmail(ctx, "giamkhao@demo.sprout.vn")
	if err != nil {
		t.Fatal(err)
	}
	queue, _, err := a.Incubator.Queue(ctx, reviewer)
	if err != nil {
		t.Fatal(err)
	}
	var waiting []string
	for _, as := range queue {
		if as.Review == nil {
			waiting = append(waiting, as.Application.ID)
		}
	}
	if len(waiting) != 1 || !strings.Contains(out, "/reviews/"+waiting[0]) {
		t.Fatalf("applications waiting for the reviewer: %v; printed:\n%s", waiting, out)
	}
	deck, err := a.Incubator.Attachment(ctx, reviewer, waiting[0], "pitch_deck")
	if err != nil || deck.ContentType != "application/pdf" || !bytes.HasPrefix(deck.Data, []byte("%PDF-1.4")) ||
		!bytes.Contains(deck.Data, []byte("Nuoc Sach 4.0 - Pitch deck")) || !bytes.HasSuffix(deck.Data, []byte("%%EOF\n")) {
		t.Fatalf("the deck to read: %s %d bytes, %v", deck.ContentType, len(deck.Data), err)
	}

	mentor, err := a.Accounts.UserByEmail(ctx, "covan@demo.sprout.vn")
	if err != nil {
		t.Fatal(err)
	}
	mentees, err := a.Incubator.MentorStartups(ctx, mentor)
	if err != nil || len(mentees) != 2 {
		t.Fatalf("the mentor's startups: %d, %v", len(mentees), err)
	}
	for _, st := range mentees {
		list, err := a.Incubator.MentorSessions(ctx, mentor, st.Application.ID)
		if err != nil || len(list) != 2 || list[1].PrivateNote != "Nhóm nhiệt tình nhưng chưa ai phụ trách bán hàng." {
			t.Fatalf("%s's sessions: %+v, %v", st.Application.StartupName, list, err)
		}
	}
}

// The demo's programme reads in English too: its title, questions, options
// and criteria, and it sets a review deadline after the call closes.
func TestDemoProgrammeHasEnglishTextsAndAReviewDeadline(t *testing.T) {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	a, _ := seed(t, cfg, clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 10, 30, 0, 0, vn.Zone)))
	p, err := a.Incubator.ProgramBySlug(context.Background(), "vuon-uom-cong-nghe-ha-noi-2027")
	if err != nil {
		t.Fatal(err)
	}
	if p.TitleIn("en") != "Hanoi Tech Incubator — 2027 intake" || !p.ReviewDeadline.After(p.ClosesAt) {
		t.Fatalf("programme %q, reviews due %v after a close at %v", p.TitleIn("en"), p.ReviewDeadline, p.ClosesAt)
	}
	for _, q := range p.Questions {
		if q.LabelEN == "" || (q.Kind == incubator.KindChoice && len(q.OptionsEN) != len(q.Options)) {
			t.Errorf("question %s has no English: %+v", q.ID, q)
		}
	}
	for _, c := range p.Criteria {
		if c.LabelEN == "" {
			t.Errorf("criterion %s has no English label", c.ID)
		}
	}
}
