package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/workdays"
)

func (s *Server) holidayRoutes(app *fiber.App) {
	admin := app.Group("/admin/holidays", s.pageRequire(accounts.RoleAdmin))
	admin.Get("", s.holidaysPage)
	admin.Post("", s.holidayPut)
	admin.Post("/:date/delete", s.holidayDelete)
}

// holidayRow is an entry as the page lists it.
type holidayRow struct {
	workdays.Holiday
	Key, Day, Weekday, KindLabel string
}

func (s *Server) holidaysPage(c *fiber.Ctx) error {
	return s.renderHolidays(c, s.holidayYear(c, c.Query("year")), form{Values: map[string]string{"kind": string(workdays.DayOff)}})
}

// holidayYear is the year the page shows: the one asked for, else this
// year by the app's clock.
func (s *Server) holidayYear(c *fiber.Ctx, asked string) int {
	if y, err := strconv.Atoi(asked); err == nil && y >= 2000 && y <= 2200 {
		return y
	}
	return workdays.DateOf(s.Clock.Now()).Year
}

// renderHolidays lists a year's entries with the add form as f holds it.
func (s *Server) renderHolidays(c *fiber.Ctx, year int, f form) error {
	list, err := s.Workdays.List(c.UserContext())
	if err != nil {
		return err
	}
	l := s.lang(c)
	years := []int{workdays.DateOf(s.Clock.Now()).Year, year}
	var rows []holidayRow
	for _, h := range list {
		years = append(years, h.Date.Year)
		if h.Date.Year != year {
			continue
		}
		rows = append(rows, holidayRow{Holiday: h, Key: h.Date.String(), Day: dayIn(l, h.Date.Start()),
			Weekday: l.T("holidays.weekday." + strconv.Itoa(int(h.Date.Weekday()))), KindLabel: l.T("holidays.kind." + string(h.Kind))})
	}
	slices.Sort(years)
	return s.render(c, "admin/holidays", "holidays.title", fiber.Map{
		"Rows": rows, "Year": year, "Years": slices.Compact(years), "Kinds": workdays.Kinds, "Form": f,
	})
}

// holidayPut adds the entry of a date or replaces it; every mistake shows
// beside its field at once, and nothing changes.
func (s *Server) holidayPut(c *fiber.Ctx) error {
	values := formValues(c, "date", "name", "name_en", "kind")
	h := workdays.Holiday{Date: holidayAt(strings.TrimSpace(values["date"])), Name: strings.TrimSpace(values["name"]),
		NameEN: strings.TrimSpace(values["name_en"]), Kind: workdays.Kind(values["kind"])}
	created, err := s.Workdays.Put(c.UserContext(), h)
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		year := s.holidayYear(c, c.Query("year"))
		if !h.Date.IsZero() {
			year = h.Date.Year
		}
		return s.renderHolidays(c, year, f)
	}
	msg := "flash.holiday_replaced"
	if created {
		msg = "flash.holiday_added"
	}
	return s.redirectFlash(c, "/admin/holidays?year="+strconv.Itoa(h.Date.Year), "ok", msg,
		url.Values{"Day": {dayIn(s.lang(c), h.Date.Start())}, "Name": {h.Name}})
}

func (s *Server) holidayDelete(c *fiber.Ctx) error {
	d, err := workdays.ParseDate(c.Params("date"))
	if err != nil {
		return fiber.ErrNotFound
	}
	err = s.Workdays.Delete(c.UserContext(), d)
	return s.goBack(c, "/admin/holidays?year="+strconv.Itoa(d.Year), "flash.holiday_deleted", err)
}
