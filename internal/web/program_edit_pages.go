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

// programFields are the programme's own fields on the new and the edit
// page; its questions and criteria come as rows of repeated fields, in page
// order.
var programFields = []string{"slug", "title", "title_en", "description", "description_en", "eligibility", "opens_at",
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

// builderCriteria reads the criteria rows as builderQuestions does. A row
// whose weight cannot be read is kept, weightless, so the form shows it
// again beside the mistake; every such row is told at once.
func builderCriteria(c *fiber.Ctx) ([]incubator.Criterion, error) {
	ids, labels, labelsEN, weights := multi(c, "c_id"), multi(c, "c_label"), multi(c, "c_label_en"), multi(c, "c_weight")
	anchors, anchorsEN := map[string][]string{}, map[string][]string{}
	for _, score := range anchorScores {
		anchors[score], anchorsEN[score] = multi(c, "c_a"+score), multi(c, "c_a"+score+"_en")
	}
	var out []incubator.Criterion
	var unreadable []error
	for i := range labels {
		cr := incubator.Criterion{ID: at(ids, i), Label: at(labels, i), LabelEN: at(labelsEN, i)}
		for _, score := range anchorScores {
			if a := at(anchors[score], i); a != "" {
				if cr.Anchors == nil {
					cr.Anchors = map[string]string{}
				}
				cr.Anchors[score] = a
			}
			if a := at(anchorsEN[score], i); a != "" {
				if cr.AnchorsEN == nil {
					cr.AnchorsEN = map[string]string{}
				}
				cr.AnchorsEN[score] = a
			}
		}
		w := at(weights, i)
		if cr.ID == "" && cr.Label == "" && cr.LabelEN == "" && w == "" && cr.Anchors == nil && cr.AnchorsEN == nil {
			continue
		}
		if weight, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", "."), 64); err == nil {
			cr.Weight = weight
		} else {
			unreadable = append(unreadable, errs.Field("criteria", "error.criterion_weight").At(len(out)+1, "weight"))
		}
		out = append(out, cr)
	}
	return out, errors.Join(unreadable...)
}

// programForm reads the programme form of the new and the edit page: the
// programme's own fields, then the builder's rows in page order. What
// cannot be read is told field by field, joined; the rest is in the input.
func programForm(c *fiber.Ctx) (map[string]string, incubator.ProgramInput, error) {
	values := formValues(c, programFields...)
	criteria, err := builderCriteria(c)
	unreadable := []error{err}
	in := incubator.ProgramInput{Slug: values["slug"], Title: values["title"], TitleEN: values["title_en"],
		Description: values["description"], DescriptionEN: values["description_en"], Eligibility: values["eligibility"],
		Blind: values["blind"] != "", Questions: builderQuestions(c), Criteria: criteria}
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"opens_at", &in.OpensAt}, {"closes_at", &in.ClosesAt}, {"review_deadline", &in.ReviewDeadline}} {
		*t.to, err = localTime(t.name, values[t.name])
		unreadable = append(unreadable, err)
	}
	return values, in, errors.Join(unreadable...)
}

// builderData adds to a programme page's data the form as sent, the
// builder's rows and the choices a row offers.
func builderData(data fiber.Map, f form, questions []incubator.Question, criteria []incubator.Criterion) fiber.Map {
	data["Form"], data["Questions"], data["Criteria"] = f, questions, criteria
	data["Kinds"], data["Scores"] = questionKinds, anchorScores
	return data
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
	return s.renderSelection(c, "selection/edit", p, builderData(fiber.Map{"Removed": removed, "Open": p.Open(s.Clock.Now())},
		f, questions, criteria))
}

var questionKinds = []incubator.Kind{incubator.KindText, incubator.KindLongText, incubator.KindNumber, incubator.KindURL,
	incubator.KindChoice, incubator.KindFile}

func (s *Server) selUpdateProgram(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.Incubator.Program(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	values, in, err := programForm(c)
	if err == nil {
		_, err = s.Incubator.UpdateProgram(ctx, p.ID, in)
	} else {
		// The fields that could be read are checked too, so the form shows
		// every mistake at once; a field's reading error comes first.
		err = errors.Join(err, in.Check())
	}
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.renderProgramEdit(c, p, in.Questions, in.Criteria, f)
	}
	return s.redirectFlash(c, "/manage/programs/"+p.ID+"/edit", "ok", "flash.program_saved")
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
