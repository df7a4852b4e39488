package web

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/incubator"
)

func (s *Server) incubatorRoutes(api fiber.Router) {
	organizer := s.apiRequire(organizerRoles...)
	signedIn := s.apiRequire()
	api.Post("/programs", organizer, s.apiCreateProgram)
	api.Get("/programs/:id", s.apiProgram)
	api.Put("/programs/:id", organizer, s.apiUpdateProgram)
	api.Get("/programs/:id/ranking", organizer, s.apiRanking)
	api.Post("/programs/:id/applications", s.apiRequire(accounts.RoleFounder), s.apiStartApplication)
	api.Get("/applications/:id", s.apiApplication)
	api.Put("/applications/:id", signedIn, s.apiSaveApplication)
	api.Post("/applications/:id/submit", signedIn, s.apiSubmitApplication)
	api.Post("/applications/:id/withdraw", signedIn, s.apiWithdrawApplication)
	api.Post("/applications/:id/reviewers", organizer, s.apiAssignReviewer)
	api.Post("/applications/:id/reviews", signedIn, s.apiReview)
	api.Post("/applications/:id/decision", organizer, s.apiDecide)
	api.Post("/cohorts", organizer, s.apiCreateCohort)
}

// programJSON is the body of the create and edit calls.
type programJSON struct {
	Slug           string                `json:"slug"`
	Title          string                `json:"title"`
	TitleEN        string                `json:"title_en"`
	Description    string                `json:"description"`
	DescriptionEN  string                `json:"description_en"`
	Eligibility    string                `json:"eligibility"`
	OpensAt        time.Time             `json:"opens_at"`
	ClosesAt       time.Time             `json:"closes_at"`
	ReviewDeadline time.Time             `json:"review_deadline"`
	Questions      []incubator.Question  `json:"questions"`
	Criteria       []incubator.Criterion `json:"criteria"`
	Blind          bool                  `json:"blind"`
}

func (in programJSON) input() incubator.ProgramInput {
	return incubator.ProgramInput{
		Slug: in.Slug, Title: in.Title, TitleEN: in.TitleEN, Description: in.Description, DescriptionEN: in.DescriptionEN,
		Eligibility: in.Eligibility, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt, Questions: in.Questions, Criteria: in.Criteria,
		Blind: in.Blind, ReviewDeadline: in.ReviewDeadline,
	}
}

func (s *Server) apiCreateProgram(c *fiber.Ctx) error {
	var in programJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.Incubator.CreateProgram(c.UserContext(), currentUser(c).ID, in.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"program": p})
}

func (s *Server) apiUpdateProgram(c *fiber.Ctx) error {
	var in programJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.Incubator.UpdateProgram(c.UserContext(), c.Params("id"), in.input())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"program": p})
}

func (s *Server) apiProgram(c *fiber.Ctx) error {
	p, err := s.Incubator.Program(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"program": p})
}

func (s *Server) apiRanking(c *fiber.Ctx) error {
	list, err := s.Incubator.Ranking(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"applications": list})
}

type applicationJSON struct {
	Version     int                        `json:"version"`
	StartupName string                     `json:"startup_name"`
	Answers     map[string]json.RawMessage `json:"answers"`
}

func (s *Server) apiStartApplication(c *fiber.Ctx) error {
	var in applicationJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Incubator.Start(c.UserContext(), *currentUser(c), c.Params("id"), in.StartupName, in.Answers)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"application": a})
}

// apiApplication answers 404 to anyone who may not see the application,
// visitors included, so its existence does not leak.
func (s *Server) apiApplication(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil {
		return errs.ErrNotFound
	}
	a, err := s.Incubator.View(c.UserContext(), *u, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"application": a})
}

func (s *Server) apiSaveApplication(c *fiber.Ctx) error {
	var in applicationJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Incubator.Save(c.UserContext(), *currentUser(c), c.Params("id"), in.Version, in.StartupName, in.Answers)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"application": a})
}

func (s *Server) apiSubmitApplication(c *fiber.Ctx) error {
	a, err := s.Incubator.Submit(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"application": a})
}

func (s *Server) apiWithdrawApplication(c *fiber.Ctx) error {
	a, err := s.Incubator.Withdraw(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"application": a})
}

func (s *Server) apiAssignReviewer(c *fiber.Ctx) error {
	var in struct {
		UserID string `json:"user_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.Incubator.AssignReviewer(c.UserContext(), c.Params("id"), in.UserID); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ok": true})
}

func (s *Server) apiReview(c *fiber.Ctx) error {
	var in struct {
		Scores   map[string]int `json:"scores"`
		Comment  string         `json:"comment"`
		Conflict bool           `json:"conflict_of_interest"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.Incubator.Review(c.UserContext(), *currentUser(c), c.Params("id"), incubator.ReviewInput{
		Scores: in.Scores, Comment: in.Comment, Conflict: in.Conflict})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"review": r})
}

func (s *Server) apiDecide(c *fiber.Ctx) error {
	var in struct {
		Decision string `json:"decision"`
		CohortID string `json:"cohort_id"`
		Note     string `json:"note"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.Incubator.Decide(c.UserContext(), c.Params("id"), incubator.Status(in.Decision), in.CohortID, in.Note)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"application": a})
}

func (s *Server) apiCreateCohort(c *fiber.Ctx) error {
	var in struct {
		ProgramID string    `json:"program_id"`
		Name      string    `json:"name"`
		StartsAt  time.Time `json:"starts_at"`
		EndsAt    time.Time `json:"ends_at"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	co, err := s.Incubator.CreateCohort(c.UserContext(), in.ProgramID, in.Name, in.StartsAt, in.EndsAt)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"cohort": co})
}
