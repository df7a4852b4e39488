package web_test

import (
	"strings"
	"testing"
)

func TestFloorPlanPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		booth := func(code string, x int) string {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
				map[string]any{"code": code, "hall": "Sảnh A", "zone": "Khu Khởi nghiệp", "x": x, "y": 0, "w": 4, "h": 3}).status(201).str("booth.id")
		}
		a1, _ := booth("A1", 0), booth("A2", 4)
		x := e.authed(e.member("mamxanh@sprout.test"), "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
			"company": "Công ty Mầm Xanh", "contact_email": "lienhe@mamxanh.vn", "description": "Nông nghiệp số"}).status(201).str("exhibitor.id")
		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+a1+"/assign", map[string]any{"exhibitor_id": x}).status(200)

		b := e.signIn("btc@sprout.test", "organizer-pass")
		for _, page := range []string{"/events/" + eventID + "/floor", "/manage/events/" + eventID + "/floor"} {
			r := b.do("GET", page, nil)
			if r.code != 200 {
				t.Fatalf("%s: %d", page, r.code)
			}
			for _, want := range []string{"<svg", ">A1</text>", ">A2</text>", "Công ty Mầm Xanh", `class="booth-assigned"`, `class="booth-available"`} {
				if !strings.Contains(r.html, want) {
					t.Errorf("%s lacks %q", page, want)
				}
			}
		}
		if r := e.call("GET", "/events/"+eventID+"/floor", nil); r.code != 200 || !strings.Contains(string(r.body), "Công ty Mầm Xanh") {
			t.Fatalf("public floor plan: %d", r.code)
		}
		if r := e.call("GET", "/events/khong-co-su-kien/floor", nil); r.code != 404 {
			t.Fatalf("unknown event: %d", r.code)
		}
	})
}
