package web_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sprout/internal/vn"
)

// expoFloor is an event's floor as the organizer's pages drive it.
type expoFloor struct {
	e       *env
	org     string
	b       *browser
	eventID string
}

func (f expoFloor) boothPage(id string) string {
	return "/manage/events/" + f.eventID + "/booths/" + id
}

// act submits one form of a booth's panel.
func (f expoFloor) act(boothID, action string, form url.Values) page {
	f.e.t.Helper()
	return f.b.submit(f.boothPage(boothID), f.boothPage(boothID)+"/"+action, form)
}

// booth reads a booth's status and exhibitor through the API.
func (f expoFloor) booth(id string) (status, exhibitorID string) {
	f.e.t.Helper()
	r := f.e.authed(f.org, "GET", "/api/v1/events/"+f.eventID+"/booths", nil).status(200)
	for _, b := range r.get("booths").([]any) {
		m := b.(map[string]any)
		if m["id"] == id {
			x, _ := m["exhibitor_id"].(string)
			return m["status"].(string), x
		}
	}
	f.e.t.Fatalf("no booth %s in %s", id, r.body)
	return "", ""
}

func (f expoFloor) boothCount() int {
	f.e.t.Helper()
	return len(f.e.authed(f.org, "GET", "/api/v1/events/"+f.eventID+"/booths", nil).status(200).get("booths").([]any))
}

// wantBooth fails unless the booth stands as expected.
func (f expoFloor) wantBooth(what, id, status, exhibitorID string) {
	f.e.t.Helper()
	if st, x := f.booth(id); st != status || x != exhibitorID {
		f.e.t.Fatalf("%s: booth is %s for %q, want %s for %q", what, st, x, status, exhibitorID)
	}
}

// wantRefused fails unless a form came back with the status and message.
func wantRefused(t *testing.T, what string, p page, code int, msg string) {
	t.Helper()
	if p.code != code || !strings.Contains(html.UnescapeString(p.html), msg) {
		t.Fatalf("%s: %d, want %d with %q: %.2000s", what, p.code, code, msg, p.html)
	}
}

var (
	changeRowRE  = regexp.MustCompile(`(?s)<tr>\s*<td data-label="Thời gian">(.*?)</tr>`)
	tagRE        = regexp.MustCompile(`<[^>]+>`)
	trafficRowRE = regexp.MustCompile(`<tr data-booth-code="([^"]+)"><td class="num" data-label="#">(\d+)</td>.*?<td class="num"[^>]*>(\d+)</td></tr>`)
	zoneRowRE    = regexp.MustCompile(`<tr><td data-label="Khu">([^<]+)</td><td class="num"[^>]*>(\d+)</td><td class="num"[^>]*>(\d+)</td></tr>`)
)

func cells(row string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(row, " "))), " ")
}

func TestOrganizerRunsTheFloor(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		f := expoFloor{e: e, org: org, b: e.signIn("btc@sprout.test", "organizer-pass"), eventID: eventID}
		booth := func(code, zone string, x int) string {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
				map[string]any{"code": code, "hall": "Sảnh A", "zone": zone, "x": x, "y": 0, "w": 4, "h": 3}).status(201).str("booth.id")
		}
		a1, a2, b1 := booth("A1", "Khu Khởi nghiệp", 0), booth("A2", "Khu Khởi nghiệp", 4), booth("B1", "Khu Công nghệ", 8)
		exhibitor := func(owner, company string, approve bool) string {
			id := e.authed(owner, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
				"company": company, "contact_email": "lienhe@example.vn", "description": "Giới thiệu sản phẩm"}).status(201).str("exhibitor.id")
			if approve {
				e.authed(org, "POST", "/api/v1/exhibitors/"+id+"/approve", nil).status(200)
			}
			return id
		}
		mamOwner, senOwner := e.member("mamxanh@sprout.test"), e.member("senvang@sprout.test")
		mam := exhibitor(mamOwner, "Công ty Mầm Xanh", true)
		sen := exhibitor(senOwner, "Startup Sen Vàng", true)

		// The booth's page is the panel the plan's click opens.
		p := f.b.do("GET", f.boothPage(a1), nil)
		if p.code != 200 || !strings.Contains(p.html, "Gian A1") || !strings.Contains(p.html, `<option value="`+mam+`"`) ||
			!strings.Contains(p.html, `<option value="`+sen+`"`) || !strings.Contains(p.html, `class="booth-available booth-selected"`) {
			t.Fatalf("booth panel: %d %.3000s", p.code, p.html)
		}
		if ws := f.b.do("GET", "/manage/events/"+eventID+"/floor", nil); !strings.Contains(ws.html, `href="`+f.boothPage(a1)+`" data-booth="`+a1+`"`) {
			t.Fatalf("the plan's booths do not open their panel: %.3000s", ws.html)
		}

		// Assigning through the form.
		p = f.act(a1, "assign", url.Values{"exhibitor_id": {mam}})
		if p.code != 303 || p.location != f.boothPage(a1) {
			t.Fatalf("assign: %d %q %.1000s", p.code, p.location, p.html)
		}
		f.wantBooth("after assigning", a1, "assigned", mam)
		p = f.b.do("GET", p.location, nil)
		if !strings.Contains(p.html, "Đã gán gian hàng.") || !strings.Contains(p.html, `class="booth-company">Công ty Mầm Xanh`) ||
			!strings.Contains(p.html, `class="booth-assigned booth-selected"`) {
			t.Fatalf("after assigning: %.3000s", p.html)
		}

		// A second organizer, with the plan of a minute ago, gives it to another.
		p = f.b.do("POST", f.boothPage(a1)+"/assign", url.Values{"exhibitor_id": {sen}, "_csrf": {csrfRE.FindStringSubmatch(p.html)[1]}})
		wantRefused(t, "assigning a taken booth", p, 409, "Gian hàng vừa được gán cho đơn vị khác")
		if !strings.Contains(p.html, "<svg") || !strings.Contains(p.html, "Công ty Mầm Xanh") {
			t.Fatalf("the conflict does not show the fresh plan: %.3000s", p.html)
		}
		f.wantBooth("after the conflict", a1, "assigned", mam)

		// A hold keeps the booth for one exhibitor: the other cannot take it.
		wantRefused(t, "a hold of 0 hours", f.act(a2, "hold", url.Values{"exhibitor_id": {sen}, "hours": {"0"}}), 400,
			"Thời gian giữ chỗ từ 1 đến 168 giờ.")
		f.wantBooth("after a refused hold", a2, "available", "")
		if p := f.act(a2, "hold", url.Values{"exhibitor_id": {sen}, "hours": {"48"}}); p.code != 303 {
			t.Fatalf("hold: %d %.1000s", p.code, p.html)
		}
		f.wantBooth("after holding", a2, "held", sen)
		wantRefused(t, "assigning a booth held for another", f.act(a2, "assign", url.Values{"exhibitor_id": {mam}}), 409,
			"Gian hàng vừa được gán cho đơn vị khác")
		f.wantBooth("after the refused assign", a2, "held", sen)

		// Blocking takes only a free booth off the market; unblocking brings it back.
		wantRefused(t, "blocking an assigned booth", f.act(a1, "block", url.Values{}), 409, "Chỉ khóa được gian còn trống")
		f.wantBooth("after the refused block", a1, "assigned", mam)
		if p := f.act(b1, "block", url.Values{}); p.code != 303 {
			t.Fatalf("block: %d %.1000s", p.code, p.html)
		}
		f.wantBooth("after blocking", b1, "blocked", "")
		if p := f.b.do("GET", f.boothPage(b1), nil); !strings.Contains(p.html, "Mở lại gian hàng") || strings.Contains(p.html, `action="`+f.boothPage(b1)+`/assign"`) {
			t.Fatalf("a blocked booth's panel: %.3000s", p.html)
		}
		if p := f.act(b1, "unblock", url.Values{}); p.code != 303 {
			t.Fatalf("unblock: %d %.1000s", p.code, p.html)
		}
		f.wantBooth("after unblocking", b1, "available", "")
		wantRefused(t, "unblocking a booth that is not blocked", f.act(a1, "unblock", url.Values{}), 409, "Gian này không bị khóa.")
		f.wantBooth("after the refused unblock", a1, "assigned", mam)

		// Moving to a held booth changes nothing; to a free one, it moves.
		wantRefused(t, "moving onto a held booth", f.act(a1, "move", url.Values{"to_booth_id": {a2}}), 409,
			"Gian mới vừa được gán cho đơn vị khác; đơn vị vẫn ở gian cũ.")
		f.wantBooth("the source after the refused move", a1, "assigned", mam)
		f.wantBooth("the target after the refused move", a2, "held", sen)
		p = f.act(a1, "move", url.Values{"to_booth_id": {b1}})
		if p.code != 303 || p.location != f.boothPage(b1) {
			t.Fatalf("move: %d %q %.1000s", p.code, p.location, p.html)
		}
		f.wantBooth("the source after moving", a1, "available", "")
		f.wantBooth("the target after moving", b1, "assigned", mam)

		// The history tells each change, newest first, with who made it.
		p = f.b.do("GET", "/manage/events/"+eventID+"/booths/changes", nil)
		rows := changeRowRE.FindAllStringSubmatch(p.html, -1)
		var got []string
		for _, r := range rows {
			got = append(got, cells(r[1]))
		}
		today := e.now().In(vn.Zone).Format("02/01/2006")
		want := []string{
			"A1 Trả lại gian trống Công ty Mầm Xanh Trần Quốc Bảo",
			"B1 Chuyển đơn vị đến Công ty Mầm Xanh Trần Quốc Bảo",
			"B1 Trả lại gian trống Trần Quốc Bảo",
			"B1 Khóa gian Trần Quốc Bảo",
			"A2 Giữ chỗ Startup Sen Vàng Trần Quốc Bảo",
			"A1 Gán cho đơn vị Công ty Mầm Xanh Trần Quốc Bảo",
			"B1 Tạo gian Trần Quốc Bảo",
			"A2 Tạo gian Trần Quốc Bảo",
			"A1 Tạo gian Trần Quốc Bảo",
		}
		if len(got) != len(want) {
			t.Fatalf("history rows:\n%s", strings.Join(got, "\n"))
		}
		for i := range got {
			when, what, _ := strings.Cut(got[i], " ")
			if !strings.HasPrefix(got[i], today+" ") {
				t.Errorf("history row %d is not dated today in Vietnam (%s): %q", i, today, when)
			}
			_, got[i], _ = strings.Cut(what, " ")
		}
		// The move and the release it causes share a moment, as may the
		// booths the API made in a row: within those, any order.
		for _, span := range [][2]int{{0, 2}, {2, 6}, {6, 9}} {
			g, w := slices.Clone(got[span[0]:span[1]]), slices.Clone(want[span[0]:span[1]])
			if span[0] != 2 {
				slices.Sort(g)
				slices.Sort(w)
			}
			if !slices.Equal(g, w) {
				t.Errorf("history rows %v:\n%s\nwant\n%s", span, strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
		}
		if n := len(e.authed(org, "GET", "/api/v1/events/"+eventID+"/booths/changes", nil).status(200).get("changes").([]any)); n != len(want) {
			t.Errorf("API history: %d changes, want %d", n, len(want))
		}
	})
}

func TestBoothFormRefusesOverlapsAndTakenCodes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		f := expoFloor{e: e, org: org, b: e.signIn("btc@sprout.test", "organizer-pass"), eventID: eventID}
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
			map[string]any{"code": "A1", "hall": "Sảnh A", "zone": "Khu Khởi nghiệp", "x": 0, "y": 0, "w": 4, "h": 3}).status(201)
		floor := "/manage/events/" + eventID + "/floor"
		add := func(code, x string) page {
			return f.b.submit(floor, "/manage/events/"+eventID+"/booths", url.Values{"code": {code}, "hall": {"Sảnh A"},
				"zone": {"Khu Khởi nghiệp"}, "x": {x}, "y": {"0"}, "w": {"3"}, "h": {"3"}, "size_class": {"M"}, "price": {"6.000.000"}})
		}
		// The error sits next to the field it is about, the input is kept.
		next := func(p page, field, msg string) {
			t.Helper()
			at := strings.Index(p.html, `id="new-`+field+`"`)
			if at < 0 || !strings.Contains(p.html[at:], `<p class="field-error" role="alert" id="new-`+field+`-error">`+msg) {
				t.Fatalf("%q is not shown after field %s: %.4000s", msg, field, p.html)
			}
			if !strings.Contains(p.html, `id="new-code" name="code" type="text" required maxlength="20" value="`) {
				t.Fatal("the form is gone")
			}
		}
		p := add("A9", "2")
		wantRefused(t, "an overlapping booth", p, 409, "Gian hàng này chồng lên một gian hàng khác trong cùng sảnh.")
		next(p, "x", "Gian hàng này chồng lên một gian hàng khác trong cùng sảnh.")
		if !strings.Contains(p.html, `value="A9"`) {
			t.Error("the code typed is lost")
		}
		p = add("A1", "20")
		wantRefused(t, "a taken code", p, 409, "Mã gian hàng này đã có ở sự kiện.")
		next(p, "code", "Mã gian hàng này đã có ở sự kiện.")
		p = add("A9", "bốn")
		wantRefused(t, "a position that is no number", p, 400, "Hãy nhập một số nguyên.")
		next(p, "x", "Hãy nhập một số nguyên.")
		if n := f.boothCount(); n != 1 {
			t.Fatalf("refused forms made booths: %d", n)
		}
		p = add("A9", "4")
		if p.code != 303 || !strings.HasPrefix(p.location, "/manage/events/"+eventID+"/booths/") {
			t.Fatalf("adding a booth: %d %.1000s", p.code, p.html)
		}
		if p = f.b.do("GET", p.location, nil); !strings.Contains(p.html, "Đã thêm gian hàng.") || !strings.Contains(p.html, "6.000.000 ₫") {
			t.Fatalf("the new booth's panel: %.3000s", p.html)
		}
		if n := f.boothCount(); n != 2 {
			t.Fatalf("booths after adding one: %d", n)
		}
	})
}

func TestExhibitorsListAndTraffic(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 50, false)
		f := expoFloor{e: e, org: org, b: e.signIn("btc@sprout.test", "organizer-pass"), eventID: eventID}
		booth := func(code, zone string, x int) string {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
				map[string]any{"code": code, "zone": zone, "x": x, "y": 0, "w": 3, "h": 3}).status(201).str("booth.id")
		}
		a1, a2, c1, b1 := booth("A1", "Khu Khởi nghiệp", 0), booth("A2", "Khu Khởi nghiệp", 3), booth("C1", "Khu Khởi nghiệp", 6), booth("B1", "Khu Công nghệ", 9)
		booth("B2", "Khu Công nghệ", 12)
		owners := map[string]string{}
		apply := func(company string) string {
			email := strings.ReplaceAll(strings.ToLower(vn.Fold(company)), " ", ".") + "@example.vn"
			owners[company] = e.member(email)
			return e.authed(owners[company], "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
				"company": company, "contact_email": email, "description": "Giới thiệu"}).status(201).str("exhibitor.id")
		}
		mam, sen, nong, lang := apply("Công ty Mầm Xanh"), apply("Startup Sen Vàng"), apply("Nông Sản Sạch"), apply("Làng Nghề Số")

		// The list filters by status; deciding goes back to the same view.
		list := "/manage/events/" + eventID + "/exhibitors"
		p := f.b.do("GET", list+"?status=pending", nil)
		if p.code != 200 || strings.Count(p.html, `<tr id="x-`) != 4 || !strings.Contains(p.html, "Chờ duyệt (4)") {
			t.Fatalf("pending list: %d %.3000s", p.code, p.html)
		}
		for _, x := range []string{mam, sen, nong} {
			p = f.b.submit(list+"?status=pending", "/manage/events/"+eventID+"/exhibitors/"+x+"/approve", url.Values{"back": {list + "?status=pending"}})
			if p.code != 303 || p.location != list+"?status=pending" {
				t.Fatalf("approve: %d %q", p.code, p.location)
			}
		}
		p = f.b.do("GET", list+"?status=pending", nil)
		if !strings.Contains(p.html, "Đã duyệt đơn vị trưng bày.") || strings.Count(p.html, `<tr id="x-`) != 1 || !strings.Contains(p.html, "Làng Nghề Số") {
			t.Fatalf("pending after approving three: %.3000s", p.html)
		}
		if !strings.Contains(p.html, `action="/manage/events/`+eventID+`/exhibitors/`+lang+`/reject" data-confirm="Từ chối đơn của Làng Nghề Số?"`) {
			t.Fatalf("rejecting asks first: %.3000s", p.html)
		}
		f.b.submit(list, "/manage/events/"+eventID+"/exhibitors/"+lang+"/reject", url.Values{"reason": {"Chưa đủ hồ sơ"}}).status(t, 303)
		if p = f.b.do("GET", list+"?status=rejected", nil); strings.Count(p.html, `<tr id="x-`) != 1 || !strings.Contains(p.html, "Làng Nghề Số") {
			t.Fatalf("rejected list: %.3000s", p.html)
		}

		// A cohort startup is marked, and first when asked for.
		x, err := e.app.Store.Exhibitor(context.Background(), nong)
		if err != nil {
			t.Fatal(err)
		}
		x.CohortID = "khoa-2026"
		if err := e.app.Store.UpdateExhibitor(context.Background(), x, nil); err != nil {
			t.Fatal(err)
		}
		p = f.b.do("GET", list+"?status=approved&sort=startups", nil)
		first := strings.Index(p.html, `<tr id="x-`)
		if first < 0 || !strings.HasPrefix(p.html[first:], `<tr id="x-`+nong+`" class="startup">`) || !strings.Contains(p.html, "★ Khởi nghiệp ươm tạo") {
			t.Fatalf("startups first: %.3000s", p.html)
		}
		p = f.b.do("GET", f.boothPage(a1), nil)
		if star, other := strings.Index(p.html, ">★ Nông Sản Sạch · Khởi nghiệp ươm tạo<"), strings.Index(p.html, ">Công ty Mầm Xanh<"); star < 0 || other < star {
			t.Fatalf("the booth's select does not put the startup first: %.3000s", p.html)
		}

		// Booths: Mầm Xanh at B1; Sen Vàng at A2 and C1; Nông Sản at A1.
		assign := func(boothID, x string) { f.act(boothID, "assign", url.Values{"exhibitor_id": {x}}).status(t, 303) }
		assign(b1, mam)
		assign(a2, sen)
		assign(c1, sen)
		assign(a1, nong)
		if p = f.b.do("GET", list, nil); !strings.Contains(cells(p.html), "A2, C1") {
			t.Fatalf("the list lacks the booths an exhibitor has: %.3000s", p.html)
		}
		lead := func(x string, n int) {
			company := map[string]string{mam: "Công ty Mầm Xanh", sen: "Startup Sen Vàng"}[x]
			for i := range n {
				tok := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID,
					"name": "Khách " + company, "email": strings.ReplaceAll(x, "-", "") + string(rune('a'+i)) + "@khach.vn"}).status(201).str("ticket.token")
				e.authed(owners[company], "POST", "/api/v1/exhibitors/"+x+"/leads", map[string]any{"token": tok}).status(201)
			}
		}
		lead(mam, 3)
		lead(sen, 2)

		p = f.b.do("GET", "/manage/events/"+eventID+"/traffic", nil)
		if p.code != 200 || !strings.Contains(p.html, "5 khách tiềm năng được quét") {
			t.Fatalf("traffic: %d %.3000s", p.code, p.html)
		}
		var ranking []string
		for _, m := range trafficRowRE.FindAllStringSubmatch(p.html, -1) {
			ranking = append(ranking, m[1]+" #"+m[2]+" "+m[3])
		}
		// Sen Vàng's two booths each show its leads, sharing a rank.
		if got, want := strings.Join(ranking, ", "), "B1 #1 3, A2 #2 2, C1 #2 2, A1 #4 0"; got != want {
			t.Fatalf("booth ranking: %q, want %q", got, want)
		}
		var zones []string
		for _, m := range zoneRowRE.FindAllStringSubmatch(p.html, -1) {
			zones = append(zones, m[1]+" "+m[2]+" "+m[3])
		}
		// A zone counts Sen Vàng once, though it has two booths there.
		if got, want := strings.Join(zones, ", "), "Khu Công nghệ 2 3, Khu Khởi nghiệp 3 2"; got != want {
			t.Fatalf("zone ranking: %q, want %q", got, want)
		}
		for _, want := range []string{`<rect class="heat-5"`, `<rect class="heat-4"`, `<rect class="heat-0"`, `<span class="swatch heat-4"></span>2 khách tiềm năng`} {
			if !strings.Contains(p.html, want) {
				t.Errorf("heat view lacks %q", want)
			}
		}
		api := e.authed(org, "GET", "/api/v1/events/"+eventID+"/traffic", nil).status(200)
		if api.get("total") != 5.0 || api.get("max") != 3.0 {
			t.Fatalf("traffic API: %s", api.body)
		}

		// The public plan has a legend and leads from a booth to its exhibitor.
		p = e.browser("").do("GET", "/events/"+eventID+"/floor", nil)
		// By code: A1 is Nông Sản's, A2 Sen Vàng's, so Sen Vàng is the second entry.
		for _, want := range []string{"Đã có đơn vị (4)", "Còn trống (1)", `<a href="#x2"><title>A2 — Startup Sen Vàng</title>`,
			`<a href="#x2"><title>C1 — Startup Sen Vàng</title>`, `<li id="x2"><b>Startup Sen Vàng</b> · A2, C1</li>`} {
			if !strings.Contains(p.html, want) {
				t.Errorf("public floor plan lacks %q", want)
			}
		}
	})
}

func (p page) status(t *testing.T, want int) page {
	t.Helper()
	if p.code != want {
		t.Fatalf("status %d, want %d: %.2000s", p.code, want, p.html)
	}
	return p
}
