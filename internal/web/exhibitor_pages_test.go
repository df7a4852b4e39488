package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sprout/internal/mail"
	"sprout/internal/tickets"
)

var ticketLinkRE = regexp.MustCompile(`/t/[A-Za-z0-9_-]+`)

// exhibitorForm is a filled application to exhibit, as a company types it.
func exhibitorForm() url.Values {
	return url.Values{"company": {"Công ty CP Mầm Xanh"}, "contact_name": {"Lê Thu Hà"}, "contact_email": {"lienhe@mamxanh.vn"},
		"phone": {"0912 345 678"}, "sector": {"Nông nghiệp số"}, "description": {"Cảm biến đất cho nông trại thông minh"},
		"products": {"Cảm biến độ ẩm\nỨng dụng tưới tự động"}, "website": {"mamxanh.vn"}, "links": {"https://facebook.com/mamxanh"},
		"preferred_size": {"M"}}
}

func TestExhibitorAppliesShowsProfileAndRegistersStaff(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 100, false)
		boothID := e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "A01", "zone": "Khu Khởi nghiệp",
			"x": 0, "y": 0, "w": 4, "h": 3, "size_class": "M"}).status(201).str("booth.id")
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "chu@mamxanh.vn", "password": "mầm xanh 2026", "name": "Lê Thu Hà"}).status(201)
		owner := e.signIn("chu@mamxanh.vn", "mầm xanh 2026")
		apply := "/events/" + eventID + "/exhibit"
		exhibitors := func() int {
			return len(e.authed(org, "GET", "/api/v1/events/"+eventID+"/exhibitors", nil).status(200).get("exhibitors").([]any))
		}

		if p := e.browser("").do("GET", apply, nil); p.code != 302 || !strings.HasPrefix(p.location, "/login?next=") {
			t.Fatalf("a stranger applying is sent to sign in: %d %q", p.code, p.location)
		}
		bad := exhibitorForm()
		bad.Set("links", "javascript:alert(1)")
		if p := owner.submitForm(apply, apply, bad, "logo", "logo.png", pngImage(t, 40, 40, false)); p.code != 400 ||
			!strings.Contains(p.html, "Liên kết không hợp lệ") || !strings.Contains(p.html, "Công ty CP Mầm Xanh") {
			t.Fatalf("a script link: %d %.400s", p.code, p.html)
		}
		if p := owner.submitForm(apply, apply, exhibitorForm(), "logo", "logo.txt", []byte("not an image")); p.code != 400 ||
			!strings.Contains(p.html, "JPEG, PNG hoặc WebP") {
			t.Fatalf("a text file as logo: %d", p.code)
		}
		if n := exhibitors(); n != 0 {
			t.Fatalf("refused applications left %d exhibitors", n)
		}
		p := owner.submitForm(apply, apply, exhibitorForm(), "logo", "logo.png", pngImage(t, 40, 40, false))
		if p.code != 303 || !strings.HasSuffix(p.location, "/profile") {
			t.Fatalf("apply: %d %q %.300s", p.code, p.location, p.html)
		}
		profile := p.location
		xID := strings.Split(profile, "/")[2]
		if p := owner.do("GET", profile, nil); !strings.Contains(p.html, "Chờ duyệt") || !strings.Contains(p.html, "https://mamxanh.vn") {
			t.Fatalf("the owner's profile page while pending: %.400s", p.html)
		}
		public := "/events/" + eventID + "/exhibitors/" + xID
		if p := e.browser("").do("GET", public, nil); p.code != 404 {
			t.Fatalf("a pending exhibitor's public page: %d", p.code)
		}
		if p := e.browser("").do("GET", "/exhibitors/"+xID+"/logo", nil); p.code != 404 {
			t.Fatalf("a pending exhibitor's logo to a stranger: %d", p.code)
		}
		if p := owner.do("GET", "/exhibitors/"+xID+"/logo", nil); p.code != 200 {
			t.Fatalf("the owner's own logo: %d", p.code)
		}
		stranger := e.signedInStaff("la@sprout.test")
		if p := stranger.do("GET", profile, nil); p.code != 404 {
			t.Fatalf("another user on the profile: %d", p.code)
		}

		e.authed(org, "POST", "/api/v1/exhibitors/"+xID+"/approve", nil).status(200)
		staffPage := "/exhibitors/" + xID + "/staff"
		if p := owner.do("GET", staffPage, nil); !strings.Contains(p.html, "khi ban tổ chức đã gán gian hàng") {
			t.Fatalf("staff before a booth: %.400s", p.html)
		}
		e.authed(org, "POST", "/api/v1/booths/"+boothID+"/assign", map[string]any{"exhibitor_id": xID}).status(200)

		dir := e.browser("").do("GET", "/events/"+eventID+"/exhibitors?q=mam+xanh", nil)
		if dir.code != 200 || !strings.Contains(dir.html, "Công ty CP Mầm Xanh") || !strings.Contains(dir.html, "A01") {
			t.Fatalf("the directory, searched without diacritics: %d %.600s", dir.code, dir.html)
		}
		if p := e.browser("").do("GET", "/events/"+eventID+"/exhibitors?q=robot", nil); strings.Contains(p.html, "Mầm Xanh") ||
			!strings.Contains(p.html, "Không có đơn vị nào khớp") {
			t.Fatal("a search matching nothing")
		}
		if p := e.browser("").do("GET", public, nil); p.code != 200 || !strings.Contains(p.html, "Ứng dụng tưới tự động") ||
			!strings.Contains(p.html, `href="https://facebook.com/mamxanh"`) {
			t.Fatalf("the public profile: %d %.600s", p.code, p.html)
		}

		// A medium booth comes with three staff badges.
		add := func(name, email string) page {
			return owner.submit(staffPage, staffPage, url.Values{"name": {name}, "email": {email}})
		}
		if p := add("Người Sai", "khong-phai-email"); p.code != 400 {
			t.Fatalf("a bad email: %d", p.code)
		}
		for i, email := range []string{"an@mamxanh.vn", "binh@mamxanh.vn", "chi@mamxanh.vn"} {
			if p := add("Nhân viên "+string(rune('A'+i)), email); p.code != 303 {
				t.Fatalf("staff %s: %d %.300s", email, p.code, p.html)
			}
			if m := ticketMail(e.mails(email)); len(m.Attachments) != 1 || m.Attachments[0].QR == "" {
				t.Fatalf("staff %s mailed no ticket", email)
			}
			if m := e.mails(email); len(m) != 2 {
				t.Fatalf("staff %s got %d mails, not a ticket and an invitation", email, len(m))
			}
		}
		if p := owner.do("GET", staffPage, nil); !strings.Contains(p.html, "đủ số nhân sự") || strings.Contains(p.html, `name="email"`) {
			t.Fatalf("a full crew: %.600s", p.html)
		}
		if p := add("Người Thứ Tư", "dung@mamxanh.vn"); p.code != 409 || !strings.Contains(p.html, "đủ số nhân sự") {
			t.Fatalf("a fourth staff: %d", p.code)
		}
		if len(e.mails("dung@mamxanh.vn")) != 0 {
			t.Fatal("a refused staff got a ticket")
		}

		// Staff badges are by invitation: not on the public form nor the API.
		types := e.call("GET", "/api/v1/events/"+eventID, nil).status(200).get("ticket_types").([]any)
		if len(types) != 1 {
			t.Fatalf("the public sees %d ticket types", len(types))
		}
		if p := e.browser("").do("GET", "/events/"+eventID, nil); strings.Contains(p.html, "Nhân sự gian hàng") {
			t.Fatal("the staff type is offered on the event page")
		} else if !strings.Contains(p.html, "Sơ đồ 1 gian hàng") || !strings.Contains(p.html, "/exhibitors\"") {
			t.Fatalf("the event page does not lead to its exhibition: %.3000s", p.html)
		}
		bare, _ := e.techfest(org, 10, false)
		if p := e.browser("").do("GET", "/events/"+bare, nil); strings.Contains(p.html, "Sơ đồ") {
			t.Fatal("an event without booths shows an exhibition")
		}
		var staffType string
		for _, tt := range e.authed(org, "GET", "/api/v1/events/"+eventID, nil).status(200).get("ticket_types").([]any) {
			if m := tt.(map[string]any); m["invite"] == true {
				staffType = m["id"].(string)
			}
		}
		if staffType == "" {
			t.Fatal("organizers do not see the staff type")
		}
		e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": staffType,
			"name": "Khách Lạ", "email": "la@example.vn"}).errorCode(400, "invalid")

		// Removing a staff cancels their badge and frees the place.
		link := ticketLinkRE.FindString(ticketMail(e.mails("binh@mamxanh.vn")).Text)
		staffID := regexp.MustCompile(`/staff/([^/]+)/remove`).FindAllStringSubmatch(owner.do("GET", staffPage, nil).html, -1)[1][1]
		if p := owner.submit(staffPage, staffPage+"/"+staffID+"/remove", url.Values{}); p.code != 303 {
			t.Fatalf("remove: %d", p.code)
		}
		if p := e.browser("").do("GET", link, nil); !strings.Contains(p.html, "đã bị hủy") {
			t.Fatalf("the removed staff's ticket: %.300s", p.html)
		}
		if p := add("Người Thứ Tư", "dung@mamxanh.vn"); p.code != 303 {
			t.Fatalf("a freed place: %d", p.code)
		}
		if p := add("Lặp Lại", "AN@mamxanh.vn"); p.code != 409 || !strings.Contains(p.html, "đã có trong danh sách") {
			t.Fatalf("the same email twice: %d %s", p.code, p.html)
		}
		if p := stranger.submit(staffPage, staffPage, url.Values{"name": {"X"}, "email": {"x@example.vn"}}); p.code != 404 {
			t.Fatalf("another user adding staff: %d", p.code)
		}
	})
}

func TestExhibitorOfACohortIsMarked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	eventID, _ := e.techfest(org, 10, false)
	now := e.now()
	pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-sen", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
	cohort := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 1",
		"starts_at": now.AddDate(0, -1, 0), "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")
	_, founder := e.person("sen.vang@startup.vn", "Võ Sen", "vi", "founder")
	e.authed(org, "POST", "/api/v1/applications/"+e.submitted(pid, founder, "Sen Vàng")+"/decision",
		map[string]any{"decision": "accepted", "cohort_id": cohort}).status(200)
	x := e.authed(founder, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
		"company": "Startup EduTech Sen Vàng", "contact_email": "sen.vang@startup.vn", "description": "Học liệu số"}).status(201)
	if x.str("exhibitor.cohort_id") != cohort {
		t.Fatalf("a cohort founder's application: %s, want cohort %s", x.body, cohort)
	}
	_, other := e.user("khac@startup.vn")
	y := e.authed(other, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{
		"company": "Công ty Khác", "contact_email": "khac@startup.vn", "description": "Dịch vụ"}).status(201)
	if y.get("exhibitor.cohort_id") != nil {
		t.Fatalf("an outsider marked as a cohort startup: %s", y.body)
	}
}

// ticketMail is the ticket among a person's mail, the one carrying a QR.
func ticketMail(msgs []mail.Message) mail.Message {
	for _, m := range msgs {
		if m.Template == "ticket" {
			return m
		}
	}
	return mail.Message{}
}

var joinLinkRE = regexp.MustCompile(`https?://\S+(/exhibitors/join/[a-z0-9]+)`)

// invitations lists the staff invitation links mailed to an address,
// newest first, as paths on this site.
func (e *env) invitations(to string) []string {
	e.t.Helper()
	var out []string
	for _, m := range e.mails(to) {
		if m.Template != "staff_invite" {
			continue
		}
		link := joinLinkRE.FindStringSubmatch(m.Text)
		if link == nil || !strings.Contains(m.HTML, link[0]) {
			e.t.Fatalf("an invitation without its link: %s", m.Text)
		}
		out = append(out, link[1])
	}
	return out
}

func TestStaffActOnlyThroughTheirInvitation(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 100, false)
		x := e.booth(org, e.member("chu.gian@sprout.test"), eventID, "Công ty Mầm Xanh")
		boothID := e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "A01", "zone": "Khu Khởi nghiệp",
			"x": 0, "y": 0, "w": 4, "h": 3, "size_class": "M"}).status(201).str("booth.id")
		e.authed(org, "POST", "/api/v1/booths/"+boothID+"/assign", map[string]any{"exhibitor_id": x}).status(200)
		owner := e.signIn("chu.gian@sprout.test", "member-password")
		staffPage := "/exhibitors/" + x + "/staff"
		const staffEmail = "duc@mamxanh.vn"
		if p := owner.submit(staffPage, staffPage, url.Values{"name": {"Trần Minh Đức"}, "email": {staffEmail}}); p.code != 303 {
			t.Fatalf("adding staff: %d %.300s", p.code, p.html)
		}
		links := e.invitations(staffEmail)
		if len(links) != 1 {
			t.Fatalf("%d invitations mailed", len(links))
		}
		invite := e.mails(staffEmail)[0]
		for _, want := range []string{"Công ty Mầm Xanh", "Techfest Hà Nội 2026", "Trần Minh Đức"} {
			if !strings.Contains(invite.Subject+invite.Text, want) || !strings.Contains(invite.HTML, want) {
				t.Errorf("the invitation lacks %s: %s", want, invite.Text)
			}
		}
		join := links[0]

		// Someone who signed up with the staff's email first gets nothing
		// from it: accounts never prove their email.
		e.member(staffEmail)
		squatter := e.signIn(staffEmail, "member-password")
		for _, path := range []string{"/exhibitors/" + x + "/scan", "/exhibitors/" + x + "/leads", "/exhibitors/" + x + "/leads.csv"} {
			if p := squatter.do("GET", path, nil); p.code != 404 {
				t.Errorf("%s to an account with the staff's email: %d", path, p.code)
			}
		}
		if p := squatter.do("GET", "/exhibitors/mine", nil); strings.Contains(p.html, "Công ty Mầm Xanh") {
			t.Error("the booth is listed for an account with the staff's email")
		}
		if p := owner.do("GET", staffPage, nil); !strings.Contains(p.html, `data-invite="pending"`) || !strings.Contains(p.html, "Chưa nhận lời mời") {
			t.Fatalf("the staff list before acceptance: %.600s", p.html)
		}

		// The owner mails the invitation again, with the same link.
		staffID := regexp.MustCompile(`/staff/([^/]+)/invite`).FindStringSubmatch(owner.do("GET", staffPage, nil).html)[1]
		if p := owner.submit(staffPage, staffPage+"/"+staffID+"/invite", url.Values{}); p.code != 303 || p.location != staffPage {
			t.Fatalf("resending: %d %q", p.code, p.location)
		}
		if p := owner.do("GET", staffPage, nil); !strings.Contains(p.html, "Đã gửi lại lời mời qua email.") {
			t.Error("no flash after resending")
		}
		if again := e.invitations(staffEmail); len(again) != 2 || again[0] != join {
			t.Fatalf("after resending, invitations %v", again)
		}
		if p := e.browser("").do("GET", join, nil); p.code != 302 || p.location != "/login?next="+url.QueryEscape(join) {
			t.Fatalf("the invitation signed out: %d %q", p.code, p.location)
		}

		// The person with the link accepts it with an account of their own.
		e.member("duc.ca.nhan@sprout.test")
		staff := e.signIn("duc.ca.nhan@sprout.test", "member-password")
		p := staff.do("GET", join, nil)
		for _, want := range []string{"Công ty Mầm Xanh", "Techfest Hà Nội 2026", "Nhận lời mời", "duc.ca.nhan@sprout.test"} {
			if !strings.Contains(p.html, want) {
				t.Errorf("the invitation page lacks %s", want)
			}
		}
		if p.code != 200 {
			t.Fatalf("the invitation page: %d", p.code)
		}
		if p := staff.submit(join, join, url.Values{}); p.code != 303 || p.location != "/exhibitors/"+x+"/scan" {
			t.Fatalf("accepting: %d %q", p.code, p.location)
		}
		if p := staff.do("GET", "/exhibitors/"+x+"/scan", nil); p.code != 200 || !strings.Contains(p.html, "Bạn đã nhận lời mời") {
			t.Fatalf("the scanner after accepting: %d", p.code)
		}
		if p := staff.do("GET", "/exhibitors/mine", nil); !strings.Contains(p.html, "Công ty Mầm Xanh") {
			t.Error("the accepted booth is not among the staff's booths")
		}
		if p := staff.submit(join, join, url.Values{}); p.code != 303 {
			t.Fatalf("accepting twice: %d", p.code)
		}
		if p := owner.do("GET", staffPage, nil); !strings.Contains(p.html, `data-invite="accepted"`) || strings.Contains(p.html, "/invite") {
			t.Fatalf("the staff list after acceptance: %.600s", p.html)
		}
		if p := owner.submit(staffPage, staffPage+"/"+staffID+"/invite", url.Values{}); p.code != 409 ||
			!strings.Contains(p.html, "Người này đã nhận lời mời") {
			t.Fatalf("resending an accepted invitation: %d", p.code)
		}

		// A second account with the same link is told, and gets nothing.
		for _, method := range []string{"GET", "POST"} {
			var p page
			if method == "GET" {
				p = squatter.do("GET", join, nil)
			} else {
				p = squatter.submit("/exhibitors/mine", join, url.Values{})
			}
			if p.code != 409 || !strings.Contains(p.html, "Lời mời này đã được một tài khoản khác nhận") {
				t.Errorf("%s of a taken invitation: %d %.300s", method, p.code, p.html)
			}
		}
		if p := squatter.do("GET", "/exhibitors/"+x+"/scan", nil); p.code != 404 {
			t.Errorf("the scanner to the second account: %d", p.code)
		}

		// A link that names no invitation.
		unknown := "/exhibitors/join/khongtontai"
		if p := staff.do("GET", unknown, nil); p.code != 404 || !strings.Contains(p.html, "Liên kết mời không đúng") {
			t.Errorf("an unknown invitation: %d %.300s", p.code, p.html)
		}
		if p := staff.submit("/exhibitors/mine", unknown, url.Values{}); p.code != 404 || !strings.Contains(p.html, "Liên kết mời không đúng") {
			t.Errorf("accepting an unknown invitation: %d", p.code)
		}
	})
}

func TestSignupComesBackToThePageThatAskedForIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	eventID, _ := e.techfest(e.organizer(), 10, false)
	apply := "/events/" + eventID + "/exhibit"
	b := e.browser("")
	login := b.do("GET", apply, nil).location
	if p := b.do("GET", login, nil); !strings.Contains(strings.ToLower(p.html), strings.ToLower(`href="/signup?next=`+url.QueryEscape(apply)+`"`)) {
		t.Fatalf("the login page does not carry the way back to signing up: %.2000s", p.html)
	}
	signup := "/signup?next=" + url.QueryEscape(apply)
	if p := b.submit(signup, "/signup", url.Values{"name": {"Đỗ Hải"}, "email": {"hai@startup.vn"}, "password": {"mật khẩu mới"},
		"next": {apply}}); p.code != 303 || p.location != apply {
		t.Fatalf("after signing up: %d %q, want %q", p.code, p.location, apply)
	}
	if p := e.browser("").submit("/signup", "/signup", url.Values{"name": {"Kẻ Xấu"}, "email": {"xau@startup.vn"},
		"password": {"mật khẩu mới"}, "next": {"https://evil.example/"}}); p.location != "/account" {
		t.Fatalf("a foreign next: %q", p.location)
	}
}

func TestOrganizerServesAnExhibitorFirst(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		apply := func(token, company string) string {
			return e.authed(token, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": company,
				"contact_email": "lienhe@example.vn", "description": "Giới thiệu", "preferred_zone": "Khu Khởi nghiệp"}).status(201).str("exhibitor.id")
		}
		owner := e.member("a@example.vn")
		apply(owner, "Công ty Đến Trước")
		late := apply(e.member("b@example.vn"), "Startup Đến Sau")
		o := e.signIn("btc@sprout.test", "organizer-pass")
		list := "/manage/events/" + eventID + "/exhibitors?sort=startups"
		first := func() string {
			p := o.do("GET", list, nil)
			i, j := strings.Index(p.html, "Công ty Đến Trước"), strings.Index(p.html, "Startup Đến Sau")
			if i < 0 || j < 0 {
				t.Fatalf("the list lacks an exhibitor: %.400s", p.html)
			}
			if i < j {
				return "Công ty Đến Trước"
			}
			return "Startup Đến Sau"
		}
		if got := first(); got != "Công ty Đến Trước" {
			t.Fatalf("before any priority, %s comes first", got)
		}
		if !strings.Contains(o.do("GET", list, nil).html, "Mong muốn: Khu Khởi nghiệp") {
			t.Fatal("the list does not show the preferred zone")
		}
		action := "/manage/events/" + eventID + "/exhibitors/" + late + "/priority"
		if p := o.submit(list, action, url.Values{"priority": {"on"}, "back": {list}}); p.code != 303 || p.location != list {
			t.Fatalf("priority on: %d %q", p.code, p.location)
		}
		if got := first(); got != "Startup Đến Sau" {
			t.Fatalf("with priority, %s comes first", got)
		}
		o.submit(list, action, url.Values{"priority": {"off"}, "back": {list}})
		if got := first(); got != "Công ty Đến Trước" {
			t.Fatalf("after priority is removed, %s comes first", got)
		}
		otherEvent, _ := e.techfest(org, 10, false)
		if p := o.submit(list, "/manage/events/"+otherEvent+"/exhibitors/"+late+"/priority", url.Values{"priority": {"on"}}); p.code != 404 {
			t.Fatalf("priority through another event: %d", p.code)
		}
		if p := e.signIn("a@example.vn", "member-password").submit("/account", action, url.Values{"priority": {"on"}}); p.code != 403 {
			t.Fatalf("priority by the exhibitor itself: %d", p.code)
		}
	})
}

func TestExhibitorHearsOfDecisionsAndBooths(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		booth := func(code string, x int) string {
			return e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": code, "zone": "Khu Khởi nghiệp",
				"x": x, "y": 0, "w": 4, "h": 3, "size_class": "M"}).status(201).str("booth.id")
		}
		a1, a2 := booth("A01", 0), booth("A02", 4)
		// Each company applies from its own account.
		apply := func(company, contact string) string {
			owner := e.member("chu." + contact)
			return e.authed(owner, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": company,
				"contact_email": contact, "description": "Nông nghiệp số"}).status(201).str("exhibitor.id")
		}
		subjects := func(to string) []string {
			var out []string
			for _, m := range e.mails(to) {
				out = append(out, m.Subject)
			}
			return out
		}
		x := apply("Công ty Mầm Xanh", "lienhe@mamxanh.vn")
		if got := subjects("lienhe@mamxanh.vn"); len(got) != 0 {
			t.Fatalf("mail before any decision: %v", got)
		}
		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200)
		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/approve", nil).status(200)
		if got := subjects("lienhe@mamxanh.vn"); len(got) != 1 || !strings.Contains(got[0], "Công ty Mầm Xanh đã được duyệt") {
			t.Fatalf("after approving twice: %v", got)
		}
		e.authed(org, "POST", "/api/v1/booths/"+a1+"/assign", map[string]any{"exhibitor_id": x}).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+a1+"/assign", map[string]any{"exhibitor_id": x}).status(200)
		e.authed(org, "POST", "/api/v1/booths/"+a1+"/move", map[string]any{"to_booth_id": a2}).status(200)
		got := subjects("lienhe@mamxanh.vn")
		if len(got) != 3 || !strings.HasPrefix(got[1], "Gian hàng A01 dành cho Công ty Mầm Xanh") ||
			!strings.HasPrefix(got[0], "Công ty Mầm Xanh chuyển sang gian A02") {
			t.Fatalf("after assigning twice and moving: %v", got)
		}
		if text := e.mails("lienhe@mamxanh.vn")[1].Text; !strings.Contains(text, "3 thẻ nhân sự") || !strings.Contains(text, "/exhibitors/"+x+"/staff") {
			t.Fatalf("the booth mail does not say what to do next: %s", text)
		}
		y := apply("Tiền Ảo Nhanh", "lienhe@tienao.vn")
		e.authed(org, "POST", "/api/v1/exhibitors/"+y+"/reject", nil).status(200)
		if got := subjects("lienhe@tienao.vn"); len(got) != 1 || !strings.HasPrefix(got[0], "Kết quả đăng ký triển lãm của Tiền Ảo Nhanh") {
			t.Fatalf("after rejecting: %v", got)
		}
	})
}

// Rejecting an exhibitor gives back its booths and cancels its staff's
// badges: none of them enters the expo any more.
func TestRejectingAnExhibitorCancelsItsStaffBadges(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		eventID, _ := e.techfest(org, 100, false)
		x := e.booth(org, e.member("bi.tu.choi@sprout.test"), eventID, "Công ty Bị Từ Chối")
		boothID := e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "A01", "zone": "Khu Khởi nghiệp",
			"x": 0, "y": 0, "w": 4, "h": 3, "size_class": "M"}).status(201).str("booth.id")
		e.authed(org, "POST", "/api/v1/booths/"+boothID+"/assign", map[string]any{"exhibitor_id": x}).status(200)
		owner := e.signIn("bi.tu.choi@sprout.test", "member-password")
		staffPage := "/exhibitors/" + x + "/staff"
		for _, who := range [][2]string{{"Trần Minh Đức", "duc@bituchoi.vn"}, {"Lê Thu Hà", "ha@bituchoi.vn"}} {
			if p := owner.submit(staffPage, staffPage, url.Values{"name": {who[0]}, "email": {who[1]}}); p.code != 303 {
				t.Fatalf("adding %s: %d", who[0], p.code)
			}
		}
		badges, _, err := e.app.Tickets.List(ctx, tickets.Query{EventID: eventID, Text: "bituchoi.vn", Limit: 10})
		if err != nil || len(badges) != 2 || badges[0].Status != tickets.Active {
			t.Fatalf("staff badges: %+v, %v", badges, err)
		}

		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/reject", nil).status(200)
		for _, b := range badges {
			if got := e.authed(org, "GET", "/api/v1/tickets/"+b.ID, nil).status(200).str("ticket.status"); got != "cancelled" {
				t.Fatalf("%s's badge after the rejection: %s", b.Name, got)
			}
			if r := e.authed(org, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": b.Token}).status(200); r.str("result") != "revoked" {
				t.Fatalf("%s's badge at the gate: %s", b.Name, r.body)
			}
		}
		crew, err := e.app.Store.BoothStaff(ctx, x)
		if err != nil || len(crew) != 0 {
			t.Fatalf("the rejected exhibitor still has staff: %+v, %v", crew, err)
		}
		// Rejecting again finds nothing left to do.
		e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/reject", nil).status(200)
	})
}
