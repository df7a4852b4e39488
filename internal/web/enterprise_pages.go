package web

import (
	"errors"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/vn"
)

// enterprisePageRoutes are the enterprise's pages of the certification
// procedure. Any signed-in account may file for its enterprise.
func (s *Server) enterprisePageRoutes(app *fiber.App) {
	signedIn := s.pageRequire()
	app.Get("/enterprise", signedIn, s.enterprisePage)
	app.Post("/enterprise/dossiers", signedIn, s.enterpriseStart)
	app.Get("/enterprise/dossiers/:id", signedIn, s.dossierPage)
	app.Post("/enterprise/dossiers/:id", signedIn, s.dossierSave)
	// Autosave runs on the page's cookie session, so the global CSRF check
	// guards it (token in X-CSRF-Token); it answers JSON, errors included.
	app.Put("/enterprise/dossiers/:id/draft", s.gateJSONErrors, s.apiRequire(), s.dossierDraft)
	app.Post("/enterprise/dossiers/:id/proofs/:index", signedIn, s.dossierProofUpload)
	app.Get("/enterprise/dossiers/:id/proofs/:file", signedIn, s.dossierProof)
	app.Get("/enterprise/dossiers/:id/certificate.pdf", signedIn, s.dossierCertPDF)
	app.Post("/enterprise/dossiers/:id/reports", signedIn, s.dossierReport)
}

// dossierLine is one of the user's dossiers in the list.
type dossierLine struct {
	D certification.Dossier
	// Title is the enterprise's name, or what the dossier asks for while
	// no name is typed.
	Title string
}

func (s *Server) enterprisePage(c *fiber.Ctx) error {
	return s.enterpriseIndex(c, nil, nil)
}

// enterpriseIndex shows the procedure and the user's dossiers, with the
// start form's mistakes when err is one.
func (s *Server) enterpriseIndex(c *fiber.Ctx, sent map[string]string, err error) error {
	list, lerr := s.Certification.Mine(c.UserContext(), *currentUser(c))
	if lerr != nil {
		return lerr
	}
	l := s.lang(c)
	lines := make([]dossierLine, len(list))
	for i, d := range list {
		lines[i] = dossierLine{D: d, Title: d.Enterprise.Name}
		if lines[i].Title == "" {
			lines[i].Title = l.T("st.kind." + string(d.Kind))
		}
	}
	pg := s.page(c, "st.title", fiber.Map{"Dossiers": lines, "ResultKinds": certification.ResultKinds})
	if err != nil {
		return s.formErrorPage(c, pg, "enterprise/index", err, sent)
	}
	return pg.render(c, "enterprise/index")
}

// enterpriseStart opens a dossier: a new certificate, or an amendment or
// re-issue of the certificate whose code the user gives.
func (s *Server) enterpriseStart(c *fiber.Ctx) error {
	kind, of := c.FormValue("kind"), c.FormValue("of")
	d, err := s.Certification.Start(c.UserContext(), *currentUser(c), certification.Kind(kind), of)
	if err != nil {
		return s.enterpriseIndex(c, map[string]string{"kind": kind, "of": of}, err)
	}
	return s.redirectFlash(c, "/enterprise/dossiers/"+d.ID, "ok", "st.flash.started")
}

// dossierForm is the form of a dossier the enterprise may still change.
type dossierForm struct {
	D certification.Dossier
	// Founded is the founding day as a date input holds it.
	Founded string
	Share   shareView
	Kinds   []certification.ResultKind
	Sizes   []certification.Size
	Sectors []string
}

// shareView is the revenue share as the page shows it: the percentage and
// the revenue test's verdict.
type shareView struct {
	Percent string
	Test    certification.RevenueTest
}

func newShare(l i18n.Lang, f certification.Finance, founded, at time.Time) shareView {
	v := shareView{Test: f.Test(founded, at)}
	if share := f.Share(); share >= 0 {
		v.Percent = l.Dec(float64(share)/10) + "%"
	}
	return v
}

// dossierStatus is the page of a dossier sent to the department.
type dossierStatus struct {
	D       certification.Dossier
	IsOwner bool
	// Left is how many working days remain to decide, when Running.
	Left    int
	Running bool
	Reports []reportLine
	// CanReport offers the yearly report form to a granted enterprise.
	CanReport bool
}

// reportLine is a yearly report with its revenue share.
type reportLine struct {
	certification.YearReport
	Share string
}

func (s *Server) dossierPage(c *fiber.Ctx) error {
	d, err := s.Certification.Dossier(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	if d.Editable() && d.OwnerID == currentUser(c).ID {
		return s.dossierFormPage(c, d, nil)
	}
	return s.dossierStatusPage(c, d, nil, nil)
}

// dossierFormPage shows the form of d, with the mistakes err holds.
func (s *Server) dossierFormPage(c *fiber.Ctx, d certification.Dossier, err error) error {
	l := s.lang(c)
	v := dossierForm{D: d, Share: newShare(l, d.Finance, d.Enterprise.Founded, s.Clock.Now()),
		Kinds: certification.ResultKinds, Sizes: certification.Sizes, Sectors: certification.Sectors}
	if !d.Enterprise.Founded.IsZero() {
		v.Founded = d.Enterprise.Founded.In(vn.Zone).Format(time.DateOnly)
	}
	pg := s.page(c, "st.form.title", v)
	if err != nil {
		return s.formErrorPage(c, pg, "enterprise/form", err, nil)
	}
	return pg.render(c, "enterprise/form")
}

func (s *Server) dossierStatusPage(c *fiber.Ctx, d certification.Dossier, sent map[string]string, err error) error {
	l := s.lang(c)
	v := dossierStatus{D: d, IsOwner: d.OwnerID == currentUser(c).ID}
	var rerr error
	if v.Left, v.Running, rerr = s.Certification.Remaining(c.UserContext(), d); rerr != nil {
		return rerr
	}
	v.CanReport = v.IsOwner && d.Stage == certification.Granted
	for _, r := range d.Reports {
		v.Reports = append(v.Reports, reportLine{YearReport: r, Share: newShare(l, r.Finance, time.Time{}, time.Time{}).Percent})
	}
	pg := s.page(c, "", v)
	pg.Title = d.Enterprise.Name
	if pg.Title == "" {
		pg.Title = l.T("st.kind." + string(d.Kind))
	}
	if err != nil {
		return s.formErrorPage(c, pg, "enterprise/status", err, sent)
	}
	if sent == nil {
		pg.Form = map[string]string{"year": strconv.Itoa(s.Clock.Now().In(vn.Zone).Year() - 1)}
	}
	return pg.render(c, "enterprise/status")
}

// formNumbers reads the named fields as whole numbers; an empty field is
// 0, anything else not a number is a mistake of that field.
func formNumbers(c *fiber.Ctx, names ...string) (map[string]int64, error) {
	out := make(map[string]int64, len(names))
	var problems []error
	for _, name := range names {
		v := strings.ReplaceAll(strings.TrimSpace(c.FormValue(name)), " ", "")
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			problems = append(problems, errs.Field(name, "st.form.number_invalid"))
		}
		out[name] = n
	}
	return out, errors.Join(problems...)
}

var financeFields = []string{"year", "revenue", "result_revenue", "rd_spending", "rd_staff", "staff"}

func financeOf(n map[string]int64) certification.Finance {
	return certification.Finance{Year: int(n["year"]), Revenue: n["revenue"], ResultRevenue: n["result_revenue"],
		RDSpending: n["rd_spending"], RDStaff: int(n["rd_staff"]), Staff: int(n["staff"])}
}

// formInput reads the form sent without scripts. The results' rows send
// their fields in page order, one value per row.
func formInput(c *fiber.Ctx) (certification.Input, int, error) {
	nums, nerr := formNumbers(c, financeFields...)
	founded, ferr := parseFounded(c.FormValue("founded"))
	in := certification.Input{
		Enterprise: certification.Enterprise{Name: c.FormValue("name"), NameEN: c.FormValue("name_en"), TaxCode: c.FormValue("tax_code"),
			Address: c.FormValue("address"), Representative: c.FormValue("representative"), Founded: founded,
			Size: certification.Size(c.FormValue("size")), Sector: c.FormValue("sector")},
		Finance: financeOf(nums),
	}
	args := c.Request().PostArgs()
	kinds, titles, numbers, proofs := args.PeekMulti("result_kind"), args.PeekMulti("result_title"), args.PeekMulti("result_number"), args.PeekMulti("result_proof")
	at := func(list [][]byte, i int) string {
		if i < len(list) {
			return string(list[i])
		}
		return ""
	}
	for i := range kinds {
		in.Results = append(in.Results, certification.Result{Kind: certification.ResultKind(kinds[i]), Title: at(titles, i),
			Number: at(numbers, i), ProofID: at(proofs, i)})
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	return in, version, errors.Join(nerr, ferr)
}

// dossierSave saves the form sent without scripts, and sends the dossier
// to the department when the enterprise pressed submit.
func (s *Server) dossierSave(c *fiber.Ctx) error {
	ctx, u, id := c.UserContext(), currentUser(c), c.Params("id")
	in, version, perr := formInput(c)
	var d certification.Dossier
	err := perr
	if c.FormValue("intent") == "add_result" {
		in.Results = append(in.Results, certification.Result{Kind: certification.ResultKinds[0]})
	}
	if err == nil {
		d, err = s.Certification.Save(ctx, *u, id, version, in)
	}
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return err
		}
		if errs.KindOf(err) == errs.Conflict {
			return s.redirectFlash(c, "/enterprise/dossiers/"+id, "error", "error.st_changed")
		}
		cur, lerr := s.Certification.Dossier(ctx, *u, id)
		if lerr != nil {
			return lerr
		}
		// What was typed comes back with its mistakes, unsaved.
		cur.Enterprise, cur.Finance, cur.Results = in.Enterprise, in.Finance, in.Results
		return s.dossierFormPage(c, cur, err)
	}
	switch c.FormValue("intent") {
	case "add_result":
		return c.Redirect("/enterprise/dossiers/"+id+"#f-results", fiber.StatusSeeOther)
	case "submit":
	default:
		return s.redirectFlash(c, "/enterprise/dossiers/"+id, "ok", "st.flash.saved")
	}
	if _, err := s.Certification.Submit(ctx, *u, id, d.Version); err != nil {
		return s.dossierFormPage(c, d, err)
	}
	return s.redirectFlash(c, "/enterprise/dossiers/"+id, "ok", "st.flash.submitted")
}

// dossierDraft is the form's autosave.
func (s *Server) dossierDraft(c *fiber.Ctx) error {
	d, err := s.saveDossierJSON(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": d.Version, "message": s.lang(c).T("st.form.saved_at", "Time", d.UpdatedAt.In(vn.Zone).Format("15:04"))})
}

// dossierProofUpload attaches a result's proof: the form's script asks for
// JSON as soon as a file is chosen; without it the row's button posts it.
func (s *Server) dossierProofUpload(c *fiber.Ctx) error {
	id := c.Params("id")
	d, err := s.attachProof(c)
	wantsJSON := c.Get(fiber.HeaderAccept) == fiber.MIMEApplicationJSON
	if err != nil {
		if e, ok := vocabulary(err); ok && e.Kind != errs.Internal && e.Kind != errs.NotFound {
			if wantsJSON {
				return s.jsonError(c, e)
			}
			return s.redirectFlash(c, "/enterprise/dossiers/"+id, "error", e.MessageID())
		}
		return err
	}
	if !wantsJSON {
		return s.redirectFlash(c, "/enterprise/dossiers/"+id, "ok", "flash.file_uploaded")
	}
	i, _ := strconv.Atoi(c.Params("index"))
	r := d.Results[i]
	return c.JSON(fiber.Map{"version": d.Version, "proof_id": r.ProofID, "name": r.ProofName,
		"href": "/enterprise/dossiers/" + d.ID + "/proofs/" + url.PathEscape(r.ProofID), "message": s.lang(c).T("flash.file_uploaded")})
}

// dossierProof serves a result's proof to its owner and officers, shown
// in the browser. It is private: no shared cache may keep it.
func (s *Server) dossierProof(c *fiber.Ctx) error {
	f, err := s.Certification.Proof(c.UserContext(), *currentUser(c), c.Params("id"), c.Params("file"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": f.Name}))
	c.Set(fiber.HeaderContentSecurityPolicy, fileCSP)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.Data)
}

// dossierReport files a granted enterprise's yearly report.
func (s *Server) dossierReport(c *fiber.Ctx) error {
	ctx, u, id := c.UserContext(), currentUser(c), c.Params("id")
	nums, err := formNumbers(c, financeFields...)
	if err == nil {
		_, err = s.Certification.FileReport(ctx, *u, id, financeOf(nums))
	}
	if err == nil {
		return s.redirectFlash(c, "/enterprise/dossiers/"+id+"#reports", "ok", "st.flash.report_filed")
	}
	if errs.KindOf(err) == errs.NotFound {
		return err
	}
	d, lerr := s.Certification.Dossier(ctx, *u, id)
	if lerr != nil {
		return lerr
	}
	sent := map[string]string{}
	for _, name := range financeFields {
		sent[name] = c.FormValue(name)
	}
	return s.dossierStatusPage(c, d, sent, err)
}

// dossierCertPDF is the certificate a dossier was granted, as it holds now
// (an amendment's, once granted; revoked, marked so), for its enterprise
// and the department's officers.
func (s *Server) dossierCertPDF(c *fiber.Ctx) error {
	d, err := s.Certification.Dossier(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	if d.CertCode == "" {
		return errs.New(errs.NotFound, "error.cert_not_found")
	}
	cert, err := s.Certs.Current(c.UserContext(), d.CertCode)
	if err != nil {
		return err
	}
	return s.sendCertPDF(c, cert)
}
