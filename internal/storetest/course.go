package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/events"
)

// testCourse: the course setting is kept with the event, read back by id,
// slug and in lists, left alone by UpdateEvent, and can be switched off.
func testCourse(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("khoa-hoc", t0.Add(48*time.Hour), true))
	if got, err := s.EventByID(ctx, e.ID); err != nil || got.Course.Enabled || got.Course.MinPercent != 0 || len(got.Course.Required) != 0 {
		t.Fatalf("a new event is no course: %+v, %v", got.Course, err)
	}
	c := events.Course{Enabled: true, MinPercent: 80, Required: []string{"s1", "s3"}, SignerName: "Nguyễn Văn An",
		SignerTitle: "Giám đốc Trung tâm", AutoIssue: true, CertsIssuedAt: t0.Add(30 * time.Second)}
	if err := s.SetEventCourse(ctx, e.ID, c, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventByID(ctx, e.ID)
	if err != nil || fmt.Sprintf("%+v", got.Course) != fmt.Sprintf("%+v", c) || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("course read back: %+v, %v", got.Course, err)
	}
	if got, err := s.EventBySlug(ctx, e.Slug); err != nil || !got.Course.Enabled {
		t.Fatalf("course by slug: %+v, %v", got.Course, err)
	}
	edited := got
	edited.Title = "Khóa học đổi tên"
	if err := s.UpdateEvent(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EventByID(ctx, e.ID); fmt.Sprintf("%+v", got.Course) != fmt.Sprintf("%+v", c) {
		t.Fatalf("UpdateEvent changed the course: %+v", got.Course)
	}
	if err := s.SetEventCourse(ctx, e.ID, events.Course{}, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.EventByID(ctx, e.ID); !got.Course.Unset() {
		t.Fatalf("the course was not switched off: %+v", got.Course)
	}
	wantKind(t, s.SetEventCourse(ctx, "nope", c, t0), errs.NotFound, "course of an unknown event")
}
