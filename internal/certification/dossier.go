// Package certification runs the department's procedure for certifying
// science-and-technology enterprises (Decree 13/2019/NĐ-CP, as replaced by
// Decree 268/2025/NĐ-CP): an enterprise files a dossier, an officer checks
// it is complete or asks for additions, a council appraises it, and the
// department grants a certificate or refuses with reasons, within a
// statutory number of working days. Granted enterprises report yearly and
// may have their certificate revoked.
package certification

import (
	"time"
)

// Kind is what a dossier asks for.
type Kind string

const (
	// New asks for a first certificate.
	New Kind = "new"
	// Amendment asks to change what a certificate says (name, address).
	Amendment Kind = "amendment"
	// Reissue asks for a certificate lost or damaged again.
	Reissue Kind = "reissue"
)

// Kinds lists the kinds of request in the order forms show them.
var Kinds = []Kind{New, Amendment, Reissue}

// Days is how many working days the department has to decide, from the
// day the dossier is complete: 15 for a new certificate, 10 otherwise.
func (k Kind) Days() int {
	if k == New {
		return 15
	}
	return 10
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == New || k == Amendment || k == Reissue }

// Stage is where a dossier stands.
type Stage string

const (
	Draft Stage = "draft"
	// Submitted dossiers wait for an officer's completeness check.
	Submitted Stage = "submitted"
	// Incomplete dossiers wait for the enterprise's additions.
	Incomplete Stage = "incomplete"
	// Appraisal dossiers are complete; the council scores them and the
	// statutory clock runs.
	Appraisal Stage = "appraisal"
	Granted   Stage = "granted"
	Refused   Stage = "refused"
	// Revoked dossiers were granted; their certificate no longer holds.
	Revoked Stage = "revoked"
)

// Stages lists the stages in the order of the procedure.
var Stages = []Stage{Draft, Submitted, Incomplete, Appraisal, Granted, Refused, Revoked}

// Open reports whether the department still has to act on the dossier.
func (s Stage) Open() bool { return s == Submitted || s == Appraisal }

// ResultKind is a kind of science-and-technology result an enterprise
// builds its products on.
type ResultKind string

const (
	Patent             ResultKind = "patent"
	UtilitySolution    ResultKind = "utility_solution"
	Software           ResultKind = "software"
	PlantVariety       ResultKind = "plant_variety"
	ResearchResult     ResultKind = "research_result"
	TechnologyTransfer ResultKind = "technology_transfer"
)

// ResultKinds lists them in the order forms show them.
var ResultKinds = []ResultKind{Patent, UtilitySolution, Software, PlantVariety, ResearchResult, TechnologyTransfer}

// Result is one science-and-technology result, with its proof.
type Result struct {
	Kind ResultKind `json:"kind"`
	// Title names it, and Number is its registration or decision number.
	Title  string `json:"title"`
	Number string `json:"number,omitempty"`
	// ProofID is the stored PDF that proves it, ProofName its file name.
	ProofID   string `json:"proof_id,omitempty"`
	ProofName string `json:"proof_name,omitempty"`
}

// Size is an enterprise's size class under the law on small and medium
// enterprises.
type Size string

const (
	Micro  Size = "micro"
	Small  Size = "small"
	Medium Size = "medium"
	Large  Size = "large"
)

// Sizes lists the classes in order.
var Sizes = []Size{Micro, Small, Medium, Large}

// Sectors are the fields the registry is filtered by.
var Sectors = []string{"software", "agritech", "health", "manufacturing", "environment", "energy", "materials", "education", "other"}

// Enterprise is who files the dossier.
type Enterprise struct {
	Name           string `json:"name"`
	NameEN         string `json:"name_en,omitempty"`
	TaxCode        string `json:"tax_code"`
	Address        string `json:"address"`
	Representative string `json:"representative"`
	// Founded is the day its enterprise registration was first issued.
	Founded time.Time `json:"founded,omitzero"`
	Size    Size      `json:"size,omitempty"`
	Sector  string    `json:"sector,omitempty"`
}

// Finance are the last year's figures the revenue test reads, and the
// enterprise's research and development.
type Finance struct {
	Year int `json:"year"`
	// Revenue is the year's total revenue and ResultRevenue what products
	// built on the results brought in, in đồng.
	Revenue       int64 `json:"revenue"`
	ResultRevenue int64 `json:"result_revenue"`
	RDSpending    int64 `json:"rd_spending"`
	RDStaff       int   `json:"rd_staff"`
	Staff         int   `json:"staff"`
}

// MinShare is the share of revenue, in per mille, that products built on
// science-and-technology results must bring in (30 %).
const MinShare = 300

// YoungYears is how long after its founding an enterprise is exempt from
// the revenue test.
const YoungYears = 5

// Share is the revenue from results per thousand of the total, rounded
// down; -1 when there is no revenue to divide.
func (f Finance) Share() int {
	if f.Revenue <= 0 {
		return -1
	}
	return int(f.ResultRevenue * 1000 / f.Revenue)
}

// RevenueTestApplies reports whether an enterprise founded on founded is
// held to the revenue test at at: not in its first five years.
func RevenueTestApplies(founded, at time.Time) bool {
	return !founded.IsZero() && !at.Before(founded.AddDate(YoungYears, 0, 0))
}

// Step is one change of a dossier's stage, kept as its history.
type Step struct {
	At    time.Time `json:"at"`
	Stage Stage     `json:"stage"`
	By    string    `json:"by,omitempty"`
	Note  string    `json:"note,omitempty"`
}

// YearReport is a granted enterprise's yearly report of the figures that
// keep it certified.
type YearReport struct {
	Finance
	FiledAt time.Time `json:"filed_at"`
}

// Dossier is an enterprise's request and everything the procedure added to
// it.
type Dossier struct {
	ID      string `json:"id"`
	OwnerID string `json:"owner_id"`
	Kind    Kind   `json:"kind"`
	// Of is the code of the certificate an amendment or re-issue is for,
	// and Root the dossier that first certified the enterprise, whose
	// record an amendment granted updates.
	Of         string     `json:"of,omitempty"`
	Root       string     `json:"root,omitempty"`
	Enterprise Enterprise `json:"enterprise"`
	Finance    Finance    `json:"finance"`
	Results    []Result   `json:"results"`
	Stage      Stage      `json:"stage"`
	// Version grows with every change, so an older copy cannot overwrite
	// a newer one.
	Version int `json:"version"`
	// Note is the officer's last request for additions.
	Note string `json:"note,omitempty"`
	// ReceivedAt is when the department last received it; CompleteAt when
	// an officer found it complete, from when DueAt counts the working
	// days to the decision.
	ReceivedAt time.Time `json:"received_at,omitzero"`
	CompleteAt time.Time `json:"complete_at,omitzero"`
	DueAt      time.Time `json:"due_at,omitzero"`
	DecidedAt  time.Time `json:"decided_at,omitzero"`
	// Reasons say why it was refused, or its certificate revoked.
	Reasons string `json:"reasons,omitempty"`
	// CertCode is the certificate granted.
	CertCode string `json:"cert_code,omitempty"`
	// ApplicationID is the council's appraisal of it, an application of the
	// appraisal programme scored with the incubator's reviews.
	ApplicationID string `json:"application_id,omitempty"`
	// Warned is when officers were told its decision falls due soon.
	Warned    time.Time    `json:"warned,omitzero"`
	Reports   []YearReport `json:"reports,omitempty"`
	History   []Step       `json:"history"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`

	// ReportReminded is the last year whose first quarter reminded the
	// enterprise of its yearly report.
	ReportReminded int `json:"report_reminded,omitempty"`
}

// GrantedYear is the year its certificate was granted, in Vietnam; 0
// when none was.
func (d Dossier) GrantedYear(zone *time.Location) int {
	if d.CertCode == "" || d.DecidedAt.IsZero() {
		return 0
	}
	return d.DecidedAt.In(zone).Year()
}
