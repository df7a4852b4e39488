package e2e_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserOrganizerAssignsABooth has an organizer open the floor plan,
// click a free booth, give it to an approved exhibitor from the booth's
// panel, and find it drawn as assigned with the company's name.
func TestBrowserOrganizerAssignsABooth(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	eventID, _ := s.publishEvent(t, org, 10)
	var booth struct {
		Booth struct {
			ID string `json:"id"`
		} `json:"booth"`
	}
	for _, b := range []struct {
		code string
		x    int
	}{{"A2", 8}, {"A1", 0}} {
		s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/booths", org, map[string]any{
			"code": b.code, "hall": "Sảnh A", "zone": "Khu Khởi nghiệp", "x": b.x, "y": 0, "w": 8, "h": 3}, &booth)
	}
	a1 := booth.Booth.ID
	const company = "Công ty Mầm Xanh"
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/auth/signup", "",
		map[string]any{"email": "mam.xanh@example.vn", "password": "nông nghiệp số", "name": "Vũ Thị Hồng Nhung"}, nil)
	owner := s.login(t, "mam.xanh@example.vn", "nông nghiệp số")
	var x struct {
		Exhibitor struct {
			ID string `json:"id"`
		} `json:"exhibitor"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/exhibitors", owner, map[string]any{
		"company": company, "contact_email": "lienhe@mamxanh.vn", "description": "Cảm biến độ ẩm đất cho hợp tác xã"}, &x)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/exhibitors/"+x.Exhibitor.ID+"/approve", org, nil, nil)

	b := newTab(t, browser, s.base)
	floor := "/manage/events/" + eventID + "/floor"
	b.signIn(organizerEmail, organizerPassword, floor)
	if got := b.text("#booth-panel h2"); got != "Chọn một gian hàng" {
		t.Errorf("panel before choosing a booth: %q", got)
	}
	shape := `.floor-svg a[data-booth="` + a1 + `"]`
	b.do("clicking booth A1", click(shape))
	b.waitFor(`document.getElementById("booth-panel-title").textContent === "Gian A1"`)
	if got := b.text(`#booth-panel [data-booth-status]`); got != "Còn trống" {
		t.Errorf("status of the free booth: %q", got)
	}
	b.do("choosing the exhibitor", chromedp.SetValue(chromedp.CSS("#assign-exhibitor"), x.Exhibitor.ID))
	booth1 := "/manage/events/" + eventID + "/booths/" + a1
	b.load("assigning the booth", 200, booth1, click(`#booth-panel form[action$="/assign"] button[type="submit"]`))
	if got := b.text(".flash-ok"); got != "Đã gán gian hàng." {
		t.Errorf("after assigning: %q", got)
	}
	if got := b.eval(`document.querySelector('` + shape + ` rect').getAttribute("class")`); got != "booth-assigned booth-selected" {
		t.Errorf("booth A1 is drawn as %q, want assigned", got)
	}
	// SVG text has no innerText, which text reads.
	if got := b.eval(`document.querySelector('` + shape + ` .floor-company').textContent`); got != company {
		t.Errorf("company drawn on booth A1: %q, want %q", got, company)
	}
	if got := b.text(".floor-legend"); got != "Còn trống (1) Đang giữ chỗ (0) Đã có đơn vị (1) Không sử dụng (0)" {
		t.Errorf("legend after assigning: %q", got)
	}
}
