package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sprout/internal/pdffont/pdftest"
	"strings"
	"testing"
)

// pdfInfo is what pdfinfo says of a PDF, whitespace collapsed.
func pdfInfo(t *testing.T, pdf []byte) string {
	t.Helper()
	_, out := pdftest.Run(t, pdf, "pdfinfo", "FILE")
	return strings.Join(strings.Fields(out), " ")
}

// badgeQR reads the QR code of a one-badge PDF: its only image.
func badgeQR(t *testing.T, pdf []byte) string {
	t.Helper()
	dir, _ := pdftest.Run(t, pdf, "pdfimages", "-png", "FILE", "img")
	imgs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(imgs) != 1 {
		t.Fatalf("the badge has %d images, want its QR code", len(imgs))
	}
	data, err := os.ReadFile(imgs[0])
	if err != nil {
		t.Fatal(err)
	}
	return decodeQR(t, data)
}

func ticketToken(t *testing.T, e *env, id string) string {
	t.Helper()
	tk, err := e.app.Tickets.Ticket(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk.Token
}

var pdfPagesRE = regexp.MustCompile(`Pages: (\d+)`)

func TestBadges(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, typeID := e.techfest(org, 10, false)
		otherID, _ := e.techfest(org, 10, false)
		vip := e.authed(org, "POST", "/api/v1/events/"+eventID+"/ticket-types", map[string]any{"name": "Khách mời VIP", "capacity": 10}).status(201).str("ticket_type.id")
		b := e.signIn("btc@sprout.test", "organizer-pass")
		manage := "/manage/events/" + eventID
		if p := b.submit(manage, manage+"/questions", url.Values{
			"eq_id": {"organisation", "job_title"}, "eq_label": {"Đơn vị công tác", "Chức danh"}, "eq_label_en": {"Organisation", "Job title"},
			"eq_kind": {"text", "text"}, "eq_required": {"", ""}, "eq_at_gate": {"", ""}, "eq_role": {"organisation", "job_title"},
			"eq_options": {"", ""}, "eq_options_en": {"", ""},
		}); p.code != 303 {
			t.Fatalf("saving the questions: %d", p.code)
		}
		tuyet := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": vip, "name": "Nguyễn Thị Ánh Tuyết",
			"email": "tuyet@example.vn", "answers": map[string]any{"organisation": "Công ty Cổ phần Mầm Xanh", "job_title": "Giám đốc"}}).status(201).str("ticket.id")
		for i, name := range []string{"Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng", "Hoàng Thị Én"} {
			e.register(eventID, typeID, name, fmt.Sprintf("k%d@example.vn", i), "")
		}
		gone := e.register(eventID, typeID, "Đỗ Văn Hủy", "huy@example.vn", "")
		if p := b.submit(manage+"/registrations", manage+"/registrations/"+gone+"/cancel", url.Values{}); p.code != 303 {
			t.Fatalf("cancelling: %d", p.code)
		}

		// One badge, as a download, with the registration's answers and the
		// ticket type's name.
		one := manage + "/registrations/" + tuyet + "/badge.pdf?size=a6"
		res, pdf := b.download(one)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" ||
			!regexp.MustCompile(`^attachment; filename="the-techfest-\d+-`+tuyet+`-a6\.pdf"$`).MatchString(res.Header.Get("Content-Disposition")) {
			t.Fatalf("a badge: %d %v", res.StatusCode, res.Header)
		}
		text := pdftest.Text(t, pdf)
		for _, want := range []string{"Nguyễn Thị Ánh Tuyết", "Công ty Cổ phần Mầm Xanh", "Giám đốc", "Khách mời VIP", "Techfest Hà Nội 2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("the badge lacks %q: %s", want, text)
			}
		}
		if res, _ := b.download(manage + "/registrations/" + gone + "/badge.pdf"); res.StatusCode != 404 {
			t.Errorf("a cancelled ticket's badge: %d", res.StatusCode)
		}
		if res, _ := b.download("/manage/events/" + otherID + "/registrations/" + tuyet + "/badge.pdf"); res.StatusCode != 404 {
			t.Errorf("a ticket's badge under another event: %d", res.StatusCode)
		}
		if res, _ := b.download(manage + "/registrations/" + tuyet + "/badge.pdf?size=a4"); res.StatusCode != 400 {
			t.Errorf("an unknown size: %d", res.StatusCode)
		}

		// In bulk: the active tickets of the list's filter.
		res, pdf = b.download(manage + "/badges.pdf?size=a6")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" ||
			!regexp.MustCompile(`^attachment; filename="the-techfest-\d+-a6-\d{8}-\d{4}\.pdf"$`).MatchString(res.Header.Get("Content-Disposition")) {
			t.Fatalf("bulk badges: %d %v", res.StatusCode, res.Header)
		}
		if m := pdfPagesRE.FindStringSubmatch(pdfInfo(t, pdf)); m == nil || m[1] != "2" {
			t.Errorf("5 A6 badges on %v sheets, want 2", m)
		}
		if text := pdftest.Text(t, pdf); strings.Contains(text, "Đỗ Văn Hủy") || !strings.Contains(text, "Hoàng Thị Én") {
			t.Errorf("bulk badges print the active tickets only: %s", text)
		}
		_, pdf = b.download(manage + "/badges.pdf?size=label&type=" + typeID + "&q=" + url.QueryEscape("thi"))
		info := pdfInfo(t, pdf)
		if m := pdfPagesRE.FindStringSubmatch(info); m == nil || m[1] != "2" || !strings.Contains(info, "Page size: 175.75 x") {
			t.Errorf("the labels of a filter (2 of type %s matching “thi”): %s", typeID, info)
		}
		if text := pdftest.Text(t, pdf); !strings.Contains(text, "Lê Thị Cúc") || strings.Contains(text, "Tuyết") {
			t.Errorf("the labels of a filter: %s", text)
		}

		// The list offers them beside the exports, with its filter, and per row.
		p := b.do("GET", manage+"/registrations?type="+typeID, nil)
		for _, want := range []string{`href="` + manage + `/badges.pdf?size=a6&amp;type=` + typeID + `"`, `href="` + manage + `/badges.pdf?size=label&amp;type=` + typeID + `"`,
			"Thẻ đeo (A6)", "Thẻ đeo (nhãn 62 mm)", `/badge.pdf?size=a6"`} {
			if !strings.Contains(p.html, want) {
				t.Errorf("the registrations page lacks %s", want)
			}
		}

		// Gate staff print from the gate, their event's badges only; others
		// are turned away.
		gateBadge := "/events/" + eventID + "/gate/badge/" + tuyet + ".pdf?size=label"
		staff := e.signedInStaff("soat@sprout.test")
		e.onStaff(org, eventID, "soat@sprout.test")
		res, pdf = staff.download(gateBadge)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline; ") {
			t.Fatalf("staff print a badge at the gate: %d %v", res.StatusCode, res.Header)
		}
		if info := pdfInfo(t, pdf); !strings.Contains(info, "Pages: 1") || !strings.Contains(info, "Page size: 175.75 x") {
			t.Errorf("the gate's badge is one 62 mm label: %s", info)
		}
		if got, want := badgeQR(t, pdf), ticketToken(t, e, tuyet); got != want {
			t.Errorf("the badge's QR code reads %q, want the ticket's token %q", got, want)
		}
		if p := staff.do("GET", "/events/"+eventID+"/gate", nil); !strings.Contains(p.html, `id="badge"`) || !strings.Contains(p.html, "In thẻ") {
			t.Error("the gate page has no print button")
		}
		if res, _ := staff.download(manage + "/badges.pdf"); res.StatusCode != 403 {
			t.Errorf("staff printing the organizer's bulk badges: %d", res.StatusCode)
		}
		other := e.signedInStaff("khac@sprout.test")
		e.onStaff(org, otherID, "khac@sprout.test")
		if res, _ := other.download(gateBadge); res.StatusCode != 403 {
			t.Errorf("staff of another event: %d", res.StatusCode)
		}
		if res, _ := other.download(one); res.StatusCode != 403 {
			t.Errorf("staff on the organizer's badge: %d", res.StatusCode)
		}
		for _, path := range []string{one, manage + "/badges.pdf", gateBadge} {
			if res, _ := e.browser("").download(path); res.StatusCode != 302 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("a stranger on %s: %d", path, res.StatusCode)
			}
		}
	})
}
