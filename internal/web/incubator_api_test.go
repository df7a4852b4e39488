package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// user makes an account with roles and returns its id and API token.
func (e *env) user(email string, roles ...string) (id, token string) {
	e.t.Helper()
	id = e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": email, "password": "mật khẩu dài", "name": "Người " + email, "roles": roles}).status(201).str("user.id")
	return id, e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "mật khẩu dài"}).status(200).str("token")
}

func program(slug string, opens, closes time.Time) map[string]any {
	return map[string]any{
		"slug": slug, "title": "Vườn ươm công nghệ Hà Nội — Khóa 2027", "opens_at": opens, "closes_at": closes,
		"questions": []map[string]any{
			{"id": "problem", "label": "Vấn đề bạn giải quyết", "kind": "long_text", "required": true},
			{"id": "team_size", "label": "Số thành viên", "kind": "number", "required": true},
			{"id": "website", "label": "Website", "kind": "url"},
			{"id": "stage", "label": "Giai đoạn", "kind": "choice", "options": []string{"Ý tưởng", "MVP", "Doanh thu"}},
		},
		"criteria": []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 2}, {"id": "market", "label": "Thị trường", "weight": 1}},
	}
}

func TestIncubatorAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		_, founder := e.user("sanglap@example.vn", "founder")
		_, other := e.user("khac@example.vn", "founder")
		rev1ID, rev1 := e.user("gk1@example.vn", "reviewer")
		rev2ID, rev2 := e.user("gk2@example.vn", "reviewer")
		rev3ID, rev3 := e.user("gk3@example.vn", "reviewer")
		_, outsider := e.user("gk4@example.vn", "reviewer")
		now := e.now()

		e.authed(founder, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(time.Hour))).errorCode(403, "forbidden")
		bad := program("khoa-x", now, now.Add(time.Hour))
		bad["questions"] = []map[string]any{{"id": "q", "label": "Q", "kind": "video"}}
		e.authed(org, "POST", "/api/v1/programs", bad).errorCode(400, "invalid")
		blind := program("khoa-2027", now.Add(-time.Hour), now.Add(time.Hour))
		blind["blind"] = true
		p := e.authed(org, "POST", "/api/v1/programs", blind).status(201)
		pid := p.str("program.id")
		e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now, now.Add(time.Hour))).errorCode(409, "conflict")

		apply := func(token string) *resp {
			return e.authed(token, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Mầm Xanh", "answers": map[string]any{"problem": "Nông dân thiếu dữ liệu thời tiết"}})
		}
		a := apply(founder).status(201)
		if a.str("application.status") != "draft" || a.get("application.version") != float64(1) {
			t.Fatalf("application: %s", a.body)
		}
		id := a.str("application.id")
		apply(founder).errorCode(409, "conflict")
		e.authed(founder, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "X", "answers": map[string]any{"team_size": "năm"}}).errorCode(400, "invalid")

		save := func(version int, answers map[string]any) *resp {
			return e.authed(founder, "PUT", "/api/v1/applications/"+id, map[string]any{"version": version, "startup_name": "Mầm Xanh AI", "answers": answers})
		}
		e.authed(founder, "POST", "/api/v1/applications/"+id+"/submit", nil).errorCode(400, "invalid")
		s2 := save(1, map[string]any{"problem": "Nông dân thiếu dữ liệu thời tiết", "team_size": 4, "stage": "MVP"}).status(200)
		if s2.get("application.version") != float64(2) || s2.str("application.startup_name") != "Mầm Xanh AI" {
			t.Fatalf("save: %s", s2.body)
		}
		save(1, map[string]any{"problem": "bản cũ"}).errorCode(409, "stale")
		save(2, map[string]any{"website": "not a url"}).errorCode(400, "invalid")
		e.authed(other, "PUT", "/api/v1/applications/"+id, map[string]any{"version": 2, "startup_name": "x"}).errorCode(404, "not_found")
		if got := e.authed(founder, "GET", "/api/v1/applications/"+id, nil).status(200); got.str("application.startup_name") != "Mầm Xanh AI" || got.get("application.version") != float64(2) {
			t.Fatalf("a stale or bad save changed the application: %s", got.body)
		}
		sub := e.authed(founder, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)
		if sub.str("application.status") != "submitted" {
			t.Fatalf("submit: %s", sub.body)
		}

		// Who sees the application.
		e.call("GET", "/api/v1/applications/"+id, nil).errorCode(404, "not_found")
		e.authed(other, "GET", "/api/v1/applications/"+id, nil).errorCode(404, "not_found")
		e.authed(rev1, "GET", "/api/v1/applications/"+id, nil).errorCode(404, "not_found")
		e.authed(org, "GET", "/api/v1/applications/"+id, nil).status(200)
		for _, r := range []string{rev1ID, rev2ID, rev3ID} {
			e.authed(org, "POST", "/api/v1/applications/"+id+"/reviewers", map[string]any{"user_id": r}).status(200)
		}
		// In a blind programme the reviewer never learns who applied.
		if seen := e.authed(rev1, "GET", "/api/v1/applications/"+id, nil).status(200); seen.get("application.founder_id") != nil {
			t.Fatalf("a blind reviewer sees the founder: %s", seen.body)
		}
		if seen := e.authed(org, "GET", "/api/v1/applications/"+id, nil).status(200); seen.get("application.founder_id") == nil {
			t.Fatalf("the organizer sees the founder: %s", seen.body)
		}

		// Reviews.
		review := func(token, app string, body map[string]any) *resp {
			return e.authed(token, "POST", "/api/v1/applications/"+app+"/reviews", body)
		}
		review(outsider, id, map[string]any{"scores": map[string]int{"team": 4, "market": 3}}).errorCode(404, "not_found")
		review(rev1, id, map[string]any{"scores": map[string]int{"team": 6, "market": 3}}).errorCode(400, "invalid")
		review(rev1, id, map[string]any{"scores": map[string]int{"team": 4}}).errorCode(400, "invalid")
		review(rev1, id, map[string]any{"scores": map[string]int{"team": 4, "market": 3}, "comment": "Đội mạnh"}).status(201)
		review(rev2, id, map[string]any{"scores": map[string]int{"team": 5, "market": 5}}).status(201)
		review(rev3, id, map[string]any{"scores": map[string]int{"team": 1, "market": 1}, "conflict_of_interest": true}).status(201)

		// A second application, reviewed lower, and a third without reviews.
		_, f2 := e.user("f2@example.vn", "founder")
		_, f3 := e.user("f3@example.vn", "founder")
		var ids []string
		for _, tok := range []string{f2, f3} {
			b := e.authed(tok, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Startup " + tok[:4], "answers": map[string]any{"problem": "p", "team_size": 2}}).status(201)
			e.authed(tok, "POST", "/api/v1/applications/"+b.str("application.id")+"/submit", nil).status(200)
			ids = append(ids, b.str("application.id"))
		}
		e.authed(org, "POST", "/api/v1/applications/"+ids[0]+"/reviewers", map[string]any{"user_id": rev1ID}).status(200)
		review(rev1, ids[0], map[string]any{"scores": map[string]int{"team": 2, "market": 5}}).status(201)

		// Hand-computed: (2·4+1·3)/3 = 3.667 and (2·5+1·5)/3 = 5, mean 4.333;
		// the conflicted review is left out. (2·2+1·5)/3 = 3.
		rank := e.authed(org, "GET", "/api/v1/programs/"+pid+"/ranking", nil).status(200)
		list := rank.json["applications"].([]any)
		got := ""
		for _, x := range list {
			m := x.(map[string]any)
			got += fmt.Sprintf("%v:%v:%v ", m["id"] == id, m["score"], m["reviews"])
		}
		if got != "true:4.333:2 false:3:1 false:<nil>:0 " {
			t.Fatalf("ranking: %s", got)
		}
		e.authed(founder, "GET", "/api/v1/programs/"+pid+"/ranking", nil).errorCode(403, "forbidden")

		// Cohort and decision.
		co := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 1 — 2027", "starts_at": now, "ends_at": now.Add(90 * 24 * time.Hour)}).status(201)
		e.authed(org, "POST", "/api/v1/applications/"+id+"/decision", map[string]any{"decision": "maybe"}).errorCode(400, "invalid")
		d := e.authed(org, "POST", "/api/v1/applications/"+id+"/decision", map[string]any{"decision": "accepted", "cohort_id": co.str("cohort.id")}).status(200)
		if d.str("application.status") != "accepted" || d.str("application.cohort_id") != co.str("cohort.id") {
			t.Fatalf("decision: %s", d.body)
		}
		if got := e.authed(founder, "GET", "/api/v1/applications/"+id, nil).status(200); got.str("application.status") != "accepted" {
			t.Fatalf("the founder sees the decision: %s", got.body)
		}

		// Outside the call: a submit is closed.
		late := e.authed(org, "POST", "/api/v1/programs", program("khoa-cu", now.Add(-2*time.Hour), now.Add(-time.Hour))).status(201)
		l := e.authed(other, "POST", "/api/v1/programs/"+late.str("program.id")+"/applications", map[string]any{"startup_name": "Trễ", "answers": map[string]any{"problem": "p", "team_size": 1}}).status(201)
		e.authed(other, "POST", "/api/v1/applications/"+l.str("application.id")+"/submit", nil).errorCode(409, "closed")
	})
}

// A founder who also reviews never reviews their own application, whether
// assigned by hand or by the automatic spread.
func TestFounderIsNeverAssignedTheirOwnApplication(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-tu-cham", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		founderID, founder := e.user("vua-lap-vua-cham@example.vn", "founder", "reviewer")
		id := e.authed(founder, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Tự Chấm",
			"answers": map[string]any{"problem": "p", "team_size": 2}}).status(201).str("application.id")
		e.authed(founder, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)
		msg := e.authed(org, "POST", "/api/v1/applications/"+id+"/reviewers", map[string]any{"user_id": founderID}).errorCode(400, "invalid")
		if !strings.Contains(msg, "chính") {
			t.Fatalf("assigning a founder their own application says %q", msg)
		}
		e.authed(founder, "POST", "/api/v1/applications/"+id+"/reviews", map[string]any{"scores": map[string]any{"team": 5}}).errorCode(404, "not_found")
	})
}
