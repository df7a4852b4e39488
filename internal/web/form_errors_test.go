package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// marked checks that a form came back with every field of want (element id
// to message) carrying aria-invalid="true", its message beside it, and a
// line of the summary linking to it; and no other field marked.
func marked(t *testing.T, p page, status int, want map[string]string) {
	t.Helper()
	if p.code != status {
		t.Fatalf("status %d, want %d", p.code, status)
	}
	if !strings.Contains(p.html, "data-error-summary") {
		t.Fatal("the form has no error summary")
	}
	// Templates and fieldErr escape differently ("+" or "&#43;"): compare
	// the text as a browser reads it.
	text := html.UnescapeString(p.html)
	for id, msg := range want {
		tag := regexp.MustCompile(`<[a-z]+ [^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.html)
		if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, `aria-errormessage="`+id+`-error"`) {
			t.Errorf("field %s is not marked: %s", id, tag)
		}
		if !strings.Contains(text, `<p class="field-error" role="alert" id="`+id+`-error">`+msg+`</p>`) {
			t.Errorf("field %s lacks its message %q", id, msg)
		}
		if !strings.Contains(text, `<li data-for="`+id+`"><a href="#`+id+`">`+msg+`</a></li>`) {
			t.Errorf("the summary lacks a link to %s with %q", id, msg)
		}
	}
	if n := strings.Count(p.html, `aria-invalid="true"`); n != len(want) {
		t.Errorf("%d fields marked, want %d", n, len(want))
	}
}

// apiFields checks that an API refusal names every field of want with its
// message, and the first of them as the contract's field.
func apiFields(t *testing.T, r *resp, want map[string]string) {
	t.Helper()
	r.errorCode(400, "invalid")
	e := r.json["error"].(map[string]any)
	fields, _ := e["fields"].(map[string]any)
	if len(fields) != len(want) {
		t.Fatalf("fields = %v, want %v", fields, want)
	}
	for name, msg := range want {
		if fields[name] != msg {
			t.Errorf("fields[%s] = %v, want %q", name, fields[name], msg)
		}
	}
	if f, _ := e["field"].(string); want[f] == "" || fields[f] != e["message"] {
		t.Errorf("field %v with message %v is not one of the fields", e["field"], e["message"])
	}
}

func TestRegistrationFormMarksEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, _ := e.techfest(e.organizer(), 5, false)
		slug := e.call("GET", "/api/v1/events/"+eventID, nil).status(200).str("event.slug")
		for _, c := range []struct{ lang, name, email, phone string }{
			{"", "Vui lòng nhập họ và tên.", "Email không hợp lệ.", "Số điện thoại không hợp lệ. Ví dụ: 0912 345 678 hoặc +84 912 345 678."},
			{"en", "Please enter your full name.", "This email is not valid.", "This phone number is not valid. For example: 0912 345 678 or +84 912 345 678."},
		} {
			b := e.browser(c.lang)
			p := b.submit("/events/"+slug, "/events/"+slug+"/register", url.Values{
				"ticket_type_id": {""}, "name": {" "}, "email": {"anh@"}, "phone": {"09 12"}})
			marked(t, p, 400, map[string]string{"name": c.name, "email": c.email, "phone": c.phone,
				"ticket_type_id": map[string]string{"": "Vui lòng chọn loại vé.", "en": "Please choose a ticket type."}[c.lang]})
		}
	})
}

func TestRegistrationAPINamesEveryField(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, typeID := e.techfest(e.organizer(), 5, false)
		r := e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{
			"ticket_type_id": typeID, "name": "", "email": "anh@", "phone": "09 12"}, "Accept-Language", "en")
		apiFields(t, r, map[string]string{"name": "Please enter your full name.", "email": "This email is not valid.",
			"phone": "This phone number is not valid. For example: 0912 345 678 or +84 912 345 678."})
	})
}

func TestEventFormMarksEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		e.organizer()
		b := e.signIn("btc@sprout.test", "organizer-pass")
		p := b.submit("/manage/events/new", "/manage/events", url.Values{
			"slug": {"X"}, "title": {" "}, "venue": {"Hội trường A"},
			"starts_at": {"2026-11-20T09:00"}, "ends_at": {"2026-11-20T08:00"}})
		marked(t, p, 400, map[string]string{
			"ev-slug":  "Đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch ngang (3–80 ký tự), ví dụ techfest-2026.",
			"ev-title": "Trường này là bắt buộc.",
			"ev-ends":  "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
		})
	})
}

func TestEventAPINamesEveryField(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		r := e.authed(e.organizer(), "POST", "/api/v1/events", map[string]any{
			"slug": "X", "title": "", "venue": "", "starts_at": "2026-11-20T09:00:00+07:00", "ends_at": "2026-11-20T10:00:00+07:00"},
			"Accept-Language", "en")
		apiFields(t, r, map[string]string{
			"slug":  "The address takes lower-case letters without accents, digits and hyphens (3–80 characters), e.g. techfest-2026.",
			"title": "This field is required.", "venue": "This field is required."})
	})
}

func TestTicketTypeFormsMarkEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, typeID := e.techfest(e.organizer(), 5, false)
		b := e.signIn("btc@sprout.test", "organizer-pass")
		from := "/manage/events/" + eventID
		wrong := url.Values{"name": {""}, "capacity": {"-1"}, "sales_start": {"2026-11-20T09:00"}, "sales_end": {"2026-11-19T09:00"}}
		capacity := "Sức chứa phải từ 0 đến 1.000.000."
		marked(t, b.submit(from, from+"/types", wrong), 400, map[string]string{
			"nt-name": "Trường này là bắt buộc.", "nt-capacity": capacity, "nt-end": "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
		})
		edit := "type-" + typeID + "-"
		marked(t, b.submit(from, from+"/types/"+typeID, wrong), 400, map[string]string{
			edit + "name": "Trường này là bắt buộc.", edit + "capacity": capacity, edit + "end": "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
		})
	})
}

func TestBoothFormMarksEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, _ := e.techfest(e.organizer(), 5, false)
		b := e.signIn("btc@sprout.test", "organizer-pass")
		from := "/manage/events/" + eventID + "/floor"
		p := b.submit(from, "/manage/events/"+eventID+"/booths", url.Values{
			"code": {""}, "zone": {" "}, "x": {"0"}, "y": {"0"}, "w": {"0"}, "h": {"3"}})
		marked(t, p, 400, map[string]string{
			"new-code": "Hãy đặt mã gian hàng, tối đa 20 ký tự.",
			"new-zone": "Hãy ghi khu của gian hàng, tối đa 120 ký tự.",
			"new-w":    "Gian hàng cần vị trí trên lưới, chiều rộng và chiều sâu lớn hơn 0.",
		})
	})
}

func TestBoothAPINamesEveryField(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		eventID, _ := e.techfest(e.organizer(), 5, false)
		r := e.authed(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "btc@sprout.test", "password": "organizer-pass"}).status(200).str("token"),
			"POST", "/api/v1/events/"+eventID+"/booths", map[string]any{"code": "", "zone": "", "x": 0, "y": 0, "w": 2, "h": 2}, "Accept-Language", "en")
		apiFields(t, r, map[string]string{"code": "Give the booth a code of at most 20 characters.", "zone": "Give the booth a zone of at most 120 characters."})
	})
}

func TestApplicationFormMarksEveryMissingAnswer(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		now := e.now()
		e.authed(e.organizer(), "POST", "/api/v1/programs", deckProgram("vuon-uom-2027", now.Add(-time.Hour), now.Add(48*time.Hour))).status(201)
		_, token, b := e.founder("sanglap@example.vn")
		apply := "/programs/vuon-uom-2027/apply"
		id, _ := b.openApplication(apply)
		p := b.submit(apply, "/programs/applications/"+id, url.Values{"version": {b.formVersion(apply)}, "intent": {"submit"},
			"startup_name": {""}, "q.problem": {""}, "q.team_size": {""}})
		marked(t, p, 400, map[string]string{
			"startup_name": "Trường này là bắt buộc.",
			"q-problem":    "Vui lòng trả lời “Vấn đề bạn giải quyết” trước khi nộp.",
			"q-team_size":  "Vui lòng trả lời “Số thành viên” trước khi nộp.",
			"q-deck":       "Vui lòng trả lời “Pitch deck” trước khi nộp.",
		})

		r := e.authed(token, "POST", "/api/v1/applications/"+id+"/submit", nil, "Accept-Language", "en")
		apiFields(t, r, map[string]string{
			"startup_name": "This field is required.",
			"problem":      "Please answer “Vấn đề bạn giải quyết” before submitting.",
			"team_size":    "Please answer “Số thành viên” before submitting.",
			"deck":         "Please answer “Pitch deck” before submitting.",
		})
	})
}

func TestReviewFormMarksEveryUnscoredCriterion(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		now := e.now()
		pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-cham-diem", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
		_, founder := e.user("sanglap@example.vn", "founder")
		id := e.submitted(pid, founder, "Mầm Xanh")
		reviewerID, reviewer := e.user("gk1@example.vn", "reviewer")
		e.assign(org, id, reviewerID)

		rev := e.signIn("gk1@example.vn", "mật khẩu dài")
		p := rev.submit("/reviews/"+id, "/reviews/"+id, url.Values{"comment": {"Tốt"}})
		marked(t, p, 400, map[string]string{
			"score_team":   "Thiếu điểm cho tiêu chí “Đội ngũ”.",
			"score_market": "Thiếu điểm cho tiêu chí “Thị trường”.",
		})

		r := e.authed(reviewer, "POST", "/api/v1/applications/"+id+"/reviews", map[string]any{"scores": map[string]int{"team": 7}}, "Accept-Language", "en")
		apiFields(t, r, map[string]string{"score_team": "Scores go from 1 to 5.", "score_market": "The score for “Thị trường” is missing."})
	})
}

// cohortFounder makes a founder whose startup is in a cohort, and returns
// the application's id with a browser signed in as them.
func (e *env) cohortFounder() (string, *browser) {
	e.t.Helper()
	org := e.organizer()
	now := e.now()
	pid := e.authed(org, "POST", "/api/v1/programs", program("khoa-2027", now.Add(-time.Hour), now.Add(time.Hour))).status(201).str("program.id")
	cid := e.authed(org, "POST", "/api/v1/cohorts", map[string]any{"program_id": pid, "name": "Khóa 1 — 2027",
		"starts_at": now.AddDate(0, -3, 0), "ends_at": now.AddDate(0, 6, 0)}).status(201).str("cohort.id")
	_, token := e.person("a@example.vn", "Nguyễn An", "vi", "founder")
	a := e.submitted(pid, token, "An Farm")
	e.authed(org, "POST", "/api/v1/applications/"+a+"/decision", map[string]any{"decision": "accepted", "cohort_id": cid}).status(200)
	return a, e.signIn("a@example.vn", "mật khẩu dài")
}

func TestProfileFormMarksEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		a, fa := e.cohortFounder()
		p := fa.submit("/cohort/profile/"+a, "/cohort/profile/"+a, url.Values{"name": {" "}, "sector": {"khong-co"}, "stage": {""}, "pitch": {""}})
		marked(t, p, 400, map[string]string{
			"p-name": "Trường này là bắt buộc.", "p-pitch": "Trường này là bắt buộc.",
			"p-sector": "Trường này là bắt buộc.", "p-stage": "Trường này là bắt buộc.",
		})
	})
}

func TestReportFormMarksEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		a, fa := e.cohortFounder()
		p := fa.submit("/cohort/reports", "/cohort/reports", url.Values{"startup": {a}, "month": {""},
			"revenue": {"-5"}, "users": {"nhiều"}, "staff": {"4"}, "funding": {"0"}})
		marked(t, p, 400, map[string]string{
			"r-month":   "Trường này là bắt buộc.",
			"r-revenue": "Số không được âm.",
			"r-users":   "Hãy nhập một số nguyên, ví dụ 1.500.000.",
		})
	})
}

// The new programme's form builder: a missing title, a question row
// without a label and a criterion whose weight is no number are all marked
// at once, each on its own input, and every row comes back as typed;
// nothing is stored.
func TestNewProgrammeFormMarksEveryMistake(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		e.organizer()
		o := e.signIn("btc@sprout.test", "organizer-pass")
		p := o.submit("/manage/programs/new", "/manage/programs", url.Values{
			"slug": {"khoa-2027"}, "title": {""}, "opens_at": {"2027-01-10T09:00"}, "closes_at": {"2027-02-10T17:00"},
			"q_id": {"", ""}, "q_label": {"Vấn đề bạn giải quyết", ""}, "q_label_en": {"", "Team size"}, "q_kind": {"long_text", "number"},
			"q_required": {"1", ""}, "q_options": {"", ""}, "q_options_en": {"", ""}, "q_help": {"", "Kể cả cố vấn"}, "q_help_en": {"", ""},
			"c_id": {"", ""}, "c_label": {"Đội ngũ", "Thị trường"}, "c_label_en": {"", ""}, "c_weight": {"2", "abc"},
			"c_a1": {"", "Chưa rõ ai mua"}, "c_a3": {"", ""}, "c_a5": {"", ""}, "c_a1_en": {"", ""}, "c_a3_en": {"", ""}, "c_a5_en": {"", ""}})
		marked(t, p, 400, map[string]string{
			"f-title":             "Trường này là bắt buộc.",
			"f-questions-2-label": "Câu hỏi 2 chưa có nội dung.",
			"f-criteria-2-weight": "Trọng số tiêu chí phải lớn hơn 0 và không quá 100.",
		})
		got := html.UnescapeString(p.html)
		for _, want := range []string{`value="khoa-2027"`, `value="Vấn đề bạn giải quyết"`, `value="Team size"`, `value="Kể cả cố vấn"`,
			`value="Đội ngũ"`, `value="Thị trường"`, `value="Chưa rõ ai mua"`, `<option value="number" selected>`} {
			if !strings.Contains(got, want) {
				t.Errorf("the rows sent are not shown again: no %s", want)
			}
		}
		if n := strings.Count(got, `class="builder-row"`); n != 2+2+2 {
			t.Errorf("%d builder rows, want the two questions, the two criteria and the two templates for new rows", n)
		}
		if l := o.do("GET", "/manage/programs", nil); !strings.Contains(l.html, "Chưa có chương trình nào.") {
			t.Fatal("a refused programme was stored")
		}
	})
}

func TestProgrammeAPINamesEveryField(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		now := e.now()
		body := program("X", now.Add(-time.Hour), now.Add(time.Hour))
		body["title"] = ""
		r := e.authed(e.organizer(), "POST", "/api/v1/programs", body, "Accept-Language", "en")
		apiFields(t, r, map[string]string{
			"slug":  "The address takes lower-case letters without accents, digits and hyphens (3–80 characters), e.g. techfest-2026.",
			"title": "This field is required.",
		})
	})
}
