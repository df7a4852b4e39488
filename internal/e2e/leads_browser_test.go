package e2e_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	exhibitorEmail    = "chu.gian.hang@sprout.test"
	exhibitorPassword = "gian hàng mầm xanh"
	visitorName       = "Phạm Thị Hồng Nhung"
)

func TestBoothScansVisitorBadgeWithCamera(t *testing.T) {
	chromiumPath(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
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
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/exhibitors", s.login(t, exhibitorEmail, exhibitorPassword),
		map[string]any{"company": "Công ty Mầm Xanh", "contact_email": "lienhe@mamxanh.vn", "description": "Nông nghiệp số"}, &x)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/exhibitors/"+x.Exhibitor.ID+"/approve", org, nil, nil)

	b := newTab(t, newCameraBrowser(t, qrVideo(t, visitor.Token)), s.base)
	scan := "/exhibitors/" + x.Exhibitor.ID + "/scan"
	b.signIn(exhibitorEmail, exhibitorPassword, scan)

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

	leads := "/exhibitors/" + x.Exhibitor.ID + "/leads"
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
