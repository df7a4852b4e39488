package e2e_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEnterpriseIsCertifiedFromDossierToRegistry walks the whole
// procedure in Chromium: an enterprise files and sends its dossier; an
// officer asks for an addition; the enterprise amends and sends it again;
// the officer finds it complete; a council member scores it from the
// review queue; the officer reads the council's score and grants the
// certificate; a stranger finds the enterprise in the registry without
// diacritics and its certificate valid.
func TestBrowserEnterpriseIsCertifiedFromDossierToRegistry(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	admin := s.login(t, adminEmail, adminPassword)
	const officerEmail, officerPassword = "chuyen.vien@so-khcn.test", "chuyên viên sở khoa học"
	const memberEmail, memberPassword = "hoi.dong@so-khcn.test", "thành viên hội đồng"
	var member struct {
		User struct{ ID string } `json:"user"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": officerEmail, "password": officerPassword,
		"name": "Phạm Minh Tuấn", "roles": []string{"officer"}}, nil)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": memberEmail, "password": memberPassword,
		"name": "GS.TS. Trần Văn Hội", "roles": []string{"reviewer"}}, &member)
	proof := filepath.Join(t.TempDir(), "bang-sang-che.pdf")
	if err := os.WriteFile(proof, []byte("%PDF-1.4\n1 0 obj\n<< /Title (Bang sang che) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The enterprise files and sends.
	ent := newTab(t, browser, s.base)
	signup := "/signup?next=/enterprise"
	ent.load("opening the sign-up page", 200, signup, chromedp.Navigate(s.base+"/lang/vi?next="+url.QueryEscape(signup)))
	ent.typeInto("#name", "Nguyễn Thị Hạnh")
	ent.typeInto("#email", "hanh@songhong.vn")
	ent.typeInto("#password", "sông hồng công nghệ cao")
	ent.load("signing up", 200, "/enterprise", click(`main form button[type="submit"]`))
	res, err := chromedp.RunResponse(ent.ctx, click(`form[action="/enterprise/dossiers"] button[type="submit"]`))
	if err != nil || res.Status != 200 {
		t.Fatalf("starting a dossier: %v %v", err, res)
	}
	dossier := strings.TrimPrefix(res.URL, s.base)
	id := strings.TrimPrefix(dossier, "/enterprise/dossiers/")
	ent.typeInto("#f-name", "Công ty Cổ phần Công nghệ Sông Hồng")
	ent.typeInto("#f-tax_code", "0101234568")
	ent.typeInto("#f-address", "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội")
	ent.typeInto("#f-representative", "Nguyễn Thị Hạnh")
	ent.eval(`for (const [id, v] of [["f-founded", "2018-03-01"], ["f-size", "small"], ["f-sector", "software"]]) {
		const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("change", {bubbles: true}));
		el.dispatchEvent(new Event("input", {bubbles: true})); } ""`)
	ent.typeInto("#f-year", "2025")
	ent.typeInto("#f-revenue", "10000000000")
	ent.typeInto("#f-result_revenue", "4200000000")
	ent.do("adding a result", click(`[data-add]`))
	ent.typeInto(`.st-result input[name="result_title"]`, "Bộ điều khiển tưới tiêu thông minh")
	ent.do("choosing the proof", chromedp.SetUploadFiles(chromedp.CSS(`.st-result input[data-proof]`), []string{proof}))
	ent.waitFor(`!!document.querySelector(".st-result [data-attachment] a")`)
	ent.waitFor(`document.getElementById("st-status").dataset.kind === "ok"`)
	ent.loadAfterScript("sending the dossier", 200, dossier, click(`button[name="intent"][value="submit"]`))
	if got := ent.text("main"); !strings.Contains(got, msg(t, "vi", "st.stage.submitted")) {
		t.Fatalf("after sending, the enterprise reads %q", got)
	}

	// The officer asks for an addition.
	off := newTab(t, browser, s.base)
	page := "/officer/dossiers/" + id
	off.signIn(officerEmail, officerPassword, "/officer/dossiers")
	off.load("opening the dossier", 200, page, click(`a[href="`+page+`"]`))
	note := "Đề nghị bổ sung địa chỉ xưởng sản xuất và số văn bằng."
	off.typeInto("#st-note", note)
	off.load("asking for additions", 200, page, click(`form[action$="/additions"] button[type="submit"]`))
	if got := off.text("main"); !strings.Contains(got, msg(t, "vi", "st.stage.incomplete")) {
		t.Fatalf("after asking, the officer reads %q", got)
	}

	// The enterprise reads the note, amends and sends again.
	ent.load("opening the dossier again", 200, dossier, chromedp.Navigate(s.base+dossier))
	if got := ent.text("main"); !strings.Contains(got, note) {
		t.Fatalf("the enterprise does not read the officer's note: %q", got)
	}
	ent.eval(`document.getElementById("f-address").value = ""; ""`)
	ent.typeInto("#f-address", "Số 1 Tràng Tiền, Hoàn Kiếm; xưởng tại KCN Thăng Long, Đông Anh, Hà Nội")
	ent.waitFor(`document.getElementById("st-status").dataset.kind === "ok"`)
	ent.loadAfterScript("sending it again", 200, dossier, click(`button[name="intent"][value="submit"]`))

	// The officer finds it complete; the council member scores it.
	off.load("reopening the dossier", 200, page, chromedp.Navigate(s.base+page))
	off.load("marking it complete", 200, page, click(`form[action$="/complete"] button[type="submit"]`))
	if got := off.text("main"); !strings.Contains(got, msg(t, "vi", "st.stage.appraisal")) {
		t.Fatalf("after marking complete, the officer reads %q", got)
	}
	var filed struct {
		Dossier struct {
			ApplicationID string `json:"application_id"`
		} `json:"dossier"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/st/dossiers/"+id, s.login(t, officerEmail, officerPassword), nil, &filed)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+filed.Dossier.ApplicationID+"/reviewers", admin,
		map[string]any{"user_id": member.User.ID}, nil)
	rev := newTab(t, browser, s.base)
	rev.signIn(memberEmail, memberPassword, "/reviews")
	sheet := "/reviews/" + filed.Dossier.ApplicationID
	rev.load("opening the council's sheet", 200, sheet, click(`a[href="`+sheet+`"]`))
	if got := rev.text("main"); !strings.Contains(got, "Bộ điều khiển tưới tiêu thông minh") {
		t.Errorf("the council's sheet lacks the dossier's result: %q", got)
	}
	rev.do("scoring",
		click(`label:has(> input[name="score_results"][value="5"])`),
		click(`label:has(> input[name="score_revenue"][value="4"])`),
		click(`label:has(> input[name="score_capacity"][value="4"])`))
	rev.load("saving the review", 200, "/reviews", click(`button[name="next"]`))

	// The officer reads the council's score and grants.
	confirmed := acceptConfirms(off)
	off.load("reading the council's score", 200, page, chromedp.Navigate(s.base+page))
	if got := off.text("#council"); !strings.Contains(got, "4,4") {
		t.Errorf("the council's weighted mean, (2×5 + 2×4 + 1×4) / 5 = 4.4, reads %q", got)
	}
	off.load("granting", 200, page, click(`form[action$="/grant"] button[type="submit"]`))
	if got := confirmed.last(); !strings.Contains(got, "Công ty Cổ phần Công nghệ Sông Hồng") {
		t.Errorf("granting asked %q", got)
	}
	var granted struct {
		Dossier struct {
			CertCode string `json:"cert_code"`
			Stage    string `json:"stage"`
		} `json:"dossier"`
	}
	s.mustAPI(t, http.StatusOK, "GET", "/api/v1/st/dossiers/"+id, s.login(t, officerEmail, officerPassword), nil, &granted)
	if granted.Dossier.Stage != "granted" || granted.Dossier.CertCode == "" {
		t.Fatalf("after granting: %+v", granted.Dossier)
	}
	code := granted.Dossier.CertCode

	// Anyone finds it in the registry and verifies it.
	anyone := newTab(t, browser, s.base)
	reg := "/registry?q=song+hong"
	anyone.load("searching the registry", 200, reg, chromedp.Navigate(s.base+"/lang/vi?next="+url.QueryEscape(reg)))
	if got := anyone.text(`tr[data-code="` + code + `"]`); !strings.Contains(got, "Công ty Cổ phần Công nghệ Sông Hồng") || !strings.Contains(got, "0101234568") ||
		!strings.Contains(got, msg(t, "vi", "certs.status.valid")) {
		t.Fatalf("the registry's entry reads %q", got)
	}
	shot(t, anyone, "certification-registry-vi")
	verify := "/verify/" + code
	anyone.load("verifying the certificate", 200, verify, click(`a[href="`+verify+`"]`))
	if got := anyone.text("[data-valid]"); got != msg(t, "vi", "verify.valid") {
		t.Fatalf("the verify page reads %q", got)
	}
	shot(t, anyone, "certification-verify-vi")
}
