package storetest

import (
	"context"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/incubator"
)

func testMentorSessions(t *testing.T, s IncubatorStore) {
	ctx := context.Background()
	p := mustProgram(t, s, newProgram("cohort-sessions", t0.Add(30*24*time.Hour)))
	a, b := newApplication(p.ID, "f1"), newApplication(p.ID, "f2")
	for _, x := range []incubator.Application{a, b} {
		if err := s.CreateApplication(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	day := func(n int) time.Time { return t0.Truncate(24 * time.Hour).Add(time.Duration(n) * 24 * time.Hour) }
	older := incubator.Session{ID: ids.New(), ApplicationID: a.ID, MentorID: "m1", Date: day(-7), Topics: "Định giá sản phẩm",
		NextSteps: "Gọi 5 khách hàng", PrivateNote: "Nhóm thiếu người bán hàng", CreatedAt: t0}
	later := incubator.Session{ID: ids.New(), ApplicationID: a.ID, MentorID: "m2", Date: day(-1), Topics: "Gọi vốn",
		CreatedAt: t0.Add(-time.Hour)}
	other := incubator.Session{ID: ids.New(), ApplicationID: b.ID, MentorID: "m1", Date: day(-3), Topics: "Pháp lý", CreatedAt: t0}
	for _, x := range []incubator.Session{older, later, other} {
		if err := s.AddSession(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	wantKind(t, s.AddSession(ctx, incubator.Session{ID: ids.New(), ApplicationID: "nope", MentorID: "m1", Date: day(0), Topics: "x"}),
		errs.NotFound, "a session with an unknown application")

	got, err := s.Sessions(ctx, a.ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("Sessions = %+v, %v", got, err)
	}
	if got[0].ID != later.ID || got[1].ID != older.ID {
		t.Fatalf("Sessions order = %s, %s; want the latest meeting first", got[0].Topics, got[1].Topics)
	}
	g := got[1]
	if g.MentorID != "m1" || !g.Date.Equal(older.Date) || g.Topics != older.Topics || g.NextSteps != older.NextSteps ||
		g.PrivateNote != older.PrivateNote || !g.CreatedAt.Equal(older.CreatedAt) || g.ApplicationID != a.ID {
		t.Fatalf("Sessions()[1] = %+v, want %+v", g, older)
	}
	if none, err := s.Sessions(ctx, "nope"); err != nil || len(none) != 0 {
		t.Fatalf("Sessions(unknown) = %+v, %v", none, err)
	}
}
