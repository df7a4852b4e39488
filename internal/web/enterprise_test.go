package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sprout/internal/vn"
)

// uploadProof posts a proof as a program does: multipart, with the token.
func (e *env) uploadProof(token, path, filename string, data []byte) *resp {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		e.t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return e.authed(token, "POST", path, body.Bytes(), "Content-Type", w.FormDataContentType())
}

// enterpriseFields is a whole dossier of an enterprise founded in 2018,
// so the revenue test applies, at version.
func enterpriseFields(version int, proof string) map[string]any {
	return map[string]any{
		"version": version,
		"enterprise": map[string]any{"name": "Công ty Cổ phần Công nghệ Sông Hồng", "name_en": "Song Hong Technology JSC",
			"tax_code": "0101234567", "address": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội", "representative": "Nguyễn Thị Hạnh",
			"founded": "2018-03-01", "size": "small", "sector": "software"},
		"finance": map[string]any{"year": time.Now().Year() - 1, "revenue": 10_000_000_000, "result_revenue": 4_200_000_000,
			"rd_spending": 900_000_000, "rd_staff": 12, "staff": 40},
		"results": []map[string]any{{"kind": "software", "title": "Nền tảng quản lý nông trại thông minh", "number": "1234/2023/QTG", "proof_id": proof}},
	}
}

func version(r *resp) int { return int(r.get("dossier.version").(float64)) }

func TestEnterpriseFilesADossier(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ownerID, token := e.user("doanhnghiep@sprout.test")
		_, otherToken := e.user("khac@sprout.test")
		base := "/api/v1/st/dossiers"

		r := e.authed(token, "POST", base, map[string]any{"kind": "new"}).status(201)
		id := r.str("dossier.id")
		if r.str("dossier.stage") != "draft" || r.str("dossier.owner_id") != ownerID {
			t.Fatalf("a new dossier: %s", r.body)
		}
		e.authed(token, "POST", base, map[string]any{"kind": "amendment", "of": "HN-0000-000000"}).errorCode(400, "invalid")

		// Autosave keeps what is typed; a copy loaded before it is refused.
		draft := enterpriseFields(1, "")
		draft["enterprise"].(map[string]any)["address"] = ""
		draft["enterprise"].(map[string]any)["representative"] = ""
		draft["enterprise"].(map[string]any)["size"] = ""
		draft["enterprise"].(map[string]any)["sector"] = ""
		draft["finance"] = map[string]any{}
		r = e.authed(token, "PUT", base+"/"+id, draft).status(200)
		if version(r) != 2 || r.str("dossier.enterprise.name") != "Công ty Cổ phần Công nghệ Sông Hồng" {
			t.Fatalf("autosave: %s", r.body)
		}
		e.authed(token, "PUT", base+"/"+id, draft).errorCode(409, "conflict")
		bad := enterpriseFields(2, "")
		bad["enterprise"].(map[string]any)["tax_code"] = "12345"
		bad["finance"].(map[string]any)["result_revenue"] = 20_000_000_000
		r = e.authed(token, "PUT", base+"/"+id, bad)
		r.errorCode(400, "invalid")
		if fields, _ := r.get("error.fields").(map[string]any); fields["tax_code"] == nil || fields["result_revenue"] == nil {
			t.Fatalf("every mistake at once: %s", r.body)
		}

		// Proofs are PDFs, uploaded to a result by its place.
		e.uploadProof(token, base+"/"+id+"/proofs/0", "ghi-chu.txt", []byte("không phải PDF")).errorCode(400, "invalid")
		e.uploadProof(otherToken, base+"/"+id+"/proofs/0", "ban-quyen.pdf", pdf("Bản quyền")).errorCode(404, "not_found")
		r = e.uploadProof(token, base+"/"+id+"/proofs/0", "ban-quyen.pdf", pdf("Giấy chứng nhận quyền tác giả")).status(200)
		proof := r.str("dossier.results.0.proof_id")
		if r.str("dossier.results.0.proof_name") != "ban-quyen.pdf" || version(r) != 3 {
			t.Fatalf("upload: %s", r.body)
		}

		// Sending names every missing field at once.
		r = e.authed(token, "POST", base+"/"+id+"/submit", map[string]any{"version": 3})
		r.errorCode(400, "invalid")
		fields, _ := r.get("error.fields").(map[string]any)
		for _, f := range []string{"address", "representative", "size", "sector", "year", "revenue"} {
			if fields[f] == nil {
				t.Errorf("submit does not name %s: %s", f, r.body)
			}
		}
		if len(fields) != 6 {
			t.Errorf("submit names %d fields, want 6: %s", len(fields), r.body)
		}

		r = e.authed(token, "PUT", base+"/"+id, enterpriseFields(3, proof)).status(200)
		r = e.authed(token, "POST", base+"/"+id+"/submit", map[string]any{"version": version(r)}).status(200)
		received, err := time.Parse(time.RFC3339Nano, r.str("dossier.received_at"))
		if r.str("dossier.stage") != "submitted" || err != nil || e.now().Sub(received).Abs() > time.Hour {
			t.Fatalf("submitted: %s", r.body)
		}
		e.authed(token, "PUT", base+"/"+id, enterpriseFields(version(r), proof)).errorCode(409, "conflict")

		// The owner sees it; anyone else is told it does not exist.
		e.authed(token, "GET", base+"/"+id, nil).status(200)
		e.authed(otherToken, "GET", base+"/"+id, nil).errorCode(404, "not_found")
		if list := e.authed(token, "GET", base, nil).status(200); list.str("dossiers.0.id") != id {
			t.Fatalf("mine: %s", list.body)
		}
		if list := e.authed(otherToken, "GET", base, nil).status(200); list.get("dossiers.0") != nil {
			t.Fatalf("another's list: %s", list.body)
		}

		// The pages: the list, the status with its dates, the proof.
		b := e.signIn("doanhnghiep@sprout.test", "mật khẩu dài")
		if p := b.do("GET", "/enterprise", nil); p.code != 200 || !strings.Contains(p.html, "Công ty Cổ phần Công nghệ Sông Hồng") ||
			!strings.Contains(p.html, "Nghị định số 13/2019/NĐ-CP") || !strings.Contains(p.html, "Đã tiếp nhận") {
			t.Fatalf("the enterprise's list: %d", p.code)
		}
		status := "/enterprise/dossiers/" + id
		p := b.do("GET", status, nil)
		if p.code != 200 || !strings.Contains(p.html, "Ngày tiếp nhận") || !strings.Contains(p.html, received.In(vn.Zone).Format("02/01/2006 15:04")) ||
			strings.Contains(p.html, `name="result_title"`) {
			t.Fatalf("the status page: %d", p.code)
		}
		res, data := b.download(status + "/proofs/" + proof)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline") || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("the proof: %d %v", res.StatusCode, res.Header)
		}
		other := e.signIn("khac@sprout.test", "mật khẩu dài")
		if p := other.do("GET", status, nil); p.code != 404 {
			t.Fatalf("another user's view of the dossier: %d", p.code)
		}
		if res, _ := other.download(status + "/proofs/" + proof); res.StatusCode != 404 {
			t.Fatalf("another user's download of the proof: %d", res.StatusCode)
		}

		// An officer finds it complete and grants it; the clock shows, then
		// the certificate, and the enterprise reports its year.
		officerID, _ := e.user("canbo@sprout.test", "officer")
		officer, err := e.app.Accounts.User(ctx, officerID)
		if err != nil {
			t.Fatal(err)
		}
		// Sent back for additions, the dossier is a form again under the
		// officer's note; sent again, it is received again.
		note := "Bổ sung bản sao hợp đồng chuyển giao công nghệ đã đăng ký."
		asked, err := e.app.Certification.AskAdditions(ctx, officer, id, note)
		if err != nil {
			t.Fatal(err)
		}
		if p := b.do("GET", status, nil); !strings.Contains(p.html, "Sở đề nghị bổ sung hồ sơ") || !strings.Contains(p.html, note) ||
			!strings.Contains(p.html, `name="result_title"`) {
			t.Fatal("the form under the officer's note")
		}
		e.clock.Advance(time.Hour)
		r = e.authed(token, "POST", base+"/"+id+"/submit", map[string]any{"version": asked.Version}).status(200)
		if r.str("dossier.stage") != "submitted" || r.str("dossier.received_at") == received.Format(time.RFC3339Nano) {
			t.Fatalf("sent again: %s", r.body)
		}
		d, err := e.app.Certification.MarkComplete(ctx, officer, id)
		if err != nil {
			t.Fatal(err)
		}
		p = b.do("GET", status, nil)
		if !strings.Contains(p.html, "Hạn trả kết quả") || !strings.Contains(p.html, dueVI(d.DueAt)) || !strings.Contains(p.html, "ngày làm việc") {
			t.Fatalf("the clock on the status page: %s", dueVI(d.DueAt))
		}
		if _, _, err := e.app.Certification.Grant(ctx, officer, id); err != nil {
			t.Fatal(err)
		}
		year := e.now().In(vn.Zone).Year() - 1
		e.authed(token, "POST", base+"/"+id+"/reports", map[string]any{"year": e.now().In(vn.Zone).Year(), "revenue": 1}).errorCode(400, "invalid")
		e.authed(otherToken, "POST", base+"/"+id+"/reports", map[string]any{"year": year, "revenue": 1}).errorCode(404, "not_found")
		r = e.authed(token, "POST", base+"/"+id+"/reports", map[string]any{"year": year, "revenue": 8_000_000_000, "result_revenue": 2_000_000_000, "staff": 45}).status(200)
		if r.get("dossier.reports.0.year").(float64) != float64(year) {
			t.Fatalf("the yearly report: %s", r.body)
		}
		p = b.do("GET", status, nil)
		code := regexp.MustCompile(`href="/verify/([^"]+)"`).FindStringSubmatch(p.html)
		if code == nil || !strings.Contains(p.html, "Đã cấp giấy chứng nhận") || !strings.Contains(p.html, "25%") {
			t.Fatalf("the granted dossier's page")
		}
		// Through the page, a report with a mistake comes back marked.
		p = b.submit(status, status+"/reports", url.Values{"year": {strconv.Itoa(year)}, "revenue": {"abc"}})
		if p.code != 400 || !strings.Contains(p.html, `id="r-revenue" name="revenue"`) || !strings.Contains(p.html, `aria-invalid="true" aria-errormessage="r-revenue-error"`) {
			t.Fatalf("a wrong report through the page: %d", p.code)
		}
	})
}

// dueVI is a due day as the Vietnamese pages write it.
func dueVI(t time.Time) string {
	t = t.In(vn.Zone)
	return strconv.Itoa(t.Day()) + " tháng " + strconv.Itoa(int(t.Month())) + ", " + strconv.Itoa(t.Year())
}

func TestEnterpriseFormInThePage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		e.user("dn2@sprout.test")
		b := e.signIn("dn2@sprout.test", "mật khẩu dài")
		if p := b.do("GET", "/enterprise", nil); p.code != 200 || !strings.Contains(p.html, "Bạn chưa có hồ sơ nào") {
			t.Fatalf("the empty list: %d", p.code)
		}
		p := b.submit("/enterprise", "/enterprise/dossiers", url.Values{"kind": {"reissue"}, "of": {"HN-2020-999999"}})
		if p.code != 400 || !strings.Contains(p.html, `aria-errormessage="st-of-error"`) {
			t.Fatalf("a re-issue of no certificate: %d", p.code)
		}
		p = b.submit("/enterprise", "/enterprise/dossiers", url.Values{"kind": {"new"}})
		if p.code != 303 || !strings.HasPrefix(p.location, "/enterprise/dossiers/") {
			t.Fatalf("starting: %d %q", p.code, p.location)
		}
		form := p.location
		page := b.do("GET", form, nil)
		if page.code != 200 || !strings.Contains(page.html, `data-autosave="`+form+`/draft"`) || !strings.Contains(page.html, "Hồ sơ đề nghị cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ") {
			t.Fatalf("the form: %d", page.code)
		}
		csrf := csrfRE.FindStringSubmatch(page.html)[1]

		// The form's autosave, on the page's session.
		body := enterpriseFields(1, "")
		body["enterprise"].(map[string]any)["founded"] = e.now().AddDate(-2, 0, 0).Format(time.DateOnly)
		body["finance"] = map[string]any{"year": e.now().Year() - 1}
		body["results"] = []map[string]any{{"kind": "patent", "title": ""}}
		r := b.pageJSON("PUT", form+"/draft", csrf, body).status(200)
		if !strings.HasPrefix(r.str("message"), "Đã lưu lúc ") || r.get("version").(float64) != 2 {
			t.Fatalf("autosave: %s", r.body)
		}
		b.pageJSON("PUT", form+"/draft", csrf, body).errorCode(409, "conflict")
		b.pageJSON("PUT", form+"/draft", "", body).status(403)

		// A young enterprise is not held to the revenue test.
		if p := b.do("GET", form, nil); !strings.Contains(p.html, "Không bắt buộc: doanh nghiệp thành lập chưa đủ 5 năm.") || !strings.Contains(p.html, `name="version" value="2"`) {
			t.Fatal("the share's verdict for a young enterprise")
		}

		// Sent without scripts, with the result's title and proof missing:
		// every field marked, the summary listing each.
		p = b.submit(form, form, url.Values{"version": {"2"}, "intent": {"submit"}, "name": {"Công ty TNHH Hạt Giống Xanh"},
			"tax_code": {"0312345678"}, "founded": {body["enterprise"].(map[string]any)["founded"].(string)}, "year": {"2025"},
			"result_kind": {"plant_variety"}, "result_title": {""}, "result_number": {""}, "result_proof": {""}})
		if p.code != 400 {
			t.Fatalf("an incomplete dossier sent: %d", p.code)
		}
		for _, id := range []string{"f-address", "f-representative", "f-size", "f-sector", "f-results-1-title", "f-results-1-proof"} {
			if !strings.Contains(p.html, `aria-errormessage="`+id+`-error"`) || !strings.Contains(p.html, `href="#`+id+`"`) {
				t.Errorf("%s is not marked or not in the summary", id)
			}
		}
		if !strings.Contains(p.html, `value="Công ty TNHH Hạt Giống Xanh"`) {
			t.Error("what was typed is lost")
		}
		// Adding a row without scripts keeps what was typed.
		p = b.submit(form, form, url.Values{"version": {"3"}, "intent": {"add_result"}, "name": {"Công ty TNHH Hạt Giống Xanh"},
			"result_kind": {"plant_variety"}, "result_title": {"Giống lúa chịu mặn HGX-01"}, "result_number": {""}, "result_proof": {""}})
		if p.code != 303 {
			t.Fatalf("adding a row: %d", p.code)
		}
		if p := b.do("GET", form, nil); strings.Count(p.html, `name="result_title"`) != 3 || !strings.Contains(p.html, "Giống lúa chịu mặn HGX-01") {
			t.Fatalf("the rows after adding one: %d", strings.Count(p.html, `name="result_title"`))
		}
		// The page's own upload answers the script in JSON.
		res := b.uploadPageProof(form+"/proofs/0", "giong-lua.pdf", pdf("Bằng bảo hộ giống cây trồng"))
		if res.code != 200 || !strings.HasPrefix(res.str("href"), form+"/proofs/") || res.str("name") != "giong-lua.pdf" {
			t.Fatalf("the page's upload: %s", res.body)
		}
	})
}

// uploadPageProof uploads as the form's script does: multipart, the CSRF
// token in its header, JSON asked for.
func (b *browser) uploadPageProof(path, filename string, data []byte) *resp {
	b.t.Helper()
	csrf := csrfRE.FindStringSubmatch(b.do("GET", "/enterprise", nil).html)[1]
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", filename)
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.e.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out := &resp{t: b.t, code: res.StatusCode, header: res.Header}
	out.body, _ = io.ReadAll(res.Body)
	if err := json.Unmarshal(out.body, &out.json); err != nil {
		b.t.Fatalf("%s: %v: %s", path, err, out.body)
	}
	return out
}
