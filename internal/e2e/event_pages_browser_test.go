package e2e_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEveryEventPageFits walks every page of events, the expo, the
// gate, a course's sessions and the admin, as the person who opens each, in Vietnamese and
// English on a laptop and a phone: each answers 200 and is no wider than
// the window.
func TestBrowserEveryEventPageFits(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	start := s.now().Add(24 * time.Hour).Truncate(time.Minute)
	var ev, tt, booth struct {
		Event      struct{ ID, Slug string }
		TicketType struct{ ID string } `json:"ticket_type"`
		Booth      struct{ ID string }
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events", org, map[string]any{
		"slug": "trien-lam-cong-nghe-nong-nghiep-thong-minh-va-chuyen-doi-so-2026", "title": "Triển lãm Công nghệ Nông nghiệp Thông minh và Chuyển đổi số Hà Nội 2026",
		"title_en": "Hanoi Smart Agriculture and Digital Transformation Technology Exhibition 2026",
		"venue":    "Trung tâm Hội nghị Quốc gia, Mễ Trì, Nam Từ Liêm, Hà Nội", "starts_at": start, "ends_at": start.Add(8 * time.Hour), "published": true}, &ev)
	id, slug := ev.Event.ID, ev.Event.Slug
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+id+"/ticket-types", org,
		map[string]any{"name": "Hội thảo chuyên đề có giới hạn chỗ ngồi", "name_en": "Limited-seat specialist workshop", "capacity": 1, "waitlist": true}, &tt)
	var session struct {
		Session struct{ ID string } `json:"session"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+id+"/agenda", org, map[string]any{"starts_at": start, "ends_at": start.Add(time.Hour),
		"title": "Khai mạc và phát biểu chào mừng của lãnh đạo thành phố", "title_en": "Opening", "room": "Hội trường A", "speakers": "Lãnh đạo Sở"}, &session)
	s.mustAPI(t, http.StatusOK, "PUT", "/api/v1/events/"+id+"/course", org, map[string]any{"course": true, "min_percent": 80,
		"signer_name": "PGS.TS. Nguyễn Thị Phương Thảo", "signer_title": "Phó Giám đốc Sở Khoa học và Công nghệ"}, nil)
	s.mustAPI(t, http.StatusOK, "PUT", "/api/v1/events/"+id+"/questions", org, map[string]any{"questions": []map[string]any{
		{"id": "organisation", "label": "Đơn vị công tác", "label_en": "Organisation", "kind": "text", "at_gate": true, "role": "organisation"}}}, nil)
	holder := s.register(t, id, tt.TicketType.ID, "Nguyễn Thị Phương Thảo Quỳnh", "thao@example.vn", "vi")
	// The holder attended and holds the course's certificate, on her ticket
	// page and the course's certificates page.
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/events/"+id+"/sessions/"+session.Session.ID+"/attendance", org, map[string]any{"ticket_id": holder.ID}, nil)
	var certs struct {
		Certificates []struct{ Code string } `json:"certificates"`
	}
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/events/"+id+"/certificates", org, nil, nil)
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/events/"+id+"/certificates", org, nil, &certs)
	var wait struct {
		Waitlist struct{ URL string } `json:"waitlist"`
	}
	s.mustAPI(t, http.StatusAccepted, "POST", "/api/v1/events/"+id+"/registrations", "", map[string]any{"ticket_type_id": tt.TicketType.ID,
		"name": "Trần Văn Bình", "email": "binh@example.vn"}, &wait)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+id+"/booths", org, map[string]any{"code": "A1", "hall": "Sảnh A",
		"zone": "Khu Khởi nghiệp", "x": 0, "y": 0, "w": 4, "h": 3}, &booth)
	const ownerEmail, ownerPassword, staffMail, staffPass = "chu.gian@sprout.test", "chủ gian hàng mầm xanh", "soat.ve.2@sprout.test", "soát vé cổng chính"
	var staff struct {
		User struct{ ID string } `json:"user"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": ownerEmail, "password": ownerPassword,
		"name": "Chủ gian hàng", "roles": []string{}}, nil)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": staffMail, "password": staffPass,
		"name": "Nhân viên soát vé cổng chính", "roles": []string{"staff"}}, &staff)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/events/"+id+"/staff", org, map[string]any{"user_id": staff.User.ID, "gate": "Cổng chính"}, nil)
	owner := s.login(t, ownerEmail, ownerPassword)
	var x struct {
		Exhibitor struct{ ID string } `json:"exhibitor"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+id+"/exhibitors", owner, map[string]any{
		"company": "Công ty Cổ phần Công nghệ Nông nghiệp Thông minh Mầm Xanh Việt Nam", "contact_email": "lienhe@mamxanh.vn",
		"description": "Cảm biến đất và nền tảng dữ liệu cho hợp tác xã."}, &x)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/exhibitors/"+x.Exhibitor.ID+"/approve", org, nil, nil)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/exhibitors/"+x.Exhibitor.ID+"/leads", owner, map[string]any{"token": holder.Token}, nil)

	manage := "/manage/events/" + id
	waitPage, _ := url.Parse(wait.Waitlist.URL)
	ticketPage, _ := url.Parse(holder.URL)
	pages := []struct {
		who, password string
		paths         []string
	}{
		{"", "", []string{"/events", "/events/" + slug, "/events/" + id + "/exhibitors", "/events/" + id + "/exhibitors/" + x.Exhibitor.ID,
			ticketPage.Path, waitPage.Path, "/tickets/lost", "/registry", "/impact", "/verify/" + certs.Certificates[0].Code}},
		{organizerEmail, organizerPassword, []string{"/manage/events", "/manage/events/new", manage, manage + "/registrations", manage + "/waitlist",
			manage + "/dashboard", manage + "/scans", manage + "/staff", manage + "/floor", manage + "/booths/" + booth.Booth.ID,
			manage + "/booths/changes", manage + "/exhibitors", manage + "/exhibitors/" + x.Exhibitor.ID, manage + "/traffic", manage + "/certificates"}},
		{staffMail, staffPass, []string{"/gate", "/events/" + id + "/gate", "/events/" + id + "/sessions",
			"/events/" + id + "/sessions/" + session.Session.ID + "/attendance"}},
		{ownerEmail, ownerPassword, []string{"/exhibitors/mine", "/exhibitors/" + x.Exhibitor.ID + "/profile",
			"/exhibitors/" + x.Exhibitor.ID + "/leads", "/exhibitors/" + x.Exhibitor.ID + "/scan", "/exhibitors/" + x.Exhibitor.ID + "/staff"}},
		{adminEmail, adminPassword, []string{"/admin/users", "/admin/mailbox", "/admin/audit", "/admin/holidays", "/officer/dossiers", "/me"}},
		{ownerEmail, ownerPassword, []string{"/enterprise"}},
	}
	for _, lang := range []string{"vi", "en"} {
		for _, size := range sizes {
			t.Run(lang+"-"+size.name, func(t *testing.T) {
				j := &journey{t: t, s: s, lang: lang, size: size}
				for _, p := range pages {
					b := j.open(newTab(t, browser, s.base))
					if p.who != "" {
						j.signIn(b, p.who, p.password)
					}
					for _, path := range p.paths {
						b.load(fmt.Sprintf("opening %s as %q", path, p.who), 200, path, chromedp.Navigate(s.base+"/lang/"+lang+"?next="+url.QueryEscape(path)))
						j.see(b, "")
					}
				}
			})
		}
	}
}
