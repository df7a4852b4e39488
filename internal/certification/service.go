package certification

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sprout/internal/accounts"
	"sprout/internal/certs"
	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
	"sprout/internal/vn"
)

// Store keeps dossiers.
type Store interface {
	CreateDossier(ctx context.Context, d Dossier) error
	Dossier(ctx context.Context, id string) (Dossier, error)
	// SaveDossier stores d over the dossier whose version is still
	// d.Version-1, in one step; another version is errs.Conflict.
	SaveDossier(ctx context.Context, d Dossier) error
	// Dossiers lists dossiers newest first by their last change, with
	// how many match in all.
	Dossiers(ctx context.Context, q Query) ([]Dossier, int, error)
}

// Query filters dossiers; zero fields match everything.
type Query struct {
	OwnerID string
	Kind    Kind
	Stages  []Stage
	// Text finds dossiers where each of its words (vn.Words) starts a word
	// of the enterprise's name or its tax code, without diacritics.
	Text   string
	Sector string
	// Year is the year a certificate was granted, in Vietnam.
	Year          int
	Offset, Limit int
}

// Words are what a dossier is found by: its enterprise's name, English
// name and tax code, folded.
func (d Dossier) Words() []string {
	return vn.Words(d.Enterprise.Name + " " + d.Enterprise.NameEN + " " + d.Enterprise.TaxCode)
}

// Deadlines count working days, weekends and public holidays left out.
type Deadlines interface {
	// Due is the end of the n-th working day after from.
	Due(ctx context.Context, from time.Time, n int) (time.Time, error)
	// Remaining is how many working days are left before due, negative
	// once it has passed.
	Remaining(ctx context.Context, due time.Time) (int, error)
}

// Service runs the procedure.
type Service struct {
	store     Store
	files     files.Store
	certs     *certs.Service
	deadlines Deadlines
	clk       clock.Clock
	// signer and signerTitle sign enterprises' certificates.
	signer, signerTitle string
	// council, when set, appraises dossiers found complete (appraisal.go);
	// notices mail their steps and deadlines (notify.go).
	council Council
	notices Notices
}

// NewService wires the procedure.
func NewService(store Store, f files.Store, c *certs.Service, d Deadlines, clk clock.Clock) *Service {
	return &Service{store: store, files: f, certs: c, deadlines: d, clk: clk}
}

func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Millisecond) }

// Limits on what a dossier says.
const (
	MaxText    = 300
	MaxResults = 30
	MaxProof   = 10 << 20
	MaxNote    = 2000
)

// Title is what a granted certificate certifies.
const Title = "Doanh nghiệp khoa học và công nghệ"

// officer tells whether u acts for the department.
func officer(u accounts.User) bool { return u.Has(accounts.RoleOfficer, accounts.RoleAdmin) }

// Start opens a draft dossier of kind for its owner; an amendment or a
// re-issue names the certificate it is for, which must be a valid
// enterprise certificate.
func (s *Service) Start(ctx context.Context, owner accounts.User, kind Kind, of string) (Dossier, error) {
	if !kind.Valid() {
		return Dossier{}, errs.Field("kind", "error.st_kind")
	}
	d := Dossier{ID: ids.New(), OwnerID: owner.ID, Kind: kind, Stage: Draft, Version: 1, Results: []Result{},
		CreatedAt: s.now(), UpdatedAt: s.now()}
	if kind != New {
		c, err := s.certs.ByCode(ctx, strings.TrimSpace(of))
		if err != nil || c.Kind != certs.STEnterprise || c.Status != certs.Valid {
			return Dossier{}, errs.Field("of", "error.st_of")
		}
		d.Of = c.Code
		d.Enterprise.Name = c.Holder
		if d.Root, err = s.rootOf(ctx, c); err != nil {
			return Dossier{}, err
		}
		if root, err := s.store.Dossier(ctx, d.Root); err == nil {
			d.Enterprise = root.Enterprise
			d.Enterprise.Name = c.Holder
		}
	}
	d.History = []Step{{At: d.CreatedAt, Stage: Draft, By: owner.ID}}
	return d, s.store.CreateDossier(ctx, d)
}

// rootOf finds the dossier that first certified the enterprise of c,
// following corrections back to the certificate it granted; none, for a
// certificate not granted by the procedure, is "".
func (s *Service) rootOf(ctx context.Context, c certs.Certificate) (string, error) {
	for range 100 {
		if id, ok := strings.CutPrefix(c.Source, "st:"); ok {
			return id, nil
		}
		if c.Replaces == "" {
			return "", nil
		}
		var err error
		if c, err = s.certs.ByCode(ctx, c.Replaces); err != nil {
			return "", err
		}
	}
	return "", nil
}

// Dossier finds a dossier for its owner or an officer; anyone else is
// told it does not exist.
func (s *Service) Dossier(ctx context.Context, viewer accounts.User, id string) (Dossier, error) {
	d, err := s.store.Dossier(ctx, id)
	if err != nil {
		return Dossier{}, err
	}
	if d.OwnerID != viewer.ID && !officer(viewer) {
		return Dossier{}, errs.ErrNotFound
	}
	return d, nil
}

// Mine lists an owner's dossiers.
func (s *Service) Mine(ctx context.Context, owner accounts.User) ([]Dossier, error) {
	list, _, err := s.store.Dossiers(ctx, Query{OwnerID: owner.ID, Limit: 100})
	return list, err
}

// List lists dossiers for officers.
func (s *Service) List(ctx context.Context, q Query) ([]Dossier, int, error) {
	return s.store.Dossiers(ctx, q)
}

// Input is what the enterprise types into its dossier.
type Input struct {
	Enterprise Enterprise
	Finance    Finance
	Results    []Result
}

// editable reports whether the owner may change the dossier: a draft, or
// one sent back for additions.
func editable(d Dossier) bool { return d.Stage == Draft || d.Stage == Incomplete }

// Save keeps what the owner typed, as autosave does: only lengths and
// forms are checked, every mistake at once; what is missing is told at
// submission. version is the one the owner's form was loaded with.
func (s *Service) Save(ctx context.Context, owner accounts.User, id string, version int, in Input) (Dossier, error) {
	d, err := s.owned(ctx, owner, id, version)
	if err != nil {
		return Dossier{}, err
	}
	proofs := map[string]Result{}
	for _, r := range d.Results {
		if r.ProofID != "" {
			proofs[r.ProofID] = r
		}
	}
	in, err = in.clean(proofs)
	if err != nil {
		return Dossier{}, err
	}
	if d.Kind != New && in.Enterprise.TaxCode == "" {
		in.Enterprise.TaxCode = d.Enterprise.TaxCode
	}
	d.Enterprise, d.Finance, d.Results = in.Enterprise, in.Finance, in.Results
	return s.save(ctx, d, nil)
}

// owned finds an owner's editable dossier at the version given.
func (s *Service) owned(ctx context.Context, owner accounts.User, id string, version int) (Dossier, error) {
	d, err := s.store.Dossier(ctx, id)
	if err != nil {
		return Dossier{}, err
	}
	if d.OwnerID != owner.ID {
		return Dossier{}, errs.ErrNotFound
	}
	if !editable(d) {
		return Dossier{}, errs.New(errs.Conflict, "error.st_not_editable")
	}
	if version != 0 && version != d.Version {
		return Dossier{}, errs.New(errs.Conflict, "error.st_changed")
	}
	return d, nil
}

// save stores d as its next version, with step added to its history.
func (s *Service) save(ctx context.Context, d Dossier, step *Step) (Dossier, error) {
	d.Version++
	d.UpdatedAt = s.now()
	if step != nil {
		step.At = d.UpdatedAt
		d.Stage = step.Stage
		d.History = append(d.History, *step)
	}
	if err := s.store.SaveDossier(ctx, d); err != nil {
		if errs.KindOf(err) == errs.Conflict {
			return Dossier{}, errs.New(errs.Conflict, "error.st_changed")
		}
		return Dossier{}, err
	}
	if step != nil {
		return d, s.announce(ctx, d, step.Stage)
	}
	return d, nil
}

func text(field, v string, max int, problems *[]error) string {
	v = strings.Join(strings.Fields(v), " ")
	if utf8.RuneCountInString(v) > max {
		*problems = append(*problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.text_long", Field: field, Data: map[string]any{"Max": max}})
	}
	return v
}

// clean checks lengths and forms, every mistake at once, and keeps only
// proofs the dossier holds.
func (in Input) clean(proofs map[string]Result) (Input, error) {
	var problems []error
	e := &in.Enterprise
	e.Name = text("name", e.Name, MaxText, &problems)
	e.NameEN = text("name_en", e.NameEN, MaxText, &problems)
	e.Address = text("address", e.Address, MaxText, &problems)
	e.Representative = text("representative", e.Representative, MaxText, &problems)
	e.TaxCode = strings.ReplaceAll(strings.TrimSpace(e.TaxCode), " ", "")
	if e.TaxCode != "" && !validTaxCode(e.TaxCode) {
		problems = append(problems, errs.Field("tax_code", "error.st_tax_code"))
	}
	if e.Size != "" && !slices.Contains(Sizes, e.Size) {
		problems = append(problems, errs.Field("size", "error.st_size"))
	}
	if e.Sector != "" && !slices.Contains(Sectors, e.Sector) {
		problems = append(problems, errs.Field("sector", "error.st_sector"))
	}
	f := in.Finance
	if f.Revenue < 0 || f.ResultRevenue < 0 || f.RDSpending < 0 || f.RDStaff < 0 || f.Staff < 0 {
		problems = append(problems, errs.Field("finance", "error.st_negative"))
	}
	if f.Revenue > 0 && f.ResultRevenue > f.Revenue {
		problems = append(problems, errs.Field("result_revenue", "error.st_share_over"))
	}
	if f.RDStaff > 0 && f.Staff > 0 && f.RDStaff > f.Staff {
		problems = append(problems, errs.Field("rd_staff", "error.st_rd_staff"))
	}
	if len(in.Results) > MaxResults {
		problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.st_results_many", Field: "results", Data: map[string]any{"Max": MaxResults}})
	}
	kept := make([]Result, 0, len(in.Results))
	for i, r := range in.Results {
		r.Title = text("results", r.Title, MaxText, &problems)
		r.Number = text("results", r.Number, 100, &problems)
		if r.Kind == "" && r.Title == "" && r.Number == "" && r.ProofID == "" {
			continue
		}
		if !slices.Contains(ResultKinds, r.Kind) {
			problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.st_result_kind", Field: "results", Item: i + 1, Part: "kind"})
		}
		if p, ok := proofs[r.ProofID]; ok {
			r.ProofName = p.ProofName
		} else {
			r.ProofID, r.ProofName = "", ""
		}
		kept = append(kept, r)
	}
	in.Results = kept
	return in, errors.Join(problems...)
}

// validTaxCode accepts a Vietnamese tax code: ten digits, or ten and a
// three-digit branch suffix.
func validTaxCode(s string) bool {
	digits := func(s string) bool {
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	main, branch, hasBranch := strings.Cut(s, "-")
	return len(main) == 10 && digits(main) && (!hasBranch || (len(branch) == 3 && digits(branch)))
}

// complete names every field missing before a dossier can be sent.
func (d Dossier) complete(at time.Time) error {
	var problems []error
	req := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			problems = append(problems, errs.Field(field, "error.required"))
		}
	}
	e := d.Enterprise
	req("name", e.Name)
	req("tax_code", e.TaxCode)
	if d.Kind != Reissue {
		req("address", e.Address)
		req("representative", e.Representative)
		if e.Founded.IsZero() {
			problems = append(problems, errs.Field("founded", "error.required"))
		} else if e.Founded.After(at) {
			problems = append(problems, errs.Field("founded", "error.st_founded_future"))
		}
		req("size", string(e.Size))
		req("sector", e.Sector)
	}
	if d.Kind == New {
		if len(d.Results) == 0 {
			problems = append(problems, errs.Field("results", "error.st_results_none"))
		}
		for i, r := range d.Results {
			if r.Title == "" {
				problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.required", Field: "results", Item: i + 1, Part: "title"})
			}
			if r.ProofID == "" {
				problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.st_proof_missing", Field: "results", Item: i + 1, Part: "proof"})
			}
		}
		if d.Finance.Year == 0 {
			problems = append(problems, errs.Field("year", "error.required"))
		}
		if RevenueTestApplies(e.Founded, at) && d.Finance.Revenue <= 0 {
			problems = append(problems, errs.Field("revenue", "error.st_revenue_needed"))
		}
	}
	return errors.Join(problems...)
}

// AttachProof stores a PDF proving the i-th result, replacing the one it
// had.
func (s *Service) AttachProof(ctx context.Context, owner accounts.User, id string, i int, name string, data []byte) (Dossier, error) {
	d, err := s.owned(ctx, owner, id, 0)
	if err != nil {
		return Dossier{}, err
	}
	if i < 0 || i >= len(d.Results) {
		return Dossier{}, errs.Field("results", "error.st_result_unknown")
	}
	ct, err := files.CheckPDF(data, MaxProof)
	if err != nil {
		return Dossier{}, err
	}
	f := files.File{ID: d.ID + "." + ids.New(), Name: files.CleanName(name), ContentType: ct, Size: int64(len(data)), Data: data, CreatedAt: s.now()}
	if err := s.files.PutFile(ctx, f); err != nil {
		return Dossier{}, err
	}
	old := d.Results[i].ProofID
	d.Results[i].ProofID, d.Results[i].ProofName = f.ID, f.Name
	saved, err := s.save(ctx, d, nil)
	if err != nil {
		_ = s.files.DeleteFile(ctx, f.ID)
		return Dossier{}, err
	}
	if old != "" {
		_ = s.files.DeleteFile(ctx, old)
	}
	return saved, nil
}

// Proof is a result's proof, for its owner and officers.
func (s *Service) Proof(ctx context.Context, viewer accounts.User, id, fileID string) (files.File, error) {
	d, err := s.Dossier(ctx, viewer, id)
	if err != nil {
		return files.File{}, err
	}
	if !slices.ContainsFunc(d.Results, func(r Result) bool { return r.ProofID == fileID && fileID != "" }) {
		return files.File{}, errs.ErrNotFound
	}
	return s.files.File(ctx, fileID)
}

// Submit sends a draft, or a dossier completed with the additions asked
// for, to the department: it is received now, and every field still
// missing is named at once instead.
func (s *Service) Submit(ctx context.Context, owner accounts.User, id string, version int) (Dossier, error) {
	d, err := s.owned(ctx, owner, id, version)
	if err != nil {
		return Dossier{}, err
	}
	if err := d.complete(s.clk.Now()); err != nil {
		return Dossier{}, err
	}
	if d.Kind == New {
		if err := s.unique(ctx, d); err != nil {
			return Dossier{}, err
		}
	}
	// The statutory clock starts again from each receipt: the days spent
	// waiting for additions do not count against the department.
	d.ReceivedAt, d.CompleteAt, d.DueAt, d.Warned = s.now(), time.Time{}, time.Time{}, time.Time{}
	return s.save(ctx, d, &Step{Stage: Submitted, By: owner.ID})
}

// unique refuses a new dossier for a tax code another open or granted
// dossier holds: the enterprise asks for an amendment instead.
func (s *Service) unique(ctx context.Context, d Dossier) error {
	list, _, err := s.store.Dossiers(ctx, Query{Text: d.Enterprise.TaxCode, Stages: []Stage{Submitted, Incomplete, Appraisal, Granted}, Limit: 20})
	if err != nil {
		return err
	}
	for _, o := range list {
		if o.ID != d.ID && o.Kind == New && o.Enterprise.TaxCode == d.Enterprise.TaxCode {
			return errs.Field("tax_code", "error.st_tax_code_taken")
		}
	}
	return nil
}

// officerStep moves a dossier an officer acts on from one of the stages
// from, refusing others.
func (s *Service) officerDossier(ctx context.Context, by accounts.User, id string, from ...Stage) (Dossier, error) {
	if !officer(by) {
		return Dossier{}, errs.ErrForbidden
	}
	d, err := s.store.Dossier(ctx, id)
	if err != nil {
		return Dossier{}, err
	}
	if !slices.Contains(from, d.Stage) {
		return Dossier{}, errs.New(errs.Conflict, "error.st_stage")
	}
	return d, nil
}

// AskAdditions sends a received dossier back for additions, saying what is
// missing; the clock stops until it is sent again.
func (s *Service) AskAdditions(ctx context.Context, by accounts.User, id, note string) (Dossier, error) {
	var problems []error
	note = strings.TrimSpace(note)
	if note == "" {
		problems = append(problems, errs.Field("note", "error.required"))
	} else if utf8.RuneCountInString(note) > MaxNote {
		problems = append(problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.text_long", Field: "note", Data: map[string]any{"Max": MaxNote}})
	}
	if err := errors.Join(problems...); err != nil {
		return Dossier{}, err
	}
	d, err := s.officerDossier(ctx, by, id, Submitted)
	if err != nil {
		return Dossier{}, err
	}
	d.Note = note
	return s.save(ctx, d, &Step{Stage: Incomplete, By: by.ID, Note: note})
}

// MarkComplete finds a received dossier complete: the working days to the
// decision count from today.
func (s *Service) MarkComplete(ctx context.Context, by accounts.User, id string) (Dossier, error) {
	d, err := s.officerDossier(ctx, by, id, Submitted)
	if err != nil {
		return Dossier{}, err
	}
	d.CompleteAt = s.now()
	if d.DueAt, err = s.deadlines.Due(ctx, d.CompleteAt, d.Kind.Days()); err != nil {
		return Dossier{}, err
	}
	d.Note = ""
	if s.council != nil {
		if d.ApplicationID, err = s.appraise(ctx, d); err != nil {
			return Dossier{}, err
		}
	}
	return s.save(ctx, d, &Step{Stage: Appraisal, By: by.ID})
}

// Remaining is how many working days are left to decide the dossier;
// false when its clock is not running.
func (s *Service) Remaining(ctx context.Context, d Dossier) (int, bool, error) {
	if d.Stage != Appraisal || d.DueAt.IsZero() {
		return 0, false, nil
	}
	n, err := s.deadlines.Remaining(ctx, d.DueAt)
	return n, err == nil, err
}

// Grant certifies the enterprise of a dossier under appraisal: a new
// certificate, or for an amendment or re-issue one that replaces the
// certificate it names.
func (s *Service) Grant(ctx context.Context, by accounts.User, id string) (Dossier, certs.Certificate, error) {
	d, err := s.officerDossier(ctx, by, id, Appraisal)
	if err != nil {
		return Dossier{}, certs.Certificate{}, err
	}
	var c certs.Certificate
	if d.Kind == New {
		c, _, err = s.certs.Issue(ctx, certs.Input{Kind: certs.STEnterprise, Holder: d.Enterprise.Name, Title: Title,
			Source: "st:" + d.ID, Details: s.details(d)})
	} else {
		// The certificate asked about may have been corrected since.
		if c, err = s.certs.Current(ctx, d.Of); err == nil {
			c, err = s.certs.Reissue(ctx, c.Code, d.Enterprise.Name, Title)
		}
	}
	if err != nil {
		return Dossier{}, certs.Certificate{}, err
	}
	d.CertCode, d.DecidedAt, d.Reasons = c.Code, s.now(), ""
	if d, err = s.save(ctx, d, &Step{Stage: Granted, By: by.ID}); err != nil {
		return Dossier{}, certs.Certificate{}, err
	}
	if d.Kind == Amendment && d.Root != "" {
		// The registry's record of the enterprise says what the amendment
		// changed.
		root, err := s.store.Dossier(ctx, d.Root)
		if err != nil {
			return Dossier{}, certs.Certificate{}, err
		}
		root.Enterprise = d.Enterprise
		if _, err := s.save(ctx, root, nil); err != nil {
			return Dossier{}, certs.Certificate{}, err
		}
	}
	return d, c, nil
}

// details are what an enterprise's certificate shows beside its name: its
// tax code, and who signs for the department.
func (s *Service) details(d Dossier) map[string]string {
	out := map[string]string{certs.DetailTaxCode: d.Enterprise.TaxCode}
	if s.signer != "" {
		out[certs.DetailSigner], out[certs.DetailSignerTitle] = s.signer, s.signerTitle
	}
	return out
}

// SetSigner names who signs enterprises' certificates for the department,
// and their title.
func (s *Service) SetSigner(name, title string) { s.signer, s.signerTitle = name, title }

// Refuse refuses a dossier under appraisal, with reasons.
func (s *Service) Refuse(ctx context.Context, by accounts.User, id, reasons string) (Dossier, error) {
	reasons, err := required("reasons", reasons)
	if err != nil {
		return Dossier{}, err
	}
	d, err := s.officerDossier(ctx, by, id, Appraisal)
	if err != nil {
		return Dossier{}, err
	}
	d.Reasons, d.DecidedAt = reasons, s.now()
	return s.save(ctx, d, &Step{Stage: Refused, By: by.ID, Note: reasons})
}

// Revoke revokes a granted enterprise's certificate, with reasons the
// registry and the verify page show.
func (s *Service) Revoke(ctx context.Context, by accounts.User, id, reasons string) (Dossier, error) {
	reasons, err := required("reasons", reasons)
	if err != nil {
		return Dossier{}, err
	}
	d, err := s.officerDossier(ctx, by, id, Granted)
	if err != nil {
		return Dossier{}, err
	}
	c, err := s.certs.Current(ctx, d.CertCode)
	if err != nil {
		return Dossier{}, err
	}
	if _, err := s.certs.Revoke(ctx, c.Code, reasons); err != nil && errs.KindOf(err) != errs.Conflict {
		return Dossier{}, err
	}
	d.Reasons = reasons
	return s.save(ctx, d, &Step{Stage: Revoked, By: by.ID, Note: reasons})
}

func required(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", errs.Field(field, "error.required")
	case utf8.RuneCountInString(v) > MaxNote:
		return "", &errs.Error{Kind: errs.Invalid, MsgID: "error.text_long", Field: field, Data: map[string]any{"Max": MaxNote}}
	}
	return v, nil
}

// FileReport keeps a granted enterprise's yearly figures, replacing an
// earlier report of the same year.
func (s *Service) FileReport(ctx context.Context, owner accounts.User, id string, f Finance) (Dossier, error) {
	d, err := s.store.Dossier(ctx, id)
	if err != nil {
		return Dossier{}, err
	}
	if d.OwnerID != owner.ID {
		return Dossier{}, errs.ErrNotFound
	}
	if d.Stage != Granted {
		return Dossier{}, errs.New(errs.Conflict, "error.st_stage")
	}
	var problems []error
	year := s.clk.Now().In(vn.Zone).Year()
	if f.Year < 2000 || f.Year >= year {
		problems = append(problems, errs.Field("year", "error.st_report_year"))
	}
	if _, err := (Input{Finance: f}).clean(nil); err != nil {
		problems = append(problems, err)
	}
	if f.Revenue <= 0 {
		problems = append(problems, errs.Field("revenue", "error.st_revenue_needed"))
	}
	if err := errors.Join(problems...); err != nil {
		return Dossier{}, err
	}
	r := YearReport{Finance: f, FiledAt: s.now()}
	d.Reports = slices.DeleteFunc(d.Reports, func(o YearReport) bool { return o.Year == f.Year })
	d.Reports = append(d.Reports, r)
	slices.SortFunc(d.Reports, func(a, b YearReport) int { return a.Year - b.Year })
	return s.save(ctx, d, nil)
}
