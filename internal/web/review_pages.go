package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/incubator"
)

// reviewRoutes holds the reviewers' pages.
func (s *Server) reviewRoutes(app *fiber.App) {
	r := app.Group("/reviews", s.pageRequire(accounts.RoleReviewer))
	r.Get("", s.reviewQueue)
	r.Get("/:id", s.reviewSheet)
	r.Post("/:id", s.reviewSubmit)
}

func (s *Server) reviewQueue(c *fiber.Ctx) error {
	list, done, err := s.Incubator.Queue(c.UserContext(), *currentUser(c))
	if err != nil {
		return err
	}
	return s.render(c, "reviews/queue", "reviews.title", fiber.Map{"Queue": list, "Done": done, "Total": len(list)})
}

// sheetAnswer is one question of a form with its answer as text.
type sheetAnswer struct {
	Question incubator.Question
	Text     string
}

func sheetAnswers(p incubator.Program, a incubator.Application) []sheetAnswer {
	rows := make([]sheetAnswer, 0, len(p.Questions))
	for _, q := range p.Questions {
		row := sheetAnswer{Question: q}
		var v any
		if raw, ok := a.Answers[q.ID]; ok && json.Unmarshal(raw, &v) == nil {
			switch x := v.(type) {
			case string:
				row.Text = x
			case float64:
				row.Text = strconv.FormatFloat(x, 'f', -1, 64)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// scoreForm is a review as its form shows it: a criterion's score keyed
// "score_" and its id.
func scoreForm(r *incubator.Review) form {
	v := map[string]string{}
	if r != nil {
		for id, n := range r.Scores {
			v["score_"+id] = strconv.Itoa(n)
		}
		v["comment"], v["conflict"] = r.Comment, checked(r.Conflict)
	}
	return form{Values: v}
}

// applicantOf finds who applied, for the people allowed to know: nobody
// when the application came without its founder, or was filed on someone's
// behalf.
func (s *Server) applicantOf(c *fiber.Ctx, a incubator.Application) (*accounts.User, error) {
	if a.FounderID == "" || a.OnBehalf() {
		return nil, nil
	}
	u, err := s.Accounts.User(c.UserContext(), a.FounderID)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Server) renderSheet(c *fiber.Ctx, f form) error {
	sheet, err := s.Incubator.ReviewSheet(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	founder, err := s.applicantOf(c, sheet.Application)
	if err != nil {
		return err
	}
	if f.Values == nil {
		f = scoreForm(sheet.Review)
	}
	attached, err := s.Incubator.Files(c.UserContext(), *currentUser(c), sheet.Program, sheet.Application)
	if err != nil {
		return err
	}
	p := s.page(c, "", fiber.Map{"Sheet": sheet, "Answers": sheetAnswers(sheet.Program, sheet.Application), "Founder": founder,
		"Form": f, "Scores": []string{"1", "2", "3", "4", "5"}, "Files": attached, "AppID": sheet.Application.ID})
	p.Title = sheet.Application.StartupName
	c.Type("html", "utf-8")
	return p.render(c, "reviews/sheet")
}

func (s *Server) reviewSheet(c *fiber.Ctx) error { return s.renderSheet(c, form{}) }

func (s *Server) reviewSubmit(c *fiber.Ctx) error {
	values := map[string]string{"comment": c.FormValue("comment"), "conflict": c.FormValue("conflict")}
	scores := map[string]int{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if id, ok := strings.CutPrefix(string(k), "score_"); ok {
			values[string(k)] = string(v)
			// Anything but a number is 0, which the service refuses as
			// out of range.
			n, _ := strconv.Atoi(string(v))
			scores[id] = n
		}
	})
	conflict := values["conflict"] != ""
	_, err := s.Incubator.Review(c.UserContext(), *currentUser(c), c.Params("id"), incubator.ReviewInput{
		Scores: scores, Comment: values["comment"], Conflict: conflict})
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderSheet(c, f)
	}
	saved := "flash.review_saved"
	if conflict {
		saved = "flash.conflict_declared"
	}
	if c.FormValue("next") == "" {
		return s.redirectFlash(c, "/reviews", "ok", saved)
	}
	next, err := s.nextInQueue(c, c.Params("id"))
	if err != nil {
		return err
	}
	if next == "" {
		return s.redirectFlash(c, "/reviews", "ok", "flash.review_saved_last")
	}
	return s.redirectFlash(c, "/reviews/"+next, "ok", saved)
}

// nextInQueue is the first application after id in the reviewer's queue
// that they have not finished yet, or "" when none is left after it.
func (s *Server) nextInQueue(c *fiber.Ctx, id string) (string, error) {
	list, _, err := s.Incubator.Queue(c.UserContext(), *currentUser(c))
	if err != nil {
		return "", err
	}
	after := false
	for _, as := range list {
		if as.Application.ID == id {
			after = true
		} else if after && as.Review == nil {
			return as.Application.ID, nil
		}
	}
	return "", nil
}
