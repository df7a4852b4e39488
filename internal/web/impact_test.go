package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"sprout/app"
	"sprout/internal/certs"
)

// impactNow fixes the app's clock in mid-2031, so every figure falls in one
// known year whatever day the test runs.
var impactNow = time.Date(2031, time.June, 10, 3, 0, 0, 0, time.UTC)

// The public figures equal what the API tells anyone who counts for
// themselves, breakdowns hide counts under 5, and the page, the JSON and
// the CSV agree.
func TestImpactFiguresMatchTheAPI(t *testing.T) {
	t.Parallel()
	atImpactNow := func(cfg app.Config) app.Config {
		cfg.ClockOffset = time.Until(impactNow)
		return cfg
	}
	forEachStoreConfig(t, atImpactNow, func(t *testing.T, cfg app.Config) {
		e := newEnv(t, cfg)
		org := e.organizer()
		now := e.now()

		// Applications: three founders submit, one keeps a draft; two are
		// accepted, one of them into a cohort, one is rejected.
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-2031", now.Add(-time.Hour), now.Add(48*time.Hour))).status(201).str("program.id")
		cohort := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 2031",
			"starts_at": now, "ends_at": now.Add(90 * 24 * time.Hour)}).status(201).str("cohort.id")
		var appIDs []string
		for i, submit := range []bool{true, true, true, false} {
			_, tok := e.user(fmt.Sprintf("sanglap%d@example.vn", i), "founder")
			id := e.authed(tok, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": fmt.Sprintf("Startup %d", i),
				"answers": map[string]any{"problem": "Nông dân thiếu dữ liệu", "team_size": 3}}).status(201).str("application.id")
			if submit {
				e.authed(tok, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)
			}
			appIDs = append(appIDs, id)
		}
		for i, d := range []map[string]any{{"decision": "accepted", "cohort_id": cohort}, {"decision": "accepted"}, {"decision": "rejected"}} {
			e.authed(org, "POST", "/api/v1/applications/"+appIDs[i]+"/decision", d).status(200)
		}

		// Certificates: three trainings (two of one person, one revoked)
		// and an enterprise's, re-issued with a correction.
		e.issueCert(certs.Training, "Nguyễn Văn An", "Khởi nghiệp tinh gọn", "test:an-1")
		e.issueCert(certs.Training, "Nguyễn Văn An", "Gọi vốn", "test:an-2")
		wrong := e.issueCert(certs.Training, "Lê Văn Cường", "Gọi vốn", "test:cuong")
		e.authed(org, "POST", "/api/v1/certificates/"+wrong.Code+"/revoke", map[string]any{"reason": "Không hoàn thành khóa học"}).status(200)
		ent := e.issueCert(certs.STEnterprise, "Công ty CP Mầm Xanh", "Doanh nghiệp khoa học và công nghệ", "test:mam-xanh")
		e.authed(org, "POST", "/api/v1/certificates/"+ent.Code+"/reissue", map[string]any{"holder": "Công ty Cổ phần Mầm Xanh",
			"title": ent.Title}).status(200)

		// An event tomorrow: six visitors enter, one entry is annulled, one
		// exhibitor is approved and one left waiting; then it ends.
		eventID, typeID := e.techfest(org, 20, false)
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "Mầm Xanh",
			"contact_email": "lienhe@mamxanh.vn", "description": "Nông nghiệp số"}).status(201)
		_, owner := e.user("trienlam@example.vn")
		waiting := e.authed(owner, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "Sen Vàng",
			"contact_email": "lienhe@senvang.vn", "description": "Giáo dục"}).status(201).str("exhibitor.id")
		list := e.authed(org, "GET", "/api/v1/events/"+eventID+"/exhibitors", nil).status(200).json["exhibitors"].([]any)
		for _, x := range list {
			if id := x.(map[string]any)["id"].(string); id != waiting {
				e.authed(org, "POST", "/api/v1/exhibitors/"+id+"/approve", nil).status(200)
			}
		}
		e.clock.Advance(25 * time.Hour)
		for i := range 6 {
			_, token := e.entryTicket(eventID, typeID, fmt.Sprintf("Khách %d", i), fmt.Sprintf("khach%d@example.vn", i))
			if got := e.scanAt(org, eventID, token, "Cổng A", nil); got != "ok" {
				t.Fatalf("entry %d: %s", i, got)
			}
		}
		scans := e.authed(org, "GET", "/api/v1/events/"+eventID+"/checkins", nil).status(200).json["scans"].([]any)
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/checkins/"+scans[0].(map[string]any)["id"].(string)+"/annul", nil).status(200)
		e.clock.Advance(24 * time.Hour)

		// Counted independently from the API.
		want := map[string]int{}
		supported, inCohort := map[string]bool{}, map[string]bool{}
		for _, id := range appIDs {
			a := e.authed(org, "GET", "/api/v1/applications/"+id, nil).status(200)
			if a.str("application.status") != "draft" {
				want["applications"]++
			}
			if a.str("application.status") == "accepted" {
				supported[a.str("application.founder_id")] = true
				if a.get("application.cohort_id") != nil {
					inCohort[a.str("application.founder_id")] = true
				}
			}
		}
		want["startups_supported"], want["startups_in_cohorts"] = len(supported), len(inCohort)
		trainees := map[string]bool{}
		for _, kind := range []string{"training", "st_enterprise"} {
			for _, x := range e.authed(org, "GET", "/api/v1/certificates?kind="+kind, nil).status(200).json["certificates"].([]any) {
				c := x.(map[string]any)
				if c["replaces"] == nil {
					want["certificates_issued"]++
				}
				if kind == "training" && c["status"] == "valid" {
					trainees[c["holder"].(string)] = true
				}
			}
		}
		want["trainees_certified"] = len(trainees)
		ev := e.call("GET", "/api/v1/events/"+eventID, nil).status(200)
		if ends, _ := time.Parse(time.RFC3339, ev.str("event.ends_at")); ends.Before(e.now()) {
			want["events_held"]++
		}
		want["visitors_checked_in"] = int(e.authed(org, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200).get("checked_in").(float64))
		for _, x := range e.authed(org, "GET", "/api/v1/events/"+eventID+"/exhibitors", nil).status(200).json["exhibitors"].([]any) {
			if x.(map[string]any)["status"] == "approved" {
				want["exhibitors"]++
			}
		}
		if fmt.Sprint(want) != "map[applications:3 certificates_issued:4 events_held:1 exhibitors:1 startups_in_cohorts:1 startups_supported:2 trainees_certified:1 visitors_checked_in:5]" {
			t.Fatalf("the seeding went otherwise than planned: %v", want)
		}

		r := e.call("GET", "/impact.json", nil).status(200)
		figures := r.json["figures"].(map[string]any)
		if len(figures) != 8 {
			t.Fatalf("figures: %s", r.body)
		}
		for name, n := range want {
			if figures[name] != float64(n) {
				t.Errorf("%s = %v; the API counts %d", name, figures[name], n)
			}
		}
		if at, err := time.Parse(time.RFC3339, r.str("updated_at")); err != nil || at.Sub(e.now()).Abs() > time.Second {
			t.Errorf("updated_at = %q, %v; the app's clock says %v", r.str("updated_at"), err, e.now())
		}
		// In a breakdown, 3 is hidden and 5 shown.
		byYear := r.json["by_year"].(map[string]any)
		apps := byYear["applications"].([]any)[0].(map[string]any)
		visitors := byYear["visitors_checked_in"].([]any)[0].(map[string]any)
		if len(byYear["applications"].([]any)) != 1 || apps["year"] != float64(2031) || apps["value"] != nil || apps["suppressed"] != true {
			t.Errorf("applications by year: %v", byYear["applications"])
		}
		if visitors["year"] != float64(2031) || visitors["value"] != float64(5) || visitors["suppressed"] != false {
			t.Errorf("visitors by year: %v", visitors)
		}
		kinds := r.json["certificates_by_kind"].(map[string]any)
		if tr := kinds["training"].(map[string]any); tr["total"] != nil || tr["suppressed"] != true {
			t.Errorf("training certificates: %v", tr)
		}
		defs := r.json["definitions"].(map[string]any)
		for name := range want {
			d, _ := defs[name].(map[string]any)
			if d["vi"] == "" || d["en"] == "" || d["vi"] == nil || d["en"] == nil {
				t.Errorf("no definition of %s: %v", name, defs[name])
			}
		}
		if r.str("licence.name") != "CC BY 4.0" {
			t.Errorf("licence: %v", r.json["licence"])
		}

		csv := e.call("GET", "/impact.csv", nil).status(200)
		body := string(csv.body)
		if !strings.HasPrefix(body, "\uFEFFfigure,year,value\r\n") || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %q %q", csv.header.Get("Content-Type"), body)
		}
		for _, line := range []string{"applications,2031,< 5\r\n", "applications,total,3\r\n", "visitors_checked_in,2031,5\r\n",
			"visitors_checked_in,total,5\r\n", "certificates_issued.training,total,< 5\r\n", "exhibitors,total,1\r\n"} {
			if !strings.Contains(body, line) {
				t.Errorf("the CSV has no %q:\n%s", line, body)
			}
		}

		// Counted once a minute: a new certificate shows after that.
		e.issueCert(certs.Training, "Trần Thị Bình", "Gọi vốn", "test:binh")
		if n := e.call("GET", "/impact.json", nil).status(200).get("figures.certificates_issued"); n != float64(4) {
			t.Errorf("within the minute: %v certificates", n)
		}
		e.clock.Advance(61 * time.Second)
		if n := e.call("GET", "/impact.json", nil).status(200).get("figures.certificates_issued"); n != float64(5) {
			t.Errorf("after the minute: %v certificates", n)
		}

		for lang, texts := range map[string][]string{
			"vi": {"Số liệu tác động", "Cách tính từng chỉ số", "&lt; 5", "CC BY 4.0", `href="/impact.csv"`, "<title id=\"visitors_checked_in-chart-title\">", "Năm 2031: 5"},
			"en": {"Impact figures", "How each figure is counted", "&lt; 5", "CC BY 4.0", `href="/impact.json"`, "Visitors checked in", "2031: &lt; 5"},
		} {
			p := e.browser(lang).do("GET", "/impact", nil)
			if p.code != 200 {
				t.Fatalf("/impact in %s: %d", lang, p.code)
			}
			for _, s := range texts {
				if !strings.Contains(p.html, s) {
					t.Errorf("/impact in %s has no %q", lang, s)
				}
			}
		}
		if home := e.browser("vi").do("GET", "/", nil); !strings.Contains(home.html, `href="/impact"`) {
			t.Error("the home page does not link to the figures")
		}
	})
}
