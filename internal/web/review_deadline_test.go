package web_test

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"sprout/app"
)

// reviewReminders lists the subjects of the review reminders sent to an
// address.
func (e *env) reviewReminders(to string) []string {
	var out []string
	for _, m := range e.mails(to) {
		if m.Template == "review_reminder" {
			out = append(out, m.Subject)
		}
	}
	return out
}

// Three days before a programme's review deadline, each reviewer with
// unfinished reviews gets one reminder in their language, however many
// janitor passes on however many instances run; after the deadline the
// organizer sees who is late.
func TestReviewDeadlineRemindsOnceAndShowsWhoIsLate(t *testing.T) {
	t.Parallel()
	forEachStoreConfig(t, same, func(t *testing.T, cfg app.Config) {
		a, b := newEnv(t, cfg), newEnv(t, cfg)
		org := a.organizer()
		now := a.now()
		p := program("khoa-2027", now.Add(-time.Hour), now.Add(24*time.Hour))
		p["review_deadline"] = now.Add(10 * 24 * time.Hour)
		pid := a.authed(org, "POST", "/api/v1/programs", p).status(201).str("program.id")
		_, founder := a.person("an@example.vn", "Nguyễn An", "vi", "founder")
		_, founder2 := a.person("binh@example.vn", "Trần Bình", "vi", "founder")
		viID, _ := a.person("gk-vi@example.vn", "Giám Khảo Việt", "vi", "reviewer")
		enID, _ := a.person("gk-en@example.vn", "Emma Reviewer", "en", "reviewer")
		doneID, done := a.person("gk-xong@example.vn", "Giám Khảo Xong", "vi", "reviewer")
		first, second := a.submitted(pid, founder, "Mầm Xanh"), a.submitted(pid, founder2, "Bee Robotics")
		for _, app := range []string{first, second} {
			for _, r := range []string{viID, enID} {
				a.assign(org, app, r)
			}
		}
		a.assign(org, first, doneID)
		a.authed(done, "POST", "/api/v1/applications/"+first+"/reviews", map[string]any{"scores": map[string]int{"team": 4, "market": 3}}).status(201)

		ctx := context.Background()
		pass := func() {
			a.app.JanitorPass(ctx)
			b.app.JanitorPass(ctx)
		}
		advance := func(d time.Duration) {
			a.clock.Advance(d)
			b.clock.Advance(d)
		}
		// Eight days before the deadline: too early.
		advance(2 * 24 * time.Hour)
		pass()
		if got := a.reviewReminders("gk-vi@example.vn"); len(got) != 0 {
			t.Fatalf("reminded a week early: %v", got)
		}
		// Two days before: once each, however often the janitor runs.
		advance(6 * 24 * time.Hour)
		pass()
		pass()
		vi, en := a.reviewReminders("gk-vi@example.vn"), b.reviewReminders("gk-en@example.vn")
		if len(vi) != 1 || vi[0] != "Nhắc chấm hồ sơ: còn 2 hồ sơ — Vườn ươm công nghệ Hà Nội — Khóa 2027" {
			t.Fatalf("the Vietnamese reviewer's reminders: %q", vi)
		}
		if len(en) != 1 || en[0] != "Reminder: 2 reviews left — Vườn ươm công nghệ Hà Nội — Khóa 2027" {
			t.Fatalf("the English reviewer's reminders: %q", en)
		}
		if got := a.reviewReminders("gk-xong@example.vn"); len(got) != 0 {
			t.Fatalf("a reviewer who finished was reminded: %v", got)
		}
		msg := a.mails("gk-en@example.vn")[0]
		if !strings.Contains(msg.Text, "Reviews are due by") || !strings.Contains(msg.Text, "/reviews") {
			t.Fatalf("the English reminder: %s", msg.Text)
		}

		// Before the deadline nobody is late; after it, both are shown with
		// what they have left.
		o := a.signIn("btc@sprout.test", "organizer-pass")
		if page := o.do("GET", "/manage/programs/"+pid, nil); strings.Contains(page.html, "late-reviewers") {
			t.Fatal("reviewers shown late before the deadline")
		}
		advance(3 * 24 * time.Hour)
		page := html.UnescapeString(o.do("GET", "/manage/programs/"+pid, nil).html)
		late := page[strings.Index(page, `id="late-reviewers"`):]
		late = late[:strings.Index(late, "</section>")]
		if !strings.Contains(late, "Giám Khảo Việt <small>gk-vi@example.vn</small> — còn 2 hồ sơ chưa chấm") ||
			!strings.Contains(late, "Emma Reviewer <small>gk-en@example.vn</small> — còn 2 hồ sơ chưa chấm") ||
			strings.Contains(late, "Giám Khảo Xong") {
			t.Fatalf("who is late: %s", late)
		}
		pass()
		if len(a.reviewReminders("gk-vi@example.vn")) != 1 {
			t.Fatal("reminded again after the deadline")
		}
	})
}
