package mail_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"sprout/internal/mail"
)

// samples holds data for every template; a new template needs a line here.
var samples = map[string]any{
	"password_reset": resetData("Nguyễn Văn An"),
	"account_invite": map[string]any{"Name": "Võ Thị Hằng", "Link": "https://sprout.local/password/reset/abc", "ExpiresDays": 7},
	"ticket": map[string]any{"Name": "Trần Thị Bình", "Event": "Techfest Hà Nội 2026", "Venue": "Trung tâm Hội nghị Quốc gia",
		"When": "08:30 28/11/2026", "TicketType": "Khách tham quan", "Link": "https://sprout.local/t/abc", "QR": "qr", "Promoted": true},
	"decision": map[string]any{"Name": "Lê Minh", "Program": "Vườn ươm công nghệ Hà Nội — Khóa 2027", "Startup": "Mầm Xanh",
		"Decision": "accepted", "Note": "Hẹn gặp bạn ở buổi khai giảng."},
	"review_reminder": map[string]any{"Name": "Phạm Thu", "Program": "Vườn ươm công nghệ Hà Nội — Khóa 2027", "Unfinished": 3, "Several": true,
		"Deadline": "17:00 ngày 10/12/2026", "Link": "https://sprout.local/reviews"},
	"report_reminder": map[string]any{"Name": "Lê Minh", "Startup": "Mầm Xanh", "Month": "04/2026", "Link": "https://sprout.local/cohort/reports"},
	"ticket_links":    map[string]any{"Tickets": []map[string]string{{"Event": "Techfest Hà Nội 2026", "When": "28/11/2026", "Link": "https://sprout.local/t/abc"}}},
	"staff_invite": map[string]any{"Name": "Trần Minh Đức", "Company": "Công ty Mầm Xanh", "Event": "Techfest Hà Nội 2026",
		"Link": "https://sprout.local/exhibitors/join/abc"},
	"exhibitor_decision": map[string]any{"Name": "Lê Thu Hà", "Company": "Công ty Mầm Xanh", "Event": "Techfest Hà Nội 2026",
		"Approved": false, "Reason": "Hồ sơ thiếu giấy phép kinh doanh.", "Link": "https://sprout.local/exhibitors/x/profile"},
	"booth_assigned": map[string]any{"Name": "Lê Thu Hà", "Company": "Công ty Mầm Xanh", "Event": "Techfest Hà Nội 2026",
		"Booth": "A01", "Zone": "Khu Khởi nghiệp", "Moved": false, "Staff": 3, "StaffLink": "https://sprout.local/exhibitors/x/staff",
		"Link": "https://sprout.local/exhibitors/x/profile"},
	"certificate": map[string]any{"Code": "HN-2026-000123", "Name": "Nguyễn Thị Ánh Tuyết", "Course": "Chuyển đổi số cho doanh nghiệp nhỏ",
		"Issuer": "Sở Khoa học và Công nghệ Hà Nội", "Verify": "https://sprout.local/verify/HN-2026-000123", "Link": "https://sprout.local/t/abc"},
	"st_additions": map[string]any{"Name": "Lê Thu Hà", "Enterprise": "Công ty Cổ phần Nông nghiệp Số Mầm Xanh",
		"Note": "Bổ sung bản sao văn bằng bảo hộ sáng chế.", "Link": "https://sprout.local/enterprise/dossiers/x"},
	"st_granted": map[string]any{"Name": "Lê Thu Hà", "Enterprise": "Công ty Cổ phần Nông nghiệp Số Mầm Xanh", "Code": "HN-2026-000124",
		"Verify": "https://sprout.local/verify/HN-2026-000124", "Link": "https://sprout.local/enterprise/dossiers/x"},
	"st_refused": map[string]any{"Name": "Lê Thu Hà", "Enterprise": "Công ty Cổ phần Nông nghiệp Số Mầm Xanh",
		"Reasons": "Doanh thu từ kết quả KH&CN dưới 30 %.", "Link": "https://sprout.local/enterprise/dossiers/x"},
	"st_revoked": map[string]any{"Name": "Lê Thu Hà", "Enterprise": "Công ty Cổ phần Nông nghiệp Số Mầm Xanh", "Code": "HN-2026-000124",
		"Reasons": "Không nộp báo cáo hai năm liền.", "Verify": "https://sprout.local/verify/HN-2026-000124", "Link": "https://sprout.local/enterprise/dossiers/x"},
	"st_due": map[string]any{"Name": "Phạm Quang Huy", "Enterprise": "Công ty Cổ phần Nông nghiệp Số Mầm Xanh", "TaxCode": "0109876543",
		"Due": "18/12/2026", "Left": -2, "Late": true, "Overdue": 2, "Link": "https://sprout.local/officer/dossiers/x"},
	"st_report_reminder": map[string]any{"Name": "Lê Thu Hà", "Enterprise": "Công ty Cổ phần Nông nghiệp Số Mầm Xanh", "Year": 2026,
		"Code": "HN-2026-000124", "Link": "https://sprout.local/enterprise/dossiers/x"},
}

func TestEveryTemplateRendersInEveryLanguage(t *testing.T) {
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range tpl.Names() {
		data, ok := samples[name]
		if !ok {
			t.Errorf("template %s has no sample data in this test", name)
			continue
		}
		subjects := map[string]bool{}
		for _, lang := range mail.Languages {
			r, err := tpl.Render(name, lang, data)
			if err != nil {
				t.Errorf("%s.%s: %v", name, lang, err)
				continue
			}
			if r.Subject == "" || strings.TrimSpace(r.Text) == "" || !strings.Contains(r.HTML, `<html lang="`+lang+`">`) {
				t.Errorf("%s.%s renders incomplete: %+v", name, lang, r)
			}
			subjects[r.Subject] = true
		}
		if len(subjects) != len(mail.Languages) {
			t.Errorf("%s: languages share a subject, one is probably untranslated", name)
		}
	}
}

func TestPasswordReset(t *testing.T) {
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	data := resetData("Nguyễn <b>An</b>")
	vi, err := tpl.Render("password_reset", "vi", data)
	if err != nil {
		t.Fatal(err)
	}
	if vi.Subject != "Đặt lại mật khẩu Sprout" {
		t.Errorf("subject %q", vi.Subject)
	}
	for _, want := range []string{"Chào Nguyễn <b>An</b>,", "https://sprout.local/reset/tok123?a=1&b=2", "60 phút"} {
		if !strings.Contains(vi.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, vi.Text)
		}
	}
	for _, want := range []string{
		"Chào Nguyễn &lt;b&gt;An&lt;/b&gt;,",
		`href="https://sprout.local/reset/tok123?a=1&amp;b=2"`,
		">Đặt lại mật khẩu</a>",
		"<title>Đặt lại mật khẩu Sprout</title>",
	} {
		if !strings.Contains(vi.HTML, want) {
			t.Errorf("html lacks %q:\n%s", want, vi.HTML)
		}
	}
	if strings.Contains(vi.HTML, "<b>An") {
		t.Error("html does not escape the name")
	}

	en, err := tpl.Render("password_reset", "en-US", data)
	if err != nil {
		t.Fatal(err)
	}
	if en.Subject != "Reset your Sprout password" || !strings.Contains(en.Text, "60 minutes") {
		t.Errorf("en-US does not render English: %q\n%s", en.Subject, en.Text)
	}
	fallback, err := tpl.Render("password_reset", "fr", data)
	if err != nil {
		t.Fatal(err)
	}
	if fallback != vi {
		t.Error("an unsupported language does not fall back to Vietnamese")
	}
}

func TestRenderErrors(t *testing.T) {
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Render("no_such_mail", "vi", nil); err == nil {
		t.Error("unknown template renders")
	}
	if _, err := tpl.Render("password_reset", "vi", map[string]any{"Name": "An"}); err == nil {
		t.Error("missing data renders")
	}
}

func TestParseTemplatesRejectsGaps(t *testing.T) {
	full := `{{define "subject"}}S{{end}}{{define "text"}}T{{end}}{{define "html"}}<p>H</p>{{end}}`
	cases := map[string]fstest.MapFS{
		"one language only": {
			"welcome.vi.tmpl": {Data: []byte(full)},
		},
		"missing block": {
			"welcome.vi.tmpl": {Data: []byte(full)},
			"welcome.en.tmpl": {Data: []byte(`{{define "subject"}}S{{end}}{{define "text"}}T{{end}}`)},
		},
		"unknown language": {
			"welcome.vi.tmpl": {Data: []byte(full)},
			"welcome.en.tmpl": {Data: []byte(full)},
			"welcome.fr.tmpl": {Data: []byte(full)},
		},
		"syntax error": {
			"welcome.vi.tmpl": {Data: []byte(full + "{{if}}")},
			"welcome.en.tmpl": {Data: []byte(full)},
		},
	}
	for name, fsys := range cases {
		if _, err := mail.ParseTemplates(fsys); err == nil {
			t.Errorf("%s: parses", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	ok := fstest.MapFS{"welcome.vi.tmpl": {Data: []byte(full)}, "welcome.en.tmpl": {Data: []byte(full)}}
	if _, err := mail.ParseTemplates(ok); err != nil {
		t.Errorf("complete set: %v", err)
	}
}
