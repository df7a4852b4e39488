package e2e_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sprout/internal/vn"
)

// TestBrowserEnterpriseFilesACertificationDossier walks an enterprise
// through its side of the certification procedure in Vietnamese, on a
// phone and a laptop: it signs up from the procedure's page, starts a
// dossier, fills it while autosave says when it saved, sees the revenue
// share worked out as it types, adds a result and uploads its proof by
// choosing the PDF, sends the dossier and reads the day it was received,
// then reads it again in English. Every page on the way fits the window.
func TestBrowserEnterpriseFilesACertificationDossier(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	proof := filepath.Join(t.TempDir(), "ban-quyen-phan-mem.pdf")
	if err := os.WriteFile(proof, []byte("%PDF-1.4\n1 0 obj\n<< /Title (Giay chung nhan quyen tac gia) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, size := range sizes {
		t.Run("vi-"+size.name, func(t *testing.T) {
			j := &journey{t: t, s: s, lang: "vi", size: size, took: map[string]time.Duration{}}
			b := j.open(newTab(t, browser, s.base))
			signup := "/signup?next=/enterprise"
			b.load("opening the sign-up page", 200, signup, chromedp.Navigate(s.base+"/lang/vi?next="+url.QueryEscape(signup)))
			b.typeInto("#name", "Nguyễn Thị Hạnh")
			b.typeInto("#email", "doanhnghiep-"+size.name+"@example.vn")
			b.typeInto("#password", "sông hồng công nghệ")
			b.load("signing up", 200, "/enterprise", click(`main form button[type="submit"]`))
			if got := b.text("main"); !strings.Contains(got, msg(t, "vi", "st.mine.none")) || !strings.Contains(got, "268/2025/NĐ-CP") {
				t.Errorf("the procedure's page for a new enterprise reads %q", got)
			}
			j.see(b, "enterprise-list")

			res, err := chromedp.RunResponse(b.ctx, click(`form[action="/enterprise/dossiers"] button[type="submit"]`))
			if err != nil || res.Status != 200 || !strings.HasPrefix(res.URL, s.base+"/enterprise/dossiers/") {
				t.Fatalf("starting a dossier: %v %v", err, res)
			}
			dossier := strings.TrimPrefix(res.URL, s.base)
			b.typeInto("#f-name", "Công ty Cổ phần Công nghệ Sông Hồng")
			b.typeInto("#f-tax_code", "010123456"+string(rune('7'+i)))
			b.typeInto("#f-address", "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội")
			b.typeInto("#f-representative", "Nguyễn Thị Hạnh")
			b.eval(`for (const [id, v] of [["f-founded", "2018-03-01"], ["f-size", "small"], ["f-sector", "software"]]) {
				const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("change", {bubbles: true}));
				el.dispatchEvent(new Event("input", {bubbles: true})); } ""`)
			b.typeInto("#f-year", "2025")
			b.typeInto("#f-revenue", "10000000000")
			b.typeInto("#f-result_revenue", "4200000000")
			if got := b.text("#st-share"); !strings.Contains(got, "42%") || !strings.Contains(got, msg(t, "vi", "st.share.meets")) {
				t.Errorf("the share as typed reads %q", got)
			}
			b.waitFor(`document.getElementById("st-status").dataset.kind === "ok"`)
			if got := b.text("#st-status"); !strings.HasPrefix(got, "Đã lưu lúc ") {
				t.Errorf("autosave says %q", got)
			}

			b.do("adding a result", click(`[data-add]`))
			b.typeInto(`.st-result input[name="result_title"]`, "Phần mềm quản lý nông trại thông minh")
			b.do("choosing the proof", chromedp.SetUploadFiles(chromedp.CSS(`.st-result input[data-proof]`), []string{proof}))
			b.waitFor(`!!document.querySelector(".st-result [data-attachment] a")`)
			if got := b.text(".st-result [data-attachment]"); !strings.Contains(got, "ban-quyen-phan-mem.pdf") {
				t.Errorf("the proof attached reads %q", got)
			}
			j.see(b, "enterprise-form", "#f-results")

			b.loadAfterScript("sending the dossier", 200, dossier, click(`button[name="intent"][value="submit"]`))
			received := s.now().In(vn.Zone).Format("02/01/2006")
			if got := b.text("main"); !strings.Contains(got, msg(t, "vi", "st.status.received_on")) || !strings.Contains(got, received) ||
				!strings.Contains(got, msg(t, "vi", "st.stage.submitted")) {
				t.Errorf("the status page after sending reads %q", got)
			}
			j.see(b, "enterprise-status")

			// The header's switch reads the same page in English.
			if size.phone {
				b.do("opening the menu", click("label.nav-burger"))
			}
			b.load("switching to English", 200, dossier, click(`.lang-switch button[lang="en"]`))
			if got := b.text("main"); !strings.Contains(got, msg(t, "en", "st.status.received_on")) || !strings.Contains(got, msg(t, "en", "st.stage.submitted")) ||
				!strings.Contains(got, msg(t, "en", "st.status.due_by")) {
				t.Errorf("the status page in English reads %q", got)
			}
			j.see(b, "")
			shot(t, b, "journey-enterprise-status-en-"+size.name)
		})
	}
}
