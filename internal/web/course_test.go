package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// courseSessions adds n sessions of 90 minutes on the event's days and
// returns their ids in order.
func (e *env) courseSessions(org, eventID string, n int) []string {
	e.t.Helper()
	start := e.now().Add(24 * time.Hour).Truncate(time.Second)
	var out []string
	for i := range n {
		at := start.Add(time.Duration(i) * 2 * time.Hour)
		out = append(out, e.authed(org, "POST", "/api/v1/events/"+eventID+"/agenda", map[string]any{
			"starts_at": at, "ends_at": at.Add(90 * time.Minute), "title": "Buổi học " + string(rune('1'+i)),
			"room": "P.201", "speakers": "TS. Lê Minh Anh",
		}).status(201).str("session.id"))
	}
	return out
}

// An organizer makes an event a course with a completion rule through the
// API: every mistake is named at once, and a good rule is kept with the
// event.
func TestCourseSettingsByAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		bad := e.authed(org, "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{
			"course": true, "min_percent": 120, "required_sessions": []string{"nope"}})
		bad.errorCode(400, "invalid")
		for _, f := range []string{"course", "min_percent", "required_sessions"} {
			if bad.get("error.fields."+f) == nil {
				t.Fatalf("the refusal does not name %s: %s", f, bad.body)
			}
		}
		sessions := e.courseSessions(org, eventID, 3)
		ok := e.authed(org, "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{
			"course": true, "min_percent": 80, "required_sessions": []string{sessions[2], sessions[2]}}).status(200)
		if ok.get("course.course") != true || ok.get("course.min_percent") != 80.0 || ok.get("course.required_sessions.0") != sessions[2] ||
			ok.get("course.required_sessions.1") != nil {
			t.Fatalf("the saved course: %s", ok.body)
		}
		ev := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200)
		if ev.get("event.course.course") != true || ev.get("event.course.min_percent") != 80.0 {
			t.Fatalf("the event's course: %s", ev.body)
		}
		e.authed(e.staff(), "PUT", "/api/v1/events/"+eventID+"/course", map[string]any{"course": false}).status(403)
		e.authed(org, "PUT", "/api/v1/events/nope/course", map[string]any{"course": false}).status(404)
	})
}

// The course form on the event page marks every mistake at once and keeps
// what was typed; saved, it shows the rule and the sessions' hours.
func TestCourseSettingsForm(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		b := e.signIn("btc@sprout.test", "organizer-pass")
		manage := "/manage/events/" + eventID
		bad := b.submit(manage, manage+"/course", url.Values{"course": {"on"}, "min_percent": {"nhiều"}})
		if bad.code != 400 || !strings.Contains(bad.html, `id="c-course" name="course" type="checkbox" value="on" checked aria-invalid="true"`) ||
			!strings.Contains(bad.html, `value="nhiều" aria-invalid="true" aria-errormessage="c-min_percent-error"`) ||
			!strings.Contains(bad.html, "Khóa học cần ít nhất một buổi học") || !strings.Contains(bad.html, "Tỷ lệ tối thiểu phải là số từ 0 đến 100.") {
			t.Fatalf("a bad course setting: %d %s", bad.code, bad.html)
		}
		if ev := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200); ev.get("event.course.course") != false {
			t.Fatalf("a refused course was kept: %s", ev.body)
		}
		sessions := e.courseSessions(org, eventID, 2)
		ok := b.submit(manage, manage+"/course", url.Values{"course": {"on"}, "min_percent": {"50"}, "required": {sessions[1]}})
		if ok.code != 303 {
			t.Fatalf("saving the course: %d %s", ok.code, ok.html)
		}
		page := b.do("GET", manage, nil)
		for _, want := range []string{`value="50"`, `name="required" type="checkbox" value="` + sessions[1] + `" checked`,
			`name="required" type="checkbox" value="` + sessions[0] + `" >`, "Giảng viên: TS. Lê Minh Anh", "1.5 giờ", "2 buổi học, tổng cộng 3 giờ."} {
			if !strings.Contains(page.html, want) {
				t.Fatalf("the saved course page lacks %q", want)
			}
		}
		ev := e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200)
		if ev.get("event.course.course") != true || ev.get("event.course.required_sessions.0") != sessions[1] {
			t.Fatalf("the course saved by the form: %s", ev.body)
		}
	})
}
