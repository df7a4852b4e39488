package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/incubator"
)

// programEditFields are the programme's own fields on the edit page; its
// questions and criteria come as rows of repeated fields, in page order.
var programEditFields = []string{"slug", "title", "title_en", "description", "description_en", "eligibility", "opens_at",
	"closes_at", "review_deadline", "blind"}

func programValues(p incubator.Program) map[string]string {
	return map[string]string{"slug": p.Slug, "title": p.Title, "title_en": p.TitleEN, "description": p.Description,
		"description_en": p.DescriptionEN, "eligibility": p.Eligibility, "opens_at": localValue(p.OpensAt),
		"closes_at": localValue(p.ClosesAt), "review_deadline": localValue(p.ReviewDeadline), "blind": checked(p.Blind)}
}

// multi lists the values of a repeated form field in page order.
func multi(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

func at(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

// itemLines reads a list written one item a line.
func itemLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// builderQuestions reads the form builder's question rows; a row added
// and left wholly blank is no question.
func builderQuestions(c *fiber.Ctx) []incubator.Question {
	ids, labels, labelsEN, kinds := multi(c, "q_id"), multi(c, "q_label"), multi(c, "q_label_en"), multi(c, "q_kind")
	required, options, optionsEN := multi(c, "q_required"), multi(c, "q_options"), multi(c, "q_options_en")
	help, helpEN := multi(c, "q_help"), multi(c, "q_help_en")
	var out []incubator.Question
	for i := range labels {
		q := incubator.Question{ID: at(ids, i), Label: at(labels, i), LabelEN: at(labelsEN, i), Kind: incubator.Kind(at(kinds, i)),
			Required: at(required, i) == "1", Options: itemLines(at(options, i)), OptionsEN: itemLines(at(optionsEN, i)),
			Help: at(help, i), HelpEN: at(helpEN, i)}
		if q.ID == "" && q.Label == "" && q.LabelEN == "" && len(q.Options) == 0 && q.Help == "" && q.HelpEN == "" {
			continue
		}
		out = append(out, q)
	}
	return out
}

var anchorScores = []string{"1", "3", "5"}

// builderCriteria reads the criteria rows as builderQuestions does.
func builderCriteria(c *fiber.Ctx) ([]incubator.Criterion, error) {
	ids, labels, labelsEN, weights := multi(c, "c_id"), multi(c, "c_label"), multi(c, "c_label_en"), multi(c, "c_weight")
	var out []incubator.Criterion
	for i := range labels {
		cr := incubator.Criterion{ID: at(ids, i), Label: at(labels, i), LabelEN: at(labelsEN, i)}
		for _, score := range anchorScores {
			if a := at(multi(c, "c_a"+score), i); a != "" {
				if cr.Anchors == nil {
					cr.Anchors = map[string]string{}
				}
				cr.Anchors[score] = a
			}
			if a := at(multi(c, "c_a"+score+"_en"), i); a != "" {
				if cr.AnchorsEN == nil {
					cr.AnchorsEN = map[string]string{}
				}
				cr.AnchorsEN[score] = a
			}
		}
		w := at(weights, i)
		if cr.ID == "" && cr.Label == "" && cr.LabelEN == "" && w == "" {
			continue
		}
		weight, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", "."), 64)
		if err != nil {
			return out, errs.Field("criteria", "error.criterion_weight")
		}
		cr.Weight = weight
		out = append(out, cr)
	}
	return out, nil
}

func (s *Server) selEditProgram(c *fiber.Ctx) error {
	p, err := s.Incubator.Program(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.renderProgramEdit(c, p, p.Live(), p.Criteria, form{Values: programValues(p)})
}

func (s *Server) renderProgramEdit(c *fiber.Ctx, p incubator.Program, questions []incubator.Question, criteria []incubator.Criterion, f form) error {
	var removed []incubator.Question
	for _, q := range p.Questions {
		if q.Removed {
			removed = append(removed, q)
		}
	}
	return s.renderSelection(c, "selection/edit", p, fiber.Map{"Form": f, "Questions": questions, "Criteria": criteria,
		"Removed": removed, "Kinds": questionKinds, "Scores": anchorScores, "Open": p.Open(s.Clock.Now())})
}

var questionKinds = []incubator.Kind{incubator.KindText, incubator.KindLongText, incubator.KindNumber, incubator.KindURL,
	incubator.KindChoice, incubator.KindFile}

func (s *Server) selUpdateProgram(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.Incubator.Program(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	values := formValues(c, programEditFields...)
	questions := builderQuestions(c)
	criteria, err := builderCriteria(c)
	// What the page could not read is told all at once, field by field.
	var unreadable []error
	if err != nil {
		unreadable = append(unreadable, err)
	}
	in := incubator.ProgramInput{Slug: values["slug"], Title: values["title"], TitleEN: values["title_en"],
		Description: values["description"], DescriptionEN: values["description_en"], Eligibility: values["eligibility"],
		Blind: values["blind"] != "", Questions: questions, Criteria: criteria}
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"opens_at", &in.OpensAt}, {"closes_at", &in.ClosesAt}, {"review_deadline", &in.ReviewDeadline}} {
		if *t.to, err = localTime(t.name, values[t.name]); err != nil {
			unreadable = append(unreadable, err)
		}
	}
	if err = errors.Join(unreadable...); err == nil {
		_, err = s.Incubator.UpdateProgram(ctx, p.ID, in)
	}
	if err != nil {
		f, err := s.failedFields(c, err, values)
		if err != nil {
			return err
		}
		return s.renderProgramEdit(c, p, questions, criteria, f)
	}
	return s.redirectFlash(c, "/manage/programs/"+p.ID+"/edit", "ok", "flash.program_saved")
}

// failedFields is failedForm for errors joined together: every field's
// message beside it at once.
func (s *Server) failedFields(c *fiber.Ctx, err error, values map[string]string) (form, error) {
	list := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		list = joined.Unwrap()
	}
	f := form{Values: values, Errors: map[string]string{}}
	for _, one := range list {
		got, err := s.failedForm(c, one, values)
		if err != nil {
			return form{}, err
		}
		for name, msg := range got.Errors {
			if _, ok := f.Errors[name]; !ok {
				f.Errors[name] = msg
			}
		}
	}
	return f, nil
}

func (s *Server) selExtendCall(c *fiber.Ctx) error {
	return s.selectionAction(c, "/manage/programs/"+c.Params("id")+"/edit", "flash.call_extended", func() error {
		closes, err := localTime("closes_at", c.FormValue("closes_at"))
		if err == nil {
			_, err = s.Incubator.ExtendCall(c.UserContext(), c.Params("id"), closes)
		}
		return err
	})
}

func (s *Server) selCloseCall(c *fiber.Ctx) error {
	return s.selectionAction(c, "/manage/programs/"+c.Params("id")+"/edit", "flash.call_closed", func() error {
		_, err := s.Incubator.CloseCall(c.UserContext(), c.Params("id"))
		return err
	})
}
