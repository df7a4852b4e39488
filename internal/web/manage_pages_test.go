package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sprout/internal/ids"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// signIn opens a browser signed in with the given account.
func (e *env) signIn(email, password string) *browser {
	e.t.Helper()
	b := e.browser("")
	if p := b.submit("/login", "/login", url.Values{"email": {email}, "password": {password}}); p.code != 303 {
		e.t.Fatalf("sign in as %s: %d", email, p.code)
	}
	return b
}

// download fetches a file with the browser's cookies; hdr holds header
// name and value pairs.
func (b *browser) download(path string, hdr ...string) (*http.Response, []byte) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.e.base+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, body
}

// register signs a visitor up through the public API and returns the
// ticket's id.
func (e *env) register(eventID, typeID, name, email, phone string) string {
	e.t.Helper()
	return e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{
		"ticket_type_id": typeID, "name": name, "email": email, "phone": phone, "share_contact": phone != "",
	}).status(201).str("ticket.id")
}

func localInput(t time.Time) string { return t.In(vn.Zone).Format("2006-01-02T15:04") }

var (
	eventPathRE = regexp.MustCompile(`^/manage/events/([0-9a-z]+)$`)
	csvLinkRE   = regexp.MustCompile(`href="(/manage/events/[0-9a-z]+/registrations\.csv[^"]*)"`)
	nextPageRE  = regexp.MustCompile(`href="\?([^"]*)" rel="next"`)
)

func TestOrganizerManagesEventsThroughPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "f@sprout.test", "password": "founder-pass", "name": "Lê Minh"}).status(201)
		founder := e.signIn("f@sprout.test", "founder-pass")
		for _, path := range []string{"/manage", "/manage/events", "/manage/events/new"} {
			if p := founder.do("GET", path, nil); p.code != 403 {
				t.Fatalf("a founder on %s: %d", path, p.code)
			}
		}
		if p := founder.do("GET", "/", nil); strings.Contains(p.html, "/manage/events") {
			t.Fatal("a founder sees the organizer's menu")
		}
		if p := e.browser("").do("GET", "/manage/events", nil); p.code != 302 || !strings.HasPrefix(p.location, "/login?next=") {
			t.Fatalf("a stranger on /manage/events: %d %q", p.code, p.location)
		}

		p := b.do("GET", "/manage/events", nil)
		if p.code != 200 || !strings.Contains(p.html, "Chưa có sự kiện nào") || !strings.Contains(p.html, `href="/manage/events/new"`) || !strings.Contains(p.html, "Quản lý sự kiện") {
			t.Fatalf("the empty list says what to do next: %d", p.code)
		}

		start := e.now().In(vn.Zone).AddDate(0, 1, 0).Truncate(time.Hour)
		event := url.Values{
			"slug": {"Techfest Đà Nẵng!"}, "title": {"Techfest Đà Nẵng"}, "title_en": {"Techfest Da Nang"}, "venue": {"Cung Hội nghị Ariyana"},
			"description": {"Ngày hội khởi nghiệp."}, "starts_at": {localInput(start)}, "ends_at": {localInput(start.Add(9 * time.Hour))}, "published": {"on"},
		}
		p = b.submit("/manage/events/new", "/manage/events", event)
		if p.code != 400 || !strings.Contains(p.html, "Đường dẫn chỉ gồm chữ thường") || !strings.Contains(p.html, `value="Techfest Đà Nẵng"`) || !strings.Contains(p.html, "Cung Hội nghị Ariyana") {
			t.Fatalf("a bad slug: %d, the form must come back with the error and the input", p.code)
		}
		event.Set("slug", "techfest-da-nang")
		event.Set("ends_at", "ngày mai")
		if p := b.submit("/manage/events/new", "/manage/events", event); p.code != 400 || !strings.Contains(p.html, "Ngày giờ không hợp lệ") {
			t.Fatalf("an unreadable time: %d", p.code)
		}
		if _, total, _ := e.app.Events.All(context.Background(), 0, 10); total != 0 {
			t.Fatalf("bad input stored %d events", total)
		}

		event.Set("ends_at", localInput(start.Add(9*time.Hour)))
		p = b.submit("/manage/events/new", "/manage/events", event)
		m := eventPathRE.FindStringSubmatch(p.location)
		if p.code != 303 || m == nil {
			t.Fatalf("create: %d %q", p.code, p.location)
		}
		id, page := m[1], m[0]
		ev, err := e.app.Events.Event(context.Background(), id, true)
		if err != nil || !ev.StartsAt.Equal(start) || ev.Title != "Techfest Đà Nẵng" || !ev.Published {
			t.Fatalf("stored event %+v, %v; want the typed time read as Vietnam's", ev, err)
		}
		p = b.do("GET", page, nil)
		if !strings.Contains(p.html, "Đã tạo sự kiện") || !strings.Contains(p.html, `value="`+localInput(start)+`"`) || !strings.Contains(p.html, "Chưa có loại vé nào") {
			t.Fatal("the new event's page shows the flash, the times as typed, and asks for a ticket type")
		}

		if p := b.submit(page, page+"/types", url.Values{"name": {"Khách tham quan"}, "capacity": {"nhiều"}}); p.code != 400 || !strings.Contains(p.html, "Sức chứa phải từ 0 đến") || !strings.Contains(p.html, `value="nhiều"`) {
			t.Fatalf("a capacity that is no number: %d", p.code)
		}
		if p := b.submit(page, page+"/types", url.Values{"name": {"Khách tham quan"}, "capacity": {"1"}, "waitlist": {"on"}}); p.code != 303 {
			t.Fatalf("add a ticket type: %d", p.code)
		}
		types, _ := e.app.Events.TicketTypes(context.Background(), id)
		if len(types) != 1 || types[0].Capacity != 1 || !types[0].Waitlist {
			t.Fatalf("types %+v", types)
		}
		typeID := types[0].ID

		session := url.Values{"title": {"Khai mạc"}, "room": {"Hội trường A"}, "speakers": {"Ban tổ chức"},
			"starts_at": {localInput(start)}, "ends_at": {localInput(start)}}
		if p := b.submit(page, page+"/agenda", session); p.code != 400 || !strings.Contains(p.html, "kết thúc phải sau") || !strings.Contains(p.html, `value="Hội trường A"`) {
			t.Fatalf("a session ending as it starts: %d", p.code)
		}
		session.Set("ends_at", localInput(start.Add(30*time.Minute)))
		if p := b.submit(page, page+"/agenda", session); p.code != 303 {
			t.Fatalf("add a session: %d", p.code)
		}
		p = b.do("GET", page, nil)
		if !strings.Contains(p.html, "Khai mạc") || !strings.Contains(p.html, "Hội trường A") || !strings.Contains(p.html, "data-confirm=") {
			t.Fatal("the agenda lists the session with a confirmed delete")
		}

		e.register(id, typeID, "Nguyễn Thị Lan", "lan@example.vn", "")
		p = b.submit(page, page+"/types/"+typeID, url.Values{"name": {"Khách tham quan"}, "capacity": {"0"}})
		if p.code != 409 || !strings.Contains(p.html, "Sức chứa không được nhỏ hơn số vé đã phát hành") || !strings.Contains(p.html, "<details class=\"row-edit\" open>") {
			t.Fatalf("capacity below the tickets issued: %d, the type's form must be open with the error", p.code)
		}
		if tt, _ := e.app.Events.TicketType(context.Background(), typeID); tt.Capacity != 1 {
			t.Fatalf("capacity became %d", tt.Capacity)
		}
		if p := b.submit(page, page+"/types/"+typeID, url.Values{"name": {"Khách tham quan"}, "capacity": {"500"}}); p.code != 303 {
			t.Fatalf("raise the capacity: %d", p.code)
		}
		p = b.do("GET", "/manage/events", nil)
		if !strings.Contains(p.html, "Techfest Đà Nẵng") || !strings.Contains(p.html, "1 / 500") || !strings.Contains(p.html, "Đã công bố") {
			t.Fatal("the list shows the event, its seats and that it is published")
		}

		agenda, _ := e.app.Events.Agenda(context.Background(), id)
		if p := b.submit(page, page+"/agenda/"+agenda[0].ID+"/delete", url.Values{}); p.code != 303 {
			t.Fatalf("delete the session: %d", p.code)
		}
		if agenda, _ := e.app.Events.Agenda(context.Background(), id); len(agenda) != 0 {
			t.Fatal("the session is still there")
		}

		event.Set("title", "Techfest Đà Nẵng 2027")
		event.Del("published")
		if p := b.submit(page, page, event); p.code != 303 {
			t.Fatalf("save the event: %d", p.code)
		}
		p = b.do("GET", "/manage/events", nil)
		if !strings.Contains(p.html, "Techfest Đà Nẵng 2027") || !strings.Contains(p.html, "Bản nháp") {
			t.Fatal("the renamed event is listed as a draft")
		}
		if p := e.browser("").do("GET", "/events/techfest-da-nang", nil); p.code != 404 {
			t.Fatalf("the unpublished event is public: %d", p.code)
		}
	})
}

func TestOrganizerWorksTheRegistrationList(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		id, typeID := e.techfest(org, 2, false)
		lan := e.register(id, typeID, "Nguyễn Thị Lan", "lan@example.vn", "0912 345 678")
		e.register(id, typeID, "Trần Văn Bình", "binh@example.vn", "")
		list := "/manage/events/" + id + "/registrations"

		p := b.do("GET", list+"?q=nguyen+thi+lan", nil)
		if p.code != 200 || !strings.Contains(p.html, "Nguyễn Thị Lan") || strings.Contains(p.html, "Trần Văn Bình") || !strings.Contains(p.html, "1 lượt đăng ký") || !strings.Contains(p.html, "0912 345 678") {
			t.Fatalf("search without diacritics: %d", p.code)
		}
		link := csvLinkRE.FindStringSubmatch(p.html)
		if link == nil {
			t.Fatal("no CSV export link")
		}
		if res, _ := b.download(html.UnescapeString(link[1])); res.Header.Get("X-Total-Rows") != "1" {
			t.Fatalf("the export link %s does not carry the search", link[1])
		}

		p = b.submit(list, list+"/"+lan+"/cancel", url.Values{"back": {list + "?status=active"}})
		if p.code != 303 || p.location != list+"?status=active" {
			t.Fatalf("cancel: %d %q", p.code, p.location)
		}
		p = b.do("GET", p.location, nil)
		if !strings.Contains(p.html, "Vé đã được hủy") || strings.Contains(p.html, "Nguyễn Thị Lan") || !strings.Contains(p.html, "Trần Văn Bình") {
			t.Fatal("after cancelling, the active list holds only Bình, under the flash")
		}
		p = b.do("GET", list+"?status=cancelled", nil)
		if !strings.Contains(p.html, "Nguyễn Thị Lan") || strings.Contains(p.html, "Trần Văn Bình") || !strings.Contains(p.html, "Đã hủy") {
			t.Fatal("the cancelled filter shows Lan only")
		}
		if tt, _ := e.app.Events.TicketType(context.Background(), typeID); tt.Remaining() != 1 {
			t.Fatalf("the seat is not free: %d remaining", tt.Remaining())
		}
		e.register(id, typeID, "Phạm Ngọc Ánh", "anh@example.vn", "")

		p = b.submit(list, list+"/"+lan+"/cancel", url.Values{"back": {list}})
		if p = b.do("GET", p.location, nil); !strings.Contains(p.html, "Vé này đã bị hủy") {
			t.Fatal("cancelling twice is explained")
		}
		binh, _, _ := e.app.Tickets.List(context.Background(), tickets.Query{EventID: id, Text: "binh"})
		if p := b.submit(list, list+"/"+binh[0].ID+"/resend", url.Values{"back": {list}}); p.code != 303 {
			t.Fatalf("resend: %d", p.code)
		}
		if p := b.do("GET", list, nil); !strings.Contains(p.html, "Đã gửi lại vé") {
			t.Fatal("the resend is confirmed")
		}
		if msgs, _, _ := e.app.Store.ListMail(context.Background(), mailQuery("binh@example.vn")); len(msgs) != 2 {
			t.Fatalf("Bình has %d mails, want the ticket twice", len(msgs))
		}

		other, otherType := e.techfest(org, 5, false)
		stranger := e.register(other, otherType, "Đỗ Hải", "hai@example.vn", "")
		if p := b.submit(list, list+"/"+stranger+"/cancel", url.Values{}); p.code != 404 {
			t.Fatalf("another event's ticket through this list: %d", p.code)
		}
		if tk, _ := e.app.Tickets.Ticket(context.Background(), stranger); tk.Status != tickets.Active {
			t.Fatal("another event's ticket was cancelled")
		}
	})
}

func TestRegistrationExports(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		id, typeID := e.techfest(org, 10, false)
		lan := e.register(id, typeID, "Nguyễn Thị Lan", "lan@example.vn", "0912 345 678")
		e.register(id, typeID, `=HYPERLINK("http://evil.example","Bấm")`, "evil@example.vn", "")
		e.register(id, typeID, "Trần Văn Bình", "binh@example.vn", "")
		base := "/manage/events/" + id + "/registrations"

		res, body := b.download(base + ".csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || res.Header.Get("X-Total-Rows") != "3" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("csv: %d %v", res.StatusCode, res.Header)
		}
		if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
			t.Fatal("the CSV has no byte order mark: Excel would garble Vietnamese")
		}
		rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Mã vé", "Họ và tên", "Email", "Số điện thoại", "Loại vé", "Trạng thái", "Đăng ký lúc (giờ Việt Nam)", "Đồng ý chia sẻ liên hệ",
			"Đồng ý lúc (giờ Việt Nam)", "Nội dung đã đồng ý"}
		if len(rows) != 4 || strings.Join(rows[0], "|") != strings.Join(want, "|") {
			t.Fatalf("csv rows %q", rows)
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			byName[r[1]] = r
		}
		tk, _ := e.app.Tickets.Ticket(context.Background(), lan)
		lanRow := byName["Nguyễn Thị Lan"]
		if lanRow == nil || lanRow[0] != lan || lanRow[2] != "lan@example.vn" || lanRow[3] != "0912 345 678" || lanRow[4] != "Khách tham quan" ||
			lanRow[5] != "Còn hiệu lực" || lanRow[6] != tk.CreatedAt.In(vn.Zone).Format("2006-01-02 15:04:05") || lanRow[7] != "Có" {
			t.Fatalf("Lan's row %q", lanRow)
		}
		if !tk.Consent.Given() || lanRow[8] != tk.Consent.At.In(vn.Zone).Format("2006-01-02 15:04:05") ||
			lanRow[9] != "Tôi đồng ý chia sẻ email và số điện thoại với các đơn vị triển lãm khi họ quét vé của tôi." {
			t.Fatalf("Lan's consent in the export: %q, recorded %+v", lanRow[7:], tk.Consent)
		}
		if r := byName["Trần Văn Bình"]; r[7] != "Không" || r[8] != "" || r[9] != "" {
			t.Fatalf("a registration without consent: %q", r)
		}
		if byName[`'=HYPERLINK("http://evil.example","Bấm")`] == nil {
			t.Fatalf("a name starting with = is not neutralised: %q", rows)
		}

		res, body = b.download(base + ".csv?q=lan")
		if rows, _ := csv.NewReader(bytes.NewReader(body[3:])).ReadAll(); res.Header.Get("X-Total-Rows") != "1" || len(rows) != 2 || rows[1][1] != "Nguyễn Thị Lan" {
			t.Fatalf("the export keeps the search: %q", rows)
		}

		res, body = b.download(base+".xlsx", "Accept-Encoding", "identity")
		if res.StatusCode != 200 || res.ContentLength != int64(len(body)) || res.Header.Get("X-Total-Rows") != "3" {
			t.Fatalf("xlsx: %d, length %d for %d bytes", res.StatusCode, res.ContentLength, len(body))
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		xrows, err := f.GetRows("Đăng ký")
		if err != nil || len(xrows) != 4 || strings.Join(xrows[0], "|") != strings.Join(want, "|") {
			t.Fatalf("xlsx rows %q, %v", xrows, err)
		}
		names := map[string][]string{}
		for i, r := range xrows[1:] {
			cell := fmt.Sprintf("B%d", i+2)
			if formula, _ := f.GetCellFormula("Đăng ký", cell); formula != "" {
				t.Fatalf("%s holds a formula %q", cell, formula)
			}
			names[r[1]] = r
		}
		if r := names["Nguyễn Thị Lan"]; r == nil || r[3] != "0912 345 678" || r[6] != tk.CreatedAt.In(vn.Zone).Format("02/01/2006 15:04") {
			t.Fatalf("Lan's xlsx row %q", r)
		}
		if names[`=HYPERLINK("http://evil.example","Bấm")`] == nil {
			t.Fatalf("the formula-like name is not kept as text: %q", xrows)
		}

		if p := b.do("GET", base, nil); !strings.Contains(p.html, `src="/static/js/export.js"`) || !strings.Contains(p.html, "data-export") || !strings.Contains(p.html, "<progress") {
			t.Fatal("the list offers the exports with a progress bar")
		}
		if res, _ := e.browser("").download(base + ".csv"); res.StatusCode != 302 {
			t.Fatalf("a stranger's export: %d", res.StatusCode)
		}
	})
}

// Thousands of registrations export whole, each once, read from the store
// a page at a time; the list pages through them 50 at a time.
func TestLargeExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	b := e.signIn("btc@sprout.test", "organizer-pass")
	id, typeID := e.techfest(org, 5000, false)
	ctx := context.Background()
	now := e.now().UTC().Truncate(time.Millisecond)
	key, err := e.app.Keys.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		err := e.app.Store.Register(ctx, tickets.Ticket{
			ID: ids.New(), EventID: id, TypeID: typeID, Name: fmt.Sprintf("Khách %04d", i), Email: fmt.Sprintf("k%d@example.vn", i),
			Lang: "vi", Status: tickets.Active, Secret: ids.Secret(), KeyID: key.ID, ExpiresAt: now.Add(48 * time.Hour),
			// Many share a millisecond, as at a venue's gate.
			CreatedAt: now.Add(time.Duration(i/7) * time.Millisecond),
		}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	res, body := b.download("/manage/events/" + id + "/registrations.csv")
	// Streamed page by page: the length is not known when the answer starts.
	if res.StatusCode != 200 || res.Header.Get("X-Total-Rows") != "3000" || res.ContentLength != -1 {
		t.Fatalf("csv: %d, X-Total-Rows %q, length %d", res.StatusCode, res.Header.Get("X-Total-Rows"), res.ContentLength)
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil || len(rows) != 3001 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if seen[r[0]] {
			t.Fatalf("ticket %s exported twice", r[0])
		}
		seen[r[0]] = true
	}
	if rows[1][1] < "Khách 2996" || rows[3000][1] > "Khách 0006" {
		t.Fatalf("newest first: %q … %q", rows[1][1], rows[3000][1])
	}
	p := b.do("GET", "/manage/events/"+id+"/registrations?status=active", nil)
	next := nextPageRE.FindStringSubmatch(p.html)
	if next == nil || html.UnescapeString(next[1]) != "status=active&page=2" {
		t.Fatalf("the next page keeps the filter: %q", next)
	}
	p = b.do("GET", "/manage/events/"+id+"/registrations?page=60", nil)
	if !strings.Contains(p.html, "3.000 lượt đăng ký") || !strings.Contains(p.html, "60 / 60") || !strings.Contains(p.html, "Khách 0000") || strings.Contains(p.html, "Khách 0060") {
		t.Fatal("the last of 60 pages of 50 holds the oldest registrations")
	}
}
