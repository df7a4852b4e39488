package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/events"
	"sprout/internal/staffing"
)

func (s *Server) staffingRoutes(app *fiber.App) {
	organizer := s.pageRequire(organizerRoles...)
	app.Get("/manage/events/:id/staff", organizer, s.manageStaff)
	app.Post("/manage/events/:id/gates", organizer, s.manageSetGates)
	app.Post("/manage/events/:id/staff", organizer, s.manageAssign)
	app.Post("/manage/events/:id/staff/:user/remove", organizer, s.manageUnassign)
	app.Get("/gate", s.pageRequire(gateRoles...), s.gateDuties)
}

// staffPage is the organizer's tab of who works an event's gates, each
// form with what came back.
type staffPage struct {
	Event    events.Event
	Gates    []string
	Staff    []staffing.Member
	GateForm form
	NewStaff form
}

func (s *Server) loadStaffPage(c *fiber.Ctx) (staffPage, error) {
	ctx := c.UserContext()
	e, err := s.Events.Event(ctx, c.Params("id"), true)
	if err != nil {
		return staffPage{}, err
	}
	p := staffPage{Event: e}
	if p.Gates, err = s.Staffing.Gates(ctx, e.ID); err != nil {
		return p, err
	}
	p.GateForm = form{Values: map[string]string{"gates": strings.Join(p.Gates, "\n")}}
	p.Staff, err = s.Staffing.Staff(ctx, e.ID)
	return p, err
}

func (s *Server) renderStaffPage(c *fiber.Ctx, p staffPage) error {
	return s.renderEventTab(c, p.Event, "staffing.title", "manage/staff", fiber.Map{"Event": p.Event, "Page": p})
}

func (s *Server) manageStaff(c *fiber.Ctx) error {
	p, err := s.loadStaffPage(c)
	if err != nil {
		return err
	}
	return s.renderStaffPage(c, p)
}

// staffFailed shows the tab again with one form holding the input and the
// error; put says which form.
func (s *Server) staffFailed(c *fiber.Ctx, err error, values map[string]string, put func(*staffPage, form)) error {
	f, err := s.failedForm(c, err, values)
	if err != nil {
		return err
	}
	p, err := s.loadStaffPage(c)
	if err != nil {
		return err
	}
	put(&p, f)
	return s.renderStaffPage(c, p)
}

// manageSetGates takes the gates one per line, as organizers list them.
func (s *Server) manageSetGates(c *fiber.Ctx) error {
	values := formValues(c, "gates")
	if _, err := s.Staffing.SetGates(c.UserContext(), c.Params("id"), strings.Split(values["gates"], "\n")); err != nil {
		return s.staffFailed(c, err, values, func(p *staffPage, f form) { p.GateForm = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"/staff", "ok", "flash.gates_saved")
}

func (s *Server) manageAssign(c *fiber.Ctx) error {
	values := formValues(c, "email")
	if _, err := s.Staffing.Assign(c.UserContext(), c.Params("id"), values["email"], currentUser(c).ID); err != nil {
		return s.staffFailed(c, err, values, func(p *staffPage, f form) { p.NewStaff = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"/staff#staff", "ok", "flash.staff_assigned")
}

func (s *Server) manageUnassign(c *fiber.Ctx) error {
	if err := s.Staffing.Unassign(c.UserContext(), c.Params("id"), c.Params("user")); err != nil {
		return err
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"/staff#staff", "ok", "flash.staff_removed")
}

// gateDuties lists, for the person signed in, the events they work at.
func (s *Server) gateDuties(c *fiber.Ctx) error {
	duties, err := s.Staffing.Duties(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, "staff/duties", "duties.title", fiber.Map{"Duties": duties, "Now": s.Clock.Now()})
}
