package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sprout/internal/checkin"
)

// gateStaff makes a user with the staff role and returns their API token.
func (e *env) gateStaff(email, name string) string {
	e.t.Helper()
	e.authed(e.admin, "POST", "/api/v1/users", map[string]any{"email": email, "password": "staff-password", "name": name, "roles": []string{"staff"}}).status(201)
	return e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "staff-password"}).status(200).str("token")
}

// entryTicket registers a visitor and returns the ticket's id and the
// token its QR code holds.
func (e *env) entryTicket(eventID, typeID, name, email string) (id, token string) {
	e.t.Helper()
	r := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": name, "email": email}).status(201)
	return r.str("ticket.id"), r.str("ticket.token")
}

// scanAt checks a ticket in at a gate through the API and returns the
// result.
func (e *env) scanAt(staff, eventID, token, gate string, extra map[string]any) string {
	e.t.Helper()
	body := map[string]any{"token": token, "gate": gate}
	for k, v := range extra {
		body[k] = v
	}
	return e.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", body).status(200).str("result")
}

// stream opens a feed of server-sent events with the browser's cookies
// and hands over the data of each "counts" event. Reading stops when the
// test ends.
func (b *browser) stream(path string) (*http.Response, <-chan map[string]any) {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", b.e.base+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := b.c.Do(req)
	if err != nil {
		cancel()
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { cancel(); res.Body.Close() })
	out := make(chan map[string]any, 16)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		kind := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && kind == "counts":
				var m map[string]any
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &m) == nil {
					out <- m
				}
			case line == "":
				kind = ""
			}
		}
	}()
	return res, out
}

func nextCounts(t *testing.T, events <-chan map[string]any) map[string]any {
	t.Helper()
	select {
	case m, ok := <-events:
		if !ok {
			t.Fatal("the live feed ended")
		}
		return m
	case <-time.After(15 * time.Second):
		t.Fatal("no counts on the live feed within 15 s")
	}
	return nil
}

func gateEntries(m map[string]any) map[string]float64 {
	out := map[string]float64{}
	gates, _ := m["gates"].([]any)
	for _, g := range gates {
		g := g.(map[string]any)
		out[g["name"].(string)] = g["entries"].(float64)
	}
	return out
}

var statRE = regexp.MustCompile(`data-live="([a-z_]+)">([^<]*)<`)

// stats reads the numbers the dashboard shows.
func stats(html string) map[string]string {
	out := map[string]string{}
	for _, m := range statRE.FindAllStringSubmatch(html, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestDashboardShowsCheckinsAndFollowsThemLive(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		hung := e.gateStaff("hung@sprout.test", "Đỗ Văn Hùng")
		id, typeID := e.techfest(org, 50, false)
		e.onStaff(org, id, "hung@sprout.test")
		dash := "/manage/events/" + id + "/dashboard"
		var tokens []string
		for _, v := range []string{"lan", "binh", "anh", "hai"} {
			_, tok := e.entryTicket(id, typeID, "Khách "+v, v+"@example.vn")
			tokens = append(tokens, tok)
		}

		p := b.do("GET", dash, nil)
		if got := stats(p.html); p.code != 200 || got["registered"] != "4" || got["checked_in"] != "0" || got["inside"] != "0" || got["capacity"] != "50" {
			t.Fatalf("before anyone arrives: %d %v", p.code, got)
		}
		if !strings.Contains(p.html, "Chưa có lượt vào nào") {
			t.Fatal("the empty chart says nobody has entered yet")
		}

		if b.submit("/manage/events/"+id+"/staff", "/manage/events/"+id+"/gates", url.Values{"gates": {"Cổng A\nCổng B\nCổng C"}}).code != 303 {
			t.Fatal("naming the gates failed")
		}
		e.scanAt(hung, id, tokens[0], "Cổng A", nil)
		e.scanAt(hung, id, tokens[1], "Cổng A", nil)
		e.scanAt(hung, id, tokens[2], "Cổng B", nil)
		e.scanAt(hung, id, tokens[2], "Cổng B", map[string]any{"direction": "out"})

		p = b.do("GET", dash, nil)
		if got := stats(p.html); got["registered"] != "4" || got["checked_in"] != "3" || got["inside"] != "2" || got["arrived_pct"] != "75" {
			t.Fatalf("after three entries and one exit the dashboard shows %v", got)
		}
		for _, want := range []string{"<li><span>Cổng A</span><strong>2</strong></li>", "<li><span>Cổng B</span><strong>1</strong></li>",
			"<li><span>Cổng C</span><strong>0</strong></li>", "3 lượt vào; đông nhất", `src="/static/js/dashboard.js"`,
			`data-live-url="/manage/events/` + id + `/live"`, "Tải lại trang để cập nhật"} {
			if !strings.Contains(p.html, want) {
				t.Fatalf("the dashboard lacks %q", want)
			}
		}
		if n := strings.Count(p.html, "<rect "); n != 1 {
			t.Fatalf("three entries in one five-minute slot draw %d bars, want 1", n)
		}

		res, feed := b.stream("/manage/events/" + id + "/live")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("live feed: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		first := nextCounts(t, feed)
		if first["checked_in"] != float64(3) || first["inside"] != float64(2) || first["registered"] != float64(4) || first["capacity"] != float64(50) {
			t.Fatalf("the feed's first counts: %v", first)
		}
		e.scanAt(hung, id, tokens[3], "Cổng C", nil)
		next := nextCounts(t, feed)
		if next["checked_in"] != float64(4) || next["inside"] != float64(3) || gateEntries(next)["Cổng C"] != 1 || gateEntries(next)["Cổng A"] != 2 {
			t.Fatalf("after a check-in at Cổng C the feed sends %v", next)
		}
		if bars := next["chart"].(map[string]any)["bars"].([]any); len(bars) != 1 || !strings.Contains(bars[0].(map[string]any)["title"].(string), "4 lượt vào") {
			t.Fatalf("the chart's bars after four entries: %v", bars)
		}

		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Lê Minh"}).status(201)
		founder := e.signIn("f@sprout.test", "founder-pass")
		staff := e.signIn("hung@sprout.test", "staff-password")
		for _, path := range []string{dash, "/manage/events/" + id + "/live", "/manage/events/" + id + "/scans", "/manage/events/" + id + "/scans.csv", "/manage/events/" + id + "/staff"} {
			if p := founder.do("GET", path, nil); p.code != 403 {
				t.Fatalf("a founder on %s: %d", path, p.code)
			}
			if p := staff.do("GET", path, nil); p.code != 403 {
				t.Fatalf("gate staff on %s: %d", path, p.code)
			}
		}
		if p := e.browser("").do("GET", "/manage/events/"+id+"/live", nil); p.code != 302 {
			t.Fatalf("a stranger on the live feed: %d", p.code)
		}
		if p := b.do("GET", "/manage/events/nope/live", nil); p.code != 404 {
			t.Fatalf("the feed of an unknown event: %d", p.code)
		}
	})
}

func TestScanLogShowsWhoScannedAndConflicts(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		hung := e.gateStaff("hung@sprout.test", "Đỗ Văn Hùng")
		lan := e.gateStaff("lan@sprout.test", "Phạm Thị Lan")
		id, typeID := e.techfest(org, 50, false)
		e.onStaff(org, id, "hung@sprout.test")
		e.onStaff(org, id, "lan@sprout.test")
		log := "/manage/events/" + id + "/scans"
		_, hoa := e.entryTicket(id, typeID, "Nguyễn Thị Hoa", "hoa@example.vn")
		_, evil := e.entryTicket(id, typeID, `=HYPERLINK("http://evil.example","Bấm")`, "evil@example.vn")

		if p := b.do("GET", log, nil); p.code != 200 || !strings.Contains(p.html, "Chưa có lượt quét nào") {
			t.Fatalf("the empty log says what it will hold: %d", p.code)
		}
		// Two gates without a connection both let Hoa in.
		at := e.now().Add(-10 * time.Minute).UTC()
		if r := e.scanAt(hung, id, hoa, "Cổng A", map[string]any{"offline": true, "nonce": "a-1", "scanned_at": at}); r != "ok" {
			t.Fatalf("the first offline scan: %s", r)
		}
		if r := e.scanAt(lan, id, hoa, "Cổng B", map[string]any{"offline": true, "nonce": "b-1", "scanned_at": at.Add(time.Second)}); r != "already_checked_in" {
			t.Fatalf("the second offline scan: %s", r)
		}
		e.scanAt(hung, id, evil, "Cổng A", nil)

		p := b.do("GET", log, nil)
		for _, want := range []string{"3 lượt quét", "Đỗ Văn Hùng", "Phạm Thị Lan", "Cổng A", "Cổng B", "Nguyễn Thị Hoa", "Ngoại tuyến", "Hợp lệ",
			"Đã vào trước đó", "Xung đột", "1 lượt quét xung đột", at.Add(time.Second).In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04:05")} {
			if !strings.Contains(p.html, want) {
				t.Fatalf("the scan log lacks %q", want)
			}
		}
		if n := strings.Count(p.html, "/annul\""); n != 2 {
			t.Fatalf("%d annul buttons, want one per entry that let someone in", n)
		}

		p = b.do("GET", log+"?conflicts=1", nil)
		if !strings.Contains(p.html, "1 lượt quét") || !strings.Contains(p.html, "Phạm Thị Lan") || strings.Contains(p.html, "Đỗ Văn Hùng") {
			t.Fatal("conflicts only shows Lan's scan at Cổng B")
		}
		p = b.do("GET", log+"?gate="+url.QueryEscape("Cổng A"), nil)
		if !strings.Contains(p.html, "2 lượt quét") || strings.Contains(p.html, "Phạm Thị Lan") {
			t.Fatal("the gate filter keeps Cổng A's scans")
		}

		res, body := b.download(log + ".csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("csv: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil || len(rows) != 4 {
			t.Fatalf("csv rows %q, %v", rows, err)
		}
		if rows[0][0] != "Thời điểm quét (giờ Việt Nam)" || rows[0][4] != "Nhân viên quét" {
			t.Fatalf("csv header %q", rows[0])
		}
		byHolder := map[string][]string{}
		for _, r := range rows[1:] {
			byHolder[r[6]+"|"+r[1]] = r
		}
		if r := byHolder["Nguyễn Thị Hoa|Cổng B"]; r == nil || r[4] != "Phạm Thị Lan" || r[3] != "Đã vào trước đó" || r[7] != "Có" || r[9] != "Có" {
			t.Fatalf("the conflict's row %q", r)
		}
		if byHolder[`'=HYPERLINK("http://evil.example","Bấm")|Cổng A`] == nil {
			t.Fatalf("a name starting with = is not neutralised: %q", rows)
		}
		if _, body := b.download(log + ".csv?conflicts=1"); strings.Count(string(body), "\r\n") != 2 {
			t.Fatalf("the export keeps the filter: %q", body)
		}
	})
}

func TestAnnulAnEntryFromTheScanLog(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		hung := e.gateStaff("hung@sprout.test", "Đỗ Văn Hùng")
		id, typeID := e.techfest(org, 50, false)
		e.onStaff(org, id, "hung@sprout.test")
		log := "/manage/events/" + id + "/scans"
		ticket, tok := e.entryTicket(id, typeID, "Nguyễn Thị Hoa", "hoa@example.vn")
		e.scanAt(hung, id, tok, "Cổng A", nil)
		list, _, err := e.app.Checkin.Log(context.Background(), checkin.LogQuery{EventID: id, Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("log %v, %v", list, err)
		}
		annul := log + "/" + list[0].ID + "/annul"

		p := b.submit(log, annul, url.Values{"back": {log + "?gate=" + url.QueryEscape("Cổng A")}})
		if p.code != 303 || p.location != log+"?gate="+url.QueryEscape("Cổng A") {
			t.Fatalf("annul: %d %q", p.code, p.location)
		}
		p = b.do("GET", p.location, nil)
		if !strings.Contains(p.html, "Đã hủy lượt vào. Vé được tính là chưa vào.") || !strings.Contains(p.html, "badge-pending\">Đã hủy lượt vào") || strings.Contains(p.html, "/annul\"") {
			t.Fatal("after annulling, the log says so and offers no second annul")
		}
		if got := stats(b.do("GET", "/manage/events/"+id+"/dashboard", nil).html); got["checked_in"] != "0" || got["inside"] != "0" {
			t.Fatalf("after the annul the dashboard shows %v", got)
		}
		if _, inside, _ := e.app.Checkin.Presence(context.Background(), ticket); inside {
			t.Fatal("the ticket is still inside")
		}
		if p := b.submit(log, annul, url.Values{"back": {log}}); p.code != 303 || !strings.Contains(b.do("GET", p.location, nil).html, "flash-error") {
			t.Fatal("annulling twice is refused with a message")
		}
		if r := e.scanAt(hung, id, tok, "Cổng A", nil); r != "ok" {
			t.Fatalf("after the annul the ticket enters again: %s", r)
		}
		if p := b.submit(log, "/manage/events/"+id+"/scans/nope/annul", url.Values{}); p.code != 303 || !strings.Contains(b.do("GET", p.location, nil).html, "flash-error") {
			t.Fatalf("an unknown scan: %d", p.code)
		}
	})
}

func TestOrganizerStaffsTheGates(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		e.gateStaff("hung@sprout.test", "Đỗ Văn Hùng")
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Lê Minh"}).status(201)
		id, _ := e.techfest(org, 50, false)
		page := "/manage/events/" + id + "/staff"

		p := b.do("GET", page, nil)
		if p.code != 200 || !strings.Contains(p.html, "Chưa phân công nhân viên nào") || !strings.Contains(p.html, `href="`+page+`" aria-current="page"`) {
			t.Fatalf("the staff tab: %d", p.code)
		}
		p = b.submit(page, "/manage/events/"+id+"/gates", url.Values{"gates": {"  Cổng chính \r\n\r\nCổng B – VIP\ncổng   CHÍNH\n"}})
		if p.code != 303 {
			t.Fatalf("save gates: %d", p.code)
		}
		if gates, err := e.app.Staffing.Gates(context.Background(), id); err != nil || strings.Join(gates, "|") != "Cổng chính|Cổng B – VIP" {
			t.Fatalf("gates stored %q, %v", gates, err)
		}
		if p := b.do("GET", page, nil); !strings.Contains(p.html, "Đã lưu danh sách cổng") || !strings.Contains(p.html, "Cổng chính\nCổng B – VIP</textarea>") {
			t.Fatal("the gates come back one per line under the flash")
		}
		long := strings.Repeat("Cổng rất dài ", 10)
		if p := b.submit(page, "/manage/events/"+id+"/gates", url.Values{"gates": {"Cổng A\n" + long}}); p.code != 400 || !strings.Contains(p.html, "Tên cổng quá dài") || !strings.Contains(p.html, "Cổng A\n"+long) {
			t.Fatalf("a gate name too long: %d, the form must come back with the error and the input", p.code)
		}

		add := "/manage/events/" + id + "/staff"
		for email, want := range map[string]string{
			"nobody@sprout.test": "Chưa có tài khoản nào với email này",
			"f@sprout.test":      "chưa có vai trò Nhân viên cổng",
			"không phải email":   "Email không hợp lệ",
		} {
			if p := b.submit(page, add, url.Values{"email": {email}}); p.code < 400 || !strings.Contains(p.html, want) || !strings.Contains(p.html, `value="`+email+`"`) {
				t.Fatalf("assign %s: %d, want %q with the input", email, p.code, want)
			}
		}
		if p := b.submit(page, add, url.Values{"email": {" Hung@Sprout.test "}}); p.code != 303 {
			t.Fatalf("assign Hùng: %d", p.code)
		}
		p = b.do("GET", page, nil)
		if !strings.Contains(p.html, "Đã phân công nhân viên") || !strings.Contains(p.html, "Đỗ Văn Hùng") || !strings.Contains(p.html, "hung@sprout.test") {
			t.Fatal("Hùng is listed as staff")
		}
		if p := b.submit(page, add, url.Values{"email": {"hung@sprout.test"}}); p.code != 409 || !strings.Contains(p.html, "đã có trong danh sách nhân viên") {
			t.Fatalf("assigning twice: %d", p.code)
		}

		staff, err := e.app.Staffing.Staff(context.Background(), id)
		if err != nil || len(staff) != 1 {
			t.Fatalf("staff %v, %v", staff, err)
		}
		if p := b.submit(page, add+"/"+staff[0].ID+"/remove", url.Values{}); p.code != 303 {
			t.Fatalf("remove Hùng: %d", p.code)
		}
		if p := b.do("GET", page, nil); !strings.Contains(p.html, "Đã bỏ phân công nhân viên") || !strings.Contains(p.html, "Chưa phân công nhân viên nào") {
			t.Fatal("after the removal the event has no staff")
		}
		if p := b.submit(page, add+"/"+staff[0].ID+"/remove", url.Values{}); p.code != 404 {
			t.Fatalf("removing twice: %d", p.code)
		}
		founder := e.signIn("f@sprout.test", "founder-pass")
		if p := founder.submit("/account", add, url.Values{"email": {"hung@sprout.test"}}); p.code != 403 {
			t.Fatalf("a founder assigning staff: %d", p.code)
		}
	})
}

func TestStaffSeeTheEventsTheyWork(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	b := e.signIn("btc@sprout.test", "organizer-pass")
	e.gateStaff("hung@sprout.test", "Đỗ Văn Hùng")
	e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Lê Minh"}).status(201)
	worked, _ := e.techfest(org, 50, false)
	other, _ := e.techfest(org, 50, false)
	e.authed(org, "PUT", "/api/v1/events/"+other, map[string]any{"slug": "hoi-thao-khac", "title": "Hội thảo khác", "venue": "Đà Nẵng",
		"starts_at": e.now().Add(48 * time.Hour), "ends_at": e.now().Add(50 * time.Hour), "published": true}).status(200)
	staff := "/manage/events/" + worked + "/staff"
	b.submit(staff, "/manage/events/"+worked+"/gates", url.Values{"gates": {"Cổng chính\nCổng B – VIP"}})
	if p := b.submit(staff, staff, url.Values{"email": {"hung@sprout.test"}}); p.code != 303 {
		t.Fatalf("assign Hùng: %d", p.code)
	}

	hung := e.signIn("hung@sprout.test", "staff-password")
	p := hung.do("GET", "/gate", nil)
	if p.code != 200 || !strings.Contains(p.html, "Techfest Hà Nội 2026") || !strings.Contains(p.html, `href="/events/`+worked+`/gate"`) ||
		!strings.Contains(p.html, `<span class="chip">Cổng chính</span>`) || !strings.Contains(p.html, `<span class="chip">Cổng B – VIP</span>`) {
		t.Fatalf("Hùng's duties: %d", p.code)
	}
	if strings.Contains(p.html, "Hội thảo khác") {
		t.Fatal("Hùng sees an event he does not work at")
	}
	if p := b.do("GET", "/gate", nil); p.code != 200 || !strings.Contains(p.html, "Bạn chưa được phân công") {
		t.Fatalf("an organizer assigned nowhere: %d", p.code)
	}
	if p := e.signIn("f@sprout.test", "founder-pass").do("GET", "/gate", nil); p.code != 403 {
		t.Fatalf("a founder on /gate: %d", p.code)
	}
}
