package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/incubator"
)

// officerRoles act for the department in its procedures.
var officerRoles = []accounts.Role{accounts.RoleOfficer, accounts.RoleAdmin}

func (s *Server) officerRoutes(app *fiber.App) {
	o := app.Group("/officer/dossiers", s.pageRequire(officerRoles...))
	o.Get("", s.officerDossiers)
	o.Get("/:id", s.officerDossier)
	o.Post("/:id/additions", s.officerAct(actAdditions))
	o.Post("/:id/complete", s.officerAct(actComplete))
	o.Post("/:id/grant", s.officerAct(actGrant))
	o.Post("/:id/refuse", s.officerAct(actRefuse))
	o.Post("/:id/revoke", s.officerAct(actRevoke))
}

// receivedStages are the stages an officer lists: every one past the
// draft, which the department has not received.
var receivedStages = slices.DeleteFunc(slices.Clone(certification.Stages), func(st certification.Stage) bool {
	return st == certification.Draft
})

// officerPage is how many dossiers a page of the officers' list holds.
const officerPage = 50

// officerQuery reads the list's filters and its page, from 1; an unknown
// stage or sector filters nothing.
func officerQuery(stage, text, sector string, page int) certification.Query {
	q := certification.Query{Stages: receivedStages, Text: strings.TrimSpace(text), Offset: (page - 1) * officerPage, Limit: officerPage}
	if st := certification.Stage(stage); slices.Contains(receivedStages, st) {
		q.Stages = []certification.Stage{st}
	}
	if slices.Contains(certification.Sectors, sector) {
		q.Sector = sector
	}
	return q
}

// dossierClock is where a dossier's statutory clock stands.
type dossierClock struct {
	Left    int
	Running bool
	Flag    string
}

func (s *Server) dossierClock(ctx context.Context, d certification.Dossier) (dossierClock, error) {
	left, running, err := s.Certification.Remaining(ctx, d)
	return dossierClock{Left: left, Running: running, Flag: certification.DeadlineFlag(left, running)}, err
}

// officerRow is a line of the officers' list.
type officerRow struct {
	certification.Dossier
	Clock dossierClock
}

// stageCount is how many received dossiers stand at a stage.
type stageCount struct {
	Stage certification.Stage
	N     int
}

// officerList is the list's dossiers, their total and the count at each
// stage.
func (s *Server) officerList(ctx context.Context, q certification.Query) ([]officerRow, int, []stageCount, error) {
	list, total, err := s.Certification.List(ctx, q)
	if err != nil {
		return nil, 0, nil, err
	}
	rows := make([]officerRow, 0, len(list))
	for _, d := range list {
		cl, err := s.dossierClock(ctx, d)
		if err != nil {
			return nil, 0, nil, err
		}
		rows = append(rows, officerRow{Dossier: d, Clock: cl})
	}
	counts := make([]stageCount, 0, len(receivedStages))
	for _, st := range receivedStages {
		_, n, err := s.Certification.List(ctx, certification.Query{Stages: []certification.Stage{st}, Limit: 1})
		if err != nil {
			return nil, 0, nil, err
		}
		counts = append(counts, stageCount{Stage: st, N: n})
	}
	return rows, total, counts, nil
}

func (s *Server) officerDossiers(c *fiber.Ctx) error {
	stage, text, sector := c.Query("stage"), c.Query("q"), c.Query("sector")
	rows, total, counts, err := s.officerList(c.UserContext(), officerQuery(stage, text, sector, pageNumber(c)))
	if err != nil {
		return err
	}
	return s.render(c, "officer/dossiers", "st.officer.title", fiber.Map{
		"Rows": rows, "Total": total, "Counts": counts, "Stage": stage, "Q": text, "Sector": sector,
		"Pager":  s.newPager(c, total, officerPage, url.Values{"stage": {stage}, "q": {text}, "sector": {sector}}),
		"Stages": receivedStages, "Sectors": certification.Sectors,
		"Filtered": stage != "" || strings.TrimSpace(text) != "" || sector != "",
	})
}

// shareText writes a share in per mille as a percentage with one decimal,
// as the language writes decimals.
func shareText(l i18n.Lang, perMille int) string {
	sep := "."
	if l.Code == "vi" {
		sep = ","
	}
	return fmt.Sprintf("%d%s%d %%", perMille/10, sep, perMille%10)
}

// revenueTest is what the detail page says of the 30 % test.
type revenueTest struct {
	Share  string
	Exempt bool
	Meets  bool
	// Missing is a dossier with no revenue to divide.
	Missing bool
}

// judgeRevenue applies the revenue test to a dossier as received: an
// enterprise in its first five years is exempt.
func judgeRevenue(l i18n.Lang, d certification.Dossier, at time.Time) revenueTest {
	t := revenueTest{Exempt: !certification.RevenueTestApplies(d.Enterprise.Founded, at)}
	share := d.Finance.Share()
	if share < 0 {
		t.Missing = true
		return t
	}
	t.Share, t.Meets = shareText(l, share), share >= certification.MinShare
	return t
}

// councilReview is one council member's review as the officer reads it.
type councilReview struct {
	Name     string
	Conflict bool
	Scores   []int
	Weighted string
	Comment  string
}

// councilView is the council's appraisal of a dossier.
type councilView struct {
	Program  incubator.Program
	AppID    string
	Criteria []incubator.Criterion
	Mean     string
	Counted  int
	Conflict int
	Reviews  []councilReview
}

func (s *Server) council(ctx context.Context, l i18n.Lang, d certification.Dossier) (*councilView, error) {
	sc, ok, err := s.Certification.Scores(ctx, d)
	if err != nil || !ok {
		return nil, err
	}
	v := &councilView{Program: sc.Program, AppID: d.ApplicationID, Criteria: sc.Program.Criteria,
		Counted: sc.Scored.Reviews, Conflict: sc.Scored.Conflicts}
	if sc.Scored.Mean != nil {
		v.Mean = l.Dec(*sc.Scored.Mean)
	}
	for _, r := range sc.Reviews {
		cr := councilReview{Name: r.ReviewerID, Conflict: r.Conflict, Comment: r.Comment}
		if u, err := s.Accounts.User(ctx, r.ReviewerID); err == nil {
			cr.Name = u.Name
		}
		if !r.Conflict {
			for _, cr2 := range sc.Program.Criteria {
				cr.Scores = append(cr.Scores, r.Scores[cr2.ID])
			}
			cr.Weighted = l.Dec(incubator.Weighted(sc.Program.Criteria, r.Scores))
		}
		v.Reviews = append(v.Reviews, cr)
	}
	return v, nil
}

// historyStep is a step of the dossier's history with who took it.
type historyStep struct {
	certification.Step
	Who string
}

func (s *Server) officerDossier(c *fiber.Ctx) error {
	return s.renderOfficerDossier(c, "", form{})
}

// renderOfficerDossier shows a dossier with its actions; action names the
// form f comes back to with its mistakes.
func (s *Server) renderOfficerDossier(c *fiber.Ctx, action string, f form) error {
	ctx, l := c.UserContext(), s.lang(c)
	d, err := s.Certification.Dossier(ctx, *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	// A draft is the enterprise's own until it sends it.
	if d.Stage == certification.Draft {
		return errs.ErrNotFound
	}
	cl, err := s.dossierClock(ctx, d)
	if err != nil {
		return err
	}
	cv, err := s.council(ctx, l, d)
	if err != nil {
		return err
	}
	names := map[string]string{}
	history := make([]historyStep, 0, len(d.History))
	for _, st := range d.History {
		if _, ok := names[st.By]; !ok && st.By != "" {
			if u, err := s.Accounts.User(ctx, st.By); err == nil {
				names[st.By] = u.Name
			}
		}
		history = append(history, historyStep{Step: st, Who: names[st.By]})
	}
	at := d.ReceivedAt
	if at.IsZero() {
		at = s.Clock.Now()
	}
	return s.render(c, "officer/dossier", "st.officer.dossier_title", fiber.Map{
		"D": d, "Clock": cl, "Revenue": judgeRevenue(l, d, at), "Council": cv, "History": history,
		"Action": action, "Form": f,
	})
}

// The officer's actions on a dossier, by the last part of their path.
const (
	actAdditions = "additions"
	actComplete  = "complete"
	actGrant     = "grant"
	actRefuse    = "refuse"
	actRevoke    = "revoke"
)

// officerAction runs one of the officer's actions; text is the note or the
// reasons it takes.
func (s *Server) officerAction(ctx context.Context, by accounts.User, id, action, text string) (certification.Dossier, error) {
	cs := s.Certification
	switch action {
	case actAdditions:
		return cs.AskAdditions(ctx, by, id, text)
	case actComplete:
		return cs.MarkComplete(ctx, by, id)
	case actGrant:
		d, _, err := cs.Grant(ctx, by, id)
		return d, err
	case actRefuse:
		return cs.Refuse(ctx, by, id, text)
	default:
		return cs.Revoke(ctx, by, id, text)
	}
}

// officerAct handles an action's form: done, back to the dossier with a
// flash; refused, the dossier again with every mistake beside its field.
func (s *Server) officerAct(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		values := formValues(c, "note", "reasons")
		id := c.Params("id")
		text := values["reasons"]
		if action == actAdditions {
			text = values["note"]
		}
		_, err := s.officerAction(c.UserContext(), *currentUser(c), id, action, text)
		if err != nil {
			f, err := s.failedForm(c, err, values)
			if err != nil {
				return err
			}
			return s.renderOfficerDossier(c, action, f)
		}
		return s.redirectFlash(c, "/officer/dossiers/"+id, "ok", "st.officer.done."+action)
	}
}
