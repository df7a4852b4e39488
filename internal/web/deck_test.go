package web_test

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// withDeck makes a founder's application to a programme built by
// deckProgram, with the PDF named filename uploaded through the form, and
// submits it. It returns the application's id and the founder's browser.
func (e *env) withDeck(pid, email, startup, filename string, data []byte) (string, *browser) {
	e.t.Helper()
	_, token, b := e.founder(email)
	id := e.authed(token, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": startup,
		"answers": map[string]any{"problem": "Nông dân thiếu dữ liệu thời tiết", "team_size": 3}}).status(201).str("application.id")
	apply := "/programs/applications/" + id
	if p := b.submitFile(apply, apply+"/files/deck", "file", filename, data); p.code != 303 {
		e.t.Fatalf("uploading %s: %d", filename, p.code)
	}
	e.authed(token, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)
	return id, b
}

// uploadJSON uploads a file to a file question as the form's script does:
// multipart, the CSRF token in its header, JSON asked for.
func (b *browser) uploadJSON(apply, question, filename string, data []byte) *resp {
	b.t.Helper()
	m := csrfRE.FindStringSubmatch(b.do("GET", apply, nil).html)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", apply)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		b.t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return send(b.t, b.c, "POST", b.e.base+apply+"/files/"+question, body.Bytes(), "Content-Type", w.FormDataContentType(),
		"Accept", "application/json", "X-CSRF-Token", m[1])
}

func attachment(kind, name string) string {
	return mime.FormatMediaType(kind, map[string]string{"filename": name})
}

func TestReviewerReadsTheDeckInline(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		blind := deckProgram("khoa-an-danh", now.Add(-time.Hour), now.Add(time.Hour))
		blind["blind"] = true
		pid := e.authed(org, "POST", "/api/v1/programs", blind).status(201).str("program.id")
		open := e.authed(org, "POST", "/api/v1/programs", deckProgram("khoa-cong-khai", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		deck := pdf("Mầm Xanh")
		a, founder := e.withDeck(pid, "an@example.vn", "Mầm Xanh", "Nguyễn Văn An - Mầm Xanh.pdf", deck)
		d, _ := e.withDeck(open, "binh@example.vn", "Lúa Vàng", "Lúa Vàng deck.pdf", pdf("Lúa Vàng"))
		r1, _ := e.user("gk1@example.vn", "reviewer")
		e.user("gk2@example.vn", "reviewer")
		e.assign(org, a, r1)
		e.assign(org, d, r1)
		file := "/programs/applications/" + a + "/files/deck"

		rev := e.signIn("gk1@example.vn", "mật khẩu dài")
		sheet := rev.do("GET", "/reviews/"+a, nil)
		if sheet.code != 200 {
			t.Fatalf("sheet: %d", sheet.code)
		}
		for _, want := range []string{`<iframe class="deck-view" src="` + file + `?inline=1" title="Xem tệp ho-so-1.pdf">`,
			`<a data-file href="` + file + `">ho-so-1.pdf</a>`} {
			if !strings.Contains(sheet.html, want) {
				t.Errorf("the blind sheet lacks %s", want)
			}
		}
		if strings.Contains(sheet.html, "Nguyễn Văn An") {
			t.Error("a blind sheet shows the file's own name")
		}

		// Inline for the frame, from this origin only; a download otherwise.
		res, got := rev.download(file + "?inline=1")
		if res.StatusCode != 200 || !bytes.Equal(got, deck) || res.Header.Get("Content-Type") != "application/pdf" ||
			res.Header.Get("Content-Disposition") != attachment("inline", "ho-so-1.pdf") ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "SAMEORIGIN" ||
			res.Header.Get("Content-Security-Policy") != "default-src 'none'; object-src 'self'; frame-ancestors 'self'" {
			t.Fatalf("inline: %d %v", res.StatusCode, res.Header)
		}
		res, got = rev.download(file)
		if res.StatusCode != 200 || !bytes.Equal(got, deck) || res.Header.Get("Content-Disposition") != attachment("attachment", "ho-so-1.pdf") {
			t.Fatalf("download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		page, _ := rev.download("/reviews/" + a)
		if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self';") || !strings.Contains(csp, "object-src 'none'") {
			t.Fatalf("the sheet's policy: %q", csp)
		}

		// The founder sees their own name; an open programme shows it.
		if res, _ := founder.download(file); res.Header.Get("Content-Disposition") != attachment("attachment", "Nguyễn Văn An - Mầm Xanh.pdf") {
			t.Fatalf("the founder's download: %q", res.Header.Get("Content-Disposition"))
		}
		openFile := "/programs/applications/" + d + "/files/deck"
		if p := rev.do("GET", "/reviews/"+d, nil); !strings.Contains(p.html, `<a data-file href="`+openFile+`">Lúa Vàng deck.pdf</a>`) {
			t.Error("an open programme's sheet hides the file's name")
		}
		if res, _ := rev.download(openFile); res.Header.Get("Content-Disposition") != attachment("attachment", "Lúa Vàng deck.pdf") {
			t.Fatalf("an open programme's download: %q", res.Header.Get("Content-Disposition"))
		}

		// Organizers read it in the dossier, blind names hidden there too.
		staff := e.signIn("btc@sprout.test", "organizer-pass")
		dossier := staff.do("GET", "/manage/programs/"+pid+"/applications/"+a, nil)
		if dossier.code != 200 || !strings.Contains(dossier.html, `<a data-file href="`+file+`">ho-so-1.pdf</a>`) ||
			!strings.Contains(dossier.html, `src="`+file+`?inline=1"`) || strings.Contains(dossier.html, "Nguyễn Văn An - Mầm Xanh") {
			t.Fatalf("dossier: %d", dossier.code)
		}
		if res, got := staff.download(file); res.StatusCode != 200 || !bytes.Equal(got, deck) || res.Header.Get("Content-Disposition") != attachment("attachment", "ho-so-1.pdf") {
			t.Fatalf("the organizer's download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}

		// Nobody else reads it: a reviewer not assigned, another founder,
		// a visitor.
		other := e.signIn("gk2@example.vn", "mật khẩu dài")
		_, _, stranger := e.founder("khac@example.vn")
		for who, b := range map[string]*browser{"an unassigned reviewer": other, "another founder": stranger, "a visitor": e.browser("vi")} {
			for _, path := range []string{file, file + "?inline=1"} {
				if res, got := b.download(path); res.StatusCode != 404 || bytes.Contains(got, []byte("%PDF")) {
					t.Errorf("%s got %s: %d", who, path, res.StatusCode)
				}
			}
		}
		if p := other.do("GET", "/reviews/"+a, nil); p.code != 404 {
			t.Fatalf("an unassigned reviewer's sheet: %d", p.code)
		}
	})
}

var nextRE = regexp.MustCompile(`<button class="btn" type="submit" name="next" value="1">([^<]+)</button>`)

func TestSaveAndNextFollowsTheQueue(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-hang-doi", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		var apps []string
		for _, who := range []string{"mot", "hai", "ba"} {
			_, token := e.user(who+"@example.vn", "founder")
			apps = append(apps, e.submitted(pid, token, "Startup "+who))
		}
		r1, _ := e.user("gk1@example.vn", "reviewer")
		for _, a := range apps {
			e.assign(org, a, r1)
		}
		rev := e.signIn("gk1@example.vn", "mật khẩu dài")
		scores := url.Values{"score_team": {"4"}, "score_market": {"3"}, "comment": {"Tốt"}, "next": {"1"}}

		sheet := rev.do("GET", "/reviews/"+apps[0], nil)
		if m := nextRE.FindStringSubmatch(sheet.html); m == nil || m[1] != "Lưu và tiếp theo" {
			t.Fatal("the sheet has no Save and next button")
		}
		// The third first: the queue goes on from the one after it, and the
		// last one leads back to the queue with a message.
		p := rev.submit("/reviews/"+apps[0], "/reviews/"+apps[0], scores)
		if p.code != 303 || p.location != "/reviews/"+apps[1] {
			t.Fatalf("save and next from the first: %d %q", p.code, p.location)
		}
		if next := rev.do("GET", p.location, nil); !strings.Contains(next.html, "Đã lưu đánh giá.") || !strings.Contains(next.html, "Startup hai") {
			t.Fatal("the next sheet does not say the review was saved")
		}
		if p := rev.submit("/reviews/"+apps[1], "/reviews/"+apps[1], scores); p.code != 303 || p.location != "/reviews/"+apps[2] {
			t.Fatalf("save and next from the second: %d %q", p.code, p.location)
		}
		p = rev.submit("/reviews/"+apps[2], "/reviews/"+apps[2], scores)
		if p.code != 303 || p.location != "/reviews" {
			t.Fatalf("save and next from the last: %d %q", p.code, p.location)
		}
		if q := rev.do("GET", "/reviews", nil); !strings.Contains(q.html, "Đã lưu đánh giá. Đây là hồ sơ cuối cùng trong danh sách của bạn.") || !strings.Contains(q.html, "3 / 3") {
			t.Fatal("the queue does not say the last one was saved")
		}
		// A refused score stays on the sheet whatever the button.
		bad := url.Values{"score_team": {"9"}, "score_market": {"3"}, "next": {"1"}}
		if p := rev.submit("/reviews/"+apps[0], "/reviews/"+apps[0], bad); p.code != 400 {
			t.Fatalf("a bad score with next: %d %q", p.code, p.location)
		}
		// Save and next skips what is done: from the first again, nothing
		// unfinished is left after it.
		if p := rev.submit("/reviews/"+apps[0], "/reviews/"+apps[0], scores); p.location != "/reviews" {
			t.Fatalf("save and next with the rest done: %q", p.location)
		}
	})
}

func TestSubmitWithoutTheRequiredFileMarksIt(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", deckProgram("khoa-thieu-tep", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		_, token, b := e.founder("thieu@example.vn")
		id := e.authed(token, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Thiếu Tệp",
			"answers": map[string]any{"problem": "p", "team_size": 2}}).status(201).str("application.id")
		r := e.authed(token, "POST", "/api/v1/applications/"+id+"/submit", nil)
		if msg := r.errorCode(400, "invalid"); msg != "Vui lòng trả lời “Pitch deck” trước khi nộp." || r.str("error.field") != "deck" {
			t.Fatalf("submit without the deck: %s", r.body)
		}
		apply := "/programs/applications/" + id
		p := b.submit(apply, apply, url.Values{"version": {"1"}, "startup_name": {"Thiếu Tệp"}, "q.problem": {"p"}, "q.team_size": {"2"}, "intent": {"submit"}})
		if p.code != 400 {
			t.Fatalf("the form without the deck: %d", p.code)
		}
		for _, want := range []string{`aria-describedby="q-deck-hint" aria-invalid="true"`,
			`<li data-for="q-deck"><a href="#q-deck">Vui lòng trả lời “Pitch deck” trước khi nộp.</a></li>`,
			`<p class="field-error" role="alert" id="q-deck-error">Vui lòng trả lời “Pitch deck” trước khi nộp.</p>`} {
			if !strings.Contains(p.html, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		if strings.Contains(p.html, `id="apply-errors" class="error-summary" role="alert" tabindex="-1" hidden`) {
			t.Error("the summary is hidden")
		}

		// The form's script uploads asking for JSON: a refused file names
		// the question, an accepted one gives the new version (the form
		// sent above saved version 2) and a link.
		r = b.uploadJSON(apply, "deck", "ghi-chu.pdf", []byte("không phải PDF"))
		if msg := r.errorCode(400, "invalid"); msg != "Tệp đính kèm phải là tệp PDF." || r.str("error.field") != "deck" {
			t.Fatalf("a text file through the script: %s", r.body)
		}
		r = b.uploadJSON(apply, "deck", "Bản trình bày.pdf", pdf("deck")).status(200)
		if r.get("version") != float64(3) || r.str("name") != "Bản trình bày.pdf" || r.str("href") != apply+"/files/deck" || r.str("message") != "Đã tải lên tệp PDF." {
			t.Fatalf("an upload through the script: %s", r.body)
		}
		e.authed(token, "POST", "/api/v1/applications/"+id+"/submit", nil).status(200)
	})
}
