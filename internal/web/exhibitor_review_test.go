package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"sprout/internal/expo"
)

func TestOrganizerReviewsAnExhibitor(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		eventID, _ := e.techfest(org, 100, false)
		e.member("chu@mamxanh.vn")
		owner := e.signIn("chu@mamxanh.vn", "member-password")
		apply := "/events/" + eventID + "/exhibit"
		form := exhibitorForm()
		form.Set("preferred_zone", "Khu Khởi nghiệp")
		p := owner.submitForm(apply, apply, form, "logo", "logo.png", pngImage(t, 40, 40, false))
		if p.code != 303 {
			t.Fatalf("apply: %d %.300s", p.code, p.html)
		}
		profile := p.location
		xID := strings.Split(profile, "/")[2]
		list := "/manage/events/" + eventID + "/exhibitors"
		page := list + "/" + xID
		status := func() expo.ExhibitorStatus {
			x, err := e.app.Store.Exhibitor(ctx, xID)
			if err != nil {
				t.Fatal(err)
			}
			return x.Status
		}

		o := e.signIn("btc@sprout.test", "organizer-pass")
		if p := o.do("GET", list, nil); !strings.Contains(p.html, `<a href="`+page+`"`) {
			t.Fatalf("the list does not lead to the application: %.3000s", p.html)
		}
		p = o.do("GET", page, nil).status(t, 200)
		for _, want := range []string{"Công ty CP Mầm Xanh", "Lê Thu Hà", `href="mailto:lienhe@mamxanh.vn"`, `href="tel:`,
			"Nông nghiệp số", "Cảm biến đất cho nông trại thông minh", "<li>Cảm biến độ ẩm</li>", "<li>Ứng dụng tưới tự động</li>",
			`href="https://mamxanh.vn"`, `href="https://facebook.com/mamxanh"`, `src="/exhibitors/` + xID + `/logo"`,
			"Khu Khởi nghiệp", "Vừa (M) — 3 nhân sự", "Không thuộc khóa ươm tạo nào", "Chờ duyệt", "Nộp đơn",
			`<a href="` + list + `">← Về danh sách đơn vị trưng bày</a>`, `action="` + page + `/approve"`,
			`action="` + page + `/reject" data-confirm="Từ chối đơn của Công ty CP Mầm Xanh?"`, `name="reason"`} {
			if !strings.Contains(p.html, want) {
				t.Errorf("the application's page lacks %q", want)
			}
		}
		if t.Failed() {
			t.Fatalf("%.6000s", p.html)
		}
		if p := o.do("GET", "/exhibitors/"+xID+"/logo", nil); p.code != 200 {
			t.Fatalf("the organizer sees a pending logo: %d", p.code)
		}

		// Rejecting asks for a reason, from the list as from the page.
		for _, from := range []string{list, page} {
			p = o.submit(from, page+"/reject", url.Values{"back": {from}, "reason": {"   "}})
			if p.code != 400 || !strings.Contains(p.html, `aria-invalid="true" aria-errormessage="reject-reason-error"`) ||
				!strings.Contains(p.html, `id="reject-reason-error">Hãy ghi lý do từ chối.</p>`) || !strings.Contains(p.html, "Lê Thu Hà") {
				t.Fatalf("rejecting without a reason from %s: %d %.4000s", from, p.code, p.html)
			}
		}
		if st := status(); st != expo.Pending || len(e.mails("lienhe@mamxanh.vn")) != 0 {
			t.Fatalf("a rejection without a reason changed the application: %s", st)
		}

		if p := o.submit(page, page+"/approve", url.Values{"back": {page}}); p.code != 303 || p.location != page {
			t.Fatalf("approve from the page: %d %q", p.code, p.location)
		}
		p = o.do("GET", page, nil)
		if !strings.Contains(p.html, `<li data-step="approved"><strong>Duyệt</strong> · Trần Quốc Bảo`) || strings.Contains(p.html, "Đã sửa sau khi duyệt") {
			t.Fatalf("after approving: %.4000s", p.html)
		}

		// The exhibitor changes its public profile after the approval.
		edit := exhibitorForm()
		edit.Set("preferred_zone", "Khu Khởi nghiệp")
		edit.Set("description", "Cảm biến đất thế hệ mới")
		if p := owner.submit(profile, profile, edit); p.code != 303 {
			t.Fatalf("the owner's edit: %d %.300s", p.code, p.html)
		}
		if p := o.do("GET", list, nil); !strings.Contains(p.html, `href="`+page+`#changes">Đã sửa sau khi duyệt</a>`) {
			t.Fatalf("the list does not mark the change: %.4000s", p.html)
		}
		p = o.do("GET", page, nil)
		for _, want := range []string{`<tr data-field="description">`, "<del>Cảm biến đất cho nông trại thông minh</del>",
			"<ins>Cảm biến đất thế hệ mới</ins>", `<li data-step="edited"><strong>Sửa hồ sơ</strong> · Trần Minh Đức`,
			`action="` + page + `/acknowledge"`} {
			if !strings.Contains(p.html, want) {
				t.Errorf("the changed application's page lacks %q", want)
			}
		}
		if strings.Contains(p.html, `data-field="company"`) {
			t.Error("a field not changed is shown as changed")
		}
		if t.Failed() {
			t.Fatalf("%.6000s", p.html)
		}
		if p := o.submit(page, page+"/acknowledge", url.Values{}); p.code != 303 || p.location != page {
			t.Fatalf("acknowledge: %d %q", p.code, p.location)
		}
		p = o.do("GET", page, nil)
		if strings.Contains(p.html, "Đã sửa sau khi duyệt") || !strings.Contains(p.html, "Duyệt bản hồ sơ đã sửa") {
			t.Fatalf("after acknowledging: %.4000s", p.html)
		}
		if p := o.do("GET", list, nil); strings.Contains(p.html, "Đã sửa sau khi duyệt") {
			t.Fatal("the list still marks an acknowledged change")
		}

		// With a reason, the rejection goes through and the mail carries it.
		if p := o.submit(page, page+"/reject", url.Values{"back": {page}, "reason": {"Sản phẩm chưa phù hợp chủ đề triển lãm"}}); p.code != 303 {
			t.Fatalf("reject with a reason: %d %.2000s", p.code, p.html)
		}
		if st := status(); st != expo.Rejected {
			t.Fatalf("after rejecting: %s", st)
		}
		if m := e.mails("lienhe@mamxanh.vn"); len(m) != 2 || !strings.Contains(m[0].Text, "Lý do ban tổ chức đưa ra:\nSản phẩm chưa phù hợp chủ đề triển lãm") ||
			!strings.Contains(m[0].HTML, "Sản phẩm chưa phù hợp chủ đề triển lãm") {
			t.Fatalf("the rejection mail: %+v", m)
		}
		if p := owner.do("GET", profile, nil); !strings.Contains(p.html, "<p>Lý do: Sản phẩm chưa phù hợp chủ đề triển lãm</p>") {
			t.Fatalf("the exhibitor's own page does not give the reason: %.3000s", p.html)
		}
		p = o.do("GET", page, nil)
		if !strings.Contains(p.html, "<blockquote>Lý do: Sản phẩm chưa phù hợp chủ đề triển lãm</blockquote>") || strings.Contains(p.html, `name="reason"`) {
			t.Fatalf("the rejected application's page: %.4000s", p.html)
		}

		// Another event's page does not reach the application; others may not see it.
		other, _ := e.techfest(org, 10, false)
		if p := o.do("GET", "/manage/events/"+other+"/exhibitors/"+xID, nil); p.code != 404 {
			t.Fatalf("through another event: %d", p.code)
		}
		if p := o.submit(page, "/manage/events/"+other+"/exhibitors/"+xID+"/acknowledge", url.Values{}); p.code != 404 {
			t.Fatalf("acknowledging through another event: %d", p.code)
		}
		if p := owner.do("GET", page, nil); p.code != 403 {
			t.Fatalf("the exhibitor on the organizer's page: %d", p.code)
		}
		if p := owner.submit(profile, page+"/reject", url.Values{"reason": {"x"}}); p.code != 403 {
			t.Fatalf("the exhibitor rejecting: %d", p.code)
		}
	})
}

// The API takes a reason for a rejection, and the mail carries it in the
// exhibitor's language; a rejection without a body still works.
func TestRejectionReasonThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		e.member("founder@beerobotics.vn")
		if p := e.signIn("founder@beerobotics.vn", "member-password").submit("/account", "/account/profile",
			url.Values{"name": {"Mai Anh"}, "lang": {"en"}}); p.code != 303 {
			t.Fatalf("choosing English: %d", p.code)
		}
		token := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "founder@beerobotics.vn", "password": "member-password"}).status(200).str("token")
		x := e.authed(token, "POST", "/api/v1/events/"+eventID+"/exhibitors", map[string]any{"company": "Bee Robotics",
			"contact_email": "hello@beerobotics.vn", "description": "Robots"}).status(201).str("exhibitor.id")
		r := e.authed(org, "POST", "/api/v1/exhibitors/"+x+"/reject", map[string]any{"reason": "The stand plan is missing."}).status(200)
		if r.str("exhibitor.status") != "rejected" || r.str("exhibitor.history.0.reason") != "The stand plan is missing." {
			t.Fatalf("the rejection: %s", r.body)
		}
		if m := e.mails("hello@beerobotics.vn"); len(m) != 1 || !strings.Contains(m[0].Text, "Reason given by the organizers:\nThe stand plan is missing.") {
			t.Fatalf("the English rejection mail: %+v", m)
		}
		y := e.booth(org, e.member("b@example.vn"), eventID, "Công ty Không Lý Do")
		e.authed(org, "POST", "/api/v1/exhibitors/"+y+"/reject", nil).status(200)
		e.authed(org, "POST", "/api/v1/exhibitors/"+y+"/reject", map[string]any{"why": "x"}).errorCode(400, "invalid")
	})
}
