package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/incubator"
	"sprout/internal/mail"
)

// stEnterprise makes an enterprise's account, in lang, and has it send a
// complete new dossier through the service, as its pages do.
func (e *env) stEnterprise(email, lang, name, taxCode string) (accounts.User, certification.Dossier) {
	e.t.Helper()
	ctx := context.Background()
	id, _ := e.user(email)
	owner, err := e.app.Accounts.UpdateProfile(ctx, id, "Lê Thu Hà", lang)
	if err != nil {
		e.t.Fatal(err)
	}
	cs := e.app.Certification
	d, err := cs.Start(ctx, owner, certification.New, "")
	if err != nil {
		e.t.Fatal(err)
	}
	d, err = cs.Save(ctx, owner, d.ID, d.Version, certification.Input{
		Enterprise: certification.Enterprise{Name: name, TaxCode: taxCode, Address: "Số 1 Trần Duy Hưng, Cầu Giấy, Hà Nội",
			Representative: "Lê Thu Hà", Founded: e.now().AddDate(-8, 0, 0), Size: certification.Small, Sector: "agritech"},
		Finance: certification.Finance{Year: e.now().Year() - 1, Revenue: 12_000_000_000, ResultRevenue: 4_200_000_000,
			RDSpending: 900_000_000, RDStaff: 6, Staff: 25},
		Results: []certification.Result{{Kind: certification.Patent, Title: "Cảm biến độ ẩm đất không dây", Number: "1-0034567"}},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if d, err = cs.AttachProof(ctx, owner, d.ID, 0, "bằng sáng chế.pdf", pdf("Bang sang che")); err != nil {
		e.t.Fatal(err)
	}
	if d, err = cs.Submit(ctx, owner, d.ID, d.Version); err != nil {
		e.t.Fatal(err)
	}
	return owner, d
}

// stMails are the mails of a template sent to an address.
func (e *env) stMails(to, template string) []mail.Message {
	var out []mail.Message
	for _, m := range e.mails(to) {
		if m.Template == template {
			out = append(out, m)
		}
	}
	return out
}

// An officer lists received dossiers, asks for additions (a note is
// required), finds the amended dossier complete, a council scores it
// through the incubator's reviews with one conflict declared, and the
// officer grants then revokes the certificate; the enterprise is mailed at
// each step in its language, and nobody else may act.
func TestOfficerTakesADossierFromReceiptToRevocation(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.user("chuyenvien@so.vn", "officer")
		officer := e.signIn("chuyenvien@so.vn", "mật khẩu dài")
		_, officerToken := e.user("chuyenvien2@so.vn", "officer")
		_, founderToken := e.user("sanglap@example.vn", "founder")
		owner, d := e.stEnterprise("dn@mamxanh.vn", "en", "Công ty Cổ phần Nông nghiệp Số Mầm Xanh", "0109876543")
		stranger := e.signIn("sanglap@example.vn", "mật khẩu dài")

		// Only officers and admins: 403 for anyone else, on pages and API.
		if p := stranger.do("GET", "/officer/dossiers", nil); p.code != 403 {
			t.Fatalf("a founder opens the officers' list: %d", p.code)
		}
		e.authed(founderToken, "GET", "/api/v1/st/officer/dossiers", nil).errorCode(403, "forbidden")
		e.authed(founderToken, "POST", "/api/v1/st/dossiers/"+d.ID+"/complete", nil).errorCode(403, "forbidden")
		e.authed(founderToken, "POST", "/api/v1/st/dossiers/"+d.ID+"/additions", map[string]any{"note": "x"}).errorCode(403, "forbidden")

		// A draft is no officer's business yet.
		draft, err := e.app.Certification.Start(ctx, owner, certification.New, "")
		if err != nil {
			t.Fatal(err)
		}
		if p := officer.do("GET", "/officer/dossiers/"+draft.ID, nil); p.code != 404 {
			t.Fatalf("an officer opens a draft: %d", p.code)
		}

		// My work leads the officer to the dossier waiting for its check.
		if w := officer.do("GET", "/me", nil); !strings.Contains(w.html, `data-count="to_check">Chờ kiểm tra tính đầy đủ: 1`) ||
			!strings.Contains(w.html, `<li data-dossier="`+d.ID+`"><a href="/officer/dossiers/`+d.ID+`">`) || !strings.Contains(w.html, `href="/officer/dossiers">Mọi hồ sơ`) {
			t.Fatalf("the officer's work: %s", w.html)
		}
		// The list, with its counts.
		p := officer.do("GET", "/officer/dossiers", nil)
		if p.code != 200 || !strings.Contains(p.html, "Công ty Cổ phần Nông nghiệp Số Mầm Xanh") || !strings.Contains(p.html, "0109876543") ||
			!strings.Contains(p.html, `data-stage-count="submitted">Đã tiếp nhận <span class="chip">1</span>`) {
			t.Fatalf("the officers' list: %d\n%s", p.code, p.html)
		}
		if p := officer.do("GET", "/officer/dossiers?q=mam+xanh&sector=agritech&stage=submitted", nil); !strings.Contains(p.html, `data-dossier="`+d.ID+`"`) {
			t.Fatal("a search without diacritics finds the dossier")
		}
		if p := officer.do("GET", "/officer/dossiers?q=khong+co&stage=granted", nil); !strings.Contains(p.html, "Không có hồ sơ nào khớp bộ lọc.") {
			t.Fatal("the empty state of a search")
		}
		list := e.authed(officerToken, "GET", "/api/v1/st/officer/dossiers?q=0109876543", nil).status(200)
		if list.get("total") != 1.0 || list.str("dossiers.0.id") != d.ID || list.get("counts.submitted") != 1.0 {
			t.Fatalf("the API list: %s", list.body)
		}

		// A note is required: 400 beside the field, nothing changed.
		page := "/officer/dossiers/" + d.ID
		bad := officer.submit(page, page+"/additions", url.Values{"note": {"   "}})
		if bad.code != 400 || !strings.Contains(bad.html, `id="st-note-error"`) || !strings.Contains(bad.html, `data-for="st-note"`) {
			t.Fatalf("additions without a note: %d", bad.code)
		}
		e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+d.ID+"/additions", map[string]any{"note": ""}).errorCode(400, "invalid")
		if got, _ := e.app.Certification.Dossier(ctx, owner, d.ID); got.Stage != certification.Submitted || got.Version != d.Version {
			t.Fatalf("a refused request changed the dossier: %s v%d", got.Stage, got.Version)
		}
		note := "Bổ sung bản sao có chứng thực của bằng độc quyền sáng chế."
		if p := officer.submit(page, page+"/additions", url.Values{"note": {note}}); p.code != 303 || p.location != page {
			t.Fatalf("asking for additions: %d → %s", p.code, p.location)
		}
		asked := e.stMails(owner.Email, certification.MailAdditions)
		if len(asked) != 1 || !strings.Contains(asked[0].Subject, "needs additions") || !strings.Contains(asked[0].Text, note) {
			t.Fatalf("the additions mail, in English with the note: %+v", asked)
		}

		// The enterprise amends and sends it again; the officer finds it
		// complete and the clock starts: 15 working days.
		d, err = e.app.Certification.Dossier(ctx, owner, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d, err = e.app.Certification.Submit(ctx, owner, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		if p := officer.submit(page, page+"/complete", url.Values{}); p.code != 303 {
			t.Fatalf("marking complete: %d", p.code)
		}
		d, _ = e.app.Certification.Dossier(ctx, owner, d.ID)
		want, err := e.app.Workdays.Due(ctx, d.CompleteAt, 15)
		if err != nil {
			t.Fatal(err)
		}
		if d.Stage != certification.Appraisal || !d.DueAt.Equal(want) || d.ApplicationID == "" {
			t.Fatalf("complete: %s due %v (want %v), application %q", d.Stage, d.DueAt, want, d.ApplicationID)
		}
		p = officer.do("GET", page, nil)
		if !strings.Contains(p.html, "Còn 15 ngày làm việc") && !strings.Contains(p.html, "Còn 14 ngày làm việc") {
			t.Fatalf("the page tells the working days left:\n%s", p.html)
		}
		if !strings.Contains(p.html, "35,0 %") || !strings.Contains(p.html, `data-revenue="meets"`) || !strings.Contains(p.html, `data-proof`) {
			t.Fatal("the page tells the revenue share and links the proof")
		}

		// The council: an internal programme, no public call, scored from
		// the reviewers' own queue with one conflict declared.
		if p := e.call("GET", "/programs", nil); strings.Contains(string(p.body), "Thẩm định doanh nghiệp") {
			t.Fatal("the appraisal programme is listed as a public call")
		}
		r1ID, r1 := e.user("hoidong1@so.vn", "reviewer")
		r2ID, r2 := e.user("hoidong2@so.vn", "reviewer")
		for _, id := range []string{r1ID, r2ID} {
			e.authed(e.admin, "POST", "/api/v1/applications/"+d.ApplicationID+"/reviewers", map[string]any{"user_id": id}).status(200)
		}
		if q := e.signIn("hoidong1@so.vn", "mật khẩu dài").do("GET", "/reviews", nil); !strings.Contains(q.html, "Công ty Cổ phần Nông nghiệp Số Mầm Xanh") {
			t.Fatal("the council member's queue lists the dossier")
		}
		e.authed(r1, "POST", "/api/v1/applications/"+d.ApplicationID+"/reviews", map[string]any{
			"scores": map[string]int{"results": 5, "revenue": 4, "capacity": 3}, "comment": "Sáng chế có giá trị thực tế."}).status(201)
		e.authed(r2, "POST", "/api/v1/applications/"+d.ApplicationID+"/reviews", map[string]any{"conflict_of_interest": true}).status(201)
		p = officer.do("GET", page, nil)
		// (5·2 + 4·2 + 3·1) / 5 = 4,2
		if !strings.Contains(p.html, "Điểm bình quân có trọng số: 4,2 / 5 (1 thành viên đã chấm)") || !strings.Contains(p.html, `data-conflicts="1"`) ||
			!strings.Contains(p.html, "Khai xung đột lợi ích, không chấm") {
			t.Fatalf("the council's scores on the officer's page:\n%s", p.html)
		}

		// Grant through the API: a valid certificate at /verify.
		g := e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+d.ID+"/grant", nil).status(200)
		code := g.str("certificate.code")
		if g.str("dossier.stage") != "granted" || code == "" || g.str("certificate.status") != "valid" {
			t.Fatalf("grant: %s", g.body)
		}
		if v := e.call("GET", "/verify/"+code, nil); v.code != 200 || !strings.Contains(string(v.body), "Công ty Cổ phần Nông nghiệp Số Mầm Xanh") {
			t.Fatalf("/verify/%s: %d", code, v.code)
		}
		granted := e.stMails(owner.Email, certification.MailGranted)
		if len(granted) != 1 || !strings.Contains(granted[0].Text, code) || !strings.Contains(granted[0].Text, "/verify/"+code) ||
			!strings.Contains(granted[0].Subject, "granted") {
			t.Fatalf("the grant mail: %+v", granted)
		}
		e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+d.ID+"/grant", nil).errorCode(409, "conflict")

		// Revoke: reasons required beside the field, then revoked.
		bad = officer.submit(page, page+"/revoke", url.Values{"reasons": {""}})
		if bad.code != 400 || !strings.Contains(bad.html, `id="st-revoke-reasons-error"`) {
			t.Fatalf("revoking without reasons: %d", bad.code)
		}
		reasons := "Không nộp báo cáo hằng năm hai năm liền."
		if p := officer.submit(page, page+"/revoke", url.Values{"reasons": {reasons}}); p.code != 303 {
			t.Fatalf("revoking: %d", p.code)
		}
		if c := e.call("GET", "/api/v1/certificates/"+code, nil).status(200); c.str("certificate.status") != "revoked" {
			t.Fatalf("the certificate after revocation: %s", c.body)
		}
		revoked := e.stMails(owner.Email, certification.MailRevoked)
		if len(revoked) != 1 || !strings.Contains(revoked[0].Text, reasons) {
			t.Fatalf("the revocation mail: %+v", revoked)
		}
		if n := len(e.stMails(owner.Email, certification.MailAdditions)) + len(e.stMails(owner.Email, certification.MailGranted)); n != 2 {
			t.Fatalf("earlier mails were sent again: %d", n)
		}

		// Each officer action is in the audit log.
		audit := e.authed(e.admin, "GET", "/api/v1/audit?limit=50", nil).status(200)
		for _, action := range []string{"st_dossier.additions", "st_dossier.complete", "st_dossier.grant", "st_dossier.revoke"} {
			if !strings.Contains(string(audit.body), `"`+action+`"`) {
				t.Errorf("the audit log lacks %s", action)
			}
		}
	})
}

// Officers are mailed once of a dossier whose decision falls due within
// three working days, and the list flags it.
func TestOfficersAreWarnedOnceOfADossierFallingDue(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, officerToken := e.user("chuyenvien@so.vn", "officer")
		_, d := e.stEnterprise("dn@hoasen.vn", "vi", "Công ty TNHH Công nghệ Hoa Sen", "0101234567")
		e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+d.ID+"/complete", nil).status(200)
		e.app.JanitorPass(ctx)
		if n := len(e.stMails("chuyenvien@so.vn", certification.MailDue)); n != 0 {
			t.Fatalf("warned with 15 working days left: %d mails", n)
		}
		e.clock.Advance(40 * 24 * time.Hour)
		e.app.JanitorPass(ctx)
		e.app.JanitorPass(ctx)
		warned := e.stMails("chuyenvien@so.vn", certification.MailDue)
		if len(warned) != 1 || !strings.Contains(warned[0].Subject, "Quá hạn") || !strings.Contains(warned[0].Text, "/officer/dossiers/"+d.ID) {
			t.Fatalf("the due warning, once: %+v", warned)
		}
		// Forty days on, the officer signs in again.
		officerToken = e.call("POST", "/api/v1/auth/login", map[string]any{"email": "chuyenvien@so.vn", "password": "mật khẩu dài"}).status(200).str("token")
		officer := e.signIn("chuyenvien@so.vn", "mật khẩu dài")
		left := e.authed(officerToken, "GET", "/api/v1/st/officer/dossiers", nil).status(200).get("dossiers.0.working_days_left").(float64)
		p := officer.do("GET", "/officer/dossiers", nil)
		if want := fmt.Sprintf("Quá hạn %d ngày làm việc", int(-left)); left >= 0 || !strings.Contains(p.html, want) || !strings.Contains(p.html, `data-flag="overdue"`) {
			t.Fatalf("the list flags the overdue dossier (%v left): %s", left, p.html)
		}
	})
}

// A refusal is mailed with its reasons in the owner's language, the
// incubator's own decision on the council's application mails nobody, and
// a granted enterprise without last year's report is reminded once in the
// first quarter.
func TestRefusalIsMailedAndGrantedEnterprisesAreRemindedOfReports(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, officerToken := e.user("chuyenvien@so.vn", "officer")
		refusedOwner, refused := e.stEnterprise("dn@hoasen.vn", "vi", "Công ty TNHH Công nghệ Hoa Sen", "0101234567")
		grantedOwner, granted := e.stEnterprise("dn@mamxanh.vn", "en", "Công ty Cổ phần Mầm Xanh", "0109876543")
		for _, id := range []string{refused.ID, granted.ID} {
			e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+id+"/complete", nil).status(200)
		}

		e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+refused.ID+"/refuse", map[string]any{"reasons": " "}).errorCode(400, "invalid")
		reasons := "Doanh thu từ kết quả khoa học và công nghệ chưa đạt 30 %."
		if r := e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+refused.ID+"/refuse", map[string]any{"reasons": reasons}).status(200); r.str("dossier.stage") != "refused" {
			t.Fatalf("refuse: %s", r.body)
		}
		mails := e.stMails(refusedOwner.Email, certification.MailRefused)
		if len(mails) != 1 || !strings.Contains(mails[0].Subject, "Từ chối cấp giấy chứng nhận") || !strings.Contains(mails[0].Text, reasons) {
			t.Fatalf("the refusal mail, in Vietnamese with the reasons: %+v", mails)
		}

		// Deciding the council's application on the programme's pages is
		// no decision of the procedure's, and mails nobody.
		d, _ := e.app.Certification.Dossier(ctx, refusedOwner, refused.ID)
		e.authed(e.admin, "POST", "/api/v1/applications/"+d.ApplicationID+"/decision", map[string]any{"decision": "rejected"}).status(200)
		if n := len(e.mails(refusedOwner.Email)); n != 1 {
			t.Fatalf("the enterprise got %d mails, want the refusal only", n)
		}

		e.authed(officerToken, "POST", "/api/v1/st/dossiers/"+granted.ID+"/grant", nil).status(200)
		e.app.JanitorPass(ctx)
		if n := len(e.stMails(grantedOwner.Email, certification.MailReport)); n != 0 {
			t.Fatalf("reminded in the year of the grant: %d", n)
		}
		// Mid-January of next year, in Vietnam.
		now := e.now().In(time.FixedZone("ICT", 7*3600))
		e.clock.Advance(time.Date(now.Year()+1, time.January, 15, 9, 0, 0, 0, now.Location()).Sub(now))
		e.app.JanitorPass(ctx)
		e.app.JanitorPass(ctx)
		reminded := e.stMails(grantedOwner.Email, certification.MailReport)
		if len(reminded) != 1 || !strings.Contains(reminded[0].Subject, fmt.Sprint(now.Year())+" report") {
			t.Fatalf("the yearly report reminder, once, in English: %+v", reminded)
		}
		if n := len(e.stMails(refusedOwner.Email, certification.MailReport)); n != 0 {
			t.Fatal("a refused enterprise is reminded of reports")
		}
	})
}

// The council's programme is created once and internal; an application
// filed on an enterprise's behalf is filed once under its id, and only an
// internal programme takes one.
func TestCouncilProgrammeIsStandingAndTakesApplicationsOnBehalfOnce(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inc := e.app.Incubator
		spec := incubator.Program{Slug: certification.AppraisalSlug, Title: "Thẩm định", OpensAt: e.now(), ClosesAt: e.now().AddDate(1, 0, 0),
			Criteria: []incubator.Criterion{{ID: "results", Label: "Kết quả", Weight: 1}}}
		p1, err := inc.StandingProgram(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := inc.StandingProgram(ctx, spec)
		if err != nil || p2.ID != p1.ID || !p2.Internal {
			t.Fatalf("the standing programme again: %+v, %v", p2, err)
		}
		answers := map[string]string{certification.AnswerEnterprise: "Mầm Xanh"}
		a1, err := inc.FileOnBehalf(ctx, p1.ID, "dossier-1", "Mầm Xanh", answers)
		if err != nil || a1.Status != incubator.Submitted || incubator.AnswerText(a1.Answers[certification.AnswerEnterprise]) != "Mầm Xanh" {
			t.Fatalf("filed on behalf: %+v, %v", a1, err)
		}
		if a2, err := inc.FileOnBehalf(ctx, p1.ID, "dossier-1", "Mầm Xanh", answers); err != nil || a2.ID != a1.ID || a2.Version != a1.Version {
			t.Fatalf("filed again: %+v, %v", a2, err)
		}
		if _, err := inc.FileOnBehalf(ctx, p1.ID, "dossier-2", "Hoa Sen", nil); err != nil {
			t.Fatalf("a second enterprise in the same programme: %v", err)
		}
		public := e.authed(e.organizer(), "POST", "/api/v1/programs", program("khoa-2027", e.now(), e.now().AddDate(0, 1, 0))).status(201).str("program.id")
		if _, err := inc.FileOnBehalf(ctx, public, "dossier-3", "Robot Đông Á", nil); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("filed on behalf in a public call: %v", err)
		}
	})
}
