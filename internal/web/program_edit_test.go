package web_test

import (
	"encoding/json"
	"html"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"sprout/internal/incubator"
	"sprout/internal/vn"
)

// questionIDs lists a programme's questions as "id" or "id(removed)".
func questionIDs(r *resp) []string {
	var out []string
	for _, x := range r.get("program.questions").([]any) {
		q := x.(map[string]any)
		s, _ := q["id"].(string)
		if q["removed"] == true {
			s += "(removed)"
		}
		out = append(out, s)
	}
	return out
}

func TestProgramEditAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		_, founder := e.person("an@example.vn", "Nguyễn An", "vi", "founder")
		revID, rev := e.person("gk@example.vn", "Giám Khảo", "vi", "reviewer")
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(48*time.Hour))).
			status(201).str("program.id")
		appID := e.authed(founder, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Mầm Xanh",
			"answers": map[string]any{"problem": "Nông dân thiếu dữ liệu thời tiết", "team_size": 3, "website": "https://mamxanh.vn"}}).
			status(201).str("application.id")

		edit := program("khoa-2027", now.Add(-time.Hour), now.Add(72*time.Hour))
		edit["title_en"], edit["review_deadline"] = "Hanoi Tech Incubator — 2027", now.Add(10*24*time.Hour)
		edit["questions"] = []map[string]any{
			{"id": "stage", "label": "Giai đoạn", "label_en": "Stage", "kind": "choice", "options": []string{"Ý tưởng", "MVP"},
				"options_en": []string{"Idea", "MVP"}, "help_en": "Where you are today"},
			{"id": "problem", "label": "Vấn đề bạn giải quyết", "label_en": "The problem you solve", "kind": "long_text", "required": true},
			{"label": "Đội ngũ có bao nhiêu người toàn thời gian?", "kind": "number"},
		}
		e.authed(founder, "PUT", "/api/v1/programs/"+pid, edit).errorCode(403, "forbidden")
		e.authed(org, "PUT", "/api/v1/programs/nope", edit).errorCode(404, "not_found")

		// The English options must name the Vietnamese ones one for one.
		bad := map[string]any{}
		for k, v := range edit {
			bad[k] = v
		}
		bad["questions"] = []map[string]any{{"id": "stage", "label": "Giai đoạn", "kind": "choice", "options": []string{"Ý tưởng", "MVP"},
			"options_en": []string{"Idea"}}}
		r := e.authed(org, "PUT", "/api/v1/programs/"+pid, bad, "Accept-Language", "en")
		if msg := r.errorCode(400, "invalid"); r.get("error.field") != "questions" || !strings.Contains(msg, "as many English options") {
			t.Fatalf("English options short of the Vietnamese: %s", r.body)
		}

		r = e.authed(org, "PUT", "/api/v1/programs/"+pid, edit).status(200)
		ids := questionIDs(r)
		// Questions answered before stay, removed, after the new list: the
		// founder's answers to them stay readable.
		if len(ids) != 5 || ids[0] != "stage" || ids[1] != "problem" || !strings.HasPrefix(ids[2], "q") ||
			ids[3] != "team_size(removed)" || ids[4] != "website(removed)" {
			t.Fatalf("questions after the edit: %v", ids)
		}
		if r.str("program.title_en") != "Hanoi Tech Incubator — 2027" || r.str("program.review_deadline") == "" {
			t.Fatalf("program after the edit: %s", r.body)
		}
		got := e.authed(org, "GET", "/api/v1/programs/"+pid, nil).status(200)
		if strings.Join(questionIDs(got), ",") != strings.Join(ids, ",") {
			t.Fatalf("the edit was not kept: %v", questionIDs(got))
		}
		if a := e.authed(org, "GET", "/api/v1/applications/"+appID, nil).status(200); a.str("application.answers.website") != "https://mamxanh.vn" {
			t.Fatalf("the answer to a removed question is gone: %s", a.body)
		}
		// A founder can no longer answer a removed question.
		e.authed(founder, "PUT", "/api/v1/applications/"+appID, map[string]any{"version": 1, "startup_name": "Mầm Xanh",
			"answers": map[string]any{"website": "https://khac.vn"}}).errorCode(400, "invalid")

		// The organizer sees the removed question's answer on the dossier.
		b := e.signIn("btc@sprout.test", "organizer-pass")
		e.authed(founder, "PUT", "/api/v1/applications/"+appID, map[string]any{"version": 1, "startup_name": "Mầm Xanh",
			"answers": map[string]any{"problem": "Nông dân thiếu dữ liệu thời tiết", "stage": "MVP"}}).status(200)
		e.authed(founder, "POST", "/api/v1/applications/"+appID+"/submit", nil).status(200)
		dossier := html.UnescapeString(b.do("GET", "/manage/programs/"+pid+"/applications/"+appID, nil).html)
		if !strings.Contains(dossier, "Website <span class=\"chip\">đã xóa khỏi mẫu</span>") || !strings.Contains(dossier, "https://mamxanh.vn") {
			t.Fatalf("the dossier does not show the removed question's answer: %s", dossier)
		}

		// Once a review is in, criteria stay; their English texts may change.
		e.assign(org, appID, revID)
		e.authed(rev, "POST", "/api/v1/applications/"+appID+"/reviews", map[string]any{"scores": map[string]int{"team": 4, "market": 3}}).status(201)
		edit["criteria"] = []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 3}, {"id": "market", "label": "Thị trường", "weight": 1}}
		r = e.authed(org, "PUT", "/api/v1/programs/"+pid, edit)
		if msg := r.errorCode(400, "invalid"); r.get("error.field") != "criteria" || !strings.Contains(msg, "Không thể đổi tiêu chí: đã có 1 lượt chấm") {
			t.Fatalf("criteria changed after a review: %s", r.body)
		}
		r = e.authed(org, "PUT", "/api/v1/programs/"+pid, edit, "Accept-Language", "en")
		if msg := r.errorCode(400, "invalid"); !strings.Contains(msg, "The criteria cannot change: 1 reviews were scored") {
			t.Fatalf("criteria changed after a review, in English: %s", r.body)
		}
		edit["criteria"] = []map[string]any{{"id": "team", "label": "Đội ngũ", "label_en": "Team", "weight": 2},
			{"id": "market", "label": "Thị trường", "weight": 1}}
		if r := e.authed(org, "PUT", "/api/v1/programs/"+pid, edit).status(200); r.get("program.criteria") == nil {
			t.Fatalf("an English label for a criterion: %s", r.body)
		}

		// An English founder reads the English texts; a Vietnamese one the Vietnamese.
		_, enToken := e.person("brian@example.vn", "Brian Lee", "en", "founder")
		e.authed(enToken, "POST", "/api/v1/programs/"+pid+"/applications", map[string]any{"startup_name": "Bee"}).status(201)
		fb := e.signIn("brian@example.vn", "mật khẩu dài")
		fb.lang = "en"
		page := html.UnescapeString(fb.do("GET", "/programs/khoa-2027/apply", nil).html)
		if !strings.Contains(page, ">The problem you solve") || !strings.Contains(page, ">Idea</option>") ||
			!strings.Contains(page, "Where you are today") || strings.Contains(page, "Website") {
			t.Fatalf("the English apply page: %s", page)
		}
		// Its dates name the month in English.
		if want := now.Add(72 * time.Hour).In(vn.Zone).Format("2 Jan 2006, 15:04"); !strings.Contains(page, want) {
			t.Fatalf("the English apply page does not give the deadline as %q", want)
		}
		vi := html.UnescapeString(b.do("GET", "/manage/programs", nil).html)
		if want := now.Add(72 * time.Hour).In(vn.Zone).Format("02/01/2006 15:04"); !strings.Contains(vi, want) {
			t.Fatalf("the Vietnamese programme list does not give the closing time as %q", want)
		}
	})
}

// The organizer's edit page: the form shows the programme as it is, a
// mistake comes back beside its field with what was typed, questions are
// saved in the order the page sends them, and the call can be closed early.
func TestProgramEditPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(48*time.Hour))).
			status(201).str("program.id")
		b := e.signIn("btc@sprout.test", "organizer-pass")
		// A new programme's form sets the review deadline too.
		due := now.Add(20 * 24 * time.Hour).Truncate(time.Minute)
		created := b.submit("/manage/programs/new", "/manage/programs", url.Values{"title": {"Khóa mùa đông"}, "slug": {"khoa-mua-dong"},
			"opens_at": {localInput(now.Add(-time.Hour))}, "closes_at": {localInput(now.Add(48 * time.Hour))},
			"review_deadline": {localInput(due)}, "c_label": {"Đội ngũ"}, "c_weight": {"1"}})
		m := programPathRE.FindStringSubmatch(created.location)
		if created.code != 303 || m == nil {
			t.Fatalf("creating with a review deadline: %d", created.code)
		}
		if got := e.authed(org, "GET", "/api/v1/programs/"+m[1], nil).status(200).str("program.review_deadline"); got != due.UTC().Format(time.RFC3339) {
			t.Fatalf("review deadline set on creation: %s, want %s", got, due.UTC().Format(time.RFC3339))
		}
		path := "/manage/programs/" + pid + "/edit"
		page := html.UnescapeString(b.do("GET", path, nil).html)
		for _, want := range []string{`name="q_label" type="text" maxlength="200" value="Vấn đề bạn giải quyết"`,
			`name="c_label" type="text" maxlength="200" value="Đội ngũ"`, `data-confirm="Đóng nhận hồ sơ ngay bây giờ?`,
			`href="/manage/programs/` + pid + `"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the edit page lacks %s", want)
			}
		}
		form := url.Values{"title": {"Khóa 2027 (sửa)"}, "slug": {"khoa-2027"}, "opens_at": {localInput(now.Add(-time.Hour))},
			"closes_at": {localInput(now.Add(96 * time.Hour))}, "review_deadline": {localInput(now.Add(-2 * time.Hour))},
			"q_id": {"website", "", ""}, "q_label": {"Website", "Bạn tìm thấy chúng tôi ở đâu?", ""},
			"q_label_en": {"Website", "Where did you hear of us?", ""}, "q_kind": {"url", "choice", "text"}, "q_required": {"", "1", ""},
			"q_options": {"", "Bạn bè\nMạng xã hội", ""}, "q_options_en": {"", "Friends\nSocial media", ""},
			"q_help": {"", "", ""}, "q_help_en": {"", "", ""},
			"c_id": {"team", "market"}, "c_label": {"Đội ngũ", "Thị trường"}, "c_label_en": {"Team", "Market"}, "c_weight": {"2", "1"},
			"c_a1": {"", ""}, "c_a3": {"", ""}, "c_a5": {"Đã làm ra sản phẩm", ""}, "c_a1_en": {"", ""}, "c_a3_en": {"", ""},
			"c_a5_en": {"Shipped a product", ""}}
		// Four mistakes at once: each is marked beside its field, and
		// listed at the top; a question without text is named by its place.
		form.Set("title", "")
		form["q_label"] = []string{"Website", "", ""}
		form["q_help"] = []string{"", "Chọn một", ""}
		form.Set("closes_at", localInput(now.Add(-2*time.Hour)))
		p := b.submit(path, path, form)
		marked(t, p, 400, map[string]string{"f-title": "Trường này là bắt buộc.",
			"f-closes_at":         "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
			"f-review_deadline":   "Hạn chấm phải sau thời điểm mở nhận hồ sơ.",
			"f-questions-2-label": "Câu hỏi 2 chưa có nội dung.",
		})
		if got := html.UnescapeString(p.html); !strings.Contains(got, `value="Chọn một"`) || !strings.Contains(got, "Bạn bè\nMạng xã hội</textarea>") {
			t.Fatal("the rows sent are not shown again as typed")
		}
		form.Set("title", "Khóa 2027 (sửa)")
		form["q_label"] = []string{"Website", "Bạn tìm thấy chúng tôi ở đâu?", ""}
		form["q_help"] = []string{"", "", ""}
		form.Set("closes_at", localInput(now.Add(96*time.Hour)))
		form.Set("review_deadline", localInput(now.Add(7*24*time.Hour)))
		if p := b.submit(path, path, form); p.code != 303 || p.location != path {
			t.Fatalf("saving the edit: %d %q", p.code, p.location)
		}
		r := e.authed(org, "GET", "/api/v1/programs/"+pid, nil).status(200)
		qs := r.get("program.questions").([]any)
		first, second := qs[0].(map[string]any), qs[1].(map[string]any)
		if len(qs) != 2 || first["id"] != "website" || second["label_en"] != "Where did you hear of us?" || second["required"] != true ||
			strings.Join([]string{second["options_en"].([]any)[0].(string), second["options_en"].([]any)[1].(string)}, "|") != "Friends|Social media" {
			t.Fatalf("questions saved from the page: %s", r.body)
		}
		c0 := r.get("program.criteria").([]any)[0].(map[string]any)
		if r.str("program.title") != "Khóa 2027 (sửa)" || c0["label_en"] != "Team" || c0["anchors_en"].(map[string]any)["5"] != "Shipped a product" {
			t.Fatalf("the programme saved from the page: %s", r.body)
		}

		// Closing early: the call ends now; the page says so and offers
		// closing no more.
		if p := b.submit(path, "/manage/programs/"+pid+"/close", url.Values{}); p.code != 303 {
			t.Fatalf("closing the call: %d", p.code)
		}
		closed := e.authed(org, "GET", "/api/v1/programs/"+pid, nil).status(200).str("program.closes_at")
		if at, err := time.Parse(time.RFC3339, closed); err != nil || at.After(e.now()) {
			t.Fatalf("the call closes at %s after closing it now (%v)", closed, e.now())
		}
		if page := html.UnescapeString(b.do("GET", path, nil).html); strings.Contains(page, `id="close-call"`) || !strings.Contains(page, "Không mở") {
			t.Fatal("the edit page of a closed call still offers closing it")
		}

		// Extending: a time not later than now is refused with the reason;
		// a later one reopens the call until then.
		if p := b.submit(path, "/manage/programs/"+pid+"/extend", url.Values{"closes_at": {localInput(now.Add(-time.Hour))}}); p.code != 303 {
			t.Fatalf("extending to the past: %d", p.code)
		}
		if page := html.UnescapeString(b.do("GET", path, nil).html); !strings.Contains(page, "Hãy chọn thời điểm sau hạn hiện tại và sau bây giờ.") {
			t.Fatal("extending to the past gives no reason")
		}
		until := now.Add(5 * 24 * time.Hour).Truncate(time.Minute)
		if p := b.submit(path, "/manage/programs/"+pid+"/extend", url.Values{"closes_at": {localInput(until)}}); p.code != 303 {
			t.Fatalf("extending: %d", p.code)
		}
		page = html.UnescapeString(b.do("GET", path, nil).html)
		if !strings.Contains(page, "Đã gia hạn nhận hồ sơ.") || !strings.Contains(page, `id="close-call"`) ||
			!strings.Contains(page, "đóng "+until.In(vn.Zone).Format("02/01/2006 15:04")) {
			t.Fatal("the extended call is not open until the time chosen")
		}
	})
}

// A new programme is made with the same form builder as the edit page: the
// page starts with one empty row of each, and the rows sent, the blank one
// left out, are stored exactly, each new question and criterion given an id.
func TestNewProgrammePageBuildsTheForm(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		page := b.do("GET", "/manage/programs/new", nil).html
		for _, want := range []string{`id="program-form"`, `id="tpl-q"`, `id="tpl-c"`, `/static/js/builder.js`, `name="q_label"`, `name="c_weight"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the new programme page lacks %s", want)
			}
		}
		if n := strings.Count(page, `class="builder-row"`); n != 4 {
			t.Fatalf("%d builder rows, want one empty question, one empty criterion and the two templates", n)
		}
		if strings.Contains(page, `aria-invalid`) || strings.Contains(page, `name="questions"`) {
			t.Fatal("a fresh page shows a mistake or the old text fields")
		}
		now := e.now()
		created := b.submit("/manage/programs/new", "/manage/programs", url.Values{"title": {"Khóa mùa đông"}, "slug": {"khoa-mua-dong"},
			"opens_at": {localInput(now.Add(-time.Hour))}, "closes_at": {localInput(now.Add(48 * time.Hour))},
			"q_id": {"", "", ""}, "q_label": {"Vấn đề bạn giải quyết", "", "Giai đoạn"}, "q_label_en": {"What problem do you solve?", "", "Stage"},
			"q_kind": {"long_text", "text", "choice"}, "q_required": {"1", "", ""},
			"q_options": {"", "", "Ý tưởng\r\nMVP\r\n\r\nDoanh thu"}, "q_options_en": {"", "", "Idea\nMVP\nRevenue"},
			"q_help": {"Ai gặp vấn đề này?", "", ""}, "q_help_en": {"Who has it?", "", ""},
			"c_id": {"", ""}, "c_label": {"Đội ngũ", "Thị trường"}, "c_label_en": {"Team", ""}, "c_weight": {"2", "1,5"},
			"c_a1": {"Một người", ""}, "c_a3": {"Đủ vai trò", ""}, "c_a5": {"Đã làm ra sản phẩm", "Có doanh thu"},
			"c_a1_en": {"One person", ""}, "c_a3_en": {"", ""}, "c_a5_en": {"Shipped a product", ""}})
		m := programPathRE.FindStringSubmatch(created.location)
		if created.code != 303 || m == nil {
			t.Fatalf("creating through the builder: %d %q", created.code, created.location)
		}
		r := e.authed(org, "GET", "/api/v1/programs/"+m[1], nil).status(200)
		var got struct {
			Program struct {
				Questions []incubator.Question  `json:"questions"`
				Criteria  []incubator.Criterion `json:"criteria"`
			} `json:"program"`
		}
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		qs, cs := got.Program.Questions, got.Program.Criteria
		if len(qs) != 2 || len(cs) != 2 || qs[0].ID == "" || qs[0].ID == qs[1].ID || cs[0].ID == "" || cs[0].ID == cs[1].ID {
			t.Fatalf("stored %d questions and %d criteria, with ids: %s", len(qs), len(cs), r.body)
		}
		for i := range qs {
			qs[i].ID = ""
		}
		for i := range cs {
			cs[i].ID = ""
		}
		wantQ := []incubator.Question{
			{Label: "Vấn đề bạn giải quyết", LabelEN: "What problem do you solve?", Kind: incubator.KindLongText, Required: true,
				Help: "Ai gặp vấn đề này?", HelpEN: "Who has it?"},
			{Label: "Giai đoạn", LabelEN: "Stage", Kind: incubator.KindChoice, Options: []string{"Ý tưởng", "MVP", "Doanh thu"},
				OptionsEN: []string{"Idea", "MVP", "Revenue"}},
		}
		wantC := []incubator.Criterion{
			{Label: "Đội ngũ", LabelEN: "Team", Weight: 2, Anchors: map[string]string{"1": "Một người", "3": "Đủ vai trò", "5": "Đã làm ra sản phẩm"},
				AnchorsEN: map[string]string{"1": "One person", "5": "Shipped a product"}},
			{Label: "Thị trường", Weight: 1.5, Anchors: map[string]string{"5": "Có doanh thu"}},
		}
		if !reflect.DeepEqual(qs, wantQ) || !reflect.DeepEqual(cs, wantC) {
			t.Fatalf("stored\n%+v\n%+v\nwant\n%+v\n%+v", qs, cs, wantQ, wantC)
		}
	})
}
