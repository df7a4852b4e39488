package web

import (
	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/workdays"
)

// holidaysAPIRoutes: the list is public information, for anyone to count
// a deadline with; only admins change it.
func (s *Server) holidaysAPIRoutes(api fiber.Router) {
	admin := s.apiRequire(accounts.RoleAdmin)
	api.Get("/holidays", s.apiHolidays)
	api.Put("/holidays/:date", admin, s.apiPutHoliday)
	api.Delete("/holidays/:date", admin, s.apiDeleteHoliday)
}

// holidayJSON is an entry of the list as the API shows it.
type holidayJSON struct {
	Date   string `json:"date"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`
}

func holidayOut(h workdays.Holiday) holidayJSON {
	return holidayJSON{Date: h.Date.String(), Name: h.Name, NameEN: h.NameEN, Kind: string(h.Kind)}
}

func (s *Server) apiHolidays(c *fiber.Ctx) error {
	list, err := s.Workdays.List(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]holidayJSON, 0, len(list))
	for _, h := range list {
		out = append(out, holidayOut(h))
	}
	return c.JSON(fiber.Map{"holidays": out})
}

// holidayAt reads a date written 2006-01-02; one that is none stays zero,
// which the service refuses as the date's mistake beside any other.
func holidayAt(field string) workdays.Date {
	d, err := workdays.ParseDate(field)
	if err != nil {
		return workdays.Date{}
	}
	return d
}

// apiPutHoliday adds the date's entry (201) or replaces it (200).
func (s *Server) apiPutHoliday(c *fiber.Ctx) error {
	var in struct {
		Name   string `json:"name"`
		NameEN string `json:"name_en"`
		Kind   string `json:"kind"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Kind == "" {
		in.Kind = string(workdays.DayOff)
	}
	h := workdays.Holiday{Date: holidayAt(c.Params("date")), Name: in.Name, NameEN: in.NameEN, Kind: workdays.Kind(in.Kind)}
	created, err := s.Workdays.Put(c.UserContext(), h)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(fiber.Map{"holiday": holidayOut(h)})
}

func (s *Server) apiDeleteHoliday(c *fiber.Ctx) error {
	d, err := workdays.ParseDate(c.Params("date"))
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.Workdays.Delete(c.UserContext(), d); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
