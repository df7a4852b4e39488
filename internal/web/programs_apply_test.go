package web_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sprout/internal/errs"
)

// deckProgram is program with a required pitch deck.
func deckProgram(slug string, opens, closes time.Time) map[string]any {
	p := program(slug, opens, closes)
	p["questions"] = append(p["questions"].([]map[string]any),
		map[string]any{"id": "deck", "label": "Pitch deck", "kind": "file", "required": true, "help": "Tối đa 15 trang."})
	p["description"] = "Sáu tháng đồng hành cùng startup công nghệ."
	p["eligibility"] = "Startup dưới 3 năm tuổi."
	return p
}

// founder makes a founder account and returns its id, API token and a
// browser signed in with it.
func (e *env) founder(email string) (id, token string, b *browser) {
	e.t.Helper()
	id, token = e.user(email, "founder")
	return id, token, e.signIn(email, "mật khẩu dài")
}

var (
	applicationRE = regexp.MustCompile(`action="/programs/applications/([0-9a-z]+)"`)
	versionRE     = regexp.MustCompile(`name="version" value="([0-9]+)"`)
)

// formVersion is the version of the application the form at path holds.
func (b *browser) formVersion(path string) string {
	b.t.Helper()
	m := versionRE.FindStringSubmatch(b.do("GET", path, nil).html)
	if m == nil {
		b.t.Fatalf("no version in the form at %s", path)
	}
	return m[1]
}

// openApplication loads the form and returns the application's id and the
// page's CSRF token.
func (b *browser) openApplication(path string) (id, csrf string) {
	b.t.Helper()
	p := b.do("GET", path, nil)
	if strings.Contains(p.html, `<form method="post" action="`+path+`"`) {
		// No application yet: the page offers to start one.
		if s := b.submit(path, path, url.Values{}); s.code != 303 || s.location != path {
			b.t.Fatalf("starting the application at %s: %d %q", path, s.code, s.location)
		}
		p = b.do("GET", path, nil)
	}
	m, c := applicationRE.FindStringSubmatch(p.html), csrfRE.FindStringSubmatch(p.html)
	if p.code != 200 || m == nil || c == nil {
		b.t.Fatalf("the application form at %s: %d", path, p.code)
	}
	return m[1], c[1]
}

func pdf(text string) []byte {
	return []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Title (" + text + ") >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
}

func TestFounderAppliesOnline(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		visitor := e.browser("")
		if p := visitor.do("GET", "/programs", nil); p.code != 200 || !strings.Contains(p.html, "Hiện chưa có đợt nhận hồ sơ nào") {
			t.Fatalf("programmes before any call: %d", p.code)
		}
		org := e.organizer()
		now := e.now()
		e.authed(org, "POST", "/api/v1/programs", deckProgram("vuon-uom-2027", now.Add(-time.Hour), now.Add(50*time.Hour+30*time.Minute))).status(201)
		e.authed(org, "POST", "/api/v1/programs", program("khoa-cu", now.Add(-72*time.Hour), now.Add(-time.Hour))).status(201)
		if p := visitor.do("GET", "/programs", nil); !strings.Contains(p.html, `href="/programs/vuon-uom-2027"`) || !strings.Contains(p.html, "Đang nhận hồ sơ") || strings.Contains(p.html, "khoa-cu") {
			t.Fatal("the list shows the open call and not the closed one")
		}
		show := visitor.do("GET", "/programs/vuon-uom-2027", nil)
		for _, want := range []string{"Vườn ươm công nghệ Hà Nội — Khóa 2027", "Sáu tháng đồng hành", "Startup dưới 3 năm tuổi", "(giờ Việt Nam)", "Còn 2 ngày 2 giờ", `href="/programs/vuon-uom-2027/apply"`} {
			if !strings.Contains(show.html, want) {
				t.Fatalf("the programme page lacks %q", want)
			}
		}
		if p := visitor.do("GET", "/programs/vuon-uom-2027/apply", nil); p.code != 200 || !strings.Contains(p.html, "hãy đăng ký tài khoản nhà sáng lập hoặc đăng nhập") {
			t.Fatalf("a visitor on the form: %d", p.code)
		}

		// First visit: the form, saved as the founder types.
		_, token, b := e.founder("sanglap@example.vn")
		apply := "/programs/vuon-uom-2027/apply"
		id, csrf := b.openApplication(apply)
		form := b.do("GET", apply, nil).html
		for _, want := range []string{`name="q.problem"`, `name="q.team_size" type="number"`, `name="q.website" type="url"`, `<option value="MVP"`, `form="upload-deck"`, "Tối đa 15 trang.", `title="Bắt buộc"`, `src="/static/js/apply.js"`} {
			if !strings.Contains(form, want) {
				t.Fatalf("the form lacks %s", want)
			}
		}
		if again, _ := b.openApplication(apply); again != id {
			t.Fatal("a second visit opened another application")
		}
		draft := "/programs/applications/" + id + "/draft"
		body := map[string]any{"version": 1, "startup_name": "Mầm Xanh", "answers": map[string]string{"problem": "Nông dân thiếu dữ liệu thời tiết", "team_size": "4"}}
		b.pageJSON("PUT", draft, "", body).status(403)
		saved := b.pageJSON("PUT", draft, csrf, body).status(200)
		if !strings.HasPrefix(saved.str("message"), "Đã lưu lúc ") || saved.get("version") != float64(2) {
			t.Fatalf("autosave: %s", saved.body)
		}

		// Second visit shows what the first saved.
		p := b.do("GET", apply, nil)
		for _, want := range []string{`value="Mầm Xanh"`, ">Nông dân thiếu dữ liệu thời tiết</textarea>", `name="q.team_size" type="number" step="any" inputmode="decimal" value="4"`, `name="version" value="2"`} {
			if !strings.Contains(p.html, want) {
				t.Fatalf("the second visit lacks %s", want)
			}
		}
		// A second tab saves; the first, holding version 2, is told to reload.
		b.pageJSON("PUT", draft, csrf, map[string]any{"version": 2, "startup_name": "Mầm Xanh AI", "answers": map[string]string{"problem": "Thời tiết", "team_size": "5", "stage": "MVP"}}).status(200)
		if msg := b.pageJSON("PUT", draft, csrf, map[string]any{"version": 2, "startup_name": "Bản cũ", "answers": map[string]string{}}).errorCode(409, "stale"); !strings.Contains(msg, "tải lại trang") {
			t.Fatalf("stale autosave: %q", msg)
		}
		old := url.Values{"version": {"2"}, "startup_name": {"Bản cũ"}, "q.problem": {""}, "intent": {"save"}}
		if p := b.submit(apply, "/programs/applications/"+id, old); p.code != 409 || !strings.Contains(p.html, "Dữ liệu đã được thay đổi ở nơi khác") {
			t.Fatalf("a stale form: %d", p.code)
		}
		if p := b.do("GET", apply, nil); !strings.Contains(p.html, `value="Mầm Xanh AI"`) || !strings.Contains(p.html, `<option value="MVP" selected>`) || strings.Contains(p.html, "Bản cũ") {
			t.Fatal("a stale save changed the application")
		}
		b.pageJSON("PUT", draft, csrf, map[string]any{"version": 3, "startup_name": "Mầm Xanh AI", "answers": map[string]string{"team_size": "năm"}}).errorCode(400, "invalid")

		// The form works without scripts; submitting checks the answers.
		full := url.Values{"version": {"3"}, "startup_name": {"Mầm Xanh AI"}, "q.problem": {"Nông dân thiếu dữ liệu"}, "q.team_size": {"5"}, "q.stage": {"MVP"}, "q.website": {"https://mamxanh.vn"}, "intent": {"submit"}}
		p = b.submit(apply, "/programs/applications/"+id, full)
		if p.code != 400 || !strings.Contains(p.html, "Vui lòng trả lời “Pitch deck” trước khi nộp.") || !strings.Contains(p.html, `value="https://mamxanh.vn"`) {
			t.Fatalf("submit without the deck: %d", p.code)
		}

		// The pitch deck: checked by content and size, replaceable.
		upload := "/programs/applications/" + id + "/files/deck"
		if p := b.submitFile(apply, upload, "file", "ghi-chu.pdf", []byte("Đây là ghi chú, không phải PDF.")); p.code != 400 || !strings.Contains(p.html, "Tệp đính kèm phải là tệp PDF.") {
			t.Fatalf("a text file named .pdf: %d", p.code)
		}
		huge := append(pdf("lớn"), bytes.Repeat([]byte{' '}, 21<<20)...)
		if p := b.submitFile(apply, upload, "file", "lon.pdf", huge); p.code != 413 || !strings.Contains(p.html, "Tệp quá lớn (tối đa 20 MB)") {
			t.Fatalf("a 21 MB PDF: %d", p.code)
		}
		if res, _ := b.download(upload); res.StatusCode != 404 {
			t.Fatalf("a refused upload left a file: %d", res.StatusCode)
		}
		first := pdf("bản 1")
		if p := b.submitFile(apply, upload, "file", "Bản trình bày.pdf", first); p.code != 303 || p.location != apply+"#q-deck" {
			t.Fatalf("upload: %d %q", p.code, p.location)
		}
		if p := b.do("GET", apply, nil); !strings.Contains(p.html, "Đã tải lên tệp PDF.") || !strings.Contains(p.html, `href="`+upload+`"`) || !strings.Contains(p.html, "Thay tệp") {
			t.Fatal("the form shows the uploaded deck and offers to replace it")
		}
		res, got := b.download(upload)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !bytes.Equal(got, first) ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("download: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		firstID := e.authed(token, "GET", "/api/v1/applications/"+id, nil).status(200).str("application.answers.deck")
		second := pdf("bản 2")
		b.submitFile(apply, upload, "file", "v2.pdf", second)
		if _, got := b.download(upload); !bytes.Equal(got, second) {
			t.Fatal("the replaced deck is not the one served")
		}
		if _, err := e.app.Store.File(ctx, firstID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("the replaced deck is still stored: %v", err)
		}

		// Submit, then follow the status.
		full.Set("version", b.formVersion(apply))
		if p := b.submit(apply, "/programs/applications/"+id, full); p.code != 303 || p.location != "/programs/applications/"+id {
			t.Fatalf("submit: %d %q %.500s", p.code, p.location, p.html)
		}
		status := b.do("GET", "/programs/applications/"+id, nil)
		for _, want := range []string{"Đã nộp hồ sơ.", "Mầm Xanh AI", `aria-current="step">Đã nộp`, "Nông dân thiếu dữ liệu", `action="/programs/applications/` + id + `/withdraw" class="app-withdraw" data-confirm=`} {
			if !strings.Contains(status.html, want) {
				t.Fatalf("the status page lacks %q", want)
			}
		}
		if p := b.do("GET", apply, nil); p.code != 303 || p.location != "/programs/applications/"+id {
			t.Fatalf("the form of a submitted application: %d %q", p.code, p.location)
		}
		if p := b.do("GET", "/programs/mine", nil); !strings.Contains(p.html, `href="/programs/applications/`+id+`"`) || !strings.Contains(p.html, "Đã nộp") {
			t.Fatal("my applications lists it")
		}

		// Nobody else sees it.
		_, _, other := e.founder("khac@example.vn")
		reviewerID, _ := e.user("gk@example.vn", "reviewer")
		reviewer := e.signIn("gk@example.vn", "mật khẩu dài")
		for who, br := range map[string]*browser{"another founder": other, "an unassigned reviewer": reviewer, "a visitor": visitor} {
			if p := br.do("GET", "/programs/applications/"+id, nil); p.code != 404 {
				t.Fatalf("%s on the application: %d", who, p.code)
			}
			if res, _ := br.download(upload); res.StatusCode != 404 {
				t.Fatalf("%s on its deck: %d", who, res.StatusCode)
			}
		}
		if p := other.submitFile("/programs", upload, "file", "x.pdf", pdf("x")); p.code != 404 {
			t.Fatalf("another founder uploading: %d", p.code)
		}
		e.authed(org, "POST", "/api/v1/applications/"+id+"/reviewers", map[string]any{"user_id": reviewerID}).status(200)
		if res, got := reviewer.download(upload); res.StatusCode != 200 || !bytes.Equal(got, second) {
			t.Fatalf("the assigned reviewer's download: %d", res.StatusCode)
		}
		if res, _ := e.signIn("btc@sprout.test", "organizer-pass").download(upload); res.StatusCode != 200 {
			t.Fatalf("the organizer's download: %d", res.StatusCode)
		}

		// The decision reaches the founder.
		e.authed(org, "POST", "/api/v1/applications/"+id+"/decision", map[string]any{"decision": "accepted", "note": "Chúc mừng đội Mầm Xanh!"}).status(200)
		if p := b.do("GET", "/programs/applications/"+id, nil); !strings.Contains(p.html, "Kết quả: Được chọn") || !strings.Contains(p.html, "Chúc mừng đội Mầm Xanh!") || strings.Contains(p.html, "/withdraw") {
			t.Fatal("the founder sees the decision and the note, and can no longer withdraw")
		}

		// Another founder applies and withdraws.
		otherID, _ := other.openApplication(apply)
		other.submitFile(apply, "/programs/applications/"+otherID+"/files/deck", "file", "deck.pdf", pdf("khác"))
		otherForm := url.Values{"version": {"2"}, "startup_name": {"Lúa Vàng"}, "q.problem": {"Giá lúa"}, "q.team_size": {"2"}, "intent": {"submit"}}
		if p := other.submit(apply, "/programs/applications/"+otherID, otherForm); p.code != 303 {
			t.Fatalf("the second founder's submit: %d", p.code)
		}
		if p := b.submit("/programs/mine", "/programs/applications/"+otherID+"/withdraw", url.Values{}); p.code != 404 {
			t.Fatalf("withdrawing someone else's application: %d", p.code)
		}
		if p := other.submit("/programs/applications/"+otherID, "/programs/applications/"+otherID+"/withdraw", url.Values{}); p.code != 303 {
			t.Fatalf("withdraw: %d", p.code)
		}
		if p := other.do("GET", "/programs/applications/"+otherID, nil); !strings.Contains(p.html, "Đã rút hồ sơ.") || !strings.Contains(p.html, "Hồ sơ này đã được rút.") {
			t.Fatal("the withdrawn application says so")
		}
		if a, err := e.app.Store.Application(ctx, otherID); err != nil || a.Status != "withdrawn" {
			t.Fatalf("after withdrawing: %q %v", a.Status, err)
		}
	})
}

func TestSubmitAfterTheDeadlineIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	now := e.now()
	pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-da-dong", now.Add(-72*time.Hour), now.Add(-time.Minute))).status(201).str("program.id")
	_, token, b := e.founder("tre@example.vn")
	id := e.authed(token, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Trễ Hẹn", "answers": map[string]any{"problem": "p", "team_size": 3}}).status(201).str("application.id")
	apply := "/programs/khoa-da-dong/apply"
	if p := b.do("GET", "/programs/khoa-da-dong", nil); !strings.Contains(p.html, "Đã hết hạn nhận hồ sơ") || strings.Contains(p.html, `href="`+apply+`"`) {
		t.Fatal("the page of a closed call says so and offers no apply button")
	}
	form := url.Values{"version": {"1"}, "startup_name": {"Trễ Hẹn"}, "q.problem": {"p"}, "q.team_size": {"3"}, "intent": {"submit"}}
	if p := b.submit(apply, "/programs/applications/"+id, form); p.code != 409 || !strings.Contains(p.html, "Chương trình không trong thời gian nhận hồ sơ.") {
		t.Fatalf("a submit after the deadline: %d", p.code)
	}
	if a, err := e.app.Store.Application(context.Background(), id); err != nil || a.Status != "draft" {
		t.Fatalf("after a late submit: %q %v", a.Status, err)
	}

	// A founder without a draft cannot start one once the call is closed.
	_, _, late := e.founder("muon@example.vn")
	if p := late.do("GET", apply, nil); p.code != 303 || p.location != "/programs/khoa-da-dong" {
		t.Fatalf("starting after the deadline: %d %q", p.code, p.location)
	}
	if p := late.do("GET", "/programs/khoa-da-dong", nil); !strings.Contains(p.html, "Chương trình không trong thời gian nhận hồ sơ.") {
		t.Fatal("the refusal is explained")
	}
}

// A file question is answered by uploading a file and in no other way: text
// sent as its answer is refused and changes nothing, a required one is
// missing until a file is there, and saving other answers keeps the file.
func TestFileQuestionIsAnsweredOnlyByUpload(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", deckProgram("khoa-tep", now.Add(-time.Hour), now.Add(48*time.Hour))).status(201).str("program.id")
		_, token, b := e.founder("tep@example.vn")
		id := e.authed(token, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Tệp Xanh",
			"answers": map[string]any{"problem": "p", "team_size": 3}}).status(201).str("application.id")
		draft := "/api/v1/applications/" + id
		for _, answer := range []any{"https://drive.example/deck.pdf", id + ".forged", 42} {
			r := e.authed(token, "PUT", draft, map[string]any{"version": 1, "startup_name": "Tệp Xanh", "answers": map[string]any{"problem": "p", "team_size": 3, "deck": answer}})
			if msg := r.errorCode(400, "invalid"); !strings.Contains(msg, "Pitch deck") {
				t.Fatalf("%v as the deck: %q", answer, msg)
			}
		}
		if got := e.authed(token, "GET", draft, nil).status(200); got.get("application.version") != float64(1) || got.get("application.answers.deck") != nil {
			t.Fatalf("a refused answer changed the draft: %s", got.body)
		}
		e.authed(token, "POST", draft+"/submit", nil).errorCode(400, "invalid")

		apply := "/programs/applications/" + id
		if p := b.submitFile(apply, apply+"/files/deck", "file", "deck.pdf", pdf("deck")); p.code != 303 {
			t.Fatalf("upload: %d", p.code)
		}
		saved := e.authed(token, "PUT", draft, map[string]any{"version": 2, "startup_name": "Tệp Xanh", "answers": map[string]any{"problem": "p2", "team_size": 4}}).status(200)
		attached, _ := saved.get("application.answers.deck").(string)
		if !strings.HasPrefix(attached, id+".") {
			t.Fatalf("saving the other answers dropped the deck: %s", saved.body)
		}
		e.authed(token, "PUT", draft, map[string]any{"version": 3, "startup_name": "Tệp Xanh", "answers": map[string]any{"problem": "p2", "team_size": 4, "deck": attached}}).status(200)
		e.authed(token, "POST", draft+"/submit", nil).status(200)
	})
}

// Loading the apply page starts nothing: a link from another site cannot
// make a founder an application. The start is a form with its CSRF token.
func TestApplyPageStartsNothingUntilTheFounderAsks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	org := e.organizer()
	now := e.now()
	pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-moi-mo", now.Add(-time.Hour), now.Add(48*time.Hour))).status(201).str("program.id")
	_, _, b := e.founder("chua-nop@example.vn")
	apply := "/programs/khoa-moi-mo/apply"
	page := b.do("GET", apply, nil)
	if page.code != 200 || !strings.Contains(page.html, "Bắt đầu hồ sơ") || strings.Contains(page.html, `name="q.problem"`) {
		t.Fatalf("the apply page before any application: %d", page.code)
	}
	founder, err := e.app.Accounts.UserByEmail(context.Background(), "chua-nop@example.vn")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Incubator.FounderApplication(context.Background(), founder, pid); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("loading the page started an application: %v", err)
	}
	if p := b.do("POST", apply, url.Values{}); p.code != 403 {
		t.Fatalf("a start without the CSRF token: %d", p.code)
	}
	id, _ := b.openApplication(apply)
	again, _ := b.openApplication(apply)
	if id == "" || again != id {
		t.Fatalf("starting twice: %q then %q", id, again)
	}
}
