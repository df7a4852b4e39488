package e2e_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	exhibitorEmail    = "chu.gian.hang@sprout.test"
	exhibitorPassword = "gian hàng mầm xanh"
	visitorName       = "Phạm Thị Hồng Nhung"
)

// boothScene is an event with one visitor and an approved exhibitor.
type boothScene struct {
	s                *server
	org              string
	eventID, typeID  string
	visitor          ticket
	exhibitorID, api string // the exhibitor and its owner's API token
}

func newBoothScene(t *testing.T, env ...string) boothScene {
	t.Helper()
	chromiumPath(t)
	s := startServer(t, t.TempDir(), append(adminEnv(), env...)...)
	org := s.organizer(t)
	eventID, typeID := s.publishEvent(t, org, 10)
	visitor := s.register(t, eventID, typeID, visitorName, "hong.nhung@example.vn", "vi")
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/auth/signup", "", map[string]any{
		"email": exhibitorEmail, "password": exhibitorPassword, "name": "Đỗ Văn Gian"}, nil)
	var x struct {
		Exhibitor struct {
			ID string `json:"id"`
		} `json:"exhibitor"`
	}
	api := s.login(t, exhibitorEmail, exhibitorPassword)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/exhibitors", api,
		map[string]any{"company": "Công ty Mầm Xanh", "contact_email": "lienhe@mamxanh.vn", "description": "Nông nghiệp số"}, &x)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/exhibitors/"+x.Exhibitor.ID+"/approve", org, nil, nil)
	return boothScene{s: s, org: org, eventID: eventID, typeID: typeID, visitor: visitor, exhibitorID: x.Exhibitor.ID, api: api}
}

type apiLead struct {
	TicketID string `json:"ticket_id"`
	Note     string `json:"note"`
	Rating   string `json:"rating"`
}

// leads is what the server holds for the exhibitor.
func (x boothScene) leads(t *testing.T) []apiLead {
	t.Helper()
	var got struct {
		Leads []apiLead `json:"leads"`
	}
	x.s.mustAPI(t, http.StatusOK, "GET", "/api/v1/exhibitors/"+x.exhibitorID+"/leads", x.api, nil, &got)
	return got.Leads
}

var joinRE = regexp.MustCompile(`/exhibitors/join/[A-Za-z0-9_-]+`)

// TestBoothScansVisitorBadgeWithCamera follows booth staff from the
// exhibitor registering them to their first scan: the invitation arrives
// by mail, the staff member accepts it with their own account, and the
// phone's camera reads a visitor's badge.
func TestBoothScansVisitorBadgeWithCamera(t *testing.T) {
	t.Parallel()
	mb := startMailbox(t)
	x := newBoothScene(t, "SMTP_URL=smtp://127.0.0.1:"+strconv.Itoa(mb.port), "MAIL_FROM=Sprout <ve@sprout.test>")
	s, visitor := x.s, x.visitor
	var booth struct {
		Booth struct {
			ID string `json:"id"`
		} `json:"booth"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+x.eventID+"/booths", x.org, map[string]any{
		"code": "A01", "zone": "Khu Khởi nghiệp", "x": 0, "y": 0, "w": 4, "h": 3, "size_class": "M"}, &booth)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/booths/"+booth.Booth.ID+"/assign", x.org,
		map[string]any{"exhibitor_id": x.exhibitorID}, nil)

	const staffEmail, staffPassword = "nhan.vien@mamxanh.vn", "trực gian hàng cả ngày"
	owner := newTab(t, newBrowser(t), s.base)
	crew := "/exhibitors/" + x.exhibitorID + "/staff"
	owner.signIn(exhibitorEmail, exhibitorPassword, crew)
	owner.typeInto("#s-name", "Ngô Thanh Tùng")
	owner.typeInto("#s-email", staffEmail)
	owner.load("registering a staff member", 200, crew, click(`main form[action$="/staff"] button[type="submit"]`))
	invite := mb.waitForMail(t, staffEmail, 10*time.Second, func(d delivery) bool {
		return joinRE.Match(mailText(t, d.data))
	})
	join := joinRE.FindString(string(mailText(t, invite.data)))

	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/auth/signup", "", map[string]any{
		"email": staffEmail, "password": staffPassword, "name": "Ngô Thanh Tùng"}, nil)
	b := newTab(t, newCameraBrowser(t, qrVideo(t, visitor.Token)), s.base)
	scan := "/exhibitors/" + x.exhibitorID + "/scan"
	b.signIn(staffEmail, staffPassword, join)
	b.load("accepting the invitation", 200, scan, click(`main form button[type="submit"]`))

	got, err := chromedp.Run(b.ctx, chromedp.Poll[[]string](
		`(() => { const r = document.querySelector('[data-lead-result]'); return r && [r.dataset.leadResult, r.dataset.ticketId]; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("no lead result on the scanner page: %v", err)
	}
	if got[0] != "added" || got[1] != visitor.ID {
		t.Fatalf("the scanner shows %q for ticket %q, want added for %q", got[0], got[1], visitor.ID)
	}
	if name := b.text("#lead-name"); name != visitorName {
		t.Errorf("name shown: %q, want %q", name, visitorName)
	}
	if title := b.text("#lead-title"); title != "Đã thêm khách tiềm năng" {
		t.Errorf("result title: %q", title)
	}
	if contact := b.text("#lead-contact"); strings.Contains(contact, "@") {
		t.Errorf("a visitor who shared nothing shows %q", contact)
	}

	// The badge stays in front of the camera: it counts once.
	time.Sleep(2 * time.Second)
	if result := b.eval(`document.getElementById("lead").dataset.leadResult`); result != "added" {
		t.Errorf("a badge held in view was scanned again: %q", result)
	}

	// A quick rating and a note, then the lead is on the list.
	b.do("rating the lead hot", click(`.rate[data-rating="hot"]`))
	b.waitFor(`document.querySelector('.rate[data-rating="hot"]').getAttribute("aria-pressed") === "true"`)
	b.typeInto("#lead-note", "Muốn dùng thử bản doanh nghiệp")
	b.do("saving the note", click(`#lead-edit button[type="submit"]`))
	b.waitFor(`document.getElementById("lead-status").textContent === "Đã lưu."`)

	leads := "/exhibitors/" + x.exhibitorID + "/leads"
	b.load("opening the lead list", 200, leads, chromedp.Navigate(s.base+leads))
	row := b.text(".lead-table tbody tr")
	for _, want := range []string{visitorName, "Nóng", "Muốn dùng thử bản doanh nghiệp", "Khách không chia sẻ liên hệ"} {
		if !strings.Contains(row, want) {
			t.Errorf("the lead's row %q lacks %q", row, want)
		}
	}

	// Edited in place, the row changes without leaving the page.
	b.do("editing the lead in the list", click(".lead-table details summary"),
		chromedp.SetValue(chromedp.CSS(".lead-table select[name=rating]"), "cold"), click(".lead-table form button[type=submit]"))
	b.waitFor(`document.querySelector("[data-rating-cell]").textContent === "Lạnh"`)
	if status := b.text("[data-lead-status]"); status != "Đã lưu." {
		t.Errorf("after an edit in place the row says %q", status)
	}
	b.load("reloading the lead list", 200, leads, chromedp.Reload())
	if got := b.text("[data-rating-cell]"); got != "Lạnh" {
		t.Errorf("after a reload the rating is %q", got)
	}
}

// forge keeps a badge's signature but names another ticket in it.
func forge(t *testing.T, token, ticketID string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	claims["sub"] = ticketID
	if raw, err = json.Marshal(claims); err != nil {
		t.Fatal(err)
	}
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(raw) + "." + parts[2]
}

func TestBoothKeepsScansOfflineAndSendsThemLater(t *testing.T) {
	t.Parallel()
	x := newBoothScene(t)
	s := x.s
	// Cancelled after the phone went offline: only the server can tell.
	cancelled := s.register(t, x.eventID, x.typeID, "Vũ Minh Khôi", "minh.khoi@example.vn", "vi")
	otherEvent, otherType := s.publishEvent(t, x.org, 10)
	foreign := s.register(t, otherEvent, otherType, "Lý Thị Thu", "thu.ly@example.vn", "vi")
	// Cancelled before: the phone knows it, as a gate does.
	cancelledBefore := s.register(t, x.eventID, x.typeID, "Phan Thanh Tùng", "thanh.tung@example.vn", "vi")
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/tickets/"+cancelledBefore.ID+"/cancel", x.org, nil, nil)

	// The scanner is a handheld one here: the camera sees nothing.
	b := newTab(t, newBrowser(t), s.base)
	scan := "/exhibitors/" + x.exhibitorID + "/scan"
	b.signIn(exhibitorEmail, exhibitorPassword, scan)
	b.waitFor(`document.getElementById("booth").dataset.offlineReady === "true"`)

	restore := b.dropNetwork()
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/tickets/"+cancelled.ID+"/cancel", x.org, nil, nil)
	queued := func(n string) {
		t.Helper()
		if got := b.eval(`document.getElementById("lead-queue").dataset.queued`); got != n {
			t.Errorf("scans waiting: %s, want %s", got, n)
		}
	}

	b.typeInto("#wedge", x.visitor.Token+kb.Enter)
	b.waitFor(`document.getElementById("lead").dataset.leadResult === "queued"`)
	if got := b.eval(`document.getElementById("lead").dataset.ticketId`); got != x.visitor.ID {
		t.Errorf("the queued scan shows ticket %q, want %q", got, x.visitor.ID)
	}
	if got := b.text("#lead-title"); got != "Đã lưu trên máy, sẽ gửi khi có mạng" {
		t.Errorf("an offline scan says %q", got)
	}
	queued("1")
	if got := b.text("#lead-queue"); got != "1 lượt quét chờ gửi" {
		t.Errorf("the queue counter reads %q", got)
	}
	b.do("rating the queued lead warm", click(`.rate[data-rating="warm"]`))
	b.waitFor(`document.getElementById("lead-status").textContent === "Đã lưu trên máy, sẽ gửi khi có mạng."`)

	// The same badge again is the same entry, with the rating given.
	b.typeInto("#wedge", x.visitor.Token+kb.Enter)
	b.waitFor(`document.getElementById("lead-status").textContent === "" && document.getElementById("lead").dataset.leadResult === "queued"`)
	queued("1")
	if got := b.eval(`document.querySelector('.rate[aria-pressed="true"]')?.dataset.rating ?? ""`); got != "warm" {
		t.Errorf("the badge scanned again shows rating %q, want warm", got)
	}

	// Each refusal says why, as the server would: a code that is no
	// ticket, a forged one, or one not valid here.
	const (
		unreadable = "Không đọc được mã: đây không phải mã QR của vé."
		forged     = "Thẻ giả: chữ ký trên mã QR không đúng."
		elsewhere  = "Mã QR này không phải vé của sự kiện."
	)
	invalid := func(what, token, want string) {
		t.Helper()
		b.do("clearing the last answer", chromedp.Evaluate[chromedp.Void](`document.getElementById("lead").removeAttribute("data-lead-result")`))
		b.typeInto("#wedge", token+kb.Enter)
		b.waitFor(`document.getElementById("lead").dataset.leadResult === "invalid"`)
		if got := b.text("#lead-title"); got != want {
			t.Errorf("%s offline says %q, want %q", what, got, want)
		}
	}
	invalid("a forged badge", forge(t, x.visitor.Token, cancelled.ID), forged)
	queued("1")
	invalid("a code that is no ticket", "https://example.vn/khuyen-mai", unreadable)
	queued("1")
	b.typeInto("#wedge", cancelled.Token+kb.Enter)
	b.waitFor(`document.getElementById("lead").dataset.leadResult === "queued" && document.getElementById("lead").dataset.ticketId === "` + cancelled.ID + `"`)
	queued("2")
	invalid("a badge of another event", foreign.Token, elsewhere)
	queued("2")
	invalid("a badge cancelled before the network dropped", cancelledBefore.Token, elsewhere)
	queued("2")
	if got := x.leads(t); len(got) != 0 {
		t.Fatalf("the server heard of offline scans: %+v", got)
	}

	restore()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.getElementById("lead-queue").dataset.queued === "0"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the queue was never sent; the page shows %q", b.text("#lead-queue"))
	}
	if got := b.text("#lead-notice"); !strings.Contains(got, "từ chối 1 lượt quét") {
		t.Errorf("the cancelled badge was dropped without a clear notice: %q", got)
	}
	if got := b.text("#lead-count"); got != "Đã thu thập 1 khách" {
		t.Errorf("lead count after the sync: %q", got)
	}
	if b.eval(`String(document.getElementById("lead-queue").hidden)`) != "true" {
		t.Error("an empty queue is still shown")
	}
	got := x.leads(t)
	if len(got) != 1 || got[0].TicketID != x.visitor.ID || got[0].Rating != "warm" {
		t.Fatalf("leads after the sync: %+v, want the visitor rated warm", got)
	}

	// The refused badge stays listed, with the server's reason, until staff
	// have seen it: one for this booth, none for another.
	refused := `#refused li[data-ticket-id="` + cancelled.ID + `"][data-reason="invalid"]`
	if b.eval(`String(document.getElementById("refused").hidden)`) != "false" || b.eval(`String(document.querySelectorAll("#refused li").length)`) != "1" {
		t.Fatalf("the refused scans are not listed: %q", b.text("#refused"))
	}
	if got := b.text(refused); !strings.Contains(got, cancelled.ID) || !strings.Contains(got, "Mã QR này không phải vé của sự kiện.") {
		t.Errorf("the refused badge reads %q, want its ticket and the server's reason", got)
	}
	b.load("reloading the scanner", 200, scan, chromedp.Reload())
	b.waitFor(`!!document.querySelector('` + refused + `') && !document.getElementById("refused").hidden`)

	// Another user signed in on this device meanwhile (a session that ended,
	// with no sign-out): the page forgets what the first one kept.
	b.do("handing the device to another user", chromedp.Evaluate[chromedp.Void](`localStorage.setItem("sprout.owner", "someone-else")`))
	b.load("reloading the scanner", 200, scan, chromedp.Reload())
	b.waitFor(`document.getElementById("booth").dataset.offlineReady === "true"`)
	if b.eval(`String(document.getElementById("refused").hidden)`) != "true" {
		t.Errorf("the page shows another user's refused scans: %q", b.text("#refused"))
	}
	if got := b.eval(`Object.keys(localStorage).filter((k) => k.includes("refused") || k.includes("queue")).join(" ")`); got != "" {
		t.Errorf("the device still keeps another user's scans: %s", got)
	}

	leads := "/exhibitors/" + x.exhibitorID + "/leads"
	b.load("opening the lead list", 200, leads, chromedp.Navigate(s.base+leads))
	if row := b.text(".lead-table tbody tr"); !strings.Contains(row, visitorName) || !strings.Contains(row, "Ấm") {
		t.Errorf("the lead list shows %q, want %s rated Ấm", row, visitorName)
	}
}

// TestBoothReloadsOffline reloads the booth scanner with no network: its
// service worker serves the page it kept, and the page goes on collecting
// leads and keeps them until the network is back.
func TestBoothReloadsOffline(t *testing.T) {
	t.Parallel()
	x := newBoothScene(t)
	b := newTab(t, newBrowser(t), x.s.base)
	scan := "/exhibitors/" + x.exhibitorID + "/scan"
	b.signIn(exhibitorEmail, exhibitorPassword, scan)

	// Online once: the page fetches the keys and its service worker keeps
	// the page, so it can reload without the network.
	b.waitFor(`document.getElementById("booth").dataset.offlineReady === "true"`)

	restore := b.cutNetwork()
	reload := func(what string) {
		t.Helper()
		res, err := chromedp.RunResponse(b.ctx, chromedp.Reload())
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if res.Status != 200 || res.URL != x.s.base+scan || res.ServiceWorkerResponseSource != network.ServiceWorkerResponseSourceCacheStorage {
			t.Fatalf("%s: %d %s from %q, want 200 from the service worker's cache", what, res.Status, res.URL, res.ServiceWorkerResponseSource)
		}
	}
	queue := func(n string) {
		t.Helper()
		b.waitFor(`document.getElementById("lead-queue").dataset.queued === "` + n + `"`)
		if got, want := b.text("#lead-queue"), n+" lượt quét chờ gửi"; got != want {
			t.Errorf("the queue counter reads %q, want %q", got, want)
		}
	}

	reload("reloading the scanner offline")
	b.typeInto("#wedge", x.visitor.Token+kb.Enter)
	b.waitFor(`document.getElementById("lead").dataset.leadResult === "queued"`)
	if got := b.eval(`document.getElementById("lead").dataset.ticketId`); got != x.visitor.ID {
		t.Errorf("the queued scan shows ticket %q, want %q", got, x.visitor.ID)
	}
	queue("1")

	// The scan stays on the device through another reload.
	reload("reloading the scanner offline with a scan queued")
	queue("1")
	if got := x.leads(t); len(got) != 0 {
		t.Fatalf("the server heard of an offline scan: %+v", got)
	}

	restore()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.getElementById("lead-queue").dataset.queued === "0"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the queue was never sent; the page shows %q", b.text("#lead-queue"))
	}
	if got := x.leads(t); len(got) != 1 || got[0].TicketID != x.visitor.ID {
		t.Fatalf("leads after the sync: %+v, want the visitor", got)
	}
}

// mailText is the plain text of a mail as it crossed SMTP.
func mailText(t *testing.T, data []byte) []byte {
	t.Helper()
	p, ok := parseMail(t, data).Find("text/plain")
	if !ok {
		t.Fatal("a mail without a plain text part")
	}
	return p.Body
}
